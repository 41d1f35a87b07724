/**
 * NodeFileSystem: the FileSystem port on real files, through Node's synchronous `fs` calls.
 *
 * A broker serving real clients keeps its commit log, consume queues and index files
 * here. Reads and writes are `pread`/`pwrite` at absolute positions straight between the
 * caller's `Uint8Array` and the kernel (no copies, no intermediate Buffers), which is as
 * close as Node gets to Java's mapped buffers. `flush()` is `fdatasync`, and `flushAsync()`
 * is the same call on libuv's thread pool, so a group commit can sync one batch while the
 * event loop keeps appending the next.
 *
 * Differences from RocketMQ 4.9.x:
 * - No mmap; positional reads and writes instead.
 * - `writeText` writes `path.tmp`, fdatasyncs it, renames it over `path` and syncs the
 *   directory. Java's `MixAll.string2File` also writes a `.tmp` and renames, but never syncs,
 *   and keeps a `.bak` copy, which we skip.
 * - `rename` syncs the parent directory so the new name is durable when it returns, the
 *   guarantee `MemoryFileSystem` models. Directory creation and removal are not synced;
 *   journaling file systems commit them within seconds.
 *
 * @mirrors java.nio.channels.FileChannel
 * @mirrors java.io.RandomAccessFile
 * @article store "MappedFile: a file you can read like memory"
 * @category Platform
 * @module
 */
import * as fs from 'node:fs';
import { dirname } from 'node:path';
import { assert, assertSafeInteger } from '../../common/assert.js';
import { FileSystemError, type DiskSpace, type FileHandle, type FileSystem, type OpenMode } from '../storage.js';

