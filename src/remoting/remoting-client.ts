/**
 * RemotingClient: the calling end of RocketMQ's RPC, used by producers, consumers, admin
 * tools, and by a broker when it registers with the name server.
 *
 * A client talks to many servers (every name server, every broker) and keeps one
 * connection per address in its channel table, opened on first use and shared by every
 * call to that address. When a connection closes, the calls waiting on it fail with
 * `RemotingConnectionClosedError`, it leaves the table, and the next call to that address
 * connects again. Requests a broker sends back on the connection (one-way
 * NOTIFY_CONSUMER_IDS_CHANGED, CHECK_TRANSACTION_STATE) go to the processors registered
 * here, exactly as on a server.
 *
 * ```
 *   invokeSync(addr, req, 3000)
 *     channelTable[addr] open? ──no──► transport.connect(addr)  (connectTimeoutMillis)
 *        │ yes                              │
 *        ▼                                  ▼
 *     hooks.before ──► invokeImpl(channel, req, 3000 - time spent connecting) ──► await
 *     response ──► hooks.after ──► resolve          timeout ──► RemotingTimeoutError
 * ```
 *
 * Timeouts: each call gets its own timer on the Clock for exactly its remaining time,
 * rather than Java's once-a-second `scanResponseTable` sweep. That costs one timer per call
 * but makes a timeout exact and deterministic, which the simulations and tests rely on, and
 * keeps the Clock free of a periodic tick that would never let `runUntilIdle` finish.
 *
 * Its events (connections, requests, responses, timeouts) are emitted by `RemotingAbstract`.
 *
 * Differences from RocketMQ 4.9.x:
 * - No name-server address selection here (`updateNameServerAddressList`,
 *   `getAndCreateNameserverChannel`); the client module chooses the address.
 * - `invokeAsync` returns a Promise and optionally also calls a Node-style callback.
 *
 * @mirrors org.apache.rocketmq.remoting.netty.NettyRemotingClient
 * @mirrors org.apache.rocketmq.remoting.RemotingClient
 * @article send-receive "The client side"
 * @category Remoting
 * @module
 */
import type { NodeEvents } from '../events/event-sink.js';
import type { Clock } from '../platform/clock.js';
import type { Connection, Transport } from '../platform/transport.js';
import { RemotingConnectError, RemotingTimeoutError } from './errors.js';
import { RemotingAbstract } from './remoting-abstract.js';
import { RemotingChannel } from './remoting-channel.js';
import type { RemotingCommand } from './remoting-command.js';
import { remotingClientConfig, type RemotingClientConfig } from './remoting-config.js';
import type { InvokeCallback } from './response-future.js';

export interface RemotingClientOptions {
  transport: Transport;
  clock: Clock;
  events: NodeEvents;
  config?: Partial<RemotingClientConfig>;
}

/** One row of the channel table: a live channel, or a connect in progress. */
interface ChannelEntry {
  channel?: RemotingChannel;
  connecting?: Promise<RemotingChannel>;
}

export class RemotingClient extends RemotingAbstract {
  readonly config: RemotingClientConfig;
  private readonly transport: Transport;
  private readonly channelTable = new Map<string, ChannelEntry>();
  private stopped = false;

  constructor(options: RemotingClientOptions) {
    const config = remotingClientConfig(options.config);
    super({
      clock: options.clock,
      events: options.events,
      endpoint: config,
      permitsOneway: config.clientOnewaySemaphoreValue,
      permitsAsync: config.clientAsyncSemaphoreValue,
    });
    this.config = config;
    this.transport = options.transport;
  }

  /** Send `request` to `address` and wait up to `timeoutMs` (connecting included) for the response. */
  invokeSync(address: string, request: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    return this.withChannel(address, timeoutMs, (channel, remainingMs) => {
      this.doBeforeRpcHooks(address, request);
      const promise = this.invokeImpl(channel, request, remainingMs).promise;
      if (this.rpcHooks.length === 0 && !this.config.clientCloseSocketIfTimeout) return promise;
      return promise.then(
        (response) => {
          this.doAfterRpcHooks(address, request, response);
          return response;
        },
        (error: unknown) => {
          if (error instanceof RemotingTimeoutError && this.config.clientCloseSocketIfTimeout) channel.close('call timed out');
          throw error;
        },
      );
    });
  }

