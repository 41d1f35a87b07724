/**
 * Scenario `new-group-last-offset`: why a brand-new group with CONSUME_FROM_LAST_OFFSET
 * still reads old messages.
 *
 * The setting only applies when the broker has no offset for the group. The client then asks
 * the broker for the queue's max offset, unless the broker says the group should start at
 * 0: QUERY_CONSUMER_OFFSET answers 0 (not "none") for a new group when the queue's first
 * message is still in memory, so a young topic is read from its beginning.
 *
 * ```
 *   QUERY_CONSUMER_OFFSET cg TopicTest/0
 *     stored offset?   none (-1)
 *     min offset 0 and its message still in the page cache?   yes ──► answer 0
 *   client: offset 0 returned ──► start at 0 (not at the max offset 3)
 * ```
 *
 * @article pull-consume-2 "consumeFromWhere for a new group"
 * @category Sim
 * @module
 */
import { ConsumeConcurrentlyStatus } from '../../client/consumer/listener/message-listener.js';
import { decodeUtf8, encodeUtf8 } from '../../common/bytes.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import { Message } from '../../common/message/message.js';
import type { Scenario } from '../scenario.js';

export const newGroupLastOffset: Scenario = {
  name: 'new-group-last-offset',
  article: 'pull-consume-2',
  real: true,
  seed: 24,
  title: { en: 'A new group and CONSUME_FROM_LAST_OFFSET', zh: '新消费组与 CONSUME_FROM_LAST_OFFSET' },
  summary: {
    en: 'Three messages are sent before a new group starts with CONSUME_FROM_LAST_OFFSET, and it still receives all three: follow the broker\'s answer to QUERY_CONSUMER_OFFSET.',
    zh: '新消费组以 CONSUME_FROM_LAST_OFFSET 启动之前已发送三条消息，它却仍然收到了全部三条：看 Broker 对 QUERY_CONSUMER_OFFSET 的应答。',
  },
  async run({ cluster, beat, find }) {
    await cluster.startNamesrv();
    await cluster.startBroker('broker-a');
    await cluster.createTopic('TopicTest', 1);
    const producer = await cluster.producer('pg', 'producer-1');
    for (let i = 0; i < 3; i++) await cluster.settle(producer.send(Message.create('TopicTest', encodeUtf8(`old-${i}`))));
    beat('sent', {
      en: 'producer-1 sent old-0, old-1 and old-2: TopicTest queue 0 now spans offsets 0 to 3. No consumer group has read it yet.',
      zh: 'producer-1 发送了 old-0、old-1、old-2：TopicTest 0 号队列的偏移范围是 0 到 3。还没有消费组读过它。',
    });
    const seen: string[] = [];
    const consumer = cluster.pushConsumer('consumer-1', {
      consumerGroup: 'cg-new', consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET', subscription: { TopicTest: '*' },
      messageListener: { consumeMessage: (msgs: readonly MessageExt[]) => (seen.push(...msgs.map((m: MessageExt) => decodeUtf8(m.body))), ConsumeConcurrentlyStatus.CONSUME_SUCCESS) },
    });
    await cluster.settle(consumer.start());
    await cluster.until(() => seen.length === 3, 10_000);
    const queried = find('broker.offset.queried', 'broker-a').find((e) => e.data.topic === 'TopicTest')!;
    beat('queried', {
      en: `The new group cg-new asked for its offset on queue 0. The broker had none stored (${queried.data.stored}), but the queue's min offset is ${queried.data.minOffset} and that message is still in memory, so it answered ${queried.data.outcome} instead of "not found".`,
      zh: `新消费组 cg-new 查询 0 号队列的消费偏移。Broker 没有存储过（${queried.data.stored}），但队列最小偏移是 ${queried.data.minOffset} 且该消息仍在内存中，所以它回答 ${queried.data.outcome}，而不是“未找到”。`,
    });
    beat('consumed', {
      en: `So the consumer started at offset 0 and received ${seen.join(', ')}, although it was configured with CONSUME_FROM_LAST_OFFSET. That setting only decides where a group starts when the broker answers "no offset".`,
      zh: `于是消费者从偏移 0 开始，收到了 ${seen.join('、')}，尽管它配置的是 CONSUME_FROM_LAST_OFFSET。这个配置只在 Broker 回答“没有偏移”时才决定起点。`,
    });
  },
};
