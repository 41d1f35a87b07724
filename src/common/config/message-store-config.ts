/**
 * MessageStoreConfig: every knob of the message store, under its broker.conf name.
 *
 * A broker reads `broker.conf` into two objects, `BrokerConfig` and `MessageStoreConfig`.
 * This is the second one: where the store lives, how big its segment files are, how
 * often it flushes, how long it keeps files, how it replicates. The names are exactly the
 * Java field names (which are also the broker.conf keys), so a real config can be compared
 * line by line, and the defaults are Java's. `profiles.ts` offers a `teaching` variant with
 * tiny files so that a dozen messages show segment rollover.
 *
 * The config is a plain data object: no getters, no setters, no hidden derivation. The two
 * values Java derives in a getter are the helpers at the bottom
 * ({@link getStorePathCommitLog}, {@link getMappedFileSizeConsumeQueue}).
 *
 * Differences from RocketMQ 4.9.x:
 * - `storePathRootDir` defaults to `'store'` (relative); Java uses `${user.home}/store`,
 *   which `src/` cannot read. The Node entry point passes the real home directory.
 * - New: `commitLogWriteBufferBytes`, `consumeQueueWriteBufferBytes` size the reusable
 *   write window that stands in for mmap (see `store/mapped-file/mapped-file.ts`).
 * - `diskSpaceWarningLevelRatio` and `diskSpaceCleanForciblyRatio` are Java system
 *   properties (`rocketmq.broker.diskSpace…`); here they are config fields.
 * - Left out: DLedger, LMQ/multi-dispatch, transient store pool, multi-path commit logs,
 *   mapped-file warm-up.
 *
 * @mirrors org.apache.rocketmq.store.config.MessageStoreConfig
 * @mirrors org.apache.rocketmq.store.config.BrokerRole
 * @mirrors org.apache.rocketmq.store.config.FlushDiskType
 * @article store-init "MessageStoreConfig"
 * @category Common
 * @module
 */
/** When a put counts as durable. Java: `FlushDiskType`. */
export const FlushDiskType = {
  /** A background service flushes every `flushIntervalCommitLog` ms; puts do not wait. */
  ASYNC_FLUSH: 'ASYNC_FLUSH',
  /** A put with WAIT=true waits for a group commit (one fdatasync for many puts). */
  SYNC_FLUSH: 'SYNC_FLUSH',
} as const;
export type FlushDiskType = (typeof FlushDiskType)[keyof typeof FlushDiskType];

/** This broker's part in master/slave replication. Java: `BrokerRole`. */
export const BrokerRole = {
  /** Master; puts do not wait for the slave. */
  ASYNC_MASTER: 'ASYNC_MASTER',
  /** Master; a put with WAIT=true waits for the slave's ack. */
  SYNC_MASTER: 'SYNC_MASTER',
  /** Slave: refuses puts, copies the master's commit log. */
  SLAVE: 'SLAVE',
} as const;
export type BrokerRole = (typeof BrokerRole)[keyof typeof BrokerRole];

/** Bytes in one consume-queue unit (8 + 4 + 8); repeated here so config math needs no store import. */
const CQ_STORE_UNIT_SIZE = 20;

export interface MessageStoreConfig {
  // --- where ---------------------------------------------------------------------------
  /** Root directory of the store. @defaultValue `'store'` (Java: `${user.home}/store`) */
  storePathRootDir: string;
  /** Commit-log directory; `undefined` means `<storePathRootDir>/commitlog`. @defaultValue `undefined` */
  storePathCommitLog?: string | undefined;

  // --- file sizes ----------------------------------------------------------------------
  /** Size of one commit-log segment file, in bytes. @defaultValue 1073741824 (1 GiB) */
  mappedFileSizeCommitLog: number;
  /**
   * Size of one consume-queue file, in bytes; rounded up to a whole number of 20-byte units
   * by {@link getMappedFileSizeConsumeQueue}. @defaultValue 6000000 (300000 units)
   */
  mappedFileSizeConsumeQueue: number;
  /**
   * Bytes of the reusable write window of the commit log (our stand-in for mmap). Appends
   * copy into it; one write per commit moves it to the file. Capped at the segment size.
   * @defaultValue 4194304 (4 MiB)
   */
  commitLogWriteBufferBytes: number;
  /** Bytes of the write window of each consume queue (one per queue being written). @defaultValue 20480 (1024 units) */
  consumeQueueWriteBufferBytes: number;

