// Orderly push consumption on virtual time (real name server and broker on SimNetwork):
// each member locks its queues on the broker before consuming them; listener calls of one
// queue never overlap and follow queue order; SUSPEND_CURRENT_QUEUE_A_MOMENT retries the same
// message in place after suspendCurrentQueueTimeMillis, holding back everything behind it; a
// message that reaches maxReconsumeTimes goes to %DLQ%<group> and the queue moves on.
import { describe, expect, it } from 'vitest';
import { ConsumeOrderlyStatus, type MessageListenerOrderly } from '../../../src/client/consumer/listener/message-listener.js';
import { messageQueueKey } from '../../../src/client/consumer/message-queue-map.js';
import { decodeMessages } from '../../../src/common/message/message-decoder.js';
import { Message } from '../../../src/common/message/message.js';
import { bytes, heldQueues, pushWorld, utf8 } from './push-sim-world.js';

describe('DefaultMQPushConsumer orderly (SimNetwork)', () => {
  it('consumes each queue in order, one call at a time, under a broker lock; SUSPEND retries the same message in place', async () => {
    const w = await pushWorld();
    await w.createTopic('OrderTopic', 4);
    const delivered = new Map<number, Array<{ node: string; offset: number; at: number }>>();
    const inflight = new Map<number, number>();
    let maxInflightPerQueue = 0;
    let maxInflightTotal = 0;
    const failedOnce = new Set<number>();
    const listener = (node: string): MessageListenerOrderly => ({
      orderly: true,
      consumeMessage: async (msgs) => {
        const msg = msgs[0]!;
        const q = msg.queueId;
        inflight.set(q, (inflight.get(q) ?? 0) + 1);
        maxInflightPerQueue = Math.max(maxInflightPerQueue, inflight.get(q)!);
        maxInflightTotal = Math.max(maxInflightTotal, [...inflight.values()].reduce((a, b) => a + b, 0));
        (delivered.get(q) ?? delivered.set(q, []).get(q)!).push({ node, offset: msg.queueOffset, at: w.clock.now() });
        await new Promise<void>((resolve) => w.clock.setTimer(5, resolve)); // an async listener: other queues run meanwhile
        inflight.set(q, inflight.get(q)! - 1);
        if (msg.queueOffset === 3 && !failedOnce.has(q)) {
          failedOnce.add(q);
          return ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT;
        }
        return ConsumeOrderlyStatus.SUCCESS;
      },
    });
    const c1 = w.consumer('consumer-1', { consumerGroup: 'og', subscription: { OrderTopic: '*' }, messageListenerOrderly: listener('consumer-1') });
    const c2 = w.consumer('consumer-2', { consumerGroup: 'og', subscription: { OrderTopic: '*' }, messageListenerOrderly: listener('consumer-2') });
    await w.settle(c1.start());
    await w.settle(c2.start());
    await w.until(() => heldQueues(c1, 'OrderTopic').length === 2 && heldQueues(c2, 'OrderTopic').length === 2, 30_000);
    const broker = w.brokers.get('broker-a')!;
    const owners = new Map<number, string>();
    for (const [c, node] of [[c1, 'consumer-1'], [c2, 'consumer-2']] as const) {
      for (const mq of c.defaultMQPushConsumerImpl.rebalanceImpl.processQueueTable.keys().filter((m) => m.topic === 'OrderTopic')) {
        await w.until(() => broker.rebalanceLockManager.isLocked('og', mq, c.mQClientFactory.clientId), 25_000);
        owners.set(mq.queueId, node);
      }
    }

    const producer = await w.producer();
    for (let i = 0; i < 10; i++) {
      for (let q = 0; q < 4; q++) {
        await w.settle(producer.send(Message.create('OrderTopic', bytes(`order-${q}-${i}`)), { topic: 'OrderTopic', brokerName: 'broker-a', queueId: q }));
      }
    }
    await w.until(() => [0, 1, 2, 3].every((q) => (delivered.get(q)?.length ?? 0) === 11), 30_000);
    for (let q = 0; q < 4; q++) {
      const seq = delivered.get(q)!;
      expect(seq.map((d) => d.offset)).toEqual([0, 1, 2, 3, 3, 4, 5, 6, 7, 8, 9]);
      expect(new Set(seq.map((d) => d.node))).toEqual(new Set([owners.get(q)]));
      expect(seq[4]!.at - seq[3]!.at).toBeGreaterThanOrEqual(1_000); // suspendCurrentQueueTimeMillis
    }
    expect(maxInflightPerQueue).toBe(1);
    expect(maxInflightTotal).toBeGreaterThan(1);
    await w.clock.advance(6_000);
    expect([0, 1, 2, 3].map((q) => broker.consumerOffsetManager.queryOffset('og', 'OrderTopic', q))).toEqual([10, 10, 10, 10]);
    expect(w.sink.ofKind('client.queue.locked').some((e) => e.data.via === 'lockAll')).toBe(true);

    await w.settle(Promise.all([c1.shutdown(), c2.shutdown(), producer.shutdown()]));
    // Shutdown gave every lock back.
    const mqs = [0, 1, 2, 3].map((queueId) => ({ topic: 'OrderTopic', brokerName: 'broker-a', queueId }));
    expect(mqs.filter((mq) => [c1, c2].some((c) => broker.rebalanceLockManager.isLocked('og', mq, c.mQClientFactory.clientId))).map(messageQueueKey)).toEqual([]);
    await w.shutdown();
  });

  it('a message that reaches maxReconsumeTimes goes to %DLQ%<group> through the retry topic, and the queue moves on', async () => {
    const w = await pushWorld();
    await w.createTopic('OrderTopic', 1);
    const seen: Array<[string, number]> = [];
    const c1 = w.consumer('consumer-1', {
      consumerGroup: 'og', subscription: { OrderTopic: '*' }, maxReconsumeTimes: 2,
      messageListenerOrderly: {
        consumeMessage: (msgs) => {
          seen.push([utf8(msgs[0]!.body), msgs[0]!.reconsumeTimes]);
          return utf8(msgs[0]!.body) === 'poison' ? ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT : ConsumeOrderlyStatus.SUCCESS;
        },
      },
    });
    await w.settle(c1.start());
    await w.until(() => heldQueues(c1, 'OrderTopic').length === 1, 5_000);
    const producer = await w.producer();
    for (const body of ['a', 'poison', 'b']) await w.settle(producer.send(Message.create('OrderTopic', bytes(body))));
    await w.until(() => seen.some(([body]) => body === 'b'), 30_000);
    expect(seen).toEqual([['a', 0], ['poison', 0], ['poison', 1], ['poison', 2], ['b', 0]]);
    const dlq = decodeMessages(w.brokers.get('broker-a')!.messageStore.getMessage('x', '%DLQ%og', 0, 0, 32)!.body);
    expect(dlq.map((m) => [utf8(m.body), m.getProperty('RETRY_TOPIC')])).toEqual([['poison', 'OrderTopic']]);
    await w.settle(Promise.all([c1.shutdown(), producer.shutdown()]));
    await w.shutdown();
  });
});
