/**
 * RebalancePushImpl: the push consumer's answers to the rebalance's questions: where a new
 * queue starts, and what giving a queue away involves.
 *
 * **Where a new queue starts** (`computePullFromWhere`). First the group's stored offset
 * (QUERY_CONSUMER_OFFSET, or the local file when broadcasting). Only when there is none
 * (-1: a new group, or a new queue) does `consumeFromWhere` decide:
 *
 * ```
 *   stored offset ≥ 0                       ─► start there                       (any setting)
 *   none, CONSUME_FROM_LAST_OFFSET          ─► GET_MAX_OFFSET: only new messages  (retry topic: 0)
 *   none, CONSUME_FROM_FIRST_OFFSET         ─► 0
 *   none, CONSUME_FROM_TIMESTAMP            ─► SEARCH_OFFSET_BY_TIMESTAMP(consumeTimestamp)
 *                                                                                (retry topic: max)
 *   the store could not be asked (-2)       ─► -1: skip the queue this round
 * ```
 *
 * Java: the broker answers QUERY_CONSUMER_OFFSET with 0 rather than "not found" while the
 * queue's first message is still in memory, so on a fresh broker a new group with
 * LAST_OFFSET starts at 0 and sees everything. That surprises people and is kept.
 *
 * **Giving a queue away** (`removeUnnecessaryMessageQueue`): persist its offset and forget it;
 * an orderly clustering consumer also gives back the broker lock, but only once no listener
 * call is running on the queue (it waits up to 1 s for the queue's consume lock, else keeps
 * the queue for the next round), and 20 s later if messages are still buffered, so that the
 * new owner does not start while this one may still be finishing.
 *
 * Differences from RocketMQ 4.9.x:
 * - `consumeTimestamp` (`yyyyMMddHHmmss`) is read in the zone the consumer's
 *   `consumeTimestampUtcOffsetMinutes` names (Java: the JVM's default zone).
 *
 * @mirrors org.apache.rocketmq.client.impl.consumer.RebalancePushImpl
 * @article pull-consume-1 "Where a new queue starts"
 * @category Client
 * @module
 */
import type { MessageQueue } from '../../common/protocol/body/message-queue-keyed-map.js';
import type { ConsumeType } from '../../common/protocol/heartbeat/consume-type.js';
import { humanStringToTimeMillis } from '../../common/time-format.js';
import { ClientErrorCode, MQClientError } from '../errors.js';
import type { DefaultMQPushConsumerImpl } from './default-mq-push-consumer-impl.js';
import type { ProcessQueue } from './process-queue.js';
import type { PullRequest } from './pull-request.js';
import { RebalanceImpl, type PullFromWhere, type RebalanceImplOptions } from './rebalance-impl.js';
import { ReadOffsetType } from './store/offset-store.js';

/** Java `UNLOCK_DELAY_TIME_MILLS`: how long an orderly queue with buffered messages keeps its lock after it is given away. */
export const UNLOCK_DELAY_TIME_MILLIS = 20_000;
/** Java: how long the rebalance waits for a running orderly listener call before it gives up on the queue for this round. */
const CONSUME_LOCK_WAIT_MILLIS = 1_000;

export class RebalancePushImpl extends RebalanceImpl {
  constructor(options: RebalanceImplOptions, private readonly impl: DefaultMQPushConsumerImpl) {
    super(options);
  }

  /**
   * The allocation changed: stamp the subscription with a new version and heartbeat at once,
   * so the brokers accept the new version before pulls carry it. With topic-wide flow-control
   * thresholds set, split them over the queues now held.
   */
  async messageQueueChanged(topic: string): Promise<void> {
    const subscriptionData = this.subscriptionInner.get(topic);
    if (subscriptionData !== undefined) subscriptionData.subVersion = this.clock.now();
    const queueCount = this.processQueueTable.size;
    const settings = this.impl.settings;
    if (queueCount !== 0) {
      if (settings.pullThresholdForTopic !== -1) settings.pullThresholdForQueue = Math.max(1, Math.floor(settings.pullThresholdForTopic / queueCount));
      if (settings.pullThresholdSizeForTopic !== -1) {
        settings.pullThresholdSizeForQueue = Math.max(1, Math.floor(settings.pullThresholdSizeForTopic / queueCount));
      }
    }
    await this.client.sendHeartbeatToAllBrokerWithLock();
  }

