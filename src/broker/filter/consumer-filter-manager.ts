/**
 * ConsumerFilterManager: the broker's table of SQL92 filters, one per consumer group and
 * topic, fed by heartbeats and kept in `config/consumerFilter.json`.
 *
 * A SQL92 subscription costs a compile, so it is compiled once, when a heartbeat brings it
 * (through the consumer-ids-change listener's REGISTER event), and every pull of the group
 * uses the compiled form kept here. TAG subscriptions never come here: their consume-queue
 * tag codes need no table.
 *
 * ```
 *   filterDataByTopic   topic ──► group ──► ConsumerFilterData { expression, compiled, bloom bits, born, dead, clientVersion }
 *
 *   register(group, subList)          for each non-TAG subscription: registerOne(...)
 *                                     then mark dead the group's filters on topics it no longer lists
 *   registerOne(topic, group, expr, type, clientVersion)
 *     none yet                          compile ──► store (new)         compile fails ──► skip
 *     clientVersion <  stored           ignore (an old heartbeat arriving late)
 *     clientVersion == stored           ignore, but revive a dead entry
 *     clientVersion >  stored, same expression and bloom   bump clientVersion (revive if dead)
 *     clientVersion >  stored, other expression            compile ──► replace   fails ──► drop the old one
 *   unRegister(group)                 the group's last member left: mark its filters dead (deadTime = now)
 *   encode() (persist)                first drop entries dead for ≥ filterDataCleanTimeSpan (24 h)
 *   decode() (load at start)          compile each entry, mark every entry dead (no consumer has spoken yet);
 *                                     if any entry's bloom data does not fit this broker's bloom filter
 *                                     (settings changed), ignore the whole file
 * ```
 *
 * The bloom filter is the one `CommitLogDispatcherCalcBitMap` uses to stamp each stored
 * message with the bits of the groups whose expression it matched; its size (k hash functions,
 * m bits) comes from `maxErrorRateOfBloomFilter` (20 %) and `expectConsumerNumUseFilter` (32),
 * giving k = 3 and m = 112. Each group's positions are `generate("group#topic")`.
 *
 * Differences from RocketMQ 4.9.x:
 * - A compile failure is reported as `broker.filter.compile-failed` (Java logs it).
 * - The clean time span and the bloom settings are constructor options with Java's defaults;
 *   the controller, not this class, copies `m` into the store config.
 * - The table is replaced only when the whole file decodes; Java replaces it even when an
 *   entry failed to compile, and so do we for that case (the entry keeps no compiled form).
 *
 * @mirrors org.apache.rocketmq.broker.filter.ConsumerFilterManager
 * @mirrors org.apache.rocketmq.broker.filter.ConsumerFilterManager.FilterDataMapByTopic
 * @article filtersrv "Filtering on the broker"
 * @emits broker.filter.registered, broker.filter.compile-failed, broker.filter.unregistered, broker.filter.removed, broker.filter.loaded, broker.config.loaded, broker.config.persist-failed
 * @category Broker
 * @module
 */
import { parseFastjson, writeFastjson } from '../../common/json/fastjson.js';
import { asObject, optObject, type JsonObject } from '../../common/json/json-fields.js';
import { isTagType, type SubscriptionData } from '../../common/protocol/heartbeat/subscription-data.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { FilterCompileSite } from '../../events/kinds/broker-filter-events.js';
import { FilterFactory } from '../../filter/filter-factory.js';
import type { Expression } from '../../filter/expression/expression.js';
import { BloomFilter } from '../../filter/util/bloom-filter.js';
import type { BloomFilterData } from '../../filter/util/bloom-filter-data.js';
import type { Clock } from '../../platform/clock.js';
import type { FileSystem } from '../../platform/storage.js';
import { ConfigManager } from '../config-manager.js';
import { ConsumerFilterData } from './consumer-filter-data.js';

