/**
 * The SEND_MESSAGE_V2 header: the thirteen fields a send carries, under one-letter keys.
 *
 * Every send used to carry `producerGroup`, `topic`, `defaultTopic`, ... spelled out, which
 * is a lot of header bytes per message when messages are small. RocketMQ 3.x added
 * `SendMessageRequestHeaderV2`: the same fields, keyed `a` to `m`, and request code 310.
 * The 4.x Java producer always sends V2 (SEND_BATCH_MESSAGE 320 for batches); the broker
 * maps the letters back to the long names before processing.
 *
 * ```
 *   key  field                   example        key  field               example
 *   a    producerGroup           "pg"           h    flag                "0"
 *   b    topic                   "TopicA"       i    properties          "KEYS\u0001k1\u0002..."
 *   c    defaultTopic            "TBW102"       j    reconsumeTimes      "0"
 *   d    defaultTopicQueueNums   "4"            k    unitMode            "false"
 *   e    queueId                 "2"            l    maxReconsumeTimes   (only when set)
 *   f    sysFlag                 "0"            m    batch               "false"
 *   g    bornTimestamp           "1700000000000"
 * ```
 *
 * This is on the hot path of every send, so the header is written straight into a fresh
 * `extFields` object (no intermediate bean, no reflection, no JSON), and the numbers a
 * producer repeats (its group, its default topic, the queue count) are strings it built once.
 *
 * Differences from RocketMQ 4.9.x:
 * - The optional 4.9 field `n` (brokerName) is not sent; 4.9 brokers do not require it.
 *
 * @mirrors org.apache.rocketmq.common.protocol.header.SendMessageRequestHeader
 * @mirrors org.apache.rocketmq.common.protocol.header.SendMessageRequestHeaderV2
 * @article send-receive "One RPC, byte by byte"
 * @category Client
 * @module
 */
import { RequestCode } from '../../common/protocol/request-code.js';
import { RemotingCommand } from '../../remoting/remoting-command.js';

/** The send header with Java's long field names. */
export interface SendMessageRequestHeader {
  producerGroup: string;
  topic: string;
  defaultTopic: string;
  defaultTopicQueueNums: number;
  queueId: number;
  sysFlag: number;
  bornTimestamp: number;
  flag: number;
  /** The flattened properties string (`key\u0001value\u0002...`). */
  properties: string;
  reconsumeTimes: number;
  unitMode: boolean;
  batch: boolean;
  maxReconsumeTimes?: number;
}

/**
 * The SEND_MESSAGE_V2 request (SEND_BATCH_MESSAGE for a batch) for `header` and `body`.
 * Every value is a string already, as the wire wants it.
 */
export function createSendMessageRequestV2(header: SendMessageRequestHeader, body: Uint8Array): RemotingCommand {
  const request = new RemotingCommand(header.batch ? RequestCode.SEND_BATCH_MESSAGE : RequestCode.SEND_MESSAGE_V2);
  const fields: Record<string, string> = {
    a: header.producerGroup,
    b: header.topic,
    c: header.defaultTopic,
    d: String(header.defaultTopicQueueNums),
    e: String(header.queueId),
    f: String(header.sysFlag),
    g: String(header.bornTimestamp),
    h: String(header.flag),
    i: header.properties,
    j: String(header.reconsumeTimes),
    k: header.unitMode ? 'true' : 'false',
    m: header.batch ? 'true' : 'false',
  };
  if (header.maxReconsumeTimes !== undefined) fields['l'] = String(header.maxReconsumeTimes);
  request.extFields = fields;
  request.body = body;
  return request;
}

/** Read a V2 header back into long names (tests and tools; the broker has its own reader). */
export function readSendMessageRequestV2(request: RemotingCommand): SendMessageRequestHeader {
  const header: SendMessageRequestHeader = {
    producerGroup: request.getString('a'),
    topic: request.getString('b'),
    defaultTopic: request.getString('c'),
    defaultTopicQueueNums: request.getInt('d'),
    queueId: request.getInt('e'),
    sysFlag: request.getInt('f'),
    bornTimestamp: request.getLong('g'),
    flag: request.getInt('h'),
    properties: request.optString('i') ?? '',
    reconsumeTimes: request.optInt('j') ?? 0,
    unitMode: request.optBool('k') ?? false,
    batch: request.optBool('m') ?? false,
  };
  const maxReconsumeTimes = request.optInt('l');
  if (maxReconsumeTimes !== undefined) header.maxReconsumeTimes = maxReconsumeTimes;
  return header;
}
