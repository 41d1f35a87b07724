/**
 * SendMessageProcessor: the broker's answer to SEND_MESSAGE, SEND_MESSAGE_V2,
 * SEND_BATCH_MESSAGE and CONSUMER_SEND_MSG_BACK: turn a producer's request into a record in
 * the commit log, and tell the producer where it landed.
 *
 * ```
 *   SEND_MESSAGE_V2  a=pg b=TopicA c=TBW102 d=4 e=1 f=0 g=<born ms> h=0 i="TAGS\u0001TagA\u0002.."  body
 *     parse header (V1 or V2 keys)                 bad field ──► SYSTEM_ERROR "…field "b (topic)" is missing"
 *     msgCheck: permission, topic name, topic exists or auto-create from TBW102, queueId range
 *     queueId < 0 ──► a random queue of the topic
 *     %RETRY%<group> topic ──► handleRetryAndDLQ: too many reconsumes ──► %DLQ%<group>
 *     MessageExtBrokerInner { topic, queueId, body, flag, properties (string as received),
 *       tagsCode = hash(TAGS), sysFlag, bornTimestamp, bornHost = the producer's ip:port,
 *       storeHost = brokerIP1:listenPort, reconsumeTimes }
 *     store.putMessage (or putMessages for m=true)  ──► PutMessageStatus ──► response code
 *   ◄── SUCCESS  msgId="0A00000200002A9F0000000000000000"  queueId=1  queueOffset=0
 *                extFields also MSG_REGION="DefaultRegion", TRACE_ON="true"
 * ```
 *
 * The `msgId` answered is the *offset* message id: the broker's address and the record's
 * commit-log offset in 32 hex characters (comma-joined for a batch). A client decodes it to
 * find the record again (END_TRANSACTION, viewMessage), so it must be exact.
 *
 * A prepared transactional send (property `TRAN_MSG=true`) is stored as a *half* message
 * instead: topic `RMQ_SYS_TRANS_HALF_TOPIC` queue 0, with the real topic and queue kept in
 * `REAL_TOPIC`/`REAL_QID`, the transaction type reset to NOT_TYPE and the properties string
 * rebuilt from the map, as Java does (see `transaction/transactional-message-bridge.ts`). The answer looks like any send's: the half
 * record's offset msgId, the queue id the producer asked for, and the *half* queue offset,
 * which the producer sends back in END_TRANSACTION. A broker with `rejectTransactionMessage`
 * refuses it with NO_PERMISSION.
 *
 * Differences from RocketMQ 4.9.x:
 * - A half message loses its `DELAY` property (4.9 clients never send one; a 4.4 client's
 *   would make the store divert the half message to the schedule topic).
 * - The properties string is stored as received (4.4): 4.9 adds `CLUSTER` and strips
 *   `WAIT`. A message sent to its dead-letter topic has its `DELAY` property removed,
 *   which is what Java's `setDelayTimeLevel(0)` means to do (in Java the client's `DELAY`
 *   survives and the dead letter takes a detour through the schedule topic).
 * - No send hooks, statistics, reply messages, or `[TIMEOUT_CLEAN_QUEUE]` fast failure.
 *
 * @mirrors org.apache.rocketmq.broker.processor.SendMessageProcessor
 * @article send-receive "The broker receives a message"
 * @emits broker.message.checked, broker.retry.decided, broker.message.dead-lettered, broker.tx.half-stored
 * @category Broker
 * @module
 */
