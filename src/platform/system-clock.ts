/**
 * SystemClock: the Clock port on the real wall clock, for a broker that serves real clients.
 *
 * `now()` reads `Date.now()` and timers are `setTimeout`, so this file runs unchanged in
 * Node and in a browser. It adds three small guarantees that the bare globals lack, because
 * the Clock contract promises them: `now()` never goes backwards (a wall-clock step back,
 * e.g. an NTP correction, freezes it until the wall clock catches up), a timer never fires
 * before `now() + delayMs` (Node may fire a `setTimeout` up to a millisecond early), and
 * delays longer than the 24.8 days `setTimeout` can hold are chained instead of firing at once.
 *
 * A timer of 0 ms (what `Service.wakeup()` asks for after every stored message) runs with
 * `setImmediate` where there is one: right after the current I/O turn, instead of the
 * millisecond a `setTimeout(0)` waits in Node, which would be most of a message's
 * end-to-end latency. Such timers still fire in the order they were set.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java's `SystemClock` is a static helper around `System.currentTimeMillis()`; this is an
 *   injected object, and it schedules timers too (Java's scheduled executors).
 * - Java's scheduled executors run on `System.nanoTime()`, immune to wall-clock steps. Our
 *   timers run on `setTimeout`, which is also monotonic; only the early-fire re-check reads
 *   the wall clock, and it re-arms at most once, so a clock step delays a timer by at most
 *   its own delay again.
 *
 * @mirrors org.apache.rocketmq.common.SystemClock
 * @article why-read "Reading RocketMQ with a clock you control"
 * @category Platform
 * @module
 */
import type { Clock, TimerHandle } from './clock.js';

/** The longest delay one `setTimeout` holds (2^31 - 1 ms); longer ones fire at once in Node and browsers. */
const MAX_TIMEOUT_MS = 0x7fff_ffff;

/** Options of {@link SystemClock}. */
export interface SystemClockOptions {
  /**
   * In Node, call `unref()` on every timer, so pending timers alone do not keep the
   * process alive (a CLI can exit while a broker's periodic services are still scheduled).
   * Ignored where timers have no `unref` (browsers).
   * @defaultValue false
   */
  readonly unref?: boolean;
}

/** What `setTimeout` returns: a number in browsers, a `Timeout` object with `unref()` in Node. */
type PlatformTimer = ReturnType<typeof setTimeout> & { unref?: () => unknown };

/** Node's (and some browsers') `setImmediate` and `clearImmediate`, if there are. */
const host = globalThis as unknown as {
  setImmediate?: (fn: (timer: SystemTimer) => void, timer: SystemTimer) => PlatformTimer;
  clearImmediate?: (handle: PlatformTimer) => void;
};

export class SystemClock implements Clock {
  private readonly unref: boolean;
  /** The largest time `now()` has returned; it keeps `now()` from going backwards. */
  private latestMs = 0;

  constructor(options: SystemClockOptions = {}) {
    this.unref = options.unref ?? false;
  }

  now(): number {
    const wallMs = Date.now();
    if (wallMs > this.latestMs) this.latestMs = wallMs;
    return this.latestMs;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    // A class, not three closures: remoting sets one timer per request.
    return new SystemTimer(this, this.now() + delay, delay, fn, this.unref);
  }
}

/**
 * One timer of a SystemClock: a chain of setTimeouts, usually one. `leftMs` is what the
 * chain still has to wait; it only matters for delays above MAX_TIMEOUT_MS, which need more
 * than one setTimeout.
 */
class SystemTimer implements TimerHandle {
  private rechecked = false;
  private done = false;
  private current: PlatformTimer | undefined;
  private immediate = false;

  constructor(
    private readonly clock: SystemClock,
    private readonly dueAt: number,
    private leftMs: number,
    private readonly fn: () => void,
    private readonly unref: boolean,
  ) {
    this.arm();
  }

  cancel(): void {
    if (this.done) return;
    this.done = true;
    if (this.current === undefined) return;
    if (this.immediate) host.clearImmediate?.(this.current);
    else clearTimeout(this.current);
  }

  private arm(): void {
    const stepMs = Math.min(this.leftMs, MAX_TIMEOUT_MS);
    this.leftMs -= stepMs;
    this.immediate = stepMs === 0 && host.setImmediate !== undefined;
    const current = this.immediate ? host.setImmediate!(fireSystemTimer, this) : setTimeout(fireSystemTimer, stepMs, this) as PlatformTimer;
    if (this.unref && typeof current.unref === 'function') current.unref();
    this.current = current;
  }

  /** The setTimeout callback (through {@link fireSystemTimer}, so no closure is made per timer). */
  onFire(): void {
    if (this.done) return;
    if (this.leftMs > 0) return this.arm();
    // setTimeout's clock and Date.now() round differently, so a timer can wake a little
    // before `dueAt` as now() sees it. Wait out the rest once; never loop on it, or a
    // wall clock stepped backwards would hold the timer until it caught up.
    const earlyMs = this.dueAt - this.clock.now();
    if (earlyMs > 0 && !this.rechecked) {
      this.rechecked = true;
      this.leftMs = earlyMs;
      return this.arm();
    }
    this.done = true;
    this.fn();
  }
}

function fireSystemTimer(timer: SystemTimer): void {
  timer.onFire();
}
