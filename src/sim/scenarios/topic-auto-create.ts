/**
 * Scenario `topic-auto-create`: a send to a topic nobody created.
 *
 * The name server has no route for NewTopic, so the producer falls back to the route of the
 * default topic TBW102, which every broker with `autoCreateTopicEnable` registers with perm
 * INHERIT|READ|WRITE. It sends there with `defaultTopic=TBW102` and its own
 * `defaultTopicQueueNums` (4); the broker creates NewTopic from TBW102's settings, answers,
 * and registers the new topic at once.
 *
 * ```
 *   producer-1: route NewTopic? none ──► route TBW102 (8 queues on broker-a, perm 7)
 *   SEND NewTopic (defaultTopic TBW102, defaultTopicQueueNums 4) ──► broker-a
 *   broker-a: NewTopic unknown, TBW102 inherits ──► create NewTopic: min(4, 8) = 4 queues, perm 7 & ~INHERIT = 6
 *             ──► REGISTER_BROKER (one-way) ──► namesrv-1 routes NewTopic
 * ```
 *
 * @article topic "Creating a topic on first send"
 * @category Sim
 * @module
 */
import { encodeUtf8 } from '../../common/bytes.js';
import { Message } from '../../common/message/message.js';
import type { Scenario } from '../scenario.js';

export const topicAutoCreate: Scenario = {
  name: 'topic-auto-create',
  article: 'topic',
  seed: 26,
  title: { en: 'A topic created by its first send', zh: '首次发送时自动创建 Topic' },
  summary: {
    en: 'A producer sends to NewTopic, which does not exist: follow the fallback to TBW102, the broker creating the topic with 4 queues, and the route appearing in the name server.',
    zh: '生产者向不存在的 NewTopic 发送消息：跟随它回退到 TBW102、Broker 以 4 个队列创建该 Topic，以及路由出现在 NameServer 中的过程。',
  },
  async run({ cluster, beat, find }) {
    await cluster.startNamesrv();
    await cluster.startBroker('broker-a');
    const producer = await cluster.producer('pg', 'producer-1');
    const result = await cluster.settle(producer.send(Message.create('NewTopic', encodeUtf8('first'))));
    const fallback = find('client.route.updated', 'producer-1').find((e) => e.data.topic === 'NewTopic' && e.data.fromDefaultTopic);
    beat('fallback', {
      en: `The name server had no route for NewTopic, so producer-1 used TBW102's route instead, cut down to its defaultTopicQueueNums: ${fallback?.data.writeQueues.length ?? '?'} write queues on broker-a.`,
      zh: `NameServer 没有 NewTopic 的路由，于是 producer-1 改用 TBW102 的路由，并按自己的 defaultTopicQueueNums 截取：broker-a 上 ${fallback?.data.writeQueues.length ?? '?'} 个可写队列。`,
    });
    const created = find('broker.topic.created', 'broker-a').find((e) => e.data.topic === 'NewTopic')!;
    beat('created', {
      en: `broker-a did not know NewTopic, but the request named TBW102 as its default topic and TBW102 carries the INHERIT bit, so it created NewTopic with ${created.data.writeQueueNums} queues and perm ${created.data.perm} (TBW102's perm without INHERIT), then stored the message at queue ${result.messageQueue.queueId}, offset ${result.queueOffset}.`,
      zh: `broker-a 不认识 NewTopic，但请求指明默认 Topic 为 TBW102，且 TBW102 带有 INHERIT 位，于是它以 ${created.data.writeQueueNums} 个队列、权限 ${created.data.perm}（TBW102 的权限去掉 INHERIT）创建了 NewTopic，并把消息存到队列 ${result.messageQueue.queueId} 的偏移 ${result.queueOffset}。`,
    });
    await cluster.advance(31_000);
    const real = find('client.route.updated', 'producer-1').filter((e) => e.data.topic === 'NewTopic' && !e.data.fromDefaultTopic).at(-1);
    beat('routed', {
      en: `broker-a registered the new topic with the name server right away, and producer-1's next 30 s route refresh found NewTopic's own route: ${real?.data.writeQueues.join(', ') ?? '(none yet)'}. This is why production clusters turn autoCreateTopicEnable off: any typo becomes a topic.`,
      zh: `broker-a 立即向 NameServer 注册了新 Topic，producer-1 下一次 30 秒的路由刷新拿到了 NewTopic 自己的路由：${real?.data.writeQueues.join(', ') ?? '（尚无）'}。这就是生产环境关闭 autoCreateTopicEnable 的原因：任何拼写错误都会变成一个 Topic。`,
    });
  },
};
