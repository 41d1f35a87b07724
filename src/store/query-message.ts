/**
 * Lookups that bypass the consume queues: by key through the index, and by physical offset
 * (which is what an offset msgId encodes).
 *
 * A pull reads a queue in order. An operator (mqadmin `queryMsgByKey`, `queryMsgById`) or a
 * transaction check instead asks for one message: "the order with key ORDER-42", "message
 * 0A00000100002A9F0000000000001F40". The key goes through the index files (see
 * `index/index-service.ts`), which answer with physical offsets; a msgId already holds the
 * physical offset. Either way the answer is the raw record at that offset, the same bytes
 * a pull returns.
 *
 * ```
 *   queryMessage(topic, key)     index: hash(topic#key) -> [offsets]  -> records at them
 *   selectOneMessageByMsgId(id)  decode id: ip:port + offset          -> record at offset
 *   lookMessageByOffset(offset)  record at offset, decoded into a MessageExt
 * ```
 *
 * The index can hold entries for keys that merely share a hash, and, after a crash or on a
 * damaged disk, entries that point at offsets the commit log no longer holds. Every offset
 * is therefore checked before its bytes are served: a message record must start there,
 * carry that offset as its PHYSICALOFFSET, fit its TOTALSIZE, and pass the checks recovery
 * applies (field lengths, body CRC). Keys are not compared: as in Java, the client filters
 * hash collisions out.
 *
 * Differences from RocketMQ 4.9.x:
 * - Records are checked as above (Java serves whatever bytes the offset leads to), and a
 *   record in a file that cannot be read is not found (Java would take a SIGBUS).
 * - An offset the index holds twice (an entry rebuilt after a crash) is returned once.
 * - The result is one concatenated body plus record positions, like a pull's.
 *
 * @mirrors org.apache.rocketmq.store.DefaultMessageStore#queryMessage
 * @mirrors org.apache.rocketmq.store.DefaultMessageStore#lookMessageByOffset
 * @mirrors org.apache.rocketmq.store.DefaultMessageStore#selectOneMessageByOffset
 * @mirrors org.apache.rocketmq.store.QueryMessageResult
 * @article store "IndexFile: finding a message by key"
 * @category Store
 * @module
 */
import { concatBytes, readInt32, viewOf } from '../common/bytes.js';
import { readLong } from '../common/java-compat.js';
import { decodeMessage } from '../common/message/message-decoder.js';
import type { MessageExt } from '../common/message/message-ext.js';
import { decodeMessageId } from '../common/message/message-id.js';
import type { CommitLog } from './commitlog/commit-log.js';
import { checkMessageAndReturnSize } from './commitlog/commit-log-record-reader.js';
import { calMsgLength, MAGIC_CODE_POSITION, MESSAGE_MAGIC_CODE, PHYSICAL_OFFSET_POSITION, storeTimestampPosition, SYS_FLAG_POSITION } from './commitlog/record-layout.js';
import { MAX_STRETCHED_RECORD_BYTES } from './dispatch/commit-log-chunk-reader.js';
import type { IndexService } from './index/index-service.js';
import { MappedFileIOError } from './mapped-file/mapped-file.js';
import type { SelectMappedBufferResult } from './mapped-file/select-mapped-buffer-result.js';

/** Java: a key query makes at most three passes over the index, each ending earlier in time. */
const QUERY_PASSES = 3;

/** The smallest possible record: no body, no topic, no properties. */
const MIN_RECORD_BYTES = calMsgLength(0, 0, 0, 0);

/** The answer of {@link queryMessage}. Java: `QueryMessageResult`. */
export interface QueryMessageResult {
  /** The found records back to back (QUERY_MESSAGE's response body). */
  readonly body: Uint8Array;
  /** Where each record starts in `body`. */
  readonly recordPositions: readonly number[];
  readonly messageCount: number;
  readonly bufferTotalSize: number;
  /** End timestamp of the newest index file: how far the index had got. */
  readonly indexLastUpdateTimestamp: number;
  /** End physical offset of the newest index file. */
  readonly indexLastUpdatePhyoffset: number;
}

/** What the lookups read. */
export interface QueryMessageContext {
  readonly commitLog: CommitLog;
  readonly indexService: IndexService;
}

/**
 * Records indexed under `key` (a KEYS entry or a UNIQ_KEY) in `topic`, stored within
 * `[begin, end]`, at most `min(maxNum, maxMsgsNumBatch)`, oldest first. Java `queryMessage`.
 */
