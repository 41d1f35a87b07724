/**
 * MessageStore: the message store as the broker sees it, plus the two small interfaces the
 * broker hands back to it (a filter for pulls, a listener for long polling).
 *
 * The broker never touches a commit-log segment or a consume-queue file. Everything it needs
 * from storage goes through this interface: put a message, pull messages from a queue,
 * answer offset questions (min, max, by time), look a message up by key or by msgId, and
 * serve the HA slave's copy of the log. `DefaultMessageStore` implements it by delegating to
 * the commit log, the consume queues, the index and the reput service.
 *
 * ```
 *   broker processors ──► MessageStore ──► CommitLog            (put, raw reads)
 *                                     ├──► ConsumeQueueTable    (offsets, pulls)
 *                                     ├──► IndexService         (query by key)
 *                                     └──► ReputMessageService  (calls MessageArrivingListener)
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - Only the methods a 4.x broker calls are here; statistics, DLedger, LMQ, compaction,
 *   the transient store pool and the timer wheel are left out.
 * - `getMessage` returns `undefined` where Java returns `null` (the store is shut down).
 * - `MessageArrivingListener.arriving` takes the properties before the bit map, which is
 *   optional (only the broker's CalcBitMap dispatcher fills it in).
 * - A filter receives a `cqExtUnit` only with `enableConsumeQueueExt` (see
 *   `consumequeue/consume-queue-ext.ts`), and only when its ext unit could be read.
 *
 * @mirrors org.apache.rocketmq.store.MessageStore
 * @mirrors org.apache.rocketmq.store.MessageFilter
 * @mirrors org.apache.rocketmq.store.MessageArrivingListener
 * @article pull-consume-1 "The store's side of a pull"
 * @category Store
 * @module
 */
import type { MessageExt, MessageExtBrokerInner } from '../common/message/message-ext.js';
import type { QueryMessageResult } from './query-message.js';
import type { GetMessageResult, PutMessageResult, SelectMappedBufferResult } from './results.js';
import type { ScheduleMessageService } from './schedule/schedule-message-service.js';

/**
 * A consume-queue ext unit (Java `ConsumeQueueExt.CqExtUnit`): what a unit's tags-code field
 * points at when `enableConsumeQueueExt` is on. Its SIZE and BITMAP SIZE fields follow from
 * the bit map's length (see `consumequeue/consume-queue-ext.ts` for the bytes).
 */
export interface CqExtUnit {
  /** The message's tags code (what the 20-byte unit holds without ext). */
  readonly tagsCode: number;
  /** The record's store timestamp. */
  readonly msgStoreTime: number;
  /** The SQL92 bloom bits the CalcBitMap dispatcher set; `undefined` when it computed none (Java: null). */
  readonly filterBitMap: Uint8Array | undefined;
}

/**
 * Decides which messages a pull returns. The store asks twice: first with the 20-byte
 * consume-queue unit's tags code (cheap: no commit-log read), then with the record itself
 * (SQL92 filters need its properties). Java: `MessageFilter`.
 */
export interface MessageFilter {
  /**
   * `tagsCode` is the unit's tags code (`undefined` when Java would pass null: an unreadable
   * ext address); `cqExtUnit` its ext unit, when ext is on and the unit could be read.
   */
  isMatchedByConsumeQueue(tagsCode: number | undefined, cqExtUnit?: CqExtUnit): boolean;
  /** `msgBuffer` is the whole raw record; `properties` its decoded properties when the caller has them. */
  isMatchedByCommitLog(msgBuffer: Uint8Array, properties?: ReadonlyMap<string, string>): boolean;
}

/**
 * Told about every message that became visible in a consume queue, so held pulls (long
 * polling) can be answered at once. Java: `MessageArrivingListener`.
 */
export interface MessageArrivingListener {
  /**
   * @param logicOffset the queue's new max offset: the message's queue offset + 1
   * @param properties the record's properties (`undefined` when it has none)
   * @param filterBitMap the SQL92 bit map, when a CalcBitMap dispatcher computed one
   */
  arriving(
    topic: string,
    queueId: number,
    logicOffset: number,
    tagsCode: number,
    msgStoreTime: number,
    properties: ReadonlyMap<string, string> | undefined,
    filterBitMap?: Uint8Array,
  ): void;
}

