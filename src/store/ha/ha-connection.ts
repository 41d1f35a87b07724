/**
 * HAConnection: the master's end of one slave's replication connection. It reads the
 * slave's acks and pushes the commit log to it, chunk by chunk.
 *
 * Each slave that connects to the HA port gets one of these. Java runs two threads per
 * slave (a reader and a writer); here the reader is the connection's `onData` handler
 * and the writer is this Service's tick, woken when the log grows, by the slave's first
 * ack, and by an ack that makes room in a full window.
 *
 * The master's transfer window, step by step:
 *
 * ```
 *   1. the slave's first ack says where its log ends (slaveRequestOffset)
 *        0      -> an empty slave: start at the master's LAST file, not at offset 0
 *        X > 0  -> start at X
 *
 *        master log:  [ file 0 ......... ][ file 1 ......... ][ file 2 ....     )
 *                                                             ^ fresh slave starts here
 *
 *   2. push frames from nextTransferFromWhere: each at most haTransferBatchSize (32 KiB),
 *      never past the end of the file it starts in (the slave appends it to one segment)
 *
 *        [ file 2 ................ BLANK ][ file 3 ....     )
 *           |-- 32K --|-- 32K --|-- 9K --| |-- 32K --|-- 4K -|  <- nothing more yet: idle
 *                          ^ slaveAckOffset     nextTransferFromWhere ^
 *
 *   3. at most MAX_UNACKED_BATCHES frames run ahead of the slave's last ack; every ack
 *      reopens the window
 *   4. idle for haSendHeartbeatInterval (5 s) -> a header-only frame (size 0) as heartbeat
 *   5. nothing read from the slave for haHousekeepingInterval (20 s) -> close
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - One Service instead of a ReadSocketService and a WriteSocketService thread. The writer
 *   is woken (see above) instead of polling every 100 ms.
 * - At most {@link MAX_UNACKED_BATCHES} frames are sent ahead of the slave's ack: the
 *   Transport queues every send, where Java's non-blocking writes stall on a full socket
 *   buffer. Each frame goes out as one `sendMany`, so a simulated loss drops whole frames.
 * - A malformed ack (negative, or past 2^53) closes the connection (Java has no check).
 * - A disk error reading the log is reported (`store.io.failed`) and retried a second later.
 *
 * @mirrors org.apache.rocketmq.store.ha.HAConnection
 * @mirrors org.apache.rocketmq.store.ha.HAConnection.ReadSocketService
 * @mirrors org.apache.rocketmq.store.ha.HAConnection.WriteSocketService
 * @article ha "The master side: one connection per slave"
 * @emits store.ha.transfer-started, store.ha.chunk-sent, store.io.failed
 * @category Store
 * @module
 */
import type { MessageStoreConfig } from '../../common/config/message-store-config.js';
import { Service } from '../../common/service.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { HaCloseReason } from '../../events/kinds/store-ha-events.js';
import type { Clock } from '../../platform/clock.js';
import type { Connection } from '../../platform/transport.js';
import { MappedFileIOError } from '../mapped-file/mapped-file.js';
import type { SelectMappedBufferResult } from '../mapped-file/select-mapped-buffer-result.js';
import { encodeTransferHeader, SlaveAckDecoder } from './ha-protocol.js';

/** Frames a master sends ahead of the slave's last ack (each at most haTransferBatchSize). */
export const MAX_UNACKED_BATCHES = 32;
/** How long the writer waits before reading the log again after a disk error. */
export const HA_READ_RETRY_INTERVAL_MS = 1000;

/** The commit-log reads a connection makes. */
export interface HATransferSource {
  /**
   * A copy of the log from `offset` to at most the end of its file's written data, at most
   * `maxBytes`; `undefined` when nothing is there yet. May throw MappedFileIOError.
   * Java `DefaultMessageStore#getCommitLogData`.
   */
  getData(offset: number, maxBytes: number): SelectMappedBufferResult | undefined;
  /** Where the log ends now. */
  getMaxOffset(): number;
}

/** The config keys a connection reads (live: a changed value applies at the next tick). */
export type HAConnectionConfig = Pick<
  MessageStoreConfig,
  'mappedFileSizeCommitLog' | 'haTransferBatchSize' | 'haSendHeartbeatInterval' | 'haHousekeepingInterval'
>;

export interface HAConnectionOptions {
  readonly connection: Connection;
  readonly clock: Clock;
  readonly events: NodeEvents;
  readonly config: HAConnectionConfig;
  readonly source: HATransferSource;
  /** Every ack read from the slave (HAService keeps the max and wakes SYNC_MASTER puts). */
  readonly onAck: (connection: HAConnection, offset: number) => void;
  /** Called once when this connection ends, whoever ended it. */
  readonly onClosed: (connection: HAConnection, reason: HaCloseReason) => void;
}

export class HAConnection extends Service {
  /** The slave's address, as the connection reports it. */
  readonly slaveAddress: string;
  /** The slave's first ack: where it asked the transfer to begin; -1 until it spoke. */
  slaveRequestOffset = -1;
  /** The slave's latest ack: where its log ends; -1 until it spoke. */
  slaveAckOffset = -1;
  /** Physical offset of the next byte to send; -1 until the first ack. */
  private nextTransferFromWhere = -1;
  /** Where the transfer began; bytes before it need no ack from this slave. */
  private transferStart = -1;
  private lastReadTimestamp: number;
  private lastWriteTimestamp: number;
  private readonly ackDecoder = new SlaveAckDecoder();
  private ended = false;

  constructor(private readonly options: HAConnectionOptions) {
    super(options.clock, 'HAConnection');
    this.slaveAddress = options.connection.remoteAddress;
    this.lastReadTimestamp = this.lastWriteTimestamp = options.clock.now();
  }

