/**
 * DeliverDelayedMessageTimerTask: one run of one delay level's timer. It reads the level's
 * queue in `SCHEDULE_TOPIC_XXXX` from where the last run stopped and puts every message
 * that is due back on its real topic.
 *
 * A delayed message never waits in a timer of its own. The store parks it in the schedule
 * topic, in queue `level - 1`, and the consume-queue unit's tags code holds its deliver
 * time. Because every message of one level has the same delay, each queue is sorted by
 * deliver time, so a level only has to look at its first undelivered unit:
 *
 * ```
 *   SCHEDULE_TOPIC_XXXX queue 2 (level 3, 10 s)       now = 1000_025_000
 *   queue offset:     4            5            6            7
 *   deliver time: 1000_013_000 1000_021_000 1000_024_000 1000_031_000
 *                 ^offset=4 (delivered: next run starts at 5)
 *   run(offset=5):  #5 due  -> rebuild on REAL_TOPIC/REAL_QID, put  (offset -> 6)
 *                   #6 due  -> rebuild, put                          (offset -> 7)
 *                   #7 in 6 s -> schedule run(offset=7) in 6000 ms, stop
 *   put refused               -> schedule run(same offset) in 10 s, stop
 *   end of the units read     -> schedule run(next offset) in 100 ms
 *   offset outside the queue  -> schedule run(offset clamped into [min, max]) in 100 ms
 *   no unit at the offset yet -> idle: run again when a unit lands in the queue
 *                                (the service's dispatcher wakes it), or in 10 s
 * ```
 *
 * A deliver time further away than `now + delay(level)` cannot be right (the clock moved
 * back, or the unit is garbage); Java corrects it to `now`, and so do we.
 *
 * The rebuilt message (`messageTimeup`) is the stored one with its real topic and queue,
 * the same body, flag, born and store host, born time, `reconsumeTimes` and UNIQ_KEY, the
 * tags code of its real tags, `WAIT=false`, and without `DELAY` in its property map.
 *
 * Differences from RocketMQ 4.9.x:
 * - Mirrors 4.9.0-4.9.2 (a not-due level sleeps until the message is due; a refused put
 *   retries in 10 s); 4.9.3+ polls every 100 ms in both cases, and adds async delivery.
 * - A level with nothing to read idles until a unit is dispatched into its queue (at most
 *   {@link IDLE_POLL_MS}) instead of polling every 100 ms: the deliver times are the same
 *   (a new unit is due a whole delay later), and 18 idle levels cost nothing on a
 *   virtual clock.
 * - The level's offset is recorded after every delivered message (as 4.9.3+ does), not only
 *   when the run ends, so a restart re-delivers less.
 * - Kept on purpose (Java's quirk): the properties *string* is built before `DELAY` is
 *   removed from the map, so the delivered record still carries `DELAY`, `REAL_TOPIC` and
 *   `REAL_QID` in its stored properties, byte for byte as a Java broker writes it. The store
 *   does not delay it again, because it reads the delay from the map.
 * - `store.schedule.dropped` reports the units Java skips with a log line.
 * - No consume-queue ext (a tags code is never an ext address) and no statistics.
 *
 * @mirrors org.apache.rocketmq.store.schedule.ScheduleMessageService.DeliverDelayedMessageTimerTask
 * @mirrors org.apache.rocketmq.store.schedule.ScheduleMessageService#messageTimeup
 * @article schedule-retry "Putting a delayed message back"
 * @emits store.schedule.delivered, store.schedule.deliver-failed, store.schedule.dropped
 * @category Store
 * @module
 */
import { viewOf } from '../../common/bytes.js';
import { javaParseInt } from '../../common/java-compat.js';
import { MessageConst } from '../../common/message/message-const.js';
import { MessageExtBrokerInner, tagsString2tagsCode, type MessageExt } from '../../common/message/message-ext.js';
import { messageProperties2String } from '../../common/message/message-properties.js';
import { RMQ_SYS_TRANS_HALF_TOPIC } from '../../common/topic/topic-validator.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';
import { RMQ_SYS_SCHEDULE_TOPIC } from '../commitlog/commit-log-record-reader.js';
import { CQ_STORE_UNIT_SIZE, unitPhysicalOffset, unitSize, type ConsumeQueue } from '../consumequeue/consume-queue.js';
import { tagsCodeOfUnit } from '../consumequeue/consume-queue-ext.js';
import { PutMessageStatus, type PutMessageResult } from '../results.js';

/** Java `DELAY_FOR_A_WHILE`: the pause between two runs of a level with nothing due yet read. */
export const DELAY_FOR_A_WHILE_MS = 100;
/** Java `DELAY_FOR_A_PERIOD`: how long a level waits after its put was refused. */
export const DELAY_FOR_A_PERIOD_MS = 10_000;
/** Not in Java: the longest an idle level (nothing to read) waits for a wake-up before it looks again. */
export const IDLE_POLL_MS = 10_000;

