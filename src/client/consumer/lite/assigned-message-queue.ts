/**
 * AssignedMessageQueue: the lite pull consumer's table of the queues it reads, with three
 * offsets and a pause flag per queue.
 *
 * A lite pull consumer keeps more than one position per queue, because pulling and
 * consuming are decoupled by the poll cache in between:
 *
 * ```
 *   broker queue:  0 1 2 3 4 5 6 7 8 9 10 11 12
 *                        ▲             ▲          ▲
 *                        consumeOffset pullOffset  (maxOffset)
 *                        handed out by  where the next
 *                        poll() so far  pull starts
 *
 *   seekOffset: -1, or where the application asked the next pull to start (`seek`);
 *               while set, pull results in flight are thrown away.
 * ```
 *
 * `consumeOffset` is what a commit records as the group's progress: everything below it has
 * been returned by `poll()`. `pullOffset` runs ahead of it by what sits in the cache.
 * Each queue also owns a {@link ProcessQueue}: the buffer of pulled, not yet polled
 * messages, whose `dropped` flag tells pull tasks and `poll()` that the queue was taken away.
 *
 * Differences from RocketMQ 4.9.x:
 * - Offsets are -1 when unknown, as in Java; the table is keyed by queue value.
 * - A queue removed from the table has its ProcessQueue marked dropped here.
 *
 * @mirrors org.apache.rocketmq.client.impl.consumer.AssignedMessageQueue
 * @article pull-consume-2 "The lite pull consumer"
 * @category Client
 * @module
 */
import type { MessageQueue } from '../../../common/protocol/body/message-queue-keyed-map.js';
import type { Clock } from '../../../platform/clock.js';
import { MessageQueueMap } from '../message-queue-map.js';
import { ProcessQueue } from '../process-queue.js';

/** The state of one assigned queue (Java `MessageQueueState`). */
export interface MessageQueueState {
  readonly messageQueue: MessageQueue;
  readonly processQueue: ProcessQueue;
  paused: boolean;
  /** Where the next pull starts; -1 until the first pull computed it. */
  pullOffset: number;
  /** One past the last offset `poll()` handed out; -1 before the first poll. */
  consumeOffset: number;
  /** Where `seek` wants the next pull to start; -1 when no seek is pending. */
  seekOffset: number;
}

export class AssignedMessageQueue {
  private readonly table = new MessageQueueMap<MessageQueueState>();

  constructor(private readonly clock: Clock) {}

  /** The assigned queues, in assignment order. */
  messageQueues(): MessageQueue[] {
    return this.table.keys();
  }

  has(mq: MessageQueue): boolean {
    return this.table.has(mq);
  }

  get(mq: MessageQueue): MessageQueueState | undefined {
    return this.table.get(mq);
  }

  /** Java: an unknown queue counts as paused, so a stale pull task idles instead of pulling. */
  isPaused(mq: MessageQueue): boolean {
    return this.table.get(mq)?.paused ?? true;
  }

  /** Mark the known queues among `mqs` paused (or not); returns those that were known. */
  setPaused(mqs: readonly MessageQueue[], paused: boolean): MessageQueue[] {
    const known: MessageQueue[] = [];
    for (const mq of mqs) {
      const state = this.table.get(mq);
      if (state === undefined) continue;
      state.paused = paused;
      known.push(mq);
    }
    return known;
  }

  getProcessQueue(mq: MessageQueue): ProcessQueue | undefined {
    return this.table.get(mq)?.processQueue;
  }

  getPullOffset(mq: MessageQueue): number {
    return this.table.get(mq)?.pullOffset ?? -1;
  }

  updatePullOffset(mq: MessageQueue, offset: number): void {
    const state = this.table.get(mq);
    if (state !== undefined) state.pullOffset = offset;
  }

  getConsumerOffset(mq: MessageQueue): number {
    return this.table.get(mq)?.consumeOffset ?? -1;
  }

  updateConsumeOffset(mq: MessageQueue, offset: number): void {
    const state = this.table.get(mq);
    if (state !== undefined) state.consumeOffset = offset;
  }

  getSeekOffset(mq: MessageQueue): number {
    return this.table.get(mq)?.seekOffset ?? -1;
  }

  setSeekOffset(mq: MessageQueue, offset: number): void {
    const state = this.table.get(mq);
    if (state !== undefined) state.seekOffset = offset;
  }

  /**
   * Make the table hold exactly `assigned` (of `topic` only, when given: queues of other
   * topics stay). New queues get a fresh ProcessQueue, or the one `processQueueOf` supplies
   * (the rebalance's, in subscribe mode). Returns what was added and removed.
   */
  updateAssignedMessageQueue(
    assigned: readonly MessageQueue[],
    topic?: string,
    processQueueOf?: (mq: MessageQueue) => ProcessQueue | undefined,
  ): { added: MessageQueue[]; removed: MessageQueue[] } {
    const wanted = new MessageQueueMap<true>();
    for (const mq of assigned) wanted.set(mq, true);
    const removed: MessageQueue[] = [];
    for (const [mq, state] of this.table.entries()) {
      if ((topic === undefined || mq.topic === topic) && !wanted.has(mq)) {
        this.table.delete(mq);
        state.processQueue.dropped = true;
        removed.push(mq);
      }
    }
    const added: MessageQueue[] = [];
    for (const mq of assigned) {
      if (this.table.has(mq)) continue;
      const processQueue = processQueueOf?.(mq) ?? new ProcessQueue(this.clock);
      this.table.set(mq, { messageQueue: mq, processQueue, paused: false, pullOffset: -1, consumeOffset: -1, seekOffset: -1 });
      added.push(mq);
    }
    return { added, removed };
  }

  /** Forget every queue of `topic` (unsubscribe); their ProcessQueues are dropped. */
  removeAssignedMessageQueue(topic: string): MessageQueue[] {
    return this.updateAssignedMessageQueue([], topic).removed;
  }
}
