/**
 * getMessage: the store's half of a pull. Read consume-queue units from a queue offset,
 * filter them, and copy the records they point at into one response body.
 *
 * A consumer says "TopicA queue 3, from queue offset 57, up to 32 messages". The store
 * first checks the offset against the queue's range, which decides most statuses on its
 * own; only an offset inside the range reads anything. Then it walks the 20-byte units from
 * offset 57, asks the filter about each tags code, and copies each matching record out of
 * the commit log, until one of the limits is hit. With `enableConsumeQueueExt` the filter
 * also gets the unit's ext unit, whose SQL92 bit map lets it skip a message for a consumer
 * group without reading the commit log at all. `nextBeginOffset` tells the consumer where
 * to pull next: past every unit looked at, matched or not.
 *
 * ```
 *   offset vs. queue [min, max)      status                 nextBeginOffset
 *   queue empty (max = 0)            NO_MESSAGE_IN_QUEUE    0
 *   offset < min                     OFFSET_TOO_SMALL       min
 *   offset = max                     OFFSET_OVERFLOW_ONE    offset   (long polling waits here)
 *   offset > max                     OFFSET_OVERFLOW_BADLY  max
 *   min <= offset < max:
 *     no unit readable at offset     OFFSET_FOUND_NULL      first offset of the next queue file
 *     some record copied             FOUND                  offset + units looked at
 *     every unit filtered out        NO_MATCHED_MESSAGE     offset + units looked at
 *     records already deleted        MESSAGE_WAS_REMOVING   offset + units looked at
 *   (on a slave without offsetCheckInSlave, every corrected offset stays the requested one)
 * ```
 *
 * The walk stops at the first limit reached, but never before one record is in the body:
 * `maxMsgNums`; 32 records or 256 KiB while the data is "in memory", 8 or 64 KiB once it is
 * "on disk", meaning more than 40% of the machine's RAM behind the end of the commit log
 * (the page cache has probably dropped it); and `max(16000, maxMsgNums × 20)` bytes of units.
 *
 * Differences from RocketMQ 4.9.x:
 * - The records are copied into one body buffer, with their start positions, instead of a
 *   list of mapped buffers (see `results.ts`). Records that lie close together in the log
 *   are read with one read (a span the store keeps for its next pulls too), and units are
 *   read a few dozen at a time, not all 800.
 * - Each copied record is checked against its unit (TOTALSIZE, magic code, PHYSICALOFFSET);
 *   a unit that points at anything else is skipped instead of served. A unit pointing past
 *   the end of the log or at a negative offset is garbage and is skipped alone; Java would
 *   take it for deleted data and skip the rest of the file it seems to point into.
 * - Filler units (a queue offset without a message) are skipped.
 * - An unknown queue answers NO_MESSAGE_IN_QUEUE without creating it; Java's
 *   `findConsumeQueue` creates an empty queue and then answers the same.
 * - "Total physical memory" is a configured number (`totalPhysicalMemoryBytes`), not read
 *   from the OS. No disk-fall statistics.
 * - OFFSET_OVERFLOW_BADLY corrects to `max` as 4.9.4+ does; 4.4 to 4.9.3 corrected to 0
 *   when the queue's min offset was 0, which made consumers re-read whole queues.
 * - With `enableConsumeQueueExt`, the ext unit is read only when there is a filter to ask
 *   (Java reads it for every unit).
 *
 * @mirrors org.apache.rocketmq.store.DefaultMessageStore#getMessage
 * @article pull-consume-1 "The store's side of a pull"
 * @category Store
 * @module
 */
