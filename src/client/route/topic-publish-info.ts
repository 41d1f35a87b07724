/**
 * TopicPublishInfo: the queues a producer may write a topic to, and its round-robin cursor.
 *
 * A route from the name server lists, per broker, how many write queues the topic has
 * there. The producer flattens that into one list of (broker, queueId) pairs and walks it
 * round-robin, so load spreads evenly over every queue of every master:
 *
 * ```
 *   route: broker-a writeQueueNums 2, broker-b writeQueueNums 2
 *   messageQueueList: [a/0, a/1, b/0, b/1]
 *   sendWhichQueue:    n, n+1, n+2, ...   (n random per publish info)
 *   pick:              list[(n+1) % 4], list[(n+2) % 4], ...
 *
 *   retry after broker-a failed (lastBrokerName = "broker-a"):
 *     keep stepping the cursor until the pick is not on broker-a,
 *     at most one full lap; after a full lap, take the plain next pick.
 * ```
 *
 * The cursor starts at a random value so that many producers started together do not all
 * hammer queue 0 first.
 *
 * Differences from RocketMQ 4.9.x:
 * - The cursor (Java's `ThreadLocalIndex`) is one counter per publish info, not per
 *   thread; there are no threads. Its start is drawn from the Random port.
 *
 * @mirrors org.apache.rocketmq.client.impl.producer.TopicPublishInfo
 * @mirrors org.apache.rocketmq.client.common.ThreadLocalIndex
 * @article send-receive "Choosing a queue"
 * @category Client
 * @module
 */
import type { MessageQueue } from '../../common/protocol/body/message-queue-keyed-map.js';
import type { TopicRouteData } from '../../common/protocol/route/topic-route-data.js';
import type { Random } from '../../platform/random.js';

/** Java's ThreadLocalIndex: a counter from a random start whose values are masked non-negative. */
export class SendWhichQueue {
  private index: number;

  constructor(random: Random) {
    // Java: random.nextInt(), any int32.
    this.index = (random.int(0x1_0000_0000) - 0x8000_0000) | 0;
  }

  /** Step and return the new value, masked to 31 bits (Java: `index & POSITIVE_MASK`). */
  incrementAndGet(): number {
    this.index = (this.index + 1) | 0;
    return this.index & 0x7fff_ffff;
  }
}

export class TopicPublishInfo {
  /** True when the route came with an `orderTopicConf`. */
  orderTopic = false;
  /** True once filled from a real route (false for the empty placeholder). */
  haveTopicRouterInfo = false;
  readonly messageQueueList: MessageQueue[] = [];
  readonly sendWhichQueue: SendWhichQueue;
  topicRouteData: TopicRouteData | undefined = undefined;

  constructor(random: Random) {
    this.sendWhichQueue = new SendWhichQueue(random);
  }

  /** Usable for sending: has at least one queue. */
  ok(): boolean {
    return this.messageQueueList.length > 0;
  }

  /**
   * The next queue round-robin, skipping queues on `lastBrokerName` (the broker the previous
   * attempt failed on) for at most one lap.
   */
  selectOneMessageQueue(lastBrokerName?: string): MessageQueue {
    const list = this.messageQueueList;
    if (lastBrokerName === undefined) return this.nextQueue();
    for (let i = 0; i < list.length; i++) {
      const mq = list[this.sendWhichQueue.incrementAndGet() % list.length]!;
      if (mq.brokerName !== lastBrokerName) return mq;
    }
    return this.nextQueue();
  }

  /** The plain next queue of the round-robin. */
  private nextQueue(): MessageQueue {
    const list = this.messageQueueList;
    return list[this.sendWhichQueue.incrementAndGet() % list.length]!;
  }

  /** The write queue count of `brokerName` in the route, or -1 (Java: `getQueueIdByBroker`). */
  getQueueIdByBroker(brokerName: string): number {
    for (const qd of this.topicRouteData?.queueDatas ?? []) {
      if (qd.brokerName === brokerName) return qd.writeQueueNums;
    }
    return -1;
  }
}
