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

/** The V1 field name of each V2 key. */
const V2_KEYS = {
  producerGroup: 'a', topic: 'b', defaultTopic: 'c', defaultTopicQueueNums: 'd', queueId: 'e', sysFlag: 'f',
  bornTimestamp: 'g', flag: 'h', properties: 'i', reconsumeTimes: 'j', unitMode: 'k', maxReconsumeTimes: 'l',
  batch: 'm', brokerName: 'n',
} as const;

type FieldName = keyof typeof V2_KEYS;

/**
 * Read a send header: V2 keys for SEND_MESSAGE_V2 and SEND_BATCH_MESSAGE, V1 names for
 * SEND_MESSAGE. Throws `RemotingCommandError` naming the field that is missing or malformed.
 */
export function parseSendMessageRequestHeader(request: RemotingCommand): SendMessageRequestHeader {
  const v2 = request.code === RequestCode.SEND_MESSAGE_V2 || request.code === RequestCode.SEND_BATCH_MESSAGE;
  const read = <T>(name: FieldName, get: (key: string) => T): T => {
    if (!v2) return get(name);
    const key = V2_KEYS[name];
    try {
      return get(key);
    } catch (error) {
      if (error instanceof RemotingCommandError && error.field === key) throw new RemotingCommandError(`${key} (${name})`, error.problem);
      throw error;
    }
  };
  return {
    producerGroup: read('producerGroup', (k) => request.getString(k)),
    topic: read('topic', (k) => request.getString(k)),
    defaultTopic: read('defaultTopic', (k) => request.getString(k)),
    defaultTopicQueueNums: read('defaultTopicQueueNums', (k) => request.getInt(k)),
    queueId: read('queueId', (k) => request.getInt(k)),
    sysFlag: read('sysFlag', (k) => request.getInt(k)),
    bornTimestamp: read('bornTimestamp', (k) => request.getLong(k)),
    flag: read('flag', (k) => request.getInt(k)),
    properties: read('properties', (k) => request.optString(k)),
    reconsumeTimes: read('reconsumeTimes', (k) => request.optInt(k)),
    unitMode: read('unitMode', (k) => request.optBool(k)) ?? false,
    maxReconsumeTimes: read('maxReconsumeTimes', (k) => request.optInt(k)),
    batch: read('batch', (k) => request.optBool(k)) ?? false,
    brokerName: read('brokerName', (k) => request.optString(k)),
  };
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
