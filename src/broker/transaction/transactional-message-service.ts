/**
 * TransactionalMessageServiceImpl: finds the half message an END_TRANSACTION names, marks
 * half messages finished, and walks the half queue to find the ones nobody finished.
 *
 * A producer that crashed between "prepare" and "commit" leaves a half message behind that
 * no op record finishes. Once a minute the check service calls `check`, which reads
 * the op queue into a map of finished half offsets and then walks the half queue from where
 * it stopped last time:
 *
 * ```
 *   half q0   h5   h6   h7   h8   h9          halfOffset = 5 (consume offset of CID_RMQ_SYS_TRANS)
 *   op   q0   d:7  d:5  d:3                   opOffset   = 0
 *
 *   fillOpRemoveMap: d:7 ──► removeMap{7: op 0}, d:5 ──► removeMap{5: op 1},
 *                    d:3 ──► 3 < halfOffset: already behind us, done op 2
 *   walk i=5  in removeMap       ──► done (op 1)
 *        i=6  TRANSACTION_CHECK_TIMES >= transactionCheckMax (15)
 *             or born > fileReservedTime (72 h) ago       ──► discard (TRANS_CHECK_MAX_TIME_TOPIC)
 *             stored after this round began               ──► stop
 *             younger than its immunity (6 s or CHECK_IMMUNITY_TIME_IN_SECONDS)
 *                                                         ──► stop (own immunity: re-put, go on)
 *             otherwise: re-put h6 at the tail as h10, ask the producer (CHECK_TRANSACTION_STATE)
 *        i=7  in removeMap       ──► done (op 0)
 *        i=8  nothing stored yet ──► stop
 *   halfOffset ──► 8;  done ops {0, 1, 2} ──► opOffset ──► 3  (only a contiguous run counts)
 * ```
 *
 * The consume offsets are the service's only memory, kept by the ConsumerOffsetManager like
 * any group's: after a restart the walk resumes where they say, and op records below them are
 * not read again. 4.4 forgot to count the ops matched during the walk as done, so its op
 * offset could stall forever; 4.9 (and we) count them.
 *
 * Differences from RocketMQ 4.9.x:
 * - The walk never spins. Where Java retries the same offset until its 60 s budget runs out
 *   (a re-put that keeps failing; more op records wanted but none left), the round for that
 *   queue stops, and the next round (one interval later) tries again. On a virtual clock that
 *   stands still during a round, Java's loop would never end.
 * - A record that END_TRANSACTION names must be in the half topic (Java accepts any record
 *   with a matching producer group and offsets).
 * - A bad record (no queue, empty op batch) ends the queue's round instead of throwing out of
 *   the whole check.
 * - Java's check runs on its own thread and hands each check-back to a small executor; here
 *   the round is one async function, and the check-back is sent inline.
 *
 * @mirrors org.apache.rocketmq.broker.transaction.queue.TransactionalMessageServiceImpl
 * @mirrors org.apache.rocketmq.broker.transaction.OperationResult
 * @mirrors org.apache.rocketmq.broker.transaction.queue.GetResult
 * @article transaction "Checking back: the half queue walk"
 * @emits broker.tx.check-round, broker.tx.half-requeued
 * @category Broker
 * @module
 */
import { decodeUtf8 } from '../../common/bytes.js';
import { javaParseInt } from '../../common/java-compat.js';
import { MessageConst } from '../../common/message/message-const.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { Why } from '../../events/event-types.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';
import { PutMessageStatus } from '../../store/results.js';
import type { TransactionalMessageCheckListener } from './default-transactional-message-check-listener.js';
import type { TransactionalMessageBridge, TransactionPullResult } from './transactional-message-bridge.js';
import { HALF_TOPIC, OP_TOPIC, parseLongOrMinusOne, REMOVETAG } from './transactional-message-util.js';

/** Longest a round may spend on one half queue (Java `MAX_PROCESS_TIME_LIMIT`). */
export const MAX_PROCESS_TIME_LIMIT = 60_000;
/** Unreadable half offsets skipped before the walk gives up (Java `MAX_RETRY_COUNT_WHEN_HALF_NULL`). */
const MAX_RETRY_COUNT_WHEN_HALF_NULL = 1;
/** Op records read per batch. */
const OP_BATCH = 32;
const MS_PER_HOUR = 3_600_000;

