/**
 * DefaultMQPushConsumer: the consumer most applications use. Subscribe to topics, register
 * a listener, start; messages arrive at the listener as they are stored.
 *
 * ```ts
 *   const consumer = new DefaultMQPushConsumer({ platform, events, consumerGroup: 'cg', namesrvAddr: '10.0.0.1:9876' });
 *   consumer.subscribe('TopicA', 'TagA || TagB');
 *   consumer.registerMessageListener({ consumeMessage: (msgs) => ConsumeConcurrentlyStatus.CONSUME_SUCCESS });
 *   await consumer.start();
 * ```
 *
 * Nothing is pushed, though. Underneath, the consumer works like this (a tour of the files
 * in this folder):
 *
 * 1. **Rebalance** (`rebalance-impl.ts`, `allocate/`): every member of the group sorts the
 *    topic's queues and the group's client ids and takes its slice. Clustering splits the
 *    queues; broadcasting gives every member all of them.
 * 2. **Pull loop** (`default-mq-push-consumer-impl.ts`, `pull-message-service.ts`): one
 *    PullRequest per assigned queue circulates forever: pull 32 messages, buffer them, pull
 *    again. When nothing is new the broker holds the pull for up to 15 s (long polling) and
 *    answers the moment a message lands, which is why it feels like push.
 * 3. **Buffer and flow control** (`process-queue.ts`): each queue's messages wait in a
 *    ProcessQueue; above 1000 messages, 100 MiB or an offset span of 2000 the loop slows down.
 * 4. **Consumption** (`consume-message-*-service.ts`): concurrently (up to 20 calls at once;
 *    failures go back to the broker, which redelivers them later via `%RETRY%group`) or
 *    orderly (one call at a time per queue, under a broker lock; failures retry in place).
 * 5. **Progress** (`store/`): the commit offset (the smallest unfinished offset) goes to the
 *    broker every 5 s and with every pull (clustering), or to a local file (broadcasting).
 *
 * Differences from RocketMQ 4.9.x:
 * - Options object instead of setters; `start()`/`shutdown()` are async.
 * - `consumeThreadMax` limits listener calls in flight (no thread pool; `consumeThreadMin` is ignored).
 * - No namespace, trace dispatcher, consume hooks or `adjustThreadPoolNumsThreshold`.
 *
 * @mirrors org.apache.rocketmq.client.consumer.DefaultMQPushConsumer
 * @article pull-consume-1 "The push consumer"
 * @category Client
 * @module
 */
import type { MessageExt } from '../../common/message/message-ext.js';
import { buildSubscriptionData } from '../../common/filter/filter-api.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue-keyed-map.js';
import type { ConsumeFromWhere } from '../../common/protocol/heartbeat/consume-from-where.js';
import type { MessageModel } from '../../common/protocol/heartbeat/message-model.js';
import { timeMillisToHumanString } from '../../common/time-format.js';
import { NodeEvents, NOOP_SINK, type EventSink } from '../../events/event-sink.js';
import type { Platform } from '../../platform/platform.js';
import type { RemotingClientConfig } from '../../remoting/remoting-config.js';
import { clientConfig as buildClientConfig, type ClientConfig } from '../client-config.js';
import { MQClientError } from '../errors.js';
import type { MQClientInstance } from '../mq-client-instance.js';
import { MQClientManager } from '../mq-client-manager.js';
import { topicRouteData2TopicSubscribeInfo } from '../route/topic-route-conversion.js';
import { AllocateMessageQueueAveragely } from './allocate/allocate-message-queue-averagely.js';
import type { AllocateMessageQueueStrategy } from './allocate/allocate-message-queue-strategy.js';
import { DefaultMQPushConsumerImpl, type SendBackVia } from './default-mq-push-consumer-impl.js';
import type { MessageListener, MessageListenerConcurrently, MessageListenerOrderly } from './listener/message-listener.js';
import type { MessageSelector } from './message-selector.js';
import type { OffsetStore } from './store/offset-store.js';

