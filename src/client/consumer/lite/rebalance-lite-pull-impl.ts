/**
 * RebalanceLitePullImpl: the rebalance of a lite pull consumer that subscribed to topics,
 * which hands the queues it wins to the consumer's pull tasks instead of to a pull loop.
 *
 * The round itself is the shared {@link RebalanceImpl}: every 20 s, or when a broker says
 * the group changed, each member sorts the topic's queues and the group's client ids and
 * applies the same allocation strategy, so members agree on who reads what. This subclass
 * fills in what differs from the push consumer:
 *
 * - a new queue does not start a PullRequest (`dispatchPullRequest` does nothing); instead,
 *   when the allocation changed, `messageQueueChanged` tells the consumer, which updates its
 *   `AssignedMessageQueue` table and starts or cancels one pull task per queue;
 * - a queue taken away has its offset persisted and forgotten, with no lock to release;
 * - where a new queue starts is read memory-first (the application may have committed or
 *   seeked already), then from the offset store, and only when the group has no offset
 *   does `consumeFromWhere` decide:
 *
 * ```
 *   stored offset ≥ 0            → that offset
 *   none (-1), LAST_OFFSET        → %RETRY% topic: 0, else GET_MAX_OFFSET
 *   none (-1), FIRST_OFFSET       → 0
 *   none (-1), TIMESTAMP          → %RETRY% topic: GET_MAX_OFFSET, else SEARCH_OFFSET_BY_TIMESTAMP
 *   store unreachable (-2)        → -1: try again next round
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - `consumeTimestamp` is epoch milliseconds (Java: a `yyyyMMddHHmmss` string).
 *
 * @mirrors org.apache.rocketmq.client.impl.consumer.RebalanceLitePullImpl
 * @article pull-consume-2 "The lite pull consumer"
 * @emits client.rebalance.started, client.rebalance.computed, client.queue.added, client.queue.dropped
 * @category Client
 * @module
 */
import type { MessageQueue } from '../../../common/protocol/body/message-queue-keyed-map.js';
import type { ConsumeFromWhere } from '../../../common/protocol/heartbeat/consume-from-where.js';
import type { ConsumeType } from '../../../common/protocol/heartbeat/consume-type.js';
import type { ProcessQueue } from '../process-queue.js';
import type { PullRequest } from '../pull-request.js';
import { RebalanceImpl, type PullFromWhere, type RebalanceImplOptions } from '../rebalance-impl.js';
import { ReadOffsetType, type OffsetStore } from '../store/offset-store.js';
import type { MQAdminImpl } from './mq-admin-impl.js';

/** What the rebalance needs from the lite pull consumer. */
export interface LitePullRebalanceHost {
  /** The offset store (exists once the consumer started). */
  getOffsetStore(): OffsetStore;
  readonly admin: MQAdminImpl;
  /** `consumeTimestamp` is epoch ms, for CONSUME_FROM_TIMESTAMP. */
  readonly settings: { readonly consumeFromWhere: ConsumeFromWhere; readonly consumeTimestamp: number };
  /** The queues this client reads of `topic` changed (`mqAll` every queue, `mqDivided` ours). */
  messageQueueChanged(topic: string, mqAll: readonly MessageQueue[], mqDivided: readonly MessageQueue[]): void;
}

export class RebalanceLitePullImpl extends RebalanceImpl {
  constructor(options: RebalanceImplOptions, private readonly host: LitePullRebalanceHost) {
    super(options);
  }

  messageQueueChanged(topic: string, mqAll: readonly MessageQueue[], mqDivided: readonly MessageQueue[]): Promise<void> {
    // Java catches whatever the listener throws and logs "messageQueueChanged exception".
    try {
      this.host.messageQueueChanged(topic, mqAll, mqDivided);
    } catch {
      // The next round calls it again if the allocation is still different.
    }
    return Promise.resolve();
  }

  async removeUnnecessaryMessageQueue(mq: MessageQueue, _pq: ProcessQueue): Promise<boolean> {
    const store = this.host.getOffsetStore();
    await store.persist(mq);
    store.removeOffset(mq);
    return true;
  }

  consumeType(): ConsumeType {
    return 'CONSUME_ACTIVELY';
  }

  removeDirtyOffset(mq: MessageQueue): void {
    this.host.getOffsetStore().removeOffset(mq);
  }

  async computePullFromWhere(mq: MessageQueue): Promise<PullFromWhere> {
    const lastOffset = await this.host.getOffsetStore().readOffset(mq, ReadOffsetType.MEMORY_FIRST_THEN_STORE);
    if (lastOffset >= 0) return { offset: lastOffset, from: 'stored' };
    if (lastOffset !== -1) return { offset: -1, from: 'stored' };
    switch (this.host.settings.consumeFromWhere) {
      case 'CONSUME_FROM_FIRST_OFFSET':
        return { offset: 0, from: 'first-offset' };
      case 'CONSUME_FROM_TIMESTAMP':
        if (this.isRetryTopic(mq)) return { offset: await this.maxOffsetOrFail(mq), from: 'max-offset' };
        return { offset: await this.searchOffsetOrFail(mq), from: 'timestamp' };
      default:
        // CONSUME_FROM_LAST_OFFSET and the deprecated values Java treats the same way.
        if (this.isRetryTopic(mq)) return { offset: 0, from: 'retry-topic-zero' };
        return { offset: await this.maxOffsetOrFail(mq), from: 'max-offset' };
    }
  }

  dispatchPullRequest(_pullRequestList: readonly PullRequest[]): void {
    // The lite pull consumer starts pull tasks from messageQueueChanged instead.
  }

  protected offsetInMemory(mq: MessageQueue): number {
    return this.host.getOffsetStore().cloneOffsetTable(mq.topic).find(([m]) => m.brokerName === mq.brokerName && m.queueId === mq.queueId)?.[1] ?? -1;
  }

  /** Java: a failed GET_MAX_OFFSET gives -1 (the queue waits for the next round). */
  private async maxOffsetOrFail(mq: MessageQueue): Promise<number> {
    try {
      return await this.host.admin.maxOffset(mq);
    } catch {
      return -1;
    }
  }

  private async searchOffsetOrFail(mq: MessageQueue): Promise<number> {
    try {
      return await this.host.admin.searchOffset(mq, this.host.settings.consumeTimestamp);
    } catch {
      return -1;
    }
  }
}
