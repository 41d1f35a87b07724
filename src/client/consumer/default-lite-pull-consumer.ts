/**
 * DefaultLitePullConsumer: a consumer the application drives itself, by calling
 * `poll()` in its own loop, like a Kafka consumer.
 *
 * The push consumer calls the application (a listener per message batch) and manages
 * progress for it. Some applications want the opposite: take a batch when they are ready,
 * decide themselves when progress counts, jump back to an offset to re-read. RocketMQ 4.6
 * added this "lite" pull consumer for them; it keeps the push consumer's machinery
 * underneath (rebalance, long-polled pulls, offset stores) and replaces the listener with
 * a cache the application drains:
 *
 * ```
 *   consumer = new DefaultLitePullConsumer({ platform, events, consumerGroup: 'cg', namesrvAddr })
 *   await consumer.subscribe('TopicA', 'TagA || TagB')      // queues shared by the group, or
 *   consumer.assign(await consumer.fetchMessageQueues('TopicA'))   // the application picks
 *   await consumer.start()
 *   for (;;) {
 *     const msgs = await consumer.poll(1000)                // up to pullBatchSize (10) of one queue
 *     handle(msgs)                                          // auto commit every 5 s by default
 *   }
 * ```
 *
 * Behind `poll()`, one pull task per assigned queue keeps PULL_MESSAGE requests going to
 * the queue's broker, each long-polled up to 20 s and flagged as a lite pull
 * (sysFlag bit 4), with the subscription in the request (bit 2), so the broker needs no
 * heartbeat-registered subscription for an assigned queue. Flow control stops pulling when
 * the cache holds `pullThresholdForAll` (10000) messages or a queue buffers
 * `pullThresholdForQueue` (1000).
 *
 * Differences from RocketMQ 4.9.x:
 * - Options object instead of setters; the settings stay public fields.
 * - `poll`, `seek*`, `committed`, `commitSync`, `subscribe`, `fetchMessageQueues`,
 *   `offsetForTimestamp`, `start` and `shutdown` return Promises.
 * - `consumeTimestamp` is epoch ms (Java: `yyyyMMddHHmmss`), default half an hour before start.
 * - `rebalanceIntervalMillis` sets the period of the RebalanceService this consumer attaches
 *   to its client instance when none is attached (Java: the system property
 *   `rocketmq.client.rebalance.waitInterval`).
 * - No namespace, trace dispatcher, RPC hook or topic metadata listener; `pullThreadNums`
 *   does not apply (one event loop).
 *
 * @mirrors org.apache.rocketmq.client.consumer.DefaultLitePullConsumer
 * @article pull-consume-2 "The lite pull consumer"
 * @category Client
 * @module
 */
import type { MessageExt } from '../../common/message/message-ext.js';
import { DEFAULT_CONSUMER_GROUP } from '../../common/mix-all.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue-keyed-map.js';
import type { ConsumeFromWhere } from '../../common/protocol/heartbeat/consume-from-where.js';
import type { MessageModel } from '../../common/protocol/heartbeat/message-model.js';
import { SUB_ALL } from '../../common/protocol/heartbeat/subscription-data.js';
import { NodeEvents, type EventSink } from '../../events/event-sink.js';
import type { Platform } from '../../platform/platform.js';
import type { RemotingClientConfig } from '../../remoting/remoting-config.js';
import { clientConfig as buildClientConfig, type ClientConfig } from '../client-config.js';
import type { MQClientInstance } from '../mq-client-instance.js';
import { MQClientManager } from '../mq-client-manager.js';
import { AllocateMessageQueueAveragely } from './allocate/allocate-message-queue-averagely.js';
import type { AllocateMessageQueueStrategy } from './allocate/allocate-message-queue-strategy.js';
import { DefaultLitePullConsumerImpl, type LitePullConsumerSettings } from './lite/default-lite-pull-consumer-impl.js';
import type { MessageSelector } from './message-selector.js';
import type { OffsetStore } from './store/offset-store.js';

