/**
 * ConsumeQueueExt: a side file next to one consume queue, holding for each message what
 * does not fit in its 20-byte unit: the real tags code, the store time, and the SQL92
 * filter bit map.
 *
 * A consume-queue unit has room for one 8-byte tags code and nothing else. SQL92 filtering
 * wants more at that level: a bloom-filter bit map saying which consumer groups' expressions
 * matched the message (the broker's CalcBitMap dispatcher computes it), so that a pull can
 * skip a message without reading it from the commit log. With `enableConsumeQueueExt`, each
 * unit's tags-code field holds an *address* into this file instead, and the unit it points
 * at carries the tags code along with the rest.
 *
 * One ext unit, big-endian, variable length:
 *
 * ```
 *   off  size  field
 *  ─────┬─────┬──────────────────────────────────────────────────────────────
 *     0    2   SIZE             the whole unit: 20 + BITMAPSIZE (at most 32767)
 *     2    8   TAGS CODE        what the consume-queue unit would have held
 *    10    8   MSG STORE TIME   the record's STORETIMESTAMP
 *    18    2   BITMAP SIZE      bytes of the bit map; 0: none
 *    20    n   BITMAP           bloom bits of the groups whose expression matched
 *  ─────┴─────┴──────────────────
 *   end of a file: SIZE = -1 (FF FF), then two spare bytes; 4 bytes are always left for it
 * ```
 *
 * The address in the consume-queue unit is the unit's offset in this queue's ext log,
 * *decorated* so that it can never be mistaken for a tags code:
 *
 * ```
 *   ext offset 34 (0x22)  ──►  tags-code field  80 00 00 00 00 00 00 22  = Long.MIN_VALUE + 34
 *   isExtAddr(x)  ⇔  x ≤ Integer.MIN_VALUE − 1   (a tags code is an int hash, or a timestamp)
 * ```
 *
 * Java calls the file "weak reliable": it is derived data, written before the consume-queue
 * unit that points into it. Here recovery also checks every unit's address against the end
 * of the ext data (see `ConsumeQueue.recover`), so a consume queue never points at a lost
 * ext unit after a crash: such a unit is cut and rebuilt from the commit log.
 *
 * Differences from RocketMQ 4.9.x:
 * - Addresses cross method calls as the plain offset: a JS number cannot hold
 *   `Long.MIN_VALUE + offset`. Decoration happens only on the 8 bytes of a consume-queue
 *   unit ({@link readExtOffset}, {@link writeExtAddress}). Offsets stop at 2^53 (Java 2^63).
 * - {@link ConsumeQueueExt.put} refuses at once (the caller keeps the plain tags code) a
 *   unit that could never fit a file; Java tries three files first.
 * - {@link ConsumeQueueExt.get} checks SIZE = 20 + BITMAP SIZE and answers `undefined` for
 *   garbage; an unreadable file reads as no unit (with a `store.io.failed` event).
 * - {@link ConsumeQueueExt.recover} scans from the third-last file, in chunks (Java: every
 *   file). Only the end marker moves it on to the next file; zeros end the data (Java moves
 *   on at any SIZE <= 0, so units in a later file survive a file whose units a crash lost,
 *   and consume-queue units pointing into that hole look valid), and so does a SIZE no unit
 *   can have.
 * - A cut made by {@link ConsumeQueueExt.truncateByMaxAddress} is made durable at once, so
 *   units written after it can never sit next to stale ones that a second crash brings back.
 * - `bitMapLengthConsumeQueueExt` is not read: Java sizes a scratch buffer with it; the bit
 *   map written is whatever the dispatcher computed (the bloom filter's m bits).
 *
 * @mirrors org.apache.rocketmq.store.ConsumeQueueExt
 * @mirrors org.apache.rocketmq.store.ConsumeQueueExt.CqExtUnit
 * @article filtersrv "Bit maps in the consume-queue ext"
 * @emits store.mappedfile.deleted, store.io.failed
 * @category Store
 * @module
 */