  // --- consume-queue ext (the SQL92 bloom pre-filter) ----------------------------------
  /**
   * Give every consume-queue unit an ext unit (tags code, store time, filter bit map) in
   * `<storePathRootDir>/consumequeue_ext/<topic>/<queueId>/`; the unit's tags code then holds
   * its address. The broker's bit maps (`enableCalcFilterBitMap`) need it to reach pulls.
   * @defaultValue false
   */
  enableConsumeQueueExt: boolean;
  /** Size of one consume-queue ext file, in bytes. @defaultValue 50331648 (48 MiB) */
  mappedFileSizeConsumeQueueExt: number;
  /**
   * Bits of the filter bit map (Java sizes a scratch buffer with it). Not read here: the
   * bit map stored is the one the CalcBitMap dispatcher computed (the bloom filter's m bits,
   * 112 by default). @defaultValue 64
   */
  bitMapLengthConsumeQueueExt: number;

  // --- flush and commit ----------------------------------------------------------------
  /** ASYNC_FLUSH or SYNC_FLUSH. @defaultValue `'ASYNC_FLUSH'` */
  flushDiskType: FlushDiskType;
  /** ms between two ASYNC_FLUSH rounds of the commit log. @defaultValue 500 */
  flushIntervalCommitLog: number;
  /** Pages (4 KiB) that must be dirty before a non-thorough commit-log flush runs. @defaultValue 4 */
  flushCommitLogLeastPages: number;
  /** ms after which a commit-log flush runs whatever the dirty page count. @defaultValue 10000 */
  flushCommitLogThoroughInterval: number;
  /** Java: sleep (true) or wait-for-wakeup (false) between flush rounds. Both wait on the Clock here. @defaultValue true */
  flushCommitLogTimed: boolean;
  /** ms the commit service may wait before moving written bytes to the file. @defaultValue 200 */
  commitIntervalCommitLog: number;
  /** Pages that must be pending before a non-thorough commit runs. @defaultValue 4 */
  commitCommitLogLeastPages: number;
  /** ms after which a commit runs whatever the pending page count. @defaultValue 200 */
  commitCommitLogThoroughInterval: number;
  /** ms between two consume-queue flush rounds. @defaultValue 1000 */
  flushIntervalConsumeQueue: number;
  /** Pages that must be dirty before a non-thorough consume-queue flush runs. @defaultValue 2 */
  flushConsumeQueueLeastPages: number;
  /** ms after which a consume-queue flush runs whatever the dirty page count (and flushes the checkpoint). @defaultValue 60000 */
  flushConsumeQueueThoroughInterval: number;
  /** ms a SYNC_FLUSH put waits for its group commit before answering FLUSH_DISK_TIMEOUT. @defaultValue 5000 */
  syncFlushTimeout: number;
  /** ms between two flushes of the delay-offset table. @defaultValue 10000 */
  flushDelayOffsetInterval: number;

  // --- limits --------------------------------------------------------------------------
  /** Largest message accepted, in bytes (body, and the whole record). @defaultValue 4194304 (4 MiB) */
  maxMessageSize: number;
  /** Check each record's body CRC during recovery. @defaultValue true */
  checkCRCOnRecover: boolean;
  /** ms the append may take before puts are refused with OS_PAGECACHE_BUSY. Java spells it `…Mills`. @defaultValue 1000 */
  osPageCacheBusyTimeOutMills: number;

