/**
 * From a topic route to what producers and consumers use: publish queues and subscribe queues.
 *
 * The name server answers GET_ROUTEINFO_BY_TOPIC with, per broker name, a QueueData (read
 * and write queue counts, permissions) and a BrokerData (the addresses by broker id). A
 * producer wants the queues it may write; a consumer the queues it may read:
 *
 * ```
 *   queueDatas (sorted by brokerName)       publish (writable, master present)   subscribe (readable)
 *   broker-a  r4 w4 perm 6 (RW)  master ✓   a/0 a/1 a/2 a/3                      a/0 .. a/3
 *   broker-b  r4 w2 perm 4 (R)   master ✓   (not writable)                       b/0 .. b/3
 *   broker-c  r2 w2 perm 6       no master  (skipped: nowhere to send)           c/0 c/1
 * ```
 *
 * An ordered topic (the name server has `orderTopicConf` "broker-a:4;broker-b:4") publishes
 * exactly the listed queues instead, so a given hash always lands on the same queue.
 *
 * Differences from RocketMQ 4.9.x:
 * - Subscribe queues come back as an array in route order, not a HashSet.
 * - Java sorts the route's own queueDatas list in place; we sort a copy.
 *
 * @mirrors org.apache.rocketmq.client.impl.factory.MQClientInstance#topicRouteData2TopicPublishInfo
 * @mirrors org.apache.rocketmq.client.impl.factory.MQClientInstance#topicRouteData2TopicSubscribeInfo
 * @mirrors org.apache.rocketmq.client.impl.factory.MQClientInstance#updateTopicRouteInfoFromNameServer (the TBW102 cap)
 * @article send-receive "From route to queues"
 * @category Client
 * @module
 */
import { isReadable, isWriteable } from '../../common/constant/perm-name.js';
import { MASTER_ID } from '../../common/mix-all.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue-keyed-map.js';
import { cloneBrokerData, type QueueData, type TopicRouteData } from '../../common/protocol/route/topic-route-data.js';
import type { Random } from '../../platform/random.js';
import { TopicPublishInfo } from './topic-publish-info.js';

/** The publish info of `topic` from `route` (cursor start drawn from `random`). */
export function topicRouteData2TopicPublishInfo(topic: string, route: TopicRouteData, random: Random): TopicPublishInfo {
  const info = new TopicPublishInfo(random);
  info.topicRouteData = route;
  if (route.orderTopicConf !== undefined && route.orderTopicConf.length > 0) {
    for (const broker of route.orderTopicConf.split(';')) {
      const [brokerName, nums] = broker.split(':');
      const count = Number(nums);
      if (brokerName === undefined || !Number.isInteger(count)) continue; // Java: NumberFormatException
      for (let queueId = 0; queueId < count; queueId++) info.messageQueueList.push({ topic, brokerName, queueId });
    }
    info.orderTopic = true;
    return info;
  }
  for (const qd of sortedQueueDatas(route)) {
    if (!isWriteable(qd.perm)) continue;
    const brokerData = route.brokerDatas.find((bd) => bd.brokerName === qd.brokerName);
    if (brokerData === undefined || !brokerData.brokerAddrs.has(MASTER_ID)) continue;
    for (let queueId = 0; queueId < qd.writeQueueNums; queueId++) info.messageQueueList.push({ topic, brokerName: qd.brokerName, queueId });
  }
  return info;
}

/** The readable queues of `topic` from `route`. */
export function topicRouteData2TopicSubscribeInfo(topic: string, route: TopicRouteData): MessageQueue[] {
  const queues: MessageQueue[] = [];
  for (const qd of route.queueDatas) {
    if (!isReadable(qd.perm)) continue;
    for (let queueId = 0; queueId < qd.readQueueNums; queueId++) queues.push({ topic, brokerName: qd.brokerName, queueId });
  }
  return queues;
}

/** Java `QueueData.compareTo`: by broker name. */
function sortedQueueDatas(route: TopicRouteData): QueueData[] {
  return [...route.queueDatas].sort((a, b) => (a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0));
}

/** True when the two routes differ in anything the client uses (Java: `TopicRouteData.equals`). */
export function topicRouteDataChanged(olddata: TopicRouteData | undefined, nowdata: TopicRouteData): boolean {
  if (olddata === undefined) return true;
  return routeKey(olddata) !== routeKey(nowdata);
}

/** A canonical string of a route: queue datas and broker datas sorted by broker name. */
function routeKey(route: TopicRouteData): string {
  const qds = sortedQueueDatas(route).map((q) => `${q.brokerName}:${q.readQueueNums}:${q.writeQueueNums}:${q.perm}:${q.topicSysFlag}`);
  const bds = [...route.brokerDatas]
    .sort((a, b) => (a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0))
    .map((b) => `${b.cluster}/${b.brokerName}/${[...b.brokerAddrs].sort((x, y) => x[0] - y[0]).map(([id, addr]) => `${id}=${addr}`).join(',')}`);
  return `${route.orderTopicConf ?? ''}|${qds.join(';')}|${bds.join(';')}`;
}

/** A copy of `route` with every QueueData capped to `queueNums` read and write queues. */
export function capQueueNums(route: TopicRouteData, queueNums: number): TopicRouteData {
  return {
    ...route,
    queueDatas: route.queueDatas.map((qd) => {
      const nums = Math.min(queueNums, qd.readQueueNums);
      return { ...qd, readQueueNums: nums, writeQueueNums: nums };
    }),
    brokerDatas: route.brokerDatas.map(cloneBrokerData),
    filterServerTable: new Map(route.filterServerTable),
  };
}

/** `broker/queueId`, as events show a queue. */
export function messageQueueName(mq: MessageQueue): string {
  return `${mq.brokerName}/${mq.queueId}`;
}