import { assert } from '../../common/assert.js';
import { readInt64, viewOf, writeInt64 } from '../../common/bytes.js';
import { INT16_MAX, INT32_MIN } from '../../common/java-compat.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';
import type { FileSystem } from '../../platform/storage.js';
import type { AppendMessageCallback } from '../mapped-file/append-message-callback.js';
import { fileIO, MappedFileIOError, type MappedFile } from '../mapped-file/mapped-file.js';
import { MappedFileQueue } from '../mapped-file/mapped-file-queue.js';
import type { WriteBufferPool } from '../mapped-file/write-buffer-pool.js';
import type { CqExtUnit } from '../message-store.js';
import { AppendMessageStatus, appendMessageResultOf } from '../results.js';
import { getStorePathConsumeQueueExtOf } from '../store-path.js';
import { CQ_TAGS_CODE_POSITION } from './consume-queue-unit.js';

/** Where each field of an ext unit starts. */
export const EXT_SIZE_POSITION = 0;
export const EXT_TAGS_CODE_POSITION = 2;
export const EXT_MSG_STORE_TIME_POSITION = 10;
export const EXT_BITMAP_SIZE_POSITION = 18;
export const EXT_BITMAP_POSITION = 20;
/** A unit without a bit map. Java: `CqExtUnit.MIN_EXT_UNIT_SIZE`. */
export const MIN_EXT_UNIT_SIZE = 20;
/** SIZE is a signed 16-bit field. Java: `CqExtUnit.MAX_EXT_UNIT_SIZE`. */
export const MAX_EXT_UNIT_SIZE = INT16_MAX;
/** Bytes always left at the end of a file for the end marker. Java: `END_BLANK_DATA_LENGTH`. */
export const END_BLANK_DATA_LENGTH = 4;
/** The SIZE written where a file's units end. */
export const END_BLANK_SIZE = -1;
/** The largest tags-code value that is an ext address. Java: `MAX_ADDR` (Integer.MIN_VALUE − 1). */
export const MAX_ADDR = INT32_MIN - 1;

assert(EXT_TAGS_CODE_POSITION === EXT_SIZE_POSITION + 2, 'ext layout: tags code after the 2-byte size');
assert(EXT_MSG_STORE_TIME_POSITION === EXT_TAGS_CODE_POSITION + 8, 'ext layout: store time after the 8-byte tags code');
assert(EXT_BITMAP_SIZE_POSITION === EXT_MSG_STORE_TIME_POSITION + 8, 'ext layout: bit-map size after the 8-byte store time');
assert(EXT_BITMAP_POSITION === EXT_BITMAP_SIZE_POSITION + 2 && MIN_EXT_UNIT_SIZE === EXT_BITMAP_POSITION, 'ext layout: 2 + 8 + 8 + 2 bytes, then the bit map');

const TWO_POW_32 = 0x1_0000_0000;
/** Bytes recovery reads at once while it walks the SIZE fields. */
const SCAN_CHUNK_BYTES = 64 * 1024;
/** Files recovery walks, counted from the last (as for the consume queue). */
const RECOVER_FILES = 3;

/**
 * The ext offset held by the 8-byte tags-code field at `at`: `-1` when the field is a plain
 * tags code (Java `isExtAddr` false), `NaN` when it is an address no store could have
 * written (an offset past 2^53: garbage), else the offset (Java `unDecorate`).
 */
export function readExtOffset(view: DataView, at: number): number {
  const high = view.getInt32(at, false);
  const low = view.getUint32(at + 4, false);
  // x ≤ Integer.MIN_VALUE − 1, on the two halves: below −1 above, or −1 above and the sign bit clear below.
  if (!(high < -1 || (high === -1 && low <= 0x7fff_ffff))) return -1;
  // x − Long.MIN_VALUE clears the sign bit: what is left is the offset.
  const offset = (high & 0x7fff_ffff) * TWO_POW_32 + low;
  return Number.isSafeInteger(offset) ? offset : NaN;
}

/** Write ext offset `extOffset`, decorated (`Long.MIN_VALUE + extOffset`), into the 8-byte field at `at`. Java `decorate`. */
export function writeExtAddress(view: DataView, at: number, extOffset: number): void {
  assert(Number.isSafeInteger(extOffset) && extOffset >= 0, `ext offset must be a non-negative safe integer, got ${extOffset}`);
  view.setUint32(at, (Math.floor(extOffset / TWO_POW_32) | 0x8000_0000) >>> 0, false);
  view.setUint32(at + 4, extOffset % TWO_POW_32, false);
}

