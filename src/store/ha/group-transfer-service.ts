/**
 * GroupTransferService: holds SYNC_MASTER puts until a slave has confirmed their bytes,
 * and answers them all at once when it does.
 *
 * With `brokerRole=SYNC_MASTER`, a put whose message says WAIT=true may only answer
 * SEND_OK once a slave holds a copy, so that losing the master's disk loses nothing that
 * was acknowledged. The slave confirms by acking offsets ("my log ends at X"), and one ack
 * covers every record that ends at or before X. So a put files a request "wake me when a
 * slave has `nextOffset`" and every ack answers the front of the line:
 *
 * ```
 *   requests (filing order = log order):   [ 120 ][ 260 ][ 390 ][ 505 ]
 *   ack 300 arrives                     ->  PUT_OK  PUT_OK   wait    wait
 *   ack 505 arrives                     ->                  PUT_OK  PUT_OK
 *   no ack within syncFlushTimeout (5 s) of filing -> FLUSH_SLAVE_TIMEOUT
 *     (the message is stored on the master all the same)
 * ```
 *
 * Requests are filed by the commit log right after each append, so their offsets grow in
 * filing order, and with one timeout their deadlines do too. The line therefore never
 * needs sorting or scanning: acks answer from the front, and one timer, set at the first
 * request's deadline, answers the timeouts. No timer per waiting put.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java's thread swaps a read and a write list every 10 ms and, per request, waits on a
 *   notify object in 1 s steps until `syncFlushTimeout` has passed. Here an ack answers
 *   the waiting requests synchronously, and the deadline is one timer on the Clock.
 * - Java answers a request with a boolean turned into PUT_OK or FLUSH_SLAVE_TIMEOUT by
 *   the caller; here the service answers the status itself.
 * - Shutdown answers every waiting request FLUSH_SLAVE_TIMEOUT (Java leaves them to time out).
 *
 * @mirrors org.apache.rocketmq.store.ha.HAService.GroupTransferService
 * @mirrors org.apache.rocketmq.store.ha.WaitNotifyObject
 * @article ha "SYNC_MASTER: waiting for the slave"
 * @emits store.ha.sync-waited
 * @category Store
 * @module
 */
import type { MessageStoreConfig } from '../../common/config/message-store-config.js';
import { Service } from '../../common/service.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';
import { PutMessageStatus } from '../results.js';

/** What a transfer wait can answer. */
export type GroupTransferStatus = typeof PutMessageStatus.PUT_OK | typeof PutMessageStatus.FLUSH_SLAVE_TIMEOUT;

/** One waiting put. Java reuses `CommitLog.GroupCommitRequest`. */
interface TransferRequest {
  /** Offset a slave must confirm: the record's physical offset plus its size. */
  readonly nextOffset: number;
  /** Clock time after which the answer is FLUSH_SLAVE_TIMEOUT. */
  readonly deadline: number;
  readonly resolve: (status: GroupTransferStatus) => void;
}

export interface GroupTransferServiceOptions {
  readonly clock: Clock;
  readonly events: NodeEvents;
  /** Read at each request, so a changed timeout applies to the next put. */
  readonly config: Pick<MessageStoreConfig, 'syncFlushTimeout'>;
  /** The largest offset any slave has confirmed (Java `push2SlaveMaxOffset`). */
  readonly ackedOffset: () => number;
}

/** Answered requests are dropped from the front of the array once this many pile up. */
const COMPACT_AFTER = 1024;

export class GroupTransferService extends Service {
  /** Requests in filing order; `waiting[head..]` are unanswered. */
  private waiting: TransferRequest[] = [];
  private head = 0;

  constructor(private readonly options: GroupTransferServiceOptions) {
    super(options.clock, 'GroupTransferService');
  }

  /** Puts still waiting for a slave. */
  get waitingCount(): number {
    return this.waiting.length - this.head;
  }

  /**
   * File a request for `nextOffset`. Java `putRequest` + `request.future()`. A request the
   * slaves have already covered is answered at once.
   */
  putRequest(nextOffset: number): Promise<GroupTransferStatus> {
    return new Promise<GroupTransferStatus>((resolve) => {
      if (!this.isRunning) {
        resolve(PutMessageStatus.FLUSH_SLAVE_TIMEOUT);
        return;
      }
      if (nextOffset <= this.options.ackedOffset()) {
        resolve(PutMessageStatus.PUT_OK);
        return;
      }
      const deadline = this.clock.now() + this.options.config.syncFlushTimeout;
      this.waiting.push({ nextOffset, deadline, resolve });
      // Only the first waiter needs a timer; the others' deadlines come after its own.
      if (this.waitingCount === 1) this.wakeup();
    });
  }

  /** A slave confirmed more bytes: answer every request it covers. Java `notifyTransferSome`. */
  notifyTransferSome(): void {
    const acked = this.options.ackedOffset();
    // Filing order is log order, so the covered requests are a prefix of the line.
    let end = this.head;
    while (end < this.waiting.length && this.waiting[end]!.nextOffset <= acked) end++;
    this.answerUpTo(end, PutMessageStatus.PUT_OK);
  }

  protected onTick(): number | undefined {
    const now = this.clock.now();
    let end = this.head;
    while (end < this.waiting.length && this.waiting[end]!.deadline <= now) end++;
    this.answerUpTo(end, PutMessageStatus.FLUSH_SLAVE_TIMEOUT);
    const first = this.waiting[this.head];
    return first === undefined ? undefined : Math.max(0, first.deadline - now);
  }

  /** Answer `waiting[head..end)` with `status`, with one event for the lot. */
  private answerUpTo(end: number, status: GroupTransferStatus): void {
    if (end === this.head) return;
    const requests = end - this.head;
    const nextOffsetMax = this.waiting[end - 1]!.nextOffset;
    for (let i = this.head; i < end; i++) this.waiting[i]!.resolve(status);
    this.head = end;
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    } else if (this.head >= COMPACT_AFTER) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    this.options.events.emit('store.ha.sync-waited', { requests, status, ackedOffset: this.options.ackedOffset(), nextOffsetMax }, { flow: 'ha' });
  }

  /** Stop, and answer every waiting request: no slave will confirm it now. */
  override shutdown(): void {
    super.shutdown();
    this.answerUpTo(this.waiting.length, PutMessageStatus.FLUSH_SLAVE_TIMEOUT);
  }
}
