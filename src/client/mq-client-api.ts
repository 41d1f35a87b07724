/**
 * MQClientAPIImpl: one method per request the client sends, over one RemotingClient.
 *
 * Everything a producer or consumer says to a name server or a broker goes through here:
 * it builds the request (custom header in `extFields`, JSON or binary body), picks the
 * invoke style (sync, async, one-way), and turns the response into a typed value, or into
 * an {@link MQBrokerError} carrying the response code and remark when the code is not a
 * success. Above this layer nobody touches a RemotingCommand.
 *
 * ```
 *   DefaultMQProducer ──sendMessage──┐
 *   push / lite consumer ──pullMessage, queryConsumerOffset, lockBatchMQ, ...──┤
 *   MQClientInstance ──getTopicRouteInfoFromNameServer, sendHeartbeat──┤
 *                                                                      ▼
 *                                   MQClientAPIImpl ──► RemotingClient ──► broker / namesrv
 * ```
 *
 * Name servers: calls without a broker address go to one name server, chosen round-robin
 * from a random start and kept while it answers; a name server that cannot be reached is
 * skipped for the next one within the same call's time budget.
 *
 * Differences from RocketMQ 4.9.x:
 * - Methods return Promises; async sends and pulls have no callback parameter, and the
 *   async-send retry loop lives in the producer (Java's `onExceptionImpl` lives here).
 * - A name server that cannot be reached surfaces as an `MQClientError` naming its address.
 * - Only the calls the client of this project makes; no admin surface (the CLI has its own).
 *
 * @mirrors org.apache.rocketmq.client.impl.MQClientAPIImpl
 * @article send-receive "The client side"
 * @category Client
 * @module
 */
import type { Message } from '../common/message/message.js';
import type { MessageExt } from '../common/message/message-ext.js';
import { decodeMessages } from '../common/message/message-decoder.js';
import { getUniqID } from '../common/message/message-id.js';
import { UNIQUE_MSG_QUERY_FLAG } from '../common/mix-all.js';
import { decodeLockBatchResponseBody, encodeLockBatchRequestBody, type LockBatchRequestBody } from '../common/protocol/body/admin-bodies.js';
import type { MessageQueue } from '../common/protocol/body/message-queue-keyed-map.js';
import { encodeFastjson } from '../common/json/fastjson.js';
import type { HeartbeatData } from '../common/protocol/heartbeat/heartbeat-data.js';
import type { SubscriptionData } from '../common/protocol/heartbeat/subscription-data.js';
import { RequestCode } from '../common/protocol/request-code.js';
import { ResponseCode } from '../common/protocol/response-code.js';
import { decodeTopicRouteData, type TopicRouteData } from '../common/protocol/route/topic-route-data.js';
import { decodeUtf8 } from '../common/bytes.js';
import type { Random } from '../platform/random.js';
import { RemotingConnectError } from '../remoting/errors.js';
import type { RemotingClient } from '../remoting/remoting-client.js';
import { createRequestCommand, type RemotingCommand } from '../remoting/remoting-command.js';
import { decompressMessageBodies } from './compression.js';
import type { PullResultExt, PullStatus } from './consumer/pull-result.js';
import { ClientErrorCode, MQBrokerError, MQClientError } from './errors.js';
import { MessageBatch } from './producer/message-batch.js';
import { createSendMessageRequestV2, type SendMessageRequestHeader } from './producer/send-message-request-header.js';
import { sendStatusOfResponseCode, type SendResult } from './producer/send-result.js';
import { createTopicRequestFields, endTransactionRequestFields, type CreateTopicConfig, type EndTransactionRequestHeader, type PullMessageRequestHeader, type QueryMessageResult, type UpdateConsumerOffsetRequestHeader } from './client-request-headers.js';

export type { CreateTopicConfig, EndTransactionRequestHeader, PullMessageRequestHeader, QueryMessageResult, UpdateConsumerOffsetRequestHeader } from './client-request-headers.js';

/** How a request is sent (Java `CommunicationMode`). */
export type CommunicationMode = 'SYNC' | 'ASYNC' | 'ONEWAY';

export interface MQClientAPIImplOptions {
  remotingClient: RemotingClient;
  /** Picks the first name server to try. */
  random: Random;
  /** Name server addresses. */
  namesrvAddrs?: readonly string[];
}

