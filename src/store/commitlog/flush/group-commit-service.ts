/**
 * GroupCommitService: the SYNC_FLUSH flusher, which answers many waiting puts with one
 * fdatasync.
 *
 * With SYNC_FLUSH, a put whose message says WAIT=true may only answer PUT_OK once its bytes
 * are on disk. An fdatasync costs a fraction of a millisecond to several milliseconds, so
 * one per message would cap the broker at a few thousand messages per second. Instead each
 * put files a request "flush up to my `nextOffset`" and waits. The service keeps exactly
 * one flush in flight; the requests that arrive while it runs form the next group, and
 * one flush answers the whole group, because everything before `flushedWhere` is durable.
 *
 * ```
 *   puts:      p1 p2 p3          p4 p5 p6 p7 p8            p9
 *   requests:  [1 2 3]──flush A──►ack 1,2,3
 *                       [4 5 6 7 8]──────flush B──────►ack 4..8
 *                                                      [9]──flush C──►ack 9
 *   9 puts, 3 fdatasyncs; a slower disk makes the groups larger, not the waits longer.
 * ```
 *
 * A request still unanswered `syncFlushTimeout` ms after it was filed answers
 * FLUSH_DISK_TIMEOUT; the message is stored all the same, only its durability is
 * unconfirmed. Puts with WAIT=false file no request but still wake the service, so their
 * bytes are flushed promptly too.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java's thread swaps a read and a write list every 10 ms and flushes synchronously;
 *   here the flush is `flushAsync`, and the group is simply "whatever arrived while the
 *   previous flush was in flight". Same batching, no polling.
 * - The timeout is the service's own check on the Clock, not the waiter's
 *   `future.get(timeout)` (Java 4.9 adds a `FlushDiskWatcher` for the same purpose).
 * - A failed flush answers its group FLUSH_DISK_TIMEOUT and tells the commit log, which
 *   refuses further puts.
 *
 * @mirrors org.apache.rocketmq.store.CommitLog.GroupCommitService
 * @mirrors org.apache.rocketmq.store.CommitLog.GroupCommitRequest
 * @mirrors org.apache.rocketmq.store.FlushDiskWatcher
 * @article store "Flushing: async, sync, and group commit"
 * @emits store.flush.requested, store.flush.completed, store.groupcommit.acked
 * @category Store
 * @module
 */
import { Service } from '../../../common/service.js';
import { MappedFileIOError } from '../../mapped-file/mapped-file.js';
import { PutMessageStatus } from '../../results.js';
import type { FlushServiceOptions } from './flush-real-time-service.js';

/** What a group commit can answer. */
export type GroupCommitStatus = typeof PutMessageStatus.PUT_OK | typeof PutMessageStatus.FLUSH_DISK_TIMEOUT;

/** One waiting put. Java: `GroupCommitRequest`. */
interface GroupCommitRequest {
  /** Offset the flush must reach: the record's physical offset plus its size. */
  readonly nextOffset: number;
  /** Clock time after which the answer is FLUSH_DISK_TIMEOUT. */
  readonly deadline: number;
  readonly resolve: (status: GroupCommitStatus) => void;
  answered: boolean;
}

export class GroupCommitService extends Service {
  /** Requests filed and not yet answered, in filing order (the in-flight group included). */
  private waiting: GroupCommitRequest[] = [];
  private inFlight = false;
  /** Flush rounds started (one fdatasync in flight each; for tests and stats). */
  groupCount = 0;

  constructor(private readonly options: FlushServiceOptions, private readonly syncFlushTimeoutMs: number) {
    super(options.clock, 'GroupCommitService');
  }

  /** File a request and wake the service. Java: `putRequest` + `request.future()`. */
  putRequest(nextOffset: number): Promise<GroupCommitStatus> {
    return new Promise<GroupCommitStatus>((resolve) => {
      const deadline = this.clock.now() + this.syncFlushTimeoutMs;
      this.waiting.push({ nextOffset, deadline, resolve, answered: false });
      this.options.events.emit('store.flush.requested', { nextOffset, waiting: this.waiting.length });
      this.wakeup();
    });
  }

  protected onTick(): number | undefined {
    const queue = this.options.mappedFileQueue;
    this.answer((r) => r.nextOffset <= queue.flushedWhere, PutMessageStatus.PUT_OK);
    const now = this.clock.now();
    this.answer((r) => r.deadline <= now, PutMessageStatus.FLUSH_DISK_TIMEOUT);
    if (!this.inFlight && queue.flushedWhere < queue.getMaxOffset()) void this.flushGroup();
    // Come back at the earliest deadline (requests are filed in deadline order); the end
    // of a flush wakes the service anyway.
    const first = this.waiting[0];
    return first === undefined ? undefined : Math.max(0, first.deadline - now);
  }

  /**
   * Flush until every request filed so far is covered: the file at `flushedWhere` first,
   * then the next one if the group's data spans a file boundary (Java flushes at most twice).
   */
  private async flushGroup(): Promise<void> {
    const queue = this.options.mappedFileQueue;
    // Every request's nextOffset is at or below the written end, so that end covers them all.
    const target = queue.getMaxOffset();
    const before = queue.flushedWhere;
    this.inFlight = true;
    this.groupCount++;
    try {
      while (queue.flushedWhere < target && (await queue.flushAsync(0))) {
        // one file per call; the loop crosses a file boundary
      }
    } catch (error) {
      if (!(error instanceof MappedFileIOError)) throw error;
      this.options.onIOError(error);
      this.answer(() => true, PutMessageStatus.FLUSH_DISK_TIMEOUT);
    } finally {
      this.inFlight = false;
    }
    if (queue.flushedWhere > before) {
      if (queue.storeTimestamp > 0) this.options.onFlushed?.(queue.storeTimestamp);
      this.options.events.emit('store.flush.completed', { mode: 'SYNC_FLUSH', flushedWhere: queue.flushedWhere, bytes: queue.flushedWhere - before, thorough: true });
    }
    this.answer((r) => r.nextOffset <= queue.flushedWhere, PutMessageStatus.PUT_OK);
    if (this.isRunning) this.wakeup(); // the requests that arrived meanwhile are the next group
  }

  /** Answer every waiting request that `matches`, with one event for the lot. */
  private answer(matches: (request: GroupCommitRequest) => boolean, status: GroupCommitStatus): void {
    let count = 0;
    let nextOffsetMax = 0;
    const still: GroupCommitRequest[] = [];
    for (const request of this.waiting) {
      if (request.answered || !matches(request)) {
        if (!request.answered) still.push(request);
        continue;
      }
      request.answered = true;
      request.resolve(status);
      count++;
      nextOffsetMax = Math.max(nextOffsetMax, request.nextOffset);
    }
    this.waiting = still;
    if (count === 0) return;
    const flushedWhere = this.options.mappedFileQueue.flushedWhere;
    this.options.events.emit('store.groupcommit.acked', { requests: count, status, flushedWhere, nextOffsetMax });
  }

  /** Stop, flush what is left synchronously, and answer every waiting request. */
  override shutdown(): void {
    super.shutdown();
    const queue = this.options.mappedFileQueue;
    try {
      while (queue.flush(0)) {
        // one file per call; go on until nothing moves
      }
    } catch (error) {
      if (!(error instanceof MappedFileIOError)) throw error;
      this.options.onIOError(error);
    }
    this.answer((r) => r.nextOffset <= queue.flushedWhere, PutMessageStatus.PUT_OK);
    this.answer(() => true, PutMessageStatus.FLUSH_DISK_TIMEOUT);
  }
}
