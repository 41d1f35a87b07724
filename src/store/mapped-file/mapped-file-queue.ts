/**
 * MappedFileQueue: a directory of equal-size segment files that together form one long
 * append-only log.
 *
 * The commit log is one such queue (1 GiB files); every consume queue is another (6,000,000
 * byte files). The queue answers "which file holds offset X?", creates the next file when
 * the last one is full, finds where the log ends, flushes and commits, cuts the log back
 * after a crash, and deletes old files from the front.
 *
 * ```
 *   directory:  00000000000000000000  00000000001073741824  00000000002147483648
 *   offsets:    [0 ............ 1Gi)  [1Gi .......... 2Gi)  [2Gi ....|wrote   )
 *               minOffset = 0                                maxOffset = 2Gi + wrote
 * ```
 *
 * The queue keeps two cursors over the whole log: `flushedWhere` (everything before it is
 * on disk) and `committedWhere` (everything before it is in the OS page cache).
 *
 * Differences from RocketMQ 4.9.x:
 * - {@link MappedFileQueue.commit} commits every file that has pending bytes, not just one
 *   (our write windows make every append pending, so the commit service wants them all).
 * - {@link MappedFileQueue.load} skips names that are not 20 digits. Like 4.9 it fails on a
 *   file of the wrong size, except a short *last* file, which it extends with zeros (they
 *   read as the end of the data, and no byte is lost). It also fails when the files are
 *   not adjacent and aligned (Java only logs that in `checkSelf`). 4.4 instead stopped at
 *   the first odd file and ignored the rest, which later recreated the odd file over its
 *   bytes and left the ignored ones to be mistaken for log data on the next start.
 * - Deleting files does not sleep between deletions; the clean service paces itself.
 * - No `AllocateMappedFileService`: creating a file is a truncate, which is cheap.
 *
 * @mirrors org.apache.rocketmq.store.MappedFileQueue
 * @article store "MappedFileQueue: finding the file that holds an offset"
 * @emits store.mappedfile.created, store.mappedfile.deleted
 * @category Store
 * @module
 */
import { assert } from '../../common/assert.js';
import { readInt64, viewOf } from '../../common/bytes.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';
import { joinPath, type FileSystem } from '../../platform/storage.js';
import { fileIO, isSegmentFileName, MappedFile, MappedFileIOError, offset2FileName } from './mapped-file.js';
import type { WriteBufferPool } from './write-buffer-pool.js';

/** Java `DELETE_FILES_BATCH_MAX`: most files one cleaning pass deletes. */
export const DELETE_FILES_BATCH_MAX = 10;

export interface MappedFileQueueOptions {
  readonly fs: FileSystem;
  /** Directory of the files. */
  readonly storePath: string;
  /** Size of every file in bytes. */
  readonly mappedFileSize: number;
  readonly clock: Clock;
  /** Lends the write window of the file being appended to. */
  readonly writeBufferPool: WriteBufferPool;
  readonly events: NodeEvents;
  /** Name of this log in events: `'commitlog'`, or `'consumequeue/<topic>/<queueId>'`. */
  readonly queueName: string;
}

export class MappedFileQueue {
  /** The files, oldest first, adjacent (each starts where the previous one ends). */
  readonly mappedFiles: MappedFile[] = [];
  readonly storePath: string;
  readonly mappedFileSize: number;
  /** Every byte before this offset is on disk. */
  flushedWhere = 0;
  /** Every byte before this offset has reached the file (page cache). */
  committedWhere = 0;
  /** Store timestamp of the last record covered by a thorough flush (for the checkpoint). */
  storeTimestamp = 0;
  /** load() found the last file short and extended it with zeros: data may be missing at the end. */
  extendedOnLoad = false;
  private readonly fs: FileSystem;
  private readonly clock: Clock;
  private readonly pool: WriteBufferPool;
  private readonly events: NodeEvents;
  /** Name of this log in events (`'commitlog'`, `'consumequeue/<topic>/<queueId>'`). */
  readonly queueName: string;