export interface DefaultLitePullConsumerOptions {
  platform: Platform;
  events: EventSink;
  /** Node name for events. @defaultValue the consumer group */
  node?: string;
  /** @defaultValue 'DEFAULT_CONSUMER' (which `start()` refuses, as Java does) */
  consumerGroup?: string;
  /** Client settings (ignored when `clientInstance` is given: the instance's apply). */
  clientConfig?: Partial<ClientConfig>;
  /** Shorthand for `clientConfig.namesrvAddr`. */
  namesrvAddr?: string;
  /** Use this instance instead of one from the manager. */
  clientInstance?: MQClientInstance;
  /** Where to find or register the instance. @defaultValue a private manager */
  clientManager?: MQClientManager;
  remotingConfig?: Partial<RemotingClientConfig>;
  /** @defaultValue 'CLUSTERING' */
  messageModel?: MessageModel;
  /** @defaultValue AllocateMessageQueueAveragely */
  allocateMessageQueueStrategy?: AllocateMessageQueueStrategy;
  /** @defaultValue the model's store: the broker (clustering) or a local file (broadcasting) */
  offsetStore?: OffsetStore;
  /** Directory of the broadcasting offsets file. @defaultValue '.rocketmq_offsets' */
  localOffsetStoreDir?: string;
  /** @defaultValue true */
  autoCommit?: boolean;
  /** Milliseconds; at least 1000. @defaultValue 5000 */
  autoCommitIntervalMillis?: number;
  /** Messages per pull. @defaultValue 10 */
  pullBatchSize?: number;
  /** Cached messages (consume requests × pullBatchSize) before all pulls pause. @defaultValue 10000 */
  pullThresholdForAll?: number;
  /** Buffered messages of one queue before its pulls pause. @defaultValue 1000 */
  pullThresholdForQueue?: number;
  /** Buffered MiB of one queue before its pulls pause. @defaultValue 100 */
  pullThresholdSizeForQueue?: number;
  /** Offset span buffered in one queue before its pulls pause. @defaultValue 2000 */
  consumeMaxSpan?: number;
  /** `poll()` without an argument waits this long (ms). @defaultValue 5000 */
  pollTimeoutMillis?: number;
  /** How long the broker may hold a pull (ms). @defaultValue 20000 */
  brokerSuspendMaxTimeMillis?: number;
  /** RPC timeout of a held pull (ms); must exceed the hold. @defaultValue 30000 */
  consumerTimeoutMillisWhenSuspend?: number;
  /** Wait after a failed pull (ms). @defaultValue 1000 */
  pullTimeDelayMillisWhenException?: number;
  /** Where a group with no stored offset starts. @defaultValue 'CONSUME_FROM_LAST_OFFSET' */
  consumeFromWhere?: ConsumeFromWhere;
  /** Epoch ms for CONSUME_FROM_TIMESTAMP. @defaultValue 30 minutes before construction */
  consumeTimestamp?: number;
  /** @defaultValue false */
  unitMode?: boolean;
  /** Period of the RebalanceService attached when the instance has none (ms). @defaultValue 20000 */
  rebalanceIntervalMillis?: number;
}

/** Java `MIN_AUTOCOMMIT_INTERVAL_MILLIS`. */
const MIN_AUTOCOMMIT_INTERVAL_MILLIS = 1000;

export class DefaultLitePullConsumer implements LitePullConsumerSettings {
  readonly consumerGroup: string;
  readonly clientConfig: ClientConfig;
  readonly mQClientFactory: MQClientInstance;
  readonly defaultLitePullConsumerImpl: DefaultLitePullConsumerImpl;
  messageModel: MessageModel;
  allocateMessageQueueStrategy: AllocateMessageQueueStrategy;
  offsetStore: OffsetStore | undefined;
  localOffsetStoreDir: string | undefined;
  autoCommit: boolean;
  private autoCommitInterval: number;
  pullBatchSize: number;
  pullThresholdForAll: number;
  pullThresholdForQueue: number;
  pullThresholdSizeForQueue: number;
  consumeMaxSpan: number;
  pollTimeoutMillis: number;
  brokerSuspendMaxTimeMillis: number;
  consumerTimeoutMillisWhenSuspend: number;
  pullTimeDelayMillisWhenException: number;
  consumeFromWhere: ConsumeFromWhere;
  consumeTimestamp: number;
  unitMode: boolean;
  rebalanceIntervalMillis: number | undefined;

