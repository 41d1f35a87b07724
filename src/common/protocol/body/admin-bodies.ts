/**
 * The JSON bodies of the broker's admin answers: consume progress, queue statistics,
 * connections, group lists, queue locks and offset resets.
 *
 * Each body is a small Java bean serialized by fastjson. Three of them hold a map keyed by
 * MessageQueue, written with object keys (see message-queue-keyed-map.ts); the rest are
 * plain beans whose properties fastjson writes in alphabetical order, which
 * `writeFastjson` reproduces. Each body has an `encode` (what the broker sends) and a
 * `decode` (what `rocketmq-ts admin` reads back; lenient, as fastjson).
 *
 * ```
 *   body                     code  shape
 *   ConsumeStats              208  {"consumeTps":0,"offsetTable":{{mq}:{"brokerOffset","consumerOffset","lastTimestamp"}}}
 *   TopicStatsTable           202  {"offsetTable":{{mq}:{"lastUpdateTimestamp","maxOffset","minOffset"}}}
 *   ResetOffsetBody           222  {"offsetTable":{{mq}:offset}}
 *   ConsumerConnection        203  {"connectionSet":[..],"consumeFromWhere","consumeType","messageModel","subscriptionTable":{topic:{..}}}
 *   ProducerConnection        204  {"connectionSet":[{"clientAddr","clientId","language","version"}]}
 *   GroupList                 300  {"groupList":["cg"]}
 *   LockBatchRequestBody    41/42  {"clientId","consumerGroup","mqSet":[mq]}
 *   LockBatchResponseBody      41  {"lockOKMQSet":[mq]}
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - These live with the admin processor rather than in `common/protocol/body` (the files
 *   there belong to other modules for now); the shapes are Java's.
 * - `ConsumeStats.consumeTps` is always written as a number (Java writes a double, `0.0`).
 *
 * @mirrors org.apache.rocketmq.common.admin.ConsumeStats
 * @mirrors org.apache.rocketmq.common.admin.OffsetWrapper
 * @mirrors org.apache.rocketmq.common.admin.TopicStatsTable
 * @mirrors org.apache.rocketmq.common.admin.TopicOffset
 * @mirrors org.apache.rocketmq.common.protocol.body.ResetOffsetBody
 * @mirrors org.apache.rocketmq.common.protocol.body.Connection
 * @mirrors org.apache.rocketmq.common.protocol.body.ConsumerConnection
 * @mirrors org.apache.rocketmq.common.protocol.body.ProducerConnection
 * @mirrors org.apache.rocketmq.common.protocol.body.GroupList
 * @mirrors org.apache.rocketmq.common.protocol.body.LockBatchRequestBody
 * @mirrors org.apache.rocketmq.common.protocol.body.LockBatchResponseBody
 * @article pull-consume-2 "Consume progress"
 * @category Broker
 * @module
 */
import { decodeUtf8, encodeUtf8 } from '../../bytes.js';
import { decodeFastjson, encodeFastjson, JsonFormatError } from '../../json/fastjson.js';
import { asObject, optArray, optInt, optLong, optObject, optString, optStringArray, type JsonObject } from '../../json/json-fields.js';
import {
  messageQueueBean, messageQueueFromJson, parseWithObjectKeys, readMessageQueueMap, writeMessageQueueMap, type MessageQueue,
} from './message-queue-keyed-map.js';

// ---------------------------------------------------------------------------------------
// Object-keyed bodies.

/** One queue's progress for one group (Java `OffsetWrapper`). */
export interface OffsetWrapper {
  /** The queue's max offset: the next queue offset to be written. */
  brokerOffset: number;
  /** The group's committed queue offset (0 when it has none). */
  consumerOffset: number;
  /** Store time of the last consumed message, 0 when unknown. */
  lastTimestamp: number;
}

/** A group's progress on every queue it reads (Java `ConsumeStats`). */
export interface ConsumeStats {
  offsetTable: Array<[MessageQueue, OffsetWrapper]>;
  consumeTps: number;
}

/** Messages not yet consumed, summed over the queues (Java `computeTotalDiff`). */
export function computeTotalDiff(stats: ConsumeStats): number {
  return stats.offsetTable.reduce((sum, [, w]) => sum + (w.brokerOffset - w.consumerOffset), 0);
}

export function encodeConsumeStats(stats: ConsumeStats): Uint8Array {
  const table = stats.offsetTable.map(([mq, w]) => [mq, { brokerOffset: w.brokerOffset, consumerOffset: w.consumerOffset, lastTimestamp: w.lastTimestamp }] as const);
  return encodeUtf8(`{"consumeTps":${stats.consumeTps},"offsetTable":${writeMessageQueueMap(table)}}`);
}

