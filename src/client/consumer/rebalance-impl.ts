/**
 * RebalanceImpl: decide which queues of each subscribed topic this consumer reads, and
 * create or drop the per-queue state to match.
 *
 * Every member of a group runs this on its own, every 20 s and whenever a broker announces
 * that the group changed (NOTIFY_CONSUMER_IDS_CHANGED). For each subscribed topic:
 *
 * ```
 *   CLUSTERING                                            BROADCASTING
 *   mqAll  = the topic's readable queues, sorted          mqAll = the topic's readable queues
 *   cidAll = GET_CONSUMER_LIST_BY_GROUP, sorted           (every member takes all of them)
 *   mine   = strategy.allocate(group, me, mqAll, cidAll)
 *
 *   then, against processQueueTable:
 *     a queue there but not in `mine`  ─► drop it: mark dropped, persist its offset, (orderly) unlock
 *     a queue in `mine` but not there  ─► (orderly) lock it first; compute where to start;
 *                                          new ProcessQueue + PullRequest ─► pull loop starts
 *     a queue not pulled for 120 s     ─► drop it; the next round re-creates it
 * ```
 *
 * Because the inputs are sorted and the strategy is deterministic, members that see the
 * same lists agree without talking to each other. Members briefly disagree while a join or
 * a leave propagates; clustering accepts that (a queue read twice for a moment), and orderly
 * consumers close the gap with broker-side queue locks.
 *
 * The push consumer (RebalancePushImpl) fills in the abstract steps: what "drop" and
 * "start" mean, and where a new queue starts (consumeFromWhere).
 *
 * Differences from RocketMQ 4.9.x:
 * - Rounds never overlap: a round requested while one runs starts again when it ends.
 * - `removeUnnecessaryMessageQueue` and the offset computation are async (they may wait for RPCs).
 *
 * @mirrors org.apache.rocketmq.client.impl.consumer.RebalanceImpl
 * @article pull-consume-1 "Rebalance: who reads which queue"
 * @emits client.rebalance.started, client.rebalance.computed, client.queue.added, client.queue.dropped, client.queue.locked, client.queue.unlocked
 * @category Client
 * @module
 */
import { MASTER_ID, isRetryTopic } from '../../common/mix-all.js';
import { compareMessageQueue, type MessageQueue } from '../../common/protocol/body/message-queue-keyed-map.js';
import type { ConsumeType } from '../../common/protocol/heartbeat/consume-type.js';
import type { MessageModel } from '../../common/protocol/heartbeat/message-model.js';
import type { SubscriptionData } from '../../common/protocol/heartbeat/subscription-data.js';
import type { QueueDropReason } from '../../events/kinds/client-consumer-events.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';
import type { MQClientInstance } from '../mq-client-instance.js';
import type { AllocateMessageQueueStrategy } from './allocate/allocate-message-queue-strategy.js';
import { MessageQueueMap, messageQueueKey } from './message-queue-map.js';
import { ProcessQueue } from './process-queue.js';
import { PullRequest } from './pull-request.js';

/** What the rebalance needs from the client instance. */
export type RebalanceClient = Pick<MQClientInstance, 'clientId' | 'mqClientAPIImpl' | 'findBrokerAddressInSubscribe' | 'findConsumerIdList' | 'sendHeartbeatToAllBrokerWithLock'>;

/** Where a new queue's first pull starts, and why (for the `client.queue.added` event). */
export interface PullFromWhere {
  /** The queue offset to start at; < 0 means "could not tell, try again next round". */
  offset: number;
  from: 'stored' | 'max-offset' | 'first-offset' | 'timestamp' | 'retry-topic-zero';
}

export interface RebalanceImplOptions {
  consumerGroup: string;
  messageModel: MessageModel;
  allocateMessageQueueStrategy: AllocateMessageQueueStrategy;
  client: RebalanceClient;
  clock: Clock;
  events: NodeEvents;
}

/** Java: the queue lock RPCs use a fixed 1 s timeout. */
const LOCK_RPC_TIMEOUT_MILLIS = 1_000;

