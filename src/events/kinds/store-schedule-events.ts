/**
 * Event payloads of the schedule service: delayed messages parked in `SCHEDULE_TOPIC_XXXX` and put back on their real topic when due.
 *
 * Filled in by the code that emits them; each kind is `<module>.<noun>.<past-tense verb>`
 * and carries only plain JSON, so it survives a JSONL round trip. The way IN (a DELAY
 * message rewritten to `SCHEDULE_TOPIC_XXXX`) needs no event of its own: the commit log's
 * `store.commitlog.appended` and the reput's `store.reput.dispatched` already show it, and
 * the latter's `tagsCode` is the deliver time the viz counts down to. These events draw the
 * way BACK:
 *
 * ```
 *   SCHEDULE_TOPIC_XXXX q2 #5 ──(due)──► store.schedule.delivered ──► %RETRY%cg q0 #3
 *                           ──(put refused)──► store.schedule.deliver-failed (retry in 10 s)
 *                           ──(not rebuildable)──► store.schedule.dropped
 * ```
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ, which logs none of these.
 *
 * @article schedule-retry "Delayed delivery"
 * @category Events
 * @module
 */
import type { ConfigFileSource } from '../../common/config-file.js';

export interface StoreScheduleEventMap {
  /**
   * A due message left `SCHEDULE_TOPIC_XXXX` queue `level - 1` at `scheduleQueueOffset` and
   * was stored again on `realTopic`/`realQueueId`, where it now sits at `queueOffset` (the
   * new record at `physOffset`). `deliverTimestamp` is when it was due (the consume-queue
   * tags code, after Java's correction); `delayMs` the level's delay. Carries `msg` (the
   * new record, `uniqKey` unchanged) and `why` (rule `deliver-when-due`). The viz moves the
   * message from the schedule lane to its real queue.
   */
  'store.schedule.delivered': {
    level: number;
    scheduleQueueOffset: number;
    realTopic: string;
    realQueueId: number;
    queueOffset: number;
    physOffset: number;
    deliverTimestamp: number;
    delayMs: number;
    reconsumeTimes: number;
  };
  /**
   * A due message could not be stored on its real topic (`status` is the put status, e.g.
   * `SERVICE_NOT_AVAILABLE`). The level stops at `scheduleQueueOffset` and tries that
   * message again after `retryInMs` (Java `DELAY_FOR_A_PERIOD`, 10 s). The viz marks the
   * level as stalled.
   */
  'store.schedule.deliver-failed': { level: number; scheduleQueueOffset: number; realTopic: string; status: string; retryInMs: number };
  /**
   * A unit of the schedule queue was skipped for good (Java logs and moves on): its record
   * is gone or unreadable (`record-missing`), it has no usable REAL_TOPIC / REAL_QID
   * (`no-real-topic`), or its real topic is the transaction half topic (`half-topic`).
   */
  'store.schedule.dropped': { level: number; scheduleQueueOffset: number; physOffset: number; reason: 'record-missing' | 'no-real-topic' | 'half-topic' };
  /**
   * The per-level offsets were written to `path` (`config/delayOffset.json`), every
   * `flushDelayOffsetInterval` and at shutdown. `offsetTable` maps a level (as a string) to
   * the next schedule-queue offset still to deliver: everything below it has been put back.
   */
  'store.schedule.offsets-persisted': { path: string; offsetTable: Record<string, number> };
  /**
   * The per-level offsets were read at load: from the file, its `.bak`, nowhere (`none`:
   * every level starts at 0), or neither copy was readable (`defaults`, with `error`: every
   * level starts from its queue's first message, so due messages may be delivered twice but
   * none is lost). `levels` is how many delay levels the service runs.
   */
  'store.schedule.offsets-loaded': { path: string; source: ConfigFileSource; levels: number; offsetTable: Record<string, number>; error?: string };
}
