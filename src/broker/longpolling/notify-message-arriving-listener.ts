/**
 * NotifyMessageArrivingListener: the store's "a message just became visible" signal,
 * forwarded to the long-polling hold service.
 *
 * The store's reput service calls it for every message it dispatches into a consume queue,
 * with the queue's new max offset and the message's tags code. That is what turns a held
 * pull into an answer within a millisecond of the send, instead of at the next 5 s check.
 *
 * ```
 *   SEND ──► CommitLog ──► ReputMessageService ──► ConsumeQueue unit written
 *                                    └──► arriving(topic, queueId, maxOffset, tagsCode, ...)
 *                                           └──► PullRequestHoldService.notifyMessageArriving
 * ```
 *
 * Differences from RocketMQ 4.9.x: the store's listener passes the properties before the
 * (optional) bit map; the order is restored here.
 *
 * @mirrors org.apache.rocketmq.broker.longpolling.NotifyMessageArrivingListener
 * @article pull-consume-1 "Long polling on the broker"
 * @category Broker
 * @module
 */
import type { MessageArrivingListener } from '../../store/message-store.js';
import type { PullRequestHoldService } from './pull-request-hold-service.js';

export class NotifyMessageArrivingListener implements MessageArrivingListener {
  constructor(private readonly pullRequestHoldService: Pick<PullRequestHoldService, 'notifyMessageArriving'>) {}

  arriving(
    topic: string,
    queueId: number,
    logicOffset: number,
    tagsCode: number,
    msgStoreTime: number,
    properties: ReadonlyMap<string, string> | undefined,
    filterBitMap?: Uint8Array,
  ): void {
    this.pullRequestHoldService.notifyMessageArriving(topic, queueId, logicOffset, tagsCode, msgStoreTime, filterBitMap, properties);
  }
}
