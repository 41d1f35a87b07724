/**
 * MessageQueueLock: one mutex per message queue, so an orderly consumer runs at most one
 * listener call per queue at a time; and {@link ConsumeMutex}, the mutex itself.
 *
 * Java serialises an orderly queue twice. `MessageQueueLock` hands out one lock object per
 * queue, and a consume request holds it for its whole run, so two requests for the same
 * queue (one from a fresh pull, one from a retry timer) never interleave. Inside that, each
 * ProcessQueue's `consumeLock` is held around the listener call itself, so a rebalance that
 * wants to give the queue away (and unlock it on the broker) waits until the message in
 * hand is finished. We have one thread, but listeners may be `async`: a request that awaits
 * its listener lets other timers run, so the same two locks are needed, as promises.
 *
 * ```
 *   request A: lock(mq) ─► listener(m5) … awaiting … ─► unlock(mq)
 *   request B: lock(mq) ─────── waits ──────────────────────────► runs with m6
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - Promise-based waiting instead of `synchronized` and `ReentrantLock`; not reentrant.
 * - `tryLock(timeout)` waits on the injected Clock.
 *
 * @mirrors org.apache.rocketmq.client.impl.consumer.MessageQueueLock
 * @article orderly "Consuming one queue at a time"
 * @category Client
 * @module
 */
import type { MessageQueue } from '../../common/protocol/body/message-queue-keyed-map.js';
import type { Clock } from '../../platform/clock.js';
import { MessageQueueMap } from './message-queue-map.js';

/** A non-reentrant async mutex; waiters are served in arrival order. */
export class ConsumeMutex {
  private held = false;
  private readonly waiters: Array<() => void> = [];

  get isLocked(): boolean {
    return this.held;
  }

  /** Take the mutex, waiting as long as needed. */
  lock(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Take the mutex if it is free within `timeoutMs` (on `clock`); resolves whether it was taken. */
  tryLock(timeoutMs: number, clock: Clock): Promise<boolean> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const waiter = (): void => {
        timer.cancel();
        resolve(true);
      };
      const timer = clock.setTimer(timeoutMs, () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(false);
      });
      this.waiters.push(waiter);
    });
  }

  /** Release; the mutex passes straight to the oldest waiter, if any. */
  unlock(): void {
    const next = this.waiters.shift();
    if (next !== undefined) next();
    else this.held = false;
  }
}

export class MessageQueueLock {
  private readonly mqLockTable = new MessageQueueMap<ConsumeMutex>();

  /** The mutex of `mq`, created on first use (Java `fetchLockObject`). */
  fetchLockObject(mq: MessageQueue): ConsumeMutex {
    let mutex = this.mqLockTable.get(mq);
    if (mutex === undefined) {
      mutex = new ConsumeMutex();
      this.mqLockTable.set(mq, mutex);
    }
    return mutex;
  }
}
