/**
 * ManualClock: virtual time that moves only when a test, a walkthrough or the simulated
 * cluster says so.
 *
 * A broker is full of waits: 500 ms between async flushes, 5 s between long-poll checks,
 * 60 s between transaction checks, up to 2 h for a delayed message. On the wall clock a
 * test of those would take minutes and still be flaky. On a ManualClock it takes
 * microseconds and always runs the same way: `await clock.advance(10_000)` fires, in
 * order, every timer due in the next ten virtual seconds.
 *
 * Between two timers the clock lets pending promise continuations run (it waits for a
 * macrotask turn, which comes only after the microtask queue is empty). Without that, an
 * `async` method awaiting a flush would resume only after *all* the timers of the advance
 * had fired, and the simulation would stop resembling real time.
 *
 * ```
 *   now=0   timers: [t=5 A] [t=5 B] [t=20 C]
 *   advance(10):  now=5, run A, drain; run B, drain; now=10 (C stays pending)
 *   advance(10):  now=20, run C, drain; now=20
 * ```
 *
 * Timers due at the same instant run in the order they were set (a sequence number breaks
 * ties in the heap).
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ; it is our stand-in for the OS clock.
 *
 * @mirrors org.apache.rocketmq.common.SystemClock (simulated)
 * @article why-read "Reading RocketMQ with a clock you control"
 * @category Platform
 * @module
 */
import type { Clock, TimerHandle } from '../clock.js';

interface Timer {
  dueAt: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** Resolve after the current microtask queue has fully drained (one macrotask turn). */
function nextMacrotask(): Promise<void> {
  const g = globalThis as { setImmediate?: (fn: () => void) => unknown };
  if (typeof g.setImmediate === 'function') {
    const setImmediate = g.setImmediate;
    return new Promise((resolve) => setImmediate(resolve));
  }
  return new Promise((resolve) => {
    // Browsers have no setImmediate; a MessageChannel message is the usual macrotask there.
    const channel = new MessageChannel();
    const port = channel.port1 as unknown as { onmessage: (() => void) | null; close(): void };
    port.onmessage = () => {
      port.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export class ManualClock implements Clock {
  private current: number;
  private readonly heap: Timer[] = [];
  private nextSeq = 0;
  private live = 0;

  constructor(startMs = 0) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    const timer: Timer = { dueAt: this.current + delay, seq: this.nextSeq++, fn, cancelled: false };
    this.push(timer);
    this.live++;
    return {
      cancel: () => {
        if (!timer.cancelled) {
          timer.cancelled = true;
          this.live--;
        }
      },
    };
  }

  /** How many timers are still waiting to fire. */
  get pendingTimers(): number {
    return this.live;
  }

  /** When the earliest pending timer is due, or `undefined` when none is. */
  nextDueAt(): number | undefined {
    this.dropCancelledTop();
    return this.heap[0]?.dueAt;
  }

  /** Let pending promise continuations run without moving time. */
  async settle(): Promise<void> {
    await nextMacrotask();
  }

  /** Move time forward by `ms`, firing every timer due on the way, in order. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.current + Math.max(0, ms));
  }

  /** Move time forward to `target` (never backwards), firing every timer due on the way. */
  async advanceTo(target: number): Promise<void> {
    await nextMacrotask();
    for (;;) {
      const due = this.nextDueAt();
      if (due === undefined || due > target) break;
      this.fireNext();
      await nextMacrotask();
    }
    if (target > this.current) this.current = target;
  }

  /**
   * Fire timers, earliest first, until `predicate()` holds. Throws when it still does not
   * hold after `limitMs` of virtual time, or when no timer is left to fire.
   * Returns the virtual time that passed.
   */
  async runUntil(predicate: () => boolean, limitMs: number): Promise<number> {
    const start = this.current;
    const deadline = start + limitMs;
    await nextMacrotask();
    while (!predicate()) {
      const due = this.nextDueAt();
      if (due === undefined) throw new Error(`runUntil: no timer left and the condition is still false at +${this.current - start} ms`);
      if (due > deadline) {
        this.current = deadline;
        throw new Error(`runUntil: condition still false after ${limitMs} ms of virtual time`);
      }
      this.fireNext();
      await nextMacrotask();
    }
    return this.current - start;
  }

  /**
   * Fire timers until none is left. Periodic services never leave the queue empty, so the
   * run stops (with an error) once `limitMs` of virtual time has passed.
   */
  async runUntilIdle(limitMs = 3_600_000): Promise<number> {
    const start = this.current;
    await nextMacrotask();
    for (;;) {
      const due = this.nextDueAt();
      if (due === undefined) return this.current - start;
      if (due > start + limitMs) throw new Error(`runUntilIdle: timers still pending after ${limitMs} ms of virtual time`);
      this.fireNext();
      await nextMacrotask();
    }
  }

  /** Fire the earliest timer; callers first skip cancelled ones through nextDueAt(). */
  private fireNext(): void {
    const timer = this.pop();
    if (timer === undefined) return;
    if (timer.dueAt > this.current) this.current = timer.dueAt;
    this.live--;
    timer.cancelled = true;
    timer.fn();
  }

  private dropCancelledTop(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
  }

  // A binary min-heap ordered by (dueAt, seq).

  private static before(a: Timer, b: Timer): boolean {
    return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.seq < b.seq);
  }

  private push(timer: Timer): void {
    const heap = this.heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!ManualClock.before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): Timer | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && ManualClock.before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && ManualClock.before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  }
}
