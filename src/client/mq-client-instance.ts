/**
 * MQClientInstance: the per-process client hub every producer and consumer shares.
 *
 * One process usually runs one instance however many producers and consumers it creates:
 * they share its connections (one RemotingClient), its route cache, its broker address
 * table and its timers. The instance keeps four tables and three loops:
 *
 * ```
 *   producerTable   group -> producer        topicRouteTable    topic -> TopicRouteData
 *   consumerTable   group -> consumer        brokerAddrTable    brokerName -> {brokerId -> addr}
 *                                            brokerVersionTable brokerName -> {addr -> version}
 *
 *   every pollNameServerInterval (30 s)       route refresh for every topic in use:
 *                                             producers get publish queues, consumers subscribe queues
 *   every heartbeatBrokerInterval (30 s)      drop brokers no route mentions, then HEART_BEAT to
 *                                             masters (to all addresses when there are consumers)
 *   every persistConsumerOffsetInterval (5 s) each consumer's persistConsumerOffset()
 *   RebalanceService (20 s, or at once)       each consumer's doRebalance()
 * ```
 *
 * Brokers call back on the same connections (NOTIFY_CONSUMER_IDS_CHANGED,
 * CHECK_TRANSACTION_STATE, ...); `ClientRemotingProcessor` answers those and ends up here.
 *
 * Differences from RocketMQ 4.9.x:
 * - No lock around route updates and heartbeats: heartbeats are chained so two never overlap.
 * - The RebalanceService is attached by the consumer side (`setRebalanceService`); without
 *   one, `rebalanceImmediately()` calls `doRebalance()` directly.
 * - No admin-ext table, no pull-message service here (the push consumer owns its own), no
 *   filter-server upload, no thread-pool adjustment.
 *
 * @mirrors org.apache.rocketmq.client.impl.factory.MQClientInstance
 * @article send-receive "The client instance"
 * @emits client.route.updated, client.heartbeat.sent
 * @category Client
 * @module
 */
import { parseIPv4, parseIPv6 } from '../common/message/host-address.js';
import { MessageClientIDSetter } from '../common/message/message-id.js';
import { CLIENT_INNER_PRODUCER_GROUP, MASTER_ID } from '../common/mix-all.js';
import type { MessageQueue } from '../common/protocol/body/message-queue-keyed-map.js';
import type { HeartbeatData } from '../common/protocol/heartbeat/heartbeat-data.js';
import type { TopicRouteData } from '../common/protocol/route/topic-route-data.js';
import { NodeEvents, type EventSink } from '../events/event-sink.js';
import type { Platform } from '../platform/platform.js';
import { RemotingClient } from '../remoting/remoting-client.js';
import type { RemotingClientConfig } from '../remoting/remoting-config.js';
import { buildMQClientId, namesrvAddrList, type ClientConfig } from './client-config.js';
import { ClientRemotingProcessor } from './client-remoting-processor.js';
import { ClientScheduledTask } from './client-scheduled-task.js';
import { buildHeartbeatData, checkSubscriptionsInBroker } from './client-registration.js';
import type { MQClientManager } from './mq-client-manager.js';
import { MQClientAPIImpl } from './mq-client-api.js';
import type { MQConsumerInner } from './mq-consumer-inner.js';
import { DefaultMQProducer } from './producer/default-mq-producer.js';
import type { MQProducerInner } from './producer/mq-producer-inner.js';
import { capQueueNums, messageQueueName, topicRouteData2TopicPublishInfo, topicRouteData2TopicSubscribeInfo, topicRouteDataChanged } from './route/topic-route-conversion.js';

export type { MQConsumerInner } from './mq-consumer-inner.js';
export type { MQProducerInner } from './producer/mq-producer-inner.js';