  constructor(options: MappedFileQueueOptions) {
    assert(Number.isSafeInteger(options.mappedFileSize) && options.mappedFileSize > 0, 'mappedFileSize must be positive');
    this.fs = options.fs;
    this.storePath = options.storePath;
    this.mappedFileSize = options.mappedFileSize;
    this.clock = options.clock;
    this.pool = options.writeBufferPool;
    this.events = options.events;
    this.queueName = options.queueName;
  }

  /*
   * load(): what a damaged directory looks like, and the answer.
   *
   *   size 100                     00…000 [100]  00…100 [100]  00…200 [37]    -> extend the last
   *                                                                              file to 100 (zeros)
   *   a short or long file that
   *   is not the last one          00…000 [100]  00…100 [37]   00…200 [100]   -> false
   *   a gap or a misaligned name   00…000 [100]  00…200 [100]                 -> false
   *
   * Only the first row is repaired, because it loses nothing: the zeros read as "no more
   * records", which is what recovery then finds. Everything else needs a person (a changed
   * `mappedFileSize`, a file copied back by hand), so the store refuses to start and says why.
   */
  /**
   * Open the files found in the directory, in name order, with all positions at the end
   * (recovery moves them back). False, with a `store.io.failed` event naming the file, when
   * a file cannot be opened, has the wrong length (a short last file is extended instead),
   * or does not start where the previous one ends. Never throws on what it finds on disk.
   */
  load(): boolean {
    const names = this.fs.list(this.storePath).filter(isSegmentFileName);
    for (const [i, name] of names.entries()) {
      const path = joinPath(this.storePath, name);
      const expectedOffset = i === 0 ? Number(name) - (Number(name) % this.mappedFileSize) : this.mappedFiles[i - 1]!.fileFromOffset + this.mappedFileSize;
      if (Number(name) !== expectedOffset) return this.refuse(path, `expected a file starting at ${expectedOffset}`);
      let file: MappedFile;
      let length: number;
      try {
        file = MappedFile.open(this.fs, path, this.mappedFileSize, this.pool, this.clock);
        length = file.lengthOnDisk();
        if (length < this.mappedFileSize && i === names.length - 1) {
          file.extendToFileSize();
          length = this.mappedFileSize;
          this.extendedOnLoad = true;
        }
      } catch (error) {
        if (!(error instanceof MappedFileIOError)) throw error;
        return this.refuse(path, error.message);
      }
      if (length !== this.mappedFileSize) {
        file.close();
        return this.refuse(path, `length ${length} does not match mappedFileSize ${this.mappedFileSize}`);
      }
      this.mappedFiles.push(file);
    }
    return true;
  }

  /** Close what load() opened and report why it stopped. */
  private refuse(path: string, why: string): false {
    this.shutdown();
    this.mappedFiles.length = 0;
    this.events.emit('store.io.failed', { operation: 'load', path, error: `${this.queueName}: ${why}` });
    return false;
  }

  /** Java `checkSelf`: adjacent files are exactly one file size apart. */
  checkSelf(): void {
    for (let i = 1; i < this.mappedFiles.length; i++) {
      const gap = this.mappedFiles[i]!.fileFromOffset - this.mappedFiles[i - 1]!.fileFromOffset;
      assert(gap === this.mappedFileSize, `${this.queueName}: files ${i - 1} and ${i} are ${gap} bytes apart`);
    }
  }

  getFirstMappedFile(): MappedFile | undefined {
    return this.mappedFiles[0];
  }

