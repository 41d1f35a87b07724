/**
 * PullTaskImpl: the loop that keeps one assigned queue of a lite pull consumer fed, one
 * PULL_MESSAGE after another, into the cache `poll()` reads from.
 *
 * Each assigned queue has exactly one task. A turn of the task:
 *
 * ```
 *   cancelled?                          → stop for good (queue unassigned, seek restarted it)
 *   paused?                             → try again in 1000 ms
 *   queue dropped?                      → stop
 *   cache too full (all queues)         → try again in 50 ms   (pullThresholdForAll)
 *   this queue's buffer too big         → try again in 50 ms   (pullThresholdForQueue / SizeForQueue)
 *   buffer spans too many offsets       → try again in 50 ms   (consumeMaxSpan)
 *   offset = next pull offset           (a pending seek wins; else where the last pull ended;
 *                                        else the committed offset / consumeFromWhere)
 *   PULL_MESSAGE(offset, pullBatchSize) long-polled up to 20 s by the broker
 *     FOUND   → buffer the messages, append one ConsumeRequest to the cache
 *     any     → next pull offset = nextBeginOffset
 *     failure → try again in pullTimeDelayMillisWhenException (1000 ms)
 *   schedule the next turn at once
 * ```
 *
 * Flow control waits in short steps instead of blocking, as Java does, because the cache
 * drains only when the application calls `poll()`. A result that arrives after the task was
 * cancelled, or while a seek is pending, is thrown away: the messages belong to a read
 * position the application has left.
 *
 * Differences from RocketMQ 4.9.x:
 * - A turn is an async function on Clock timers, not a Runnable on a thread pool; at most
 *   one turn of a task runs at a time.
 * - Flow control emits one `client.pull.delayed` when it starts, not a log line every 1000 times.
 *
 * @mirrors org.apache.rocketmq.client.impl.consumer.DefaultLitePullConsumerImpl.PullTaskImpl
 * @article pull-consume-2 "The lite pull consumer"
 * @emits client.pull.delayed, client.pull.failed
 * @category Client
 * @module
 */
import type { MessageQueue } from '../../../common/protocol/body/message-queue-keyed-map.js';
import type { NodeEvents } from '../../../events/event-sink.js';
import type { PullDelayReason } from '../../../events/kinds/client-consumer-events.js';
import type { Clock, TimerHandle } from '../../../platform/clock.js';
import { MQBrokerError, MQClientError } from '../../errors.js';
import { messageQueueKey } from '../message-queue-map.js';
import type { ProcessQueue } from '../process-queue.js';
import type { PullResult } from '../pull-result.js';
import type { AssignedMessageQueue } from './assigned-message-queue.js';
import type { ConsumeRequestCache } from './consume-request-cache.js';

/** Java `PULL_TIME_DELAY_MILLS_WHEN_FLOW_CONTROL`. */
export const PULL_TIME_DELAY_MILLIS_WHEN_FLOW_CONTROL = 50;
/** Java `PULL_TIME_DELAY_MILLS_WHEN_PAUSE`. */
export const PULL_TIME_DELAY_MILLIS_WHEN_PAUSE = 1000;

const MIB = 1024 * 1024;

/** The flow-control settings a task reads on every turn (they may change while it runs). */
export interface PullTaskSettings {
  readonly pullBatchSize: number;
  readonly pullThresholdForAll: number;
  readonly pullThresholdForQueue: number;
  /** MiB. */
  readonly pullThresholdSizeForQueue: number;
  readonly consumeMaxSpan: number;
  readonly pullTimeDelayMillisWhenException: number;
}

/** What a task needs from its consumer. */
export interface PullTaskHost {
  readonly consumerGroup: string;
  readonly clock: Clock;
  readonly events: NodeEvents;
  readonly assignedMessageQueue: AssignedMessageQueue;
  readonly consumeRequestCache: ConsumeRequestCache;
  readonly settings: PullTaskSettings;
  /** Where the next pull of `mq` starts (may ask the offset store); < 0 when unknown. */
  nextPullOffset(mq: MessageQueue): Promise<number>;
  /** One long-polled pull of `mq` at `offset`, decoded and filtered. */
  pull(mq: MessageQueue, offset: number): Promise<PullResult>;
}

export class PullTaskImpl {
  private cancelled = false;
  private timer: TimerHandle | undefined;
  /** Set while flow control holds the task, so the delay is reported once. */
  private throttled = false;

  constructor(readonly messageQueue: MessageQueue, private readonly host: PullTaskHost) {}

