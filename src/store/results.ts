/**
 * The store's outcome values: what a put, an append and a get can answer.
 *
 * Every expected outcome of the store is a status value, never an exception: a full
 * segment (END_OF_FILE), a message that is too big (MESSAGE_SIZE_EXCEEDED), a flush that
 * did not finish in time (FLUSH_DISK_TIMEOUT), a pull past the end of a queue
 * (OFFSET_OVERFLOW_ONE). The broker turns each of these into a response code, so the names
 * are Java's enum names as strings: logs, events and JSONL stay readable without a lookup
 * table, and a reader can grep the article's identifiers.
 *
 * ```
 *   AppendMessageStatus   MappedFile + callback → CommitLog   (one record, one segment)
 *   PutMessageStatus      CommitLog → broker                  (one put, after flush/replica waits)
 *   GetMessageStatus      store read path → pull processor    (one pull)
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - `CREATE_MAPPED_FILE_FAILED` fixes Java's spelling `CREATE_MAPEDFILE_FAILED`; the broker
 *   maps both to SYSTEM_ERROR.
 * - `LMQ_CONSUME_QUEUE_NUM_EXCEEDED` is left out (no LMQ).
 * - Results are plain objects, built by small factories; `msgId` is computed eagerly by
 *   whoever builds a PUT_OK append result instead of through a `Supplier`.
 * - `GetMessageResult` holds the found records as one concatenated body plus record start
 *   positions, instead of Java's list of mapped buffers: the pull response body is that
 *   concatenation, so the broker sends it without another copy.
 * - `SelectMappedBufferResult` needs no `release()`: its bytes are a copy (see
 *   `mapped-file.ts`), so no reference count pins a file.
 *
 * @mirrors org.apache.rocketmq.store.PutMessageStatus
 * @mirrors org.apache.rocketmq.store.AppendMessageStatus
 * @mirrors org.apache.rocketmq.store.GetMessageStatus
 * @mirrors org.apache.rocketmq.store.PutMessageResult
 * @mirrors org.apache.rocketmq.store.AppendMessageResult
 * @mirrors org.apache.rocketmq.store.GetMessageResult
 * @article store "The put path"
 * @category Store
 * @module
 */
export type { SelectMappedBufferResult } from './mapped-file/select-mapped-buffer-result.js';

// ---------------------------------------------------------------------------------------
// PutMessageStatus: the answer of CommitLog.putMessage, as the broker sees it.

/** Outcome of one put (single message or batch). Java: `PutMessageStatus`. */
export const PutMessageStatus = {
  /** Stored (and, if the message asked for it, flushed and replicated). */
  PUT_OK: 'PUT_OK',
  /** Stored, but the group commit did not flush it within `syncFlushTimeout`. */
  FLUSH_DISK_TIMEOUT: 'FLUSH_DISK_TIMEOUT',
  /** Stored, but the slave did not acknowledge it in time (SYNC_MASTER). */
  FLUSH_SLAVE_TIMEOUT: 'FLUSH_SLAVE_TIMEOUT',
  /** Stored, but no slave is connected or it is too far behind (SYNC_MASTER). */
  SLAVE_NOT_AVAILABLE: 'SLAVE_NOT_AVAILABLE',
  /** Not stored: the store is shut down, a slave, not writeable, or a disk write failed. */
  SERVICE_NOT_AVAILABLE: 'SERVICE_NOT_AVAILABLE',
  /** Not stored: the next segment file could not be created. Java: `CREATE_MAPEDFILE_FAILED`. */
  CREATE_MAPPED_FILE_FAILED: 'CREATE_MAPPED_FILE_FAILED',
  /** Not stored: the record is too big, or the topic is too long. */
  MESSAGE_ILLEGAL: 'MESSAGE_ILLEGAL',
  /** Not stored: the properties string is longer than 32767 bytes. */
  PROPERTIES_SIZE_EXCEEDED: 'PROPERTIES_SIZE_EXCEEDED',
  /** Not stored: the append lock was held too long (Java's page-cache back-pressure). */
  OS_PAGECACHE_BUSY: 'OS_PAGECACHE_BUSY',
  /** Not stored, for a reason none of the above names. */
  UNKNOWN_ERROR: 'UNKNOWN_ERROR',
} as const;
export type PutMessageStatus = (typeof PutMessageStatus)[keyof typeof PutMessageStatus];

// ---------------------------------------------------------------------------------------
// AppendMessageStatus: the answer of one append into one segment.

/** Outcome of appending into one segment file. Java: `AppendMessageStatus`. */
export const AppendMessageStatus = {
  /** The record (or every record of a batch) was written. */
  PUT_OK: 'PUT_OK',
  /** It did not fit: a BLANK record now fills the segment; retry in the next one. */
  END_OF_FILE: 'END_OF_FILE',
  /** The record is bigger than `maxMessageSize` (or than a whole segment); nothing written. */
  MESSAGE_SIZE_EXCEEDED: 'MESSAGE_SIZE_EXCEEDED',
  /** The properties string does not fit its signed 16-bit length field; nothing written. */
  PROPERTIES_SIZE_EXCEEDED: 'PROPERTIES_SIZE_EXCEEDED',
  /** Anything else; nothing written. */
  UNKNOWN_ERROR: 'UNKNOWN_ERROR',
} as const;
export type AppendMessageStatus = (typeof AppendMessageStatus)[keyof typeof AppendMessageStatus];

// ---------------------------------------------------------------------------------------
// GetMessageStatus: the answer of a pull against one consume queue.