/** The answer of a lookup for END_TRANSACTION (Java `OperationResult`). */
export interface OperationResult {
  readonly prepareMessage: MessageExt | undefined;
  readonly responseCode: number;
  readonly responseRemark: string | undefined;
}

export interface TransactionalMessageServiceOptions {
  readonly bridge: TransactionalMessageBridge;
  readonly clock: Clock;
  readonly events: NodeEvents;
  /** Hours a message is kept (`MessageStoreConfig.fileReservedTime`); older half messages are discarded. */
  readonly fileReservedTime: number;
}

/** How the walk over one queue went, for the `broker.tx.check-round` event. */
interface Tally {
  checked: number;
  done: number;
  discarded: number;
  requeued: number;
  stop: string;
}

export class TransactionalMessageServiceImpl {
  private readonly bridge: TransactionalMessageBridge;

  constructor(private readonly options: TransactionalMessageServiceOptions) {
    this.bridge = options.bridge;
  }

  // --- END_TRANSACTION ---------------------------------------------------------------------

  /** The half message to commit, found by its commit-log offset. */
  commitMessage(header: { readonly commitLogOffset: number }): OperationResult {
    return this.getHalfMessageByOffset(header.commitLogOffset);
  }

  /** The half message to roll back, found by its commit-log offset. */
  rollbackMessage(header: { readonly commitLogOffset: number }): OperationResult {
    return this.getHalfMessageByOffset(header.commitLogOffset);
  }

  /** Write the op record that finishes `msgExt` (a half message). */
  deletePrepareMessage(msgExt: MessageExt): Promise<boolean> {
    return this.bridge.putOpMessage(msgExt, REMOVETAG);
  }

  private getHalfMessageByOffset(commitLogOffset: number): OperationResult {
    const found = this.bridge.lookMessageByOffset(commitLogOffset);
    if (found !== undefined && found.topic === HALF_TOPIC) {
      return { prepareMessage: found, responseCode: ResponseCode.SUCCESS, responseRemark: undefined };
    }
    return { prepareMessage: undefined, responseCode: ResponseCode.SYSTEM_ERROR, responseRemark: 'Find prepared transaction message failed' };
  }

  // --- the check round ---------------------------------------------------------------------

  /** One round over every half queue (Java `check`). */
  async check(transactionTimeout: number, transactionCheckMax: number, listener: TransactionalMessageCheckListener): Promise<void> {
    for (const queueId of this.bridge.fetchMessageQueues(HALF_TOPIC)) {
      await this.checkQueue(queueId, transactionTimeout, transactionCheckMax, listener);
    }
  }

