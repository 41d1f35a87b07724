/**
 * DefaultMQPushConsumerImpl: the push consumer's engine: the pull loop of every assigned
 * queue, flow control, and the lifecycle that wires rebalance, offsets and consumption.
 *
 * The public `DefaultMQPushConsumer` holds the settings; this class does the work. Its
 * center is `pullMessage`, one turn of a queue's pull loop:
 *
 * ```
 *   PullRequest ─► dropped? stop. paused? in 1 s.
 *              ─► flow control: > pullThresholdForQueue msgs, > pullThresholdSizeForQueue MiB,
 *                   or (concurrently) offset span > consumeConcurrentlyMaxSpan  ─► again in 50 ms
 *              ─► orderly: not locked ─► in 3 s; first pull after locking ─► re-read the offset
 *              ─► PULL_MESSAGE(nextOffset, 32, commitOffset piggybacked, long polling 15 s, timeout 30 s)
 *   answer:  FOUND          ─► ProcessQueue.putMessage ─► consume service ─► pull again at once
 *            NO_NEW_MSG /
 *            NO_MATCHED_MSG ─► move nextOffset (and the offset, if nothing is buffered) ─► pull again
 *            OFFSET_ILLEGAL ─► drop the queue; 10 s later store nextBeginOffset and let the rebalance re-create it
 *            error          ─► pull again in 3 s
 * ```
 *
 * "Push" is therefore an illusion built on pulls: long polling makes the broker hold an
 * empty pull until a message arrives, so delivery latency is one network round trip while
 * an idle queue costs one request per 15 s.
 *
 * Differences from RocketMQ 4.9.x:
 * - Owns its PullMessageService (Java's lives in MQClientInstance) and attaches the
 *   instance's RebalanceService when it has none.
 * - No consume hooks, filter hooks, stats manager, namespace or thread-pool adjustment.
 * - `start()` and `shutdown()` are async: start waits for routes and the first heartbeat.
 *
 * @mirrors org.apache.rocketmq.client.impl.consumer.DefaultMQPushConsumerImpl
 * @article pull-consume-1 "The pull loop"
 * @emits client.pull.delayed, client.pull.failed, client.processqueue.put, client.message.sent-back
 * @category Client
 * @module
 */
import { MessageConst } from '../../common/message/message-const.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import { Message } from '../../common/message/message.js';
import { getRetryTopic } from '../../common/mix-all.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue-keyed-map.js';
import type { ConsumeFromWhere } from '../../common/protocol/heartbeat/consume-from-where.js';
import type { ConsumeType } from '../../common/protocol/heartbeat/consume-type.js';
import type { MessageModel } from '../../common/protocol/heartbeat/message-model.js';
import type { SubscriptionData } from '../../common/protocol/heartbeat/subscription-data.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import { buildPullSysFlag } from '../../common/sysflag/pull-sys-flag.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { MsgRef } from '../../events/event-types.js';
import type { PullDelayReason } from '../../events/kinds/client-consumer-events.js';
import type { Clock } from '../../platform/clock.js';
import { ClientErrorCode, MQBrokerError, MQClientError } from '../errors.js';
import type { MQClientInstance, ServiceState } from '../mq-client-instance.js';
import type { MQConsumerInner } from '../mq-consumer-inner.js';
import type { ConsumeMessageService } from './consume-message-service.js';
import { ConsumeMessageConcurrentlyService } from './consume-message-concurrently-service.js';
import { ConsumeMessageOrderlyService } from './consume-message-orderly-service.js';
import type { MessageListener } from './listener/message-listener.js';
import { messageQueueKey } from './message-queue-map.js';
import { PullAPIWrapper } from './pull-api-wrapper.js';
import { PullMessageService } from './pull-message-service.js';
import type { PullRequest } from './pull-request.js';
import type { PullResultExt } from './pull-result.js';
import { RebalancePushImpl } from './rebalance-push-impl.js';
import { RebalanceService } from './rebalance-service.js';
import { PushConsumerLifecycle } from './push-consumer-lifecycle.js';
import { ReadOffsetType, type OffsetStore } from './store/offset-store.js';
import type { PushConsumerSettings } from './default-mq-push-consumer.js';

