/**
 * Event payloads of the message store (commit log, flush, dispatch, consume queues,
 * recovery). Filled in by the store; see `src/store/`.
 *
 * Offsets follow the store's vocabulary: `physOffset` is a byte offset in the whole commit
 * log, `fileFromOffset` the offset a segment file starts at (its name), `position` a byte
 * position inside one file, `queueOffset` an entry index in a consume queue. `queue` names
 * a log in `mappedfile` events: `'commitlog'` or `'consumequeue/<topic>/<queueId>'`.
 *
 * @article store "The put path"
 * @category Events
 * @module
 */

/** The flush modes as they appear in events. */
export type FlushModeName = 'ASYNC_FLUSH' | 'SYNC_FLUSH' | 'shutdown';

/**
 * The variable parts of one stored record, for the viz's byte view. With IPv4 hosts a record
 * is 91 fixed bytes + bodyLength + topicLength + propertiesLength (the layout is drawn in
 * `src/store/commitlog/message-encoder.ts`).
 */
export interface CommitLogRecordFields {
  bodyCRC: number;
  flag: number;
  sysFlag: number;
  bornTimestamp: number;
  bornHost: string;
  storeHost: string;
  reconsumeTimes: number;
  preparedTransactionOffset: number;
  bodyLength: number;
  topicLength: number;
  propertiesLength: number;
  /** The properties as stored, name → value (TAGS, KEYS, UNIQ_KEY, DELAY, REAL_TOPIC, ...). */
  properties: Record<string, string>;
}

export interface StoreEventMap {
  /**
   * A segment file was created and preallocated (Java `MappedFileQueue.getLastMappedFile`
   * with create). The viz adds a segment box to the log named `queue`.
   */
  'store.mappedfile.created': { queue: string; fileName: string; fileFromOffset: number; fileSize: number };
  /**
   * A segment file was deleted: `expired` by the cleaners, `truncated` by recovery, or
   * `destroyed` with its whole queue. The viz removes the box.
   */
  'store.mappedfile.deleted': { queue: string; fileName: string; fileFromOffset: number; reason: 'expired' | 'truncated' | 'destroyed' };
  /**
   * A record (or a batch of `msgNum` records) was appended to the commit log's write
   * window (Java `CommitLog.asyncPutMessage`, inside the put lock). `wrote` is the segment's
   * write position afterwards; `queueOffset` is the first message's consume-queue offset.
   * The envelope's `msg` carries the message keys. The viz grows the segment's wrote bar,
   * and draws the record's fields from `record` (a single message; absent for a batch).
   */
  'store.commitlog.appended': {
    physOffset: number;
    size: number;
    fileFromOffset: number;
    wrote: number;
    topic: string;
    queueId: number;
    queueOffset: number;
    msgNum: number;
    storeTimestamp: number;
    record?: CommitLogRecordFields;
  };
  /**
   * A record did not fit the rest of its segment, so a BLANK record (`size` bytes from
   * `physOffset` to the end of the file) closed it (END_OF_FILE); the put retries in the
   * next file. The viz hatches the tail of the segment.
   */
  'store.commitlog.blank-filled': { fileFromOffset: number; physOffset: number; size: number };
  /**
   * Written bytes moved from the write window to the file (page cache) in one write per
   * file: everything before `committedWhere` now survives a process kill. Fired by the
   * commit service after a batch of puts. The viz moves the committed marker.
   */
  'store.commitlog.committed': { committedWhere: number; bytes: number };
  /**
   * A put with WAIT=true asked the group commit to flush up to `nextOffset` (Java
   * `GroupCommitService.putRequest`). `waiting` counts requests not yet answered,
   * including this one. The viz queues a token under the flush lane.
   */
  'store.flush.requested': { nextOffset: number; waiting: number };
  /**
   * An fdatasync finished and everything before `flushedWhere` is on disk (Java
   * `MappedFileQueue.flush`). `bytes` is how far the cursor moved; `thorough` says the
   * page threshold was ignored. The viz moves the flushed marker.
   */
  'store.flush.completed': { mode: FlushModeName; flushedWhere: number; bytes: number; thorough: boolean };
  /**
   * A group of `requests` group-commit requests was answered with `status` (PUT_OK once
   * `flushedWhere` passed their `nextOffset`, FLUSH_DISK_TIMEOUT when `syncFlushTimeout`
   * ran out). `nextOffsetMax` is the largest offset the group waited for. The viz releases
   * the tokens together: that is the "group" in group commit.
   */
  'store.groupcommit.acked': { requests: number; status: 'PUT_OK' | 'FLUSH_DISK_TIMEOUT'; flushedWhere: number; nextOffsetMax: number };
  /**
   * A 20-byte unit was appended to a consume queue (Java `ConsumeQueue.putMessagePositionInfo`).
   * `filled` counts filler units written first to close a hole (usually 0). The viz adds a
   * cell to the queue's strip with an arrow to `physOffset`.
   */
  'store.consumequeue.appended': { topic: string; queueId: number; queueOffset: number; physOffset: number; size: number; tagsCode: number; filled: number };
  /**
   * The store refused further puts because a disk operation failed (a full disk, an IO
   * error). Puts answer SERVICE_NOT_AVAILABLE from now on. The viz turns the store red.
   */
  'store.io.failed': { operation: string; path: string; error: string };

