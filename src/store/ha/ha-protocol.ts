/**
 * The HA wire protocol: the two frames a master and its slave exchange to copy the commit
 * log, and the two push parsers that cut them out of a byte stream.
 *
 * Replication does not use the remoting protocol. A slave opens a plain TCP connection to
 * the master's HA port (listen port + 1, 10912) and from then on the traffic is raw
 * big-endian numbers and raw commit-log bytes, with no codes, no headers and no JSON.
 * The slave only ever says one thing, "my log ends here"; the master only ever sends
 * one thing, "here are the bytes from offset X":
 *
 * ```
 *   slave -> master: ack, 8 bytes
 *   offset  size  field
 *   ──────┬─────┬──────────────────────────────────────────────────────────
 *      0     8   SLAVE MAX OFFSET   int64: the end of the slave's commit log
 *   ──────┴─────┴──────────────────  8 bytes
 *
 *   master -> slave: transfer frame, 12-byte header + body
 *   offset  size  field
 *   ──────┬─────┬──────────────────────────────────────────────────────────
 *      0     8   START PHY OFFSET   int64: where the body goes in the log
 *      8     4   SIZE               int32: body bytes (0: a heartbeat)
 *     12  SIZE   BODY               commit-log bytes exactly as the master has them
 *   ──────┴─────┴──────────────────  12 + SIZE bytes
 * ```
 *
 * The ack doubles as the request: the first one a master reads tells it where to start,
 * every later one tells it (and the SYNC_MASTER puts waiting on it) how far the slave has
 * got. A body never crosses a commit-log file end, so the slave can append it to one
 * segment as it is.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java parses both directions inside its socket read loops (`ReadSocketService`,
 *   `HAClient.dispatchReadRequest`); here the parsing is two small decoders that the
 *   connection classes feed, so they can be tested byte by byte.
 * - A frame whose size is negative or larger than the slave's read buffer (4 MiB, Java's
 *   `READ_MAX_BUFFER_SIZE`) is a protocol error here; Java would wait forever for it.
 *
 * @mirrors org.apache.rocketmq.store.ha.HAConnection.ReadSocketService#processReadEvent
 * @mirrors org.apache.rocketmq.store.ha.HAService.HAClient#dispatchReadRequest
 * @article ha "The HA protocol: 8 bytes up, 12 + n bytes down"
 * @category Store
 * @module
 */
import { assert } from '../../common/assert.js';
import { readInt64, viewOf, writeInt64 } from '../../common/bytes.js';

/** Bytes of a slave's ack: one int64. */
export const HA_ACK_SIZE = 8;
/** Position of START PHY OFFSET in a transfer header. */
export const START_PHY_OFFSET_POSITION = 0;
/** Position of SIZE in a transfer header. */
export const BODY_SIZE_POSITION = 8;
/** Bytes of a transfer header (Java `headerSize = 8 + 4`). */
export const TRANSFER_HEADER_SIZE = 12;
/** The most a slave buffers for one frame (Java `HAClient.READ_MAX_BUFFER_SIZE`, 4 MiB). */
export const HA_READ_MAX_BUFFER_SIZE = 4 * 1024 * 1024;

assert(BODY_SIZE_POSITION === START_PHY_OFFSET_POSITION + 8, 'SIZE follows the 8-byte START PHY OFFSET');
assert(TRANSFER_HEADER_SIZE === BODY_SIZE_POSITION + 4, 'the header is an int64 and an int32');

/** The 8 bytes a slave sends: its commit log's max offset, big-endian. */
export function encodeAck(maxPhyOffset: number): Uint8Array {
  assert(Number.isSafeInteger(maxPhyOffset) && maxPhyOffset >= 0, `an ack offset must be a non-negative safe integer, got ${maxPhyOffset}`);
  const bytes = new Uint8Array(HA_ACK_SIZE);
  writeInt64(viewOf(bytes), 0, maxPhyOffset);
  return bytes;
}

/** The 12-byte header of a transfer frame: where the body goes, and its size (0: heartbeat). */
export function encodeTransferHeader(startPhyOffset: number, size: number): Uint8Array {
  assert(Number.isSafeInteger(startPhyOffset) && startPhyOffset >= 0, `a transfer offset must be a non-negative safe integer, got ${startPhyOffset}`);
  assert(Number.isInteger(size) && size >= 0 && size <= 0x7fffffff, `a transfer size must fit an int32, got ${size}`);
  const bytes = new Uint8Array(TRANSFER_HEADER_SIZE);
  const view = viewOf(bytes);
  writeInt64(view, START_PHY_OFFSET_POSITION, startPhyOffset);
  view.setInt32(BODY_SIZE_POSITION, size, false); // big-endian, as Java's ByteBuffer
  return bytes;
}

/**
 * The master's reader of acks. The stream is a run of 8-byte units; only the last complete
 * unit of what has arrived matters (an older ack says less than a newer one), so a chunk
 * holding several acks counts as one. Up to 7 bytes of a unit cut by a chunk boundary wait
 * for the rest.
 *
 * ```
 *   stream:  [ ack 1 ][ ack 2 ][ ack 3 ][ ack 4 ][ ac
 *            └───────── chunk A ──────────┘└── chunk B ─┘
 *   push(A) -> ack 3 (ack 4's first 2 bytes wait)    push(B) -> ack 4 (3 bytes wait)
 * ```
 */