import { readInt32, viewOf } from '../common/bytes.js';
import { BrokerRole, type MessageStoreConfig } from '../common/config/message-store-config.js';
import { readLong } from '../common/java-compat.js';
import type { CommitLog } from './commitlog/commit-log.js';
import { MAGIC_CODE_POSITION, MESSAGE_MAGIC_CODE, PHYSICAL_OFFSET_POSITION } from './commitlog/record-layout.js';
import type { ConsumeQueue } from './consumequeue/consume-queue.js';
import { readExtOffset } from './consumequeue/consume-queue-ext.js';
import { CQ_STORE_UNIT_SIZE, CQ_SIZE_POSITION, CQ_TAGS_CODE_POSITION, isFillerUnit } from './consumequeue/consume-queue-unit.js';
import type { ConsumeQueueTable } from './consumequeue/consume-queue-table.js';
import { MappedFileIOError, type MappedFile } from './mapped-file/mapped-file.js';
import type { SelectMappedBufferResult } from './mapped-file/select-mapped-buffer-result.js';
import type { MessageFilter } from './message-store.js';
import { GetMessageStatus, getMessageResultOf, SIZE_PER_COUNT, type GetMessageResult } from './results.js';

/** Java: a pull looks at no more than this many bytes of units (800 units), or `maxMsgNums × 20` when more. */
const MIN_FILTER_SCAN_BYTES = 16000;

/** The config keys the read path uses. */
export type GetMessageConfig = Pick<
  MessageStoreConfig,
  | 'brokerRole' | 'offsetCheckInSlave' | 'accessMessageInMemoryMaxRatio'
  | 'maxTransferBytesOnMessageInMemory' | 'maxTransferCountOnMessageInMemory'
  | 'maxTransferBytesOnMessageInDisk' | 'maxTransferCountOnMessageInDisk'
>;

/** What the read path needs from the store. */
export interface GetMessageContext {
  readonly commitLog: CommitLog;
  readonly consumeQueueTable: ConsumeQueueTable;
  readonly config: GetMessageConfig;
  /** The machine's RAM in bytes (Java `StoreUtil.TOTAL_PHYSICAL_MEMORY_SIZE`). */
  readonly totalPhysicalMemoryBytes: number;
  /** The store's span of log bytes, shared by its pulls (they run one at a time); without it each pull makes its own. */
  readonly readSpan?: RecordSpan;
}

/**
 * Read up to `maxMsgNums` messages of `topic`/`queueId` from queue offset `offset`.
 * `group` is the consumer group; only Java's statistics read it.
 */
export function getMessage(
  context: GetMessageContext,
  group: string,
  topic: string,
  queueId: number,
  offset: number,
  maxMsgNums: number,
  filter?: MessageFilter,
): GetMessageResult {
  void group;
  const queue = context.consumeQueueTable.getConsumeQueue(topic, queueId);
  const minOffset = queue?.getMinOffsetInQueue() ?? 0;
  const maxOffset = queue?.getMaxOffsetInQueue() ?? 0;
  if (queue === undefined || maxOffset === 0) return answer(GetMessageStatus.NO_MESSAGE_IN_QUEUE, minOffset, maxOffset, nextOffsetCorrection(context, offset, 0));
  if (offset < minOffset) return answer(GetMessageStatus.OFFSET_TOO_SMALL, minOffset, maxOffset, nextOffsetCorrection(context, offset, minOffset));
  if (offset === maxOffset) return answer(GetMessageStatus.OFFSET_OVERFLOW_ONE, minOffset, maxOffset, nextOffsetCorrection(context, offset, offset));
  if (offset > maxOffset) return answer(GetMessageStatus.OFFSET_OVERFLOW_BADLY, minOffset, maxOffset, nextOffsetCorrection(context, offset, maxOffset));
  const scanBytes = Math.max(MIN_FILTER_SCAN_BYTES, maxMsgNums * CQ_STORE_UNIT_SIZE);
  // Units are read a few dozen at a time: an unfiltered pull needs about maxMsgNums of the up to 800 it may scan.
  const chunkUnits = Math.min(Math.ceil(scanBytes / CQ_STORE_UNIT_SIZE), maxMsgNums + UNIT_CHUNK_SLACK);
  const units = queue.getIndexBuffer(offset, chunkUnits);
  if (units === undefined) return answer(GetMessageStatus.OFFSET_FOUND_NULL, minOffset, maxOffset, nextOffsetCorrection(context, offset, queue.rollNextFile(offset)));
  const result = answer(GetMessageStatus.NO_MATCHED_MESSAGE, minOffset, maxOffset, offset);
  readUnits(context, queue, new UnitChunks(queue, offset, units, chunkUnits), scanBytes, maxMsgNums, filter, result);
  return result;
}

