/**
 * TopicQueueTable: the next consume-queue offset of every (topic, queue id), as the put
 * path hands them out.
 *
 * A record's QUEUEOFFSET is decided at append time, under the put lock, long before the
 * reput service writes the consume-queue unit: the put takes the table's value for its
 * topic and queue, writes it into the record, and bumps the entry (for NOT and COMMIT
 * records only: PREPARED and ROLLBACK records get queue offset 0 and never reach a consume
 * queue). The table lives only in memory; at startup recovery rebuilds it from the consume
 * queues' max offsets, and it can be cut back when a queue is removed.
 *
 * ```
 *   "TopicA-0" -> 57     the next message put to TopicA queue 0 gets queue offset 57
 *   "TopicA-1" -> 12
 *   "%RETRY%g-0" -> 3
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - Java keys a `HashMap<String, Long>` by `topic + "-" + queueId`, building that string
 *   on every put; here a map per topic holds a map per queue id, so a put allocates
 *   nothing. {@link TopicQueueTable.toRecord} shows the Java keys.
 *
 * @mirrors org.apache.rocketmq.store.CommitLog#topicQueueTable
 * @article store "The put path"
 * @category Store
 * @module
 */

export class TopicQueueTable {
  private readonly table = new Map<string, Map<number, number>>();

  /** The next queue offset of `topic`/`queueId` (0 when the queue has none yet). */
  get(topic: string, queueId: number): number {
    return this.table.get(topic)?.get(queueId) ?? 0;
  }

  /** Whether the table has an entry for `topic`/`queueId`. */
  has(topic: string, queueId: number): boolean {
    return this.table.get(topic)?.has(queueId) ?? false;
  }

  set(topic: string, queueId: number, nextQueueOffset: number): void {
    let queues = this.table.get(topic);
    if (queues === undefined) {
      queues = new Map();
      this.table.set(topic, queues);
    }
    queues.set(queueId, nextQueueOffset);
  }

  /** Java `removeQueueFromTopicQueueTable`. */
  remove(topic: string, queueId: number): void {
    const queues = this.table.get(topic);
    if (queues === undefined) return;
    queues.delete(queueId);
    if (queues.size === 0) this.table.delete(topic);
  }

  clear(): void {
    this.table.clear();
  }

  /** Every entry, topic by topic. */
  *entries(): IterableIterator<[topic: string, queueId: number, nextQueueOffset: number]> {
    for (const [topic, queues] of this.table) {
      for (const [queueId, offset] of queues) yield [topic, queueId, offset];
    }
  }

  /** The table with Java's `"topic-queueId"` keys (for events, logs and tests). */
  toRecord(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [topic, queueId, offset] of this.entries()) out[`${topic}-${queueId}`] = offset;
    return out;
  }
}
