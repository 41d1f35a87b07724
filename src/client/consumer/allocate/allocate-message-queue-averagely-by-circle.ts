/**
 * AllocateMessageQueueAveragelyByCircle: deal the sorted queues out like cards, queue i to
 * consumer `i mod c`.
 *
 * The counts come out the same as `AllocateMessageQueueAveragely`'s, but each
 * consumer's queues are spread along the list instead of forming one block. When queues are
 * sorted by broker, that spreads every consumer over every broker, so losing one broker
 * takes a little from everybody rather than everything from a few.
 *
 * Worked example: 8 queues, 3 consumers.
 *
 * ```
 *   mqAll   q0  q1  q2  q3  q4  q5  q6  q7
 *   owner   c0  c1  c2  c0  c1  c2  c0  c1      (i mod 3)
 *
 *   c0: q0 q3 q6     c1: q1 q4 q7     c2: q2 q5
 * ```
 *
 * Differences from RocketMQ 4.9.x: none.
 *
 * @mirrors org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueAveragelyByCircle
 * @article pull-consume-1 "Rebalance: who reads which queue"
 * @category Client
 * @module
 */
import type { MessageQueue } from '../../../common/protocol/body/message-queue-keyed-map.js';
import { checkAllocateArguments, type AllocateMessageQueueStrategy } from './allocate-message-queue-strategy.js';

export class AllocateMessageQueueAveragelyByCircle implements AllocateMessageQueueStrategy {
  readonly name = 'AVG_BY_CIRCLE';

  allocate(consumerGroup: string, currentCID: string, mqAll: readonly MessageQueue[], cidAll: readonly string[]): MessageQueue[] {
    if (!checkAllocateArguments(consumerGroup, currentCID, mqAll, cidAll)) return [];
    const index = cidAll.indexOf(currentCID);
    const result: MessageQueue[] = [];
    for (let i = index; i < mqAll.length; i += cidAll.length) result.push(mqAll[i]!);
    return result;
  }
}
