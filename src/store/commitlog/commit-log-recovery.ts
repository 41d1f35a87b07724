/**
 * Recovery: after a restart, find where the valid commit log ends, cut everything after it,
 * and bring the consume queues and the index back in line.
 *
 * When the store starts, its files hold whatever reached the disk. After a clean shutdown
 * that is everything, and the last few files only need a quick check. After a crash (the
 * `abort` file is still there) the tail of the commit log may be torn, the consume queues
 * may point past it, and the index may miss entries. Both paths walk records with the same
 * checks as the reput service, plus the body CRC, and trust nothing after the first record
 * that fails them:
 *
 * ```
 *   normal (clean shutdown)                   abnormal (abort file found)
 *   start: the third-last file                start: the newest file whose first message is
 *                                             older than the checkpoint (else file 0)
 *   walk:  check each record (magic, size,    walk:  the same checks, and re-dispatch every
 *          CRC), BLANK -> next file                  valid record to consume queue + index
 *   stop:  at the first record that fails     stop:  the same
 *   then:  truncateDirtyFiles(end); cut consume-queue units and index files that reach past
 *          the end (the index files' earlier messages are indexed again)
 * ```
 *
 * Why the checkpoint picks the abnormal start: its timestamps say up to which store time
 * the commit log and the consume queues were both durable (minus a 3 s margin). Files whose
 * messages are all older than that need no replay; a replay of more is harmless, because
 * consume-queue and index puts skip what they already hold.
 *
 * ```
 *   files:      [ 0 ........ ][ 1024 ....... ][ 2048 ......... ][ 3072 ....|torn ]
 *   first msg:    t=100          t=200           t=300            t=400
 *   checkpoint min timestamp = 350  ->  newest file with first msg <= 350 is "2048"
 *   replay from 2048; the torn record in "3072" ends the log; "3072" is cut there
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - The abnormal start file's first message must be strictly older than the checkpoint
 *   (Java: older or the same millisecond); see `isMappedFileMatchedRecover`.
 * - A record must also carry its own position in PHYSICALOFFSET; one that does not is
 *   treated like a bad CRC (stale bytes from an older life of the file are never trusted).
 * - Reads go through bounded copies (see `dispatch/commit-log-chunk-reader.ts`).
 * - Index files that index messages past the recovered end are deleted and their earlier
 *   messages indexed again (Java keeps them: their entries then point into newer records,
 *   and the "already indexed" rule skips the messages written there after the restart).
 * - Consume queues that lose units are made durable right after the cut. Java leaves that
 *   to the next flush, so a second crash before it can bring back units pointing past the
 *   cut, into records written since: a pull would then serve bytes from mid-record.
 * - Damage is repaired from the commit log, the one source of truth: a consume queue in
 *   which recovery found garbage, and index files that load() found damaged, get their
 *   records dispatched again. Java trusts the derived files as it finds them.
 * - Every replay starts at the first record of a segment file, the one place where a
 *   record boundary is certain, whatever offset the damaged file claimed.
 * - `duplicationEnable` (replay only below the confirm offset) is left out.
 *
 * @mirrors org.apache.rocketmq.store.CommitLog#recoverNormally
 * @mirrors org.apache.rocketmq.store.CommitLog#recoverAbnormally
 * @mirrors org.apache.rocketmq.store.DefaultMessageStore#recover
 * @article store-init "Recovering after a crash"
 * @emits store.recovery.started, store.recovery.truncated, store.recovery.completed
 * @category Store
 * @module
 */
