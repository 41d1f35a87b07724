/**
 * DefaultMessageStore: the message store's façade. It builds the commit log, the consume
 * queues, the index, the checkpoint and the background services, runs their lifecycle, and
 * delegates every call of the {@link MessageStore} interface to the part that owns it.
 *
 * The lifecycle is the part worth reading here, because its order is what makes the store
 * survive crashes:
 *
 * ```
 *   load()      1. abort file present?  -> the last run crashed (lastExitOK = false)
 *               2. open commit-log and consume-queue files, the checkpoint, the index
 *                  (after a crash, index files newer than the checkpoint are deleted)
 *               3. recover: cut the commit log after its last valid record, the queues
 *                  with it; after a crash, replay from the checkpoint (commit-log-recovery.ts)
 *   start()     4. create the abort file: from now on, a crash leaves it behind
 *               5. reput from the furthest record any queue points at, until caught up;
 *                  rebuild the topic queue table; start flush, commit and clean services
 *   shutdown()  6. dispatch what is left; stop the services; flush log, queues, index, checkpoint
 *               7. delete the abort file, only if the store is writeable and nothing is behind
 * ```
 *
 * A disk write that fails anywhere (commit log, consume queue, index) makes the store refuse
 * further puts with SERVICE_NOT_AVAILABLE (Java's `RunningFlags`), and keeps the abort file
 * at shutdown, so the next start rebuilds what may be inconsistent instead of trusting it.
 *
 * Differences from RocketMQ 4.9.x:
 * - No lock file (the FileSystem port has no locks): do not open one store directory twice.
 * - The abort file is created at the beginning of `start()` (Java: at its end), because the
 *   catch-up dispatch in `start()` already writes consume queues.
 * - `start()` catches up on dispatch synchronously instead of polling `dispatchBehindBytes`.
 * - Statistics, DLedger, LMQ and the transient store pool are not part of this class.
 *   The schedule service (delayed delivery) is built here,
 *   loaded at the end of load() (after recovery, so its offsets can be checked against the
 *   queues) and started on a master at the end of start().
 * - HA (`ha/ha-service.ts`) is built here only when the options carry a transport; without
 *   one the store replicates nothing and a SYNC_MASTER put never waits for a slave.
 * - A consume-queue write that fails in a flush round or at shutdown marks the store not
 *   writeable instead of escaping the service (one in a dispatch makes the reput retry).
 * - Damaged files never crash the store: load() answers false (with a `store.io.failed`
 *   event) for what needs a person (a segment of the wrong size, a gap between segments, a
 *   disk error), and recovery repairs the rest from the commit log (see
 *   `commitlog/commit-log-recovery.ts`). Reads treat garbage as "no such message".
 *
 * @mirrors org.apache.rocketmq.store.DefaultMessageStore
 * @article store-init "Store initialisation and shutdown"
 * @emits store.io.failed
 * @category Store
 * @module
 */
