/**
 * MessageQueueSelector: the application picks the queue, for ordered messages.
 *
 * Round-robin spreads a topic's messages over every queue, so two messages of one order
 * may land on different queues and be consumed in parallel. When order matters per key
 * (all events of one order id in sequence), the application sends with a selector that maps
 * the key to a queue, so one key always lands on one queue, and a queue is consumed in order.
 *
 * ```
 *   send(msg, new SelectMessageQueueByHash(), orderId)
 *     queues = [a/0, a/1, b/0, b/1]
 *     index  = abs(hashCode(orderId) % 4)
 * ```
 *
 * The selector sees the publish queues of the current route: if the route changes (a broker
 * added or removed), the same key may map to another queue, which is why ordered topics are
 * usually given a fixed `orderTopicConf`.
 *
 * Differences from RocketMQ 4.9.x:
 * - An int32 `arg` hashes like a Java `Integer`, anything else like the Java String of
 *   `String(arg)`; pass strings or int32 numbers to land where a Java producer would.
 *
 * @mirrors org.apache.rocketmq.client.producer.MessageQueueSelector
 * @mirrors org.apache.rocketmq.client.producer.selector.SelectMessageQueueByHash
 * @mirrors org.apache.rocketmq.client.producer.selector.SelectMessageQueueByRandom
 * @article orderly "Sending in order"
 * @category Client
 * @module
 */
import { javaStringHashCode } from '../../common/java-compat.js';
import type { Message } from '../../common/message/message.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue-keyed-map.js';
import type { Random } from '../../platform/random.js';

/** Chooses the queue of one send. */
export interface MessageQueueSelector {
  select(mqs: readonly MessageQueue[], msg: Message, arg: unknown): MessageQueue | undefined;
}

/** `abs(arg.hashCode()) % mqs.size()` with Java's String hash. */
export class SelectMessageQueueByHash implements MessageQueueSelector {
  select(mqs: readonly MessageQueue[], _msg: Message, arg: unknown): MessageQueue | undefined {
    if (mqs.length === 0) return undefined;
    let value = javaHashCode(arg) % mqs.length;
    if (value < 0) value = Math.abs(value);
    return mqs[value];
  }
}

/**
 * Java's `hashCode()` of the argument: an int32 number hashes to itself (Java `Integer`),
 * anything else as the Java String of `String(arg)`.
 */
export function javaHashCode(arg: unknown): number {
  if (typeof arg === 'number' && Number.isInteger(arg) && arg >= -0x8000_0000 && arg <= 0x7fff_ffff) return arg;
  return javaStringHashCode(String(arg));
}

/** A random queue, from the Random port. */
export class SelectMessageQueueByRandom implements MessageQueueSelector {
  constructor(private readonly random: Random) {}

  select(mqs: readonly MessageQueue[]): MessageQueue | undefined {
    return mqs.length === 0 ? undefined : mqs[this.random.int(mqs.length)];
  }
}
