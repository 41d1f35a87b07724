/**
 * ConfigManager: a table the broker keeps in one JSON file under `<storePathRootDir>/config/`,
 * loaded at start and rewritten after every change.
 *
 * The broker's durable metadata is a handful of small JSON files next to the store:
 *
 * ```
 *   <storePathRootDir>/config/
 *     topics.json              TopicConfigManager         {"dataVersion":..,"topicConfigTable":{..}}
 *     subscriptionGroup.json   SubscriptionGroupManager   {"dataVersion":..,"subscriptionGroupTable":{..}}
 *     consumerOffset.json      ConsumerOffsetManager      {"offsetTable":{"topic@group":{0:5}}}
 *     delayOffset.json         ScheduleMessageService     {"offsetTable":{1:0,2:7}}
 *     consumerFilter.json      ConsumerFilterManager      {"filterDataByTopic":{..}}  (SQL92 subscriptions)
 * ```
 *
 * Each file is written so that a crash at any moment leaves something readable behind
 * (Java `MixAll.string2File`; the file steps live in `common/config-file.ts`, which the
 * store's schedule service shares, and this class adds the events):
 *
 * ```
 *   persist():  1. write the new JSON to   topics.json.tmp
 *               2. copy the current file to topics.json.bak   (skipped if the current file is corrupt)
 *               3. rename topics.json.tmp over topics.json
 *   load():     topics.json readable?            yes ──► use it                      source 'file'
 *               no (missing, empty, corrupt) ──► topics.json.bak readable? ──► use it source 'bak'
 *               neither exists                                                       source 'none'
 *               both unreadable ──► keep the built-in defaults, report the error     source 'defaults'
 * ```
 *
 * A subclass says how to turn its table into text ({@link ConfigManager.encode}) and back
 * ({@link ConfigManager.decode}); `decode` must parse everything before changing anything,
 * so a file that fails half-way leaves the table as it was.
 *
 * Differences from RocketMQ 4.9.x:
 * - `load()` never fails: Java's broker refuses to start when both the file and its `.bak`
 *   are corrupt; here the broker starts with its defaults and the `broker.config.loaded`
 *   event carries the error (the files are left in place for an operator to inspect).
 * - `persist()` does not copy a file that failed to load over a good `.bak` (Java does,
 *   which can destroy the only good copy on the first write after a fallback).
 * - Files are written compact, not pretty-printed; both read the same.
 * - A write failure is reported as `broker.config.persist-failed` and returns false, where
 *   Java logs it.
 * - `persist()` skips the write when the table encodes to the text it wrote last: the
 *   broker persists consumer offsets every 5 s, and each write is two fdatasyncs and two
 *   directory fsyncs on the one thread that also answers requests. Java rewrites the file
 *   (and rotates `.bak`) every time.
 *
 * @mirrors org.apache.rocketmq.common.ConfigManager
 * @article store-init "Config files next to the store"
 * @emits broker.config.loaded, broker.config.persist-failed
 * @category Broker
 * @module
 */
import { loadConfigFile, string2File } from '../common/config-file.js';
import type { NodeEvents } from '../events/event-sink.js';
import type { ConfigLoadSource } from '../events/kinds/broker-events.js';
import { FileSystemError, joinPath, type FileSystem } from '../platform/storage.js';
import { getConfigDir } from '../store/store-path.js';

/** What a config manager needs: the disk, where its file is, and where to report. */
export interface ConfigManagerOptions {
  readonly fs: FileSystem;
  /** Absolute path of the JSON file, e.g. `<root>/config/topics.json`. */
  readonly configFilePath: string;
  readonly events: NodeEvents;
}

/** The outcome of {@link ConfigManager.load}: where the table came from, and why not the file. */
export interface ConfigLoadResult {
  readonly source: ConfigLoadSource;
  /** Why the file (and, for `'defaults'`, the `.bak` too) could not be used. */
  readonly error?: string;
}

/** `<root>/config/topics.json` (Java `BrokerPathConfigHelper.getTopicConfigPath`). */
export function getTopicConfigPath(storePathRootDir: string): string {
  return joinPath(getConfigDir(storePathRootDir), 'topics.json');
}

/** `<root>/config/subscriptionGroup.json`. */
export function getSubscriptionGroupPath(storePathRootDir: string): string {
  return joinPath(getConfigDir(storePathRootDir), 'subscriptionGroup.json');
}

/** `<root>/config/consumerOffset.json`. */
export function getConsumerOffsetPath(storePathRootDir: string): string {
  return joinPath(getConfigDir(storePathRootDir), 'consumerOffset.json');
}

/** `<root>/config/consumerFilter.json`. */
export function getConsumerFilterPath(storePathRootDir: string): string {
  return joinPath(getConfigDir(storePathRootDir), 'consumerFilter.json');
}

export abstract class ConfigManager {
  protected readonly fs: FileSystem;
  protected readonly events: NodeEvents;
  readonly configFilePath: string;
  /** Set when the main file failed to decode at load: its content must not overwrite the `.bak`. */
  private mainFileCorrupt = false;
  /** The text the last successful persist wrote (a persist of the same text writes nothing). */
  private lastPersisted: string | undefined;

  protected constructor(options: ConfigManagerOptions) {
    this.fs = options.fs;
    this.events = options.events;
    this.configFilePath = options.configFilePath;
  }

  /** The whole table as JSON text. */
  abstract encode(): string;

  /**
   * Replace or merge the table from JSON text (Java merges with `putAll`). Throws on text
   * that is not the expected JSON; must not change the table unless it succeeds.
   */
  protected abstract decode(jsonString: string): void;

  /** Read the file (or its `.bak`), never throwing; see the module diagram. */
  load(): ConfigLoadResult {
    const path = this.configFilePath;
    const loaded = loadConfigFile({ fs: this.fs, path, decode: (text) => this.decode(text), isIOError: (error) => error instanceof FileSystemError });
    this.mainFileCorrupt = loaded.mainFileCorrupt;
    const result: ConfigLoadResult = loaded.error === undefined ? { source: loaded.source } : { source: loaded.source, error: loaded.error };
    this.events.emit('broker.config.loaded', { file: path, ...result });
    return result;
  }

  /**
   * Write the table (see the module diagram), unless this manager wrote exactly this text
   * last time. Returns false, leaving the old file in place, when the disk refuses; never
   * throws for a disk error.
   */
  persist(): boolean {
    const path = this.configFilePath;
    const text = this.encode();
    if (text === this.lastPersisted) return true;
    try {
      string2File(this.fs, text, path, { backupPrevious: !this.mainFileCorrupt });
      this.mainFileCorrupt = false;
      this.lastPersisted = text;
      return true;
    } catch (error) {
      if (!(error instanceof FileSystemError)) throw error;
      this.events.emit('broker.config.persist-failed', { file: path, error: error.message });
      return false;
    }
  }
}