/** Java `BROKER_SUSPEND_MAX_TIME_MILLIS`: how long the broker may hold an empty pull. */
export const BROKER_SUSPEND_MAX_TIME_MILLIS = 15_000;
/** Java `CONSUMER_TIMEOUT_MILLIS_WHEN_SUSPEND`: the pull RPC timeout, longer than the hold. */
export const CONSUMER_TIMEOUT_MILLIS_WHEN_SUSPEND = 30_000;
/** Java `PULL_TIME_DELAY_MILLS_WHEN_CACHE_FLOW_CONTROL`. */
export const PULL_TIME_DELAY_MILLIS_WHEN_FLOW_CONTROL = 50;
/** Java `PULL_TIME_DELAY_MILLS_WHEN_SUSPEND`: a paused consumer looks again this often. */
export const PULL_TIME_DELAY_MILLIS_WHEN_SUSPEND = 1_000;
/** Java `PULL_TIME_DELAY_MILLS_WHEN_BROKER_FLOW_CONTROL`. */
export const PULL_TIME_DELAY_MILLIS_WHEN_BROKER_FLOW_CONTROL = 20;
/** Java: an OFFSET_ILLEGAL queue is fixed and removed after this long. */
const OFFSET_ILLEGAL_FIX_DELAY_MILLIS = 10_000;
/** Java: send-back RPCs use a fixed 5 s timeout. */
const SEND_BACK_TIMEOUT_MILLIS = 5_000;
const MIB = 1024 * 1024;

/** How a failed message went back: CONSUMER_SEND_MSG_BACK, or a re-send to the retry topic. */
export type SendBackVia = 'broker' | 'inner-producer';

export class DefaultMQPushConsumerImpl implements MQConsumerInner {
  readonly clock: Clock;
  readonly events: NodeEvents;
  readonly rebalanceImpl: RebalancePushImpl;
  readonly pullAPIWrapper: PullAPIWrapper;
  readonly pullMessageService: PullMessageService;
  readonly lifecycle: PushConsumerLifecycle;
  offsetStore!: OffsetStore;
  consumeMessageService: ConsumeMessageService | undefined;
  messageListenerInner: MessageListener | undefined;
  consumeOrderly = false;
  state: ServiceState = 'CREATE_JUST';
  pause = false;
  consumerStartTimestamp: number;

  constructor(readonly settings: PushConsumerSettings, readonly mQClientFactory: MQClientInstance, events: NodeEvents, offsetStore?: OffsetStore) {
    this.clock = mQClientFactory.platform.clock;
    this.events = events.withLane('PullMessageService');
    this.consumerStartTimestamp = this.clock.now();
    this.rebalanceImpl = new RebalancePushImpl({
      consumerGroup: settings.consumerGroup,
      messageModel: settings.messageModel,
      allocateMessageQueueStrategy: settings.allocateMessageQueueStrategy,
      client: mQClientFactory,
      clock: this.clock,
      events,
    }, this);
    this.pullAPIWrapper = new PullAPIWrapper(mQClientFactory, settings.consumerGroup, this.clock, this.events);
    this.pullMessageService = new PullMessageService(this.clock, this);
    this.lifecycle = new PushConsumerLifecycle(this, offsetStore);
  }

  // ---------------------------------------------------------------------------------------
  // Lifecycle (see PushConsumerLifecycle for the steps).

  /** Check the settings, build the offset store and consume service, register, start the instance, heartbeat, rebalance. */
  start(): Promise<void> {
    return this.lifecycle.start();
  }

  /** Stop consuming, persist offsets, leave the group, stop the instance if it is idle. */
  shutdown(): Promise<void> {
    return this.lifecycle.shutdown();
  }

  /** Make the consume service for the registered listener (called once at start). */
  createConsumeMessageService(listener: MessageListener): ConsumeMessageService {
    this.consumeOrderly = listener.orderly === true;
    return listener.orderly === true ? new ConsumeMessageOrderlyService(this, listener) : new ConsumeMessageConcurrentlyService(this, listener);
  }

  /** Attach a RebalanceService to the instance unless one is there already. */
  ensureRebalanceService(): void {
    if (!this.mQClientFactory.hasRebalanceService()) this.mQClientFactory.setRebalanceService(new RebalanceService(this.clock, this.mQClientFactory));
  }

  // ---------------------------------------------------------------------------------------
  // The pull loop.

  executePullRequestImmediately(pullRequest: PullRequest): void {
    this.pullMessageService.executePullRequestImmediately(pullRequest);
  }

  executePullRequestLater(pullRequest: PullRequest, delayMs: number): void {
    this.pullMessageService.executePullRequestLater(pullRequest, delayMs);
  }

  executeTaskLater(task: () => void, delayMs: number): void {
    this.pullMessageService.executeTaskLater(task, delayMs);
  }