export abstract class RebalanceImpl {
  readonly processQueueTable = new MessageQueueMap<ProcessQueue>();
  /** The readable queues of each subscribed topic, from the last route refresh. */
  readonly topicSubscribeInfoTable = new Map<string, MessageQueue[]>();
  readonly subscriptionInner = new Map<string, SubscriptionData>();
  readonly consumerGroup: string;
  messageModel: MessageModel;
  allocateMessageQueueStrategy: AllocateMessageQueueStrategy;
  protected readonly client: RebalanceClient;
  protected readonly clock: Clock;
  protected readonly events: NodeEvents;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(options: RebalanceImplOptions) {
    this.consumerGroup = options.consumerGroup;
    this.messageModel = options.messageModel;
    this.allocateMessageQueueStrategy = options.allocateMessageQueueStrategy;
    this.client = options.client;
    this.clock = options.clock;
    this.events = options.events.withLane('RebalanceService');
  }

  // ---------------------------------------------------------------------------------------
  // Broker queue locks (orderly consumers).

  /** LOCK_BATCH_MQ for one queue on its master; true when this client now holds it. */
  async lock(mq: MessageQueue): Promise<boolean> {
    const locked = await this.lockOnBroker(mq.brokerName, [mq], 'lock');
    return locked.has(messageQueueKey(mq));
  }

  /** Renew the locks of every assigned queue, one LOCK_BATCH_MQ per broker; queues refused are marked unlocked. */
  async lockAll(): Promise<void> {
    for (const [brokerName, mqs] of this.buildProcessQueueTableByBrokerName()) {
      const locked = await this.lockOnBroker(brokerName, mqs, 'lockAll');
      for (const mq of mqs) {
        const pq = this.processQueueTable.get(mq);
        if (pq !== undefined && !locked.has(messageQueueKey(mq))) pq.locked = false;
      }
    }
  }

  /** UNLOCK_BATCH_MQ for one queue. */
  async unlock(mq: MessageQueue, oneway: boolean): Promise<void> {
    await this.unlockOnBroker(mq.brokerName, [mq], oneway);
  }

  /** UNLOCK_BATCH_MQ for every assigned queue (at shutdown); their process queues are marked unlocked. */
  async unlockAll(oneway: boolean): Promise<void> {
    for (const [brokerName, mqs] of this.buildProcessQueueTableByBrokerName()) {
      if (!(await this.unlockOnBroker(brokerName, mqs, oneway))) continue;
      for (const mq of mqs) {
        const pq = this.processQueueTable.get(mq);
        if (pq !== undefined) pq.locked = false;
      }
    }
  }

  /** Ask the master of `brokerName` to lock `mqs`; marks the granted ones locked. Failures grant nothing. */
  private async lockOnBroker(brokerName: string, mqs: MessageQueue[], via: 'lock' | 'lockAll'): Promise<Set<string>> {
    const found = this.client.findBrokerAddressInSubscribe(brokerName, MASTER_ID, true);
    if (found === undefined) return new Set();
    let lockOKMQSet: MessageQueue[];
    try {
      const body = { consumerGroup: this.consumerGroup, clientId: this.client.clientId, mqSet: mqs };
      lockOKMQSet = await this.client.mqClientAPIImpl.lockBatchMQ(found.brokerAddr, body, LOCK_RPC_TIMEOUT_MILLIS);
    } catch {
      return new Set(); // Java logs "lockBatchMQ exception"; the queues keep their flags.
    }
    const locked = new Set(lockOKMQSet.map(messageQueueKey));
    for (const mq of lockOKMQSet) {
      const pq = this.processQueueTable.get(mq);
      if (pq === undefined) continue;
      pq.locked = true;
      pq.lastLockTimestamp = this.clock.now();
    }
    const refused = mqs.map(messageQueueKey).filter((key) => !locked.has(key));
    this.events.emit('client.queue.locked', { group: this.consumerGroup, brokerName, mqs: [...locked], refused, via }, { flow: 'rebalance' });
    return locked;
  }

  private async unlockOnBroker(brokerName: string, mqs: MessageQueue[], oneway: boolean): Promise<boolean> {
    const found = this.client.findBrokerAddressInSubscribe(brokerName, MASTER_ID, true);
    if (found === undefined) return false;
    try {
      const body = { consumerGroup: this.consumerGroup, clientId: this.client.clientId, mqSet: mqs };
      await this.client.mqClientAPIImpl.unlockBatchMQ(found.brokerAddr, body, LOCK_RPC_TIMEOUT_MILLIS, oneway);
    } catch {
      return false; // Java logs "unlockBatchMQ exception".
    }
    this.events.emit('client.queue.unlocked', { group: this.consumerGroup, brokerName, mqs: mqs.map(messageQueueKey), oneway }, { flow: 'rebalance' });
    return true;
  }

