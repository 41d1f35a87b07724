/**
 * MappedFile: one fixed-size segment file of the commit log or of a consume queue, with its
 * three positions.
 *
 * The commit log and every consume queue are long append-only byte logs cut into files of
 * one size, each named after the offset of its first byte. A MappedFile is one of those
 * files. It tracks how far bytes have got on their way to the disk:
 *
 * ```
 *   0                flushed        committed          wrote                  fileSize
 *   |================|==============|==================|- - - - - - - - - - - |
 *    on the disk      in the OS page cache              in our write window    (free)
 *    (survives a      (survives a process kill,         (lost by a kill)
 *     power cut)       not a power cut)
 *
 *   invariant: 0 <= flushed <= committed <= wrote <= fileSize
 * ```
 *
 * **Why a write window.** Java maps the file into memory: an append is a memory copy into
 * the mapping, the bytes are in the page cache at once, and `force()` makes them durable.
 * Node cannot map files, and one `write` syscall per message caps out near 350k records/s
 * while one per batch reaches about 2M. So an append copies into a reusable window (a
 * `Uint8Array` lent by a {@link WriteBufferPool}), and {@link MappedFile.commit} moves every
 * pending byte to the file in **one write**. The commit service does that right after each
 * batch of puts (see `commitlog/flush/commit-real-time-service.ts`), so a process kill
 * loses no more than Java would. {@link MappedFile.flush} is commit plus fdatasync.
 *
 * ```
 *   window covers file positions [windowStart, windowStart + window.length)
 *
 *   file:   |=========== committed ==========|--- pending ---|          |
 *                               windowStart ^                ^ wrote
 *   window:                     [ bytes already committed | pending |  free  ]
 *
 *   append that does not fit the free part:  commit (one write), then windowStart = wrote
 *   segment full and committed:              the window goes back to the pool
 * ```
 *
 * Reads ({@link MappedFile.selectMappedBuffer}) see everything up to `wrote`, as Java's mmap
 * readers do: bytes still in the window are copied from it, older ones are read from the
 * file. A read returns a copy, so nothing a reader holds can change under it and no
 * reference count is needed to delete a file.
 *
 * Differences from RocketMQ 4.9.x:
 * - A FileHandle plus a write window instead of a `MappedByteBuffer` (see above); the
 *   window is always on, unlike Java's optional `TransientStorePool`.
 * - Reads return copies; there is no `ReferenceResource` hold/release and no delayed destroy.
 * - {@link MappedFile.truncateTo} also zeroes the file past the cut (truncate, then extend
 *   again), so stale records there can never look valid to a later recovery; Java only
 *   moves the positions.
 * - The last-modified time is tracked in memory (the FileSystem port has no mtime).
 *
 * @mirrors org.apache.rocketmq.store.MappedFile
 * @article store "MappedFile: a file you can read like memory"
 * @category Store
 * @module
 */
import { assert, AssertionError } from '../../common/assert.js';
import type { Clock } from '../../platform/clock.js';
import { baseName, type FileHandle, type FileSystem } from '../../platform/storage.js';
import type { AppendMessageResult } from '../results.js';
import type { AppendMessageCallback } from './append-message-callback.js';
import type { SelectMappedBufferResult } from './select-mapped-buffer-result.js';
import type { WriteBufferPool } from './write-buffer-pool.js';

/** The page size Java assumes when it counts dirty pages for `flush(leastPages)`. */
export const OS_PAGE_SIZE = 4096;

/** Digits of a segment file name: the start offset, zero-padded. */
const FILE_NAME_DIGITS = 20;

/** Java `UtilAll.offset2FileName`: `offset2FileName(4096)` is `"00000000000000004096"`. */
export function offset2FileName(offset: number): string {
  assert(Number.isSafeInteger(offset) && offset >= 0, `file offset must be a non-negative safe integer, got ${offset}`);
  return String(offset).padStart(FILE_NAME_DIGITS, '0');
}

/**
 * Whether a directory entry is a segment file name: exactly 20 decimal digits, naming an
 * offset that is a safe integer (a stray `99999999999999999999` is not one of ours).
 */
