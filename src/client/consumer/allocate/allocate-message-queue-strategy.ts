/**
 * The allocation strategy port: how one consumer of a group picks its share of a topic's
 * queues, knowing only the sorted queue list and the sorted list of its peers.
 *
 * Every member of a clustering group runs the same strategy on the same two sorted lists
 * and keeps only the slice that falls to its own client id. Nobody coordinates: if all
 * members see the same lists they get disjoint slices that cover every queue, and if they
 * briefly disagree (one has heard about a new member, another has not) a queue can be read
 * by two members or by none until the next round. That is why rebalancing runs every 20 s
 * and again whenever a broker says the group changed.
 *
 * Differences from RocketMQ 4.9.x:
 * - A plain interface plus one checking function instead of an abstract base class.
 * - Bad arguments are a `RangeError` (Java: `IllegalArgumentException`).
 *
 * @mirrors org.apache.rocketmq.client.consumer.AllocateMessageQueueStrategy
 * @mirrors org.apache.rocketmq.client.consumer.rebalance.AbstractAllocateMessageQueueStrategy
 * @article pull-consume-1 "Rebalance: who reads which queue"
 * @category Client
 * @module
 */
import type { MessageQueue } from '../../../common/protocol/body/message-queue-keyed-map.js';

export interface AllocateMessageQueueStrategy {
  /** Short name shown in events and logs (Java `getName()`: "AVG", "AVG_BY_CIRCLE"). */
  readonly name: string;
  /**
   * The queues `currentCID` should consume.
   *
   * @param consumerGroup the group (used only in messages)
   * @param currentCID this client's id
   * @param mqAll every queue of the topic, sorted (Java `MessageQueue.compareTo`)
   * @param cidAll every client id of the group, sorted
   */
  allocate(consumerGroup: string, currentCID: string, mqAll: readonly MessageQueue[], cidAll: readonly string[]): MessageQueue[];
}

/**
 * The argument check every Java strategy starts with. Empty inputs are a caller bug (the
 * rebalance never calls a strategy without queues and members); a client missing from
 * `cidAll` is normal for a moment after it starts (the broker has not seen its heartbeat
 * yet), so it answers `false` and the strategy returns nothing.
 */
export function checkAllocateArguments(_consumerGroup: string, currentCID: string, mqAll: readonly MessageQueue[], cidAll: readonly string[]): boolean {
  if (currentCID.length === 0) throw new RangeError('currentCID is empty');
  if (mqAll.length === 0) throw new RangeError('mqAll is null or mqAll empty');
  if (cidAll.length === 0) throw new RangeError('cidAll is null or cidAll empty');
  // Java logs "[BUG] ConsumerGroup: {} The consumerId: {} not in cidAll: {}" and allocates nothing.
  return cidAll.includes(currentCID);
}