  constructor(options: DefaultLitePullConsumerOptions) {
    this.consumerGroup = options.consumerGroup ?? DEFAULT_CONSUMER_GROUP;
    this.messageModel = options.messageModel ?? 'CLUSTERING';
    this.allocateMessageQueueStrategy = options.allocateMessageQueueStrategy ?? new AllocateMessageQueueAveragely();
    this.offsetStore = options.offsetStore;
    this.localOffsetStoreDir = options.localOffsetStoreDir;
    this.autoCommit = options.autoCommit ?? true;
    this.autoCommitInterval = Math.max(MIN_AUTOCOMMIT_INTERVAL_MILLIS, options.autoCommitIntervalMillis ?? 5000);
    this.pullBatchSize = options.pullBatchSize ?? 10;
    this.pullThresholdForAll = options.pullThresholdForAll ?? 10_000;
    this.pullThresholdForQueue = options.pullThresholdForQueue ?? 1000;
    this.pullThresholdSizeForQueue = options.pullThresholdSizeForQueue ?? 100;
    this.consumeMaxSpan = options.consumeMaxSpan ?? 2000;
    this.pollTimeoutMillis = options.pollTimeoutMillis ?? 5000;
    this.brokerSuspendMaxTimeMillis = options.brokerSuspendMaxTimeMillis ?? 20_000;
    this.consumerTimeoutMillisWhenSuspend = options.consumerTimeoutMillisWhenSuspend ?? 30_000;
    this.pullTimeDelayMillisWhenException = options.pullTimeDelayMillisWhenException ?? 1000;
    this.consumeFromWhere = options.consumeFromWhere ?? 'CONSUME_FROM_LAST_OFFSET';
    this.consumeTimestamp = options.consumeTimestamp ?? options.platform.clock.now() - 30 * 60 * 1000;
    this.unitMode = options.unitMode ?? false;
    this.rebalanceIntervalMillis = options.rebalanceIntervalMillis;
    const node = options.node ?? options.clientInstance?.node ?? this.consumerGroup;
    if (options.clientInstance !== undefined) {
      this.mQClientFactory = options.clientInstance;
      this.clientConfig = options.clientInstance.clientConfig;
    } else {
      this.clientConfig = buildClientConfig({ ...options.clientConfig, ...(options.namesrvAddr === undefined ? {} : { namesrvAddr: options.namesrvAddr }) });
      const manager = options.clientManager ?? new MQClientManager();
      this.mQClientFactory = manager.getOrCreateMQClientInstance(this.clientConfig, {
        platform: options.platform,
        events: options.events,
        node,
        ...(options.remotingConfig === undefined ? {} : { remotingConfig: options.remotingConfig }),
      });
    }
    this.defaultLitePullConsumerImpl = new DefaultLitePullConsumerImpl(this, this.mQClientFactory, new NodeEvents(options.events, node, 'LitePullConsumer'));
  }

  /** Milliseconds between automatic commits (values below 1000 are raised to 1000, as Java does). */
  get autoCommitIntervalMillis(): number {
    return this.autoCommitInterval;
  }

  set autoCommitIntervalMillis(ms: number) {
    this.autoCommitInterval = Math.max(MIN_AUTOCOMMIT_INTERVAL_MILLIS, ms);
  }

  /** Register with the client instance, start it, and start pulling what was assigned or subscribed. */
  start(): Promise<void> {
    return this.defaultLitePullConsumerImpl.start();
  }

  /** Stop pulling, write the offsets out, leave the group and stop the instance if idle. */
  shutdown(): Promise<void> {
    return this.defaultLitePullConsumerImpl.shutdown();
  }

  get isRunning(): boolean {
    return this.defaultLitePullConsumerImpl.state === 'RUNNING';
  }

  /**
   * Read `topic` from the queues the group's rebalance gives this client, filtered by a tag
   * expression (`'TagA || TagB'`) or a {@link MessageSelector} (`MessageSelector.bySql('a > 5')`,
   * evaluated by the broker).
   */
  subscribe(topic: string, subExpression: string | MessageSelector = SUB_ALL): Promise<void> {
    if (typeof subExpression === 'string') return this.defaultLitePullConsumerImpl.subscribe(topic, subExpression);
    return this.defaultLitePullConsumerImpl.subscribe(topic, subExpression.expression, subExpression.type);
  }