  /**
   * The last file; with `startOffset` given and `needCreate` true (the default then), a new
   * file is created when there is none (at the file boundary at or below `startOffset`) or
   * when the last one is full (right after it). Throws MappedFileIOError if creating fails.
   */
  getLastMappedFile(startOffset?: number, needCreate = true): MappedFile | undefined {
    const last = this.mappedFiles[this.mappedFiles.length - 1];
    if (startOffset === undefined || !needCreate) return last;
    let createOffset = -1;
    if (last === undefined) createOffset = startOffset - (startOffset % this.mappedFileSize);
    else if (last.isFull) createOffset = last.fileFromOffset + this.mappedFileSize;
    if (createOffset < 0) return last;
    // Commit the full file first, so its window returns to the pool for the new file.
    if (last !== undefined) {
      last.commit(0);
      if (this.committedWhere >= last.fileFromOffset || last === this.mappedFiles[0]) {
        this.committedWhere = last.fileFromOffset + last.committedPosition;
      }
    }
    const file = MappedFile.create(this.fs, this.pathOf(createOffset), this.mappedFileSize, this.pool, this.clock);
    if (this.mappedFiles.length === 0) file.firstCreateInQueue = true;
    this.mappedFiles.push(file);
    this.events.emit('store.mappedfile.created', {
      queue: this.queueName,
      fileName: file.fileName,
      fileFromOffset: file.fileFromOffset,
      fileSize: this.mappedFileSize,
    });
    return file;
  }

  private pathOf(offset: number): string {
    if (this.mappedFiles.length === 0) fileIO(this.storePath, 'create', () => this.fs.mkdirp(this.storePath));
    return joinPath(this.storePath, offset2FileName(offset));
  }

  /*
   * findMappedFileByOffset: every file has the same size, so the index is arithmetic.
   * Files may have been deleted from the front, so count from the first file's offset.
   *
   *   files:    [ 4096 | 8192 | 12288 )  size 4096, first.fileFromOffset = 4096
   *                          ^ offset 9000
   *   index = floor(9000 / 4096) - floor(4096 / 4096) = 2 - 1 = 1   -> file "…8192"
   *
   *   offset 3000 (below the first file) or 16384 (past the last) -> not found
   *   (or the first file, when the caller asks for it: Java's returnFirstOnNotFound)
   */
  /** The file whose range holds `offset`; Java `findMappedFileByOffset`. */
  findMappedFileByOffset(offset: number, returnFirstOnNotFound = false): MappedFile | undefined {
    const first = this.mappedFiles[0];
    const last = this.mappedFiles[this.mappedFiles.length - 1];
    if (first === undefined || last === undefined) return undefined;
    if (offset >= first.fileFromOffset && offset < last.fileFromOffset + this.mappedFileSize) {
      const index = Math.floor(offset / this.mappedFileSize) - Math.floor(first.fileFromOffset / this.mappedFileSize);
      const file = this.mappedFiles[index];
      if (file !== undefined && offset >= file.fileFromOffset && offset < file.fileFromOffset + this.mappedFileSize) return file;
      // Only a gap between files (a bug checkSelf reports) lands here; fall back to a scan.
      const found = this.mappedFiles.find((f) => offset >= f.fileFromOffset && offset < f.fileFromOffset + this.mappedFileSize);
      if (found !== undefined) return found;
    }
    return returnFirstOnNotFound ? first : undefined;
  }

  /** Offset of the first byte still kept, or -1 when there is no file. */
  getMinOffset(): number {
    return this.mappedFiles[0]?.fileFromOffset ?? -1;
  }

  /** End of the readable log (Java `getMaxOffset`: last file start + read position), 0 when empty. */
  getMaxOffset(): number {
    const last = this.mappedFiles[this.mappedFiles.length - 1];
    return last === undefined ? 0 : last.fileFromOffset + last.readPosition;
  }

  /** End of the written log (the same as getMaxOffset here: readers see every written byte). */
  getMaxWrotePosition(): number {
    const last = this.mappedFiles[this.mappedFiles.length - 1];
    return last === undefined ? 0 : last.fileFromOffset + last.wrotePosition;
  }

  remainHowManyDataToCommit(): number {
    return this.getMaxWrotePosition() - this.committedWhere;
  }

  remainHowManyDataToFlush(): number {
    return this.getMaxOffset() - this.flushedWhere;
  }

