/**
 * ConsumeQueue: the index of one topic's queue, one fixed 20-byte unit per message,
 * pointing into the commit log.
 *
 * The commit log holds every message of every topic interleaved, in arrival order. A
 * consumer of `TopicA` queue 3 wants "the 57th message of that queue" without scanning
 * gigabytes. The consume queue answers in one step: unit 57 sits at byte 57 × 20 and says
 * where the record is and how long it is. Consume queues are *derived*: the reput service
 * builds them from the commit log after each append, and recovery can rebuild them.
 *
 * One unit, big-endian (Java `ByteBuffer` order):
 *
 * ```
 *   off  size  field
 *  ─────┬─────┬──────────────────────────────────────────────────────────────────
 *     0    8   COMMITLOG OFFSET   physical offset of the record in the commit log
 *     8    4   SIZE               the record's TOTALSIZE
 *    12    8   TAGS CODE          Java String.hashCode of TAGS (0: none); for
 *                                 SCHEDULE_TOPIC_XXXX, the delivery timestamp; with
 *                                 enableConsumeQueueExt, an ext address (see below)
 *  ─────┴─────┴──────────────────  20 bytes; unit i (= queue offset i) at byte i × 20
 * ```
 *
 * The layout and its helpers are in `consume-queue-unit.ts`. With `enableConsumeQueueExt`
 * each unit also gets a unit in the queue's {@link ConsumeQueueExt} (tags code, store time,
 * SQL92 bit map), written first, and the tags-code field holds its decorated address.
 *
 * A unit `(0, 2147483647, 0)` is a *filler*: it holds the place of a queue offset that has
 * no message (the first file of a queue that starts late, or a hole), so that unit `i`
 * always means queue offset `i`. Readers skip it: no record is that long.
 *
 * Differences from RocketMQ 4.9.x:
 * - A hole in the middle of the queue (the expected queue offset is past the end) is
 *   filled with filler units; Java logs "[BUG]" and appends at the current end, after
 *   which unit index and queue offset disagree.
 * - A repeated unit is skipped for queue offset 0 too (Java checks only offsets != 0).
 * - Recovery and truncation treat a zeroed unit as the end at every index (Java keeps a
 *   zero unit at index 0 of the last file), and ignore fillers when computing
 *   `maxPhysicOffset`.
 * - Truncation cuts a unit whose record does not end at or before the cut (Java: whose
 *   record starts at or after it). The cut is a record boundary, so only a garbage size
 *   tells the two apart, and that garbage must not survive as `maxPhysicOffset`.
 * - Recovery also stops at a unit that is garbage: an offset that is not a safe integer or
 *   is negative, or a record that starts before the previous one ends (units follow the
 *   commit log). Such a queue is marked {@link ConsumeQueue.damaged}, and recovery rebuilds
 *   it from the commit log. Java trusts every unit with offset >= 0 and size > 0.
 * - A hole of more than one file's worth of units is not filled (the record's queue offset
 *   is then garbage, and filling it could write gigabytes): the unit goes at the end, as
 *   Java puts every unit.
 * - Readers never throw on garbage: {@link ConsumeQueue.getUnit} answers `undefined` for an
 *   invalid unit, and an unreadable file reads as no unit (with a `store.io.failed` event).
 * - {@link ConsumeQueue.getOffsetInQueueByTime} binary-searches the whole queue; Java first
 *   picks a file by its mtime (the FileSystem port has none), then searches that file.
 * - {@link ConsumeQueue.getIndexBuffer} returns a bounded copy (Java: a view to the end of
 *   the file). No LMQ.
 * - Ext: an ext unit is written only for a unit that is written (Java writes one for every
 *   dispatch, repeats included). Recovery recovers the ext first and treats a unit whose ext
 *   address lies past the ext data as garbage (the queue is rebuilt from the commit log), so
 *   no unit points at a lost ext unit; Java keeps such units and reads them as "no tags code".
 *
 * @mirrors org.apache.rocketmq.store.ConsumeQueue
 * @article store "ConsumeQueue: 20 bytes per message"
 * @emits store.consumequeue.appended, store.io.failed
 * @category Store
 * @module
 */
