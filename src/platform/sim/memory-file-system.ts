/**
 * MemoryFileSystem: an in-memory disk that can lose power, for tests, walkthroughs and the
 * browser.
 *
 * The store's hardest code is recovery: after a crash, which bytes of the commit log are
 * real, and where do the consume queues stop? Only a disk that really forgets can test
 * that, deterministically. Every file here keeps a volatile image (what reads see) and a
 * durable image (what survives): `handle.flush()` makes a file's bytes durable, and
 * {@link MemoryFileSystem.crash} throws every volatile image away, as a power cut would.
 *
 * What is durable when:
 * - Writes and truncates: only after `flush()`, or once a `flushAsync()` completes. An async
 *   flush snapshots the file at call time and completes `flushLatencyMs` later on the
 *   injected clock (or on the next microtask without one); a crash before that loses it.
 * - A file whose creation was never flushed disappears in a crash.
 * - Metadata operations are durable at once: `mkdirp`, `rename`, `remove`, `removeDir`,
 *   and `writeText`. Real file systems journal metadata, and our `writeText` stands for
 *   the write-temp, fsync, rename sequence that config files use.
 *
 * Differences from RocketMQ 4.9.x:
 * - Not in RocketMQ; it is our stand-in for the disk behind `MappedByteBuffer.force()`.
 * - Java's config files are written by `MixAll.string2File` (write a `.tmp` file, rename);
 *   here `writeText` is one atomic, durable step.
 *
 * @article store-init "Recovering after a crash"
 * @category Platform
 * @module
 */
import { assert, assertSafeInteger } from '../../common/assert.js';
import { decodeUtf8, encodeUtf8 } from '../../common/bytes.js';
import type { Clock, TimerHandle } from '../clock.js';
import { FileSystemError, type DiskSpace, type FileHandle, type FileSystem, type OpenMode } from '../storage.js';
import { MemoryFile } from './memory-file.js';

/** The failure `failWrites` injects: a full disk or a failing one. */
export type WriteFault = 'ENOSPC' | 'EIO';

/** Options of {@link MemoryFileSystem}. */
export interface MemoryFileSystemOptions {
  /** The clock async flushes complete on; without one they complete on the next microtask. */
  readonly clock?: Clock;
  /**
   * How long a `flushAsync()` takes, in milliseconds of `clock` time (0: next microtask).
   * @defaultValue 0
   */
  readonly flushLatencyMs?: number;
  /**
   * The disk size `diskSpace()` reports. Used bytes are the sum of the files' lengths.
   * @defaultValue 1 TiB
   */
  readonly capacityBytes?: number;
}

/** An IO failure of the MemoryFileSystem, carrying a POSIX code as Node's errors do. */
export class MemoryFileSystemError extends FileSystemError {
  override name = 'MemoryFileSystemError';
  constructor(code: string, path: string, operation: string) {
    super(code, path, `${code}: ${ERROR_TEXT[code] ?? 'i/o failure'}, ${operation} '${path}'`);
  }
}

const ERROR_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EEXIST: 'file already exists',
  EISDIR: 'illegal operation on a directory',
  ENOTDIR: 'not a directory',
  ENOTEMPTY: 'directory not empty',
  EINVAL: 'invalid argument',
  EBADF: 'bad file descriptor',
  ENOSPC: 'no space left on device',
  EIO: 'i/o error',
};

const DEFAULT_CAPACITY_BYTES = 2 ** 40;

/** Turn any path into an absolute one without `.`, `..`, repeated or trailing `/` (no cwd: `a` is `/a`). */
function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** True when `path` is `dir` itself or lies below it. */
function isWithin(path: string, dir: string): boolean {
  return path === dir || dir === '/' || path.startsWith(dir + '/');
}

