/**
 * StoreCheckpoint: three timestamps that say how far each part of the store was durable.
 *
 * After a crash the store must find where trustworthy data ends. The commit log, the
 * consume queues and the index are flushed by different services at different times, so
 * the checkpoint records, for each, the store timestamp of the newest message known to be
 * on disk. Abnormal recovery then starts re-dispatching from the first commit-log file
 * whose first message is older than the smallest of them (`getMinTimestamp`): everything
 * before that point is known to be consistent.
 *
 * ```
 *   file "checkpoint" (one 4 KiB page; only the first 24 bytes are used)
 *   off  size  field
 *     0    8   physicMsgTimestamp   newest store time fully flushed in the commit log
 *     8    8   logicsMsgTimestamp   newest store time covered by a thorough CQ flush
 *    16    8   indexMsgTimestamp    end time of the last index file flushed when full
 *    24 4072   (zeros)
 * ```
 *
 * Setting a field changes memory only; {@link StoreCheckpoint.flush} writes all three and
 * makes them durable, so a crash before a flush leaves the previous values on disk.
 *
 * Differences from RocketMQ 4.9.x:
 * - Reads and writes through a FileHandle instead of a mapped page.
 * - A value that is not a non-negative safe integer, or lies later than the `notAfter`
 *   the loader passes (the store: its clock plus a day), reads as 0 (the safest start for
 *   recovery: replay everything) instead of being trusted. A garbage timestamp in the
 *   future would make abnormal recovery replay too little.
 * - Disk failures throw MappedFileIOError, the store's one error type for file IO.
 *
 * @mirrors org.apache.rocketmq.store.StoreCheckpoint
 * @article store-init "Recovering after a crash"
 * @emits store.checkpoint.flushed
 * @category Store
 * @module
 */
import { assert, assertSafeInteger } from '../../common/assert.js';
import { readLong, writeLong } from '../../common/java-compat.js';
import type { NodeEvents } from '../../events/event-sink.js';
import { dirName, type FileHandle, type FileSystem } from '../../platform/storage.js';
import { fileIO, readFully } from '../mapped-file/mapped-file.js';

export const PHYSIC_MSG_TIMESTAMP_POSITION = 0;
export const LOGICS_MSG_TIMESTAMP_POSITION = 8;
export const INDEX_MSG_TIMESTAMP_POSITION = 16;
/** Bytes that carry data. */
export const CHECKPOINT_DATA_LENGTH = 24;
/** Java maps one OS page (`MappedFile.OS_PAGE_SIZE`), which sizes the file. */
export const CHECKPOINT_FILE_SIZE = 4096;

/**
 * Recovery starts this much earlier than the checkpoint says. Java subtracts three seconds
 * without saying why. The effect: abnormal recovery picks its start file a little earlier
 * than strictly needed, which tolerates a wall clock that stepped back between appends
 * (store timestamps are then not monotonic in file order) and costs only some re-dispatch,
 * which is idempotent.
 */
export const MIN_TIMESTAMP_SAFETY_MARGIN_MS = 3000;

assert(LOGICS_MSG_TIMESTAMP_POSITION === PHYSIC_MSG_TIMESTAMP_POSITION + 8, 'checkpoint layout: logics');
assert(INDEX_MSG_TIMESTAMP_POSITION === LOGICS_MSG_TIMESTAMP_POSITION + 8, 'checkpoint layout: index');
assert(CHECKPOINT_DATA_LENGTH === INDEX_MSG_TIMESTAMP_POSITION + 8 && CHECKPOINT_DATA_LENGTH <= CHECKPOINT_FILE_SIZE, 'checkpoint layout: size');

/** The three timestamps. */
export interface CheckpointTimestamps {
  physicMsgTimestamp: number;
  logicsMsgTimestamp: number;
  indexMsgTimestamp: number;
}

export class StoreCheckpoint {
  private physic: number;
  private logics: number;
  private index: number;
  private readonly scratch = new Uint8Array(CHECKPOINT_DATA_LENGTH);

  /** Wrap an open checkpoint file. Use {@link StoreCheckpoint.load} to do the IO. */
  constructor(private readonly handle: FileHandle, initial: CheckpointTimestamps, private readonly events?: NodeEvents) {
    this.physic = checked(initial.physicMsgTimestamp, 'physicMsgTimestamp');
    this.logics = checked(initial.logicsMsgTimestamp, 'logicsMsgTimestamp');
    this.index = checked(initial.indexMsgTimestamp, 'indexMsgTimestamp');
  }

