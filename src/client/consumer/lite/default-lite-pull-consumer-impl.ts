/**
 * DefaultLitePullConsumerImpl: the machinery behind the lite pull consumer's `poll()`,
 * `seek()` and `commitSync()`.
 *
 * It owns four pieces and wires them together:
 *
 * ```
 *   assign(mqs) ───────────────┐
 *   subscribe(topic) ─► RebalanceLitePullImpl ─► messageQueueChanged
 *                              ▼
 *                     AssignedMessageQueue (per queue: ProcessQueue, pull/consume/seek offsets, paused)
 *                              │ one PullTaskImpl per queue, PULL_MESSAGE long-polled, FLAG_LITE_PULL_MESSAGE
 *                              ▼
 *                     ConsumeRequestCache ─► poll(timeout) ─► the application
 *                                                  │ consumeOffset moves to what was handed out
 *                              commitSync() / auto commit every 5 s ─► OffsetStore (memory)
 *                              the instance's 5 s timer ─► UPDATE_CONSUMER_OFFSET (broker) or the local file
 * ```
 *
 * `subscribe` and `assign` are mutually exclusive for one consumer, as in Java: a
 * subscribed consumer's queues come from the group's rebalance, an assigning consumer's
 * from the application, which then usually seeks.
 *
 * Differences from RocketMQ 4.9.x:
 * - `poll`, `seek*`, `committed`, `commitSync`, `subscribe`, `start` and `shutdown` return
 *   Promises; `poll` waits on the Clock instead of blocking a thread.
 * - `commitSync(true)` also writes the offsets to the broker and waits for its answers
 *   (Java's `commitSync()` updates memory only and leaves the broker to the 5 s timer).
 * - After `start`, a subscribing consumer sends a heartbeat and rebalances at once rather
 *   than waiting up to 20 s for its first round.
 * - No topic metadata listener (`registerTopicMessageQueueChangeListener`), no namespace,
 *   no trace hook.
 *
 * @mirrors org.apache.rocketmq.client.impl.consumer.DefaultLitePullConsumerImpl
 * @article pull-consume-2 "The lite pull consumer"
 * @emits client.lite.assigned, client.lite.polled, client.lite.poll-timed-out, client.lite.seeked, client.lite.committed, client.lite.paused
 * @category Client
 * @module
 */
import type { MessageExt } from '../../../common/message/message-ext.js';
import { buildSubscriptionData } from '../../../common/filter/filter-api.js';
import { DEFAULT_CONSUMER_GROUP } from '../../../common/mix-all.js';
import type { MessageQueue } from '../../../common/protocol/body/message-queue-keyed-map.js';
import type { ConsumeFromWhere } from '../../../common/protocol/heartbeat/consume-from-where.js';
import type { ConsumeType } from '../../../common/protocol/heartbeat/consume-type.js';
import type { MessageModel } from '../../../common/protocol/heartbeat/message-model.js';
import { isTagType, type SubscriptionData } from '../../../common/protocol/heartbeat/subscription-data.js';
import { buildPullSysFlag } from '../../../common/sysflag/pull-sys-flag.js';
import type { NodeEvents } from '../../../events/event-sink.js';
import type { Clock } from '../../../platform/clock.js';
import { MQClientError } from '../../errors.js';
import type { MQClientInstance, ServiceState } from '../../mq-client-instance.js';
import type { MQConsumerInner } from '../../mq-consumer-inner.js';
import { checkGroup } from '../../validators.js';
import type { AllocateMessageQueueStrategy } from '../allocate/allocate-message-queue-strategy.js';
import { MessageQueueMap, messageQueueKey } from '../message-queue-map.js';
import { PullAPIWrapper } from '../pull-api-wrapper.js';
import type { PullResult } from '../pull-result.js';
import { RebalanceService } from '../rebalance-service.js';
import { LocalFileOffsetStore } from '../store/local-file-offset-store.js';
import { ReadOffsetType, type OffsetStore } from '../store/offset-store.js';
import { RemoteBrokerOffsetStore } from '../store/remote-broker-offset-store.js';
import { AssignedMessageQueue } from './assigned-message-queue.js';
import { ConsumeRequestCache } from './consume-request-cache.js';
import { MQAdminImpl } from './mq-admin-impl.js';
import { PullTaskImpl, type PullTaskHost, type PullTaskSettings } from './pull-task-impl.js';
import { RebalanceLitePullImpl, type LitePullRebalanceHost } from './rebalance-lite-pull-impl.js';
import { LitePullPositions } from './lite-pull-positions.js';

