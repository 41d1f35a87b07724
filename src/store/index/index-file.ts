/**
 * IndexFile: an on-disk hash table from message key to commit-log offset.
 *
 * Consumers find messages by queue offset, but people look them up by business key or by
 * message id (QUERY_MESSAGE, `mqadmin queryMsgByKey`). The index answers those lookups
 * without scanning the log. It is a fixed-size file holding a hash table whose buckets
 * are linked lists threaded through an append-only entry array, so a put adds one entry
 * and changes one slot, and nothing is ever moved.
 *
 * ```
 *   file = header (40) | hash slots (hashSlotNum × 4) | entries (indexNum × 20)
 *
 *   slot (4 bytes)   number of the newest entry whose key hashes here; 0 = empty
 *
 *   entry (20 bytes)
 *   off  size  field
 *     0    4   keyHash       abs(hashCode(topic#key)), to skip collisions cheaply
 *     4    8   phyOffset     commit-log offset of the message
 *    12    4   timeDiff      (storeTimestamp - header.beginTimestamp) / 1000, in seconds
 *    16    4   prevIndex     the entry this slot pointed at before; 0 = end of chain
 * ```
 *
 * The chain walk, after putting `T#a` (slot 3), `T#b` (slot 5) and `T#c` (slot 3 too):
 *
 * ```
 *   slots:    ... [3] = 3   [4] = 0   [5] = 2 ...
 *   entries:  #0 unused │ #1 a, prev 0 │ #2 b, prev 0 │ #3 c, prev 1
 *                          ▲                                    │
 *                          └────────────────────────────────────┘
 *   query T#a:  slot 3 → #3 (hash of c ≠ hash of a: skip) → #1 (match) → prev 0: stop
 * ```
 *
 * New entries go at `header.indexCount`, so each chain runs newest to oldest, and a walk
 * can stop as soon as it passes the start of the queried time range.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java maps the file, so a put is three memory stores. Here the file being written keeps
 *   its slot table in memory (a mirror read once, or zeros for a new file) and its newest
 *   entries in a pending buffer: a put reads nothing from disk and writes nothing.
 *   {@link IndexFile.commit} moves the pending entries to the file (one write), then the
 *   header, so the header on disk never counts an entry that is not there; a full pending
 *   buffer commits on the next put. The slot table reaches the file whole, in one write,
 *   only when the file is flushed (it is full, or the store shuts down) or closed: slots
 *   are scattered over the table, and writing them as they change cost one syscall per
 *   key. Until then the slots on disk lag the entries, which is safe: after an abnormal
 *   exit, load deletes every file whose header ends after the checkpoint's index time (the
 *   rule Java applies to its mapped files) and re-dispatch rebuilds it; a file that got no
 *   commit since it was last flushed or closed is still that consistent file. Queries read
 *   pending entries and slots from memory. Disk failures throw MappedFileIOError, the
 *   store's one error type for file IO (in Java an index file is a MappedFile too); the
 *   pending bytes stay and the next commit writes them again.
 * - A file whose length is not the configured size is refused by {@link IndexFile.open};
 *   one whose header is garbage opens {@link IndexFile.damaged}, and answers no queries.
 * - A chain is walked only towards older entries (each prevIndex below the current one), so
 *   garbage cannot make the walk loop; Java only stops on a prevIndex pointing at itself.
 *
 * @mirrors org.apache.rocketmq.store.index.IndexFile
 * @article store "IndexFile: finding a message by key"
 * @emits store.index.appended
 * @category Store
 * @module
 */
import { assert } from '../../common/assert.js';
import { INT32_MAX, INT32_MIN, javaMathAbsInt, javaStringHashCode, readLong, writeLong } from '../../common/java-compat.js';
import type { NodeEvents } from '../../events/event-sink.js';
import { baseName, type FileHandle, type FileSystem } from '../../platform/storage.js';
import { fileIO, readFully } from '../mapped-file/mapped-file.js';
import { IndexHeader, INDEX_HEADER_SIZE } from './index-header.js';

