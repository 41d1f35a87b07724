/**
 * Message: what a producer sends. A topic, an `int` flag, a body, and a string map of
 * properties.
 *
 * Everything RocketMQ knows about a message beyond its topic and body lives in the
 * properties: tags, keys, the delay level, the "wait for store" switch, transaction markers
 * (see `message-const.ts`). The accessors below (`tags`, `keys`, `delayTimeLevel`,
 * `waitStoreMsgOK`) are just typed views of those properties, which is why a tag set here
 * is the very `TAGS` entry the broker later hashes into the consume queue.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java's getter/setter pairs are accessors (`msg.tags = 'TagA'`).
 * - Java's full constructor is the static {@link Message.create}; `new Message()` gives an
 *   empty message without the `WAIT` property, like Java's no-argument constructor.
 * - `putUserProperty` throws `RangeError` where Java throws `RuntimeException` /
 *   `IllegalArgumentException`.
 *
 * @mirrors org.apache.rocketmq.common.message.Message
 * @article message "Message, MessageExt and the broker's inner message"
 * @category Common
 * @module
 */
import { javaParseInt } from '../java-compat.js';
import { MessageConst, STRING_HASH_SET } from './message-const.js';

/** The data fields of a {@link Message}, for constructors. */
export interface MessageInit {
  topic: string;
  flag: number;
  properties: Map<string, string>;
  body: Uint8Array;
  transactionId: string | undefined;
}

/** Options of {@link Message.create}, mirroring Java's longest constructor. */
export interface MessageCreateOptions {
  tags?: string;
  keys?: string;
  flag?: number;
  /** Default `true`: the send waits for sync flush / replication where the broker does those. */
  waitStoreMsgOK?: boolean;
}

const EMPTY_BODY = new Uint8Array(0);

export class Message {
  topic: string;
  /** User flag, stored as-is in the record's FLAG field; RocketMQ never interprets it. */
  flag: number;
  properties: Map<string, string>;
  body: Uint8Array;
  /** Client-side only (never stored): the producer's transaction id. */
  transactionId: string | undefined;

  constructor(init: Partial<MessageInit> = {}) {
    this.topic = init.topic ?? '';
    this.flag = init.flag ?? 0;
    this.properties = init.properties ?? new Map();
    this.body = init.body ?? EMPTY_BODY;
    this.transactionId = init.transactionId;
  }

  /**
   * Java `new Message(topic, tags, keys, flag, body, waitStoreMsgOK)`: sets `TAGS` and
   * `KEYS` when non-empty, and always `WAIT`.
   */
  static create(topic: string, body: Uint8Array, options: MessageCreateOptions = {}): Message {
    const message = new Message({ topic, body, flag: options.flag ?? 0 });
    if (options.tags !== undefined && options.tags.length > 0) message.tags = options.tags;
    if (options.keys !== undefined && options.keys.length > 0) message.keys = options.keys;
    message.waitStoreMsgOK = options.waitStoreMsgOK ?? true;
    return message;
  }

  getProperty(name: string): string | undefined {
    return this.properties.get(name);
  }

  /** Set a property without checks (Java's package-private `putProperty`, used by RocketMQ itself). */
  putProperty(name: string, value: string): void {
    this.properties.set(name, value);
  }

  clearProperty(name: string): void {
    this.properties.delete(name);
  }

  /**
   * Set an application property. Refuses the system names of {@link STRING_HASH_SET} and
   * blank names or values, as Java does.
   */
  putUserProperty(name: string, value: string): void {
    if (STRING_HASH_SET.has(name)) throw new RangeError(`The Property<${name}> is used by system, input another please`);
    if (value.trim().length === 0 || name.trim().length === 0) {
      throw new RangeError('The name or value of property can not be null or blank string!');
    }
    this.putProperty(name, value);
  }

  getUserProperty(name: string): string | undefined {
    return this.getProperty(name);
  }

  /** The `TAGS` property. */
  get tags(): string | undefined {
    return this.getProperty(MessageConst.PROPERTY_TAGS);
  }

  set tags(tags: string) {
    this.putProperty(MessageConst.PROPERTY_TAGS, tags);
  }

  /** The `KEYS` property: space-separated keys. */
  get keys(): string | undefined {
    return this.getProperty(MessageConst.PROPERTY_KEYS);
  }

  set keys(keys: string) {
    this.putProperty(MessageConst.PROPERTY_KEYS, keys);
  }

  /** Set several keys at once, joined with {@link MessageConst.KEY_SEPARATOR}. */
  setKeys(keys: Iterable<string>): void {
    this.keys = [...keys].join(MessageConst.KEY_SEPARATOR);
  }

  /**
   * The `DELAY` property as a number, 0 when absent.
   *
   * Java: `Integer.parseInt` throws on a malformed value; we answer 0 ("no delay").
   */
  get delayTimeLevel(): number {
    const value = this.getProperty(MessageConst.PROPERTY_DELAY_TIME_LEVEL);
    return value === undefined ? 0 : (javaParseInt(value) ?? 0);
  }

  set delayTimeLevel(level: number) {
    this.putProperty(MessageConst.PROPERTY_DELAY_TIME_LEVEL, String(level));
  }

  /** The `WAIT` property: true when absent, else Java `Boolean.parseBoolean` (case-insensitive "true"). */
  get waitStoreMsgOK(): boolean {
    const value = this.getProperty(MessageConst.PROPERTY_WAIT_STORE_MSG_OK);
    return value === undefined ? true : value.toLowerCase() === 'true';
  }

  set waitStoreMsgOK(wait: boolean) {
    this.putProperty(MessageConst.PROPERTY_WAIT_STORE_MSG_OK, String(wait));
  }

  get buyerId(): string | undefined {
    return this.getProperty(MessageConst.PROPERTY_BUYER_ID);
  }

  set buyerId(buyerId: string) {
    this.putProperty(MessageConst.PROPERTY_BUYER_ID, buyerId);
  }

  get instanceId(): string | undefined {
    return this.getProperty(MessageConst.PROPERTY_INSTANCE_ID);
  }

  set instanceId(instanceId: string) {
    this.putProperty(MessageConst.PROPERTY_INSTANCE_ID, instanceId);
  }
}
