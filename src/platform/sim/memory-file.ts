/**
 * MemoryFile: one file of the MemoryFileSystem, held twice, as the page cache sees it and
 * as the disk holds it.
 *
 * A real write lands in the OS page cache and reaches the disk only when something forces
 * it (`MappedByteBuffer.force()` in Java, `fdatasync` for us). A power cut keeps what the
 * disk holds and loses the rest. To show exactly that, every MemoryFile keeps a *volatile*
 * image, which every read and write sees, and a *durable* image, which is all that
 * survives {@link MemoryFile.crash}. Flushing copies the pages changed since the previous
 * flush point from the first image to the second.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ; it is our stand-in for a disk.
 *
 * @article store-init "Recovering after a crash"
 * @category Platform
 * @module
 */
import { assert } from '../../common/assert.js';

/**
 * Bytes per page. A file is a sparse map of pages, so `truncate(1 GiB)` allocates nothing
 * and a page is allocated on its first write. Pages absent from the map read as zeros.
 *
 * ```
 *   file offset:  0        64Ki      128Ki     192Ki     size
 *   pages:       [ page 0 ][ (none) ][ page 2 ][ pa|0000 ]|
 *                            zeros               bytes past `size` are always zero
 * ```
 */
export const PAGE_SIZE = 64 * 1024;

/** The content of a file: sparse pages plus a length in bytes. */
interface Image {
  pages: Map<number, Uint8Array>;
  size: number;
}

/**
 * The changes between two flush points: the pages written since the earlier one (`null`
 * for a page that truncate dropped) and the length at the later one. Applying the deltas of
 * a file in order to its durable image reproduces the volatile image at the last point.
 */
export interface FlushDelta {
  readonly pages: ReadonlyMap<number, Uint8Array | null>;
  readonly size: number;
}

/**
 * Pages are shared, not copied, between the volatile image, in-flight deltas and the
 * durable image. A page in `dirty` belongs to the volatile image alone and may be written
 * in place; any other page may be shared, so a write copies it first (copy-on-write).
 * Taking a delta hands the dirty pages over and empties `dirty`, which is why a flush
 * costs one Map entry per changed page and no byte copies at all.
 *
 * ```
 *   write p3        volatile {p1, p3*}   dirty {3}     durable {p1}
 *   flush()         volatile {p1, p3}    dirty {}      durable {p1, p3}   (p3 now shared)
 *   write p3 again  volatile {p1, p3'*}  dirty {3}     durable {p1, p3}   (copied first)
 *   crash()         volatile {p1, p3}    dirty {}      durable {p1, p3}   (p3' is gone)
 * ```
 */
export class MemoryFile {
  private volatile: Image = { pages: new Map(), size: 0 };
  /** `undefined` while the file's creation has never been flushed: a crash then deletes it. */
  private durable: Image | undefined;
  private readonly dirty = new Set<number>();
  /** Deltas handed out by {@link MemoryFile.beginFlush} and not yet applied, oldest first. */
  private readonly inFlight: FlushDelta[] = [];

  /** A file whose content is durable from the start (what `writeText` produces). */
  static durableFromBytes(bytes: Uint8Array): MemoryFile {
    const file = new MemoryFile();
    file.write(0, bytes, 0, bytes.length);
    file.flush();
    return file;
  }

  /** Length in bytes as readers see it. */
  get size(): number {
    return this.volatile.size;
  }

  /** Length of the durable image, or `undefined` when the file would vanish in a crash. */
  get durableSize(): number | undefined {
    return this.durable?.size;
  }

  /** Bytes held by allocated pages of the volatile image (sparse regions cost nothing). */
  get allocatedBytes(): number {
    return this.volatile.pages.size * PAGE_SIZE;
  }

  /** Copy up to `length` bytes at `position` into `target`; returns the count (short at end of file). */
  read(position: number, target: Uint8Array, targetOffset: number, length: number): number {
    return copyOut(this.volatile, position, target, targetOffset, length);
  }

  /** The durable bytes, or `undefined` when the file's creation is not durable. */
  readDurable(): Uint8Array | undefined {
    if (this.durable === undefined) return undefined;
    const bytes = new Uint8Array(this.durable.size);
    copyOut(this.durable, 0, bytes, 0, bytes.length);
    return bytes;
  }

