/**
 * ConsumeQueueTable: every consume queue of the store, by topic and queue id, created on
 * first use.
 *
 * A broker has one consume queue per (topic, queue id): `consumequeue/TopicA/0`,
 * `consumequeue/TopicA/1`, ... The reput service looks a queue up for every record it
 * dispatches, the pull path for every pull, recovery and the cleaners walk all of them.
 * Java keeps this table inside `DefaultMessageStore`; here it is a class of its own, so the
 * store façade only wires it.
 *
 * ```
 *   table:  "TopicA" -> { 0 -> ConsumeQueue, 1 -> ConsumeQueue, ... }
 *           "%RETRY%group" -> { 0 -> ConsumeQueue }
 *   dispatchedMsgTimestamp: store time of the newest record given a unit (for the checkpoint)
 * ```
 *
 * All queues share one {@link WriteBufferPool}, so only queues being written hold a window.
 * With `enableConsumeQueueExt` every queue gets its `ConsumeQueueExt` (its windows come
 * from a second pool), and the ext files are loaded, committed, flushed, closed and
 * deleted together with the queue's own.
 *
 * Differences from RocketMQ 4.9.x:
 * - A separate class; Java's `findConsumeQueue`, `loadConsumeQueue`,
 *   `recoverConsumeQueue` and `recoverTopicQueueTable` live in `DefaultMessageStore`.
 * - Units wait in their queue's write window until it is full or a flush round writes them
 *   (Java's units are in the page cache at once). A kill loses the waiting ones, and abnormal
 *   recovery dispatches them again: the checkpoint's logics time comes from
 *   {@link ConsumeQueueTable.dispatchedMsgTimestamp} only once a flush covered it.
 *
 * @mirrors org.apache.rocketmq.store.DefaultMessageStore#consumeQueueTable
 * @mirrors org.apache.rocketmq.store.DefaultMessageStore#findConsumeQueue
 * @article store "ConsumeQueue: 20 bytes per message"
 * @category Store
 * @module
 */
import { getMappedFileSizeConsumeQueue, type MessageStoreConfig } from '../../common/config/message-store-config.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';
import { joinPath, type FileSystem } from '../../platform/storage.js';
import type { TopicQueueTable } from '../commitlog/topic-queue-table.js';
import { MappedFileIOError } from '../mapped-file/mapped-file.js';
import { WriteBufferPool } from '../mapped-file/write-buffer-pool.js';
import { getStorePathConsumeQueue } from '../store-path.js';
import { ConsumeQueue } from './consume-queue.js';
import { ConsumeQueueExt } from './consume-queue-ext.js';

/** Java `FlushConsumeQueueService`'s `retryTimes`. */
const FLUSH_RETRY_TIMES = 3;

export interface ConsumeQueueTableOptions {
  readonly fs: FileSystem;
  readonly clock: Clock;
  readonly events: NodeEvents;
  readonly config: Pick<MessageStoreConfig, 'storePathRootDir' | 'mappedFileSizeConsumeQueue' | 'consumeQueueWriteBufferBytes'>
    & Partial<Pick<MessageStoreConfig, 'enableConsumeQueueExt' | 'mappedFileSizeConsumeQueueExt'>>;
  /** Java `CommitLog.pickupStoreTimestamp`, for `getOffsetInQueueByTime`. */
  readonly pickupStoreTimestamp: (physicalOffset: number, size: number) => number;
  /** The commit log's min offset. */
  readonly getMinPhyOffset: () => number;
  /** Told when a queue's close hit a disk error (the store refuses puts from then on). */
  readonly onIOError?: (error: MappedFileIOError) => void;
}

