/**
 * The group requests of the broker's admin processor: subscription-group configs, who is
 * connected in a consumer or producer group, and the queue locks of orderly consumers.
 *
 * A subscription group's config (retry queue count, max retries, whether it may consume
 * at all) is created on the fly the first time a consumer of it sends a heartbeat; an
 * operator can also create, change or delete it here. Its live members are a separate
 * table, filled by heartbeats and emptied when connections close; these requests only
 * read it.
 *
 * Orderly consumers lock their queues on the master before consuming them, so that two
 * members never process one queue at the same time during a rebalance:
 *
 * ```
 *   client A ──LOCK_BATCH_MQ {mqSet:[T/0,T/1]}──► broker   T/0 free → A, T/1 held by B
 *            ◄── {lockOKMQSet:[T/0]}
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - UPDATE_AND_CREATE_SUBSCRIPTIONGROUP refuses a blank or illegal group name (Java
 *   stores whatever the body says) and a body that is missing or not JSON.
 *
 * @mirrors org.apache.rocketmq.broker.processor.AdminBrokerProcessor#updateAndCreateSubscriptionGroup
 * @mirrors org.apache.rocketmq.broker.processor.AdminBrokerProcessor#getConsumerConnectionList
 * @mirrors org.apache.rocketmq.broker.processor.AdminBrokerProcessor#lockBatchMQ
 * @article orderly "Locking queues on the broker"
 * @emits broker.subscription-group.updated, broker.subscription-group.deleted
 * @category Broker
 * @module
 */
import { decodeFastjson, encodeFastjson } from '../../../common/json/fastjson.js';
import type { JsonObject } from '../../../common/json/json-fields.js';
import { ResponseCode } from '../../../common/protocol/response-code.js';
import { SubscriptionGroupConfig } from '../../../common/subscription/subscription-group-config.js';
import { checkGroup } from '../../../common/topic/topic-validator.js';
import { createResponseCommand, type RemotingCommand } from '../../../remoting/remoting-command.js';
import {
  decodeLockBatchRequestBody, encodeConsumerConnection, encodeLockBatchResponseBody, encodeProducerConnection,
  type ClientConnection, type SubscriptionBean,
} from '../../../common/protocol/body/admin-bodies.js';
import type { AdminBrokerProcessorOptions, AdminClientChannelInfo } from './admin-collaborators.js';
import { success, systemError } from './admin-responses.js';
import { compareMessageQueue, type MessageQueue } from '../../../common/protocol/body/message-queue-keyed-map.js';
import { refuseOnSlave } from './topic-admin.js';

/** Only the serialized fields, whatever else the manager's objects carry. */
function groupConfigBean(c: SubscriptionGroupConfig): Record<string, unknown> {
  return {
    brokerId: c.brokerId, consumeBroadcastEnable: c.consumeBroadcastEnable, consumeEnable: c.consumeEnable,
    consumeFromMinEnable: c.consumeFromMinEnable, groupName: c.groupName, notifyConsumerIdsChangedEnable: c.notifyConsumerIdsChangedEnable,
    retryMaxTimes: c.retryMaxTimes, retryQueueNums: c.retryQueueNums, whichBrokerWhenConsumeSlowly: c.whichBrokerWhenConsumeSlowly,
  };
}

/** UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200): body = SubscriptionGroupConfig JSON. */
export function updateAndCreateSubscriptionGroup(o: AdminBrokerProcessorOptions, request: RemotingCommand): RemotingCommand {
  const refused = refuseOnSlave(o);
  if (refused !== undefined) return refused;
  if (request.body === undefined) return systemError('UPDATE_AND_CREATE_SUBSCRIPTIONGROUP needs a SubscriptionGroupConfig body');
  const config = SubscriptionGroupConfig.fromJson(decodeFastjson(request.body, 'SubscriptionGroupConfig'), 'SubscriptionGroupConfig');
  const badName = checkGroup(config.groupName);
  if (badName !== undefined) return systemError(badName);
  o.subscriptionGroupManager.updateSubscriptionGroupConfig(config);
  o.events.emit('broker.subscription-group.updated', { group: config.groupName, consumeEnable: config.consumeEnable, retryMaxTimes: config.retryMaxTimes });
  return success();
}

/** GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201): `{"dataVersion":..,"subscriptionGroupTable":{..}}`. */
export function getAllSubscriptionGroup(o: AdminBrokerProcessorOptions): RemotingCommand {
  const table = new Map([...o.subscriptionGroupManager.subscriptionGroupTable].map(([name, c]) => [name, groupConfigBean(c)]));
  return success(encodeFastjson({ dataVersion: o.subscriptionGroupManager.dataVersion, subscriptionGroupTable: table }));
}

