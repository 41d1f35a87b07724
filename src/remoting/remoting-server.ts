/**
 * RemotingServer: the listening end of RocketMQ's RPC, used by the name server and the
 * broker.
 *
 * It accepts connections on a Transport, wraps each in a {@link RemotingChannel} (framing
 * in, batched writes out), and hands every decoded request to the processor registered for
 * its code. Requests on one connection are processed concurrently: an async processor may
 * answer a later request first, and the caller matches answers by opaque. Everything
 * answered while one read is being handled leaves in one write.
 *
 * A broker also calls its clients back over the connections they opened
 * (CHECK_TRANSACTION_STATE to a producer, NOTIFY_CONSUMER_IDS_CHANGED to consumers), so the
 * server can invoke requests too, addressed by the `Connection` a processor saw in its
 * {@link RequestContext}. Housekeeping that must forget a client when its connection goes
 * (Java's `ChannelEventListener.onChannelClose`) registers with {@link RemotingServer.onConnectionClosed}.
 *
 * ```
 *   start(addr) ──► transport.listen ──► accept(conn) ──► RemotingChannel ──► processRequestCommand
 *   shutdown()  ──► listener.close, then close every channel ("shutdown")
 * ```
 *
 * Its events (connections, requests, responses) are emitted by `RemotingAbstract`.
 *
 * Differences from RocketMQ 4.9.x:
 * - No boss/worker/executor thread pools and no idle-connection reaper.
 * - A malformed frame closes only the connection it came on, as in Java, and is reported as
 *   `remoting.frame.rejected` instead of a log line.
 *
 * @mirrors org.apache.rocketmq.remoting.netty.NettyRemotingServer
 * @mirrors org.apache.rocketmq.remoting.RemotingServer
 * @article send-receive "The server side"
 * @category Remoting
 * @module
 */
import { assert } from '../common/assert.js';
import type { NodeEvents } from '../events/event-sink.js';
import type { Clock } from '../platform/clock.js';
import type { Connection, Listener, Transport } from '../platform/transport.js';
import { RemotingSendRequestError } from './errors.js';
import { RemotingAbstract } from './remoting-abstract.js';
import { RemotingChannel } from './remoting-channel.js';
import type { RemotingCommand } from './remoting-command.js';
import { remotingServerConfig, type RemotingServerConfig } from './remoting-config.js';
import type { RequestContext } from './request-processor.js';

export interface RemotingServerOptions {
  transport: Transport;
  clock: Clock;
  events: NodeEvents;
  config?: Partial<RemotingServerConfig>;
}

/** Called once per closed connection, with the context processors saw and why it closed. */
export type ConnectionClosedListener = (ctx: RequestContext, reason: string) => void;

export class RemotingServer extends RemotingAbstract {
  readonly config: RemotingServerConfig;
  private readonly transport: Transport;
  private listener: Listener | undefined;
  private readonly channels = new Map<Connection, RemotingChannel>();
  private readonly closeListeners: ConnectionClosedListener[] = [];
  private stopped = false;

  constructor(options: RemotingServerOptions) {
    const config = remotingServerConfig(options.config);
    super({
      clock: options.clock,
      events: options.events,
      endpoint: config,
      permitsOneway: config.serverOnewaySemaphoreValue,
      permitsAsync: config.serverAsyncSemaphoreValue,
    });
    this.config = config;
    this.transport = options.transport;
  }

  /** Start listening on `address` (`"host:port"`, port 0 for any); resolves to the bound address. */
  async start(address: string): Promise<string> {
    assert(this.listener === undefined && !this.stopped, 'RemotingServer.start() called twice or after shutdown()');
    this.listener = await this.transport.listen(address, (connection) => this.accept(connection));
    return this.listener.address;
  }

  /** The bound address, once started. */
  get address(): string | undefined {
    return this.listener?.address;
  }

  /** How many connections are open. */
  get connectionCount(): number {
    return this.channels.size;
  }

  /** Stop accepting, then close every connection (their pending calls fail). */
  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.listener?.close();
    for (const channel of [...this.channels.values()]) channel.close('shutdown');
  }

  /** Call `listener` whenever a connection closes. Returns a function that unregisters it. */
  onConnectionClosed(listener: ConnectionClosedListener): () => void {
    this.closeListeners.push(listener);
    return () => {
      const i = this.closeListeners.indexOf(listener);
      if (i >= 0) this.closeListeners.splice(i, 1);
    };
  }

  /** Send a request to the client on `connection` and wait for its answer. */
  invokeSync(connection: Connection, request: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    const channel = this.channels.get(connection);
    if (channel === undefined || channel.closed) return Promise.reject(new RemotingSendRequestError(connection.remoteAddress));
    return this.invokeImpl(channel, request, timeoutMs).promise;
  }

  /** Like {@link invokeSync}, holding one of `serverAsyncSemaphoreValue` permits. */
  invokeAsync(connection: Connection, request: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    const channel = this.channels.get(connection);
    if (channel === undefined || channel.closed) return Promise.reject(new RemotingSendRequestError(connection.remoteAddress));
    return this.invokeAsyncImpl(channel, request, timeoutMs);
  }

  /**
   * Send a one-way request to the client on `connection` (CHECK_TRANSACTION_STATE,
   * NOTIFY_CONSUMER_IDS_CHANGED). Throws `RemotingSendRequestError` when the connection is
   * gone and `RemotingTooMuchRequestError` when no one-way permit is left.
   */
  invokeOneway(connection: Connection, request: RemotingCommand): void {
    const channel = this.channels.get(connection);
    if (channel === undefined || channel.closed) throw new RemotingSendRequestError(connection.remoteAddress);
    this.invokeOnewayImpl(channel, request);
  }

  private accept(connection: Connection): void {
    if (this.stopped) {
      connection.close();
      return;
    }
    const channel = new RemotingChannel(connection, this, this.config.maxFrameLength);
    this.channels.set(connection, channel);
    this.channelOpened(channel, 'server');
  }

  protected override onChannelClosed(channel: RemotingChannel, reason: string): void {
    this.channels.delete(channel.connection);
    for (const listener of [...this.closeListeners]) listener(channel, reason);
  }
}