export const HASH_SLOT_SIZE = 4;
export const INDEX_SIZE = 20;
/** Slot and prevIndex value meaning "none". */
export const INVALID_INDEX = 0;
export const ENTRY_KEY_HASH_OFFSET = 0;
export const ENTRY_PHY_OFFSET_OFFSET = 4;
export const ENTRY_TIME_DIFF_OFFSET = 12;
export const ENTRY_PREV_INDEX_OFFSET = 16;

assert(ENTRY_PHY_OFFSET_OFFSET === ENTRY_KEY_HASH_OFFSET + 4 && ENTRY_TIME_DIFF_OFFSET === ENTRY_PHY_OFFSET_OFFSET + 8, 'index entry layout');
assert(ENTRY_PREV_INDEX_OFFSET === ENTRY_TIME_DIFF_OFFSET + 4 && INDEX_SIZE === ENTRY_PREV_INDEX_OFFSET + 4, 'index entry layout: size');

/** Bytes of an index file with this many slots and entries (420,000,040 for the defaults). */
export function indexFileTotalSize(hashSlotNum: number, indexNum: number): number {
  return INDEX_HEADER_SIZE + hashSlotNum * HASH_SLOT_SIZE + indexNum * INDEX_SIZE;
}

/**
 * Java `IndexFile.indexKeyHashMethod`: `Math.abs(key.hashCode())`, and 0 for the one key
 * hash whose absolute value is still negative.
 *
 * Java: `Math.abs(Integer.MIN_VALUE)` is `Integer.MIN_VALUE` ("polygenelubricants" hashes
 * to it); Java clamps it to 0, and so do we.
 */
export function indexKeyHashMethod(key: string): number {
  const positive = javaMathAbsInt(javaStringHashCode(key));
  return positive === INT32_MIN ? 0 : positive;
}

/** Entries a file keeps in memory before a put commits them itself (80 KiB of entries). */
export const PENDING_ENTRIES_MAX = 4096;

export class IndexFile {
  /** The file's base name: its creation time, `yyyyMMddHHmmssSSS`. */
  readonly fileName: string;
  private readonly header = new IndexHeader();
  private readonly word = new Uint8Array(4);
  private readonly wordView = new DataView(this.word.buffer);
  private readonly entry = new Uint8Array(INDEX_SIZE);
  private readonly entryView = new DataView(this.entry.buffer);
  private readonly headerBytes = new Uint8Array(INDEX_HEADER_SIZE);
  /** The slot table as on disk plus every put since it was last written (big-endian), while the file is written to. */
  private slotTable: Uint8Array | undefined;
  private slotView: DataView | undefined;
  /** The file was created empty here, so its slot table is all zeros and needs no read. */
  private slotsAreZero = false;
  /** Entries `[committedCount, header.indexCount)`, not yet in the file. */
  private pending: Uint8Array | undefined;
  private pendingView: DataView | undefined;
  /** The indexCount the file's header says: every entry below it is on disk. */
  private committedCount: number;
  /** The slot mirror changed since it was last written (flush and close write it). */
  private slotsDirty = false;
  private headerDirty = false;

  /** Wrap an open handle of the right size. Use {@link IndexFile.create} or {@link IndexFile.open}. */
  constructor(private readonly handle: FileHandle, readonly hashSlotNum: number, readonly indexNum: number, private readonly events?: NodeEvents) {
    assert(hashSlotNum >= 1 && indexNum >= 2, `an index file needs >= 1 slot and >= 2 entries, got ${hashSlotNum} / ${indexNum}`);
    assert(handle.size() === indexFileTotalSize(hashSlotNum, indexNum), `index file ${handle.path} is not ${indexFileTotalSize(hashSlotNum, indexNum)} bytes`);
    this.fileName = baseName(handle.path);
    this.committedCount = this.header.indexCount;
  }

