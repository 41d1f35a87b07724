/**
 * ClientManageProcessor: answers the three requests that manage a client's registration:
 * HEART_BEAT (34), UNREGISTER_CLIENT (35) and CHECK_CLIENT_CONFIG (46).
 *
 * ```
 *   HEART_BEAT          body HeartbeatData
 *     for each consumer group:  find (auto-create) its SubscriptionGroupConfig
 *                               create %RETRY%<group> (retryQueueNums queues, perm RW)
 *                               ConsumerManager.registerConsumer  (may notify the group;
 *                                 its REGISTER event compiles SQL92 subscriptions into the
 *                                 ConsumerFilterManager, skipping any that do not compile)
 *     for each producer group:  ProducerManager.registerProducer
 *     answer SUCCESS, no body; the response's version is the broker's (293)
 *   UNREGISTER_CLIENT   header clientID (capital ID), producerGroup?, consumerGroup?
 *   CHECK_CLIENT_CONFIG body {clientId, group, subscriptionData}   (a SQL92 consumer asks at start)
 *     TAG ──► SUCCESS;  other ──► SYSTEM_ERROR without enablePropertyFilter, else compile it:
 *     SUCCESS, or SUBSCRIPTION_PARSE_FAILED with the compiler's message as the remark
 * ```
 *
 * The retry topic is created here, at the first heartbeat, not at the first failed
 * message: a consumer subscribes `%RETRY%<group>` at start and asks the name server for its
 * route, and creating the topic makes the broker register it there (B1's
 * TopicConfigManager does that), so the route exists by the time a message is sent back.
 *
 * The broker's version in the HEART_BEAT response matters: Java clients record it, and
 * refuse SQL92 subscriptions to a broker below 232. The remoting layer stamps every
 * response with the server's configured version (293 by default), so nothing is done here.
 *
 * Differences from RocketMQ 4.9.x:
 * - A body that does not decode is answered SYSTEM_ERROR naming the field, instead of an
 *   exception text.
 * - A CHECK_CLIENT_CONFIG expression that does not compile is also reported as a
 *   `broker.filter.compile-failed` event (Java logs a warning).
 *
 * @mirrors org.apache.rocketmq.broker.processor.ClientManageProcessor
 * @mirrors org.apache.rocketmq.common.protocol.body.CheckClientRequestBody
 * @article pull-consume-1 "Heartbeats: how the broker learns who consumes"
 * @emits broker.filter.compile-failed
 * @category Broker
 * @module
 */
