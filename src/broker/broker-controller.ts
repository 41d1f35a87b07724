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
 *   start()      0. a master needs brokerId 0, a slave brokerId > 0  ──► rejects otherwise
 *                1. load topics.json, consumerOffset.json, consumerFilter.json, subscriptionGroup.json (never fails)
 *                2. load the store (recover)                     ──► rejects when it cannot
 *                3. start the store (dispatch, flush, clean; HA: a master accepts slaves on listenPort + 1)
 *                4. listen on listenPort and listenPort - 2 (and wait for the HA port)
 *                5. start long polling, the client scan and, on a master, the transaction check;
 *                   on a slave, the metadata sync from its master (slave/slave-synchronize.ts)
 *                6. register with every name server, and wait for the answers (a slave learns
 *                   its master's address and HA address from them)
 *                7. start the periodic jobs (scheduled-tasks.ts)
 *   shutdown()   1. stop the transaction check, the periodic jobs, long polling and the client scan
 *                2. close both servers
 *                3. unregister from every name server
 *                4. persist offsets, SQL92 filters, topics and groups
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
 * - The role checks of Java's `BrokerStartup` live in `start()`, and refuse instead of fixing:
 *   a master with a brokerId other than 0 does not start (Java sets it to 0). The HA port
 *   is forced to listenPort + 1 here, as `BrokerStartup` does; a slave opens no HA port
 *   (Java's binds one it never uses).
 * - Left out: statistics, fast failure, ACL, the filter server manager, DLedger, changing
 *   role at run time (`changeToMaster`/`changeToSlave`), user RPC hooks (ACL), TLS.
 *
 * @mirrors org.apache.rocketmq.broker.BrokerController
 * @article store-init "Starting a broker"
 * @emits broker.controller.started, broker.controller.stopped, broker.slave.master-updated
 * @category Broker
 * @module
 */
import { assert } from '../common/assert.js';
import {
  defaultBrokerConfig, getBrokerAddr, getFastListenPort, getHAServerAddr, getNamesrvAddrList, getRegisterNameServerPeriod,
  type BrokerConfig,
} from '../common/config/broker-config.js';
import { BrokerRole, defaultMessageStoreConfig, type MessageStoreConfig } from '../common/config/message-store-config.js';
import { isReadable, isWriteable } from '../common/constant/perm-name.js';
import { parseHostAddress } from '../common/message/host-address.js';
import { MASTER_ID } from '../common/mix-all.js';
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
import { getConsumerFilterPath, getConsumerOffsetPath } from './config-manager.js';
import { CommitLogDispatcherCalcBitMap } from './filter/commit-log-dispatcher-calc-bit-map.js';
import { ConsumerFilterManager } from './filter/consumer-filter-manager.js';
import { NotifyMessageArrivingListener } from './longpolling/notify-message-arriving-listener.js';
import { PullRequestHoldService } from './longpolling/pull-request-hold-service.js';
import { ConsumerOffsetManager } from './offset/consumer-offset-manager.js';
import { BrokerOuterAPI, type RegisterBrokerResult } from './out/broker-outer-api.js';
import { AdminBrokerProcessor } from './processor/admin-broker-processor.js';
import { ClientManageProcessor } from './processor/client-manage-processor.js';
import { ConsumerManageProcessor } from './processor/consumer-manage-processor.js';
import { EndTransactionProcessor } from './processor/end-transaction-processor.js';
import { PullMessageProcessor } from './processor/pull-message-processor.js';
import { QueryMessageProcessor } from './processor/query-message-processor.js';
import { SendMessageProcessor } from './processor/send-message-processor.js';
import { registerProcessors, type BrokerProcessors } from './processor-registry.js';
import { brokerScheduledTasks, ScheduledTasks } from './scheduled-tasks.js';
import { SlaveSynchronize } from './slave/slave-synchronize.js';
import { SubscriptionGroupManager } from './subscription/subscription-group-manager.js';
import { TopicConfigManager } from './topic/topic-config-manager.js';
import { DefaultTransactionalMessageCheckListener } from './transaction/default-transactional-message-check-listener.js';
import { TransactionalMessageBridge } from './transaction/transactional-message-bridge.js';
import { TransactionalMessageCheckService } from './transaction/transactional-message-check-service.js';
import { TransactionalMessageServiceImpl } from './transaction/transactional-message-service.js';

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
  /** SQL92 filters registered by heartbeats (`config/consumerFilter.json`). */
  readonly consumerFilterManager: ConsumerFilterManager;
  readonly consumerManager: ConsumerManager;
  readonly producerManager: ProducerManager;
  readonly rebalanceLockManager: RebalanceLockManager;
  readonly pullRequestHoldService: PullRequestHoldService;
  readonly clientHousekeepingService: ClientHousekeepingService;
  readonly broker2Client: Broker2Client;
  readonly brokerOuterAPI: BrokerOuterAPI;
  /** Half messages, op records and END_TRANSACTION lookups. */
  readonly transactionalMessageService: TransactionalMessageServiceImpl;
  /** Asks producers about undecided half messages; runs on a master only. */
  readonly transactionalMessageCheckService: TransactionalMessageCheckService;
  /** A slave's copy of its master's topics, offsets, delay offsets and groups; runs on a slave only. */
  readonly slaveSynchronize: SlaveSynchronize;
  readonly remotingServer: RemotingServer;
  /** The VIP server on `listenPort - 2`. */
  readonly fastRemotingServer: RemotingServer;
  readonly processors: BrokerProcessors;
  private readonly scheduledTasks: ScheduledTasks;
  /** The HA address this slave replicates from; while it comes from `haMasterAddress`, registrations do not change it. */
  private haMasterAddress: string | undefined;
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

    storeConfig.haListenPort = brokerConfig.listenPort + 1; // Java: BrokerStartup overwrites whatever was configured
    const haListen = storeConfig.brokerRole === BrokerRole.SLAVE ? {} : { haListenAddress: `0.0.0.0:${storeConfig.haListenPort}` };
    this.messageStore = options.store ?? new DefaultMessageStore({ fs, clock, events, config: storeConfig, storeHost: getBrokerAddr(brokerConfig), transport, ...haListen });
    this.topicConfigManager = new TopicConfigManager({ fs, clock, events, storePathRootDir: root, brokerConfig });
    this.subscriptionGroupManager = new SubscriptionGroupManager({ fs, clock, events, storePathRootDir: root, brokerConfig });
    this.consumerOffsetManager = new ConsumerOffsetManager({ fs, configPath: getConsumerOffsetPath(root), events });
    this.consumerFilterManager = new ConsumerFilterManager({ fs, configPath: getConsumerFilterPath(root), clock, events });
    // Java: the bit map is m bits long; and CalcBitMap goes first, before load(), so recovery's replay computes bit maps too.
    storeConfig.bitMapLengthConsumeQueueExt = this.consumerFilterManager.bloomFilter.m;
    if (brokerConfig.enableCalcFilterBitMap && this.messageStore instanceof DefaultMessageStore) {
      this.messageStore.dispatcherList.unshift(new CommitLogDispatcherCalcBitMap({ brokerConfig, consumerFilterManager: this.consumerFilterManager }));
    }
    this.remotingServer = new RemotingServer({ transport, clock, events, config: options.remotingServerConfig ?? {} });
    this.fastRemotingServer = new RemotingServer({ transport, clock, events, config: options.remotingServerConfig ?? {} });
    this.broker2Client = new Broker2Client({ remotingServer: this.eitherServer() });
    const consumerIdsChangeListener = new DefaultConsumerIdsChangeListener({
      broker2Client: this.broker2Client, brokerConfig, events, consumerFilterManager: this.consumerFilterManager,
    });
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
    this.slaveSynchronize = new SlaveSynchronize({
      clock, events, brokerAddr: getBrokerAddr(brokerConfig), brokerOuterAPI: this.brokerOuterAPI, topicConfigManager: this.topicConfigManager,
      consumerOffsetManager: this.consumerOffsetManager, subscriptionGroupManager: this.subscriptionGroupManager,
      scheduleMessageService: this.messageStore.scheduleMessageService,
    });

    const { messageStore, topicConfigManager, subscriptionGroupManager, consumerOffsetManager, consumerManager, producerManager } = this;
    const bridge = new TransactionalMessageBridge({ messageStore, topicConfigManager, consumerOffsetManager, brokerConfig, clock, random, events });
    this.transactionalMessageService = new TransactionalMessageServiceImpl({ bridge, clock, events, fileReservedTime: storeConfig.fileReservedTime });
    this.transactionalMessageCheckService = new TransactionalMessageCheckService({
      clock, brokerConfig, transactionalMessageService: this.transactionalMessageService,
      listener: new DefaultTransactionalMessageCheckListener({ producerManager, broker2Client: this.broker2Client, messageStore, topicConfigManager, random, events }),
    });
    this.processors = {
      send: new SendMessageProcessor({
        messageStore, topicConfigManager, subscriptionGroupManager, brokerConfig, maxMessageSize: storeConfig.maxMessageSize, clock, random, events,
      }),
      pull: new PullMessageProcessor({
        brokerConfig, storeConfig, messageStore, topicConfigManager, subscriptionGroupManager, consumerManager, consumerOffsetManager,
        pullRequestHoldService: this.pullRequestHoldService, clock, events, consumerFilterManager: this.consumerFilterManager,
      }),
      query: new QueryMessageProcessor({ messageStore, storeConfig }),
      clientManage: new ClientManageProcessor({ consumerManager, producerManager, topicConfigManager, subscriptionGroupManager, brokerConfig, clock, events }),
      consumerManage: new ConsumerManageProcessor({ consumerManager, consumerOffsetManager, messageStore, events }),
      endTransaction: new EndTransactionProcessor({ storeConfig, messageStore, transactionalMessageService: this.transactionalMessageService, events }),
      admin: new AdminBrokerProcessor({
        brokerConfig, storeConfig, messageStore, topicConfigManager, subscriptionGroupManager, consumerOffsetManager, consumerManager, producerManager,
        rebalanceLockManager: this.rebalanceLockManager, clock, events, remotingServer: this.eitherServer(),
        remotingVersion: this.remotingServer.config.version, bootTimestamp: clock.now(), diskSpace: (path) => fs.diskSpace(path),
        scheduleMessageService: messageStore.scheduleMessageService,
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
      persistConsumerFilters: () => this.consumerFilterManager.persist(),
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
    const slave = this.storeConfig.brokerRole === BrokerRole.SLAVE;
    if (slave ? brokerConfig.brokerId <= MASTER_ID : brokerConfig.brokerId !== MASTER_ID) {
      const rule = slave ? 'a SLAVE needs a brokerId > 0' : `a ${this.storeConfig.brokerRole} needs brokerId 0`;
      throw new BrokerStartError(`${rule}, but brokerId is ${brokerConfig.brokerId}`);
    }
    this.topicConfigManager.load();
    this.consumerOffsetManager.load();
    this.consumerFilterManager.load();
    this.subscriptionGroupManager.load();
    if (!this.messageStore.load()) throw new BrokerStartError(`the message store in ${this.storeConfig.storePathRootDir} failed to load`);
    this.messageStore.start();
    try {
      await this.remotingServer.start(`0.0.0.0:${brokerConfig.listenPort}`);
      await this.fastRemotingServer.start(`0.0.0.0:${getFastListenPort(brokerConfig)}`);
      if (this.messageStore instanceof DefaultMessageStore) await this.messageStore.haService?.listening;
    } catch (error) {
      await this.closeServers();
      this.messageStore.shutdown();
      throw new BrokerStartError(`cannot listen: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    this.brokerOuterAPI.updateNameServerAddressList(getNamesrvAddrList(brokerConfig).join(';'));
    this.pullRequestHoldService.start();
    this.clientHousekeepingService.start();
    if (this.storeConfig.brokerRole !== BrokerRole.SLAVE) this.transactionalMessageCheckService.start(); // Java: startProcessorByHa
    this.stopListening = [this.remotingServer, this.fastRemotingServer].map((server) => this.clientHousekeepingService.listenTo(server));
    this.running = true;
    if (slave) this.followMaster(this.storeConfig.haMasterAddress, undefined, 'config');
    if (slave) this.slaveSynchronize.start(); // Java: handleSlaveSynchronize, before the first registration
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
    this.transactionalMessageCheckService.shutdown();
    this.scheduledTasks.shutdown();
    this.slaveSynchronize.shutdown();
    this.pullRequestHoldService.shutdown();
    this.clientHousekeepingService.shutdown();
    for (const stop of this.stopListening) stop();
    await this.closeServers();
    await this.brokerOuterAPI.unregisterBrokerAll(brokerConfig.brokerClusterName, getBrokerAddr(brokerConfig), brokerConfig.brokerName, brokerConfig.brokerId);
    this.brokerOuterAPI.shutdown();
    this.consumerOffsetManager.persist();
    this.consumerFilterManager.persist();
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
    const first = results[0];
    if (first !== undefined && this.running && this.storeConfig.brokerRole === BrokerRole.SLAVE) this.followRegisterResult(first);
    const kvTable = first?.kvTable;
    if (checkOrderConfig && kvTable !== undefined && this.running) this.topicConfigManager.updateOrderTopicConfig(kvTable.table);
  }

  /**
   * A slave's part of Java `doRegisterBrokerAll`: the first answer names the master (for
   * the metadata sync) and its HA address, which the store's HA client follows unless
   * `haMasterAddress` was configured (Java `updateMasterHAServerAddrPeriodically`).
   */
  private followRegisterResult(result: RegisterBrokerResult): void {
    const configured = (this.storeConfig.haMasterAddress ?? '').length >= 6;
    this.followMaster(configured ? undefined : result.haServerAddr, result.masterAddr ?? null, 'register');
  }

  /** Point the HA client and the sync at a master (`masterAddr` undefined: keep it); one event when anything changed. */
  private followMaster(haMasterAddress: string | undefined, masterAddr: string | null | undefined, via: 'register' | 'config'): void {
    const haChanged = haMasterAddress !== undefined && haMasterAddress !== '' && haMasterAddress !== this.haMasterAddress;
    const masterChanged = masterAddr !== undefined && (masterAddr ?? undefined) !== this.slaveSynchronize.masterAddr;
    if (masterAddr !== undefined) this.slaveSynchronize.masterAddr = masterAddr ?? undefined;
    if (haChanged) {
      this.haMasterAddress = haMasterAddress;
      if (this.messageStore instanceof DefaultMessageStore) this.messageStore.updateHaMasterAddress(haMasterAddress);
    }
    if (!haChanged && !masterChanged) return;
    this.events.emit('broker.slave.master-updated', {
      masterAddr: this.slaveSynchronize.masterAddr ?? null, haMasterAddress: haChanged ? haMasterAddress : null, via,
    }, { flow: 'ha' });
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