/** The store as the broker sees it. Java: `MessageStore`. */
export interface MessageStore {
  // --- lifecycle ---------------------------------------------------------------------
  /**
   * Open the files and recover (normally, or abnormally when the abort file is left over).
   * False on failure (a disk error, a segment of the wrong size); never throws on what it
   * finds on disk, and repairs damaged derived files from the commit log.
   */
  load(): boolean;
  /**
   * Dispatch what recovery left behind, start the services, create the abort file. Throws
   * a FileSystemError only when the abort file cannot be written.
   */
  start(): void;
  /** Stop the services, flush everything, delete the abort file if the store is consistent. */
  shutdown(): void;
  /** Delete every file of the store. */
  destroy(): void;

  // --- put -------------------------------------------------------------------------------
  /** Store one message; resolves once it is as durable as the flush mode asks. */
  putMessage(msg: MessageExtBrokerInner): Promise<PutMessageResult>;
  /** Store a batch (a MessageExtBrokerInner whose body is a batch body). */
  putMessages(batch: MessageExtBrokerInner): Promise<PutMessageResult>;

  // --- pull ------------------------------------------------------------------------------
  /** Read up to `maxMsgNums` messages from queue offset `offset`; `undefined` when shut down. Garbage units are skipped, never served. */
  getMessage(group: string, topic: string, queueId: number, offset: number, maxMsgNums: number, filter?: MessageFilter): GetMessageResult | undefined;
  /** The next queue offset to be written (0 for an unknown queue). */
  getMaxOffsetInQueue(topic: string, queueId: number): number;
  /** The first queue offset still readable (0 for an unknown queue). */
  getMinOffsetInQueue(topic: string, queueId: number): number;
  /** The physical offset unit `consumeQueueOffset` points at (0 when there is none). */
  getCommitLogOffsetInQueue(topic: string, queueId: number, consumeQueueOffset: number): number;
  /** The queue offset whose message was stored closest to `timestamp`. */
  getOffsetInQueueByTime(topic: string, queueId: number, timestamp: number): number;
  /** Store time of the oldest message in a queue, or -1. */
  getEarliestMessageTime(topic: string, queueId: number): number;
  /** Store time of the oldest message in the commit log, or -1. */
  getEarliestMessageTimeOfStore(): number;
  /** Store time of the message at `consumeQueueOffset`, or -1. */
  getMessageStoreTimeStamp(topic: string, queueId: number, consumeQueueOffset: number): number;
  /** Messages between the queue's min and max offset. */
  getMessageTotalInQueue(topic: string, queueId: number): number;
  /** Whether reading the message at `consumeOffset` would go to disk (the memory ratio rule). */
  checkInDiskByConsumeOffset(topic: string, queueId: number, consumeOffset: number): boolean;

  // --- lookups ---------------------------------------------------------------------------
  /** Messages indexed under `key` in `topic` and stored in `[begin, end]` (hash collisions included; only records that pass the recovery checks). */
  queryMessage(topic: string, key: string, maxNum: number, begin: number, end: number): QueryMessageResult;
  /** Decode the record at a physical offset. */
  lookMessageByOffset(commitLogOffset: number, size?: number): MessageExt | undefined;
  /** The raw record at a physical offset (VIEW_MESSAGE_BY_ID's body). */
  selectOneMessageByOffset(commitLogOffset: number, size?: number): SelectMappedBufferResult | undefined;
  /** The raw record an offset msgId (32 or 56 hex chars) points at, when it was stored here. */
  selectOneMessageByMsgId(msgId: string): SelectMappedBufferResult | undefined;

  // --- commit log, HA, housekeeping -----------------------------------------------------
  getMinPhyOffset(): number;
  getMaxPhyOffset(): number;
  /** Commit-log bytes from `offset` (the HA master's transfer source). */
  getCommitLogData(offset: number): SelectMappedBufferResult | undefined;
  /** Append the master's bytes as they are (HA slave). */
  appendToCommitLog(startOffset: number, data: Uint8Array, dataStart?: number, dataLength?: number): boolean;
  /** Commit-log bytes not yet turned into consume-queue units and index entries. */
  dispatchBehindBytes(): number;
  /** Commit and flush the commit log now; returns the flushed offset. */
  flush(): number;
  /** Delete the consume queues of topics not in `retainTopics`; returns how many queues went. */
  cleanUnusedTopic(retainTopics: ReadonlySet<string>): number;
  /** False while puts are refused (disk full, a failed write, shut down). */
  readonly isWriteable: boolean;
  /** Java `isOSPageCacheBusy`: never true here (no put lock to wait for). */
  isOSPageCacheBusy(): boolean;
  /** The listener the reput service calls for every new message (set by the broker before `start`). */
  messageArrivingListener: MessageArrivingListener | undefined;
  /** Delayed delivery and its per-level offsets (GET_ALL_DELAY_OFFSET); absent in a store without one. */
  readonly scheduleMessageService?: ScheduleMessageService;
}
