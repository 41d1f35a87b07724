/**
 * ProducerManager: the broker's table of producer groups and the connections in each.
 *
 * Producers only send, so the broker does not need to know them, with one exception: a
 * transactional message whose producer never said "commit" or "rollback" must be asked
 * about (CHECK_TRANSACTION_STATE), and any live member of the producer group that sent it
 * can answer. This table is where the broker finds one (`getAvailableChannel`).
 *
 * ```
 *   groupChannelTable    group    ──► Connection ──► ClientChannelInfo
 *   clientChannelTable   clientId ──► Connection                (the latest connection of a client)
 * ```
 *
 * Membership follows the same doors as consumers: heartbeats add and refresh, UNREGISTER_CLIENT
 * and closed connections remove, and a member silent for 120 s is dropped by the scan.
 *
 * Differences from RocketMQ 4.9.x:
 * - Keyed by transport `Connection`; "active and writable" is "not closed".
 * - The round-robin counter of `getAvailableChannel` is a plain number, not a static.
 * - Unlike Java, an expired or closed member is removed from the group even when it leaves
 *   the group empty (Java keeps the empty group's map around); `getGroupChannelTable()` shows
 *   only groups with members.
 *
 * @mirrors org.apache.rocketmq.broker.client.ProducerManager
 * @article transaction "Asking a producer about a transaction"
 * @emits broker.producer.registered, broker.producer.unregistered
 * @category Broker
 * @module
 */
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';
import type { Connection } from '../../platform/transport.js';
import type { ClientChannelInfo } from './client-channel-info.js';
import { CHANNEL_EXPIRED_TIMEOUT } from './consumer-manager.js';

/** How many other members `getAvailableChannel` tries after the first. Java: `GET_AVAILABLE_CHANNEL_RETRY_COUNT`. */
const GET_AVAILABLE_CHANNEL_RETRY_COUNT = 3;

export interface ProducerManagerOptions {
  clock: Clock;
  events: NodeEvents;
}

export class ProducerManager {
  private readonly groupChannelTable = new Map<string, Map<Connection, ClientChannelInfo>>();
  private readonly clientChannelTable = new Map<string, Connection>();
  private readonly clock: Clock;
  private readonly events: NodeEvents;
  private counter = 0;

  constructor(options: ProducerManagerOptions) {
    this.clock = options.clock;
    this.events = options.events;
  }

  /** group ──► its members (read-only view for admin answers such as GET_PRODUCER_CONNECTION_LIST). */
  getGroupChannelTable(): ReadonlyMap<string, ReadonlyMap<Connection, ClientChannelInfo>> {
    return this.groupChannelTable;
  }

  /** A heartbeat named `group`: add the connection, or refresh its timestamp. */
  registerProducer(group: string, clientChannelInfo: ClientChannelInfo): void {
    let table = this.groupChannelTable.get(group);
    if (table === undefined) {
      table = new Map();
      this.groupChannelTable.set(group, table);
    }
    const found = table.get(clientChannelInfo.connection);
    if (found !== undefined) {
      found.lastUpdateTimestamp = this.clock.now();
      return;
    }
    table.set(clientChannelInfo.connection, clientChannelInfo);
    this.clientChannelTable.set(clientChannelInfo.clientId, clientChannelInfo.connection);
    this.events.emit('broker.producer.registered', { group, clientId: clientChannelInfo.clientId, remote: clientChannelInfo.remoteAddress });
  }

  /** UNREGISTER_CLIENT for a producer group. */
  unregisterProducer(group: string, clientChannelInfo: ClientChannelInfo): void {
    const table = this.groupChannelTable.get(group);
    if (table === undefined) return;
    const removed = table.delete(clientChannelInfo.connection);
    this.clientChannelTable.delete(clientChannelInfo.clientId);
    if (table.size === 0) this.groupChannelTable.delete(group);
    if (removed) this.events.emit('broker.producer.unregistered', { group, clientId: clientChannelInfo.clientId, remote: clientChannelInfo.remoteAddress, reason: 'unregister' });
  }

  /** A connection closed: remove it from every group. */
  doChannelCloseEvent(remoteAddr: string, connection: Connection): void {
    for (const [group, table] of [...this.groupChannelTable]) {
      const info = table.get(connection);
      if (info === undefined) continue;
      table.delete(connection);
      this.clientChannelTable.delete(info.clientId);
      if (table.size === 0) this.groupChannelTable.delete(group);
      this.events.emit('broker.producer.unregistered', { group, clientId: info.clientId, remote: remoteAddr, reason: 'channel-closed' });
    }
  }

  /** Drop (and close) members silent for more than 120 s. */
  scanNotActiveChannel(): void {
    const now = this.clock.now();
    for (const [group, table] of [...this.groupChannelTable]) {
      for (const [connection, info] of [...table]) {
        if (now - info.lastUpdateTimestamp <= CHANNEL_EXPIRED_TIMEOUT) continue;
        table.delete(connection);
        this.clientChannelTable.delete(info.clientId);
        connection.close();
        this.events.emit('broker.producer.unregistered', { group, clientId: info.clientId, remote: info.remoteAddress, reason: 'expired' });
      }
      if (table.size === 0) this.groupChannelTable.delete(group);
    }
  }

  /**
   * A live connection of `group` to send CHECK_TRANSACTION_STATE to: round robin from a
   * counter, trying up to three more members when the picked one is closed.
   */
  getAvailableChannel(group: string | undefined): Connection | undefined {
    if (group === undefined) return undefined;
    const table = this.groupChannelTable.get(group);
    if (table === undefined || table.size === 0) return undefined;
    const connections = [...table.keys()];
    this.counter = (this.counter + 1) & 0x7fffffff;
    let index = this.counter % connections.length;
    for (let tries = 0; tries <= GET_AVAILABLE_CHANNEL_RETRY_COUNT; tries++) {
      const connection = connections[index]!;
      if (!connection.closed) return connection;
      index = (index + 1) % connections.length;
    }
    return undefined;
  }

  /** The connection the client with `clientId` registered last. */
  findChannel(clientId: string): Connection | undefined {
    return this.clientChannelTable.get(clientId);
  }
}
