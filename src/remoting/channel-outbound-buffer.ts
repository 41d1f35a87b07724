/**
 * ChannelOutboundBuffer: the bytes a channel has encoded but not yet handed to its
 * connection, kept in one reusable buffer.
 *
 * A broker answers every request of a socket read in the same turn, and the channel sends
 * all those answers with one write (see remoting-channel.ts). Encoding each answer into a
 * frame of its own, then joining the frames, costs an allocation per frame and a copy of
 * every byte; here the codec writes each frame straight behind the previous one, and the
 * buffer is reused once the connection has taken the bytes (a connection copies what it
 * is given, or sends it before `send` returns: the Transport contract).
 *
 * ```
 *   buffer:  [ frame 1 | frame 2 | head 3 ][ frame 4 | ...      free        ]
 *                                   │       └ regionStart      └ position
 *   large body of frame 3 ──────────┴──► its own chunk, never copied in here
 *
 *   drain():  [ buffer[0..head 3 end), body 3, buffer[frame 4..position) ]
 * ```
 *
 * Differences from RocketMQ 4.9.x: Netty's ChannelOutboundBuffer queues one ByteBuf per
 * message; this one shares a single growable array between all of them.
 *
 * @mirrors io.netty.channel.ChannelOutboundBuffer
 * @article send-receive "Framing: where one command ends"
 * @category Remoting
 * @module
 */

/** The buffer a channel starts with (and shrinks back to after a burst of big frames). */
export const INITIAL_OUTBOUND_BYTES = 16 * 1024;
/** A buffer grown past this is dropped after a drain instead of kept. */
const KEEP_AT_MOST_BYTES = 1024 * 1024;

export class ChannelOutboundBuffer {
  private buffer = new Uint8Array(INITIAL_OUTBOUND_BYTES);
  private used = 0;
  /** Start of the bytes not yet cut into a chunk (a chunk is cut when a large body goes between). */
  private regionStart = 0;
  private chunks: Uint8Array[] = [];

  /** True when nothing waits to be sent. */
  get isEmpty(): boolean {
    return this.used === 0 && this.chunks.length === 0;
  }

  /** Where the next byte goes in {@link reserve}'s array. */
  get position(): number {
    return this.used;
  }

  /**
   * Make room for `size` bytes at {@link position} and return the array to write them
   * into (valid until the next `reserve`); then call {@link advance} with what was written.
   */
  reserve(size: number): Uint8Array {
    if (this.buffer.length - this.used >= size) return this.buffer;
    // Grow: earlier regions already cut into chunks stay views of the old array, which
    // nothing writes to any more; only the open region moves.
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.used - this.regionStart + size));
    grown.set(this.buffer.subarray(this.regionStart, this.used), 0);
    this.used -= this.regionStart;
    this.regionStart = 0;
    this.buffer = grown;
    return grown;
  }

  /** `bytes` more were written at {@link position}. */
  advance(bytes: number): void {
    this.used += bytes;
  }

  /** Queue `bytes` as a chunk of its own (a large body): it is sent as it is, not copied here. */
  appendChunk(bytes: Uint8Array): void {
    this.cutRegion();
    this.chunks.push(bytes);
  }

  /**
   * Everything queued, in order, as chunks for one `send`/`sendMany`. They stay valid until
   * the next write into this buffer, so hand them to the connection before that.
   */
  drain(): Uint8Array[] {
    this.cutRegion();
    const chunks = this.chunks;
    this.chunks = [];
    this.used = this.regionStart = 0;
    if (this.buffer.length > KEEP_AT_MOST_BYTES) this.buffer = new Uint8Array(INITIAL_OUTBOUND_BYTES);
    return chunks;
  }

  private cutRegion(): void {
    if (this.used > this.regionStart) this.chunks.push(this.buffer.subarray(this.regionStart, this.used));
    this.regionStart = this.used;
  }
}
