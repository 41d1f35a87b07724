/**
 * ConsumeMessageOrderlyService: consume each queue strictly in order, one listener call at a
 * time, while this consumer holds the queue's lock on the broker.
 *
 * Ordered consumption needs three guarantees, and each has its own mechanism:
 *
 * 1. **Only one member of the group reads a queue.** The rebalance already gives each queue
 *    to one member, but members disagree for a moment during every join or leave. So each
 *    member also locks its queues on the broker (LOCK_BATCH_MQ): before a new queue's first
 *    pull, and for all its queues every 20 s (`lockAll`). A broker lock lives 60 s; the
 *    client trusts its own copy for 30 s and stops consuming a queue whose lock is older.
 * 2. **Only one listener call per queue at a time.** A per-queue mutex
 *    (`MessageQueueLock`) serialises consume requests of the same queue.
 * 3. **A failure does not let later messages overtake it.** SUSPEND_CURRENT_QUEUE_A_MOMENT
 *    puts the messages back at the head of the ProcessQueue and retries them after
 *    `suspendCurrentQueueTimeMillis`; nothing behind them is delivered meanwhile.
 *
 * ```
 *   request(mq) ── lock(mq) ──► locked on broker and < 30 s old? ──no──► lock later, retry
 *        │                               │ yes
 *        │        ┌───────────────────────▼─────────────────────────┐
 *        │        │ takeMessages(batch) ─► listener ─► SUCCESS      │ commit: offset = max + 1
 *        │        │      (loop for up to 60 s)       └► SUSPEND     │ back to the head; retry in 1 s
 *        │        └─────────────────────────────────────────────────┘
 *        └── unlock(mq)
 * ```
 *
 * A message retried `maxReconsumeTimes` times (default: no limit) is re-sent to
 * `%RETRY%group` with its reconsume count by the inner producer, which makes the broker put
 * it in the dead-letter queue; if even that fails, the queue suspends again.
 *
 * Differences from RocketMQ 4.9.x:
 * - Mutexes are async (listeners may be async); timers come from the Clock.
 * - `maxTimeConsumeContinuously` is a setting (Java: system property, 60 s).
 *
 * @mirrors org.apache.rocketmq.client.impl.consumer.ConsumeMessageOrderlyService
 * @article orderly "Consuming one queue at a time"
 * @emits client.consume.started, client.consume.succeeded, client.consume.failed
 * @category Client
 * @module
 */
import { MessageConst } from '../../common/message/message-const.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue-keyed-map.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { TimerHandle } from '../../platform/clock.js';
import { ClientScheduledTask } from '../client-scheduled-task.js';
import type { ConsumeMessageService } from './consume-message-service.js';
import type { DefaultMQPushConsumerImpl } from './default-mq-push-consumer-impl.js';
import { ConsumeOrderlyStatus, newConsumeOrderlyContext, type ConsumeOrderlyContext, type MessageListenerOrderly } from './listener/message-listener.js';
import { MessageQueueLock } from './message-queue-lock.js';
import { messageQueueKey } from './message-queue-map.js';
import { REBALANCE_LOCK_INTERVAL, type ProcessQueue } from './process-queue.js';

/** Java `rocketmq.client.maxTimeConsumeContinuously`: one request consumes a queue this long (ms) before yielding. */
export const MAX_TIME_CONSUME_CONTINUOUSLY = 60_000;
/** Java: `Integer.MAX_VALUE`, the orderly default for `maxReconsumeTimes = -1`. */
const INTEGER_MAX_VALUE = 2_147_483_647;

export class ConsumeMessageOrderlyService implements ConsumeMessageService {
  private readonly messageQueueLock = new MessageQueueLock();
  private readonly timers = new Set<TimerHandle>();
  private readonly lockTask: ClientScheduledTask;
  private inflight = 0;
  private stopped = false;

  private readonly events: NodeEvents;

  constructor(private readonly impl: DefaultMQPushConsumerImpl, private readonly messageListener: MessageListenerOrderly) {
    this.events = impl.events.withLane('ConsumeMessageThread');
    this.lockTask = new ClientScheduledTask(impl.clock, 'lockMQPeriodically', 1_000, REBALANCE_LOCK_INTERVAL, () => this.lockMQPeriodically());
  }

  get inflightCalls(): number {
    return this.inflight;
  }

