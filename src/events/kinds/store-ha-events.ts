/**
 * Event payloads of master/slave replication: slave connections, transferred chunks, acknowledgements, and SYNC_MASTER sends waiting for them.
 *
 * Filled in by the code that emits them; each kind is `<module>.<noun>.<past-tense verb>`
 * and carries only plain JSON, so it survives a JSONL round trip.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ, which logs none of these.
 *
 * @article ha "Replicating the commit log"
 * @category Events
 * @module
 */

export interface StoreHaEventMap {}