  private async checkQueue(queueId: number, transactionTimeout: number, transactionCheckMax: number, listener: TransactionalMessageCheckListener): Promise<void> {
    const { clock } = this.options;
    const startTime = clock.now();
    const halfOffset = this.bridge.fetchConsumeOffset(HALF_TOPIC, queueId);
    const opOffset = this.bridge.fetchConsumeOffset(OP_TOPIC, queueId);
    if (halfOffset < 0 || opOffset < 0) return; // Java: "illegal offset read", skip this queue
    const doneOpOffset: number[] = [];
    const removeMap = new Map<number, number>();
    let pullResult = this.fillOpRemoveMap(removeMap, queueId, opOffset, halfOffset, doneOpOffset);
    if (pullResult === undefined) return; // the store is shut down
    const tally: Tally = { checked: 0, done: 0, discarded: 0, requeued: 0, stop: '' };
    let getMessageNullCount = 1;
    let newOffset = halfOffset;
    let i = halfOffset;
    for (;;) {
      if (clock.now() - startTime > MAX_PROCESS_TIME_LIMIT) {
        tally.stop = 'time-limit';
        break;
      }
      const removedOpOffset = removeMap.get(i);
      if (removedOpOffset !== undefined) {
        // Finished by an op record. Counting its op as done is the 4.9 fix.
        removeMap.delete(i);
        doneOpOffset.push(removedOpOffset);
        tally.done++;
      } else {
        const got = this.bridge.getHalfMessage(queueId, i, 1);
        const msgExt = got?.msgFoundList?.[0];
        if (msgExt === undefined) {
          if (getMessageNullCount++ > MAX_RETRY_COUNT_WHEN_HALF_NULL || got === undefined) {
            tally.stop = 'unreadable';
            break;
          }
          if (got.pullStatus === 'NO_NEW_MSG') {
            tally.stop = 'no-new-msg';
            break;
          }
          i = got.nextBeginOffset; // an illegal offset: jump to where the queue says to go on
          newOffset = i;
          continue;
        }

        const discard = this.needDiscard(msgExt, transactionCheckMax) ? 'check-max' : this.needSkip(msgExt) ? 'file-reserved-time' : undefined;
        if (discard !== undefined) {
          await listener.resolveDiscardMsg(msgExt, discard);
          tally.discarded++;
          newOffset = ++i;
          continue;
        }
        if (msgExt.storeTimestamp >= startTime) {
          tally.stop = 'fresh'; // stored after this round began (a copy this round just made, say)
          break;
        }

        const age = clock.now() - msgExt.bornTimestamp;
        let immunity = transactionTimeout;
        const immunityText = msgExt.getProperty(MessageConst.PROPERTY_CHECK_IMMUNITY_TIME_IN_SECONDS);
        if (immunityText !== undefined) {
          immunity = getImmunityTime(immunityText, transactionTimeout);
          if (age < immunity && (await this.checkPrepareQueueOffset(removeMap, doneOpOffset, msgExt))) {
            tally.requeued++;
            newOffset = ++i;
            continue;
          }
        } else if (age >= 0 && age < immunity) {
          tally.stop = 'immune'; // every later half message is younger still
          break;
        }

        const opMsg = pullResult.msgFoundList;
        const lastOp = opMsg?.[opMsg.length - 1];
        const isNeedCheck = (lastOp === undefined && age > immunity)
          || (lastOp !== undefined && lastOp.bornTimestamp - startTime > transactionTimeout)
          || age <= -1;
        if (isNeedCheck) {
          const halfOffsetBefore = msgExt.queueOffset;
          if (!(await this.putBackHalfMsgQueue(msgExt))) {
            tally.stop = 'put-failed'; // Java retries this offset until its time budget is spent
            break;
          }
          const why: Why = { rule: 'transaction-check', inputs: { ageMs: age, immunityMs: immunity, opsLoaded: opMsg?.length ?? 0 }, outcome: 'check' };
          listener.resolveHalfMsg(msgExt, halfOffsetBefore, why);
          tally.checked++;
        } else {
          // Maybe a later op record finishes this one: read the next batch and look again.
          if (lastOp === undefined) {
            tally.stop = 'ops-exhausted'; // nothing more to read; Java would spin here
            break;
          }
          const next = this.fillOpRemoveMap(removeMap, queueId, pullResult.nextBeginOffset, halfOffset, doneOpOffset);
          if (next === undefined) {
            tally.stop = 'unreadable';
            break;
          }
          pullResult = next;
          continue;
        }
      }
      newOffset = ++i;
    }

    if (newOffset !== halfOffset) this.bridge.updateConsumeOffset(HALF_TOPIC, queueId, newOffset);
    const newOpOffset = calculateOpOffset(doneOpOffset, opOffset);
    if (newOpOffset !== opOffset) this.bridge.updateConsumeOffset(OP_TOPIC, queueId, newOpOffset);
    this.options.events.emit('broker.tx.check-round', {
      queueId, halfOffsetBefore: halfOffset, halfOffsetAfter: newOffset, opOffsetBefore: opOffset, opOffsetAfter: newOpOffset, ...tally,
    }, { flow: 'tx' });
  }

  /**
   * Read up to 32 op records from `pullOffsetOfOp` into `removeMap` (half offset ──► op
   * offset). Ops for half offsets below `miniOffset` finished messages the walk already
   * passed: they go straight to `doneOpOffset`. `undefined` when the store answers nothing.
   */
  private fillOpRemoveMap(
    removeMap: Map<number, number>, queueId: number, pullOffsetOfOp: number, miniOffset: number, doneOpOffset: number[],
  ): TransactionPullResult | undefined {
    const pullResult = this.bridge.getOpMessage(queueId, pullOffsetOfOp, OP_BATCH);
    if (pullResult === undefined) return undefined;
    if (pullResult.pullStatus === 'OFFSET_ILLEGAL' || pullResult.pullStatus === 'NO_MATCHED_MSG') {
      this.bridge.updateConsumeOffset(OP_TOPIC, queueId, pullResult.nextBeginOffset);
      return pullResult;
    }
    for (const op of pullResult.msgFoundList ?? []) {
      if (op.tags !== REMOVETAG) continue; // Java: "Found a illegal tag in opMessageExt"
      const queueOffset = parseLongOrMinusOne(decodeUtf8(op.body, 0, op.body.length));
      if (queueOffset < miniOffset) doneOpOffset.push(op.queueOffset);
      else removeMap.set(queueOffset, op.queueOffset);
    }
    return pullResult;
  }

