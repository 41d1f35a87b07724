/**
 * CommitLog: one append-only byte log holding every message of every topic on this broker,
 * cut into fixed-size segment files.
 *
 * Sequential appends are the cheapest thing a disk does, so the put path never touches a
 * per-topic file. Consume queues and the index are derived afterwards by the reput service,
 * which reads the log back (see `dispatch/`). This file is the put flow and the read flow;
 * the bytes of a record are in `record-layout.ts` and `message-encoder.ts`.
 *
 * Differences from RocketMQ 4.9.x:
 * - Segments are FileHandles with a write window (see `mapped-file.ts`), not mmap, so a
 *   {@link CommitRealTimeService} always runs and commits after every batch of puts.
 * - No PutMessageLock: the append runs to completion on one thread. For the same reason
 *   OS_PAGECACHE_BUSY never happens.
 * - A failed disk write latches the log: every later put answers SERVICE_NOT_AVAILABLE
 *   (Java's mmap would take a SIGBUS; its running flags answer the same status).
 * - `getData` returns a bounded copy; the reader reads again from where it stopped.
 * - DLedger, LMQ, multi-dispatch and multi-path storage are left out.
 *
 * @mirrors org.apache.rocketmq.store.CommitLog
 * @article store "The put path"
 * @emits store.commitlog.appended, store.commitlog.blank-filled, store.commitlog.committed, store.io.failed
 * @category Store
 * @module
 */

/*
 * The story of one put.
 *
 * A producer's message arrives at the broker, which wraps it in a MessageExtBrokerInner and
 * calls `putMessage`. From here to the append nothing awaits, so the whole append runs as
 * one uninterrupted step, which is what Java's put lock buys with a lock.
 *
 * First the message is *measured*: the encoder computes its record length and body CRC and
 * checks the limits (127-byte topic, 32767-byte properties, `maxMessageSize`). A message that
 * fails is refused here, before a byte is written. A delayed message (DELAY=n) is quietly
 * moved to `SCHEDULE_TOPIC_XXXX` queue n-1; the schedule service will put it back later.
 *
 * Then the *append*. The last segment's write window gets the record, at the position after
 * the previous one:
 *
 *     segment 00000000000000000000                              1 GiB
 *     [ rec | rec | rec | rec | ...................... | new |        free        ]
 *                                                      ^ physicalOffset = fileFromOffset + wrote
 *
 * The append also stamps what only the log knows: STORETIMESTAMP (so store times grow in file
 * order), PHYSICALOFFSET, and QUEUEOFFSET from the topic queue table ("TopicA-3" -> 57: this
 * is message 57 of that queue). If the record plus an 8-byte BLANK marker does not fit the
 * rest of the segment, the rest becomes a BLANK record (END_OF_FILE) and the record goes to
 * the start of a new segment, because a record never straddles two files.
 *
 * The bytes now sit in the write window. The put wakes the commit service, which moves all
 * of this tick's records to the file in one write (page cache: safe from a process kill).
 * Then the put *waits*, or not, depending on the flush mode: with SYNC_FLUSH and WAIT=true
 * it files a group-commit request and answers when an fdatasync has covered its bytes; with
 * ASYNC_FLUSH it answers at once and the flush service catches up within half a second.
 *
 * Reading is simpler: a consume-queue unit says (physicalOffset, size), and `getMessage`
 * copies those bytes out of the segment that holds them.
 */
