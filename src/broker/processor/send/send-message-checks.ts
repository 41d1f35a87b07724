/**
 * The checks every send passes before it reaches the store, and the mapping of the store's
 * answer back to a response code.
 *
 * ```
 *   msgCheck(header)
 *     1. broker not writable AND the topic is ordered  ──► NO_PERMISSION  "the broker[ip] sending message is forbidden"
 *     2. topic blank / illegal characters / > 127      ──► SYSTEM_ERROR   TopicValidator's remark
 *     3. a system topic clients may not send to        ──► NO_PERMISSION  "Sending message to topic[..] is forbidden."
 *        the template topic TBW102 itself (4.4)       ──► SYSTEM_ERROR   "the topic[TBW102] is conflict with system reserved words."
 *     4. topic unknown: create it from defaultTopic (TBW102), or, for %RETRY%, as a
 *        1-queue retry topic; neither possible        ──► TOPIC_NOT_EXIST "topic[..] not exist, apply first please!"
 *     5. queueId >= max(writeQueueNums, readQueueNums) ──► SYSTEM_ERROR   "request queueId[..] is illegal, .."
 *   then the store:  PutMessageStatus ──► putMessageResponse ──► code + remark
 * ```
 *
 * Step 1 surprises most readers: a broker whose WRITE bit was cleared still accepts
 * messages for non-ordered topics. Draining works through the name server instead: the
 * broker registers its topics with its own (read-only) permission, so producers stop
 * choosing its queues, while messages already on the way still land.
 *
 * Differences from RocketMQ 4.9.x:
 * - The checks return a value instead of filling in a response object.
 * - Sending to TBW102 is refused as 4.4 does (`isTopicCanSendMessage`); 4.9 dropped that
 *   check and stores such a message in the template topic.
 * - The SERVICE_NOT_AVAILABLE remark leaves out the disk usage figures (`diskUtil()`).
 * - A peer address that is not an IP literal (a simulated host named `producer-1`) becomes
 *   `0.0.0.0:<port>` as the born host; Java always has an `InetSocketAddress`.
 *
 * @mirrors org.apache.rocketmq.broker.processor.AbstractSendMessageProcessor
 * @article send-receive "The broker receives a message"
 * @category Broker
 * @module
 */
import type { BrokerConfig } from '../../../common/config/broker-config.js';
import { PermName, isWriteable } from '../../../common/constant/perm-name.js';
import { formatHostAddress, parseHostAddress, parseIPv6 } from '../../../common/message/host-address.js';
import { RETRY_GROUP_TOPIC_PREFIX } from '../../../common/mix-all.js';
import { ResponseCode } from '../../../common/protocol/response-code.js';
import type { TopicConfig } from '../../../common/topic/topic-config.js';
import { buildSysFlag } from '../../../common/topic/topic-sys-flag.js';
import { AUTO_CREATE_TOPIC_KEY_TOPIC, isNotAllowedSendTopic, notAllowedSendRemark, validateTopic } from '../../../common/topic/topic-validator.js';
import { PutMessageStatus } from '../../../store/results.js';
import type { TopicConfigManager } from '../../topic/topic-config-manager.js';
import type { SendMessageRequestHeader } from './send-message-request-header.js';

/** Java `FAQUrl.suggestTodo(APPLY_TOPIC_URL)`, appended to TOPIC_NOT_EXIST and SUBSCRIPTION_GROUP_NOT_EXIST remarks. */
export const FAQ_SUGGESTION = '\nSee http://rocketmq.apache.org/docs/faq/ for further details.';

/** The topic-table operations the checks use. */
export type SendTopicConfigs = Pick<
  TopicConfigManager,
  'selectTopicConfig' | 'createTopicInSendMessageMethod' | 'createTopicInSendMessageBackMethod' | 'isOrderTopic'
>;

/** A response code with its remark. */
export interface Refusal {
  readonly code: number;
  readonly remark: string;
}

/** The outcome of {@link msgCheck}. */
export type MsgCheckResult =
  | { readonly ok: true; readonly topicConfig: TopicConfig; readonly topicExisted: boolean }
  | ({ readonly ok: false; readonly topicConfig: TopicConfig | undefined; readonly topicExisted: boolean } & Refusal);

