/**
 * Event payloads of the schedule service: delayed messages parked in `SCHEDULE_TOPIC_XXXX` and put back on their real topic when due.
 *
 * Filled in by the code that emits them; each kind is `<module>.<noun>.<past-tense verb>`
 * and carries only plain JSON, so it survives a JSONL round trip.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ, which logs none of these.
 *
 * @article schedule-retry "Delayed delivery"
 * @category Events
 * @module
 */

export interface StoreScheduleEventMap {}
