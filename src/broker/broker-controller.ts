/**
 * BrokerController: builds a broker from its parts, starts it and stops it. Nothing else.
 *
 * A broker is a message store with a network front: two remoting servers (the main port
 * and the VIP port two below it) whose processors turn requests into store calls, a few
 * tables kept in JSON files next to the store (topics, subscription groups, consumer
 * offsets), the bookkeeping of connected clients, and a loop that keeps the name servers
 * told about it. This class only wires those parts together; every behaviour lives in them.
 *
 * ```
 *   new BrokerController({ platform, events, node, brokerConfig, storeConfig, store? })
 *                build every part; no IO, no timers
 *   start()      1. load topics.json, consumerOffset.json, subscriptionGroup.json (never fails)
 *                2. load the store (recover)                     ──► rejects when it cannot
 *                3. start the store (dispatch, flush, clean)
 *                4. listen on listenPort and listenPort - 2
 *                5. start long polling and the client scan
 *                6. register with every name server, and wait for the answers
 *                7. start the periodic jobs (scheduled-tasks.ts)
 *   shutdown()   1. stop the periodic jobs, long polling and the client scan
 *                2. close both servers
 *                3. unregister from every name server
 *                4. persist offsets, topics and groups
 *                5. shut the store down (flush; delete the abort file)
 * ```
 *
 * Every topic change (auto-creation on send, an admin update) triggers a one-way
 * registration at once, so a new topic is routable without waiting for the 30 s loop.
 *
 * Differences from RocketMQ 4.9.x:
 * - `initialize()` and `start()` are one `start()`; a corrupt config file does not stop
 *   the broker (see config-manager.ts).
 * - Shutdown unregisters before persisting and stopping the store (Java stops the store
 *   first); the order above is the one that loses nothing if the process dies half-way.
 * - Every answer passes `fitResponseHeader` (an RPC hook, see response-code.ts): a remark is
 *   cut to 4096 characters, and header fields that might not fit the 24-bit header length
 *   turn the answer into SYSTEM_ERROR, so no request can produce an answer too large to write.
 * - Left out: statistics, fast failure, ACL, the filter server manager, DLedger, HA and
 *   slave synchronisation, the transaction check service (issue 7), user RPC hooks (ACL), TLS.
 *
 * @mirrors org.apache.rocketmq.broker.BrokerController
 * @article store-init "Starting a broker"
 * @emits broker.controller.started, broker.controller.stopped
 * @category Broker
 * @module
 */
import { assert } from '../common/assert.js';
import {
  defaultBrokerConfig, getBrokerAddr, getFastListenPort, getHAServerAddr, getNamesrvAddrList, getRegisterNameServerPeriod,
  type BrokerConfig,
} from '../common/config/broker-config.js';
import { defaultMessageStoreConfig, type MessageStoreConfig } from '../common/config/message-store-config.js';
import { isReadable, isWriteable } from '../common/constant/perm-name.js';
import { parseHostAddress } from '../common/message/host-address.js';
import { fitResponseHeader } from '../common/protocol/response-code.js';
import { TopicConfigSerializeWrapper } from '../common/protocol/body/topic-config-serialize-wrapper.js';
import { TopicConfig } from '../common/topic/topic-config.js';
import { NodeEvents, type EventSink } from '../events/event-sink.js';
import type { Platform } from '../platform/platform.js';
import type { Connection } from '../platform/transport.js';
import { RemotingSendRequestError } from '../remoting/errors.js';
import { RemotingClient } from '../remoting/remoting-client.js';
import type { RemotingCommand } from '../remoting/remoting-command.js';
import type { RemotingClientConfig, RemotingServerConfig } from '../remoting/remoting-config.js';
import { RemotingServer } from '../remoting/remoting-server.js';
import { DefaultMessageStore } from '../store/default-message-store.js';
import type { MessageStore } from '../store/message-store.js';
import { Broker2Client } from './client/broker2client.js';
import { ClientHousekeepingService } from './client/client-housekeeping-service.js';
import { DefaultConsumerIdsChangeListener } from './client/consumer-ids-change-listener.js';
import { ConsumerManager } from './client/consumer-manager.js';
import { ProducerManager } from './client/producer-manager.js';
import { RebalanceLockManager } from './client/rebalance-lock-manager.js';
import { getConsumerOffsetPath } from './config-manager.js';
import { NotifyMessageArrivingListener } from './longpolling/notify-message-arriving-listener.js';
import { PullRequestHoldService } from './longpolling/pull-request-hold-service.js';
import { ConsumerOffsetManager } from './offset/consumer-offset-manager.js';
import { BrokerOuterAPI } from './out/broker-outer-api.js';
import { AdminBrokerProcessor } from './processor/admin-broker-processor.js';
import { ClientManageProcessor } from './processor/client-manage-processor.js';
import { ConsumerManageProcessor } from './processor/consumer-manage-processor.js';
import { PullMessageProcessor } from './processor/pull-message-processor.js';
import { QueryMessageProcessor } from './processor/query-message-processor.js';
import { SendMessageProcessor } from './processor/send-message-processor.js';
import { registerProcessors, type BrokerProcessors } from './processor-registry.js';
import { brokerScheduledTasks, ScheduledTasks } from './scheduled-tasks.js';
import { SubscriptionGroupManager } from './subscription/subscription-group-manager.js';
import { TopicConfigManager } from './topic/topic-config-manager.js';