export class ConsumeQueueTable {
  private readonly table = new Map<string, Map<number, ConsumeQueue>>();
  private readonly pool: WriteBufferPool;
  /** Windows of the ext files; `undefined` when ext is off. */
  private readonly extPool: WriteBufferPool | undefined;
  private readonly mappedFileSize: number;
  /**
   * Store time of the newest record the dispatcher gave a unit (Java writes it straight into
   * the checkpoint). `FlushConsumeQueueService` copies it there after a round made every
   * unit up to it durable, so the checkpoint never claims a unit still in a window.
   */
  dispatchedMsgTimestamp = 0;

  constructor(private readonly options: ConsumeQueueTableOptions) {
    this.mappedFileSize = getMappedFileSizeConsumeQueue(options.config);
    const windowBytes = Math.min(this.mappedFileSize, Math.max(20, options.config.consumeQueueWriteBufferBytes - (options.config.consumeQueueWriteBufferBytes % 20)));
    this.pool = new WriteBufferPool(windowBytes, 16);
    const { enableConsumeQueueExt, mappedFileSizeConsumeQueueExt } = options.config;
    if (enableConsumeQueueExt === true && mappedFileSizeConsumeQueueExt !== undefined) {
      this.extPool = new WriteBufferPool(Math.min(mappedFileSizeConsumeQueueExt, Math.max(windowBytes, 4096)), 16);
    }
  }

  /** The queue for `topic`/`queueId`, created (with no files yet) when missing. Java `findConsumeQueue`. */
  findConsumeQueue(topic: string, queueId: number): ConsumeQueue {
    let queues = this.table.get(topic);
    if (queues === undefined) {
      queues = new Map();
      this.table.set(topic, queues);
    }
    let queue = queues.get(queueId);
    if (queue === undefined) {
      queue = this.create(topic, queueId);
      queues.set(queueId, queue);
    }
    return queue;
  }

  /** The queue if it exists; never creates one (the pull path uses this). */
  getConsumeQueue(topic: string, queueId: number): ConsumeQueue | undefined {
    return this.table.get(topic)?.get(queueId);
  }

  /** Every queue, topic by topic. */
  *queues(): IterableIterator<ConsumeQueue> {
    for (const queues of this.table.values()) yield* queues.values();
  }

  /** The queues of one topic (empty when none). */
  queuesOf(topic: string): ReadonlyMap<number, ConsumeQueue> {
    return this.table.get(topic) ?? new Map();
  }

  private create(topic: string, queueId: number): ConsumeQueue {
    const { fs, clock, events, config } = this.options;
    const storePathRootDir = config.storePathRootDir;
    const consumeQueueExt = this.extPool === undefined ? undefined : new ConsumeQueueExt({
      topic, queueId, fs, clock, events, storePathRootDir, mappedFileSize: config.mappedFileSizeConsumeQueueExt!, writeBufferPool: this.extPool,
    });
    return new ConsumeQueue({
      topic, queueId, fs, clock, events, storePathRootDir, mappedFileSize: this.mappedFileSize, consumeQueueExt,
      writeBufferPool: this.pool, pickupStoreTimestamp: this.options.pickupStoreTimestamp, getMinPhyOffset: this.options.getMinPhyOffset,
    });
  }

  /**
   * Open every queue found under `consumequeue/<topic>/<queueId>/` (Java `loadConsumeQueue`).
   * Directory names that are not queue ids are skipped. False when a queue fails to load.
   */
  load(): boolean {
    const root = getStorePathConsumeQueue(this.options.config.storePathRootDir);
    for (const topic of this.options.fs.list(root)) {
      if (!this.options.fs.isDirectory(joinPath(root, topic))) continue;
      for (const name of this.options.fs.list(joinPath(root, topic))) {
        if (!/^[0-9]{1,10}$/.test(name)) continue;
        if (!this.findConsumeQueue(topic, Number(name)).load()) return false;
      }
    }
    return true;
  }

