/**
 * TransactionMQProducerImpl: the producer's half of a RocketMQ transaction, from the half
 * message to END_TRANSACTION, and the answers to the broker's check-backs.
 *
 * A transactional message must become visible if and only if the application's local
 * transaction commits. The producer cannot do both atomically, so it splits the work in
 * two phases and lets the broker ask again when the second phase is missing:
 *
 * ```
 *   producer                                         broker
 *   1 send msg  TRAN_MSG=true PGROUP=pg ───────────► stored as a half message in
 *     (sysFlag PREPARED, DELAY removed)               RMQ_SYS_TRANS_HALF_TOPIC/0: invisible
 *                            ◄─────────── SEND_OK, offsetMsgId (host + commit-log offset),
 *                                         queueOffset (in the half queue)
 *   2 executeLocalTransaction(msg, arg)   → COMMIT / ROLLBACK / UNKNOW
 *       (not SEND_OK: ROLLBACK without running it; it threw: UNKNOW)
 *   3 END_TRANSACTION one-way to the master ───────► COMMIT: store the real message (visible)
 *       producerGroup, commitOrRollback 8/12/0,      ROLLBACK: forget it; UNKNOW: nothing
 *       commitLogOffset = decoded from offsetMsgId,
 *       tranStateTableOffset = queueOffset, msgId = UNIQ_KEY
 *   ... no verdict after transactionTimeOut (6 s)? every transactionCheckInterval (60 s):
 *                       ◄──────────────────────── CHECK_TRANSACTION_STATE one-way (new offsets)
 *   4 checkLocalTransaction(msgExt)        → COMMIT / ROLLBACK / UNKNOW
 *   5 END_TRANSACTION one-way to that broker ──────► fromTransactionCheck=true, header offsets
 * ```
 *
 * Check-backs arrive on the remoting layer's turn; each one is queued and answered later,
 * one at a time, in arrival order (Java: a check executor with one thread and a queue of
 * `checkRequestHoldMax` (2000) requests, beyond which it rejects).
 *
 * Differences from RocketMQ 4.9.x:
 * - The listener may answer with a Promise; the next check waits for it, as the next task
 *   waits for Java's single check thread.
 * - `fromTransactionCheck` is sent as "false" on the first END_TRANSACTION (Java leaves it
 *   out; the broker reads both as false).
 * - When the offsetMsgId of the send cannot be decoded, no END_TRANSACTION is sent (Java
 *   decodes the UNIQ_KEY instead, which the broker then rejects); the check-back resolves it.
 * - No end-transaction hooks, no namespace, no custom check executor.
 *
 * @mirrors org.apache.rocketmq.client.impl.producer.DefaultMQProducerImpl#sendMessageInTransaction
 * @mirrors org.apache.rocketmq.client.impl.producer.DefaultMQProducerImpl#endTransaction
 * @mirrors org.apache.rocketmq.client.impl.producer.DefaultMQProducerImpl#checkTransactionState
 * @article transaction "The producer side of a transaction"
 * @emits client.tx.half-sent, client.tx.local-executed, client.tx.end-sent, client.tx.check-answered, client.tx.check-dropped
 * @category Client
 * @module
 */
import { MessageConst, PROPERTY_TRANSACTION_ID } from '../../common/message/message-const.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import { decodeMessageId, getUniqID } from '../../common/message/message-id.js';
import type { Message } from '../../common/message/message.js';
import { RMQ_SYS_TRANS_HALF_TOPIC } from '../../common/topic/topic-validator.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { EndTransactionRequestHeader } from '../client-request-headers.js';
import { MQClientError } from '../errors.js';
import { checkMessage } from '../validators.js';
import type { DefaultMQProducerImpl, ProducerSettings } from './default-mq-producer-impl.js';
import { commitOrRollbackOf, LocalTransactionState, toLocalTransactionState } from './local-transaction-state.js';
import type { CheckTransactionStateRequestHeader } from './mq-producer-inner.js';
import type { SendResult } from './send-result.js';
import type { TransactionListener } from './transaction-listener.js';
import type { TransactionSendResult } from './transaction-send-result.js';

/** The transactional producer's settings (the façade's public fields). */
export interface TransactionProducerSettings extends ProducerSettings {
  transactionListener: TransactionListener | undefined;
  /** Check-backs that may wait for the listener at once; more are dropped. @defaultValue 2000 */
  checkRequestHoldMax: number;
}

/** Java answers a check-back with this END_TRANSACTION timeout, whatever sendMsgTimeout says. */
const CHECK_REPLY_TIMEOUT_MS = 3000;

export class TransactionMQProducerImpl {
  /** Checks queued or running now (Java: the check executor's queue plus its thread). */
  private pendingChecks = 0;
  /** The last queued check: the next one runs after it (one check thread). */
  private checkTail: Promise<void> = Promise.resolve();

  constructor(
    private readonly settings: TransactionProducerSettings,
    private readonly producer: DefaultMQProducerImpl,
    private readonly events: NodeEvents,
  ) {}

  // ---------------------------------------------------------------------------------------
  // Steps 1-3: the half message, the local transaction, END_TRANSACTION.