export interface MQClientInstanceOptions {
  platform: Platform;
  events: EventSink;
  /** The node name events carry (e.g. `producer-1`). */
  node: string;
  clientConfig: ClientConfig;
  /** @defaultValue `buildMQClientId(clientConfig)` */
  clientId?: string;
  /** Remoting settings (timeouts, permits). */
  remotingConfig?: Partial<RemotingClientConfig>;
  /** The registry to leave at shutdown. */
  manager?: MQClientManager;
}

/** Where to send a pull or an offset call (Java `FindBrokerResult`). */
export interface FindBrokerResult {
  brokerAddr: string;
  slave: boolean;
  /** The broker's version from its last heartbeat answer; 0 when unknown. */
  brokerVersion: number;
}

/** What the consumer side's RebalanceService offers the instance. */
export interface RebalanceServiceHandle {
  start(): void;
  shutdown(): void;
  /** Rebalance as soon as possible. */
  wakeup(): void;
}

/** Java `ServiceState`. */
export type ServiceState = 'CREATE_JUST' | 'RUNNING' | 'SHUTDOWN_ALREADY' | 'START_FAILED';

/** The TBW102 lookup parameters of the producer asking (Java passes the producer itself). */
export interface DefaultTopicRouteRequest {
  createTopicKey: string;
  defaultTopicQueueNums: number;
}

export class MQClientInstance {
  readonly clientId: string;
  readonly clientConfig: ClientConfig;
  readonly platform: Platform;
  readonly events: NodeEvents;
  readonly node: string;
  readonly remotingClient: RemotingClient;
  readonly mqClientAPIImpl: MQClientAPIImpl;
  /** UNIQ_KEY generator shared by every producer of this instance. */
  readonly messageClientIDSetter: MessageClientIDSetter;
  /** The inner producer (`CLIENT_INNER_PRODUCER`) consumers use to re-send failed messages. */
  readonly defaultMQProducer: DefaultMQProducer;
  readonly topicRouteTable = new Map<string, TopicRouteData>();
  readonly brokerAddrTable = new Map<string, Map<number, string>>();
  readonly brokerVersionTable = new Map<string, Map<string, number>>();
  private readonly producerTable = new Map<string, MQProducerInner>();
  private readonly consumerTable = new Map<string, MQConsumerInner>();
  private readonly lastRouteErrors = new Map<string, Error>();
  private readonly tasks: ClientScheduledTask[];
  private readonly manager: MQClientManager | undefined;
  private rebalanceService: RebalanceServiceHandle | undefined;
  private heartbeatChain: Promise<void> = Promise.resolve();
  private state: ServiceState = 'CREATE_JUST';

  constructor(options: MQClientInstanceOptions) {
    this.platform = options.platform;
    this.clientConfig = options.clientConfig;
    this.clientId = options.clientId ?? buildMQClientId(options.clientConfig);
    this.node = options.node;
    this.events = new NodeEvents(options.events, options.node);
    this.manager = options.manager;
    const { clock, random, transport } = options.platform;
    this.remotingClient = new RemotingClient({
      transport,
      clock,
      events: this.events.withLane('remoting'),
      config: { language: options.clientConfig.language, ...options.remotingConfig },
    });
    this.mqClientAPIImpl = new MQClientAPIImpl({ remotingClient: this.remotingClient, random, namesrvAddrs: namesrvAddrList(options.clientConfig.namesrvAddr) });
    new ClientRemotingProcessor(this).registerWith(this.remotingClient);
    const ip = parseIPv4(options.clientConfig.clientIP) ?? parseIPv6(options.clientConfig.clientIP);
    this.messageClientIDSetter = new MessageClientIDSetter({ clock, random, pid: options.clientConfig.pid, ...(ip === undefined ? {} : { ip }) });
    this.defaultMQProducer = new DefaultMQProducer({
      platform: options.platform,
      events: options.events,
      node: options.node,
      producerGroup: CLIENT_INNER_PRODUCER_GROUP,
      clientInstance: this,
    });
    const config = options.clientConfig;
    this.tasks = [
      new ClientScheduledTask(clock, 'updateTopicRouteInfoFromNameServer', 10, config.pollNameServerInterval, () => this.updateTopicRouteInfoFromNameServer()),
      new ClientScheduledTask(clock, 'sendHeartbeatToAllBroker', 1000, config.heartbeatBrokerInterval, () => {
        this.cleanOfflineBroker();
        return this.sendHeartbeatToAllBrokerWithLock();
      }),
      new ClientScheduledTask(clock, 'persistAllConsumerOffset', 10_000, config.persistConsumerOffsetInterval, () => this.persistAllConsumerOffset()),
    ];
  }

