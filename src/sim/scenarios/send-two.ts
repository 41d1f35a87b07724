/**
 * Scenario `send-two`: two messages from a producer to a consumer, every byte accounted for.
 *
 * The smallest run that touches every layer: producer-1 sends `m0` (tag TagA) and `m1` (tag
 * TagB) to queue 0 of TopicTest; broker-a appends each to the commit log, the async flush
 * makes them durable, the reput service writes one 20-byte consume-queue unit per message,
 * and consumer-1, long-polling queue 0, receives both and commits offset 2.
 *
 * ```
 *   producer-1 ──SEND_MESSAGE_V2 m0──► broker-a  commit log [0, L0)      CQ TopicTest/0 unit 0 = (0, L0, hash TagA)
 *   producer-1 ──SEND_MESSAGE_V2 m1──► broker-a  commit log [L0, L0+L1)  CQ TopicTest/0 unit 1 = (L0, L1, hash TagB)
 *   consumer-1 ◄──PULL_MESSAGE (woken on arrival)── broker-a
 * ```
 *
 * The visualizer's first checks (load, commit-log offsets, the offset ruler under async flush,
 * CQ ↔ commit-log links, time travel, deep links) all run against this fixture.
 *
 * @article send-receive "Following one send end to end"
 * @category Sim
 * @module
 */
import { ConsumeConcurrentlyStatus } from '../../client/consumer/listener/message-listener.js';
import { encodeUtf8, decodeUtf8 } from '../../common/bytes.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import { Message } from '../../common/message/message.js';
import type { Scenario } from '../scenario.js';

export const sendTwo: Scenario = {
  name: 'send-two',
  article: 'send-receive',
  real: true,
  seed: 20,
  title: { en: 'Two messages, end to end', zh: '两条消息，从发送到消费' },
  summary: {
    en: 'A producer sends m0 (TagA) and m1 (TagB) to TopicTest queue 0; follow each through the commit log, the async flush, the consume queue and a long-polling consumer.',
    zh: '生产者向 TopicTest 的 0 号队列发送 m0（TagA）和 m1（TagB）；逐条跟随它们经过 CommitLog、异步刷盘、ConsumeQueue，直到长轮询的消费者收到。',
  },
  async run({ cluster, beat, find }) {
    await cluster.startNamesrv();
    const broker = await cluster.startBroker('broker-a');
    beat('cluster-up', {
      en: `namesrv-1 listens on ${cluster.namesrvAddr}; broker-a started, registered its topics with the name server, and listens on ${broker.addr}.`,
      zh: `namesrv-1 监听 ${cluster.namesrvAddr}；broker-a 启动后向 NameServer 注册了它的 Topic，并监听 ${broker.addr}。`,
    });
    await cluster.createTopic('TopicTest', 1);
    beat('topic-created', {
      en: 'TopicTest was created on broker-a with 1 read and 1 write queue (UPDATE_AND_CREATE_TOPIC), and the broker re-registered so the name server can route it.',
      zh: '通过 UPDATE_AND_CREATE_TOPIC 在 broker-a 上创建了 TopicTest（读写队列各 1 个），Broker 随即重新注册，NameServer 才能返回它的路由。',
    });
    const producer = await cluster.producer('pg', 'producer-1');
    for (const [i, tags] of ['TagA', 'TagB'].entries()) {
      const result = await cluster.settle(producer.send(Message.create('TopicTest', encodeUtf8(`m${i}`), { tags })));
      const appended = find('store.commitlog.appended', 'broker-a').at(-1)!;
      beat(`m${i}-stored`, {
        en: `m${i} (${tags}) was appended to the commit log at physical offset ${appended.data.physOffset}, ${appended.data.size} bytes: a 91-byte fixed header + 2 bytes of body + 9 bytes of topic + ${appended.data.size - 102} bytes of properties. Queue offset ${result.queueOffset}; msgId ${result.offsetMsgId} encodes the broker address and that offset.`,
        zh: `m${i}（${tags}）被追加到 CommitLog 的物理偏移 ${appended.data.physOffset}，共 ${appended.data.size} 字节：91 字节固定头 + 2 字节消息体 + 9 字节 Topic + ${appended.data.size - 102} 字节属性。队列偏移 ${result.queueOffset}；msgId ${result.offsetMsgId} 编码了 Broker 地址和这个偏移。`,
      });
    }
    const cqUnits = () => find('store.consumequeue.appended', 'broker-a').filter((e) => e.data.topic === 'TopicTest');
    await cluster.until(() => cqUnits().length === 2, 2_000);
    const units = cqUnits();
    beat('dispatched', {
      en: `The reput service read both records back from the commit log and wrote ${units.length} consume-queue units of 20 bytes each: (physical offset, size, tag hash) = ${units.map((u) => `(${u.data.physOffset}, ${u.data.size}, ${u.data.tagsCode})`).join(' and ')}.`,
      zh: `ReputMessageService 从 CommitLog 读回这两条记录，写入了 ${units.length} 个 20 字节的 ConsumeQueue 单元：（物理偏移，大小，Tag 哈希）= ${units.map((u) => `(${u.data.physOffset}, ${u.data.size}, ${u.data.tagsCode})`).join(' 和 ')}。`,
    });
    await cluster.until(() => find('store.flush.completed', 'broker-a').some((e) => e.data.flushedWhere >= units.at(-1)!.data.physOffset + units.at(-1)!.data.size), 2_000);
    beat('flushed', {
      en: 'Both sends were answered SEND_OK before any flush: with ASYNC_FLUSH the flush service writes the page cache to disk every 500 ms. Now the flushed position has caught up with the written one.',
      zh: '两次发送在刷盘之前就已返回 SEND_OK：ASYNC_FLUSH 模式下刷盘线程每 500 ms 把页缓存写入磁盘。现在刷盘位置追上了写入位置。',
    });

    const seen: string[] = [];
    const consumer = cluster.pushConsumer('consumer-1', {
      consumerGroup: 'cg', subscription: { TopicTest: '*' },
      messageListener: { consumeMessage: (msgs: readonly MessageExt[]) => (seen.push(...msgs.map((m) => decodeUtf8(m.body))), ConsumeConcurrentlyStatus.CONSUME_SUCCESS) },
    });
    await cluster.settle(consumer.start());
    await cluster.until(() => seen.length === 2, 10_000);
    beat('consumed', {
      en: `consumer-1 took queue 0 in its first rebalance, pulled from offset 0 and received ${seen.join(' and ')}; its listener answered CONSUME_SUCCESS.`,
      zh: `consumer-1 在第一次负载均衡中分到 0 号队列，从偏移 0 开始拉取，收到了 ${seen.join(' 和 ')}；监听器返回 CONSUME_SUCCESS。`,
    });
    await cluster.advance(5_500);
    const committed = find('broker.offset.committed', 'broker-a').filter((e) => e.data.topic === 'TopicTest').at(-1);
    beat('offset-committed', {
      en: `Within 5 s the consumer reported its progress: broker-a now stores offset ${committed?.data.offset ?? '?'} for group cg on TopicTest queue 0, the next message it wants.`,
      zh: `5 秒内消费者上报了消费进度：broker-a 为消费组 cg 在 TopicTest 0 号队列上记录的偏移是 ${committed?.data.offset ?? '?'}，即下一条要消费的消息。`,
    });
  },
};
