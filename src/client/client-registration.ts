/**
 * What a client instance tells the brokers about itself: the HEART_BEAT body (its producer
 * groups, its consumers and their subscriptions) and, at consumer start, the
 * CHECK_CLIENT_CONFIG round that asks a broker whether it can run each non-TAG subscription.
 *
 * ```
 *   HEART_BEAT body     { clientID, producerDataSet: [{groupName}],
 *                         consumerDataSet: [{groupName, consumeType, messageModel, consumeFromWhere,
 *                                            subscriptionDataSet: [...], unitMode}] }
 *   CHECK_CLIENT_CONFIG one request per SQL92 subscription, at one broker of its topic
 * ```
 *
 * Split out of `mq-client-instance.ts`, which sends both; the instance keeps the tables.
 *
 * Differences from RocketMQ 4.9.x: none in behaviour (these are `MQClientInstance`'s
 * `prepareHeartbeatData` and `checkClientInBroker`).
 *
 * @mirrors org.apache.rocketmq.client.impl.factory.MQClientInstance#prepareHeartbeatData
 * @mirrors org.apache.rocketmq.client.impl.factory.MQClientInstance#checkClientInBroker
 * @article send-receive "The client instance and its producers"
 * @category Client
 * @module
 */
import { ConsumerData } from '../common/protocol/heartbeat/consumer-data.js';
import { HeartbeatData } from '../common/protocol/heartbeat/heartbeat-data.js';
import { ProducerData } from '../common/protocol/heartbeat/producer-data.js';
import { isTagType } from '../common/protocol/heartbeat/subscription-data.js';
import { MQClientError } from './errors.js';
import type { MQClientAPIImpl } from './mq-client-api.js';
import type { MQConsumerInner } from './mq-consumer-inner.js';

/** The HEART_BEAT body of client `clientId`. */
export function buildHeartbeatData(clientId: string, consumers: ReadonlyMap<string, MQConsumerInner>, producerGroups: Iterable<string>): HeartbeatData {
  const heartbeat = new HeartbeatData(clientId);
  for (const [group, consumer] of consumers) {
    const data = new ConsumerData(group, consumer.consumeType(), consumer.messageModel(), consumer.consumeFromWhere(), [...consumer.subscriptions()]);
    data.unitMode = consumer.isUnitMode();
    heartbeat.consumerDataSet.push(data);
  }
  for (const group of producerGroups) heartbeat.producerDataSet.push(new ProducerData(group));
  return heartbeat;
}

/**
 * CHECK_CLIENT_CONFIG for every non-TAG subscription of every consumer, at one broker of its
 * topic (Java assumes every broker of a cluster is configured alike). Rejects with the
 * broker's {@link MQClientError} (e.g. SUBSCRIPTION_PARSE_FAILED), or wraps a transport failure.
 */
export async function checkSubscriptionsInBroker(
  consumers: ReadonlyMap<string, MQConsumerInner>,
  findBrokerAddrByTopic: (topic: string) => string | undefined,
  api: Pick<MQClientAPIImpl, 'checkClientInBroker'>,
  clientId: string,
  timeoutMs: number,
): Promise<void> {
  for (const [group, consumer] of consumers) {
    const subscriptions = consumer.subscriptions();
    if (subscriptions.length === 0) return; // Java returns here, skipping the remaining consumers
    for (const sub of subscriptions) {
      if (isTagType(sub.expressionType)) continue;
      const addr = findBrokerAddrByTopic(sub.topic);
      if (addr === undefined) continue;
      try {
        await api.checkClientInBroker(addr, group, clientId, sub, timeoutMs);
      } catch (error) {
        if (error instanceof MQClientError) throw error;
        throw new MQClientError(-1, `Check client in broker error, maybe because you use ${sub.expressionType} to filter message, ` +
          'but server has not been upgraded to support!This error would not affect the launch of consumer, but may has impact on ' +
          'message receiving if you have use the new features which are not supported by server, please check the log!', { cause: error });
      }
    }
  }
}
