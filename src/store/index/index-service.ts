/**
 * IndexService: the list of index files, and the two things the store does with them,
 * indexing each dispatched message and querying by key.
 *
 * The reput service hands every new record's DispatchRequest to {@link IndexService.buildIndex},
 * which adds one entry per key: the client id (`UNIQ_KEY`) and each space-separated `KEYS`
 * entry, all as `topic#key`. Files fill up and roll: a new file is named after the current
 * time and continues the previous file's offset and time range, and the full one is
 * flushed, after which the checkpoint's index timestamp moves to its end time.
 *
 * ```
 *   storePath/index/
 *     20240101120000000   full     [begin ....................... end]
 *     20240101130512345   full                                    [begin ........ end]
 *     20240101141010101   current                                                 [begin ...
 *
 *   queryOffset(topic, key, maxNum, begin, end): newest file first; skip files whose
 *   time range misses [begin, end]; stop at the first file that starts before `begin`.
 * ```
 *
 * A put only changes the current file's memory (see index-file.ts): its entries reach the
 * file 4,096 at a time and its slot table when the file is flushed or closed, so indexing
 * costs a write per few thousand keys instead of four syscalls per key.
 *
 * Re-dispatch after a crash is idempotent because a message whose offset is below the
 * current file's end offset is skipped, and because load() drops the index files written
 * after the last checkpoint.
 *
 * Differences from RocketMQ 4.9.x:
 * - File names are strictly increasing: when a name is taken or not later than the last
 *   file's (a ManualClock that did not move, a clock that stepped back), 1 ms is added.
 * - The full file is flushed right away instead of on a new thread.
 * - Puts reach the file in batches (index-file.ts), not one mapped-memory store at a time.
 * - `shutdown()` flushes the current file and closes every file (Java leaves mapped pages
 *   to the OS); files whose length does not match the configuration are not loaded.
 * - `truncateDirtyFiles` (not in Java) drops files that index messages past the end
 *   recovery found in the commit log, so the index never runs ahead of the log.
 * - load() deletes a file of the wrong size or with a garbage header, and every newer file
 *   (a newer file cannot be rebuilt while an older one is missing: "already indexed" is
 *   judged by the last file's end); recovery then indexes those messages again.
 * - A query that hits an unreadable file skips it (Java catches and logs).
 * - Disk failures throw MappedFileIOError, the store's one error type for file IO.
 *
 * @mirrors org.apache.rocketmq.store.index.IndexService
 * @article store "IndexFile: finding a message by key"
 * @emits store.index.file-created, store.index.file-flushed, store.index.file-deleted, store.io.failed
 * @category Store
 * @module
 */
import { assert } from '../../common/assert.js';
import { MessageConst } from '../../common/message/message-const.js';
import { getTransactionValue, MessageSysFlag } from '../../common/message/message-sys-flag.js';
import { humanStringToTimeMillis, timeMillisToHumanString } from '../../common/time-format.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';
import { joinPath, type FileSystem } from '../../platform/storage.js';
import type { StoreCheckpoint } from '../checkpoint/store-checkpoint.js';
import type { DispatchRequest } from '../dispatch/dispatch-request.js';
import { getStorePathIndex } from '../store-path.js';
import { fileIO, MappedFileIOError } from '../mapped-file/mapped-file.js';
import { IndexFile } from './index-file.js';

export interface IndexServiceOptions {
  readonly fs: FileSystem;
  readonly clock: Clock;
  /** The store root; index files live in `<root>/index`. */
  readonly storePathRootDir: string;
  /** Its `indexMsgTimestamp` moves when a full file is flushed, and bounds what load() keeps after a crash. */
  readonly checkpoint: StoreCheckpoint;
  /** Hash slots per file. Broker config `maxHashSlotNum`. @defaultValue 5000000 */
  readonly maxHashSlotNum?: number;
  /** Entries per file (entry 0 unused). Broker config `maxIndexNum`. @defaultValue 20000000 */
  readonly maxIndexNum?: number;
  /** Most offsets one query returns. Broker config `maxMsgsNumBatch`. @defaultValue 64 */
  readonly maxMsgsNumBatch?: number;
  /** Local time zone for file names, minutes east of UTC. @defaultValue 0 */
  readonly utcOffsetMinutes?: number;
  readonly events?: NodeEvents;
}