import { assert } from '../common/assert.js';
import { BrokerRole, type MessageStoreConfig } from '../common/config/message-store-config.js';
import type { MessageExt, MessageExtBrokerInner } from '../common/message/message-ext.js';
import type { NodeEvents } from '../events/event-sink.js';
import type { Clock } from '../platform/clock.js';
import type { Transport } from '../platform/transport.js';
import { FileSystemError, type FileSystem } from '../platform/storage.js';
import { StoreCheckpoint } from './checkpoint/store-checkpoint.js';
import { CommitLog, type CommitLogOptions } from './commitlog/commit-log.js';
import { DelayLevelTable } from './commitlog/commit-log-record-reader.js';
import { HAService } from './ha/ha-service.js';
import { recover } from './commitlog/commit-log-recovery.js';
import { ConsumeQueueTable } from './consumequeue/consume-queue-table.js';
import { CommitLogDispatcherBuildConsumeQueue, CommitLogDispatcherBuildIndex, type CommitLogDispatcher } from './dispatch/commit-log-dispatcher.js';
import { ReputMessageService } from './dispatch/reput-message-service.js';
import { checkInDiskByCommitOffset, getMessage, RecordSpan, type GetMessageContext } from './get-message.js';
import { IndexService } from './index/index-service.js';
import { CleanCommitLogService } from './maintenance/clean-commit-log-service.js';
import { CleanConsumeQueueService } from './maintenance/clean-consume-queue-service.js';
import { FlushConsumeQueueService } from './maintenance/flush-consume-queue-service.js';
import { MappedFileIOError } from './mapped-file/mapped-file.js';
import { ScheduleMessageService } from './schedule/schedule-message-service.js';
import type { MessageArrivingListener, MessageFilter, MessageStore } from './message-store.js';
import { lookMessageByOffset, queryMessage, selectOneMessageByMsgId, selectOneMessageByOffset, type QueryMessageResult } from './query-message.js';
import { PutMessageStatus, putMessageResultOf, type AppendMessageResult, type GetMessageResult, type PutMessageResult, type SelectMappedBufferResult } from './results.js';
import { RunningFlags } from './running-flags.js';
import { getAbortFile, getStoreCheckpoint, getStorePathIndex } from './store-path.js';

/** How far in the future of this machine's clock a checkpoint timestamp may be before it counts as garbage. */
export const CHECKPOINT_CLOCK_SLACK_MS = 24 * 3_600_000;

/** RAM assumed when none is configured, for the "in memory / on disk" rule of pulls. */
export const DEFAULT_TOTAL_PHYSICAL_MEMORY_BYTES = 16 * 1024 ** 3;

export interface DefaultMessageStoreOptions {
  readonly fs: FileSystem;
  readonly clock: Clock;
  readonly events: NodeEvents;
  readonly config: MessageStoreConfig;
  /** `brokerIP1:listenPort`, the STOREHOST of records put without one. An IP literal. */
  readonly storeHost: string;
  /** The machine's RAM (Java reads it from the OS). @defaultValue 16 GiB */
  readonly totalPhysicalMemoryBytes?: number;
  /** Local time zone (minutes east of UTC) for index file names and `deleteWhen`. @defaultValue 0 */
  readonly utcOffsetMinutes?: number;
  /** SYNC_MASTER's wait for the slave (see `CommitLogOptions`); default: the HA service's, when there is one. */
  readonly submitReplicaRequest?: CommitLogOptions['submitReplicaRequest'];
  /** The broker's Transport: with it the store runs HA (accepts slaves, or follows a master). */
  readonly transport?: Transport;
  /** `host:port` the master accepts slaves on (the broker: `0.0.0.0:<listenPort + 1>`); needs `transport`. */
  readonly haListenAddress?: string;
}

/** What exists only after load(): it needs the checkpoint, which load() opens. */
export interface LoadedParts {
  readonly checkpoint: StoreCheckpoint;
  readonly indexService: IndexService;
  readonly reput: ReputMessageService;
  readonly flushConsumeQueueService: FlushConsumeQueueService;
  readonly cleanCommitLogService: CleanCommitLogService;
  readonly cleanConsumeQueueService: CleanConsumeQueueService;
}

export class DefaultMessageStore implements MessageStore {
  readonly commitLog: CommitLog;
  readonly consumeQueueTable: ConsumeQueueTable;
  /**
   * Run on every record, in order. load() appends the consume-queue and index builders; the
   * broker may put its CalcBitMap dispatcher first (`unshift`), as Java's `addFirst`.
   */
  readonly dispatcherList: CommitLogDispatcher[] = [];
  private exitedCleanly = true;
  private parts: LoadedParts | undefined;
  private running = false;
  /** Why puts are refused (besides the commit log's own IO latch and shutdown). */
  readonly runningFlags: RunningFlags;
  private arrivingListener: MessageArrivingListener | undefined;
  private readonly getContext: GetMessageContext;
  private readonly delayLevels: DelayLevelTable | undefined;
  /** Master/slave replication; present when the options carry a transport. */
  readonly haService: HAService | undefined;
  /** Delayed delivery: puts due messages of `SCHEDULE_TOPIC_XXXX` back on their real topic. */
  readonly scheduleMessageService: ScheduleMessageService;

