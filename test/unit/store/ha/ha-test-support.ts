// Helpers for the HA unit tests: a Connection the test drives by hand, and a tiny in-memory
// "commit log" cut into files, for the master's transfer side.
import type { Connection } from '../../../../src/platform/transport.js';
import type { HATransferSource } from '../../../../src/store/ha/ha-connection.js';
import type { SelectMappedBufferResult } from '../../../../src/store/results.js';

/** One end of a connection: records what was sent; the test feeds bytes and closes it. */
export class ScriptedConnection implements Connection {
  /** One entry per send/sendMany call, joined. */
  readonly sent: Uint8Array[] = [];
  private isClosed = false;
  private dataHandler: ((chunk: Uint8Array) => void) | undefined;
  private closeHandler: ((error?: Error) => void) | undefined;

  constructor(readonly remoteAddress = 'slave:50000', readonly localAddress = 'master:10912') {}

  get closed(): boolean {
    return this.isClosed;
  }

  send(bytes: Uint8Array): void {
    this.sendMany([bytes]);
  }

  sendMany(chunks: readonly Uint8Array[]): void {
    if (this.isClosed) return;
    let size = 0;
    for (const c of chunks) size += c.length;
    const joined = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      joined.set(c, at);
      at += c.length;
    }
    this.sent.push(joined);
  }

  onData(handler: (chunk: Uint8Array) => void): void {
    this.dataHandler = handler;
  }

  onClose(handler: (error?: Error) => void): void {
    this.closeHandler = handler;
  }

  close(): void {
    this.isClosed = true;
  }

  /** Bytes from the peer, delivered now. */
  feed(bytes: Uint8Array): void {
    if (!this.isClosed) this.dataHandler?.(bytes);
  }

  /** The peer closed the stream. */
  peerClose(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closeHandler?.();
  }

  /** Forget what was recorded so far. */
  clearSent(): void {
    this.sent.length = 0;
  }
}

/** A commit log of equal-size files in memory; byte i of the log is `i % 251`. */
export class FakeLog implements HATransferSource {
  /** Written bytes per file, by file start offset. */
  private readonly files = new Map<number, number>();
  reads = 0;

  constructor(readonly fileSize: number, firstFileFrom = 0) {
    this.files.set(firstFileFrom, 0);
  }

  /** Append `size` bytes, moving to a new file when the last one is full (never across). */
  append(size: number): void {
    let left = size;
    while (left > 0) {
      const lastFrom = Math.max(...this.files.keys());
      const wrote = this.files.get(lastFrom)!;
      if (wrote === this.fileSize) {
        this.files.set(lastFrom + this.fileSize, 0);
        continue;
      }
      const n = Math.min(left, this.fileSize - wrote);
      this.files.set(lastFrom, wrote + n);
      left -= n;
    }
  }

  getMaxOffset(): number {
    const lastFrom = Math.max(...this.files.keys());
    return lastFrom + this.files.get(lastFrom)!;
  }

  getData(offset: number, maxBytes: number): SelectMappedBufferResult | undefined {
    this.reads++;
    const from = offset - (offset % this.fileSize);
    const wrote = this.files.get(from);
    const position = offset - from;
    if (wrote === undefined || position >= wrote) return undefined;
    const size = Math.min(wrote - position, maxBytes);
    return { startOffset: offset, bytes: logBytes(offset, size), size };
  }
}

/** The bytes FakeLog holds at `[offset, offset + size)`. */
export function logBytes(offset: number, size: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (offset + i) % 251);
}

/** `[startPhyOffset, size]` of every frame in `sent` (each entry one frame). */
export function framesOf(sent: readonly Uint8Array[]): Array<[number, number]> {
  return sent.map((frame) => {
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    return [Number(view.getBigInt64(0, false)), view.getInt32(8, false)];
  });
}
