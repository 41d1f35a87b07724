/**
 * BrokerConfig: every knob of the broker itself (not its store), under its broker.conf name.
 *
 * A broker reads `broker.conf` into two objects: this one, which says who the broker is
 * (name, cluster, id, address), whom it registers with (the name servers) and how it
 * behaves (auto-creating topics and groups, permissions, long polling), and
 * `MessageStoreConfig`, which says how it stores messages. The field names are Java's, so a
 * real `broker.conf` reads straight into {@link defaultBrokerConfig}'s overrides:
 *
 * ```
 *   brokerClusterName = DefaultCluster        brokerName = broker-a      brokerId = 0
 *   brokerIP1 = 10.0.0.2    listenPort = 10911   (VIP port 10909, HA port 10912)
 *   namesrvAddr = 10.0.0.1:9876;10.0.0.9:9876
 *   autoCreateTopicEnable = true   defaultTopicQueueNums = 8   brokerPermission = 6
 * ```
 *
 * The ports hang together: clients send to `listenPort`, Java 4.4 clients send most calls to
 * the VIP port `listenPort - 2`, and the HA service listens on `listenPort + 1` (Java's
 * `BrokerStartup` sets `haListenPort` that way). The STOREHOST written into every record,
 * and therefore every offset msgId, is `brokerIP1:listenPort`.
 *
 * Differences from RocketMQ 4.9.x:
 * - `listenPort` lives here (Java: `NettyServerConfig.listenPort`), because the broker's
 *   identity and its msgIds depend on it.
 * - `brokerName` defaults to `'broker-a'` (Java: the host name) and `brokerIP1` to
 *   `'127.0.0.1'` (Java: the first non-loopback address); `src/` reads neither.
 * - `brokerIP2` (the HA address) is optional and falls back to `brokerIP1`.
 * - Thread-pool sizes, queue capacities, fast-failure, ACL, commercial statistics and the
 *   address server are left out: there are no threads and no such services here.
 *
 * @mirrors org.apache.rocketmq.common.BrokerConfig
 * @article store-init "BrokerConfig"
 * @category Common
 * @module
 */

export interface BrokerConfig {
  // --- identity --------------------------------------------------------------------------
  /** The broker group's name; a master and its slaves share it. @defaultValue `'broker-a'` (Java: the host name) */
  brokerName: string;
  /** The cluster this broker belongs to (also a system topic of that name). @defaultValue `'DefaultCluster'` */
  brokerClusterName: string;
  /** 0 for the master, 1, 2, ... for slaves. @defaultValue 0 */
  brokerId: number;
  /** The IP clients reach this broker on; must be an IP literal (it is written into every record). @defaultValue `'127.0.0.1'` */
  brokerIP1: string;
  /** The IP of the HA service; `undefined` means `brokerIP1`. @defaultValue `undefined` */
  brokerIP2: string | undefined;
  /** The main port; the VIP port is `listenPort - 2`, the HA port `listenPort + 1`. @defaultValue 10911 */
  listenPort: number;
  /** The name servers, `;`-separated `host:port`, or `undefined` to register nowhere. @defaultValue `undefined` */
  namesrvAddr: string | undefined;
  /** READ (4) and WRITE (2) bits for the whole broker; clearing WRITE drains it. @defaultValue 6 */
  brokerPermission: number;
  /** The region reported in every send response (`MSG_REGION`). @defaultValue `'DefaultRegion'` */
  regionId: string;
  /** Reported in every send response as `TRACE_ON`. @defaultValue true */
  traceOn: boolean;

  // --- topics and groups -----------------------------------------------------------------
  /** Create TBW102 at start, so producers may send to topics that do not exist yet. @defaultValue true */
  autoCreateTopicEnable: boolean;
  /** Queue count of TBW102 (auto-created topics get at most this many). @defaultValue 8 */
  defaultTopicQueueNums: number;
  /** The cluster-name topic is readable and writable (else INHERIT only). @defaultValue true */
  clusterTopicEnable: boolean;
  /** The broker-name topic is readable and writable (else INHERIT only). @defaultValue true */
  brokerTopicEnable: boolean;
  /** Create the message-trace topic at start. @defaultValue false */
  traceTopicEnable: boolean;
  /** Name of the message-trace topic. @defaultValue `'RMQ_SYS_TRACE_TOPIC'` */
  msgTraceTopicName: string;
  /** Create a subscription group the first time a consumer of it shows up. @defaultValue true */
  autoCreateSubscriptionGroup: boolean;
  /** Refuse prepared (half) transaction messages with NO_PERMISSION. @defaultValue false */
  rejectTransactionMessage: boolean;
  /** Refuse sends before this time (ms); 0 accepts at once. @defaultValue 0 */
  startAcceptSendRequestTimeStamp: number;

  // --- name servers ----------------------------------------------------------------------
  /** How often to register with every name server, clamped to 10-60 s. @defaultValue 30000 */
  registerNameServerPeriod: number;
  /** Timeout of one REGISTER_BROKER. @defaultValue 6000 */
  registerBrokerTimeoutMills: number;
  /** Send the register body in its zlib form. @defaultValue false */
  compressedRegister: boolean;
  /** Register every period even when the name server already has this DataVersion. @defaultValue true */
  forceRegister: boolean;

