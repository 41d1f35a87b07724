/**
 * BrokerHousekeepingService: tells the routes at once when a broker's connection closes.
 *
 * A broker that crashes or is killed stops registering, and the 10-second scan would
 * notice after 120 s. But usually its TCP connection to the name server breaks right
 * away, and there is no reason to keep sending clients to a dead address for two more
 * minutes. So the name server listens to its own connections: when one closes, whatever
 * broker registered over it is removed now.
 *
 * ```
 *   broker-a's connection closes ──► RemotingServer.onConnectionClosed ──► onChannelClose
 *        ──► RouteInfoManager.onChannelDestroy(remoteAddr, channel) ──► broker-a leaves the routes
 * ```
 *
 * Connections from clients close too (a producer exiting); they registered nothing, so
 * `onChannelDestroy` finds nothing and changes nothing.
 *
 * Differences from RocketMQ 4.9.x:
 * - One callback: our remoting layer reports a close with its reason; Java's separate
 *   `onChannelException` and `onChannelIdle` also end in a close, and there is no idle
 *   reaper here (the 120 s scan covers a silent broker).
 *
 * @mirrors org.apache.rocketmq.namesrv.routeinfo.BrokerHousekeepingService
 * @article namesrv "When a broker goes away"
 * @category Namesrv
 * @module
 */
import type { RemotingServer } from '../remoting/remoting-server.js';
import type { RequestContext } from '../remoting/request-processor.js';
import type { RouteInfoManager } from './route-info-manager.js';

export class BrokerHousekeepingService {
  private detach: (() => void) | undefined;

  constructor(private readonly routeInfoManager: RouteInfoManager) {}

  /** Start listening to `server`'s connection closes. */
  attach(server: RemotingServer): void {
    this.detach?.();
    this.detach = server.onConnectionClosed((ctx, reason) => this.onChannelClose(ctx, reason));
  }

  /** Stop listening. */
  close(): void {
    this.detach?.();
    this.detach = undefined;
  }

  /** A connection closed, for whatever reason (peer closed, error, shutdown, expiry). */
  onChannelClose(ctx: RequestContext, _reason: string): void {
    this.routeInfoManager.onChannelDestroy(ctx.remoteAddress, ctx);
  }
}