import { assert, AssertionError } from '../../common/assert.js';
import { encodeUtf8, readInt64, viewOf } from '../../common/bytes.js';
import { getStorePathCommitLog, type MessageStoreConfig } from '../../common/config/message-store-config.js';
import { MessageConst } from '../../common/message/message-const.js';
import { UNKNOWN_HOST, type MessageExtBrokerInner } from '../../common/message/message-ext.js';
import { getTransactionValue, MessageSysFlag } from '../../common/message/message-sys-flag.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';
import type { FileSystem } from '../../platform/storage.js';
import { MappedFileIOError, type MappedFile } from '../mapped-file/mapped-file.js';
import type { SelectMappedBufferResult } from '../mapped-file/select-mapped-buffer-result.js';
import { MappedFileQueue } from '../mapped-file/mapped-file-queue.js';
import { WriteBufferPool } from '../mapped-file/write-buffer-pool.js';
import { AppendMessageStatus, PutMessageStatus, putMessageResultOf, type AppendMessageResult, type PutMessageResult } from '../results.js';
import { DelayLevelTable, RMQ_SYS_SCHEDULE_TOPIC } from './commit-log-record-reader.js';
import { DefaultAppendMessageCallback, isConsumableTransactionType } from './default-append-message-callback.js';
import { CommitRealTimeService } from './flush/commit-real-time-service.js';
import { createFlushCommitLogService, submitFlushRequest, type FlushCommitLogService } from './flush/flush-commit-log-service.js';
import { MessageExtEncoder } from './message-encoder.js';
import { refusalOf, rewriteDelayedMessage } from './put-message-checks.js';
import { END_FILE_MIN_BLANK_LENGTH, MAGIC_CODE_POSITION, MESSAGE_MAGIC_CODE, storeTimestampPosition, SYS_FLAG_POSITION } from './record-layout.js';
import { TopicQueueTable } from './topic-queue-table.js';

/** What a CommitLog needs. Nothing reaches back into a message store. */
export interface CommitLogOptions {
  readonly fs: FileSystem;
  readonly clock: Clock;
  readonly events: NodeEvents;
  readonly config: MessageStoreConfig;
  /** `brokerIP1:listenPort`, written as STOREHOSTADDRESS when a message arrives without one. */
  readonly storeHost: string;
  /** After each commit-log flush, the store time it covers (Java: `StoreCheckpoint.setPhysicMsgTimestamp`). */
  readonly onPhysicFlushed?: (storeTimestamp: number) => void;
  /**
   * SYNC_MASTER's wait for the slave (Java `submitReplicaRequest`); answers PUT_OK,
   * FLUSH_SLAVE_TIMEOUT or SLAVE_NOT_AVAILABLE. Absent: no replication wait.
   */
  readonly submitReplicaRequest?: (result: AppendMessageResult, msg: MessageExtBrokerInner) => Promise<PutMessageStatus> | PutMessageStatus;
}

/** Java combines the flush and replica waits: a replica failure wins, then a flush failure. */
function combineWaits(flushStatus: PutMessageStatus, replicaStatus: PutMessageStatus, result: AppendMessageResult): PutMessageResult {
  return putMessageResultOf(replicaStatus !== PutMessageStatus.PUT_OK ? replicaStatus : flushStatus, result);
}

/** Bytes of a record header that hold its store timestamp, even with an IPv6 born host (68 + 8). */
const STORE_TIMESTAMP_HEADER_BYTES = 76;

export class CommitLog {
  readonly mappedFileQueue: MappedFileQueue;
  readonly topicQueueTable = new TopicQueueTable();
  readonly commitRealTimeService: CommitRealTimeService;
  /** FlushRealTimeService (ASYNC_FLUSH) or GroupCommitService (SYNC_FLUSH). */
  readonly flushCommitLogService: FlushCommitLogService;
  /** The largest record (or batch) a put accepts: it must fit a segment and its write window. */
  readonly maxRecordBytes: number;
  private readonly mappedFileSize: number;
  private readonly encoder: MessageExtEncoder;
  private readonly appendCallback: DefaultAppendMessageCallback;
  private readonly maxDelayLevel: number;
  private readonly header = new Uint8Array(STORE_TIMESTAMP_HEADER_BYTES);
  private ioError: MappedFileIOError | undefined;
  /**
   * Bumped whenever bytes already written may change (a truncation, a destroy): a copy of
   * log bytes taken before (the pull path keeps one, see get-message.ts) is stale then.
   */
  truncations = 0;