/** The settings the engine reads (each documented on {@link DefaultMQPushConsumerOptions}). */
export interface PushConsumerSettings {
  readonly consumerGroup: string;
  messageModel: MessageModel;
  consumeFromWhere: ConsumeFromWhere;
  consumeTimestamp: string;
  consumeTimestampUtcOffsetMinutes: number;
  allocateMessageQueueStrategy: AllocateMessageQueueStrategy;
  consumeThreadMax: number;
  consumeConcurrentlyMaxSpan: number;
  pullThresholdForQueue: number;
  pullThresholdSizeForQueue: number;
  pullThresholdForTopic: number;
  pullThresholdSizeForTopic: number;
  pullInterval: number;
  consumeMessageBatchMaxSize: number;
  pullBatchSize: number;
  postSubscriptionWhenPull: boolean;
  maxReconsumeTimes: number;
  suspendCurrentQueueTimeMillis: number;
  consumeTimeout: number;
  maxTimeConsumeContinuously: number;
  pullTimeDelayMillisWhenException: number;
  localOffsetStoreDir: string | undefined;
  unitMode: boolean;
}

export interface DefaultMQPushConsumerOptions extends Partial<Omit<PushConsumerSettings, 'consumerGroup' | 'unitMode'>> {
  platform: Platform;
  /** @defaultValue a sink that keeps nothing */
  events?: EventSink;
  /** Node name for events. @defaultValue the instance's node, else the consumer group */
  node?: string;
  consumerGroup: string;
  /** Client settings (ignored when `clientInstance` is given). */
  clientConfig?: Partial<ClientConfig>;
  /** Shorthand for `clientConfig.namesrvAddr`. */
  namesrvAddr?: string;
  /** Use this instance instead of one from the manager. */
  clientInstance?: MQClientInstance;
  /** Where to find or register the instance. @defaultValue a private manager */
  clientManager?: MQClientManager;
  remotingConfig?: Partial<RemotingClientConfig>;
  /** Topic → subscription expression, applied as `subscribe(topic, expression)`. */
  subscription?: Record<string, string>;
  /**
   * The listener (same as `registerMessageListener(listener)`): orderly when it says
   * `orderly: true`. An inline literal here needs typed parameters (TypeScript cannot tell
   * the two kinds apart from a literal without `orderly`); `registerMessageListener` and
   * `messageListenerOrderly` do not.
   */
  messageListener?: MessageListener;
  /** An orderly listener (same as `registerMessageListener({ orderly: true, ...listener })`). */
  messageListenerOrderly?: Omit<MessageListenerOrderly, 'orderly'>;
  /** A custom offset store (default: by message model). */
  offsetStore?: OffsetStore;
}

