/**
 * The "tell me about yourself" requests of the broker's admin processor: its runtime
 * numbers (GET_BROKER_RUNTIME_INFO, what `mqadmin clusterList` and `brokerStatus` print)
 * and its configuration (GET_BROKER_CONFIG, `mqadmin getBrokerConfig`).
 *
 * Both answers are maps of strings. The runtime info is a KVTable JSON body
 * (`{"table":{"brokerVersion":"293",...}}`); the configuration is Java properties text,
 * one `key=value` line per setting, with the config's DataVersion in the response header.
 *
 * Which version do we report? Every command this broker sends carries version 293
 * (V4_4_0), because 4.x clients gate features on it (SQL92 needs >= 232). We implement 4.9
 * behaviour, but a broker that said "V4_9_8" here while speaking 293 on the wire would
 * contradict itself, so `brokerVersion` is the remoting version we speak (293 by default)
 * and `brokerVersionDesc` its name (`V4_4_0`).
 *
 * Differences from RocketMQ 4.9.x:
 * - No statistics manager and no thread pools: the TPS figures are `"0.00 0.00 0.00"`, the
 *   queue sizes and wait times `"0"`, and the message totals come from an optional
 *   `brokerStats` collaborator (zeros without it).
 * - `commitLogDiskRatio` is reported only when the options give a `diskSpace` function.
 * - The configuration lists BrokerConfig then MessageStoreConfig, keys sorted; Java also
 *   lists its Netty settings.
 *
 * @mirrors org.apache.rocketmq.broker.processor.AdminBrokerProcessor#getBrokerRuntimeInfo
 * @mirrors org.apache.rocketmq.broker.processor.AdminBrokerProcessor#getBrokerConfig
 * @mirrors org.apache.rocketmq.common.MQVersion
 * @article store-init "BrokerConfig"
 * @category Broker
 * @module
 */
import { decodeUtf8, encodeUtf8 } from '../../../common/bytes.js';
import { encodeKVTable } from '../../../common/protocol/body/kv-table.js';
import { DataVersion } from '../../../common/protocol/body/data-version.js';
import { DEFAULT_REMOTING_VERSION, type RemotingCommand } from '../../../remoting/remoting-command.js';
import type { AdminBrokerProcessorOptions } from './admin-collaborators.js';
import { success } from './admin-responses.js';

/** `MQVersion.Version` names of the ordinals a 4.x peer may send. */
const VERSION_NAMES: ReadonlyMap<number, string> = new Map([
  [29, 'V3_0_7'], [37, 'V3_0_11'], [121, 'V3_4_9'], [213, 'V4_0_0'], [232, 'V4_1_0_SNAPSHOT'], [273, 'V4_3_0'],
  [293, 'V4_4_0'], [313, 'V4_5_0'], [401, 'V4_9_4'], [409, 'V4_9_8'],
]);

/** The `MQVersion.getVersionDesc` of an ordinal (`"V4_4_0"` for 293), or the number when unknown. */
export function versionDesc(version: number): string {
  return VERSION_NAMES.get(version) ?? String(version);
}

/** Java `BrokerController`'s runtime format: `[ 0 days, 1 hours, 2 minutes, 3 seconds ]`. */
export function formatRuntime(elapsedMs: number): string {
  const s = Math.max(0, Math.floor(elapsedMs / 1000));
  return `[ ${Math.floor(s / 86400)} days, ${Math.floor(s / 3600) % 24} hours, ${Math.floor(s / 60) % 60} minutes, ${s % 60} seconds ]`;
}

/** The runtime numbers, all as strings (Java `prepareRuntimeInfo`). */
export function prepareRuntimeInfo(o: AdminBrokerProcessorOptions): Map<string, string> {
  const store = o.messageStore;
  const now = o.clock.now();
  const version = o.remotingVersion ?? DEFAULT_REMOTING_VERSION;
  const stats = o.brokerStats;
  const boot = o.bootTimestamp ?? now;
  const zeroTps = '0.00 0.00 0.00';
  const info = new Map<string, string>([
    ['brokerVersion', String(version)],
    ['brokerVersionDesc', versionDesc(version)],
    ['bootTimestamp', String(boot)],
    ['runtime', formatRuntime(now - boot)],
    ['msgPutTotalYesterdayMorning', String(stats?.msgPutTotalYesterdayMorning ?? 0)],
    ['msgPutTotalTodayMorning', String(stats?.msgPutTotalTodayMorning ?? 0)],
    ['msgPutTotalTodayNow', String(stats?.msgPutTotalTodayNow ?? 0)],
    ['msgGetTotalYesterdayMorning', String(stats?.msgGetTotalYesterdayMorning ?? 0)],
    ['msgGetTotalTodayMorning', String(stats?.msgGetTotalTodayMorning ?? 0)],
    ['msgGetTotalTodayNow', String(stats?.msgGetTotalTodayNow ?? 0)],
    ['commitLogMinOffset', String(store.getMinPhyOffset())],
    ['commitLogMaxOffset', String(store.getMaxPhyOffset())],
    ['dispatchBehindBytes', String(store.dispatchBehindBytes())],
    ['earliestMessageTimeStamp', String(store.getEarliestMessageTimeOfStore())],
    ['startAcceptSendRequestTimeStamp', String(o.brokerConfig.startAcceptSendRequestTimeStamp)],
    ['pageCacheLockTimeMills', '0'],
    ['putTps', zeroTps], ['getFoundTps', zeroTps], ['getMissTps', zeroTps], ['getTotalTps', zeroTps], ['getTransferedTps', zeroTps],
  ]);
  for (const pool of ['send', 'pull', 'query']) {
    info.set(`${pool}ThreadPoolQueueSize`, '0');
    info.set(`${pool}ThreadPoolQueueHeadWaitTimeMills`, '0');
  }
  if (o.diskSpace !== undefined) {
    const space = o.diskSpace(o.storeConfig.storePathRootDir);
    const ratio = space.totalBytes > 0 ? (space.totalBytes - space.freeBytes) / space.totalBytes : 0;
    info.set('commitLogDiskRatio', String(ratio));
  }
  return info;
}

/** GET_BROKER_RUNTIME_INFO (28): KVTable body. */
export function getBrokerRuntimeInfo(o: AdminBrokerProcessorOptions): RemotingCommand {
  return success(encodeKVTable(prepareRuntimeInfo(o)));
}

/** One config object as properties lines, keys sorted; unset (undefined) values are left out. */
function propertiesLines(config: object): string[] {
  return Object.entries(config)
    .filter(([, value]) => value !== undefined && value !== null && typeof value !== 'object' && typeof value !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${String(value)}`);
}

/**
 * GET_BROKER_CONFIG (26): properties text of every setting, header `version` = the
 * configuration's DataVersion JSON (never bumped here: no UPDATE_BROKER_CONFIG).
 */
export function getBrokerConfig(o: AdminBrokerProcessorOptions, configVersion: DataVersion): RemotingCommand {
  const lines = [...propertiesLines(o.brokerConfig), ...propertiesLines(o.storeConfig)];
  const response = success(encodeUtf8(`${lines.join('\n')}\n`));
  response.setExtField('version', decodeUtf8(configVersion.encode()));
  return response;
}
