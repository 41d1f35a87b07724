/**
 * RouteInfoManager: the name server's whole memory of the cluster, five tables that
 * brokers fill by registering and clients read as routes.
 *
 * A name server knows nothing on its own. Every broker tells it, every 30 seconds, "I am
 * broker-a, id 0, at 10.0.0.1:10911, in DefaultCluster, and here are my topics". From those
 * registrations it keeps five tables, and from two of them it answers every client's
 * "where does TopicA live?":
 *
 * ```
 *   topicQueueTable    topic ──► brokerName ──► QueueData      "TopicA" ──► { broker-a: 4/4 RW, broker-b: 4/4 RW }
 *   brokerAddrTable    brokerName ──► BrokerData               "broker-a" ──► { 0: 10.0.0.1:10911, 1: 10.0.0.2:10911 }
 *   clusterAddrTable   cluster ──► brokerNames                 "DefaultCluster" ──► { broker-a, broker-b }
 *   brokerLiveTable    brokerAddr ──► BrokerLiveInfo           "10.0.0.1:10911" ──► { lastUpdate, dataVersion, channel }
 *   filterServerTable  brokerAddr ──► filter servers           (4.x class filtering; almost always empty)
 *
 *   route of TopicA = topicQueueTable["TopicA"]  joined with  brokerAddrTable[each of its broker names]
 * ```
 *
 * Let us follow one broker group through its life.
 *
 * 1. **broker-a's master registers** (`registerBroker`, id 0). Its name joins the cluster's
 *    set, `brokerAddrs[0]` becomes its address, and because it is new, every topic config
 *    in its body becomes a QueueData under "broker-a". Its live info records *now* and the
 *    body's DataVersion.
 * 2. **Its slave registers** (id 1). It lands in the same BrokerData as `brokerAddrs[1]`,
 *    but its topics are ignored: **only a master's topic table shapes the routes**. The
 *    answer tells the slave where its master is (`masterAddr`) and where to replicate from
 *    (the master's `haServerAddr`).
 * 3. **Thirty seconds later the master registers again** with the same DataVersion. The
 *    topics are *not* re-read, only the live timestamp moves. When the broker creates a
 *    topic it bumps its DataVersion, and the next registration re-reads them: **a new
 *    broker or a changed version updates topics**. A topic the broker stopped listing is not
 *    removed; routes only lose a broker when the broker itself goes.
 * 4. **The master dies.** Either its connection closes (`onChannelDestroy`, at once) or
 *    it just goes silent, and the scan that runs every 10 s (`scanNotActiveBroker`) finds
 *    its `lastUpdateTimestamp` more than 120 s old. Its address leaves `brokerAddrs`; the
 *    slave keeps broker-a alive in the routes, readable but with no master, so producers
 *    skip it. When the last member goes, broker-a leaves its cluster and every topic, and
 *    topics left with no broker disappear.
 *
 * A broker that restarts on a new address with the same name and id simply overwrites
 * `brokerAddrs[id]`: the route points at the new address at once, and when the old
 * address later expires there is nothing left of it to remove.
 *
 * Differences from RocketMQ 4.9.x:
 * - No read-write lock: the name server is single-threaded, and no method here awaits.
 * - Routes list QueueDatas and BrokerDatas sorted by broker name (Java: `HashMap` order;
 *   clients sort them anyway).
 * - `onChannelDestroy` and `scanNotActiveBroker` emit one event naming what was removed.
 *
 * @mirrors org.apache.rocketmq.namesrv.routeinfo.RouteInfoManager
 * @mirrors org.apache.rocketmq.common.namesrv.RegisterBrokerResult
 * @article namesrv "The five tables"
 * @emits namesrv.broker.registered, namesrv.broker.unregistered, namesrv.broker.expired, namesrv.topic.deleted, namesrv.broker.perm-changed
 * @category Namesrv
 * @module
 */
