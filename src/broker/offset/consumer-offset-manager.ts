/**
 * ConsumerOffsetManager: how far each consumer group has consumed each queue, kept in
 * `config/consumerOffset.json`.
 *
 * In CLUSTERING mode the group's progress lives on the broker, not in the clients, so that a
 * queue can move to another member (rebalance) and the new owner resumes where the old one
 * stopped. Clients report their progress two ways: UPDATE_CONSUMER_OFFSET every 5 s
 * (one-way), and piggybacked on every pull (`commitOffset` with the COMMIT_OFFSET sysFlag
 * bit). Both land in {@link ConsumerOffsetManager.commitOffset}; the table is written to
 * disk every `flushConsumerOffsetInterval` (5 s) by the broker's scheduled tasks and at
 * shutdown.
 *
 * ```
 *   offsetTable   "topic@group" ──► queueId ──► next queue offset to consume
 *
 *   consumerOffset.json (what Java writes: bare integer keys, pretty-printed):
 *     {"offsetTable":{"TopicA@cg":{0:12,1:7},"%RETRY%cg@cg":{0:0}}}
 *   what we write (quoted keys, compact; Java reads both, and so do we):
 *     {"offsetTable":{"%RETRY%cg@cg":{"0":0},"TopicA@cg":{"0":12,"1":7}}}
 * ```
 *
 * An offset is the *next* message to consume, not the last one consumed: a group that has
 * consumed queue offsets 0..11 commits 12. A commit lower than the stored one is accepted
 * (a consumer that reset or re-consumed knows better), and -1 ("nothing consumed yet",
 * which ali-ons sends) is ignored.
 *
 * Differences from RocketMQ 4.9.x:
 * - A negative commit is ignored here, for both doors (Java 4.9 stores it as given from
 *   UPDATE_CONSUMER_OFFSET; later versions refuse it).
 * - Persistence goes through B1's {@link ConfigManager} (tmp, bak, rename on the FileSystem port).
 * - `scanUnsubscribedTopic` and `queryMinOffsetInAllGroup` are not here yet.
 *
 * @mirrors org.apache.rocketmq.broker.offset.ConsumerOffsetManager
 * @article pull-consume-2 "Consumer offsets on the broker"
 * @emits broker.offset.committed, broker.offset.persisted, broker.config.loaded, broker.config.persist-failed
 * @category Broker
 * @module
 */
import { JsonFormatError, parseFastjson, writeFastjson } from '../../common/json/fastjson.js';
import { asObject, optObject } from '../../common/json/json-fields.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { FileSystem } from '../../platform/storage.js';
import { ConfigManager } from '../config-manager.js';

/** Joins topic and group into a table key: `"TopicA@cg"`. Java: `TOPIC_GROUP_SEPARATOR`. */
export const TOPIC_GROUP_SEPARATOR = '@';

export interface ConsumerOffsetManagerOptions {
  readonly fs: FileSystem;
  /** The JSON file, normally `getConsumerOffsetPath(storePathRootDir)` (`<root>/config/consumerOffset.json`). */
  readonly configPath: string;
  readonly events: NodeEvents;
}

export class ConsumerOffsetManager extends ConfigManager {
  /** "topic@group" ──► queueId ──► offset. Java: `offsetTable`. */
  readonly offsetTable = new Map<string, Map<number, number>>();

  constructor(options: ConsumerOffsetManagerOptions) {
    super({ fs: options.fs, configFilePath: options.configPath, events: options.events });
  }

  /**
   * Store `offset` as `group`'s progress on `topic`/`queueId` (in memory; {@link persist}
   * writes the file). A negative offset is ignored; a lower one replaces a higher one.
   */
  commitOffset(clientHost: string, group: string, topic: string, queueId: number, offset: number): void {
    if (offset < 0) return; // "nothing consumed yet": keep whatever is stored
    const key = topic + TOPIC_GROUP_SEPARATOR + group;
    let map = this.offsetTable.get(key);
    if (map === undefined) {
      map = new Map();
      this.offsetTable.set(key, map);
    }
    const previous = map.get(queueId) ?? -1;
    // Java logs "[NOTIFYME]update consumer offset less than store" when offset < previous, and stores it anyway.
    map.set(queueId, offset);
    this.events.emit('broker.offset.committed', { group, topic, queueId, offset, previous, clientHost }, { flow: 'offset' });
  }