function answer(status: GetMessageStatus, minOffset: number, maxOffset: number, nextBeginOffset: number): GetMessageResult {
  return { ...getMessageResultOf(status), nextBeginOffset, minOffset, maxOffset };
}

/** Units read beyond maxMsgNums in the first chunk, for filler units and a few filtered ones. */
const UNIT_CHUNK_SLACK = 16;

/**
 * The units of one pull, read from the queue chunk by chunk as the walk needs them. Each
 * chunk continues where the last ended; a chunk shorter than asked met the end of the
 * queue file, which ends the walk, as the end of Java's one buffer does.
 */
export class UnitChunks {
  /** Byte offset, from the pull's first unit, of the current chunk's first unit. */
  from = 0;
  view: DataView;
  /** Bytes in the current chunk. */
  size: number;
  private atFileEnd: boolean;

  constructor(private readonly queue: ConsumeQueue, private readonly startIndex: number, first: SelectMappedBufferResult, private readonly chunkUnits: number) {
    this.view = viewOf(first.bytes);
    this.size = first.size;
    this.atFileEnd = first.size < chunkUnits * CQ_STORE_UNIT_SIZE;
  }

  /** Make the chunk hold the unit at byte `i` of the pull; false when there is none. */
  reach(i: number): boolean {
    if (i < this.from + this.size) return true;
    if (this.atFileEnd) return false;
    const next = this.queue.getIndexBuffer(this.startIndex + i / CQ_STORE_UNIT_SIZE, this.chunkUnits);
    if (next === undefined) return false;
    this.from = i;
    this.view = viewOf(next.bytes);
    this.size = next.size;
    this.atFileEnd = next.size < this.chunkUnits * CQ_STORE_UNIT_SIZE;
    return true;
  }
}

/**
 * The walk over the units (the FOUND / NO_MATCHED_MESSAGE / MESSAGE_WAS_REMOVING branch).
 * `result` arrives as NO_MATCHED_MESSAGE with `nextBeginOffset` = the requested offset.
 */