/** The consumer's settings as the impl reads them (the public class holds them). */
export interface LitePullConsumerSettings extends PullTaskSettings {
  readonly consumerGroup: string;
  readonly messageModel: MessageModel;
  readonly allocateMessageQueueStrategy: AllocateMessageQueueStrategy;
  readonly autoCommit: boolean;
  readonly autoCommitIntervalMillis: number;
  readonly brokerSuspendMaxTimeMillis: number;
  readonly consumerTimeoutMillisWhenSuspend: number;
  readonly consumeFromWhere: ConsumeFromWhere;
  readonly consumeTimestamp: number;
  readonly unitMode: boolean;
  /** A store chosen by the application instead of the message model's default. */
  readonly offsetStore: OffsetStore | undefined;
  readonly localOffsetStoreDir: string | undefined;
  /** Period of the RebalanceService this consumer attaches when the instance has none. */
  readonly rebalanceIntervalMillis: number | undefined;
}

/** Java `SubscriptionType`. */
type SubscriptionType = 'NONE' | 'SUBSCRIBE' | 'ASSIGN';

const NOT_RUNNING_EXCEPTION_MESSAGE = 'The consumer not running, please start it first.';
const SUBSCRIPTION_CONFLICT_EXCEPTION_MESSAGE = 'Subscribe and assign are mutually exclusive.';

export class DefaultLitePullConsumerImpl implements MQConsumerInner, PullTaskHost, LitePullRebalanceHost {
  readonly clock: Clock;
  readonly consumerGroup: string;
  readonly assignedMessageQueue: AssignedMessageQueue;
  readonly consumeRequestCache: ConsumeRequestCache;
  readonly rebalanceImpl: RebalanceLitePullImpl;
  readonly pullAPIWrapper: PullAPIWrapper;
  readonly admin: MQAdminImpl;
  state: ServiceState = 'CREATE_JUST';
  private offsetStore: OffsetStore | undefined;
  private readonly positions: LitePullPositions;
  private readonly taskTable = new MessageQueueMap<PullTaskImpl>();
  private subscriptionType: SubscriptionType = 'NONE';
  private readonly subscriptionsForAssign = new Map<string, SubscriptionData>();

  constructor(readonly settings: LitePullConsumerSettings, readonly mQClientFactory: MQClientInstance, readonly events: NodeEvents) {
    this.clock = mQClientFactory.platform.clock;
    this.consumerGroup = settings.consumerGroup;
    this.assignedMessageQueue = new AssignedMessageQueue(this.clock);
    this.consumeRequestCache = new ConsumeRequestCache(this.clock);
    this.admin = new MQAdminImpl(mQClientFactory, mQClientFactory.clientConfig.mqClientApiTimeout);
    this.pullAPIWrapper = new PullAPIWrapper(mQClientFactory, settings.consumerGroup, this.clock, events.withLane('PullMsgThread'));
    this.rebalanceImpl = new RebalanceLitePullImpl({
      consumerGroup: settings.consumerGroup,
      messageModel: settings.messageModel,
      allocateMessageQueueStrategy: settings.allocateMessageQueueStrategy,
      client: mQClientFactory,
      clock: this.clock,
      events,
    }, this);
    this.positions = new LitePullPositions(this);
  }

  consumeFromWhere(): ConsumeFromWhere {
    return this.settings.consumeFromWhere;
  }

  getOffsetStore(): OffsetStore {
    if (this.offsetStore === undefined) throw new MQClientError(-1, NOT_RUNNING_EXCEPTION_MESSAGE);
    return this.offsetStore;
  }

  checkServiceState(): void {
    if (this.state !== 'RUNNING') throw new MQClientError(-1, NOT_RUNNING_EXCEPTION_MESSAGE);
  }

  /** Whether queues come from `subscribe` (rebalanced) rather than `assign`. */
  get isSubscribeMode(): boolean {
    return this.subscriptionType === 'SUBSCRIBE';
  }

  // ---------------------------------------------------------------------------------------
  // Lifecycle.