export function isSegmentFileName(name: string): boolean {
  return name.length === FILE_NAME_DIGITS && /^[0-9]+$/.test(name) && Number.isSafeInteger(Number(name));
}

/**
 * A disk operation on one of the store's files failed (full disk, IO error, a handle lost
 * in a crash, a file shorter than it should be). It is the store's one error type for file
 * IO: segments of the commit log and the consume queues, index files and the checkpoint all
 * throw it (in Java all of them are memory-mapped files). Callers branch on `operation`
 * and `path`, never on the text.
 */
export class MappedFileIOError extends Error {
  override readonly name = 'MappedFileIOError';
  constructor(readonly path: string, readonly operation: string, options: { cause: unknown }) {
    super(`${operation} failed on ${path}: ${options.cause instanceof Error ? options.cause.message : String(options.cause)}`, options);
  }
}

/**
 * Run a FileSystem or FileHandle call for the store file at `path`: IO failures become
 * {@link MappedFileIOError}, assertion failures stay bugs. Every store file goes through it.
 */
export function fileIO<T>(path: string, operation: string, call: () => T): T {
  try {
    return call();
  } catch (cause) {
    if (cause instanceof AssertionError) throw cause;
    throw new MappedFileIOError(path, operation, { cause });
  }
}

/** Read exactly `length` bytes at `position`; a short read (the file shrank under us) is a MappedFileIOError too. */
export function readFully(handle: FileHandle, position: number, target: Uint8Array, targetOffset: number, length: number): void {
  const n = fileIO(handle.path, 'read', () => handle.read(position, target, targetOffset, length));
  if (n !== length) throw new MappedFileIOError(handle.path, 'read', { cause: new Error(`short read: ${n} of ${length} bytes at ${position}`) });
}

export class MappedFile {
  /** Physical offset of this file's first byte; also its name. */
  readonly fileFromOffset: number;
  readonly fileName: string;
  private wrote: number;
  private committed: number;
  private flushed: number;
  private window: Uint8Array | undefined;
  private windowStart = 0;
  private destroyed = false;
  /** Store timestamp of the last record appended (Java: `storeTimestamp`), for the checkpoint. */
  storeTimestamp = 0;
  /** When bytes last reached the file, in clock ms. Stands in for the file's mtime. */
  lastModifiedTimestamp: number;
  /** Java `firstCreateInQueue`: this file was created (not loaded) as the first of its queue. */
  firstCreateInQueue = false;

  /**
   * Wrap an open handle. Use {@link MappedFile.create} or {@link MappedFile.open} to do the IO.
   * @param initialPosition where all three positions start (0 for a new file, fileSize for a loaded one)
   */
  constructor(
    private readonly fs: FileSystem,
    private readonly handle: FileHandle,
    readonly fileSize: number,
    private readonly pool: WriteBufferPool,
    private readonly clock: Clock,
    initialPosition: number,
  ) {
    this.fileName = baseName(handle.path);
    this.fileFromOffset = Number(this.fileName);
    assert(isSegmentFileName(this.fileName) && Number.isSafeInteger(this.fileFromOffset), `not a segment file name: ${handle.path}`);
    assert(initialPosition >= 0 && initialPosition <= fileSize, `initial position ${initialPosition} outside [0, ${fileSize}]`);
    this.wrote = this.committed = this.flushed = initialPosition;
    this.lastModifiedTimestamp = clock.now();
  }

  /**
   * Create (or reuse) the file at `path` with length `fileSize` and make its existence and
   * length durable, so a crash never leaves a short segment behind. Throws MappedFileIOError.
   */
  static create(fs: FileSystem, path: string, fileSize: number, pool: WriteBufferPool, clock: Clock): MappedFile {
    const handle = fileIO(path, 'create', () => fs.open(path, 'rw'));
    try {
      fileIO(path, 'preallocate', () => {
        handle.truncate(0); // a leftover file of the same name holds nothing we want
        handle.truncate(fileSize);
        handle.flush();
      });
    } catch (error) {
      handle.close();
      throw error;
    }
    return new MappedFile(fs, handle, fileSize, pool, clock, 0);
  }

