/**
 * MQClientManager: the registry that makes producers and consumers of one process share
 * one MQClientInstance.
 *
 * Java keeps a static singleton map from client id to instance, so every `DefaultMQProducer`
 * and `DefaultMQPushConsumer` built with the same `clientIP@instanceName` ends up on the same
 * connections, timers and route cache. Here the registry is an ordinary object passed in by
 * whoever builds the clients (a simulation builds one per simulated process), because the
 * core has no module-level state.
 *
 * Differences from RocketMQ 4.9.x:
 * - Not a singleton: `new MQClientManager()` per (simulated) process.
 *
 * @mirrors org.apache.rocketmq.client.impl.MQClientManager
 * @article send-receive "The client instance"
 * @category Client
 * @module
 */
import type { EventSink } from '../events/event-sink.js';
import type { Platform } from '../platform/platform.js';
import type { RemotingClientConfig } from '../remoting/remoting-config.js';
import { buildMQClientId, type ClientConfig } from './client-config.js';
import { MQClientInstance } from './mq-client-instance.js';

/** What an instance is built from, besides the client config. */
export interface MQClientInstanceContext {
  platform: Platform;
  events: EventSink;
  node: string;
  remotingConfig?: Partial<RemotingClientConfig>;
}

export class MQClientManager {
  private readonly factoryTable = new Map<string, MQClientInstance>();

  /** The instance registered under the config's client id, created when missing. */
  getOrCreateMQClientInstance(clientConfig: ClientConfig, context: MQClientInstanceContext): MQClientInstance {
    const clientId = buildMQClientId(clientConfig);
    let instance = this.factoryTable.get(clientId);
    if (instance === undefined) {
      instance = new MQClientInstance({ ...context, clientConfig: { ...clientConfig }, clientId, manager: this });
      this.factoryTable.set(clientId, instance);
    }
    return instance;
  }

  /** Forget the instance of `clientId` (it calls this when it shuts down). */
  removeClientFactory(clientId: string): void {
    this.factoryTable.delete(clientId);
  }

  /** The instance registered under `clientId`, if any. */
  get(clientId: string): MQClientInstance | undefined {
    return this.factoryTable.get(clientId);
  }
}
