/**
 * PushConsumerLifecycle: the start and shutdown checklists of a push consumer, plus the three
 * broker-initiated operations that reach into its state (reset offsets, running info,
 * consume one message directly).
 *
 * Start, in Java's order:
 *
 * ```
 *   1. check the settings (ranges, group name, listener, consumeTimestamp format)
 *   2. CLUSTERING: subscribe %RETRY%<group> with "*" (failed messages come back that way)
 *   3. the offset store: RemoteBrokerOffsetStore (CLUSTERING) or LocalFileOffsetStore (BROADCASTING); load it
 *   4. the consume service for the listener kind (concurrently / orderly); start it
 *   5. register the group with the client instance (one consumer per group per instance)
 *   6. start the pull service, attach the RebalanceService, start the instance
 *   7. fetch the route of every subscribed topic, CHECK_CLIENT_CONFIG each SQL92 subscription
 *      (a broker that cannot compile it fails the start), heartbeat to every broker, rebalance now
 * ```
 *
 * Step 7 is what makes a new consumer join quickly: the heartbeat tells the brokers about
 * it, they NOTIFY the other members, and everyone rebalances within a round trip.
 *
 * Shutdown: stop consuming (orderly: unlock every queue), persist offsets, unregister from
 * every broker (UNREGISTER_CLIENT, which NOTIFYs the rest of the group), stop the pull
 * service, stop the instance if nothing else uses it, and drop all process queues.
 *
 * Differences from RocketMQ 4.9.x:
 * - A failed CHECK_CLIENT_CONFIG leaves the consumer RUNNING and rejects `start()`, as Java
 *   throws from `start()` after setting the state; the caller shuts it down.
 * - `resetOffset` does not sleep 10 s between dropping the queues and storing the offsets.
 *
 * @mirrors org.apache.rocketmq.client.impl.consumer.DefaultMQPushConsumerImpl#start
 * @mirrors org.apache.rocketmq.client.impl.consumer.DefaultMQPushConsumerImpl#shutdown
 * @mirrors org.apache.rocketmq.client.impl.factory.MQClientInstance#resetOffset
 * @mirrors org.apache.rocketmq.client.impl.consumer.ConsumeMessageConcurrentlyService#consumeMessageDirectly
 * @article pull-consume-1 "Starting a push consumer"
 * @category Client
 * @module
 */
import { DEFAULT_CONSUMER_GROUP, getRetryTopic } from '../../common/mix-all.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue-keyed-map.js';
import { buildSubscriptionData } from '../../common/filter/filter-api.js';
import { SUB_ALL } from '../../common/protocol/heartbeat/subscription-data.js';
import { humanStringToTimeMillis } from '../../common/time-format.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import { MQClientError } from '../errors.js';
import { checkGroup } from '../validators.js';
import type { DefaultMQPushConsumerImpl } from './default-mq-push-consumer-impl.js';
import { newConsumeConcurrentlyContext, newConsumeOrderlyContext, type ConsumeConcurrentlyStatus, type ConsumeOrderlyStatus } from './listener/message-listener.js';
import { messageQueueKey } from './message-queue-map.js';
import { LocalFileOffsetStore } from './store/local-file-offset-store.js';
import type { OffsetStore } from './store/offset-store.js';
import { RemoteBrokerOffsetStore } from './store/remote-broker-offset-store.js';

/** Java `CMResult` for each listener status. */
const DIRECT_RESULTS: Readonly<Record<ConsumeConcurrentlyStatus | ConsumeOrderlyStatus, string>> = {
  CONSUME_SUCCESS: 'CR_SUCCESS',
  RECONSUME_LATER: 'CR_LATER',
  SUCCESS: 'CR_SUCCESS',
  COMMIT: 'CR_COMMIT',
  ROLLBACK: 'CR_ROLLBACK',
  SUSPEND_CURRENT_QUEUE_A_MOMENT: 'CR_LATER',
};

export class PushConsumerLifecycle {
  constructor(private readonly impl: DefaultMQPushConsumerImpl, private readonly customOffsetStore: OffsetStore | undefined) {}

