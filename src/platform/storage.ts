/**
 * The FileSystem port: the disk as the store sees it.
 *
 * RocketMQ's store writes through memory-mapped files (`MappedByteBuffer`) and
 * `FileChannel`, and makes bytes durable with `force()`. Reads and writes on a mapping
 * are plain memory accesses, so they are synchronous, and so are ours: recovery and
 * dispatch read much more clearly without `await`. Only making bytes durable has an
 * asynchronous form too ({@link FileHandle.flushAsync}), because a group commit wants
 * one fdatasync in flight while the next group of writes piles up behind it.
 *
 * Two adapters implement the port: `NodeFileSystem` (real files, `fsync`/`fdatasync`)
 * and `MemoryFileSystem` (a durable image plus a volatile image, with `crash()` throwing
 * the volatile one away), which is how the crash tests and the recovery walkthrough show
 * exactly which bytes survive a power cut.
 *
 * Paths are strings with `/` separators. {@link joinPath} builds them without `node:path`,
 * so this file stays browser-safe.
 *
 * Differences from RocketMQ 4.9.x:
 * - No mmap: a {@link FileHandle} is read and written at absolute positions.
 *
 * @mirrors java.io.RandomAccessFile
 * @mirrors java.nio.channels.FileChannel
 * @article store "MappedFile: a file you can read like memory"
 * @category Platform
 * @module
 */

/** How to open a file. `'r'` fails if it is missing; `'rw'` creates it empty if it is missing. */
export type OpenMode = 'r' | 'rw';

/** An open file. Every position is an absolute byte position from the start of the file. */
export interface FileHandle {
  readonly path: string;
  /** Current length in bytes. */
  size(): number;
  /**
   * Copy up to `length` bytes starting at `position` into `target[targetOffset..]`.
   * Returns how many bytes were copied: fewer than asked only at end of file.
   */
  read(position: number, target: Uint8Array, targetOffset?: number, length?: number): number;
  /** Write `source[sourceOffset .. sourceOffset+length)` at `position`, growing the file if needed. */
  write(position: number, source: Uint8Array, sourceOffset?: number, length?: number): void;
  /** Set the length: cut the tail, or extend with zero bytes (sparse where the disk allows). */
  truncate(size: number): void;
  /** Make every byte written so far durable before returning (fdatasync). */
  flush(): void;
  /**
   * Make every byte written before this call durable; resolves when done. Bytes written
   * while it is in flight may or may not be covered: call it again for them.
   */
  flushAsync(): Promise<void>;
  /** Release the handle. Reading or writing afterwards throws. Closing twice does nothing. */
  close(): void;
}

/** Bytes free and in total on the device that holds a path, for the disk-space thresholds. */
export interface DiskSpace {
  readonly totalBytes: number;
  readonly freeBytes: number;
}

/** Files and directories. Every method is synchronous and throws an `Error` with a clear message on failure. */
export interface FileSystem {
  open(path: string, mode: OpenMode): FileHandle;
  exists(path: string): boolean;
  isDirectory(path: string): boolean;
  /** Names (not paths) of the entries of a directory, sorted; `[]` when it does not exist. */
  list(dir: string): string[];
  /** Create a directory and its missing parents. */
  mkdirp(dir: string): void;
  /** Delete a file; does nothing when it does not exist. */
  remove(path: string): void;
  /** Delete a directory and everything below it; does nothing when it does not exist. */
  removeDir(dir: string): void;
  /** Atomically replace `to` with `from` (the write-temp-then-rename pattern of config files). */
  rename(from: string, to: string): void;
  /** Read a whole file as UTF-8, or `undefined` when it does not exist. */
  readText(path: string): string | undefined;
  /** Replace a whole file's content with UTF-8 text and make it durable. */
  writeText(path: string, text: string): void;
  diskSpace(path: string): DiskSpace;
}

/**
 * A file-system failure, from either adapter: `code` is the errno name (`ENOENT`, `ENOSPC`,
 * `EIO`, ...) and `path` the file it concerns. Callers branch on `code`, never on the text.
 */
export class FileSystemError extends Error {
  override name = 'FileSystemError';
  constructor(readonly code: string, readonly path: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Join path parts with single `/` separators: `joinPath('/data', 'store/', 'commitlog')`. */
export function joinPath(...parts: string[]): string {
  const joined = parts.filter((p) => p.length > 0).join('/');
  return joined.replace(/\/{2,}/g, '/');
}

/** The last component of a path: `baseName('/a/b/00000000000000000000')` is the file name. */
export function baseName(path: string): string {
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Everything before the last component: `dirName('/a/b/c')` is `'/a/b'`. */
export function dirName(path: string): string {
  const i = path.lastIndexOf('/');
  if (i < 0) return '.';
  return i === 0 ? '/' : path.slice(0, i);
}