  // ----- emitted by the dispatch and recovery code (declared here so the schema is whole) -----

  /**
   * The reput service decoded the record at `physOffset` and ran the dispatchers on it
   * (Java `ReputMessageService.doReput`): consume queue (when `queueOffset` is set) and index.
   * `reputFromOffset` is where the next record starts. The viz draws the record's copy into
   * its consume queue.
   */
  'store.reput.dispatched': {
    physOffset: number;
    size: number;
    topic: string;
    queueId: number;
    queueOffset?: number;
    tagsCode: number;
    storeTimestamp: number;
    reputFromOffset: number;
  };
  /**
   * The reput service told the long-polling listener that queue `topic`/`queueId` now ends
   * at `maxQueueOffset` (Java `MessageArrivingListener.arriving`; fired only when a listener
   * is set, for NOT and COMMIT records, and not on a slave). The viz pulses the queue.
   */
  'store.message.arrived': { topic: string; queueId: number; maxQueueOffset: number; tagsCode: number; storeTimestamp: number };
  /**
   * Recovery began walking the commit log at `fromOffset` (the start of the file it trusts
   * from): the third-last file after a clean shutdown (`normal`), or the newest file whose
   * first message is older than `checkpointTimestamp` after a crash (`abnormal`; Java
   * `isMappedFileMatchedRecover`). The viz marks where the replay starts.
   */
  'store.recovery.started': { mode: 'normal' | 'abnormal'; fromOffset: number; checkpointTimestamp: number };
  /**
   * Recovery cut the log named `queue` back from `fromOffset` to `toOffset` (Java
   * `truncateDirtyFiles` / `truncateDirtyLogicFiles`); the bytes in between were torn or
   * not durable. For `'commitlog'`, `fromOffset` is the end of the files found on disk; for
   * `'consumequeue'` both are commit-log offsets: the queues pointed up to `fromOffset`, and
   * every unit pointing at or past `toOffset` was removed. The viz greys out the cut range.
   */
  'store.recovery.truncated': { queue: string; fromOffset: number; toOffset: number; mode: 'normal' | 'abnormal' };
  /**
   * Recovery finished (Java `DefaultMessageStore.recover`): the commit log spans
   * `[minPhysOffset, maxPhysOffset)`, `consumeQueues` queues were checked, `redispatched`
   * records were dispatched again (abnormal recovery), and the topic queue table was rebuilt.
   */
  'store.recovery.completed': {
    mode: 'normal' | 'abnormal';
    minPhysOffset: number;
    maxPhysOffset: number;
    consumeQueues: number;
    redispatched: number;
  };
}
