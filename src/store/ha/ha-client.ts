/**
 * HAClient: the slave's end of replication. It connects to the master's HA port, says
 * where its commit log ends, and appends every chunk the master sends, byte for byte.
 *
 * A slave never decodes, re-encodes or re-orders anything: its commit log becomes a copy
 * of the master's, at the same physical offsets, so a message's offset msgId means the
 * same record on both brokers. The slave's own reput service then reads the appended bytes
 * back and builds consume queues and the index, exactly as a master does after its puts.
 *
 * ```
 *   connect ──► report max offset (8 bytes) ──► master pushes [offset][size][bytes] ...
 *                                                 │
 *     frame start == my max offset (or my log is empty)?  no -> close, reconnect
 *     append the bytes at that offset (appendToCommitLog)
 *     my max offset grew -> report it (that ack is what SYNC_MASTER puts wait for)
 *
 *   every haSendHeartbeatInterval (5 s) without a report -> report again
 *   nothing from the master for haHousekeepingInterval (20 s) -> close, reconnect
 *   connection refused -> try again after 5 s
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - A Service on the Clock, driven by the connection's callbacks, instead of a thread
 *   looping on a selector.
 * - The client reports its offset as soon as the connection opens. The heartbeat clock
 *   counts from the last report and the housekeeping clock from the last bytes read
 *   (Java keeps one `lastWriteTimestamp` for both).
 * - A chunk the store refuses (a disk error, or bytes that would not land where the log
 *   ends) closes the connection instead of being dropped silently; after such a protocol
 *   failure the client waits 5 s before reconnecting, so a persistent mismatch cannot spin.
 * - Changing the master address closes the current connection at once (Java keeps using
 *   it until it breaks).
 *
 * @mirrors org.apache.rocketmq.store.ha.HAService.HAClient
 * @article ha "The slave side: append what the master sends"
 * @emits store.ha.client-connected, store.ha.client-connect-failed, store.ha.client-disconnected, store.ha.appended
 * @category Store
 * @module
 */
import type { MessageStoreConfig } from '../../common/config/message-store-config.js';
import { Service } from '../../common/service.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { HaCloseReason } from '../../events/kinds/store-ha-events.js';
import type { Clock } from '../../platform/clock.js';
import type { Connection, Transport } from '../../platform/transport.js';
import { encodeAck, TransferFrameDecoder } from './ha-protocol.js';

/** How long the client waits before connecting again after a refused connect or a protocol failure (Java's 5 s). */
export const HA_CLIENT_RECONNECT_INTERVAL_MS = 5000;

/** The store calls a slave makes. */
export interface HASlaveStore {
  /** Where the slave's commit log ends (0 when it is empty). */
  getMaxPhyOffset(): number;
  /** Append master bytes verbatim at `startOffset`; false when refused. Java `appendToCommitLog`. */
  appendToCommitLog(startOffset: number, data: Uint8Array, dataStart: number, dataLength: number): boolean;
}

/** The config keys the client reads (live). */
export type HAClientConfig = Pick<MessageStoreConfig, 'haSendHeartbeatInterval' | 'haHousekeepingInterval'>;

export interface HAClientOptions {
  readonly transport: Transport;
  readonly clock: Clock;
  readonly events: NodeEvents;
  readonly config: HAClientConfig;
  readonly store: HASlaveStore;
}

export class HAClient extends Service {
  private address: string | undefined;
  private connection: Connection | undefined;
  /** Bumped by every connect attempt and close, so a late connect result can tell it is stale. */
  private epoch = 0;
  private connecting = false;
  /** No connect attempt before this time. */
  private retryAt = 0;
  /** The last offset reported to the master (Java `currentReportedOffset`). */
  private currentReportedOffset = 0;
  private lastReadTimestamp = 0;
  private lastWriteTimestamp = 0;
  private readonly decoder = new TransferFrameDecoder();
  /** Why the frame handler stopped the decoder, if it did. */
  private frameFailure: HaCloseReason | undefined;

  constructor(private readonly options: HAClientOptions) {
    super(options.clock, 'HAClient');
  }

  /** The master HA address this client connects to, if known. */
  get masterAddress(): string | undefined {
    return this.address;
  }

  /** Whether a connection to the master is open. */
  get isConnected(): boolean {
    return this.connection !== undefined;
  }

  /** Point the client at a (new) master. Java `updateMasterAddress`; the broker calls it. */
  updateMasterAddress(address: string): void {
    if (address === this.address) return;
    this.address = address;
    if (this.connection !== undefined || this.connecting) this.closeMaster('master-changed', 0);
    this.retryAt = 0;
    this.wakeup();
  }

  override shutdown(): void {
    super.shutdown();
    this.closeMaster('shutdown', 0);
  }