import { assert, AssertionError } from '../../common/assert.js';
import { viewOf } from '../../common/bytes.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';
import type { FileSystem } from '../../platform/storage.js';
import { MappedFileIOError, type MappedFile } from '../mapped-file/mapped-file.js';
import type { SelectMappedBufferResult } from '../mapped-file/select-mapped-buffer-result.js';
import { MappedFileQueue } from '../mapped-file/mapped-file-queue.js';
import type { WriteBufferPool } from '../mapped-file/write-buffer-pool.js';
import type { CqExtUnit } from '../message-store.js';
import { getStorePathConsumeQueueOf } from '../store-path.js';
import { readExtOffset, writeExtAddress, type ConsumeQueueExt } from './consume-queue-ext.js';
import {
  CQ_FILLER_SIZE, CQ_SIZE_POSITION, CQ_STORE_UNIT_SIZE, CQ_TAGS_CODE_POSITION, isFillerUnit, isValidUnit, isZeroUnit, unitPhysicalOffset, unitSize,
  unitTagsCode, writeUnit,
} from './consume-queue-unit.js';

// The unit layout lives in consume-queue-unit.ts; its names are importable from the queue too.
export {
  CQ_FILLER_SIZE, CQ_PHYSICAL_OFFSET_POSITION, CQ_SIZE_POSITION, CQ_STORE_UNIT_SIZE, CQ_TAGS_CODE_POSITION, isFillerUnit, isValidUnit,
  unitPhysicalOffset, unitSize, unitTagsCode, writeUnit,
} from './consume-queue-unit.js';

/** Units one {@link ConsumeQueue.getIndexBuffer} returns at most by default (Java's pull reads at most 16000 bytes). */
export const DEFAULT_INDEX_BUFFER_UNITS = 800;

/** Units scanned per read during recovery (one read per 20 KiB, not one per unit). */
const SCAN_CHUNK_UNITS = 1024;

export interface ConsumeQueueOptions {
  readonly topic: string;
  readonly queueId: number;
  readonly fs: FileSystem;
  /** The store root (`storePathRootDir`); files go to `<root>/consumequeue/<topic>/<queueId>`. */
  readonly storePathRootDir: string;
  /** Bytes per file, a multiple of 20 (`getMappedFileSizeConsumeQueue(config)`). */
  readonly mappedFileSize: number;
  readonly clock: Clock;
  readonly writeBufferPool: WriteBufferPool;
  readonly events: NodeEvents;
  /** Store timestamp of the record at a physical offset, or -1 (Java `CommitLog.pickupStoreTimestamp`). */
  readonly pickupStoreTimestamp: (physicalOffset: number, size: number) => number;
  /** The commit log's min offset (Java `DefaultMessageStore.getMinPhyOffset`). */
  readonly getMinPhyOffset: () => number;
  /** The queue's ext file, when `enableConsumeQueueExt` (Java creates it in the constructor then). */
  readonly consumeQueueExt?: ConsumeQueueExt | undefined;
}

