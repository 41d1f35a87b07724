/**
 * TransactionSendResult: what `sendMessageInTransaction` returns, a SendResult plus the
 * verdict of the local transaction.
 *
 * The send part describes the *half* message: `queueOffset` is its offset in the half
 * topic's queue (RMQ_SYS_TRANS_HALF_TOPIC, queue 0), not an offset in the real topic, which
 * the message gets only when it is committed. `localTransactionState` is what the producer
 * sent with END_TRANSACTION: COMMIT_MESSAGE, ROLLBACK_MESSAGE, or UNKNOW (the broker will
 * check back).
 *
 * Differences from RocketMQ 4.9.x:
 * - A plain object. It also carries `offsetMsgId`, `regionId` and `traceOn` from the send
 *   (Java copies only status, queue, msgId, queue offset and transaction id).
 *
 * @mirrors org.apache.rocketmq.client.producer.TransactionSendResult
 * @article transaction "The producer side of a transaction"
 * @category Client
 * @module
 */
import type { LocalTransactionState } from './local-transaction-state.js';
import type { SendResult } from './send-result.js';

/** The half message's SendResult and the local transaction's outcome. */
export interface TransactionSendResult extends SendResult {
  localTransactionState: LocalTransactionState;
}
