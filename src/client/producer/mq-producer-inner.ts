/**
 * MQProducerInner: what the client instance needs from every producer registered with it.
 *
 * The instance refreshes the routes of every topic any producer has sent to, and gives
 * each producer the new publish info; it lists the producer groups in heartbeats (the
 * broker needs them to call a producer back for CHECK_TRANSACTION_STATE), and forwards
 * such a check to the producer of the group it names.
 *
 * Differences from RocketMQ 4.9.x:
 * - `checkTransactionState` is optional: only a transactional producer has one.
 *
 * @mirrors org.apache.rocketmq.client.impl.producer.MQProducerInner
 * @article send-receive "The client instance and its producers"
 * @category Client
 * @module
 */
import type { MessageExt } from '../../common/message/message-ext.js';
import type { TopicPublishInfo } from '../route/topic-publish-info.js';

/** The CHECK_TRANSACTION_STATE (39) header. */
export interface CheckTransactionStateRequestHeader {
  tranStateTableOffset: number;
  commitLogOffset: number;
  /** The UNIQ_KEY. */
  msgId?: string;
  transactionId?: string;
  offsetMsgId?: string;
}

export interface MQProducerInner {
  /** Every topic this producer has a publish info for. */
  getPublishTopicList(): Iterable<string>;
  /** True when the producer has no usable publish info for `topic`. */
  isPublishTopicNeedUpdate(topic: string): boolean;
  /** A route refresh built new publish info for `topic`. */
  updateTopicPublishInfo(topic: string, info: TopicPublishInfo): void;
  isUnitMode(): boolean;
  /** The broker at `addr` asks about a half message. */
  checkTransactionState?(addr: string, msg: MessageExt, header: CheckTransactionStateRequestHeader): void;
}
