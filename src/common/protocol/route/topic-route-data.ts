/**
 * TopicRouteData: the answer to "where does topic T live?", which the name server builds
 * from its tables and every client asks for (GET_ROUTEINFO_BY_TOPIC) every 30 seconds.
 *
 * A route is two lists that a client joins by broker name:
 *
 * ```
 *   queueDatas:  one per broker group hosting the topic (how many queues, may I read/write)
 *      { brokerName: "broker-a", readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0 }
 *   brokerDatas: one per broker group (where its master and slaves listen)
 *      { cluster: "DefaultCluster", brokerName: "broker-a",
 *        brokerAddrs: { 0: "10.0.0.1:10911",   ◄── brokerId 0 is the master
 *                       1: "10.0.0.2:10911" } }
 *
 *   producer: for each writable QueueData whose broker has a master (brokerAddrs[0]):
 *             queues broker-a/0 .. broker-a/3  (writeQueueNums of them)
 *   consumer: for each readable QueueData: readQueueNums queues
 * ```
 *
 * On the wire it is fastjson output, properties alphabetical:
 * ```
 *   {"brokerDatas":[{"brokerAddrs":{"0":"10.0.0.1:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"}],
 *    "filterServerTable":{},
 *    "queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSynFlag":0,"topicSysFlag":0,"writeQueueNums":4}]}
 * ```
 * Two details of that line are choices:
 * - `brokerAddrs` keys are quoted. A 4.4 name server writes them bare (`{0:"..."}`, not
 *   JSON); Java clients read both forms, and so does ali-ons, so standard JSON is the safe
 *   side. {@link encodeTopicRouteData} can write them bare for byte-exact comparisons.
 * - The system flag is written under both names: `topicSynFlag` (the 4.4 spelling, a typo
 *   kept through 4.8) and `topicSysFlag` (4.9). Every client ignores the key it does not know.
 *
 * Differences from RocketMQ 4.9.x:
 * - Both flag keys by default (Java writes one), and quoted keys for every client version
 *   (Java 4.9 quotes them only for clients >= V4_9_4 or with `acceptStandardJsonOnly`).
 * - No `selectBrokerAddr` (its random pick belongs to the client, with a seeded Random).
 *
 * @mirrors org.apache.rocketmq.common.protocol.route.TopicRouteData
 * @mirrors org.apache.rocketmq.common.protocol.route.QueueData
 * @mirrors org.apache.rocketmq.common.protocol.route.BrokerData
 * @article namesrv "Route data on the wire"
 * @category Common
 * @module
 */
import { JsonFormatError, decodeFastjson, encodeFastjson, parseFastjson, type FastjsonWriteOptions } from '../../json/fastjson.js';
import { asObject, optArray, optInt, optObject, optString, optStringArray, toOptString, type JsonObject } from '../../json/json-fields.js';

/** One broker group's share of a topic. */
export interface QueueData {
  brokerName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  /** Unit flags (see topic-sys-flag.ts); `topicSynFlag` on a 4.4 wire. */
  topicSysFlag: number;
}

/** Where one broker group's members listen: brokerId (0 = master) to `"ip:port"`. */
export interface BrokerData {
  cluster: string;
  brokerName: string;
  brokerAddrs: Map<number, string>;
}

/** The route of one topic. */
export interface TopicRouteData {
  /** `"broker-a:4;broker-b:4"` for an ordered topic (only with the name server's `orderMessageEnable`). */
  orderTopicConf?: string;
  queueDatas: QueueData[];
  brokerDatas: BrokerData[];
  /** Broker address to its filter servers (4.x class filtering; almost always empty). */
  filterServerTable: Map<string, string[]>;
}

/** Which key(s) carry `QueueData.topicSysFlag` on the wire. */
export type SysFlagKeys = 'both' | 'topicSynFlag' | 'topicSysFlag';

/** Options of {@link encodeTopicRouteData}. */
export interface TopicRouteWriteOptions extends FastjsonWriteOptions {
  /** @defaultValue 'both' */
  sysFlagKeys?: SysFlagKeys;
}

