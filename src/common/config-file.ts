/**
 * Config files: how a small JSON table is written so that a crash never leaves it
 * unreadable, and how it is read back (falling back to the previous copy).
 *
 * Both the broker (topics, subscription groups, consumer offsets) and the store (the
 * schedule service's delay offsets) keep tables in JSON files under
 * `<storePathRootDir>/config/`. The file part of that is the same for all of them, and in
 * Java it lives in `MixAll.string2File` / `file2String` and in `ConfigManager.load`:
 *
 * ```
 *   string2File(text, topics.json):
 *     1. write the new text to     topics.json.tmp
 *     2. copy the current file to  topics.json.bak   (skipped when the caller says the
 *                                                      current file is corrupt)
 *     3. rename topics.json.tmp over topics.json      (atomic: old or new, never half)
 *
 *   loadConfigFile(topics.json, decode):
 *     topics.json decodes?                       yes ──► source 'file'
 *     no (missing, empty, corrupt) ──► topics.json.bak decodes? ──► source 'bak'
 *     neither file exists                                      ──► source 'none'
 *     something exists but nothing decodes                     ──► source 'defaults'
 * ```
 *
 * The functions take the FileSystem port and report nothing: the broker's ConfigManager and
 * the store's ScheduleMessageService each emit their own events about the outcome.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java's `string2File` always copies the current file to `.bak`; the caller may skip that
 *   here, so a file that failed to load never overwrites a good `.bak`.
 * - Java treats "both copies corrupt" as a failed load; here it is the outcome `'defaults'`
 *   and each caller decides (see config-manager.ts and schedule-message-service.ts).
 * - Disk errors are whatever the FileSystem throws; `loadConfigFile` asks the caller's
 *   `isIOError` which of them are disk errors (common may not import the port's error class).
 *
 * @mirrors org.apache.rocketmq.common.MixAll#string2File
 * @mirrors org.apache.rocketmq.common.MixAll#file2String
 * @mirrors org.apache.rocketmq.common.ConfigManager#load
 * @article store-init "Config files next to the store"
 * @category Common
 * @module
 */
import type { FileSystem } from '../platform/storage.js';

/** Where a loaded table came from (see the module diagram). */
export type ConfigFileSource = 'file' | 'bak' | 'none' | 'defaults';

/** The outcome of {@link loadConfigFile}. */
export interface ConfigFileLoadResult {
  readonly source: ConfigFileSource;
  /** Why the file (and, for `'defaults'`, the `.bak` too) could not be used. */
  readonly error?: string;
  /** The main file exists but failed to read or decode: do not back it up on the next write. */
  readonly mainFileCorrupt: boolean;
}

/** What {@link loadConfigFile} needs. */
export interface LoadConfigFileOptions {
  readonly fs: FileSystem;
  /** Absolute path of the JSON file; its backup is `<path>.bak`. */
  readonly path: string;
  /** Parse the text into the caller's table; throw on text that is not the expected JSON, changing nothing. */
  readonly decode: (text: string) => void;
  /** Whether an error thrown while reading is a disk error (reported) rather than a bug (rethrown). */
  readonly isIOError: (error: unknown) => boolean;
}

/** Options of {@link string2File}. */
export interface String2FileOptions {
  /**
   * Copy the current file to `<path>.bak` before replacing it. Pass false when the current
   * file is known to be corrupt. @defaultValue true
   */
  readonly backupPrevious?: boolean;
}

/**
 * Write `text` to `path` via `<path>.tmp`, keeping the previous content in `<path>.bak`
 * (Java `MixAll.string2File`). Creates the parent directory. Throws what the FileSystem
 * throws; a failure before the rename leaves the old file in place.
 */
export function string2File(fs: FileSystem, text: string, path: string, options: String2FileOptions = {}): void {
  fs.mkdirp(parentDirOf(path));
  fs.writeText(`${path}.tmp`, text);
  const previous = options.backupPrevious === false ? undefined : fs.readText(path);
  if (previous !== undefined) fs.writeText(`${path}.bak`, previous);
  fs.rename(`${path}.tmp`, path);
}

/**
 * The whole file as text, or `undefined` when it is missing or empty (Java
 * `MixAll.file2String` answers null for a missing file, and `ConfigManager` skips an
 * empty one). Throws what the FileSystem throws.
 */
export function file2String(fs: FileSystem, path: string): string | undefined {
  const text = fs.readText(path);
  return text === undefined || text.trim().length === 0 ? undefined : text;
}

/** Read `path`, or its `.bak` when `path` is unusable, into the caller's table. Never throws for a disk error or bad JSON. */
export function loadConfigFile(options: LoadConfigFileOptions): ConfigFileLoadResult {
  const { path } = options;
  const main = tryDecode(options, path);
  if (main.ok) return { source: 'file', mainFileCorrupt: false };
  const mainFileCorrupt = main.error !== undefined;
  const bak = tryDecode(options, `${path}.bak`);
  if (bak.ok) return main.error === undefined ? { source: 'bak', mainFileCorrupt } : { source: 'bak', error: main.error, mainFileCorrupt };
  if (main.error === undefined && bak.error === undefined) return { source: 'none', mainFileCorrupt };
  const error = [main.error, bak.error].filter((e) => e !== undefined).join('; ');
  return { source: 'defaults', error, mainFileCorrupt };
}

/**
 * Decode one file. `ok` when it held a table; otherwise `error` says why, or is absent
 * when the file is simply missing or empty.
 */
function tryDecode(options: LoadConfigFileOptions, path: string): { ok: true } | { ok: false; error?: string } {
  let text: string | undefined;
  try {
    text = file2String(options.fs, path);
  } catch (error) {
    if (!options.isIOError(error)) throw error;
    return { ok: false, error: `${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (text === undefined) return { ok: false };
  try {
    options.decode(text);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: `${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Everything before the last `/` (the port's `dirName`, which common may not import as a value). */
function parentDirOf(path: string): string {
  const i = path.lastIndexOf('/');
  if (i < 0) return '.';
  return i === 0 ? '/' : path.slice(0, i);
}
