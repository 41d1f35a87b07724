/**
 * The settings of a remoting server and a remoting client, with RocketMQ's defaults.
 *
 * Java reads most of these from `NettyServerConfig`/`NettyClientConfig` and a few from
 * system properties (the protocol version, the frame limit). Here they are one plain
 * object per role, passed to the constructor, so two brokers in one simulated process can
 * run with different settings and nothing is read from globals. The key names are Java's,
 * so a real `broker.conf` can be compared line by line.
 *
 * Differences from RocketMQ 4.9.x:
 * - No thread-pool, epoll, buffer-size or TLS settings: there are no threads or sockets here.
 * - `clientCloseSocketIfTimeout` defaults to false (4.4's default; 4.9 reads a system
 *   property that defaults to true), so one slow call does not fail its neighbours.
 * - Idle-connection detection (`serverChannelMaxIdleTimeSeconds`) is not implemented.
 *
 * @mirrors org.apache.rocketmq.remoting.netty.NettyServerConfig
 * @mirrors org.apache.rocketmq.remoting.netty.NettyClientConfig
 * @mirrors org.apache.rocketmq.remoting.netty.NettySystemConfig
 * @article send-receive "Remoting settings"
 * @category Remoting
 * @module
 */
import { DEFAULT_MAX_FRAME_LENGTH } from './frame-decoder.js';
import { DEFAULT_REMOTING_VERSION, type LanguageName } from './remoting-command.js';

/** What every remoting endpoint stamps on the commands it sends, and how large a frame may be. */
export interface RemotingEndpointConfig {
  /**
   * The `MQVersion` ordinal written into every command this endpoint sends (Java: the
   * system property `rocketmq.remoting.version`).
   * @defaultValue 293 (V4_4_0)
   */
  version: number;
  /**
   * The language written into every command this endpoint sends.
   * @defaultValue 'JAVA' (what real clients expect to see from a broker)
   */
  language: LanguageName;
  /**
   * The largest frame accepted, in bytes, counting the length field (Java: the system
   * property `com.rocketmq.remoting.frameMaxLength`).
   * @defaultValue 16777216
   */
  maxFrameLength: number;
}

export interface RemotingServerConfig extends RemotingEndpointConfig {
  /**
   * How many one-way requests the server may have in flight to clients.
   * @defaultValue 256
   */
  serverOnewaySemaphoreValue: number;
  /**
   * How many async requests the server may have in flight to clients.
   * @defaultValue 64
   */
  serverAsyncSemaphoreValue: number;
}

export interface RemotingClientConfig extends RemotingEndpointConfig {
  /**
   * How many one-way requests may be in flight at once.
   * @defaultValue 65535
   */
  clientOnewaySemaphoreValue: number;
  /**
   * How many async requests may be in flight at once.
   * @defaultValue 65535
   */
  clientAsyncSemaphoreValue: number;
  /**
   * Milliseconds to wait for a connection to open.
   * @defaultValue 3000
   */
  connectTimeoutMillis: number;
  /**
   * Close the connection when a sync call on it times out (which fails every other call
   * waiting on it).
   * @defaultValue false
   */
  clientCloseSocketIfTimeout: boolean;
}

const ENDPOINT_DEFAULTS: RemotingEndpointConfig = {
  version: DEFAULT_REMOTING_VERSION,
  language: 'JAVA',
  maxFrameLength: DEFAULT_MAX_FRAME_LENGTH,
};

/** The server defaults with `overrides` applied. */
export function remotingServerConfig(overrides: Partial<RemotingServerConfig> = {}): RemotingServerConfig {
  return { ...ENDPOINT_DEFAULTS, serverOnewaySemaphoreValue: 256, serverAsyncSemaphoreValue: 64, ...overrides };
}

/** The client defaults with `overrides` applied. */
export function remotingClientConfig(overrides: Partial<RemotingClientConfig> = {}): RemotingClientConfig {
  return {
    ...ENDPOINT_DEFAULTS,
    clientOnewaySemaphoreValue: 65535,
    clientAsyncSemaphoreValue: 65535,
    connectTimeoutMillis: 3000,
    clientCloseSocketIfTimeout: false,
    ...overrides,
  };
}