/** Java `BrokerConfig.maxErrorRateOfBloomFilter` (percent). */
export const DEFAULT_MAX_ERROR_RATE_OF_BLOOM_FILTER = 20;
/** Java `BrokerConfig.expectConsumerNumUseFilter`. */
export const DEFAULT_EXPECT_CONSUMER_NUM_USE_FILTER = 32;
/** Java `BrokerConfig.filterDataCleanTimeSpan`: 24 h. */
export const DEFAULT_FILTER_DATA_CLEAN_TIME_SPAN = 24 * 3600 * 1000;
/** At load every entry is marked dead this long ago (Java: "we think all consumers are dead when load"). */
const DEAD_AT_LOAD_MS = 30_000;

export interface ConsumerFilterManagerOptions {
  readonly fs: FileSystem;
  /** `getConsumerFilterPath(storePathRootDir)`: `<root>/config/consumerFilter.json`. */
  readonly configPath: string;
  readonly clock: Clock;
  readonly events: NodeEvents;
  /** @defaultValue 20 (percent) */
  readonly maxErrorRateOfBloomFilter?: number;
  /** @defaultValue 32 */
  readonly expectConsumerNumUseFilter?: number;
  /** How long a dead entry is kept (ms). @defaultValue 86400000 */
  readonly filterDataCleanTimeSpan?: number;
}

/** The expression compiled for `type`; throws (an `MQFilterException` for SQL92) when it does not compile. */
export function compileExpression(type: string, expression: string): Expression {
  const spi = FilterFactory.get(type);
  if (spi === undefined) throw new Error(`no filter for expression type ${type}`);
  return spi.compile(expression);
}