  async start(): Promise<void> {
    if (this.state !== 'CREATE_JUST') throw new MQClientError(-1, `The PullConsumer service state not OK, maybe started once, ${this.state}`);
    this.state = 'START_FAILED';
    this.checkConfig();
    const factory = this.mQClientFactory;
    if (!factory.registerConsumer(this.consumerGroup, this)) {
      this.state = 'CREATE_JUST';
      throw new MQClientError(-1, `The consumer group[${this.consumerGroup}] has been created before, specify another name please.`);
    }
    this.rebalanceImpl.messageModel = this.settings.messageModel;
    this.rebalanceImpl.allocateMessageQueueStrategy = this.settings.allocateMessageQueueStrategy;
    this.offsetStore = this.settings.offsetStore ?? (this.settings.messageModel === 'BROADCASTING'
      ? new LocalFileOffsetStore({
        fs: factory.platform.fs, events: this.events, clientId: factory.clientId, groupName: this.consumerGroup,
        ...(this.settings.localOffsetStoreDir === undefined ? {} : { localOffsetStoreDir: this.settings.localOffsetStoreDir }),
      })
      : new RemoteBrokerOffsetStore(factory, this.consumerGroup, this.events));
    this.offsetStore.load();
    factory.start();
    if (!factory.hasRebalanceService()) factory.setRebalanceService(new RebalanceService(this.clock, factory, this.settings.rebalanceIntervalMillis));
    this.state = 'RUNNING';
    await this.operateAfterRunning();
  }

  private checkConfig(): void {
    checkGroup(this.consumerGroup);
    if (this.consumerGroup === DEFAULT_CONSUMER_GROUP) {
      throw new MQClientError(-1, `consumerGroup can not equal ${DEFAULT_CONSUMER_GROUP}, please specify another one.`);
    }
    if (this.settings.consumerTimeoutMillisWhenSuspend < this.settings.brokerSuspendMaxTimeMillis) {
      throw new MQClientError(-1, 'Long polling mode, the consumer consumerTimeoutMillisWhenSuspend must greater than brokerSuspendMaxTimeMillis');
    }
  }

  /** What `subscribe`/`assign` calls made before `start` could not do yet. */
  private async operateAfterRunning(): Promise<void> {
    if (this.subscriptionType === 'SUBSCRIBE') {
      await this.updateTopicSubscribeInfoWhenSubscriptionChanged();
      await this.mQClientFactory.sendHeartbeatToAllBrokerWithLock();
      this.mQClientFactory.rebalanceImmediately();
    }
    if (this.subscriptionType === 'ASSIGN') this.updateAssignPullTask(this.assignedMessageQueue.messageQueues());
    await this.mQClientFactory.checkClientInBroker();
  }

  async shutdown(): Promise<void> {
    if (this.state !== 'RUNNING') return;
    for (const task of this.taskTable.values()) task.cancel();
    this.taskTable.clear();
    this.consumeRequestCache.close();
    await this.persistConsumerOffset();
    this.state = 'SHUTDOWN_ALREADY';
    this.rebalanceImpl.destroy();
    await this.mQClientFactory.unregisterConsumer(this.consumerGroup);
    await this.mQClientFactory.shutdown();
  }

  // ---------------------------------------------------------------------------------------
  // Choosing queues.

  private setSubscriptionType(type: SubscriptionType): void {
    if (this.subscriptionType === 'NONE') this.subscriptionType = type;
    else if (this.subscriptionType !== type) throw new MQClientError(-1, SUBSCRIPTION_CONFLICT_EXCEPTION_MESSAGE);
  }

  /** `expressionType` TAG (or missing) for a tag expression, SQL92 for a `MessageSelector.bySql` condition. */
  async subscribe(topic: string, subExpression: string, expressionType?: string): Promise<void> {
    if (topic.length === 0) throw new MQClientError(-1, 'Topic can not be null or empty.');
    this.setSubscriptionType('SUBSCRIBE');
    let subscriptionData: SubscriptionData;
    try {
      subscriptionData = buildSubscriptionData(topic, subExpression, expressionType, this.clock.now());
    } catch (error) {
      throw new MQClientError(-1, 'subscribe exception', { cause: error });
    }
    this.rebalanceImpl.subscriptionInner.set(topic, subscriptionData);
    if (this.state === 'RUNNING') {
      await this.mQClientFactory.sendHeartbeatToAllBrokerWithLock();
      await this.updateTopicSubscribeInfoWhenSubscriptionChanged();
    }
  }

  unsubscribe(topic: string): void {
    this.rebalanceImpl.subscriptionInner.delete(topic);
    this.removePullTask((mq) => mq.topic === topic);
    const removed = this.assignedMessageQueue.removeAssignedMessageQueue(topic);
    this.emitAssigned('subscribe', topic, [], [], removed);
  }