  /**
   * Send `msg` as a half message, run the local transaction, and report its verdict to the
   * broker. Rejects only when the half message could not be sent (Java: "send message
   * Exception") or the message is invalid; a failing listener or END_TRANSACTION does not.
   */
  async sendMessageInTransaction(msg: Message, arg: unknown): Promise<TransactionSendResult> {
    const listener = this.settings.transactionListener;
    if (listener === undefined) throw new MQClientError(-1, 'TransactionListener is null');
    // 4.9: a transactional message is never delayed (4.4 would park the half message in SCHEDULE_TOPIC).
    msg.clearProperty(MessageConst.PROPERTY_DELAY_TIME_LEVEL);
    checkMessage(msg, this.settings.maxMessageSize);
    // TRAN_MSG makes the send path set sysFlag PREPARED; PGROUP tells the broker whom to ask back.
    msg.putProperty(MessageConst.PROPERTY_TRANSACTION_PREPARED, 'true');
    msg.putProperty(MessageConst.PROPERTY_PRODUCER_GROUP, this.settings.producerGroup);
    let sendResult: SendResult;
    try {
      sendResult = (await this.producer.sendDefaultImpl(msg, 'SYNC', this.settings.sendMsgTimeout))!;
    } catch (error) {
      throw new MQClientError(-1, `send message Exception: ${describe(error)}`, { cause: error });
    }
    this.emitHalfSent(sendResult);

    let state: LocalTransactionState = LocalTransactionState.UNKNOW;
    let localError: unknown;
    if (sendResult.sendStatus === 'SEND_OK') {
      if (sendResult.transactionId !== undefined) msg.putProperty(PROPERTY_TRANSACTION_ID, sendResult.transactionId);
      const uniqKey = getUniqID(msg);
      if (uniqKey !== undefined && uniqKey.length > 0) msg.transactionId = uniqKey;
      try {
        state = toLocalTransactionState(await listener.executeLocalTransaction(msg, arg));
      } catch (error) {
        localError = error;
      }
    } else {
      // Stored, but not as durably as asked (flush or slave timeout): Java rolls back at once.
      state = LocalTransactionState.ROLLBACK_MESSAGE;
    }
    const rule = sendResult.sendStatus !== 'SEND_OK' ? 'send-not-ok-rolls-back' : localError !== undefined ? 'listener-threw-is-unknown' : 'listener-answered';
    this.events.emit('client.tx.local-executed', {
      uniqKey: sendResult.msgId,
      state,
      ...(localError === undefined ? {} : { error: describe(localError) }),
    }, { flow: 'tx', msg: this.halfRef(sendResult), why: { rule, inputs: { sendStatus: sendResult.sendStatus, threw: localError !== undefined }, outcome: state } });

    await this.endTransaction(sendResult, state, localError);
    return { ...sendResult, localTransactionState: state };
  }

  /**
   * END_TRANSACTION one-way to the master of the queue's broker. The commit-log offset comes
   * from decoding the offsetMsgId the broker returned; the broker checks it, the producer
   * group and the half-queue offset against the stored half message.
   */
  private async endTransaction(sendResult: SendResult, state: LocalTransactionState, localError: unknown): Promise<void> {
    const id = decodeMessageId(sendResult.offsetMsgId);
    const brokerAddr = this.producer.mQClientFactory.findBrokerAddressInPublish(sendResult.messageQueue.brokerName);
    const header: EndTransactionRequestHeader = {
      producerGroup: this.settings.producerGroup,
      tranStateTableOffset: sendResult.queueOffset,
      commitLogOffset: id?.offset ?? -1,
      commitOrRollback: commitOrRollbackOf(state),
      fromTransactionCheck: false,
      msgId: sendResult.msgId,
      ...(sendResult.transactionId === undefined ? {} : { transactionId: sendResult.transactionId }),
    };
    if (id === undefined || brokerAddr === undefined) {
      const error = id === undefined ? `cannot decode offsetMsgId "${sendResult.offsetMsgId}"` : `no address for broker ${sendResult.messageQueue.brokerName}`;
      this.emitEndSent(brokerAddr ?? '', header, state, error);
      return;
    }
    const remark = localError === undefined ? undefined : `executeLocalTransactionBranch exception: ${describe(localError)}`;
    await this.sendEnd(brokerAddr, header, remark, this.settings.sendMsgTimeout, state);
  }

  // ---------------------------------------------------------------------------------------
  // Steps 4-5: the broker checks back.

  /**
   * A broker asks about a half message it still has no verdict for. Queue the question for
   * the listener (never on the caller's turn) and answer with END_TRANSACTION to `addr`,
   * the broker that asked.
   */
  checkTransactionState(addr: string, msg: MessageExt, header: CheckTransactionStateRequestHeader): void {
    const uniqKey = getUniqID(msg) ?? msg.msgId;
    // Java's ClientRemotingProcessor sets the transaction id to the UNIQ_KEY before the listener sees it.
    if (msg.transactionId === undefined && uniqKey.length > 0) msg.transactionId = uniqKey;
    const listener = this.settings.transactionListener;
    if (listener === undefined || this.pendingChecks >= this.settings.checkRequestHoldMax) {
      this.events.emit('client.tx.check-dropped', {
        uniqKey,
        brokerAddr: addr,
        reason: listener === undefined ? 'no-listener' : 'queue-full',
        pending: this.pendingChecks,
      }, { flow: 'tx', msg: { uniqKey, topic: msg.topic, tx: 'half' } });
      return;
    }
    this.pendingChecks++;
    this.checkTail = this.checkTail.then(async () => {
      try {
        await this.processCheck(listener, addr, msg, header, uniqKey);
      } finally {
        this.pendingChecks--;
      }
    });
  }