export class MemoryFileSystem implements FileSystem {
  private readonly files = new Map<string, MemoryFile>();
  private readonly dirs = new Set<string>(['/']);
  /** Bumped by every crash; a handle or an async flush from an older epoch is dead. */
  private epoch = 0;
  private fault: { kind: WriteFault; pathPrefix: string } | undefined;
  private readonly flushTimers = new Set<TimerHandle>();
  private readonly clock: Clock | undefined;
  private readonly flushLatencyMs: number;
  private readonly capacityBytes: number;

  constructor(options: MemoryFileSystemOptions = {}) {
    this.clock = options.clock;
    this.flushLatencyMs = options.flushLatencyMs ?? 0;
    this.capacityBytes = options.capacityBytes ?? DEFAULT_CAPACITY_BYTES;
    assertSafeInteger(this.capacityBytes, 'capacityBytes');
  }

  open(path: string, mode: OpenMode): FileHandle {
    const p = normalize(path);
    if (this.dirs.has(p)) throw new MemoryFileSystemError('EISDIR', path, 'open');
    let file = this.files.get(p);
    if (file === undefined) {
      if (mode === 'r') throw new MemoryFileSystemError('ENOENT', path, 'open');
      this.checkParent(p, path, 'open');
      file = new MemoryFile();
      this.files.set(p, file);
    }
    return new MemoryFileHandle(this, file, path, mode, this.epoch);
  }

  exists(path: string): boolean {
    const p = normalize(path);
    return this.files.has(p) || this.dirs.has(p);
  }

  isDirectory(path: string): boolean {
    return this.dirs.has(normalize(path));
  }

  list(dir: string): string[] {
    const p = normalize(dir);
    if (this.files.has(p)) throw new MemoryFileSystemError('ENOTDIR', dir, 'scandir');
    if (!this.dirs.has(p)) return [];
    const names: string[] = [];
    for (const key of [...this.files.keys(), ...this.dirs]) {
      if (key !== p && parentOf(key) === p) names.push(key.slice(p === '/' ? 1 : p.length + 1));
    }
    return names.sort();
  }

  mkdirp(dir: string): void {
    const p = normalize(dir);
    let current = '';
    for (const part of p.split('/').slice(1)) {
      if (part === '') continue;
      current += '/' + part;
      if (this.files.has(current)) throw new MemoryFileSystemError(current === p ? 'EEXIST' : 'ENOTDIR', dir, 'mkdir');
      this.dirs.add(current);
    }
  }

  remove(path: string): void {
    const p = normalize(path);
    if (this.dirs.has(p)) throw new MemoryFileSystemError('EISDIR', path, 'rm');
    this.files.delete(p);
  }

  /** Delete a directory and everything below it (or a file, as `rm -rf` would). */
  removeDir(dir: string): void {
    const p = normalize(dir);
    for (const key of [...this.files.keys()]) if (isWithin(key, p)) this.files.delete(key);
    for (const key of [...this.dirs]) if (isWithin(key, p)) this.dirs.delete(key);
    this.dirs.add('/');
  }

  /** Move a file or a directory; replaces a file at `to`, or an empty directory when moving one. */
  rename(from: string, to: string): void {
    const f = normalize(from);
    const t = normalize(to);
    const file = this.files.get(f);
    if (file === undefined && (!this.dirs.has(f) || f === '/')) throw new MemoryFileSystemError('ENOENT', from, 'rename');
    this.checkParent(t, to, 'rename');
    if (f === t) return;
    if (file !== undefined) {
      if (this.dirs.has(t)) throw new MemoryFileSystemError('EISDIR', to, 'rename');
      file.makeExistenceDurable();
      this.files.delete(f);
      this.files.set(t, file);
      return;
    }
    if (this.files.has(t)) throw new MemoryFileSystemError('ENOTDIR', to, 'rename');
    if (this.list(t).length > 0) throw new MemoryFileSystemError('ENOTEMPTY', to, 'rename');
    if (isWithin(t, f)) throw new MemoryFileSystemError('EINVAL', to, 'rename');
    const moved = (key: string): string => t + key.slice(f.length);
    for (const [key, entry] of [...this.files]) {
      if (!isWithin(key, f)) continue;
      this.files.delete(key);
      this.files.set(moved(key), entry);
    }
    for (const key of [...this.dirs]) {
      if (!isWithin(key, f)) continue;
      this.dirs.delete(key);
      this.dirs.add(moved(key));
    }
  }