  constructor(private readonly options: CommitLogOptions) {
    const { config, clock, events, fs } = options;
    this.mappedFileSize = config.mappedFileSizeCommitLog;
    // The window must hold the largest record, or an append could not fit it after a slide.
    const windowBytes = Math.min(this.mappedFileSize, Math.max(config.commitLogWriteBufferBytes, config.maxMessageSize));
    this.maxRecordBytes = Math.min(windowBytes, this.mappedFileSize - END_FILE_MIN_BLANK_LENGTH);
    this.mappedFileQueue = new MappedFileQueue({
      fs, clock, events, storePath: getStorePathCommitLog(config), mappedFileSize: this.mappedFileSize,
      writeBufferPool: new WriteBufferPool(windowBytes, 1), queueName: 'commitlog',
    });
    this.encoder = new MessageExtEncoder({ maxMessageSize: config.maxMessageSize });
    this.appendCallback = new DefaultAppendMessageCallback(this.encoder, this.topicQueueTable, clock);
    this.maxDelayLevel = DelayLevelTable.parse(config.messageDelayLevel)?.maxDelayLevel ?? 18;
    this.commitRealTimeService = new CommitRealTimeService(clock, this, config.commitIntervalCommitLog);
    this.flushCommitLogService = createFlushCommitLogService({
      clock, events, mappedFileQueue: this.mappedFileQueue,
      onIOError: (error) => this.latchIOError(error),
      ...(options.onPhysicFlushed === undefined ? {} : { onFlushed: options.onPhysicFlushed }),
    }, config);
  }

  // -------------------------------------------------------------------------------------
  // Lifecycle.

  /** Open the segment files found on disk (recovery then moves the positions back). */
  load(): boolean {
    if (!this.mappedFileQueue.load()) return false;
    // No mtime in the FileSystem port: a full file was last written about when the next
    // file's first record was stored, which is what the cleaner's expiry needs.
    const files = this.mappedFileQueue.mappedFiles;
    for (let i = 0; i + 1 < files.length; i++) {
      const storeTimestamp = this.pickupStoreTimestamp(files[i + 1]!.fileFromOffset, STORE_TIMESTAMP_HEADER_BYTES);
      if (storeTimestamp > 0) files[i]!.lastModifiedTimestamp = storeTimestamp;
    }
    return true;
  }

  start(): void {
    this.commitRealTimeService.start();
    this.flushCommitLogService.start();
  }

  /** Stop the services (they commit and flush what is left), then close the files. */
  shutdown(): void {
    this.commitRealTimeService.shutdown();
    this.flushCommitLogService.shutdown();
    this.mappedFileQueue.shutdown();
  }

  /** Delete every segment (Java `destroy`). */
  destroy(): void {
    this.truncations++;
    this.mappedFileQueue.destroy();
  }

  /** False once a disk write failed; puts then answer SERVICE_NOT_AVAILABLE. */
  get isWriteable(): boolean {
    return this.ioError === undefined;
  }

  // -------------------------------------------------------------------------------------
  // The put path.

  /** Store one message. Java `asyncPutMessage`. */
  async putMessage(msg: MessageExtBrokerInner): Promise<PutMessageResult> {
    if (!this.isWriteable) return putMessageResultOf(PutMessageStatus.SERVICE_NOT_AVAILABLE);
    if (msg.storeHost === UNKNOWN_HOST) msg.storeHost = this.options.storeHost;
    if (isConsumableTransactionType(msg.sysFlag) && msg.delayTimeLevel > 0) rewriteDelayedMessage(msg, this.maxDelayLevel);
    msg.applyHostV6Flags();
    const check = this.encoder.measure(msg);
    const refused = refusalOf(check.status, check.msgLength, this.maxRecordBytes);
    if (refused !== undefined) return refused;
    this.appendCallback.batch = false;
    this.appendCallback.measuredLength = check.msgLength;
    this.appendCallback.measuredCount = 1;
    return this.appendAndWait(msg);
  }

