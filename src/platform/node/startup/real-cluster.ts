/**
 * RealCluster: the walkthroughs' cluster over real TCP on 127.0.0.1, the real disk and the
 * wall clock (`npm run walkthrough -- <name> --real`).
 *
 * It offers what {@link ScenarioCluster} names, so a scenario marked `real: true` runs
 * unchanged on either cluster. Here every node is in this one process, as in `npm start`,
 * but each listens on its own free ports and keeps its files under one temporary directory:
 *
 * ```
 *   SimCluster                          RealCluster
 *   ManualClock, moved by hand          SystemClock: settle/until wait, advance sleeps
 *   SimNetwork, 10.0.x.y hosts          TcpTransport on 127.0.0.1, free ports per node
 *   MemoryFileSystem per node           NodeFileSystem under <tmp>/rocketmq-ts-real-*
 *   same seed ──► same bytes            timings (and so event logs) differ run to run
 * ```
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ.
 *
 * @article why-read "Running it"
 * @category Startup
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokerController } from '../../../broker/broker-controller.js';
import { DefaultLitePullConsumer, type DefaultLitePullConsumerOptions } from '../../../client/consumer/default-lite-pull-consumer.js';
import { DefaultMQPushConsumer, type DefaultMQPushConsumerOptions } from '../../../client/consumer/default-mq-push-consumer.js';
import { DefaultMQProducer, type DefaultMQProducerOptions } from '../../../client/producer/default-mq-producer.js';
import { messageStoreConfigFor } from '../../../common/config/profiles.js';
import { RequestCode } from '../../../common/protocol/request-code.js';
import { ResponseCode } from '../../../common/protocol/response-code.js';
import { NodeEvents, RecordingSink } from '../../../events/event-sink.js';
import { NamesrvController } from '../../../namesrv/namesrv-controller.js';
import { RemotingClient } from '../../../remoting/remoting-client.js';
import { createRequestCommand } from '../../../remoting/remoting-command.js';
import type { ScenarioCluster } from '../../../sim/scenario.js';
import type { ClusterBroker, SimBrokerOptions, SimClientHost, SimRole } from '../../../sim/sim-cluster.js';
import { ProcessClock } from '../../../sim/process-clock.js';
import type { Platform } from '../../platform.js';
import { SeededRandom } from '../../random.js';
import { SystemClock } from '../../system-clock.js';
import { freeBrokerPort, freePort } from '../free-port.js';
import { NodeFileSystem } from '../node-file-system.js';
import { TcpTransport } from '../tcp-transport.js';

export class RealCluster implements ScenarioCluster {
  readonly startMs: number;
  readonly sink: RecordingSink;
  readonly roles = new Map<string, SimRole>();
  namesrvAddr = '';
  private readonly clock = new SystemClock();
  private readonly fs = new NodeFileSystem();
  private readonly dir = mkdtempSync(join(tmpdir(), 'rocketmq-ts-real-'));
  private readonly brokers = new Map<string, ClusterBroker>();
  private readonly clients: Array<{ shutdown(): Promise<void> | void }> = [];
  private namesrv: NamesrvController | undefined;
  private nextPid = 100;
  private seed = 1;

  constructor() {
    this.startMs = this.clock.now();
    this.sink = new RecordingSink(this.clock);
  }

  get events(): RecordingSink['events'] {
    return this.sink.events;
  }

  private platform(): Platform {
    return { clock: this.clock, random: new SeededRandom(this.seed++), fs: this.fs, transport: new TcpTransport() };
  }

  async startNamesrv(node = 'namesrv-1'): Promise<NamesrvController> {
    this.namesrvAddr = `127.0.0.1:${await freePort()}`;
    const namesrv = new NamesrvController({ platform: this.platform(), events: this.sink, node, config: { kvConfigPath: join(this.dir, node, 'kvConfig.json') } });
    this.roles.set(node, 'namesrv');
    await namesrv.start(this.namesrvAddr);
    this.namesrv = namesrv;
    return namesrv;
  }

  async startBroker(name: string, options: SimBrokerOptions = {}): Promise<ClusterBroker> {
    const port = await freeBrokerPort();
    const controller = new BrokerController({
      platform: this.platform(), events: this.sink, node: name,
      brokerConfig: { brokerName: name, brokerIP1: '127.0.0.1', listenPort: port, namesrvAddr: this.namesrvAddr, ...options.brokerConfig },
      storeConfig: messageStoreConfigFor('teaching', { storePathRootDir: join(this.dir, name), ...options.storeConfig }),
    });
    const broker: ClusterBroker = { name, ip: '127.0.0.1', addr: `127.0.0.1:${port}`, controller };
    this.brokers.set(name, broker);
    this.roles.set(name, 'broker-master');
    await controller.start();
    return broker;
  }

  async createTopic(topic: string, queues: number, options: { brokers?: readonly string[]; perm?: number; order?: boolean } = {}): Promise<void> {
    const host = this.clientHost();
    const admin = new RemotingClient({ transport: host.platform.transport, clock: this.clock, events: new NodeEvents(this.sink, 'admin') });
    try {
      for (const name of options.brokers ?? [...this.brokers.keys()]) {
        const request = createRequestCommand(RequestCode.UPDATE_AND_CREATE_TOPIC, {
          topic, defaultTopic: 'TBW102', readQueueNums: queues, writeQueueNums: queues, perm: options.perm ?? 6,
          topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: options.order ?? false,
        });
        const response = await admin.invokeSync(this.brokers.get(name)!.addr, request, 3000);
        if (response.code !== ResponseCode.SUCCESS) throw new Error(`UPDATE_AND_CREATE_TOPIC ${topic} on ${name}: ${response.code}`);
      }
      // The broker's one-way registration must reach the name server before clients ask for routes.
      for (let attempt = 0; ; attempt++) {
        const route = await admin.invokeSync(this.namesrvAddr, createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }), 3000);
        if (route.code === ResponseCode.SUCCESS) break;
        if (attempt === 100) throw new Error(`the name server never routed ${topic}`);
        await this.advance(20);
      }
    } finally {
      admin.shutdown();
    }
  }

  clientHost(): SimClientHost {
    const processClock = new ProcessClock(this.clock);
    return { ip: '127.0.0.1', processClock, platform: { clock: processClock, random: new SeededRandom(this.seed++), fs: this.fs, transport: new TcpTransport() } };
  }

  async producer(group = 'pg', node = 'producer-1', options: Partial<DefaultMQProducerOptions> = {}): Promise<DefaultMQProducer> {
    const host = this.clientHost();
    const producer = new DefaultMQProducer({
      ...options, platform: host.platform, events: this.sink, node, producerGroup: group, namesrvAddr: this.namesrvAddr,
      clientConfig: { clientIP: host.ip, pid: this.nextPid++, ...options.clientConfig },
    });
    this.roles.set(node, 'producer');
    await producer.start();
    this.clients.push(producer);
    return producer;
  }

  pushConsumer(node: string, options: Omit<DefaultMQPushConsumerOptions, 'platform' | 'events'>): DefaultMQPushConsumer {
    const host = this.clientHost();
    const consumer = new DefaultMQPushConsumer({
      ...options, platform: host.platform, events: this.sink, node, namesrvAddr: this.namesrvAddr,
      clientConfig: { clientIP: host.ip, pid: this.nextPid++, ...options.clientConfig },
    });
    this.roles.set(node, 'consumer');
    this.clients.push(consumer);
    return consumer;
  }

  liteConsumer(node: string, options: Omit<DefaultLitePullConsumerOptions, 'platform' | 'events'>): DefaultLitePullConsumer {
    const host = this.clientHost();
    const consumer = new DefaultLitePullConsumer({
      ...options, platform: host.platform, events: this.sink, node, namesrvAddr: this.namesrvAddr,
      clientConfig: { clientIP: host.ip, pid: this.nextPid++, ...options.clientConfig },
    });
    this.roles.set(node, 'consumer');
    this.clients.push(consumer);
    return consumer;
  }

  track<T extends { shutdown(): Promise<void> | void }>(client: T, node: string, role: SimRole): T {
    this.roles.set(node, role);
    this.clients.push(client);
    return client;
  }

  async settle<T>(promise: Promise<T>, limitMs = 60_000): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still pending after ${limitMs} ms`)), limitMs);
    });
    try {
      return await Promise.race([promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async until(predicate: () => boolean, limitMs = 60_000): Promise<number> {
    const started = Date.now();
    while (!predicate()) {
      if (Date.now() - started > limitMs) throw new Error(`condition not met within ${limitMs} ms`);
      await new Promise((resolveWait) => setTimeout(resolveWait, 5));
    }
    return Date.now() - started;
  }

  advance(ms: number): Promise<void> {
    return new Promise((resolveWait) => setTimeout(resolveWait, Math.max(0, ms)));
  }

  now(): number {
    return this.clock.now();
  }

  effectiveConfig(): Record<string, unknown> {
    const brokers: Record<string, unknown> = {};
    for (const [name, broker] of this.brokers) brokers[name] = { broker: { ...broker.controller.brokerConfig }, store: { ...broker.controller.storeConfig } };
    return { mode: 'real TCP and disk', namesrvAddr: this.namesrvAddr, dir: this.dir, brokers };
  }

  async shutdown(): Promise<void> {
    for (const client of this.clients.splice(0).reverse()) await client.shutdown();
    for (const broker of this.brokers.values()) await broker.controller.shutdown();
    await this.namesrv?.shutdown();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
