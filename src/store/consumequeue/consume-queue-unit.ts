/**
 * The consume-queue unit: the 20 bytes that stand for one message in one queue, and the
 * helpers that read and write them.
 *
 * Every reader of a consume queue (the pull path, recovery, the cleaners, the schedule
 * service) decodes the same three fields, so the layout lives here, apart from the
 * `ConsumeQueue` flow that appends and cuts units. One unit, big-endian (Java
 * `ByteBuffer` order):
 *
 * ```
 *   off  size  field
 *  ─────┬─────┬──────────────────────────────────────────────────────────────────
 *     0    8   COMMITLOG OFFSET   physical offset of the record in the commit log
 *     8    4   SIZE               the record's TOTALSIZE
 *    12    8   TAGS CODE          Java String.hashCode of TAGS (0: none); for
 *                                 SCHEDULE_TOPIC_XXXX, the delivery timestamp;
 *                                 with enableConsumeQueueExt, an ext address
 *                                 (Long.MIN_VALUE + offset, see consume-queue-ext.ts)
 *  ─────┴─────┴──────────────────  20 bytes; unit i (= queue offset i) at byte i × 20
 * ```
 *
 * A unit `(0, 2147483647, 0)` is a *filler*: it holds the place of a queue offset that has
 * no message (the first file of a queue that starts late, or a hole), so that unit `i`
 * always means queue offset `i`. Readers skip it: no record is that long.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java reads the fields inline wherever it needs them; here they are named helpers.
 * - A tags code that is not a safe integer (an ext address, or garbage) reads as `NaN`;
 *   ext addresses are decoded from the bytes by `readExtOffset` in consume-queue-ext.ts.
 *
 * @mirrors org.apache.rocketmq.store.ConsumeQueue#CQ_STORE_UNIT_SIZE
 * @article store "ConsumeQueue: 20 bytes per message"
 * @category Store
 * @module
 */
import { assert } from '../../common/assert.js';
import { readInt64, writeInt64 } from '../../common/bytes.js';
import { INT32_MAX } from '../../common/java-compat.js';

/** Bytes of one unit. Java: `ConsumeQueue.CQ_STORE_UNIT_SIZE`. */
export const CQ_STORE_UNIT_SIZE = 20;
/** Where each field of a unit starts. */
export const CQ_PHYSICAL_OFFSET_POSITION = 0;
export const CQ_SIZE_POSITION = 8;
export const CQ_TAGS_CODE_POSITION = 12;
/** The SIZE of a filler unit: no record is this long. */
export const CQ_FILLER_SIZE = INT32_MAX;

assert(CQ_SIZE_POSITION === CQ_PHYSICAL_OFFSET_POSITION + 8, 'cq layout: size after the 8-byte offset');
assert(CQ_TAGS_CODE_POSITION === CQ_SIZE_POSITION + 4, 'cq layout: tags code after the 4-byte size');
assert(CQ_STORE_UNIT_SIZE === CQ_TAGS_CODE_POSITION + 8, 'cq layout: a unit is 8 + 4 + 8 bytes');

/** Read the physical offset of the unit at byte `at` of `view` (`NaN` when the bytes are not a safe integer). */
export function unitPhysicalOffset(view: DataView, at: number): number {
  return readInt64(view, at + CQ_PHYSICAL_OFFSET_POSITION);
}
/** Read the record size of the unit at byte `at` of `view`. */
export function unitSize(view: DataView, at: number): number {
  return view.getInt32(at + CQ_SIZE_POSITION, false);
}
/** Read the tags code of the unit at byte `at` of `view` (`NaN` when the bytes are not a safe integer). */
export function unitTagsCode(view: DataView, at: number): number {
  return readInt64(view, at + CQ_TAGS_CODE_POSITION);
}
/** Java's validity test for a unit: anything else (zeros, garbage, a `NaN` offset) ends the queue. */
export function isValidUnit(physicalOffset: number, size: number): boolean {
  return physicalOffset >= 0 && size > 0;
}
/** Whether the 20 bytes at `at` are all zero: the clean end of a queue's data, not damage. */
export function isZeroUnit(view: DataView, at: number): boolean {
  return view.getInt32(at, false) === 0 && view.getInt32(at + 4, false) === 0 && view.getInt32(at + 8, false) === 0
    && view.getInt32(at + 12, false) === 0 && view.getInt32(at + 16, false) === 0;
}
/** Whether a unit is a filler (a queue offset without a message). */
export function isFillerUnit(physicalOffset: number, size: number): boolean {
  return physicalOffset === 0 && size === CQ_FILLER_SIZE;
}

/** Write one unit at byte `at` of `view`. */
export function writeUnit(view: DataView, at: number, physicalOffset: number, size: number, tagsCode: number): void {
  writeInt64(view, at + CQ_PHYSICAL_OFFSET_POSITION, physicalOffset);
  view.setInt32(at + CQ_SIZE_POSITION, size, false);
  writeInt64(view, at + CQ_TAGS_CODE_POSITION, tagsCode);
}