import { PermName } from '../common/constant/perm-name.js';
import { MASTER_ID } from '../common/mix-all.js';
import type { ClusterInfo } from '../common/protocol/body/cluster-info.js';
import type { DataVersion } from '../common/protocol/body/data-version.js';
import type { TopicConfigSerializeWrapper } from '../common/protocol/body/topic-config-serialize-wrapper.js';
import type { TopicList } from '../common/protocol/body/topic-list.js';
import { cloneBrokerData, type BrokerData, type QueueData, type TopicRouteData } from '../common/protocol/route/topic-route-data.js';
import type { TopicConfig } from '../common/topic/topic-config.js';
import { hasUnitFlag, hasUnitSubFlag } from '../common/topic/topic-sys-flag.js';
import type { NodeEvents } from '../events/event-sink.js';
import type { Clock } from '../platform/clock.js';

/** A broker that stays silent longer than this (ms) is removed (Java's constant). */
export const BROKER_CHANNEL_EXPIRED_TIME = 120_000;

/** The connection a broker registered over, as far as the routes care (a remoting `RequestContext` is one). */
export interface BrokerChannel {
  readonly remoteAddress: string;
  close(reason: string): void;
}

/** What the name server remembers about a live broker address. */
export interface BrokerLiveInfo {
  lastUpdateTimestamp: number;
  dataVersion: DataVersion;
  channel: BrokerChannel | undefined;
  haServerAddr: string;
}

/** The fields of one REGISTER_BROKER. */
export interface RegisterBrokerRequest {
  clusterName: string;
  brokerAddr: string;
  brokerName: string;
  brokerId: number;
  haServerAddr: string;
  topicConfigWrapper: TopicConfigSerializeWrapper;
  /** `undefined` leaves the filter-server table alone; `[]` removes the entry. */
  filterServerList?: string[];
  channel?: BrokerChannel;
}

/** What a slave learns when it registers: its master, once the master is live. */
export interface RegisterBrokerResult {
  haServerAddr?: string;
  masterAddr?: string;
}

export interface RouteInfoManagerOptions {
  clock: Clock;
  events: NodeEvents;
  /** @defaultValue {@link BROKER_CHANNEL_EXPIRED_TIME} */
  brokerChannelExpiredTime?: number;
}

/** What removing one broker address took with it. */
interface Removal {
  brokerName: string;
  brokerId: number;
  brokerNameRemoved: boolean;
  topicsDropped: number;
}

export class RouteInfoManager {
  private readonly topicQueueTable = new Map<string, Map<string, QueueData>>();
  private readonly brokerAddrTable = new Map<string, BrokerData>();
  private readonly clusterAddrTable = new Map<string, Set<string>>();
  private readonly brokerLiveTable = new Map<string, BrokerLiveInfo>();
  private readonly filterServerTable = new Map<string, string[]>();
  private readonly clock: Clock;
  private readonly events: NodeEvents;
  readonly brokerChannelExpiredTime: number;

  constructor(options: RouteInfoManagerOptions) {
    this.clock = options.clock;
    this.events = options.events;
    this.brokerChannelExpiredTime = options.brokerChannelExpiredTime ?? BROKER_CHANNEL_EXPIRED_TIME;
  }

  // ---- Brokers arriving --------------------------------------------------------------------

