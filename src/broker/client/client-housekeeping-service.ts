/**
 * ClientHousekeepingService: forgets clients whose connection closed or who stopped sending
 * heartbeats.
 *
 * Two paths lead here. A connection that closes (the client shut down, crashed or lost
 * the network) is reported by the remoting server at once, and the client leaves every
 * producer and consumer group it was in; its consumer group is told to rebalance. A client
 * whose connection stays half-open but silent is caught by a scan every 10 s, which drops
 * members whose last heartbeat is more than 120 s old.
 *
 * ```
 *   RemotingServer.onConnectionClosed ──► onChannelClose ──► ProducerManager.doChannelCloseEvent
 *                                                       └─► ConsumerManager.doChannelCloseEvent
 *   every 10 s (first after 10 s) ──► scanExceptionChannel ──► both managers' scanNotActiveChannel
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - A {@link Service} on the Clock instead of a scheduled executor.
 * - `listenTo(server)` subscribes to a RemotingServer's close events (Java registers the
 *   service as the server's `ChannelEventListener`); exceptions and idleness are closes here.
 *
 * @mirrors org.apache.rocketmq.broker.client.ClientHousekeepingService
 * @article pull-consume-2 "Rebalance: who consumes which queue"
 * @category Broker
 * @module
 */
import { Service } from '../../common/service.js';
import type { Clock } from '../../platform/clock.js';
import type { Connection } from '../../platform/transport.js';
import type { RemotingServer } from '../../remoting/remoting-server.js';
import type { ConsumerManager } from './consumer-manager.js';
import type { ProducerManager } from './producer-manager.js';

/** Java scans every 10 s, starting 10 s after start. */
export const CLIENT_SCAN_INTERVAL_MS = 10_000;

export interface ClientHousekeepingServiceOptions {
  clock: Clock;
  producerManager: Pick<ProducerManager, 'doChannelCloseEvent' | 'scanNotActiveChannel'>;
  consumerManager: Pick<ConsumerManager, 'doChannelCloseEvent' | 'scanNotActiveChannel'>;
}

export class ClientHousekeepingService extends Service {
  private readonly producerManager: ClientHousekeepingServiceOptions['producerManager'];
  private readonly consumerManager: ClientHousekeepingServiceOptions['consumerManager'];

  constructor(options: ClientHousekeepingServiceOptions) {
    super(options.clock, 'ClientHousekeepingService');
    this.producerManager = options.producerManager;
    this.consumerManager = options.consumerManager;
  }

  /** Start the 10 s scan (first run after 10 s, as Java). */
  override start(initialDelayMs = CLIENT_SCAN_INTERVAL_MS): void {
    super.start(initialDelayMs);
  }

  /** Follow `server`'s closed connections; returns a function that stops following. */
  listenTo(server: Pick<RemotingServer, 'onConnectionClosed'>): () => void {
    return server.onConnectionClosed((ctx) => this.onChannelClose(ctx.remoteAddress, ctx.connection));
  }

  /** A client connection closed (Java: also on exception and on idle). */
  onChannelClose(remoteAddr: string, connection: Connection): void {
    this.producerManager.doChannelCloseEvent(remoteAddr, connection);
    this.consumerManager.doChannelCloseEvent(remoteAddr, connection);
  }

  /** Java `scanExceptionChannel`: expire silent producers, then silent consumers. */
  scanExceptionChannel(): void {
    this.producerManager.scanNotActiveChannel();
    this.consumerManager.scanNotActiveChannel();
  }

  protected onTick(): number {
    this.scanExceptionChannel();
    return CLIENT_SCAN_INTERVAL_MS;
  }
}