  /** One turn of a queue's pull loop (called by the PullMessageService). Never throws. */
  pullMessage(pullRequest: PullRequest): void {
    this.pullMessageAsync(pullRequest).catch((error: unknown) => this.onPullException(pullRequest, error));
  }

  private async pullMessageAsync(pullRequest: PullRequest): Promise<void> {
    const pq = pullRequest.processQueue;
    if (pq.dropped) return; // Java: "the pull request[{}] is dropped."
    pq.lastPullTimestamp = this.clock.now();
    if (this.state !== 'RUNNING') return this.delayPull(pullRequest, 'paused', this.settings.pullTimeDelayMillisWhenException);
    if (this.pause) return this.delayPull(pullRequest, 'paused', PULL_TIME_DELAY_MILLIS_WHEN_SUSPEND);
    const reason = this.flowControlReason(pq);
    if (reason !== undefined) return this.delayPull(pullRequest, reason, PULL_TIME_DELAY_MILLIS_WHEN_FLOW_CONTROL);
    if (this.consumeOrderly) {
      if (!pq.locked) return this.delayPull(pullRequest, 'not-locked', this.settings.pullTimeDelayMillisWhenException);
      if (!pullRequest.previouslyLocked) {
        // The queue may have had another owner until now: re-read where the group got to.
        const where = await this.rebalanceImpl.computePullFromWhere(pullRequest.messageQueue);
        if (where.offset < 0) return this.delayPull(pullRequest, 'not-locked', this.settings.pullTimeDelayMillisWhenException);
        pullRequest.previouslyLocked = true;
        pullRequest.nextOffset = where.offset;
      }
    }
    const mq = pullRequest.messageQueue;
    const subscriptionData = this.rebalanceImpl.subscriptionInner.get(mq.topic);
    if (subscriptionData === undefined) return this.delayPull(pullRequest, 'no-subscription', this.settings.pullTimeDelayMillisWhenException);
    let commitOffsetValue = 0;
    if (this.settings.messageModel === 'CLUSTERING') commitOffsetValue = await this.offsetStore.readOffset(mq, ReadOffsetType.READ_FROM_MEMORY);
    const commitOffsetEnable = commitOffsetValue > 0;
    const subExpression = this.settings.postSubscriptionWhenPull && !subscriptionData.classFilterMode ? subscriptionData.subString : undefined;
    const startedAt = this.clock.now();
    const result = await this.pullAPIWrapper.pullKernelImpl({
      mq,
      subExpression,
      expressionType: subscriptionData.expressionType,
      subVersion: subscriptionData.subVersion,
      offset: pullRequest.nextOffset,
      maxNums: this.settings.pullBatchSize,
      sysFlag: buildPullSysFlag(commitOffsetEnable, true, subExpression !== undefined, subscriptionData.classFilterMode),
      commitOffset: commitOffsetEnable ? commitOffsetValue : 0,
      brokerSuspendMaxTimeMillis: BROKER_SUSPEND_MAX_TIME_MILLIS,
      timeoutMillis: CONSUMER_TIMEOUT_MILLIS_WHEN_SUSPEND,
    });
    await this.onPullResult(pullRequest, await this.pullAPIWrapper.processPullResult(mq, result, subscriptionData, startedAt));
  }

  /** Why the next pull must wait (Java's three cache checks), or undefined. */
  private flowControlReason(pq: PullRequest['processQueue']): PullDelayReason | undefined {
    if (pq.msgCount > this.settings.pullThresholdForQueue) return 'count-threshold';
    if (Math.floor(pq.msgSize / MIB) > this.settings.pullThresholdSizeForQueue) return 'size-threshold';
    if (!this.consumeOrderly && pq.getMaxSpan() > this.settings.consumeConcurrentlyMaxSpan) return 'span-threshold';
    return undefined;
  }

  private delayPull(pullRequest: PullRequest, reason: PullDelayReason, delayMs: number): void {
    const pq = pullRequest.processQueue;
    this.events.emit('client.pull.delayed', {
      group: this.settings.consumerGroup, mq: messageQueueKey(pullRequest.messageQueue), reason, delayMs,
      cachedCount: pq.msgCount, cachedBytes: pq.msgSize, span: pq.getMaxSpan(),
    }, { flow: 'pull' });
    this.executePullRequestLater(pullRequest, delayMs);
  }