export class SlaveAckDecoder {
  private readonly unit = new Uint8Array(HA_ACK_SIZE);
  /** Bytes of the current unit already received (0..7). */
  private filled = 0;

  /**
   * Feed one chunk. Returns the last ack it completed, `undefined` when it completed none,
   * or `'bad'` when that ack is not a non-negative safe integer.
   */
  push(chunk: Uint8Array): number | undefined | 'bad' {
    const total = this.filled + chunk.length;
    const completed = Math.floor(total / HA_ACK_SIZE);
    let last: number | undefined | 'bad';
    if (completed > 0) {
      // The last complete unit ends at stream position `completed * 8` of (carried + chunk).
      const end = completed * HA_ACK_SIZE - this.filled; // its end inside `chunk`
      const start = end - HA_ACK_SIZE;
      if (start >= 0) {
        this.unit.set(chunk.subarray(start, end));
      } else {
        this.unit.set(chunk.subarray(0, end), -start); // its head was carried over
      }
      const offset = readInt64(viewOf(this.unit), 0);
      last = Number.isNaN(offset) || offset < 0 ? 'bad' : offset;
    }
    const rest = total % HA_ACK_SIZE;
    if (completed > 0) this.filled = 0;
    this.unit.set(chunk.subarray(chunk.length - (rest - this.filled), chunk.length), this.filled);
    this.filled = rest;
    return last;
  }
}

/** What a frame handler says: go on, or stop reading (the connection is being closed). */
export type FrameVerdict = boolean;

/** How a push ended. */
export type TransferDecodeOutcome = 'ok' | 'bad-frame' | 'stopped';

/**
 * The slave's reader of transfer frames: cuts `[header][body]` frames out of the stream
 * and hands each to a handler, however the stream was chunked. The body is a view into
 * either the chunk or the decoder's own buffer, valid only during the call: the handler
 * copies it (appending to the commit log does).
 */
export class TransferFrameDecoder {
  private buffer = new Uint8Array(0);
  /** Bytes held in `buffer`, from index 0: the start of a frame not complete yet. */
  private held = 0;

  constructor(private readonly maxFrameBytes = HA_READ_MAX_BUFFER_SIZE) {}

  /** Forget a partial frame (the connection it came from is gone). */
  reset(): void {
    this.held = 0;
    if (this.buffer.length > 64 * 1024) this.buffer = new Uint8Array(0);
  }

  /**
   * Feed one chunk; `onFrame(startPhyOffset, bytes, bodyStart, bodySize)` runs for every
   * complete frame, in order, and may return false to stop. A frame with a negative
   * offset or size, or one too big to buffer, ends the push with `'bad-frame'`.
   */
  push(chunk: Uint8Array, onFrame: (startPhyOffset: number, bytes: Uint8Array, bodyStart: number, bodySize: number) => FrameVerdict): TransferDecodeOutcome {
    let data = chunk;
    if (this.held > 0) {
      this.ensureCapacity(this.held + chunk.length);
      this.buffer.set(chunk, this.held);
      this.held += chunk.length;
      data = this.buffer.subarray(0, this.held);
    }
    const view = viewOf(data);
    let at = 0;
    while (data.length - at >= TRANSFER_HEADER_SIZE) {
      const startPhyOffset = readInt64(view, at + START_PHY_OFFSET_POSITION);
      const size = view.getInt32(at + BODY_SIZE_POSITION, false);
      if (Number.isNaN(startPhyOffset) || startPhyOffset < 0 || size < 0 || TRANSFER_HEADER_SIZE + size > this.maxFrameBytes) {
        this.held = 0;
        return 'bad-frame';
      }
      if (data.length - at < TRANSFER_HEADER_SIZE + size) break;
      if (!onFrame(startPhyOffset, data, at + TRANSFER_HEADER_SIZE, size)) {
        this.held = 0;
        return 'stopped';
      }
      at += TRANSFER_HEADER_SIZE + size;
    }
    this.keep(data, at);
    return 'ok';
  }

  /** Keep `data[at..]`, the start of the next frame, at the front of the buffer. */
  private keep(data: Uint8Array, at: number): void {
    const rest = data.length - at;
    if (rest === 0) {
      this.held = 0;
    } else if (data.buffer === this.buffer.buffer && data.byteOffset === this.buffer.byteOffset) {
      this.buffer.copyWithin(0, at, data.length);
      this.held = rest;
    } else {
      this.ensureCapacity(rest);
      this.buffer.set(data.subarray(at), 0);
      this.held = rest;
    }
  }

  /** Grow the buffer (doubling) to hold `bytes`, keeping what it holds. */
  private ensureCapacity(bytes: number): void {
    if (this.buffer.length >= bytes) return;
    const grown = new Uint8Array(Math.max(bytes, this.buffer.length * 2, 1024));
    grown.set(this.buffer.subarray(0, this.held));
    this.buffer = grown;
  }
}
