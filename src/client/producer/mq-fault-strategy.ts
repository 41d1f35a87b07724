/**
 * MQFaultStrategy: how a producer picks the queue for one send attempt.
 *
 * Off (the default), it is plain round-robin over the topic's write queues, stepping past
 * the broker the previous attempt failed on. On (`sendLatencyFaultEnable`), every send also
 * reports its latency, and a broker that was slow or failed is avoided for a time that
 * grows with its latency:
 *
 * ```
 *   latency ≥   50  100  550     1000     2000     3000      15000 ms
 *   avoid for    0    0  30 s    60 s     120 s    180 s     600 s
 *   a failed attempt (isolation) counts as 30000 ms, so its broker is avoided for 600 s
 * ```
 *
 * With the strategy on, the choice walks the round-robin from the cursor and takes the
 * first queue whose broker is available; when none is, it asks the fault table for the
 * least bad broker and sends to one of its queues; when that broker has no queue in the
 * route any more, it forgets it and falls back to round-robin.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java rewrites the broker and queue of a queue object taken from the shared list (a
 *   known mutation bug); we return a new queue object instead.
 *
 * @mirrors org.apache.rocketmq.client.latency.MQFaultStrategy
 * @article send-receive "Avoiding slow brokers"
 * @category Client
 * @module
 */
import type { MessageQueue } from '../../common/protocol/body/message-queue-keyed-map.js';
import type { Clock } from '../../platform/clock.js';
import type { Random } from '../../platform/random.js';
import type { TopicPublishInfo } from '../route/topic-publish-info.js';
import { LatencyFaultToleranceImpl } from './latency-fault-tolerance.js';

/** Latency thresholds, ms (Java `latencyMax`). */
export const LATENCY_MAX: readonly number[] = [50, 100, 550, 1000, 2000, 3000, 15000];
/** How long to avoid a broker at each threshold, ms (Java `notAvailableDuration`). */
export const NOT_AVAILABLE_DURATION: readonly number[] = [0, 0, 30000, 60000, 120000, 180000, 600000];

/** Which rule produced a choice, for the `client.queue.selected` event. */
export type FaultStrategyRule = 'round-robin' | 'latency-fault' | 'latency-fault-least-bad';

export class MQFaultStrategy {
  readonly latencyFaultTolerance: LatencyFaultToleranceImpl;
  sendLatencyFaultEnable = false;
  /** The rule behind the last `selectOneMessageQueue` answer. */
  lastRule: FaultStrategyRule = 'round-robin';

  constructor(clock: Clock, random: Random, readonly latencyMax: readonly number[] = LATENCY_MAX, readonly notAvailableDuration: readonly number[] = NOT_AVAILABLE_DURATION) {
    this.latencyFaultTolerance = new LatencyFaultToleranceImpl(clock, random);
  }

  /** The queue for the next attempt; `lastBrokerName` is where the previous attempt failed. */
  selectOneMessageQueue(tpInfo: TopicPublishInfo, lastBrokerName: string | undefined): MessageQueue {
    if (!this.sendLatencyFaultEnable) {
      this.lastRule = 'round-robin';
      return tpInfo.selectOneMessageQueue(lastBrokerName);
    }
    const list = tpInfo.messageQueueList;
    let index = tpInfo.sendWhichQueue.incrementAndGet();
    for (let i = 0; i < list.length; i++) {
      const mq = list[(index++ & 0x7fff_ffff) % list.length]!;
      if (this.latencyFaultTolerance.isAvailable(mq.brokerName)) {
        this.lastRule = 'latency-fault';
        return mq;
      }
    }
    const notBestBroker = this.latencyFaultTolerance.pickOneAtLeast();
    if (notBestBroker !== undefined) {
      const writeQueueNums = tpInfo.getQueueIdByBroker(notBestBroker);
      if (writeQueueNums > 0) {
        this.lastRule = 'latency-fault-least-bad';
        const base = tpInfo.selectOneMessageQueue();
        return { topic: base.topic, brokerName: notBestBroker, queueId: tpInfo.sendWhichQueue.incrementAndGet() % writeQueueNums };
      }
      this.latencyFaultTolerance.remove(notBestBroker);
    }
    this.lastRule = 'round-robin';
    return tpInfo.selectOneMessageQueue();
  }

  /**
   * Report one attempt: `currentLatency` ms on `brokerName`; `isolation` (a failure) counts
   * as 30000 ms. Does nothing while the strategy is off.
   */
  updateFaultItem(brokerName: string, currentLatency: number, isolation: boolean): void {
    if (!this.sendLatencyFaultEnable) return;
    const duration = this.computeNotAvailableDuration(isolation ? 30000 : currentLatency);
    this.latencyFaultTolerance.updateFaultItem(brokerName, currentLatency, duration);
  }

  /** The avoidance time for a latency: the duration of the highest threshold it reaches. */
  computeNotAvailableDuration(currentLatency: number): number {
    for (let i = this.latencyMax.length - 1; i >= 0; i--) {
      if (currentLatency >= this.latencyMax[i]!) return this.notAvailableDuration[i]!;
    }
    return 0;
  }
}
