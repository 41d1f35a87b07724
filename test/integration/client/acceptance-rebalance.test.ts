// Acceptance (b): three push consumers of one group over real TCP converge on disjoint queue
// sets that together cover every queue (3/3/2 of 8), and reconverge (4/4) when one leaves;
// after each convergence every message sent is consumed once, by the member holding its queue.
// Method: a 2 s RebalanceService period on each member's client instance (the broker's
// NOTIFY_CONSUMER_IDS_CHANGED also triggers rounds at once); poll the process-queue tables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DefaultMQPushConsumer } from '../../../src/client/consumer/default-mq-push-consumer.js';
import type { ConsumeConcurrentlyStatus } from '../../../src/client/consumer/listener/message-listener.js';
import type { MessageExt } from '../../../src/common/message/message-ext.js';
import { Message } from '../../../src/common/message/message.js';
import { waitFor } from '../cli/cli-support.js';
import { startCluster, type Cluster } from '../compat/compat-support.js';
import { closeAll, delivery, newProducer, newPushConsumer, pushQueues, type Delivery } from './acceptance-support.js';

const TOPIC = 'AccRebalance';
const ALL = Array.from({ length: 8 }, (_, i) => `broker-a/${i}`);

describe('acceptance: push consumer rebalance over TCP', () => {
  let cluster: Cluster;
  const clients: Array<{ shutdown(): Promise<void> }> = [];
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(async () => {
    await closeAll(clients);
    await cluster?.close();
  });

  it('3 consumers of one group converge on disjoint queue sets covering all 8 queues, and the 2 left reconverge when one shuts down', async () => {
    await cluster.createTopic(TOPIC, 8);
    const received: Delivery[] = [];
    const member = (name: string): DefaultMQPushConsumer => {
      const consumer = newPushConsumer(cluster, 'CG_acc_rebalance', name, {
        rebalanceIntervalMs: 2000,
        consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
        subscription: { [TOPIC]: '*' },
        messageListener: {
          consumeMessage: (msgs: readonly MessageExt[]): ConsumeConcurrentlyStatus => {
            for (const msg of msgs) received.push(delivery(name, msg));
            return 'CONSUME_SUCCESS';
          },
        },
      });
      clients.push(consumer);
      return consumer;
    };
    const members = new Map([['c1', member('c1')], ['c2', member('c2')], ['c3', member('c3')]]);
    for (const consumer of members.values()) await consumer.start();

    const layout = () => [...members.values()].map((c) => pushQueues(c, TOPIC));
    const disjointCover = (sets: string[][]) => {
      const flat = sets.flat();
      return flat.length === ALL.length && new Set(flat).size === ALL.length;
    };
    await waitFor(() => disjointCover(layout()) && layout().every((s) => s.length >= 2), `a disjoint 3/3/2 cover (${JSON.stringify(layout())})`, 30_000);
    expect(layout().map((s) => s.length).sort()).toEqual([2, 3, 3]);

    const producer = newProducer(cluster, 'PG_acc_rebalance');
    clients.push(producer);
    await producer.start();
    const sendBatch = async (from: number, count: number) => {
      for (let i = from; i < from + count; i++) await producer.send(Message.create(TOPIC, new TextEncoder().encode(`m-${i}`)));
    };
    await sendBatch(0, 40);
    await waitFor(() => received.length >= 40, `40 deliveries (have ${received.length})`, 30_000);
    const holderOf = new Map<string, string>();
    for (const [name, consumer] of members) for (const q of pushQueues(consumer, TOPIC)) holderOf.set(`${TOPIC}@${q.replace('/', '@')}`, name);
    expect(received.map((d) => d.body).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `m-${i}`).sort());
    for (const d of received) expect(d.consumer, `${d.body} on ${d.mq}`).toBe(holderOf.get(d.mq));

    // c3 leaves: its UNREGISTER_CLIENT makes the broker notify c1 and c2, who split its queues.
    await members.get('c3')!.shutdown();
    members.delete('c3');
    await waitFor(() => disjointCover(layout()), `a disjoint 4/4 cover (${JSON.stringify(layout())})`, 30_000);
    expect(layout().map((s) => s.length)).toEqual([4, 4]);

    received.length = 0;
    await sendBatch(40, 40);
    await waitFor(() => new Set(received.map((d) => d.body)).size >= 40, `40 more deliveries (have ${received.length})`, 30_000);
    const holderAfter = new Map<string, string>();
    for (const [name, consumer] of members) for (const q of pushQueues(consumer, TOPIC)) holderAfter.set(`${TOPIC}@${q.replace('/', '@')}`, name);
    expect([...new Set(received.map((d) => d.body))].sort()).toEqual(Array.from({ length: 40 }, (_, i) => `m-${40 + i}`).sort());
    for (const d of received) expect(d.consumer, `${d.body} on ${d.mq}`).toBe(holderAfter.get(d.mq));
  });
});