  /**
   * A still-immune half message with its own immunity: true when the walk may move past it,
   * because an op already finished its first copy, or because it was re-put at the tail.
   */
  private async checkPrepareQueueOffset(removeMap: Map<number, number>, doneOpOffset: number[], msgExt: MessageExt): Promise<boolean> {
    const text = msgExt.getProperty(MessageConst.PROPERTY_TRANSACTION_PREPARED_QUEUE_OFFSET);
    if (text !== undefined) {
      const prepareQueueOffset = parseLongOrMinusOne(text);
      if (prepareQueueOffset === -1) return false;
      const opOffset = removeMap.get(prepareQueueOffset);
      if (opOffset !== undefined) {
        removeMap.delete(prepareQueueOffset);
        doneOpOffset.push(opOffset);
        return true;
      }
    }
    const ok = await this.bridge.putMessage(this.bridge.renewImmunityHalfMessageInner(msgExt));
    const preparedQueueOffset = parseLongOrMinusOne(text ?? String(msgExt.queueOffset));
    this.options.events.emit('broker.tx.half-requeued', { halfOffsetBefore: msgExt.queueOffset, preparedQueueOffset, ok }, { flow: 'tx' });
    return ok;
  }

  /**
   * Java `needDiscard`: checked `transactionCheckMax` times already? If not, count this check
   * in TRANSACTION_CHECK_TIMES (absent ──► 1, else + 1) on `msgExt`.
   */
  private needDiscard(msgExt: MessageExt, transactionCheckMax: number): boolean {
    const text = msgExt.getProperty(MessageConst.PROPERTY_TRANSACTION_CHECK_TIMES);
    let checkTime = 1;
    if (text !== undefined) {
      checkTime = parseIntOrMinusOne(text);
      if (checkTime >= transactionCheckMax) return true;
      checkTime++;
    }
    msgExt.putProperty(MessageConst.PROPERTY_TRANSACTION_CHECK_TIMES, String(checkTime));
    return false;
  }

  /** Java `needSkip`: born longer ago than the store keeps files. */
  private needSkip(msgExt: MessageExt): boolean {
    return this.options.clock.now() - msgExt.bornTimestamp > this.options.fileReservedTime * MS_PER_HOUR;
  }

  /** Re-put at the tail; on PUT_OK `msgExt` takes the copy's queue offset, commit-log offset and msgId. */
  private async putBackHalfMsgQueue(msgExt: MessageExt): Promise<boolean> {
    const result = await this.bridge.putMessageReturnResult(this.bridge.renewHalfMessageInner(msgExt));
    const appended = result.appendMessageResult;
    if (result.putMessageStatus !== PutMessageStatus.PUT_OK || appended === undefined) return false;
    msgExt.queueOffset = appended.logicsOffset;
    msgExt.commitLogOffset = appended.wroteOffset;
    msgExt.msgId = appended.msgId;
    return true;
  }
}

/** Immunity in ms: CHECK_IMMUNITY_TIME_IN_SECONDS × 1000, or `transactionTimeout` when it is not a number. */
function getImmunityTime(text: string, transactionTimeout: number): number {
  const seconds = parseLongOrMinusOne(text);
  return seconds === -1 ? transactionTimeout : seconds * 1000;
}

/** Java `Integer.parseInt`, or −1 when it throws (Java's `getInt`). */
function parseIntOrMinusOne(text: string): number {
  return javaParseInt(text) ?? -1;
}

/** The new op offset: `oldOffset` advanced over the contiguous run of done op offsets starting at it. */
export function calculateOpOffset(doneOffset: readonly number[], oldOffset: number): number {
  const sorted = [...doneOffset].sort((a, b) => a - b);
  let newOffset = oldOffset;
  for (const offset of sorted) {
    if (offset !== newOffset) break;
    newOffset++;
  }
  return newOffset;
}
