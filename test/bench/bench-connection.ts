// BenchConnection: one TCP connection to a broker (or the probe server) that cuts the incoming
// byte stream into frames with as little work as possible.
//
// Every `data` chunk is scanned in one loop; complete frames are handed over as positions in the
// chunk (no copy), and only a trailing partial frame is kept and joined with the next chunk.
// After the loop `onChunkEnd` runs once, which is where a windowed sender refills its window and
// writes all new frames in one `socket.write` (replies batched per read, writes batched per tick).
//
//   chunk:  [frame][frame][frame][fra|   next chunk: |me][frame]...
//           onFrame x3, keep "fra" ---------------------^ joined once
//
// Requests that need their own answer (topic creation, pulls) go through `invoke`, matched by
// opaque; every other frame goes to `onFrame` (the pump counts acks there without a lookup).
import { connect, type Socket } from 'node:net';
import { parseHeader, scanOpaque, type ResponseHeader } from './wire.js';

export interface InvokeResult {
  header: ResponseHeader;
  frame: Buffer;
}

export class BenchConnection {
  /** Frames no `invoke` waits for: (chunk, start of the frame incl. length field, frame size). */
  onFrame: (chunk: Buffer, at: number, size: number) => void = () => {};
  /** Runs after all frames of one `data` chunk were handled. */
  onChunkEnd: () => void = () => {};
  /** Runs once when the connection fails or closes (not after `close()`). */
  onClosed: (error: Error) => void = () => {};
  private readonly socket: Socket;
  private rest: Buffer | undefined;
  private opaque = 1;
  private readonly pending = new Map<number, { resolve: (r: InvokeResult) => void; reject: (e: Error) => void }>();
  private closed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const fail = (error: Error): void => {
      if (!this.closed) this.onClosed(error);
      this.closed = true;
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
  }

  static open(host: string, port: number): Promise<BenchConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.once('connect', () => {
        socket.removeListener('error', reject);
        resolve(new BenchConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  nextOpaque(): number {
    const o = this.opaque;
    this.opaque = (this.opaque + 1) | 0;
    return o;
  }

  write(bytes: Buffer): void {
    if (!this.closed) this.socket.write(bytes);
  }

  /** Send a frame whose opaque is `opaque` and wait for its answer. */
  invoke(frame: Buffer, opaque: number, timeoutMs = 30_000): Promise<InvokeResult> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new Error('connection closed'));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(opaque);
        reject(new Error(`no answer to opaque ${opaque} within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      this.pending.set(opaque, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.socket.write(frame);
    });
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private onData(incoming: Buffer): void {
    let chunk = incoming;
    if (this.rest !== undefined) {
      chunk = Buffer.concat([this.rest, incoming]);
      this.rest = undefined;
    }
    let at = 0;
    const end = chunk.length;
    while (end - at >= 8) {
      const size = chunk.readInt32BE(at) + 4;
      if (end - at < size) break;
      if (this.pending.size > 0) {
        const waiter = this.pending.get(scanOpaque(chunk, at));
        if (waiter !== undefined) {
          const frame = chunk.subarray(at, at + size); // a view: Node hands every read a fresh buffer, never reused
          const header = parseHeader(frame);
          this.pending.delete(header.opaque);
          waiter.resolve({ header, frame });
          at += size;
          continue;
        }
      }
      this.onFrame(chunk, at, size);
      at += size;
    }
    if (at < end) this.rest = chunk.subarray(at);
    this.onChunkEnd();
  }
}
