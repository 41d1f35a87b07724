/**
 * ProcessQueue: the consumer's buffer for one message queue, between the pull loop that
 * fills it and the consume service that empties it, and the rule for how far the group's
 * progress (the commit offset) may move.
 *
 * Pulled messages go into a map ordered by queue offset. The concurrent consume service
 * hands them to listeners in parallel, so they finish in any order; the offset the group
 * commits must still never pass a message that is not finished, or a crash would skip it.
 * So after each completion the commit offset is the *smallest offset still buffered*, or,
 * when the buffer is empty, one past the largest offset ever buffered:
 *
 * ```
 *   buffered: 10 11 12 13 14          queueOffsetMax = 14
 *   finish 12      → 10 11 __ 13 14   commit offset = 10  (10 still running)
 *   finish 10      → __ 11 __ 13 14   commit offset = 11
 *   finish 11,13,14→ (empty)          commit offset = 15  (queueOffsetMax + 1)
 * ```
 *
 * That is at-least-once: after a restart the group resumes at the commit offset, and
 * messages above it that had already finished (12 above) are consumed again.
 *
 * The orderly service uses a second map instead: `takeMessages` moves messages from the
 * buffer to `consumingMsgOrderlyTreeMap`; `commit()` forgets them and answers `max + 1`;
 * `makeMessageToConsumeAgain` puts them back to be retried in place.
 *
 * The queue also carries the flags the pull loop and the rebalance look at: `dropped`
 * (the queue was taken away: stop pulling and consuming), `locked` and `lastLockTimestamp`
 * (orderly: the broker lock, trusted for 30 s), `lastPullTimestamp` (a queue not pulled for
 * 120 s is re-created by the rebalance).
 *
 * Differences from RocketMQ 4.9.x:
 * - No read/write lock: every method runs to completion. `consumeLock` is an async mutex.
 * - The sorted map is a small sorted-array map (Java `TreeMap<Long, MessageExt>`).
 * - `commit()` on an empty consuming map answers -1 (Java's `lastKey()` would throw).
 * - Timestamps come from the injected Clock; `cleanExpiredMsg` takes the send-back as a function.
 *
 * @mirrors org.apache.rocketmq.client.impl.consumer.ProcessQueue
 * @article pull-consume-2 "ProcessQueue and the commit offset"
 * @category Client
 * @module
 */
import { MessageConst } from '../../common/message/message-const.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import type { Clock } from '../../platform/clock.js';
import { ConsumeMutex } from './message-queue-lock.js';

/** Java `rocketmq.client.rebalance.lockMaxLiveTime`: a broker lock is trusted this long (ms) after it was (re)taken. */
export const REBALANCE_LOCK_MAX_LIVE_TIME = 30_000;
/** Java `rocketmq.client.rebalance.lockInterval`: how often an orderly consumer renews its locks (ms). */
export const REBALANCE_LOCK_INTERVAL = 20_000;
/** Java `rocketmq.client.pull.pullMaxIdleTime`: a queue not pulled this long (ms) is dropped and re-created. */
export const PULL_MAX_IDLE_TIME = 120_000;

/**
 * A map from queue offset to message that iterates in offset order (Java `TreeMap`).
 * Offsets mostly arrive in increasing order, so keys live in a sorted array with a moving
 * head; removals are lazy (the key stays in the array until it reaches an end).
 */
class OffsetTreeMap {
  private readonly map = new Map<number, MessageExt>();
  private keys: number[] = [];
  private head = 0;

  get size(): number {
    return this.map.size;
  }

  get(offset: number): MessageExt | undefined {
    return this.map.get(offset);
  }

  /** Insert or replace; returns the message replaced. */
  put(offset: number, msg: MessageExt): MessageExt | undefined {
    const old = this.map.get(offset);
    this.map.set(offset, msg);
    if (old !== undefined) return old;
    const last = this.keys[this.keys.length - 1];
    if (last === undefined || offset > last) {
      this.keys.push(offset);
      return undefined;
    }
    let lo = this.head;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    // Keys before `head` are all removed ones, so an offset older than every live key lands at `head`.
    if (this.keys[lo] !== offset) this.keys.splice(lo, 0, offset); // else: a lazily removed key comes back
    return undefined;
  }

