/**
 * CommitRealTimeService: moves freshly appended bytes from the write windows to their
 * files, one write per file per batch.
 *
 * In Java an append is a copy into a memory-mapped file, so the bytes are in the OS page
 * cache the moment the put returns: a `kill -9` of the broker loses nothing, only a power
 * cut can. Our appends copy into a write window instead (see `mapped-file.ts`), and the
 * bytes reach the page cache only when the window is committed. To lose no more than Java
 * on a process kill, every put wakes this service, and the service commits on its next
 * tick. All puts of one tick (one socket read, one batch) are then covered by a single
 * `write` per file, which is what makes batching pay: one write per record tops out near
 * 350k records/s in Node, one per batch near 2M.
 *
 * ```
 *   put  put  put  put         (same macrotask)   each calls wakeup()
 *    └────┴────┴────┘
 *           tick (+0 ms)  ──►  commitLog.commit()   one write  ──► page cache
 *           idle: a tick every commitIntervalCommitLog ms as a backstop
 * ```
 *
 * Only the commit log needs this. Consume-queue units are derived data: their windows are
 * written when full and by each flush round of `FlushConsumeQueueService`, and what a kill
 * loses of them is rebuilt from the commit log by recovery (see `flush-consume-queue-service.ts`
 * for why the checkpoint stays honest). Writing them every tick cost four more syscalls
 * per batch on the event loop, each a chance to stall behind the disk.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java runs this service only with `transientStorePoolEnable`, on a 200 ms timer with a
 *   4-page threshold, and wakes the flush service after each commit. Here it always runs,
 *   is woken by every put, commits everything pending, and leaves flushing to the flush
 *   services (their flush commits first anyway).
 * - The consume queues are not committed here (Java's mapped consume queues need no commit).
 *
 * @mirrors org.apache.rocketmq.store.CommitLog.CommitRealTimeService
 * @article store "Flushing: async, sync, and group commit"
 * @category Store
 * @module
 */
import type { Clock } from '../../../platform/clock.js';
import { Service } from '../../../common/service.js';

/** Something with bytes waiting in write windows. `commit` must not throw on IO failure (the target latches it). */
export interface CommitTarget {
  /** Move every pending byte to its file; returns true when anything moved. */
  commit(): boolean;
}

export class CommitRealTimeService extends Service {
  /** Ticks that moved bytes (for tests and stats). */
  commitRounds = 0;

  /**
   * @param target what to commit (the commit log)
   * @param backstopIntervalMs how long an idle service waits between ticks (Java `commitIntervalCommitLog`)
   */
  constructor(clock: Clock, private readonly target: CommitTarget, private readonly backstopIntervalMs: number) {
    super(clock, 'CommitRealTimeService');
  }

  /** Commit the target now, whether or not the service runs (shutdown uses this). */
  commitNow(): boolean {
    const moved = this.target.commit();
    if (moved) this.commitRounds++;
    return moved;
  }

  protected onTick(): number {
    this.commitNow();
    return this.backstopIntervalMs;
  }

  /** Stop, then commit what the last puts left in the windows (Java retries up to 10 times; one pass suffices here). */
  override shutdown(): void {
    super.shutdown();
    this.commitNow();
  }
}