export class ConsumeQueue {
  readonly topic: string;
  readonly queueId: number;
  readonly mappedFileQueue: MappedFileQueue;
  /** End (offset + size) of the last record this queue points at; puts below it are repeats. */
  maxPhysicOffset = -1;
  /** Byte offset of the first unit still pointing at live commit-log data. */
  minLogicOffset = 0;
  /**
   * Set by {@link ConsumeQueue.recover} when it stopped on garbage rather than on zeros, in
   * this queue's byte offsets: the end as loaded, and the first garbage unit (where it was
   * cut). The records the cut units pointed at must be dispatched to this queue again;
   * recovery does it, from `maxPhysicOffset`.
   */
  damage: { readonly loadedEnd: number; readonly garbageAt: number } | undefined;
  /** Where the tags codes live when ext is on: each unit then holds the address of an ext unit. */
  readonly consumeQueueExt: ConsumeQueueExt | undefined;
  /** Ext offset of the last ext unit a scanned unit pointed at (-1: none); recovery cuts the ext after it. */
  private maxExtOffset = -1;
  private readonly mappedFileSize: number;
  private readonly unit = new Uint8Array(CQ_STORE_UNIT_SIZE);
  private readonly unitView = viewOf(this.unit);
  private readonly filler = new Uint8Array(CQ_STORE_UNIT_SIZE);

  constructor(private readonly options: ConsumeQueueOptions) {
    assert(options.mappedFileSize % CQ_STORE_UNIT_SIZE === 0, `consume-queue file size ${options.mappedFileSize} is not a multiple of 20`);
    this.topic = options.topic;
    this.queueId = options.queueId;
    this.mappedFileSize = options.mappedFileSize;
    this.consumeQueueExt = options.consumeQueueExt;
    writeUnit(viewOf(this.filler), 0, 0, CQ_FILLER_SIZE, 0);
    this.mappedFileQueue = new MappedFileQueue({
      fs: options.fs,
      storePath: getStorePathConsumeQueueOf(options.storePathRootDir, options.topic, options.queueId),
      mappedFileSize: options.mappedFileSize,
      clock: options.clock,
      writeBufferPool: options.writeBufferPool,
      events: options.events,
      queueName: `consumequeue/${options.topic}/${options.queueId}`,
    });
  }

  load(): boolean {
    return this.mappedFileQueue.load() && (this.consumeQueueExt?.load() ?? true);
  }

  /** recover() found garbage and cut it (see {@link ConsumeQueue.damage}). */
  get damaged(): boolean {
    return this.damage !== undefined;
  }

  // -------------------------------------------------------------------------------------
  // Appending.

  /**
   * Append the unit for queue offset `cqOffset` (Java `putMessagePositionInfo`). Idempotent:
   * a unit already built (its record ends at or below `maxPhysicOffset`, or its queue
   * offset is already written) is skipped and counts as success. A hole before `cqOffset`
   * is filled with filler units first. False (nothing written) for a queue offset no queue
   * can have. With ext on, `ext` (store time, bit map) and the tags code go to an ext unit
   * first, and the unit holds its address (Java `putMessagePositionInfoWrapper`); only a
   * unit actually written gets one. Throws MappedFileIOError when a file cannot be created or written.
   */
  putMessagePositionInfo(physicalOffset: number, size: number, tagsCode: number, cqOffset: number, ext?: Omit<CqExtUnit, 'tagsCode'>): boolean {
    if (physicalOffset + size <= this.maxPhysicOffset) return true; // Java: "build consume queue repeatedly"
    const expectLogicOffset = cqOffset * CQ_STORE_UNIT_SIZE;
    if (!(expectLogicOffset >= 0) || !Number.isSafeInteger(expectLogicOffset)) return false; // a garbage QUEUEOFFSET: no place for it
    const wasEmpty = this.mappedFileQueue.mappedFiles.length === 0;
    let current = this.mappedFileQueue.getMaxOffset();
    if (wasEmpty) current = expectLogicOffset - (expectLogicOffset % this.mappedFileSize);
    if (expectLogicOffset < current) return true;
    // A hole longer than a file means a garbage queue offset: put the unit at the end (Java).
    const at = expectLogicOffset - current > this.mappedFileSize ? current : expectLogicOffset;
    let filled = 0;
    for (; current < at; current += CQ_STORE_UNIT_SIZE, filled++) this.appendUnit(current, this.filler);
    if (wasEmpty) this.minLogicOffset = at; // Java: the first file of a queue that starts late
    writeUnit(this.unitView, 0, physicalOffset, size, tagsCode);
    // Java: when the ext unit cannot be stored, the plain tags code stays ("Save consume queue extend fail").
    const extOffset = this.consumeQueueExt?.put({ tagsCode, msgStoreTime: ext?.msgStoreTime ?? 0, filterBitMap: ext?.filterBitMap }) ?? -1;
    if (extOffset >= 0) writeExtAddress(this.unitView, CQ_TAGS_CODE_POSITION, extOffset);
    this.appendUnit(at, this.unit);
    this.maxPhysicOffset = physicalOffset + size;
    // Once per dispatched message: build the payload only when someone listens.
    if (this.options.events.wants('store.consumequeue.appended')) {
      this.options.events.emit('store.consumequeue.appended', {
        topic: this.topic, queueId: this.queueId, queueOffset: at / CQ_STORE_UNIT_SIZE, physOffset: physicalOffset, size, tagsCode, filled,
      });
    }
    return true;
  }