export function queryMessage(context: QueryMessageContext, topic: string, key: string, maxNum: number, begin: number, end: number): QueryMessageResult {
  const records: Uint8Array[] = [];
  let indexLastUpdateTimestamp = 0;
  let indexLastUpdatePhyoffset = 0;
  let lastQueryMsgTime = end;
  for (let pass = 0; pass < QUERY_PASSES; pass++) {
    const found = context.indexService.queryOffset(topic, key, maxNum, begin, lastQueryMsgTime);
    if (found.phyOffsets.length === 0) break;
    indexLastUpdateTimestamp = found.indexLastUpdateTimestamp;
    indexLastUpdatePhyoffset = found.indexLastUpdatePhyoffset;
    const offsets = [...new Set(found.phyOffsets)].sort((a, b) => a - b);
    for (const [m, offset] of offsets.entries()) {
      const record = selectOneMessageByOffset(context.commitLog, offset);
      if (record === undefined) continue;
      // Java: the next pass (if any) searches before the oldest message of this one.
      if (m === 0) lastQueryMsgTime = readStoreTimestamp(record.bytes);
      records.push(record.bytes);
    }
    if (records.length > 0 || lastQueryMsgTime < begin) break;
  }
  const recordPositions: number[] = [];
  let position = 0;
  for (const record of records) {
    recordPositions.push(position);
    position += record.length;
  }
  const body = concatBytes(records);
  return { body, recordPositions, messageCount: records.length, bufferTotalSize: body.length, indexLastUpdateTimestamp, indexLastUpdatePhyoffset };
}

/**
 * The raw record at `commitLogOffset`, when a message record starts there (its TOTALSIZE,
 * and `size` when given, must agree). Java `selectOneMessageByOffset`.
 */
export function selectOneMessageByOffset(commitLog: CommitLog, commitLogOffset: number, size?: number): SelectMappedBufferResult | undefined {
  if (!Number.isSafeInteger(commitLogOffset) || commitLogOffset < Math.max(0, commitLog.getMinOffset())) return undefined;
  try {
    const head = commitLog.getMessage(commitLogOffset, PHYSICAL_OFFSET_POSITION + 8);
    if (head === undefined) return undefined;
    const totalSize = readInt32(head.bytes, 0);
    if (totalSize < MIN_RECORD_BYTES || totalSize > MAX_STRETCHED_RECORD_BYTES || (size !== undefined && size !== totalSize)) return undefined;
    if (readInt32(head.bytes, MAGIC_CODE_POSITION) !== MESSAGE_MAGIC_CODE) return undefined;
    if (readLong(viewOf(head.bytes), PHYSICAL_OFFSET_POSITION) !== commitLogOffset) return undefined;
    const record = commitLog.getMessage(commitLogOffset, totalSize);
    if (record === undefined) return undefined;
    const check = checkMessageAndReturnSize(record.bytes, 0, true);
    return check.success && check.msgSize === totalSize ? record : undefined;
  } catch (error) {
    if (!(error instanceof MappedFileIOError)) throw error;
    return undefined; // an unreadable segment: as if the record were gone
  }
}

/** The record at `commitLogOffset`, decoded with its body. Java `lookMessageByOffset`. */
export function lookMessageByOffset(commitLog: CommitLog, commitLogOffset: number, size?: number): MessageExt | undefined {
  const record = selectOneMessageByOffset(commitLog, commitLogOffset, size);
  return record === undefined ? undefined : decodeMessage(record.bytes, 0, true, false);
}

/**
 * The raw record an offset msgId points at (VIEW_MESSAGE_BY_ID). The id's host part is not
 * compared with this broker's: the client already used it to pick the broker.
 */
export function selectOneMessageByMsgId(commitLog: CommitLog, msgId: string): SelectMappedBufferResult | undefined {
  const decoded = decodeMessageId(msgId);
  return decoded === undefined ? undefined : selectOneMessageByOffset(commitLog, decoded.offset);
}

/** STORETIMESTAMP of a record (IPv4 or IPv6 born host). */
function readStoreTimestamp(record: Uint8Array): number {
  const view = viewOf(record);
  const timestamp = readLong(view, storeTimestampPosition(view.getInt32(SYS_FLAG_POSITION, false)));
  return Number.isNaN(timestamp) ? 0 : timestamp;
}
