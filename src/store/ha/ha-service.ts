/**
 * HAService: master/slave replication of the commit log. On a master it accepts slaves on
 * the HA port and keeps one {@link HAConnection} per slave; on a slave it runs the
 * {@link HAClient}; on a SYNC_MASTER it makes WAIT=true puts wait for a slave's ack.
 *
 * Replication in RocketMQ 4.x copies bytes, not messages. A slave's commit log is the
 * master's, offset for offset, and everything else a slave has (consume queues, index) it
 * derives itself. The master only needs to know one number per slave, how far its log
 * goes, and the largest of those, `pushToSlaveMaxOffset`, is what SYNC_MASTER puts wait on:
 *
 * ```
 *   producer ─put─► master CommitLog ──append──► submitReplicaRequest(result, msg)
 *                                                   │ wakes every HAConnection (new bytes)
 *                     ASYNC_MASTER, or WAIT=false ──┤──► PUT_OK at once
 *                     SYNC_MASTER + WAIT=true:      │
 *                       no slave, or slave behind  ─┤──► SLAVE_NOT_AVAILABLE at once
 *                         by haSlaveFallbehindMax   │
 *                       otherwise ──► GroupTransferService: PUT_OK when a slave acks
 *                                     >= wroteOffset + wroteBytes, else FLUSH_SLAVE_TIMEOUT
 *
 *   slave ──ack(offset)──► HAConnection ──► notifyTransferSome(offset) ──► waiting puts
 * ```
 *
 * Every broker can run both halves, as in Java: the accept side when the store is given
 * an HA listen address, the client once it knows a master address (`haMasterAddress`, or
 * the broker's `updateMasterAddress` from the name server's answer).
 *
 * Differences from RocketMQ 4.9.x:
 * - Sockets come from the Transport port, so the same code runs on TCP and in SimNetwork.
 * - Accepting is a listen callback, not an AcceptSocketService thread on a selector.
 * - Every append wakes the connections, for ASYNC_MASTER too (Java's writers poll every
 *   100 ms and are woken only by SYNC_MASTER puts).
 * - `start()` returns at once; `listening` settles when the port is bound (Java binds in
 *   `start()` and throws from it). A failed bind is also a `store.ha.listen-failed` event.
 * - `pushToSlaveMaxOffset` is Java's `push2SlaveMaxOffset`; like it, it never goes down.
 *
 * @mirrors org.apache.rocketmq.store.ha.HAService
 * @mirrors org.apache.rocketmq.store.ha.HAService.AcceptSocketService
 * @mirrors org.apache.rocketmq.store.CommitLog#submitReplicaRequest
 * @article ha "Master and slave: copying bytes, not messages"
 * @emits store.ha.listening, store.ha.listen-failed, store.ha.slave-connected, store.ha.slave-disconnected, store.ha.acked, store.ha.sync-waited
 * @category Store
 * @module
 */
import { BrokerRole, type MessageStoreConfig } from '../../common/config/message-store-config.js';
import type { MessageExtBrokerInner } from '../../common/message/message-ext.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { HaCloseReason } from '../../events/kinds/store-ha-events.js';
import type { Clock } from '../../platform/clock.js';
import type { Connection, Listener, Transport } from '../../platform/transport.js';
import { PutMessageStatus, type AppendMessageResult } from '../results.js';
import { GroupTransferService } from './group-transfer-service.js';
import { HAClient, type HASlaveStore } from './ha-client.js';
import { HAConnection, type HATransferSource } from './ha-connection.js';

/** What replication reads from and writes to the store (a master reads, a slave appends). */
export type HAStore = HATransferSource & HASlaveStore;

/** The config keys HA reads. It keeps the object and reads it live (the broker may change the role). */
export type HAServiceConfig = Pick<
  MessageStoreConfig,
  | 'brokerRole' | 'mappedFileSizeCommitLog' | 'syncFlushTimeout' | 'haMasterAddress' | 'haSlaveFallbehindMax'
  | 'haTransferBatchSize' | 'haSendHeartbeatInterval' | 'haHousekeepingInterval'
>;

export interface HAServiceOptions {
  readonly transport: Transport;
  readonly clock: Clock;
  readonly events: NodeEvents;
  readonly config: HAServiceConfig;
  readonly store: HAStore;
  /** `host:port` to accept slaves on (the broker passes `0.0.0.0:<listenPort + 1>`); none: accept no slave. */
  readonly listenAddress?: string;
}

/** One connected slave, as runtime info shows it. */
export interface HASlaveInfo {
  readonly address: string;
  /** The slave's first report (-1 until it spoke). */
  readonly requestOffset: number;
  /** The slave's latest report: where its commit log ends (-1 until it spoke). */
  readonly ackOffset: number;
}

export class HAService {
  readonly groupTransferService: GroupTransferService;
  readonly haClient: HAClient;
  /**
   * Settles once the accept side is bound: the bound address (the chosen port when 0 was
   * asked for), `undefined` without a listen address; rejects when the bind fails.
   */
  listening: Promise<string | undefined> = Promise.resolve(undefined);
  private readonly connections = new Set<HAConnection>();
  private pushToSlaveMax = 0;
  private listener: Listener | undefined;
  private running = false;

  constructor(private readonly options: HAServiceOptions) {
    const { clock, events, config, transport, store } = options;
    this.groupTransferService = new GroupTransferService({ clock, events, config, ackedOffset: () => this.pushToSlaveMax });
    this.haClient = new HAClient({ transport, clock, events, config, store });
    if (config.haMasterAddress !== undefined && config.haMasterAddress !== '') this.haClient.updateMasterAddress(config.haMasterAddress);
  }