  private appendUnit(logicOffset: number, unit: Uint8Array): void {
    const file = this.mappedFileQueue.getLastMappedFile(logicOffset);
    if (!(file !== undefined && file.fileFromOffset + file.wrotePosition === logicOffset)) throw new AssertionError(`${this.topic}-${this.queueId}: unit at ${logicOffset} is not the end`);
    assert(file.appendMessage(unit), 'a 20-byte unit must fit a non-full consume-queue file');
  }

  // -------------------------------------------------------------------------------------
  // Reading.

  /** Queue offset of the first unit still pointing at live data. Java `getMinOffsetInQueue`. */
  getMinOffsetInQueue(): number {
    return this.minLogicOffset / CQ_STORE_UNIT_SIZE;
  }

  /** The next queue offset to be written (one past the last unit). Java `getMaxOffsetInQueue`. */
  getMaxOffsetInQueue(): number {
    return this.mappedFileQueue.getMaxOffset() / CQ_STORE_UNIT_SIZE;
  }

  getMessageTotalInQueue(): number {
    return this.getMaxOffsetInQueue() - this.getMinOffsetInQueue();
  }

  /**
   * Units from queue offset `startIndex` to the end of its file, at most `maxUnits` of them,
   * as a copy (Java `getIndexBuffer`). `undefined` below the min offset or past the end.
   */
  getIndexBuffer(startIndex: number, maxUnits = DEFAULT_INDEX_BUFFER_UNITS): SelectMappedBufferResult | undefined {
    const offset = startIndex * CQ_STORE_UNIT_SIZE;
    if (offset < this.minLogicOffset) return undefined;
    const file = this.mappedFileQueue.findMappedFileByOffset(offset);
    if (file === undefined) return undefined;
    const position = offset % this.mappedFileSize;
    const size = Math.min(file.readPosition - position, maxUnits * CQ_STORE_UNIT_SIZE);
    return size > 0 ? this.readOrReport(() => file.selectMappedBuffer(position, size)) : undefined;
  }

  /**
   * The unit at queue offset `index`, or `undefined` when it is not written, deleted, or not
   * a valid unit (garbage on disk). A garbage tags code reads as 0. With ext on, the tags
   * code comes from the ext unit, which is returned too (`cqExtUnit`; an unreadable one: 0).
   */
  getUnit(index: number): { physicalOffset: number; size: number; tagsCode: number; cqExtUnit?: CqExtUnit } | undefined {
    const offset = index * CQ_STORE_UNIT_SIZE;
    const file = this.mappedFileQueue.findMappedFileByOffset(offset);
    if (file === undefined || !this.readOrReport(() => file.read(offset % this.mappedFileSize, this.unit))) return undefined;
    const physicalOffset = unitPhysicalOffset(this.unitView, 0);
    const size = unitSize(this.unitView, 0);
    if (!isValidUnit(physicalOffset, size)) return undefined;
    const extOffset = this.consumeQueueExt === undefined ? -1 : readExtOffset(this.unitView, CQ_TAGS_CODE_POSITION);
    const cqExtUnit = extOffset >= 0 ? this.consumeQueueExt?.get(extOffset) : undefined;
    if (cqExtUnit !== undefined) return { physicalOffset, size, tagsCode: cqExtUnit.tagsCode, cqExtUnit };
    const tagsCode = unitTagsCode(this.unitView, 0);
    return { physicalOffset, size, tagsCode: Number.isNaN(tagsCode) ? 0 : tagsCode };
  }