/** The consume-queue reads a run needs. */
export type ScheduleConsumeQueue = Pick<ConsumeQueue, 'getIndexBuffer' | 'getMinOffsetInQueue' | 'getMaxOffsetInQueue' | 'consumeQueueExt'>;

/** What a run needs from its ScheduleMessageService and the store. */
export interface DeliverContext {
  readonly clock: Clock;
  readonly events: NodeEvents;
  findConsumeQueue(topic: string, queueId: number): ScheduleConsumeQueue | undefined;
  lookMessageByOffset(commitLogOffset: number, size: number): MessageExt | undefined;
  putMessage(msg: MessageExtBrokerInner): Promise<PutMessageResult>;
  /** The delay of a level in ms. */
  delayMillisOf(level: number): number;
  /** False once the service this run belongs to was shut down (or restarted). */
  isStarted(): boolean;
  /** Record that everything below `offset` of the level's queue has been delivered. */
  updateOffset(level: number, offset: number): void;
  /** Run the level again from `offset` after `delayMs`; an `idle` run may be woken earlier. */
  scheduleNextTimerTask(level: number, offset: number, delayMs: number, idle?: boolean): void;
}

/** How a unit left the queue without being delivered. */
type DropReason = 'record-missing' | 'no-real-topic' | 'half-topic';

export class DeliverDelayedMessageTimerTask {
  constructor(private readonly ctx: DeliverContext, readonly delayLevel: number, readonly offset: number) {}

  /** Java `run`: nothing when the service stopped meanwhile. */
  async run(): Promise<void> {
    if (this.ctx.isStarted()) await this.executeOnTimeup();
  }

  /**
   * The unit's deliver time: its tags code, read through the consume-queue extension when
   * the unit holds an ext address; when the ext unit is gone, Java recomputes it from the
   * record's store time (`pickupStoreTimestamp`), and so do we.
   */
  private deliverTimestampOf(cq: ScheduleConsumeQueue, view: DataView, at: number, physOffset: number, size: number): number {
    const tagsCode = tagsCodeOfUnit(view, at, cq.consumeQueueExt);
    if (!Number.isNaN(tagsCode)) return tagsCode;
    const record = this.ctx.lookMessageByOffset(physOffset, size);
    return record === undefined ? NaN : record.storeTimestamp + this.ctx.delayMillisOf(this.delayLevel);
  }

  /** Java `correctDeliverTimestamp`: a deliver time beyond `now + delay` becomes `now`. */
  correctDeliverTimestamp(now: number, deliverTimestamp: number): number {
    const maxTimestamp = now + this.ctx.delayMillisOf(this.delayLevel);
    return Number.isNaN(deliverTimestamp) || deliverTimestamp > maxTimestamp ? now : deliverTimestamp;
  }

  /** One pass over the units read from `offset` (the module diagram, top to bottom). */
  async executeOnTimeup(): Promise<void> {
    const { ctx, delayLevel: level, offset } = this;
    const cq = ctx.findConsumeQueue(RMQ_SYS_SCHEDULE_TOPIC, level - 1);
    const buffer = cq?.getIndexBuffer(offset);
    if (cq === undefined || buffer === undefined) {
      const reset = resetOffset(cq, offset);
      if (reset === offset) ctx.scheduleNextTimerTask(level, offset, IDLE_POLL_MS, true);
      else ctx.scheduleNextTimerTask(level, reset, DELAY_FOR_A_WHILE_MS);
      return;
    }
    const view = viewOf(buffer.bytes);
    const units = Math.floor(buffer.size / CQ_STORE_UNIT_SIZE);
    for (let i = 0; i < units; i++) {
      const at = i * CQ_STORE_UNIT_SIZE;
      const physOffset = unitPhysicalOffset(view, at);
      const size = unitSize(view, at);
      const now = ctx.clock.now();
      const deliverTimestamp = this.correctDeliverTimestamp(now, this.deliverTimestampOf(cq, view, at, physOffset, size));
      const nextOffset = offset + i;
      const countdown = deliverTimestamp - now;
      if (countdown > 0) {
        ctx.updateOffset(level, nextOffset);
        ctx.scheduleNextTimerTask(level, nextOffset, countdown);
        return;
      }
      const delivered = await this.deliver(nextOffset, physOffset, size, deliverTimestamp);
      if (!ctx.isStarted()) return; // shut down while the put was under way: the next start resumes
      if (!delivered) {
        ctx.updateOffset(level, nextOffset);
        ctx.scheduleNextTimerTask(level, nextOffset, DELAY_FOR_A_PERIOD_MS);
        return;
      }
      ctx.updateOffset(level, nextOffset + 1);
    }
    ctx.updateOffset(level, offset + units);
    ctx.scheduleNextTimerTask(level, offset + units, DELAY_FOR_A_WHILE_MS);
  }