import { PermName } from '../../common/constant/perm-name.js';
import { decodeFastjson, JsonFormatError } from '../../common/json/fastjson.js';
import { asObject, optObject } from '../../common/json/json-fields.js';
import { getRetryTopic } from '../../common/mix-all.js';
import { HeartbeatData } from '../../common/protocol/heartbeat/heartbeat-data.js';
import { isTagType, SubscriptionData } from '../../common/protocol/heartbeat/subscription-data.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import { buildSysFlag } from '../../common/topic/topic-sys-flag.js';
import type { TopicConfig } from '../../common/topic/topic-config.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';
import { RemotingCommandError } from '../../remoting/errors.js';
import { createResponseCommand, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { RequestContext, RequestProcessor } from '../../remoting/request-processor.js';
import { ClientChannelInfo } from '../client/client-channel-info.js';
import type { ConsumerManager } from '../client/consumer-manager.js';
import { compileErrorMessage, compileExpression } from '../filter/consumer-filter-manager.js';
import type { ProducerManager } from '../client/producer-manager.js';

/** The subscription-group settings a heartbeat reads (a `SubscriptionGroupConfig` satisfies it). */
export interface HeartbeatSubscriptionGroupConfig {
  readonly retryQueueNums: number;
  readonly notifyConsumerIdsChangedEnable: boolean;
}

export interface ClientManageProcessorOptions {
  consumerManager: Pick<ConsumerManager, 'registerConsumer' | 'unregisterConsumer'>;
  producerManager: Pick<ProducerManager, 'registerProducer' | 'unregisterProducer'>;
  topicConfigManager: {
    createTopicInSendMessageBackMethod(topic: string, clientDefaultTopicQueueNums: number, perm: number, topicSysFlag: number): TopicConfig | undefined;
  };
  subscriptionGroupManager: { findSubscriptionGroupConfig(group: string): HeartbeatSubscriptionGroupConfig | undefined };
  /** Read on every request; only `enablePropertyFilter` (CHECK_CLIENT_CONFIG). */
  brokerConfig: { readonly enablePropertyFilter: boolean };
  clock: Clock;
  /** Where CHECK_CLIENT_CONFIG reports an expression that does not compile. */
  events?: NodeEvents;
}

export class ClientManageProcessor implements RequestProcessor {
  constructor(private readonly options: ClientManageProcessorOptions) {}

  rejectRequest(): boolean {
    return false;
  }

  processRequest(ctx: RequestContext, request: RemotingCommand): RemotingCommand {
    try {
      switch (request.code) {
        case RequestCode.HEART_BEAT:
          return this.heartBeat(ctx, request);
        case RequestCode.UNREGISTER_CLIENT:
          return this.unregisterClient(ctx, request);
        case RequestCode.CHECK_CLIENT_CONFIG:
          return this.checkClientConfig(request);
        default:
          return createResponseCommand(ResponseCode.REQUEST_CODE_NOT_SUPPORTED, ` request type ${request.code} not supported`);
      }
    } catch (error) {
      if (error instanceof RemotingCommandError) return createResponseCommand(ResponseCode.SYSTEM_ERROR, error.message);
      if (error instanceof JsonFormatError) return createResponseCommand(ResponseCode.SYSTEM_ERROR, `the body could not be decoded: ${error.message}`);
      throw error;
    }
  }

  /** HEART_BEAT: register every consumer and producer group of the client on this connection. */
  heartBeat(ctx: RequestContext, request: RemotingCommand): RemotingCommand {
    if (request.body === undefined) return createResponseCommand(ResponseCode.SYSTEM_ERROR, 'HEART_BEAT needs a HeartbeatData body');
    const now = this.options.clock.now();
    const heartbeat = HeartbeatData.decode(request.body, now);
    const client = new ClientChannelInfo(ctx.connection, heartbeat.clientID, request.language, request.version, now);
    for (const data of heartbeat.consumerDataSet) {
      const groupConfig = this.options.subscriptionGroupManager.findSubscriptionGroupConfig(data.groupName);
      let notify = true;
      if (groupConfig !== undefined) {
        notify = groupConfig.notifyConsumerIdsChangedEnable;
        const topicSysFlag = data.unitMode ? buildSysFlag(false, true) : 0;
        this.options.topicConfigManager.createTopicInSendMessageBackMethod(
          getRetryTopic(data.groupName), groupConfig.retryQueueNums, PermName.PERM_WRITE | PermName.PERM_READ, topicSysFlag);
      }
      this.options.consumerManager.registerConsumer(
        data.groupName, client, data.consumeType, data.messageModel, data.consumeFromWhere, data.subscriptionDataSet, notify);
    }
    for (const data of heartbeat.producerDataSet) this.options.producerManager.registerProducer(data.groupName, client);
    return createResponseCommand(ResponseCode.SUCCESS);
  }

  /** UNREGISTER_CLIENT: the client is shutting a producer and/or consumer group down. */
  unregisterClient(ctx: RequestContext, request: RemotingCommand): RemotingCommand {
    const clientID = request.getString('clientID');
    const client = new ClientChannelInfo(ctx.connection, clientID, request.language, request.version, this.options.clock.now());
    const producerGroup = request.optString('producerGroup');
    if (producerGroup !== undefined) this.options.producerManager.unregisterProducer(producerGroup, client);
    const consumerGroup = request.optString('consumerGroup');
    if (consumerGroup !== undefined) {
      const groupConfig = this.options.subscriptionGroupManager.findSubscriptionGroupConfig(consumerGroup);
      this.options.consumerManager.unregisterConsumer(consumerGroup, client, groupConfig?.notifyConsumerIdsChangedEnable ?? true);
    }
    return createResponseCommand(ResponseCode.SUCCESS);
  }

  /** CHECK_CLIENT_CONFIG: can this broker filter with the client's (non-TAG) expression? */
  checkClientConfig(request: RemotingCommand): RemotingCommand {
    if (request.body === undefined) return createResponseCommand(ResponseCode.SUCCESS); // Java: a null body passes
    const path = 'CheckClientRequestBody';
    const body = asObject(decodeFastjson(request.body, path), path);
    const raw = optObject(body, 'subscriptionData', path);
    if (raw === undefined) return createResponseCommand(ResponseCode.SUCCESS);
    const subscriptionData = SubscriptionData.fromJson(raw, `${path}.subscriptionData`);
    if (isTagType(subscriptionData.expressionType)) return createResponseCommand(ResponseCode.SUCCESS);
    if (!this.options.brokerConfig.enablePropertyFilter) {
      return createResponseCommand(ResponseCode.SYSTEM_ERROR, `The broker does not support consumer to filter message by ${subscriptionData.expressionType}`);
    }
    try {
      compileExpression(subscriptionData.expressionType, subscriptionData.subString);
    } catch (error) {
      const message = compileErrorMessage(error);
      this.options.events?.emit('broker.filter.compile-failed', {
        group: typeof body['group'] === 'string' ? body['group'] : '', topic: subscriptionData.topic, expressionType: subscriptionData.expressionType,
        expression: subscriptionData.subString, error: message, site: 'check-client-config', dropped: false,
      }, { flow: 'filter' });
      return createResponseCommand(ResponseCode.SUBSCRIPTION_PARSE_FAILED, message);
    }
    return createResponseCommand(ResponseCode.SUCCESS);
  }
}
