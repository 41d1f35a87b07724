/**
 * TopicList: a set of topic names (and, for the system topic list, one broker address),
 * the body of several name-server answers: all topics, the topics of a cluster, the
 * system and unit topic lists.
 *
 * ```
 *   {"topicList":["TopicA","TopicB"]}                                  (GET_ALL_TOPIC_LIST_FROM_NAMESERVER)
 *   {"brokerAddr":"10.0.0.1:10911","topicList":["DefaultCluster","broker-a"]}   (GET_SYSTEM_TOPIC_LIST_FROM_NS)
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - Topics are written sorted (Java writes its `HashSet` order).
 *
 * @mirrors org.apache.rocketmq.common.protocol.body.TopicList
 * @article namesrv "The five tables"
 * @category Common
 * @module
 */
import { decodeFastjson, encodeFastjson } from '../../json/fastjson.js';
import { asObject, optString, optStringArray } from '../../json/json-fields.js';

export interface TopicList {
  topicList: Set<string>;
  brokerAddr?: string;
}

/** The body bytes, topics sorted. */
export function encodeTopicList(list: TopicList): Uint8Array {
  return encodeFastjson({ brokerAddr: list.brokerAddr, topicList: [...list.topicList].sort() });
}

/** Read a TopicList body. */
export function decodeTopicList(body: Uint8Array): TopicList {
  const obj = asObject(decodeFastjson(body, 'TopicList'), 'TopicList');
  const list: TopicList = { topicList: new Set(optStringArray(obj, 'topicList', 'TopicList') ?? []) };
  const brokerAddr = optString(obj, 'brokerAddr', 'TopicList');
  if (brokerAddr !== undefined) list.brokerAddr = brokerAddr;
  return list;
}
