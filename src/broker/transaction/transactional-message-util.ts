/**
 * TransactionalMessageUtil: the names the broker's transaction support agrees on: the two
 * system topics, the op record's tag, and the group its progress is stored under.
 *
 * A transaction leaves two trails in the commit log. Every prepared send becomes a *half*
 * message in `RMQ_SYS_TRANS_HALF_TOPIC`; every decision (commit or rollback) becomes an *op*
 * record in `RMQ_SYS_TRANS_OP_HALF_TOPIC`, in the queue with the half's queue id, whose body
 * names the half it finishes. The check service reads both queues like a consumer would,
 * under the group `CID_RMQ_SYS_TRANS`:
 *
 * ```
 *   RMQ_SYS_TRANS_HALF_TOPIC  q0   [h0][h1][h2][h3]...        consume offset of CID_RMQ_SYS_TRANS
 *   RMQ_SYS_TRANS_OP_HALF_TOPIC q0 [d:"1"][d:"0"][d:"3"]...   consume offset of CID_RMQ_SYS_TRANS
 *                                    tags "d", body = half queue offset in decimal ASCII
 * ```
 *
 * Differences from RocketMQ 4.9.x: none (Java builds the topic and group names through
 * three static methods; here they are constants).
 *
 * @mirrors org.apache.rocketmq.broker.transaction.queue.TransactionalMessageUtil
 * @article transaction "Half messages and op records"
 * @category Broker
 * @module
 */
import { CID_SYS_RMQ_TRANS } from '../../common/mix-all.js';
import { RMQ_SYS_TRANS_HALF_TOPIC, RMQ_SYS_TRANS_OP_HALF_TOPIC } from '../../common/topic/topic-validator.js';

/** The tag of an op record that finishes a half message ("delete"). Java: `REMOVETAG`. */
export const REMOVETAG = 'd';
/** Where half messages are stored (queue 0). */
export const HALF_TOPIC = RMQ_SYS_TRANS_HALF_TOPIC;
/** Where op records are stored (queue = the half's queue id). */
export const OP_TOPIC = RMQ_SYS_TRANS_OP_HALF_TOPIC;
/** The consumer group whose offsets track how far the check service has read both topics. */
export const TRANS_CONSUMER_GROUP = CID_SYS_RMQ_TRANS;

/**
 * Java `getLong` on an op body or a property: the decimal value, or −1 when it is not a
 * Java `long` (Java logs "GetLong error" and goes on with −1).
 */
export function parseLongOrMinusOne(text: string | undefined): number {
  if (text === undefined || !/^[+-]?[0-9]{1,19}$/.test(text)) return -1;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : -1;
}