  private buildProcessQueueTableByBrokerName(): Map<string, MessageQueue[]> {
    const result = new Map<string, MessageQueue[]>();
    for (const mq of this.processQueueTable.keys()) {
      const list = result.get(mq.brokerName);
      if (list === undefined) result.set(mq.brokerName, [mq]);
      else list.push(mq);
    }
    return result;
  }

  // ---------------------------------------------------------------------------------------
  // The rebalance round.

  /**
   * Rebalance every subscribed topic. A call while a round runs makes that round run once
   * more when it ends; both callers wait for it.
   */
  doRebalance(isOrder: boolean): Promise<void> {
    if (this.running !== undefined) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<void> => {
      do {
        this.again = false;
        for (const topic of [...this.subscriptionInner.keys()]) {
          try {
            await this.rebalanceByTopic(topic, isOrder);
          } catch {
            // Java logs "rebalanceByTopic Exception" (except for retry topics) and goes on.
          }
        }
        this.truncateMessageQueueNotMyTopic();
      } while (this.again);
    };
    this.running = run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async rebalanceByTopic(topic: string, isOrder: boolean): Promise<void> {
    this.events.emit('client.rebalance.started', { group: this.consumerGroup, topic, messageModel: this.messageModel }, { flow: 'rebalance' });
    const mqSet = this.topicSubscribeInfoTable.get(topic);
    if (this.messageModel === 'BROADCASTING') {
      if (mqSet === undefined) return; // Java: "doRebalance, {}, but the topic[{}] not exist."
      const changed = await this.updateProcessQueueTableInRebalance(topic, mqSet, isOrder);
      this.emitComputed(topic, 'BROADCASTING', [], mqSet, mqSet, changed);
      if (changed) await this.messageQueueChanged(topic, mqSet, mqSet);
      return;
    }
    const cidAll = await this.client.findConsumerIdList(topic, this.consumerGroup);
    if (mqSet === undefined || cidAll === undefined) return;
    // Both lists sorted the same way on every member: that is what makes them agree.
    const mqAll = [...mqSet].sort(compareMessageQueue);
    const cids = [...cidAll].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const strategy = this.allocateMessageQueueStrategy;
    let allocated: MessageQueue[];
    try {
      allocated = strategy.allocate(this.consumerGroup, this.client.clientId, mqAll, cids);
    } catch {
      return; // Java: "AllocateMessageQueueStrategy.allocate Exception"
    }
    const changed = await this.updateProcessQueueTableInRebalance(topic, allocated, isOrder);
    this.emitComputed(topic, strategy.name, cids, mqAll, allocated, changed);
    if (changed) await this.messageQueueChanged(topic, mqSet, allocated);
  }

  private emitComputed(topic: string, strategy: string, cidAll: string[], mqAll: readonly MessageQueue[], allocated: readonly MessageQueue[], changed: boolean): void {
    const me = this.client.clientId;
    const mine = allocated.map(messageQueueKey);
    this.events.emit('client.rebalance.computed', {
      group: this.consumerGroup, topic, strategy, me, cidAll, mqAll: mqAll.map(messageQueueKey), allocated: mine, changed,
    }, { flow: 'rebalance', why: { rule: strategy, inputs: { cids: cidAll, mqs: mqAll.length, me }, outcome: mine } });
  }

  /** Drop the process queues of topics no longer subscribed. */
  private truncateMessageQueueNotMyTopic(): void {
    for (const [mq, pq] of this.processQueueTable.entries()) {
      if (this.subscriptionInner.has(mq.topic)) continue;
      this.processQueueTable.delete(mq);
      pq.dropped = true;
      this.events.emit('client.queue.dropped', { group: this.consumerGroup, mq: messageQueueKey(mq), reason: 'not-subscribed', offsetPersisted: -1, buffered: pq.msgCount }, { flow: 'rebalance' });
    }
  }

  /**
   * Make the process-queue table of `topic` match `mqSet`: drop what is no longer assigned
   * (or not pulled for 120 s), add what is new. Returns whether anything changed.
   */
  private async updateProcessQueueTableInRebalance(topic: string, mqSet: readonly MessageQueue[], isOrder: boolean): Promise<boolean> {
    let changed = false;
    const wanted = new Set(mqSet.map(messageQueueKey));
    for (const [mq, pq] of this.processQueueTable.entries()) {
      if (mq.topic !== topic) continue;
      if (!wanted.has(messageQueueKey(mq))) {
        if (await this.dropProcessQueue(mq, pq, 'rebalance')) changed = true;
      } else if (pq.isPullExpired() && this.consumeType() === 'CONSUME_PASSIVELY') {
        // Java: "[BUG]doRebalance, {}, remove unnecessary mq, {}, because pull is pause, so try to fixed it"
        if (await this.dropProcessQueue(mq, pq, 'pull-expired')) changed = true;
      }
    }
    const pullRequestList: PullRequest[] = [];
    for (const mq of mqSet) {
      if (this.processQueueTable.has(mq)) continue;
      if (isOrder && !(await this.lock(mq))) continue; // Java: "doRebalance, add a new mq failed, because lock failed"
      this.removeDirtyOffset(mq);
      const pq = new ProcessQueue(this.clock);
      pq.locked = true; // Java sets this before the offset is known, orderly or not.
      let where: PullFromWhere;
      try {
        where = await this.computePullFromWhere(mq);
      } catch {
        continue; // Java: "computePullFromWhere Exception"; retried next round
      }
      if (where.offset < 0 || this.processQueueTable.putIfAbsent(mq, pq) !== undefined) continue;
      pullRequestList.push(new PullRequest(this.consumerGroup, mq, pq, where.offset));
      changed = true;
      this.events.emit('client.queue.added', { group: this.consumerGroup, mq: messageQueueKey(mq), nextOffset: where.offset, from: where.from }, {
        flow: 'rebalance', why: { rule: 'computePullFromWhere', inputs: { mq: messageQueueKey(mq) }, outcome: where },
      });
    }
    this.dispatchPullRequest(pullRequestList);
    return changed;
  }

  /** Mark `pq` dropped and let the subclass release it; removes it from the table when it did. */
  private async dropProcessQueue(mq: MessageQueue, pq: ProcessQueue, reason: QueueDropReason): Promise<boolean> {
    pq.dropped = true;
    const offset = this.offsetInMemory(mq);
    if (!(await this.removeUnnecessaryMessageQueue(mq, pq))) return false;
    this.processQueueTable.delete(mq);
    this.events.emit('client.queue.dropped', { group: this.consumerGroup, mq: messageQueueKey(mq), reason, offsetPersisted: offset, buffered: pq.msgCount }, { flow: 'rebalance' });
    return true;
  }

  /**
   * Take `mq` out of the table now (OFFSET_ILLEGAL, after its offset was fixed): mark it
   * dropped and release it; the next round re-creates it.
   */
  async removeProcessQueue(mq: MessageQueue, reason: QueueDropReason = 'offset-illegal'): Promise<void> {
    const pq = this.processQueueTable.get(mq);
    if (pq === undefined) return;
    this.processQueueTable.delete(mq);
    pq.dropped = true;
    const offset = this.offsetInMemory(mq);
    await this.removeUnnecessaryMessageQueue(mq, pq);
    this.events.emit('client.queue.dropped', { group: this.consumerGroup, mq: messageQueueKey(mq), reason, offsetPersisted: offset, buffered: pq.msgCount }, { flow: 'rebalance' });
  }

  /** Drop every process queue (the consumer is shutting down). */
  destroy(): void {
    for (const pq of this.processQueueTable.values()) pq.dropped = true;
    this.processQueueTable.clear();
  }

  /** True for `%RETRY%` topics (their start offset rules differ). */
  protected isRetryTopic(mq: MessageQueue): boolean {
    return isRetryTopic(mq.topic);
  }

  // ---------------------------------------------------------------------------------------
  // What each consumer kind fills in.

  /** The queues assigned to this client for `topic` changed (`mqAll` all queues, `mqDivided` ours). */
  abstract messageQueueChanged(topic: string, mqAll: readonly MessageQueue[], mqDivided: readonly MessageQueue[]): Promise<void>;
  /** Release a dropped queue (persist its offset, unlock it); false to keep it in the table for now. */
  abstract removeUnnecessaryMessageQueue(mq: MessageQueue, pq: ProcessQueue): Promise<boolean>;
  abstract consumeType(): ConsumeType;
  /** Forget a stale in-memory offset of a queue about to be (re)assigned. */
  abstract removeDirtyOffset(mq: MessageQueue): void;
  /** Where a newly assigned queue starts. */
  abstract computePullFromWhere(mq: MessageQueue): Promise<PullFromWhere>;
  /** Start the pull loops of newly assigned queues. */
  abstract dispatchPullRequest(pullRequestList: readonly PullRequest[]): void;
  /** The in-memory offset of `mq` (for the `client.queue.dropped` event); -1 when unknown. */
  protected abstract offsetInMemory(mq: MessageQueue): number;
}