import { readInt32 } from '../../common/bytes.js';
import type { MessageStoreConfig } from '../../common/config/message-store-config.js';
import { MessageSysFlag } from '../../common/message/message-sys-flag.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { FileSystem } from '../../platform/storage.js';
import type { StoreCheckpoint } from '../checkpoint/store-checkpoint.js';
import type { ConsumeQueue } from '../consumequeue/consume-queue.js';
import type { ConsumeQueueTable } from '../consumequeue/consume-queue-table.js';
import { readCommitLogChunk } from '../dispatch/commit-log-chunk-reader.js';
import type { DispatchRequest } from '../dispatch/dispatch-request.js';
import type { IndexService } from '../index/index-service.js';
import type { SelectMappedBufferResult } from '../mapped-file/select-mapped-buffer-result.js';
import type { CommitLog } from './commit-log.js';
import { checkMessageAndReturnSize, type CheckMessageOptions, type DeliverTimestampCalculator } from './commit-log-record-reader.js';
import { MAGIC_CODE_POSITION, storeTimestampPosition } from './record-layout.js';

/** How the last run ended, as the abort file tells. */
export type RecoveryMode = 'normal' | 'abnormal';

/** Bytes of a record header that reach STORETIMESTAMP even with an IPv6 born host. */
const HEADER_WITH_STORE_TIMESTAMP = storeTimestampPosition(MessageSysFlag.BORNHOST_V6_FLAG) + 8;

/** Normal recovery checks this many files at the end of the log (Java: "the last third file"). */
const NORMAL_RECOVERY_FILES = 3;

export interface CommitLogRecoveryOptions {
  /** To make cut consume-queue files durable. */
  readonly fs: FileSystem;
  readonly commitLog: CommitLog;
  readonly consumeQueueTable: ConsumeQueueTable;
  /** Cut back with the log, so it never indexes past the recovered end. */
  readonly indexService: Pick<IndexService, 'truncateDirtyFiles'>;
  readonly checkpoint: StoreCheckpoint;
  readonly config: Pick<MessageStoreConfig, 'checkCRCOnRecover' | 'messageIndexEnable' | 'messageIndexSafe'>;
  readonly events: NodeEvents;
  /** Runs every dispatcher on a record (abnormal recovery replays through it). May throw an IO error. */
  readonly dispatch: (request: DispatchRequest) => void;
  /** Deliver times for `SCHEDULE_TOPIC_XXXX` records. Default: the 18 default levels. */
  readonly deliverTimestamp?: DeliverTimestampCalculator;
}

/** What recovery found. */
export interface RecoveryResult {
  readonly mode: RecoveryMode;
  /** Where the valid commit log ends: the next put goes here. */
  readonly processOffset: number;
  /** Records replayed into the consume queues and the index (abnormal recovery, or index repair). */
  readonly redispatched: number;
}

/**
 * The whole of Java's `DefaultMessageStore#recover`: recover the consume queues, then the
 * commit log (normally or not), then rebuild the topic queue table from the queues.
 */
export function recover(options: CommitLogRecoveryOptions, lastExitOK: boolean): RecoveryResult {
  const { commitLog, consumeQueueTable } = options;
  // Units pointing past the end of the commit-log files themselves are garbage, not a torn tail.
  const maxPhyOffsetOfConsumeQueue = consumeQueueTable.recover(commitLog.getMaxOffset());
  reportDamagedQueues(options, lastExitOK ? 'normal' : 'abnormal');
  const result = lastExitOK ? recoverNormally(options, maxPhyOffsetOfConsumeQueue) : recoverAbnormally(options, maxPhyOffsetOfConsumeQueue);
  consumeQueueTable.recoverTopicQueueTable(commitLog.topicQueueTable, commitLog.getMinOffset());
  const consumeQueues = [...consumeQueueTable.queues()].length;
  options.events.emit('store.recovery.completed', {
    mode: result.mode, minPhysOffset: commitLog.getMinOffset(), maxPhysOffset: commitLog.getMaxOffset(), consumeQueues, redispatched: result.redispatched,
  }, { flow: 'store' });
  return result;
}

