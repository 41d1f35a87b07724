/**
 * ConsumeMessageConcurrentlyService: run the listener on many messages at once, and send
 * the failures back to the broker for a later retry.
 *
 * Every pulled batch is cut into requests of `consumeMessageBatchMaxSize` (1 by default) and
 * queued; up to `consumeThreadMax` (20) listener calls run at the same time, the rest wait.
 * Calls finish in any order, which is why the commit offset comes from the ProcessQueue
 * (the smallest offset still unfinished), never from the message that just finished.
 *
 * After a call:
 *
 * ```
 *   CONSUME_SUCCESS            messages after context.ackIndex count as failed (none by default)
 *   RECONSUME_LATER / throw    every message of the call failed
 *
 *   failed, CLUSTERING   ─► CONSUMER_SEND_MSG_BACK (delayLevel from the context; 0 = broker decides)
 *                             └─ RPC failed ─► inner producer re-sends to %RETRY%group
 *                                 └─ failed too ─► consume it again here in 5 s
 *   failed, BROADCASTING ─► dropped (Java logs it; there is no shared retry topic)
 *
 *   then: removeMessage(the call's messages) ─► commit offset ─► offsetStore.updateOffset(increaseOnly)
 * ```
 *
 * A message sent back counts as consumed here: its copy in the retry topic carries it from
 * now on. Every `consumeTimeout` minutes, buffered messages whose call started longer ago
 * than that are sent back too (delay level 3), so one hung call cannot pin the offset.
 *
 * Differences from RocketMQ 4.9.x:
 * - A counter of calls in flight replaces the thread pool (`consumeThreadMax` is the limit;
 *   `consumeThreadMin` has no meaning). Listener calls start on a microtask, not a thread.
 * - No consume hooks and no stats manager (events instead).
 *
 * @mirrors org.apache.rocketmq.client.impl.consumer.ConsumeMessageConcurrentlyService
 * @article pull-consume-2 "Concurrent consumption"
 * @emits client.consume.started, client.consume.succeeded, client.consume.failed
 * @category Client
 * @module
 */
import { MessageConst } from '../../common/message/message-const.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue-keyed-map.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { TimerHandle } from '../../platform/clock.js';
import type { ConsumeMessageService } from './consume-message-service.js';
import type { DefaultMQPushConsumerImpl } from './default-mq-push-consumer-impl.js';
import { ConsumeConcurrentlyStatus, newConsumeConcurrentlyContext, type ConsumeConcurrentlyContext, type MessageListenerConcurrently } from './listener/message-listener.js';
import { messageQueueKey } from './message-queue-map.js';
import type { ProcessQueue } from './process-queue.js';

/** Java: a message whose send-back failed is consumed again after this many ms. */
const RECONSUME_LOCALLY_DELAY_MILLIS = 5_000;

/** One listener call's worth of messages (Java's inner `ConsumeRequest`). */
interface ConsumeRequest {
  msgs: MessageExt[];
  processQueue: ProcessQueue;
  messageQueue: MessageQueue;
}

export class ConsumeMessageConcurrentlyService implements ConsumeMessageService {
  private readonly pending: ConsumeRequest[] = [];
  private readonly timers = new Set<TimerHandle>();
  private inflight = 0;
  private stopped = false;

  private readonly events: NodeEvents;

  constructor(private readonly impl: DefaultMQPushConsumerImpl, private readonly messageListener: MessageListenerConcurrently) {
    this.events = impl.events.withLane('ConsumeMessageThread');
  }

  get inflightCalls(): number {
    return this.inflight;
  }

  /** Start the expired-message check (every `consumeTimeout` minutes). */
  start(): void {
    const periodMs = this.impl.settings.consumeTimeout * 60_000;
    const tick = (): void => {
      this.later(periodMs, tick);
      void this.cleanExpireMsg();
    };
    this.later(periodMs, tick);
  }

  shutdown(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
    this.pending.length = 0;
    return Promise.resolve();
  }

  submitConsumeRequest(msgs: readonly MessageExt[], processQueue: ProcessQueue, messageQueue: MessageQueue): void {
    const batchSize = this.impl.settings.consumeMessageBatchMaxSize;
    for (let i = 0; i < msgs.length; i += batchSize) {
      this.pending.push({ msgs: msgs.slice(i, i + batchSize), processQueue, messageQueue });
    }
    this.pump();
  }