  /** Run a read; a file that cannot be read counts as no data (a `store.io.failed` event says why). */
  private readOrReport<T>(read: () => T): T | undefined {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof MappedFileIOError)) throw error;
      this.options.events.emit('store.io.failed', { operation: error.operation, path: error.path, error: error.message });
      return undefined;
    }
  }

  /** First queue offset of the file after the one holding `index`. Java `rollNextFile`. */
  rollNextFile(index: number): number {
    const unitsPerFile = this.mappedFileSize / CQ_STORE_UNIT_SIZE;
    return index + unitsPerFile - (index % unitsPerFile);
  }

  /*
   * getOffsetInQueueByTime: store timestamps grow with queue offsets, so binary search.
   *
   *   queue offsets:   3     4     5     6     7        timestamp wanted: 1050
   *   store times:   1000  1020  1040  1100  1200
   *   low=3 high=7 -> mid 5 (1040 < 1050: left=5, low=6) -> mid 6 (1100 > 1050: right=6,
   *   high=5) -> stop. |1050-1040|=10 <= |1100-1050|=50 -> answer 5 (the closer side;
   *   an exact match answers at once; with one side missing, the other). Units pointing
   *   below the commit log's min offset (deleted data) count as "too early".
   */
  /** The queue offset whose message was stored closest to `timestamp` (Java `getOffsetInQueueByTime`). */
  getOffsetInQueueByTime(timestamp: number): number {
    let low = this.getMinOffsetInQueue();
    let high = this.getMaxOffsetInQueue() - 1;
    const minPhysicOffset = this.options.getMinPhyOffset();
    let left = -1, right = -1, leftTime = -1, rightTime = -1;
    while (high >= low) {
      const mid = Math.floor((low + high) / 2);
      const unit = this.getUnit(mid);
      if (unit === undefined) return 0;
      if (unit.physicalOffset < minPhysicOffset || isFillerUnit(unit.physicalOffset, unit.size)) {
        low = mid + 1;
        left = mid;
        continue;
      }
      const storeTime = this.options.pickupStoreTimestamp(unit.physicalOffset, unit.size);
      if (storeTime < 0) return 0;
      if (storeTime === timestamp) return mid;
      if (storeTime > timestamp) {
        high = mid - 1;
        right = mid;
        rightTime = storeTime;
      } else {
        low = mid + 1;
        left = mid;
        leftTime = storeTime;
      }
    }
    if (leftTime !== -1 && rightTime !== -1) return Math.abs(timestamp - leftTime) > Math.abs(timestamp - rightTime) ? right : left;
    if (rightTime !== -1) return right;
    if (leftTime !== -1) return left;
    // Every unit looked at pointed at deleted data, or the queue is empty: the first offset
    // past them. Java computes a meaningless offset here.
    return low;
  }

  /** End (offset + size) of the record the last unit points at, or -1. Java `getLastOffset`. */
  getLastOffset(): number {
    const last = this.mappedFileQueue.getLastMappedFile();
    if (last === undefined || last.wrotePosition < CQ_STORE_UNIT_SIZE) return -1;
    if (!this.readOrReport(() => last.read(last.wrotePosition - CQ_STORE_UNIT_SIZE, this.unit))) return -1;
    const physicalOffset = unitPhysicalOffset(this.unitView, 0);
    const size = unitSize(this.unitView, 0);
    return isValidUnit(physicalOffset, size) && !isFillerUnit(physicalOffset, size) ? physicalOffset + size : -1;
  }

  // -------------------------------------------------------------------------------------
  // Recovery.

  /**
   * After a restart: starting at the third-last file, walk the units until the first one
   * that is not valid, and cut the queue there (Java `ConsumeQueue.recover`). When that
   * unit is not zeros but garbage, the queue is marked {@link ConsumeQueue.damaged}; a
   * unit whose record would end past `phyLimit` (the end of the commit-log files as loaded)
   * is garbage too. Throws MappedFileIOError when a file cannot be read or cut.
   */
  recover(phyLimit = Number.POSITIVE_INFINITY): void {
    this.consumeQueueExt?.recover(); // first: the unit scan below checks ext addresses against its end
    const files = this.mappedFileQueue.mappedFiles;
    if (files.length === 0) return;
    let processOffset = files[Math.max(0, files.length - 3)]!.fileFromOffset;
    for (let index = Math.max(0, files.length - 3); index < files.length; index++) {
      const file = files[index]!;
      const validEnd = this.scanValidUnits(file, 0, phyLimit);
      processOffset = file.fileFromOffset + validEnd;
      if (validEnd < this.mappedFileSize) {
        // Zeros are where writing stopped, unless load() put them there; anything else is damage.
        if (this.mappedFileQueue.extendedOnLoad || (file.read(validEnd, this.unit) && !isZeroUnit(this.unitView, 0))) {
          this.damage = { loadedEnd: this.mappedFileQueue.getMaxOffset(), garbageAt: processOffset };
        }
        break;
      }
    }
    this.mappedFileQueue.flushedWhere = processOffset;
    this.mappedFileQueue.committedWhere = processOffset;
    this.mappedFileQueue.truncateDirtyFiles(processOffset);
    if (this.maxExtOffset >= 0) this.consumeQueueExt?.truncateByMaxAddress(this.maxExtOffset);
  }

  /**
   * Cut off every unit whose record does not end by `phyOffset` (the commit log was cut
   * there). Java `truncateDirtyLogicFiles`: last file first; a file whose first unit is
   * already too far goes entirely.
   */
  truncateDirtyLogicFiles(phyOffset: number): void {
    this.maxPhysicOffset = -1;
    this.maxExtOffset = -1;
    for (;;) {
      const file = this.mappedFileQueue.getLastMappedFile();
      if (file === undefined) return;
      const keep = this.scanValidUnits(file, 0, phyOffset);
      if (keep === 0) {
        this.mappedFileQueue.deleteLastMappedFile();
        continue;
      }
      file.truncateTo(keep);
      const fileEnd = file.fileFromOffset + keep;
      this.mappedFileQueue.flushedWhere = Math.min(this.mappedFileQueue.flushedWhere, fileEnd);
      this.mappedFileQueue.committedWhere = Math.min(this.mappedFileQueue.committedWhere, fileEnd);
      // Java: "this maybe not take effect" when the kept units carry no ext address.
      if (this.maxExtOffset >= 0) this.consumeQueueExt?.truncateByMaxAddress(this.maxExtOffset);
      return;
    }
  }

  /**
   * Walk the units of `file` from `position`: return the byte position just past the last
   * valid unit whose record lies wholly below `phyLimit` and starts at or after the end of
   * the record before it, and (with ext on) whose ext address is below the end of the ext
   * data. Sets `maxPhysicOffset` and `maxExtOffset` from real units on the way.
   */
  private scanValidUnits(file: MappedFile, position: number, phyLimit: number): number {
    const chunk = new Uint8Array(SCAN_CHUNK_UNITS * CQ_STORE_UNIT_SIZE);
    const view = viewOf(chunk);
    let end = position;
    while (end < this.mappedFileSize) {
      const length = Math.min(chunk.length, this.mappedFileSize - end, file.readPosition - end);
      if (length <= 0 || !file.read(end, chunk, 0, length)) return end;
      for (let at = 0; at < length; at += CQ_STORE_UNIT_SIZE) {
        const physicalOffset = unitPhysicalOffset(view, at);
        const size = view.getInt32(at + CQ_SIZE_POSITION, false);
        if (!isValidUnit(physicalOffset, size)) return end + at;
        if (isFillerUnit(physicalOffset, size)) continue;
        if (physicalOffset + size > phyLimit || physicalOffset < this.maxPhysicOffset) return end + at;
        const ext = this.consumeQueueExt;
        const extOffset = ext === undefined ? -1 : readExtOffset(view, at + CQ_TAGS_CODE_POSITION);
        if (ext !== undefined && (Number.isNaN(extOffset) || extOffset >= ext.getMaxOffset())) return end + at; // its ext unit is lost
        if (extOffset >= 0) this.maxExtOffset = extOffset;
        this.maxPhysicOffset = physicalOffset + size;
      }
      end += length;
    }
    return end;
  }

  /**
   * The commit log now starts at `phyMinOffset`: the queue's min offset becomes the first
   * unit (in the first file) pointing at or past it. Java `correctMinOffset`.
   */
  correctMinOffset(phyMinOffset: number): void {
    const file = this.mappedFileQueue.getFirstMappedFile();
    if (file === undefined) return;
    for (let position = 0; position + CQ_STORE_UNIT_SIZE <= file.readPosition; position += CQ_STORE_UNIT_SIZE) {
      if (!this.readOrReport(() => file.read(position, this.unit))) return;
      if (unitPhysicalOffset(this.unitView, 0) >= phyMinOffset) { // a garbage (NaN) offset is skipped
        this.minLogicOffset = file.fileFromOffset + position;
        // Java: ext files that end before this unit's ext unit go too.
        const extOffset = this.consumeQueueExt === undefined ? -1 : readExtOffset(this.unitView, CQ_TAGS_CODE_POSITION);
        if (extOffset >= 0) this.consumeQueueExt?.truncateByMinAddress(extOffset);
        return;
      }
    }
  }

  // -------------------------------------------------------------------------------------
  // Flush, clean, lifecycle.

  /** Move pending units to their files (one write per file); ext units first, as they are written first. */
  commit(): boolean {
    const extMoved = this.consumeQueueExt?.commit() ?? false;
    return this.mappedFileQueue.commit(0) || extMoved;
  }

  /**
   * Flush the file at the flush cursor (Java `ConsumeQueue.flush`). The ext goes first (Java:
   * after), so a durable unit rarely points at an ext unit a crash loses; recovery repairs
   * the rest. A thorough flush (0 pages) flushes the whole ext.
   */
  flush(flushLeastPages: number): boolean {
    this.consumeQueueExt?.flush(flushLeastPages);
    return this.mappedFileQueue.flush(flushLeastPages);
  }

  /** {@link flush} with the fdatasync of the units off the thread (the ext file, rarely on, syncs in place). */
  async flushAsync(flushLeastPages: number): Promise<boolean> {
    this.consumeQueueExt?.flush(flushLeastPages);
    return this.mappedFileQueue.flushAsync(flushLeastPages);
  }

  /** Delete files that only point below `phyMinOffset`, then fix the min offset. Java `deleteExpiredFile`. */
  deleteExpiredFile(phyMinOffset: number): number {
    const count = this.mappedFileQueue.deleteExpiredFileByOffset(phyMinOffset, CQ_STORE_UNIT_SIZE);
    this.correctMinOffset(phyMinOffset);
    return count;
  }

  /** Delete every file of this queue (and of its ext). */
  destroy(): void {
    this.maxPhysicOffset = -1;
    this.minLogicOffset = 0;
    this.mappedFileQueue.destroy();
    this.consumeQueueExt?.destroy();
  }
}