export interface BrokerControllerOptions {
  readonly platform: Platform;
  /** Where this broker's events go. */
  readonly events: EventSink;
  /** The simulated machine name stamped on its events, e.g. `"broker-a"`. */
  readonly node: string;
  /** Overrides of {@link defaultBrokerConfig}; `brokerIP1` must be an IP literal. */
  readonly brokerConfig?: Partial<BrokerConfig>;
  /** Overrides of `defaultMessageStoreConfig()` (or a profile's config). */
  readonly storeConfig?: Partial<MessageStoreConfig>;
  /** A store to use instead of a new `DefaultMessageStore` on the platform's disk. */
  readonly store?: MessageStore;
  /** Settings of both remoting servers. */
  readonly remotingServerConfig?: Partial<RemotingServerConfig>;
  /** Settings of the client that talks to the name servers. */
  readonly remotingClientConfig?: Partial<RemotingClientConfig>;
}

/** The broker could not start (its store failed to load, or a port is taken). */
export class BrokerStartError extends Error {
  override readonly name: string = 'BrokerStartError';
}

export class BrokerController {
  readonly brokerConfig: BrokerConfig;
  readonly storeConfig: MessageStoreConfig;
  readonly events: NodeEvents;
  readonly messageStore: MessageStore;
  readonly topicConfigManager: TopicConfigManager;
  readonly subscriptionGroupManager: SubscriptionGroupManager;
  readonly consumerOffsetManager: ConsumerOffsetManager;
  readonly consumerManager: ConsumerManager;
  readonly producerManager: ProducerManager;
  readonly rebalanceLockManager: RebalanceLockManager;
  readonly pullRequestHoldService: PullRequestHoldService;
  readonly clientHousekeepingService: ClientHousekeepingService;
  readonly broker2Client: Broker2Client;
  readonly brokerOuterAPI: BrokerOuterAPI;
  readonly remotingServer: RemotingServer;
  /** The VIP server on `listenPort - 2`. */
  readonly fastRemotingServer: RemotingServer;
  readonly processors: BrokerProcessors;
  private readonly scheduledTasks: ScheduledTasks;
  private running = false;
  private stopListening: Array<() => void> = [];