/** Java `QueryOffsetResult`: the offsets found, and how far the index had got. */
export interface QueryOffsetResult {
  readonly phyOffsets: number[];
  /** End timestamp of the newest index file. */
  readonly indexLastUpdateTimestamp: number;
  /** End physical offset of the newest index file. */
  readonly indexLastUpdatePhyoffset: number;
}

export class IndexService {
  readonly hashSlotNum: number;
  readonly indexNum: number;
  readonly maxMsgsNumBatch: number;
  readonly storePath: string;
  private readonly indexFileList: IndexFile[] = [];
  private readonly fs: FileSystem;
  private readonly clock: Clock;
  private readonly checkpoint: StoreCheckpoint;
  private readonly utcOffsetMinutes: number;
  private readonly events: NodeEvents | undefined;
  /** Set by load() when it deleted damaged files: where indexing must start again (see truncateDirtyFiles). */
  private reindexFromLoad: number | undefined;

  constructor(options: IndexServiceOptions) {
    this.fs = options.fs;
    this.clock = options.clock;
    this.checkpoint = options.checkpoint;
    this.storePath = getStorePathIndex(options.storePathRootDir);
    this.hashSlotNum = options.maxHashSlotNum ?? 5_000_000;
    this.indexNum = options.maxIndexNum ?? 20_000_000;
    this.maxMsgsNumBatch = options.maxMsgsNumBatch ?? 64;
    this.utcOffsetMinutes = options.utcOffsetMinutes ?? 0;
    this.events = options.events;
    assert(Number.isSafeInteger(this.hashSlotNum) && this.hashSlotNum >= 1, `maxHashSlotNum must be >= 1, got ${this.hashSlotNum}`);
    assert(Number.isSafeInteger(this.indexNum) && this.indexNum >= 2, `maxIndexNum must be >= 2, got ${this.indexNum}`);
  }

  /** The index files, oldest first. */
  get indexFiles(): readonly IndexFile[] {
    return this.indexFileList;
  }

  /**
   * Load the index files in name (= creation time) order. After an abnormal exit, files
   * that end after the checkpoint's index timestamp are deleted: re-dispatch rebuilds them.
   * The first file of the wrong size or with a garbage header is deleted with every newer
   * file, and recovery indexes their messages again. Throws MappedFileIOError on a disk error.
   */
  load(lastExitOK: boolean): boolean {
    fileIO(this.storePath, 'open', () => this.fs.mkdirp(this.storePath));
    const names = this.fs.list(this.storePath).filter((name) => humanStringToTimeMillis(name) !== undefined);
    for (const [i, name] of names.entries()) {
      const path = joinPath(this.storePath, name);
      const file = IndexFile.open(this.fs, path, this.hashSlotNum, this.indexNum, this.events);
      if (file === undefined || file.damaged) {
        file?.close();
        this.dropDamaged(names.slice(i));
        return true;
      }
      if (!lastExitOK && file.endTimestamp > this.checkpoint.indexMsgTimestamp) {
        this.destroyFile(file, 'after-checkpoint');
        continue;
      }
      this.indexFileList.push(file);
    }
    return true;
  }

  /**
   * Delete the files `names` (a damaged one, or one of the wrong size, and every newer one)
   * and remember where indexing must start again: the last kept file's end offset (its
   * last message is indexed once more; queries return each offset once).
   */
  private dropDamaged(names: readonly string[]): void {
    this.reindexFromLoad = this.indexFileList[this.indexFileList.length - 1]?.endPhyOffset ?? 0;
    for (const name of names) {
      const path = joinPath(this.storePath, name);
      fileIO(path, 'remove', () => this.fs.remove(path));
      this.events?.emit('store.index.file-deleted', { file: name, endPhyOffset: 0, reason: 'truncated' });
    }
  }

