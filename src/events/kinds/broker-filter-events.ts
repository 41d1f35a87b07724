/**
 * Event payloads of broker-side filtering: SQL92 subscriptions compiled and registered, bit maps computed at dispatch, and the match decisions of a pull.
 *
 * Filled in by the code that emits them; each kind is `<module>.<noun>.<past-tense verb>`
 * and carries only plain JSON, so it survives a JSONL round trip.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ, which logs none of these.
 *
 * @article filtersrv "Filtering on the broker"
 * @category Events
 * @module
 */

export interface BrokerFilterEventMap {}