  get serviceState(): ServiceState {
    return this.state;
  }

  /** Start the timers and the inner producer (Java: `start`). Starting twice does nothing. */
  start(): void {
    if (this.state !== 'CREATE_JUST') return;
    this.state = 'RUNNING';
    for (const task of this.tasks) task.start();
    this.rebalanceService?.start();
    this.defaultMQProducer.startForInstance();
  }

  /**
   * Stop, unless producers (besides the inner one) or consumers are still registered: they
   * share this instance and will call shutdown again when they leave (Java does the same).
   */
  async shutdown(): Promise<void> {
    if (this.consumerTable.size > 0 || this.producerTable.size > 1) return;
    if (this.state !== 'RUNNING') return;
    this.state = 'SHUTDOWN_ALREADY';
    await this.defaultMQProducer.shutdownForInstance();
    for (const task of this.tasks) task.shutdown();
    this.rebalanceService?.shutdown();
    await this.heartbeatChain;
    this.remotingClient.shutdown();
    this.manager?.removeClientFactory(this.clientId);
  }

  /** Attach the consumer side's RebalanceService; started now if the instance runs. */
  setRebalanceService(service: RebalanceServiceHandle): void {
    if (this.rebalanceService === service) return;
    this.rebalanceService?.shutdown();
    this.rebalanceService = service;
    if (this.state === 'RUNNING') service.start();
  }

  hasRebalanceService(): boolean {
    return this.rebalanceService !== undefined;
  }

  // ---------------------------------------------------------------------------------------
  // Registration.

  /** Register a producer group; false when the group is already taken in this instance. */
  registerProducer(group: string, producer: MQProducerInner): boolean {
    if (this.producerTable.has(group)) return false;
    this.producerTable.set(group, producer);
    return true;
  }

  /** Remove a producer group and tell every broker (UNREGISTER_CLIENT). */
  async unregisterProducer(group: string): Promise<void> {
    this.producerTable.delete(group);
    await this.unregisterClient(group, undefined);
  }

  /** Register a consumer group; false when the group is already taken in this instance. */
  registerConsumer(group: string, consumer: MQConsumerInner): boolean {
    if (this.consumerTable.has(group)) return false;
    this.consumerTable.set(group, consumer);
    return true;
  }

  /** Remove a consumer group and tell every broker (UNREGISTER_CLIENT). */
  async unregisterConsumer(group: string): Promise<void> {
    this.consumerTable.delete(group);
    await this.unregisterClient(undefined, group);
  }

  selectProducer(group: string): MQProducerInner | undefined {
    return this.producerTable.get(group);
  }

  selectConsumer(group: string): MQConsumerInner | undefined {
    return this.consumerTable.get(group);
  }

  /** Every registered consumer (for the processor and the rebalance loop). */
  consumers(): IterableIterator<[string, MQConsumerInner]> {
    return this.consumerTable.entries();
  }

  private async unregisterClient(producerGroup: string | undefined, consumerGroup: string | undefined): Promise<void> {
    const calls: Array<Promise<unknown>> = [];
    for (const addrs of this.brokerAddrTable.values()) {
      for (const addr of addrs.values()) {
        calls.push(this.mqClientAPIImpl.unregisterClient(addr, this.clientId, producerGroup, consumerGroup, this.clientConfig.mqClientApiTimeout).catch(() => undefined));
      }
    }
    await Promise.all(calls);
  }