  async start(): Promise<void> {
    const impl = this.impl;
    const client = impl.mQClientFactory;
    const group = impl.settings.consumerGroup;
    if (impl.state !== 'CREATE_JUST') throw new MQClientError(-1, `The PushConsumer service state not OK, maybe started once, ${impl.state}`);
    impl.state = 'START_FAILED';
    this.checkConfig();
    // Java copies these into the RebalanceImpl at start, so settings changed after construction count.
    impl.rebalanceImpl.messageModel = impl.settings.messageModel;
    impl.rebalanceImpl.allocateMessageQueueStrategy = impl.settings.allocateMessageQueueStrategy;
    if (impl.settings.messageModel === 'CLUSTERING') {
      const retryTopic = getRetryTopic(group);
      impl.rebalanceImpl.subscriptionInner.set(retryTopic, buildSubscriptionData(retryTopic, SUB_ALL, undefined, impl.clock.now()));
    }
    impl.offsetStore = this.customOffsetStore ?? (impl.settings.messageModel === 'BROADCASTING'
      ? new LocalFileOffsetStore({
        fs: client.platform.fs, events: impl.events, clientId: client.clientId, groupName: group,
        ...(impl.settings.localOffsetStoreDir === undefined ? {} : { localOffsetStoreDir: impl.settings.localOffsetStoreDir }),
      })
      : new RemoteBrokerOffsetStore(client, group, impl.events));
    impl.offsetStore.load();
    const consumeMessageService = impl.createConsumeMessageService(impl.messageListenerInner!);
    impl.consumeMessageService = consumeMessageService;
    consumeMessageService.start();
    if (!client.registerConsumer(group, impl)) {
      impl.state = 'CREATE_JUST';
      await consumeMessageService.shutdown();
      throw new MQClientError(-1, `The consumer group[${group}] has been created before, specify another name please.`);
    }
    impl.pullMessageService.start();
    impl.ensureRebalanceService();
    client.start();
    impl.state = 'RUNNING';
    impl.consumerStartTimestamp = impl.clock.now();
    // Java: updateTopicSubscribeInfoWhenSubscriptionChanged, checkClientInBroker, then heartbeat, then rebalance at once.
    await Promise.all([...impl.rebalanceImpl.subscriptionInner.keys()].map((topic) => client.updateTopicRouteInfoFromNameServer(topic)));
    await client.checkClientInBroker();
    await client.sendHeartbeatToAllBrokerWithLock();
    client.rebalanceImmediately();
  }

  async shutdown(): Promise<void> {
    const impl = this.impl;
    if (impl.state !== 'RUNNING') return;
    await impl.consumeMessageService?.shutdown();
    await impl.persistConsumerOffset();
    impl.state = 'SHUTDOWN_ALREADY';
    impl.pullMessageService.shutdown();
    await impl.mQClientFactory.unregisterConsumer(impl.settings.consumerGroup);
    await impl.mQClientFactory.shutdown();
    impl.rebalanceImpl.destroy();
  }

  /** Java `checkConfig`: every setting in its range; throws MQClientError naming the first bad one. */
  private checkConfig(): void {
    const s = this.impl.settings;
    checkGroup(s.consumerGroup);
    if (s.consumerGroup === DEFAULT_CONSUMER_GROUP) throw new MQClientError(-1, `consumerGroup can not equal ${DEFAULT_CONSUMER_GROUP}, please specify another one.`);
    if (humanStringToTimeMillis(`${s.consumeTimestamp}000`) === undefined) {
      throw new MQClientError(-1, `consumeTimestamp is invalid, the valid format is yyyyMMddHHmmss,but received ${s.consumeTimestamp}`);
    }
    if (this.impl.messageListenerInner === undefined) throw new MQClientError(-1, 'messageListener is null');
    const inRange = (name: string, value: number, min: number, max: number, allowMinusOne = false): void => {
      if (allowMinusOne && value === -1) return;
      if (!Number.isInteger(value) || value < min || value > max) throw new MQClientError(-1, `${name} Out of range [${min}, ${max}]`);
    };
    inRange('consumeThreadMax', s.consumeThreadMax, 1, 1000);
    inRange('consumeConcurrentlyMaxSpan', s.consumeConcurrentlyMaxSpan, 1, 65535);
    inRange('pullThresholdForQueue', s.pullThresholdForQueue, 1, 65535);
    inRange('pullThresholdForTopic', s.pullThresholdForTopic, 1, 6553500, true);
    inRange('pullThresholdSizeForQueue', s.pullThresholdSizeForQueue, 1, 1024);
    inRange('pullThresholdSizeForTopic', s.pullThresholdSizeForTopic, 1, 102400, true);
    inRange('pullInterval', s.pullInterval, 0, 65535);
    inRange('consumeMessageBatchMaxSize', s.consumeMessageBatchMaxSize, 1, 1024);
    inRange('pullBatchSize', s.pullBatchSize, 1, 1024);
  }

