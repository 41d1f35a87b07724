/**
 * ConsumeRequestCache: the queue between the lite pull consumer's pull tasks and `poll()`,
 * the stand-in for Java's `LinkedBlockingQueue<ConsumeRequest>`.
 *
 * Every successful pull of a queue becomes one ConsumeRequest (the messages of that pull,
 * their queue and its ProcessQueue) appended here. `poll(timeout)` takes the oldest; when
 * the cache is empty it waits, on the Clock, until a request arrives or the timeout passes.
 * Requests arrive from many queues interleaved, so one `poll()` returns the messages of one
 * pull of one queue, in queue order, and successive polls rotate over the queues in the
 * order their pulls completed.
 *
 * ```
 *   pull task mq0 ──put──┐                               ┌──► poll() #1  (mq0, offsets 0..9)
 *   pull task mq1 ──put──┼──► [ r(mq0) r(mq1) r(mq0) ] ──┼──► poll() #2  (mq1, offsets 0..9)
 *   pull task mq2 ──put──┘        oldest first           └──► poll() #3  (mq0, offsets 10..19)
 * ```
 *
 * A waiting `poll()` is handed the next request directly by `put()`, so no request sits in
 * the cache while someone waits for one.
 *
 * Differences from RocketMQ 4.9.x:
 * - Waiting is a Promise resolved by `put()` or by a Clock timer, not a blocked thread.
 * - `close()` wakes every waiter with nothing (Java interrupts the polling thread).
 *
 * @mirrors org.apache.rocketmq.client.impl.consumer.DefaultLitePullConsumerImpl.ConsumeRequest
 * @article pull-consume-2 "The lite pull consumer"
 * @category Client
 * @module
 */
import type { MessageExt } from '../../../common/message/message-ext.js';
import type { MessageQueue } from '../../../common/protocol/body/message-queue-keyed-map.js';
import type { Clock, TimerHandle } from '../../../platform/clock.js';
import type { ProcessQueue } from '../process-queue.js';

/** The messages of one pull of one queue, waiting to be polled. */
export interface ConsumeRequest {
  readonly messageExts: MessageExt[];
  readonly messageQueue: MessageQueue;
  readonly processQueue: ProcessQueue;
}

interface Waiter {
  resolve(request: ConsumeRequest | undefined): void;
  timer: TimerHandle;
}

export class ConsumeRequestCache {
  private items: ConsumeRequest[] = [];
  private head = 0;
  private readonly waiters: Waiter[] = [];

  constructor(private readonly clock: Clock) {}

  /** Requests waiting to be polled. */
  get size(): number {
    return this.items.length - this.head;
  }

  /** Append a request, or hand it straight to the oldest waiting `poll()`. */
  put(request: ConsumeRequest): void {
    const waiter = this.waiters.shift();
    if (waiter !== undefined) {
      waiter.timer.cancel();
      waiter.resolve(request);
      return;
    }
    this.items.push(request);
  }

  /** The oldest request, waiting up to `timeoutMs` for one; `undefined` when none came. */
  poll(timeoutMs: number): Promise<ConsumeRequest | undefined> {
    const request = this.take();
    if (request !== undefined || timeoutMs <= 0) return Promise.resolve(request);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        resolve,
        timer: this.clock.setTimer(timeoutMs, () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          resolve(undefined);
        }),
      };
      this.waiters.push(waiter);
    });
  }

  /** Remove every waiting request `predicate` accepts (Java: `clearMessageQueueInCache`); returns how many. */
  removeIf(predicate: (request: ConsumeRequest) => boolean): number {
    const kept = this.items.slice(this.head).filter((r) => !predicate(r));
    const removed = this.size - kept.length;
    this.items = kept;
    this.head = 0;
    return removed;
  }

  /** Drop every request and wake every waiter with nothing. */
  close(): void {
    this.items = [];
    this.head = 0;
    for (const waiter of this.waiters.splice(0)) {
      waiter.timer.cancel();
      waiter.resolve(undefined);
    }
  }

  private take(): ConsumeRequest | undefined {
    if (this.head >= this.items.length) return undefined;
    const request = this.items[this.head]!;
    this.head++;
    // Compact now and then so a long-lived cache does not keep consumed slots.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return request;
  }
}
