/**
 * WriteBufferPool: the few reusable byte windows that appends are copied into.
 *
 * Java appends by writing into a memory-mapped file: the bytes land in the OS page cache
 * at once, with no copy the JVM can see. Node has no mmap, so a `MappedFile` keeps a
 * *write window*, a `Uint8Array` that appends copy into and that one `write` call later
 * moves to the file. Only the segment being appended to needs a window, so a queue needs
 * one at a time; when a segment fills up and is committed, its window goes back to the
 * pool and the next segment borrows it. No window is ever allocated per message, and the
 * stored messages never live on the JavaScript heap as objects.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java's `TransientStorePool` lends off-heap buffers as large as a whole segment and only
 *   when `transientStorePoolEnable` is set; this pool lends small windows (4 MiB for the
 *   commit log, 20 KiB per consume queue by default) and is always on, because without
 *   mmap there is no other way to batch writes.
 *
 * @mirrors org.apache.rocketmq.store.TransientStorePool
 * @article store "MappedFile: a file you can read like memory"
 * @category Store
 * @module
 */
import { assert } from '../../common/assert.js';

export class WriteBufferPool {
  private readonly idle: Uint8Array[] = [];

  /**
   * @param bufferBytes size of every window this pool lends
   * @param maxIdle how many returned windows to keep for reuse (the rest are left to the GC)
   */
  constructor(readonly bufferBytes: number, private readonly maxIdle = 2) {
    assert(Number.isSafeInteger(bufferBytes) && bufferBytes > 0, `write buffer size must be positive, got ${bufferBytes}`);
  }

  /** A zero-filled window of `bufferBytes` bytes. */
  borrow(): Uint8Array {
    const buffer = this.idle.pop();
    if (buffer === undefined) return new Uint8Array(this.bufferBytes);
    buffer.fill(0);
    return buffer;
  }

  /** Hand a window back; it may be lent again, so the caller must drop every view of it. */
  giveBack(buffer: Uint8Array): void {
    assert(buffer.length === this.bufferBytes, 'a window went back to a pool that did not lend it');
    if (this.idle.length < this.maxIdle) this.idle.push(buffer);
  }

  /** How many windows wait for reuse (for tests). */
  get idleCount(): number {
    return this.idle.length;
  }
}
