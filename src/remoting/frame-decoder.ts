/**
 * FrameDecoder: cuts a connection's byte stream into RemotingCommand frames.
 *
 * TCP delivers bytes, not messages: one read may hold half a frame, or forty frames and the
 * start of the forty-first. This push parser takes chunks as they come and hands every
 * complete frame to a callback. It is Netty's `LengthFieldBasedFrameDecoder` as RocketMQ's
 * `NettyDecoder` configures it (length field at 0, 4 bytes, stripped).
 *
 * ```
 *  +--------------+-----------------------------+--------------+--------------+
 *  | length int32 | type<<24 | headerLength     | header bytes | body bytes   |
 *  +--------------+-----------------------------+--------------+--------------+
 *  |<- stripped ->|<------------------ frame handed to onFrame --------------->|
 *                 |<------------------------- length bytes ------------------->|
 * ```
 *
 * How a chunk is consumed:
 *
 * ```
 *  chunk:  [ frame A ][ frame B ][ fra|        onFrame(A), onFrame(B) as views into the chunk;
 *                                 ^            the tail "fra" is kept as a view, not copied
 *  chunk:  |me C ][ frame D ]                  the kept parts reach C's length: C is copied
 *                                              into one new array of exactly its size; D is
 *                                              a view again
 * ```
 *
 * Remainders are kept as a list of views and joined only once a whole frame is there, so
 * a large frame arriving in a thousand small reads costs one copy, not a thousand. Every
 * bound is checked from the first eight bytes, before anything is allocated: a hostile
 * length field can never make us reserve 2 GiB.
 *
 * Chunks handed to {@link FrameDecoder.push} must not be modified afterwards (both
 * transports hand over fresh chunks), since frames and remainders are views into them.
 *
 * Differences from RocketMQ 4.9.x:
 * - The header-length word is checked here too (Java finds a bad one only while decoding
 *   the command), so a frame whose header overruns it is rejected before allocation.
 *
 * @mirrors org.apache.rocketmq.remoting.netty.NettyDecoder
 * @mirrors io.netty.handler.codec.LengthFieldBasedFrameDecoder
 * @article send-receive "Framing: where one command ends"
 * @category Remoting
 * @module
 */
import { AssertionError } from '../common/assert.js';
import { FrameDecodeError } from './errors.js';
import { FRAME_PREFIX_SIZE, HEADER_LENGTH_MASK, HEADER_WORD_SIZE, LENGTH_FIELD_SIZE } from './remoting-command-codec.js';

/** Java's default `com.rocketmq.remoting.frameMaxLength`: 16 MiB, counting the length field. */
export const DEFAULT_MAX_FRAME_LENGTH = 16_777_216;

/** Read a big-endian int32 from four bytes. */
function int32At(b0: number, b1: number, b2: number, b3: number): number {
  return (b0 << 24) | (b1 << 16) | (b2 << 8) | b3;
}

export class FrameDecoder {
  private readonly maxFrameLength: number;
  /** Views of the bytes received but not yet part of a handed-over frame. */
  private parts: Uint8Array[] = [];
  private buffered = 0;
  /** Size of the pending frame including its length field, once its first 8 bytes are checked; else -1. */
  private pendingFrameSize = -1;
  private failure: FrameDecodeError | undefined;

  /**
   * @param onFrame receives each frame without its length field (header-length word first)
   * @param options.maxFrameLength the largest frame accepted, length field included
   */
  constructor(private readonly onFrame: (frame: Uint8Array) => void, options: { maxFrameLength?: number } = {}) {
    this.maxFrameLength = options.maxFrameLength ?? DEFAULT_MAX_FRAME_LENGTH;
  }