  /** Java `howMuchFallBehind`: written bytes not yet on disk. */
  howMuchFallBehind(): number {
    return this.mappedFiles.length === 0 ? 0 : this.getMaxWrotePosition() - this.flushedWhere;
  }

  // -------------------------------------------------------------------------------------
  // Commit and flush.

  /**
   * Move the pending bytes of every file from `committedWhere` on to their files, one
   * write per file (Java commits one file per call). Returns true when anything moved.
   * Throws MappedFileIOError when a write fails; the cursor then stays before the failure.
   */
  commit(commitLeastPages: number): boolean {
    const before = this.committedWhere;
    let file = this.findMappedFileByOffset(this.committedWhere, this.committedWhere === 0 || this.committedWhere < this.getMinOffset());
    while (file !== undefined) {
      const position = file.commit(commitLeastPages);
      this.committedWhere = Math.max(this.committedWhere, file.fileFromOffset + position);
      if (position < this.mappedFileSize) break;
      file = this.mappedFiles[this.mappedFiles.indexOf(file) + 1];
    }
    return this.committedWhere > before;
  }

  /**
   * Flush the file that holds `flushedWhere` (Java `flush`): commit, fdatasync, move the
   * cursor. One file per call, as in Java, so a caller whose data spans a file boundary
   * calls again. Returns true when the cursor moved (Java returns the opposite sense).
   */
  flush(flushLeastPages: number): boolean {
    const file = this.fileAtFlushedWhere();
    if (file === undefined) return false;
    const storeTimestamp = file.storeTimestamp;
    const position = file.flush(flushLeastPages);
    return this.afterFlush(file, position, flushLeastPages, storeTimestamp);
  }

  /** {@link flush} with the fdatasync off the thread (the group commit's one flush in flight). */
  async flushAsync(flushLeastPages: number): Promise<boolean> {
    const file = this.fileAtFlushedWhere();
    if (file === undefined) return false;
    const storeTimestamp = file.storeTimestamp;
    const position = await file.flushAsync(flushLeastPages);
    return this.afterFlush(file, position, flushLeastPages, storeTimestamp);
  }

  private fileAtFlushedWhere(): MappedFile | undefined {
    const where = this.flushedWhere;
    return this.findMappedFileByOffset(where, where === 0 || where < this.getMinOffset());
  }

  private afterFlush(file: MappedFile, position: number, leastPages: number, storeTimestamp: number): boolean {
    const where = file.fileFromOffset + position;
    const moved = file.isAvailable && where > this.flushedWhere;
    if (moved) this.flushedWhere = where;
    this.committedWhere = Math.max(this.committedWhere, this.flushedWhere);
    if (leastPages === 0 && storeTimestamp > 0) this.storeTimestamp = storeTimestamp;
    return moved;
  }

  // -------------------------------------------------------------------------------------
  // Cutting the log back (recovery).

  /*
   * truncateDirtyFiles(offset): recovery found that the valid log ends at `offset`. Each
   * file is kept whole, cut, or deleted, depending on where `offset` falls.
   *
   *   size 4096, offset = 9000
   *
   *   [ 0 .. 4096 )      tail 4096  <= 9000          keep as is
   *   [ 4096 .. 8192 )   tail 8192  <= 9000          keep as is
   *   [ 8192 .. 12288 )  8192 <= 9000 < tail         cut: positions = 9000 % 4096 = 808,
   *                                                  bytes past 808 zeroed
   *   [ 12288 .. 16384 ) 12288 > 9000                delete the file
   *
   *   offset exactly 8192: file "…4096" ends there and stays full; file "…8192" is kept
   *   and cut to position 0 (an empty last file); later files are deleted.
   */
  /** Cut the log back to `offset` (Java `truncateDirtyFiles`); the cursors move back with it. */
  truncateDirtyFiles(offset: number): void {
    const removed: MappedFile[] = [];
    for (const file of this.mappedFiles) {
      const fileTailOffset = file.fileFromOffset + this.mappedFileSize;
      if (fileTailOffset <= offset) continue;
      if (offset >= file.fileFromOffset) {
        file.truncateTo(offset % this.mappedFileSize);
      } else {
        file.destroy();
        removed.push(file);
      }
    }
    this.removeFiles(removed, 'truncated');
    this.flushedWhere = Math.min(this.flushedWhere, offset);
    this.committedWhere = Math.min(this.committedWhere, offset);
  }

