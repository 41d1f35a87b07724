/**
 * TopicConfigManager: the topics this broker hosts, kept in `config/topics.json` and sent to
 * every name server with each registration.
 *
 * A topic exists on a broker when its TopicConfig is in this table. Three things put it
 * there: the broker itself at start (the system topics below), an operator
 * (UPDATE_AND_CREATE_TOPIC, through {@link TopicConfigManager.updateTopicConfig}), and a
 * producer sending to a topic nobody created, which the broker then creates by copying the
 * template topic TBW102:
 *
 * ```
 *   send "TopicX" (header: defaultTopic=TBW102, defaultTopicQueueNums=4)
 *     TopicX in the table? ── yes ──► use it
 *       │ no
 *     TBW102 in the table, with INHERIT (perm 7)?  ── no ──► TOPIC_NOT_EXIST
 *       │ yes                                       (TBW102 exists only when autoCreateTopicEnable)
 *     TopicX = { queues: min(4, TBW102.writeQueueNums = 8) = 4,  perm: 7 & ~INHERIT = 6 }
 *     dataVersion.nextVersion(); persist topics.json; register with the name servers (one-way)
 * ```
 *
 * Every change bumps {@link TopicConfigManager.dataVersion}; the name server rebuilds its
 * routes from a registration only when the version differs from the last one it saw.
 *
 * System topics created at start (4.9):
 *
 * ```
 *   SELF_TEST_TOPIC        1/1     perm 6
 *   TBW102                 8/8     perm 7 (INHERIT|R|W)   only when autoCreateTopicEnable
 *   BenchmarkTest          1024/1024
 *   <brokerClusterName>    16/16   perm 7 (1 when clusterTopicEnable=false)
 *   <brokerName>           1/1     perm 7 (1 when brokerTopicEnable=false)
 *   OFFSET_MOVED_EVENT     1/1
 *   SCHEDULE_TOPIC_XXXX    18/18   (one queue per delay level)
 *   RMQ_SYS_TRACE_TOPIC    1/1     only when traceTopicEnable
 *   <cluster>_REPLY_TOPIC  1/1
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - No lock: the methods run to completion on one thread (Java takes `topicConfigTableLock`
 *   with a 3 s timeout).
 * - Instead of calling back into the BrokerController to register with the name servers,
 *   the manager tells its {@link TopicConfigManager.onTopicsChanged} listeners; the
 *   controller registers.
 * - With `autoCreateTopicEnable=false`, a TBW102 loaded from an old topics.json is treated
 *   as not inheritable; Java rewrites its perm to 6 in the table as a side effect.
 * - The cluster and broker-name topics are system topics of this manager
 *   ({@link TopicConfigManager.isSystemTopic}) rather than of a static global set.
 *
 * @mirrors org.apache.rocketmq.broker.topic.TopicConfigManager
 * @article topic "TopicConfigManager: the broker's topic table"
 * @emits broker.topic.created, broker.config.loaded, broker.config.persist-failed
 * @category Broker
 * @module
 */
import type { BrokerConfig } from '../../common/config/broker-config.js';
import { PermName, isInherited } from '../../common/constant/perm-name.js';
import { parseFastjson, writeFastjson } from '../../common/json/fastjson.js';
import { getReplyTopic } from '../../common/mix-all.js';
import { DataVersion } from '../../common/protocol/body/data-version.js';
import { TopicConfigSerializeWrapper } from '../../common/protocol/body/topic-config-serialize-wrapper.js';
import { TopicConfig } from '../../common/topic/topic-config.js';
import {
  AUTO_CREATE_TOPIC_KEY_TOPIC,
  RMQ_SYS_BENCHMARK_TOPIC,
  RMQ_SYS_OFFSET_MOVED_EVENT,
  RMQ_SYS_SCHEDULE_TOPIC,
  RMQ_SYS_SELF_TEST_TOPIC,
  isSystemTopic,
} from '../../common/topic/topic-validator.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';
import type { FileSystem } from '../../platform/storage.js';
import { ConfigManager, getTopicConfigPath } from '../config-manager.js';

/** One queue per delay level of `SCHEDULE_TOPIC_XXXX` (Java `SCHEDULE_TOPIC_QUEUE_NUM`). */
export const SCHEDULE_TOPIC_QUEUE_NUM = 18;

/** What changed in the table, for {@link TopicConfigManager.onTopicsChanged} listeners. */
export interface TopicsChange {
  readonly reason: 'created' | 'updated' | 'deleted' | 'order-changed';
  readonly topics: readonly string[];
}

export type TopicsChangedListener = (change: TopicsChange) => void;

