// The clients on virtual time: a real name server, broker, producer and consumers in one
// process over SimNetwork + ManualClock. Minutes of client timers (rebalance every 20 s,
// heartbeats every 30 s, route polls every 30 s) run in milliseconds of real time; the same
// seed gives a byte-identical event log; and the same scenario run over real TCP delivers
// exactly the same messages to the same queues and offsets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DefaultMQPushConsumer, DefaultMQPushConsumerOptions } from '../../../src/client/consumer/default-mq-push-consumer.js';
import type { ConsumeConcurrentlyStatus } from '../../../src/client/consumer/listener/message-listener.js';
import type { DefaultMQProducer } from '../../../src/client/producer/default-mq-producer.js';
import type { MessageExt } from '../../../src/common/message/message-ext.js';
import { Message } from '../../../src/common/message/message.js';
import { waitFor } from '../cli/cli-support.js';
import { startCluster, type Cluster } from '../compat/compat-support.js';
import { closeAll, newProducer, newPushConsumer } from './acceptance-support.js';
import { START, mq, simWorld, utf8 } from './lite-sim-world.js';

/** What a scenario needs from its world, so one scenario runs on SimNetwork and on TCP. */
interface ScenarioEnv {
  createTopic(topic: string, queueNums: number): Promise<void>;
  producer(): DefaultMQProducer;
  pushConsumer(node: string, options: Omit<DefaultMQPushConsumerOptions, 'platform' | 'events'>): DefaultMQPushConsumer;
  /** Wait for a client call (runs virtual time in the sim). */
  run<T>(promise: Promise<T>): Promise<T>;
  until(predicate: () => boolean, what: string): Promise<void>;
}

type Received = [queueId: number, queueOffset: number, body: string, tags: string, keys: string, reconsumeTimes: number];

/**
 * 40 messages to queue i % 4 of a 4-queue topic with tags TagA/TagB/TagC by i % 3; a push
 * consumer subscribed to "TagA || TagB" from the first offset. Returns what it consumed,
 * sorted by queue and offset.
 */
async function scenario(env: ScenarioEnv): Promise<Received[]> {
  const topic = 'VtScenario';
  await env.createTopic(topic, 4);
  const received: Received[] = [];
  const consumer = env.pushConsumer('vt-consumer', {
    consumerGroup: 'CG_vt',
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    subscription: { [topic]: 'TagA || TagB' },
    messageListener: {
      consumeMessage: (msgs: readonly MessageExt[]): ConsumeConcurrentlyStatus => {
        for (const m of msgs) received.push([m.queueId, m.queueOffset, utf8(m.body), m.tags ?? '', m.keys ?? '', m.reconsumeTimes]);
        return 'CONSUME_SUCCESS';
      },
    },
  });
  await env.run(consumer.start());
  const producer = env.producer();
  await env.run(producer.start());
  for (let i = 0; i < 40; i++) {
    const msg = Message.create(topic, new TextEncoder().encode(`vt-${i}`), { tags: ['TagA', 'TagB', 'TagC'][i % 3]!, keys: `vk-${i}` });
    await env.run(producer.send(msg, mq(topic, i % 4)));
  }
  await env.until(() => received.length >= 27, `27 TagA/TagB messages (have ${received.length})`);
  await env.run(producer.shutdown());
  await env.run(consumer.shutdown());
  return received.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
}

async function simScenario(seed: number) {
  const world = await simWorld({ seed });
  const env: ScenarioEnv = {
    createTopic: world.createTopic,
    producer: () => world.producer('vt-producer', 'PG_vt'),
    pushConsumer: world.pushConsumer,
    run: (promise) => world.settle(promise),
    until: (predicate, what) => world.until(predicate, what),
  };
  const received = await scenario(env);
  await world.shutdown();
  return { received, log: world.sink.events.map((e) => JSON.stringify(e)) };
}

describe('clients on SimNetwork + ManualClock', () => {
  it('rebalance runs every 20 s and heartbeats go out every 30 s of virtual time (200 s observed in a few ms)', async () => {
    const world = await simWorld();
    await world.createTopic('VtTimers', 4);
    const consumer = world.pushConsumer('vt-push', {
      consumerGroup: 'CG_timers', subscription: { VtTimers: '*' }, messageListener: { consumeMessage: (): ConsumeConcurrentlyStatus => 'CONSUME_SUCCESS' },
    });
    const lite = world.liteConsumer('vt-lite', { consumerGroup: 'CG_timers_lite' });
    await world.settle(lite.subscribe('VtTimers', '*'));
    await world.settle(consumer.start());
    await world.settle(lite.start());
    const startedAt = world.clock.now();
    await world.clock.advance(200_000);

    const since = (node: string, kind: 'client.rebalance.started' | 'client.heartbeat.sent') => world.sink.events
      .filter((e) => e.kind === kind && e.node === node && (kind !== 'client.rebalance.started' || (e.data as { topic: string }).topic === 'VtTimers'))
      .map((e) => e.at - (startedAt - START))
      .filter((t) => t > 5_000);
    const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);
    for (const node of ['vt-push', 'vt-lite']) {
      const rounds = since(node, 'client.rebalance.started');
      expect(rounds.length, node).toBeGreaterThanOrEqual(9);
      expect(new Set(gaps(rounds)), node).toEqual(new Set([20_000]));
      const beats = since(node, 'client.heartbeat.sent');
      expect(beats.length, node).toBeGreaterThanOrEqual(6);
      expect(new Set(gaps(beats)), node).toEqual(new Set([30_000]));
    }
    // Both stayed members of their groups the whole time (the broker's 120 s expiry never hit).
    const broker = world.brokers.get('broker-a')!;
    expect(broker.consumerManager.getConsumerGroupInfo('CG_timers')).toBeDefined();
    expect(broker.consumerManager.getConsumerGroupInfo('CG_timers_lite')).toBeDefined();
    await world.settle(consumer.shutdown());
    await world.settle(lite.shutdown());
    await world.shutdown();
  });

  it('the same producer/consumer scenario with the same seed gives an identical event log; another seed delivers the same messages', async () => {
    const first = await simScenario(42);
    const second = await simScenario(42);
    expect(first.log.length).toBeGreaterThan(500);
    expect(second.log).toEqual(first.log);
    expect(first.received).toHaveLength(27);
    const other = await simScenario(43);
    expect(other.received).toEqual(first.received);
  });
});

describe('the same scenario over real TCP', () => {
  let cluster: Cluster;
  const clients: Array<{ shutdown(): Promise<void> }> = [];
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(async () => {
    await closeAll(clients);
    await cluster?.close();
  });

  it('delivers exactly what the SimNetwork run delivers: same queues, offsets, bodies, tags and keys', async () => {
    const env: ScenarioEnv = {
      createTopic: (topic, n) => cluster.createTopic(topic, n),
      producer: () => {
        const producer = newProducer(cluster, 'PG_vt', 'vt-producer');
        clients.push(producer);
        return producer;
      },
      pushConsumer: (node, options) => {
        const consumer = newPushConsumer(cluster, options.consumerGroup, node, options);
        clients.push(consumer);
        return consumer;
      },
      run: (promise) => promise,
      until: (predicate, what) => waitFor(predicate, what, 30_000),
    };
    const overTcp = await scenario(env);
    const { received: inSim } = await simScenario(42);
    expect(overTcp).toEqual(inSim);
    expect(overTcp.map((r) => r[2])).toEqual(Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 3 !== 2)
      .map((i) => [i % 4, Math.floor(i / 4), `vt-${i}`] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]).map((r) => r[2]));
  });
});
