/**
 * NamesrvConfig: the settings of a name server, with RocketMQ's defaults.
 *
 * A name server has almost nothing to configure: the port it listens on, where it keeps
 * its small key-value store, and whether routes carry the ordered-topic configuration.
 * The timing of broker expiry is a constant in Java; it is a setting here so a
 * walkthrough can shorten it, with Java's values as defaults.
 *
 * Differences from RocketMQ 4.9.x:
 * - `kvConfigPath` is relative to the FileSystem's root (Java: `~/namesrv/kvConfig.json`).
 * - The scan timing and the broker expiry are settings (Java: constants).
 * - No `rocketmqHome`, `configStorePath`, `productEnvName`, `clusterTest`,
 *   `configBlackList` (no UPDATE_NAMESRV_CONFIG here).
 * - The remoting settings are nested here (Java: a separate `NettyServerConfig`).
 *
 * @mirrors org.apache.rocketmq.common.namesrv.NamesrvConfig
 * @article namesrv "Starting a name server"
 * @category Namesrv
 * @module
 */
import type { RemotingServerConfig } from '../remoting/remoting-config.js';

export interface NamesrvConfig {
  /**
   * The port clients and brokers connect to.
   * @defaultValue 9876
   */
  listenPort: number;
  /**
   * Where the key-value configuration is persisted, as `{"configTable":{ns:{k:v}}}`.
   * @defaultValue 'namesrv/kvConfig.json'
   */
  kvConfigPath: string;
  /**
   * Attach the `ORDER_TOPIC_CONFIG` value of a topic to its route as `orderTopicConf`.
   * @defaultValue false
   */
  orderMessageEnable: boolean;
  /**
   * Delay before the first scan for silent brokers, in ms.
   * @defaultValue 5000
   */
  scanNotActiveBrokerInitialDelayMs: number;
  /**
   * Period of the scan for silent brokers, in ms.
   * @defaultValue 10000
   */
  scanNotActiveBrokerIntervalMs: number;
  /**
   * A broker that has not registered for longer than this (ms) is removed
   * (Java: `RouteInfoManager.BROKER_CHANNEL_EXPIRED_TIME`).
   * @defaultValue 120000
   */
  brokerChannelExpiredTime: number;
  /** Settings of the remoting server (Java's `NettyServerConfig`). */
  remoting: Partial<RemotingServerConfig>;
}

/** Java's defaults with `overrides` applied. */
export function namesrvConfig(overrides: Partial<NamesrvConfig> = {}): NamesrvConfig {
  return {
    listenPort: 9876,
    kvConfigPath: 'namesrv/kvConfig.json',
    orderMessageEnable: false,
    scanNotActiveBrokerInitialDelayMs: 5000,
    scanNotActiveBrokerIntervalMs: 10_000,
    brokerChannelExpiredTime: 120_000,
    remoting: {},
    ...overrides,
  };
}
