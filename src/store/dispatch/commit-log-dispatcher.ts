/**
 * CommitLogDispatcher: one consumer of decoded commit-log records, and the two the store
 * always runs (build the consume queue, build the index).
 *
 * Every record that reaches the commit log is read back once by the reput service (and
 * again by abnormal recovery), decoded into a {@link DispatchRequest}, and handed to each
 * dispatcher in order. The dispatchers own the derived data:
 *
 * ```
 *   DispatchRequest ──► [CalcBitMap]          (broker-added, first; SQL92 bit maps into request.bitMap)
 *                   ──► BuildConsumeQueue      NOT / COMMIT records only: one 20-byte unit
 *                                              (+ one ext unit with the bit map, when ext is on)
 *                   ──► BuildIndex             every record but ROLLBACK: UNIQ_KEY and KEYS
 * ```
 *
 * Both built-in dispatchers are idempotent (a unit or an index entry already written is
 * skipped), which is what makes re-dispatch after a restart safe.
 *
 * A dispatcher lets an IO failure (a `MappedFileIOError`, from a consume-queue file, an
 * index file or the checkpoint) propagate: the reput service catches it, stops at that
 * record and tries again later, so no record is ever skipped because a disk hiccuped.
 * The index buffers its puts in memory (index-file.ts): a put that finds its buffer full
 * writes it first, and fails, changing nothing, when that write does.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java retries a failed consume-queue put 30 times, one second apart, inside the
 *   dispatcher, then marks the queue broken and moves on (leaving a hole); here the failure
 *   goes up to the reput service, which retries the whole record later.
 * - The consume-queue dispatcher records the store time in
 *   `ConsumeQueueTable.dispatchedMsgTimestamp`, not in the checkpoint: the units may still
 *   be in their write windows, and only a flush round may move the checkpoint past them.
 * - No LMQ multi-dispatch.
 *
 * @mirrors org.apache.rocketmq.store.CommitLogDispatcher
 * @mirrors org.apache.rocketmq.store.DefaultMessageStore.CommitLogDispatcherBuildConsumeQueue
 * @mirrors org.apache.rocketmq.store.DefaultMessageStore.CommitLogDispatcherBuildIndex
 * @article store "Dispatch: deriving queues from the log"
 * @category Store
 * @module
 */
import { BrokerRole, type MessageStoreConfig } from '../../common/config/message-store-config.js';
import type { StoreCheckpoint } from '../checkpoint/store-checkpoint.js';
import { isConsumableTransactionType } from '../commitlog/default-append-message-callback.js';
import type { ConsumeQueueTable } from '../consumequeue/consume-queue-table.js';
import type { IndexService } from '../index/index-service.js';
import type { DispatchRequest } from './dispatch-request.js';

/** Consumes each decoded record. Java: `CommitLogDispatcher`. */
export interface CommitLogDispatcher {
  /** Called with every valid record (never a BLANK, never a failure). May throw MappedFileIOError. */
  dispatch(request: DispatchRequest): void;
}

/** What {@link CommitLogDispatcherBuildConsumeQueue} needs. */
export interface BuildConsumeQueueOptions {
  readonly consumeQueueTable: ConsumeQueueTable;
  /** On a slave its physic timestamp follows the dispatched records (the logics one moves with CQ flushes). */
  readonly checkpoint: StoreCheckpoint;
  readonly config: Pick<MessageStoreConfig, 'brokerRole'>;
}

/** Appends one consume-queue unit for every NOT and COMMIT record. */
export class CommitLogDispatcherBuildConsumeQueue implements CommitLogDispatcher {
  constructor(private readonly options: BuildConsumeQueueOptions) {}

  dispatch(request: DispatchRequest): void {
    // PREPARED and ROLLBACK records are not consumable: a half message becomes visible only
    // through its COMMIT record, which is a record of its own.
    if (!isConsumableTransactionType(request.sysFlag)) return;
    const queue = this.options.consumeQueueTable.findConsumeQueue(request.topic, request.queueId);
    const storeTimestamp = request.storeTimestamp;
    // Java's putMessagePositionInfoWrapper: with ext on, store time and bit map go to the ext unit.
    const ext = queue.consumeQueueExt === undefined ? undefined
      : { msgStoreTime: Number.isSafeInteger(storeTimestamp) ? storeTimestamp : 0, filterBitMap: request.bitMap };
    queue.putMessagePositionInfo(request.commitLogOffset, request.msgSize, request.tagsCode, request.consumeQueueOffset, ext);
    // A record with a nonsense time (it passed the format checks anyway) must not poison the checkpoint.
    if (!Number.isSafeInteger(storeTimestamp) || storeTimestamp <= 0) return;
    // Java: a slave has no flush of its own to report, so the consume queue speaks for the log.
    if (this.options.config.brokerRole === BrokerRole.SLAVE) this.options.checkpoint.physicMsgTimestamp = storeTimestamp;
    this.options.consumeQueueTable.dispatchedMsgTimestamp = storeTimestamp;
  }
}

/** What {@link CommitLogDispatcherBuildIndex} needs. */
export interface BuildIndexOptions {
  readonly indexService: IndexService;
  readonly config: Pick<MessageStoreConfig, 'messageIndexEnable'>;
}

/** Adds every record's keys to the index (when `messageIndexEnable`). */
export class CommitLogDispatcherBuildIndex implements CommitLogDispatcher {
  constructor(private readonly options: BuildIndexOptions) {}

  dispatch(request: DispatchRequest): void {
    if (this.options.config.messageIndexEnable) this.options.indexService.buildIndex(request);
  }
}