  constructor(private readonly options: DefaultMessageStoreOptions) {
    const { fs, clock, events, config, storeHost } = options;
    this.runningFlags = new RunningFlags(events);
    // Java: after each append the commit log asks the HA service (SYNC_MASTER waits there).
    const submitReplicaRequest = options.submitReplicaRequest ?? (options.transport === undefined ? undefined
      : (result: AppendMessageResult, msg: MessageExtBrokerInner) => this.haService?.submitReplicaRequest(result, msg) ?? PutMessageStatus.PUT_OK);
    this.commitLog = new CommitLog({
      fs, clock, events, config, storeHost,
      // Java: a flush of the commit log records the store time it covered in the checkpoint.
      onPhysicFlushed: (storeTimestamp) => {
        if (this.parts !== undefined) this.parts.checkpoint.physicMsgTimestamp = storeTimestamp;
      },
      ...(submitReplicaRequest === undefined ? {} : { submitReplicaRequest }),
    });
    this.haService = options.transport === undefined ? undefined : new HAService({
      transport: options.transport, clock, events, config,
      store: {
        getMaxOffset: () => this.commitLog.getMaxOffset(),
        getData: (offset, maxBytes) => this.commitLog.getData(offset, maxBytes, false),
        getMaxPhyOffset: () => this.commitLog.getMaxOffset(),
        appendToCommitLog: (startOffset, data, dataStart, dataLength) => this.appendToCommitLog(startOffset, data, dataStart, dataLength),
      },
      ...(options.haListenAddress === undefined ? {} : { listenAddress: options.haListenAddress }),
    });
    this.consumeQueueTable = new ConsumeQueueTable({
      fs, clock, events, config,
      pickupStoreTimestamp: (offset, size) => this.commitLog.pickupStoreTimestamp(offset, size),
      getMinPhyOffset: () => this.commitLog.getMinOffset(),
      onIOError: (error) => this.runningFlags.makeError('WRITE_LOGICS_QUEUE_ERROR', error),
    });
    this.getContext = {
      commitLog: this.commitLog, consumeQueueTable: this.consumeQueueTable, config,
      totalPhysicalMemoryBytes: options.totalPhysicalMemoryBytes ?? DEFAULT_TOTAL_PHYSICAL_MEMORY_BYTES, readSpan: new RecordSpan(),
    };
    this.delayLevels = DelayLevelTable.parse(config.messageDelayLevel);
    this.scheduleMessageService = new ScheduleMessageService({
      fs, clock, events, config,
      findConsumeQueue: (topic, queueId) => this.consumeQueueTable.getConsumeQueue(topic, queueId),
      lookMessageByOffset: (offset, size) => this.lookMessageByOffset(offset, size),
      putMessage: (msg) => this.putMessage(msg),
    });
  }

  /** The parts load() creates: checkpoint, index service, reput and maintenance services. Asserts load() ran. */
  get loaded(): LoadedParts {
    assert(this.parts !== undefined, 'DefaultMessageStore: call load() first');
    return this.parts;
  }

  /** After load(): whether the last run shut down cleanly (no abort file was found). */
  get lastExitOK(): boolean {
    return this.exitedCleanly;
  }

  // -------------------------------------------------------------------------------------
  // Lifecycle.

