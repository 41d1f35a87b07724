/**
 * PullResult: what one PULL_MESSAGE round trip brought back, as the consumers see it.
 *
 * The broker answers a pull with a response code (FOUND is SUCCESS, then PULL_NOT_FOUND,
 * PULL_RETRY_IMMEDIATELY, PULL_OFFSET_MOVED), four header numbers (where to pull next, the
 * queue's min and max, which broker to pull from next time) and, on success, a body of
 * stored records back to back. `MQClientAPIImpl.pullMessage` turns that into a
 * {@link PullResultExt} with the raw body still in `messageBinary`; the consumer's
 * `PullAPIWrapper.processPullResult` decodes the records, filters tags and fills
 * `msgFoundList`.
 *
 * Differences from RocketMQ 4.9.x:
 * - Plain interfaces instead of classes with getters.
 *
 * @mirrors org.apache.rocketmq.client.consumer.PullResult
 * @mirrors org.apache.rocketmq.client.consumer.PullStatus
 * @mirrors org.apache.rocketmq.client.impl.consumer.PullResultExt
 * @article pull-consume-1 "The pull response"
 * @category Client
 * @module
 */
import type { MessageExt } from '../../common/message/message-ext.js';

/** How a pull ended (Java `PullStatus`). */
export const PullStatus = {
  /** Messages were found (response SUCCESS). */
  FOUND: 'FOUND',
  /** Nothing new at this offset (PULL_NOT_FOUND). */
  NO_NEW_MSG: 'NO_NEW_MSG',
  /** Messages were there but none matched the filter (PULL_RETRY_IMMEDIATELY). */
  NO_MATCHED_MSG: 'NO_MATCHED_MSG',
  /** The requested offset is outside the queue (PULL_OFFSET_MOVED). */
  OFFSET_ILLEGAL: 'OFFSET_ILLEGAL',
} as const;

export type PullStatus = (typeof PullStatus)[keyof typeof PullStatus];

/** The decoded outcome of a pull. */
export interface PullResult {
  pullStatus: PullStatus;
  /** The queue offset to pull from next. */
  nextBeginOffset: number;
  /** The queue's smallest offset still stored. */
  minOffset: number;
  /** The queue's next offset to be written. */
  maxOffset: number;
  /** The messages found (empty unless FOUND, and after client-side tag filtering). */
  msgFoundList: MessageExt[];
}

/** A PullResult straight off the wire: the records are still bytes. */
export interface PullResultExt extends PullResult {
  /** Which broker id the broker suggests for the next pull of this queue (0 = master). */
  suggestWhichBrokerId: number;
  /** The stored records back to back, exactly as in the commit log; undefined unless FOUND. */
  messageBinary: Uint8Array | undefined;
}
