// Acceptance (a): 10,000 messages from our producer reach our push consumer over real TCP
// with no loss: every UNIQ_KEY arrives at least once with its body, tags and keys, and any
// duplicate has a reason (a redelivery with reconsumeTimes > 0, or its queue changed owner
// in a rebalance). One consumer that always succeeds should see no duplicates at all.
// Method: one cluster, a 4-queue topic, the consumer started first (CONSUME_FROM_FIRST_OFFSET),
// then 10,000 async sends with 256 in flight; poll (never sleep) until every key arrived.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Message } from '../../../src/common/message/message.js';
import type { MessageExt } from '../../../src/common/message/message-ext.js';
import type { ConsumeConcurrentlyStatus } from '../../../src/client/consumer/listener/message-listener.js';
import type { SendResult } from '../../../src/client/producer/send-result.js';
import { RecordingSink } from '../../../src/events/event-sink.js';
import { SystemClock } from '../../../src/platform/system-clock.js';
import { waitFor } from '../cli/cli-support.js';
import { startCluster, type Cluster } from '../compat/compat-support.js';
import { closeAll, delivery, newProducer, newPushConsumer, type Delivery } from './acceptance-support.js';

const TOTAL = 10_000;
const IN_FLIGHT = 256;

describe('acceptance: producer → push consumer over TCP', () => {
  let cluster: Cluster;
  const clients: Array<{ shutdown(): Promise<void> }> = [];
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(async () => {
    await closeAll(clients);
    await cluster?.close();
  });

  it('delivers 10,000 messages with no loss: every UNIQ_KEY at least once, with its body, tags and keys; duplicates only with a reason', async () => {
    await cluster.createTopic('AccNoLoss', 4);
    const sink = new RecordingSink(new SystemClock({ unref: true }), (kind) => kind.startsWith('client.queue.') || kind === 'client.message.sent-back');
    const received: Delivery[] = [];
    const consumer = newPushConsumer(cluster, 'CG_acc_noloss', 'noloss-c', {
      events: sink,
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      subscription: { AccNoLoss: '*' },
      messageListener: {
        consumeMessage: (msgs: readonly MessageExt[]): ConsumeConcurrentlyStatus => {
          for (const msg of msgs) {
            received.push(delivery('noloss-c', msg));
            if (msg.tags !== `Tag${Number(new TextDecoder().decode(msg.body).split('-')[1]) % 7}`) throw new Error(`bad tags on ${msg.msgId}`);
          }
          return 'CONSUME_SUCCESS';
        },
      },
    });
    clients.push(consumer);
    await consumer.start();

    const producer = newProducer(cluster, 'PG_acc_noloss');
    clients.push(producer);
    await producer.start();
    const results: SendResult[] = new Array(TOTAL);
    let next = 0;
    const worker = async () => {
      while (next < TOTAL) {
        const i = next++;
        const msg = Message.create('AccNoLoss', new TextEncoder().encode(`msg-${i}`), { tags: `Tag${i % 7}`, keys: `key-${i}` });
        results[i] = await producer.sendAsync(msg);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    expect(results.every((r) => r.sendStatus === 'SEND_OK')).toBe(true);

    const sentKeys = new Map(results.map((r, i) => [r.msgId, i]));
    expect(sentKeys.size).toBe(TOTAL);
    const seen = () => new Set(received.map((d) => d.uniqKey)).size;
    await waitFor(() => seen() >= TOTAL, `all ${TOTAL} keys (have ${seen()})`, 60_000);

    // Every key sent arrived, with the body and keys it was sent with.
    const firstByKey = new Map<string, Delivery>();
    for (const d of received) if (!firstByKey.has(d.uniqKey)) firstByKey.set(d.uniqKey, d);
    for (const [key, i] of sentKeys) {
      const d = firstByKey.get(key);
      expect(d, `message ${i} (${key})`).toBeDefined();
      expect(d!.body).toBe(`msg-${i}`);
      // As in Java: the consumer's msgId is the producer's UNIQ_KEY (SendResult.msgId).
      expect(d!.msgId).toBe(results[i]!.msgId);
    }
    expect([...firstByKey.keys()].every((k) => sentKeys.has(k))).toBe(true);

    // Duplicates need a reason: a redelivery, or a queue that changed hands after the first start.
    const requeued = new Set(sink.events.filter((e) => e.kind === 'client.queue.dropped').map((e) => (e.data as { mq: string }).mq));
    const keysSoFar = new Set<string>();
    const duplicates = received.filter((d) => keysSoFar.has(d.uniqKey) || !keysSoFar.add(d.uniqKey));
    const unexplained = duplicates.filter((d) => d.reconsumeTimes === 0 && !requeued.has(d.mq));
    expect(unexplained).toEqual([]);
    // With one consumer that never fails there is nothing to explain.
    expect(received.length).toBe(TOTAL);
  });
});
