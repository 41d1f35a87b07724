/**
 * PullRequest: the token that keeps one queue's pull loop going.
 *
 * The rebalance creates exactly one PullRequest per assigned queue. It travels around a
 * loop: the PullMessageService hands it to the consumer, which pulls from `nextOffset`,
 * moves `nextOffset` to the broker's `nextBeginOffset`, and puts the same object back into
 * the service (at once, or after a delay). The loop ends when the ProcessQueue is dropped:
 * the next turn sees `processQueue.dropped` and lets the token fall.
 *
 * ```
 *   rebalance ──new──► PullMessageService ──► pullMessage(req) ──► broker
 *                           ▲                                        │
 *                           └──── executePullRequestImmediately ◄────┘ nextOffset = nextBeginOffset
 * ```
 *
 * Differences from RocketMQ 4.9.x: a plain class with public fields.
 *
 * @mirrors org.apache.rocketmq.client.impl.consumer.PullRequest
 * @article pull-consume-1 "PullRequest: one token per queue"
 * @category Client
 * @module
 */
import type { MessageQueue } from '../../common/protocol/body/message-queue-keyed-map.js';
import type { ProcessQueue } from './process-queue.js';

export class PullRequest {
  /** Orderly: whether the offset was already re-read from the broker after the queue's lock was taken. */
  previouslyLocked = false;

  constructor(
    readonly consumerGroup: string,
    readonly messageQueue: MessageQueue,
    readonly processQueue: ProcessQueue,
    /** The queue offset the next pull starts at. */
    public nextOffset: number,
  ) {}

  toString(): string {
    const mq = this.messageQueue;
    return `PullRequest [consumerGroup=${this.consumerGroup}, messageQueue=${mq.topic}@${mq.brokerName}@${mq.queueId}, nextOffset=${this.nextOffset}]`;
  }
}