  assign(messageQueues: readonly MessageQueue[]): void {
    if (messageQueues.length === 0) throw new MQClientError(-1, 'Message queues can not be null or empty.');
    this.setSubscriptionType('ASSIGN');
    const { added, removed } = this.assignedMessageQueue.updateAssignedMessageQueue(messageQueues);
    if (this.state === 'RUNNING') this.updateAssignPullTask(messageQueues);
    this.emitAssigned('assign', undefined, this.assignedMessageQueue.messageQueues(), added, removed);
  }

  /** The filter of an assigned topic (default `*`). */
  setSubExpressionForAssign(topic: string, subExpression: string): void {
    this.subscriptionsForAssign.set(topic, buildSubscriptionData(topic, subExpression, undefined, this.clock.now()));
  }

  /** The queues read now: assigned, or won by the last rebalance. */
  assignment(): MessageQueue[] {
    return this.assignedMessageQueue.messageQueues();
  }

  /** The rebalance changed the queues of `topic` (Java `MessageQueueListenerImpl`). */
  messageQueueChanged(topic: string, mqAll: readonly MessageQueue[], mqDivided: readonly MessageQueue[]): void {
    const mine = this.settings.messageModel === 'BROADCASTING' ? mqAll : mqDivided;
    const { added, removed } = this.assignedMessageQueue.updateAssignedMessageQueue(mine, topic, (mq) => this.rebalanceImpl.processQueueTable.get(mq));
    this.removePullTask((mq) => mq.topic === topic && !this.assignedMessageQueue.has(mq));
    this.startPullTask(mine);
    this.emitAssigned('subscribe', topic, [...mine], added, removed);
  }

  private emitAssigned(via: 'assign' | 'subscribe', topic: string | undefined, mqs: readonly MessageQueue[], added: readonly MessageQueue[], removed: readonly MessageQueue[]): void {
    this.events.emit('client.lite.assigned', {
      group: this.consumerGroup, via, ...(topic === undefined ? {} : { topic }),
      mqs: mqs.map(messageQueueKey), added: added.map(messageQueueKey), removed: removed.map(messageQueueKey),
    }, { flow: 'rebalance' });
  }

  private async updateTopicSubscribeInfoWhenSubscriptionChanged(): Promise<void> {
    await Promise.all([...this.rebalanceImpl.subscriptionInner.keys()].map((topic) => this.mQClientFactory.updateTopicRouteInfoFromNameServer(topic)));
  }

  // ---------------------------------------------------------------------------------------
  // Pull tasks.

  private startPullTask(mqs: readonly MessageQueue[]): void {
    if (this.state !== 'RUNNING') return;
    for (const mq of mqs) {
      if (this.taskTable.has(mq)) continue;
      const task = new PullTaskImpl(mq, this);
      this.taskTable.set(mq, task);
      task.schedule(0);
    }
  }

  private removePullTask(predicate: (mq: MessageQueue) => boolean): void {
    for (const [mq, task] of this.taskTable.entries()) {
      if (!predicate(mq)) continue;
      task.cancel();
      this.taskTable.delete(mq);
    }
  }

  private updateAssignPullTask(mqs: readonly MessageQueue[]): void {
    const wanted = new MessageQueueMap<true>();
    for (const mq of mqs) wanted.set(mq, true);
    this.removePullTask((mq) => !wanted.has(mq));
    this.startPullTask(mqs);
  }

  /** Cancel the task of `mq` and start a new one (after a seek). */
  restartPullTask(mq: MessageQueue): void {
    this.removePullTask((m) => m.topic === mq.topic && m.brokerName === mq.brokerName && m.queueId === mq.queueId);
    this.startPullTask([mq]);
  }

  async nextPullOffset(mq: MessageQueue): Promise<number> {
    const seekOffset = this.assignedMessageQueue.getSeekOffset(mq);
    if (seekOffset !== -1) {
      this.assignedMessageQueue.updateConsumeOffset(mq, seekOffset);
      this.assignedMessageQueue.setSeekOffset(mq, -1);
      return seekOffset;
    }
    const pullOffset = this.assignedMessageQueue.getPullOffset(mq);
    if (pullOffset !== -1) return pullOffset;
    this.checkServiceState();
    return (await this.rebalanceImpl.computePullFromWhere(mq)).offset;
  }

