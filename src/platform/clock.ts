/**
 * The Clock port: where every component reads the time and schedules work for later.
 *
 * RocketMQ reads `System.currentTimeMillis()` everywhere and parks threads with
 * `Thread.sleep`, `ServiceThread.waitForRunning` and `ScheduledExecutorService`.
 * Here all of that goes through one small interface, so the same broker can run on
 * the wall clock (`SystemClock`) or on virtual time (`ManualClock`), where a
 * test or a walkthrough moves time forward by hand and every run with the same seed
 * produces the same events in the same order.
 *
 * Differences from RocketMQ 4.9.x:
 * - One port replaces `System.currentTimeMillis`, `SystemClock`, `Thread.sleep` and the
 *   scheduled executors. There are no threads: a timer callback runs to completion.
 *
 * @mirrors org.apache.rocketmq.common.SystemClock
 * @mirrors org.apache.rocketmq.common.ServiceThread (the waiting half)
 * @article why-read "Reading RocketMQ with a clock you control"
 * @category Platform
 * @module
 */

/** A scheduled callback that can still be cancelled. Cancelling twice, or after it fired, does nothing. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * Time in milliseconds plus one-shot timers.
 *
 * Contract shared by every adapter (checked by the Clock contract tests):
 * - `now()` never goes backwards.
 * - A timer fires no earlier than `now() + delayMs` as seen at `setTimer` time.
 * - Timers due at the same instant fire in the order they were set.
 * - A negative or non-finite delay counts as 0.
 */
export interface Clock {
  /** Milliseconds. The wall clock's epoch milliseconds, or virtual milliseconds. */
  now(): number;
  /** Run `fn` once after `delayMs` milliseconds. */
  setTimer(delayMs: number, fn: () => void): TimerHandle;
}
