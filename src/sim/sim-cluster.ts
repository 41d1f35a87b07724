/**
 * SimCluster: a whole RocketMQ cluster in one process, on virtual time, from a seed.
 *
 * The walkthroughs, the visualizer's fixtures and the crash tests all need the same thing: a
 * real name server, real brokers and real clients, talking the real protocol, but on a
 * clock we move by hand, a network we can cut and a disk that can lose power. Nothing here
 * is a mock: every role is the production class, given simulated ports.
 *
 * ```
 *   SimCluster(seed)
 *     clock    ManualClock              one virtual time for everybody
 *     network  SimNetwork(seed)         latency, loss, partitions, crashed hosts
 *     sink     RecordingSink            every event of every node, in one order
 *
 *     node          host          platform given to it
 *     namesrv-1     10.0.0.1:9876 ProcessClock, fork of the seed, own MemoryFileSystem
 *     broker-a      10.0.0.2:10911 ProcessClock, fork of the seed, own MemoryFileSystem (/broker-a/store)
 *     broker-b      10.0.0.3:10911 ...
 *     producer-1    10.0.1.10     ProcessClock, fork, the clients' MemoryFileSystem
 *     consumer-1    10.0.1.11     ...
 * ```
 *
 * Fault actions, by node name: `crashBroker` / `restartBroker`, `partition` / `heal`,
 * `delayNext` / `dropNext` (the next message between two nodes).
 *
 * A broker owns its disk, so `crashBroker("broker-a")` can cut its power alone: its host
 * vanishes from the network (peers see connection resets), its timers die with its
 * {@link ProcessClock}, and its disk forgets what was not flushed. `restartBroker` then
 * boots a new BrokerController on the same disk and address, which runs recovery exactly
 * as a real restart would.
 *
 * Everything is deterministic: the same seed and the same script give the same event log,
 * byte for byte, on any machine (the golden fixtures depend on it).
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ; it plays the part of a test
 * environment of machines.
 *
 * @article why-read "Reading RocketMQ with a clock you control"
 * @emits sim.node.crashed, sim.node.restarted
 * @category Sim
 * @module
 */
import { BrokerController } from '../broker/broker-controller.js';
import { DefaultLitePullConsumer, type DefaultLitePullConsumerOptions } from '../client/consumer/default-lite-pull-consumer.js';
import { DefaultMQPushConsumer, type DefaultMQPushConsumerOptions } from '../client/consumer/default-mq-push-consumer.js';
import { DefaultMQProducer, type DefaultMQProducerOptions } from '../client/producer/default-mq-producer.js';
import type { BrokerConfig } from '../common/config/broker-config.js';
import type { MessageStoreConfig } from '../common/config/message-store-config.js';
import { messageStoreConfigFor, type ConfigProfile } from '../common/config/profiles.js';
import { RequestCode } from '../common/protocol/request-code.js';
import { ResponseCode } from '../common/protocol/response-code.js';
import { NodeEvents, RecordingSink, type EventSink } from '../events/event-sink.js';
import type { RunHeader } from '../events/event-types.js';
import { NamesrvController } from '../namesrv/namesrv-controller.js';
import type { Platform } from '../platform/platform.js';
import { SeededRandom } from '../platform/random.js';
import { ManualClock } from '../platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../platform/sim/memory-file-system.js';
import { SimNetwork } from '../platform/sim/sim-network.js';
import { RemotingClient } from '../remoting/remoting-client.js';
import { createRequestCommand } from '../remoting/remoting-command.js';
import { ProcessClock } from './process-clock.js';

/** 2023-11-14T22:13:20Z: a fixed epoch, so stored timestamps are the same in every run. */
export const SIM_START_MS = 1_700_000_000_000;
export const SIM_NAMESRV_ADDR = '10.0.0.1:9876';
const BROKER_PORT = 10911;

export interface SimClusterOptions {
  /** Seeds the network's latency and every node's random stream. @defaultValue 1 */
  readonly seed?: number;
  /** Virtual wall-clock time at the start. @defaultValue {@link SIM_START_MS} */
  readonly startMs?: number;
  /** Store profile for brokers: small files that roll often, or RocketMQ's sizes. @defaultValue 'teaching' */
  readonly profile?: ConfigProfile;
  /** Where events go. @defaultValue a new RecordingSink on the cluster clock */
  readonly sink?: EventSink;
  /** One-way network latency range in ms. @defaultValue SimNetwork's default */
  readonly latencyMs?: { readonly min: number; readonly max: number };
}

export interface SimBrokerOptions {
  readonly brokerConfig?: Partial<BrokerConfig>;
  readonly storeConfig?: Partial<MessageStoreConfig>;
}

