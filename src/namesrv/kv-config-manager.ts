/**
 * KVConfigManager: the name server's small persistent key-value store, grouped by namespace.
 *
 * Besides routes, a name server keeps a few operator-set values that every broker and
 * client can read. The one RocketMQ itself uses is namespace `ORDER_TOPIC_CONFIG`: for a
 * globally ordered topic, `TopicA → "broker-a:4;broker-b:4"` fixes which queues exist, and
 * the name server hands it to brokers in every REGISTER_BROKER answer and (with
 * `orderMessageEnable`) to clients inside the route.
 *
 * ```
 *   configTable:  namespace ──► key ──► value
 *                 "ORDER_TOPIC_CONFIG" ──► "TopicA" ──► "broker-a:4;broker-b:4"
 *
 *   kvConfig.json:  {"configTable":{"ORDER_TOPIC_CONFIG":{"TopicA":"broker-a:4;broker-b:4"}}}
 * ```
 *
 * Every put and delete rewrites the whole file: write `kvConfig.json.tmp`, copy the old
 * file to `kvConfig.json.bak`, then rename the temporary file over the real one, so a
 * crash leaves either the old or the new content, never half of one.
 *
 * Differences from RocketMQ 4.9.x:
 * - Goes through the FileSystem port. A failed write throws (Java logs it and carries on
 *   with the in-memory change), so the request that caused it is answered SYSTEM_ERROR.
 * - A corrupt file makes {@link KVConfigManager.load} throw a `JsonFormatError` (Java's
 *   fastjson throws too, and the name server does not start).
 *
 * @mirrors org.apache.rocketmq.namesrv.kvconfig.KVConfigManager
 * @mirrors org.apache.rocketmq.namesrv.kvconfig.KVConfigSerializeWrapper
 * @mirrors org.apache.rocketmq.common.namesrv.NamesrvUtil
 * @article namesrv "Key-value configuration"
 * @category Namesrv
 * @module
 */
import { parseFastjson, writeFastjson } from '../common/json/fastjson.js';
import { asObject, optObject, toOptString } from '../common/json/json-fields.js';
import { dirName, type FileSystem } from '../platform/storage.js';

/** The namespace of ordered-topic queue layouts (Java: `NamesrvUtil.NAMESPACE_ORDER_TOPIC_CONFIG`). */
export const NAMESPACE_ORDER_TOPIC_CONFIG = 'ORDER_TOPIC_CONFIG';

export interface KVConfigManagerOptions {
  fs: FileSystem;
  /** The file, e.g. `namesrv/kvConfig.json`. */
  kvConfigPath: string;
}

export class KVConfigManager {
  private readonly configTable = new Map<string, Map<string, string>>();
  private readonly fs: FileSystem;
  readonly kvConfigPath: string;

  constructor(options: KVConfigManagerOptions) {
    this.fs = options.fs;
    this.kvConfigPath = options.kvConfigPath;
  }

  /** Read the file into memory, if there is one. Entries already in memory with other keys stay. */
  load(): void {
    const text = this.fs.readText(this.kvConfigPath);
    if (text === undefined) return;
    const path = this.kvConfigPath;
    const wrapper = asObject(parseFastjson(text, path), path);
    for (const [namespace, entries] of Object.entries(optObject(wrapper, 'configTable', path) ?? {})) {
      if (entries === null || entries === undefined) continue;
      const table = this.tableOf(namespace);
      for (const [key, value] of Object.entries(asObject(entries, `${path}.configTable.${namespace}`))) {
        const text = toOptString(value, `${path}.configTable.${namespace}.${key}`);
        if (text !== undefined) table.set(key, text);
      }
    }
  }

  /** Set `namespace/key` to `value` and persist. */
  putKVConfig(namespace: string, key: string, value: string): void {
    // Java holds the write lock for the update and the read lock for persisting; we are
    // single-threaded and neither step awaits.
    this.tableOf(namespace).set(key, value);
    this.persist();
  }

  /** Remove `namespace/key` (the namespace stays, even when empty, as in Java) and persist. */
  deleteKVConfig(namespace: string, key: string): void {
    this.configTable.get(namespace)?.delete(key);
    this.persist();
  }

  /** The value, or `undefined`. */
  getKVConfig(namespace: string, key: string): string | undefined {
    return this.configTable.get(namespace)?.get(key);
  }

  /** A copy of one namespace, or `undefined` when it was never created. */
  getKVListByNamespace(namespace: string): Map<string, string> | undefined {
    const table = this.configTable.get(namespace);
    return table === undefined ? undefined : new Map(table);
  }

  /** Write the whole table (tmp, bak, rename). Throws the FileSystem's error when the disk fails. */
  persist(): void {
    const content = writeFastjson({ configTable: this.configTable });
    const path = this.kvConfigPath;
    const parent = dirName(path);
    if (parent !== '.' && !this.fs.exists(parent)) this.fs.mkdirp(parent);
    this.fs.writeText(`${path}.tmp`, content);
    const previous = this.fs.readText(path);
    if (previous !== undefined) this.fs.writeText(`${path}.bak`, previous);
    this.fs.rename(`${path}.tmp`, path);
  }

  private tableOf(namespace: string): Map<string, string> {
    let table = this.configTable.get(namespace);
    if (table === undefined) {
      table = new Map();
      this.configTable.set(namespace, table);
    }
    return table;
  }
}
