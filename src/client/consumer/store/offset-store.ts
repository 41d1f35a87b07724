/**
 * OffsetStore: where a consumer group's progress lives, one offset per message queue.
 *
 * The offset of a queue is the next queue offset the group has *not* finished: after
 * consuming offsets 0..9 it is 10, and a restarted consumer resumes pulling there. The
 * consumer updates it in memory after every completion and writes it out now and then,
 * because writing on every message would cost an RPC (or a file write) per message. Two
 * stores exist because the two message models keep progress in different places:
 *
 * - CLUSTERING: the group shares the queues, so progress must outlive any single member and
 *   move with a queue when it is reassigned. It lives on the broker
 *   (`RemoteBrokerOffsetStore`).
 * - BROADCASTING: every member reads every queue, so each has its own progress, kept in a
 *   local file (`LocalFileOffsetStore`).
 *
 * Reads come in three flavours ({@link ReadOffsetType}): memory only (the pull loop's
 * piggybacked commit), store only (a queue was just assigned: ask the broker or the file),
 * or memory first.
 *
 * Differences from RocketMQ 4.9.x:
 * - `readOffset`, `persist`, `persistAll` and `updateConsumeOffsetToBroker` return Promises
 *   (they may wait for an RPC); the rest are synchronous.
 * - `load()` throws nothing: an unreadable file is treated as no file.
 *
 * @mirrors org.apache.rocketmq.client.consumer.store.OffsetStore
 * @mirrors org.apache.rocketmq.client.consumer.store.ReadOffsetType
 * @article pull-consume-2 "Consume progress"
 * @category Client
 * @module
 */
import type { MessageQueue } from '../../../common/protocol/body/message-queue-keyed-map.js';
import type { MQClientInstance } from '../../mq-client-instance.js';

/** Which copy of an offset to read (Java `ReadOffsetType`). */
export const ReadOffsetType = {
  /** The in-memory table only; -1 when absent. */
  READ_FROM_MEMORY: 'READ_FROM_MEMORY',
  /** The broker or the file only (the result is also cached in memory). */
  READ_FROM_STORE: 'READ_FROM_STORE',
  /** Memory, falling back to the store when absent. */
  MEMORY_FIRST_THEN_STORE: 'MEMORY_FIRST_THEN_STORE',
} as const;
export type ReadOffsetType = (typeof ReadOffsetType)[keyof typeof ReadOffsetType];

/**
 * What the stores need from the client instance: its id, its API, and broker addresses.
 * A `MQClientInstance` is one; tests pass a small fake.
 */
export type OffsetStoreClient = Pick<MQClientInstance, 'clientId' | 'mqClientAPIImpl' | 'findBrokerAddressInSubscribe' | 'updateTopicRouteInfoFromNameServer'>;

export interface OffsetStore {
  /** Read the persisted offsets into memory (the local file; nothing for the broker store). */
  load(): void;
  /**
   * Set the in-memory offset of `mq`. With `increaseOnly` a smaller value is ignored (the
   * concurrent consumer's completions arrive out of order).
   */
  updateOffset(mq: MessageQueue, offset: number, increaseOnly: boolean): void;
  /**
   * The offset of `mq`: ≥ 0 when known, -1 when the store has none (a new group), -2 when
   * the store could not be asked (the broker did not answer).
   */
  readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number>;
  /** Write out the offsets of `mqs` (and forget in-memory offsets of queues not in `mqs`). */
  persistAll(mqs: readonly MessageQueue[]): Promise<void>;
  /** Write out the offset of one queue (when it is taken away). */
  persist(mq: MessageQueue): Promise<void>;
  /** Forget the in-memory offset of `mq`. */
  removeOffset(mq: MessageQueue): void;
  /** A copy of the in-memory offsets, of one topic or of all. */
  cloneOffsetTable(topic?: string): Array<[MessageQueue, number]>;
  /** Write `offset` of `mq` to the broker now (a no-op for the local store). */
  updateConsumeOffsetToBroker(mq: MessageQueue, offset: number, isOneway: boolean): Promise<void>;
}