  /** Ask the listener, then send its verdict with the offsets the broker gave (Java: `processTransactionState`). */
  private async processCheck(listener: TransactionListener, addr: string, msg: MessageExt, header: CheckTransactionStateRequestHeader, uniqKey: string): Promise<void> {
    let state: LocalTransactionState = LocalTransactionState.UNKNOW;
    let checkError: unknown;
    try {
      state = toLocalTransactionState(await listener.checkLocalTransaction(msg));
    } catch (error) {
      checkError = error;
    }
    this.events.emit('client.tx.check-answered', {
      uniqKey,
      brokerAddr: addr,
      state,
      commitLogOffset: header.commitLogOffset,
      tranStateTableOffset: header.tranStateTableOffset,
      ...(checkError === undefined ? {} : { error: describe(checkError) }),
    }, {
      flow: 'tx',
      msg: { uniqKey, topic: RMQ_SYS_TRANS_HALF_TOPIC, queueId: 0, queueOffset: header.tranStateTableOffset, physOffset: header.commitLogOffset, realTopic: msg.topic, tx: 'half' },
      why: { rule: checkError === undefined ? 'listener-answered' : 'listener-threw-is-unknown', inputs: { threw: checkError !== undefined }, outcome: state },
    });
    const endHeader: EndTransactionRequestHeader = {
      producerGroup: this.settings.producerGroup,
      tranStateTableOffset: header.tranStateTableOffset,
      commitLogOffset: header.commitLogOffset,
      commitOrRollback: commitOrRollbackOf(state),
      fromTransactionCheck: true,
      msgId: uniqKey,
      ...(header.transactionId === undefined ? {} : { transactionId: header.transactionId }),
    };
    const remark = checkError === undefined ? undefined : `checkLocalTransactionState Exception: ${describe(checkError)}`;
    await this.sendEnd(addr, endHeader, remark, CHECK_REPLY_TIMEOUT_MS, state);
  }

  // ---------------------------------------------------------------------------------------
  // Helpers.

  /** Write END_TRANSACTION one-way; a failure is reported, never thrown (Java logs it). */
  private async sendEnd(addr: string, header: EndTransactionRequestHeader, remark: string | undefined, timeoutMs: number, state: LocalTransactionState): Promise<void> {
    let failure: string | undefined;
    try {
      await this.producer.mQClientFactory.mqClientAPIImpl.endTransactionOneway(addr, header, remark, timeoutMs);
    } catch (error) {
      failure = describe(error);
    }
    this.emitEndSent(addr, header, state, failure);
  }

  private emitEndSent(brokerAddr: string, header: EndTransactionRequestHeader, state: LocalTransactionState, error: string | undefined): void {
    const tx = state === 'COMMIT_MESSAGE' ? 'commit' : state === 'ROLLBACK_MESSAGE' ? 'rollback' : 'unknown';
    this.events.emit('client.tx.end-sent', {
      uniqKey: header.msgId,
      brokerAddr,
      commitOrRollback: header.commitOrRollback,
      state,
      fromTransactionCheck: header.fromTransactionCheck,
      commitLogOffset: header.commitLogOffset,
      tranStateTableOffset: header.tranStateTableOffset,
      ok: error === undefined,
      ...(error === undefined ? {} : { error }),
    }, { flow: 'tx', msg: { uniqKey: header.msgId, topic: RMQ_SYS_TRANS_HALF_TOPIC, queueId: 0, queueOffset: header.tranStateTableOffset, physOffset: header.commitLogOffset, tx } });
  }

  private emitHalfSent(result: SendResult): void {
    this.events.emit('client.tx.half-sent', {
      uniqKey: result.msgId,
      producerGroup: this.settings.producerGroup,
      status: result.sendStatus,
      mq: { ...result.messageQueue },
      queueOffset: result.queueOffset,
      offsetMsgId: result.offsetMsgId,
    }, { flow: 'tx', msg: this.halfRef(result) });
  }

  /** Where the half message is: queue 0 of the half topic, at the returned offsets. */
  private halfRef(result: SendResult) {
    const physOffset = decodeMessageId(result.offsetMsgId)?.offset;
    return {
      uniqKey: result.msgId,
      offsetMsgId: result.offsetMsgId,
      topic: RMQ_SYS_TRANS_HALF_TOPIC,
      queueId: 0,
      queueOffset: result.queueOffset,
      ...(physOffset === undefined ? {} : { physOffset }),
      realTopic: result.messageQueue.topic,
      tx: 'half' as const,
    };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
