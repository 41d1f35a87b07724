/**
 * Service: the shape of RocketMQ's `ServiceThread`, on a Clock instead of a thread.
 *
 * Much of the broker is background loops: flush the commit log every 500 ms, dispatch new
 * records every millisecond, check held pulls every 5 s. Java writes each as a thread that
 * loops `while (!stopped) { waitForRunning(interval); doWork(); }`, and other threads call
 * `wakeup()` to cut the wait short. Here a subclass implements {@link Service.onTick}, which
 * returns how long to wait before the next tick; the base schedules that tick on the Clock.
 *
 * ```
 *   start() ──► tick ──► onTick() returns 500 ──► timer(500) ──► tick ──► ...
 *                                   wakeup() ──► cancel timer, tick at +0 ──┘
 *   shutdown() ──► cancel timer; no tick runs afterwards
 * ```
 *
 * `wakeup()` while a tick is already pending "now" does nothing extra, so a burst of
 * wakeups (one per put on the send path) costs one tick, which is the batching Java gets
 * from its `hasNotified` flag. `onTick` runs to completion; an exception in it is a bug and
 * propagates (we do not log and loop on, as Java's catch-all does).
 *
 * Differences from RocketMQ 4.9.x:
 * - No thread and no `CountDownLatch`: one callback per tick on the Clock.
 * - `onTick` returns the next wait instead of calling `waitForRunning` itself.
 *
 * @mirrors org.apache.rocketmq.common.ServiceThread
 * @article store-init "Background services and how they stop"
 * @category Common
 * @module
 */
import type { Clock, TimerHandle } from '../platform/clock.js';

export abstract class Service {
  private timer: TimerHandle | undefined;
  private timerDueAt = Infinity;
  private timerIsImmediate = false;
  private running = false;

  protected constructor(protected readonly clock: Clock, readonly serviceName: string) {}

  /** Do one round of work; return the delay in ms before the next round, or `undefined` to idle until `wakeup()`. */
  protected abstract onTick(): number | undefined;

  get isRunning(): boolean {
    return this.running;
  }

  /** Start ticking; the first tick runs after `initialDelayMs` (default: at once, on the next timer turn). */
  start(initialDelayMs = 0): void {
    if (this.running) return;
    this.running = true;
    this.schedule(initialDelayMs);
  }

  /** Ask for a tick as soon as possible (Java: `ServiceThread.wakeup()`). */
  wakeup(): void {
    if (this.running) this.schedule(0);
  }

  /** Stop; a pending tick is cancelled. Subclasses that must drain work override and call super. */
  shutdown(): void {
    this.running = false;
    this.timer?.cancel();
    this.timer = undefined;
    this.timerDueAt = Infinity;
  }

  private schedule(delayMs: number): void {
    // A tick at +0 ms is pending already: nothing can come earlier (time never goes back), and
    // `wakeup()` runs once per stored message, so it should not even read the clock.
    if (delayMs <= 0 && this.timer !== undefined && this.timerIsImmediate) return;
    const dueAt = this.clock.now() + Math.max(0, delayMs);
    if (this.timer !== undefined && this.timerDueAt <= dueAt) return; // an earlier tick is already coming
    this.timer?.cancel();
    this.timerDueAt = dueAt;
    this.timerIsImmediate = delayMs <= 0;
    this.timer = this.clock.setTimer(delayMs, () => this.tick());
  }

  private tick(): void {
    this.timer = undefined;
    this.timerDueAt = Infinity;
    if (!this.running) return;
    const next = this.onTick();
    if (this.running && next !== undefined && this.timer === undefined) this.schedule(next);
  }
}