/** A broker as any cluster (simulated or real) hands it out: its name, address and controller. */
export interface ClusterBroker {
  readonly name: string;
  readonly ip: string;
  readonly addr: string;
  readonly controller: BrokerController;
}

/** One simulated broker process: its controller, its disk and its address. */
export interface SimBroker extends ClusterBroker {
  readonly fs: MemoryFileSystem;
  controller: BrokerController;
  processClock: ProcessClock;
  readonly options: SimBrokerOptions;
}

/** A client host: the platform to build any client with, and its IP. */
export interface SimClientHost {
  readonly ip: string;
  readonly platform: Platform;
  readonly processClock: ProcessClock;
}

/** A node's part in the run, as the run header lists it. */
export type SimRole = RunHeader['nodes'][number]['role'];

export class SimCluster {
  readonly seed: number;
  readonly startMs: number;
  /** Every node started so far and its role, in start order. */
  readonly roles = new Map<string, SimRole>();
  readonly clock: ManualClock;
  readonly network: SimNetwork;
  readonly sink: EventSink;
  readonly random: SeededRandom;
  readonly namesrvAddr = SIM_NAMESRV_ADDR;
  readonly brokers = new Map<string, SimBroker>();
  namesrv: NamesrvController | undefined;
  private readonly profile: ConfigProfile;
  private readonly simEvents: NodeEvents;
  private readonly clientFs: MemoryFileSystem;
  private readonly clients: Array<{ shutdown(): Promise<void> | void }> = [];
  private nextClientHost = 10;
  /** Node name → simulated host (IP), for the fault actions. */
  private readonly hostOfNode = new Map<string, string>([['namesrv-1', '10.0.0.1']]);
  private admin: RemotingClient | undefined;

  constructor(options: SimClusterOptions = {}) {
    this.seed = options.seed ?? 1;
    this.profile = options.profile ?? 'teaching';
    this.startMs = options.startMs ?? SIM_START_MS;
    this.clock = new ManualClock(this.startMs);
    this.random = new SeededRandom(this.seed);
    this.sink = options.sink ?? new RecordingSink(this.clock);
    this.simEvents = new NodeEvents(this.sink, 'sim');
    this.network = new SimNetwork({
      clock: this.clock, random: this.random.fork(), events: this.simEvents,
      ...(options.latencyMs === undefined ? {} : { latencyMs: { ...options.latencyMs } }),
    });
    this.clientFs = new MemoryFileSystem({ clock: this.clock });
  }

  /** The events recorded so far, when the sink is a RecordingSink (the default). */
  get events(): RecordingSink['events'] {
    return this.sink instanceof RecordingSink ? this.sink.events : [];
  }

  /** Start the name server on 10.0.0.1:9876. */
  async startNamesrv(node = 'namesrv-1'): Promise<NamesrvController> {
    const processClock = new ProcessClock(this.clock);
    const platform: Platform = { clock: processClock, random: this.random.fork(), fs: new MemoryFileSystem({ clock: this.clock }), transport: this.network.host('10.0.0.1') };
    const namesrv = new NamesrvController({ platform, events: this.sink, node });
    this.roles.set(node, 'namesrv');
    await this.settle(namesrv.start(SIM_NAMESRV_ADDR));
    this.namesrv = namesrv;
    return namesrv;
  }

  /**
   * Start a broker on the next 10.0.0.x address, registered with the name server. `name` is
   * the node (and, unless `brokerConfig.brokerName` says otherwise, the broker name): a slave
   * of broker-a is e.g. node `broker-a-s` with `{ brokerName: 'broker-a', brokerId: 1 }` and
   * `brokerRole: 'SLAVE'`.
   */
  async startBroker(name: string, options: SimBrokerOptions = {}): Promise<SimBroker> {
    if (this.brokers.has(name)) throw new Error(`broker ${name} exists; use restartBroker`);
    const ip = `10.0.0.${2 + this.brokers.size}`;
    const fs = new MemoryFileSystem({ clock: this.clock });
    const port = options.brokerConfig?.listenPort ?? BROKER_PORT;
    const processClock = new ProcessClock(this.clock);
    const broker: SimBroker = { name, ip, addr: `${ip}:${port}`, fs, options, processClock, controller: this.newBroker(name, ip, fs, processClock, options) };
    this.brokers.set(name, broker);
    this.hostOfNode.set(name, ip);
    this.roles.set(name, broker.controller.storeConfig.brokerRole === 'SLAVE' ? 'broker-slave' : 'broker-master');
    await this.settle(broker.controller.start());
    return broker;
  }