  /** Store a batch (one MessageExtBrokerInner whose body is a batch body). Java `asyncPutMessages`. */
  async putMessages(batch: MessageExtBrokerInner): Promise<PutMessageResult> {
    if (!this.isWriteable) return putMessageResultOf(PutMessageStatus.SERVICE_NOT_AVAILABLE);
    // Java: a batch may be neither transactional nor delayed.
    if (getTransactionValue(batch.sysFlag) !== MessageSysFlag.TRANSACTION_NOT_TYPE || batch.delayTimeLevel > 0) {
      return putMessageResultOf(PutMessageStatus.MESSAGE_ILLEGAL);
    }
    if (batch.storeHost === UNKNOWN_HOST) batch.storeHost = this.options.storeHost;
    batch.applyHostV6Flags();
    const check = this.encoder.measureBatch(batch);
    const refused = refusalOf(check.status, check.totalLength, this.maxRecordBytes);
    if (refused !== undefined) return refused;
    this.appendCallback.batch = true;
    this.appendCallback.measuredLength = check.totalLength;
    this.appendCallback.measuredCount = check.count;
    return this.appendAndWait(batch);
  }

  /** Append, then wait for flush and replica as the config asks. No promise is made when nothing waits. */
  private appendAndWait(msg: MessageExtBrokerInner): PutMessageResult | Promise<PutMessageResult> {
    const appended = this.append(msg);
    if (appended.putMessageStatus !== PutMessageStatus.PUT_OK) return appended;
    const result = appended.appendMessageResult!;
    // The payload is built only when someone listens: this runs once per stored message.
    if (this.options.events.wants('store.commitlog.appended')) this.emitAppended(msg, result);
    this.commitRealTimeService.wakeup();
    const flush = submitFlushRequest(this.flushCommitLogService, result.wroteOffset + result.wroteBytes, msg.waitStoreMsgOK);
    // SYNC_MASTER (WAIT=true): the slave's ack is awaited alongside the flush, as Java's thenCombine.
    const replica = this.options.submitReplicaRequest?.(result, msg) ?? PutMessageStatus.PUT_OK;
    if (typeof replica === 'string' && typeof flush === 'string') return combineWaits(flush, replica, result);
    return Promise.all([flush, replica]).then(([flushStatus, replicaStatus]) => combineWaits(flushStatus, replicaStatus, result));
  }

  private emitAppended(msg: MessageExtBrokerInner, result: AppendMessageResult): void {
    const { wroteOffset: physOffset, wroteBytes: size, logicsOffset: queueOffset } = result;
    const uniqKey = msg.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
    const realTopic = msg.getProperty(MessageConst.PROPERTY_REAL_TOPIC);
    const delayLevel = msg.topic === RMQ_SYS_SCHEDULE_TOPIC ? msg.queueId + 1 : undefined;
    const record = result.msgNum === 1 ? {
      bodyCRC: msg.bodyCRC, flag: msg.flag, sysFlag: msg.sysFlag, bornTimestamp: msg.bornTimestamp, bornHost: msg.bornHost, storeHost: msg.storeHost,
      reconsumeTimes: msg.reconsumeTimes, preparedTransactionOffset: msg.preparedTransactionOffset, bodyLength: msg.body.length,
      topicLength: encodeUtf8(msg.topic).length, propertiesLength: encodeUtf8(msg.propertiesString).length, properties: Object.fromEntries(msg.properties),
    } : undefined;
    this.options.events.emit('store.commitlog.appended', {
      physOffset, size, fileFromOffset: physOffset - (physOffset % this.mappedFileSize), wrote: (physOffset % this.mappedFileSize) + size,
      topic: msg.topic, queueId: msg.queueId, queueOffset, msgNum: result.msgNum, storeTimestamp: result.storeTimestamp, ...(record === undefined ? {} : { record }),
    }, {
      flow: 'store',
      msg: {
        topic: msg.topic, queueId: msg.queueId, queueOffset, physOffset, size, reconsumeTimes: msg.reconsumeTimes, ...(uniqKey === undefined ? {} : { uniqKey }),
        ...(realTopic === undefined ? {} : { realTopic }), ...(delayLevel === undefined ? {} : { delayLevel }),
      },
    });
  }