  /** Open an existing segment for loading; its positions start at the end, recovery moves them back. */
  static open(fs: FileSystem, path: string, fileSize: number, pool: WriteBufferPool, clock: Clock): MappedFile {
    const handle = fileIO(path, 'open', () => fs.open(path, 'rw'));
    return new MappedFile(fs, handle, fileSize, pool, clock, fileSize);
  }

  get path(): string {
    return this.handle.path;
  }
  get wrotePosition(): number {
    return this.wrote;
  }
  get committedPosition(): number {
    return this.committed;
  }
  get flushedPosition(): number {
    return this.flushed;
  }
  /** Java `getReadPosition()`: readers see every written byte (mmap semantics). */
  get readPosition(): number {
    return this.wrote;
  }
  /**
   * Grow a short file to `fileSize` with zeros and make that durable (load does this to a
   * short last segment: zeros read as the end of the data). Throws MappedFileIOError.
   */
  extendToFileSize(): void {
    fileIO(this.path, 'extend', () => {
      this.handle.truncate(this.fileSize);
      this.handle.flush();
    });
  }

  /** The file's length as the disk reports it (a loaded file must be exactly `fileSize`). */
  lengthOnDisk(): number {
    return fileIO(this.path, 'stat', () => this.handle.size());
  }
  /** Java `isFull()`. */
  get isFull(): boolean {
    return this.wrote === this.fileSize;
  }
  /** Java `isAvailable()`: not destroyed. */
  get isAvailable(): boolean {
    return !this.destroyed;
  }
  /** Whether bytes wait in the window for a commit. */
  get hasPendingCommit(): boolean {
    return this.wrote > this.committed;
  }

  // -------------------------------------------------------------------------------------
  // Appending.

  /**
   * Append through a callback that encodes into the window (Java `appendMessagesInner`).
   * `maxAppendBytes` is the most the callback will write (the measured record; a BLANK
   * writes 8), so the window slides only when that much room is missing. Synchronous, as
   * under Java's put lock. May commit (one write) first, which can throw MappedFileIOError.
   */
  appendMessagesInner<M>(callback: AppendMessageCallback<M>, msg: M, maxAppendBytes: number): AppendMessageResult {
    if (!(!this.destroyed)) throw new AssertionError(`append to destroyed file ${this.fileName}`);
    if (!(this.wrote < this.fileSize)) throw new AssertionError(`append to full file ${this.fileName}`);
    const maxBlank = this.fileSize - this.wrote;
    const window = this.ensureRoom(Math.min(maxBlank, maxAppendBytes));
    const at = this.wrote - this.windowStart;
    const result = callback.doAppend(this.fileFromOffset, this.wrote, maxBlank, window, at, msg);
    if (!(result.wroteBytes >= 0 && result.wroteBytes <= maxBlank)) throw new AssertionError(`append moved ${result.wroteBytes} bytes with ${maxBlank} left`);
    if (!(result.wroteBytes <= maxAppendBytes || result.wroteBytes === maxBlank)) throw new AssertionError(`append wrote ${result.wroteBytes} bytes, promised at most ${maxAppendBytes}`);
    this.wrote += result.wroteBytes;
    if (result.wroteBytes > 0) this.storeTimestamp = result.storeTimestamp;
    this.checkPositions();
    return result;
  }

  /**
   * Append raw bytes (Java `appendMessage(byte[], offset, length)`): consume-queue units,
   * and the slave's copy of the master's commit log. Returns false when they do not fit.
   */
  appendMessage(data: Uint8Array, offset = 0, length = data.length - offset): boolean {
    if (!(!this.destroyed)) throw new AssertionError(`append to destroyed file ${this.fileName}`);
    if (this.wrote + length > this.fileSize) return false;
    let done = 0;
    while (done < length) {
      const window = this.ensureRoom(1);
      const room = this.windowStart + window.length - this.wrote;
      const n = Math.min(room, length - done);
      window.set(data.subarray(offset + done, offset + done + n), this.wrote - this.windowStart);
      this.wrote += n;
      done += n;
    }
    this.checkPositions();
    return true;
  }

