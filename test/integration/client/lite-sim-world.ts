// A whole RocketMQ in one process on SimNetwork + ManualClock + MemoryFileSystem: a real
// NamesrvController, one or more real BrokerControllers, and helpers to build clients on
// their own simulated hosts. Used by the lite pull consumer's sim tests and the
// virtual-time client tests; nothing here waits for real time.
import { BrokerController } from '../../../src/broker/broker-controller.js';
import { messageStoreConfigFor } from '../../../src/common/config/profiles.js';
import { Message } from '../../../src/common/message/message.js';
import type { MessageQueue } from '../../../src/common/protocol/body/message-queue-keyed-map.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { NodeEvents, RecordingSink } from '../../../src/events/event-sink.js';
import { NamesrvController } from '../../../src/namesrv/namesrv-controller.js';
import type { Platform } from '../../../src/platform/platform.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../src/platform/sim/memory-file-system.js';
import { SimNetwork } from '../../../src/platform/sim/sim-network.js';
import { RemotingClient } from '../../../src/remoting/remoting-client.js';
import { createRequestCommand } from '../../../src/remoting/remoting-command.js';
import { DefaultMQProducer } from '../../../src/client/producer/default-mq-producer.js';
import { DefaultLitePullConsumer, type DefaultLitePullConsumerOptions } from '../../../src/client/consumer/default-lite-pull-consumer.js';
import { DefaultMQPushConsumer, type DefaultMQPushConsumerOptions } from '../../../src/client/consumer/default-mq-push-consumer.js';

export const NAMESRV = '10.0.0.1:9876';
export const START = 1_700_000_000_000;

export interface SimWorldOptions {
  seed?: number;
  /** Broker names; broker i listens on 10.0.0.(2+i):10911. @defaultValue ['broker-a'] */
  brokers?: string[];
}

export async function simWorld(options: SimWorldOptions = {}) {
  const clock = new ManualClock(START);
  const sink = new RecordingSink(clock);
  const random = new SeededRandom(options.seed ?? 11);
  const network = new SimNetwork({ clock, random });
  const fs = new MemoryFileSystem();
  const namesrv = new NamesrvController({ platform: { clock, random, fs, transport: network.host('10.0.0.1') }, events: sink, node: 'namesrv-1' });
  await namesrv.start(NAMESRV);

  /** Run virtual time until `promise` settles (or throw after `limitMs` of virtual time). */
  const settle = async <T>(promise: Promise<T>, limitMs = 60_000): Promise<T> => {
    let done: { value: T } | undefined;
    let failed: { error: unknown } | undefined;
    promise.then((value) => (done = { value }), (error: unknown) => (failed = { error }));
    await clock.runUntil(() => done !== undefined || failed !== undefined, limitMs);
    if (failed !== undefined) throw failed.error;
    if (done === undefined) throw new Error(`still pending after ${limitMs} ms of virtual time`);
    return done.value;
  };
  /** Run virtual time until `predicate` holds (throws after `limitMs`). */
  const until = async (predicate: () => boolean, what: string, limitMs = 60_000): Promise<void> => {
    await clock.runUntil(predicate, limitMs);
    if (!predicate()) throw new Error(`timed out (virtual ${limitMs} ms) waiting for ${what}`);
  };

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

  // An admin connection, as `mqadmin updateTopic` would use.
  const admin = new RemotingClient({ transport: network.host('10.0.0.9'), clock, events: new NodeEvents(sink, 'admin') });
  /** UPDATE_AND_CREATE_TOPIC with `queueNums` queues on every broker, then wait until the name server routes it. */
  const createTopic = async (topic: string, queueNums: number): Promise<void> => {
    for (const broker of brokers.values()) {
      const request = createRequestCommand(RequestCode.UPDATE_AND_CREATE_TOPIC, {
        topic, defaultTopic: 'TBW102', readQueueNums: queueNums, writeQueueNums: queueNums, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false,
      });
      const response = await settle(admin.invokeSync(`${broker.brokerConfig.brokerIP1}:${broker.brokerConfig.listenPort}`, request, 3000));
      if (response.code !== ResponseCode.SUCCESS) throw new Error(`UPDATE_AND_CREATE_TOPIC ${topic}: ${response.code} ${response.remark}`);
    }
    let routed = false;
    for (let attempt = 0; attempt < 100 && !routed; attempt++) {
      const response = await settle(admin.invokeSync(NAMESRV, createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }), 3000));
      routed = response.code === ResponseCode.SUCCESS;
      if (!routed) await clock.advance(100);
    }
    if (!routed) throw new Error(`no route for ${topic}`);
  };

  let nextHost = 10;
  /** A fresh platform on its own simulated host, with the client IP that goes with it. */
  const clientPlatform = (): { platform: Platform; ip: string } => {
    const ip = `10.0.1.${nextHost++}`;
    return { platform: { clock, random: random.fork(), fs, transport: network.host(ip) }, ip };
  };

  const producer = (node = 'producer-1', group = 'pg') => {
    const { platform, ip } = clientPlatform();
    return new DefaultMQProducer({ platform, events: sink, node, producerGroup: group, namesrvAddr: NAMESRV, clientConfig: { clientIP: ip, pid: 100 + nextHost } });
  };

  const liteConsumer = (node: string, options: Omit<DefaultLitePullConsumerOptions, 'platform' | 'events'> = {}) => {
    const { platform, ip } = clientPlatform();
    return new DefaultLitePullConsumer({ platform, events: sink, node, namesrvAddr: NAMESRV, ...options, clientConfig: { clientIP: ip, pid: 100 + nextHost, ...options.clientConfig } });
  };

  const pushConsumer = (node: string, options: Omit<DefaultMQPushConsumerOptions, 'platform' | 'events'>) => {
    const { platform, ip } = clientPlatform();
    return new DefaultMQPushConsumer({ platform, events: sink, node, namesrvAddr: NAMESRV, ...options, clientConfig: { clientIP: ip, pid: 100 + nextHost, ...options.clientConfig } });
  };

  const shutdown = async () => {
    admin.shutdown();
    for (const broker of brokers.values()) await settle(broker.shutdown());
    await settle(namesrv.shutdown());
  };

  return { clock, sink, network, fs, namesrv, brokers, settle, until, createTopic, clientPlatform, producer, liteConsumer, pushConsumer, shutdown };
}

export type SimWorld = Awaited<ReturnType<typeof simWorld>>;

export const utf8 = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** `Message.create(topic, "body-<i>", { tags, keys: key-<i> })`. */
export function bodyMessage(topic: string, i: number, tags = 'TagA'): Message {
  return Message.create(topic, new TextEncoder().encode(`body-${i}`), { tags, keys: `key-${i}` });
}

export function mq(topic: string, queueId: number, brokerName = 'broker-a'): MessageQueue {
  return { topic, brokerName, queueId };
}