/** After a clean shutdown: check the last three files, cut the log after the last valid record. Java `recoverNormally`. */
export function recoverNormally(options: CommitLogRecoveryOptions, maxPhyOffsetOfConsumeQueue: number): RecoveryResult {
  const files = options.commitLog.mappedFileQueue.mappedFiles;
  if (files.length === 0) return recoverEmpty(options, 'normal');
  const startIndex = Math.max(0, files.length - NORMAL_RECOVERY_FILES);
  options.events.emit('store.recovery.started', { mode: 'normal', fromOffset: files[startIndex]!.fileFromOffset, checkpointTimestamp: options.checkpoint.getMinTimestamp() });
  const walk = walkRecords(options, files[startIndex]!.fileFromOffset, undefined);
  const reindexed = cutAfter(options, walk, maxPhyOffsetOfConsumeQueue, 'normal', true);
  return { mode: 'normal', processOffset: walk.processOffset, redispatched: reindexed };
}

/**
 * After a crash: replay from the newest file the checkpoint vouches for, re-dispatching
 * every valid record, and cut the log after the last one. Java `recoverAbnormally`.
 */
export function recoverAbnormally(options: CommitLogRecoveryOptions, maxPhyOffsetOfConsumeQueue: number): RecoveryResult {
  const { commitLog, checkpoint, config } = options;
  const files = commitLog.mappedFileQueue.mappedFiles;
  if (files.length === 0) return recoverEmpty(options, 'abnormal');
  // Java: the index timestamp joins in only when the index must be rebuilt as well.
  const checkpointTimestamp = config.messageIndexEnable && config.messageIndexSafe ? checkpoint.getMinTimestampIndex() : checkpoint.getMinTimestamp();
  let startIndex = files.length - 1;
  while (startIndex >= 0 && !isMappedFileMatchedRecover(commitLog, files[startIndex]!.fileFromOffset, checkpointTimestamp)) startIndex--;
  startIndex = Math.max(0, startIndex);
  // A damaged consume queue is rebuilt by this replay: start no later than its last good record.
  const rebuildFrom = options.consumeQueueTable.damagedFrom();
  if (rebuildFrom !== undefined) {
    const rebuildFile = commitLog.mappedFileQueue.findMappedFileByOffset(Math.max(rebuildFrom, commitLog.getMinOffset()));
    if (rebuildFile !== undefined) startIndex = Math.min(startIndex, files.indexOf(rebuildFile));
  }
  options.events.emit('store.recovery.started', { mode: 'abnormal', fromOffset: files[startIndex]!.fileFromOffset, checkpointTimestamp });
  const walk = walkRecords(options, files[startIndex]!.fileFromOffset, options.dispatch);
  const reindexed = cutAfter(options, walk, maxPhyOffsetOfConsumeQueue, 'abnormal');
  return { mode: 'abnormal', processOffset: walk.processOffset, redispatched: walk.records + reindexed };
}

/**
 * Whether abnormal recovery may start at the file starting at `fileFromOffset`: its first
 * record is a message with a store time, earlier than the checkpoint's.
 *
 * Java: `storeTimestamp <= checkpoint`. We demand strictly earlier: many messages can share
 * one millisecond, and the index timestamp (unlike the other two) has no safety margin, so
 * a message stored in the checkpoint's own millisecond, just before this file, may have
 * missed the index file that was flushed. Starting one file earlier costs only a replay.
 */
function isMappedFileMatchedRecover(commitLog: CommitLog, fileFromOffset: number, checkpointTimestamp: number): boolean {
  const storeTimestamp = commitLog.pickupStoreTimestamp(fileFromOffset, HEADER_WITH_STORE_TIMESTAMP);
  return storeTimestamp > 0 && storeTimestamp < checkpointTimestamp;
}

/** Java: no commit-log file at all, so nothing a consume queue (or, ours, an index file) points at exists. */
function recoverEmpty(options: CommitLogRecoveryOptions, mode: RecoveryMode): RecoveryResult {
  options.commitLog.mappedFileQueue.flushedWhere = 0;
  options.commitLog.mappedFileQueue.committedWhere = 0;
  options.consumeQueueTable.destroy();
  options.indexService.truncateDirtyFiles(0);
  return { mode, processOffset: 0, redispatched: 0 };
}

