/**
 * FlushConsumeQueueService: makes consume-queue units durable every second, thoroughly
 * once a minute, and then records in the checkpoint how far they are durable.
 *
 * Consume queues are derived data: after a crash the reput service can rebuild any unit
 * from the commit log. So they are flushed lazily: a round every `flushIntervalConsumeQueue`
 * ms (1000) flushes only queues with at least `flushConsumeQueueLeastPages` (2) dirty 4 KiB
 * pages, and every `flushConsumeQueueThoroughInterval` ms (60 s) a thorough round flushes
 * every dirty byte and then the checkpoint, whose `logicsMsgTimestamp` tells abnormal
 * recovery how far back it must re-dispatch.
 *
 * ```
 *   t=1 s    thorough (the first round is)   snapshot logics ts -> flush all -> checkpoint
 *   t=2 s    queue A: 1 dirty page           skip
 *   t=3 s    queue A: 2 dirty pages          flush queue A
 *   ...
 *   t=61 s   thorough                        snapshot logics ts -> flush all -> checkpoint
 *   shutdown                                 flush all -> checkpoint
 * ```
 *
 * Why the snapshot? The dispatcher moves `dispatchedMsgTimestamp` forward after every unit
 * it appends. A thorough round reads it *before* the flush and copies it into the
 * checkpoint *after*, so the checkpoint never claims units that were appended while the
 * flush ran (and are not on disk). Java does the same with the checkpoint's own field,
 * which its dispatcher writes directly; that is safe there because a mapped unit is in the
 * page cache at once. Here units wait in write windows until a flush, so the checkpoint
 * learns the time from the table only through this round: anything a kill loses lies
 * after it, and abnormal recovery dispatches it again. (The index service also writes the
 * checkpoint file, and so must never find an unflushed time in it.)
 *
 * Java runs this loop on a thread of its own, so a round of syncs never holds up a put or a
 * pull. Here a running round syncs queue after queue with `flushAsync` (one fdatasync in
 * flight at a time, on libuv's pool) and the event loop keeps serving; a tick that finds
 * the last round still running skips. The thorough round after a busy minute may have a
 * hundred queues to sync, which done in place would stall every request for that long.
 *
 * Differences from RocketMQ 4.9.x:
 * - A round flushes up to three files per queue (a queue that rolled over needs two);
 *   Java's running rounds flush one and leave the next for the next round.
 * - Running rounds sync off the event loop as described above; the shutdown round syncs in place.
 * - The snapshot is taken from `ConsumeQueueTable.dispatchedMsgTimestamp`, not from the
 *   checkpoint (see above), and the shutdown round takes one too.
 * - A disk error goes to the `onIOError` hook and ends the round before the checkpoint is
 *   written (Java logs it; its checkpoint flush would not run either). A failed checkpoint
 *   write goes to the same hook: the file then keeps its previous, older values, which is
 *   safe (recovery only replays more).
 *
 * @mirrors org.apache.rocketmq.store.DefaultMessageStore.FlushConsumeQueueService
 * @article store "Flushing: async, sync, and group commit"
 * @emits store.consumequeue.flushed
 * @category Store
 * @module
 */
import type { MessageStoreConfig } from '../../common/config/message-store-config.js';
import { Service } from '../../common/service.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';
import type { StoreCheckpoint } from '../checkpoint/store-checkpoint.js';
import type { ConsumeQueueTable } from '../consumequeue/consume-queue-table.js';
import { MappedFileIOError } from '../mapped-file/mapped-file.js';

/** The config keys this service reads. A whole MessageStoreConfig fits. */
export type FlushConsumeQueueConfig = Pick<
  MessageStoreConfig,
  'flushIntervalConsumeQueue' | 'flushConsumeQueueLeastPages' | 'flushConsumeQueueThoroughInterval'
>;

export interface FlushConsumeQueueServiceOptions {
  readonly clock: Clock;
  readonly events: NodeEvents;
  readonly config: FlushConsumeQueueConfig;
  readonly consumeQueueTable: Pick<ConsumeQueueTable, 'flush' | 'flushAsync' | 'queues' | 'dispatchedMsgTimestamp'>;
  /** Thorough rounds set its `logicsMsgTimestamp` (from the table's snapshot) and persist it. */
  readonly checkpoint: Pick<StoreCheckpoint, 'logicsMsgTimestamp' | 'flush'>;
  /** Called when the disk refused a consume-queue or checkpoint write or sync; the round ends, the next retries. */
  readonly onIOError?: (error: MappedFileIOError) => void;
}

