/**
 * Maps keyed by a MessageQueue, written and read the way fastjson does it: with a JSON
 * object as the key.
 *
 * Several admin bodies (ConsumeStats, TopicStatsTable, ResetOffsetBody) are Java
 * `HashMap<MessageQueue, V>`. Fastjson cannot put an object in a JSON key position, so it
 * simply writes the key object there, which is not JSON at all:
 *
 * ```
 *   {"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"T"}:{"brokerOffset":5,...},
 *                   {"brokerName":"broker-a","queueId":1,"topic":"T"}:{"brokerOffset":7,...}}}
 *                   └──────────── the key is an object ────────────┘
 * ```
 *
 * Java tools (mqadmin, the console) read only this form, so the broker must write it. To
 * read it back (our own `admin` command does), {@link quoteObjectKeys} first turns every
 * object in a key position into a JSON string holding that object, after which the text is
 * standard JSON (plus fastjson's bare integer keys, which `parseFastjson` already handles):
 *
 * ```
 *   {{"queueId":0,"topic":"T"}:5}   ──►   {"{\"queueId\":0,\"topic\":\"T\"}":5}
 * ```
 *
 * Deciding what is a key position needs a little state: inside an object, the token after
 * `{` or `,` is a key; inside an array it is a value. A stack of open containers tracks it.
 *
 * Differences from RocketMQ 4.9.x: entries are written sorted by (topic, brokerName,
 * queueId), where Java writes them in HashMap order.
 *
 * @mirrors org.apache.rocketmq.common.message.MessageQueue
 * @mirrors com.alibaba.fastjson.serializer.MapSerializer (object keys)
 * @article pull-consume-2 "Consume progress"
 * @category Broker
 * @module
 */
import { JsonFormatError, parseFastjson, writeFastjson } from '../../json/fastjson.js';
import { asObject, optInt, optString } from '../../json/json-fields.js';

/** One queue of one topic on one broker group. Java: `MessageQueue`. */
export interface MessageQueue {
  readonly topic: string;
  readonly brokerName: string;
  readonly queueId: number;
}

/** Orders queues by topic, then broker name, then queue id (Java `MessageQueue.compareTo`). */
export function compareMessageQueue(a: MessageQueue, b: MessageQueue): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  if (a.brokerName !== b.brokerName) return a.brokerName < b.brokerName ? -1 : 1;
  return a.queueId - b.queueId;
}

/** The queue as a plain bean, so the writer orders its keys brokerName, queueId, topic. */
export function messageQueueBean(mq: MessageQueue): MessageQueue {
  return { brokerName: mq.brokerName, queueId: mq.queueId, topic: mq.topic };
}

/** Read a MessageQueue bean (from a key or from a list such as `mqSet`). */
export function messageQueueFromJson(value: unknown, path: string): MessageQueue {
  const obj = asObject(value, path);
  const topic = optString(obj, 'topic', path);
  const brokerName = optString(obj, 'brokerName', path);
  const queueId = optInt(obj, 'queueId', path);
  if (topic === undefined) throw new JsonFormatError(`${path}.topic`, 'is missing');
  if (brokerName === undefined) throw new JsonFormatError(`${path}.brokerName`, 'is missing');
  if (queueId === undefined) throw new JsonFormatError(`${path}.queueId`, 'is missing');
  return { topic, brokerName, queueId };
}

/**
 * Write `entries` as a fastjson object-keyed map: `{{mq}:value,...}`, sorted by queue.
 * Values are written by {@link writeFastjson} (beans with sorted properties).
 */
export function writeMessageQueueMap<V>(entries: Iterable<readonly [MessageQueue, V]>): string {
  const sorted = [...entries].sort(([a], [b]) => compareMessageQueue(a, b));
  const parts = sorted.map(([mq, value]) => `${writeFastjson(messageQueueBean(mq))}:${writeFastjson(value)}`);
  return `{${parts.join(',')}}`;
}

/** One open container while scanning: an object (and whether a key comes next) or an array. */
interface Frame {
  readonly kind: 'object' | 'array';
  expectKey: boolean;
}

/**
 * Replace every object standing in a key position by a JSON string of its text. Strings are
 * skipped (escapes included); other text is copied unchanged. Returns `text` itself when no
 * key is an object.
 */
export function quoteObjectKeys(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === '"') {
      i = skipString(text, i);
      if (top !== undefined) top.expectKey = false;
    } else if (c === '{' && top?.kind === 'object' && top.expectKey) {
      const end = matchingBrace(text, i);
      out += text.slice(copiedUpTo, i) + JSON.stringify(text.slice(i, end + 1));
      copiedUpTo = end + 1;
      top.expectKey = false;
      i = end;
    } else if (c === '{' || c === '[') {
      if (top !== undefined) top.expectKey = false;
      stack.push({ kind: c === '{' ? 'object' : 'array', expectKey: c === '{' });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',' && top?.kind === 'object') {
      top.expectKey = true;
    } else if (c !== undefined && !/\s/.test(c) && top?.kind === 'object') {
      // A bare key (fastjson's integer keys) or a scalar value: either way no key follows.
      top.expectKey = false;
    }
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

/** Index of the closing quote of the string opening at `start`. */
function skipString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  throw new JsonFormatError('body', 'unterminated string');
}

/** Index of the `}` closing the object opening at `start`. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = skipString(text, i);
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new JsonFormatError('body', 'unterminated object key');
}

/** Parse a body that may hold object keys; throws {@link JsonFormatError} naming `what`. */
export function parseWithObjectKeys(text: string, what: string): unknown {
  let quoted: string;
  try {
    quoted = quoteObjectKeys(text);
  } catch (error) {
    if (error instanceof JsonFormatError) throw new JsonFormatError(what, error.problem);
    throw error;
  }
  return parseFastjson(quoted, what);
}

/**
 * Read a map written by {@link writeMessageQueueMap} (after {@link parseWithObjectKeys}):
 * each key is the JSON text of a MessageQueue; `readValue` converts each value.
 */
export function readMessageQueueMap<V>(value: unknown, path: string, readValue: (v: unknown, path: string) => V): Array<[MessageQueue, V]> {
  if (value === null || value === undefined) return [];
  const obj = asObject(value, path);
  return Object.entries(obj).map(([key, v]) => {
    let keyJson: unknown;
    try {
      keyJson = JSON.parse(key);
    } catch {
      throw new JsonFormatError(`${path}`, `key "${key}" is not a MessageQueue object`);
    }
    return [messageQueueFromJson(keyJson, `${path}[key]`), readValue(v, `${path}.${key}`)] as [MessageQueue, V];
  });
}
