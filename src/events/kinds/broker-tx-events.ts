/**
 * Event payloads of the broker's transaction support: half messages, END_TRANSACTION commit and rollback, op records and the check-back service.
 *
 * Filled in by the code that emits them; each kind is `<module>.<noun>.<past-tense verb>`
 * and carries only plain JSON, so it survives a JSONL round trip. The viz draws a
 * transaction as three lanes: the half queue (`half-stored`, `half-requeued`, the re-put of
 * a `check-sent`), the op queue (`op-written`), and the producer's answers (`ended`). Every
 * kind carries `flow: 'tx'`; those about one message carry `msg` with `tx` set to `'half'`,
 * `'commit'` or `'rollback'`, and decisions carry `why`.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ, which logs none of these.
 *
 * @article transaction "The broker side of a transaction"
 * @category Events
 * @module
 */

/** What the producer asked for in END_TRANSACTION (`commitOrRollback` 8, 12 or 0). */
export type TxResolution = 'commit' | 'rollback' | 'unknown';

export interface BrokerTxEventMap {
  /**
   * A prepared send was stored as a half message in `RMQ_SYS_TRANS_HALF_TOPIC` queue 0
   * (`TransactionalMessageBridge.putHalfMessage`). `status` is the store's PutMessageStatus;
   * `halfQueueOffset`/`commitLogOffset` are what the producer gets back (−1 when nothing was
   * stored). `delayDropped` is the `DELAY` level removed from the half message, if any.
   */
  'broker.tx.half-stored': {
    producerGroup: string;
    realTopic: string;
    realQueueId: number;
    halfQueueOffset: number;
    commitLogOffset: number;
    offsetMsgId: string;
    status: string;
    delayDropped?: number;
  };
  /**
   * END_TRANSACTION was handled (`EndTransactionProcessor.processRequest`). `outcome` is
   * `'committed'` (the real message was stored, then the op record), `'rolled-back'` (only
   * the op record), `'ignored'` (type 0: still unknown, nothing done) or `'refused'` (with the
   * response code name in `refused` and its `remark`: a slave, a bad header, or a half
   * message that does not match). `commitQueueOffset`/`commitPhysOffset` say where the
   * committed message landed. Carries `why` (rule `end-transaction`).
   */
  'broker.tx.ended': {
    producerGroup: string;
    commitOrRollback: TxResolution;
    fromTransactionCheck: boolean;
    tranStateTableOffset: number;
    commitLogOffset: number;
    msgId: string;
    outcome: 'committed' | 'rolled-back' | 'ignored' | 'refused';
    refused?: string;
    remark?: string;
    realTopic?: string;
    commitQueueOffset?: number;
    commitPhysOffset?: number;
  };
  /**
   * An op record ("this half message is finished", tags `d`, body = the half queue offset in
   * decimal) was written to `RMQ_SYS_TRANS_OP_HALF_TOPIC` (`addRemoveTagInTransactionOp`).
   * `opQueueOffset` is −1 when the put failed (`status` says why).
   */
  'broker.tx.op-written': {
    halfQueueId: number;
    halfQueueOffset: number;
    opQueueOffset: number;
    opPhysOffset: number;
    status: string;
  };
  /**
   * The check service asked a producer about an undecided half message: it re-put the half
   * at the tail of its queue (`halfOffsetBefore` ──► `halfQueueOffset`, new
   * `commitLogOffset`) and sent CHECK_TRANSACTION_STATE one-way with the new offsets.
   * `checkTimes` is the TRANSACTION_CHECK_TIMES the copy carries (1 for the first check).
   * `sent` is false when no live producer of the group was found (`to` is then absent).
   * Carries `why` (rule `transaction-check`: age against immunity).
   */
  'broker.tx.check-sent': {
    producerGroup: string;
    checkTimes: number;
    halfOffsetBefore: number;
    halfQueueOffset: number;
    commitLogOffset: number;
    offsetMsgId: string;
    sent: boolean;
    to?: string;
  };
  /**
   * A half message was given up on (`resolveDiscardMsg`): checked `transactionCheckMax`
   * times (`reason: 'check-max'`) or born more than `fileReservedTime` hours ago
   * (`'file-reserved-time'`). 4.9 moves it to `TRANS_CHECK_MAX_TIME_TOPIC` (`topic`);
   * `storedQueueOffset` is −1 when that put failed. Carries `why` (rule `transaction-discard`).
   */
  'broker.tx.discarded': {
    reason: 'check-max' | 'file-reserved-time';
    checkTimes: number;
    halfQueueOffset: number;
    producerGroup: string;
    topic: string;
    storedQueueOffset: number;
  };
  /**
   * A half message with its own CHECK_IMMUNITY_TIME_IN_SECONDS, still immune, was copied to
   * the tail of the half queue with TRAN_PREPARED_QUEUE_OFFSET = its first queue offset, so
   * the check walk can move past it (`putImmunityMsgBackToHalfQueue`).
   */
  'broker.tx.half-requeued': {
    halfOffsetBefore: number;
    preparedQueueOffset: number;
    ok: boolean;
  };
  /**
   * One check round over one half queue finished (`TransactionalMessageServiceImpl.check`).
   * The consume offsets of group CID_RMQ_SYS_TRANS moved from `*Before` to `*After`;
   * `checked`/`done`/`discarded`/`requeued` count the half offsets walked by outcome, and
   * `stop` says why the walk ended (`'no-new-msg'`, `'fresh'`, `'immune'`, `'time-limit'`,
   * `'put-failed'`, `'ops-exhausted'`, `'unreadable'`).
   */
  'broker.tx.check-round': {
    queueId: number;
    halfOffsetBefore: number;
    halfOffsetAfter: number;
    opOffsetBefore: number;
    opOffsetAfter: number;
    checked: number;
    done: number;
    discarded: number;
    requeued: number;
    stop: string;
  };
}