/**
 * The tags code of the 20-byte consume-queue unit at `at`, whatever the unit holds: the
 * plain tags code, or with `ext` the tags code of the ext unit its address points at.
 * `NaN` when it cannot be known (garbage, or an ext unit that cannot be read; Java's
 * schedule service then computes the deliver time again from the store time).
 */
export function tagsCodeOfUnit(view: DataView, at: number, ext: ConsumeQueueExt | undefined): number {
  const extOffset = ext === undefined ? -1 : readExtOffset(view, at + CQ_TAGS_CODE_POSITION);
  if (extOffset === -1) return readInt64(view, at + CQ_TAGS_CODE_POSITION);
  return Number.isNaN(extOffset) ? NaN : (ext?.get(extOffset)?.tagsCode ?? NaN);
}

/** Bytes `unit` takes in the file. Java `CqExtUnit.calcUnitSize`. */
export function calcUnitSize(unit: CqExtUnit): number {
  return MIN_EXT_UNIT_SIZE + (unit.filterBitMap?.length ?? 0);
}

/** Encode `unit` at `target[0..]` (which must hold {@link calcUnitSize} bytes). Java `CqExtUnit.write`. */
export function encodeCqExtUnit(unit: CqExtUnit, target: Uint8Array): number {
  const size = calcUnitSize(unit);
  assert(size <= MAX_EXT_UNIT_SIZE && target.length >= size, `ext unit of ${size} bytes does not fit`);
  const view = viewOf(target);
  view.setInt16(EXT_SIZE_POSITION, size, false);
  writeInt64(view, EXT_TAGS_CODE_POSITION, unit.tagsCode);
  writeInt64(view, EXT_MSG_STORE_TIME_POSITION, unit.msgStoreTime);
  view.setInt16(EXT_BITMAP_SIZE_POSITION, size - MIN_EXT_UNIT_SIZE, false);
  if (unit.filterBitMap !== undefined) target.set(unit.filterBitMap, EXT_BITMAP_POSITION);
  return size;
}

/** The end-of-file marker, written like the commit log's BLANK: two bytes, and the write position jumps to the end. */
const END_BLANK: AppendMessageCallback<undefined> = {
  doAppend(fileFromOffset, position, maxBlank, target, at) {
    viewOf(target).setInt16(at, END_BLANK_SIZE, false);
    return { ...appendMessageResultOf(AppendMessageStatus.END_OF_FILE), wroteOffset: fileFromOffset + position, wroteBytes: maxBlank };
  },
};

export interface ConsumeQueueExtOptions {
  readonly topic: string;
  readonly queueId: number;
  readonly fs: FileSystem;
  /** The store root; files go to `<root>/consumequeue_ext/<topic>/<queueId>`. */
  readonly storePathRootDir: string;
  /** Bytes per file (`mappedFileSizeConsumeQueueExt`). */
  readonly mappedFileSize: number;
  readonly clock: Clock;
  readonly writeBufferPool: WriteBufferPool;
  readonly events: NodeEvents;
}

export class ConsumeQueueExt {
  readonly mappedFileQueue: MappedFileQueue;
  private readonly mappedFileSize: number;
  private readonly header = new Uint8Array(MIN_EXT_UNIT_SIZE);
  private readonly headerView = viewOf(this.header);
  private scratch = new Uint8Array(64);

  constructor(private readonly options: ConsumeQueueExtOptions) {
    assert(options.mappedFileSize >= MIN_EXT_UNIT_SIZE + END_BLANK_DATA_LENGTH, `consume-queue ext file size ${options.mappedFileSize} cannot hold one unit`);
    this.mappedFileSize = options.mappedFileSize;
    this.mappedFileQueue = new MappedFileQueue({
      fs: options.fs,
      storePath: getStorePathConsumeQueueExtOf(options.storePathRootDir, options.topic, options.queueId),
      mappedFileSize: options.mappedFileSize,
      clock: options.clock,
      writeBufferPool: options.writeBufferPool,
      events: options.events,
      queueName: `consumequeue_ext/${options.topic}/${options.queueId}`,
    });
  }

  load(): boolean {
    return this.mappedFileQueue.load();
  }

  /** The offset one past the last unit (Java `getMaxAddress`, undecorated); 0 when empty. */
  getMaxOffset(): number {
    return this.mappedFileQueue.getMaxOffset();
  }

