/**
 * Scenario `rebalance`: five consumers join a group that reads four queues.
 *
 * Every consumer computes its own share with the same rule, AllocateMessageQueueAveragely,
 * over the same two sorted lists (all queues, all client ids of the group as the broker
 * reports them). Nobody coordinates; the answers agree because the inputs do, and for a
 * moment after a join they do not: a consumer that has not rebalanced yet still holds a
 * queue another one has just taken.
 *
 * ```
 *   cids            4 queues q0..q3 shared out
 *   c1 c2           c1: q0 q1   c2: q2 q3
 *   c1 c2 c3        c1: q0 q1   c2: q2      c3: q3
 *   c1 .. c5        c1: q0      c2: q1      c3: q2   c4: q3   c5: (idle: more consumers than queues)
 * ```
 *
 * @article pull-consume-2 "Rebalance: who reads which queue"
 * @category Sim
 * @module
 */
import type { DefaultMQPushConsumer } from '../../client/consumer/default-mq-push-consumer.js';
import { ConsumeConcurrentlyStatus } from '../../client/consumer/listener/message-listener.js';
import type { Scenario } from '../scenario.js';

/** Queue ids a consumer holds for TopicTest, sorted. */
function held(consumer: DefaultMQPushConsumer): number[] {
  return [...consumer.defaultMQPushConsumerImpl.rebalanceImpl.processQueueTable.keys()].filter((mq) => mq.topic === 'TopicTest').map((mq) => mq.queueId).sort((a, b) => a - b);
}

function table(consumers: ReadonlyArray<readonly [string, DefaultMQPushConsumer]>): string {
  return consumers.map(([name, c]) => `${name}: ${held(c).map((q) => `q${q}`).join(' ') || '(idle)'}`).join(', ');
}

export const rebalance: Scenario = {
  name: 'rebalance',
  article: 'pull-consume-2',
  real: true,
  seed: 23,
  title: { en: 'Rebalance as consumers join', zh: '消费者加入时的负载均衡' },
  summary: {
    en: 'Four queues, five consumers joining one by one: watch each consumer compute the same allocation on its own, and the fifth one stay idle.',
    zh: '四个队列，五个消费者依次加入：观察每个消费者各自算出相同的分配结果，以及第五个消费者无队列可分。',
  },
  async run({ cluster, beat, find }) {
    await cluster.startNamesrv();
    await cluster.startBroker('broker-a');
    await cluster.createTopic('TopicTest', 4);
    const consumers: Array<readonly [string, DefaultMQPushConsumer]> = [];
    const join = async (name: string): Promise<void> => {
      const consumer = cluster.pushConsumer(name, {
        consumerGroup: 'cg', subscription: { TopicTest: '*' },
        messageListener: { consumeMessage: () => ConsumeConcurrentlyStatus.CONSUME_SUCCESS },
      });
      await cluster.settle(consumer.start());
      consumers.push([name, consumer]);
    };
    const settled = (expected: number[][]): Promise<number> =>
      cluster.until(() => consumers.every(([, c], i) => JSON.stringify(held(c)) === JSON.stringify(expected[i])), 30_000);

    await join('c1');
    await join('c2');
    await settled([[0, 1], [2, 3]]);
    beat('two', {
      en: `c1 and c2 are in the group. Each sorted the 4 queues and the 2 client ids, and took its slice: ${table(consumers)}.`,
      zh: `c1 和 c2 加入了消费组。两者各自对 4 个队列和 2 个客户端 ID 排序后取自己那一段：${table(consumers)}。`,
    });
    await join('c3');
    await settled([[0, 1], [2], [3]]);
    beat('three', {
      en: `c3 joined. The broker told the group its membership changed, everyone rebalanced, and 4 queues over 3 consumers gives the first one an extra queue: ${table(consumers)}.`,
      zh: `c3 加入。Broker 通知消费组成员发生变化，所有成员重新负载均衡；4 个队列分给 3 个消费者，第一个多分一个：${table(consumers)}。`,
    });
    await join('c4');
    await join('c5');
    await settled([[0], [1], [2], [3], []]);
    // c5 holds nothing from the start; wait until it has computed its (empty) share of all five.
    await cluster.until(() => find('client.rebalance.computed', 'c5').some((e) => e.data.cidAll.length === 5 && e.data.topic === 'TopicTest'), 30_000);
    beat('five', {
      en: `c4 and c5 joined. With more consumers than queues the last one in sorted order gets nothing and stays idle: ${table(consumers)}. Adding consumers beyond the queue count adds no throughput.`,
      zh: `c4 和 c5 加入。消费者多于队列时，排序最后的那个分不到队列而空闲：${table(consumers)}。消费者数超过队列数不会提升吞吐。`,
    });
  },
};
