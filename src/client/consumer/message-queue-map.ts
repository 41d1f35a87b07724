/**
 * MessageQueueMap: a Map keyed by a MessageQueue's value, the stand-in for Java's
 * `ConcurrentMap<MessageQueue, V>`.
 *
 * Java's `MessageQueue` has `equals`/`hashCode` over (topic, brokerName, queueId), so two
 * separately built objects for the same queue find the same entry. A JavaScript Map compares
 * object keys by identity, so the consumer's tables (process queues, offsets, the broker to
 * pull from) key their entries by the string `topic@brokerName@queueId` and keep the queue
 * object next to the value.
 *
 * Differences from RocketMQ 4.9.x: none in behaviour; iteration is in insertion order.
 *
 * @mirrors org.apache.rocketmq.common.message.MessageQueue (equals/hashCode)
 * @article pull-consume-1 "Rebalance: who reads which queue"
 * @category Client
 * @module
 */
import type { MessageQueue } from '../../common/protocol/body/message-queue-keyed-map.js';

/** `topic@brokerName@queueId`: the identity of a queue as a string (also used in events). */
export function messageQueueKey(mq: MessageQueue): string {
  return `${mq.topic}@${mq.brokerName}@${mq.queueId}`;
}

export class MessageQueueMap<V> {
  private readonly table = new Map<string, { mq: MessageQueue; value: V }>();

  get size(): number {
    return this.table.size;
  }

  get(mq: MessageQueue): V | undefined {
    return this.table.get(messageQueueKey(mq))?.value;
  }

  has(mq: MessageQueue): boolean {
    return this.table.has(messageQueueKey(mq));
  }

  set(mq: MessageQueue, value: V): void {
    this.table.set(messageQueueKey(mq), { mq, value });
  }

  /** Set only when absent; returns the value already there, or `undefined` when it was set. */
  putIfAbsent(mq: MessageQueue, value: V): V | undefined {
    const old = this.table.get(messageQueueKey(mq));
    if (old !== undefined) return old.value;
    this.set(mq, value);
    return undefined;
  }

  /** Remove and return the value, if any. */
  delete(mq: MessageQueue): V | undefined {
    const key = messageQueueKey(mq);
    const old = this.table.get(key);
    this.table.delete(key);
    return old?.value;
  }

  clear(): void {
    this.table.clear();
  }

  keys(): MessageQueue[] {
    return [...this.table.values()].map((e) => e.mq);
  }

  values(): V[] {
    return [...this.table.values()].map((e) => e.value);
  }

  entries(): Array<[MessageQueue, V]> {
    return [...this.table.values()].map((e) => [e.mq, e.value]);
  }
}