  /** The offset of the first byte still kept (Java `getMinAddress`, undecorated); 0 when empty. */
  getMinOffset(): number {
    return Math.max(0, this.mappedFileQueue.getMinOffset());
  }

  // -------------------------------------------------------------------------------------
  // Writing and reading units.

  /*
   * put: a unit never straddles two files, and every file keeps 4 bytes for its end marker.
   *
   *   file 0 (size 100)  [ u 0..34 | u 34..68 | room 32 ]      next unit: 34 bytes
   *   34 > 32 - 4  ──►   [ u 0..34 | u 34..68 | FF FF 00 00 ... ]   (wrote = 100: full)
   *   file 100           [ u 100..134 | ... ]                  the unit's offset is 100
   */
  /**
   * Append `unit`; returns its offset (to be decorated into the consume-queue unit), or -1
   * when it cannot be stored (Java returns 1: "not an address"), and the caller keeps the
   * plain tags code. Throws MappedFileIOError when a file cannot be created or written.
   */
  put(unit: CqExtUnit): number {
    const size = calcUnitSize(unit);
    // Java: "Size of cq ext unit is greater than 32767"; and a unit larger than a file never fits.
    if (size > MAX_EXT_UNIT_SIZE || size > this.mappedFileSize - END_BLANK_DATA_LENGTH) return -1;
    if (!Number.isSafeInteger(this.getMaxOffset() + 2 * this.mappedFileSize)) return -1; // Java: "Capacity of ext is maximum!"
    if (this.scratch.length < size) this.scratch = new Uint8Array(size);
    encodeCqExtUnit(unit, this.scratch);
    let file = this.mappedFileQueue.getLastMappedFile();
    if (file === undefined || file.isFull) file = this.mappedFileQueue.getLastMappedFile(0)!;
    if (size > this.mappedFileSize - file.wrotePosition - END_BLANK_DATA_LENGTH) {
      file.appendMessagesInner(END_BLANK, undefined, END_BLANK_DATA_LENGTH); // Java `fullFillToEnd`
      file = this.mappedFileQueue.getLastMappedFile(0)!;
    }
    const at = file.fileFromOffset + file.wrotePosition;
    assert(file.appendMessage(this.scratch, 0, size), 'an ext unit must fit the room just checked');
    return at;
  }

  /**
   * The unit at `extOffset` (Java `get`), or `undefined` when there is none: not written,
   * deleted, not a valid unit, or in a file that cannot be read.
   */
  get(extOffset: number): CqExtUnit | undefined {
    const file = this.mappedFileQueue.findMappedFileByOffset(extOffset);
    if (file === undefined) return undefined;
    const position = extOffset - file.fileFromOffset;
    try {
      if (!file.read(position, this.header)) return undefined;
      const view = this.headerView;
      const size = view.getInt16(EXT_SIZE_POSITION, false);
      const bitMapSize = view.getInt16(EXT_BITMAP_SIZE_POSITION, false);
      const tagsCode = readInt64(view, EXT_TAGS_CODE_POSITION);
      const msgStoreTime = readInt64(view, EXT_MSG_STORE_TIME_POSITION);
      if (bitMapSize < 0 || size !== MIN_EXT_UNIT_SIZE + bitMapSize || Number.isNaN(tagsCode) || Number.isNaN(msgStoreTime)) return undefined;
      if (bitMapSize === 0) return { tagsCode, msgStoreTime, filterBitMap: undefined };
      const filterBitMap = new Uint8Array(bitMapSize);
      return file.read(position + EXT_BITMAP_POSITION, filterBitMap) ? { tagsCode, msgStoreTime, filterBitMap } : undefined;
    } catch (error) {
      if (!(error instanceof MappedFileIOError)) throw error;
      this.options.events.emit('store.io.failed', { operation: error.operation, path: error.path, error: error.message });
      return undefined;
    }
  }

  // -------------------------------------------------------------------------------------
  // Recovery and cleaning.

  /**
   * After a restart: walk the units of the last three files by their SIZE fields and cut
   * the log where they end (Java `recover`). The end marker (-1) sends the walk to the next
   * file; zeros (never written, or lost in a crash) and a SIZE no unit can have end the
   * data. Throws MappedFileIOError when a file cannot be read.
   */
  recover(): void {
    const files = this.mappedFileQueue.mappedFiles;
    if (files.length === 0) return;
    let processOffset = 0;
    for (let index = Math.max(0, files.length - RECOVER_FILES); index < files.length; index++) {
      const file = files[index]!;
      const end = this.scanUnits(file);
      processOffset = file.fileFromOffset + end.position;
      if (!end.blank) break;
    }
    this.mappedFileQueue.flushedWhere = processOffset;
    this.mappedFileQueue.committedWhere = processOffset;
    this.mappedFileQueue.truncateDirtyFiles(processOffset);
  }