/** The broker settings the topic table depends on. */
export type TopicConfigManagerBrokerConfig = Pick<
  BrokerConfig,
  | 'brokerClusterName'
  | 'brokerName'
  | 'autoCreateTopicEnable'
  | 'defaultTopicQueueNums'
  | 'clusterTopicEnable'
  | 'brokerTopicEnable'
  | 'traceTopicEnable'
  | 'msgTraceTopicName'
>;

export interface TopicConfigManagerOptions {
  readonly fs: FileSystem;
  readonly clock: Clock;
  readonly events: NodeEvents;
  /** Where `config/topics.json` lives. */
  readonly storePathRootDir: string;
  readonly brokerConfig: TopicConfigManagerBrokerConfig;
}

export class TopicConfigManager extends ConfigManager {
  /** Topic name → config. Read freely; change it only through the methods below. */
  readonly topicConfigTable = new Map<string, TopicConfig>();
  /** Bumped on every change; sent with every registration. */
  readonly dataVersion: DataVersion;
  private readonly clock: Clock;
  private readonly config: TopicConfigManagerBrokerConfig;
  private readonly systemTopics = new Set<string>();
  private readonly listeners: TopicsChangedListener[] = [];

  constructor(options: TopicConfigManagerOptions) {
    super({ fs: options.fs, events: options.events, configFilePath: getTopicConfigPath(options.storePathRootDir) });
    this.clock = options.clock;
    this.config = options.brokerConfig;
    this.dataVersion = new DataVersion(options.clock.now(), 0);
    this.createSystemTopics();
  }

  /** The table at start, before `load()` merges topics.json over it (Java: the constructor's `init`). */
  private createSystemTopics(): void {
    const c = this.config;
    const inheritRW = PermName.PERM_INHERIT | PermName.PERM_READ | PermName.PERM_WRITE;
    this.addSystemTopic(new TopicConfig(RMQ_SYS_SELF_TEST_TOPIC, 1, 1));
    if (c.autoCreateTopicEnable) {
      this.addSystemTopic(new TopicConfig(AUTO_CREATE_TOPIC_KEY_TOPIC, c.defaultTopicQueueNums, c.defaultTopicQueueNums, inheritRW));
    }
    this.addSystemTopic(new TopicConfig(RMQ_SYS_BENCHMARK_TOPIC, 1024, 1024));
    this.addSystemTopic(new TopicConfig(c.brokerClusterName, 16, 16, c.clusterTopicEnable ? inheritRW : PermName.PERM_INHERIT));
    this.addSystemTopic(new TopicConfig(c.brokerName, 1, 1, c.brokerTopicEnable ? inheritRW : PermName.PERM_INHERIT));
    this.addSystemTopic(new TopicConfig(RMQ_SYS_OFFSET_MOVED_EVENT, 1, 1));
    this.addSystemTopic(new TopicConfig(RMQ_SYS_SCHEDULE_TOPIC, SCHEDULE_TOPIC_QUEUE_NUM, SCHEDULE_TOPIC_QUEUE_NUM));
    if (c.traceTopicEnable) this.addSystemTopic(new TopicConfig(c.msgTraceTopicName, 1, 1));
    this.addSystemTopic(new TopicConfig(getReplyTopic(c.brokerClusterName), 1, 1));
  }

  private addSystemTopic(config: TopicConfig): void {
    this.systemTopics.add(config.topicName);
    this.topicConfigTable.set(config.topicName, config);
  }

  /** True for RocketMQ's own topics, this cluster's and this broker's name topics included. */
  isSystemTopic(topic: string): boolean {
    return isSystemTopic(topic) || this.systemTopics.has(topic);
  }

  /** The system topics this manager created at start. */
  getSystemTopics(): ReadonlySet<string> {
    return this.systemTopics;
  }

