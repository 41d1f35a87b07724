/**
 * NamesrvController: builds a name server from its parts, starts it and stops it.
 *
 * A name server is small: a remoting server on port 9876, one processor that answers
 * everything, the route tables, a key-value store, and two ways of noticing that a broker
 * is gone (its connection closing, and a scan every 10 s for brokers silent longer than
 * 120 s). Name servers never talk to each other: every broker registers with every name
 * server, so each holds the same tables independently, and any one of them can answer a
 * client.
 *
 * ```
 *   new NamesrvController({ platform, events, node, config })   build; no timers, no IO
 *   start(address)   1. load kvConfig.json
 *                    2. watch connection closes (BrokerHousekeepingService)
 *                    3. schedule scanNotActiveBroker: first after 5 s, then every 10 s
 *                    4. listen                                       ──► the bound address
 *   shutdown()       1. stop the scan   2. stop watching closes   3. close the server
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - `initialize()` and `start()` are one `start()`; `printAllPeriodically` (a log dump every
 *   10 minutes) is not scheduled.
 * - No TLS file watcher, no `Configuration` object, no cluster-test processor.
 * - The housekeeping listener is detached before the server closes its connections, so a
 *   shutdown does not report every broker as gone.
 * - Every answer passes `fitResponseHeader` (an RPC hook, see response-code.ts): a remark is
 *   cut to 4096 characters, and header fields that might not fit the 24-bit header length
 *   turn the answer into SYSTEM_ERROR, so no request can produce an answer too large to write.
 *
 * @mirrors org.apache.rocketmq.namesrv.NamesrvController
 * @article namesrv "Starting a name server"
 * @category Namesrv
 * @module
 */
import { assert } from '../common/assert.js';
import { fitResponseHeader } from '../common/protocol/response-code.js';
import { Service } from '../common/service.js';
import { NodeEvents, type EventSink } from '../events/event-sink.js';
import type { Clock } from '../platform/clock.js';
import type { Platform } from '../platform/platform.js';
import { RemotingServer } from '../remoting/remoting-server.js';
import { BrokerHousekeepingService } from './broker-housekeeping-service.js';
import { DefaultRequestProcessor } from './default-request-processor.js';
import { KVConfigManager } from './kv-config-manager.js';
import { namesrvConfig, type NamesrvConfig } from './namesrv-config.js';
import { RouteInfoManager } from './route-info-manager.js';

export interface NamesrvControllerOptions {
  platform: Platform;
  /** Where this name server's events go. */
  events: EventSink;
  /** The simulated machine name stamped on its events, e.g. `"namesrv-1"`. */
  node: string;
  config?: Partial<NamesrvConfig>;
}

/** Java's `scheduleAtFixedRate(routeInfoManager::scanNotActiveBroker, 5, 10, SECONDS)`. */
class ScanNotActiveBrokerService extends Service {
  constructor(clock: Clock, private readonly routes: RouteInfoManager, private readonly intervalMs: number) {
    super(clock, 'ScanNotActiveBroker');
  }

  protected onTick(): number {
    this.routes.scanNotActiveBroker();
    return this.intervalMs;
  }
}

export class NamesrvController {
  readonly config: NamesrvConfig;
  readonly events: NodeEvents;
  readonly remotingServer: RemotingServer;
  readonly kvConfigManager: KVConfigManager;
  readonly routeInfoManager: RouteInfoManager;
  readonly brokerHousekeepingService: BrokerHousekeepingService;
  readonly processor: DefaultRequestProcessor;
  private readonly scanService: ScanNotActiveBrokerService;
  private started = false;

  constructor(options: NamesrvControllerOptions) {
    const { platform } = options;
    this.config = namesrvConfig(options.config);
    this.events = new NodeEvents(options.events, options.node);
    this.kvConfigManager = new KVConfigManager({ fs: platform.fs, kvConfigPath: this.config.kvConfigPath });
    this.routeInfoManager = new RouteInfoManager({
      clock: platform.clock,
      events: this.events,
      brokerChannelExpiredTime: this.config.brokerChannelExpiredTime,
    });
    this.brokerHousekeepingService = new BrokerHousekeepingService(this.routeInfoManager);
    this.remotingServer = new RemotingServer({
      transport: platform.transport,
      clock: platform.clock,
      events: this.events,
      config: this.config.remoting,
    });
    this.processor = new DefaultRequestProcessor({
      routeInfoManager: this.routeInfoManager,
      kvConfigManager: this.kvConfigManager,
      config: this.config,
      clock: platform.clock,
      events: this.events,
    });
    this.remotingServer.registerDefaultProcessor(this.processor);
    this.remotingServer.registerRPCHook({
      doBeforeRequest: () => undefined,
      doAfterResponse: (_remote, _request, response) => {
        if (response !== null) fitResponseHeader(response);
      },
    });
    this.scanService = new ScanNotActiveBrokerService(platform.clock, this.routeInfoManager, this.config.scanNotActiveBrokerIntervalMs);
  }

  /**
   * Load the key-value store, start the broker scan and listen on `address`
   * (default `0.0.0.0:<listenPort>`). Resolves to the bound address. Rejects when
   * `kvConfig.json` is corrupt or the address is taken.
   */
  async start(address = `0.0.0.0:${this.config.listenPort}`): Promise<string> {
    assert(!this.started, 'NamesrvController.start() called twice');
    this.started = true;
    this.kvConfigManager.load();
    this.brokerHousekeepingService.attach(this.remotingServer);
    this.scanService.start(this.config.scanNotActiveBrokerInitialDelayMs);
    try {
      return await this.remotingServer.start(address);
    } catch (error) {
      this.scanService.shutdown();
      this.brokerHousekeepingService.close();
      throw error;
    }
  }

  /** The bound address, once started. */
  get address(): string | undefined {
    return this.remotingServer.address;
  }

  /** Stop the scan and close every connection. */
  async shutdown(): Promise<void> {
    this.scanService.shutdown();
    this.brokerHousekeepingService.close();
    await this.remotingServer.shutdown();
  }
}
