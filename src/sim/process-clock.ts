/**
 * ProcessClock: the clock of one simulated process, which dies with the process.
 *
 * Every simulated node (a name server, a broker, a client) shares the cluster's one
 * `ManualClock`, but a real process owns its timers: when it is killed, its flush
 * thread, reput thread and schedule timers stop with it. A crash test that only cut the
 * network and the disk would leave the dead broker's services ticking on the shared clock,
 * writing through stale file handles. So each simulated process sees the shared clock
 * through its own ProcessClock, and killing the process cancels every timer it set:
 *
 * ```
 *   ManualClock (one per cluster: virtual ms, timers in order)
 *      ├── ProcessClock "broker-a"   timers {flush, reput, register, ...}   kill() ──► all cancelled,
 *      ├── ProcessClock "consumer-1" timers {rebalance, pull, persist}                later setTimer = no-op
 *      └── ...
 * ```
 *
 * A killed clock still answers `now()` (code that was mid-turn may read it), but a timer
 * set after the kill never fires: the process is gone.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ; a JVM's threads die with it.
 *
 * @article store-init "Recovering after a crash"
 * @category Sim
 * @module
 */
import type { Clock, TimerHandle } from '../platform/clock.js';

const DEAD_TIMER: TimerHandle = { cancel: () => undefined };

export class ProcessClock implements Clock {
  private readonly timers = new Set<TimerHandle>();
  private dead = false;

  constructor(private readonly clock: Clock) {}

  now(): number {
    return this.clock.now();
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    if (this.dead) return DEAD_TIMER;
    let inner: TimerHandle | undefined;
    const handle: TimerHandle = {
      cancel: () => {
        this.timers.delete(handle);
        inner?.cancel();
      },
    };
    inner = this.clock.setTimer(delayMs, () => {
      this.timers.delete(handle);
      if (!this.dead) fn();
    });
    this.timers.add(handle);
    return handle;
  }

  /** Timers set and not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** True once {@link ProcessClock.kill} ran. */
  get killed(): boolean {
    return this.dead;
  }

  /** The process died: cancel every pending timer and ignore any set later. */
  kill(): void {
    this.dead = true;
    for (const timer of [...this.timers]) timer.cancel();
    this.timers.clear();
  }
}