  /**
   * Create an empty index file at `path`. When it follows a full file, `endPhyOffset` and
   * `endTimestamp` are that file's, and become this one's begin and end until the first put.
   * Throws MappedFileIOError.
   */
  static create(fs: FileSystem, path: string, hashSlotNum: number, indexNum: number, endPhyOffset: number, endTimestamp: number, events?: NodeEvents): IndexFile {
    const handle = fileIO(path, 'create', () => fs.open(path, 'rw'));
    try {
      fileIO(path, 'preallocate', () => {
        handle.truncate(0);
        handle.truncate(indexFileTotalSize(hashSlotNum, indexNum));
      });
      const file = new IndexFile(handle, hashSlotNum, indexNum, events);
      file.slotsAreZero = true;
      if (endPhyOffset > 0) file.header.beginPhyOffset = file.header.endPhyOffset = endPhyOffset;
      if (endTimestamp > 0) file.header.beginTimestamp = file.header.endTimestamp = endTimestamp;
      file.writeHeader();
      return file;
    } catch (error) {
      handle.close();
      throw error;
    }
  }

  /**
   * Open an existing index file and read its header; `undefined` when its length does not
   * match the config. Throws MappedFileIOError when it cannot be opened or read.
   */
  static open(fs: FileSystem, path: string, hashSlotNum: number, indexNum: number, events?: NodeEvents): IndexFile | undefined {
    const handle = fileIO(path, 'open', () => fs.open(path, 'rw'));
    try {
      if (fileIO(path, 'stat', () => handle.size()) !== indexFileTotalSize(hashSlotNum, indexNum)) {
        handle.close();
        return undefined;
      }
      const file = new IndexFile(handle, hashSlotNum, indexNum, events);
      file.load();
      return file;
    } catch (error) {
      handle.close();
      throw error;
    }
  }

  get path(): string {
    return this.handle.path;
  }
  get beginTimestamp(): number {
    return this.header.beginTimestamp;
  }
  get endTimestamp(): number {
    return this.header.endTimestamp;
  }
  get beginPhyOffset(): number {
    return this.header.beginPhyOffset;
  }
  get endPhyOffset(): number {
    return this.header.endPhyOffset;
  }
  get indexCount(): number {
    return this.header.indexCount;
  }
  get hashSlotCount(): number {
    return this.header.hashSlotCount;
  }
  /** The header read from disk is garbage (see `IndexHeader.garbage`), or counts more entries than the file holds. */
  get damaged(): boolean {
    return this.header.garbage || this.header.indexCount > this.indexNum;
  }
  /** Whether puts wait in memory for a {@link commit} (entries) or a {@link flush} (slots). */
  get hasPendingCommit(): boolean {
    return this.headerDirty || this.slotsDirty;
  }

  /** Read the header from the file. */
  load(): void {
    readFully(this.handle, 0, this.headerBytes, 0, INDEX_HEADER_SIZE);
    this.header.load(this.headerBytes);
    this.committedCount = this.header.indexCount;
  }

  /**
   * Write the entries put since the last commit (one write), then the header. The slots
   * wait for {@link flush} or {@link close}. Returns false when nothing was pending. Throws
   * MappedFileIOError; everything then stays pending and the next commit writes it again.
   */
  commit(): boolean {
    if (!this.headerDirty) return false;
    const count = this.header.indexCount - this.committedCount;
    if (count > 0) {
      const pending = this.pending!;
      fileIO(this.path, 'write', () => this.handle.write(this.entryPosition(this.committedCount), pending, 0, count * INDEX_SIZE));
    }
    this.writeHeader();
    this.committedCount = this.header.indexCount;
    this.headerDirty = false;
    return true;
  }

  /** Write the slot table, commit, write the header and make the whole file durable. A full file then lets go of its memory. */
  flush(): void {
    this.writeSlotTable();
    if (!this.commit()) this.writeHeader();
    fileIO(this.path, 'flush', () => this.handle.flush());
    if (this.isWriteFull()) this.releaseMemory();
  }

  /** No entry left (or a damaged file, never written to): the next put must go to a new file. */
  isWriteFull(): boolean {
    return this.header.indexCount >= this.indexNum || this.damaged;
  }

