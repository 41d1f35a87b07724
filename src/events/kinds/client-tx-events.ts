/**
 * Event payloads of the transactional producer: the half send, the local transaction's answer, the end request, and the answers to check-backs.
 *
 * Filled in by the code that emits them; each kind is `<module>.<noun>.<past-tense verb>`
 * and carries only plain JSON, so it survives a JSONL round trip.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ, which logs none of these.
 *
 * @article transaction "The producer side of a transaction"
 * @category Events
 * @module
 */

export interface ClientTxEventMap {}