  /** Start reading and writing (Java starts both threads). */
  override start(): void {
    const { connection } = this.options;
    connection.onData((chunk) => this.onSlaveData(chunk));
    connection.onClose(() => this.close('peer-closed'));
    super.start();
  }

  /** Whether this connection has ended. */
  get isClosed(): boolean {
    return this.ended;
  }

  /** End the connection (idempotent); the HAService hears of it through `onClosed`. */
  close(reason: HaCloseReason): void {
    if (this.ended) return;
    this.ended = true;
    super.shutdown();
    this.options.connection.close();
    this.options.onClosed(this, reason);
  }

  override shutdown(): void {
    this.close('shutdown');
  }

  // -------------------------------------------------------------------------------------
  // Reading: the slave's acks (Java ReadSocketService).

  private onSlaveData(chunk: Uint8Array): void {
    if (this.ended) return;
    this.lastReadTimestamp = this.clock.now();
    const ack = this.ackDecoder.push(chunk);
    if (ack === undefined) return;
    if (ack === 'bad') return this.close('bad-frame');
    const first = this.slaveRequestOffset < 0;
    const windowWasFull = !first && this.isWindowFull();
    this.slaveAckOffset = ack;
    if (first) {
      this.slaveRequestOffset = ack;
    } else if (ack > this.options.source.getMaxOffset()) {
      // Java: the slave claims bytes this master never wrote; its log has diverged.
      return this.close('offset-mismatch');
    }
    this.options.onAck(this, ack);
    // The first ack starts the transfer; a later one matters to the writer only if it was
    // waiting for room (new log bytes wake it through the store).
    if (first || windowWasFull) this.wakeup();
  }

  /** Step 3: as many bytes as the window allows are on the way, unacknowledged. */
  private isWindowFull(): boolean {
    const ackedUpTo = Math.max(this.slaveAckOffset, this.transferStart);
    return this.nextTransferFromWhere - ackedUpTo >= MAX_UNACKED_BATCHES * this.options.config.haTransferBatchSize;
  }

  // -------------------------------------------------------------------------------------
  // Writing: the commit log to the slave (Java WriteSocketService).

  protected onTick(): number | undefined {
    const { config } = this.options;
    const now = this.clock.now();
    if (now - this.lastReadTimestamp >= config.haHousekeepingInterval) {
      this.close('housekeeping');
      return undefined;
    }
    let retryAt = Infinity;
    if (this.slaveRequestOffset >= 0) {
      if (this.nextTransferFromWhere < 0) this.beginTransfer();
      const sent = this.transferData();
      if (sent === 'io-error') retryAt = now + HA_READ_RETRY_INTERVAL_MS;
      if (sent !== 'sent' && now - this.lastWriteTimestamp >= config.haSendHeartbeatInterval) this.sendFrame(undefined);
    }
    const heartbeatAt = this.slaveRequestOffset >= 0 ? this.lastWriteTimestamp + config.haSendHeartbeatInterval : Infinity;
    const next = Math.min(heartbeatAt, this.lastReadTimestamp + config.haHousekeepingInterval, retryAt);
    return Math.max(0, next - now);
  }

  /** Step 1: choose the first transfer point from the slave's first ack. */
  private beginTransfer(): void {
    const requestOffset = this.slaveRequestOffset;
    const fileSize = this.options.config.mappedFileSizeCommitLog;
    const masterOffset = this.options.source.getMaxOffset();
    // Java: a slave with nothing starts at the master's last file, so it does not copy history.
    const fromOffset = requestOffset === 0 ? Math.max(0, masterOffset - (masterOffset % fileSize)) : requestOffset;
    this.nextTransferFromWhere = this.transferStart = fromOffset;
    this.options.events.emit('store.ha.transfer-started', { slave: this.slaveAddress, requestOffset, fromOffset }, {
      flow: 'ha',
      why: {
        rule: 'an empty slave (offset 0) starts at the start of the master\'s last commit-log file; any other slave at its own offset',
        inputs: { requestOffset, masterMaxOffset: masterOffset, mappedFileSizeCommitLog: fileSize },
        outcome: fromOffset,
      },
    });
  }

  /** Steps 2-3: send frames until the log or the window runs out. */
  private transferData(): 'sent' | 'idle' | 'io-error' {
    const { config, source } = this.options;
    const batch = config.haTransferBatchSize;
    let outcome: 'sent' | 'idle' = 'idle';
    while (!this.ended && !this.isWindowFull()) {
      let chunk: SelectMappedBufferResult | undefined;
      try {
        chunk = source.getData(this.nextTransferFromWhere, batch);
      } catch (error) {
        if (!(error instanceof MappedFileIOError)) throw error;
        this.options.events.emit('store.io.failed', { operation: `ha transfer ${error.operation}`, path: error.path, error: error.message });
        return 'io-error';
      }
      if (chunk === undefined || chunk.size === 0) break;
      this.sendFrame(chunk);
      outcome = 'sent';
    }
    return outcome;
  }

  /** One frame: header plus body, or a header-only heartbeat; one `sendMany`, so it travels whole. */
  private sendFrame(chunk: SelectMappedBufferResult | undefined): void {
    const from = this.nextTransferFromWhere;
    const size = chunk?.size ?? 0;
    const header = encodeTransferHeader(from, size);
    this.options.connection.sendMany(chunk === undefined ? [header] : [header, chunk.bytes.subarray(0, size)]);
    this.nextTransferFromWhere += size;
    this.lastWriteTimestamp = this.clock.now();
    this.options.events.emit('store.ha.chunk-sent', { slave: this.slaveAddress, from, size }, { flow: 'ha' });
  }
}