  /**
   * Steps 1-3 above. False (with a `store.io.failed` event) when the files cannot be opened,
   * a segment has the wrong size or a gap before it, or recovery hits a disk error. Never
   * throws on what it finds on disk.
   */
  load(): boolean {
    const { fs, config, events } = this.options;
    assert(this.parts === undefined, 'DefaultMessageStore: load() twice');
    this.exitedCleanly = !fs.exists(getAbortFile(config.storePathRootDir));
    try {
      if (!this.commitLog.load() || !this.consumeQueueTable.load()) return false;
      // A checkpoint timestamp in the future is garbage (it would make recovery replay too
      // little). A day of slack: a slave records its master's store times, from another clock.
      const notAfter = this.options.clock.now() + CHECKPOINT_CLOCK_SLACK_MS;
      const checkpoint = StoreCheckpoint.load(fs, getStoreCheckpoint(config.storePathRootDir), events, notAfter);
      const indexService = new IndexService({
        fs, clock: this.options.clock, storePathRootDir: config.storePathRootDir, checkpoint, events,
        maxHashSlotNum: config.maxHashSlotNum, maxIndexNum: config.maxIndexNum, maxMsgsNumBatch: config.maxMsgsNumBatch,
        utcOffsetMinutes: this.options.utcOffsetMinutes ?? 0,
      });
      indexService.load(this.lastExitOK);
      this.dispatcherList.push(
        new CommitLogDispatcherBuildConsumeQueue({ consumeQueueTable: this.consumeQueueTable, checkpoint, config }),
        new CommitLogDispatcherBuildIndex({ indexService, config }),
        this.scheduleMessageService.dispatcher,
      );
      this.parts = this.buildServices(checkpoint, indexService);
      recover({
        fs, commitLog: this.commitLog, consumeQueueTable: this.consumeQueueTable, indexService, checkpoint, config, events,
        dispatch: (request) => {
          for (const dispatcher of this.dispatcherList) dispatcher.dispatch(request);
        },
        ...(this.delayLevels === undefined ? {} : { deliverTimestamp: this.delayLevels }),
      }, this.lastExitOK);
      this.scheduleMessageService.load();
      return true;
    } catch (error) {
      if (!(error instanceof MappedFileIOError) && !(error instanceof FileSystemError)) throw error;
      events.emit('store.io.failed', { operation: 'load', path: error.path, error: error.message });
      return false;
    }
  }

  private buildServices(checkpoint: StoreCheckpoint, indexService: IndexService): LoadedParts {
    const { fs, clock, events, config } = this.options;
    const reput = new ReputMessageService({
      commitLog: this.commitLog, dispatchers: this.dispatcherList, clock, events, config,
      // Java: the index service makes an index-file error, the consume queue a logics-queue error.
      onDispatchError: (error, dispatcher) => this.runningFlags.makeError(dispatcher instanceof CommitLogDispatcherBuildIndex ? 'WRITE_INDEX_FILE_ERROR' : 'WRITE_LOGICS_QUEUE_ERROR', error),
      ...(this.delayLevels === undefined ? {} : { deliverTimestamp: this.delayLevels }),
    });
    reput.messageArrivingListener = this.arrivingListener;
    const onLogicsError = (error: MappedFileIOError): void => this.runningFlags.makeError('WRITE_LOGICS_QUEUE_ERROR', error);
    const onCleanError = (error: MappedFileIOError): void => {
      events.emit('store.io.failed', { operation: `clean ${error.operation}`, path: error.path, error: error.message });
    };
    return {
      checkpoint, indexService, reput,
      flushConsumeQueueService: new FlushConsumeQueueService({
        clock, events, config, consumeQueueTable: this.consumeQueueTable, checkpoint, onIOError: onLogicsError,
      }),
      cleanCommitLogService: new CleanCommitLogService({
        clock, fs, events, config, commitLog: this.commitLog, utcOffsetMinutes: this.options.utcOffsetMinutes ?? 0,
        setDiskFull: (full) => this.runningFlags.setDiskFull(full),
        onIOError: onCleanError,
      }),
      cleanConsumeQueueService: new CleanConsumeQueueService({
        clock, events, config, commitLog: this.commitLog, consumeQueueTable: this.consumeQueueTable, indexService, onIOError: onCleanError,
      }),
    };
  }