  /** Clustering: renew every queue lock 1 s after start, then every 20 s. */
  start(): void {
    if (this.impl.settings.messageModel === 'CLUSTERING') this.lockTask.start();
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    this.lockTask.shutdown();
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
    if (this.impl.settings.messageModel === 'CLUSTERING') await this.impl.rebalanceImpl.unlockAll(false);
  }

  submitConsumeRequest(_msgs: readonly MessageExt[], processQueue: ProcessQueue, messageQueue: MessageQueue, dispatchToConsume: boolean): void {
    if (!dispatchToConsume || this.stopped) return;
    void this.consume(processQueue, messageQueue);
  }

  private async lockMQPeriodically(): Promise<void> {
    if (!this.stopped) await this.impl.rebalanceImpl.lockAll();
  }

  /** Lock `mq` again after `delayMs`, then consume in 10 ms (locked) or 3 s (refused). */
  private tryLockLaterAndReconsume(mq: MessageQueue, pq: ProcessQueue, delayMs: number): void {
    this.later(delayMs, () => {
      void this.impl.rebalanceImpl.lock(mq).then((lockOK) => this.submitConsumeRequestLater(pq, mq, lockOK ? 10 : 3_000));
    });
  }

  /** Run a consume request for `mq` after `suspendTimeMillis` (-1: the consumer's setting), clamped to 10 ms..30 s. */
  private submitConsumeRequestLater(pq: ProcessQueue, mq: MessageQueue, suspendTimeMillis: number): void {
    let delayMs = suspendTimeMillis === -1 ? this.impl.settings.suspendCurrentQueueTimeMillis : suspendTimeMillis;
    delayMs = Math.min(30_000, Math.max(10, delayMs));
    this.later(delayMs, () => this.submitConsumeRequest([], pq, mq, true));
  }

  /** One consume request (Java `ConsumeRequest.run`): drain the queue in order while it stays locked. */
  private async consume(pq: ProcessQueue, mq: MessageQueue): Promise<void> {
    if (pq.dropped) return;
    const mutex = this.messageQueueLock.fetchLockObject(mq);
    await mutex.lock();
    try {
      const clustering = this.impl.settings.messageModel === 'CLUSTERING';
      if (clustering && (!pq.locked || pq.isLockExpired())) {
        if (!pq.dropped) this.tryLockLaterAndReconsume(mq, pq, 100);
        return;
      }
      const begin = this.impl.clock.now();
      for (let continueConsume = true; continueConsume;) {
        if (pq.dropped) break;
        if (clustering && (!pq.locked || pq.isLockExpired())) {
          this.tryLockLaterAndReconsume(mq, pq, 10); // Java: "the message queue not locked / lock expired, so consume later"
          break;
        }
        if (this.impl.clock.now() - begin > this.impl.settings.maxTimeConsumeContinuously) {
          this.submitConsumeRequestLater(pq, mq, 10); // let other queues' timers run
          break;
        }
        const msgs = pq.takeMessages(this.impl.settings.consumeMessageBatchMaxSize);
        if (msgs.length === 0) break; // takeMessages cleared `consuming`: the next put starts a request
        this.impl.resetRetryAndNamespace(msgs);
        const context = newConsumeOrderlyContext(mq);
        const status = await this.callListener(pq, mq, msgs, context);
        if (status === undefined) break; // dropped while waiting for the consume lock
        continueConsume = await this.processConsumeResult(msgs, status, context, pq, mq);
      }
    } finally {
      mutex.unlock();
    }
  }

