/**
 * ClusterInfo: every broker group the name server knows and which cluster each belongs
 * to, the body of a GET_BROKER_CLUSTER_INFO answer (what `mqadmin clusterList` prints).
 *
 * ```
 *   {"brokerAddrTable":{"broker-a":{"brokerAddrs":{"0":"10.0.0.1:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"}},
 *    "clusterAddrTable":{"DefaultCluster":["broker-a"]}}
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - `brokerAddrs` keys are quoted and map entries sorted (see fastjson.ts).
 *
 * @mirrors org.apache.rocketmq.common.protocol.body.ClusterInfo
 * @article namesrv "The five tables"
 * @category Common
 * @module
 */
import { decodeFastjson, encodeFastjson, type FastjsonWriteOptions } from '../../json/fastjson.js';
import { asObject, optObject, optStringArray } from '../../json/json-fields.js';
import { brokerDataFromJson, type BrokerData } from '../route/topic-route-data.js';

export interface ClusterInfo {
  /** brokerName to its BrokerData. */
  brokerAddrTable: Map<string, BrokerData>;
  /** clusterName to the broker names in it. */
  clusterAddrTable: Map<string, Set<string>>;
}

/** The body bytes. */
export function encodeClusterInfo(info: ClusterInfo, options: FastjsonWriteOptions = {}): Uint8Array {
  return encodeFastjson(info, options);
}

/** Read a ClusterInfo body (bare or quoted brokerId keys). */
export function decodeClusterInfo(body: Uint8Array): ClusterInfo {
  const path = 'ClusterInfo';
  const obj = asObject(decodeFastjson(body, path), path);
  const info: ClusterInfo = { brokerAddrTable: new Map(), clusterAddrTable: new Map() };
  for (const [name, data] of Object.entries(optObject(obj, 'brokerAddrTable', path) ?? {})) {
    if (data !== null && data !== undefined) info.brokerAddrTable.set(name, brokerDataFromJson(data, `${path}.brokerAddrTable.${name}`));
  }
  const clusters = optObject(obj, 'clusterAddrTable', path) ?? {};
  for (const cluster of Object.keys(clusters)) {
    const names = optStringArray(clusters, cluster, `${path}.clusterAddrTable`);
    if (names !== undefined) info.clusterAddrTable.set(cluster, new Set(names));
  }
  return info;
}

/** Every address of every broker of `cluster` (Java: `retrieveAllAddrByCluster`). */
export function retrieveAllAddrByCluster(info: ClusterInfo, cluster: string): string[] {
  const addrs: string[] = [];
  for (const name of info.clusterAddrTable.get(cluster) ?? []) {
    const data = info.brokerAddrTable.get(name);
    if (data !== undefined) addrs.push(...data.brokerAddrs.values());
  }
  return addrs;
}