export function decodeConsumeStats(body: Uint8Array): ConsumeStats {
  const path = 'ConsumeStats';
  const obj = asObject(parseWithObjectKeys(decodeUtf8(body), path), path);
  const consumeTps = obj['consumeTps'];
  return {
    consumeTps: typeof consumeTps === 'number' ? consumeTps : 0,
    offsetTable: readMessageQueueMap(obj['offsetTable'], `${path}.offsetTable`, (v, p) => {
      const w = asObject(v, p);
      return { brokerOffset: optLong(w, 'brokerOffset', p) ?? 0, consumerOffset: optLong(w, 'consumerOffset', p) ?? 0, lastTimestamp: optLong(w, 'lastTimestamp', p) ?? 0 };
    }),
  };
}

/** One queue's bounds (Java `TopicOffset`). */
export interface TopicOffset {
  minOffset: number;
  maxOffset: number;
  /** Store time of the newest message, 0 for an empty queue. */
  lastUpdateTimestamp: number;
}

/** Every write queue of a topic on one broker (Java `TopicStatsTable`). */
export interface TopicStatsTable {
  offsetTable: Array<[MessageQueue, TopicOffset]>;
}

export function encodeTopicStatsTable(table: TopicStatsTable): Uint8Array {
  const entries = table.offsetTable.map(([mq, t]) => [mq, { lastUpdateTimestamp: t.lastUpdateTimestamp, maxOffset: t.maxOffset, minOffset: t.minOffset }] as const);
  return encodeUtf8(`{"offsetTable":${writeMessageQueueMap(entries)}}`);
}

export function decodeTopicStatsTable(body: Uint8Array): TopicStatsTable {
  const path = 'TopicStatsTable';
  const obj = asObject(parseWithObjectKeys(decodeUtf8(body), path), path);
  return {
    offsetTable: readMessageQueueMap(obj['offsetTable'], `${path}.offsetTable`, (v, p) => {
      const t = asObject(v, p);
      return { minOffset: optLong(t, 'minOffset', p) ?? 0, maxOffset: optLong(t, 'maxOffset', p) ?? 0, lastUpdateTimestamp: optLong(t, 'lastUpdateTimestamp', p) ?? 0 };
    }),
  };
}

/** The offsets a reset chose, per queue (Java `ResetOffsetBody`). */
export interface ResetOffsetBody {
  offsetTable: Array<[MessageQueue, number]>;
}

export function encodeResetOffsetBody(body: ResetOffsetBody): Uint8Array {
  return encodeUtf8(`{"offsetTable":${writeMessageQueueMap(body.offsetTable)}}`);
}

export function decodeResetOffsetBody(body: Uint8Array): ResetOffsetBody {
  const path = 'ResetOffsetBody';
  const obj = asObject(parseWithObjectKeys(decodeUtf8(body), path), path);
  return {
    offsetTable: readMessageQueueMap(obj['offsetTable'], `${path}.offsetTable`, (v, p) => {
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new JsonFormatError(p, 'expected an integer offset');
      return v;
    }),
  };
}

// ---------------------------------------------------------------------------------------
// Connections and groups.

/** One client connection (Java `Connection`). `language` is the LanguageCode name. */
export interface ClientConnection {
  clientId: string;
  clientAddr: string;
  language: string;
  version: number;
}

/** A subscription as ConsumerConnection lists it (Java `SubscriptionData`'s serialized fields). */
export interface SubscriptionBean {
  topic: string;
  subString: string;
  tagsSet: string[];
  codeSet: number[];
  subVersion: number;
  expressionType: string;
  classFilterMode: boolean;
}

/** A consumer group's live members and subscriptions (Java `ConsumerConnection`). */
export interface ConsumerConnection {
  connectionSet: ClientConnection[];
  subscriptionTable: Map<string, SubscriptionBean>;
  consumeType: string | undefined;
  messageModel: string | undefined;
  consumeFromWhere: string | undefined;
}

export function encodeConsumerConnection(body: ConsumerConnection): Uint8Array {
  return encodeFastjson(body);
}