  /** Record one registration (steps 1 to 3 of the overview). */
  registerBroker(request: RegisterBrokerRequest): RegisterBrokerResult {
    const { clusterName, brokerAddr, brokerName, brokerId, topicConfigWrapper } = request;
    // Java holds the write lock for all of this; we are single-threaded and nothing here awaits.
    let brokerNames = this.clusterAddrTable.get(clusterName);
    if (brokerNames === undefined) this.clusterAddrTable.set(clusterName, (brokerNames = new Set()));
    brokerNames.add(brokerName);

    let registerFirst = false;
    let brokerData = this.brokerAddrTable.get(brokerName);
    if (brokerData === undefined) {
      registerFirst = true;
      brokerData = { cluster: clusterName, brokerName, brokerAddrs: new Map() };
      this.brokerAddrTable.set(brokerName, brokerData);
    }
    // A slave promoted to master registers its old address under id 0: one address, one id.
    for (const [id, addr] of brokerData.brokerAddrs) {
      if (addr === brokerAddr && id !== brokerId) brokerData.brokerAddrs.delete(id);
    }
    const oldAddr = brokerData.brokerAddrs.get(brokerId);
    brokerData.brokerAddrs.set(brokerId, brokerAddr);
    registerFirst ||= oldAddr === undefined;

    const topicsUpdated = brokerId === MASTER_ID && (registerFirst || this.isBrokerTopicConfigChanged(brokerAddr, topicConfigWrapper.dataVersion));
    if (topicsUpdated) {
      for (const config of topicConfigWrapper.topicConfigTable.values()) this.createAndUpdateQueueData(brokerName, config);
    }

    const firstTime = !this.brokerLiveTable.has(brokerAddr);
    this.brokerLiveTable.set(brokerAddr, {
      lastUpdateTimestamp: this.clock.now(),
      dataVersion: topicConfigWrapper.dataVersion.clone(),
      channel: request.channel,
      haServerAddr: request.haServerAddr,
    });
    if (request.filterServerList !== undefined) {
      if (request.filterServerList.length === 0) this.filterServerTable.delete(brokerAddr);
      else this.filterServerTable.set(brokerAddr, [...request.filterServerList]);
    }

    const result: RegisterBrokerResult = {};
    if (brokerId !== MASTER_ID) {
      const masterAddr = brokerData.brokerAddrs.get(MASTER_ID);
      const master = masterAddr === undefined ? undefined : this.brokerLiveTable.get(masterAddr);
      if (master !== undefined) {
        result.haServerAddr = master.haServerAddr;
        result.masterAddr = masterAddr;
      }
    }
    const topics = topicConfigWrapper.topicConfigTable.size;
    this.events.emit('namesrv.broker.registered', { brokerName, brokerId, addr: brokerAddr, cluster: clusterName, topics, topicsUpdated, firstTime });
    return result;
  }

  /** True when the address is unknown or registered last with another DataVersion. */
  isBrokerTopicConfigChanged(brokerAddr: string, dataVersion: DataVersion): boolean {
    const prev = this.queryBrokerTopicConfig(brokerAddr);
    return prev === undefined || !prev.equals(dataVersion);
  }

  /** The DataVersion the address registered with last (QUERY_DATA_VERSION). */
  queryBrokerTopicConfig(brokerAddr: string): DataVersion | undefined {
    return this.brokerLiveTable.get(brokerAddr)?.dataVersion;
  }

  /** Count `brokerAddr` as alive at `timestamp` (a QUERY_DATA_VERSION that found no change). */
  updateBrokerInfoUpdateTimestamp(brokerAddr: string, timestamp: number): void {
    const live = this.brokerLiveTable.get(brokerAddr);
    if (live !== undefined) live.lastUpdateTimestamp = timestamp;
  }

  /** Put (or replace) the broker's QueueData of the config's topic. */
  private createAndUpdateQueueData(brokerName: string, config: TopicConfig): void {
    const queueData: QueueData = {
      brokerName,
      readQueueNums: config.readQueueNums,
      writeQueueNums: config.writeQueueNums,
      perm: config.perm,
      topicSysFlag: config.topicSysFlag,
    };
    let byBroker = this.topicQueueTable.get(config.topicName);
    if (byBroker === undefined) this.topicQueueTable.set(config.topicName, (byBroker = new Map()));
    byBroker.set(brokerName, queueData);
  }

  // ---- Brokers leaving ---------------------------------------------------------------------

