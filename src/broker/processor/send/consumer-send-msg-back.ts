/**
 * CONSUMER_SEND_MSG_BACK: a consumer failed to process a message and hands it back, and the
 * broker decides whether it is retried later or given up on (dead-lettered).
 *
 * The consumer sends only the message's commit-log offset (the broker still has the record),
 * its group and a delay level. The broker copies the record into the group's retry topic
 * with one more `reconsumeTimes`; the `DELAY` property makes the store park the copy in
 * `SCHEDULE_TOPIC_XXXX` until it is due, from where the schedule service puts it back into
 * `%RETRY%<group>`, which the group's consumers subscribe to automatically:
 *
 * ```
 *   header: offset=12345 group=cg delayLevel=0 maxReconsumeTimes=16
 *     1. group config (auto-created)?            no ──► SUBSCRIPTION_GROUP_NOT_EXIST
 *        broker writable?                        no ──► NO_PERMISSION
 *        retryQueueNums <= 0?                   yes ──► SUCCESS, message dropped
 *     2. %RETRY%cg exists or is created (retryQueueNums queues, RW), random queue
 *     3. look the record up at offset 12345      none ──► SYSTEM_ERROR
 *     4. reconsumeTimes >= maxReconsumeTimes  or  delayLevel < 0 ?
 *          yes: topic %DLQ%cg (1 queue, perm WRITE only: nobody reads it by accident)
 *          no:  DELAY = delayLevel, or 3 + reconsumeTimes when 0  (level 3 = 10 s, then 30 s, 1 min, ...)
 *     5. store a copy: same body, flag, born info; reconsumeTimes + 1; RETRY_TOPIC = original topic;
 *        ORIGIN_MESSAGE_ID = the first msgId it ever had; WAIT=false
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - The dead-letter topic is created with perm WRITE only (2), as 4.4 to 4.9.2 do; 4.9.3
 *   and later create it READ|WRITE.
 * - No consume-message hooks and no statistics.
 *
 * @mirrors org.apache.rocketmq.broker.processor.SendMessageProcessor#asyncConsumerSendMsgBack
 * @article schedule-retry "Sending a message back"
 * @emits broker.retry.decided, broker.message.dead-lettered
 * @category Broker
 * @module
 */
import type { BrokerConfig } from '../../../common/config/broker-config.js';
import { PermName, isWriteable } from '../../../common/constant/perm-name.js';
import { MessageConst } from '../../../common/message/message-const.js';
import { MessageExtBrokerInner, tagsString2tagsCode } from '../../../common/message/message-ext.js';
import { messageProperties2String } from '../../../common/message/message-properties.js';
import { getDLQTopic, getRetryTopic } from '../../../common/mix-all.js';
import { ResponseCode } from '../../../common/protocol/response-code.js';
import type { TopicConfig } from '../../../common/topic/topic-config.js';
import { buildSysFlag } from '../../../common/topic/topic-sys-flag.js';
import type { NodeEvents } from '../../../events/event-sink.js';
import type { Random } from '../../../platform/random.js';
import { createResponseCommand, type RemotingCommand } from '../../../remoting/remoting-command.js';
import type { MessageStore } from '../../../store/message-store.js';
import { PutMessageStatus } from '../../../store/results.js';
import type { SubscriptionGroupManager } from '../../subscription/subscription-group-manager.js';
import type { TopicConfigManager } from '../../topic/topic-config-manager.js';
import { FAQ_SUGGESTION } from './send-message-checks.js';
import type { ConsumerSendMsgBackRequestHeader } from './send-message-request-header.js';

/** Queues of a dead-letter topic (Java `DLQ_NUMS_PER_GROUP`). */
export const DLQ_NUMS_PER_GROUP = 1;
/** The first client version whose `maxReconsumeTimes` header the broker honours (`MQVersion.V3_4_9`). */
export const V3_4_9_VERSION = 121;
/** Java's `ThreadLocalRandom.nextInt(99999999) % n` draws a queue; we draw the same way. */
const RANDOM_BOUND = 99_999_999;

/** What a send-back needs. */
export interface ConsumerSendMsgBackContext {
  readonly messageStore: Pick<MessageStore, 'lookMessageByOffset' | 'putMessage'>;
  readonly topicConfigManager: Pick<TopicConfigManager, 'selectTopicConfig' | 'createTopicInSendMessageBackMethod'>;
  readonly subscriptionGroupManager: Pick<SubscriptionGroupManager, 'findSubscriptionGroupConfig'>;
  readonly brokerConfig: Pick<BrokerConfig, 'brokerPermission' | 'brokerIP1'>;
  readonly random: Random;
  readonly events: NodeEvents;
}

/** Create (or find) `%DLQ%<group>`: 1 queue, perm WRITE only. `created` when it did not exist. */
export function createDLQTopic(
  topics: Pick<TopicConfigManager, 'selectTopicConfig' | 'createTopicInSendMessageBackMethod'>,
  group: string,
): { topicConfig: TopicConfig | undefined; created: boolean } {
  const dlqTopic = getDLQTopic(group);
  const created = topics.selectTopicConfig(dlqTopic) === undefined;
  return { topicConfig: topics.createTopicInSendMessageBackMethod(dlqTopic, DLQ_NUMS_PER_GROUP, PermName.PERM_WRITE, 0), created };
}