  /** The window, with at least `need` free bytes at `wrote`: borrow one, or commit and slide. */
  private ensureRoom(need: number): Uint8Array {
    let window = this.window;
    if (window === undefined) {
      assert(this.committed === this.wrote, 'bytes pending without a window');
      window = this.window = this.pool.borrow();
      this.windowStart = this.wrote;
    } else if (this.windowStart + window.length - this.wrote < need) {
      this.commitPending();
      window.fill(0);
      this.windowStart = this.wrote;
    }
    if (!(window.length >= need)) throw new AssertionError(`an append needs ${need} bytes but the window holds ${window.length}`);
    return window;
  }

  // -------------------------------------------------------------------------------------
  // Commit and flush.

  /**
   * Move pending window bytes to the file in one write (Java `commit`), if at least
   * `commitLeastPages` pages are pending (0: any byte). Returns the committed position.
   */
  commit(commitLeastPages: number): number {
    if (this.window === undefined || !this.isAbleToCommit(commitLeastPages)) return this.committed;
    this.commitPending();
    if (this.wrote === this.fileSize) this.releaseWindow();
    return this.committed;
  }

  private commitPending(): void {
    const window = this.window;
    if (window === undefined || this.wrote === this.committed) return;
    // A BLANK record moves `wrote` to the end of the file while only its 8-byte marker is in
    // the window; the rest is zeros already on disk, so write what the window covers.
    const end = Math.min(this.wrote, this.windowStart + window.length);
    if (end > this.committed) {
      const from = this.committed - this.windowStart;
      fileIO(this.path, 'write', () => this.handle.write(this.committed, window, from, end - this.committed));
    }
    this.committed = this.wrote;
    this.lastModifiedTimestamp = this.clock.now();
  }

  private isAbleToCommit(leastPages: number): boolean {
    if (this.isFull) return this.wrote > this.committed;
    if (leastPages > 0) return Math.floor(this.wrote / OS_PAGE_SIZE) - Math.floor(this.committed / OS_PAGE_SIZE) >= leastPages;
    return this.wrote > this.committed;
  }

  private isAbleToFlush(leastPages: number): boolean {
    if (this.isFull) return this.wrote > this.flushed;
    if (leastPages > 0) return Math.floor(this.wrote / OS_PAGE_SIZE) - Math.floor(this.flushed / OS_PAGE_SIZE) >= leastPages;
    return this.wrote > this.flushed;
  }

  /**
   * Commit everything, then fdatasync (Java `flush`), if at least `flushLeastPages` pages
   * are dirty (0: any byte). Blocks the thread for the sync. Returns the flushed position.
   */
  flush(flushLeastPages: number): number {
    if (this.destroyed || !this.isAbleToFlush(flushLeastPages)) return this.flushed;
    this.commit(0);
    const target = this.committed;
    fileIO(this.path, 'flush', () => this.handle.flush());
    this.flushed = target;
    this.checkPositions();
    return this.flushed;
  }

  /**
   * The same as {@link flush}, with the fdatasync off the thread. The flushed position
   * covers what was committed when it started; later appends need another call.
   */
  async flushAsync(flushLeastPages: number): Promise<number> {
    if (this.destroyed || !this.isAbleToFlush(flushLeastPages)) return this.flushed;
    this.commit(0);
    const target = this.committed;
    try {
      await this.handle.flushAsync();
    } catch (cause) {
      if (cause instanceof AssertionError) throw cause;
      throw new MappedFileIOError(this.path, 'flush', { cause });
    }
    // A truncation during the sync may have moved the positions back; never pass them.
    if (!this.destroyed) this.flushed = Math.max(this.flushed, Math.min(target, this.committed));
    this.checkPositions();
    return this.flushed;
  }

  // -------------------------------------------------------------------------------------
  // Reading.