  // --- cleaning ------------------------------------------------------------------------
  /** Hours a commit-log file is kept after its last write. @defaultValue 72 */
  fileReservedTime: number;
  /** Local hours (`;`-separated, two digits) at which expired files may be deleted. @defaultValue `'04'` */
  deleteWhen: string;
  /** Percent of disk use above which files are deleted outside `deleteWhen` (clamped to 10..95). @defaultValue 75 */
  diskMaxUsedSpaceRatio: number;
  /** Percent of disk use above which files are deleted even before they expire. Java: system property. @defaultValue 85 */
  diskSpaceCleanForciblyRatio: number;
  /** Percent of disk use above which the store refuses puts ("disk full"). Java: system property. @defaultValue 90 */
  diskSpaceWarningLevelRatio: number;
  /** Whether disk pressure may delete files before they expire. @defaultValue true */
  cleanFileForciblyEnable: boolean;
  /** ms between two runs of the clean services. @defaultValue 10000 */
  cleanResourceInterval: number;
  /** ms between two commit-log file deletions within one run. @defaultValue 100 */
  deleteCommitLogFilesInterval: number;
  /** ms between two consume-queue file deletions within one run. @defaultValue 100 */
  deleteConsumeQueueFilesInterval: number;
  /** ms after which a file still in use is deleted anyway. Java spells it `…Maped…`. @defaultValue 120000 */
  destroyMapedFileIntervalForcibly: number;
  /** ms between retries of a file whose deletion hung. @defaultValue 120000 */
  redeleteHangedFileInterval: number;

  // --- reading -------------------------------------------------------------------------
  /** Bytes one pull may return when the data is in memory. @defaultValue 262144 */
  maxTransferBytesOnMessageInMemory: number;
  /** Messages one pull may return when the data is in memory. @defaultValue 32 */
  maxTransferCountOnMessageInMemory: number;
  /** Bytes one pull may return when the data is on disk. @defaultValue 65536 */
  maxTransferBytesOnMessageInDisk: number;
  /** Messages one pull may return when the data is on disk. @defaultValue 8 */
  maxTransferCountOnMessageInDisk: number;
  /** Percent of RAM the commit log may use before data counts as "on disk". @defaultValue 40 */
  accessMessageInMemoryMaxRatio: number;
  /** Default `maxNum` of a query by key. @defaultValue 32 */
  defaultQueryMaxNum: number;

  // --- index ---------------------------------------------------------------------------
  /** Build the key index (UNIQ_KEY and KEYS). @defaultValue true */
  messageIndexEnable: boolean;
  /** Hash slots per index file. @defaultValue 5000000 */
  maxHashSlotNum: number;
  /** Index entries per index file. @defaultValue 20000000 */
  maxIndexNum: number;
  /** Most offsets one index query returns. @defaultValue 64 */
  maxMsgsNumBatch: number;
  /** Use the index timestamp of the checkpoint when picking the abnormal-recovery start. @defaultValue false */
  messageIndexSafe: boolean;

  // --- replication ---------------------------------------------------------------------
  /** ASYNC_MASTER, SYNC_MASTER or SLAVE. @defaultValue `'ASYNC_MASTER'` */
  brokerRole: BrokerRole;
  /** Port the master listens on for slaves. @defaultValue 10912 */
  haListenPort: number;
  /** ms between a slave's offset reports. @defaultValue 5000 */
  haSendHeartbeatInterval: number;
  /** ms without traffic after which an HA connection is dropped. @defaultValue 20000 */
  haHousekeepingInterval: number;
  /** Most bytes the master sends a slave in one transfer. @defaultValue 32768 */
  haTransferBatchSize: number;
  /** `ip:port` of the master's HA port (slaves only); `undefined` means "learn it from the namesrv". @defaultValue `undefined` */
  haMasterAddress?: string | undefined;
  /** Bytes a slave may lag before SYNC_MASTER puts answer SLAVE_NOT_AVAILABLE. @defaultValue 268435456 (256 MiB) */
  haSlaveFallbehindMax: number;
  /** ms a SYNC_MASTER put waits for the slave. @defaultValue 3000 */
  slaveTimeout: number;
  /** Let a slave check consumer offsets against its own max. @defaultValue false */
  offsetCheckInSlave: boolean;
  /** Let a master reuse the slave's confirm offset when rebuilding (Java `duplicationEnable`). @defaultValue false */
  duplicationEnable: boolean;
  /** Record how far the disk falls behind in the store stats. @defaultValue true */
  diskFallRecorded: boolean;

  // --- scheduled messages --------------------------------------------------------------
  /** The delay levels, 1-based, space-separated (s, m, h, d units). @defaultValue `'1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h'` */
  messageDelayLevel: string;
}