  constructor(options: BrokerControllerOptions) {
    const { platform } = options;
    const { clock, fs, random, transport } = platform;
    const brokerConfig = (this.brokerConfig = defaultBrokerConfig(options.brokerConfig));
    const storeConfig = (this.storeConfig = { ...defaultMessageStoreConfig(), ...options.storeConfig });
    assert(parseHostAddress(getBrokerAddr(brokerConfig)) !== undefined, `brokerIP1 must be an IP literal, got "${brokerConfig.brokerIP1}"`);
    const events = (this.events = new NodeEvents(options.events, options.node));
    const root = storeConfig.storePathRootDir;

    this.messageStore = options.store ?? new DefaultMessageStore({ fs, clock, events, config: storeConfig, storeHost: getBrokerAddr(brokerConfig) });
    this.topicConfigManager = new TopicConfigManager({ fs, clock, events, storePathRootDir: root, brokerConfig });
    this.subscriptionGroupManager = new SubscriptionGroupManager({ fs, clock, events, storePathRootDir: root, brokerConfig });
    this.consumerOffsetManager = new ConsumerOffsetManager({ fs, configPath: getConsumerOffsetPath(root), events });
    this.remotingServer = new RemotingServer({ transport, clock, events, config: options.remotingServerConfig ?? {} });
    this.fastRemotingServer = new RemotingServer({ transport, clock, events, config: options.remotingServerConfig ?? {} });
    this.broker2Client = new Broker2Client({ remotingServer: this.eitherServer() });
    const consumerIdsChangeListener = new DefaultConsumerIdsChangeListener({ broker2Client: this.broker2Client, brokerConfig, events });
    this.consumerManager = new ConsumerManager({ clock, events, consumerIdsChangeListener });
    this.producerManager = new ProducerManager({ clock, events });
    this.rebalanceLockManager = new RebalanceLockManager({ clock, events });
    this.pullRequestHoldService = new PullRequestHoldService({ clock, events, messageStore: this.messageStore, brokerConfig });
    this.messageStore.messageArrivingListener = new NotifyMessageArrivingListener(this.pullRequestHoldService);
    this.clientHousekeepingService = new ClientHousekeepingService({ clock, producerManager: this.producerManager, consumerManager: this.consumerManager });
    this.brokerOuterAPI = new BrokerOuterAPI({
      remotingClient: new RemotingClient({ transport, clock, events, config: options.remotingClientConfig ?? {} }),
      events,
    });

    const { messageStore, topicConfigManager, subscriptionGroupManager, consumerOffsetManager, consumerManager, producerManager } = this;
    this.processors = {
      send: new SendMessageProcessor({
        messageStore, topicConfigManager, subscriptionGroupManager, brokerConfig, maxMessageSize: storeConfig.maxMessageSize, clock, random, events,
      }),
      pull: new PullMessageProcessor({
        brokerConfig, storeConfig, messageStore, topicConfigManager, subscriptionGroupManager, consumerManager, consumerOffsetManager,
        pullRequestHoldService: this.pullRequestHoldService, clock, events,
      }),
      query: new QueryMessageProcessor({ messageStore, storeConfig }),
      clientManage: new ClientManageProcessor({ consumerManager, producerManager, topicConfigManager, subscriptionGroupManager, brokerConfig, clock }),
      consumerManage: new ConsumerManageProcessor({ consumerManager, consumerOffsetManager, messageStore, events }),
      admin: new AdminBrokerProcessor({
        brokerConfig, storeConfig, messageStore, topicConfigManager, subscriptionGroupManager, consumerOffsetManager, consumerManager, producerManager,
        rebalanceLockManager: this.rebalanceLockManager, clock, events, remotingServer: this.eitherServer(),
        remotingVersion: this.remotingServer.config.version, bootTimestamp: clock.now(), diskSpace: (path) => fs.diskSpace(path),
      }),
    };
    registerProcessors([this.remotingServer, this.fastRemotingServer], this.processors);
    for (const server of [this.remotingServer, this.fastRemotingServer]) {
      server.registerRPCHook({
        doBeforeRequest: () => undefined,
        doAfterResponse: (_remote, _request, response) => {
          if (response !== null) fitResponseHeader(response);
        },
      });
    }

    this.scheduledTasks = new ScheduledTasks(clock, brokerScheduledTasks({
      flushConsumerOffsetInterval: brokerConfig.flushConsumerOffsetInterval,
      registerNameServerPeriod: getRegisterNameServerPeriod(brokerConfig),
      persistConsumerOffsets: () => this.consumerOffsetManager.persist(),
      registerBrokerAll: () => this.registerBrokerAll(true, false, brokerConfig.forceRegister),
    }));
    // Java: createTopicIn*Method and the admin processor call registerBrokerAll(false, true, true) themselves.
    this.topicConfigManager.onTopicsChanged(() => {
      if (this.running) void this.registerBrokerAll(false, true, true);
    });
  }