  protected onTick(): number | undefined {
    const now = this.clock.now();
    if (this.address === undefined) return undefined; // idle until updateMasterAddress
    const connection = this.connection;
    if (connection === undefined) {
      if (this.connecting) return undefined; // the connect result wakes us
      if (now < this.retryAt) return this.retryAt - now;
      this.connectMaster(this.address);
      return undefined;
    }
    const { haHousekeepingInterval, haSendHeartbeatInterval } = this.options.config;
    if (now - this.lastReadTimestamp >= haHousekeepingInterval) {
      this.closeMaster('housekeeping', 0); // Java reconnects at once
      return 0;
    }
    if (now - this.lastWriteTimestamp >= haSendHeartbeatInterval) this.reportSlaveMaxOffset(connection, this.currentReportedOffset);
    return Math.max(0, Math.min(this.lastWriteTimestamp + haSendHeartbeatInterval, this.lastReadTimestamp + haHousekeepingInterval) - now);
  }

  /** Open a connection; on success report the max offset, on failure retry in 5 s. */
  private connectMaster(address: string): void {
    const epoch = ++this.epoch;
    this.connecting = true;
    let opening: Promise<Connection>;
    try {
      opening = this.options.transport.connect(address);
    } catch (error) {
      opening = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    opening.then((connection) => {
      if (epoch !== this.epoch || !this.isRunning) {
        connection.close(); // shut down or redirected while connecting
        return;
      }
      this.connecting = false;
      this.opened(address, connection);
    }, (error: unknown) => {
      if (epoch !== this.epoch) return;
      this.connecting = false;
      this.retryAt = this.clock.now() + HA_CLIENT_RECONNECT_INTERVAL_MS;
      const message = error instanceof Error ? error.message : String(error);
      this.options.events.emit('store.ha.client-connect-failed', { master: address, error: message, retryInMs: HA_CLIENT_RECONNECT_INTERVAL_MS }, { flow: 'ha' });
      this.wakeup();
    });
  }

  private opened(address: string, connection: Connection): void {
    this.connection = connection;
    this.decoder.reset();
    this.lastReadTimestamp = this.clock.now();
    this.currentReportedOffset = this.options.store.getMaxPhyOffset();
    connection.onData((chunk) => this.onMasterData(connection, chunk));
    connection.onClose(() => {
      if (this.connection === connection) this.closeMaster('peer-closed', 0);
    });
    this.options.events.emit('store.ha.client-connected', { master: address, reportedOffset: this.currentReportedOffset }, { flow: 'ha' });
    this.reportSlaveMaxOffset(connection, this.currentReportedOffset);
    this.wakeup(); // arm the heartbeat and housekeeping timers
  }

  /** Bytes from the master: cut frames, append them, report progress. */
  private onMasterData(connection: Connection, chunk: Uint8Array): void {
    if (this.connection !== connection) return;
    this.lastReadTimestamp = this.clock.now();
    this.frameFailure = undefined;
    const outcome = this.decoder.push(chunk, (start, bytes, bodyStart, bodySize) => this.dispatchReadRequest(connection, start, bytes, bodyStart, bodySize));
    if (outcome === 'bad-frame') this.closeMaster('bad-frame', HA_CLIENT_RECONNECT_INTERVAL_MS);
    else if (outcome === 'stopped' && this.frameFailure !== undefined) this.closeMaster(this.frameFailure, HA_CLIENT_RECONNECT_INTERVAL_MS);
  }

  /** One frame (Java `dispatchReadRequest`). False stops the decoder; `frameFailure` says why. */
  private dispatchReadRequest(connection: Connection, masterPhyOffset: number, bytes: Uint8Array, bodyStart: number, bodySize: number): boolean {
    const store = this.options.store;
    const slavePhyOffset = store.getMaxPhyOffset();
    // Java: an empty slave takes whatever start the master chose; otherwise the frame must
    // continue exactly where this log ends, or the two logs have diverged.
    if (slavePhyOffset !== 0 && slavePhyOffset !== masterPhyOffset) {
      this.frameFailure = 'offset-mismatch';
      return false;
    }
    if (bodySize > 0) {
      if (!store.appendToCommitLog(masterPhyOffset, bytes, bodyStart, bodySize)) {
        this.frameFailure = 'append-failed';
        return false;
      }
      const maxPhyOffset = store.getMaxPhyOffset();
      this.options.events.emit('store.ha.appended', { from: masterPhyOffset, size: bodySize, maxPhyOffset }, { flow: 'ha' });
    }
    // Java `reportSlaveMaxOffsetPlus`: an ack only when the log grew.
    const current = store.getMaxPhyOffset();
    if (current > this.currentReportedOffset) {
      this.currentReportedOffset = current;
      this.reportSlaveMaxOffset(connection, current);
    }
    return true;
  }

  private reportSlaveMaxOffset(connection: Connection, offset: number): void {
    connection.send(encodeAck(offset));
    this.lastWriteTimestamp = this.clock.now();
  }

  /** Close the connection (if any); connect again after `retryInMs`. Java `closeMaster`. */
  private closeMaster(reason: HaCloseReason, retryInMs: number): void {
    this.epoch++; // a connect in flight is now stale
    this.connecting = false;
    const connection = this.connection;
    this.connection = undefined;
    this.decoder.reset();
    this.retryAt = this.clock.now() + retryInMs;
    if (connection !== undefined) {
      connection.close();
      this.options.events.emit('store.ha.client-disconnected', { master: this.address ?? '', reason }, { flow: 'ha' });
    }
    this.wakeup();
  }
}