export class DefaultMQPushConsumer implements PushConsumerSettings {
  readonly consumerGroup: string;
  /** CLUSTERING (queues split across the group) or BROADCASTING (every member gets everything). @defaultValue 'CLUSTERING' */
  messageModel: MessageModel;
  /** Where a group with no stored offset starts. @defaultValue 'CONSUME_FROM_LAST_OFFSET' */
  consumeFromWhere: ConsumeFromWhere;
  /** For CONSUME_FROM_TIMESTAMP: `yyyyMMddHHmmss`. @defaultValue half an hour before construction */
  consumeTimestamp: string;
  /** Zone of `consumeTimestamp`, minutes east of UTC. @defaultValue 0 */
  consumeTimestampUtcOffsetMinutes: number;
  /** @defaultValue AllocateMessageQueueAveragely */
  allocateMessageQueueStrategy: AllocateMessageQueueStrategy;
  /** Listener calls in flight at most (Java: the consume thread pool's maximum). @defaultValue 20 */
  consumeThreadMax: number;
  /** Concurrently: pause pulling a queue whose buffered offsets span more than this. @defaultValue 2000 */
  consumeConcurrentlyMaxSpan: number;
  /** Pause pulling a queue with more buffered messages than this. @defaultValue 1000 */
  pullThresholdForQueue: number;
  /** Pause pulling a queue with more buffered body MiB than this. @defaultValue 100 */
  pullThresholdSizeForQueue: number;
  /** Topic-wide message limit, split over the queues held; -1 for none. @defaultValue -1 */
  pullThresholdForTopic: number;
  /** Topic-wide MiB limit, split over the queues held; -1 for none. @defaultValue -1 */
  pullThresholdSizeForTopic: number;
  /** Wait between pulls of a queue that found messages (ms). @defaultValue 0 */
  pullInterval: number;
  /** Messages per listener call. @defaultValue 1 */
  consumeMessageBatchMaxSize: number;
  /** Messages per pull. @defaultValue 32 */
  pullBatchSize: number;
  /** Send the subscription with every pull instead of relying on the heartbeat. @defaultValue false */
  postSubscriptionWhenPull: boolean;
  /** Retries before the DLQ; -1 means 16 (concurrently) or unlimited (orderly). @defaultValue -1 */
  maxReconsumeTimes: number;
  /** Orderly: pause after SUSPEND_CURRENT_QUEUE_A_MOMENT (ms). @defaultValue 1000 */
  suspendCurrentQueueTimeMillis: number;
  /** Concurrently: a listener call older than this (minutes) is sent back. @defaultValue 15 */
  consumeTimeout: number;
  /** Orderly: one request consumes a queue at most this long (ms) before yielding. @defaultValue 60000 */
  maxTimeConsumeContinuously: number;
  /** Wait before pulling again after an error (ms). @defaultValue 3000 */
  pullTimeDelayMillisWhenException: number;
  /** Broadcasting: the offsets directory. @defaultValue '.rocketmq_offsets' */
  localOffsetStoreDir: string | undefined;
  readonly unitMode: boolean;
  readonly clientConfig: ClientConfig;
  readonly mQClientFactory: MQClientInstance;
  readonly defaultMQPushConsumerImpl: DefaultMQPushConsumerImpl;

  constructor(options: DefaultMQPushConsumerOptions) {
    this.consumerGroup = options.consumerGroup;
    this.messageModel = options.messageModel ?? 'CLUSTERING';
    this.consumeFromWhere = options.consumeFromWhere ?? 'CONSUME_FROM_LAST_OFFSET';
    this.consumeTimestamp = options.consumeTimestamp ?? timeMillisToHumanString(options.platform.clock.now() - 30 * 60_000).slice(0, 14);
    this.consumeTimestampUtcOffsetMinutes = options.consumeTimestampUtcOffsetMinutes ?? 0;
    this.allocateMessageQueueStrategy = options.allocateMessageQueueStrategy ?? new AllocateMessageQueueAveragely();
    this.consumeThreadMax = options.consumeThreadMax ?? 20;
    this.consumeConcurrentlyMaxSpan = options.consumeConcurrentlyMaxSpan ?? 2000;
    this.pullThresholdForQueue = options.pullThresholdForQueue ?? 1000;
    this.pullThresholdSizeForQueue = options.pullThresholdSizeForQueue ?? 100;
    this.pullThresholdForTopic = options.pullThresholdForTopic ?? -1;
    this.pullThresholdSizeForTopic = options.pullThresholdSizeForTopic ?? -1;
    this.pullInterval = options.pullInterval ?? 0;
    this.consumeMessageBatchMaxSize = options.consumeMessageBatchMaxSize ?? 1;
    this.pullBatchSize = options.pullBatchSize ?? 32;
    this.postSubscriptionWhenPull = options.postSubscriptionWhenPull ?? false;
    this.maxReconsumeTimes = options.maxReconsumeTimes ?? -1;
    this.suspendCurrentQueueTimeMillis = options.suspendCurrentQueueTimeMillis ?? 1000;
    this.consumeTimeout = options.consumeTimeout ?? 15;
    this.maxTimeConsumeContinuously = options.maxTimeConsumeContinuously ?? 60_000;
    this.pullTimeDelayMillisWhenException = options.pullTimeDelayMillisWhenException ?? 3000;
    this.localOffsetStoreDir = options.localOffsetStoreDir;
    const events = options.events ?? NOOP_SINK;
    const node = options.node ?? options.clientInstance?.node ?? this.consumerGroup;
    if (options.clientInstance !== undefined) {
      this.mQClientFactory = options.clientInstance;
      this.clientConfig = options.clientInstance.clientConfig;
    } else {
      this.clientConfig = buildClientConfig({ ...options.clientConfig, ...(options.namesrvAddr === undefined ? {} : { namesrvAddr: options.namesrvAddr }) });
      this.mQClientFactory = (options.clientManager ?? new MQClientManager()).getOrCreateMQClientInstance(this.clientConfig, {
        platform: options.platform,
        events,
        node,
        ...(options.remotingConfig === undefined ? {} : { remotingConfig: options.remotingConfig }),
      });
    }
    this.unitMode = this.clientConfig.unitMode;
    this.defaultMQPushConsumerImpl = new DefaultMQPushConsumerImpl(this, this.mQClientFactory, new NodeEvents(events, node), options.offsetStore);
    for (const [topic, expression] of Object.entries(options.subscription ?? {})) this.subscribe(topic, expression);
    if (options.messageListener !== undefined) this.defaultMQPushConsumerImpl.messageListenerInner = options.messageListener;
    if (options.messageListenerOrderly !== undefined) this.registerMessageListener({ ...options.messageListenerOrderly, orderly: true });
  }

