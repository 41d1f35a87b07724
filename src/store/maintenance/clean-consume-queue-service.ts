/**
 * CleanConsumeQueueService: after commit-log segments are deleted, deletes the
 * consume-queue files and index files that now point only at deleted data.
 *
 * Consume queues and the index are derived from the commit log, so they need no retention
 * rule of their own: they follow the commit log's min offset. A consume-queue file goes
 * when its *last* unit points below that offset (then every unit in it does, since units
 * are in commit-log order); an index file goes when its end offset is below it. The first
 * file still pointing at live data stays, even if its first units are dead: the queue's
 * min offset moves past those instead.
 *
 * ```
 *   commit log     [ deleted | deleted | 8192 ......... | 12288 ....... ]   minOffset 8192
 *   CQ TopicA-0    [ u0..u9 -> 0..3900 ]  [ u10..u19 -> 4000..8100 ]  [ u20.. -> 8200.. ]
 *                    last unit 3900 < 8192  last unit 8100 < 8192     last unit >= 8192
 *                    delete                 delete                    keep
 * ```
 *
 * It runs right after CleanCommitLogService, on the same schedule (Java runs both from one
 * scheduled task, `cleanFilesPeriodically`, commit log first). Start this service after
 * that one with the same delays: timers due at the same instant fire in the order they were
 * set, so each round sees the commit log already cleaned. If it ever ran first, it would
 * simply catch up one round later.
 *
 * Differences from RocketMQ 4.9.x:
 * - No sleep of `deleteConsumeQueueFilesInterval` between queues: a round runs to
 *   completion on the one thread.
 * - A service of its own on the Clock rather than a plain runnable inside another task.
 * - A disk error while deleting goes to the `onIOError` hook and the next round tries
 *   again; Java logs it and does not retry until the commit log's min offset moves again.
 *
 * @mirrors org.apache.rocketmq.store.DefaultMessageStore.CleanConsumeQueueService
 * @article store "Deleting expired files"
 * @emits store.clean.files-deleted
 * @category Store
 * @module
 */
import type { MessageStoreConfig } from '../../common/config/message-store-config.js';
import { Service } from '../../common/service.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';
import type { CommitLog } from '../commitlog/commit-log.js';
import type { ConsumeQueueTable } from '../consumequeue/consume-queue-table.js';
import type { IndexService } from '../index/index-service.js';
import { MappedFileIOError } from '../mapped-file/mapped-file.js';
import { CLEAN_RESOURCE_INITIAL_DELAY_MS } from './clean-commit-log-service.js';

export interface CleanConsumeQueueServiceOptions {
  readonly clock: Clock;
  readonly events: NodeEvents;
  readonly config: Pick<MessageStoreConfig, 'cleanResourceInterval'>;
  /** Only its min offset is read: the first byte still kept. */
  readonly commitLog: Pick<CommitLog, 'getMinOffset'>;
  readonly consumeQueueTable: Pick<ConsumeQueueTable, 'deleteExpiredFiles'>;
  readonly indexService: Pick<IndexService, 'deleteExpiredFile' | 'indexFiles'>;
  /** Called when the disk refused to delete a consume-queue file; the next round retries. */
  readonly onIOError?: (error: MappedFileIOError) => void;
}

/** What one round deleted. */
export interface CleanConsumeQueueRound {
  /** The commit log's min offset the round followed. */
  readonly minOffset: number;
  readonly consumeQueueFiles: number;
  readonly indexFiles: number;
}

export class CleanConsumeQueueService extends Service {
  /** The commit-log min offset of the last round that cleaned; a round with no newer one does nothing. */
  private lastPhysicalMinOffset = 0;

  constructor(private readonly options: CleanConsumeQueueServiceOptions) {
    super(options.clock, 'CleanConsumeQueueService');
  }

  /** The first round runs `CLEAN_RESOURCE_INITIAL_DELAY_MS` after start, as Java schedules it. */
  override start(initialDelayMs = CLEAN_RESOURCE_INITIAL_DELAY_MS): void {
    super.start(initialDelayMs);
  }

  protected onTick(): number {
    this.runOnce();
    return this.options.config.cleanResourceInterval;
  }

  /** One round (Java `deleteExpiredFiles`): only when the commit log's min offset moved up. */
  runOnce(): CleanConsumeQueueRound {
    const { commitLog, consumeQueueTable, indexService, events } = this.options;
    const minOffset = commitLog.getMinOffset();
    if (minOffset <= this.lastPhysicalMinOffset) return { minOffset, consumeQueueFiles: 0, indexFiles: 0 };
    this.lastPhysicalMinOffset = minOffset;

    let consumeQueueFiles = 0;
    try {
      consumeQueueFiles = consumeQueueTable.deleteExpiredFiles(minOffset);
    } catch (error) {
      if (!(error instanceof MappedFileIOError)) throw error;
      this.options.onIOError?.(error);
      this.lastPhysicalMinOffset = 0; // Java would not retry until the min offset moves again; we do
    }
    if (consumeQueueFiles > 0) {
      events.emit('store.clean.files-deleted', { target: 'consumequeue', count: consumeQueueFiles, minOffset, reason: 'expired' });
    }
    const indexBefore = indexService.indexFiles.length;
    try {
      indexService.deleteExpiredFile(minOffset);
    } catch (error) {
      if (!(error instanceof MappedFileIOError)) throw error;
      this.options.onIOError?.(error); // the file is out of the list; its bytes stay on disk
    }
    const indexFiles = indexBefore - indexService.indexFiles.length;
    if (indexFiles > 0) events.emit('store.clean.files-deleted', { target: 'index', count: indexFiles, minOffset, reason: 'expired' });
    return { minOffset, consumeQueueFiles, indexFiles };
  }
}