/** The message of whatever a compile threw. */
export function compileErrorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class ConsumerFilterManager extends ConfigManager {
  /** topic ──► group ──► filter. Java: `filterDataByTopic` (of `FilterDataMapByTopic`). */
  readonly filterDataByTopic = new Map<string, Map<string, ConsumerFilterData>>();
  readonly bloomFilter: BloomFilter;
  private readonly clock: Clock;
  private readonly filterDataCleanTimeSpan: number;

  constructor(options: ConsumerFilterManagerOptions) {
    super({ fs: options.fs, configFilePath: options.configPath, events: options.events });
    this.clock = options.clock;
    this.filterDataCleanTimeSpan = options.filterDataCleanTimeSpan ?? DEFAULT_FILTER_DATA_CLEAN_TIME_SPAN;
    this.bloomFilter = BloomFilter.createByFn(
      options.maxErrorRateOfBloomFilter ?? DEFAULT_MAX_ERROR_RATE_OF_BLOOM_FILTER,
      options.expectConsumerNumUseFilter ?? DEFAULT_EXPECT_CONSUMER_NUM_USE_FILTER,
    );
  }

  /**
   * Java's static `build`: a new entry with its compiled expression, or `undefined` for a TAG
   * type. Throws what the compiler throws (an `MQFilterException` for bad SQL92). Bloom data
   * is not included.
   */
  static build(topic: string, consumerGroup: string, expression: string, type: string, clientVersion: number, now: number): ConsumerFilterData | undefined {
    if (isTagType(type)) return undefined;
    const compiledExpression = compileExpression(type, expression);
    return new ConsumerFilterData({ consumerGroup, topic, expression, expressionType: type, bornTime: now, clientVersion, compiledExpression });
  }

  /** A heartbeat's subscriptions of `consumerGroup` (the REGISTER event); see the module diagram. */
  register(consumerGroup: string, subList: readonly SubscriptionData[]): void {
    for (const sub of subList) this.registerOne(sub.topic, consumerGroup, sub.subString, sub.expressionType, sub.subVersion);
    const listed = new Set(subList.map((sub) => sub.topic));
    const now = this.clock.now();
    const deadTopics: string[] = [];
    for (const data of this.getByGroup(consumerGroup)) {
      if (listed.has(data.topic) || data.isDead()) continue;
      data.deadTime = now;
      deadTopics.push(data.topic);
    }
    if (deadTopics.length > 0) this.events.emit('broker.filter.unregistered', { group: consumerGroup, topics: deadTopics, reason: 'topic-unsubscribed' }, { flow: 'filter' });
  }

  /**
   * One subscription. Returns true when the table now holds a usable entry for it that this
   * call created, changed, refreshed or revived (Java's `register(topic, group, ...)`).
   */
  registerOne(topic: string, consumerGroup: string, expression: string, type: string, clientVersion: number): boolean {
    if (isTagType(type) || expression.length === 0) return false;
    let byGroup = this.filterDataByTopic.get(topic);
    if (byGroup === undefined) this.filterDataByTopic.set(topic, (byGroup = new Map()));
    const bloomFilterData = this.bloomFilter.generate(`${consumerGroup}#${topic}`);
    const old = byGroup.get(consumerGroup);
    if (old !== undefined && clientVersion <= old.clientVersion) {
      // An older (or the same) heartbeat: keep what is there; the same version may bring a dead entry back.
      if (clientVersion !== old.clientVersion || !old.isDead()) return false;
      old.deadTime = 0;
      this.emitRegistered(old, 'revived');
      return true;
    }
    if (old !== undefined && old.expression === expression && old.expressionType === type && sameBloom(old.bloomFilterData, bloomFilterData)) {
      const revived = old.isDead();
      old.clientVersion = clientVersion;
      old.deadTime = 0;
      this.emitRegistered(old, revived ? 'revived' : 'refreshed');
      return true;
    }
    const data = this.tryBuild(topic, consumerGroup, expression, type, clientVersion, 'heartbeat', old !== undefined);
    if (data === undefined) {
      // Java: "new expression compile error, remove old, let client report error".
      byGroup.delete(consumerGroup);
      if (byGroup.size === 0) this.filterDataByTopic.delete(topic);
      return false;
    }
    data.bloomFilterData = bloomFilterData;
    byGroup.set(consumerGroup, data);
    this.emitRegistered(data, old === undefined ? 'new' : 'changed');
    return true;
  }

  /** The group has no member left (the UNREGISTER event): mark each of its live filters dead. */
  unRegister(consumerGroup: string): void {
    const now = this.clock.now();
    const topics: string[] = [];
    for (const [topic, byGroup] of this.filterDataByTopic) {
      const data = byGroup.get(consumerGroup);
      if (data === undefined || data.isDead()) continue;
      data.deadTime = now;
      topics.push(topic);
    }
    if (topics.length > 0) this.events.emit('broker.filter.unregistered', { group: consumerGroup, topics, reason: 'group-gone' }, { flow: 'filter' });
  }

  /** The filter of `consumerGroup` on `topic` (dead or alive), or undefined. */
  get(topic: string, consumerGroup: string): ConsumerFilterData | undefined {
    return this.filterDataByTopic.get(topic)?.get(consumerGroup);
  }

  /** Every group's filter on `topic` (what the bit-map dispatcher evaluates), or undefined when none. */
  getByTopic(topic: string): readonly ConsumerFilterData[] | undefined {
    const byGroup = this.filterDataByTopic.get(topic);
    return byGroup === undefined || byGroup.size === 0 ? undefined : [...byGroup.values()];
  }

  /** Every filter of `consumerGroup`, on any topic. */
  getByGroup(consumerGroup: string): ConsumerFilterData[] {
    const found: ConsumerFilterData[] = [];
    for (const byGroup of this.filterDataByTopic.values()) {
      const data = byGroup.get(consumerGroup);
      if (data !== undefined) found.push(data);
    }
    return found;
  }

  /** Drop entries dead for at least the clean time span, and topics left empty (Java runs it before every write). */
  clean(): void {
    const now = this.clock.now();
    for (const [topic, byGroup] of [...this.filterDataByTopic]) {
      for (const [group, data] of [...byGroup]) {
        const deadForMs = data.howLongAfterDeath(now);
        if (deadForMs < this.filterDataCleanTimeSpan) continue;
        byGroup.delete(group);
        this.events.emit('broker.filter.removed', { group, topic, deadForMs }, { flow: 'filter' });
      }
      if (byGroup.size === 0) this.filterDataByTopic.delete(topic);
    }
  }

  /** consumerFilter.json: `{"filterDataByTopic":{topic:{"groupFilterData":{group:{..}},"topic":topic}}}`. Cleans first, as Java. */
  encode(): string {
    this.clean();
    const filterDataByTopic: Record<string, JsonObject> = {};
    for (const [topic, byGroup] of this.filterDataByTopic) {
      const groupFilterData: Record<string, JsonObject> = {};
      for (const [group, data] of byGroup) groupFilterData[group] = data.toJson();
      filterDataByTopic[topic] = { groupFilterData, topic };
    }
    return writeFastjson({ filterDataByTopic });
  }

  /** Load consumerFilter.json (see the module diagram). Everything is parsed before the table changes. */
  protected decode(jsonString: string): void {
    const path = 'consumerFilter';
    const root = asObject(parseFastjson(jsonString, path), path);
    const loaded = new Map<string, Map<string, ConsumerFilterData>>();
    for (const [topic, value] of Object.entries(optObject(root, 'filterDataByTopic', path) ?? {})) {
      if (value === null) continue;
      const at = `${path}.filterDataByTopic.${topic}`;
      const byGroup = new Map<string, ConsumerFilterData>();
      for (const [group, entry] of Object.entries(optObject(asObject(value, at), 'groupFilterData', at) ?? {})) {
        if (entry !== null) byGroup.set(group, ConsumerFilterData.fromJson(entry, `${at}.groupFilterData.${group}`));
      }
      loaded.set(topic, byGroup);
    }
    const now = this.clock.now();
    let filters = 0;
    for (const byGroup of loaded.values()) {
      for (const data of byGroup.values()) {
        if (data.bloomFilterData === undefined || !this.bloomFilter.isValid(data.bloomFilterData)) {
          // The bits were computed for another bloom filter: every stored bit map is meaningless for this one.
          this.events.emit('broker.filter.loaded', { topics: loaded.size, filters: 0, bloomChanged: true }, { flow: 'filter' });
          return;
        }
        data.compiledExpression = this.tryCompile(data, 'load');
        if (data.deadTime === 0) data.deadTime = Math.max(now - DEAD_AT_LOAD_MS, data.bornTime);
        filters++;
      }
    }
    this.filterDataByTopic.clear();
    for (const [topic, byGroup] of loaded) this.filterDataByTopic.set(topic, byGroup);
    this.events.emit('broker.filter.loaded', { topics: loaded.size, filters, bloomChanged: false }, { flow: 'filter' });
  }

  private tryBuild(topic: string, group: string, expression: string, type: string, clientVersion: number, site: FilterCompileSite, dropped: boolean): ConsumerFilterData | undefined {
    try {
      return ConsumerFilterManager.build(topic, group, expression, type, clientVersion, this.clock.now());
    } catch (error) {
      this.emitCompileFailed({ consumerGroup: group, topic, expression, expressionType: type }, error, site, dropped);
      return undefined;
    }
  }

  private tryCompile(data: ConsumerFilterData, site: FilterCompileSite): Expression | undefined {
    try {
      return compileExpression(data.expressionType, data.expression);
    } catch (error) {
      this.emitCompileFailed(data, error, site, false);
      return undefined;
    }
  }

  private emitCompileFailed(data: Pick<ConsumerFilterData, 'consumerGroup' | 'topic' | 'expression' | 'expressionType'>, error: unknown, site: FilterCompileSite, dropped: boolean): void {
    this.events.emit('broker.filter.compile-failed', {
      group: data.consumerGroup, topic: data.topic, expressionType: data.expressionType, expression: data.expression,
      error: compileErrorMessage(error), site, dropped,
    }, { flow: 'filter' });
  }

  private emitRegistered(data: ConsumerFilterData, change: 'new' | 'changed' | 'refreshed' | 'revived'): void {
    this.events.emit('broker.filter.registered', {
      group: data.consumerGroup, topic: data.topic, expressionType: data.expressionType, expression: data.expression,
      clientVersion: data.clientVersion, change, bitPos: [...(data.bloomFilterData?.bitPos ?? [])], bitNum: data.bloomFilterData?.bitNum ?? 0,
    }, { flow: 'filter' });
  }
}

/** Java `BloomFilterData.equals`: same bit count and the same positions in order. */
function sameBloom(a: BloomFilterData | undefined, b: BloomFilterData | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.bitNum === b.bitNum && a.bitPos.length === b.bitPos.length && a.bitPos.every((pos, i) => pos === b.bitPos[i]);
}