  /** Start queued requests while fewer than `consumeThreadMax` calls are in flight. */
  private pump(): void {
    while (!this.stopped && this.inflight < this.impl.settings.consumeThreadMax && this.pending.length > 0) {
      const request = this.pending.shift()!;
      this.inflight++;
      void Promise.resolve()
        .then(() => this.run(request))
        .finally(() => {
          this.inflight--;
          this.pump();
        });
    }
  }

  /** One listener call and its aftermath (Java `ConsumeRequest.run`). */
  private async run(request: ConsumeRequest): Promise<void> {
    const { msgs, processQueue, messageQueue } = request;
    if (processQueue.dropped) return; // Java: "the message queue not be able to consume, because it's dropped"
    const events = this.events;
    const group = this.impl.settings.consumerGroup;
    const mq = messageQueueKey(messageQueue);
    const context = newConsumeConcurrentlyContext(messageQueue);
    this.impl.resetRetryAndNamespace(msgs);
    const begin = this.impl.clock.now();
    for (const msg of msgs) msg.putProperty(MessageConst.PROPERTY_CONSUME_START_TIMESTAMP, String(begin));
    const queueOffsets = msgs.map((m) => m.queueOffset);
    const msgRef = msgs.length === 1 ? this.impl.msgRef(msgs[0]!) : undefined;
    events.emit('client.consume.started', {
      group, mq, mode: 'concurrently', queueOffsets, uniqKeys: msgs.map((m) => m.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX) ?? m.msgId), inflightCalls: this.inflight,
    }, { flow: 'consume', ...(msgRef === undefined ? {} : { msg: msgRef }) });
    let status: ConsumeConcurrentlyStatus | undefined;
    let error: string | undefined;
    try {
      status = (await this.messageListener.consumeMessage(msgs, context)) ?? undefined;
    } catch (thrown) {
      error = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
    }
    const elapsedMs = this.impl.clock.now() - begin;
    if (status === ConsumeConcurrentlyStatus.CONSUME_SUCCESS) {
      events.emit('client.consume.succeeded', { group, mq, queueOffsets, status, elapsedMs }, { flow: 'consume' });
    } else {
      // Java: a null status (returned or after an exception) counts as RECONSUME_LATER.
      status = ConsumeConcurrentlyStatus.RECONSUME_LATER;
      events.emit('client.consume.failed', { group, mq, queueOffsets, status, elapsedMs, ...(error === undefined ? {} : { error }) }, { flow: 'consume' });
    }
    if (processQueue.dropped) return; // Java: "processQueue is dropped without process consume result"
    await this.processConsumeResult(status, context, request);
  }

  /** Send back what failed, then move the commit offset past what is finished. */
  private async processConsumeResult(status: ConsumeConcurrentlyStatus, context: ConsumeConcurrentlyContext, request: ConsumeRequest): Promise<void> {
    const msgs = request.msgs;
    if (msgs.length === 0) return;
    const ackIndex = status === ConsumeConcurrentlyStatus.CONSUME_SUCCESS ? Math.min(context.ackIndex, msgs.length - 1) : -1;
    if (this.impl.settings.messageModel === 'CLUSTERING') {
      const msgBackFailed: MessageExt[] = [];
      for (let i = ackIndex + 1; i < msgs.length; i++) {
        const msg = msgs[i]!;
        try {
          await this.impl.sendMessageBack(msg, context.delayLevelWhenNextConsume, context.messageQueue.brokerName);
        } catch {
          msg.reconsumeTimes++;
          msgBackFailed.push(msg);
        }
      }
      if (msgBackFailed.length > 0) {
        // Not sent back anywhere: keep them buffered (they pin the offset) and consume them again here.
        request.msgs = msgs.filter((m) => !msgBackFailed.includes(m));
        this.later(RECONSUME_LOCALLY_DELAY_MILLIS, () => this.submitConsumeRequest(msgBackFailed, request.processQueue, request.messageQueue));
      }
    }
    // BROADCASTING: Java logs "BROADCASTING, the message consume failed, drop it" for each failure.
    const offset = request.processQueue.removeMessage(request.msgs);
    if (offset >= 0 && !request.processQueue.dropped) this.impl.offsetStore.updateOffset(request.messageQueue, offset, true);
  }

  /** Send back buffered messages whose listener call started more than `consumeTimeout` minutes ago. */
  private async cleanExpireMsg(): Promise<void> {
    const timeoutMs = this.impl.settings.consumeTimeout * 60_000;
    for (const pq of this.impl.rebalanceImpl.processQueueTable.values()) {
      await pq.cleanExpiredMsg(timeoutMs, async (msg, delayLevel) => {
        await this.impl.sendMessageBack(msg, delayLevel, msg.brokerName.length > 0 ? msg.brokerName : undefined);
      });
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