  /** Java's PullCallback.onSuccess. */
  private async onPullResult(pullRequest: PullRequest, pullResult: PullResultExt): Promise<void> {
    const pq = pullRequest.processQueue;
    const mq = pullRequest.messageQueue;
    switch (pullResult.pullStatus) {
      case 'FOUND': {
        pullRequest.nextOffset = pullResult.nextBeginOffset;
        const msgs = pullResult.msgFoundList;
        if (msgs.length === 0) return this.executePullRequestImmediately(pullRequest); // all filtered out client-side
        const dispatchToConsume = pq.putMessage(msgs);
        this.events.emit('client.processqueue.put', {
          group: this.settings.consumerGroup, mq: messageQueueKey(mq), count: msgs.length, inflight: pq.msgCount, bytes: pq.msgSize,
          queueOffsetMax: pq.queueOffsetMax, dispatched: dispatchToConsume,
        }, { flow: 'consume' });
        this.consumeMessageService?.submitConsumeRequest(msgs, pq, mq, dispatchToConsume);
        if (this.settings.pullInterval > 0) this.executePullRequestLater(pullRequest, this.settings.pullInterval);
        else this.executePullRequestImmediately(pullRequest);
        return;
      }
      case 'NO_NEW_MSG':
      case 'NO_MATCHED_MSG':
        pullRequest.nextOffset = pullResult.nextBeginOffset;
        // Nothing buffered: everything up to here is consumed (or filtered out), so the offset may move.
        if (pq.msgCount === 0) this.offsetStore.updateOffset(mq, pullRequest.nextOffset, true);
        return this.executePullRequestImmediately(pullRequest);
      case 'OFFSET_ILLEGAL':
        pullRequest.nextOffset = pullResult.nextBeginOffset;
        pq.dropped = true;
        this.executeTaskLater(() => void this.fixIllegalOffset(pullRequest), OFFSET_ILLEGAL_FIX_DELAY_MILLIS);
        return;
    }
  }

  /** OFFSET_ILLEGAL, 10 s later: store the broker's next offset, persist it, remove the queue (the rebalance re-creates it). */
  private async fixIllegalOffset(pullRequest: PullRequest): Promise<void> {
    const mq = pullRequest.messageQueue;
    this.offsetStore.updateOffset(mq, pullRequest.nextOffset, false);
    await this.offsetStore.persist(mq);
    await this.rebalanceImpl.removeProcessQueue(mq, 'offset-illegal');
  }

