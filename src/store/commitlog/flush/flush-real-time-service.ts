/**
 * FlushRealTimeService: the ASYNC_FLUSH flusher, an fdatasync of the commit log every
 * `flushIntervalCommitLog` ms when enough pages are dirty.
 *
 * With ASYNC_FLUSH (the default) a put answers PUT_OK as soon as its bytes are written;
 * making them durable is this service's job, off the put path. Syncing after every few
 * bytes would waste the disk, so a round flushes only when at least
 * `flushCommitLogLeastPages` 4 KiB pages are dirty, except that every
 * `flushCommitLogThoroughInterval` ms a *thorough* round flushes whatever is dirty, so a
 * trickle of small messages still reaches the disk within ten seconds.
 *
 * ```
 *   t=0      thorough round (leastPages 0)    -> flush everything dirty
 *   t=500    round (leastPages 4): 2 dirty     -> skip
 *   t=1000   round (leastPages 4): 5 dirty     -> flush
 *   ...
 *   t=10000  thorough round                    -> flush everything dirty, update the checkpoint time
 * ```
 *
 * A power cut loses at most the last interval's worth of puts: that is the deal ASYNC_FLUSH
 * makes. The fdatasync runs off the thread (`flushAsync`), one at a time.
 *
 * Differences from RocketMQ 4.9.x:
 * - The sync runs as `flushAsync` so the event loop keeps serving; a round that finds the
 *   previous one still in flight skips.
 * - A round flushes every file that needs it, not just the one at `flushedWhere`.
 * - Shutdown flushes synchronously until nothing is left (Java retries up to 10 times).
 *
 * @mirrors org.apache.rocketmq.store.CommitLog.FlushRealTimeService
 * @article store "Flushing: async, sync, and group commit"
 * @emits store.flush.completed
 * @category Store
 * @module
 */
import { Service } from '../../../common/service.js';
import type { NodeEvents } from '../../../events/event-sink.js';
import type { Clock } from '../../../platform/clock.js';
import { MappedFileIOError } from '../../mapped-file/mapped-file.js';
import type { MappedFileQueue } from '../../mapped-file/mapped-file-queue.js';

/** What a commit-log flush service needs; the same for both flush modes. */
export interface FlushServiceOptions {
  readonly clock: Clock;
  readonly mappedFileQueue: MappedFileQueue;
  readonly events: NodeEvents;
  /**
   * Called after a flush moved the cursor, with the store timestamp of the last record a
   * thorough flush covered (0 until one did). Java: `StoreCheckpoint.setPhysicMsgTimestamp`.
   */
  readonly onFlushed?: (storeTimestamp: number) => void;
  /** Called when the disk refused a flush; the commit log then refuses further puts. */
  readonly onIOError: (error: MappedFileIOError) => void;
}

/** The ASYNC_FLUSH knobs, under their broker.conf names. */
export interface FlushRealTimeConfig {
  readonly flushIntervalCommitLog: number;
  readonly flushCommitLogLeastPages: number;
  readonly flushCommitLogThoroughInterval: number;
  /** True: puts do not wake the flusher (Java sleeps); false: they do (Java waits on a notify). */
  readonly flushCommitLogTimed: boolean;
}

export class FlushRealTimeService extends Service {
  /** Java starts at 0 on the wall clock, so its first round is thorough; so is ours on any clock. */
  private lastFlushTimestamp = Number.NEGATIVE_INFINITY;
  private inFlight = false;

  constructor(private readonly options: FlushServiceOptions, private readonly config: FlushRealTimeConfig) {
    super(options.clock, 'FlushRealTimeService');
  }

  /** The first round runs one interval after start, as Java's loop sleeps before it flushes. */
  override start(initialDelayMs = this.config.flushIntervalCommitLog): void {
    super.start(initialDelayMs);
  }

  /** A put's wakeup counts only when `flushCommitLogTimed` is off, as in Java. */
  override wakeup(): void {
    if (!this.config.flushCommitLogTimed) super.wakeup();
  }

  protected onTick(): number {
    if (!this.inFlight) {
      let leastPages = this.config.flushCommitLogLeastPages;
      const now = this.clock.now();
      if (now >= this.lastFlushTimestamp + this.config.flushCommitLogThoroughInterval) {
        this.lastFlushTimestamp = now;
        leastPages = 0;
      }
      void this.flushRound(leastPages);
    }
    return this.config.flushIntervalCommitLog;
  }

  /** One round: flush file after file (each call covers one file) until nothing moves. */
  private async flushRound(leastPages: number): Promise<void> {
    const queue = this.options.mappedFileQueue;
    const before = queue.flushedWhere;
    this.inFlight = true;
    try {
      while (queue.flushedWhere < queue.getMaxOffset()) {
        if (!(await queue.flushAsync(leastPages))) break;
      }
    } catch (error) {
      if (!(error instanceof MappedFileIOError)) throw error;
      this.options.onIOError(error);
    } finally {
      this.inFlight = false;
    }
    this.afterFlush(before, leastPages === 0, 'ASYNC_FLUSH');
  }

  private afterFlush(before: number, thorough: boolean, mode: 'ASYNC_FLUSH' | 'shutdown'): void {
    const queue = this.options.mappedFileQueue;
    if (queue.flushedWhere === before) return;
    if (queue.storeTimestamp > 0) this.options.onFlushed?.(queue.storeTimestamp);
    this.options.events.emit('store.flush.completed', { mode, flushedWhere: queue.flushedWhere, bytes: queue.flushedWhere - before, thorough });
  }

  /** Stop, then flush everything synchronously (Java's shutdown loop of `flush(0)`). */
  override shutdown(): void {
    super.shutdown();
    const queue = this.options.mappedFileQueue;
    const before = queue.flushedWhere;
    try {
      while (queue.flush(0)) {
        // one file per call; go on until nothing moves
      }
    } catch (error) {
      if (!(error instanceof MappedFileIOError)) throw error;
      this.options.onIOError(error);
    }
    this.afterFlush(before, true, 'shutdown');
  }
}