  /**
   * Like {@link invokeSync} but holding one of `clientAsyncSemaphoreValue` permits while
   * waiting. `callback`, when given, also receives the outcome (and then the returned
   * promise may be ignored safely).
   */
  invokeAsync(address: string, request: RemotingCommand, timeoutMs: number, callback?: InvokeCallback): Promise<RemotingCommand> {
    // The hot path of a producer's async sends: connected, no hooks, no callback.
    const open = this.channelTable.get(address)?.channel;
    if (open !== undefined && !open.closed && this.rpcHooks.length === 0 && callback === undefined) {
      try {
        return this.invokeAsyncImpl(open, request, timeoutMs);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    const promise = this.withChannel(address, timeoutMs, (channel, remainingMs) => {
      this.doBeforeRpcHooks(address, request);
      const pending = this.invokeAsyncImpl(channel, request, remainingMs);
      if (this.rpcHooks.length === 0) return pending;
      return pending.then((response) => {
        this.doAfterRpcHooks(address, request, response);
        return response;
      });
    });
    if (callback !== undefined) {
      promise.then(
        (response) => callback(undefined, response),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), undefined),
      );
    }
    return promise;
  }

  /** Send `request` with the ONEWAY bit; resolves once it is queued on the connection. */
  invokeOneway(address: string, request: RemotingCommand, timeoutMs: number): Promise<void> {
    return this.withChannel(address, timeoutMs, (channel) => {
      this.doBeforeRpcHooks(address, request);
      this.invokeOnewayImpl(channel, request);
      return Promise.resolve();
    });
  }

  /** True when a live connection to `address` is in the table. */
  isConnected(address: string): boolean {
    const channel = this.channelTable.get(address)?.channel;
    return channel !== undefined && !channel.closed;
  }

  /** Close the connection to `address`, if any; its pending calls fail. */
  closeChannel(address: string): void {
    this.channelTable.get(address)?.channel?.close('closed by client');
  }

  /** Close every connection; later calls fail with `RemotingConnectError`. */
  shutdown(): void {
    this.stopped = true;
    for (const entry of [...this.channelTable.values()]) entry.channel?.close('shutdown');
    this.channelTable.clear();
  }

  /**
   * Run `call` on the channel for `address`, connecting first when needed, with the time
   * left of `timeoutMs`. Never throws: every failure becomes a rejected promise.
   */
  private withChannel<T>(address: string, timeoutMs: number, call: (channel: RemotingChannel, remainingMs: number) => Promise<T>): Promise<T> {
    try {
      const channel = this.channelTable.get(address)?.channel;
      if (channel !== undefined && !channel.closed) return call(channel, timeoutMs); // the hot path: no extra await
      const begin = this.clock.now();
      return this.getAndCreateChannel(address).then((opened) => {
        const remainingMs = timeoutMs - (this.clock.now() - begin);
        // Java: "invokeSync call the addr[...] timeout" when connecting used up the budget.
        if (remainingMs <= 0) throw new RemotingTimeoutError(address, timeoutMs);
        return call(opened, remainingMs);
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The open channel for `address`, or a connect shared by every caller that asks meanwhile. */
  private getAndCreateChannel(address: string): Promise<RemotingChannel> {
    if (this.stopped) return Promise.reject(new RemotingConnectError(address, { detail: 'client is shut down' }));
    const entry = this.channelTable.get(address);
    if (entry?.channel !== undefined && !entry.channel.closed) return Promise.resolve(entry.channel);
    if (entry?.connecting !== undefined) return entry.connecting;
    const created: ChannelEntry = {};
    created.connecting = this.connect(address).then(
      (connection) => {
        const channel = new RemotingChannel(connection, this, this.config.maxFrameLength);
        created.channel = channel;
        created.connecting = undefined;
        this.channelOpened(channel, 'client');
        return channel;
      },
      (error: unknown) => {
        if (this.channelTable.get(address) === created) this.channelTable.delete(address);
        throw error;
      },
    );
    this.channelTable.set(address, created);
    return created.connecting;
  }

  /** Connect within `connectTimeoutMillis`; a connection that opens too late is closed at once. */
  private connect(address: string): Promise<Connection> {
    const timeoutMs = this.config.connectTimeoutMillis;
    return new Promise<Connection>((resolve, reject) => {
      let settled = false;
      const timer = this.clock.setTimer(timeoutMs, () => {
        settled = true;
        reject(new RemotingConnectError(address, { detail: `not connected after ${timeoutMs} ms` }));
      });
      this.transport.connect(address).then(
        (connection) => {
          timer.cancel();
          if (settled || this.stopped) {
            connection.close();
            if (!settled) reject(new RemotingConnectError(address, { detail: 'client is shut down' }));
            settled = true;
            return;
          }
          settled = true;
          resolve(connection);
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          timer.cancel();
          reject(new RemotingConnectError(address, { cause: error }));
        },
      );
    });
  }

  protected override onChannelClosed(channel: RemotingChannel): void {
    for (const [address, entry] of this.channelTable) {
      if (entry.channel === channel) this.channelTable.delete(address);
    }
  }
}