  /**
   * Put the unit's message back on its real topic. True when the level may move past the
   * unit: delivered, or dropped for good; false when the put was refused (try again later).
   */
  private async deliver(scheduleQueueOffset: number, physOffset: number, size: number, deliverTimestamp: number): Promise<boolean> {
    const { ctx, delayLevel: level } = this;
    const msgExt = ctx.lookMessageByOffset(physOffset, size);
    if (msgExt === undefined) return this.drop(scheduleQueueOffset, physOffset, 'record-missing');
    const inner = messageTimeup(msgExt);
    if (inner === undefined) return this.drop(scheduleQueueOffset, physOffset, 'no-real-topic');
    // Java: "[BUG] the real topic of schedule msg is RMQ_SYS_TRANS_HALF_TOPIC, discard the msg".
    if (inner.topic === RMQ_SYS_TRANS_HALF_TOPIC) return this.drop(scheduleQueueOffset, physOffset, 'half-topic');
    const result = await ctx.putMessage(inner);
    const appended = result.appendMessageResult;
    const uniqKey = inner.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
    if (result.putMessageStatus !== PutMessageStatus.PUT_OK || appended === undefined) {
      ctx.events.emit('store.schedule.deliver-failed', {
        level, scheduleQueueOffset, realTopic: inner.topic, status: result.putMessageStatus, retryInMs: DELAY_FOR_A_PERIOD_MS,
      }, {
        flow: 'schedule',
        msg: {
          ...(uniqKey === undefined ? {} : { uniqKey }), topic: RMQ_SYS_SCHEDULE_TOPIC, queueId: level - 1, queueOffset: scheduleQueueOffset,
          physOffset, realTopic: inner.topic, reconsumeTimes: inner.reconsumeTimes, delayLevel: level,
        },
      });
      return false;
    }
    const now = ctx.clock.now();
    ctx.events.emit('store.schedule.delivered', {
      level, scheduleQueueOffset, realTopic: inner.topic, realQueueId: inner.queueId, queueOffset: appended.logicsOffset,
      physOffset: appended.wroteOffset, deliverTimestamp, delayMs: ctx.delayMillisOf(level), reconsumeTimes: inner.reconsumeTimes,
    }, {
      flow: 'schedule',
      msg: {
        ...(uniqKey === undefined ? {} : { uniqKey }), topic: inner.topic, queueId: inner.queueId, queueOffset: appended.logicsOffset,
        physOffset: appended.wroteOffset, reconsumeTimes: inner.reconsumeTimes, delayLevel: level,
      },
      why: { rule: 'deliver-when-due', inputs: { deliverTimestamp, now, level }, outcome: 'deliver' },
    });
    return true;
  }

  private drop(scheduleQueueOffset: number, physOffset: number, reason: DropReason): true {
    this.ctx.events.emit('store.schedule.dropped', { level: this.delayLevel, scheduleQueueOffset, physOffset, reason }, { flow: 'schedule' });
    return true;
  }
}

/**
 * Where a level whose offset reads nothing goes on: the queue's min offset when it fell
 * below it (its files were deleted), the max offset when it points past the end (the queue
 * lost its tail in a crash: 4.9.3+), else where it was (nothing new yet). A queue that does
 * not exist counts as empty, so a stale offset goes back to 0 before its first unit is
 * written (Java leaves it, and would skip that many messages).
 */
export function resetOffset(cq: ScheduleConsumeQueue | undefined, offset: number): number {
  const min = cq?.getMinOffsetInQueue() ?? 0;
  const max = cq?.getMaxOffsetInQueue() ?? 0;
  return Math.min(Math.max(offset, min), max);
}

/**
 * Java `messageTimeup`: the stored delayed message, rebuilt to be put on its real topic.
 * `undefined` when REAL_TOPIC or REAL_QID is missing or REAL_QID is not an int (Java's
 * `Integer.parseInt` throws and the message is dropped).
 */
export function messageTimeup(msgExt: MessageExt): MessageExtBrokerInner | undefined {
  const topic = msgExt.getProperty(MessageConst.PROPERTY_REAL_TOPIC);
  const queueIdText = msgExt.getProperty(MessageConst.PROPERTY_REAL_QUEUE_ID);
  const queueId = queueIdText === undefined ? undefined : javaParseInt(queueIdText);
  if (topic === undefined || queueId === undefined) return undefined;
  const inner = new MessageExtBrokerInner({
    topic, queueId, body: msgExt.body, flag: msgExt.flag,
    properties: new Map(msgExt.properties),
    tagsCode: tagsString2tagsCode(msgExt.tags),
    // Java's order: the string is taken while DELAY, REAL_TOPIC and REAL_QID are still in the map.
    propertiesString: messageProperties2String(msgExt.properties),
    sysFlag: msgExt.sysFlag, bornTimestamp: msgExt.bornTimestamp, bornHost: msgExt.bornHost,
    storeHost: msgExt.storeHost, reconsumeTimes: msgExt.reconsumeTimes,
  });
  inner.waitStoreMsgOK = false; // the map only: nobody waits for a flush or a slave on this put
  inner.clearProperty(MessageConst.PROPERTY_DELAY_TIME_LEVEL);
  return inner;
}
