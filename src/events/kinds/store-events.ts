/**
 * Event payloads of the message store (commit log, flush, dispatch, consume queues, index,
 * recovery). Filled in by the store; see `src/store/`.
 *
 * @article store "The put path"
 * @category Events
 * @module
 */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface StoreEventMap {}