  write(position: number, source: Uint8Array, sourceOffset: number, length: number): void {
    let done = 0;
    while (done < length) {
      const at = position + done;
      const index = Math.floor(at / PAGE_SIZE);
      const inPage = at - index * PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - inPage, length - done);
      const from = sourceOffset + done;
      this.ownPage(index).set(source.subarray(from, from + n), inPage);
      done += n;
    }
    if (length > 0 && position + length > this.volatile.size) this.volatile.size = position + length;
  }

  /** Cut or extend to `size`. Extending allocates nothing: the new bytes are absent pages. */
  truncate(size: number): void {
    if (size < this.volatile.size) {
      const keepPages = Math.ceil(size / PAGE_SIZE);
      for (const index of [...this.volatile.pages.keys()]) {
        if (index < keepPages) continue;
        this.volatile.pages.delete(index);
        this.dirty.add(index);
      }
      // Keep the invariant that bytes past `size` are zero, so a later extension reads zeros.
      const tail = size % PAGE_SIZE;
      const lastIndex = keepPages - 1;
      if (tail !== 0 && this.volatile.pages.has(lastIndex)) this.ownPage(lastIndex).fill(0, tail);
    }
    this.volatile.size = size;
  }

  /** Make everything written so far durable, including what in-flight async flushes carry. */
  flush(): void {
    const delta = this.takeDelta();
    for (const earlier of this.inFlight.splice(0)) this.apply(earlier);
    this.apply(delta);
  }

  /**
   * Snapshot the changes since the previous flush point for an asynchronous flush. The
   * snapshot is durable only once {@link MemoryFile.completeFlush} runs with it; a crash first loses it.
   */
  beginFlush(): FlushDelta {
    const delta = this.takeDelta();
    this.inFlight.push(delta);
    return delta;
  }

  /**
   * The async flush of `delta` finished: apply it and every older one still in flight, in
   * order. Does nothing when a synchronous flush or a crash has already dealt with it.
   */
  completeFlush(delta: FlushDelta): void {
    const at = this.inFlight.indexOf(delta);
    if (at < 0) return;
    for (const d of this.inFlight.splice(0, at + 1)) this.apply(d);
  }

  /**
   * A rename is a directory operation and durable at once, so it makes the file's existence
   * durable too; its bytes stay whatever was flushed (nothing, for a never-flushed file).
   */
  makeExistenceDurable(): void {
    this.durable ??= { pages: new Map(), size: 0 };
  }

  /**
   * Power cut: drop the volatile image and every in-flight flush. Returns `false` when
   * the file's creation was never durable, so the file must disappear.
   */
  crash(): boolean {
    this.inFlight.length = 0;
    this.dirty.clear();
    if (this.durable === undefined) return false;
    // Sharing the durable pages is safe: with `dirty` empty, every write copies first.
    this.volatile = { pages: new Map(this.durable.pages), size: this.durable.size };
    return true;
  }

  /** A page the volatile image owns alone, allocating or copying it first when needed. */
  private ownPage(index: number): Uint8Array {
    const pages = this.volatile.pages;
    if (this.dirty.has(index)) {
      const page = pages.get(index);
      if (page !== undefined) return page;
    }
    const shared = pages.get(index);
    const page = shared === undefined ? new Uint8Array(PAGE_SIZE) : shared.slice();
    pages.set(index, page);
    this.dirty.add(index);
    return page;
  }

  /** Hand the dirty pages over as a delta; the volatile image keeps them, now shared. */
  private takeDelta(): FlushDelta {
    const pages = new Map<number, Uint8Array | null>();
    for (const index of this.dirty) pages.set(index, this.volatile.pages.get(index) ?? null);
    this.dirty.clear();
    return { pages, size: this.volatile.size };
  }

  private apply(delta: FlushDelta): void {
    const durable = (this.durable ??= { pages: new Map(), size: 0 });
    for (const [index, page] of delta.pages) {
      if (page === null) durable.pages.delete(index);
      else durable.pages.set(index, page);
    }
    durable.size = delta.size;
    const keepPages = Math.ceil(delta.size / PAGE_SIZE);
    for (const index of durable.pages.keys()) {
      if (index >= keepPages) durable.pages.delete(index);
    }
    assert(durable.pages.size <= keepPages, 'durable image holds pages past its size');
  }
}

/** Copy bytes of an image into `target`; absent pages read as zeros. Returns the count copied. */
function copyOut(image: Image, position: number, target: Uint8Array, targetOffset: number, length: number): number {
  const count = Math.max(0, Math.min(length, image.size - position));
  let done = 0;
  while (done < count) {
    const at = position + done;
    const index = Math.floor(at / PAGE_SIZE);
    const inPage = at - index * PAGE_SIZE;
    const n = Math.min(PAGE_SIZE - inPage, count - done);
    const page = image.pages.get(index);
    const to = targetOffset + done;
    if (page === undefined) target.fill(0, to, to + n);
    else target.set(page.subarray(inPage, inPage + n), to);
    done += n;
  }
  return count;
}