  /** Steps 4-5 above (Java `start`). Throws a FileSystemError when the abort file cannot be written. */
  start(): void {
    const parts = this.loaded;
    // 4.9: reput from the furthest record any queue points at (never below the log's start),
    // so even after a clean shutdown the tail the queues missed is dispatched again.
    let reputFromOffset = Math.max(0, this.commitLog.getMinOffset());
    for (const queue of this.consumeQueueTable.queues()) reputFromOffset = Math.max(reputFromOffset, queue.maxPhysicOffset);
    // The abort file goes first (Java: last): dispatch below already writes consume queues.
    this.options.fs.writeText(getAbortFile(this.options.config.storePathRootDir), '');
    parts.reput.reputFromOffset = reputFromOffset;
    parts.reput.start();
    parts.reput.doReput(); // Java polls dispatchBehindBytes() every second; our dispatch is synchronous
    this.consumeQueueTable.recoverTopicQueueTable(this.commitLog.topicQueueTable, this.commitLog.getMinOffset());
    parts.flushConsumeQueueService.start();
    this.commitLog.start();
    // Java runs both cleaners from one scheduled task, commit log first; same delays keep that order.
    parts.cleanCommitLogService.start();
    parts.cleanConsumeQueueService.start();
    this.running = true;
    this.haService?.start(); // Java: after reput, before the schedule service
    this.handleScheduleMessageService(this.options.config.brokerRole);
  }

  /** Deliver delayed messages only as a master (Java `handleScheduleMessageService`, also called on a role change). */
  handleScheduleMessageService(brokerRole: BrokerRole): void {
    if (brokerRole === BrokerRole.SLAVE) this.scheduleMessageService.shutdown();
    else if (this.running) this.scheduleMessageService.start();
  }

  /** Steps 6-7 above (Java `shutdown`). Disk errors on the way are recorded and keep the abort file. */
  shutdown(): void {
    const parts = this.parts;
    if (!this.running || parts === undefined) return;
    this.running = false;
    this.haService?.shutdown(); // no more transfers or appends; waiting SYNC_MASTER puts are answered
    const flags = this.runningFlags;
    this.scheduleMessageService.shutdown(); // persists its offsets; Java stops it before HA and the log
    parts.cleanCommitLogService.shutdown();
    parts.cleanConsumeQueueService.shutdown();
    flags.guard('WRITE_LOGICS_QUEUE_ERROR', () => parts.reput.shutdown());
    flags.guard('WRITE_LOGICS_QUEUE_ERROR', () => this.commitLog.shutdown());
    flags.guard('WRITE_LOGICS_QUEUE_ERROR', () => parts.flushConsumeQueueService.shutdown());
    flags.guard('WRITE_LOGICS_QUEUE_ERROR', () => this.consumeQueueTable.shutdown());
    flags.guard('WRITE_INDEX_FILE_ERROR', () => parts.indexService.shutdown());
    flags.guard('WRITE_LOGICS_QUEUE_ERROR', () => parts.checkpoint.shutdown());
    // Java: only a store that is consistent may say so; otherwise the next start recovers abnormally.
    if (this.isWriteable && this.dispatchBehindBytes() === 0) this.options.fs.remove(getAbortFile(this.options.config.storePathRootDir));
  }

  /** Delete every file of the store (Java `destroy`). Call after shutdown(), or instead of load(). */
  destroy(): void {
    const root = this.options.config.storePathRootDir;
    this.consumeQueueTable.destroy();
    this.commitLog.destroy();
    this.parts?.indexService.destroy();
    this.options.fs.removeDir(getStorePathIndex(root)); // also the files of a store never loaded
    this.options.fs.remove(getAbortFile(root));
    this.options.fs.remove(getStoreCheckpoint(root));
    // Not in Java's destroy: the delay offsets belong to this store's queues, so they go with them.
    for (const suffix of ['', '.bak', '.tmp']) this.options.fs.remove(`${this.scheduleMessageService.configFilePath}${suffix}`);
  }

