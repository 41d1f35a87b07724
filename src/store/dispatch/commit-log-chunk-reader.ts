/**
 * readCommitLogChunk: a bounded copy of the commit log from a record boundary, long enough
 * to hold the whole record that starts there.
 *
 * Two readers walk the commit log record by record: recovery (to find where valid data
 * ends) and the reput service (to dispatch new records). Java hands both a view of the
 * mapped file up to its end; our reads are copies, so each read is capped, and a walker
 * reads again from the first record the copy cut short. One record, though, must always
 * fit in one read, or the walker could never get past it; this helper makes sure of that
 * even for a record written under a larger `maxMessageSize` than today's.
 *
 * ```
 *   read(offset):  [ rec | rec | rec | re ]         capped at maxRecordBytes
 *                                      ^ cut short: the walker reads again from here
 *   a record longer than the cap:  [ rec............ ]   read again with its TOTALSIZE
 * ```
 *
 * Differences from RocketMQ 4.9.x: Java needs none of this (it reads the mapped file in place).
 *
 * @mirrors org.apache.rocketmq.store.CommitLog#getData
 * @article store "Dispatch: deriving queues from the log"
 * @category Store
 * @module
 */
import { readInt32 } from '../../common/bytes.js';
import type { CommitLog } from '../commitlog/commit-log.js';
import { MAGIC_CODE_POSITION, MESSAGE_MAGIC_CODE } from '../commitlog/record-layout.js';
import type { SelectMappedBufferResult } from '../mapped-file/select-mapped-buffer-result.js';

/**
 * The largest TOTALSIZE a read is stretched to. Bigger claims are garbage (the checks then
 * reject the record) and are not worth allocating for: Java's own limit is 4 MiB.
 */
export const MAX_STRETCHED_RECORD_BYTES = 64 * 1024 * 1024;

/** The commit-log reads a walker needs. */
export type CommitLogChunkSource = Pick<CommitLog, 'getData' | 'maxRecordBytes'>;

/**
 * Bytes from `offset` to at most the end of its segment's readable data. When the record at
 * `offset` is a message longer than the usual cap, the copy covers all of it (if it is all
 * there). `undefined` when nothing is readable at `offset`.
 */
export function readCommitLogChunk(commitLog: CommitLogChunkSource, offset: number): SelectMappedBufferResult | undefined {
  const chunk = commitLog.getData(offset, commitLog.maxRecordBytes, false);
  if (chunk === undefined || chunk.size < MAGIC_CODE_POSITION + 4) return chunk;
  const totalSize = readInt32(chunk.bytes, 0);
  if (totalSize <= chunk.size || totalSize > MAX_STRETCHED_RECORD_BYTES) return chunk;
  if (readInt32(chunk.bytes, MAGIC_CODE_POSITION) !== MESSAGE_MAGIC_CODE) return chunk;
  return commitLog.getData(offset, totalSize, false) ?? chunk;
}