  /**
   * The append itself: synchronous, as under Java's put lock. Rolls to a new segment on
   * END_OF_FILE and appends once more; IO failures become statuses.
   */
  private append(msg: MessageExtBrokerInner): PutMessageResult {
    // Java holds putMessageLock from here to the end of this method; nothing here awaits.
    let result: AppendMessageResult;
    try {
      let file = this.lastWritableFile();
      if (file === undefined) return putMessageResultOf(PutMessageStatus.CREATE_MAPPED_FILE_FAILED);
      result = file.appendMessagesInner(this.appendCallback, msg, this.appendCallback.measuredLength);
      if (result.status === AppendMessageStatus.END_OF_FILE) {
        this.options.events.emit('store.commitlog.blank-filled', { fileFromOffset: file.fileFromOffset, physOffset: result.wroteOffset, size: result.wroteBytes });
        file = this.lastWritableFile();
        if (file === undefined) return putMessageResultOf(PutMessageStatus.CREATE_MAPPED_FILE_FAILED, result);
        result = file.appendMessagesInner(this.appendCallback, msg, this.appendCallback.measuredLength);
      }
    } catch (error) {
      if (!(error instanceof MappedFileIOError)) throw error;
      this.latchIOError(error);
      return putMessageResultOf(PutMessageStatus.SERVICE_NOT_AVAILABLE);
    }
    // The record was measured to fit an empty segment, so a second END_OF_FILE is a bug.
    if (!(result.status === AppendMessageStatus.PUT_OK)) throw new AssertionError(`append into a fresh segment answered ${result.status}`);
    return putMessageResultOf(PutMessageStatus.PUT_OK, result);
  }

  /** The last segment, or a new one when there is none or it is full; `undefined` if creating failed. */
  private lastWritableFile(): MappedFile | undefined {
    const last = this.mappedFileQueue.getLastMappedFile();
    if (last !== undefined && !last.isFull) return last;
    try {
      return this.mappedFileQueue.getLastMappedFile(0);
    } catch (error) {
      if (!(error instanceof MappedFileIOError) || (error.operation !== 'create' && error.operation !== 'preallocate')) throw error;
      return undefined; // Java: CREATE_MAPEDFILE_FAILED; the next put tries again
    }
  }

  /** Java `appendData`: the HA slave appends the master's bytes as they are, at `startOffset`. */
  appendData(startOffset: number, data: Uint8Array, dataStart = 0, dataLength = data.length - dataStart): boolean {
    if (!this.isWriteable) return false;
    try {
      const file = this.mappedFileQueue.getLastMappedFile(startOffset);
      // The bytes come off the network: ones that would not land where the log ends are refused.
      if (file === undefined || file.fileFromOffset + file.wrotePosition !== startOffset) return false;
      const ok = file.appendMessage(data, dataStart, dataLength);
      if (ok) this.commitRealTimeService.wakeup();
      return ok;
    } catch (error) {
      if (!(error instanceof MappedFileIOError)) throw error;
      this.latchIOError(error);
      return false;
    }
  }

  // -------------------------------------------------------------------------------------
  // Commit and flush (called by the services, and at shutdown).

  /** Move pending window bytes to the segment files (the CommitTarget the committer calls). */
  commit(): boolean {
    const before = this.mappedFileQueue.committedWhere;
    try {
      if (!this.mappedFileQueue.commit(0)) return false;
    } catch (error) {
      if (!(error instanceof MappedFileIOError)) throw error;
      this.latchIOError(error);
      return false;
    }
    const committedWhere = this.mappedFileQueue.committedWhere;
    this.options.events.emit('store.commitlog.committed', { committedWhere, bytes: committedWhere - before });
    return true;
  }

  /** Commit and flush everything now (Java `CommitLog.flush`); returns `flushedWhere`. */
  flush(): number {
    this.commit();
    try {
      while (this.mappedFileQueue.flush(0)) {
        // one file per call; go on until nothing moves
      }
    } catch (error) {
      if (!(error instanceof MappedFileIOError)) throw error;
      this.latchIOError(error);
    }
    return this.mappedFileQueue.flushedWhere;
  }

  private latchIOError(error: MappedFileIOError): void {
    if (this.ioError !== undefined) return;
    this.ioError = error;
    this.options.events.emit('store.io.failed', { operation: error.operation, path: error.path, error: error.message });
  }

  // -------------------------------------------------------------------------------------
  // The read path and offsets.

  /** Offset of the first byte still kept, or -1 when the log is empty. Java `getMinOffset`. */
  getMinOffset(): number {
    return this.mappedFileQueue.getMinOffset();
  }