  /** Write the slot table and commit what is pending, then close the handle (also when a write throws its MappedFileIOError). */
  close(): void {
    try {
      this.writeSlotTable();
      this.commit();
    } finally {
      this.releaseMemory();
      this.handle.close();
    }
  }

  /** Close and delete the file; pending puts are dropped. Throws MappedFileIOError when it cannot be deleted. */
  destroy(fs: FileSystem): void {
    this.headerDirty = this.slotsDirty = false;
    this.releaseMemory();
    this.handle.close();
    fileIO(this.path, 'remove', () => fs.remove(this.handle.path));
  }

  /**
   * Add `key` → `phyOffset` in memory; {@link commit} writes it. Returns false when the file
   * is full (nothing changed). Throws MappedFileIOError only when it must read the slot
   * table first or commit a full pending buffer.
   *
   * Java: the first put of a file computes its timeDiff against the header's begin time
   * *before* making its own store time the begin time, so in a file that follows a full
   * one the first entry's timeDiff is measured from the previous file's end. Kept.
   */
  putKey(key: string, phyOffset: number, storeTimestamp: number): boolean {
    const header = this.header;
    if (this.isWriteFull()) return false;
    if (header.indexCount - this.committedCount >= PENDING_ENTRIES_MAX) this.commit();
    const slots = this.slotViewForWrite();
    const keyHash = indexKeyHashMethod(key);
    const slot = keyHash % this.hashSlotNum;
    let prevIndex = slots.getInt32(slot * HASH_SLOT_SIZE, false);
    if (prevIndex <= INVALID_INDEX || prevIndex >= header.indexCount) prevIndex = INVALID_INDEX; // garbage: start a new chain

    let timeDiff = Math.trunc((storeTimestamp - header.beginTimestamp) / 1000);
    if (header.beginTimestamp <= 0 || timeDiff < 0) timeDiff = 0;
    else if (timeDiff > INT32_MAX) timeDiff = INT32_MAX;

    const index = header.indexCount;
    const pending = this.pendingView!;
    const at = (index - this.committedCount) * INDEX_SIZE;
    pending.setInt32(at + ENTRY_KEY_HASH_OFFSET, keyHash, false);
    writeLong(pending, at + ENTRY_PHY_OFFSET_OFFSET, phyOffset);
    pending.setInt32(at + ENTRY_TIME_DIFF_OFFSET, timeDiff, false);
    pending.setInt32(at + ENTRY_PREV_INDEX_OFFSET, prevIndex, false);
    slots.setInt32(slot * HASH_SLOT_SIZE, index, false);
    this.slotsDirty = true;

    // A negative store time (garbage a record's CRC does not cover) would make the header look damaged.
    if (index <= 1) {
      header.beginPhyOffset = phyOffset;
      header.beginTimestamp = Math.max(0, storeTimestamp);
    }
    if (prevIndex === INVALID_INDEX) header.hashSlotCount++;
    header.indexCount++;
    header.endPhyOffset = phyOffset;
    header.endTimestamp = Math.max(0, storeTimestamp);
    this.headerDirty = true;
    if (this.events?.wants('store.index.appended')) this.events.emit('store.index.appended', { file: this.fileName, key, slot, index, prevIndex, indexCount: header.indexCount, physicalOffset: phyOffset });
    return true;
  }

  /** Whether this file's time range overlaps `[begin, end]` (or lies inside it). */
  isTimeMatched(begin: number, end: number): boolean {
    const { beginTimestamp, endTimestamp } = this.header;
    return (begin < beginTimestamp && end > endTimestamp)
      || (begin >= beginTimestamp && begin <= endTimestamp)
      || (end >= beginTimestamp && end <= endTimestamp);
  }

