// Acceptance (c): orderly consumption keeps per-queue order over real TCP while a second
// consumer joins mid-stream. Messages carry (orderId, seq) and go out through a
// MessageQueueSelector by orderId, so each order lives in one queue; for every order the
// sequence numbers received (across both consumers, in the order the listener calls
// happened) must be strictly increasing and complete.
// Method: consumer A (orderly) starts; a producer sends 20 orders × 30 steps in the
// background, paced; once A has consumed a third, consumer B joins the group; half of the
// queues move to B through the broker's queue locks. A 2 s RebalanceService period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DefaultMQPushConsumer } from '../../../src/client/consumer/default-mq-push-consumer.js';
import type { ConsumeOrderlyStatus } from '../../../src/client/consumer/listener/message-listener.js';
import { SelectMessageQueueByHash } from '../../../src/client/producer/message-queue-selector.js';
import type { MessageExt } from '../../../src/common/message/message-ext.js';
import { Message } from '../../../src/common/message/message.js';
import { waitFor } from '../cli/cli-support.js';
import { startCluster, type Cluster } from '../compat/compat-support.js';
import { closeAll, newProducer, newPushConsumer, pushQueues } from './acceptance-support.js';

const TOPIC = 'AccOrderly';
const ORDERS = 20;
const STEPS = 30;

describe('acceptance: orderly push consumption over TCP', () => {
  let cluster: Cluster;
  const clients: Array<{ shutdown(): Promise<void> }> = [];
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(async () => {
    await closeAll(clients);
    await cluster?.close();
  });

  it('keeps each order id in sequence (strictly increasing, complete) while a second consumer joins mid-stream', async () => {
    await cluster.createTopic(TOPIC, 4);
    const calls: Array<{ consumer: string; orderId: number; seq: number; queueId: number }> = [];
    const member = (name: string): DefaultMQPushConsumer => {
      const consumer = newPushConsumer(cluster, 'CG_acc_orderly', name, {
        rebalanceIntervalMs: 2000,
        consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
        subscription: { [TOPIC]: '*' },
        messageListener: {
          orderly: true,
          consumeMessage: (msgs: readonly MessageExt[]): ConsumeOrderlyStatus => {
            for (const msg of msgs) {
              const [orderId, seq] = new TextDecoder().decode(msg.body).split(':').map(Number);
              calls.push({ consumer: name, orderId: orderId!, seq: seq!, queueId: msg.queueId });
            }
            return 'SUCCESS';
          },
        },
      });
      clients.push(consumer);
      return consumer;
    };
    const a = member('orderly-a');
    await a.start();

    const producer = newProducer(cluster, 'PG_acc_orderly');
    clients.push(producer);
    await producer.start();
    const selector = new SelectMessageQueueByHash();
    const sending = (async () => {
      for (let seq = 0; seq < STEPS; seq++) {
        for (let orderId = 0; orderId < ORDERS; orderId++) {
          await producer.send(Message.create(TOPIC, new TextEncoder().encode(`${orderId}:${seq}`), { keys: `order-${orderId}` }), selector, orderId);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    await waitFor(() => calls.length >= (ORDERS * STEPS) / 3, 'consumer A to get a third of the stream', 30_000);
    const b = member('orderly-b');
    await b.start();
    await sending;
    await waitFor(() => new Set(calls.map((c) => `${c.orderId}:${c.seq}`)).size >= ORDERS * STEPS, `every message (have ${calls.length})`, 60_000);

    // B really took over part of the stream.
    expect(pushQueues(b, TOPIC).length).toBe(2);
    expect(calls.some((c) => c.consumer === 'orderly-b')).toBe(true);
    for (let orderId = 0; orderId < ORDERS; orderId++) {
      const seqs = calls.filter((c) => c.orderId === orderId).map((c) => c.seq);
      expect(seqs, `order ${orderId}`).toEqual(Array.from({ length: STEPS }, (_, i) => i));
      // Every order stayed in one queue.
      expect(new Set(calls.filter((c) => c.orderId === orderId).map((c) => c.queueId)).size).toBe(1);
    }
  });
});
