/**
 * SubscriptionData: one topic a consumer group subscribes to, and which messages of it it wants.
 *
 * Consumers send one per subscribed topic in every heartbeat, and the broker keeps the
 * latest per group and topic. A push consumer does not repeat its subscription in each
 * pull, so the broker filters pulls with this registered copy (see pull-message-processor.ts).
 * For a TAG subscription the filter is cheap: `codeSet` holds the Java `String.hashCode()`
 * of every wanted tag, and the broker compares it with the tags code stored in each
 * 20-byte consume-queue unit, without reading the commit log.
 *
 * ```
 *   subString "TagA || TagB"  ──►  tagsSet ["TagA","TagB"]   codeSet [2598919, 2598920]
 *   subString "*" (or "")     ──►  SUB_ALL: every message matches, both sets stay empty
 *   JSON (keys alphabetical, as fastjson writes a bean):
 *   {"classFilterMode":false,"codeSet":[2598919,2598920],"expressionType":"TAG",
 *    "subString":"TagA || TagB","subVersion":1700000000000,"tagsSet":["TagA","TagB"],"topic":"TopicA"}
 * ```
 *
 * `subVersion` is the time the client built the subscription; a newer one replaces an older
 * one, and a pull that names a newer version than the broker holds is answered
 * SUBSCRIPTION_NOT_LATEST until the next heartbeat arrives.
 *
 * Differences from RocketMQ 4.9.x:
 * - `filterClassSource` (class filter mode, removed in 4.3) is not modelled.
 * - `subVersion` defaults to 0 instead of the construction time: callers that need Java's
 *   default pass the clock's time.
 * - Java's `ExpressionType` lives here too (two constants and one predicate).
 *
 * @mirrors org.apache.rocketmq.common.protocol.heartbeat.SubscriptionData
 * @mirrors org.apache.rocketmq.common.filter.ExpressionType
 * @article pull-consume-1 "Heartbeats: how the broker learns who consumes"
 * @category Common
 * @module
 */
import { JsonFormatError } from '../../json/fastjson.js';
import { asObject, optArray, optBool, optLong, optString, optStringArray, type JsonObject } from '../../json/json-fields.js';

/** The subString that means "every message of the topic". */
export const SUB_ALL = '*';

/** Filter expression languages (Java `ExpressionType`). */
export const ExpressionType = {
  /** `"TagA || TagB"`: matched by tag hash codes in the consume queue. */
  TAG: 'TAG',
  /** A SQL92 condition over message properties (needs `enablePropertyFilter`). */
  SQL92: 'SQL92',
} as const;

/** Java `ExpressionType.isTagType`: a missing or empty type means TAG. */
export function isTagType(type: string | undefined): boolean {
  return type === undefined || type === '' || type === ExpressionType.TAG;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export class SubscriptionData {
  classFilterMode = false;
  topic: string;
  subString: string;
  /** Wanted tags (TAG subscriptions only; empty for SUB_ALL). */
  readonly tagsSet = new Set<string>();
  /** `javaStringHashCode` of every tag in `tagsSet`; what the consume queue is compared with. */
  readonly codeSet = new Set<number>();
  /** When the client built this subscription (ms); a larger one replaces a smaller one. */
  subVersion: number;
  /** `'TAG'` or `'SQL92'` (any other string is carried, and refused when filtering). */
  expressionType: string = ExpressionType.TAG;

  constructor(topic: string, subString: string, subVersion = 0) {
    this.topic = topic;
    this.subString = subString;
    this.subVersion = subVersion;
  }

  /**
   * Read the JSON bean form (heartbeats, CHECK_CLIENT_CONFIG) as fastjson would: unknown keys
   * ignored, missing ones at their defaults. `topic` is required; `tagsSet`/`codeSet` are
   * arrays. Throws {@link JsonFormatError} naming the bad field.
   */
  static fromJson(value: unknown, path: string, defaultSubVersion = 0): SubscriptionData {
    const obj: JsonObject = asObject(value, path);
    const topic = optString(obj, 'topic', path);
    if (topic === undefined) throw new JsonFormatError(`${path}.topic`, 'is missing');
    const data = new SubscriptionData(topic, optString(obj, 'subString', path) ?? SUB_ALL, optLong(obj, 'subVersion', path) ?? defaultSubVersion);
    data.classFilterMode = optBool(obj, 'classFilterMode', path) ?? false;
    data.expressionType = optString(obj, 'expressionType', path) ?? ExpressionType.TAG;
    for (const tag of optStringArray(obj, 'tagsSet', path) ?? []) data.tagsSet.add(tag);
    const codes = optArray(obj, 'codeSet', path) ?? [];
    codes.forEach((code, i) => data.codeSet.add(intItem(code, `${path}.codeSet[${i}]`)));
    return data;
  }

  /** True when this subscription takes every message (Java compares `subString` with SUB_ALL). */
  get isSubAll(): boolean {
    return this.subString === SUB_ALL;
  }

  toString(): string {
    return `SubscriptionData [classFilterMode=${this.classFilterMode}, topic=${this.topic}, subString=${this.subString}, ` +
      `tagsSet=[${[...this.tagsSet].join(', ')}], codeSet=[${[...this.codeSet].join(', ')}], subVersion=${this.subVersion}, expressionType=${this.expressionType}]`;
  }
}

/** One Java `int` of a JSON array: a number or a decimal string in the int range. */
function intItem(value: unknown, path: string): number {
  const n = typeof value === 'string' && /^[+-]?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < INT32_MIN || n > INT32_MAX) {
    throw new JsonFormatError(path, `expected an int, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return n === 0 ? 0 : n;
}