  /** Index one dispatched message: its UNIQ_KEY and each of its KEYS, as `topic#key`. */
  buildIndex(request: DispatchRequest): void {
    let file = this.getAndCreateLastIndexFile();
    if (request.commitLogOffset < file.endPhyOffset) return; // already indexed (re-dispatch)
    if (getTransactionValue(request.sysFlag) === MessageSysFlag.TRANSACTION_ROLLBACK_TYPE) return;
    if (request.uniqKey !== undefined) file = this.putKey(file, request, buildKey(request.topic, request.uniqKey));
    for (const key of request.keys.split(MessageConst.KEY_SEPARATOR)) {
      if (key.length > 0) file = this.putKey(file, request, buildKey(request.topic, key));
    }
  }

  /**
   * Offsets of messages indexed under `topic#key` with a store time in `[begin, end]`,
   * newest first, at most `min(maxNum, maxMsgsNumBatch)`.
   */
  queryOffset(topic: string, key: string, maxNum: number, begin: number, end: number): QueryOffsetResult {
    const phyOffsets: number[] = [];
    const limit = Math.min(maxNum, this.maxMsgsNumBatch);
    const last = this.indexFileList[this.indexFileList.length - 1];
    for (let i = this.indexFileList.length - 1; i >= 0; i--) {
      const file = this.indexFileList[i]!;
      try {
        if (file.isTimeMatched(begin, end)) file.selectPhyOffset(phyOffsets, buildKey(topic, key), limit, begin, end);
      } catch (error) {
        if (!(error instanceof MappedFileIOError)) throw error;
        // Java logs "queryMsg exception"; the files that can be read still answer.
        this.events?.emit('store.io.failed', { operation: 'index query', path: error.path, error: error.message });
      }
      if (file.beginTimestamp < begin || phyOffsets.length >= limit) break;
    }
    return { phyOffsets, indexLastUpdateTimestamp: last?.endTimestamp ?? 0, indexLastUpdatePhyoffset: last?.endPhyOffset ?? 0 };
  }

  /** The file to write into: the last one, or a new one when there is none or it is full. */
  getAndCreateLastIndexFile(): IndexFile {
    const last = this.indexFileList[this.indexFileList.length - 1];
    if (last !== undefined && !last.isWriteFull()) return last;
    fileIO(this.storePath, 'create', () => this.fs.mkdirp(this.storePath));
    const name = this.nextFileName(last);
    const file = IndexFile.create(
      this.fs, joinPath(this.storePath, name), this.hashSlotNum, this.indexNum, last?.endPhyOffset ?? 0, last?.endTimestamp ?? 0, this.events,
    );
    this.indexFileList.push(file);
    this.events?.emit('store.index.file-created', {
      file: name, beginPhyOffset: file.beginPhyOffset, beginTimestamp: file.beginTimestamp, hashSlotNum: this.hashSlotNum, indexNum: this.indexNum,
    });
    if (last !== undefined) this.flush(last);
    return file;
  }

  /** Make `file` durable; when it is full, move the checkpoint's index timestamp to its end and flush the checkpoint. */
  flush(file: IndexFile): void {
    const full = file.isWriteFull();
    file.flush();
    this.events?.emit('store.index.file-flushed', {
      file: file.fileName, endPhyOffset: file.endPhyOffset, endTimestamp: file.endTimestamp, indexCount: file.indexCount, full,
    });
    if (full && file.endTimestamp > 0) {
      this.checkpoint.indexMsgTimestamp = file.endTimestamp;
      this.checkpoint.flush();
    }
  }