  remove(offset: number): MessageExt | undefined {
    const old = this.map.get(offset);
    if (old === undefined) return undefined;
    this.map.delete(offset);
    if (this.map.size === 0) this.clear();
    return old;
  }

  firstKey(): number | undefined {
    while (this.head < this.keys.length && !this.map.has(this.keys[this.head]!)) this.head++;
    if (this.head > 1024 && this.head * 2 > this.keys.length) {
      this.keys = this.keys.slice(this.head);
      this.head = 0;
    }
    return this.keys[this.head];
  }

  lastKey(): number | undefined {
    while (this.keys.length > this.head && !this.map.has(this.keys[this.keys.length - 1]!)) this.keys.pop();
    return this.keys.length > this.head ? this.keys[this.keys.length - 1] : undefined;
  }

  /** Messages in offset order. */
  values(): MessageExt[] {
    const out: MessageExt[] = [];
    for (let i = this.head; i < this.keys.length; i++) {
      const msg = this.map.get(this.keys[i]!);
      if (msg !== undefined) out.push(msg);
    }
    return out;
  }

  clear(): void {
    this.map.clear();
    this.keys = [];
    this.head = 0;
  }
}

export class ProcessQueue {
  private readonly msgTreeMap = new OffsetTreeMap();
  /** Orderly only: the messages taken by the listener call in progress. */
  private readonly consumingMsgOrderlyTreeMap = new OffsetTreeMap();
  private count = 0;
  private size = 0;
  /** The largest queue offset ever put (Java `queueOffsetMax`); 0 before the first put. */
  queueOffsetMax = 0;
  dropped = false;
  locked = false;
  lastLockTimestamp: number;
  lastPullTimestamp: number;
  lastConsumeTimestamp: number;
  /** Whether a consume request is scheduled or running for this queue (orderly dispatch). */
  consuming = false;
  tryUnlockTimes = 0;
  /** Messages on the broker not yet pulled: MAX_OFFSET − last queue offset (Java `msgAccCnt`). */
  msgAccCnt = 0;
  /** Held around an orderly listener call; the rebalance takes it before unlocking the queue. */
  readonly consumeLock = new ConsumeMutex();

  constructor(private readonly clock: Clock) {
    const now = clock.now();
    this.lastLockTimestamp = now;
    this.lastPullTimestamp = now;
    this.lastConsumeTimestamp = now;
  }

  /** Messages buffered and not yet finished (Java `msgCount`). */
  get msgCount(): number {
    return this.count;
  }

  /** Body bytes buffered (Java `msgSize`). */
  get msgSize(): number {
    return this.size;
  }

  isLockExpired(): boolean {
    return this.clock.now() - this.lastLockTimestamp > REBALANCE_LOCK_MAX_LIVE_TIME;
  }

  isPullExpired(): boolean {
    return this.clock.now() - this.lastPullTimestamp > PULL_MAX_IDLE_TIME;
  }

  /**
   * Buffer pulled messages. Returns true when the caller should start a consume request
   * (the orderly service starts one only when none is running).
   */
  putMessage(msgs: readonly MessageExt[]): boolean {
    let valid = 0;
    for (const msg of msgs) {
      if (this.msgTreeMap.put(msg.queueOffset, msg) === undefined) {
        valid++;
        this.queueOffsetMax = msg.queueOffset;
        this.size += msg.body.length;
      }
    }
    this.count += valid;
    let dispatchToConsume = false;
    if (this.msgTreeMap.size > 0 && !this.consuming) {
      dispatchToConsume = true;
      this.consuming = true;
    }
    const last = msgs[msgs.length - 1];
    const maxOffset = last?.getProperty(MessageConst.PROPERTY_MAX_OFFSET);
    if (last !== undefined && maxOffset !== undefined) {
      const accTotal = Number(maxOffset) - last.queueOffset;
      if (accTotal > 0) this.msgAccCnt = accTotal;
    }
    return dispatchToConsume;
  }

  /** Distance between the smallest and largest buffered offsets (flow control in concurrent mode). */
  getMaxSpan(): number {
    const first = this.msgTreeMap.firstKey();
    const last = this.msgTreeMap.lastKey();
    return first === undefined || last === undefined ? 0 : last - first;
  }

