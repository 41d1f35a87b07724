/**
 * The offset requests of the broker's admin processor: queue bounds and time lookups for
 * clients, a group's consume progress for operators, and resetting a group to a time.
 *
 * Two kinds of offset meet here, and both are queue offsets (entry indexes, not bytes):
 *
 * ```
 *   consume queue of T/0:   [0][1][2][3][4][5][6][7]            max offset = 8 (next to write)
 *                                        ▲
 *   group cg committed:                  5  ("the next message cg will read is entry 5")
 *   ConsumeStats row:   brokerOffset 8, consumerOffset 5  → diff 3 messages behind
 * ```
 *
 * Clients ask GET_MAX_OFFSET (30) where to start a new group (CONSUME_FROM_LAST_OFFSET),
 * SEARCH_OFFSET_BY_TIMESTAMP (29) for CONSUME_FROM_TIMESTAMP. Operators ask GET_CONSUME_STATS
 * (208, `mqadmin consumerProgress`) and INVOKE_BROKER_TO_RESET_OFFSET (222,
 * `mqadmin resetOffsetByTime`).
 *
 * A reset picks, per write queue, the offset of the message stored closest to the
 * timestamp (or the max offset for timestamp -1). Without `isForce` a queue only moves
 * backwards (re-consume), never forwards past messages not yet read.
 *
 * Differences from RocketMQ 4.9.x:
 * - A reset commits the new offsets on the broker itself and then notifies the live members
 *   (RESET_CONSUMER_CLIENT_OFFSET, one-way); Java only notifies, and answers
 *   CONSUMER_NOT_ONLINE when nobody is connected. Committing makes the reset work for
 *   offline groups and for clients that ignore the notification (ali-ons), but a live
 *   client that ignores it will overwrite the reset with its own next commit.
 * - A queue the group never committed is reset too (Java refuses the whole reset).
 * - `consumeTps` in ConsumeStats is always 0 (no statistics manager).
 * - GET_ALL_DELAY_OFFSET answers SYSTEM_ERROR when the broker was built without a schedule service (a custom store).
 *
 * @mirrors org.apache.rocketmq.broker.processor.AdminBrokerProcessor#getConsumeStats
 * @mirrors org.apache.rocketmq.broker.processor.AdminBrokerProcessor#searchOffsetByTimestamp
 * @mirrors org.apache.rocketmq.broker.client.net.Broker2Client#resetOffset
 * @article pull-consume-2 "Consume progress"
 * @emits broker.offset.reset
 * @category Broker
 * @module
 */
import { encodeUtf8 } from '../../../common/bytes.js';
import { encodeFastjson } from '../../../common/json/fastjson.js';
import { RequestCode } from '../../../common/protocol/request-code.js';
import { RemotingError } from '../../../remoting/errors.js';
import { createRequestCommand, type RemotingCommand } from '../../../remoting/remoting-command.js';
import type { RequestContext } from '../../../remoting/request-processor.js';
import { encodeConsumeStats, encodeResetOffsetBody, type OffsetWrapper } from '../../../common/protocol/body/admin-bodies.js';
import type { AdminBrokerProcessorOptions } from './admin-collaborators.js';
import { success, successWithHeader, systemError } from './admin-responses.js';
import type { MessageQueue } from '../../../common/protocol/body/message-queue-keyed-map.js';

/** SEARCH_OFFSET_BY_TIMESTAMP (29): header `offset` of the message stored closest to `timestamp`. */
export function searchOffsetByTimestamp(o: AdminBrokerProcessorOptions, request: RemotingCommand): RemotingCommand {
  const offset = o.messageStore.getOffsetInQueueByTime(request.getString('topic'), request.getInt('queueId'), request.getLong('timestamp'));
  return successWithHeader({ offset });
}

/** GET_MAX_OFFSET (30): header `offset`, the next queue offset to be written. */
export function getMaxOffset(o: AdminBrokerProcessorOptions, request: RemotingCommand): RemotingCommand {
  return successWithHeader({ offset: o.messageStore.getMaxOffsetInQueue(request.getString('topic'), request.getInt('queueId')) });
}

/** GET_MIN_OFFSET (31): header `offset`, the first queue offset still readable. */
export function getMinOffset(o: AdminBrokerProcessorOptions, request: RemotingCommand): RemotingCommand {
  return successWithHeader({ offset: o.messageStore.getMinOffsetInQueue(request.getString('topic'), request.getInt('queueId')) });
}

/** GET_EARLIEST_MSG_STORETIME (32): header `timestamp`, store time of the oldest message (-1: none). */
export function getEarliestMsgStoretime(o: AdminBrokerProcessorOptions, request: RemotingCommand): RemotingCommand {
  return successWithHeader({ timestamp: o.messageStore.getEarliestMessageTime(request.getString('topic'), request.getInt('queueId')) });
}

