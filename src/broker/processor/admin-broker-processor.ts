/**
 * AdminBrokerProcessor: the broker's answer to every operator and housekeeping request,
 * from "create this topic" to "where does this queue end".
 *
 * Everything that is not sending, pulling, heartbeats, consumer offsets or message queries
 * lands here: mqadmin's topic, group and offset commands, the queue bounds clients ask for
 * when they pick a start offset, the queue locks of orderly consumers, and the four tables
 * a slave copies from its master. The work itself lives in small files, one per family:
 *
 * ```
 *   code                                           file
 *   17 UPDATE_AND_CREATE_TOPIC, 215 DELETE_TOPIC    admin/topic-admin.ts
 *   21/22/23 topic configs and names, 202 stats,
 *   300 QUERY_TOPIC_CONSUME_BY_WHO
 *   29 SEARCH_OFFSET_BY_TIMESTAMP, 30/31 MAX/MIN    admin/offset-admin.ts
 *   32 EARLIEST_MSG_STORETIME, 43/45 all offsets,
 *   208 GET_CONSUME_STATS, 222 reset offsets
 *   200/201/207 subscription groups                 admin/group-admin.ts
 *   203/204 connections, 41/42 queue locks
 *   26 GET_BROKER_CONFIG, 28 GET_BROKER_RUNTIME_INFO admin/broker-info-admin.ts
 *   anything else                                   REQUEST_CODE_NOT_SUPPORTED
 * ```
 *
 * A missing or malformed header field or body is answered SYSTEM_ERROR naming it; nothing
 * a client sends can throw out of `processRequest`.
 *
 * Differences from RocketMQ 4.9.x:
 * - ACL, broker-config updates, statistics views, consume-queue queries, half-message and
 *   consumer-status requests are not implemented (REQUEST_CODE_NOT_SUPPORTED).
 * - Java's `synchronized` on topic and group changes is unnecessary: each handler runs to
 *   completion without awaiting.
 *
 * @mirrors org.apache.rocketmq.broker.processor.AdminBrokerProcessor
 * @article topic "Creating a topic"
 * @emits broker.topic.updated, broker.topic.deleted, broker.subscription-group.updated, broker.subscription-group.deleted, broker.offset.reset
 * @category Broker
 * @module
 */
import { DataVersion } from '../../common/protocol/body/data-version.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import { createResponseCommand, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { RequestContext, RequestProcessor } from '../../remoting/request-processor.js';
import { getBrokerConfig, getBrokerRuntimeInfo } from './admin/broker-info-admin.js';
import type { AdminBrokerProcessorOptions } from './admin/admin-collaborators.js';
import { guarded } from './admin/admin-responses.js';
import {
  deleteSubscriptionGroup, getAllSubscriptionGroup, getConsumerConnectionList, getProducerConnectionList, lockBatchMQ, unlockBatchMQ,
  updateAndCreateSubscriptionGroup,
} from './admin/group-admin.js';
import {
  getAllConsumerOffset, getAllDelayOffset, getConsumeStats, getEarliestMsgStoretime, getMaxOffset, getMinOffset, resetOffset,
  searchOffsetByTimestamp,
} from './admin/offset-admin.js';
import { deleteTopic, getAllTopicConfig, getTopicNameList, getTopicStatsInfo, queryTopicConsumeByWho, updateAndCreateTopic } from './admin/topic-admin.js';

export type { AdminBrokerProcessorOptions } from './admin/admin-collaborators.js';

/** One admin request: answer now, later (`null`), or asynchronously. */
type AdminHandler = (ctx: RequestContext, request: RemotingCommand) => RemotingCommand | null;

export class AdminBrokerProcessor implements RequestProcessor {
  private readonly handlers: ReadonlyMap<number, AdminHandler>;
  /** The configuration's version, reported by GET_BROKER_CONFIG (Java `Configuration.dataVersion`). */
  private readonly configVersion: DataVersion;

