/**
 * MQAdminImpl (the part the lite pull consumer uses): ask a queue's broker for its offsets,
 * and the name server for a topic's queues.
 *
 * A pull-style consumer moves its read position by hand, so it needs facts a push consumer
 * never asks for directly: the smallest offset still stored (`seekToBegin`), the next
 * offset to be written (`seekToEnd`, and where a new group starts under
 * CONSUME_FROM_LAST_OFFSET), the offset stored nearest a time (`offsetForTimestamp`),
 * and the readable queues of a topic (`fetchMessageQueues`, the input of `assign`). Each
 * offset question goes to the master of the queue's broker:
 *
 * ```
 *   minOffset(mq)          GET_MIN_OFFSET              { topic, queueId }            → offset
 *   maxOffset(mq)          GET_MAX_OFFSET              { topic, queueId }            → offset
 *   searchOffset(mq, ts)   SEARCH_OFFSET_BY_TIMESTAMP  { topic, queueId, timestamp } → offset stored nearest ts
 *   fetchSubscribeMessageQueues(topic)   GET_ROUTEINFO_BY_TOPIC (name server) → readable queues
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - Only these four calls (Java's class also queries and views messages and creates topics).
 * - Failures keep their own error (MQBrokerError, a remoting error) as the `cause` of the
 *   MQClientError, as Java wraps them.
 *
 * @mirrors org.apache.rocketmq.client.impl.MQAdminImpl
 * @article pull-consume-2 "The lite pull consumer"
 * @category Client
 * @module
 */
import type { MessageQueue } from '../../../common/protocol/body/message-queue-keyed-map.js';
import { ClientErrorCode, MQClientError } from '../../errors.js';
import type { MQClientInstance } from '../../mq-client-instance.js';
import { topicRouteData2TopicSubscribeInfo } from '../../route/topic-route-conversion.js';

/** What the admin calls need from the client instance. */
export type MQAdminClient = Pick<MQClientInstance, 'mqClientAPIImpl' | 'findBrokerAddressInPublish' | 'updateTopicRouteInfoFromNameServer' | 'clientConfig'>;

export class MQAdminImpl {
  constructor(private readonly client: MQAdminClient, private readonly timeoutMillis: number) {}

  /** The next queue offset to be written in `mq` (GET_MAX_OFFSET). */
  maxOffset(mq: MessageQueue): Promise<number> {
    return this.askBroker(mq, (addr) => this.client.mqClientAPIImpl.getMaxOffset(addr, mq.topic, mq.queueId, this.timeoutMillis));
  }

  /** The smallest queue offset still stored in `mq` (GET_MIN_OFFSET). */
  minOffset(mq: MessageQueue): Promise<number> {
    return this.askBroker(mq, (addr) => this.client.mqClientAPIImpl.getMinOffset(addr, mq.topic, mq.queueId, this.timeoutMillis));
  }

  /**
   * The queue offset of `mq` whose message was stored closest to `timestamp` (epoch ms).
   * Java documents "the first offset at or after"; its store answers the closer neighbour.
   */
  searchOffset(mq: MessageQueue, timestamp: number): Promise<number> {
    return this.askBroker(mq, (addr) => this.client.mqClientAPIImpl.searchOffset(addr, mq.topic, mq.queueId, timestamp, this.timeoutMillis));
  }

  /**
   * The readable queues of `topic`, straight from the name server (not the instance's route
   * cache). Throws when the topic has no route or no readable queue.
   */
  async fetchSubscribeMessageQueues(topic: string): Promise<MessageQueue[]> {
    let route;
    try {
      route = await this.client.mqClientAPIImpl.getTopicRouteInfoFromNameServer(topic, this.timeoutMillis, true);
    } catch (error) {
      throw new MQClientError(ClientErrorCode.NOT_FOUND_TOPIC_EXCEPTION, `Can not find Message Queue for this topic, ${topic}`, { cause: error });
    }
    const mqs = route === undefined ? [] : topicRouteData2TopicSubscribeInfo(topic, route);
    // Java: "Namesrv return empty" is also reported as a missing topic.
    if (mqs.length === 0) throw new MQClientError(ClientErrorCode.NOT_FOUND_TOPIC_EXCEPTION, `Can not find Message Queue for this topic, ${topic}`);
    return mqs;
  }

  /** Find the master of the queue's broker (refreshing the route once), then run `call` there. */
  private async askBroker(mq: MessageQueue, call: (addr: string) => Promise<number>): Promise<number> {
    let addr = this.client.findBrokerAddressInPublish(mq.brokerName);
    if (addr === undefined) {
      await this.client.updateTopicRouteInfoFromNameServer(mq.topic);
      addr = this.client.findBrokerAddressInPublish(mq.brokerName);
    }
    if (addr === undefined) throw new MQClientError(ClientErrorCode.BROKER_NOT_EXIST_EXCEPTION, `The broker[${mq.brokerName}] not exist`);
    try {
      return await call(addr);
    } catch (error) {
      throw new MQClientError(-1, `Invoke Broker[${addr}] exception`, { cause: error });
    }
  }
}