  // ---------------------------------------------------------------------------------------
  // Routes.

  /**
   * Refresh the route of `topic`, or of every topic any producer or consumer uses when no
   * topic is given. With `defaultTopic`, look up the producer's TBW102 route instead and cap
   * each QueueData to its `defaultTopicQueueNums` (the broker creates the topic on the first
   * send). Resolves to true when the route changed; failures resolve to false (see
   * {@link getLastRouteError}).
   */
  async updateTopicRouteInfoFromNameServer(topic?: string, defaultTopic?: DefaultTopicRouteRequest): Promise<boolean> {
    if (topic === undefined) {
      const results = await Promise.all([...this.topicsInUse()].map((t) => this.updateTopicRouteInfoFromNameServer(t)));
      return results.some((changed) => changed);
    }
    try {
      const changed = await this.updateTopicRoute(topic, defaultTopic);
      this.lastRouteErrors.delete(topic);
      return changed;
    } catch (error) {
      this.lastRouteErrors.set(topic, error instanceof Error ? error : new Error(String(error)));
      return false;
    }
  }

  /** Why the last route refresh of `topic` failed, if it did. */
  getLastRouteError(topic: string): Error | undefined {
    return this.lastRouteErrors.get(topic);
  }

  private async updateTopicRoute(topic: string, defaultTopic: DefaultTopicRouteRequest | undefined): Promise<boolean> {
    const timeoutMs = this.clientConfig.mqClientApiTimeout;
    let route: TopicRouteData | undefined;
    if (defaultTopic !== undefined) {
      route = await this.mqClientAPIImpl.getTopicRouteInfoFromNameServer(defaultTopic.createTopicKey, timeoutMs, true);
      if (route !== undefined) route = capQueueNums(route, defaultTopic.defaultTopicQueueNums);
    } else {
      route = await this.mqClientAPIImpl.getTopicRouteInfoFromNameServer(topic, timeoutMs, true);
    }
    if (route === undefined) return false;
    const changed = topicRouteDataChanged(this.topicRouteTable.get(topic), route) || this.isNeedUpdateTopicRouteInfo(topic);
    if (!changed) return false;
    for (const bd of route.brokerDatas) this.brokerAddrTable.set(bd.brokerName, new Map(bd.brokerAddrs));
    const publishInfo = topicRouteData2TopicPublishInfo(topic, route, this.platform.random);
    publishInfo.haveTopicRouterInfo = true;
    for (const producer of this.producerTable.values()) producer.updateTopicPublishInfo(topic, publishInfo);
    const subscribeInfo = topicRouteData2TopicSubscribeInfo(topic, route);
    for (const consumer of this.consumerTable.values()) consumer.updateTopicSubscribeInfo(topic, subscribeInfo);
    this.topicRouteTable.set(topic, route);
    this.events.emit('client.route.updated', {
      topic,
      writeQueues: publishInfo.messageQueueList.map(messageQueueName),
      readQueues: subscribeInfo.map(messageQueueName),
      fromDefaultTopic: defaultTopic !== undefined,
    }, { flow: 'route' });
    return true;
  }

  /** Topics of every producer's publish list and every consumer's subscriptions. */
  private topicsInUse(): Set<string> {
    const topics = new Set<string>();
    for (const consumer of this.consumerTable.values()) for (const sub of consumer.subscriptions()) topics.add(sub.topic);
    for (const producer of this.producerTable.values()) for (const topic of producer.getPublishTopicList()) topics.add(topic);
    return topics;
  }

  private isNeedUpdateTopicRouteInfo(topic: string): boolean {
    for (const producer of this.producerTable.values()) if (producer.isPublishTopicNeedUpdate(topic)) return true;
    for (const consumer of this.consumerTable.values()) if (consumer.isSubscribeTopicNeedUpdate(topic)) return true;
    return false;
  }