/** An IO failure from the operating system, with the errno code and the path it concerns. */
export class NodeFileSystemError extends FileSystemError {
  override name = 'NodeFileSystemError';
  constructor(code: string, path: string, operation: string, cause: unknown) {
    super(code, path, `${operation} '${path}' failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Wrap whatever `fs` threw into a {@link NodeFileSystemError} naming the operation and the path. */
function ioError(operation: string, path: string, cause: unknown): NodeFileSystemError {
  const code = (cause as { code?: unknown } | null)?.code;
  return new NodeFileSystemError(typeof code === 'string' ? code : 'EUNKNOWN', path, operation, cause);
}

function errnoOf(cause: unknown): unknown {
  return (cause as { code?: unknown } | null)?.code;
}

/** `'rw'` must create a missing file without truncating an existing one: no string flag does both. */
const OPEN_FLAGS: Record<OpenMode, number> = {
  r: fs.constants.O_RDONLY,
  rw: fs.constants.O_RDWR | fs.constants.O_CREAT,
};

export class NodeFileSystem implements FileSystem {
  open(path: string, mode: OpenMode): FileHandle {
    let fd: number;
    try {
      fd = fs.openSync(path, OPEN_FLAGS[mode], 0o644);
    } catch (e) {
      throw ioError('open', path, e);
    }
    return new NodeFileHandle(fd, path);
  }

  exists(path: string): boolean {
    return fs.existsSync(path);
  }

  isDirectory(path: string): boolean {
    try {
      return fs.statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
    } catch (e) {
      throw ioError('stat', path, e);
    }
  }

  list(dir: string): string[] {
    try {
      return fs.readdirSync(dir).sort();
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return [];
      throw ioError('scandir', dir, e);
    }
  }

  mkdirp(dir: string): void {
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw ioError('mkdir', dir, e);
    }
  }

  remove(path: string): void {
    try {
      fs.rmSync(path, { force: true });
    } catch (e) {
      throw ioError('rm', path, e);
    }
  }

  removeDir(dir: string): void {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch (e) {
      throw ioError('rm', dir, e);
    }
  }

  rename(from: string, to: string): void {
    try {
      fs.renameSync(from, to);
    } catch (e) {
      throw ioError('rename', from, e); // Node's message names both paths.
    }
    syncDirectory(dirname(to));
  }

  readText(path: string): string | undefined {
    try {
      return fs.readFileSync(path, 'utf8');
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return undefined;
      throw ioError('read', path, e);
    }
  }

  /**
   * Write-temp, sync, rename: a crash at any point leaves either the old content or the
   * new one at `path`, never a mix, and a leftover `path.tmp` at worst.
   */
  writeText(path: string, text: string): void {
    const tmp = path + '.tmp';
    try {
      const bytes = Buffer.from(text, 'utf8');
      const fd = fs.openSync(tmp, 'w', 0o644);
      try {
        let done = 0;
        while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done, done);
        fs.fdatasyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, path);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw ioError('writeText', path, e);
    }
    syncDirectory(dirname(path));
  }

  diskSpace(path: string): DiskSpace {
    try {
      const s = fs.statfsSync(path);
      return { totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
    } catch (e) {
      throw ioError('statfs', path, e);
    }
  }
}

/**
 * Make a directory's entries (a rename's new name) durable. Some platforms cannot open a
 * directory for syncing (Windows) or refuse to sync one; there the rename is as durable as
 * the platform makes it, and we carry on.
 */
function syncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch (e) {
    const code = errnoOf(e);
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'EBADF') throw ioError('fsync', dir, e);
  } finally {
    fs.closeSync(fd);
  }
}

/** An open file descriptor. */
class NodeFileHandle implements FileHandle {
  private closed = false;
  /** Async flushes still running on the thread pool; the descriptor is closed only after them. */
  private flushesInFlight = 0;

  constructor(
    private readonly fd: number,
    readonly path: string,
  ) {}

  size(): number {
    this.checkOpen('fstat');
    try {
      return fs.fstatSync(this.fd).size;
    } catch (e) {
      throw ioError('fstat', this.path, e);
    }
  }

  read(position: number, target: Uint8Array, targetOffset = 0, length = target.length - targetOffset): number {
    this.checkOpen('read');
    checkRange(position, target, targetOffset, length);
    let done = 0;
    try {
      // readSync takes the Uint8Array itself plus an offset: the kernel copies straight into
      // the caller's memory. A regular file returns fewer bytes only at end of file, but
      // the loop does not rely on that.
      while (done < length) {
        const n = fs.readSync(this.fd, target, targetOffset + done, length - done, position + done);
        if (n === 0) break;
        done += n;
      }
    } catch (e) {
      throw ioError('read', this.path, e);
    }
    return done;
  }

  write(position: number, source: Uint8Array, sourceOffset = 0, length = source.length - sourceOffset): void {
    this.checkOpen('write');
    checkRange(position, source, sourceOffset, length);
    let done = 0;
    try {
      while (done < length) {
        done += fs.writeSync(this.fd, source, sourceOffset + done, length - done, position + done);
      }
    } catch (e) {
      throw ioError('write', this.path, e);
    }
  }

  truncate(size: number): void {
    this.checkOpen('ftruncate');
    assertSafeInteger(size, 'truncate size');
    try {
      fs.ftruncateSync(this.fd, size);
    } catch (e) {
      throw ioError('ftruncate', this.path, e);
    }
  }

  flush(): void {
    this.checkOpen('fdatasync');
    try {
      fs.fdatasyncSync(this.fd);
    } catch (e) {
      throw ioError('fdatasync', this.path, e);
    }
  }

  flushAsync(): Promise<void> {
    this.checkOpen('fdatasync');
    this.flushesInFlight++;
    return new Promise<void>((resolve, reject) => {
      fs.fdatasync(this.fd, (err) => {
        this.flushesInFlight--;
        let failure: Error | undefined = err ? ioError('fdatasync', this.path, err) : undefined;
        if (this.closed && this.flushesInFlight === 0) {
          try {
            this.closeDescriptor();
          } catch (e) {
            failure ??= e as Error;
          }
        }
        if (failure === undefined) resolve();
        else reject(failure);
      });
    });
  }

  /**
   * Closing while an async flush runs would let the thread pool sync a descriptor number
   * that may already belong to another file; the real close waits for the last flush.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.flushesInFlight === 0) this.closeDescriptor();
  }

  private closeDescriptor(): void {
    try {
      fs.closeSync(this.fd);
    } catch (e) {
      throw ioError('close', this.path, e);
    }
  }

  private checkOpen(operation: string): void {
    if (this.closed) {
      throw new NodeFileSystemError('EBADF', this.path, operation, new Error('EBADF: the handle is closed'));
    }
  }
}

/** Positions and ranges are programmer errors when wrong: assert before the kernel sees them. */
function checkRange(position: number, bytes: Uint8Array, offset: number, length: number): void {
  assertSafeInteger(position, 'position');
  assertSafeInteger(offset, 'buffer offset');
  assertSafeInteger(length, 'length');
  assert(offset + length <= bytes.length, `range [${offset}, ${offset + length}) exceeds a buffer of ${bytes.length} bytes`);
}