/** Java's defaults, as a fresh object each call (callers may mutate their copy). */
export function defaultMessageStoreConfig(): MessageStoreConfig {
  return {
    storePathRootDir: 'store',
    storePathCommitLog: undefined,
    mappedFileSizeCommitLog: 1024 * 1024 * 1024,
    mappedFileSizeConsumeQueue: 300_000 * CQ_STORE_UNIT_SIZE,
    commitLogWriteBufferBytes: 4 * 1024 * 1024,
    consumeQueueWriteBufferBytes: 1024 * CQ_STORE_UNIT_SIZE,
    enableConsumeQueueExt: false,
    mappedFileSizeConsumeQueueExt: 48 * 1024 * 1024,
    bitMapLengthConsumeQueueExt: 64,
    flushDiskType: FlushDiskType.ASYNC_FLUSH,
    flushIntervalCommitLog: 500,
    flushCommitLogLeastPages: 4,
    flushCommitLogThoroughInterval: 10_000,
    flushCommitLogTimed: true,
    commitIntervalCommitLog: 200,
    commitCommitLogLeastPages: 4,
    commitCommitLogThoroughInterval: 200,
    flushIntervalConsumeQueue: 1000,
    flushConsumeQueueLeastPages: 2,
    flushConsumeQueueThoroughInterval: 60_000,
    syncFlushTimeout: 5000,
    flushDelayOffsetInterval: 10_000,
    maxMessageSize: 4 * 1024 * 1024,
    checkCRCOnRecover: true,
    osPageCacheBusyTimeOutMills: 1000,
    fileReservedTime: 72,
    deleteWhen: '04',
    diskMaxUsedSpaceRatio: 75,
    diskSpaceCleanForciblyRatio: 85,
    diskSpaceWarningLevelRatio: 90,
    cleanFileForciblyEnable: true,
    cleanResourceInterval: 10_000,
    deleteCommitLogFilesInterval: 100,
    deleteConsumeQueueFilesInterval: 100,
    destroyMapedFileIntervalForcibly: 120_000,
    redeleteHangedFileInterval: 120_000,
    maxTransferBytesOnMessageInMemory: 256 * 1024,
    maxTransferCountOnMessageInMemory: 32,
    maxTransferBytesOnMessageInDisk: 64 * 1024,
    maxTransferCountOnMessageInDisk: 8,
    accessMessageInMemoryMaxRatio: 40,
    defaultQueryMaxNum: 32,
    messageIndexEnable: true,
    maxHashSlotNum: 5_000_000,
    maxIndexNum: 5_000_000 * 4,
    maxMsgsNumBatch: 64,
    messageIndexSafe: false,
    brokerRole: BrokerRole.ASYNC_MASTER,
    haListenPort: 10912,
    haSendHeartbeatInterval: 5000,
    haHousekeepingInterval: 20_000,
    haTransferBatchSize: 32 * 1024,
    haMasterAddress: undefined,
    haSlaveFallbehindMax: 256 * 1024 * 1024,
    slaveTimeout: 3000,
    offsetCheckInSlave: false,
    duplicationEnable: false,
    diskFallRecorded: true,
    messageDelayLevel: '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h',
  };
}

/** Java `getStorePathCommitLog()`: the configured path, or `<root>/commitlog`. */
export function getStorePathCommitLog(config: Pick<MessageStoreConfig, 'storePathRootDir' | 'storePathCommitLog'>): string {
  if (config.storePathCommitLog !== undefined) return config.storePathCommitLog;
  // common/ may not import platform/, so this is joinPath's rule written out: one '/' between parts.
  const root = config.storePathRootDir.replace(/\/+$/, '');
  return `${root}/commitlog`;
}

/** Java `getMappedFileSizeConsumeQueue()`: the configured size rounded up to whole 20-byte units. */
export function getMappedFileSizeConsumeQueue(config: Pick<MessageStoreConfig, 'mappedFileSizeConsumeQueue'>): number {
  return Math.ceil(config.mappedFileSizeConsumeQueue / CQ_STORE_UNIT_SIZE) * CQ_STORE_UNIT_SIZE;
}

/** Java `getDiskMaxUsedSpaceRatio()`: the configured ratio clamped to 10..95. */
export function getDiskMaxUsedSpaceRatio(config: Pick<MessageStoreConfig, 'diskMaxUsedSpaceRatio'>): number {
  return Math.min(95, Math.max(10, config.diskMaxUsedSpaceRatio));
}