import { getBrokerAddr, type BrokerConfig } from '../../common/config/broker-config.js';
import { MessageConst } from '../../common/message/message-const.js';
import { MessageExtBrokerInner, tagsString2tagsCode } from '../../common/message/message-ext.js';
import { messageProperties2String, string2messageProperties } from '../../common/message/message-properties.js';
import { MessageSysFlag } from '../../common/message/message-sys-flag.js';
import { DEFAULT_TRACE_REGION_ID, RETRY_GROUP_TOPIC_PREFIX } from '../../common/mix-all.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode, responseCodeName } from '../../common/protocol/response-code.js';
import type { TopicConfig } from '../../common/topic/topic-config.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';
import type { Random } from '../../platform/random.js';
import { RemotingCommandError } from '../../remoting/errors.js';
import { createResponseCommand, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { RequestContext, RequestProcessor } from '../../remoting/request-processor.js';
import type { MessageStore } from '../../store/message-store.js';
import { isPutMessageOk, type PutMessageResult } from '../../store/results.js';
import type { SubscriptionGroupManager } from '../subscription/subscription-group-manager.js';
import { parseHalfMessageInner } from '../transaction/transactional-message-bridge.js';
import { consumerSendMsgBack, createDLQTopic, DLQ_NUMS_PER_GROUP, V3_4_9_VERSION } from './send/consumer-send-msg-back.js';
import { bornHostOf, FAQ_SUGGESTION, msgCheck, putMessageResponse, type SendTopicConfigs } from './send/send-message-checks.js';
import { parseConsumerSendMsgBackRequestHeader, parseSendMessageRequestHeader, type SendMessageRequestHeader } from './send/send-message-request-header.js';

const RANDOM_BOUND = 99_999_999;

export interface SendMessageProcessorOptions {
  readonly messageStore: Pick<MessageStore, 'putMessage' | 'putMessages' | 'lookMessageByOffset' | 'isOSPageCacheBusy'>;
  readonly topicConfigManager: SendTopicConfigs;
  readonly subscriptionGroupManager: Pick<SubscriptionGroupManager, 'findSubscriptionGroupConfig'>;
  readonly brokerConfig: Pick<
    BrokerConfig,
    'brokerIP1' | 'listenPort' | 'brokerPermission' | 'regionId' | 'traceOn' | 'rejectTransactionMessage' | 'startAcceptSendRequestTimeStamp'
  >;
  /** The store's `maxMessageSize`, quoted in the MESSAGE_ILLEGAL remark. */
  readonly maxMessageSize: number;
  readonly clock: Clock;
  readonly random: Random;
  readonly events: NodeEvents;
}

export class SendMessageProcessor implements RequestProcessor {
  /** `brokerIP1:listenPort`, the STOREHOST of every record this processor writes. */
  readonly storeHost: string;
  private lastRemoteAddress = '';
  private lastBornHost = '';

  constructor(private readonly options: SendMessageProcessorOptions) {
    this.storeHost = getBrokerAddr(options.brokerConfig);
  }

  /** Java: refuse while the store's append lock is held too long (never, here). */
  rejectRequest(): boolean {
    return this.options.messageStore.isOSPageCacheBusy();
  }

  async processRequest(ctx: RequestContext, request: RemotingCommand): Promise<RemotingCommand> {
    try {
      if (request.code === RequestCode.CONSUMER_SEND_MSG_BACK) {
        return await consumerSendMsgBack(this.options, parseConsumerSendMsgBackRequestHeader(request), request.version);
      }
      const header = parseSendMessageRequestHeader(request);
      return await (header.batch ? this.sendBatchMessage(ctx, request, header) : this.sendMessage(ctx, request, header));
    } catch (error) {
      if (!(error instanceof RemotingCommandError)) throw error;
      return createResponseCommand(ResponseCode.SYSTEM_ERROR, error.message);
    }
  }

  /** Java `preSend`: the response skeleton (with MSG_REGION/TRACE_ON), then the checks. */
  private preSend(ctx: RequestContext, header: SendMessageRequestHeader): { response: RemotingCommand; topicConfig?: TopicConfig } {
    const { brokerConfig, topicConfigManager, clock, events } = this.options;
    const response = createResponseCommand(ResponseCode.SUCCESS);
    response.setExtField(MessageConst.PROPERTY_MSG_REGION, brokerConfig.regionId || DEFAULT_TRACE_REGION_ID);
    response.setExtField(MessageConst.PROPERTY_TRACE_SWITCH, String(brokerConfig.traceOn));
    if (clock.now() < brokerConfig.startAcceptSendRequestTimeStamp) {
      return { response: refuse(response, ResponseCode.SYSTEM_ERROR, `broker unable to service, until ${brokerConfig.startAcceptSendRequestTimeStamp}`) };
    }
    const check = msgCheck(header, ctx.remoteAddress, topicConfigManager, brokerConfig);
    const topicConfig = check.topicConfig;
    if (events.wants('broker.message.checked')) {
      events.emit('broker.message.checked', {
        topic: header.topic, queueId: header.queueId, topicExists: check.topicExisted, autoCreated: !check.topicExisted && topicConfig !== undefined,
        perm: topicConfig?.perm ?? 0, ...(check.ok ? {} : { refused: responseCodeName(check.code), remark: check.remark }),
      }, { flow: 'send' });
    }
    if (!check.ok) return { response: refuse(response, check.code, check.remark) };
    return { response, topicConfig };
  }

  private async sendMessage(ctx: RequestContext, request: RemotingCommand, header: SendMessageRequestHeader): Promise<RemotingCommand> {
    const { response, topicConfig } = this.preSend(ctx, header);
    if (topicConfig === undefined) return response;
    const queueId = header.queueId < 0 ? this.randomQueueId(topicConfig.writeQueueNums) : header.queueId;
    const properties = string2messageProperties(header.properties);
    const msg = new MessageExtBrokerInner({
      topic: header.topic, queueId, body: request.body ?? new Uint8Array(0), flag: header.flag, properties,
      propertiesString: header.properties ?? '', tagsCode: tagsString2tagsCode(properties.get(MessageConst.PROPERTY_TAGS)),
      sysFlag: this.sysFlagFor(header.sysFlag, topicConfig), bornTimestamp: header.bornTimestamp,
      bornHost: this.bornHostOf(ctx.remoteAddress), storeHost: this.storeHost, reconsumeTimes: header.reconsumeTimes ?? 0,
    });
    const refusal = this.handleRetryAndDLQ(header, request.version, msg);
    if (refusal !== undefined) return refuse(response, refusal.code, refusal.remark);
    const prepared = (properties.get(MessageConst.PROPERTY_TRANSACTION_PREPARED) ?? '').toLowerCase() === 'true';
    if (prepared && !(msg.reconsumeTimes > 0 && msg.delayTimeLevel > 0)) { // Java: a retried half message from a client before 4.6.1 is not one
      if (this.options.brokerConfig.rejectTransactionMessage) {
        return refuse(response, ResponseCode.NO_PERMISSION, `the broker[${this.options.brokerConfig.brokerIP1}] sending transaction message is forbidden`);
      }
      return this.prepareMessage(msg, header.producerGroup, response, queueId);
    }
    const result = await this.options.messageStore.putMessage(msg);
    return this.handlePutMessageResult(result, response, queueId);
  }

  /** Java `TransactionalMessageService.prepareMessage`: store `msg` as a half message. */
  private async prepareMessage(msg: MessageExtBrokerInner, producerGroup: string, response: RemotingCommand, queueId: number): Promise<RemotingCommand> {
    const realTopic = msg.topic;
    const realQueueId = msg.queueId;
    const delayDropped = parseHalfMessageInner(msg);
    const result = await this.options.messageStore.putMessage(msg);
    const appended = isPutMessageOk(result) ? result.appendMessageResult : undefined;
    const uniqKey = msg.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
    this.options.events.emit('broker.tx.half-stored', {
      producerGroup: msg.getProperty(MessageConst.PROPERTY_PRODUCER_GROUP) ?? producerGroup, realTopic, realQueueId,
      halfQueueOffset: appended?.logicsOffset ?? -1, commitLogOffset: appended?.wroteOffset ?? -1, offsetMsgId: appended?.msgId ?? '',
      status: result.putMessageStatus, ...(delayDropped > 0 ? { delayDropped } : {}),
    }, {
      flow: 'tx',
      msg: {
        ...(uniqKey === undefined ? {} : { uniqKey }), topic: msg.topic, queueId: msg.queueId, realTopic, tx: 'half',
        ...(appended === undefined ? {} : { queueOffset: appended.logicsOffset, physOffset: appended.wroteOffset }),
      },
    });
    return this.handlePutMessageResult(result, response, queueId);
  }

  private async sendBatchMessage(ctx: RequestContext, request: RemotingCommand, header: SendMessageRequestHeader): Promise<RemotingCommand> {
    const { response, topicConfig } = this.preSend(ctx, header);
    if (topicConfig === undefined) return response;
    const queueId = header.queueId < 0 ? this.randomQueueId(topicConfig.writeQueueNums) : header.queueId;
    if (header.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) {
      return refuse(response, ResponseCode.MESSAGE_ILLEGAL, `batch request does not support retry group ${header.topic}`);
    }
    const batch = new MessageExtBrokerInner({
      topic: header.topic, queueId, body: request.body ?? new Uint8Array(0), flag: header.flag,
      properties: string2messageProperties(header.properties), propertiesString: header.properties ?? '',
      sysFlag: this.sysFlagFor(header.sysFlag, topicConfig), bornTimestamp: header.bornTimestamp,
      bornHost: this.bornHostOf(ctx.remoteAddress), storeHost: this.storeHost, reconsumeTimes: header.reconsumeTimes ?? 0,
    });
    const result = await this.options.messageStore.putMessages(batch);
    return this.handlePutMessageResult(result, response, queueId);
  }

  /**
   * A producer (usually a consumer's inner producer, when its send-back failed) sends to
   * `%RETRY%<group>` itself: past the group's retry limit the message goes to `%DLQ%<group>`
   * instead. Returns the refusal, if any; changes `msg` in place.
   */
  private handleRetryAndDLQ(header: SendMessageRequestHeader, version: number, msg: MessageExtBrokerInner): { code: number; remark: string } | undefined {
    if (!header.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) return undefined;
    const { subscriptionGroupManager, topicConfigManager, events } = this.options;
    const group = header.topic.slice(RETRY_GROUP_TOPIC_PREFIX.length);
    const groupConfig = subscriptionGroupManager.findSubscriptionGroupConfig(group);
    if (groupConfig === undefined) {
      return { code: ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, remark: `subscription group not exist, ${group} ${FAQ_SUGGESTION}` };
    }
    const maxReconsumeTimes = version >= V3_4_9_VERSION && header.maxReconsumeTimes !== undefined ? header.maxReconsumeTimes : groupConfig.retryMaxTimes;
    const reconsumeTimes = header.reconsumeTimes ?? 0;
    const toDLQ = reconsumeTimes >= maxReconsumeTimes;
    const originTopic = msg.getProperty(MessageConst.PROPERTY_RETRY_TOPIC) ?? header.topic;
    events.emit('broker.retry.decided', {
      group, originTopic, reconsumeTimes, maxReconsumeTimes, outcome: toDLQ ? 'dlq' : 'retry', delayLevel: toDLQ ? 0 : msg.delayTimeLevel, via: 'send',
    }, { flow: toDLQ ? 'dlq' : 'retry', why: { rule: 'retry-or-dlq', inputs: { reconsumeTimes, max: maxReconsumeTimes }, outcome: toDLQ ? 'dlq' : 'retry' } });
    if (!toDLQ) return undefined;
    const dlq = createDLQTopic(topicConfigManager, group);
    if (dlq.topicConfig === undefined) return { code: ResponseCode.SYSTEM_ERROR, remark: `topic[${header.topic}] not exist` };
    msg.topic = dlq.topicConfig.topicName;
    msg.queueId = this.options.random.int(RANDOM_BOUND) % DLQ_NUMS_PER_GROUP;
    msg.clearProperty(MessageConst.PROPERTY_DELAY_TIME_LEVEL);
    msg.propertiesString = messageProperties2String(msg.properties);
    msg.sysFlag = this.sysFlagFor(header.sysFlag, dlq.topicConfig);
    events.emit('broker.message.dead-lettered', { group, dlqTopic: msg.topic, created: dlq.created }, { flow: 'dlq' });
    return undefined;
  }

  /** {@link bornHostOf}, remembered for the last peer: a connection sends many messages. */
  private bornHostOf(remoteAddress: string): string {
    if (remoteAddress !== this.lastRemoteAddress) {
      this.lastBornHost = bornHostOf(remoteAddress);
      this.lastRemoteAddress = remoteAddress;
    }
    return this.lastBornHost;
  }

  /** Java: the MULTI_TAGS bit follows the topic's filter type. */
  private sysFlagFor(sysFlag: number, topicConfig: TopicConfig): number {
    return topicConfig.topicFilterType === 'MULTI_TAG' ? sysFlag | MessageSysFlag.MULTI_TAGS_FLAG : sysFlag;
  }

  private randomQueueId(writeQueueNums: number): number {
    return writeQueueNums > 0 ? this.options.random.int(RANDOM_BOUND) % writeQueueNums : 0;
  }

  /** Map the store's answer (Java `handlePutMessageResult`); on success fill in msgId, queueId, queueOffset. */
  private handlePutMessageResult(result: PutMessageResult, response: RemotingCommand, queueId: number): RemotingCommand {
    const mapped = putMessageResponse(result.putMessageStatus, this.options.maxMessageSize);
    response.code = mapped.code;
    response.remark = mapped.remark;
    const appended = result.appendMessageResult;
    if (!mapped.sendOK || appended === undefined) return response;
    response.setExtField('msgId', appended.msgId);
    response.setExtField('queueId', queueId);
    response.setExtField('queueOffset', appended.logicsOffset);
    return response;
  }
}

/** Set a refusal's code and remark on the response skeleton (which keeps MSG_REGION/TRACE_ON). */
function refuse(response: RemotingCommand, code: number, remark: string): RemotingCommand {
  response.code = code;
  response.remark = remark;
  return response;
}
