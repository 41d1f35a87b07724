/**
 * Event payloads of the broker's transaction support: half messages, END_TRANSACTION commit and rollback, op records and the check-back service.
 *
 * Filled in by the code that emits them; each kind is `<module>.<noun>.<past-tense verb>`
 * and carries only plain JSON, so it survives a JSONL round trip.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ, which logs none of these.
 *
 * @article transaction "The broker side of a transaction"
 * @category Events
 * @module
 */

export interface BrokerTxEventMap {}