  /** Steps 1-7 of the module diagram. Rejects with {@link BrokerStartError} when the store cannot load or a port is taken. */
  async start(): Promise<void> {
    assert(!this.running, 'BrokerController.start() called twice');
    const { brokerConfig } = this;
    this.topicConfigManager.load();
    this.consumerOffsetManager.load();
    this.subscriptionGroupManager.load();
    if (!this.messageStore.load()) throw new BrokerStartError(`the message store in ${this.storeConfig.storePathRootDir} failed to load`);
    this.messageStore.start();
    try {
      await this.remotingServer.start(`0.0.0.0:${brokerConfig.listenPort}`);
      await this.fastRemotingServer.start(`0.0.0.0:${getFastListenPort(brokerConfig)}`);
    } catch (error) {
      await this.closeServers();
      this.messageStore.shutdown();
      throw new BrokerStartError(`cannot listen: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    this.brokerOuterAPI.updateNameServerAddressList(getNamesrvAddrList(brokerConfig).join(';'));
    this.pullRequestHoldService.start();
    this.clientHousekeepingService.start();
    this.stopListening = [this.remotingServer, this.fastRemotingServer].map((server) => this.clientHousekeepingService.listenTo(server));
    this.running = true;
    await this.registerBrokerAll(true, false, true);
    this.scheduledTasks.start();
    const lastExitOK = this.messageStore instanceof DefaultMessageStore ? this.messageStore.lastExitOK : true;
    this.events.emit('broker.controller.started', {
      brokerName: brokerConfig.brokerName, brokerId: brokerConfig.brokerId, cluster: brokerConfig.brokerClusterName,
      addr: getBrokerAddr(brokerConfig), fastAddr: `${brokerConfig.brokerIP1}:${getFastListenPort(brokerConfig)}`,
      topics: this.topicConfigManager.topicConfigTable.size, lastExitOK,
    });
  }

  /** Steps 1-5 of the module diagram. Does nothing when not running. */
  async shutdown(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    const { brokerConfig } = this;
    this.scheduledTasks.shutdown();
    this.pullRequestHoldService.shutdown();
    this.clientHousekeepingService.shutdown();
    for (const stop of this.stopListening) stop();
    await this.closeServers();
    await this.brokerOuterAPI.unregisterBrokerAll(brokerConfig.brokerClusterName, getBrokerAddr(brokerConfig), brokerConfig.brokerName, brokerConfig.brokerId);
    this.brokerOuterAPI.shutdown();
    this.consumerOffsetManager.persist();
    this.topicConfigManager.persist();
    this.subscriptionGroupManager.persist();
    this.messageStore.shutdown();
    this.events.emit('broker.controller.stopped', { brokerName: brokerConfig.brokerName, addr: getBrokerAddr(brokerConfig) });
  }

  /**
   * Send the topic table to every name server (Java `registerBrokerAll`). A broker that is
   * not both readable and writable registers every topic with its own permission, which is
   * how a drained broker disappears from producers' routes. With `checkOrderConfig`, the
   * first answer's ORDER_TOPIC_CONFIG table marks which topics are ordered.
   */
  async registerBrokerAll(checkOrderConfig: boolean, oneway: boolean, forceRegister: boolean): Promise<void> {
    void forceRegister; // Java asks QUERY_DATA_VERSION first when false; we always register (see BrokerOuterAPI)
    const config = this.brokerConfig;
    let wrapper = this.topicConfigManager.buildTopicConfigSerializeWrapper();
    if (!isWriteable(config.brokerPermission) || !isReadable(config.brokerPermission)) {
      const table = new Map<string, TopicConfig>();
      for (const [name, tc] of wrapper.topicConfigTable) table.set(name, new TopicConfig(name, tc.readQueueNums, tc.writeQueueNums, config.brokerPermission));
      wrapper = new TopicConfigSerializeWrapper(table, wrapper.dataVersion);
    }
    const results = await this.brokerOuterAPI.registerBrokerAll({
      clusterName: config.brokerClusterName, brokerAddr: getBrokerAddr(config), brokerName: config.brokerName, brokerId: config.brokerId,
      haServerAddr: getHAServerAddr(config), topicConfigWrapper: wrapper, filterServerList: [], oneway,
      timeoutMills: config.registerBrokerTimeoutMills, compressed: config.compressedRegister,
    });
    const kvTable = results[0]?.kvTable;
    if (checkOrderConfig && kvTable !== undefined && this.running) this.topicConfigManager.updateOrderTopicConfig(kvTable.table);
  }

  private async closeServers(): Promise<void> {
    await this.remotingServer.shutdown();
    await this.fastRemotingServer.shutdown();
  }

  /** One-way requests to a client go out on whichever server its connection came in on. */
  private invokeOnewayOnEitherServer(connection: Connection, request: RemotingCommand): void {
    try {
      this.remotingServer.invokeOneway(connection, request);
    } catch (error) {
      if (!(error instanceof RemotingSendRequestError)) throw error;
      this.fastRemotingServer.invokeOneway(connection, request);
    }
  }

  /** The view of both servers that processors and Broker2Client use to call clients back. */
  private eitherServer(): Pick<RemotingServer, 'invokeOneway'> {
    return { invokeOneway: (connection, request) => this.invokeOnewayOnEitherServer(connection, request) };
  }
}