const PULL_STATUS_BY_CODE: ReadonlyMap<number, PullStatus> = new Map<number, PullStatus>([
  [ResponseCode.SUCCESS, 'FOUND'],
  [ResponseCode.PULL_NOT_FOUND, 'NO_NEW_MSG'],
  [ResponseCode.PULL_RETRY_IMMEDIATELY, 'NO_MATCHED_MSG'],
  [ResponseCode.PULL_OFFSET_MOVED, 'OFFSET_ILLEGAL'],
]);

export class MQClientAPIImpl {
  readonly remotingClient: RemotingClient;
  private namesrvAddrs: string[] = [];
  private namesrvIndex: number;

  constructor(options: MQClientAPIImplOptions) {
    this.remotingClient = options.remotingClient;
    this.namesrvIndex = options.random.int(0x7fff_ffff);
    if (options.namesrvAddrs !== undefined) this.updateNameServerAddressList(options.namesrvAddrs);
  }

  /** Replace the name server list (Java: `updateNameServerAddressList`). */
  updateNameServerAddressList(addrs: readonly string[]): void {
    this.namesrvAddrs = [...addrs];
  }

  getNameServerAddressList(): readonly string[] {
    return this.namesrvAddrs;
  }

  // ---------------------------------------------------------------------------------------
  // Name server.

