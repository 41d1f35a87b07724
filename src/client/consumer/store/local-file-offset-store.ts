/**
 * LocalFileOffsetStore: a broadcasting consumer's own progress, kept in memory and in a
 * local JSON file.
 *
 * In broadcasting mode every member consumes every queue, so the broker has nothing shared
 * to keep: each member writes its offsets to
 * `<localOffsetStoreDir>/<clientId>/<group>/offsets.json` every 5 s (and at shutdown) and reads
 * them back at start. The file is fastjson's form of `Map<MessageQueue, AtomicLong>`, where
 * the key is a whole JSON object (not valid JSON, and client-private):
 *
 * ```
 *   {"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"T"}:12,
 *                   {"brokerName":"broker-a","queueId":1,"topic":"T"}:7}}
 * ```
 *
 * Writes follow Java's `MixAll.string2File`: write `offsets.json.tmp`, copy the current file
 * to `offsets.json.bak`, then rename the temp file over the real one, so a crash mid-write
 * leaves either the old file or the backup readable.
 *
 * Differences from RocketMQ 4.9.x:
 * - The directory is an option (Java: system property `rocketmq.client.localOffsetStoreDir`,
 *   default `~/.rocketmq_offsets`); files go through the FileSystem port.
 * - An unreadable file and backup are treated as "no offsets" instead of failing the start.
 *
 * @mirrors org.apache.rocketmq.client.consumer.store.LocalFileOffsetStore
 * @mirrors org.apache.rocketmq.client.consumer.store.OffsetSerializeWrapper
 * @article pull-consume-2 "Consume progress"
 * @emits client.offset.updated, client.offset.persisted
 * @category Client
 * @module
 */
import { asObject } from '../../../common/json/json-fields.js';
import { parseWithObjectKeys, readMessageQueueMap, writeMessageQueueMap, type MessageQueue } from '../../../common/protocol/body/message-queue-keyed-map.js';
import type { NodeEvents } from '../../../events/event-sink.js';
import { dirName, joinPath, type FileSystem } from '../../../platform/storage.js';
import { MessageQueueMap, messageQueueKey } from '../message-queue-map.js';
import { ReadOffsetType, type OffsetStore } from './offset-store.js';

/** Java's default directory is `~/.rocketmq_offsets`; the core cannot read `~`, so the default is relative. */
export const DEFAULT_LOCAL_OFFSET_STORE_DIR = '.rocketmq_offsets';

export interface LocalFileOffsetStoreOptions {
  fs: FileSystem;
  events: NodeEvents;
  clientId: string;
  groupName: string;
  /** @defaultValue {@link DEFAULT_LOCAL_OFFSET_STORE_DIR} */
  localOffsetStoreDir?: string;
}

export class LocalFileOffsetStore implements OffsetStore {
  readonly storePath: string;
  readonly groupName: string;
  private readonly fs: FileSystem;
  private readonly events: NodeEvents;
  private readonly offsetTable = new MessageQueueMap<number>();

  constructor(options: LocalFileOffsetStoreOptions) {
    this.fs = options.fs;
    this.events = options.events;
    this.groupName = options.groupName;
    this.storePath = joinPath(options.localOffsetStoreDir ?? DEFAULT_LOCAL_OFFSET_STORE_DIR, options.clientId, options.groupName, 'offsets.json');
  }

  load(): void {
    for (const [mq, offset] of this.readLocalOffset() ?? []) this.offsetTable.set(mq, offset);
  }

  updateOffset(mq: MessageQueue, offset: number, increaseOnly: boolean): void {
    const old = this.offsetTable.get(mq);
    if (old === offset || (increaseOnly && old !== undefined && offset < old)) return;
    this.offsetTable.set(mq, offset);
    this.events.emit('client.offset.updated', { group: this.groupName, mq: messageQueueKey(mq), offset, increaseOnly }, { flow: 'offset' });
  }

  readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number> {
    if (type !== ReadOffsetType.READ_FROM_STORE) {
      const offset = this.offsetTable.get(mq);
      if (offset !== undefined) return Promise.resolve(offset);
      if (type === ReadOffsetType.READ_FROM_MEMORY) return Promise.resolve(-1);
    }
    const key = messageQueueKey(mq);
    const stored = (this.readLocalOffset() ?? []).find(([m]) => messageQueueKey(m) === key);
    if (stored === undefined) return Promise.resolve(-1);
    this.updateOffset(mq, stored[1], false);
    return Promise.resolve(stored[1]);
  }

  persistAll(mqs: readonly MessageQueue[]): Promise<void> {
    if (mqs.length === 0) return Promise.resolve();
    const wanted = new Set(mqs.map(messageQueueKey));
    const entries = this.offsetTable.entries().filter(([mq]) => wanted.has(messageQueueKey(mq)));
    const text = `{"offsetTable":${writeMessageQueueMap(entries)}}`;
    try {
      this.string2File(text);
    } catch {
      return Promise.resolve(); // Java logs "persistAll consumer offset Exception".
    }
    this.events.emit('client.offset.persisted', {
      group: this.groupName,
      store: 'local-file',
      entries: entries.map(([mq, offset]) => ({ mq: messageQueueKey(mq), offset })),
      path: this.storePath,
    }, { flow: 'offset' });
    return Promise.resolve();
  }

  persist(): Promise<void> {
    // Java: the local store writes only in persistAll.
    return Promise.resolve();
  }

  removeOffset(): void {
    // Java: a broadcasting member keeps the offsets of every queue.
  }

  cloneOffsetTable(topic?: string): Array<[MessageQueue, number]> {
    return this.offsetTable.entries().filter(([mq]) => topic === undefined || topic.length === 0 || mq.topic === topic);
  }

  updateConsumeOffsetToBroker(): Promise<void> {
    return Promise.resolve();
  }

  /** The offsets in the file, or in its backup when the file is missing or unreadable. */
  private readLocalOffset(): Array<[MessageQueue, number]> | undefined {
    return this.parse(this.fs.readText(this.storePath)) ?? this.parse(this.fs.readText(`${this.storePath}.bak`));
  }

  private parse(text: string | undefined): Array<[MessageQueue, number]> | undefined {
    if (text === undefined || text.length === 0) return undefined;
    try {
      const wrapper = asObject(parseWithObjectKeys(text, 'OffsetSerializeWrapper'), 'OffsetSerializeWrapper');
      return readMessageQueueMap(wrapper.offsetTable, 'OffsetSerializeWrapper.offsetTable', (v, path) => {
        const n = typeof v === 'string' ? Number(v) : v;
        if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new RangeError(`${path}: not an offset`);
        return n;
      });
    } catch {
      return undefined;
    }
  }

  /** Java `MixAll.string2File`: temp file, backup of the old content, rename. */
  private string2File(text: string): void {
    this.fs.mkdirp(dirName(this.storePath));
    const tmp = `${this.storePath}.tmp`;
    this.fs.writeText(tmp, text);
    const previous = this.fs.readText(this.storePath);
    if (previous !== undefined) this.fs.writeText(`${this.storePath}.bak`, previous);
    this.fs.rename(tmp, this.storePath);
  }
}
