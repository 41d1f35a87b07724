// SimCluster: a whole cluster on virtual time. Send and consume through it, crash a broker
// with unflushed data and restart it (recovery cuts exactly the unflushed tail), and check
// that the same seed gives a byte-identical event log.
import { describe, expect, it } from 'vitest';
import { ConsumeConcurrentlyStatus } from '../../../src/client/consumer/listener/message-listener.js';
import { SendStatus } from '../../../src/client/producer/send-result.js';
import type { MessageExt } from '../../../src/common/message/message-ext.js';
import { Message } from '../../../src/common/message/message.js';
import { encodeEventLog } from '../../../src/events/jsonl.js';
import type { RunHeader } from '../../../src/events/event-types.js';
import { SimCluster } from '../../../src/sim/sim-cluster.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const utf8 = (data: Uint8Array): string => new TextDecoder().decode(data);

async function sendAndConsume(seed: number): Promise<{ cluster: SimCluster; seen: string[] }> {
  const cluster = new SimCluster({ seed });
  await cluster.startNamesrv();
  await cluster.startBroker('broker-a');
  await cluster.createTopic('TopicTest', 2);
  const producer = await cluster.producer();
  for (let i = 0; i < 6; i++) {
    const result = await cluster.settle(producer.send(Message.create('TopicTest', bytes(`m${i}`), { tags: 'TagA' })));
    expect(result.sendStatus).toBe(SendStatus.SEND_OK);
  }
  const seen: string[] = [];
  const consumer = cluster.pushConsumer('consumer-1', {
    consumerGroup: 'cg', subscription: { TopicTest: '*' },
    messageListener: { consumeMessage: (msgs: readonly MessageExt[]) => (seen.push(...msgs.map((m) => utf8(m.body))), ConsumeConcurrentlyStatus.CONSUME_SUCCESS) },
  });
  await cluster.settle(consumer.start());
  await cluster.until(() => seen.length === 6, 10_000);
  return { cluster, seen };
}

describe('SimCluster', () => {
  it('runs a name server, a broker, a producer and a push consumer on virtual time', async () => {
    const { cluster, seen } = await sendAndConsume(3);
    expect([...seen].sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    await cluster.shutdown();
  });

  it('gives a byte-identical event log for the same seed', async () => {
    const logs: string[] = [];
    for (let run = 0; run < 2; run++) {
      const { cluster } = await sendAndConsume(11);
      await cluster.shutdown();
      const header: RunHeader = { type: 'run.header', v: 1, scenario: 'sim-cluster-test', seed: 11, semantics: 'rocketmq-4.9.x', commit: 'test', config: {}, nodes: [], lanes: [] };
      logs.push(encodeEventLog(header, cluster.events));
    }
    expect(logs[0]!.length).toBeGreaterThan(1000);
    expect(logs[1]).toBe(logs[0]);
  });

  it('a crashed broker loses its unflushed tail, stops its timers, and recovers on restart', async () => {
    const cluster = new SimCluster({ seed: 5 });
    await cluster.startNamesrv();
    const broker = await cluster.startBroker('broker-a');
    await cluster.createTopic('TopicTest', 1);
    const producer = await cluster.producer();
    for (let i = 0; i < 3; i++) await cluster.settle(producer.send(Message.create('TopicTest', bytes(`durable-${i}`))));
    await cluster.advance(1_000); // ASYNC_FLUSH flushes every 500 ms
    const flushed = broker.controller.messageStore.getMaxPhyOffset();
    await cluster.settle(producer.send(Message.create('TopicTest', bytes('lost'))));
    expect(broker.controller.messageStore.getMaxPhyOffset()).toBeGreaterThan(flushed);

    cluster.crashBroker('broker-a');
    expect(broker.processClock.pendingTimers).toBe(0);
    await cluster.advance(5_000); // nothing of the dead broker runs
    expect(cluster.events.filter((e) => e.node === 'broker-a' && e.kind === 'sim.node.crashed')).toEqual([]);
    expect(cluster.events.some((e) => e.node === 'sim' && e.kind === 'sim.node.crashed')).toBe(true);

    const restarted = await cluster.restartBroker('broker-a');
    const store = restarted.controller.messageStore;
    expect(store.getMaxPhyOffset()).toBe(flushed);
    expect(store.getMaxOffsetInQueue('TopicTest', 0)).toBe(3);
    const result = store.getMessage('check', 'TopicTest', 0, 0, 32);
    expect(result?.messageCount).toBe(3);
    await cluster.shutdown();
  });

  it('fault actions by node name: a dropped request times out the send; a partition stops registrations', async () => {
    const cluster = new SimCluster({ seed: 9 });
    await cluster.startNamesrv();
    await cluster.startBroker('broker-a');
    await cluster.createTopic('TopicTest', 1);
    const producer = await cluster.producer('pg', 'producer-1', { retryTimesWhenSendFailed: 0 });
    await cluster.settle(producer.send(Message.create('TopicTest', bytes('warm-up'))));
    cluster.dropNext('producer-1', 'broker-a');
    await expect(cluster.settle(producer.send(Message.create('TopicTest', bytes('lost'))))).rejects.toThrow(/timeout/);
    expect(cluster.events.filter((e) => e.kind === 'sim.link.dropped').map((e) => (e.data as { reason: string }).reason)).toEqual(['injected']);
    expect(cluster.events.some((e) => e.kind === 'client.send.timed-out')).toBe(true);
    const registrations = () => cluster.events.filter((e) => e.kind === 'namesrv.broker.registered').length;
    cluster.partition('namesrv-1', 'broker-a');
    const before = registrations();
    await cluster.advance(65_000);
    expect(registrations()).toBe(before);
    cluster.heal();
    await cluster.advance(31_000);
    expect(registrations()).toBeGreaterThan(before);
    expect(() => cluster.hostOf('nobody')).toThrow(/no node named nobody/);
    await cluster.shutdown();
  });
});