// ---------------------------------------------------------------------------------------
// The walk.

/** Where a walk stopped, and why. */
interface Walk {
  /** End of the last valid record (or the start of the BLANK of the last file). */
  processOffset: number;
  /** Valid records walked. */
  records: number;
  /** True when the walk stopped on bytes that are not a clean, zeroed end of data. */
  stoppedOnGarbage: boolean;
}

/**
 * Walk records from `fromOffset` (a record boundary), handing each valid one to `onRecord`,
 * until the first record that fails the checks (or the last file ends).
 */
function walkRecords(options: CommitLogRecoveryOptions, fromOffset: number, onRecord: ((request: DispatchRequest) => void) | undefined): Walk {
  const { commitLog } = options;
  const files = commitLog.mappedFileQueue.mappedFiles;
  const checkOptions: CheckMessageOptions = options.deliverTimestamp === undefined ? {} : { deliverTimestamp: options.deliverTimestamp };
  const walk: Walk = { processOffset: fromOffset, records: 0, stoppedOnGarbage: false };
  const first = commitLog.mappedFileQueue.findMappedFileByOffset(fromOffset);
  if (first === undefined) return walk;
  let fileIndex = files.indexOf(first);
  for (;;) {
    const chunk = readCommitLogChunk(commitLog, walk.processOffset);
    if (chunk === undefined) return walk;
    const step = walkChunk(chunk, walk, options.config.checkCRCOnRecover, checkOptions, onRecord);
    if (step === 'stop') return walk;
    if (step === 'next-file') {
      // A BLANK ends the file; Java stops at the BLANK itself when no file follows.
      const next = files[fileIndex + 1];
      if (next === undefined) return walk;
      fileIndex++;
      walk.processOffset = next.fileFromOffset;
    }
  }
}

/** Walk the records of one chunk (which starts at `walk.processOffset`). */
function walkChunk(
  chunk: SelectMappedBufferResult,
  walk: Walk,
  checkCRC: boolean,
  checkOptions: CheckMessageOptions,
  onRecord: ((request: DispatchRequest) => void) | undefined,
): 'read-again' | 'next-file' | 'stop' {
  for (let at = 0; at < chunk.size;) {
    const request = checkMessageAndReturnSize(chunk.bytes, at, checkCRC, true, checkOptions);
    if (request.success && request.msgSize > 0 && request.commitLogOffset === walk.processOffset) {
      onRecord?.(request);
      walk.processOffset += request.msgSize;
      walk.records++;
      at += request.msgSize;
    } else if (request.success && request.msgSize === 0) {
      return 'next-file';
    } else if (!request.success && request.failureReason === 'TRUNCATED' && at > 0) {
      return 'read-again'; // the chunk cut this record short: read again from it
    } else {
      walk.stoppedOnGarbage = !isZeroedHeader(chunk.bytes, at);
      return 'stop';
    }
  }
  return 'read-again';
}

/** A preallocated, never-written tail reads as zeros: TOTALSIZE 0 and MAGICCODE 0. */
function isZeroedHeader(bytes: Uint8Array, at: number): boolean {
  if (at + MAGIC_CODE_POSITION + 4 > bytes.length) return bytes.subarray(at).every((b) => b === 0);
  return readInt32(bytes, at) === 0 && readInt32(bytes, at + MAGIC_CODE_POSITION) === 0;
}

/**
 * Cut the commit log after the walk's end, and the consume queues and the index after it
 * too (Java: `truncateDirtyFiles`, then `truncateDirtyLogicFiles` when a queue points that
 * far; the index is ours). Then replay what the index lost, and with `rebuildQueues` what
 * a damaged consume queue lost (abnormal recovery's walk has done that already). Returns
 * how many records were dispatched again.
 */