  /** `group`'s stored offset on `topic`/`queueId`, or -1 when none. */
  queryOffset(group: string, topic: string, queueId: number): number {
    return this.offsetTable.get(topic + TOPIC_GROUP_SEPARATOR + group)?.get(queueId) ?? -1;
  }

  /** Every queue's stored offset of `group` on `topic` (Java's two-argument `queryOffset`). */
  queryQueueOffsets(group: string, topic: string): ReadonlyMap<number, number> | undefined {
    return this.offsetTable.get(topic + TOPIC_GROUP_SEPARATOR + group);
  }

  /** The topics `group` has offsets for. */
  whichTopicByConsumer(group: string): Set<string> {
    const topics = new Set<string>();
    for (const key of this.offsetTable.keys()) {
      const parts = splitKey(key);
      if (parts !== undefined && parts.group === group) topics.add(parts.topic);
    }
    return topics;
  }

  /** The groups that have offsets on `topic`. */
  whichGroupByTopic(topic: string): Set<string> {
    const groups = new Set<string>();
    for (const key of this.offsetTable.keys()) {
      const parts = splitKey(key);
      if (parts !== undefined && parts.topic === topic) groups.add(parts.group);
    }
    return groups;
  }

  /** Forget every group's offsets on `topic` (the topic was deleted). */
  cleanOffsetByTopic(topic: string): void {
    for (const key of [...this.offsetTable.keys()]) if (splitKey(key)?.topic === topic) this.offsetTable.delete(key);
  }

  /** Forget every offset of `group` (the group was deleted). Java: `removeOffset`. */
  removeOffset(group: string): void {
    for (const key of [...this.offsetTable.keys()]) if (splitKey(key)?.group === group) this.offsetTable.delete(key);
  }

  /** Give `destGroup` a copy of `srcGroup`'s offsets on `topic` (CLONE_GROUP_OFFSET). */
  cloneOffset(srcGroup: string, destGroup: string, topic: string): void {
    const offsets = this.offsetTable.get(topic + TOPIC_GROUP_SEPARATOR + srcGroup);
    if (offsets !== undefined) this.offsetTable.set(topic + TOPIC_GROUP_SEPARATOR + destGroup, new Map(offsets));
  }

  /** Write the file; returns false when the disk refused (reported as `broker.config.persist-failed`). */
  override persist(): boolean {
    const ok = super.persist();
    if (ok) this.events.emit('broker.offset.persisted', { path: this.configFilePath, entries: this.offsetTable.size }, { flow: 'offset' });
    return ok;
  }

  /** The whole table as consumerOffset.json text (also the body of GET_ALL_CONSUMER_OFFSET). */
  encode(): string {
    return writeFastjson({ offsetTable: this.offsetTable });
  }

  /**
   * Replace the table with the one in `jsonString` (bare or quoted integer keys). Everything
   * is parsed before the table changes. Also used by a slave to take over its master's table.
   */
  decode(jsonString: string): void {
    const path = 'consumerOffset';
    const root = asObject(parseFastjson(jsonString, path), path);
    const parsed = new Map<string, Map<number, number>>();
    for (const [key, queues] of Object.entries(optObject(root, 'offsetTable', path) ?? {})) {
      if (queues === null) continue;
      const map = new Map<number, number>();
      for (const [queueId, offset] of Object.entries(asObject(queues, `${path}.offsetTable.${key}`))) {
        const at = `${path}.offsetTable.${key}.${queueId}`;
        if (!/^-?\d+$/.test(queueId)) throw new JsonFormatError(at, 'the queue id is not an integer');
        if (typeof offset !== 'number' || !Number.isSafeInteger(offset)) throw new JsonFormatError(at, `expected an offset, got ${JSON.stringify(offset)}`);
        map.set(Number(queueId), offset);
      }
      parsed.set(key, map);
    }
    this.offsetTable.clear();
    for (const [key, map] of parsed) this.offsetTable.set(key, map);
  }
}

/** Split "topic@group" (Java: `split("@")` and use it only when there are exactly two parts). */
function splitKey(key: string): { topic: string; group: string } | undefined {
  const parts = key.split(TOPIC_GROUP_SEPARATOR);
  return parts.length === 2 ? { topic: parts[0]!, group: parts[1]! } : undefined;
}