  /**
   * Copy `size` bytes starting at `position` (Java `selectMappedBuffer(pos, size)`), or, with
   * `size` omitted, everything from `position` to the read position (mind the size: that
   * can be a whole segment). `undefined` when the range is not fully written. Throws
   * MappedFileIOError when the file cannot be read (or is shorter than it should be).
   */
  selectMappedBuffer(position: number, size?: number): SelectMappedBufferResult | undefined {
    const length = size ?? this.readPosition - position;
    if (position < 0 || length < 0 || position + length > this.readPosition || (size === undefined && length === 0)) return undefined;
    const bytes = new Uint8Array(length);
    this.copyOut(position, bytes, 0, length);
    return { startOffset: this.fileFromOffset + position, bytes, size: length };
  }

  /**
   * Copy `length` written bytes at `position` into `target[targetOffset..]` without
   * allocating. Returns false (copying nothing) when the range is not fully written.
   * Throws MappedFileIOError when the file cannot be read.
   */
  read(position: number, target: Uint8Array, targetOffset = 0, length = target.length - targetOffset): boolean {
    if (position < 0 || length < 0 || position + length > this.readPosition) return false;
    this.copyOut(position, target, targetOffset, length);
    return true;
  }

  private copyOut(position: number, target: Uint8Array, targetOffset: number, length: number): void {
    if (!(!this.destroyed)) throw new AssertionError(`read from destroyed file ${this.fileName}`);
    const end = position + length;
    const window = this.window;
    // The window holds [windowStart, min(wrote, windowEnd)); everything else comes from the file.
    const windowFrom = window === undefined ? end : Math.max(position, this.windowStart);
    const windowTo = window === undefined ? end : Math.min(end, this.wrote, this.windowStart + window.length);
    if (window !== undefined && windowFrom < windowTo) {
      this.readFile(position, target, targetOffset, windowFrom - position);
      target.set(window.subarray(windowFrom - this.windowStart, windowTo - this.windowStart), targetOffset + windowFrom - position);
      this.readFile(windowTo, target, targetOffset + windowTo - position, end - windowTo);
    } else {
      this.readFile(position, target, targetOffset, length);
    }
  }

  private readFile(position: number, target: Uint8Array, targetOffset: number, length: number): void {
    if (length > 0) readFully(this.handle, position, target, targetOffset, length);
  }

  // -------------------------------------------------------------------------------------
  // Recovery and lifecycle.

  /**
   * Set all three positions to `position` (recovery: Java sets wrote, committed and flushed
   * one by one), after committing pending bytes before it, and zero the file past it.
   */
  truncateTo(position: number): void {
    assert(position >= 0 && position <= this.fileSize, `truncate position ${position} outside [0, ${this.fileSize}]`);
    if (this.window !== undefined) {
      this.commitPending();
      this.releaseWindow();
    }
    if (position < this.fileSize) {
      fileIO(this.path, 'truncate', () => {
        this.handle.truncate(position);
        this.handle.truncate(this.fileSize);
      });
    }
    this.wrote = this.committed = this.flushed = position;
  }

  /** Close the handle (store shutdown); pending bytes are committed first. The handle is closed even when that commit fails (MappedFileIOError). */
  close(): void {
    if (this.destroyed) return;
    try {
      if (this.window !== undefined) this.commitPending();
    } finally {
      this.releaseWindow();
      this.handle.close();
    }
  }

  /** Close and delete the file (Java `destroy`). Pending bytes are dropped. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.releaseWindow();
    this.handle.close();
    fileIO(this.path, 'remove', () => this.fs.remove(this.path));
  }

  private releaseWindow(): void {
    if (this.window === undefined) return;
    this.pool.giveBack(this.window);
    this.window = undefined;
  }

  private checkPositions(): void {
    if (!(this.flushed <= this.committed && this.committed <= this.wrote && this.wrote <= this.fileSize)) {
      throw new AssertionError(`${this.fileName}: positions out of order (flushed ${this.flushed}, committed ${this.committed}, wrote ${this.wrote}, size ${this.fileSize})`);
    }
  }
}