  /** End of the log: where the next record goes. Java `getMaxOffset`. */
  getMaxOffset(): number {
    return this.mappedFileQueue.getMaxOffset();
  }

  remainHowManyDataToCommit(): number {
    return this.mappedFileQueue.remainHowManyDataToCommit();
  }

  remainHowManyDataToFlush(): number {
    return this.mappedFileQueue.remainHowManyDataToFlush();
  }

  /** First offset of the segment after the one holding `offset` (where a reader goes after a BLANK). */
  rollNextFile(offset: number): number {
    return offset + this.mappedFileSize - (offset % this.mappedFileSize);
  }

  /** A copy of the record at `offset` (`size` from its consume-queue unit). Java `getMessage`. */
  getMessage(offset: number, size: number): SelectMappedBufferResult | undefined {
    const file = this.mappedFileQueue.findMappedFileByOffset(offset, offset === 0);
    return file?.selectMappedBuffer(offset % this.mappedFileSize, size);
  }

  /**
   * A copy of the log from `offset` to the end of its segment's written data, at most
   * `maxBytes` (default: the largest record, so a reader always gets at least one whole
   * record). The last record in the copy may be cut short: read again from its offset.
   * Java `getData` (which returns a view to the end of the file).
   */
  getData(offset: number, maxBytes = this.maxRecordBytes, returnFirstOnNotFound = offset === 0): SelectMappedBufferResult | undefined {
    const file = this.mappedFileQueue.findMappedFileByOffset(offset, returnFirstOnNotFound);
    if (file === undefined) return undefined;
    const position = offset % this.mappedFileSize;
    const size = Math.min(file.readPosition - position, maxBytes);
    return size > 0 ? file.selectMappedBuffer(position, size) : undefined;
  }

  /**
   * STORETIMESTAMP of the record at `offset`, or -1 when it cannot be read or is garbage
   * (negative, not a safe integer). Java `pickupStoreTimestamp`.
   */
  pickupStoreTimestamp(offset: number, size: number): number {
    if (!(offset >= this.getMinOffset())) return -1;
    const file = this.mappedFileQueue.findMappedFileByOffset(offset);
    const length = Math.min(size, this.header.length);
    if (file === undefined || !this.readQuietly(file, offset % this.mappedFileSize, length)) return -1;
    const view = viewOf(this.header);
    if (view.getInt32(MAGIC_CODE_POSITION, false) !== MESSAGE_MAGIC_CODE) return -1;
    const at = storeTimestampPosition(view.getInt32(SYS_FLAG_POSITION, false));
    const storeTimestamp = at + 8 <= length ? readInt64(view, at) : -1;
    return storeTimestamp >= 0 ? storeTimestamp : -1;
  }

  /** Read a record header into `this.header`; an unreadable file (MappedFileIOError) reads as nothing, with an event. */
  private readQuietly(file: MappedFile, position: number, length: number): boolean {
    try {
      return file.read(position, this.header, 0, length);
    } catch (error) {
      if (!(error instanceof MappedFileIOError)) throw error;
      this.options.events.emit('store.io.failed', { operation: error.operation, path: error.path, error: error.message });
      return false;
    }
  }

  // -------------------------------------------------------------------------------------
  // Hooks for recovery and cleaning.

  /** Cut the log back to `offset`, where recovery found the last valid record ends. */
  truncateDirtyFiles(offset: number): void {
    this.truncations++;
    this.mappedFileQueue.flushedWhere = offset;
    this.mappedFileQueue.committedWhere = offset;
    this.mappedFileQueue.truncateDirtyFiles(offset);
  }

  /** Delete expired segments (Java `deleteExpiredFile`); `expiredTimeMs` is `fileReservedTime` in ms. */
  deleteExpiredFile(expiredTimeMs: number, cleanImmediately: boolean): number {
    return this.mappedFileQueue.deleteExpiredFileByTime(expiredTimeMs, cleanImmediately);
  }

  /** Java `removeQueueFromTopicQueueTable`. */
  removeQueueFromTopicQueueTable(topic: string, queueId: number): void {
    this.topicQueueTable.remove(topic, queueId);
  }
}
