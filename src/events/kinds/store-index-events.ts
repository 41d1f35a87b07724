/**
 * Event payloads of the store's index file and checkpoint. Filled in by
 * `src/store/index/` and `src/store/checkpoint/`.
 *
 * @article store "IndexFile: finding a message by key"
 * @category Events
 * @module
 */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface StoreIndexEventMap {}
