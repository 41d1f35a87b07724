/**
 * SendResult and SendStatus: what a producer learns when a send succeeded.
 *
 * A send response with code SUCCESS (0), FLUSH_DISK_TIMEOUT (10), SLAVE_NOT_AVAILABLE (11) or
 * FLUSH_SLAVE_TIMEOUT (12) means the broker stored the message; the last three say that the
 * extra durability the broker was configured for (sync flush, a sync slave) did not happen
 * in time. Java reports all four as a result, not an exception, with the degraded ones told
 * apart by `sendStatus`; any other code is an `MQBrokerError`.
 *
 * Two ids come back. `msgId` is the client's own UNIQ_KEY (what applications log and what
 * consumers see as `getMsgId()`); `offsetMsgId` is the broker's id, store host plus
 * commit-log offset, which is how `viewMessage` and END_TRANSACTION find the record. For a
 * batch both are the members' ids joined with commas.
 *
 * Differences from RocketMQ 4.9.x:
 * - A plain object, not a class with getters.
 *
 * @mirrors org.apache.rocketmq.client.producer.SendResult
 * @mirrors org.apache.rocketmq.client.producer.SendStatus
 * @article send-receive "The send response"
 * @category Client
 * @module
 */
import type { MessageQueue } from '../../common/protocol/body/message-queue-keyed-map.js';

/** How durable the stored message is (Java `SendStatus`). */
export const SendStatus = {
  SEND_OK: 'SEND_OK',
  FLUSH_DISK_TIMEOUT: 'FLUSH_DISK_TIMEOUT',
  FLUSH_SLAVE_TIMEOUT: 'FLUSH_SLAVE_TIMEOUT',
  SLAVE_NOT_AVAILABLE: 'SLAVE_NOT_AVAILABLE',
} as const;

export type SendStatus = (typeof SendStatus)[keyof typeof SendStatus];

/** The outcome of a successful send. */
export interface SendResult {
  sendStatus: SendStatus;
  /** The UNIQ_KEY (comma-joined for a batch). */
  msgId: string;
  /** The broker's offset message id (comma-joined for a batch). */
  offsetMsgId: string;
  /** The queue the message went to. */
  messageQueue: MessageQueue;
  /** Its consume-queue offset (for a batch: the first message's). */
  queueOffset: number;
  /** Set on transactional sends. */
  transactionId?: string;
  /** The broker's `MSG_REGION` (default `DefaultRegion`). */
  regionId: string;
  /** The broker's `TRACE_ON` ("false" turns tracing off). */
  traceOn: boolean;
}

/** The SendStatus of a send response code, or undefined when the code is not a success. */
export function sendStatusOfResponseCode(code: number): SendStatus | undefined {
  switch (code) {
    case 0: return SendStatus.SEND_OK;
    case 10: return SendStatus.FLUSH_DISK_TIMEOUT;
    case 11: return SendStatus.SLAVE_NOT_AVAILABLE;
    case 12: return SendStatus.FLUSH_SLAVE_TIMEOUT;
    default: return undefined;
  }
}