/** A deep copy: a route handed out must not share maps with the name server's tables. */
export function cloneBrokerData(data: BrokerData): BrokerData {
  return { cluster: data.cluster, brokerName: data.brokerName, brokerAddrs: new Map(data.brokerAddrs) };
}

/** The route as the bean fastjson would see: the flag key(s) chosen, absent fields left out. */
function toBean(route: TopicRouteData, keys: SysFlagKeys): JsonObject {
  return {
    orderTopicConf: route.orderTopicConf,
    queueDatas: route.queueDatas.map((q) => ({
      brokerName: q.brokerName,
      perm: q.perm,
      readQueueNums: q.readQueueNums,
      topicSynFlag: keys === 'topicSysFlag' ? undefined : q.topicSysFlag,
      topicSysFlag: keys === 'topicSynFlag' ? undefined : q.topicSysFlag,
      writeQueueNums: q.writeQueueNums,
    })),
    brokerDatas: route.brokerDatas,
    filterServerTable: route.filterServerTable,
  };
}

/** The body bytes of a GET_ROUTEINFO_BY_TOPIC answer. */
export function encodeTopicRouteData(route: TopicRouteData, options: TopicRouteWriteOptions = {}): Uint8Array {
  return encodeFastjson(toBean(route, options.sysFlagKeys ?? 'both'), options);
}

/**
 * Read a route body as any 4.x name server writes it: bare or quoted `brokerAddrs` keys,
 * `topicSynFlag` or `topicSysFlag`. Throws {@link JsonFormatError} on a malformed body.
 */
export function decodeTopicRouteData(body: Uint8Array | string): TopicRouteData {
  const json = typeof body === 'string' ? parseFastjson(body, 'TopicRouteData') : decodeFastjson(body, 'TopicRouteData');
  const path = 'TopicRouteData';
  const obj = asObject(json, path);
  const route: TopicRouteData = {
    queueDatas: (optArray(obj, 'queueDatas', path) ?? []).map((q, i) => queueDataFromJson(q, `${path}.queueDatas[${i}]`)),
    brokerDatas: (optArray(obj, 'brokerDatas', path) ?? []).map((b, i) => brokerDataFromJson(b, `${path}.brokerDatas[${i}]`)),
    filterServerTable: new Map(),
  };
  const orderTopicConf = optString(obj, 'orderTopicConf', path);
  if (orderTopicConf !== undefined) route.orderTopicConf = orderTopicConf;
  for (const [addr, servers] of Object.entries(optObject(obj, 'filterServerTable', path) ?? {})) {
    const list = optStringArray({ servers }, 'servers', `${path}.filterServerTable.${addr}`);
    if (list !== undefined) route.filterServerTable.set(addr, list);
  }
  return route;
}

function queueDataFromJson(value: unknown, path: string): QueueData {
  const obj = asObject(value, path);
  return {
    brokerName: requireString(obj, 'brokerName', path),
    readQueueNums: optInt(obj, 'readQueueNums', path) ?? 0,
    writeQueueNums: optInt(obj, 'writeQueueNums', path) ?? 0,
    perm: optInt(obj, 'perm', path) ?? 0,
    topicSysFlag: optInt(obj, 'topicSysFlag', path) ?? optInt(obj, 'topicSynFlag', path) ?? 0,
  };
}

/** Read one BrokerData (also used by ClusterInfo). */
export function brokerDataFromJson(value: unknown, path: string): BrokerData {
  const obj = asObject(value, path);
  const brokerAddrs = new Map<number, string>();
  for (const [id, addr] of Object.entries(optObject(obj, 'brokerAddrs', path) ?? {})) {
    if (!/^-?\d+$/.test(id)) throw new JsonFormatError(`${path}.brokerAddrs`, `brokerId "${id}" is not an integer`);
    const text = toOptString(addr, `${path}.brokerAddrs.${id}`);
    if (text !== undefined) brokerAddrs.set(Number(id), text);
  }
  return { cluster: optString(obj, 'cluster', path) ?? '', brokerName: requireString(obj, 'brokerName', path), brokerAddrs };
}

function requireString(obj: JsonObject, key: string, path: string): string {
  const value = optString(obj, key, path);
  if (value === undefined) throw new JsonFormatError(`${path}.${key}`, 'is missing');
  return value;
}