  /** A broker's clean goodbye (UNREGISTER_BROKER): removes `brokerAddrs[brokerId]` of `brokerName`. */
  unregisterBroker(clusterName: string, brokerAddr: string, brokerName: string, brokerId: number): void {
    const wasLive = this.brokerLiveTable.delete(brokerAddr);
    this.filterServerTable.delete(brokerAddr);
    const brokerData = this.brokerAddrTable.get(brokerName);
    const removedAddr = brokerData?.brokerAddrs.delete(brokerId) ?? false;
    let topicsDropped = 0;
    const brokerNameRemoved = brokerData !== undefined && brokerData.brokerAddrs.size === 0;
    if (brokerNameRemoved) topicsDropped = this.removeBrokerName(brokerName, clusterName);
    if (!wasLive && !removedAddr) return;
    const data = { brokerName, brokerId, addr: brokerAddr, reason: 'unregistered' as const, brokerNameRemoved, topicsDropped };
    this.events.emit('namesrv.broker.unregistered', data);
  }

  /**
   * Remove every broker silent for longer than `brokerChannelExpiredTime` and close its
   * connection (step 4, the slow way). Returns how many were removed.
   */
  scanNotActiveBroker(): number {
    const now = this.clock.now();
    let removed = 0;
    for (const [addr, live] of this.brokerLiveTable) {
      if (live.lastUpdateTimestamp + this.brokerChannelExpiredTime >= now) continue;
      const removal = this.removeBrokerAddr(addr);
      const idleMs = now - live.lastUpdateTimestamp;
      this.events.emit('namesrv.broker.expired', { ...describeRemoval(removal), addr, lastUpdate: live.lastUpdateTimestamp, idleMs });
      // Closing runs the housekeeping listener, whose onChannelDestroy now finds nothing left.
      live.channel?.close('broker channel expired');
      removed++;
    }
    return removed;
  }

  /**
   * A connection closed (step 4, the fast way): remove the broker that registered over
   * `channel`, or, when none did, the broker whose address is `remoteAddr`.
   */
  onChannelDestroy(remoteAddr: string, channel?: BrokerChannel): void {
    let brokerAddr = remoteAddr;
    if (channel !== undefined) {
      for (const [addr, live] of this.brokerLiveTable) {
        if (live.channel === channel) {
          brokerAddr = addr;
          break;
        }
      }
    }
    const wasLive = this.brokerLiveTable.has(brokerAddr);
    const removal = this.removeBrokerAddr(brokerAddr);
    if (removal === undefined && !wasLive) return;
    this.events.emit('namesrv.broker.unregistered', { ...describeRemoval(removal), addr: brokerAddr, reason: 'channel-destroyed' });
  }

  /** Forget one address everywhere; when its broker group becomes empty, forget the group. */
  private removeBrokerAddr(brokerAddr: string): Removal | undefined {
    this.brokerLiveTable.delete(brokerAddr);
    this.filterServerTable.delete(brokerAddr);
    for (const brokerData of this.brokerAddrTable.values()) {
      for (const [brokerId, addr] of brokerData.brokerAddrs) {
        if (addr !== brokerAddr) continue;
        brokerData.brokerAddrs.delete(brokerId);
        const brokerNameRemoved = brokerData.brokerAddrs.size === 0;
        const topicsDropped = brokerNameRemoved ? this.removeBrokerName(brokerData.brokerName) : 0;
        return { brokerName: brokerData.brokerName, brokerId, brokerNameRemoved, topicsDropped };
      }
    }
    return undefined;
  }

  /**
   * Remove a broker group: from `brokerAddrTable`, from its cluster (`clusterName`, or
   * whichever holds it), and from every topic. Returns how many topics lost their last broker.
   */
  private removeBrokerName(brokerName: string, clusterName?: string): number {
    this.brokerAddrTable.delete(brokerName);
    for (const [cluster, names] of this.clusterAddrTable) {
      if (clusterName !== undefined && cluster !== clusterName) continue;
      if (!names.delete(brokerName)) continue;
      if (names.size === 0) this.clusterAddrTable.delete(cluster);
      break;
    }
    let topicsDropped = 0;
    for (const [topic, byBroker] of this.topicQueueTable) {
      byBroker.delete(brokerName);
      if (byBroker.size > 0) continue;
      this.topicQueueTable.delete(topic);
      topicsDropped++;
    }
    return topicsDropped;
  }

