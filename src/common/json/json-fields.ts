/**
 * Reading fields out of parsed JSON bodies with fastjson's tolerance and clear errors.
 *
 * A body arrives from the network, so its shape is a claim, not a fact. Fastjson, reading
 * into a Java bean, ignores unknown keys, leaves missing ones at their defaults, treats
 * `null` as missing, and converts `"4"` to `4` for an `int` field; anything it cannot
 * convert throws. These helpers do the same for one field at a time and throw
 * {@link JsonFormatError} with a path like `topicConfigTable.TopicA.perm`, so the name
 * server can answer SYSTEM_ERROR with a remark that says exactly what was wrong.
 *
 * Differences from RocketMQ 4.9.x: none in effect; Java gets this from fastjson's bean
 * deserializer.
 *
 * @mirrors com.alibaba.fastjson.parser.deserializer.JavaBeanDeserializer (the tolerance, not the code)
 * @article namesrv "Route data on the wire"
 * @category Common
 * @module
 */
import { JsonFormatError } from './fastjson.js';

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** `value` as an object, or a {@link JsonFormatError} at `path`. */
export function asObject(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new JsonFormatError(path, `expected an object, got ${describe(value)}`);
  }
  return value as JsonObject;
}

/** An optional nested object (`null` counts as missing). */
export function optObject(obj: JsonObject, key: string, path: string): JsonObject | undefined {
  const value = obj[key];
  return value === null || value === undefined ? undefined : asObject(value, `${path}.${key}`);
}

/** An optional array (`null` counts as missing). */
export function optArray(obj: JsonObject, key: string, path: string): unknown[] | undefined {
  const value = obj[key];
  if (value === null || value === undefined) return undefined;
  if (!Array.isArray(value)) throw new JsonFormatError(`${path}.${key}`, `expected an array, got ${describe(value)}`);
  return value;
}

/** An optional string; a number or boolean is converted, as fastjson does for a `String` field. */
export function optString(obj: JsonObject, key: string, path: string): string | undefined {
  return toOptString(obj[key], `${path}.${key}`);
}

/** `value` as an optional string (for array items and map values). */
export function toOptString(value: unknown, path: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new JsonFormatError(path, `expected a string, got ${describe(value)}`);
}

/** An optional Java `int`: a JSON integer or a decimal string within the int range. */
export function optInt(obj: JsonObject, key: string, path: string): number | undefined {
  const value = toOptInteger(obj[key], `${path}.${key}`);
  if (value !== undefined && (value < INT32_MIN || value > INT32_MAX)) {
    throw new JsonFormatError(`${path}.${key}`, `out of the int range: ${value}`);
  }
  return value;
}

/** An optional Java `long` held in a safe integer: a JSON integer or a decimal string. */
export function optLong(obj: JsonObject, key: string, path: string): number | undefined {
  return toOptInteger(obj[key], `${path}.${key}`);
}

/** An optional Java `boolean`: `true`/`false`, or the strings `"true"`/`"false"`. */
export function optBool(obj: JsonObject, key: string, path: string): boolean | undefined {
  const value = obj[key];
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new JsonFormatError(`${path}.${key}`, `expected a boolean, got ${describe(value)}`);
}

/** A string array (items converted like {@link optString}); missing is `undefined`. */
export function optStringArray(obj: JsonObject, key: string, path: string): string[] | undefined {
  const items = optArray(obj, key, path);
  if (items === undefined) return undefined;
  return items.map((item, i) => {
    const text = toOptString(item, `${path}.${key}[${i}]`);
    if (text === undefined) throw new JsonFormatError(`${path}.${key}[${i}]`, 'null in a list of strings');
    return text;
  });
}

function toOptInteger(value: unknown, path: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  const n = typeof value === 'string' && /^[+-]?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new JsonFormatError(path, `expected an integer, got ${describe(value)}`);
  return n === 0 ? 0 : n;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`;
  return typeof value === 'object' ? 'an object' : String(value);
}
