/**
 * IndexHeader: the first 40 bytes of an index file, which say what the file covers.
 *
 * Queries by key can name a time range, and expired-file deletion goes by commit-log
 * offset, so each index file records the store-time and physical-offset range of the
 * messages it indexes. It also counts its entries, which is where the next entry goes.
 *
 * ```
 *   off  size  field
 *     0    8   beginTimestamp   store time of the first message indexed
 *     8    8   endTimestamp     store time of the last message indexed
 *    16    8   beginPhyOffset   commit-log offset of the first message indexed
 *    24    8   endPhyOffset     commit-log offset of the last message indexed
 *    32    4   hashSlotCount    slots that have been used at least once
 *    36    4   indexCount       next free entry number; starts at 1 (entry 0 is unused)
 * ```
 *
 * A new file that follows a full one starts with begin = end = the previous file's end
 * offset and end timestamp, so the offset/time ranges of consecutive files chain up.
 *
 * Differences from RocketMQ 4.9.x:
 * - The fields live in memory and {@link IndexHeader.encode} writes all 40 bytes at once;
 *   Java writes each field through to the mapped buffer as it changes.
 * - {@link IndexHeader.load} flags a header that cannot be valid ({@link IndexHeader.garbage});
 *   Java trusts any bytes.
 *
 * @mirrors org.apache.rocketmq.store.index.IndexHeader
 * @article store "IndexFile: finding a message by key"
 * @category Store
 * @module
 */
import { assert } from '../../common/assert.js';
import { readLong, writeLong } from '../../common/java-compat.js';

export const INDEX_HEADER_SIZE = 40;
export const BEGIN_TIMESTAMP_INDEX = 0;
export const END_TIMESTAMP_INDEX = 8;
export const BEGIN_PHY_OFFSET_INDEX = 16;
export const END_PHY_OFFSET_INDEX = 24;
export const HASH_SLOT_COUNT_INDEX = 32;
export const INDEX_COUNT_INDEX = 36;

assert(END_TIMESTAMP_INDEX === BEGIN_TIMESTAMP_INDEX + 8 && BEGIN_PHY_OFFSET_INDEX === END_TIMESTAMP_INDEX + 8, 'index header layout: timestamps');
assert(END_PHY_OFFSET_INDEX === BEGIN_PHY_OFFSET_INDEX + 8 && HASH_SLOT_COUNT_INDEX === END_PHY_OFFSET_INDEX + 8, 'index header layout: offsets');
assert(INDEX_COUNT_INDEX === HASH_SLOT_COUNT_INDEX + 4 && INDEX_HEADER_SIZE === INDEX_COUNT_INDEX + 4, 'index header layout: counts');

export class IndexHeader {
  beginTimestamp = 0;
  endTimestamp = 0;
  beginPhyOffset = 0;
  endPhyOffset = 0;
  hashSlotCount = 0;
  /** Next entry number to write; entry 0 is never used, so 0 can mean "no entry". */
  indexCount = 1;
  /**
   * Set by {@link IndexHeader.load} when the bytes cannot be a header this code wrote: a
   * long that is negative or not a safe integer, begin offset after end offset, a negative
   * count. The fields then hold zeros where they were unreadable; do not trust them.
   */
  garbage = false;

  /**
   * Read the fields from the first 40 bytes of `bytes`. A count of 0 becomes 1, as in Java
   * (a header never written is all zeros); anything impossible sets {@link garbage}.
   */
  load(bytes: Uint8Array): void {
    assert(bytes.length >= INDEX_HEADER_SIZE, `index header needs ${INDEX_HEADER_SIZE} bytes, got ${bytes.length}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const longs = [BEGIN_TIMESTAMP_INDEX, END_TIMESTAMP_INDEX, BEGIN_PHY_OFFSET_INDEX, END_PHY_OFFSET_INDEX].map((at) => readLong(view, at));
    [this.beginTimestamp, this.endTimestamp, this.beginPhyOffset, this.endPhyOffset] = longs.map((value) => (value >= 0 ? value : 0)) as [number, number, number, number];
    this.hashSlotCount = view.getInt32(HASH_SLOT_COUNT_INDEX, false);
    this.indexCount = view.getInt32(INDEX_COUNT_INDEX, false);
    this.garbage = longs.some((value) => !(value >= 0)) || this.beginPhyOffset > this.endPhyOffset || this.hashSlotCount < 0 || this.indexCount < 0;
    if (this.indexCount <= 0) this.indexCount = 1;
  }

  /** Write the 40 header bytes into `target` (a new array by default) and return it. */
  encode(target: Uint8Array = new Uint8Array(INDEX_HEADER_SIZE)): Uint8Array {
    const view = new DataView(target.buffer, target.byteOffset, target.byteLength);
    writeLong(view, BEGIN_TIMESTAMP_INDEX, this.beginTimestamp);
    writeLong(view, END_TIMESTAMP_INDEX, this.endTimestamp);
    writeLong(view, BEGIN_PHY_OFFSET_INDEX, this.beginPhyOffset);
    writeLong(view, END_PHY_OFFSET_INDEX, this.endPhyOffset);
    view.setInt32(HASH_SLOT_COUNT_INDEX, this.hashSlotCount, false);
    view.setInt32(INDEX_COUNT_INDEX, this.indexCount, false);
    return target;
  }
}