  // ---- Routes ------------------------------------------------------------------------------

  /**
   * The route of `topic`, or `undefined` when no broker hosts it (no QueueData, or none of
   * its brokers is known). The answer is a copy; changing it changes nothing here.
   */
  pickupTopicRouteData(topic: string): TopicRouteData | undefined {
    const byBroker = this.topicQueueTable.get(topic);
    if (byBroker === undefined) return undefined;
    const brokerNames = [...byBroker.keys()].sort();
    const queueDatas = brokerNames.map((name) => ({ ...byBroker.get(name)! }));
    const brokerDatas: BrokerData[] = [];
    for (const name of brokerNames) {
      const brokerData = this.brokerAddrTable.get(name);
      if (brokerData !== undefined) brokerDatas.push(cloneBrokerData(brokerData));
    }
    if (brokerDatas.length === 0) return undefined;
    const filterServerTable = new Map<string, string[]>();
    if (this.filterServerTable.size > 0) {
      for (const brokerData of brokerDatas) {
        for (const addr of brokerData.brokerAddrs.values()) {
          const servers = this.filterServerTable.get(addr);
          if (servers !== undefined) filterServerTable.set(addr, [...servers]);
        }
      }
    }
    return { queueDatas, brokerDatas, filterServerTable };
  }

  // ---- Admin operations --------------------------------------------------------------------

  /**
   * DELETE_TOPIC_IN_NAMESRV: forget `topic` everywhere, or (4.9, with `clusterName`) only
   * on that cluster's brokers. Brokers that still host it will bring it back when their
   * DataVersion next changes, so operators delete it on the brokers first.
   */
  deleteTopic(topic: string, clusterName?: string): void {
    const byBroker = this.topicQueueTable.get(topic);
    if (byBroker === undefined) return;
    let brokers: string[];
    if (clusterName === undefined || clusterName === '') {
      brokers = [...byBroker.keys()];
      this.topicQueueTable.delete(topic);
    } else {
      const names = this.clusterAddrTable.get(clusterName);
      if (names === undefined || names.size === 0) return;
      brokers = [...names].filter((name) => byBroker.delete(name));
      if (byBroker.size === 0) this.topicQueueTable.delete(topic);
    }
    const gone = !this.topicQueueTable.has(topic);
    const scope = clusterName === undefined || clusterName === '' ? {} : { cluster: clusterName };
    this.events.emit('namesrv.topic.deleted', { topic, ...scope, brokers: brokers.sort(), gone });
  }

  /** WIPE_WRITE_PERM_OF_BROKER: clear WRITE in every QueueData of `brokerName`; returns how many topics. */
  wipeWritePermOfBrokerByLock(brokerName: string): number {
    return this.operateWritePermOfBroker(brokerName, 'wipe');
  }

  /** ADD_WRITE_PERM_OF_BROKER (4.9): set every QueueData of `brokerName` to READ|WRITE; returns how many topics. */
  addWritePermOfBrokerByLock(brokerName: string): number {
    return this.operateWritePermOfBroker(brokerName, 'add');
  }

  private operateWritePermOfBroker(brokerName: string, op: 'wipe' | 'add'): number {
    let topics = 0;
    for (const byBroker of this.topicQueueTable.values()) {
      const queueData = byBroker.get(brokerName);
      if (queueData === undefined) continue;
      queueData.perm = op === 'wipe' ? queueData.perm & ~PermName.PERM_WRITE : PermName.PERM_READ | PermName.PERM_WRITE;
      topics++;
    }
    this.events.emit('namesrv.broker.perm-changed', { brokerName, op, topics });
    return topics;
  }

  // ---- Reading the tables ------------------------------------------------------------------

