/**
 * ClientConfig: the settings every producer and consumer share, and the client id built
 * from them.
 *
 * A Java process usually runs one `MQClientInstance` however many producers and consumers it
 * has, because they all build the same client id, `clientIP@instanceName`, and
 * `MQClientManager` hands back the instance already registered under that id. The instance
 * name `DEFAULT` is replaced by the process id, so two processes on one host still get two
 * ids (and the broker sees two consumers when it rebalances). The same id appears in
 * heartbeats (`clientID`), lock bodies (`clientId`) and GET_CONSUMER_LIST_BY_GROUP answers.
 *
 * Differences from RocketMQ 4.9.x:
 * - Settings are a plain object with the Java names; `clientIP` and the process id are
 *   inputs (`clientIP`, `pid`), because the core cannot read the host's interfaces or pid.
 * - Java 4.9.3+ appends `#nanoTime` to the pid; we keep the plain pid (4.4 to 4.9.2), so
 *   producers and consumers of one process share one instance, as they do in most of 4.x.
 * - No name-server address lookup over HTTP (`wsAddr`), no TLS, no namespace, no access
 *   channel, no callback executor size.
 *
 * @mirrors org.apache.rocketmq.client.ClientConfig
 * @article send-receive "The client instance"
 * @category Client
 * @module
 */
import type { LanguageName } from '../remoting/remoting-command.js';

export interface ClientConfig {
  /**
   * Name server addresses, `"host:port"`, several separated by `;` (Java: `namesrvAddr`).
   * @defaultValue '' (none: every route lookup fails)
   */
  namesrvAddr: string;
  /**
   * This client's IP as written into the client id and every UNIQ_KEY.
   * @defaultValue '127.0.0.1'
   */
  clientIP: string;
  /**
   * Instance name; `'DEFAULT'` is replaced by {@link pid} when the client id is built.
   * @defaultValue 'DEFAULT'
   */
  instanceName: string;
  /**
   * The process id standing in for `DEFAULT` (Java: `UtilAll.getPid()`). The Node entry
   * passes `process.pid`; simulations pick distinct numbers per simulated process.
   * @defaultValue 1
   */
  pid: number;
  /**
   * Unit name appended as a third part of the client id when non-empty.
   * @defaultValue undefined
   */
  unitName: string | undefined;
  /**
   * Unit mode (Java `unitMode`), sent in consumer heartbeats and send headers.
   * @defaultValue false
   */
  unitMode: boolean;
  /**
   * Milliseconds between route refreshes for every topic in use.
   * @defaultValue 30000
   */
  pollNameServerInterval: number;
  /**
   * Milliseconds between heartbeats to the brokers.
   * @defaultValue 30000
   */
  heartbeatBrokerInterval: number;
  /**
   * Milliseconds between consumer offset persists.
   * @defaultValue 5000
   */
  persistConsumerOffsetInterval: number;
  /**
   * Milliseconds a consumer waits before pulling again after an error (Java:
   * `pullTimeDelayMillsWhenException`, with its typo).
   * @defaultValue 1000
   */
  pullTimeDelayMillisWhenException: number;
  /**
   * Send producer and admin calls to the broker's VIP port (listen port − 2).
   * @defaultValue false (4.9; 4.4 defaulted to true)
   */
  vipChannelEnabled: boolean;
  /**
   * Timeout of the client's own RPCs (heartbeats, route lookups, offsets), ms.
   * @defaultValue 3000
   */
  mqClientApiTimeout: number;
  /**
   * Language written into every command (Java: `language`).
   * @defaultValue 'JAVA'
   */
  language: LanguageName;
}

/** The Java defaults. */
export const DEFAULT_CLIENT_CONFIG: Readonly<ClientConfig> = Object.freeze({
  namesrvAddr: '',
  clientIP: '127.0.0.1',
  instanceName: 'DEFAULT',
  pid: 1,
  unitName: undefined,
  unitMode: false,
  pollNameServerInterval: 30_000,
  heartbeatBrokerInterval: 30_000,
  persistConsumerOffsetInterval: 5_000,
  pullTimeDelayMillisWhenException: 1_000,
  vipChannelEnabled: false,
  mqClientApiTimeout: 3_000,
  language: 'JAVA',
});

/** The defaults with `overrides` applied (undefined values in `overrides` are ignored). */
export function clientConfig(overrides: Partial<ClientConfig> = {}): ClientConfig {
  const config: ClientConfig = { ...DEFAULT_CLIENT_CONFIG };
  for (const key of Object.keys(overrides) as Array<keyof ClientConfig>) {
    const value = overrides[key];
    if (value !== undefined) (config as unknown as Record<string, unknown>)[key] = value;
  }
  return config;
}

/** The instance name with `DEFAULT` replaced by the pid (Java: `changeInstanceNameToPID`). */
export function effectiveInstanceName(config: Pick<ClientConfig, 'instanceName' | 'pid'>): string {
  return config.instanceName === 'DEFAULT' ? String(config.pid) : config.instanceName;
}

/** `clientIP@instanceName[@unitName]` (Java: `buildMQClientId`). */
export function buildMQClientId(config: Pick<ClientConfig, 'clientIP' | 'instanceName' | 'pid' | 'unitName'>): string {
  const base = `${config.clientIP}@${effectiveInstanceName(config)}`;
  return config.unitName !== undefined && config.unitName.trim().length > 0 ? `${base}@${config.unitName}` : base;
}

/** The name server addresses of `namesrvAddr`, split on `;`, blanks dropped. */
export function namesrvAddrList(namesrvAddr: string): string[] {
  return namesrvAddr.split(';').map((a) => a.trim()).filter((a) => a.length > 0);
}
