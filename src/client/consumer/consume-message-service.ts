/**
 * ConsumeMessageService: how buffered messages reach the listener, in one of two flavours.
 *
 * The pull loop only fills ProcessQueues; after each successful pull it calls
 * `submitConsumeRequest` and goes back to pulling. What happens next depends on the listener:
 * `ConsumeMessageConcurrentlyService` runs many listener calls at once and sends failures
 * back to the broker; `ConsumeMessageOrderlyService` runs one call at a time per locked
 * queue and retries failures in place.
 *
 * Differences from RocketMQ 4.9.x:
 * - No thread-pool resizing methods; `shutdown` is async (it may unlock queues on the broker).
 *
 * @mirrors org.apache.rocketmq.client.impl.consumer.ConsumeMessageService
 * @article pull-consume-2 "Handing messages to the application"
 * @category Client
 * @module
 */
import type { MessageExt } from '../../common/message/message-ext.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue-keyed-map.js';
import type { ProcessQueue } from './process-queue.js';

export interface ConsumeMessageService {
  start(): void;
  shutdown(): Promise<void>;
  /**
   * New messages of `messageQueue` are in `processQueue`. `dispatchToConsume` is the
   * ProcessQueue's answer to `putMessage`: the orderly service starts a request only when
   * it is true (none is running for the queue); the concurrent one always does.
   */
  submitConsumeRequest(msgs: readonly MessageExt[], processQueue: ProcessQueue, messageQueue: MessageQueue, dispatchToConsume: boolean): void;
  /** Listener calls in progress (the concurrency the service is using). */
  readonly inflightCalls: number;
}