  /**
   * Forget finished messages and return the new commit offset: the smallest offset still
   * buffered, or `queueOffsetMax + 1` when nothing is; -1 when the buffer was already empty.
   */
  removeMessage(msgs: readonly MessageExt[]): number {
    this.lastConsumeTimestamp = this.clock.now();
    if (this.msgTreeMap.size === 0) return -1;
    let result = this.queueOffsetMax + 1;
    for (const msg of msgs) {
      if (this.msgTreeMap.remove(msg.queueOffset) !== undefined) {
        this.count--;
        this.size -= msg.body.length;
      }
    }
    const first = this.msgTreeMap.firstKey();
    if (first !== undefined) result = first;
    return result;
  }

  /** The buffered messages in offset order (a copy). */
  messages(): MessageExt[] {
    return this.msgTreeMap.values();
  }

  /** Orderly: put the messages of the current call back so they are taken again. */
  rollback(): void {
    for (const msg of this.consumingMsgOrderlyTreeMap.values()) this.msgTreeMap.put(msg.queueOffset, msg);
    this.consumingMsgOrderlyTreeMap.clear();
  }

  /** Orderly: the current call's messages are done; returns `max offset + 1` of them, or -1 when there were none. */
  commit(): number {
    const offset = this.consumingMsgOrderlyTreeMap.lastKey();
    for (const msg of this.consumingMsgOrderlyTreeMap.values()) {
      this.count--;
      this.size -= msg.body.length;
    }
    this.consumingMsgOrderlyTreeMap.clear();
    return offset === undefined ? -1 : offset + 1;
  }

  /** Orderly: move these messages from the current call back to the buffer, to retry them in place. */
  makeMessageToConsumeAgain(msgs: readonly MessageExt[]): void {
    for (const msg of msgs) {
      this.consumingMsgOrderlyTreeMap.remove(msg.queueOffset);
      this.msgTreeMap.put(msg.queueOffset, msg);
    }
  }

  /** Orderly: take up to `batchSize` of the smallest offsets into the current call; clears `consuming` when none. */
  takeMessages(batchSize: number): MessageExt[] {
    this.lastConsumeTimestamp = this.clock.now();
    const result: MessageExt[] = [];
    for (let i = 0; i < batchSize; i++) {
      const first = this.msgTreeMap.firstKey();
      if (first === undefined) break;
      const msg = this.msgTreeMap.remove(first)!;
      result.push(msg);
      this.consumingMsgOrderlyTreeMap.put(first, msg);
    }
    if (result.length === 0) this.consuming = false;
    return result;
  }

  /** Whether any message is still buffered (Java `hasTempMessage`). */
  hasTempMessage(): boolean {
    return this.msgTreeMap.size > 0;
  }

  clear(): void {
    this.msgTreeMap.clear();
    this.consumingMsgOrderlyTreeMap.clear();
    this.count = 0;
    this.size = 0;
    this.queueOffsetMax = 0;
  }

  /**
   * Concurrent mode only: send back (delay level 3) the oldest buffered messages whose
   * listener started more than `consumeTimeoutMs` ago, at most 16 per call, and forget them.
   * Java runs this every `consumeTimeout` minutes; a listener that hangs would otherwise pin
   * the commit offset forever.
   */
  async cleanExpiredMsg(consumeTimeoutMs: number, sendMessageBack: (msg: MessageExt, delayLevel: number) => Promise<void>): Promise<number> {
    let cleaned = 0;
    const loop = Math.min(this.msgTreeMap.size, 16);
    for (let i = 0; i < loop; i++) {
      const first = this.msgTreeMap.firstKey();
      const msg = first === undefined ? undefined : this.msgTreeMap.get(first);
      const started = msg?.getProperty(MessageConst.PROPERTY_CONSUME_START_TIMESTAMP);
      if (msg === undefined || started === undefined || this.clock.now() - Number(started) <= consumeTimeoutMs) break;
      try {
        await sendMessageBack(msg, 3);
      } catch {
        break; // Java logs "send expired msg exception" and tries the same message again, up to 16 times.
      }
      if (this.msgTreeMap.firstKey() === msg.queueOffset) {
        this.removeMessage([msg]);
        cleaned++;
      }
    }
    return cleaned;
  }
}