/** GET_ALL_CONSUMER_OFFSET (43): `{"offsetTable":{"topic@group":{0:5,...}}}` (a slave copies it). */
export function getAllConsumerOffset(o: AdminBrokerProcessorOptions): RemotingCommand {
  return success(encodeFastjson({ offsetTable: o.consumerOffsetManager.offsetTable }));
}

/** GET_ALL_DELAY_OFFSET (45): the schedule service's per-level offsets, when it exists. */
export function getAllDelayOffset(o: AdminBrokerProcessorOptions): RemotingCommand {
  const content = o.scheduleMessageService?.encode();
  if (content === undefined) return systemError('Delay offset not supported in this messagetore');
  if (content.length === 0) return systemError('No delay offset in this broker');
  return success(encodeUtf8(content));
}

/**
 * GET_CONSUME_STATS (208): for the header's topic, or every topic the group has offsets on,
 * one OffsetWrapper per read queue. A topic the group's live members do not subscribe is
 * skipped (Java: "consumeStats, the consumer group[..], topic[..] not exist").
 */
export function getConsumeStats(o: AdminBrokerProcessorOptions, request: RemotingCommand): RemotingCommand {
  const group = request.getString('consumerGroup');
  const headerTopic = request.optString('topic');
  const topics = headerTopic !== undefined && headerTopic.trim().length > 0 ? [headerTopic] : [...o.consumerOffsetManager.whichTopicByConsumer(group)];
  const subscriptionCount = o.consumerManager.findSubscriptionDataCount(group);
  const offsetTable: Array<[MessageQueue, OffsetWrapper]> = [];
  for (const topic of topics) {
    const config = o.topicConfigManager.selectTopicConfig(topic);
    if (config === undefined) continue;
    const subscribed = o.consumerManager.findSubscriptionData(group, topic);
    if ((subscribed === undefined || subscribed === null) && subscriptionCount > 0) continue;
    for (let queueId = 0; queueId < config.readQueueNums; queueId++) {
      const brokerOffset = Math.max(0, o.messageStore.getMaxOffsetInQueue(topic, queueId));
      const consumerOffset = Math.max(0, o.consumerOffsetManager.queryOffset(group, topic, queueId));
      const lastStored = consumerOffset > 0 ? o.messageStore.getMessageStoreTimeStamp(topic, queueId, consumerOffset - 1) : 0;
      offsetTable.push([{ topic, brokerName: o.brokerConfig.brokerName, queueId }, { brokerOffset, consumerOffset, lastTimestamp: Math.max(0, lastStored) }]);
    }
  }
  return success(encodeConsumeStats({ offsetTable, consumeTps: 0 }));
}

/**
 * INVOKE_BROKER_TO_RESET_OFFSET (222): header `topic`, `group`, `timestamp` (-1: the max
 * offsets), `isForce`. Commits the chosen offsets, tells the live members, and answers
 * with the ResetOffsetBody.
 */
export function resetOffset(o: AdminBrokerProcessorOptions, ctx: RequestContext, request: RemotingCommand): RemotingCommand {
  const topic = request.getString('topic');
  const group = request.getString('group');
  const timestamp = request.getLong('timestamp');
  const isForce = request.getBool('isForce');
  const config = o.topicConfigManager.selectTopicConfig(topic);
  if (config === undefined) return systemError(`[reset-offset] reset offset failed, no topic in this broker. topic=${topic}`);
  const groupInfo = o.consumerManager.getConsumerGroupInfo(group);
  const known = groupInfo !== undefined || [...o.consumerOffsetManager.whichTopicByConsumer(group)].includes(topic);
  if (!known) return systemError(`The consumer group <${group}> not exist`);

  const offsetTable: Array<[MessageQueue, number]> = [];
  for (let queueId = 0; queueId < config.writeQueueNums; queueId++) {
    const committed = o.consumerOffsetManager.queryOffset(group, topic, queueId);
    const found = timestamp === -1 ? o.messageStore.getMaxOffsetInQueue(topic, queueId) : o.messageStore.getOffsetInQueueByTime(topic, queueId, timestamp);
    const target = Math.max(0, found);
    const offset = isForce || committed < 0 || target < committed ? target : committed;
    o.consumerOffsetManager.commitOffset(ctx.remoteAddress, group, topic, queueId, offset);
    offsetTable.push([{ topic, brokerName: o.brokerConfig.brokerName, queueId }, offset]);
  }

  const body = encodeResetOffsetBody({ offsetTable });
  let clientsNotified = 0;
  for (const member of groupInfo?.channelInfoTable.values() ?? []) {
    const notice = createRequestCommand(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, { topic, group, timestamp, isForce });
    notice.body = body;
    try {
      o.remotingServer.invokeOneway(member.connection, notice);
      clientsNotified++;
    } catch (error) {
      // Java logs a failed notice and goes on with the next member; the offsets are committed anyway.
      if (!(error instanceof RemotingError)) throw error;
    }
  }
  o.events.emit('broker.offset.reset', { group, topic, timestamp, offsets: offsetTable.map(([mq, offset]) => ({ queueId: mq.queueId, offset })), clientsNotified });
  return success(body);
}