  /**
   * Pull the plug on a broker: its host drops off the network, its timers stop, and its
   * disk loses every byte that was not flushed. Nothing of it runs any more.
   */
  crashBroker(name: string): void {
    const broker = this.broker(name);
    this.network.crashHost(broker.ip);
    broker.processClock.kill();
    broker.fs.crash();
    this.simEvents.emit('sim.node.crashed', { target: name }, { flow: 'fault' });
  }

  /** Boot a new process for a crashed or stopped broker, on the same disk and address. */
  async restartBroker(name: string): Promise<SimBroker> {
    const broker = this.broker(name);
    broker.processClock = new ProcessClock(this.clock);
    broker.controller = this.newBroker(name, broker.ip, broker.fs, broker.processClock, broker.options);
    await this.settle(broker.controller.start());
    this.simEvents.emit('sim.node.restarted', { target: name }, { flow: 'fault' });
    return broker;
  }

  /** Cut the network between two nodes (by node name), both ways, until {@link SimCluster.heal}. */
  partition(a: string, b: string): void {
    this.network.partition(this.hostOf(a), this.hostOf(b));
  }

  /** Restore every cut link. */
  heal(): void {
    this.network.heal();
  }

  /** Hold the next `count` units from node `from` to node `to` for `ms` longer than their latency. */
  delayNext(from: string, to: string, ms: number, count = 1): void {
    this.network.delayNext(this.hostOf(from), this.hostOf(to), ms, count);
  }

  /** Lose the next `count` units from node `from` to node `to`. */
  dropNext(from: string, to: string, count = 1): void {
    this.network.dropNext(this.hostOf(from), this.hostOf(to), count);
  }

  /** The simulated host (IP) of a node started through this cluster. */
  hostOf(node: string): string {
    const host = this.hostOfNode.get(node);
    if (host === undefined) throw new Error(`no node named ${node} (clients built from clientHost() have only their IP)`);
    return host;
  }

  /** Stop a broker cleanly (flush, unregister), as `mqshutdown broker` would. */
  async stopBroker(name: string): Promise<void> {
    const broker = this.broker(name);
    await this.settle(broker.controller.shutdown());
    broker.processClock.kill();
  }

  broker(name: string): SimBroker {
    const broker = this.brokers.get(name);
    if (broker === undefined) throw new Error(`no broker named ${name}`);
    return broker;
  }

