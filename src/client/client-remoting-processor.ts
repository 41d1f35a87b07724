/**
 * ClientRemotingProcessor: answers the requests a broker sends to a client.
 *
 * The connection a client opened to a broker carries requests the other way too. The broker
 * uses it to nudge consumers (NOTIFY_CONSUMER_IDS_CHANGED when a group's members change, so
 * every member rebalances at once instead of within 20 s), to move their offsets
 * (RESET_CONSUMER_CLIENT_OFFSET from `mqadmin resetOffsetByTime`), to ask a producer about a
 * half message (CHECK_TRANSACTION_STATE), and, for the admin tools, to ask a consumer how it
 * is doing (GET_CONSUMER_RUNNING_INFO) or to consume one message on demand
 * (CONSUME_MESSAGE_DIRECTLY).
 *
 * ```
 *   code  request                         how it arrives   what happens here
 *   39    CHECK_TRANSACTION_STATE         one-way          producer of the message's PGROUP checks
 *   40    NOTIFY_CONSUMER_IDS_CHANGED     one-way          instance.rebalanceImmediately()
 *   220   RESET_CONSUMER_CLIENT_OFFSET    one-way          consumer.resetOffset(topic, offsets)
 *   307   GET_CONSUMER_RUNNING_INFO       sync             a small ConsumerRunningInfo JSON
 *   309   CONSUME_MESSAGE_DIRECTLY        sync             consumer.consumeMessageDirectly, if it has one
 * ```
 *
 * One-way requests get no answer (the remoting layer drops whatever is returned for them).
 *
 * Differences from RocketMQ 4.9.x:
 * - GET_CONSUMER_RUNNING_INFO answers only the properties and subscriptions (no jstack,
 *   no per-queue tables unless the consumer supplies them).
 * - GET_CONSUMER_STATUS_FROM_CLIENT and PUSH_REPLY_MESSAGE_TO_CLIENT are not handled.
 *
 * @mirrors org.apache.rocketmq.client.impl.ClientRemotingProcessor
 * @article send-receive "When the broker calls the client"
 * @category Client
 * @module
 */
import { encodeFastjson } from '../common/json/fastjson.js';
import { MessageConst } from '../common/message/message-const.js';
import { decodeMessage } from '../common/message/message-decoder.js';
import { decodeResetOffsetBody } from '../common/protocol/body/admin-bodies.js';
import { RequestCode } from '../common/protocol/request-code.js';
import { ResponseCode } from '../common/protocol/response-code.js';
import type { RemotingClient } from '../remoting/remoting-client.js';
import { createResponseCommand, type RemotingCommand } from '../remoting/remoting-command.js';
import type { RequestContext, RequestProcessor } from '../remoting/request-processor.js';
import type { MQClientInstance } from './mq-client-instance.js';

const HANDLED_CODES = [
  RequestCode.CHECK_TRANSACTION_STATE,
  RequestCode.NOTIFY_CONSUMER_IDS_CHANGED,
  RequestCode.RESET_CONSUMER_CLIENT_OFFSET,
  RequestCode.GET_CONSUMER_RUNNING_INFO,
  RequestCode.CONSUME_MESSAGE_DIRECTLY,
] as const;

export class ClientRemotingProcessor implements RequestProcessor {
  constructor(private readonly instance: MQClientInstance) {}

  /** Register for every code this processor handles. */
  registerWith(client: RemotingClient): void {
    for (const code of HANDLED_CODES) client.registerProcessor(code, this);
  }

  rejectRequest(): boolean {
    return false;
  }

