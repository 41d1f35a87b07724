// Helpers for the client acceptance tests over real TCP on 127.0.0.1: our producer, push
// consumers and lite pull consumers against the in-process cluster of compat-support.ts
// (a real NamesrvController and BrokerController on TcpTransport, NodeFileSystem in a temp
// dir, SystemClock). Every client gets its own instanceName, so each has its own client id
// and MQClientInstance, as separate processes would.
import { DefaultLitePullConsumer, type DefaultLitePullConsumerOptions } from '../../../src/client/consumer/default-lite-pull-consumer.js';
import { DefaultMQPushConsumer, type DefaultMQPushConsumerOptions } from '../../../src/client/consumer/default-mq-push-consumer.js';
import { messageQueueKey } from '../../../src/client/consumer/message-queue-map.js';
import { RebalanceService } from '../../../src/client/consumer/rebalance-service.js';
import { DefaultMQProducer } from '../../../src/client/producer/default-mq-producer.js';
import { getUniqID } from '../../../src/common/message/message-id.js';
import type { MessageExt } from '../../../src/common/message/message-ext.js';
import { NOOP_SINK, type EventSink } from '../../../src/events/event-sink.js';
import { NodeFileSystem } from '../../../src/platform/node/node-file-system.js';
import { TcpTransport } from '../../../src/platform/node/tcp-transport.js';
import type { Platform } from '../../../src/platform/platform.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { SystemClock } from '../../../src/platform/system-clock.js';
import type { Cluster } from '../compat/compat-support.js';

let seed = 1000;
/** A real-time, real-socket, real-disk platform. */
export const tcpPlatform = (): Platform => ({ clock: new SystemClock({ unref: true }), random: new SeededRandom(seed++), fs: new NodeFileSystem(), transport: new TcpTransport() });

export function newProducer(cluster: Cluster, group: string, instanceName = group, events: EventSink = NOOP_SINK): DefaultMQProducer {
  return new DefaultMQProducer({
    platform: tcpPlatform(), events, node: instanceName, producerGroup: group, namesrvAddr: cluster.namesrvAddr, sendMsgTimeout: 10_000,
    clientConfig: { clientIP: '127.0.0.1', pid: process.pid, instanceName },
  });
}

export interface PushOptions extends Omit<DefaultMQPushConsumerOptions, 'platform' | 'consumerGroup'> {
  /** Period of the instance's RebalanceService (ms); short values make reconvergence quick. */
  rebalanceIntervalMs?: number;
}

/** A push consumer of `group` on its own client instance (instanceName `name`). */
export function newPushConsumer(cluster: Cluster, group: string, name: string, options: PushOptions = {}): DefaultMQPushConsumer {
  const { rebalanceIntervalMs, ...rest } = options;
  const consumer = new DefaultMQPushConsumer({
    platform: tcpPlatform(), node: name, consumerGroup: group, namesrvAddr: cluster.namesrvAddr,
    clientConfig: { clientIP: '127.0.0.1', pid: process.pid, instanceName: name }, ...rest,
  });
  if (rebalanceIntervalMs !== undefined) {
    const instance = consumer.mQClientFactory;
    instance.setRebalanceService(new RebalanceService(instance.platform.clock, instance, rebalanceIntervalMs));
  }
  return consumer;
}

export function newLiteConsumer(cluster: Cluster, group: string, name: string, options: Omit<DefaultLitePullConsumerOptions, 'platform' | 'events' | 'consumerGroup'> & { events?: EventSink } = {}): DefaultLitePullConsumer {
  return new DefaultLitePullConsumer({
    platform: tcpPlatform(), events: options.events ?? NOOP_SINK, node: name, consumerGroup: group, namesrvAddr: cluster.namesrvAddr,
    clientConfig: { clientIP: '127.0.0.1', pid: process.pid, instanceName: name }, ...options,
  });
}

/** The queues (`broker/queueId`) of `topic` a push consumer holds now. */
export function pushQueues(consumer: DefaultMQPushConsumer, topic: string): string[] {
  return consumer.defaultMQPushConsumerImpl.rebalanceImpl.processQueueTable.keys()
    .filter((mq) => mq.topic === topic)
    .map((mq) => `${mq.brokerName}/${mq.queueId}`)
    .sort();
}

/** A delivered message as the tests record it. */
export interface Delivery {
  consumer: string;
  uniqKey: string;
  msgId: string;
  mq: string;
  queueOffset: number;
  reconsumeTimes: number;
  body: string;
  at: number;
}

export function delivery(consumer: string, msg: MessageExt): Delivery {
  return {
    consumer, uniqKey: getUniqID(msg) ?? '', msgId: msg.msgId, mq: messageQueueKey({ topic: msg.topic, brokerName: msg.brokerName, queueId: msg.queueId }),
    queueOffset: msg.queueOffset, reconsumeTimes: msg.reconsumeTimes, body: new TextDecoder().decode(msg.body), at: Date.now(),
  };
}

/** Shut every client down, ignoring failures (afterAll). */
export async function closeAll(clients: Array<{ shutdown(): Promise<void> }>): Promise<void> {
  for (const client of clients.reverse()) await client.shutdown().catch(() => undefined);
}
