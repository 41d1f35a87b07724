/**
 * HeartbeatData: the body of HEART_BEAT (34), a client's "here I am, and this is what I do".
 *
 * Every client sends one to every broker it talks to, at start and then every 30 s (to
 * masters only when it has no consumers). From it the broker learns which connections
 * belong to which producer and consumer groups and what each consumer group subscribes to.
 * Without a heartbeat a push consumer's pulls fail with SUBSCRIPTION_NOT_EXIST, because it
 * never repeats its subscription in a pull.
 *
 * ```
 *   {"clientID":"10.0.0.9@1234",
 *    "consumerDataSet":[{"consumeFromWhere":"CONSUME_FROM_LAST_OFFSET","consumeType":"CONSUME_PASSIVELY",
 *        "groupName":"CG","messageModel":"CLUSTERING","subscriptionDataSet":[...],"unitMode":false}],
 *    "producerDataSet":[{"groupName":"CLIENT_INNER_PRODUCER"},{"groupName":"PG"}]}
 * ```
 *
 * The key is `clientID` with a capital ID (the lock bodies spell it `clientId`). The Node
 * client ali-ons writes the same keys in its own order and leaves `expressionType` and
 * `unitMode` out; both default.
 *
 * Differences from RocketMQ 4.9.x:
 * - The sets are arrays: a duplicate entry is kept (Java's HashSet would fold it), which
 *   changes nothing because registering twice is idempotent.
 * - `clientID` is required (Java registers a null id and fails later).
 *
 * @mirrors org.apache.rocketmq.common.protocol.heartbeat.HeartbeatData
 * @article pull-consume-1 "Heartbeats: how the broker learns who consumes"
 * @category Common
 * @module
 */
import { decodeFastjson, encodeFastjson, JsonFormatError } from '../../json/fastjson.js';
import { asObject, optArray, optString } from '../../json/json-fields.js';
import { ConsumerData } from './consumer-data.js';
import { ProducerData } from './producer-data.js';

export class HeartbeatData {
  constructor(
    public clientID: string,
    public producerDataSet: ProducerData[] = [],
    public consumerDataSet: ConsumerData[] = [],
  ) {}

  /**
   * Decode a HEART_BEAT body. `defaultSubVersion` fills a subscription's missing
   * `subVersion` (pass the clock's time, as Java stamps it). Throws {@link JsonFormatError}
   * with a path such as `HeartbeatData.consumerDataSet[0].messageModel`.
   */
  static decode(body: Uint8Array, defaultSubVersion = 0): HeartbeatData {
    const path = 'HeartbeatData';
    const obj = asObject(decodeFastjson(body, path), path);
    const clientID = optString(obj, 'clientID', path);
    if (clientID === undefined) throw new JsonFormatError(`${path}.clientID`, 'is missing');
    const producers = (optArray(obj, 'producerDataSet', path) ?? []).map((item, i) => ProducerData.fromJson(item, `${path}.producerDataSet[${i}]`));
    const consumers = (optArray(obj, 'consumerDataSet', path) ?? []).map((item, i) =>
      ConsumerData.fromJson(item, `${path}.consumerDataSet[${i}]`, defaultSubVersion));
    return new HeartbeatData(clientID, producers, consumers);
  }

  /** The JSON body, keys in fastjson's alphabetical order. */
  encode(): Uint8Array {
    return encodeFastjson(this);
  }
}