/** Steps 1-5 of the module diagram. `remoteAddress` is the producer's `"host:port"`. */
export function msgCheck(
  header: SendMessageRequestHeader,
  remoteAddress: string,
  topics: SendTopicConfigs,
  brokerConfig: Pick<BrokerConfig, 'brokerPermission' | 'brokerIP1'>,
): MsgCheckResult {
  const { topic } = header;
  const existing = topics.selectTopicConfig(topic);
  const existed = existing !== undefined;
  if (!isWriteable(brokerConfig.brokerPermission) && topics.isOrderTopic(topic)) {
    return refusal(ResponseCode.NO_PERMISSION, `the broker[${brokerConfig.brokerIP1}] sending message is forbidden`, existing, existed);
  }
  const validation = validateTopic(topic);
  if (!validation.valid) return refusal(ResponseCode.SYSTEM_ERROR, validation.remark, existing, existed);
  if (isNotAllowedSendTopic(topic)) return refusal(ResponseCode.NO_PERMISSION, notAllowedSendRemark(topic), existing, existed);
  // Java 4.4 (TopicConfigManager#isTopicCanSendMessage): the template is not a topic to send to.
  if (topic === AUTO_CREATE_TOPIC_KEY_TOPIC) return refusal(ResponseCode.SYSTEM_ERROR, `the topic[${topic}] is conflict with system reserved words.`, existing, existed);
  let topicConfig = existing;
  if (topicConfig === undefined) {
    const retry = topic.startsWith(RETRY_GROUP_TOPIC_PREFIX);
    const topicSysFlag = header.unitMode ? (retry ? buildSysFlag(false, true) : buildSysFlag(true, false)) : 0;
    topicConfig = topics.createTopicInSendMessageMethod(topic, header.defaultTopic, remoteAddress, header.defaultTopicQueueNums, topicSysFlag);
    if (topicConfig === undefined && retry) {
      topicConfig = topics.createTopicInSendMessageBackMethod(topic, 1, PermName.PERM_WRITE | PermName.PERM_READ, topicSysFlag);
    }
    if (topicConfig === undefined) {
      return refusal(ResponseCode.TOPIC_NOT_EXIST, `topic[${topic}] not exist, apply first please!${FAQ_SUGGESTION}`, undefined, false);
    }
  }
  // Java: the id may address any queue that exists for reading or writing.
  const idValid = Math.max(topicConfig.writeQueueNums, topicConfig.readQueueNums);
  if (header.queueId >= idValid) {
    const remark = `request queueId[${header.queueId}] is illegal, ${topicConfig.toString()} Producer: ${remoteAddress}`;
    return refusal(ResponseCode.SYSTEM_ERROR, remark, topicConfig, existed);
  }
  return { ok: true, topicConfig, topicExisted: existed };
}

function refusal(code: number, remark: string, topicConfig: TopicConfig | undefined, topicExisted: boolean): MsgCheckResult {
  return { ok: false, code, remark, topicConfig, topicExisted };
}

/** What a send answers for a store status; `sendOK` for the four codes a producer counts as sent. */
export interface PutMessageResponse {
  readonly code: number;
  /** `undefined` when the message was stored (Java clears the remark). */
  readonly remark: string | undefined;
  readonly sendOK: boolean;
}

const PUT_OK_RESPONSE: PutMessageResponse = { code: ResponseCode.SUCCESS, remark: undefined, sendOK: true };

function failed(code: number, remark: string): PutMessageResponse {
  return { code, remark, sendOK: false };
}

/** Java `handlePutMessageResult`'s switch: PutMessageStatus → response code and remark (protocol §5.2). */
export function putMessageResponse(status: PutMessageStatus, maxMessageSize: number): PutMessageResponse {
  switch (status) {
    case PutMessageStatus.PUT_OK:
      return PUT_OK_RESPONSE;
    case PutMessageStatus.FLUSH_DISK_TIMEOUT:
      return { code: ResponseCode.FLUSH_DISK_TIMEOUT, remark: undefined, sendOK: true };
    case PutMessageStatus.FLUSH_SLAVE_TIMEOUT:
      return { code: ResponseCode.FLUSH_SLAVE_TIMEOUT, remark: undefined, sendOK: true };
    case PutMessageStatus.SLAVE_NOT_AVAILABLE:
      return { code: ResponseCode.SLAVE_NOT_AVAILABLE, remark: undefined, sendOK: true };
    case PutMessageStatus.CREATE_MAPPED_FILE_FAILED:
      return failed(ResponseCode.SYSTEM_ERROR, 'create mapped file failed, server is busy or broken.');
    case PutMessageStatus.MESSAGE_ILLEGAL:
    case PutMessageStatus.PROPERTIES_SIZE_EXCEEDED:
      return failed(
        ResponseCode.MESSAGE_ILLEGAL,
        `the message is illegal, maybe msg body or properties length not matched. msg body length limit ${maxMessageSize}B, msg properties length limit 32KB.`,
      );
    case PutMessageStatus.SERVICE_NOT_AVAILABLE:
      return failed(
        ResponseCode.SERVICE_NOT_AVAILABLE,
        "service not available now. It may be caused by one of the following reasons: the broker's disk is full, messages are put to the slave, message store has been shut down, etc.",
      );
    case PutMessageStatus.OS_PAGECACHE_BUSY:
      return failed(ResponseCode.SYSTEM_ERROR, '[PC_SYNCHRONIZED]broker busy, start flow control for a while');
    case PutMessageStatus.UNKNOWN_ERROR:
      return failed(ResponseCode.SYSTEM_ERROR, 'UNKNOWN_ERROR');
  }
}

/**
 * The born host of a message from the peer `"host:port"` the connection reports, as the
 * IP literal the record layout needs: IPv4 as is, bare IPv6 (`::1:5000`) bracketed, anything
 * else (a simulated host name) `0.0.0.0:<port>`.
 */
export function bornHostOf(remoteAddress: string): string {
  if (parseHostAddress(remoteAddress) !== undefined) return remoteAddress;
  const colon = remoteAddress.lastIndexOf(':');
  const port = Number(remoteAddress.slice(colon + 1));
  const safePort = colon >= 0 && Number.isInteger(port) && port >= 0 && port <= 65535 ? port : 0;
  const ipv6 = colon > 0 ? parseIPv6(remoteAddress.slice(0, colon)) : undefined;
  return ipv6 !== undefined ? formatHostAddress(ipv6, safePort) : `0.0.0.0:${safePort}`;
}