  /** The file's bytes as readers see them (flushed or not), or `undefined` when it does not exist. */
  readText(path: string): string | undefined {
    const p = normalize(path);
    if (this.dirs.has(p)) throw new MemoryFileSystemError('EISDIR', path, 'read');
    const file = this.files.get(p);
    if (file === undefined) return undefined;
    const bytes = new Uint8Array(file.size);
    file.read(0, bytes, 0, bytes.length);
    return decodeUtf8(bytes);
  }

  /**
   * Replace the file with `text`, durably and atomically. Open handles keep the old file,
   * as they would after Node's write-temp-then-rename.
   */
  writeText(path: string, text: string): void {
    const p = normalize(path);
    this.checkParent(p, path, 'open');
    if (this.dirs.has(p)) throw new MemoryFileSystemError('EISDIR', path, 'open');
    this.checkWrite(path, 'write');
    this.files.set(p, MemoryFile.durableFromBytes(encodeUtf8(text)));
  }

  /** Total is `capacityBytes`; free is what the files' lengths leave, or 0 while `failWrites('ENOSPC')` is on. */
  diskSpace(_path: string): DiskSpace {
    let usedBytes = 0;
    for (const file of this.files.values()) usedBytes += file.size;
    const freeBytes = this.fault?.kind === 'ENOSPC' ? 0 : Math.max(0, this.capacityBytes - usedBytes);
    return { totalBytes: this.capacityBytes, freeBytes };
  }

  // ---------------------------------------------------------------------------------------
  // Crash and fault injection.

  /**
   * Power cut. Every file returns to its durable image (a file never made durable
   * disappears), every in-flight `flushAsync` is lost and never settles (the process that
   * awaited it is gone), and every open handle becomes invalid: using it throws. Directories
   * and the effects of rename, remove and writeText stay, because they were durable at once.
   * Injected faults stay too: a broken disk is still broken after a reboot.
   */
  crash(): void {
    this.epoch++;
    for (const timer of this.flushTimers) timer.cancel();
    this.flushTimers.clear();
    for (const [path, file] of [...this.files]) {
      if (!file.crash()) this.files.delete(path);
    }
  }

  /**
   * From now on, `write`, `truncate` and `writeText` on paths starting with `pathPrefix`
   * (every path when omitted) throw a {@link MemoryFileSystemError} with code `kind`.
   * With `'ENOSPC'` the whole disk also reports 0 free bytes. `null` ends the fault.
   */
  failWrites(kind: WriteFault | null, pathPrefix = ''): void {
    this.fault = kind === null ? undefined : { kind, pathPrefix };
  }

  // ---------------------------------------------------------------------------------------
  // Introspection for crash tests: look at the durable side without crashing.

  /** Length of a file's durable image; `undefined` when missing or when a crash would delete it. */
  durableSize(path: string): number | undefined {
    return this.files.get(normalize(path))?.durableSize;
  }

  /** A copy of a file's durable bytes; `undefined` when missing or when a crash would delete it. */
  readDurable(path: string): Uint8Array | undefined {
    return this.files.get(normalize(path))?.readDurable();
  }

  /** Bytes of memory a file's pages hold (a sparse file costs only its written pages). */
  allocatedBytes(path: string): number {
    return this.files.get(normalize(path))?.allocatedBytes ?? 0;
  }

  /** Every directory (with a trailing `/`) and file, as absolute paths, sorted. */
  listAll(): string[] {
    const dirs = [...this.dirs].filter((d) => d !== '/').map((d) => d + '/');
    return [...dirs, ...this.files.keys()].sort();
  }

  // ---------------------------------------------------------------------------------------
  // Services for the handles.

