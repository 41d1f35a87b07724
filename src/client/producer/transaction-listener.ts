/**
 * TransactionListener: the two callbacks an application gives a transactional producer.
 *
 * `executeLocalTransaction` runs once, right after the broker stored the half message: do
 * the local work (the database write the message announces) and say whether to commit.
 * `checkLocalTransaction` runs whenever the broker is still waiting for an answer (the
 * first one was UNKNOW, or it got lost, or the producer crashed in between): look the
 * transaction up by the message's keys or `transactionId` and say what became of it.
 *
 * ```
 *   sendMessageInTransaction(msg, arg)
 *     half message stored ──► executeLocalTransaction(msg, arg) ──► COMMIT / ROLLBACK / UNKNOW
 *   ... the broker's check service, every transactionCheckInterval (60 s) ...
 *   CHECK_TRANSACTION_STATE ──► checkLocalTransaction(msgExt)   ──► COMMIT / ROLLBACK / UNKNOW
 * ```
 *
 * A callback that throws counts as UNKNOW, and the broker asks again later (at most
 * `transactionCheckMax`, 15, times, then it discards the half message).
 *
 * Differences from RocketMQ 4.9.x:
 * - Either callback may return a Promise of the state (local work is usually async here);
 *   Java's return the state directly.
 * - The deprecated `LocalTransactionExecuter` and `TransactionCheckListener` pair is left out.
 *
 * @mirrors org.apache.rocketmq.client.producer.TransactionListener
 * @article transaction "The producer side of a transaction"
 * @category Client
 * @module
 */
import type { MessageExt } from '../../common/message/message-ext.js';
import type { Message } from '../../common/message/message.js';
import type { LocalTransactionState } from './local-transaction-state.js';

/** The application's side of a transaction. */
export interface TransactionListener {
  /**
   * Run the local transaction of a half message the broker has just stored. `msg` has its
   * `transactionId` set (the UNIQ_KEY); `arg` is what `sendMessageInTransaction` was given.
   */
  executeLocalTransaction(msg: Message, arg: unknown): LocalTransactionState | Promise<LocalTransactionState>;
  /** Answer the broker's check-back about a half message still waiting for a verdict. */
  checkLocalTransaction(msg: MessageExt): LocalTransactionState | Promise<LocalTransactionState>;
}