  /** GET_BROKER_CLUSTER_INFO: a copy of `brokerAddrTable` and `clusterAddrTable`. */
  getAllClusterInfo(): ClusterInfo {
    const brokerAddrTable = new Map<string, BrokerData>();
    for (const [name, data] of this.brokerAddrTable) brokerAddrTable.set(name, cloneBrokerData(data));
    const clusterAddrTable = new Map<string, Set<string>>();
    for (const [cluster, names] of this.clusterAddrTable) clusterAddrTable.set(cluster, new Set(names));
    return { brokerAddrTable, clusterAddrTable };
  }

  /** GET_ALL_TOPIC_LIST_FROM_NAMESERVER: every topic with a route. */
  getAllTopicList(): TopicList {
    return { topicList: new Set(this.topicQueueTable.keys()) };
  }

  /** GET_TOPICS_BY_CLUSTER: the topics hosted by any broker of `cluster` (none for an unknown cluster). */
  getTopicsByCluster(cluster: string): TopicList {
    const topicList = new Set<string>();
    for (const brokerName of this.clusterAddrTable.get(cluster) ?? []) {
      for (const [topic, byBroker] of this.topicQueueTable) if (byBroker.has(brokerName)) topicList.add(topic);
    }
    return { topicList };
  }

  /**
   * GET_SYSTEM_TOPIC_LIST_FROM_NS: every cluster name and broker name (brokers create
   * topics named after both), plus one broker address to ask for the rest.
   */
  getSystemTopicList(): TopicList {
    const list: TopicList = { topicList: new Set() };
    for (const [cluster, names] of this.clusterAddrTable) {
      list.topicList.add(cluster);
      for (const name of names) list.topicList.add(name);
    }
    for (const brokerData of this.brokerAddrTable.values()) {
      const ids = [...brokerData.brokerAddrs.keys()].sort((a, b) => a - b);
      if (ids.length === 0) continue;
      list.brokerAddr = brokerData.brokerAddrs.get(ids[0]!);
      break;
    }
    return list;
  }

  /** GET_UNIT_TOPIC_LIST: topics whose (first) QueueData has the unit flag. */
  getUnitTopics(): TopicList {
    return this.topicsWhere((flag) => hasUnitFlag(flag));
  }

  /** GET_HAS_UNIT_SUB_TOPIC_LIST: topics with unit subscriptions. */
  getHasUnitSubTopicList(): TopicList {
    return this.topicsWhere((flag) => hasUnitSubFlag(flag));
  }

  /** GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST: non-unit topics with unit subscriptions. */
  getHasUnitSubUnUnitTopicList(): TopicList {
    return this.topicsWhere((flag) => !hasUnitFlag(flag) && hasUnitSubFlag(flag));
  }

  /** Java looks at one QueueData per topic only, assuming every broker agrees. */
  private topicsWhere(test: (topicSysFlag: number) => boolean): TopicList {
    const topicList = new Set<string>();
    for (const [topic, byBroker] of this.topicQueueTable) {
      const first = byBroker.values().next();
      if (first.done !== true && test(first.value.topicSysFlag)) topicList.add(topic);
    }
    return { topicList };
  }

  /** A copy of the live info of `brokerAddr` (for tests and the viz), or `undefined`. */
  getBrokerLiveInfo(brokerAddr: string): Readonly<Omit<BrokerLiveInfo, 'channel'>> | undefined {
    const live = this.brokerLiveTable.get(brokerAddr);
    if (live === undefined) return undefined;
    return { lastUpdateTimestamp: live.lastUpdateTimestamp, dataVersion: live.dataVersion.clone(), haServerAddr: live.haServerAddr };
  }
}

/** The event fields of a removal; an address that was live but in no BrokerData reads as id -1. */
function describeRemoval(removal: Removal | undefined): Removal {
  return removal ?? { brokerName: '', brokerId: -1, brokerNameRemoved: false, topicsDropped: 0 };
}