  /** Whether a handle opened in `epoch` is still usable. */
  isCurrent(epoch: number): boolean {
    return epoch === this.epoch;
  }

  /** Throw the injected fault when it covers `path`. */
  checkWrite(path: string, operation: string): void {
    const fault = this.fault;
    if (fault !== undefined && normalize(path).startsWith(normalize(fault.pathPrefix))) {
      throw new MemoryFileSystemError(fault.kind, path, operation);
    }
  }

  /** Run `apply` after the flush latency and resolve, unless a crash comes first. */
  completeFlushLater(apply: () => void): Promise<void> {
    const epoch = this.epoch;
    return new Promise<void>((resolve) => {
      const complete = (): void => {
        if (epoch !== this.epoch) return;
        apply();
        resolve();
      };
      const clock = this.clock;
      if (clock === undefined || this.flushLatencyMs <= 0) {
        void Promise.resolve().then(complete);
        return;
      }
      const timer = clock.setTimer(this.flushLatencyMs, () => {
        this.flushTimers.delete(timer);
        complete();
      });
      this.flushTimers.add(timer);
    });
  }

  private checkParent(p: string, path: string, operation: string): void {
    const parent = parentOf(p);
    if (this.files.has(parent)) throw new MemoryFileSystemError('ENOTDIR', path, operation);
    if (!this.dirs.has(parent)) throw new MemoryFileSystemError('ENOENT', path, operation);
  }
}

/** A handle on one MemoryFile. Several handles on one file share its bytes, as file descriptors do. */
class MemoryFileHandle implements FileHandle {
  private closed = false;

  constructor(
    private readonly fs: MemoryFileSystem,
    private readonly file: MemoryFile,
    readonly path: string,
    private readonly mode: OpenMode,
    private readonly epoch: number,
  ) {}

  size(): number {
    this.checkUsable('fstat');
    return this.file.size;
  }

  read(position: number, target: Uint8Array, targetOffset = 0, length = target.length - targetOffset): number {
    this.checkUsable('read');
    checkRange(position, target, targetOffset, length);
    return this.file.read(position, target, targetOffset, length);
  }

  write(position: number, source: Uint8Array, sourceOffset = 0, length = source.length - sourceOffset): void {
    this.checkWritable('write');
    checkRange(position, source, sourceOffset, length);
    this.file.write(position, source, sourceOffset, length);
  }

  truncate(size: number): void {
    this.checkWritable('ftruncate');
    assertSafeInteger(size, 'truncate size');
    this.file.truncate(size);
  }

  flush(): void {
    this.checkUsable('fdatasync');
    this.file.flush();
  }

  flushAsync(): Promise<void> {
    this.checkUsable('fdatasync');
    const delta = this.file.beginFlush();
    return this.fs.completeFlushLater(() => this.file.completeFlush(delta));
  }

  close(): void {
    this.closed = true;
  }

  private checkUsable(operation: string): void {
    if (this.closed) throw new MemoryFileSystemError('EBADF', this.path, `${operation} (handle closed)`);
    if (!this.fs.isCurrent(this.epoch)) {
      throw new MemoryFileSystemError('EBADF', this.path, `${operation} (handle invalidated by crash())`);
    }
  }

  private checkWritable(operation: string): void {
    this.checkUsable(operation);
    if (this.mode === 'r') throw new MemoryFileSystemError('EBADF', this.path, `${operation} (opened read-only)`);
    this.fs.checkWrite(this.path, operation);
  }
}

/** Positions and ranges are programmer errors when wrong: assert, as Node would throw. */
function checkRange(position: number, bytes: Uint8Array, offset: number, length: number): void {
  assertSafeInteger(position, 'position');
  assertSafeInteger(offset, 'buffer offset');
  assertSafeInteger(length, 'length');
  assert(offset + length <= bytes.length, `range [${offset}, ${offset + length}) exceeds a buffer of ${bytes.length} bytes`);
}