function readUnits(
  context: GetMessageContext,
  queue: ConsumeQueue,
  units: UnitChunks,
  scanBytes: number,
  maxMsgNums: number,
  filter: MessageFilter | undefined,
  result: GetMessageResult,
): void {
  const { commitLog } = context;
  const maxOffsetPy = commitLog.getMaxOffset();
  const body = new BodyBuilder(expectedBodyBytes(units, maxMsgNums, context.config.maxTransferBytesOnMessageInMemory));
  const span = context.readSpan ?? new RecordSpan();
  let nextPhyFileStartOffset = Number.NEGATIVE_INFINITY;
  let maxPhyOffsetPulling = 0;
  let i = 0;
  for (; i < scanBytes && units.reach(i); i += CQ_STORE_UNIT_SIZE) {
    const view = units.view;
    const at = i - units.from;
    const offsetPy = readLong(view, at);
    const sizePy = view.getInt32(at + CQ_SIZE_POSITION, false);
    if (Number.isNaN(offsetPy) || sizePy <= 0 || isFillerUnit(offsetPy, sizePy)) continue; // holds a place, no message
    maxPhyOffsetPulling = offsetPy;
    // Java: once a record turned out deleted, skip the rest of its (deleted) file.
    if (offsetPy < nextPhyFileStartOffset) continue;
    const isInDisk = checkInDiskByCommitOffset(context, offsetPy, maxOffsetPy);
    if (isTheBatchFull(context.config, sizePy, maxMsgNums, body.size, body.count, isInDisk)) break;
    if (filter !== undefined && !matchedByConsumeQueue(queue, view, at, filter)) {
      if (body.size === 0) result.status = GetMessageStatus.NO_MATCHED_MESSAGE;
      continue;
    }
    const copied = body.appendRecord(commitLog, offsetPy, sizePy, span, units, at, maxMsgNums - body.count);
    if (copied === 'missing') {
      if (body.size === 0) result.status = GetMessageStatus.MESSAGE_WAS_REMOVING;
      nextPhyFileStartOffset = commitLog.rollNextFile(offsetPy);
      continue;
    }
    if (copied === 'mismatch') continue; // the unit points at something that is not its record: never serve it
    if (filter !== undefined && !filter.isMatchedByCommitLog(body.lastRecord())) {
      body.dropLastRecord();
      if (body.size === 0) result.status = GetMessageStatus.NO_MATCHED_MESSAGE;
      continue;
    }
    result.status = GetMessageStatus.FOUND;
    nextPhyFileStartOffset = Number.NEGATIVE_INFINITY;
  }
  body.finish(result);
  result.nextBeginOffset += i / CQ_STORE_UNIT_SIZE; // every unit looked at, matched or not
  result.suggestPullingFromSlave = maxOffsetPy - maxPhyOffsetPulling > memoryBytes(context);
}

/** The body size the first `maxMsgNums` message units of the first chunk ask for (the usual answer, unfiltered). */
function expectedBodyBytes(units: UnitChunks, maxMsgNums: number, maxBytes: number): number {
  let bytes = 0;
  for (let at = 0, n = 0; at < units.size && n < maxMsgNums && bytes < maxBytes; at += CQ_STORE_UNIT_SIZE) {
    const sizePy = units.view.getInt32(at + CQ_SIZE_POSITION, false);
    if (sizePy <= 0 || isFillerUnit(readLong(units.view, at), sizePy)) continue;
    bytes += sizePy;
    n++;
  }
  return Math.min(bytes, maxBytes); // a garbage size must not make a huge buffer: the body grows when needed
}

/**
 * The cheap question, from the unit at `at` alone: its tags code, or with ext on, the ext
 * unit its tags-code field points at (tags code, store time, SQL92 bit map). An address
 * whose ext unit cannot be read passes no tags code (Java: null), as does garbage; the
 * filter then matches and the client filters again.
 */
function matchedByConsumeQueue(queue: ConsumeQueue, view: DataView, at: number, filter: MessageFilter): boolean {
  const ext = queue.consumeQueueExt;
  const extOffset = ext === undefined ? -1 : readExtOffset(view, at + CQ_TAGS_CODE_POSITION);
  if (extOffset === -1) {
    const tagsCode = readLong(view, at + CQ_TAGS_CODE_POSITION); // NaN: an ext address without ext on, or garbage
    return filter.isMatchedByConsumeQueue(Number.isNaN(tagsCode) ? undefined : tagsCode);
  }
  const cqExtUnit = Number.isNaN(extOffset) ? undefined : ext?.get(extOffset);
  return cqExtUnit === undefined ? filter.isMatchedByConsumeQueue(undefined) : filter.isMatchedByConsumeQueue(cqExtUnit.tagsCode, cqExtUnit);
}

/** Java `nextOffsetCorrection`: a slave keeps the requested offset unless `offsetCheckInSlave`. */
function nextOffsetCorrection(context: GetMessageContext, oldOffset: number, newOffset: number): number {
  const { brokerRole, offsetCheckInSlave } = context.config;
  return brokerRole !== BrokerRole.SLAVE || offsetCheckInSlave ? newOffset : oldOffset;
}