  /** Puts are accepted: no disk error, disk not full (Java `RunningFlags.isWriteable`). */
  get isWriteable(): boolean {
    return this.commitLog.isWriteable && this.runningFlags.isWriteable;
  }

  isOSPageCacheBusy(): boolean {
    return false;
  }

  // -------------------------------------------------------------------------------------
  // Put and pull.

  putMessage(msg: MessageExtBrokerInner): Promise<PutMessageResult> {
    if (!this.canPut()) return Promise.resolve(putMessageResultOf(PutMessageStatus.SERVICE_NOT_AVAILABLE));
    const result = this.commitLog.putMessage(msg); // the record is in the log when this returns: dispatch it soon
    this.loaded.reput.wakeup();
    return result;
  }

  putMessages(batch: MessageExtBrokerInner): Promise<PutMessageResult> {
    if (!this.canPut()) return Promise.resolve(putMessageResultOf(PutMessageStatus.SERVICE_NOT_AVAILABLE));
    const result = this.commitLog.putMessages(batch);
    this.loaded.reput.wakeup();
    return result;
  }

  /** Java `checkStoreStatus`: no puts when shut down, on a slave, or not writeable (SERVICE_NOT_AVAILABLE). */
  private canPut(): boolean {
    return this.running && this.options.config.brokerRole !== BrokerRole.SLAVE && this.isWriteable;
  }

  getMessage(group: string, topic: string, queueId: number, offset: number, maxMsgNums: number, filter?: MessageFilter): GetMessageResult | undefined {
    return this.running ? getMessage(this.getContext, group, topic, queueId, offset, maxMsgNums, filter) : undefined;
  }

  get messageArrivingListener(): MessageArrivingListener | undefined {
    return this.arrivingListener;
  }

  set messageArrivingListener(listener: MessageArrivingListener | undefined) {
    this.arrivingListener = listener;
    if (this.parts !== undefined) this.parts.reput.messageArrivingListener = listener;
  }

  // -------------------------------------------------------------------------------------
  // Offsets and times of one queue (an unknown queue reads as empty, as Java's would once created).

  getMaxOffsetInQueue(topic: string, queueId: number): number {
    return this.consumeQueueTable.getConsumeQueue(topic, queueId)?.getMaxOffsetInQueue() ?? 0;
  }

  getMinOffsetInQueue(topic: string, queueId: number): number {
    return this.consumeQueueTable.getConsumeQueue(topic, queueId)?.getMinOffsetInQueue() ?? 0;
  }

  getCommitLogOffsetInQueue(topic: string, queueId: number, consumeQueueOffset: number): number {
    return this.unitAt(topic, queueId, consumeQueueOffset)?.physicalOffset ?? 0;
  }

  getOffsetInQueueByTime(topic: string, queueId: number, timestamp: number): number {
    return this.consumeQueueTable.getConsumeQueue(topic, queueId)?.getOffsetInQueueByTime(timestamp) ?? 0;
  }

  getEarliestMessageTime(topic: string, queueId: number): number {
    return this.getMessageStoreTimeStamp(topic, queueId, this.getMinOffsetInQueue(topic, queueId));
  }

  getEarliestMessageTimeOfStore(): number {
    return this.commitLog.pickupStoreTimestamp(this.commitLog.getMinOffset(), this.options.config.maxMessageSize * 2);
  }

  getMessageStoreTimeStamp(topic: string, queueId: number, consumeQueueOffset: number): number {
    const unit = this.unitAt(topic, queueId, consumeQueueOffset);
    return unit === undefined ? -1 : this.commitLog.pickupStoreTimestamp(unit.physicalOffset, unit.size);
  }

