/**
 * SelectMappedBufferResult: bytes read out of a segment, tagged with where they came from.
 *
 * Every read of the store (a pull, a query, the reput service, HA transfer) ends as one of
 * these: the bytes of one record or of a run of records, and the log offset of the first
 * byte, so the reader can tell which record is which.
 *
 * Differences from RocketMQ 4.9.x:
 * - The bytes are a copy, not a slice of the mapped file, so there is no `release()` and no
 *   reference count: a segment can be deleted while a reader still holds its bytes.
 *
 * @mirrors org.apache.rocketmq.store.SelectMappedBufferResult
 * @article store "MappedFile: a file you can read like memory"
 * @category Store
 * @module
 */

/** Bytes read from a segment: a copy, tagged with the offset of its first byte. */
export interface SelectMappedBufferResult {
  /** Offset of `bytes[0]` in the whole log (a physical offset for the commit log; a byte offset in the queue for a consume queue). */
  readonly startOffset: number;
  /** The bytes (a copy of exactly `size` bytes). */
  readonly bytes: Uint8Array;
  readonly size: number;
}