  /**
   * Open (or create) the checkpoint file at `path` and read its three timestamps. A new or
   * short file is extended to one page of zeros, as Java's mapping does. A value that is
   * garbage, or later than `notAfter` (the loading clock's now), reads as 0. Throws
   * MappedFileIOError when the file cannot be opened or read.
   */
  static load(fs: FileSystem, path: string, events?: NodeEvents, notAfter = Number.MAX_SAFE_INTEGER): StoreCheckpoint {
    fileIO(path, 'open', () => fs.mkdirp(dirName(path)));
    const handle = fileIO(path, 'open', () => fs.open(path, 'rw'));
    const bytes = new Uint8Array(CHECKPOINT_DATA_LENGTH);
    try {
      fileIO(path, 'extend', () => {
        if (handle.size() < CHECKPOINT_FILE_SIZE) handle.truncate(CHECKPOINT_FILE_SIZE);
      });
      readFully(handle, 0, bytes, 0, CHECKPOINT_DATA_LENGTH);
    } catch (error) {
      handle.close();
      throw error;
    }
    const view = new DataView(bytes.buffer);
    const sane = (value: number): number => (Number.isSafeInteger(value) && value >= 0 && value <= notAfter ? value : 0);
    return new StoreCheckpoint(handle, {
      physicMsgTimestamp: sane(readLong(view, PHYSIC_MSG_TIMESTAMP_POSITION)),
      logicsMsgTimestamp: sane(readLong(view, LOGICS_MSG_TIMESTAMP_POSITION)),
      indexMsgTimestamp: sane(readLong(view, INDEX_MSG_TIMESTAMP_POSITION)),
    }, events);
  }

  get physicMsgTimestamp(): number {
    return this.physic;
  }
  set physicMsgTimestamp(value: number) {
    this.physic = checked(value, 'physicMsgTimestamp');
  }

  get logicsMsgTimestamp(): number {
    return this.logics;
  }
  set logicsMsgTimestamp(value: number) {
    this.logics = checked(value, 'logicsMsgTimestamp');
  }

  get indexMsgTimestamp(): number {
    return this.index;
  }
  set indexMsgTimestamp(value: number) {
    this.index = checked(value, 'indexMsgTimestamp');
  }

  /** Write the three timestamps and make them durable. Throws MappedFileIOError when the disk refuses. */
  flush(): void {
    const view = new DataView(this.scratch.buffer);
    writeLong(view, PHYSIC_MSG_TIMESTAMP_POSITION, this.physic);
    writeLong(view, LOGICS_MSG_TIMESTAMP_POSITION, this.logics);
    writeLong(view, INDEX_MSG_TIMESTAMP_POSITION, this.index);
    fileIO(this.handle.path, 'write', () => this.handle.write(0, this.scratch, 0, CHECKPOINT_DATA_LENGTH));
    fileIO(this.handle.path, 'flush', () => this.handle.flush());
    this.events?.emit('store.checkpoint.flushed', {
      physicMsgTimestamp: this.physic,
      logicsMsgTimestamp: this.logics,
      indexMsgTimestamp: this.index,
    });
  }

  /** Flush, then release the file (also when the flush fails: its MappedFileIOError is thrown after). */
  shutdown(): void {
    try {
      this.flush();
    } finally {
      this.handle.close();
    }
  }

  /**
   * Where abnormal recovery may start: the older of the commit-log and consume-queue
   * timestamps, minus {@link MIN_TIMESTAMP_SAFETY_MARGIN_MS}, never below 0.
   *
   * Java: `Math.min(physic, logics) - 1000 * 3`, clamped to 0.
   */
  getMinTimestamp(): number {
    return Math.max(0, Math.min(this.physic, this.logics) - MIN_TIMESTAMP_SAFETY_MARGIN_MS);
  }

  /** {@link StoreCheckpoint.getMinTimestamp}, also no later than the index timestamp (when the index must be rebuilt too). */
  getMinTimestampIndex(): number {
    return Math.min(this.getMinTimestamp(), this.index);
  }
}

function checked(value: number, what: string): number {
  assertSafeInteger(value, what);
  return value;
}