  processRequest(ctx: RequestContext, request: RemotingCommand): Promise<RemotingCommand | null> | RemotingCommand | null {
    switch (request.code) {
      case RequestCode.CHECK_TRANSACTION_STATE:
        return this.checkTransactionState(ctx, request);
      case RequestCode.NOTIFY_CONSUMER_IDS_CHANGED:
        this.instance.rebalanceImmediately();
        return null;
      case RequestCode.RESET_CONSUMER_CLIENT_OFFSET:
        return this.resetOffset(request);
      case RequestCode.GET_CONSUMER_RUNNING_INFO:
        return this.getConsumerRunningInfo(request);
      case RequestCode.CONSUME_MESSAGE_DIRECTLY:
        return this.consumeMessageDirectly(request);
      default:
        return null;
    }
  }

  /** Decode the half message and hand it to the producer of its group (TransactionMQProducer answers it). */
  private checkTransactionState(ctx: RequestContext, request: RemotingCommand): null {
    const message = request.body === undefined ? undefined : decodeMessage(request.body);
    if (message === undefined) return null; // Java: "checkTransactionState, decode message failed"
    const uniqKey = message.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
    if (uniqKey !== undefined && uniqKey.length > 0) message.msgId = uniqKey;
    const transactionId = request.optString('transactionId');
    if (transactionId !== undefined && transactionId.length > 0) message.transactionId = transactionId;
    const group = message.getProperty(MessageConst.PROPERTY_PRODUCER_GROUP);
    const producer = group === undefined ? undefined : this.instance.selectProducer(group);
    if (producer?.checkTransactionState === undefined) return null;
    const header = {
      tranStateTableOffset: request.getLong('tranStateTableOffset'),
      commitLogOffset: request.getLong('commitLogOffset'),
      ...optionalField('msgId', request.optString('msgId')),
      ...optionalField('transactionId', transactionId),
      ...optionalField('offsetMsgId', request.optString('offsetMsgId')),
    };
    producer.checkTransactionState(ctx.remoteAddress, message, header);
    return null;
  }

  private async resetOffset(request: RemotingCommand): Promise<null> {
    if (request.body === undefined) return null;
    const body = decodeResetOffsetBody(request.body);
    await this.instance.resetOffset(request.getString('topic'), request.getString('group'), body.offsetTable);
    return null;
  }

  /** A minimal ConsumerRunningInfo: the consumer's own snapshot, or its type and subscriptions. */
  private getConsumerRunningInfo(request: RemotingCommand): RemotingCommand {
    const group = request.getString('consumerGroup');
    const consumer = this.instance.selectConsumer(group);
    if (consumer === undefined) return createResponseCommand(ResponseCode.SYSTEM_ERROR, `The Consumer Group <${group}> not exist in this consumer`);
    const info = consumer.consumerRunningInfo?.() ?? {
      mqTable: {},
      properties: {
        PROP_CONSUME_TYPE: consumer.consumeType(),
        PROP_CONSUMEORDERLY: 'false',
        PROP_CLIENT_VERSION: 'V4_9_4',
        PROP_CONSUMER_START_TIMESTAMP: String(this.instance.platform.clock.now()),
      },
      statusTable: {},
      subscriptionSet: consumer.subscriptions(),
    };
    const response = createResponseCommand(ResponseCode.SUCCESS);
    response.body = encodeFastjson(info);
    return response;
  }

  /** CONSUME_MESSAGE_DIRECTLY: only consumers that implement it can; others answer SYSTEM_ERROR. */
  private async consumeMessageDirectly(request: RemotingCommand): Promise<RemotingCommand> {
    const group = request.getString('consumerGroup');
    const consumer = this.instance.selectConsumer(group);
    const message = request.body === undefined ? undefined : decodeMessage(request.body);
    if (consumer?.consumeMessageDirectly === undefined || message === undefined) {
      return createResponseCommand(ResponseCode.SYSTEM_ERROR, `The Consumer Group <${group}> not exist in this consumer`);
    }
    const result = await consumer.consumeMessageDirectly(message, request.optString('brokerName'));
    const response = createResponseCommand(ResponseCode.SUCCESS);
    response.body = encodeFastjson(result);
    return response;
  }
}

function optionalField<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
