/**
 * TopicConfig: how one broker hosts one topic (queue counts, permission, filter type).
 *
 * A topic exists on a broker as one of these, kept in the broker's `topics.json` and sent
 * to every name server in each REGISTER_BROKER. The name server turns each into a
 * QueueData of the route, and clients read the queue counts from there:
 *
 * ```
 *   TopicConfig { topicName: "TopicA", readQueueNums: 4, writeQueueNums: 4, perm: 6, ... }
 *     on broker-a  ──REGISTER_BROKER──►  namesrv: topicQueueTable["TopicA"]["broker-a"]
 *                                         = QueueData { brokerName: "broker-a", 4, 4, perm 6 }
 *   producer: writeQueueNums queues (ids 0..3) on broker-a; consumer: readQueueNums queues
 * ```
 *
 * Read and write counts differ only while an operator shrinks a topic: first lower the
 * write count so producers stop using the last queues, then, once consumers drained them,
 * lower the read count.
 *
 * As JSON (fastjson, properties alphabetical):
 * `{"order":false,"perm":6,"readQueueNums":4,"topicFilterType":"SINGLE_TAG","topicName":"TopicA","topicSysFlag":0,"writeQueueNums":4}`.
 * The compressed register body uses {@link TopicConfig.encode}'s space-separated form,
 * which loses `topicSysFlag` and `order`.
 *
 * Differences from RocketMQ 4.9.x:
 * - The defaults 16/16 are constants, not mutable statics.
 *
 * @mirrors org.apache.rocketmq.common.TopicConfig
 * @mirrors org.apache.rocketmq.common.TopicFilterType
 * @article topic "TopicConfig: a topic on one broker"
 * @category Common
 * @module
 */
import { JsonFormatError } from '../json/fastjson.js';
import { asObject, optBool, optInt, optString, type JsonObject } from '../json/json-fields.js';
import { PermName, perm2String } from '../constant/perm-name.js';

/** How tags are filtered; RocketMQ only ever uses SINGLE_TAG. */
export type TopicFilterType = 'SINGLE_TAG' | 'MULTI_TAG';

/** The queue counts a topic gets when nothing else is said. */
export const DEFAULT_READ_QUEUE_NUMS = 16;
export const DEFAULT_WRITE_QUEUE_NUMS = 16;

export class TopicConfig {
  topicName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  topicFilterType: TopicFilterType = 'SINGLE_TAG';
  topicSysFlag = 0;
  order = false;

  constructor(
    topicName: string,
    readQueueNums = DEFAULT_READ_QUEUE_NUMS,
    writeQueueNums = DEFAULT_WRITE_QUEUE_NUMS,
    perm: number = PermName.PERM_READ | PermName.PERM_WRITE,
  ) {
    this.topicName = topicName;
    this.readQueueNums = readQueueNums;
    this.writeQueueNums = writeQueueNums;
    this.perm = perm;
  }

  /** The compressed-register form: `"TopicA 4 4 6 SINGLE_TAG"`. */
  encode(): string {
    return `${this.topicName} ${this.readQueueNums} ${this.writeQueueNums} ${this.perm} ${this.topicFilterType}`;
  }

  /**
   * Parse {@link encode}'s form. Returns `undefined` when it does not have five parts
   * (Java's `decode` returns false); throws {@link JsonFormatError} for a bad number or
   * filter type (Java throws `NumberFormatException` / `IllegalArgumentException`).
   */
  static decode(text: string): TopicConfig | undefined {
    const parts = text.split(' ');
    if (parts.length !== 5) return undefined;
    const [name, read, write, perm, filter] = parts as [string, string, string, string, string];
    const config = new TopicConfig(name, parseIntStrict(read, text), parseIntStrict(write, text), parseIntStrict(perm, text));
    config.topicFilterType = parseFilterType(filter, `TopicConfig "${text}"`);
    return config;
  }

  /**
   * Read the JSON bean form, leniently as fastjson does: missing fields keep their
   * defaults. `nameFromKey` fills in `topicName` when the JSON lacks it (the table key).
   */
  static fromJson(value: unknown, path: string, nameFromKey?: string): TopicConfig {
    const obj: JsonObject = asObject(value, path);
    const name = optString(obj, 'topicName', path) ?? nameFromKey;
    if (name === undefined) throw new JsonFormatError(`${path}.topicName`, 'is missing');
    const config = new TopicConfig(
      name,
      optInt(obj, 'readQueueNums', path) ?? DEFAULT_READ_QUEUE_NUMS,
      optInt(obj, 'writeQueueNums', path) ?? DEFAULT_WRITE_QUEUE_NUMS,
      optInt(obj, 'perm', path) ?? (PermName.PERM_READ | PermName.PERM_WRITE),
    );
    const filter = optString(obj, 'topicFilterType', path);
    if (filter !== undefined) config.topicFilterType = parseFilterType(filter, `${path}.topicFilterType`);
    config.topicSysFlag = optInt(obj, 'topicSysFlag', path) ?? 0;
    config.order = optBool(obj, 'order', path) ?? false;
    return config;
  }

  /** Field-by-field equality (Java's `equals`). */
  equals(other: TopicConfig): boolean {
    return (
      this.topicName === other.topicName &&
      this.readQueueNums === other.readQueueNums &&
      this.writeQueueNums === other.writeQueueNums &&
      this.perm === other.perm &&
      this.topicFilterType === other.topicFilterType &&
      this.topicSysFlag === other.topicSysFlag &&
      this.order === other.order
    );
  }

  toString(): string {
    return (
      `TopicConfig [topicName=${this.topicName}, readQueueNums=${this.readQueueNums}, writeQueueNums=${this.writeQueueNums}, ` +
      `perm=${perm2String(this.perm)}, topicFilterType=${this.topicFilterType}, topicSysFlag=${this.topicSysFlag}, order=${this.order}]`
    );
  }
}

function parseIntStrict(text: string, whole: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new JsonFormatError(`TopicConfig "${whole}"`, `"${text}" is not an int`);
  return Number(text);
}

function parseFilterType(text: string, path: string): TopicFilterType {
  if (text === 'SINGLE_TAG' || text === 'MULTI_TAG') return text;
  throw new JsonFormatError(path, `unknown TopicFilterType "${text}"`);
}