/** RAM the commit log's tail may use before reads count as "from disk". */
function memoryBytes(context: GetMessageContext): number {
  return Math.floor(context.totalPhysicalMemoryBytes * (context.config.accessMessageInMemoryMaxRatio / 100));
}

/** Java `checkInDiskByCommitOffset`: the record is further behind the log's end than the page cache holds. */
export function checkInDiskByCommitOffset(context: GetMessageContext, offsetPy: number, maxOffsetPy: number): boolean {
  return maxOffsetPy - offsetPy > memoryBytes(context);
}

/** Java `isTheBatchFull`: whether one more record of `sizePy` bytes would pass a limit. The first one always fits. */
function isTheBatchFull(config: GetMessageConfig, sizePy: number, maxMsgNums: number, bufferTotal: number, messageTotal: number, isInDisk: boolean): boolean {
  if (bufferTotal === 0 || messageTotal === 0) return false;
  if (maxMsgNums <= messageTotal) return true;
  const maxBytes = isInDisk ? config.maxTransferBytesOnMessageInDisk : config.maxTransferBytesOnMessageInMemory;
  const maxCount = isInDisk ? config.maxTransferCountOnMessageInDisk : config.maxTransferCountOnMessageInMemory;
  return bufferTotal + sizePy > maxBytes || messageTotal > maxCount - 1;
}

/** A span is read only while records fill at least 1/8 of it, and never past this size. */
const SPAN_MIN_FILL = 8;
const SPAN_MAX_BYTES = 256 * 1024;

/**
 * Several records of a pull read from the commit log with one read. A queue's records lie
 * close together in the log (other queues' records between them), so instead of a read per
 * record, the bytes from the first record to the last one the coming units point at are
 * read at once, as long as the records fill enough of them; the records are then copied
 * out of the span. The store keeps one span for all its pulls: the consumers of a topic's
 * queues pull at about the same place in the log, so one read often serves several pulls.
 * Log bytes never change once written, except when the log is cut (`truncations`), which
 * drops the span. Java has nothing to do here: its records are views of a mapped file.
 */
export class RecordSpan {
  private buffer = new Uint8Array(0);
  private start = 0;
  private end = 0;
  private truncations = -1;

  covers(commitLog: CommitLog, offsetPy: number, sizePy: number): boolean {
    return offsetPy >= this.start && offsetPy + sizePy <= this.end && this.truncations === commitLog.truncations;
  }

  copyTo(offsetPy: number, sizePy: number, target: Uint8Array, at: number): void {
    const from = offsetPy - this.start;
    target.set(this.buffer.subarray(from, from + sizePy), at);
  }

  /**
   * Read the span starting with the record at `offsetPy` (in `file`, at `position`) and
   * covering the records of the next units in the current chunk, up to `remaining` of
   * them. False when a span would hold this record only, or cannot be read whole.
   */
  fill(commitLog: CommitLog, file: MappedFile, position: number, offsetPy: number, sizePy: number, units: UnitChunks, at: number, remaining: number): boolean {
    const fileEnd = offsetPy - position + file.readPosition;
    let end = offsetPy + sizePy;
    let used = sizePy;
    for (let next = at + CQ_STORE_UNIT_SIZE, n = 1; next < units.size && n < remaining; next += CQ_STORE_UNIT_SIZE) {
      const nextOffset = readLong(units.view, next);
      const nextSize = units.view.getInt32(next + CQ_SIZE_POSITION, false);
      if (Number.isNaN(nextOffset) || nextSize <= 0 || isFillerUnit(nextOffset, nextSize)) continue;
      const nextEnd = nextOffset + nextSize;
      if (nextOffset < end || nextEnd > fileEnd || nextEnd - offsetPy > SPAN_MAX_BYTES || nextEnd - offsetPy > SPAN_MIN_FILL * (used + nextSize)) break;
      end = nextEnd;
      used += nextSize;
      n++;
    }
    if (used === sizePy) return false;
    const length = end - offsetPy;
    if (this.buffer.length < length) this.buffer = new Uint8Array(Math.max(length, 64 * 1024));
    this.start = this.end = 0;
    if (!file.read(position, this.buffer, 0, length)) return false;
    this.start = offsetPy;
    this.end = end;
    this.truncations = commitLog.truncations;
    return true;
  }
}