  get isCancelled(): boolean {
    return this.cancelled;
  }

  /** Run a turn after `delayMs` (unless cancelled by then). */
  schedule(delayMs: number): void {
    if (this.cancelled) return;
    this.timer?.cancel();
    this.timer = this.host.clock.setTimer(delayMs, () => {
      this.timer = undefined;
      void this.run();
    });
  }

  /** Stop the task: no further turn starts, and a pull in flight is ignored when it returns. */
  cancel(): void {
    this.cancelled = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private async run(): Promise<void> {
    if (this.cancelled) return;
    const { assignedMessageQueue, settings } = this.host;
    const mq = this.messageQueue;
    if (assignedMessageQueue.isPaused(mq)) return this.delay('paused', PULL_TIME_DELAY_MILLIS_WHEN_PAUSE, undefined);
    const processQueue = assignedMessageQueue.getProcessQueue(mq);
    if (processQueue === undefined || processQueue.dropped) return; // Java: "not be able to poll, because it's dropped"
    const delayReason = this.flowControlReason(processQueue, settings);
    if (delayReason !== undefined) return this.delay(delayReason, PULL_TIME_DELAY_MILLIS_WHEN_FLOW_CONTROL, processQueue);
    this.throttled = false;

    let delayMs = 0;
    try {
      const offset = await this.host.nextPullOffset(mq);
      if (this.cancelled) return;
      if (offset < 0) throw new MQClientError(-1, 'offset < 0');
      const pullResult = await this.host.pull(mq, offset);
      // Java holds the queue's lock from here on; nothing below awaits.
      if (this.cancelled) return; // Java: "The Pull Task was cancelled in doPullTask"
      this.processPullResult(processQueue, pullResult);
    } catch (error) {
      if (this.cancelled) return; // e.g. the connection closed at shutdown: nothing to report or retry
      delayMs = settings.pullTimeDelayMillisWhenException;
      const responseCode = error instanceof MQBrokerError || error instanceof MQClientError ? error.responseCode : -1;
      this.host.events.emit('client.pull.failed', {
        group: this.host.consumerGroup, mq: messageQueueKey(mq), error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), responseCode, retryInMs: delayMs,
      }, { flow: 'pull' });
    }
    this.schedule(delayMs);
  }

  /** Buffer what a pull found and move the queue's pull offset, unless a seek is pending. */
  private processPullResult(processQueue: ProcessQueue, pullResult: PullResult): void {
    const { assignedMessageQueue, consumeRequestCache } = this.host;
    const mq = this.messageQueue;
    const seekPending = assignedMessageQueue.getSeekOffset(mq) !== -1;
    if (pullResult.pullStatus === 'FOUND' && pullResult.msgFoundList.length > 0 && !seekPending) {
      processQueue.putMessage(pullResult.msgFoundList);
      consumeRequestCache.put({ messageExts: pullResult.msgFoundList, messageQueue: mq, processQueue });
    }
    // Java: OFFSET_ILLEGAL is only logged; nextBeginOffset already points where the broker says to go.
    if (!seekPending) assignedMessageQueue.updatePullOffset(mq, pullResult.nextBeginOffset);
  }

  /** Which flow-control limit holds the next pull, if any (checked in Java's order). */
  private flowControlReason(processQueue: ProcessQueue, settings: PullTaskSettings): PullDelayReason | undefined {
    if (this.host.consumeRequestCache.size * settings.pullBatchSize > settings.pullThresholdForAll) return 'count-threshold';
    if (processQueue.msgCount > settings.pullThresholdForQueue) return 'count-threshold';
    if (Math.floor(processQueue.msgSize / MIB) > settings.pullThresholdSizeForQueue) return 'size-threshold';
    if (processQueue.getMaxSpan() > settings.consumeMaxSpan) return 'span-threshold';
    return undefined;
  }

  private delay(reason: PullDelayReason, delayMs: number, processQueue: ProcessQueue | undefined): void {
    if (!this.throttled) {
      this.throttled = true;
      this.host.events.emit('client.pull.delayed', {
        group: this.host.consumerGroup, mq: messageQueueKey(this.messageQueue), reason, delayMs,
        cachedCount: processQueue?.msgCount ?? 0, cachedBytes: processQueue?.msgSize ?? 0, span: processQueue?.getMaxSpan() ?? 0,
      }, { flow: 'pull', why: { rule: reason, inputs: { cachedRequests: this.host.consumeRequestCache.size }, outcome: delayMs } });
    }
    this.schedule(delayMs);
  }
}