/** DELETE_SUBSCRIPTIONGROUP (207): header `groupName`, optional `removeOffset`. */
export function deleteSubscriptionGroup(o: AdminBrokerProcessorOptions, request: RemotingCommand): RemotingCommand {
  const refused = refuseOnSlave(o);
  if (refused !== undefined) return refused;
  const group = request.getString('groupName');
  const removeOffset = request.optBool('removeOffset') ?? false;
  o.subscriptionGroupManager.deleteSubscriptionGroupConfig(group);
  if (removeOffset) o.consumerOffsetManager.removeOffset(group);
  o.events.emit('broker.subscription-group.deleted', { group, offsetsRemoved: removeOffset });
  return success();
}

function connectionsOf(table: ReadonlyMap<unknown, AdminClientChannelInfo>): ClientConnection[] {
  return [...table.values()].map((info) => ({ clientAddr: info.remoteAddress, clientId: info.clientId, language: info.language, version: info.version })).sort((a, b) => (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0));
}

/** The serialized fields of a SubscriptionData, whatever object the consumer manager keeps. */
function subscriptionBean(topic: string, data: unknown): SubscriptionBean {
  const s = (typeof data === 'object' && data !== null ? data : {}) as JsonObject;
  const list = (v: unknown): unknown[] => (v instanceof Set ? [...v] : Array.isArray(v) ? v : []);
  return {
    classFilterMode: s['classFilterMode'] === true,
    codeSet: list(s['codeSet']).filter((c): c is number => typeof c === 'number'),
    expressionType: typeof s['expressionType'] === 'string' ? s['expressionType'] : 'TAG',
    subString: typeof s['subString'] === 'string' ? s['subString'] : '*',
    subVersion: typeof s['subVersion'] === 'number' ? s['subVersion'] : 0,
    tagsSet: list(s['tagsSet']).filter((t): t is string => typeof t === 'string'),
    topic: typeof s['topic'] === 'string' ? s['topic'] : topic,
  };
}

/** GET_CONSUMER_CONNECTION_LIST (203): members and subscriptions, or CONSUMER_NOT_ONLINE. */
export function getConsumerConnectionList(o: AdminBrokerProcessorOptions, request: RemotingCommand): RemotingCommand {
  const group = request.getString('consumerGroup');
  const info = o.consumerManager.getConsumerGroupInfo(group);
  if (info === undefined) return createResponseCommand(ResponseCode.CONSUMER_NOT_ONLINE, `the consumer group[${group}] not online`);
  const subscriptionTable = new Map([...info.subscriptionTable].map(([topic, data]) => [topic, subscriptionBean(topic, data)]));
  return success(encodeConsumerConnection({
    connectionSet: connectionsOf(info.channelInfoTable),
    subscriptionTable,
    consumeType: info.consumeType,
    messageModel: info.messageModel,
    consumeFromWhere: info.consumeFromWhere,
  }));
}

/** GET_PRODUCER_CONNECTION_LIST (204): the group's members, or SYSTEM_ERROR. */
export function getProducerConnectionList(o: AdminBrokerProcessorOptions, request: RemotingCommand): RemotingCommand {
  const group = request.getString('producerGroup');
  const table = o.producerManager.getGroupChannelTable().get(group);
  if (table === undefined) return systemError(`the producer group[${group}] not exist`);
  return success(encodeProducerConnection({ connectionSet: connectionsOf(table) }));
}

/** LOCK_BATCH_MQ (41): lock what can be locked; body `{"lockOKMQSet":[...]}`. */
export function lockBatchMQ(o: AdminBrokerProcessorOptions, request: RemotingCommand): RemotingCommand {
  const body = decodeLockBatchRequestBody(request.body, 'LockBatchRequestBody');
  const locked = o.rebalanceLockManager.tryLockBatch(body.consumerGroup, new Set(body.mqSet), body.clientId);
  const sorted = [...locked].sort((a: MessageQueue, b: MessageQueue) => compareMessageQueue(a, b));
  return success(encodeLockBatchResponseBody(sorted));
}

/** UNLOCK_BATCH_MQ (42): release the client's locks on the listed queues. */
export function unlockBatchMQ(o: AdminBrokerProcessorOptions, request: RemotingCommand): RemotingCommand {
  const body = decodeLockBatchRequestBody(request.body, 'UnlockBatchRequestBody');
  o.rebalanceLockManager.unlockBatch(body.consumerGroup, new Set(body.mqSet), body.clientId);
  return success();
}