  /**
   * Append to `phyOffsets` the offsets of entries whose key hash equals `key`'s and whose
   * time lies in `[begin, end]`, newest first, until `phyOffsets` holds `maxNum`. Hash
   * collisions can add offsets of other keys: the caller re-checks the messages. Only
   * entries that exist are read (uncommitted ones from memory), and each link must point to
   * an older entry, so the walk ends on any bytes. Throws MappedFileIOError when the file
   * cannot be read.
   */
  selectPhyOffset(phyOffsets: number[], key: string, maxNum: number, begin: number, end: number): void {
    const header = this.header;
    if (this.damaged) return;
    const keyHash = indexKeyHashMethod(key);
    const slot = keyHash % this.hashSlotNum;
    const slotValue = this.slotView !== undefined ? this.slotView.getInt32(slot * HASH_SLOT_SIZE, false) : this.readWord(INDEX_HEADER_SIZE + slot * HASH_SLOT_SIZE);
    if (slotValue <= INVALID_INDEX || slotValue >= header.indexCount) return;
    for (let next = slotValue; phyOffsets.length < maxNum;) {
      let view: DataView = this.entryView;
      let at = 0;
      if (next >= this.committedCount && this.pendingView !== undefined) {
        view = this.pendingView;
        at = (next - this.committedCount) * INDEX_SIZE;
      } else {
        readFully(this.handle, this.entryPosition(next), this.entry, 0, INDEX_SIZE);
      }
      const keyHashRead = view.getInt32(at + ENTRY_KEY_HASH_OFFSET, false);
      const phyOffsetRead = readLong(view, at + ENTRY_PHY_OFFSET_OFFSET);
      const timeDiff = view.getInt32(at + ENTRY_TIME_DIFF_OFFSET, false);
      const prevIndex = view.getInt32(at + ENTRY_PREV_INDEX_OFFSET, false);
      if (timeDiff < 0) break;
      const timeRead = header.beginTimestamp + timeDiff * 1000;
      if (keyHash === keyHashRead && timeRead >= begin && timeRead <= end && phyOffsetRead >= 0) phyOffsets.push(phyOffsetRead);
      // Java: prevIndex <= 0, > indexCount or == next ends the chain; we demand an older entry.
      if (prevIndex <= INVALID_INDEX || prevIndex >= next || timeRead < begin) break;
      next = prevIndex;
    }
  }

  private entryPosition(index: number): number {
    return INDEX_HEADER_SIZE + this.hashSlotNum * HASH_SLOT_SIZE + index * INDEX_SIZE;
  }

  /** The slot mirror, made on the first put: zeros for a file created here, else the table read in one go. */
  private slotViewForWrite(): DataView {
    if (this.slotView !== undefined) return this.slotView;
    const table = new Uint8Array(this.hashSlotNum * HASH_SLOT_SIZE);
    if (!this.slotsAreZero) readFully(this.handle, INDEX_HEADER_SIZE, table, 0, table.length);
    this.pending = new Uint8Array(PENDING_ENTRIES_MAX * INDEX_SIZE);
    this.pendingView = new DataView(this.pending.buffer);
    this.slotTable = table;
    this.slotView = new DataView(table.buffer);
    return this.slotView;
  }

  /** Write the whole slot mirror when it changed since it was last written (one write). */
  private writeSlotTable(): void {
    const table = this.slotTable;
    if (table === undefined || !this.slotsDirty) return;
    fileIO(this.path, 'write', () => this.handle.write(INDEX_HEADER_SIZE, table, 0, table.length));
    this.slotsDirty = false;
  }

  private releaseMemory(): void {
    if (this.headerDirty || this.slotsDirty) return; // still needed by the next commit or flush
    this.slotTable = undefined;
    this.slotView = undefined;
    this.pending = undefined;
    this.pendingView = undefined;
    this.slotsAreZero = false;
  }

  private readWord(position: number): number {
    readFully(this.handle, position, this.word, 0, 4);
    return this.wordView.getInt32(0, false);
  }

  private writeHeader(): void {
    this.header.encode(this.headerBytes);
    fileIO(this.path, 'write', () => this.handle.write(0, this.headerBytes, 0, INDEX_HEADER_SIZE));
  }
}
