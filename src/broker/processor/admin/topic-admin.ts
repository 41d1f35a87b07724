/**
 * The topic requests of the broker's admin processor: create or update a topic, delete it,
 * list topic configs, show a topic's queue statistics, and find which groups consume it.
 *
 * A topic exists on a broker when its `TopicConfig` is in the broker's topic table; the
 * name servers learn about it when the broker registers. `mqadmin updateTopic` therefore
 * talks to every master broker, never to a name server:
 *
 * ```
 *   admin ──UPDATE_AND_CREATE_TOPIC(17)──► broker
 *          ◄── SUCCESS  (written first: Java 4.4 answers before it creates)
 *                       broker: topicConfigTable[topic] = config, DataVersion++, persist
 *                       broker ──REGISTER_BROKER (this topic only)──► every name server
 * ```
 *
 * Deleting goes the other way round: the broker forgets the config, drops the topic's
 * consume queues (`cleanUnusedTopic` keeps only the topics still in the table) and every
 * group's committed offsets on it. The routes disappear from the name servers only when
 * mqadmin also sends DELETE_TOPIC_IN_NAMESRV.
 *
 * Differences from RocketMQ 4.9.x:
 * - Answers before creating, as 4.4 does (4.9 answers after), and keeps both validations:
 *   4.4's "topic equals the cluster name" and 4.9's name and system-topic checks.
 * - Queue counts outside 0..65535 are refused with SYSTEM_ERROR (Java stores anything).
 * - DELETE_TOPIC_IN_BROKER also cleans the topic's consumer offsets (Java leaves them).
 * - GET_TOPIC_CONFIG_LIST (22) and GET_TOPIC_NAME_LIST (23), unhandled in Java, answer the
 *   topic config wrapper and the TopicList of names.
 *
 * @mirrors org.apache.rocketmq.broker.processor.AdminBrokerProcessor#updateAndCreateTopic
 * @mirrors org.apache.rocketmq.broker.processor.AdminBrokerProcessor#deleteTopic
 * @mirrors org.apache.rocketmq.broker.processor.AdminBrokerProcessor#getTopicStatsInfo
 * @mirrors org.apache.rocketmq.broker.processor.AdminBrokerProcessor#queryTopicConsumeByWho
 * @article topic "Creating a topic"
 * @emits broker.topic.updated, broker.topic.deleted
 * @category Broker
 * @module
 */
import { encodeTopicList } from '../../../common/protocol/body/topic-list.js';
import { ResponseCode } from '../../../common/protocol/response-code.js';
import { TopicConfig, type TopicFilterType } from '../../../common/topic/topic-config.js';
import { isSystemTopic, systemTopicConflictRemark, validateTopic } from '../../../common/topic/topic-validator.js';
import { FileSystemError } from '../../../platform/storage.js';
import { RemotingCommandError } from '../../../remoting/errors.js';
import { createResponseCommand, type RemotingCommand } from '../../../remoting/remoting-command.js';
import type { RequestContext } from '../../../remoting/request-processor.js';
import { encodeGroupList, encodeTopicStatsTable, type TopicOffset } from '../../../common/protocol/body/admin-bodies.js';
import type { AdminBrokerProcessorOptions } from './admin-collaborators.js';
import { success, systemError } from './admin-responses.js';
import type { MessageQueue } from '../../../common/protocol/body/message-queue-keyed-map.js';

/** The largest queue count a topic may be given here. */
export const MAX_QUEUE_NUMS = 65535;

/** Java `validateSlave`: a slave's topics and groups are copies of its master's. */
export function refuseOnSlave(o: Pick<AdminBrokerProcessorOptions, 'storeConfig'>): RemotingCommand | undefined {
  if (o.storeConfig.brokerRole !== 'SLAVE') return undefined;
  return systemError("Can't modify topic or subscription group from slave broker, please execute it from master broker.");
}

/** The name checks both create and delete run; the refusal, or `undefined` when the name is fine. */
function refuseTopicName(o: Pick<AdminBrokerProcessorOptions, 'brokerConfig' | 'topicConfigManager'>, topic: string): RemotingCommand | undefined {
  if (topic === o.brokerConfig.brokerClusterName) return systemError(`the topic[${topic}] is conflict with system reserved words.`);
  const validation = validateTopic(topic);
  if (!validation.valid) return systemError(validation.remark);
  if (isSystemTopic(topic) || o.topicConfigManager.isSystemTopic(topic)) return systemError(systemTopicConflictRemark(topic));
  return undefined;
}

/** Read CreateTopicRequestHeader into a TopicConfig (throws RemotingCommandError naming a bad field). */
function topicConfigFromHeader(topic: string, request: RemotingCommand): TopicConfig {
  const queueNums = (field: string): number => {
    const n = request.getInt(field);
    if (n < 0 || n > MAX_QUEUE_NUMS) throw new RemotingCommandError(field, `must be between 0 and ${MAX_QUEUE_NUMS}, got ${n}`);
    return n;
  };
  const filterType = request.getString('topicFilterType');
  if (filterType !== 'SINGLE_TAG' && filterType !== 'MULTI_TAG') {
    throw new RemotingCommandError('topicFilterType', `must be SINGLE_TAG or MULTI_TAG, got "${filterType}"`);
  }
  const config = new TopicConfig(topic, queueNums('readQueueNums'), queueNums('writeQueueNums'), request.getInt('perm'));
  config.topicFilterType = filterType satisfies TopicFilterType;
  config.topicSysFlag = request.optInt('topicSysFlag') ?? 0;
  return config;
}