  /** Stop reading `topic`. */
  unsubscribe(topic: string): void {
    this.defaultLitePullConsumerImpl.unsubscribe(topic);
  }

  /** Read exactly these queues (no rebalance); replaces the previous assignment. */
  assign(messageQueues: readonly MessageQueue[]): void {
    this.defaultLitePullConsumerImpl.assign(messageQueues);
  }

  /** The tag filter applied to an assigned topic (default `*`). */
  setSubExpressionForAssign(topic: string, subExpression: string): void {
    this.defaultLitePullConsumerImpl.setSubExpressionForAssign(topic, subExpression);
  }

  /** The queues this consumer reads now. */
  assignment(): MessageQueue[] {
    return this.defaultLitePullConsumerImpl.assignment();
  }

  /** The next pulled batch of one queue, waiting up to `timeoutMs` (default `pollTimeoutMillis`); `[]` when none came. */
  poll(timeoutMs: number = this.pollTimeoutMillis): Promise<MessageExt[]> {
    return this.defaultLitePullConsumerImpl.poll(timeoutMs);
  }

  /** Make the next messages of `mq` start at `offset` (within the queue's min and max offsets). */
  seek(mq: MessageQueue, offset: number): Promise<void> {
    return this.defaultLitePullConsumerImpl.seek(mq, offset, 'seek');
  }

  /** Seek to the smallest offset still stored. */
  async seekToBegin(mq: MessageQueue): Promise<void> {
    const impl = this.defaultLitePullConsumerImpl;
    impl.checkServiceState();
    await impl.seek(mq, await impl.admin.minOffset(mq), 'seekToBegin');
  }

  /** Seek to the next offset to be written: only messages sent from now on. */
  async seekToEnd(mq: MessageQueue): Promise<void> {
    const impl = this.defaultLitePullConsumerImpl;
    impl.checkServiceState();
    await impl.seek(mq, await impl.admin.maxOffset(mq), 'seekToEnd');
  }

  /** Stop (`pause`) or restart (`resume`) pulling these assigned queues; what is buffered can still be polled. */
  pause(messageQueues: readonly MessageQueue[]): void {
    this.defaultLitePullConsumerImpl.pause(messageQueues, true);
  }

  resume(messageQueues: readonly MessageQueue[]): void {
    this.defaultLitePullConsumerImpl.pause(messageQueues, false);
  }

  /**
   * Record what `poll()` has handed out as the group's progress. With `persist`, also
   * write it to the brokers now and wait (else the 5 s timer does; broadcasting always
   * writes its local file).
   */
  async commitSync(persist = false): Promise<void> {
    const impl = this.defaultLitePullConsumerImpl;
    impl.checkServiceState();
    await impl.commitAll(false, persist);
  }

  /** The group's offset of `mq` (memory first, then the store); -1 when it has none. */
  committed(mq: MessageQueue): Promise<number> {
    return this.defaultLitePullConsumerImpl.committed(mq);
  }

  /** The readable queues of `topic`, from the name server. */
  async fetchMessageQueues(topic: string): Promise<MessageQueue[]> {
    this.defaultLitePullConsumerImpl.checkServiceState();
    return await this.defaultLitePullConsumerImpl.admin.fetchSubscribeMessageQueues(topic);
  }

  /** The offset of `mq` whose message was stored closest to `timestamp` (epoch ms), as the broker's store answers. */
  async offsetForTimestamp(mq: MessageQueue, timestamp: number): Promise<number> {
    this.defaultLitePullConsumerImpl.checkServiceState();
    return await this.defaultLitePullConsumerImpl.admin.searchOffset(mq, timestamp);
  }

  /** Replace the name server list. */
  updateNameServerAddress(namesrvAddr: string): void {
    this.mQClientFactory.mqClientAPIImpl.updateNameServerAddressList(namesrvAddr.split(';').map((a) => a.trim()).filter((a) => a.length > 0));
  }
}