function cutAfter(options: CommitLogRecoveryOptions, walk: Walk, maxPhyOffsetOfConsumeQueue: number, mode: RecoveryMode, rebuildQueues = false): number {
  const { commitLog, events } = options;
  const processOffset = walk.processOffset;
  const loadedEnd = commitLog.getMaxOffset();
  const filesAfter = commitLog.mappedFileQueue.mappedFiles.filter((f) => f.fileFromOffset > processOffset).length;
  commitLog.truncateDirtyFiles(processOffset);
  if (walk.stoppedOnGarbage || filesAfter > 0) {
    events.emit('store.recovery.truncated', { queue: 'commitlog', fromOffset: loadedEnd, toOffset: processOffset, mode }, { flow: 'store' });
  }
  const cutQueues = cutConsumeQueues(options, processOffset, maxPhyOffsetOfConsumeQueue, mode);
  // The index can run ahead of the durable log too: a full index file is flushed at once.
  // Its files that reach past the cut go, and their messages before the cut are replayed.
  const reindexFrom = options.indexService.truncateDirtyFiles(processOffset);
  // After a clean shutdown no unit may point past the log: one that did was garbage, and
  // the queue is rebuilt like a damaged one. (After a crash it pointed into the lost tail.)
  const rebuildFrom = rebuildQueues ? options.consumeQueueTable.damagedFrom(cutQueues) : undefined;
  const replayFrom = Math.min(reindexFrom ?? processOffset, rebuildFrom ?? processOffset);
  if (replayFrom >= processOffset) return 0;
  // The offset may come from a damaged file: start at its segment's first record, a sure boundary.
  const file = commitLog.mappedFileQueue.findMappedFileByOffset(Math.max(replayFrom, commitLog.getMinOffset()));
  return file === undefined ? 0 : walkRecords(options, file.fileFromOffset, options.dispatch).records;
}

/** One `store.recovery.truncated` per consume queue recover() cut at garbage, in that queue's byte offsets. */
function reportDamagedQueues(options: CommitLogRecoveryOptions, mode: RecoveryMode): void {
  for (const queue of options.consumeQueueTable.queues()) {
    if (queue.damage === undefined) continue;
    const { loadedEnd, garbageAt } = queue.damage;
    options.events.emit('store.recovery.truncated', { queue: queue.mappedFileQueue.queueName, fromOffset: loadedEnd, toOffset: garbageAt, mode }, { flow: 'store' });
  }
}

/** Cut every consume-queue unit whose record does not end by `processOffset`, and make the cut durable. Returns the queues cut. */
function cutConsumeQueues(options: CommitLogRecoveryOptions, processOffset: number, maxPhyOffsetOfConsumeQueue: number, mode: RecoveryMode): ConsumeQueue[] {
  const { consumeQueueTable, events } = options;
  if (maxPhyOffsetOfConsumeQueue <= processOffset) return [];
  // A queue loses units exactly when one of them points at or past the cut.
  const cutQueues = [...consumeQueueTable.queues()].filter((queue) => queue.maxPhysicOffset > processOffset);
  consumeQueueTable.truncateDirtyLogicFiles(processOffset);
  for (const queue of cutQueues) {
    const last = queue.mappedFileQueue.getLastMappedFile();
    if (last === undefined) continue; // every file went: deletions are durable already
    // Any handle's fdatasync covers the file, and the cut zeroed it past the last kept unit.
    const handle = options.fs.open(last.path, 'rw');
    try {
      handle.flush();
    } finally {
      handle.close();
    }
  }
  if (cutQueues.length > 0) {
    events.emit('store.recovery.truncated', { queue: 'consumequeue', fromOffset: maxPhyOffsetOfConsumeQueue, toOffset: processOffset, mode }, { flow: 'store' });
  }
  return cutQueues;
}