  /**
   * Recover every queue; returns the largest record end any of them points at, or -1 (Java
   * `recoverConsumeQueue`). A unit pointing past `phyLimit` (the loaded commit log's end) is garbage.
   */
  recover(phyLimit = Number.POSITIVE_INFINITY): number {
    let maxPhysicOffset = -1;
    for (const queue of this.queues()) {
      queue.recover(phyLimit);
      maxPhysicOffset = Math.max(maxPhysicOffset, queue.maxPhysicOffset);
    }
    return maxPhysicOffset;
  }

  /**
   * Fill the commit log's topic queue table from every queue's max offset, and move each
   * queue's min offset up to the commit log's min offset (Java `recoverTopicQueueTable`).
   */
  recoverTopicQueueTable(topicQueueTable: TopicQueueTable, minPhyOffset: number): void {
    topicQueueTable.clear();
    for (const queue of this.queues()) {
      topicQueueTable.set(queue.topic, queue.queueId, queue.getMaxOffsetInQueue());
      queue.correctMinOffset(minPhyOffset);
    }
  }

  /** Cut every queue back to units pointing below `phyOffset`. */
  truncateDirtyLogicFiles(phyOffset: number): void {
    for (const queue of this.queues()) queue.truncateDirtyLogicFiles(phyOffset);
  }

  /**
   * Flush every queue that has `flushLeastPages` dirty pages (Java
   * `FlushConsumeQueueService.doFlush`: up to 3 calls per queue, one file per call).
   */
  flush(flushLeastPages: number): void {
    for (const queue of this.queues()) {
      for (let i = 0; i < FLUSH_RETRY_TIMES && queue.flush(flushLeastPages); i++) {
        // the next call flushes the next file, if the last one rolled over
      }
    }
  }

  /**
   * {@link flush} with each fdatasync off the thread, one at a time, queue after queue. A
   * queue created or removed while it runs is picked up by the next round.
   */
  async flushAsync(flushLeastPages: number): Promise<void> {
    for (const queue of [...this.queues()]) {
      for (let i = 0; i < FLUSH_RETRY_TIMES && (await queue.flushAsync(flushLeastPages)); i++) {
        // as in flush: the next call syncs the next file
      }
    }
  }

  /** Delete the files of every queue that only point below the commit log's min offset; returns how many. */
  deleteExpiredFiles(minPhyOffset: number): number {
    let count = 0;
    for (const queue of this.queues()) count += queue.deleteExpiredFile(minPhyOffset);
    return count;
  }

  /** Delete one queue's files and forget it (Java `cleanUnusedTopic`, per queue). */
  removeQueue(topic: string, queueId: number): void {
    const queue = this.getConsumeQueue(topic, queueId);
    if (queue === undefined) return;
    queue.destroy();
    const queues = this.table.get(topic)!;
    queues.delete(queueId);
    if (queues.size === 0) this.table.delete(topic);
  }

  /**
   * The physical offset from which the commit log must be dispatched again to rebuild the
   * queues recover() found garbage in (and `alsoQueues`): the end of the last record the
   * most behind of them still points at (-1: from the start of the log). `undefined`: none.
   */
  damagedFrom(alsoQueues: Iterable<ConsumeQueue> = []): number | undefined {
    let from: number | undefined;
    for (const queue of [...this.queues()].filter((q) => q.damaged).concat([...alsoQueues])) {
      from = Math.min(from ?? queue.maxPhysicOffset, queue.maxPhysicOffset);
    }
    return from;
  }

  /** Commit and close every queue's files (store shutdown). A disk error goes to `onIOError`; the other queues still close. */
  shutdown(): void {
    for (const queue of this.queues()) {
      for (const files of [queue.consumeQueueExt, queue.mappedFileQueue]) {
        try {
          files?.shutdown();
        } catch (error) {
          if (!(error instanceof MappedFileIOError)) throw error;
          this.options.onIOError?.(error);
        }
      }
    }
  }

  /** Delete every queue (Java `destroyLogics`). */
  destroy(): void {
    for (const queue of this.queues()) queue.destroy();
    this.table.clear();
  }
}