  /** The cached route of `topic`. */
  getTopicRouteData(topic: string): TopicRouteData | undefined {
    return this.topicRouteTable.get(topic);
  }

  /** Java's name for {@link getTopicRouteData}. */
  getAnExistTopicRouteData(topic: string): TopicRouteData | undefined {
    return this.topicRouteTable.get(topic);
  }

  // ---------------------------------------------------------------------------------------
  // Broker addresses.

  /** The master address of `brokerName`. */
  findBrokerAddressInPublish(brokerName: string): string | undefined {
    return this.brokerAddrTable.get(brokerName)?.get(MASTER_ID);
  }

  /**
   * The address of broker `brokerId` of `brokerName`; for a missing slave, the next slave id;
   * unless `onlyThisBroker`, any address of that broker name.
   */
  findBrokerAddressInSubscribe(brokerName: string, brokerId: number, onlyThisBroker: boolean): FindBrokerResult | undefined {
    const map = this.brokerAddrTable.get(brokerName);
    if (map === undefined || map.size === 0) return undefined;
    let brokerAddr = map.get(brokerId);
    let slave = brokerId !== MASTER_ID;
    if (brokerAddr === undefined && slave) brokerAddr = map.get(brokerId + 1);
    if (brokerAddr === undefined && !onlyThisBroker) {
      const first = map.entries().next().value;
      if (first !== undefined) {
        brokerAddr = first[1];
        slave = first[0] !== MASTER_ID;
      }
    }
    if (brokerAddr === undefined) return undefined;
    return { brokerAddr, slave, brokerVersion: this.findBrokerVersion(brokerName, brokerAddr) };
  }

  /** Any address of `brokerName`, the master preferred (Java: `findBrokerAddressInAdmin`). */
  findBrokerAddressInAdmin(brokerName: string): FindBrokerResult | undefined {
    return this.findBrokerAddressInSubscribe(brokerName, MASTER_ID, false);
  }

  /** The version the broker at `addr` reported in its last heartbeat answer; 0 when unknown. */
  findBrokerVersion(brokerName: string, addr: string): number {
    return this.brokerVersionTable.get(brokerName)?.get(addr) ?? 0;
  }

  /** One broker address serving `topic`: a random broker of its route, its master preferred. */
  findBrokerAddrByTopic(topic: string): string | undefined {
    const brokers = this.topicRouteTable.get(topic)?.brokerDatas ?? [];
    if (brokers.length === 0) return undefined;
    const bd = brokers[this.platform.random.int(brokers.length)]!;
    const master = bd.brokerAddrs.get(MASTER_ID);
    if (master !== undefined) return master;
    const addrs = [...bd.brokerAddrs.values()];
    return addrs[this.platform.random.int(Math.max(1, addrs.length))];
  }

  /** The client ids of `group` as a broker of `topic` knows them; undefined when none answers. */
  async findConsumerIdList(topic: string, group: string): Promise<string[] | undefined> {
    let addr = this.findBrokerAddrByTopic(topic);
    if (addr === undefined) {
      await this.updateTopicRouteInfoFromNameServer(topic);
      addr = this.findBrokerAddrByTopic(topic);
    }
    if (addr === undefined) return undefined;
    try {
      return await this.mqClientAPIImpl.getConsumerIdListByGroup(addr, group, this.clientConfig.mqClientApiTimeout);
    } catch {
      return undefined;
    }
  }