  /** The largest offset a slave has confirmed. Java `getPush2SlaveMaxOffset`. */
  get pushToSlaveMaxOffset(): number {
    return this.pushToSlaveMax;
  }

  /** Slaves connected now. Java `getConnectionCount`. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** The connected slaves and how far each has got (for runtime info). */
  slaves(): HASlaveInfo[] {
    return [...this.connections].map((c) => ({ address: c.slaveAddress, requestOffset: c.slaveRequestOffset, ackOffset: c.slaveAckOffset }));
  }

  /** Start accepting (if there is a listen address), the transfer waits and the client. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.groupTransferService.start();
    this.haClient.start();
    const address = this.options.listenAddress;
    if (address !== undefined) {
      this.listening = this.beginAccept(address);
      this.listening.catch(() => {}); // reported as an event; awaiting `listening` still sees the error
    }
  }

  /** Stop everything: client, accept side, every slave connection, waiting puts. */
  shutdown(): void {
    if (!this.running) return;
    this.running = false;
    this.haClient.shutdown();
    void this.listener?.close();
    this.listener = undefined;
    for (const connection of [...this.connections]) connection.shutdown();
    this.groupTransferService.shutdown();
  }

  /** Point the slave side at a master's HA address. Java `updateMasterAddress`. */
  updateMasterAddress(address: string): void {
    this.haClient.updateMasterAddress(address);
  }

  /**
   * A slave is there and not too far behind. Java `isSlaveOK`: at least one connection,
   * and `masterPutWhere - pushToSlaveMaxOffset < haSlaveFallbehindMax`.
   */
  isSlaveOK(masterPutWhere: number): boolean {
    return this.connections.size > 0 && masterPutWhere - this.pushToSlaveMax < this.options.config.haSlaveFallbehindMax;
  }

  /**
   * The commit log's hook after each append (Java `CommitLog#submitReplicaRequest`): wake
   * the connections, and for a SYNC_MASTER put with WAIT=true, wait for a slave's ack.
   */
  submitReplicaRequest(result: AppendMessageResult, msg: MessageExtBrokerInner): Promise<PutMessageStatus> | PutMessageStatus {
    for (const connection of this.connections) connection.wakeup();
    if (this.options.config.brokerRole !== BrokerRole.SYNC_MASTER || !msg.waitStoreMsgOK) return PutMessageStatus.PUT_OK;
    const nextOffset = result.wroteOffset + result.wroteBytes;
    if (this.isSlaveOK(nextOffset)) return this.groupTransferService.putRequest(nextOffset);
    const lagBytes = nextOffset - this.pushToSlaveMax;
    this.options.events.emit('store.ha.sync-waited', {
      requests: 1, status: PutMessageStatus.SLAVE_NOT_AVAILABLE, ackedOffset: this.pushToSlaveMax, nextOffsetMax: nextOffset,
    }, {
      flow: 'ha',
      why: {
        rule: 'a SYNC_MASTER put waits only when a slave is connected and lags less than haSlaveFallbehindMax',
        inputs: { connections: this.connections.size, lagBytes, haSlaveFallbehindMax: this.options.config.haSlaveFallbehindMax },
        outcome: PutMessageStatus.SLAVE_NOT_AVAILABLE,
      },
    });
    return PutMessageStatus.SLAVE_NOT_AVAILABLE;
  }

  /** A slave acked `offset`: raise the max, release the puts it covers. Java `notifyTransferSome`. */
  notifyTransferSome(offset: number): void {
    if (offset <= this.pushToSlaveMax) return;
    this.pushToSlaveMax = offset;
    this.groupTransferService.notifyTransferSome();
  }

  // -------------------------------------------------------------------------------------
  // The accept side (Java AcceptSocketService).

  private async beginAccept(address: string): Promise<string> {
    let listener: Listener;
    try {
      listener = await this.options.transport.listen(address, (connection) => this.accept(connection));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.options.events.emit('store.ha.listen-failed', { address, error: message }, { flow: 'ha' });
      throw error;
    }
    if (!this.running) {
      void listener.close(); // shut down while binding
      return listener.address;
    }
    this.listener = listener;
    this.options.events.emit('store.ha.listening', { address: listener.address }, { flow: 'ha' });
    return listener.address;
  }

  private accept(socket: Connection): void {
    if (!this.running) {
      socket.close();
      return;
    }
    const { clock, events, config, store } = this.options;
    const connection = new HAConnection({
      connection: socket, clock, events, config, source: store,
      onAck: (from, offset) => this.onAck(from, offset),
      onClosed: (from, reason) => this.removeConnection(from, reason),
    });
    this.connections.add(connection);
    connection.start();
    events.emit('store.ha.slave-connected', { slave: connection.slaveAddress, connections: this.connections.size }, { flow: 'ha' });
  }

  private onAck(connection: HAConnection, offset: number): void {
    // The ack first, then the puts it releases, so the events read in cause order.
    const pushToSlaveMaxOffset = Math.max(this.pushToSlaveMax, offset);
    this.options.events.emit('store.ha.acked', { slave: connection.slaveAddress, offset, pushToSlaveMaxOffset }, { flow: 'ha' });
    this.notifyTransferSome(offset);
  }

  private removeConnection(connection: HAConnection, reason: HaCloseReason): void {
    if (!this.connections.delete(connection)) return;
    this.options.events.emit('store.ha.slave-disconnected', { slave: connection.slaveAddress, reason, connections: this.connections.size }, { flow: 'ha' });
  }
}
