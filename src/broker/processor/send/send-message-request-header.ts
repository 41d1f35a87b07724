/**
 * SendMessageRequestHeader: the custom header of a send, read from either of its two
 * spellings, plus the header of a consumer's send-back.
 *
 * A producer's send carries thirteen fields. SEND_MESSAGE (10) spells them out; the Java
 * client has used SEND_MESSAGE_V2 (310) since 3.x, which shortens every key to one letter to
 * save bytes on every message, and SEND_BATCH_MESSAGE (320) uses the V2 keys too:
 *
 * ```
 *   V1 key                  V2   type      required
 *   producerGroup           a    String    yes
 *   topic                   b    String    yes
 *   defaultTopic            c    String    yes     "TBW102": the template for auto-creation
 *   defaultTopicQueueNums   d    int       yes     4: queues an auto-created topic gets (at most)
 *   queueId                 e    int       yes     < 0: the broker picks one at random
 *   sysFlag                 f    int       yes     compressed, multi-tags, transaction bits
 *   bornTimestamp           g    long      yes
 *   flag                    h    int       yes     the user's flag
 *   properties              i    String    no      "KEY\u0001value\u0002..."
 *   reconsumeTimes          j    int       no
 *   unitMode                k    boolean   no
 *   maxReconsumeTimes       l    int       no      only read for %RETRY% topics
 *   batch                   m    boolean   no      the body is a batch (routes to putMessages)
 *   brokerName              n    String    no      4.9; ignored
 * ```
 *
 * Every value arrives as a string in `extFields` (the Node client ali-ons sends JSON
 * numbers and booleans, which the decoder already turned into strings). A missing required
 * field or a malformed number throws `RemotingCommandError`; for V2 its `field` names both
 * spellings, e.g. `b (topic)`, so the SYSTEM_ERROR remark says what was wrong.
 *
 * Differences from RocketMQ 4.9.x:
 * - Parsing is two functions over the command instead of reflection over annotated
 *   classes, and V2 is translated field by field instead of through a V1 object.
 *
 * @mirrors org.apache.rocketmq.common.protocol.header.SendMessageRequestHeader
 * @mirrors org.apache.rocketmq.common.protocol.header.SendMessageRequestHeaderV2
 * @mirrors org.apache.rocketmq.common.protocol.header.ConsumerSendMsgBackRequestHeader
 * @article send-receive "The send request header"
 * @category Broker
 * @module
 */
import { RequestCode } from '../../../common/protocol/request-code.js';
import { RemotingCommandError } from '../../../remoting/errors.js';
import type { RemotingCommand } from '../../../remoting/remoting-command.js';

/** A send's header, whichever spelling it came in. */
export interface SendMessageRequestHeader {
  readonly producerGroup: string;
  readonly topic: string;
  readonly defaultTopic: string;
  readonly defaultTopicQueueNums: number;
  readonly queueId: number;
  readonly sysFlag: number;
  readonly bornTimestamp: number;
  readonly flag: number;
  readonly properties: string | undefined;
  readonly reconsumeTimes: number | undefined;
  readonly unitMode: boolean;
  readonly maxReconsumeTimes: number | undefined;
  readonly batch: boolean;
  readonly brokerName: string | undefined;
}

/** The V2 key of each V1 field name. */
const V2_KEYS = {
  producerGroup: 'a', topic: 'b', defaultTopic: 'c', defaultTopicQueueNums: 'd', queueId: 'e', sysFlag: 'f',
  bornTimestamp: 'g', flag: 'h', properties: 'i', reconsumeTimes: 'j', unitMode: 'k', maxReconsumeTimes: 'l',
  batch: 'm', brokerName: 'n',
} as const;

type FieldName = keyof typeof V2_KEYS;

/** The key of every field in one spelling. */
type Keys = { readonly [F in FieldName]: string };

const V1_KEYS: Keys = Object.fromEntries(Object.keys(V2_KEYS).map((name) => [name, name])) as unknown as Keys;

/** V2 key back to its V1 name, for error messages. */
const V1_NAME_OF: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(V2_KEYS).map(([name, key]) => [key, name]));

/**
 * Read a send header: V2 keys for SEND_MESSAGE_V2 and SEND_BATCH_MESSAGE, V1 names for
 * SEND_MESSAGE. Throws `RemotingCommandError` naming the field that is missing or malformed.
 * Runs once per message, so it reads the fields straight, without a closure per field.
 */
export function parseSendMessageRequestHeader(request: RemotingCommand): SendMessageRequestHeader {
  const v2 = request.code === RequestCode.SEND_MESSAGE_V2 || request.code === RequestCode.SEND_BATCH_MESSAGE;
  const k = v2 ? V2_KEYS : V1_KEYS;
  try {
    return {
      producerGroup: request.getString(k.producerGroup),
      topic: request.getString(k.topic),
      defaultTopic: request.getString(k.defaultTopic),
      defaultTopicQueueNums: request.getInt(k.defaultTopicQueueNums),
      queueId: request.getInt(k.queueId),
      sysFlag: request.getInt(k.sysFlag),
      bornTimestamp: request.getLong(k.bornTimestamp),
      flag: request.getInt(k.flag),
      properties: request.optString(k.properties),
      reconsumeTimes: request.optInt(k.reconsumeTimes),
      unitMode: request.optBool(k.unitMode) ?? false,
      maxReconsumeTimes: request.optInt(k.maxReconsumeTimes),
      batch: request.optBool(k.batch) ?? false,
      brokerName: request.optString(k.brokerName),
    };
  } catch (error) {
    // V2: name both spellings, e.g. "b (topic)".
    if (v2 && error instanceof RemotingCommandError) {
      const name = V1_NAME_OF[error.field];
      if (name !== undefined) throw new RemotingCommandError(`${error.field} (${name})`, error.problem);
    }
    throw error;
  }
}

/** CONSUMER_SEND_MSG_BACK's header. */
export interface ConsumerSendMsgBackRequestHeader {
  /** Commit-log offset of the message that failed, on this broker. */
  readonly offset: number;
  readonly group: string;
  /** 0: the broker decides (3 + reconsumeTimes); < 0: straight to the dead-letter topic. */
  readonly delayLevel: number;
  readonly originMsgId: string | undefined;
  readonly originTopic: string | undefined;
  readonly unitMode: boolean;
  readonly maxReconsumeTimes: number | undefined;
}

/** Read a send-back header. Throws `RemotingCommandError` naming the field that is missing or malformed. */
export function parseConsumerSendMsgBackRequestHeader(request: RemotingCommand): ConsumerSendMsgBackRequestHeader {
  return {
    offset: request.getLong('offset'),
    group: request.getString('group'),
    delayLevel: request.getInt('delayLevel'),
    originMsgId: request.optString('originMsgId'),
    originTopic: request.optString('originTopic'),
    unitMode: request.optBool('unitMode') ?? false,
    maxReconsumeTimes: request.optInt('maxReconsumeTimes'),
  };
}