  /** Java `pullSyncImpl` with `block` true: long-polled, subscription in the header, lite-pull flag. */
  async pull(mq: MessageQueue, offset: number): Promise<PullResult> {
    const subscriptionData = this.subscriptionFor(mq.topic);
    const sysFlag = buildPullSysFlag(false, true, true, false, true);
    const startedAt = this.clock.now();
    const result = await this.pullAPIWrapper.pullKernelImpl({
      mq,
      subExpression: subscriptionData.subString,
      expressionType: subscriptionData.expressionType,
      subVersion: isTagType(subscriptionData.expressionType) ? 0 : subscriptionData.subVersion,
      offset,
      maxNums: this.settings.pullBatchSize,
      sysFlag,
      commitOffset: 0,
      brokerSuspendMaxTimeMillis: this.settings.brokerSuspendMaxTimeMillis,
      timeoutMillis: this.settings.consumerTimeoutMillisWhenSuspend,
    });
    return this.pullAPIWrapper.processPullResult(mq, result, subscriptionData, startedAt);
  }

  private subscriptionFor(topic: string): SubscriptionData {
    if (this.subscriptionType === 'SUBSCRIBE') {
      const subscribed = this.rebalanceImpl.subscriptionInner.get(topic);
      if (subscribed === undefined) throw new MQClientError(-1, `The topic[${topic}] is not subscribed`);
      return subscribed;
    }
    let data = this.subscriptionsForAssign.get(topic);
    if (data === undefined) this.subscriptionsForAssign.set(topic, (data = buildSubscriptionData(topic, '*')));
    return data;
  }

  // ---------------------------------------------------------------------------------------
  // poll, seek, commit (LitePullPositions holds the offset bookkeeping).

  poll(timeoutMs: number): Promise<MessageExt[]> {
    return this.positions.poll(timeoutMs);
  }

  pause(mqs: readonly MessageQueue[], paused: boolean): void {
    const known = this.assignedMessageQueue.setPaused(mqs, paused);
    this.events.emit('client.lite.paused', { group: this.consumerGroup, paused, mqs: known.map(messageQueueKey) }, { flow: 'pull' });
  }

  seek(mq: MessageQueue, offset: number, via: 'seek' | 'seekToBegin' | 'seekToEnd' = 'seek'): Promise<void> {
    return this.positions.seek(mq, offset, via);
  }

  commitAll(auto: boolean, persist = false): Promise<void> {
    return this.positions.commitAll(auto, persist);
  }

  async committed(mq: MessageQueue): Promise<number> {
    this.checkServiceState();
    const offset = await this.getOffsetStore().readOffset(mq, ReadOffsetType.MEMORY_FIRST_THEN_STORE);
    if (offset === -2) throw new MQClientError(-1, 'Fetch consume offset from broker exception');
    return offset;
  }

  // ---------------------------------------------------------------------------------------
  // MQConsumerInner.

  groupName(): string {
    return this.consumerGroup;
  }

  messageModel(): MessageModel {
    return this.settings.messageModel;
  }

  consumeType(): ConsumeType {
    return 'CONSUME_ACTIVELY';
  }

  subscriptions(): SubscriptionData[] {
    return [...this.rebalanceImpl.subscriptionInner.values()];
  }

  async doRebalance(): Promise<void> {
    if (this.state === 'RUNNING' && this.subscriptionType === 'SUBSCRIBE') await this.rebalanceImpl.doRebalance(false);
  }

  async persistConsumerOffset(): Promise<void> {
    if (this.state !== 'RUNNING' || this.offsetStore === undefined) return;
    const mqs = this.subscriptionType === 'SUBSCRIBE' ? this.rebalanceImpl.processQueueTable.keys()
      : this.subscriptionType === 'ASSIGN' ? this.assignedMessageQueue.messageQueues() : [];
    try {
      await this.offsetStore.persistAll(mqs);
    } catch {
      // Java logs "Persist consumer offset error for group" and goes on.
    }
  }

  updateTopicSubscribeInfo(topic: string, info: MessageQueue[]): void {
    if (this.rebalanceImpl.subscriptionInner.has(topic)) this.rebalanceImpl.topicSubscribeInfoTable.set(topic, info);
  }

  isSubscribeTopicNeedUpdate(topic: string): boolean {
    return this.rebalanceImpl.subscriptionInner.has(topic) && !this.rebalanceImpl.topicSubscribeInfoTable.has(topic);
  }

  isUnitMode(): boolean {
    return this.settings.unitMode;
  }

  consumerRunningInfo(): Record<string, unknown> {
    return {
      consumerGroup: this.consumerGroup,
      consumeType: 'CONSUME_ACTIVELY',
      messageModel: this.settings.messageModel,
      subscriptionType: this.subscriptionType,
      subscriptionSet: this.subscriptions().map((s) => ({ topic: s.topic, subString: s.subString })),
      assignedQueues: this.assignment().map(messageQueueKey),
      cachedConsumeRequests: this.consumeRequestCache.size,
    };
  }
}