/** The response body under construction: records copied back to back into one growing buffer. */
class BodyBuilder {
  private buffer: Uint8Array;
  private readonly positions: number[] = [];
  size = 0;

  /** @param expectedBytes what the body will probably need (it grows when that was short) */
  constructor(expectedBytes: number) {
    this.buffer = new Uint8Array(Math.max(1024, expectedBytes));
  }

  get count(): number {
    return this.positions.length;
  }

  /**
   * Copy the record at `offsetPy` into the body (out of `span`, which this may fill first
   * from the units after `at`), and check it is the record the unit means. 'missing': below
   * the log's min offset (deleted) or in a file that cannot be read. 'mismatch': anything a
   * unit should never point at (a negative offset, past the end of the log, across a file
   * end, not this record).
   */
  appendRecord(
    commitLog: CommitLog, offsetPy: number, sizePy: number, span: RecordSpan, units: UnitChunks, at: number, remaining: number,
  ): 'ok' | 'missing' | 'mismatch' {
    const queue = commitLog.mappedFileQueue;
    // Garbage units must not look deleted: that would skip the rest of their "file".
    if (offsetPy < 0 || offsetPy + sizePy > commitLog.getMaxOffset()) return 'mismatch';
    const file = offsetPy >= commitLog.getMinOffset() ? queue.findMappedFileByOffset(offsetPy) : undefined;
    if (file === undefined) return 'missing';
    const position = offsetPy % queue.mappedFileSize;
    if (sizePy > queue.mappedFileSize - position) return 'mismatch'; // no record crosses a file end: a broken unit
    this.ensureCapacity(this.size + sizePy);
    const bodyAt = this.size;
    try {
      if (span.covers(commitLog, offsetPy, sizePy) || span.fill(commitLog, file, position, offsetPy, sizePy, units, at, remaining)) {
        span.copyTo(offsetPy, sizePy, this.buffer, bodyAt);
      } else if (!file.read(position, this.buffer, bodyAt, sizePy)) {
        return 'missing';
      }
    } catch (error) {
      if (!(error instanceof MappedFileIOError)) throw error;
      return 'missing'; // an unreadable segment is as good as a deleted one
    }
    const record = this.buffer.subarray(bodyAt, bodyAt + sizePy);
    if (sizePy < PHYSICAL_OFFSET_POSITION + 8 || readInt32(record, 0) !== sizePy || readInt32(record, MAGIC_CODE_POSITION) !== MESSAGE_MAGIC_CODE
      || readLong(viewOf(record), PHYSICAL_OFFSET_POSITION) !== offsetPy) return 'mismatch';
    this.positions.push(bodyAt);
    this.size += sizePy;
    return 'ok';
  }

  /** The record appended last (a view into the body). */
  lastRecord(): Uint8Array {
    return this.buffer.subarray(this.positions[this.positions.length - 1] ?? 0, this.size);
  }

  dropLastRecord(): void {
    const at = this.positions.pop();
    if (at !== undefined) this.size = at;
  }

  /** Hand the body and the counters to the result. */
  finish(result: GetMessageResult): void {
    result.body = this.buffer.subarray(0, this.size);
    result.recordPositions.push(...this.positions);
    result.messageCount = this.positions.length;
    result.bufferTotalSize = this.size;
    for (let i = 0; i < this.positions.length; i++) {
      const end = this.positions[i + 1] ?? this.size;
      result.msgCount4Commercial += Math.ceil((end - this.positions[i]!) / SIZE_PER_COUNT);
    }
  }

  private ensureCapacity(needed: number): void {
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.buffer.subarray(0, this.size));
    this.buffer = grown;
  }
}
