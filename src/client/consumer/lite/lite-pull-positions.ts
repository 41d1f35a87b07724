/**
 * LitePullPositions: how `poll()`, `seek()` and commits move a lite pull consumer's read
 * positions.
 *
 * Three calls, three positions of {@link AssignedMessageQueue}:
 *
 * ```
 *   poll()       take the oldest ConsumeRequest; its messages leave the ProcessQueue, and
 *                consumeOffset = the smallest offset still buffered, or one past the last
 *                offset ever buffered (ProcessQueue.removeMessage)
 *   seek(o)      check minOffset ≤ o ≤ maxOffset; throw away the queue's buffer and its
 *                waiting requests; seekOffset = o; restart the queue's pull task (its next
 *                pull starts at o, and consumeOffset becomes o)
 *   commit       copy each queue's consumeOffset into the OffsetStore (memory); the
 *                instance's 5 s timer writes it to the broker (clustering), or the commit
 *                writes the local file at once (broadcasting)
 * ```
 *
 * With auto commit on (the default), every `poll()` first commits when 5 s have passed
 * since the last commit, so the group's progress trails what the application received by
 * at most one interval plus one persist period. A commit records what `poll()` handed out,
 * not what the application finished: messages polled and lost in a crash before the next
 * poll are not consumed again. Applications that need at-least-once turn auto commit off
 * and call `commitSync()` after processing.
 *
 * Differences from RocketMQ 4.9.x:
 * - Split out of DefaultLitePullConsumerImpl (same methods, same rules).
 * - `commitAll(..., persist)` can also write the offsets to the broker and wait.
 * - A request whose messages a seek already threw away does not move consumeOffset.
 *
 * @mirrors org.apache.rocketmq.client.impl.consumer.DefaultLitePullConsumerImpl#poll
 * @mirrors org.apache.rocketmq.client.impl.consumer.DefaultLitePullConsumerImpl#seek
 * @mirrors org.apache.rocketmq.client.impl.consumer.DefaultLitePullConsumerImpl#commitAll
 * @article pull-consume-2 "The lite pull consumer"
 * @emits client.lite.polled, client.lite.poll-timed-out, client.lite.seeked, client.lite.committed
 * @category Client
 * @module
 */
import type { MessageExt } from '../../../common/message/message-ext.js';
import type { MessageQueue } from '../../../common/protocol/body/message-queue-keyed-map.js';
import type { MessageModel } from '../../../common/protocol/heartbeat/message-model.js';
import type { NodeEvents } from '../../../events/event-sink.js';
import type { Clock } from '../../../platform/clock.js';
import { MQClientError } from '../../errors.js';
import { messageQueueKey } from '../message-queue-map.js';
import type { ProcessQueue } from '../process-queue.js';
import type { OffsetStore } from '../store/offset-store.js';
import type { AssignedMessageQueue } from './assigned-message-queue.js';
import type { ConsumeRequestCache } from './consume-request-cache.js';
import type { MQAdminImpl } from './mq-admin-impl.js';

/** What the position bookkeeping needs from the consumer. */
export interface LitePullPositionsHost {
  readonly consumerGroup: string;
  readonly clock: Clock;
  readonly events: NodeEvents;
  readonly assignedMessageQueue: AssignedMessageQueue;
  readonly consumeRequestCache: ConsumeRequestCache;
  readonly admin: MQAdminImpl;
  readonly settings: { readonly autoCommit: boolean; readonly autoCommitIntervalMillis: number; readonly messageModel: MessageModel };
  readonly isSubscribeMode: boolean;
  checkServiceState(): void;
  getOffsetStore(): OffsetStore;
  /** Cancel the queue's pull task and start a fresh one. */
  restartPullTask(mq: MessageQueue): void;
}

export class LitePullPositions {
  /** Java starts at -1, so the first poll commits (nothing yet) and arms the interval. */
  private nextAutoCommitDeadline = -1;

  constructor(private readonly host: LitePullPositionsHost) {}