  constructor(options: AdminBrokerProcessorOptions) {
    this.configVersion = new DataVersion(options.clock.now(), 0);
    const o = options;
    this.handlers = new Map<number, AdminHandler>([
      [RequestCode.UPDATE_AND_CREATE_TOPIC, (ctx, r) => updateAndCreateTopic(o, ctx, r)],
      [RequestCode.DELETE_TOPIC_IN_BROKER, (_, r) => deleteTopic(o, r)],
      [RequestCode.GET_ALL_TOPIC_CONFIG, () => getAllTopicConfig(o)],
      [RequestCode.GET_TOPIC_CONFIG_LIST, () => getAllTopicConfig(o)],
      [RequestCode.GET_TOPIC_NAME_LIST, () => getTopicNameList(o)],
      [RequestCode.GET_TOPIC_STATS_INFO, (_, r) => getTopicStatsInfo(o, r)],
      [RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, (_, r) => queryTopicConsumeByWho(o, r)],
      [RequestCode.GET_BROKER_CONFIG, () => getBrokerConfig(o, this.configVersion)],
      [RequestCode.GET_BROKER_RUNTIME_INFO, () => getBrokerRuntimeInfo(o)],
      [RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, (_, r) => searchOffsetByTimestamp(o, r)],
      [RequestCode.GET_MAX_OFFSET, (_, r) => getMaxOffset(o, r)],
      [RequestCode.GET_MIN_OFFSET, (_, r) => getMinOffset(o, r)],
      [RequestCode.GET_EARLIEST_MSG_STORETIME, (_, r) => getEarliestMsgStoretime(o, r)],
      [RequestCode.GET_ALL_CONSUMER_OFFSET, () => getAllConsumerOffset(o)],
      [RequestCode.GET_ALL_DELAY_OFFSET, () => getAllDelayOffset(o)],
      [RequestCode.GET_CONSUME_STATS, (_, r) => getConsumeStats(o, r)],
      [RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, (ctx, r) => resetOffset(o, ctx, r)],
      [RequestCode.LOCK_BATCH_MQ, (_, r) => lockBatchMQ(o, r)],
      [RequestCode.UNLOCK_BATCH_MQ, (_, r) => unlockBatchMQ(o, r)],
      [RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, (_, r) => updateAndCreateSubscriptionGroup(o, r)],
      [RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG, () => getAllSubscriptionGroup(o)],
      [RequestCode.DELETE_SUBSCRIPTIONGROUP, (_, r) => deleteSubscriptionGroup(o, r)],
      [RequestCode.GET_CONSUMER_CONNECTION_LIST, (_, r) => getConsumerConnectionList(o, r)],
      [RequestCode.GET_PRODUCER_CONNECTION_LIST, (_, r) => getProducerConnectionList(o, r)],
    ]);
  }

  /** The request codes this processor answers (the registry registers it for each). */
  static readonly REQUEST_CODES: readonly number[] = [
    RequestCode.UPDATE_AND_CREATE_TOPIC, RequestCode.DELETE_TOPIC_IN_BROKER, RequestCode.GET_ALL_TOPIC_CONFIG,
    RequestCode.GET_TOPIC_CONFIG_LIST, RequestCode.GET_TOPIC_NAME_LIST, RequestCode.GET_TOPIC_STATS_INFO,
    RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, RequestCode.GET_BROKER_CONFIG, RequestCode.GET_BROKER_RUNTIME_INFO,
    RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, RequestCode.GET_MAX_OFFSET, RequestCode.GET_MIN_OFFSET,
    RequestCode.GET_EARLIEST_MSG_STORETIME, RequestCode.GET_ALL_CONSUMER_OFFSET, RequestCode.GET_ALL_DELAY_OFFSET,
    RequestCode.GET_CONSUME_STATS, RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, RequestCode.LOCK_BATCH_MQ,
    RequestCode.UNLOCK_BATCH_MQ, RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG,
    RequestCode.DELETE_SUBSCRIPTIONGROUP, RequestCode.GET_CONSUMER_CONNECTION_LIST, RequestCode.GET_PRODUCER_CONNECTION_LIST,
  ];

  rejectRequest(): boolean {
    return false;
  }

  /**
   * Answer one admin request. Java registers this processor as the broker's default, so an
   * unknown code reaches it and gets REQUEST_CODE_NOT_SUPPORTED with Java's remark.
   */
  processRequest(ctx: RequestContext, request: RemotingCommand): RemotingCommand | null | Promise<RemotingCommand | null> {
    const handler = this.handlers.get(request.code);
    if (handler === undefined) {
      return createResponseCommand(ResponseCode.REQUEST_CODE_NOT_SUPPORTED, ` request type ${request.code} not supported`);
    }
    return guarded(() => handler(ctx, request));
  }
}
