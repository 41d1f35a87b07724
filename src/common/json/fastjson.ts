/**
 * Fastjson-compatible JSON: a lenient reader for what Java RocketMQ writes, and a writer
 * that produces what Java RocketMQ expects.
 *
 * Every RocketMQ body that is not a message (routes, cluster info, heartbeats, register
 * bodies, offset tables) is JSON written by fastjson 1.2.x. Two of its habits matter to a
 * non-Java peer:
 *
 * - **Bean properties come out in alphabetical order, and null properties are left out.**
 *   `QueueData` is always `{"brokerName":..,"perm":..,"readQueueNums":..,...}`. The writer
 *   here does the same for every plain object and class instance, so our bodies are
 *   byte-for-byte what Java would send (and golden tests can pin them).
 * - **A map with integer keys gets bare keys**, which is not JSON:
 *   `"brokerAddrs":{0:"10.0.0.1:10911",1:"10.0.0.2:10911"}`. `JSON.parse` rejects that,
 *   so the reader first quotes every bare integer key that stands right after `{` or `,`
 *   (outside strings), then parses strictly.
 *
 * ```
 *   in:   {"brokerAddrs":{0:"10.0.0.1:10911",1:"a,1:b"}}       (Java's output)
 *            quoteBareIntegerKeys: scan, skipping string contents
 *   out:  {"brokerAddrs":{"0":"10.0.0.1:10911","1":"a,1:b"}}   (standard JSON; the string is untouched)
 * ```
 *
 * Writing, we quote integer keys by default. Java's fastjson reads `{"0":..}` and `{0:..}`
 * alike for a `Map<Long, String>`, and the Node client ali-ons (json2's eval-based parser)
 * accepts both too, so standard JSON works for every client we know; the bare form is
 * available for byte-exact comparisons with Java output.
 *
 * Differences from RocketMQ 4.9.x:
 * - Map entries are written sorted (numeric keys numerically, others by UTF-16 code unit),
 *   as 4.9's `MapSortField` does, instead of in `HashMap` iteration order: the output is
 *   deterministic.
 * - Non-ASCII characters are written raw (fastjson's default), never `\uXXXX`-escaped as
 *   4.9's `BrowserCompatible` route encoding does; topic and broker names are ASCII anyway.
 * - Object-valued map keys (`ConsumeStats`' `{{"brokerName":..}:..}`) are not read.
 *
 * @mirrors com.alibaba.fastjson.JSON (the subset RocketMQ relies on)
 * @mirrors org.apache.rocketmq.remoting.protocol.RemotingSerializable
 * @article namesrv "Route data on the wire"
 * @category Common
 * @module
 */
import { assert } from '../assert.js';
import { decodeUtf8, encodeUtf8 } from '../bytes.js';

/** A body is not the JSON (or the shape of JSON) it should be. `path` says where. */
export class JsonFormatError extends Error {
  override readonly name: string = 'JsonFormatError';
  constructor(readonly path: string, readonly problem: string, options?: { cause?: unknown }) {
    super(`${path}: ${problem}`, options);
  }
}