  /** Java's PullCallback.onException: pull again in 3 s (20 ms when the broker said FLOW_CONTROL). */
  private onPullException(pullRequest: PullRequest, error: unknown): void {
    const responseCode = error instanceof MQBrokerError || error instanceof MQClientError ? error.responseCode : -1;
    const retryInMs = responseCode === ResponseCode.FLOW_CONTROL ? PULL_TIME_DELAY_MILLIS_WHEN_BROKER_FLOW_CONTROL : this.settings.pullTimeDelayMillisWhenException;
    this.events.emit('client.pull.failed', {
      group: this.settings.consumerGroup, mq: messageQueueKey(pullRequest.messageQueue), error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), responseCode, retryInMs,
    }, { flow: 'pull' });
    this.executePullRequestLater(pullRequest, retryInMs);
  }

  // ---------------------------------------------------------------------------------------
  // Send-back and retry messages.

  /**
   * Hand a failed message back for a later retry: CONSUMER_SEND_MSG_BACK to the master of
   * `brokerName` (or the message's store host), else a re-send to `%RETRY%group` through the
   * instance's inner producer. Rejects when both fail.
   */
  async sendMessageBack(msg: MessageExt, delayLevel: number, brokerName?: string): Promise<SendBackVia> {
    const group = this.settings.consumerGroup;
    const maxReconsumeTimes = this.getMaxReconsumeTimes();
    const emit = (via: SendBackVia | 'failed'): void => void this.events.emit('client.message.sent-back', {
      group, uniqKey: msg.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX) ?? msg.msgId, msgId: msg.msgId, topic: msg.topic,
      delayLevel, reconsumeTimes: msg.reconsumeTimes, via,
    }, { flow: 'retry', msg: this.msgRef(msg) });
    try {
      const addr = brokerName !== undefined ? this.mQClientFactory.findBrokerAddressInPublish(brokerName) : msg.storeHost;
      if (addr === undefined) throw new MQClientError(ClientErrorCode.BROKER_NOT_EXIST_EXCEPTION, `The broker[${brokerName ?? ''}] not exist`);
      await this.mQClientFactory.mqClientAPIImpl.consumerSendMessageBack(addr, msg, group, delayLevel, SEND_BACK_TIMEOUT_MILLIS, maxReconsumeTimes);
      emit('broker');
      return 'broker';
    } catch {
      try {
        await this.resendToRetryTopic(msg, msg.reconsumeTimes + 1, maxReconsumeTimes);
      } catch (error) {
        emit('failed');
        throw error;
      }
      emit('inner-producer');
      return 'inner-producer';
    }
  }

  /**
   * Re-send a copy of `msg` to `%RETRY%group` with RETRY_TOPIC, RECONSUME_TIME,
   * MAX_RECONSUME_TIMES and DELAY = 3 + reconsumeTimes, through the inner producer. The
   * broker's send path moves it to `%DLQ%group` when RECONSUME_TIME ≥ MAX_RECONSUME_TIMES.
   */
  async resendToRetryTopic(msg: MessageExt, reconsumeTime: number, maxReconsumeTimes: number): Promise<void> {
    const newMsg = new Message({ topic: getRetryTopic(this.settings.consumerGroup), body: msg.body, flag: msg.flag, properties: new Map(msg.properties) });
    // Java (concurrent path) sets ORIGIN_MESSAGE_ID before replacing the properties, which loses it; we set it after.
    const originMsgId = msg.getProperty(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID);
    newMsg.putProperty(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID, originMsgId !== undefined && originMsgId.trim().length > 0 ? originMsgId : msg.msgId);
    newMsg.putProperty(MessageConst.PROPERTY_RETRY_TOPIC, msg.topic);
    newMsg.putProperty(MessageConst.PROPERTY_RECONSUME_TIME, String(reconsumeTime));
    newMsg.putProperty(MessageConst.PROPERTY_MAX_RECONSUME_TIMES, String(maxReconsumeTimes));
    newMsg.clearProperty(MessageConst.PROPERTY_TRANSACTION_PREPARED);
    newMsg.delayTimeLevel = 3 + msg.reconsumeTimes;
    await this.mQClientFactory.defaultMQProducer.send(newMsg);
  }

  /** Concurrent mode: -1 means 16 (Java). */
  getMaxReconsumeTimes(): number {
    return this.settings.maxReconsumeTimes === -1 ? 16 : this.settings.maxReconsumeTimes;
  }

  /** Messages pulled from `%RETRY%group` get their original topic back (from RETRY_TOPIC). */
  resetRetryAndNamespace(msgs: readonly MessageExt[]): void {
    const groupTopic = getRetryTopic(this.settings.consumerGroup);
    for (const msg of msgs) {
      const retryTopic = msg.getProperty(MessageConst.PROPERTY_RETRY_TOPIC);
      if (retryTopic !== undefined && msg.topic === groupTopic) msg.topic = retryTopic;
    }
  }

  /** Correlation keys of `msg` for events. */
  msgRef(msg: MessageExt): MsgRef {
    const uniqKey = msg.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
    return {
      topic: msg.topic, queueId: msg.queueId, queueOffset: msg.queueOffset, physOffset: msg.commitLogOffset, reconsumeTimes: msg.reconsumeTimes,
      ...(uniqKey === undefined ? {} : { uniqKey }),
    };
  }

  // ---------------------------------------------------------------------------------------
  // MQConsumerInner: what the client instance asks of a consumer.

  groupName(): string {
    return this.settings.consumerGroup;
  }

  messageModel(): MessageModel {
    return this.settings.messageModel;
  }

  consumeType(): ConsumeType {
    return 'CONSUME_PASSIVELY';
  }

  consumeFromWhere(): ConsumeFromWhere {
    return this.settings.consumeFromWhere;
  }

  subscriptions(): SubscriptionData[] {
    return [...this.rebalanceImpl.subscriptionInner.values()];
  }

  doRebalance(): Promise<void> {
    return this.pause ? Promise.resolve() : this.rebalanceImpl.doRebalance(this.consumeOrderly);
  }

  async persistConsumerOffset(): Promise<void> {
    if (this.state !== 'RUNNING') return;
    await this.offsetStore.persistAll(this.rebalanceImpl.processQueueTable.keys());
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

  resetOffset(topic: string, offsetTable: ReadonlyArray<readonly [MessageQueue, number]>): Promise<void> {
    return this.lifecycle.resetOffset(topic, offsetTable);
  }

  consumerRunningInfo(): Record<string, unknown> {
    return this.lifecycle.consumerRunningInfo();
  }

  consumeMessageDirectly(msg: MessageExt, brokerName: string | undefined): Promise<Record<string, unknown>> {
    return this.lifecycle.consumeMessageDirectly(msg, brokerName);
  }
}