  /**
   * The route of `topic`. With `allowTopicNotExist` (the TBW102 lookup), TOPIC_NOT_EXIST
   * gives `undefined`; otherwise it is an MQClientError with the name server's remark.
   */
  async getTopicRouteInfoFromNameServer(topic: string, timeoutMs: number, allowTopicNotExist = true): Promise<TopicRouteData | undefined> {
    const response = await this.invokeNameServer(createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }), timeoutMs);
    if (response.code === ResponseCode.SUCCESS && response.body !== undefined) return decodeTopicRouteData(response.body);
    if (response.code === ResponseCode.TOPIC_NOT_EXIST && allowTopicNotExist) return undefined;
    throw new MQClientError(response.code, response.remark ?? `No topic route info in name server for the topic: ${topic}`);
  }

  /**
   * Send to one name server, trying the others in turn when one cannot be reached, all
   * within `timeoutMs`. Java keeps the chosen one (`namesrvAddrChoosed`) while it works.
   */
  private async invokeNameServer(request: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    const addrs = this.namesrvAddrs;
    if (addrs.length === 0) throw new MQClientError(ClientErrorCode.NO_NAME_SERVER_EXCEPTION, 'No name server address, please set it.');
    const failures: string[] = [];
    for (let i = 0; i < addrs.length; i++) {
      const addr = addrs[(this.namesrvIndex + i) % addrs.length]!;
      try {
        const response = await this.remotingClient.invokeSync(addr, request, timeoutMs);
        this.namesrvIndex = (this.namesrvIndex + i) % addrs.length;
        return response;
      } catch (error) {
        if (!(error instanceof RemotingConnectError)) throw error;
        failures.push(`${addr} (${error.message})`);
      }
    }
    this.namesrvIndex = (this.namesrvIndex + 1) % addrs.length;
    throw new MQClientError(ClientErrorCode.NO_NAME_SERVER_EXCEPTION, `name server unreachable: ${failures.join('; ')}`);
  }

  // ---------------------------------------------------------------------------------------
  // Send.

  /**
   * Send one message (or a {@link MessageBatch}) to the broker at `addr`. Resolves to the
   * SendResult, or `undefined` for ONEWAY. A non-success code rejects with MQBrokerError.
   * `body` is what goes on the wire (the compressed body when the producer compressed it).
   */
  sendMessage(addr: string, brokerName: string, msg: Message, header: SendMessageRequestHeader, timeoutMs: number, mode: CommunicationMode, body: Uint8Array = msg.body): Promise<SendResult | undefined> {
    const request = createSendMessageRequestV2(header, body);
    if (mode === 'ONEWAY') return this.remotingClient.invokeOneway(addr, request, timeoutMs).then(() => undefined);
    const pending = mode === 'ASYNC' ? this.remotingClient.invokeAsync(addr, request, timeoutMs) : this.remotingClient.invokeSync(addr, request, timeoutMs);
    return pending.then((response) => this.processSendResponse(brokerName, msg, header.queueId, response, addr));
  }

  /** Turn a send response into a SendResult (codes 0, 10, 11, 12) or throw MQBrokerError. */
  processSendResponse(brokerName: string, msg: Message, queueId: number, response: RemotingCommand, addr: string): SendResult {
    const sendStatus = sendStatusOfResponseCode(response.code);
    if (sendStatus === undefined) throw new MQBrokerError(response.code, response.remark, addr);
    const fields = response.extFields ?? {};
    const respQueueId = fields['queueId'];
    const result: SendResult = {
      sendStatus,
      msgId: msg instanceof MessageBatch ? msg.joinedUniqIds() : (getUniqID(msg) ?? ''),
      offsetMsgId: fields['msgId'] ?? '',
      messageQueue: { topic: msg.topic, brokerName, queueId: respQueueId === undefined ? queueId : Number(respQueueId) },
      queueOffset: response.getLong('queueOffset'),
      regionId: fields['MSG_REGION'] ?? 'DefaultRegion',
      traceOn: fields['TRACE_ON'] !== 'false',
    };
    const transactionId = fields['transactionId'];
    if (transactionId !== undefined) result.transactionId = transactionId;
    return result;
  }

  /** END_TRANSACTION, one-way. */
  endTransactionOneway(addr: string, header: EndTransactionRequestHeader, remark: string | undefined, timeoutMs: number): Promise<void> {
    const request = createRequestCommand(RequestCode.END_TRANSACTION, endTransactionRequestFields(header));
    request.remark = remark;
    return this.remotingClient.invokeOneway(addr, request, timeoutMs);
  }

  // ---------------------------------------------------------------------------------------
  // Pull and offsets.

  /** PULL_MESSAGE; the records stay raw in `messageBinary` for the consumer to decode. */
  async pullMessage(addr: string, requestHeader: PullMessageRequestHeader, timeoutMs: number): Promise<PullResultExt> {
    const request = createRequestCommand(RequestCode.PULL_MESSAGE, { ...requestHeader });
    const response = await this.remotingClient.invokeAsync(addr, request, timeoutMs);
    const pullStatus = PULL_STATUS_BY_CODE.get(response.code);
    if (pullStatus === undefined) throw new MQBrokerError(response.code, response.remark, addr);
    return {
      pullStatus,
      nextBeginOffset: response.getLong('nextBeginOffset'),
      minOffset: response.getLong('minOffset'),
      maxOffset: response.getLong('maxOffset'),
      suggestWhichBrokerId: response.getLong('suggestWhichBrokerId'),
      msgFoundList: [],
      messageBinary: pullStatus === 'FOUND' ? response.body : undefined,
    };
  }

  /** QUERY_CONSUMER_OFFSET; QUERY_NOT_FOUND (22) rejects with MQBrokerError like any failure. */
  async queryConsumerOffset(addr: string, header: { consumerGroup: string; topic: string; queueId: number }, timeoutMs: number): Promise<number> {
    const response = await this.invokeBroker(addr, createRequestCommand(RequestCode.QUERY_CONSUMER_OFFSET, { ...header }), timeoutMs);
    return response.getLong('offset');
  }

  /** UPDATE_CONSUMER_OFFSET, waiting for the answer. */
  async updateConsumerOffset(addr: string, header: UpdateConsumerOffsetRequestHeader, timeoutMs: number): Promise<void> {
    await this.invokeBroker(addr, createRequestCommand(RequestCode.UPDATE_CONSUMER_OFFSET, { ...header }), timeoutMs);
  }

  /** UPDATE_CONSUMER_OFFSET one-way: what the 5-second persist timer sends. */
  updateConsumerOffsetOneway(addr: string, header: UpdateConsumerOffsetRequestHeader, timeoutMs: number): Promise<void> {
    return this.remotingClient.invokeOneway(addr, createRequestCommand(RequestCode.UPDATE_CONSUMER_OFFSET, { ...header }), timeoutMs);
  }

  /** GET_MAX_OFFSET: the queue's next offset to be written. */
  async getMaxOffset(addr: string, topic: string, queueId: number, timeoutMs: number): Promise<number> {
    return (await this.invokeBroker(addr, createRequestCommand(RequestCode.GET_MAX_OFFSET, { topic, queueId }), timeoutMs)).getLong('offset');
  }

  /** GET_MIN_OFFSET: the queue's smallest offset still stored. */
  async getMinOffset(addr: string, topic: string, queueId: number, timeoutMs: number): Promise<number> {
    return (await this.invokeBroker(addr, createRequestCommand(RequestCode.GET_MIN_OFFSET, { topic, queueId }), timeoutMs)).getLong('offset');
  }

  /** SEARCH_OFFSET_BY_TIMESTAMP: the first offset stored at or after `timestamp`. */
  async searchOffset(addr: string, topic: string, queueId: number, timestamp: number, timeoutMs: number): Promise<number> {
    const request = createRequestCommand(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, { topic, queueId, timestamp });
    return (await this.invokeBroker(addr, request, timeoutMs)).getLong('offset');
  }

  /** GET_EARLIEST_MSG_STORETIME: the store time of the queue's oldest message. */
  async getEarliestMsgStoretime(addr: string, topic: string, queueId: number, timeoutMs: number): Promise<number> {
    const request = createRequestCommand(RequestCode.GET_EARLIEST_MSG_STORETIME, { topic, queueId });
    return (await this.invokeBroker(addr, request, timeoutMs)).getLong('timestamp');
  }

  // ---------------------------------------------------------------------------------------
  // Consumer management.

  /** HEART_BEAT; resolves to the broker's version (the response's `version`). */
  async sendHeartbeat(addr: string, heartbeatData: HeartbeatData, timeoutMs: number): Promise<number> {
    const request = createRequestCommand(RequestCode.HEART_BEAT);
    request.body = heartbeatData.encode();
    const response = await this.invokeBroker(addr, request, timeoutMs);
    return response.version;
  }

  /**
   * CHECK_CLIENT_CONFIG: can the broker filter with this (SQL92) subscription? Rejects with an
   * {@link MQClientError} carrying the broker's code and remark (e.g. SUBSCRIPTION_PARSE_FAILED
   * and the compiler's message) when it cannot.
   */
  async checkClientInBroker(addr: string, consumerGroup: string, clientId: string, subscriptionData: SubscriptionData, timeoutMs: number): Promise<void> {
    const request = createRequestCommand(RequestCode.CHECK_CLIENT_CONFIG);
    request.body = encodeFastjson({ clientId, group: consumerGroup, subscriptionData });
    const response = await this.remotingClient.invokeSync(addr, request, timeoutMs);
    if (response.code !== ResponseCode.SUCCESS) throw new MQClientError(response.code, response.remark ?? '');
  }

  /** UNREGISTER_CLIENT for one producer or consumer group (note `clientID`, capital ID). */
  async unregisterClient(addr: string, clientID: string, producerGroup: string | undefined, consumerGroup: string | undefined, timeoutMs: number): Promise<void> {
    const request = createRequestCommand(RequestCode.UNREGISTER_CLIENT, { clientID, producerGroup, consumerGroup });
    await this.invokeBroker(addr, request, timeoutMs);
  }

  /** GET_CONSUMER_LIST_BY_GROUP: the client ids of the group as this broker knows them. */
  async getConsumerIdListByGroup(addr: string, consumerGroup: string, timeoutMs: number): Promise<string[]> {
    const response = await this.invokeBroker(addr, createRequestCommand(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup }), timeoutMs);
    if (response.body === undefined) return [];
    const parsed = JSON.parse(decodeUtf8(response.body)) as { consumerIdList?: unknown };
    return Array.isArray(parsed.consumerIdList) ? parsed.consumerIdList.filter((id): id is string => typeof id === 'string') : [];
  }

  /** CONSUMER_SEND_MSG_BACK: hand a failed message back to the broker for a later retry. */
  async consumerSendMessageBack(addr: string, msg: MessageExt, consumerGroup: string, delayLevel: number, timeoutMs: number, maxConsumeRetryTimes: number): Promise<void> {
    const request = createRequestCommand(RequestCode.CONSUMER_SEND_MSG_BACK, {
      offset: msg.commitLogOffset,
      group: consumerGroup,
      delayLevel,
      originMsgId: msg.msgId,
      originTopic: msg.topic,
      unitMode: false,
      maxReconsumeTimes: maxConsumeRetryTimes,
    });
    await this.invokeBroker(addr, request, timeoutMs);
  }

  /** LOCK_BATCH_MQ: resolves to the queues now locked by this client. */
  async lockBatchMQ(addr: string, body: LockBatchRequestBody, timeoutMs: number): Promise<MessageQueue[]> {
    const request = createRequestCommand(RequestCode.LOCK_BATCH_MQ);
    request.body = encodeLockBatchRequestBody(body);
    const response = await this.invokeBroker(addr, request, timeoutMs);
    return response.body === undefined ? [] : decodeLockBatchResponseBody(response.body);
  }

  /** UNLOCK_BATCH_MQ, one-way or waiting for the answer. */
  async unlockBatchMQ(addr: string, body: LockBatchRequestBody, timeoutMs: number, oneway: boolean): Promise<void> {
    const request = createRequestCommand(RequestCode.UNLOCK_BATCH_MQ);
    request.body = encodeLockBatchRequestBody(body);
    if (oneway) return this.remotingClient.invokeOneway(addr, request, timeoutMs);
    await this.invokeBroker(addr, request, timeoutMs);
  }

  // ---------------------------------------------------------------------------------------
  // Admin and query.

  /** UPDATE_AND_CREATE_TOPIC on one broker. */
  async createTopic(addr: string, defaultTopic: string, topicConfig: CreateTopicConfig, timeoutMs: number): Promise<void> {
    const request = createRequestCommand(RequestCode.UPDATE_AND_CREATE_TOPIC, createTopicRequestFields(defaultTopic, topicConfig));
    await this.invokeBroker(addr, request, timeoutMs);
  }

  /** VIEW_MESSAGE_BY_ID: the record at commit-log offset `phyoffset`, body inflated. */
  async viewMessage(addr: string, phyoffset: number, timeoutMs: number): Promise<MessageExt> {
    const response = await this.invokeBroker(addr, createRequestCommand(RequestCode.VIEW_MESSAGE_BY_ID, { offset: phyoffset }), timeoutMs);
    const [message] = response.body === undefined ? [] : decodeMessages(response.body);
    if (message === undefined) throw new MQBrokerError(ResponseCode.SYSTEM_ERROR, `no message at offset ${phyoffset}`, addr);
    await decompressMessageBodies([message]);
    return message;
  }

  /**
   * QUERY_MESSAGE by key (or by UNIQ_KEY with `isUniqueKey`). QUERY_NOT_FOUND gives an
   * empty result, as Java's callback ignores it.
   */
  async queryMessage(addr: string, header: { topic: string; key: string; maxNum: number; beginTimestamp: number; endTimestamp: number }, timeoutMs: number, isUniqueKey: boolean): Promise<QueryMessageResult> {
    const request = createRequestCommand(RequestCode.QUERY_MESSAGE, { ...header, [UNIQUE_MSG_QUERY_FLAG]: isUniqueKey });
    const response = await this.remotingClient.invokeSync(addr, request, timeoutMs);
    if (response.code === ResponseCode.QUERY_NOT_FOUND) return { indexLastUpdateTimestamp: 0, indexLastUpdatePhyoffset: 0, messages: [] };
    if (response.code !== ResponseCode.SUCCESS) throw new MQBrokerError(response.code, response.remark, addr);
    const messages = response.body === undefined ? [] : decodeMessages(response.body);
    await decompressMessageBodies(messages);
    return {
      indexLastUpdateTimestamp: response.getLong('indexLastUpdateTimestamp'),
      indexLastUpdatePhyoffset: response.getLong('indexLastUpdatePhyoffset'),
      messages,
    };
  }

  /** invokeSync to a broker; any code but SUCCESS rejects with MQBrokerError. */
  private async invokeBroker(addr: string, request: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    const response = await this.remotingClient.invokeSync(addr, request, timeoutMs);
    if (response.code !== ResponseCode.SUCCESS) throw new MQBrokerError(response.code, response.remark, addr);
    return response;
  }
}