  /** Delete the last file (Java `deleteLastMappedFile`, used when recovering consume queues). */
  deleteLastMappedFile(): void {
    const last = this.mappedFiles[this.mappedFiles.length - 1];
    if (last === undefined) return;
    last.destroy();
    this.removeFiles([last], 'truncated');
  }

  // -------------------------------------------------------------------------------------
  // Deleting from the front (cleaning).

  /**
   * Delete files, oldest first, whose last write is at least `expiredTimeMs` old (or all of
   * them with `cleanImmediately`), never the last file, stopping at the first file that is
   * not expired and after {@link DELETE_FILES_BATCH_MAX}. Java `deleteExpiredFileByTime`.
   */
  deleteExpiredFileByTime(expiredTimeMs: number, cleanImmediately: boolean): number {
    const now = this.clock.now();
    const removed: MappedFile[] = [];
    for (const file of this.mappedFiles.slice(0, -1)) {
      if (now < file.lastModifiedTimestamp + expiredTimeMs && !cleanImmediately) break; // never leave a hole
      file.destroy();
      removed.push(file);
      if (removed.length >= DELETE_FILES_BATCH_MAX) break;
    }
    this.removeFiles(removed, 'expired');
    return removed.length;
  }

  /**
   * Delete consume-queue files, oldest first and never the last, whose last unit points
   * below the commit log's min `offset` (every unit then points at deleted data). Each
   * unit starts with its 8-byte physical offset. Java `deleteExpiredFileByOffset`.
   */
  deleteExpiredFileByOffset(offset: number, unitSize: number): number {
    const removed: MappedFile[] = [];
    const lastUnit = new Uint8Array(8);
    for (const file of this.mappedFiles.slice(0, -1)) {
      if (!file.read(this.mappedFileSize - unitSize, lastUnit, 0, 8)) break;
      const maxOffsetInLogicQueue = readInt64(viewOf(lastUnit), 0);
      // A last unit that is garbage (NaN, negative) proves nothing: never delete on it.
      if (Number.isNaN(maxOffsetInLogicQueue) || maxOffsetInLogicQueue < 0 || maxOffsetInLogicQueue >= offset) break;
      file.destroy();
      removed.push(file);
    }
    this.removeFiles(removed, 'expired');
    return removed.length;
  }

  private removeFiles(files: readonly MappedFile[], reason: 'expired' | 'truncated' | 'destroyed'): void {
    for (const file of files) {
      const i = this.mappedFiles.indexOf(file);
      if (i >= 0) this.mappedFiles.splice(i, 1);
      this.events.emit('store.mappedfile.deleted', { queue: this.queueName, fileName: file.fileName, fileFromOffset: file.fileFromOffset, reason });
    }
  }

  // -------------------------------------------------------------------------------------
  // Lifecycle.

  /**
   * Commit pending bytes and close every handle (store shutdown). Files stay on disk. Every
   * file is closed even when one fails; the first MappedFileIOError is thrown afterwards.
   */
  shutdown(): void {
    let failure: unknown;
    for (const file of this.mappedFiles) {
      try {
        file.close();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
  }

  /** Delete every file and the directory (Java `destroy`); the cursors go back to 0. */
  destroy(): void {
    const files = [...this.mappedFiles];
    for (const file of files) file.destroy();
    this.removeFiles(files, 'destroyed');
    this.flushedWhere = 0;
    this.committedWhere = 0;
    this.fs.removeDir(this.storePath);
  }
}