export function decodeConsumerConnection(bytes: Uint8Array): ConsumerConnection {
  const path = 'ConsumerConnection';
  const obj = asObject(decodeFastjson(bytes, path), path);
  const subscriptionTable = new Map<string, SubscriptionBean>();
  for (const [topic, value] of Object.entries(optObject(obj, 'subscriptionTable', path) ?? {})) {
    const s = asObject(value, `${path}.subscriptionTable.${topic}`);
    const p = `${path}.subscriptionTable.${topic}`;
    subscriptionTable.set(topic, {
      topic: optString(s, 'topic', p) ?? topic,
      subString: optString(s, 'subString', p) ?? '*',
      tagsSet: optStringArray(s, 'tagsSet', p) ?? [],
      codeSet: (optArray(s, 'codeSet', p) ?? []).filter((c): c is number => typeof c === 'number'),
      subVersion: optLong(s, 'subVersion', p) ?? 0,
      expressionType: optString(s, 'expressionType', p) ?? 'TAG',
      classFilterMode: s['classFilterMode'] === true,
    });
  }
  return {
    connectionSet: decodeConnections(obj, path),
    subscriptionTable,
    consumeType: optString(obj, 'consumeType', path),
    messageModel: optString(obj, 'messageModel', path),
    consumeFromWhere: optString(obj, 'consumeFromWhere', path),
  };
}

/** A producer group's live members (Java `ProducerConnection`). */
export interface ProducerConnection {
  connectionSet: ClientConnection[];
}

export function encodeProducerConnection(body: ProducerConnection): Uint8Array {
  return encodeFastjson(body);
}

export function decodeProducerConnection(bytes: Uint8Array): ProducerConnection {
  const path = 'ProducerConnection';
  return { connectionSet: decodeConnections(asObject(decodeFastjson(bytes, path), path), path) };
}

function decodeConnections(obj: JsonObject, path: string): ClientConnection[] {
  return (optArray(obj, 'connectionSet', path) ?? []).map((value, i) => {
    const p = `${path}.connectionSet[${i}]`;
    const c = asObject(value, p);
    return { clientId: optString(c, 'clientId', p) ?? '', clientAddr: optString(c, 'clientAddr', p) ?? '', language: optString(c, 'language', p) ?? 'JAVA', version: optInt(c, 'version', p) ?? 0 };
  });
}

/** Group names (Java `GroupList`), written sorted. */
export function encodeGroupList(groups: Iterable<string>): Uint8Array {
  return encodeFastjson({ groupList: [...new Set(groups)].sort() });
}

export function decodeGroupList(bytes: Uint8Array): string[] {
  const path = 'GroupList';
  return optStringArray(asObject(decodeFastjson(bytes, path), path), 'groupList', path) ?? [];
}

// ---------------------------------------------------------------------------------------
// Queue locks (orderly consumers).

/**
 * LOCK_BATCH_MQ / UNLOCK_BATCH_MQ request (Java `LockBatchRequestBody`,
 * `UnlockBatchRequestBody`). Note `clientId` here, `clientID` in heartbeats.
 */
export interface LockBatchRequestBody {
  consumerGroup: string;
  clientId: string;
  mqSet: MessageQueue[];
}

export function encodeLockBatchRequestBody(body: LockBatchRequestBody): Uint8Array {
  return encodeFastjson({ clientId: body.clientId, consumerGroup: body.consumerGroup, mqSet: body.mqSet.map(messageQueueBean) });
}

/** Read a lock or unlock request; a missing group or client id is a JsonFormatError. */
export function decodeLockBatchRequestBody(bytes: Uint8Array | undefined, what: string): LockBatchRequestBody {
  if (bytes === undefined) throw new JsonFormatError(what, 'the body is missing');
  const obj = asObject(decodeFastjson(bytes, what), what);
  const consumerGroup = optString(obj, 'consumerGroup', what);
  const clientId = optString(obj, 'clientId', what);
  if (consumerGroup === undefined) throw new JsonFormatError(`${what}.consumerGroup`, 'is missing');
  if (clientId === undefined) throw new JsonFormatError(`${what}.clientId`, 'is missing');
  const mqSet = (optArray(obj, 'mqSet', what) ?? []).map((mq, i) => messageQueueFromJson(mq, `${what}.mqSet[${i}]`));
  return { consumerGroup, clientId, mqSet };
}

/** LOCK_BATCH_MQ answer: the queues now locked by the asking client. */
export function encodeLockBatchResponseBody(lockOKMQSet: Iterable<MessageQueue>): Uint8Array {
  return encodeFastjson({ lockOKMQSet: [...lockOKMQSet].map(messageQueueBean) });
}

export function decodeLockBatchResponseBody(bytes: Uint8Array): MessageQueue[] {
  const path = 'LockBatchResponseBody';
  const obj = asObject(decodeFastjson(bytes, path), path);
  return (optArray(obj, 'lockOKMQSet', path) ?? []).map((mq, i) => messageQueueFromJson(mq, `${path}.lockOKMQSet[${i}]`));
}
