/**
 * Event payloads of the store's index file and checkpoint. Filled in by
 * `src/store/index/` and `src/store/checkpoint/`.
 *
 * The index events let the viz draw an index file as its three regions (header, hash
 * slots, entries) and animate the slot chain: each `store.index.appended` says which slot
 * a key hashed to, which entry it was written to, and which older entry (`prevIndex`) the
 * new one now points back to.
 *
 * @article store "IndexFile: finding a message by key"
 * @category Events
 * @module
 */

export interface StoreIndexEventMap {
  /**
   * One key (`topic#key`) was written into an index file (`IndexFile.putKey`): entry
   * number `index` now heads the chain of `slot`, and links to `prevIndex` (0: none).
   * `indexCount` is the header's count after the put (the next free entry).
   */
  'store.index.appended': {
    file: string;
    key: string;
    slot: number;
    index: number;
    prevIndex: number;
    indexCount: number;
    physicalOffset: number;
  };
  /** A new index file was created, empty, because there was none or the last one was full. */
  'store.index.file-created': { file: string; beginPhyOffset: number; beginTimestamp: number; hashSlotNum: number; indexNum: number };
  /** An index file was made durable; `full` when it was flushed because it filled up (then the checkpoint's index time moves). */
  'store.index.file-flushed': { file: string; endPhyOffset: number; endTimestamp: number; indexCount: number; full: boolean };
  /**
   * An index file was deleted: `expired` (all its messages are older than the commit log's
   * min offset), `after-checkpoint` (written after the last checkpoint of a crashed run),
   * `truncated` (it indexed messages past the end recovery found in the commit log), or
   * `destroyed` (the whole index was dropped).
   */
  'store.index.file-deleted': { file: string; endPhyOffset: number; reason: 'expired' | 'after-checkpoint' | 'truncated' | 'destroyed' };
  /** The checkpoint's three timestamps were written and made durable (`StoreCheckpoint.flush`). */
  'store.checkpoint.flushed': { physicMsgTimestamp: number; logicsMsgTimestamp: number; indexMsgTimestamp: number };
}