  /** The listener call under the queue's consume lock; undefined when the queue was dropped meanwhile. */
  private async callListener(pq: ProcessQueue, mq: MessageQueue, msgs: MessageExt[], context: ConsumeOrderlyContext): Promise<ConsumeOrderlyStatus | undefined> {
    const events = this.events;
    const group = this.impl.settings.consumerGroup;
    const key = messageQueueKey(mq);
    const queueOffsets = msgs.map((m) => m.queueOffset);
    await pq.consumeLock.lock();
    let status: ConsumeOrderlyStatus | undefined;
    let error: string | undefined;
    const begin = this.impl.clock.now();
    try {
      if (pq.dropped) return undefined;
      const msgRef = msgs.length === 1 ? this.impl.msgRef(msgs[0]!) : undefined;
      this.inflight++;
      events.emit('client.consume.started', {
        group, mq: key, mode: 'orderly', queueOffsets, uniqKeys: msgs.map((m) => m.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX) ?? m.msgId), inflightCalls: this.inflight,
      }, { flow: 'consume', ...(msgRef === undefined ? {} : { msg: msgRef }) });
      status = (await this.messageListener.consumeMessage(msgs, context)) ?? undefined;
    } catch (thrown) {
      error = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
    } finally {
      pq.consumeLock.unlock();
    }
    this.inflight--;
    const elapsedMs = this.impl.clock.now() - begin;
    if (status === ConsumeOrderlyStatus.SUCCESS || status === ConsumeOrderlyStatus.COMMIT) {
      events.emit('client.consume.succeeded', { group, mq: key, queueOffsets, status, elapsedMs }, { flow: 'consume' });
      return status;
    }
    // Java: a null status (returned or after an exception) counts as SUSPEND_CURRENT_QUEUE_A_MOMENT.
    const failed = status ?? ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT;
    events.emit('client.consume.failed', { group, mq: key, queueOffsets, status: failed, elapsedMs, ...(error === undefined ? {} : { error }) }, { flow: 'consume' });
    return failed;
  }

  /** Commit, retry in place, or DLQ; returns whether the request should keep consuming. */
  private async processConsumeResult(msgs: MessageExt[], status: ConsumeOrderlyStatus, context: ConsumeOrderlyContext, pq: ProcessQueue, mq: MessageQueue): Promise<boolean> {
    let continueConsume = true;
    let commitOffset = -1;
    const suspend = async (): Promise<void> => {
      pq.makeMessageToConsumeAgain(msgs);
      this.submitConsumeRequestLater(pq, mq, context.suspendCurrentQueueTimeMillis);
      continueConsume = false;
    };
    if (context.autoCommit) {
      if (status === ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT) {
        if (await this.checkReconsumeTimes(msgs)) await suspend();
        else commitOffset = pq.commit();
      } else {
        commitOffset = pq.commit(); // SUCCESS; Java warns that COMMIT/ROLLBACK are meaningless with autoCommit
      }
    } else if (status === ConsumeOrderlyStatus.COMMIT) {
      commitOffset = pq.commit();
    } else if (status === ConsumeOrderlyStatus.ROLLBACK) {
      pq.rollback();
      this.submitConsumeRequestLater(pq, mq, context.suspendCurrentQueueTimeMillis);
      continueConsume = false;
    } else if (status === ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT && (await this.checkReconsumeTimes(msgs))) {
      await suspend();
    }
    if (commitOffset >= 0 && !pq.dropped) this.impl.offsetStore.updateOffset(mq, commitOffset, false);
    return continueConsume;
  }

  /**
   * Java `checkReconsumeTimes`: true when the queue must suspend. A message under the limit
   * is retried in place (its reconsume count goes up); one at the limit goes to the DLQ via
   * the retry topic, and only if that send fails does it suspend the queue too.
   */
  private async checkReconsumeTimes(msgs: MessageExt[]): Promise<boolean> {
    let suspend = false;
    const max = this.getMaxReconsumeTimes();
    for (const msg of msgs) {
      if (msg.reconsumeTimes >= max) {
        msg.putProperty(MessageConst.PROPERTY_RECONSUME_TIME, String(msg.reconsumeTimes));
        if (!(await this.sendMessageBack(msg))) {
          suspend = true;
          msg.reconsumeTimes++;
        }
      } else {
        suspend = true;
        msg.reconsumeTimes++;
      }
    }
    return suspend;
  }

  private getMaxReconsumeTimes(): number {
    const max = this.impl.settings.maxReconsumeTimes;
    return max === -1 ? INTEGER_MAX_VALUE : max;
  }

  /** Re-send to `%RETRY%group` with the reconsume count, so the broker's send path dead-letters it. */
  private async sendMessageBack(msg: MessageExt): Promise<boolean> {
    try {
      await this.impl.resendToRetryTopic(msg, msg.reconsumeTimes, this.getMaxReconsumeTimes());
      return true;
    } catch {
      return false; // Java: "sendMessageBack exception, group: ..."
    }
  }

  private later(delayMs: number, task: () => void): void {
    if (this.stopped) return;
    const timer = this.impl.clock.setTimer(delayMs, () => {
      this.timers.delete(timer);
      if (!this.stopped) task();
    });
    this.timers.add(timer);
  }
}