/** Steps 1-5 of the module diagram; `version` is the request's client version. */
export async function consumerSendMsgBack(
  ctx: ConsumerSendMsgBackContext,
  header: ConsumerSendMsgBackRequestHeader,
  version: number,
): Promise<RemotingCommand> {
  const { group } = header;
  const groupConfig = ctx.subscriptionGroupManager.findSubscriptionGroupConfig(group);
  if (groupConfig === undefined) {
    return createResponseCommand(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group not exist, ${group} ${FAQ_SUGGESTION}`);
  }
  if (!isWriteable(ctx.brokerConfig.brokerPermission)) {
    return createResponseCommand(ResponseCode.NO_PERMISSION, `the broker[${ctx.brokerConfig.brokerIP1}] sending message is forbidden`);
  }
  if (groupConfig.retryQueueNums <= 0) return createResponseCommand(ResponseCode.SUCCESS);

  let newTopic = getRetryTopic(group);
  let queueId = ctx.random.int(RANDOM_BOUND) % groupConfig.retryQueueNums;
  const topicSysFlag = header.unitMode ? buildSysFlag(false, true) : 0;
  const retryConfig = ctx.topicConfigManager.createTopicInSendMessageBackMethod(newTopic, groupConfig.retryQueueNums, PermName.PERM_WRITE | PermName.PERM_READ, topicSysFlag);
  if (retryConfig === undefined) return createResponseCommand(ResponseCode.SYSTEM_ERROR, `topic[${newTopic}] not exist`);
  if (!isWriteable(retryConfig.perm)) {
    return createResponseCommand(ResponseCode.NO_PERMISSION, `the topic[${newTopic}] sending message is forbidden`);
  }
  const msgExt = ctx.messageStore.lookMessageByOffset(header.offset);
  if (msgExt === undefined) return createResponseCommand(ResponseCode.SYSTEM_ERROR, `look message by offset failed, ${header.offset}`);

  if (msgExt.getProperty(MessageConst.PROPERTY_RETRY_TOPIC) === undefined) msgExt.putProperty(MessageConst.PROPERTY_RETRY_TOPIC, msgExt.topic);
  msgExt.waitStoreMsgOK = false;
  const maxReconsumeTimes = version >= V3_4_9_VERSION && header.maxReconsumeTimes !== undefined ? header.maxReconsumeTimes : groupConfig.retryMaxTimes;
  const toDLQ = msgExt.reconsumeTimes >= maxReconsumeTimes || header.delayLevel < 0;
  let delayLevel = header.delayLevel;
  let dlqCreated = false;
  if (toDLQ) {
    const dlq = createDLQTopic(ctx.topicConfigManager, group);
    if (dlq.topicConfig === undefined) return createResponseCommand(ResponseCode.SYSTEM_ERROR, `topic[${getDLQTopic(group)}] not exist`);
    newTopic = dlq.topicConfig.topicName;
    dlqCreated = dlq.created;
    queueId = ctx.random.int(RANDOM_BOUND) % DLQ_NUMS_PER_GROUP;
    delayLevel = 0;
  } else if (delayLevel === 0) {
    delayLevel = 3 + msgExt.reconsumeTimes;
  }
  msgExt.delayTimeLevel = delayLevel;
  const inputs = { reconsumeTimes: msgExt.reconsumeTimes, max: maxReconsumeTimes, delayLevel: header.delayLevel };
  ctx.events.emit('broker.retry.decided', {
    group, originTopic: msgExt.getProperty(MessageConst.PROPERTY_RETRY_TOPIC) ?? msgExt.topic, reconsumeTimes: msgExt.reconsumeTimes,
    maxReconsumeTimes, outcome: toDLQ ? 'dlq' : 'retry', delayLevel, via: 'send-back',
  }, { flow: toDLQ ? 'dlq' : 'retry', why: { rule: 'retry-or-dlq', inputs, outcome: toDLQ ? 'dlq' : 'retry' } });

  const origin = msgExt.getProperty(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID);
  msgExt.putProperty(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID, origin === undefined || origin.trim().length === 0 ? msgExt.msgId : origin);
  const inner = new MessageExtBrokerInner({
    topic: newTopic, body: msgExt.body, flag: msgExt.flag, properties: msgExt.properties,
    propertiesString: messageProperties2String(msgExt.properties), tagsCode: tagsString2tagsCode(msgExt.tags),
    queueId, sysFlag: msgExt.sysFlag, bornTimestamp: msgExt.bornTimestamp, bornHost: msgExt.bornHost,
    storeHost: msgExt.storeHost, reconsumeTimes: msgExt.reconsumeTimes + 1,
  });
  const result = await ctx.messageStore.putMessage(inner);
  if (result.putMessageStatus !== PutMessageStatus.PUT_OK) return createResponseCommand(ResponseCode.SYSTEM_ERROR, result.putMessageStatus);
  if (toDLQ) ctx.events.emit('broker.message.dead-lettered', { group, dlqTopic: newTopic, created: dlqCreated }, { flow: 'dlq' });
  return createResponseCommand(ResponseCode.SUCCESS);
}