/** Outcome of reading messages from a consume queue. Java: `GetMessageStatus`. */
export const GetMessageStatus = {
  /** At least one message was found and returned. */
  FOUND: 'FOUND',
  /** Units were read, but the filter matched none of them. */
  NO_MATCHED_MESSAGE: 'NO_MATCHED_MESSAGE',
  /** The commit-log segment the unit points at is being deleted. */
  MESSAGE_WAS_REMOVING: 'MESSAGE_WAS_REMOVING',
  /** The consume-queue file for the offset could not be read. */
  OFFSET_FOUND_NULL: 'OFFSET_FOUND_NULL',
  /** The offset is more than one past the end of the queue. */
  OFFSET_OVERFLOW_BADLY: 'OFFSET_OVERFLOW_BADLY',
  /** The offset is exactly the end of the queue: nothing new yet (long polling waits here). */
  OFFSET_OVERFLOW_ONE: 'OFFSET_OVERFLOW_ONE',
  /** The offset is below the queue's minimum (its files were cleaned). */
  OFFSET_TOO_SMALL: 'OFFSET_TOO_SMALL',
  /** There is no consume queue for this topic and queue id. */
  NO_MATCHED_LOGIC_QUEUE: 'NO_MATCHED_LOGIC_QUEUE',
  /** The queue exists but holds no message. */
  NO_MESSAGE_IN_QUEUE: 'NO_MESSAGE_IN_QUEUE',
} as const;
export type GetMessageStatus = (typeof GetMessageStatus)[keyof typeof GetMessageStatus];

// ---------------------------------------------------------------------------------------
// Result shapes.

/**
 * What one append wrote. For a batch, the offsets and counts describe the whole run of
 * records, and `logicsOffset` is the queue offset of the first message.
 */
export interface AppendMessageResult {
  readonly status: AppendMessageStatus;
  /** Physical offset of the first byte written (the first record, or the BLANK record). */
  readonly wroteOffset: number;
  /** Bytes the write position moved: the records' sizes, or the whole rest of the file for a BLANK. */
  readonly wroteBytes: number;
  /**
   * Offset message id(s): 32 uppercase hex chars per record, comma-joined for a batch
   * (see `common/message`), or `''` when nothing was stored.
   */
  readonly msgId: string;
  /** Store timestamp written into the record(s), in ms from the store's clock. */
  readonly storeTimestamp: number;
  /** Queue offset of the (first) message; 0 for PREPARED/ROLLBACK records. Java: `logicsOffset`. */
  readonly logicsOffset: number;
  /** How many records were written (1 for a single message). */
  readonly msgNum: number;
  /** Time spent copying into the page cache, in ms (Java: `pagecacheRT`); 0 on a ManualClock. */
  readonly pagecacheRT: number;
}

/** An append result carrying only a status: nothing was written. */
export function appendMessageResultOf(status: AppendMessageStatus): AppendMessageResult {
  return { status, wroteOffset: 0, wroteBytes: 0, msgId: '', storeTimestamp: 0, logicsOffset: 0, msgNum: 0, pagecacheRT: 0 };
}

/** The answer of `CommitLog.putMessage` / `putMessages`. */
export interface PutMessageResult {
  readonly putMessageStatus: PutMessageStatus;
  /** What was appended; absent when the put was refused before touching a segment. */
  readonly appendMessageResult?: AppendMessageResult;
}

/** Build a put result. */
export function putMessageResultOf(putMessageStatus: PutMessageStatus, appendMessageResult?: AppendMessageResult): PutMessageResult {
  return appendMessageResult === undefined ? { putMessageStatus } : { putMessageStatus, appendMessageResult };
}

/**
 * Java `PutMessageResult.isOk()`: the bytes are in the commit log. True even when a flush
 * or replica wait timed out afterwards, because the message is stored all the same.
 */
export function isPutMessageOk(result: PutMessageResult): boolean {
  return result.appendMessageResult !== undefined && result.appendMessageResult.status === AppendMessageStatus.PUT_OK;
}

/**
 * The answer of a pull (`DefaultMessageStore#getMessage`). The found records are returned
 * the way the broker sends them: one buffer holding the raw commit-log records back to back,
 * which is exactly the body of a PULL_MESSAGE response, plus where each record starts in it.
 */
export interface GetMessageResult {
  status: GetMessageStatus;
  /** Queue offset the next pull should start from. */
  nextBeginOffset: number;
  /** The queue's min and max offset (queue offsets, not bytes) when the pull ran. */
  minOffset: number;
  maxOffset: number;
  /** The found records, concatenated in queue order (`bufferTotalSize` bytes; empty when none). */
  body: Uint8Array;
  /** Where each record starts in `body`; record `i` ends where record `i + 1` starts (the last at `bufferTotalSize`). */
  readonly recordPositions: number[];
  /** How many records `body` holds. Java: `getMessageCount()`. */
  messageCount: number;
  /** Bytes of `body`. */
  bufferTotalSize: number;
  /** Whether the consumer should pull from a slave next time (the master is reading from disk). */
  suggestPullingFromSlave: boolean;
  /** Java's commercial counter (each record counts ceil(size / 64 KiB)); kept for parity of the stats. */
  msgCount4Commercial: number;
}

/** An empty get result with a status; the read path fills in the rest. */
export function getMessageResultOf(status: GetMessageStatus): GetMessageResult {
  return {
    status,
    nextBeginOffset: 0,
    minOffset: 0,
    maxOffset: 0,
    body: new Uint8Array(0),
    recordPositions: [],
    messageCount: 0,
    bufferTotalSize: 0,
    suggestPullingFromSlave: false,
    msgCount4Commercial: 0,
  };
}

/** Java `BrokerStatsManager.SIZE_PER_COUNT`: bytes per commercial message count. */
export const SIZE_PER_COUNT = 64 * 1024;