  /**
   * Create `topic` with `queues` read and write queues on every master (or the named
   * brokers), then wait until the name server routes it. Slaves refuse topic changes; they
   * copy their master's table (SlaveSynchronize).
   */
  async createTopic(topic: string, queues: number, options: { brokers?: readonly string[]; perm?: number; order?: boolean } = {}): Promise<void> {
    const admin = this.adminClient();
    const names = options.brokers ?? [...this.brokers.keys()].filter((name) => this.roles.get(name) !== 'broker-slave');
    for (const name of names) {
      const request = createRequestCommand(RequestCode.UPDATE_AND_CREATE_TOPIC, {
        topic, defaultTopic: 'TBW102', readQueueNums: queues, writeQueueNums: queues, perm: options.perm ?? 6,
        topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: options.order ?? false,
      });
      const response = await this.settle(admin.invokeSync(this.broker(name).addr, request, 3000));
      if (response.code !== ResponseCode.SUCCESS) throw new Error(`UPDATE_AND_CREATE_TOPIC ${topic} on ${name}: ${response.code} ${response.remark ?? ''}`);
    }
    for (let attempt = 0; attempt < 100; attempt++) {
      const response = await this.settle(admin.invokeSync(SIM_NAMESRV_ADDR, createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }), 3000));
      if (response.code === ResponseCode.SUCCESS) return;
      await this.clock.advance(100);
    }
    throw new Error(`the name server never routed ${topic}`);
  }

  /** A new client host (10.0.1.x) with its own clock view and random stream, for any client class. */
  clientHost(): SimClientHost {
    const ip = `10.0.1.${this.nextClientHost++}`;
    const processClock = new ProcessClock(this.clock);
    return { ip, processClock, platform: { clock: processClock, random: this.random.fork(), fs: this.clientFs, transport: this.network.host(ip) } };
  }

  /** A started DefaultMQProducer on its own host. */
  async producer(group = 'pg', node = 'producer-1', options: Partial<DefaultMQProducerOptions> = {}): Promise<DefaultMQProducer> {
    const host = this.clientHost();
    const producer = new DefaultMQProducer({
      ...options, platform: host.platform, events: this.sink, node, producerGroup: group, namesrvAddr: SIM_NAMESRV_ADDR,
      clientConfig: { clientIP: host.ip, pid: 100, ...options.clientConfig },
    });
    this.roles.set(node, 'producer');
    this.hostOfNode.set(node, host.ip);
    await this.settle(producer.start());
    this.clients.push(producer);
    return producer;
  }

  /** A push consumer on its own host (not started: subscribe and register a listener first). */
  pushConsumer(node: string, options: Omit<DefaultMQPushConsumerOptions, 'platform' | 'events'>): DefaultMQPushConsumer {
    const host = this.clientHost();
    const consumer = new DefaultMQPushConsumer({
      ...options, platform: host.platform, events: this.sink, node, namesrvAddr: SIM_NAMESRV_ADDR,
      clientConfig: { clientIP: host.ip, pid: 1, ...options.clientConfig },
    });
    this.roles.set(node, 'consumer');
    this.hostOfNode.set(node, host.ip);
    this.clients.push(consumer);
    return consumer;
  }

  /** A lite pull consumer on its own host (not started). */
  liteConsumer(node: string, options: Omit<DefaultLitePullConsumerOptions, 'platform' | 'events'>): DefaultLitePullConsumer {
    const host = this.clientHost();
    const consumer = new DefaultLitePullConsumer({
      ...options, platform: host.platform, events: this.sink, node, namesrvAddr: SIM_NAMESRV_ADDR,
      clientConfig: { clientIP: host.ip, pid: 1, ...options.clientConfig },
    });
    this.roles.set(node, 'consumer');
    this.hostOfNode.set(node, host.ip);
    this.clients.push(consumer);
    return consumer;
  }

  /** Remember a client built from {@link SimCluster.clientHost}, so shutdown() stops it and the run header lists it. */
  track<T extends { shutdown(): Promise<void> | void }>(client: T, node: string, role: SimRole): T {
    this.roles.set(node, role);
    this.clients.push(client);
    return client;
  }

  /** The settings actually in force, for the run header: the seed, and each broker's configs. */
  effectiveConfig(): Record<string, unknown> {
    const brokers: Record<string, unknown> = {};
    for (const [name, broker] of this.brokers) {
      brokers[name] = { broker: { ...broker.controller.brokerConfig }, store: { ...broker.controller.storeConfig } };
    }
    return { seed: this.seed, startMs: this.startMs, profile: this.profile, namesrvAddr: SIM_NAMESRV_ADDR, brokers };
  }

  /** Move virtual time until `promise` settles (at most `limitMs`), then return its value. */
  async settle<T>(promise: Promise<T>, limitMs = 60_000): Promise<T> {
    let done: { value: T } | undefined;
    let failed: { error: unknown } | undefined;
    promise.then((value) => (done = { value }), (error: unknown) => (failed = { error }));
    await this.clock.runUntil(() => done !== undefined || failed !== undefined, limitMs);
    if (failed !== undefined) throw failed.error;
    if (done === undefined) throw new Error(`still pending after ${limitMs} ms of virtual time`);
    return done.value;
  }

  /** Move virtual time until `predicate` holds (at most `limitMs`); returns the ms it took. */
  until(predicate: () => boolean, limitMs = 60_000): Promise<number> {
    return this.clock.runUntil(predicate, limitMs);
  }

  /** The cluster's current time in ms (virtual). */
  now(): number {
    return this.clock.now();
  }

  /** Move virtual time forward by `ms`, running every timer due on the way. */
  advance(ms: number): Promise<void> {
    return this.clock.advance(ms);
  }

  /** Stop every client, broker and the name server, in that order. */
  async shutdown(): Promise<void> {
    for (const client of this.clients.splice(0).reverse()) await this.settle(Promise.resolve(client.shutdown()));
    this.admin?.shutdown();
    for (const broker of this.brokers.values()) {
      if (!broker.processClock.killed) await this.settle(broker.controller.shutdown());
    }
    if (this.namesrv !== undefined) await this.settle(this.namesrv.shutdown());
  }

  private newBroker(name: string, ip: string, fs: MemoryFileSystem, clock: ProcessClock, options: SimBrokerOptions): BrokerController {
    return new BrokerController({
      platform: { clock, random: this.random.fork(), fs, transport: this.network.host(ip) },
      events: this.sink,
      node: name,
      brokerConfig: { brokerName: name, brokerIP1: ip, namesrvAddr: SIM_NAMESRV_ADDR, ...options.brokerConfig },
      storeConfig: messageStoreConfigFor(this.profile, { storePathRootDir: `/${name}/store`, ...options.storeConfig }),
    });
  }

  private adminClient(): RemotingClient {
    if (this.admin === undefined) {
      const host = this.clientHost();
      this.admin = new RemotingClient({ transport: host.platform.transport, clock: host.processClock, events: new NodeEvents(this.sink, 'admin') });
    }
    return this.admin;
  }
}