  /** Forget broker addresses no cached route mentions any more (Java: `cleanOfflineBroker`). */
  cleanOfflineBroker(): void {
    const live = new Set<string>();
    for (const route of this.topicRouteTable.values()) for (const bd of route.brokerDatas) for (const addr of bd.brokerAddrs.values()) live.add(addr);
    for (const [brokerName, addrs] of this.brokerAddrTable) {
      for (const [id, addr] of addrs) if (!live.has(addr)) addrs.delete(id);
      if (addrs.size === 0) {
        this.brokerAddrTable.delete(brokerName);
        this.brokerVersionTable.delete(brokerName);
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // Heartbeats, offsets, rebalance.

  /** Send one heartbeat round now, after any round still in flight (Java holds a lock). */
  sendHeartbeatToAllBrokerWithLock(): Promise<void> {
    // A round that throws (a consumer whose subscriptions() fails) must not jam the chain.
    this.heartbeatChain = this.heartbeatChain.then(() => this.sendHeartbeatToAllBroker()).catch(() => undefined);
    return this.heartbeatChain;
  }

  private async sendHeartbeatToAllBroker(): Promise<void> {
    const heartbeat = this.prepareHeartbeatData();
    if (heartbeat.producerDataSet.length === 0 && heartbeat.consumerDataSet.length === 0) return;
    const producerGroups = heartbeat.producerDataSet.map((p) => p.groupName);
    const consumerGroups = heartbeat.consumerDataSet.map((c) => c.groupName);
    const calls: Array<Promise<void>> = [];
    for (const [brokerName, addrs] of this.brokerAddrTable) {
      for (const [brokerId, addr] of addrs) {
        // Without consumers only masters need to know us (they route transaction checks).
        if (consumerGroups.length === 0 && brokerId !== MASTER_ID) continue;
        calls.push(this.mqClientAPIImpl.sendHeartbeat(addr, heartbeat, this.clientConfig.mqClientApiTimeout).then(
          (version) => {
            let versions = this.brokerVersionTable.get(brokerName);
            if (versions === undefined) this.brokerVersionTable.set(brokerName, (versions = new Map()));
            versions.set(addr, version);
            this.events.emit('client.heartbeat.sent', { brokerName, brokerId, addr, ok: true, version, producerGroups, consumerGroups });
          },
          () => {
            this.events.emit('client.heartbeat.sent', { brokerName, brokerId, addr, ok: false, producerGroups, consumerGroups });
          },
        ));
      }
    }
    await Promise.all(calls);
  }

  /** The HEART_BEAT body: every producer group and every consumer with its subscriptions. */
  prepareHeartbeatData(): HeartbeatData {
    return buildHeartbeatData(this.clientId, this.consumerTable, this.producerTable.keys());
  }

  /** CHECK_CLIENT_CONFIG for every non-TAG subscription (see {@link checkSubscriptionsInBroker}). */
  checkClientInBroker(): Promise<void> {
    return checkSubscriptionsInBroker(this.consumerTable, (topic) => this.findBrokerAddrByTopic(topic), this.mqClientAPIImpl, this.clientId, this.clientConfig.mqClientApiTimeout);
  }

  /** Every consumer's persistConsumerOffset(); one consumer's failure does not stop the others. */
  async persistAllConsumerOffset(): Promise<void> {
    await Promise.all([...this.consumerTable.values()].map((consumer) => settle(() => consumer.persistConsumerOffset())));
  }

  /** Wake the RebalanceService (or rebalance right away when none is attached). */
  rebalanceImmediately(): void {
    if (this.rebalanceService !== undefined) this.rebalanceService.wakeup();
    else void this.doRebalance();
  }

  /** Every consumer's doRebalance() (the RebalanceService calls this). */
  async doRebalance(): Promise<void> {
    await Promise.all([...this.consumerTable.values()].map((consumer) => settle(() => consumer.doRebalance())));
  }

  /** RESET_CONSUMER_CLIENT_OFFSET from a broker: hand the offsets to the group's consumer. */
  async resetOffset(topic: string, group: string, offsetTable: ReadonlyArray<readonly [MessageQueue, number]>): Promise<void> {
    const consumer = this.consumerTable.get(group);
    if (consumer?.resetOffset === undefined) return;
    await settle(() => consumer.resetOffset!(topic, offsetTable));
  }
}

/** Run `fn`, absorbing a throw or a rejection (background jobs must not fail the loop). */
async function settle(fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch {
    // Java logs and goes on; consumers emit their own events for what failed.
  }
}