  /**
   * RESET_CONSUMER_CLIENT_OFFSET (`mqadmin resetOffsetByTime`): pause, drop the topic's
   * queues and their buffers, store the new offsets, remove the queues (which persists the
   * offsets), and resume: the next rebalance re-creates the queues at the new offsets.
   */
  async resetOffset(topic: string, offsetTable: ReadonlyArray<readonly [MessageQueue, number]>): Promise<void> {
    const impl = this.impl;
    impl.pause = true;
    try {
      for (const [mq, pq] of impl.rebalanceImpl.processQueueTable.entries()) {
        if (mq.topic !== topic) continue;
        pq.dropped = true;
        pq.clear();
      }
      for (const [mq, offset] of offsetTable) impl.offsetStore.updateOffset(mq, offset, false);
      for (const [mq] of offsetTable) await impl.rebalanceImpl.removeProcessQueue(mq, 'rebalance');
    } finally {
      impl.pause = false;
      await impl.doRebalance();
    }
  }

  /**
   * CONSUME_MESSAGE_DIRECTLY (`mqadmin consumeMessage`): hand one message to the listener
   * outside the pull loop and report how it went (Java `ConsumeMessageDirectlyResult`).
   * Nothing is sent back or committed.
   */
  async consumeMessageDirectly(msg: MessageExt, brokerName: string | undefined): Promise<Record<string, unknown>> {
    const impl = this.impl;
    const listener = impl.messageListenerInner;
    const mq = { topic: msg.topic, brokerName: brokerName ?? msg.brokerName, queueId: msg.queueId };
    impl.resetRetryAndNamespace([msg]);
    const begin = impl.clock.now();
    let consumeResult = 'CR_RETURN_NULL';
    let remark: string | undefined;
    try {
      const status = listener?.orderly === true
        ? await listener.consumeMessage([msg], newConsumeOrderlyContext(mq))
        : await listener?.consumeMessage([msg], newConsumeConcurrentlyContext(mq));
      if (status !== undefined) consumeResult = DIRECT_RESULTS[status];
    } catch (error) {
      consumeResult = 'CR_THROW_EXCEPTION';
      remark = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    return {
      order: listener?.orderly === true, autoCommit: true, consumeResult, spentTimeMills: impl.clock.now() - begin,
      ...(remark === undefined ? {} : { remark }),
    };
  }

  /** A plain-JSON snapshot for GET_CONSUMER_RUNNING_INFO (Java `ConsumerRunningInfo`, simplified). */
  consumerRunningInfo(): Record<string, unknown> {
    const impl = this.impl;
    const offsets = new Map(impl.offsetStore.cloneOffsetTable().map(([mq, offset]) => [messageQueueKey(mq), offset]));
    const mqTable: Record<string, unknown> = {};
    for (const [mq, pq] of impl.rebalanceImpl.processQueueTable.entries()) {
      const key = messageQueueKey(mq);
      mqTable[key] = {
        commitOffset: offsets.get(key) ?? -1, cachedMsgCount: pq.msgCount, cachedMsgSizeInMiB: Math.floor(pq.msgSize / (1024 * 1024)),
        locked: pq.locked, droped: pq.dropped, lastPullTimestamp: pq.lastPullTimestamp, lastConsumeTimestamp: pq.lastConsumeTimestamp,
      };
    }
    return {
      properties: {
        PROP_CONSUME_ORDERLY: String(impl.consumeOrderly),
        PROP_CONSUME_TYPE: impl.consumeType(),
        PROP_THREADPOOL_CORE_SIZE: String(impl.settings.consumeThreadMax),
        PROP_CONSUMER_START_TIMESTAMP: String(impl.consumerStartTimestamp),
      },
      subscriptionSet: impl.subscriptions(),
      mqTable,
      statusTable: {},
    };
  }
}