  /** Bytes held back waiting for the rest of a frame. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /**
   * Feed the next chunk; `onFrame` runs for every frame it completes, in order. Throws a
   * {@link FrameDecodeError} on a bad length field or header-length word; the decoder is
   * then unusable and every later `push` throws the same error.
   */
  push(chunk: Uint8Array): void {
    if (this.failure !== undefined) throw this.failure;
    if (chunk.length === 0) return;
    if (this.parts.length === 0) {
      this.scan(chunk);
      return;
    }
    this.parts.push(chunk);
    this.buffered += chunk.length;
    if (this.pendingFrameSize < 0) {
      if (this.buffered < FRAME_PREFIX_SIZE) {
        if (this.buffered >= LENGTH_FIELD_SIZE) this.checkLength(this.readBuffered(0));
        return;
      }
      this.pendingFrameSize = this.checkPrefix(this.readBuffered(0), this.readBuffered(LENGTH_FIELD_SIZE));
    }
    if (this.buffered < this.pendingFrameSize) return;
    // The pending frame is complete: join its parts once, then go on with what follows it.
    const frame = new Uint8Array(this.pendingFrameSize - LENGTH_FIELD_SIZE);
    let skip = LENGTH_FIELD_SIZE;
    let filled = 0;
    let rest: Uint8Array | undefined;
    for (const part of this.parts) {
      const from = Math.min(skip, part.length);
      skip -= from;
      const take = Math.min(part.length - from, frame.length - filled);
      if (take > 0) frame.set(part.subarray(from, from + take), filled);
      filled += take;
      if (from + take < part.length) rest = part.subarray(from + take); // only the last part can have a tail
    }
    this.parts = [];
    this.buffered = 0;
    this.pendingFrameSize = -1;
    this.onFrame(frame);
    if (rest !== undefined) this.scan(rest);
  }

  /** Cut every complete frame out of `chunk` without copying; keep the tail. */
  private scan(chunk: Uint8Array): void {
    let at = 0;
    const end = chunk.length;
    while (end - at >= FRAME_PREFIX_SIZE) {
      const length = int32At(chunk[at]!, chunk[at + 1]!, chunk[at + 2]!, chunk[at + 3]!);
      const word = int32At(chunk[at + 4]!, chunk[at + 5]!, chunk[at + 6]!, chunk[at + 7]!);
      const frameSize = this.checkPrefix(length, word);
      if (end - at < frameSize) {
        this.pendingFrameSize = frameSize;
        break;
      }
      // Advance before the callback, so a callback that throws leaves the decoder consistent.
      const frame = chunk.subarray(at + LENGTH_FIELD_SIZE, at + frameSize);
      at += frameSize;
      this.onFrame(frame);
    }
    if (at < end) {
      if (end - at >= LENGTH_FIELD_SIZE && this.pendingFrameSize < 0) {
        this.checkLength(int32At(chunk[at]!, chunk[at + 1]!, chunk[at + 2]!, chunk[at + 3]!));
      }
      this.parts = [chunk.subarray(at)];
      this.buffered = end - at;
    }
  }

  /** Check the length field alone; returns the frame size including the length field. */
  private checkLength(length: number): number {
    if (length < 0) this.fail(`negative length field ${length}`);
    if (length < HEADER_WORD_SIZE) this.fail(`length field ${length} is shorter than the 4-byte header-length word`);
    const frameSize = length + LENGTH_FIELD_SIZE;
    if (frameSize > this.maxFrameLength) this.fail(`frame of ${frameSize} bytes exceeds the maximum of ${this.maxFrameLength}`);
    return frameSize;
  }

  /** Check the length field and the header-length word; returns the frame size. */
  private checkPrefix(length: number, word: number): number {
    const frameSize = this.checkLength(length);
    const headerLength = word & HEADER_LENGTH_MASK;
    if (headerLength > length - HEADER_WORD_SIZE) {
      this.fail(`header length ${headerLength} exceeds the ${length - HEADER_WORD_SIZE} bytes the frame has after the header-length word`);
    }
    return frameSize;
  }

  /** The big-endian int32 at `offset` of the buffered bytes, which may span parts. */
  private readBuffered(offset: number): number {
    let b0 = 0, b1 = 0, b2 = 0, b3 = 0;
    let index = 0;
    for (const part of this.parts) {
      for (let i = 0; i < part.length; i++, index++) {
        if (index < offset) continue;
        const b = part[i]!;
        switch (index - offset) {
          case 0: b0 = b; break;
          case 1: b1 = b; break;
          case 2: b2 = b; break;
          case 3: return int32At(b0, b1, b2, b);
        }
      }
    }
    throw new AssertionError(`read at ${offset} past the ${this.buffered} buffered bytes`); // callers check `buffered` first
  }

  private fail(reason: string): never {
    this.failure = new FrameDecodeError(reason);
    this.parts = [];
    this.buffered = 0;
    throw this.failure;
  }
}