  /**
   * The messages of the oldest pull not yet handed out, waiting up to `timeoutMs` for one;
   * `[]` when none came in time. Requests of queues taken away meanwhile are skipped.
   */
  async poll(timeoutMs: number): Promise<MessageExt[]> {
    const { clock, consumeRequestCache: cache, assignedMessageQueue } = this.host;
    this.host.checkServiceState();
    if (timeoutMs < 0) throw new MQClientError(-1, 'Timeout must not be negative');
    if (this.host.settings.autoCommit) await this.maybeAutoCommit();
    const startedAt = clock.now();
    const endTime = startedAt + timeoutMs;
    let request = await cache.poll(timeoutMs);
    while (request !== undefined && request.processQueue.dropped && endTime - clock.now() > 0) {
      request = await cache.poll(endTime - clock.now());
    }
    if (request === undefined || request.processQueue.dropped) {
      this.host.events.emit('client.lite.poll-timed-out', { group: this.host.consumerGroup, timeoutMs }, { flow: 'consume' });
      return [];
    }
    const { messageExts, messageQueue: mq, processQueue } = request;
    const consumeOffset = processQueue.removeMessage(messageExts);
    if (consumeOffset >= 0) assignedMessageQueue.updateConsumeOffset(mq, consumeOffset);
    const first = messageExts[0];
    const last = messageExts[messageExts.length - 1];
    this.host.events.emit('client.lite.polled', {
      group: this.host.consumerGroup, mq: messageQueueKey(mq), count: messageExts.length,
      firstOffset: first?.queueOffset ?? -1, lastOffset: last?.queueOffset ?? -1, consumeOffset, cached: cache.size, waitedMs: clock.now() - startedAt,
    }, { flow: 'consume', msg: { topic: mq.topic, queueId: mq.queueId, ...(first === undefined ? {} : { queueOffset: first.queueOffset }) } });
    return messageExts;
  }

  /**
   * Make the next pull of `mq` start at `offset` and forget what was buffered. Throws when
   * `mq` is not assigned or `offset` is outside [minOffset, maxOffset].
   */
  async seek(mq: MessageQueue, offset: number, via: 'seek' | 'seekToBegin' | 'seekToEnd'): Promise<void> {
    const { assignedMessageQueue, admin } = this.host;
    this.host.checkServiceState();
    if (!assignedMessageQueue.has(mq)) {
      const why = this.host.isSubscribeMode ? 'The message queue is not in assigned list, may be rebalancing, message queue: ' : 'The message queue is not in assigned list, message queue: ';
      throw new MQClientError(-1, `${why}${messageQueueKey(mq)}`);
    }
    const [minOffset, maxOffset] = await Promise.all([admin.minOffset(mq), admin.maxOffset(mq)]);
    if (offset < minOffset || offset > maxOffset) {
      throw new MQClientError(-1, `Seek offset illegal, seek offset = ${offset}, min offset = ${minOffset}, max offset = ${maxOffset}`);
    }
    // Java takes the queue's lock here; from now on nothing awaits.
    const processQueue = assignedMessageQueue.getProcessQueue(mq);
    if (processQueue === undefined || processQueue.dropped) return; // taken away while we asked the broker
    const dropped = this.clearMessageQueueInCache(mq, processQueue);
    assignedMessageQueue.setSeekOffset(mq, offset);
    this.host.restartPullTask(mq);
    this.host.events.emit('client.lite.seeked', { group: this.host.consumerGroup, mq: messageQueueKey(mq), offset, via, dropped }, { flow: 'consume' });
  }

  /** Throw away what is buffered for `mq`, in its ProcessQueue and in the cache; returns the message count. */
  private clearMessageQueueInCache(mq: MessageQueue, processQueue: ProcessQueue): number {
    const dropped = processQueue.msgCount;
    processQueue.clear();
    const key = messageQueueKey(mq);
    this.host.consumeRequestCache.removeIf((request) => messageQueueKey(request.messageQueue) === key);
    return dropped;
  }

  /**
   * Record every assigned queue's consumeOffset in the offset store. Broadcasting writes the
   * local file now; with `persist`, clustering also sends UPDATE_CONSUMER_OFFSET to each
   * queue's broker and waits. An automatic commit never throws (Java logs and goes on).
   */
  async commitAll(auto: boolean, persist = false): Promise<void> {
    const { assignedMessageQueue } = this.host;
    const store = this.host.getOffsetStore();
    const entries: Array<[MessageQueue, number]> = [];
    for (const mq of assignedMessageQueue.messageQueues()) {
      const consumeOffset = assignedMessageQueue.getConsumerOffset(mq);
      const processQueue = assignedMessageQueue.getProcessQueue(mq);
      if (consumeOffset === -1 || processQueue === undefined || processQueue.dropped) continue;
      store.updateOffset(mq, consumeOffset, false);
      entries.push([mq, consumeOffset]);
    }
    let persisted = false;
    try {
      if (this.host.settings.messageModel === 'BROADCASTING') {
        await store.persistAll(assignedMessageQueue.messageQueues());
        persisted = true;
      } else if (persist) {
        await Promise.all(entries.map(([mq, offset]) => store.updateConsumeOffsetToBroker(mq, offset, false)));
        persisted = true;
      }
    } catch (error) {
      if (!auto) throw error;
    }
    this.host.events.emit('client.lite.committed', {
      group: this.host.consumerGroup, auto, entries: entries.map(([mq, offset]) => ({ mq: messageQueueKey(mq), offset })), persisted,
    }, { flow: 'offset' });
  }

  private async maybeAutoCommit(): Promise<void> {
    const now = this.host.clock.now();
    if (now < this.nextAutoCommitDeadline) return;
    this.nextAutoCommitDeadline = now + this.host.settings.autoCommitIntervalMillis;
    await this.commitAll(true);
  }
}
