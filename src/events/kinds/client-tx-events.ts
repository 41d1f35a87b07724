/**
 * Event payloads of the transactional producer: the half send, the local transaction's answer, the end request, and the answers to check-backs.
 *
 * Filled in by the code that emits them; each kind is `<module>.<noun>.<past-tense verb>`
 * and carries only plain JSON, so it survives a JSONL round trip.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ, which logs none of these.
 *
 * @article transaction "The producer side of a transaction"
 * @category Events
 * @module
 */
import type { MqRef } from './client-events.js';

/** A local transaction's verdict (Java `LocalTransactionState`). */
export type TxStateName = 'COMMIT_MESSAGE' | 'ROLLBACK_MESSAGE' | 'UNKNOW';

export interface ClientTxEventMap {
  /**
   * The broker answered the prepare send of a transactional message: the half message is
   * stored (invisible) in the half topic. The viz draws the message parked on the broker.
   */
  'client.tx.half-sent': {
    uniqKey: string;
    producerGroup: string;
    status: 'SEND_OK' | 'FLUSH_DISK_TIMEOUT' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE';
    /** The queue the producer chose in the real topic (the half lives in the half topic's queue 0). */
    mq: MqRef;
    /** The half message's offset in the half topic's queue. */
    queueOffset: number;
    offsetMsgId: string;
  };
  /**
   * The producer decided the first verdict: the listener's answer after SEND_OK, UNKNOW when
   * it threw, or ROLLBACK without running it when the send status was not SEND_OK. `why`
   * says which.
   */
  'client.tx.local-executed': {
    uniqKey: string;
    state: TxStateName;
    /** The listener's error, when it threw. */
    error?: string;
  };
  /**
   * END_TRANSACTION went out one-way (ok) or could not be written (ok false, error): the
   * first verdict, or the answer to a check-back (`fromTransactionCheck`).
   */
  'client.tx.end-sent': {
    uniqKey: string;
    brokerAddr: string;
    /** 8 commit, 12 rollback, 0 unknown. */
    commitOrRollback: number;
    state: TxStateName;
    fromTransactionCheck: boolean;
    commitLogOffset: number;
    tranStateTableOffset: number;
    ok: boolean;
    error?: string;
  };
  /**
   * The listener answered one CHECK_TRANSACTION_STATE from a broker (UNKNOW when it threw);
   * END_TRANSACTION follows.
   */
  'client.tx.check-answered': {
    uniqKey: string;
    brokerAddr: string;
    state: TxStateName;
    /** The half message's current commit-log and half-queue offsets, from the check header. */
    commitLogOffset: number;
    tranStateTableOffset: number;
    error?: string;
  };
  /**
   * A check-back was not answered: the producer has no listener (shut down), or
   * `checkRequestHoldMax` checks were already waiting (Java's executor rejects it).
   */
  'client.tx.check-dropped': {
    uniqKey: string;
    brokerAddr: string;
    reason: 'no-listener' | 'queue-full';
    /** Checks waiting when this one arrived. */
    pending: number;
  };
}
