/**
 * What the admin processor may touch: the narrow views of the broker's managers it reads
 * and changes, gathered into the options of `AdminBrokerProcessor`.
 *
 * Java's `AdminBrokerProcessor` holds the whole `BrokerController` and reaches into it
 * forty different ways. Here each collaborator is an interface listing only the methods
 * the admin requests call, named exactly as in the broker contract (and in Java), so the
 * controller can pass its real managers and a test can pass small fakes.
 *
 * ```
 *   AdminBrokerProcessorOptions
 *     topicConfigManager        topics: create, delete, list, stats
 *     subscriptionGroupManager  groups: create, delete, list
 *     consumerOffsetManager     committed offsets: stats, reset, cleanup
 *     consumerManager           live consumers: connections, subscriptions
 *     producerManager           live producers: connections
 *     rebalanceLockManager      orderly consumers' queue locks
 *     messageStore              offsets by time, min/max, runtime numbers
 *     remotingServer            tell one client something (offset resets)
 *     registerIncrementBrokerData   register one new topic with the name servers
 * ```
 *
 * Differences from RocketMQ 4.9.x: the processor receives these collaborators, never the
 * controller. Optional members (`registerIncrementBrokerData`, `brokerStats`,
 * `diskSpace`, `scheduleMessageService`) are used when present and degrade gracefully
 * (documented at each use) when not.
 *
 * @mirrors org.apache.rocketmq.broker.processor.AdminBrokerProcessor
 * @article topic "Creating a topic"
 * @category Broker
 * @module
 */
import type { BrokerConfig } from '../../../common/config/broker-config.js';
import type { MessageStoreConfig } from '../../../common/config/message-store-config.js';
import type { DataVersion } from '../../../common/protocol/body/data-version.js';
import type { SubscriptionGroupConfig } from '../../../common/subscription/subscription-group-config.js';
import type { TopicConfigSerializeWrapper } from '../../../common/protocol/body/topic-config-serialize-wrapper.js';
import type { TopicConfig } from '../../../common/topic/topic-config.js';
import type { NodeEvents } from '../../../events/event-sink.js';
import type { Clock } from '../../../platform/clock.js';
import type { DiskSpace } from '../../../platform/storage.js';
import type { Connection } from '../../../platform/transport.js';
import type { RemotingServer } from '../../../remoting/remoting-server.js';
import type { MessageStore } from '../../../store/message-store.js';
import type { MessageQueue } from '../../../common/protocol/body/message-queue-keyed-map.js';

/** Topics (Java `TopicConfigManager`). */
export interface AdminTopicConfigManager {
  selectTopicConfig(topic: string): TopicConfig | undefined;
  readonly topicConfigTable: ReadonlyMap<string, TopicConfig>;
  /** Insert or replace, bump the DataVersion, persist. */
  updateTopicConfig(topicConfig: TopicConfig): void;
  deleteTopicConfig(topic: string): void;
  buildTopicConfigSerializeWrapper(): TopicConfigSerializeWrapper;
  readonly dataVersion: DataVersion;
  /** Whether `topic` is reserved (the static system topics plus this broker's cluster and broker names). */
  isSystemTopic(topic: string): boolean;
}

/** Subscription groups (Java `SubscriptionGroupManager`). */
export interface AdminSubscriptionGroupManager {
  updateSubscriptionGroupConfig(config: SubscriptionGroupConfig): void;
  deleteSubscriptionGroupConfig(group: string): void;
  readonly subscriptionGroupTable: ReadonlyMap<string, SubscriptionGroupConfig>;
  /** Written into GET_ALL_SUBSCRIPTIONGROUP_CONFIG (a slave compares it). */
  readonly dataVersion: DataVersion;
}

/** Committed consumer offsets (Java `ConsumerOffsetManager`). Keys of `offsetTable` are `topic@group`. */
export interface AdminConsumerOffsetManager {
  /** The committed queue offset, -1 when the group has none for this queue. */
  queryOffset(group: string, topic: string, queueId: number): number;
  commitOffset(clientHost: string, group: string, topic: string, queueId: number, offset: number): void;
  readonly offsetTable: ReadonlyMap<string, ReadonlyMap<number, number>>;
  whichTopicByConsumer(group: string): Iterable<string>;
  whichGroupByTopic(topic: string): Iterable<string>;
  cleanOffsetByTopic(topic: string): void;
  /** Drop every offset of a group (DELETE_SUBSCRIPTIONGROUP with `removeOffset`). */
  removeOffset(group: string): void;
}

