// A whole RocketMQ in one process for the push consumer's virtual-time tests: a real
// NamesrvController and real BrokerControllers on SimNetwork + ManualClock +
// MemoryFileSystem, an admin connection that creates topics, a producer, and push consumers
// that each live on their own simulated host (so each has its own client id).
import { BrokerController } from '../../../src/broker/broker-controller.js';
import { DefaultMQPushConsumer, type DefaultMQPushConsumerOptions } from '../../../src/client/consumer/default-mq-push-consumer.js';
import { messageQueueKey } from '../../../src/client/consumer/message-queue-map.js';
import { DefaultMQProducer } from '../../../src/client/producer/default-mq-producer.js';
import { messageStoreConfigFor } from '../../../src/common/config/profiles.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { NodeEvents, RecordingSink } from '../../../src/events/event-sink.js';
import { NamesrvController } from '../../../src/namesrv/namesrv-controller.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../src/platform/sim/memory-file-system.js';
import { SimNetwork } from '../../../src/platform/sim/sim-network.js';
import { RemotingClient } from '../../../src/remoting/remoting-client.js';
import { createRequestCommand } from '../../../src/remoting/remoting-command.js';

export const NAMESRV = '10.0.0.1:9876';
export const START = 1_700_000_000_000;

export async function pushWorld(options: { seed?: number; brokers?: string[] } = {}) {
  const clock = new ManualClock(START);
  const sink = new RecordingSink(clock);
  const random = new SeededRandom(options.seed ?? 7);
  const network = new SimNetwork({ clock, random });
  const fs = new MemoryFileSystem();
  const namesrv = new NamesrvController({ platform: { clock, random, fs, transport: network.host('10.0.0.1') }, events: sink, node: 'namesrv-1' });
  await namesrv.start(NAMESRV);

  /** Run virtual time until `promise` settles. */
  const settle = async <T>(promise: Promise<T>, limitMs = 60_000): Promise<T> => {
    let done: { value: T } | undefined;
    let failed: { error: unknown } | undefined;
    promise.then((value) => (done = { value }), (error: unknown) => (failed = { error }));
    await clock.runUntil(() => done !== undefined || failed !== undefined, limitMs);
    if (failed !== undefined) throw failed.error;
    return done!.value;
  };
  /** Run virtual time until `predicate` holds. */
  const until = (predicate: () => boolean, limitMs = 60_000): Promise<number> => clock.runUntil(predicate, limitMs);

  const brokers = new Map<string, BrokerController>();
  for (const [i, name] of (options.brokers ?? ['broker-a']).entries()) {
    const ip = `10.0.0.${2 + i}`;
    const broker = new BrokerController({
      platform: { clock, random: random.fork(), fs, transport: network.host(ip) },
      events: sink,
      node: name,
      brokerConfig: { brokerName: name, brokerIP1: ip, namesrvAddr: NAMESRV },
      storeConfig: messageStoreConfigFor('teaching', { storePathRootDir: `/${name}/store` }),
    });
    await settle(broker.start());
    brokers.set(name, broker);
  }

  const admin = new RemotingClient({ transport: network.host('10.0.0.9'), clock, events: new NodeEvents(sink, 'admin') });
  /** UPDATE_AND_CREATE_TOPIC on every broker, then wait until the name server routes it. */
  const createTopic = async (topic: string, queueNums: number): Promise<void> => {
    for (const broker of brokers.values()) {
      const request = createRequestCommand(RequestCode.UPDATE_AND_CREATE_TOPIC, {
        topic, defaultTopic: 'TBW102', readQueueNums: queueNums, writeQueueNums: queueNums, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false,
      });
      const response = await settle(admin.invokeSync(`${broker.brokerConfig.brokerIP1}:${broker.brokerConfig.listenPort}`, request, 3000));
      if (response.code !== ResponseCode.SUCCESS) throw new Error(`UPDATE_AND_CREATE_TOPIC ${topic}: ${response.code} ${response.remark}`);
    }
    for (let attempt = 0; attempt < 100; attempt++) {
      const response = await settle(admin.invokeSync(NAMESRV, createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }), 3000));
      if (response.code === ResponseCode.SUCCESS) return;
      await clock.advance(100);
    }
    throw new Error(`no route for ${topic}`);
  };

  let nextHost = 10;
  const host = () => {
    const ip = `10.0.1.${nextHost++}`;
    return { ip, platform: { clock, random: random.fork(), fs, transport: network.host(ip) } };
  };

  const producer = async (node = 'producer-1', group = 'pg'): Promise<DefaultMQProducer> => {
    const { ip, platform } = host();
    const p = new DefaultMQProducer({ platform, events: sink, node, producerGroup: group, namesrvAddr: NAMESRV, clientConfig: { clientIP: ip, pid: 100 } });
    await settle(p.start());
    return p;
  };

  /** A push consumer on its own host; `ip` reuses a host (a restart of the same process). */
  const consumer = (node: string, options: Omit<DefaultMQPushConsumerOptions, 'platform' | 'events'>, ip?: string): DefaultMQPushConsumer => {
    const h = ip === undefined ? host() : { ip, platform: { clock, random: random.fork(), fs, transport: network.host(ip) } };
    return new DefaultMQPushConsumer({ ...options, platform: h.platform, events: sink, node, namesrvAddr: NAMESRV, clientConfig: { clientIP: h.ip, pid: 1, ...options.clientConfig } });
  };

  const shutdown = async (): Promise<void> => {
    admin.shutdown();
    for (const broker of brokers.values()) await settle(broker.shutdown());
    await settle(namesrv.shutdown());
  };

  return { clock, sink, network, fs, namesrv, brokers, settle, until, createTopic, producer, consumer, shutdown };
}

/** The queue keys (`topic@broker@id`) a consumer holds for `topic`, sorted by queue id. */
export function heldQueues(consumer: DefaultMQPushConsumer, topic: string): string[] {
  return consumer.defaultMQPushConsumerImpl.rebalanceImpl.processQueueTable.keys()
    .filter((mq) => mq.topic === topic)
    .sort((a, b) => a.brokerName.localeCompare(b.brokerName) || a.queueId - b.queueId)
    .map(messageQueueKey);
}

export const utf8 = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
