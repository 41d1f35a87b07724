// The push consumer over real TCP: a NamesrvController and a BrokerController in this process
// (SystemClock, TcpTransport, NodeFileSystem in a temp dir), DefaultMQProducer sends 2,000
// messages (256 in flight) to a 4-queue topic while a DefaultMQPushConsumer consumes them:
// every message arrives exactly once, some bodies large enough to be compressed come back
// inflated, and the committed offsets reach the broker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DefaultMQPushConsumer } from '../../../src/client/consumer/default-mq-push-consumer.js';
import { ConsumeConcurrentlyStatus } from '../../../src/client/consumer/listener/message-listener.js';
import { DefaultMQProducer } from '../../../src/client/producer/default-mq-producer.js';
import type { SendResult } from '../../../src/client/producer/send-result.js';
import { Message } from '../../../src/common/message/message.js';
import { NOOP_SINK } from '../../../src/events/event-sink.js';
import { NodeFileSystem } from '../../../src/platform/node/node-file-system.js';
import { TcpTransport } from '../../../src/platform/node/tcp-transport.js';
import type { Platform } from '../../../src/platform/platform.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { SystemClock } from '../../../src/platform/system-clock.js';
import { waitFor } from '../cli/cli-support.js';
import { startCluster, type Cluster } from '../compat/compat-support.js';

let seed = 300;
const platform = (): Platform => ({ clock: new SystemClock({ unref: true }), random: new SeededRandom(seed++), fs: new NodeFileSystem(), transport: new TcpTransport() });
const TOTAL = 2_000;

describe('DefaultMQPushConsumer over TCP', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster();
    await cluster.createTopic('PushTcpTopic', 4);
  });
  afterAll(async () => {
    await cluster.close();
  });

  it('consumes 2,000 messages sent by DefaultMQProducer: none lost, none duplicated, large bodies inflated', async () => {
    const received = new Map<string, number>();
    let bigBodies = 0;
    const consumer = new DefaultMQPushConsumer({
      platform: platform(),
      events: NOOP_SINK,
      consumerGroup: 'push_tcp_cg',
      namesrvAddr: cluster.namesrvAddr,
      clientConfig: { clientIP: '127.0.0.1', instanceName: 'push-tcp-consumer' },
      subscription: { PushTcpTopic: '*' },
    });
    consumer.registerMessageListener({
      consumeMessage: (msgs) => {
        for (const msg of msgs) {
          const body = new TextDecoder().decode(msg.body);
          const key = body.length > 100 ? body.slice(0, body.indexOf('|')) : body;
          if (body.length > 100) bigBodies++;
          received.set(key, (received.get(key) ?? 0) + 1);
        }
        return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
      },
    });
    await consumer.start();
    await waitFor(async () => consumer.defaultMQPushConsumerImpl.rebalanceImpl.processQueueTable.keys().filter((mq) => mq.topic === 'PushTcpTopic').length === 4, 'the consumer to hold 4 queues');

    const producer = new DefaultMQProducer({
      platform: platform(), events: NOOP_SINK, producerGroup: 'push_tcp_pg', namesrvAddr: cluster.namesrvAddr,
      clientConfig: { clientIP: '127.0.0.1', instanceName: 'push-tcp-producer' },
    });
    await producer.start();
    const window: Array<Promise<SendResult>> = [];
    for (let i = 0; i < TOTAL; i++) {
      // Every 100th body is over 4 KiB, so the producer compresses it and the consumer must inflate it.
      const body = i % 100 === 0 ? `m${i}|${'x'.repeat(5000)}` : `m${i}`;
      window.push(producer.sendAsync(Message.create('PushTcpTopic', new TextEncoder().encode(body))));
      if (window.length >= 256) await window.shift();
    }
    const results = await Promise.all(window);
    expect(results.every((r) => r.sendStatus === 'SEND_OK')).toBe(true);

    await waitFor(async () => received.size === TOTAL, `${TOTAL} distinct messages (have ${received.size})`, 30_000);
    // Every completion processed: the in-memory commit offsets add up to everything sent.
    const committed = (): number => consumer.defaultMQPushConsumerImpl.offsetStore.cloneOffsetTable('PushTcpTopic').reduce((sum, [, offset]) => sum + offset, 0);
    await waitFor(() => committed() === TOTAL, `commit offsets adding up to ${TOTAL}`);
    expect(received.size).toBe(TOTAL);
    expect([...received.values()].every((n) => n === 1)).toBe(true);
    expect(bigBodies).toBe(TOTAL / 100);

    await consumer.shutdown();
    await producer.shutdown();
    const offsets = [0, 1, 2, 3].map((q) => cluster.broker.consumerOffsetManager.queryOffset('push_tcp_cg', 'PushTcpTopic', q));
    expect(offsets.reduce((a, b) => a + b, 0)).toBe(TOTAL);
  });
});