  async removeUnnecessaryMessageQueue(mq: MessageQueue, pq: ProcessQueue): Promise<boolean> {
    const offsetStore = this.impl.offsetStore;
    await offsetStore.persist(mq);
    offsetStore.removeOffset(mq);
    if (!this.impl.consumeOrderly || this.messageModel !== 'CLUSTERING') return true;
    if (!(await pq.consumeLock.tryLock(CONSUME_LOCK_WAIT_MILLIS, this.clock))) {
      pq.tryUnlockTimes++; // Java: "[WRONG]mq is consuming, so can not unlock it"
      return false;
    }
    try {
      this.unlockDelay(mq, pq);
      return true;
    } finally {
      pq.consumeLock.unlock();
    }
  }

  private unlockDelay(mq: MessageQueue, pq: ProcessQueue): void {
    const unlock = (): void => void this.unlock(mq, true);
    if (pq.hasTempMessage()) this.impl.executeTaskLater(unlock, UNLOCK_DELAY_TIME_MILLIS);
    else unlock();
  }

  consumeType(): ConsumeType {
    return 'CONSUME_PASSIVELY';
  }

  removeDirtyOffset(mq: MessageQueue): void {
    this.impl.offsetStore.removeOffset(mq);
  }

  protected offsetInMemory(mq: MessageQueue): number {
    const entry = this.impl.offsetStore.cloneOffsetTable(mq.topic).find(([m]) => m.brokerName === mq.brokerName && m.queueId === mq.queueId);
    return entry?.[1] ?? -1;
  }

  async computePullFromWhere(mq: MessageQueue): Promise<PullFromWhere> {
    const lastOffset = await this.impl.offsetStore.readOffset(mq, ReadOffsetType.READ_FROM_STORE);
    if (lastOffset >= 0) return { offset: lastOffset, from: 'stored' };
    const where = this.impl.settings.consumeFromWhere;
    if (lastOffset !== -1) return { offset: -1, from: where === 'CONSUME_FROM_FIRST_OFFSET' ? 'first-offset' : 'max-offset' };
    switch (where) {
      case 'CONSUME_FROM_FIRST_OFFSET':
        return { offset: 0, from: 'first-offset' };
      case 'CONSUME_FROM_TIMESTAMP': {
        if (this.isRetryTopic(mq)) return { offset: await this.maxOffset(mq), from: 'max-offset' };
        const timestamp = humanStringToTimeMillis(`${this.impl.settings.consumeTimestamp}000`, this.impl.settings.consumeTimestampUtcOffsetMinutes);
        if (timestamp === undefined) return { offset: -1, from: 'timestamp' };
        return { offset: await this.searchOffset(mq, timestamp), from: 'timestamp' };
      }
      default:
        // LAST_OFFSET and the deprecated MIN/MAX variants all behave as LAST_OFFSET in 4.9.
        if (this.isRetryTopic(mq)) return { offset: 0, from: 'retry-topic-zero' };
        return { offset: await this.maxOffset(mq), from: 'max-offset' };
    }
  }

  dispatchPullRequest(pullRequestList: readonly PullRequest[]): void {
    for (const pullRequest of pullRequestList) this.impl.executePullRequestImmediately(pullRequest);
  }

  /** GET_MAX_OFFSET of `mq` from its master (Java `MQAdminImpl.maxOffset`). */
  async maxOffset(mq: MessageQueue): Promise<number> {
    const client = this.impl.mQClientFactory;
    return client.mqClientAPIImpl.getMaxOffset(await this.masterAddress(mq), mq.topic, mq.queueId, client.clientConfig.mqClientApiTimeout);
  }

  /** SEARCH_OFFSET_BY_TIMESTAMP of `mq` from its master (Java `MQAdminImpl.searchOffset`). */
  async searchOffset(mq: MessageQueue, timestamp: number): Promise<number> {
    const client = this.impl.mQClientFactory;
    return client.mqClientAPIImpl.searchOffset(await this.masterAddress(mq), mq.topic, mq.queueId, timestamp, client.clientConfig.mqClientApiTimeout);
  }

  private async masterAddress(mq: MessageQueue): Promise<string> {
    const client = this.impl.mQClientFactory;
    let addr = client.findBrokerAddressInPublish(mq.brokerName);
    if (addr === undefined) {
      await client.updateTopicRouteInfoFromNameServer(mq.topic);
      addr = client.findBrokerAddressInPublish(mq.brokerName);
    }
    if (addr === undefined) throw new MQClientError(ClientErrorCode.BROKER_NOT_EXIST_EXCEPTION, `The broker[${mq.brokerName}] not exist`);
    return addr;
  }
}
