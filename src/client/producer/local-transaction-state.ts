/**
 * LocalTransactionState: the producer's verdict on a transaction, and the number the
 * broker reads it as.
 *
 * A transactional message is stored first as a *half* message nobody can consume. The
 * application then runs its local transaction (a database write, say) and tells the
 * broker how it went, once right away and again whenever the broker asks:
 *
 * ```
 *   state              END_TRANSACTION commitOrRollback   the broker then
 *   COMMIT_MESSAGE     8  (TRANSACTION_COMMIT_TYPE)        stores the real message, writes an op record
 *   ROLLBACK_MESSAGE   12 (TRANSACTION_ROLLBACK_TYPE)      writes an op record only: never visible
 *   UNKNOW             0  (TRANSACTION_NOT_TYPE)           does nothing; it will ask again later
 * ```
 *
 * The numbers are the transaction bits of a message's sysFlag, reused on the wire.
 *
 * Differences from RocketMQ 4.9.x:
 * - An `as const` object plus a union of strings, not a Java enum. `UNKNOW` keeps Java's
 *   spelling, because applications and logs know it by that name.
 *
 * @mirrors org.apache.rocketmq.client.producer.LocalTransactionState
 * @article transaction "The producer side of a transaction"
 * @category Client
 * @module
 */
import { MessageSysFlag } from '../../common/message/message-sys-flag.js';

/** How a local transaction ended, as the application reports it. */
export const LocalTransactionState = {
  COMMIT_MESSAGE: 'COMMIT_MESSAGE',
  ROLLBACK_MESSAGE: 'ROLLBACK_MESSAGE',
  /** Java's spelling: the application does not know yet (the broker will check back). */
  UNKNOW: 'UNKNOW',
} as const;

export type LocalTransactionState = (typeof LocalTransactionState)[keyof typeof LocalTransactionState];

/** The END_TRANSACTION `commitOrRollback` value of a state: 8, 12 or 0. */
export function commitOrRollbackOf(state: LocalTransactionState): number {
  switch (state) {
    case LocalTransactionState.COMMIT_MESSAGE: return MessageSysFlag.TRANSACTION_COMMIT_TYPE;
    case LocalTransactionState.ROLLBACK_MESSAGE: return MessageSysFlag.TRANSACTION_ROLLBACK_TYPE;
    case LocalTransactionState.UNKNOW: return MessageSysFlag.TRANSACTION_NOT_TYPE;
  }
}

/**
 * What a listener answered, as a state: anything that is not one of the three names counts
 * as UNKNOW (Java: a `null` return becomes UNKNOW).
 */
export function toLocalTransactionState(value: unknown): LocalTransactionState {
  return value === LocalTransactionState.COMMIT_MESSAGE || value === LocalTransactionState.ROLLBACK_MESSAGE ? value : LocalTransactionState.UNKNOW;
}
