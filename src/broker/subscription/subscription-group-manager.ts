/**
 * SubscriptionGroupManager: the consumer groups this broker knows, kept in
 * `config/subscriptionGroup.json`.
 *
 * Every pull, heartbeat and send-back names a consumer group, and the broker looks up that
 * group's {@link SubscriptionGroupConfig} first: may it consume at all, how many retry queues
 * does it have, after how many redeliveries do its messages go to the dead-letter topic.
 * Groups are usually not created by hand: the first lookup of an unknown group creates it
 * with the defaults, unless `autoCreateSubscriptionGroup` is off (RocketMQ's own
 * `CID_RMQ_SYS_*` groups are created even then).
 *
 * ```
 *   findSubscriptionGroupConfig("cg")
 *     in the table? ── yes ──► it
 *       │ no
 *     autoCreateSubscriptionGroup, or a CID_RMQ_SYS_ group? ── no ──► undefined
 *       │ yes                                                         (SUBSCRIPTION_GROUP_NOT_EXIST)
 *     add { groupName: "cg", retryQueueNums: 1, retryMaxTimes: 16, ... }; nextVersion; persist
 * ```
 *
 * Built-in groups (Java's `init`): TOOLS_CONSUMER, FILTERSRV_CONSUMER, SELF_TEST_C_GROUP,
 * CID_ONS-HTTP-PROXY, CID_ONSAPI_PULL, CID_ONSAPI_PERMISSION, CID_ONSAPI_OWNER (the last
 * four with broadcasting allowed, which is the default anyway).
 *
 * JSON: `{"dataVersion":{"counter":..,"timestamp":..},"subscriptionGroupTable":{"cg":{..}}}`.
 *
 * Differences from RocketMQ 4.9.x:
 * - A lookup that auto-creates bumps the version and persists only when it really added
 *   the group (Java does it on every miss, even when another thread won the race).
 *
 * @mirrors org.apache.rocketmq.broker.subscription.SubscriptionGroupManager
 * @article schedule-retry "Retry and dead-letter topics"
 * @emits broker.group.created, broker.config.loaded, broker.config.persist-failed
 * @category Broker
 * @module
 */
import type { BrokerConfig } from '../../common/config/broker-config.js';
import { parseFastjson, writeFastjson } from '../../common/json/fastjson.js';
import { asObject, optObject } from '../../common/json/json-fields.js';
import {
  CID_ONSAPI_OWNER_GROUP,
  CID_ONSAPI_PERMISSION_GROUP,
  CID_ONSAPI_PULL_GROUP,
  FILTERSRV_CONSUMER_GROUP,
  isSysConsumerGroup,
  ONS_HTTP_PROXY_GROUP,
  SELF_TEST_CONSUMER_GROUP,
  TOOLS_CONSUMER_GROUP,
} from '../../common/mix-all.js';
import { DataVersion } from '../../common/protocol/body/data-version.js';
import { SubscriptionGroupConfig } from '../../common/subscription/subscription-group-config.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';
import type { FileSystem } from '../../platform/storage.js';
import { ConfigManager, getSubscriptionGroupPath } from '../config-manager.js';

export interface SubscriptionGroupManagerOptions {
  readonly fs: FileSystem;
  readonly clock: Clock;
  readonly events: NodeEvents;
  /** Where `config/subscriptionGroup.json` lives. */
  readonly storePathRootDir: string;
  readonly brokerConfig: Pick<BrokerConfig, 'autoCreateSubscriptionGroup'>;
}

export class SubscriptionGroupManager extends ConfigManager {
  /** Group name → config. Read freely; change it only through the methods below. */
  readonly subscriptionGroupTable = new Map<string, SubscriptionGroupConfig>();
  /** Bumped on every change (a slave copies the table when it differs). */
  readonly dataVersion: DataVersion;
  private readonly clock: Clock;
  private readonly config: Pick<BrokerConfig, 'autoCreateSubscriptionGroup'>;