  /**
   * Delete index files that only index messages below `offset` (the commit log's new min
   * offset). The newest file always stays, and deletion stops at the first file to keep.
   * Throws MappedFileIOError when a file cannot be deleted.
   */
  deleteExpiredFile(offset: number): void {
    const first = this.indexFileList[0];
    if (first === undefined || first.endPhyOffset >= offset) return;
    const expired: IndexFile[] = [];
    for (let i = 0; i < this.indexFileList.length - 1; i++) {
      const file = this.indexFileList[i]!;
      if (file.endPhyOffset >= offset) break;
      expired.push(file);
    }
    this.indexFileList.splice(0, expired.length); // first: a failed delete must not leave a closed file in the list
    for (const file of expired) this.destroyFile(file, 'expired');
  }

  /**
   * Recovery cut the commit log at `phyOffset`. Delete, newest first, the index files that
   * index a message at or past it: their entries would point into whatever is written
   * there next, and the "already indexed" rule (offset below the last file's end) would
   * skip the new messages. Returns the offset from which the deleted files' messages below
   * `phyOffset` must be indexed again (also those of files load() found damaged), or
   * `undefined` when nothing was deleted. The offset may not be a record boundary.
   */
  truncateDirtyFiles(phyOffset: number): number | undefined {
    let reindexFrom = this.reindexFromLoad; // files load() deleted as damaged count too
    this.reindexFromLoad = undefined;
    for (let last = this.indexFileList.at(-1); last !== undefined; last = this.indexFileList.at(-1)) {
      const hasEntries = last.indexCount > 1;
      // An empty file carries its predecessor's end as its own; a fresh first file has 0.
      if (last.endPhyOffset < phyOffset || (!hasEntries && last.endPhyOffset === 0)) break;
      this.indexFileList.pop();
      this.destroyFile(last, 'truncated');
      if (hasEntries) reindexFrom = Math.min(reindexFrom ?? last.beginPhyOffset, last.beginPhyOffset);
    }
    return reindexFrom;
  }

  /** Delete every index file. */
  destroy(): void {
    for (const file of this.indexFileList) this.destroyFile(file, 'destroyed');
    this.indexFileList.length = 0;
  }

  /** Flush the current file and close them all (also when the flush throws its MappedFileIOError). */
  shutdown(): void {
    const last = this.indexFileList[this.indexFileList.length - 1];
    try {
      if (last !== undefined) this.flush(last);
    } finally {
      for (const file of this.indexFileList) file.close();
    }
  }

  /** Put one key, rolling to new files while the current one is full. */
  private putKey(file: IndexFile, request: DispatchRequest, key: string): IndexFile {
    let current = file;
    while (!current.putKey(key, request.commitLogOffset, request.storeTimestamp)) current = this.getAndCreateLastIndexFile();
    return current;
  }

  private destroyFile(file: IndexFile, reason: 'expired' | 'after-checkpoint' | 'truncated' | 'destroyed'): void {
    file.destroy(this.fs);
    this.events?.emit('store.index.file-deleted', { file: file.fileName, endPhyOffset: file.endPhyOffset, reason });
  }

  /** `yyyyMMddHHmmssSSS` of now, moved forward by whole ms until it is free and after the last file's name. */
  private nextFileName(last: IndexFile | undefined): string {
    const lastMs = last === undefined ? undefined : humanStringToTimeMillis(last.fileName, this.utcOffsetMinutes);
    let ms = lastMs === undefined ? this.clock.now() : Math.max(this.clock.now(), lastMs + 1);
    let name = timeMillisToHumanString(ms, this.utcOffsetMinutes);
    while (this.fs.exists(joinPath(this.storePath, name))) name = timeMillisToHumanString(++ms, this.utcOffsetMinutes);
    return name;
  }
}

/** `topic#key`: the index is shared by all topics, so keys are qualified with theirs. */
function buildKey(topic: string, key: string): string {
  return `${topic}#${key}`;
}