/** Options of {@link writeFastjson}. */
export interface FastjsonWriteOptions {
  /**
   * Write integer map keys bare, as fastjson does (`{0:"addr"}`), instead of quoted.
   * @defaultValue false
   */
  unquotedIntegerKeys?: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LEFT_BRACE = 0x7b;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const INTEGER_KEY = /^-?\d+$/;
const MAX_DEPTH = 64;

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * Quote every bare integer object key: `{0:"a",12:"b"}` becomes `{"0":"a","12":"b"}`.
 * A key counts as bare when an optional minus and digits stand between `{` or `,` and
 * `:` (whitespace allowed, as in Java's pretty-printed config files). String contents,
 * escapes included, are skipped, so `"x,{1:y"` stays as it is. Returns `text` itself when
 * nothing needs quoting.
 */
export function quoteBareIntegerKeys(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) {
      inString = true;
      continue;
    }
    if (c !== LEFT_BRACE && c !== COMMA) continue;
    let j = i + 1;
    while (isJsonSpace(text.charCodeAt(j))) j++;
    const keyStart = j;
    if (text.charCodeAt(j) === MINUS) j++;
    const digitsStart = j;
    while (isDigit(text.charCodeAt(j))) j++;
    if (j === digitsStart) continue;
    const keyEnd = j;
    while (isJsonSpace(text.charCodeAt(j))) j++;
    if (text.charCodeAt(j) !== COLON) continue;
    out += `${text.slice(copiedUpTo, keyStart)}"${text.slice(keyStart, keyEnd)}"`;
    copiedUpTo = keyEnd;
    i = keyEnd - 1;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

/**
 * Parse JSON as fastjson writes it (bare integer keys allowed). Throws
 * {@link JsonFormatError} naming `what` when the text is not JSON even after quoting.
 */
export function parseFastjson(text: string, what = 'body'): unknown {
  try {
    return JSON.parse(quoteBareIntegerKeys(text));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new JsonFormatError(what, `not JSON (${reason})`, { cause: error });
  }
}

/** {@link parseFastjson} over UTF-8 bytes (a body). */
export function decodeFastjson(bytes: Uint8Array, what = 'body'): unknown {
  return parseFastjson(decodeUtf8(bytes), what);
}

/**
 * Write a value the way fastjson writes a RocketMQ bean:
 * - plain objects and class instances are beans: own enumerable properties, sorted,
 *   `null`/`undefined` ones left out;
 * - a `Map` is a JSON object (keys `String(key)`, sorted, null values left out);
 * - arrays and `Set`s are arrays (`undefined` in an array is written `null`);
 * - strings, finite numbers, booleans and bigints are JSON scalars.
 */
export function writeFastjson(value: unknown, options: FastjsonWriteOptions = {}): string {
  const out: string[] = [];
  writeValue(value, out, options.unquotedIntegerKeys === true, 0);
  return out.join('');
}

/** {@link writeFastjson} as UTF-8 bytes (a body). */
export function encodeFastjson(value: unknown, options: FastjsonWriteOptions = {}): Uint8Array {
  return encodeUtf8(writeFastjson(value, options));
}

function writeValue(value: unknown, out: string[], bareKeys: boolean, depth: number): void {
  assert(depth < MAX_DEPTH, 'writeFastjson: nesting too deep (a cycle?)');
  if (value === null || value === undefined) {
    out.push('null');
  } else if (typeof value === 'string') {
    out.push(JSON.stringify(value));
  } else if (typeof value === 'number') {
    out.push(Number.isFinite(value) ? String(value) : 'null');
  } else if (typeof value === 'boolean' || typeof value === 'bigint') {
    out.push(String(value));
  } else if (Array.isArray(value) || value instanceof Set) {
    out.push('[');
    let first = true;
    for (const item of value as Iterable<unknown>) {
      if (!first) out.push(',');
      first = false;
      writeValue(item, out, bareKeys, depth + 1);
    }
    out.push(']');
  } else if (value instanceof Map) {
    writeEntries([...value].map(([k, v]) => [String(k), v] as const), out, bareKeys, depth);
  } else if (typeof value === 'object') {
    writeEntries(Object.entries(value), out, bareKeys, depth);
  }
}

function writeEntries(entries: ReadonlyArray<readonly [string, unknown]>, out: string[], bareKeys: boolean, depth: number): void {
  const kept = entries.filter(([, v]) => v !== null && v !== undefined && typeof v !== 'function');
  kept.sort(([a], [b]) => compareKeys(a, b));
  out.push('{');
  kept.forEach(([key, v], i) => {
    if (i > 0) out.push(',');
    out.push(bareKeys && INTEGER_KEY.test(key) ? key : JSON.stringify(key), ':');
    writeValue(v, out, bareKeys, depth + 1);
  });
  out.push('}');
}

/**
 * Integer keys numerically and before the rest; other keys by UTF-16 code unit (Java's
 * `String.compareTo`). Integer keys of equal value (`"0"`, `"-0"`, `"007"` and `"7"`, or
 * two beyond 2^53) fall back to the code-unit order, so the output never depends on the
 * order the entries were inserted in.
 */
function compareKeys(a: string, b: string): number {
  const aInt = INTEGER_KEY.test(a);
  const bInt = INTEGER_KEY.test(b);
  if (aInt !== bInt) return aInt ? -1 : 1;
  const byValue = aInt ? Number(a) - Number(b) : 0;
  return byValue !== 0 ? byValue : a < b ? -1 : a > b ? 1 : 0;
}