  /**
   * Subscribe to `topic` with a tag expression (`"*"`, `"TagA || TagB"`) or a
   * {@link MessageSelector} (`MessageSelector.bySql(...)`). Replaces an earlier subscription
   * of the topic; after start the brokers hear about it with the next heartbeat, sent now.
   */
  subscribe(topic: string, expression: string | MessageSelector = '*'): void {
    const impl = this.defaultMQPushConsumerImpl;
    const now = impl.clock.now();
    const data = typeof expression === 'string'
      ? buildSubscriptionData(topic, expression, undefined, now)
      : buildSubscriptionData(topic, expression.expression, expression.type, now);
    impl.rebalanceImpl.subscriptionInner.set(topic, data);
    if (impl.state === 'RUNNING') void this.mQClientFactory.sendHeartbeatToAllBrokerWithLock();
  }

  /** Stop subscribing to `topic`; its queues are dropped at the next rebalance. */
  unsubscribe(topic: string): void {
    this.defaultMQPushConsumerImpl.rebalanceImpl.subscriptionInner.delete(topic);
  }

  /**
   * Set the listener (before start): concurrently by default, orderly when the listener says
   * `orderly: true`. (Two overloads, so an inline listener's parameters get their types.)
   */
  registerMessageListener(listener: MessageListenerConcurrently): void;
  registerMessageListener(listener: MessageListenerOrderly): void;
  registerMessageListener(listener: MessageListener): void {
    this.defaultMQPushConsumerImpl.messageListenerInner = listener;
  }

  /** Join the group and start consuming; resolves after the first heartbeat, with a rebalance under way. */
  start(): Promise<void> {
    return this.defaultMQPushConsumerImpl.start();
  }

  /** Persist offsets, leave the group and stop. */
  shutdown(): Promise<void> {
    return this.defaultMQPushConsumerImpl.shutdown();
  }

  /** Stop pulling (queues stay assigned). */
  suspend(): void {
    this.defaultMQPushConsumerImpl.pause = true;
  }

  /** Pull again and rebalance now. */
  resume(): void {
    this.defaultMQPushConsumerImpl.pause = false;
    void this.defaultMQPushConsumerImpl.doRebalance();
  }

  /** Send `msg` back for a retry at `delayLevel` (0 = the broker decides). */
  sendMessageBack(msg: MessageExt, delayLevel: number, brokerName?: string): Promise<SendBackVia> {
    return this.defaultMQPushConsumerImpl.sendMessageBack(msg, delayLevel, brokerName);
  }

  /** The readable queues of `topic`, from the name server. */
  async fetchSubscribeMessageQueues(topic: string): Promise<MessageQueue[]> {
    await this.mQClientFactory.updateTopicRouteInfoFromNameServer(topic);
    const route = this.mQClientFactory.getTopicRouteData(topic);
    if (route === undefined) throw new MQClientError(-1, `Can not find Message Queue for this topic, ${topic}`);
    return topicRouteData2TopicSubscribeInfo(topic, route);
  }
}