  constructor(options: SubscriptionGroupManagerOptions) {
    super({ fs: options.fs, events: options.events, configFilePath: getSubscriptionGroupPath(options.storePathRootDir) });
    this.clock = options.clock;
    this.config = options.brokerConfig;
    this.dataVersion = new DataVersion(options.clock.now(), 0);
    for (const group of [TOOLS_CONSUMER_GROUP, FILTERSRV_CONSUMER_GROUP, SELF_TEST_CONSUMER_GROUP]) {
      this.subscriptionGroupTable.set(group, new SubscriptionGroupConfig(group));
    }
    for (const group of [ONS_HTTP_PROXY_GROUP, CID_ONSAPI_PULL_GROUP, CID_ONSAPI_PERMISSION_GROUP, CID_ONSAPI_OWNER_GROUP]) {
      const config = new SubscriptionGroupConfig(group);
      config.consumeBroadcastEnable = true;
      this.subscriptionGroupTable.set(group, config);
    }
  }

  /** The group's config, auto-created when allowed (see the module diagram); `undefined` otherwise. */
  findSubscriptionGroupConfig(group: string): SubscriptionGroupConfig | undefined {
    const existing = this.subscriptionGroupTable.get(group);
    if (existing !== undefined) return existing;
    if (!this.config.autoCreateSubscriptionGroup && !isSysConsumerGroup(group)) return undefined;
    const created = new SubscriptionGroupConfig(group);
    this.subscriptionGroupTable.set(group, created);
    this.dataVersion.nextVersion(this.clock.now());
    this.persist();
    this.events.emit('broker.group.created', { group });
    return created;
  }

  /** Create or replace a group (UPDATE_AND_CREATE_SUBSCRIPTIONGROUP). */
  updateSubscriptionGroupConfig(config: SubscriptionGroupConfig): void {
    this.subscriptionGroupTable.set(config.groupName, config);
    this.dataVersion.nextVersion(this.clock.now());
    this.persist();
  }

  /** Stop a group from consuming (a slow consumer, `disableConsumeIfConsumerReadSlowly`). Not persisted, as in Java. */
  disableConsume(group: string): void {
    const config = this.subscriptionGroupTable.get(group);
    if (config === undefined) return;
    config.consumeEnable = false;
    this.dataVersion.nextVersion(this.clock.now());
  }

  /** Remove a group (DELETE_SUBSCRIPTIONGROUP). Does nothing when it does not exist. */
  deleteSubscriptionGroupConfig(group: string): void {
    if (!this.subscriptionGroupTable.delete(group)) return;
    this.dataVersion.nextVersion(this.clock.now());
    this.persist();
  }

  /** `{"dataVersion":{..},"subscriptionGroupTable":{"cg":{..}}}` (also the GET_ALL_SUBSCRIPTIONGROUP_CONFIG body). */
  encode(): string {
    return writeFastjson({ dataVersion: this.dataVersion, subscriptionGroupTable: this.subscriptionGroupTable });
  }

  /** Merge subscriptionGroup.json over the table (Java: `putAll`). */
  protected decode(jsonString: string): void {
    const path = 'subscriptionGroup.json';
    const obj = asObject(parseFastjson(jsonString, path), path);
    const versionJson = optObject(obj, 'dataVersion', path);
    const version = versionJson === undefined ? undefined : DataVersion.fromJson(versionJson, `${path}.dataVersion`);
    const parsed: Array<[string, SubscriptionGroupConfig]> = [];
    for (const [group, value] of Object.entries(optObject(obj, 'subscriptionGroupTable', path) ?? {})) {
      if (value === null || value === undefined) continue;
      parsed.push([group, SubscriptionGroupConfig.fromJson(value, `${path}.subscriptionGroupTable.${group}`, group)]);
    }
    for (const [group, config] of parsed) this.subscriptionGroupTable.set(group, config);
    if (version !== undefined) this.dataVersion.assignNewOne(version);
  }
}