export class FlushConsumeQueueService extends Service {
  /** Java starts at 0 on the wall clock, so its first round is thorough; so is ours on any clock. */
  private lastFlushTimestamp = Number.NEGATIVE_INFINITY;
  /** The running round, while its syncs are in flight. */
  private inFlight: Promise<void> | undefined;
  /** Set by shutdown: a round still in flight then ends without touching anything. */
  private stopped = false;

  constructor(private readonly options: FlushConsumeQueueServiceOptions) {
    super(options.clock, 'FlushConsumeQueueService');
  }

  /** The first round runs one interval after start, as Java's loop waits before it flushes. */
  override start(initialDelayMs = this.options.config.flushIntervalConsumeQueue): void {
    super.start(initialDelayMs);
  }

  protected onTick(): number {
    if (this.inFlight === undefined) void this.runOnce();
    return this.options.config.flushIntervalConsumeQueue;
  }

  /**
   * One running round, as the service does every interval (tests call it directly); it
   * resolves when its syncs are done. While one runs, another call returns the same round.
   */
  runOnce(): Promise<void> {
    this.inFlight ??= this.doFlush().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Stop, then flush every dirty byte and the checkpoint in place (Java's last `doFlush(RETRY_TIMES_OVER)`). */
  override shutdown(): void {
    super.shutdown();
    this.stopped = true;
    const { consumeQueueTable } = this.options;
    const before = flushCursors(consumeQueueTable);
    const logicsMsgTimestamp = consumeQueueTable.dispatchedMsgTimestamp;
    if (this.guarded(() => consumeQueueTable.flush(0))) this.finishRound(before, true, logicsMsgTimestamp);
  }

  /** A running round (Java `doFlush`); thorough every `flushConsumeQueueThoroughInterval`. */
  private async doFlush(): Promise<void> {
    const { config, consumeQueueTable } = this.options;
    let leastPages = config.flushConsumeQueueLeastPages;
    let logicsMsgTimestamp = 0;
    const now = this.clock.now();
    const thorough = now >= this.lastFlushTimestamp + config.flushConsumeQueueThoroughInterval;
    if (thorough) {
      this.lastFlushTimestamp = now;
      leastPages = 0;
      logicsMsgTimestamp = consumeQueueTable.dispatchedMsgTimestamp; // the snapshot: see the header
    }
    const before = flushCursors(consumeQueueTable);
    try {
      await consumeQueueTable.flushAsync(leastPages);
    } catch (error) {
      if (!(error instanceof MappedFileIOError)) throw error;
      if (!this.stopped) this.options.onIOError?.(error); // after shutdown the files were closed under it
      return; // the checkpoint must not claim units that may not be on disk
    }
    if (this.stopped) return; // shutdown flushed everything and wrote the checkpoint meanwhile
    this.finishRound(before, thorough, logicsMsgTimestamp);
  }

  /**
   * After a round's syncs succeeded: report what they moved, and on a thorough round give the
   * checkpoint the time snapshotted before the syncs, then write it.
   */
  private finishRound(before: Map<FlushedQueue, number>, thorough: boolean, logicsMsgTimestamp: number): void {
    const moved = movedSince(before);
    if (moved.bytes > 0) this.options.events.emit('store.consumequeue.flushed', { thorough, ...moved });
    if (!thorough) return;
    const { checkpoint } = this.options;
    if (logicsMsgTimestamp > 0) checkpoint.logicsMsgTimestamp = logicsMsgTimestamp;
    this.guarded(() => checkpoint.flush());
  }

  /** Run a disk step; a MappedFileIOError goes to `onIOError` (Java logs it and tries again next round). False when it failed. */
  private guarded(step: () => void): boolean {
    try {
      step();
      return true;
    } catch (error) {
      if (!(error instanceof MappedFileIOError)) throw error;
      this.options.onIOError?.(error);
      return false;
    }
  }
}

type FlushedQueue = { readonly mappedFileQueue: { readonly flushedWhere: number } };

/** Every queue's flush cursor before a round, to tell what the round moved. */
function flushCursors(table: Pick<ConsumeQueueTable, 'queues'>): Map<FlushedQueue, number> {
  const cursors = new Map<FlushedQueue, number>();
  for (const queue of table.queues()) cursors.set(queue, queue.mappedFileQueue.flushedWhere);
  return cursors;
}

/** How many queues a round moved, and by how many bytes in all. */
function movedSince(before: Map<FlushedQueue, number>): { queues: number; bytes: number } {
  let queues = 0;
  let bytes = 0;
  for (const [queue, flushedWhere] of before) {
    const moved = queue.mappedFileQueue.flushedWhere - flushedWhere;
    if (moved > 0) {
      queues++;
      bytes += moved;
    }
  }
  return { queues, bytes };
}