/**
 * UPDATE_AND_CREATE_TOPIC (17). Validates, writes SUCCESS, then stores the config and
 * registers it with the name servers; returns `null` because the answer is already out.
 */
export function updateAndCreateTopic(o: AdminBrokerProcessorOptions, ctx: RequestContext, request: RemotingCommand): RemotingCommand | null {
  const refused = refuseOnSlave(o);
  if (refused !== undefined) return refused;
  const topic = request.getString('topic');
  const badName = refuseTopicName(o, topic);
  if (badName !== undefined) return badName;
  const config = topicConfigFromHeader(topic, request);

  // Java 4.4 writes the answer first, so a slow persist or registration never delays the
  // operator's tool; whatever happens next cannot change the answer any more.
  ctx.writeResponse(request, success());

  const created = o.topicConfigManager.selectTopicConfig(topic) === undefined;
  try {
    o.topicConfigManager.updateTopicConfig(config);
  } catch (error) {
    // The answer is already on the wire; a failed persist (disk full) is not reportable
    // here, and the in-memory table already holds the topic, as in Java.
    if (!(error instanceof FileSystemError)) throw error;
  }
  o.events.emit('broker.topic.updated', { topic, readQueueNums: config.readQueueNums, writeQueueNums: config.writeQueueNums, perm: config.perm, created });
  o.registerIncrementBrokerData?.(config, o.topicConfigManager.dataVersion);
  return null;
}

/** DELETE_TOPIC_IN_BROKER (215): forget the topic, its consume queues and its offsets. */
export function deleteTopic(o: AdminBrokerProcessorOptions, request: RemotingCommand): RemotingCommand {
  const refused = refuseOnSlave(o);
  if (refused !== undefined) return refused;
  const topic = request.getString('topic');
  const badName = refuseTopicName(o, topic);
  if (badName !== undefined) return badName;

  o.topicConfigManager.deleteTopicConfig(topic);
  const queuesRemoved = o.messageStore.cleanUnusedTopic(new Set(o.topicConfigManager.topicConfigTable.keys()));
  o.consumerOffsetManager.cleanOffsetByTopic(topic);
  o.events.emit('broker.topic.deleted', { topic, queuesRemoved });
  return success();
}

/** GET_ALL_TOPIC_CONFIG (21) and GET_TOPIC_CONFIG_LIST (22): the TopicConfigSerializeWrapper. */
export function getAllTopicConfig(o: AdminBrokerProcessorOptions): RemotingCommand {
  if (o.topicConfigManager.topicConfigTable.size === 0) return systemError('No topic in this broker');
  return success(o.topicConfigManager.buildTopicConfigSerializeWrapper().encode());
}

/** GET_TOPIC_NAME_LIST (23): `{"topicList":[...]}` of this broker's topics. */
export function getTopicNameList(o: AdminBrokerProcessorOptions): RemotingCommand {
  return success(encodeTopicList({ topicList: new Set(o.topicConfigManager.topicConfigTable.keys()) }));
}

/**
 * GET_TOPIC_STATS_INFO (202): min, max and last store time of every write queue.
 *
 * ```
 *   queue 0:  min 0   max 12  lastUpdateTimestamp = store time of entry 11
 *   queue 1:  min 0   max 0   lastUpdateTimestamp = 0 (empty)
 * ```
 */
export function getTopicStatsInfo(o: AdminBrokerProcessorOptions, request: RemotingCommand): RemotingCommand {
  const topic = request.getString('topic');
  const config = o.topicConfigManager.selectTopicConfig(topic);
  if (config === undefined) return createResponseCommand(ResponseCode.TOPIC_NOT_EXIST, `topic[${topic}] not exist`);
  const store = o.messageStore;
  const offsetTable: Array<[MessageQueue, TopicOffset]> = [];
  for (let queueId = 0; queueId < config.writeQueueNums; queueId++) {
    const minOffset = Math.max(0, store.getMinOffsetInQueue(topic, queueId));
    const maxOffset = Math.max(0, store.getMaxOffsetInQueue(topic, queueId));
    const lastUpdateTimestamp = maxOffset > 0 ? store.getMessageStoreTimeStamp(topic, queueId, maxOffset - 1) : 0;
    offsetTable.push([{ topic, brokerName: o.brokerConfig.brokerName, queueId }, { minOffset, maxOffset, lastUpdateTimestamp }]);
  }
  return success(encodeTopicStatsTable({ offsetTable }));
}

/** QUERY_TOPIC_CONSUME_BY_WHO (300): groups subscribed now, plus groups with offsets on it. */
export function queryTopicConsumeByWho(o: AdminBrokerProcessorOptions, request: RemotingCommand): RemotingCommand {
  const topic = request.getString('topic');
  const groups = new Set<string>(o.consumerManager.queryTopicConsumeByWho(topic));
  for (const group of o.consumerOffsetManager.whichGroupByTopic(topic)) groups.add(group);
  return success(encodeGroupList(groups));
}
