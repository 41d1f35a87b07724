/**
 * Scenario `delay-level`: a scheduled message, parked and delivered on time.
 *
 * RocketMQ 4.x has no arbitrary delays, only levels. A message with DELAY=3 is rewritten by
 * the store before it is appended: its topic becomes SCHEDULE_TOPIC_XXXX, its queue 2
 * (level − 1), and its real topic and queue go into properties. The consume-queue unit's tags
 * code holds the deliver time instead of a tag hash. The schedule service keeps one timer per
 * level, and when the time comes it stores the message again on its real topic.
 *
 * ```
 *   send TopicTest DELAY=3 ──► store: SCHEDULE_TOPIC_XXXX/2, REAL_TOPIC=TopicTest, CQ tagsCode = storeTime + 10 000
 *   +10 s  ScheduleMessageService level 3 ──► new record on TopicTest/0 ──► consumer-1
 * ```
 *
 * @article schedule-retry "Delay levels and the schedule service"
 * @category Sim
 * @module
 */
import { ConsumeConcurrentlyStatus } from '../../client/consumer/listener/message-listener.js';
import { encodeUtf8 } from '../../common/bytes.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import { Message } from '../../common/message/message.js';
import type { Scenario } from '../scenario.js';

export const delayLevel: Scenario = {
  name: 'delay-level',
  article: 'schedule-retry',
  real: true,
  seed: 32,
  title: { en: 'A message delayed by level 3 (10 s)', zh: '延迟级别 3（10 秒）的消息' },
  summary: {
    en: 'A message sent with delay level 3 waits in SCHEDULE_TOPIC_XXXX queue 2 and reaches the consumer 10 s later, as a new record on its real topic.',
    zh: '一条延迟级别为 3 的消息在 SCHEDULE_TOPIC_XXXX 的 2 号队列中等待，10 秒后作为真实 Topic 上的一条新记录到达消费者。',
  },
  async run({ cluster, beat, find }) {
    await cluster.startNamesrv();
    await cluster.startBroker('broker-a');
    await cluster.createTopic('TopicTest', 1);
    let receivedAt: number | undefined;
    const consumer = cluster.pushConsumer('consumer-1', {
      consumerGroup: 'cg', subscription: { TopicTest: '*' },
      messageListener: { consumeMessage: (_msgs: readonly MessageExt[]) => ((receivedAt = cluster.now()), ConsumeConcurrentlyStatus.CONSUME_SUCCESS) },
    });
    await cluster.settle(consumer.start());
    const producer = await cluster.producer('pg', 'producer-1');
    const msg = Message.create('TopicTest', encodeUtf8('in ten seconds'));
    msg.delayTimeLevel = 3;
    const sentAt = cluster.now();
    await cluster.settle(producer.send(msg));
    const scheduled = () => find('store.consumequeue.appended', 'broker-a').filter((e) => e.data.topic === 'SCHEDULE_TOPIC_XXXX');
    await cluster.until(() => scheduled().length > 0, 2_000);
    const parked = scheduled().at(-1)!;
    beat('parked', {
      en: `The store rewrote the message before appending it: topic SCHEDULE_TOPIC_XXXX, queue ${parked.data.queueId} (level 3 − 1), with TopicTest kept in REAL_TOPIC. Its consume-queue unit's tags code is not a tag hash but the deliver time: ${parked.data.tagsCode - sentAt} ms after the send (the store time plus 10 s).`,
      zh: `存储在追加之前改写了这条消息：Topic 为 SCHEDULE_TOPIC_XXXX，队列 ${parked.data.queueId}（级别 3 − 1），原 Topic TopicTest 保存在 REAL_TOPIC。它的 ConsumeQueue 单元中的 tagsCode 不是 Tag 哈希，而是投递时间：发送后 ${parked.data.tagsCode - sentAt} ms（存储时间加 10 秒）。`,
    });
    await cluster.advance(9_000);
    beat('waiting', {
      en: 'Nine seconds later consumer-1 has received nothing: TopicTest queue 0 is still empty. The level-3 timer of the schedule service sleeps until the deliver time of the first unit in its queue.',
      zh: '9 秒后 consumer-1 仍未收到任何消息：TopicTest 0 号队列依然为空。定时服务级别 3 的计时器一直睡到其队列中第一个单元的投递时间。',
    });
    await cluster.until(() => receivedAt !== undefined, 5_000);
    const delivered = find('store.schedule.delivered', 'broker-a')[0]!;
    beat('delivered', {
      en: `At +${delivered.data.deliverTimestamp - sentAt} ms the schedule service stored the message again, on ${delivered.data.realTopic} queue ${delivered.data.realQueueId} at commit-log offset ${delivered.data.physOffset}: a second record with the same body and UNIQ_KEY. consumer-1 received it ${(receivedAt ?? 0) - sentAt} ms after the send.`,
      zh: `在 +${delivered.data.deliverTimestamp - sentAt} ms 时定时服务把消息重新存到 ${delivered.data.realTopic} 的 ${delivered.data.realQueueId} 号队列，CommitLog 偏移 ${delivered.data.physOffset}：一条消息体和 UNIQ_KEY 相同的新记录。consumer-1 在发送后 ${(receivedAt ?? 0) - sentAt} ms 收到了它。`,
    });
  },
};