  // --- consumers -------------------------------------------------------------------------
  /** How often consumer offsets are written to `consumerOffset.json`. @defaultValue 5000 */
  flushConsumerOffsetInterval: number;
  /** Hold pulls that find nothing until a message arrives (else retry every `shortPollingTimeMills`). @defaultValue true */
  longPollingEnable: boolean;
  /** How long a pull is held when long polling is off. @defaultValue 1000 */
  shortPollingTimeMills: number;
  /** Tell a group's consumers when its membership changes (NOTIFY_CONSUMER_IDS_CHANGED). @defaultValue true */
  notifyConsumerIdsChangedEnable: boolean;
  /** Let consumers read from a slave when the master reads from disk. @defaultValue false */
  slaveReadEnable: boolean;
  /** Allow SQL92 (property) filters. @defaultValue false */
  enablePropertyFilter: boolean;
  /** Compute SQL92 bit maps at dispatch. @defaultValue false */
  enableCalcFilterBitMap: boolean;
  /** Apply SQL92 filters to retry topics too. @defaultValue false */
  filterSupportRetry: boolean;
  /** Copy pulled messages into one response buffer (the only mode here). @defaultValue true */
  transferMsgByHeap: boolean;
  /** Stop a group that lags too far behind (see `consumerFallbehindThreshold`). @defaultValue false */
  disableConsumeIfConsumerReadSlowly: boolean;
  /** Bytes of lag after which a slow group is disabled. @defaultValue 17179869184 (16 GiB) */
  consumerFallbehindThreshold: number;

  // --- transactions ------------------------------------------------------------
  /** A half message older than this may be checked. @defaultValue 6000 */
  transactionTimeOut: number;
  /** Checks before a half message is discarded. @defaultValue 15 */
  transactionCheckMax: number;
  /** How often half messages are checked. @defaultValue 60000 */
  transactionCheckInterval: number;
}

/** Java's defaults (with the identity defaults above), with `overrides` applied; a fresh object each call. */
export function defaultBrokerConfig(overrides: Partial<BrokerConfig> = {}): BrokerConfig {
  return {
    brokerName: 'broker-a',
    brokerClusterName: 'DefaultCluster',
    brokerId: 0,
    brokerIP1: '127.0.0.1',
    brokerIP2: undefined,
    listenPort: 10911,
    namesrvAddr: undefined,
    brokerPermission: 6,
    regionId: 'DefaultRegion',
    traceOn: true,
    autoCreateTopicEnable: true,
    defaultTopicQueueNums: 8,
    clusterTopicEnable: true,
    brokerTopicEnable: true,
    traceTopicEnable: false,
    msgTraceTopicName: 'RMQ_SYS_TRACE_TOPIC',
    autoCreateSubscriptionGroup: true,
    rejectTransactionMessage: false,
    startAcceptSendRequestTimeStamp: 0,
    registerNameServerPeriod: 30_000,
    registerBrokerTimeoutMills: 6000,
    compressedRegister: false,
    forceRegister: true,
    flushConsumerOffsetInterval: 5000,
    longPollingEnable: true,
    shortPollingTimeMills: 1000,
    notifyConsumerIdsChangedEnable: true,
    slaveReadEnable: false,
    enablePropertyFilter: false,
    enableCalcFilterBitMap: false,
    filterSupportRetry: false,
    transferMsgByHeap: true,
    disableConsumeIfConsumerReadSlowly: false,
    consumerFallbehindThreshold: 16 * 1024 * 1024 * 1024,
    transactionTimeOut: 6000,
    transactionCheckMax: 15,
    transactionCheckInterval: 60_000,
    ...overrides,
  };
}

/** `brokerIP1:listenPort`: the broker's address in routes and the STOREHOST of its records. */
export function getBrokerAddr(config: Pick<BrokerConfig, 'brokerIP1' | 'listenPort'>): string {
  return `${config.brokerIP1}:${config.listenPort}`;
}

/** `brokerIP2:(listenPort + 1)`: where a slave connects for replication (Java `getHAServerAddr`). */
export function getHAServerAddr(config: Pick<BrokerConfig, 'brokerIP1' | 'brokerIP2' | 'listenPort'>): string {
  return `${config.brokerIP2 ?? config.brokerIP1}:${config.listenPort + 1}`;
}

/** The VIP ("fast") port: `listenPort - 2`, which 4.4 clients use for most calls. */
export function getFastListenPort(config: Pick<BrokerConfig, 'listenPort'>): number {
  return config.listenPort - 2;
}

/** The name-server addresses of `namesrvAddr`, split on `;`, trimmed, empties dropped. */
export function getNamesrvAddrList(config: Pick<BrokerConfig, 'namesrvAddr'>): string[] {
  if (config.namesrvAddr === undefined) return [];
  return config.namesrvAddr.split(';').map((a) => a.trim()).filter((a) => a.length > 0);
}

/** Java's clamp of the registration period to 10-60 s. */
export function getRegisterNameServerPeriod(config: Pick<BrokerConfig, 'registerNameServerPeriod'>): number {
  return Math.max(10_000, Math.min(config.registerNameServerPeriod, 60_000));
}
