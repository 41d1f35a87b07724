/**
 * The listener contract of the push consumer: the function an application hands over, what
 * it may answer, and the context it can adjust.
 *
 * A push consumer calls the application, not the other way round. Two kinds of listener
 * exist and they promise different things:
 *
 * - **Concurrently** (the default): messages of one queue may be consumed in parallel and in
 *   any order. Answering `RECONSUME_LATER` (or throwing) sends the message back to the
 *   broker, which redelivers it later through the group's retry topic; the queue moves on.
 * - **Orderly** (`orderly: true`): one call at a time per queue, in queue order, while this
 *   consumer holds the broker's lock on the queue. Answering
 *   `SUSPEND_CURRENT_QUEUE_A_MOMENT` (or throwing) retries the same messages in place after
 *   a pause; nothing behind them is delivered meanwhile.
 *
 * A listener may return its status directly or as a promise (an `async` listener). While a
 * promise is pending the consumer counts the call as in flight.
 *
 * ```ts
 *   consumer.registerMessageListener({
 *     consumeMessage: async (msgs, context) => {
 *       await handle(msgs[0]!);
 *       return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
 *     },
 *   });
 *   consumer.registerMessageListener({ orderly: true, consumeMessage: (msgs) => ConsumeOrderlyStatus.SUCCESS });
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - One `orderly` flag tells the two listener kinds apart (Java: which interface the object implements).
 * - Contexts are plain objects with writable fields instead of beans.
 *
 * @mirrors org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently
 * @mirrors org.apache.rocketmq.client.consumer.listener.MessageListenerOrderly
 * @mirrors org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus
 * @mirrors org.apache.rocketmq.client.consumer.listener.ConsumeOrderlyStatus
 * @mirrors org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyContext
 * @mirrors org.apache.rocketmq.client.consumer.listener.ConsumeOrderlyContext
 * @article pull-consume-2 "Handing messages to the application"
 * @category Client
 * @module
 */
import type { MessageExt } from '../../../common/message/message-ext.js';
import type { MessageQueue } from '../../../common/protocol/body/message-queue-keyed-map.js';

/** What a concurrent listener answers (Java `ConsumeConcurrentlyStatus`). */
export const ConsumeConcurrentlyStatus = {
  /** Done: the messages (up to `ackIndex`) count as consumed. */
  CONSUME_SUCCESS: 'CONSUME_SUCCESS',
  /** Failed: send every message of the call back for a later retry. */
  RECONSUME_LATER: 'RECONSUME_LATER',
} as const;
export type ConsumeConcurrentlyStatus = (typeof ConsumeConcurrentlyStatus)[keyof typeof ConsumeConcurrentlyStatus];

/** What an orderly listener answers (Java `ConsumeOrderlyStatus`). */
export const ConsumeOrderlyStatus = {
  /** Done: commit the queue offset past these messages. */
  SUCCESS: 'SUCCESS',
  /** Java: deprecated; with `autoCommit` off, put the messages back and retry them. */
  ROLLBACK: 'ROLLBACK',
  /** Java: deprecated; with `autoCommit` off, commit now. */
  COMMIT: 'COMMIT',
  /** Failed: pause this queue and retry the same messages after `suspendCurrentQueueTimeMillis`. */
  SUSPEND_CURRENT_QUEUE_A_MOMENT: 'SUSPEND_CURRENT_QUEUE_A_MOMENT',
} as const;
export type ConsumeOrderlyStatus = (typeof ConsumeOrderlyStatus)[keyof typeof ConsumeOrderlyStatus];

/** Java: `Integer.MAX_VALUE`, the ackIndex that means "all of them". */
const ACK_ALL = 2_147_483_647;

/** Passed to a concurrent listener; it may change the fields before it returns. */
export interface ConsumeConcurrentlyContext {
  readonly messageQueue: MessageQueue;
  /**
   * Delay level of the retry when the call fails: 0 lets the broker decide (3 + reconsume
   * times), -1 sends straight to the dead-letter queue, 1..18 picks a level.
   */
  delayLevelWhenNextConsume: number;
  /** On CONSUME_SUCCESS, the index of the last message that succeeded; the rest are sent back. */
  ackIndex: number;
}

/** Passed to an orderly listener. */
export interface ConsumeOrderlyContext {
  readonly messageQueue: MessageQueue;
  /** Commit after each SUCCESS (default true); when false the listener answers COMMIT itself. */
  autoCommit: boolean;
  /** Pause before the retry after SUSPEND_CURRENT_QUEUE_A_MOMENT; -1 uses the consumer's setting. */
  suspendCurrentQueueTimeMillis: number;
}

export interface MessageListenerConcurrently {
  readonly orderly?: false;
  /** Consume `msgs` (at most `consumeMessageBatchMaxSize`, default 1). Throwing counts as RECONSUME_LATER. */
  consumeMessage(msgs: readonly MessageExt[], context: ConsumeConcurrentlyContext): ConsumeConcurrentlyStatus | Promise<ConsumeConcurrentlyStatus>;
}

export interface MessageListenerOrderly {
  readonly orderly: true;
  /** Consume `msgs` in queue order. Throwing counts as SUSPEND_CURRENT_QUEUE_A_MOMENT. */
  consumeMessage(msgs: readonly MessageExt[], context: ConsumeOrderlyContext): ConsumeOrderlyStatus | Promise<ConsumeOrderlyStatus>;
}

/** Either listener kind (Java `MessageListener`). */
export type MessageListener = MessageListenerConcurrently | MessageListenerOrderly;

export function newConsumeConcurrentlyContext(messageQueue: MessageQueue): ConsumeConcurrentlyContext {
  return { messageQueue, delayLevelWhenNextConsume: 0, ackIndex: ACK_ALL };
}

export function newConsumeOrderlyContext(messageQueue: MessageQueue): ConsumeOrderlyContext {
  return { messageQueue, autoCommit: true, suspendCurrentQueueTimeMillis: -1 };
}