  /** Where the units of `file` end, and whether they end with the end marker (the data goes on in the next file). */
  private scanUnits(file: MappedFile): { position: number; blank: boolean } {
    const chunk = new Uint8Array(Math.min(SCAN_CHUNK_BYTES, this.mappedFileSize));
    const view = viewOf(chunk);
    let chunkStart = 0;
    let chunkEnd = 0;
    for (let position = 0; ;) {
      const need = Math.min(MIN_EXT_UNIT_SIZE, this.mappedFileSize - position);
      if (need < 2) return { position, blank: false };
      if (position + need > chunkEnd) {
        const length = Math.min(chunk.length, this.mappedFileSize - position);
        if (!file.read(position, chunk, 0, length)) return { position, blank: false };
        chunkStart = position;
        chunkEnd = position + length;
      }
      const size = view.getInt16(position - chunkStart, false);
      if (size <= 0) return { position, blank: size === END_BLANK_SIZE };
      const fits = size >= MIN_EXT_UNIT_SIZE && position + size <= this.mappedFileSize - END_BLANK_DATA_LENGTH;
      if (!fits || view.getInt16(position - chunkStart + EXT_BITMAP_SIZE_POSITION, false) !== size - MIN_EXT_UNIT_SIZE) {
        return { position, blank: false }; // bytes no unit can start with: the data ends before them
      }
      position += size;
    }
  }

  /**
   * Cut everything after the unit at `extOffset`, the last one a consume-queue unit still
   * points at (Java `truncateByMaxAddress`), and make the cut durable. Nothing happens when
   * no unit is there (Java logs "[BUG]") or nothing follows it.
   */
  truncateByMaxAddress(extOffset: number): void {
    const unit = this.get(extOffset);
    if (unit === undefined) return;
    const end = extOffset + calcUnitSize(unit);
    if (end >= this.getMaxOffset()) return;
    this.mappedFileQueue.truncateDirtyFiles(end);
    const last = this.mappedFileQueue.getLastMappedFile();
    if (last === undefined) return;
    // The cut zeroed the file past `end`; one fdatasync on any handle makes that durable.
    fileIO(last.path, 'flush', () => {
      const handle = this.options.fs.open(last.path, 'rw');
      try {
        handle.flush();
      } finally {
        handle.close();
      }
    });
  }

  /**
   * Delete the files that end before `extOffset`, the unit the consume queue's first live
   * unit points at (Java `truncateByMinAddress`); never the last file. Returns how many.
   */
  truncateByMinAddress(extOffset: number): number {
    const files = this.mappedFileQueue.mappedFiles;
    // Java hands a list to MappedFileQueue.deleteExpiredFile; ours has no such method, so both steps are here.
    const doomed = files.slice(0, -1).filter((file) => file.fileFromOffset + this.mappedFileSize < extOffset);
    for (const file of doomed) {
      file.destroy();
      files.splice(files.indexOf(file), 1);
      this.options.events.emit('store.mappedfile.deleted', {
        queue: this.mappedFileQueue.queueName, fileName: file.fileName, fileFromOffset: file.fileFromOffset, reason: 'expired',
      });
    }
    return doomed.length;
  }

  // -------------------------------------------------------------------------------------
  // Commit, flush, lifecycle.

  /** Move pending units to their files (one write per file). */
  commit(): boolean {
    return this.mappedFileQueue.commit(0);
  }

  /** Flush every file with `flushLeastPages` dirty pages, up to the end (Java flushes one file per call). */
  flush(flushLeastPages: number): boolean {
    let moved = false;
    while (this.mappedFileQueue.flush(flushLeastPages)) moved = true;
    return moved;
  }

  /** Commit and close every file (store shutdown). */
  shutdown(): void {
    this.mappedFileQueue.shutdown();
  }

  /** Delete every file and the directory. */
  destroy(): void {
    this.mappedFileQueue.destroy();
  }
}
