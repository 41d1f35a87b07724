/**
 * ConsumerData: one consumer group a client belongs to, with everything the broker needs
 * to serve it, as reported in its heartbeat.
 *
 * ```
 *   {"consumeFromWhere":"CONSUME_FROM_LAST_OFFSET","consumeType":"CONSUME_PASSIVELY",
 *    "groupName":"CG","messageModel":"CLUSTERING",
 *    "subscriptionDataSet":[{...TopicA...},{...%RETRY%CG...}],"unitMode":false}
 * ```
 *
 * The three enum fields travel by name (fastjson writes enums by name, and reads a name or
 * an ordinal). A push consumer in CLUSTERING mode also subscribes its own retry topic
 * `%RETRY%<group>` with `"*"`, which is how sent-back messages reach it again.
 *
 * Differences from RocketMQ 4.9.x:
 * - The three enum fields are required when decoding (Java leaves them null and fails later,
 *   far from the cause); a missing one is a decode error naming the field.
 *
 * @mirrors org.apache.rocketmq.common.protocol.heartbeat.ConsumerData
 * @article pull-consume-1 "Heartbeats: how the broker learns who consumes"
 * @category Common
 * @module
 */
import { JsonFormatError } from '../../json/fastjson.js';
import { asObject, optArray, optBool, optString, type JsonObject } from '../../json/json-fields.js';
import { ConsumeFromWhere } from './consume-from-where.js';
import { ConsumeType } from './consume-type.js';
import { MessageModel } from './message-model.js';
import { SubscriptionData } from './subscription-data.js';

export class ConsumerData {
  unitMode = false;

  constructor(
    public groupName: string,
    public consumeType: ConsumeType,
    public messageModel: MessageModel,
    public consumeFromWhere: ConsumeFromWhere,
    public subscriptionDataSet: SubscriptionData[] = [],
  ) {}

  /**
   * Read one element of a heartbeat's `consumerDataSet`. `defaultSubVersion` stands in for
   * a subscription's missing `subVersion` (Java: the time the broker decoded it).
   */
  static fromJson(value: unknown, path: string, defaultSubVersion = 0): ConsumerData {
    const obj = asObject(value, path);
    const groupName = optString(obj, 'groupName', path);
    if (groupName === undefined) throw new JsonFormatError(`${path}.groupName`, 'is missing');
    const subs = (optArray(obj, 'subscriptionDataSet', path) ?? []).map((item, i) =>
      SubscriptionData.fromJson(item, `${path}.subscriptionDataSet[${i}]`, defaultSubVersion));
    const data = new ConsumerData(
      groupName,
      requiredEnum(obj, 'consumeType', path, ConsumeType),
      requiredEnum(obj, 'messageModel', path, MessageModel),
      requiredEnum(obj, 'consumeFromWhere', path, ConsumeFromWhere),
      subs,
    );
    data.unitMode = optBool(obj, 'unitMode', path) ?? false;
    return data;
  }
}

/**
 * An enum field as fastjson reads it: the constant's name, or its ordinal (a number or a
 * decimal string). Anything else is a {@link JsonFormatError} listing the allowed names.
 */
export function requiredEnum<T extends string>(obj: JsonObject, key: string, path: string, values: Readonly<Record<string, T>>): T {
  const names = Object.values(values);
  const raw = obj[key];
  if (raw === null || raw === undefined) throw new JsonFormatError(`${path}.${key}`, `is missing (one of ${names.join(', ')})`);
  if (typeof raw === 'string' && (names as string[]).includes(raw)) return raw as T;
  const ordinal = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : undefined;
  const byOrdinal = ordinal === undefined ? undefined : names[ordinal];
  if (byOrdinal !== undefined) return byOrdinal;
  throw new JsonFormatError(`${path}.${key}`, `unknown value ${JSON.stringify(raw)} (one of ${names.join(', ')})`);
}
