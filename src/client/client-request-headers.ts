/**
 * The custom headers of the requests the client sends, besides SEND_MESSAGE_V2: field
 * names exactly as Java's `*RequestHeader` classes spell them.
 *
 * A custom header travels as `extFields`, a flat map of strings. Java builds it from a
 * header object by reflection; here each header is a plain interface, and `MQClientAPIImpl`
 * spreads it into `createRequestCommand`, which turns numbers and booleans into strings and
 * skips absent optional fields, as Java skips nulls.
 *
 * Differences from RocketMQ 4.9.x: interfaces instead of classes; no `checkFields`.
 *
 * @mirrors org.apache.rocketmq.common.protocol.header.PullMessageRequestHeader
 * @mirrors org.apache.rocketmq.common.protocol.header.UpdateConsumerOffsetRequestHeader
 * @mirrors org.apache.rocketmq.common.protocol.header.CreateTopicRequestHeader
 * @mirrors org.apache.rocketmq.common.protocol.header.EndTransactionRequestHeader
 * @article send-receive "One RPC, byte by byte"
 * @category Client
 * @module
 */
import type { MessageExt } from '../common/message/message-ext.js';
import type { ExtFieldValue } from '../remoting/remoting-command.js';

/** PULL_MESSAGE (11). */
export interface PullMessageRequestHeader {
  consumerGroup: string;
  topic: string;
  queueId: number;
  queueOffset: number;
  maxMsgNums: number;
  /** PullSysFlag bits: 1 commit offset, 2 suspend, 4 subscription, 8 class filter, 16 lite pull. */
  sysFlag: number;
  commitOffset: number;
  /** How long the broker may hold the pull (15000 for push, 20000 for the pull consumer). */
  suspendTimeoutMillis: number;
  subscription?: string;
  subVersion: number;
  expressionType?: string;
}

/** UPDATE_CONSUMER_OFFSET (15). */
export interface UpdateConsumerOffsetRequestHeader {
  consumerGroup: string;
  topic: string;
  queueId: number;
  commitOffset: number;
}

/** What UPDATE_AND_CREATE_TOPIC (17) creates. */
export interface CreateTopicConfig {
  topicName: string;
  readQueueNums: number;
  writeQueueNums: number;
  /** Perm bits: 4 read, 2 write, 1 inherit. */
  perm: number;
  /** @defaultValue 'SINGLE_TAG' */
  topicFilterType?: 'SINGLE_TAG' | 'MULTI_TAG';
  /** @defaultValue 0 */
  topicSysFlag?: number;
  /** @defaultValue false */
  order?: boolean;
}

/** END_TRANSACTION (37). */
export interface EndTransactionRequestHeader {
  producerGroup: string;
  tranStateTableOffset: number;
  commitLogOffset: number;
  /** 0 unknown, 8 commit, 12 rollback (the transaction bits of sysFlag). */
  commitOrRollback: number;
  fromTransactionCheck: boolean;
  msgId: string;
  transactionId?: string;
}

/** The answer to QUERY_MESSAGE (12). */
export interface QueryMessageResult {
  indexLastUpdateTimestamp: number;
  indexLastUpdatePhyoffset: number;
  messages: MessageExt[];
}

/** The CreateTopicRequestHeader fields, with Java's defaults filled in. */
export function createTopicRequestFields(defaultTopic: string, config: CreateTopicConfig): Record<string, ExtFieldValue> {
  return {
    topic: config.topicName,
    defaultTopic,
    readQueueNums: config.readQueueNums,
    writeQueueNums: config.writeQueueNums,
    perm: config.perm,
    topicFilterType: config.topicFilterType ?? 'SINGLE_TAG',
    topicSysFlag: config.topicSysFlag ?? 0,
    order: config.order ?? false,
  };
}

/** The EndTransactionRequestHeader fields. */
export function endTransactionRequestFields(header: EndTransactionRequestHeader): Record<string, ExtFieldValue> {
  return { ...header };
}