/** One client connection as the broker tracks it (Java `ClientChannelInfo`). */
export interface AdminClientChannelInfo {
  /** The connection the client's requests arrive on (one-way notices go back on it). */
  readonly connection: Connection;
  readonly clientId: string;
  /** The client's LanguageCode name (`'JAVA'`). */
  readonly language: string;
  readonly version: number;
  /** The client's `"host:port"` as seen by the broker. */
  readonly remoteAddress: string;
}

/** A consumer group's members and subscriptions (Java `ConsumerGroupInfo`). */
export interface AdminConsumerGroupInfo {
  readonly consumeType: string;
  readonly messageModel: string;
  readonly consumeFromWhere: string;
  /** topic to SubscriptionData (only its serialized fields are read). */
  readonly subscriptionTable: ReadonlyMap<string, unknown>;
  /** channel to ClientChannelInfo. */
  readonly channelInfoTable: ReadonlyMap<unknown, AdminClientChannelInfo>;
}

/** Live consumers (Java `ConsumerManager`). */
export interface AdminConsumerManager {
  getConsumerGroupInfo(group: string): AdminConsumerGroupInfo | undefined;
  findSubscriptionData(group: string, topic: string): unknown;
  /** How many topics the group's live members subscribe. */
  findSubscriptionDataCount(group: string): number;
  /** Groups whose live members subscribe `topic`. */
  queryTopicConsumeByWho(topic: string): Iterable<string>;
}

/** Live producers (Java `ProducerManager`). */
export interface AdminProducerManager {
  /** producer group to (channel to ClientChannelInfo). */
  getGroupChannelTable(): ReadonlyMap<string, ReadonlyMap<unknown, AdminClientChannelInfo>>;
}

/** Queue locks of orderly consumers (Java `RebalanceLockManager`). */
export interface AdminRebalanceLockManager {
  /** Lock what can be locked for `clientId`; returns the queues it now holds. */
  tryLockBatch(group: string, mqs: ReadonlySet<MessageQueue>, clientId: string): Iterable<MessageQueue>;
  unlockBatch(group: string, mqs: ReadonlySet<MessageQueue>, clientId: string): void;
}

/** Message counters for GET_BROKER_RUNTIME_INFO (Java `BrokerStats`); zeros are reported without it. */
export interface AdminBrokerStats {
  readonly msgPutTotalTodayNow: number;
  readonly msgGetTotalTodayNow: number;
  readonly msgPutTotalTodayMorning?: number;
  readonly msgGetTotalTodayMorning?: number;
  readonly msgPutTotalYesterdayMorning?: number;
  readonly msgGetTotalYesterdayMorning?: number;
}

export interface AdminBrokerProcessorOptions {
  brokerConfig: Readonly<BrokerConfig>;
  storeConfig: Readonly<MessageStoreConfig>;
  messageStore: MessageStore;
  topicConfigManager: AdminTopicConfigManager;
  subscriptionGroupManager: AdminSubscriptionGroupManager;
  consumerOffsetManager: AdminConsumerOffsetManager;
  consumerManager: AdminConsumerManager;
  producerManager: AdminProducerManager;
  rebalanceLockManager: AdminRebalanceLockManager;
  clock: Clock;
  events: NodeEvents;
  /** Sends one-way notices to clients (RESET_CONSUMER_CLIENT_OFFSET); either of the broker's servers will do. */
  remotingServer: Pick<RemotingServer, 'invokeOneway'>;
  /**
   * Register one created or updated topic with the name servers at once (Java
   * `registerIncrementBrokerData`). Leave it out when the topic manager's change listener
   * already triggers a registration.
   */
  registerIncrementBrokerData?: (topicConfig: TopicConfig, dataVersion: DataVersion) => void;
  /** The version this broker speaks (`brokerVersion` in GET_BROKER_RUNTIME_INFO). @defaultValue 293 */
  remotingVersion?: number;
  /** When the broker started (ms), for `bootTimestamp`/`runtime` in the runtime info. */
  bootTimestamp?: number;
  brokerStats?: AdminBrokerStats;
  /** Disk usage of the store's partition, for `commitLogDiskRatio` (e.g. `fs.diskSpace`). */
  diskSpace?: (path: string) => DiskSpace;
  /** Delay-level offsets of the store's ScheduleMessageService; without one GET_ALL_DELAY_OFFSET answers SYSTEM_ERROR. */
  scheduleMessageService?: { encode(): string };
}