  getMessageTotalInQueue(topic: string, queueId: number): number {
    return this.consumeQueueTable.getConsumeQueue(topic, queueId)?.getMessageTotalInQueue() ?? 0;
  }

  checkInDiskByConsumeOffset(topic: string, queueId: number, consumeOffset: number): boolean {
    const unit = this.unitAt(topic, queueId, consumeOffset);
    return unit !== undefined && checkInDiskByCommitOffset(this.getContext, unit.physicalOffset, this.commitLog.getMaxOffset());
  }

  /** The unit at a queue offset, when it is written and not below the queue's min offset. */
  private unitAt(topic: string, queueId: number, consumeQueueOffset: number): { physicalOffset: number; size: number } | undefined {
    const queue = this.consumeQueueTable.getConsumeQueue(topic, queueId);
    if (queue === undefined || consumeQueueOffset < queue.getMinOffsetInQueue()) return undefined;
    return queue.getUnit(consumeQueueOffset);
  }

  // -------------------------------------------------------------------------------------
  // Lookups, commit-log access, housekeeping.

  queryMessage(topic: string, key: string, maxNum: number, begin: number, end: number): QueryMessageResult {
    return queryMessage({ commitLog: this.commitLog, indexService: this.loaded.indexService }, topic, key, maxNum, begin, end);
  }

  lookMessageByOffset(commitLogOffset: number, size?: number): MessageExt | undefined {
    return lookMessageByOffset(this.commitLog, commitLogOffset, size);
  }

  selectOneMessageByOffset(commitLogOffset: number, size?: number): SelectMappedBufferResult | undefined {
    return selectOneMessageByOffset(this.commitLog, commitLogOffset, size);
  }

  selectOneMessageByMsgId(msgId: string): SelectMappedBufferResult | undefined {
    return selectOneMessageByMsgId(this.commitLog, msgId);
  }

  getMinPhyOffset(): number {
    return this.commitLog.getMinOffset();
  }

  getMaxPhyOffset(): number {
    return this.commitLog.getMaxOffset();
  }

  getCommitLogData(offset: number): SelectMappedBufferResult | undefined {
    if (!this.running) return undefined;
    try {
      return this.commitLog.getData(offset);
    } catch (error) {
      if (!(error instanceof MappedFileIOError)) throw error;
      this.options.events.emit('store.io.failed', { operation: `getCommitLogData ${error.operation}`, path: error.path, error: error.message });
      return undefined;
    }
  }

  appendToCommitLog(startOffset: number, data: Uint8Array, dataStart = 0, dataLength = data.length - dataStart): boolean {
    if (!this.running) return false;
    const appended = this.commitLog.appendData(startOffset, data, dataStart, dataLength);
    if (appended) this.loaded.reput.wakeup();
    return appended;
  }

  /** A slave learns (or changes) its master's HA address. Java `updateHaMasterAddress`. */
  updateHaMasterAddress(address: string): void {
    this.haService?.updateMasterAddress(address);
  }

  /** Bytes the slaves have not confirmed yet (Java `slaveFallBehindMuch`); 0 without HA. */
  slaveFallBehindMuch(): number {
    return this.haService === undefined ? 0 : Math.max(0, this.commitLog.getMaxOffset() - this.haService.pushToSlaveMaxOffset);
  }

  dispatchBehindBytes(): number {
    return this.loaded.reput.behind();
  }

  flush(): number {
    return this.commitLog.flush();
  }

  cleanUnusedTopic(retainTopics: ReadonlySet<string>): number {
    const unused = [...this.consumeQueueTable.queues()].filter((queue) => !retainTopics.has(queue.topic));
    for (const queue of unused) {
      this.consumeQueueTable.removeQueue(queue.topic, queue.queueId);
      this.commitLog.removeQueueFromTopicQueueTable(queue.topic, queue.queueId);
    }
    return unused.length;
  }
}
