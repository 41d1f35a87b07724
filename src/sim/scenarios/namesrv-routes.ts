/**
 * Scenario `namesrv-routes`: how routes appear in the name server, and how a silent broker
 * leaves them.
 *
 * Brokers register every 30 s; the name server keeps a last-update time per broker and
 * every 10 s drops those silent for more than 120 s. A broker whose connection closes is
 * dropped at once, but one that is merely cut off (a network partition) keeps its route until
 * it expires. Producers refresh routes every 30 s, so for a while they still see the lost
 * broker's queues.
 *
 * ```
 *   t=0      broker-a, broker-b register ──► TopicTest: 4 queues on each ──► producer route: 8 write queues
 *   t=1 s    partition namesrv-1 | broker-b  (its registrations stop arriving)
 *   t≈121 s  scan: broker-b idle > 120 s ──► expired, its queues leave the route
 *   t≈150 s  producer's 30 s refresh ──► route: 4 write queues, all on broker-a
 * ```
 *
 * @article namesrv "Registration, expiry and route queries"
 * @category Sim
 * @module
 */
import { encodeUtf8 } from '../../common/bytes.js';
import { Message } from '../../common/message/message.js';
import type { Scenario } from '../scenario.js';

export const namesrvRoutes: Scenario = {
  name: 'namesrv-routes',
  article: 'namesrv',
  seed: 25,
  title: { en: 'Routes: registration and expiry', zh: '路由：注册与过期' },
  summary: {
    en: 'Two brokers register TopicTest; one is cut off from the name server, which expires it after 120 s of silence, and the producer\'s next route refresh no longer lists its queues.',
    zh: '两个 Broker 注册了 TopicTest；其中一个与 NameServer 断开网络，120 秒没有心跳后被判定过期，生产者下一次刷新路由时不再看到它的队列。',
  },
  async run({ cluster, beat, find }) {
    await cluster.startNamesrv();
    await cluster.startBroker('broker-a');
    const b = await cluster.startBroker('broker-b');
    await cluster.createTopic('TopicTest', 4);
    const registered = find('namesrv.broker.registered', 'namesrv-1');
    beat('registered', {
      en: `broker-a and broker-b registered with namesrv-1 (${registered.length} REGISTER_BROKER requests so far: one at start, one after each topic change). Each broker sends its whole topic table; the name server keeps topic → queue data per broker name.`,
      zh: `broker-a 和 broker-b 向 namesrv-1 注册（到目前为止共 ${registered.length} 次 REGISTER_BROKER：启动时一次，每次 Topic 变更后一次）。每个 Broker 上报完整的 Topic 表；NameServer 按 Broker 名保存 Topic 到队列的映射。`,
    });
    const producer = await cluster.producer('pg', 'producer-1');
    await cluster.settle(producer.send(Message.create('TopicTest', encodeUtf8('hello'))));
    const route = find('client.route.updated', 'producer-1').filter((e) => e.data.topic === 'TopicTest').at(-1)!;
    beat('routed', {
      en: `producer-1 asked for TopicTest's route and got ${route.data.writeQueues.length} write queues: ${route.data.writeQueues.join(', ')}. It sends round-robin over them.`,
      zh: `producer-1 查询 TopicTest 的路由，得到 ${route.data.writeQueues.length} 个可写队列：${route.data.writeQueues.join(', ')}。之后轮询发送到这些队列。`,
    });
    await cluster.advance(1_000);
    cluster.partition('namesrv-1', b.name);
    beat('partitioned', {
      en: 'The network between namesrv-1 and broker-b is cut. broker-b is still running and still serving producers, but its 30-second registrations no longer reach the name server, and no connection closes to tell anyone.',
      zh: 'namesrv-1 与 broker-b 之间的网络被切断。broker-b 仍在运行、仍能为生产者服务，但它每 30 秒一次的注册再也到不了 NameServer，也没有连接关闭来通知任何一方。',
    });
    await cluster.until(() => find('namesrv.broker.expired', 'namesrv-1').length > 0, 200_000);
    const expired = find('namesrv.broker.expired', 'namesrv-1')[0]!;
    beat('expired', {
      en: `At the next 10-second scan, namesrv-1 found broker-b silent for ${expired.data.idleMs} ms (more than 120,000) and removed it, with its queues in every route (${expired.data.topicsDropped} topic routes changed).`,
      zh: `在下一次 10 秒一次的扫描中，namesrv-1 发现 broker-b 已沉默 ${expired.data.idleMs} ms（超过 120,000），将其连同它在所有路由中的队列一起移除（${expired.data.topicsDropped} 个 Topic 的路由发生变化）。`,
    });
    const before = find('client.route.updated', 'producer-1').length;
    await cluster.until(() => find('client.route.updated', 'producer-1').length > before, 40_000);
    const after = find('client.route.updated', 'producer-1').filter((e) => e.data.topic === 'TopicTest').at(-1)!;
    beat('refreshed', {
      en: `producer-1's periodic route refresh (every 30 s) picked up the change: TopicTest now has ${after.data.writeQueues.length} write queues (${after.data.writeQueues.join(', ')}). Until then it kept sending to broker-b, which was alive all along.`,
      zh: `producer-1 的定时路由刷新（每 30 秒）感知到了变化：TopicTest 现在有 ${after.data.writeQueues.length} 个可写队列（${after.data.writeQueues.join(', ')}）。在此之前它一直往 broker-b 发送，而 broker-b 其实一直活着。`,
    });
  },
};