  /** Call `listener` after every change to the table. Returns a function that unregisters it. */
  onTopicsChanged(listener: TopicsChangedListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  selectTopicConfig(topic: string): TopicConfig | undefined {
    return this.topicConfigTable.get(topic);
  }

  isOrderTopic(topic: string): boolean {
    return this.topicConfigTable.get(topic)?.order ?? false;
  }

  /**
   * A producer sent to `topic`, which does not exist: create it from `defaultTopic`
   * (TBW102) when that exists and has INHERIT (see the module diagram). Returns the
   * existing or new config, or `undefined` when it may not be created.
   */
  createTopicInSendMessageMethod(
    topic: string,
    defaultTopic: string,
    remoteAddress: string,
    clientDefaultTopicQueueNums: number,
    topicSysFlag: number,
  ): TopicConfig | undefined {
    const existing = this.topicConfigTable.get(topic);
    if (existing !== undefined) return existing;
    const template = this.topicConfigTable.get(defaultTopic);
    if (template === undefined) return undefined; // Java: "the default topic[..] not exist. producer:[remoteAddress]"
    // Java: with auto-creation off, TBW102 (say, from an old topics.json) must not act as a template.
    const inheritable = isInherited(template.perm) && (defaultTopic !== AUTO_CREATE_TOPIC_KEY_TOPIC || this.config.autoCreateTopicEnable);
    if (!inheritable) return undefined; // Java: "the default topic[..] has no perm [..] producer:[remoteAddress]"
    const queueNums = Math.max(0, Math.min(clientDefaultTopicQueueNums, template.writeQueueNums));
    const created = new TopicConfig(topic, queueNums, queueNums, template.perm & ~PermName.PERM_INHERIT);
    created.topicSysFlag = topicSysFlag;
    created.topicFilterType = template.topicFilterType;
    this.putCreated(created, 'send', { defaultTopic, from: remoteAddress });
    return created;
  }

  /**
   * A retry or dead-letter topic is needed for a consumer's send-back: create it with
   * `clientDefaultTopicQueueNums` queues and `perm` when it does not exist.
   */
  createTopicInSendMessageBackMethod(topic: string, clientDefaultTopicQueueNums: number, perm: number, topicSysFlag: number): TopicConfig | undefined {
    const existing = this.topicConfigTable.get(topic);
    if (existing !== undefined) return existing;
    const created = new TopicConfig(topic, clientDefaultTopicQueueNums, clientDefaultTopicQueueNums, perm);
    created.topicSysFlag = topicSysFlag;
    this.putCreated(created, 'send-back');
    return created;
  }

  private putCreated(created: TopicConfig, via: 'send' | 'send-back', origin: { defaultTopic?: string; from?: string } = {}): void {
    this.topicConfigTable.set(created.topicName, created);
    this.dataVersion.nextVersion(this.clock.now());
    this.persist();
    const { topicName: topic, readQueueNums, writeQueueNums, perm } = created;
    this.events.emit('broker.topic.created', { topic, readQueueNums, writeQueueNums, perm, via, ...origin });
    this.notify({ reason: 'created', topics: [topic] });
  }

  /** Create or replace a topic (UPDATE_AND_CREATE_TOPIC). */
  updateTopicConfig(topicConfig: TopicConfig): void {
    const existed = this.topicConfigTable.has(topicConfig.topicName);
    this.topicConfigTable.set(topicConfig.topicName, topicConfig);
    this.dataVersion.nextVersion(this.clock.now());
    this.persist();
    this.notify({ reason: existed ? 'updated' : 'created', topics: [topicConfig.topicName] });
  }

  /** Remove a topic (DELETE_TOPIC_IN_BROKER). Does nothing when it does not exist. */
  deleteTopicConfig(topic: string): void {
    if (!this.topicConfigTable.delete(topic)) return;
    this.dataVersion.nextVersion(this.clock.now());
    this.persist();
    this.notify({ reason: 'deleted', topics: [topic] });
  }

  /**
   * Mark exactly the topics of the name server's ORDER_TOPIC_CONFIG table as ordered
   * (a registration's answer, when the controller asks to check the order config).
   */
  updateOrderTopicConfig(orderTopics: ReadonlyMap<string, string>): void {
    const changed: string[] = [];
    for (const [topic, config] of this.topicConfigTable) {
      const order = orderTopics.has(topic);
      if (config.order !== order) {
        config.order = order;
        changed.push(topic);
      }
    }
    if (changed.length === 0) return;
    this.dataVersion.nextVersion(this.clock.now());
    this.persist();
    this.notify({ reason: 'order-changed', topics: changed });
  }

  /** The table and its version, as sent in REGISTER_BROKER (a snapshot: later changes do not show). */
  buildTopicConfigSerializeWrapper(): TopicConfigSerializeWrapper {
    return new TopicConfigSerializeWrapper(new Map(this.topicConfigTable), this.dataVersion.clone());
  }

  /** `{"dataVersion":{"counter":..,"timestamp":..},"topicConfigTable":{"T":{..}}}`. */
  encode(): string {
    return writeFastjson({ dataVersion: this.dataVersion, topicConfigTable: this.topicConfigTable });
  }

  /** Merge topics.json over the table (Java: `putAll`, so the file's version of a system topic wins). */
  protected decode(jsonString: string): void {
    const wrapper = TopicConfigSerializeWrapper.fromJson(parseFastjson(jsonString, 'topics.json'), 'topics.json');
    for (const [topic, config] of wrapper.topicConfigTable) this.topicConfigTable.set(topic, config);
    this.dataVersion.assignNewOne(wrapper.dataVersion);
  }

  private notify(change: TopicsChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }
}
