/**
 * Java `int` and `long` semantics that end up in bytes on disk, reproduced exactly.
 *
 * A few Java computations decide where bytes go: a tag's `String.hashCode()` is stored in
 * every consume-queue unit (and compared by consumers' filters), and `IndexFile` picks a
 * hash slot with `Math.abs(key.hashCode()) % slotCount`. JavaScript numbers are doubles, so
 * each of these needs care: 32-bit wrap-around multiplication (`Math.imul`), the
 * `Math.abs(Integer.MIN_VALUE)` quirk, and Java's strict `Integer.parseInt`.
 *
 * Java `long` fields (offsets, timestamps) are read and written here as two 32-bit halves.
 * That needs no `BigInt` allocation on the hot path, and a value that does not fit a
 * safe integer reads as `NaN`, so a decoder fed garbage can report a bad record instead of
 * throwing.
 *
 * Differences from RocketMQ 4.9.x: none; this is what the JVM does for RocketMQ.
 *
 * @mirrors java.lang.String#hashCode
 * @mirrors java.lang.Math#abs(int)
 * @mirrors java.lang.Integer#parseInt
 * @article store "IndexFile: finding a message by key"
 * @category Common
 * @module
 */
import { assert, AssertionError } from './assert.js';

/** `Integer.MIN_VALUE`. */
export const INT32_MIN = -0x8000_0000;
/** `Integer.MAX_VALUE`. */
export const INT32_MAX = 0x7fff_ffff;
/** `Short.MAX_VALUE`: the largest properties length a record can hold. */
export const INT16_MAX = 0x7fff;
/** `Byte.MAX_VALUE`: the largest topic length (in bytes) a record can hold. */
export const INT8_MAX = 0x7f;

const TWO_POW_32 = 0x1_0000_0000;

/** Java `(int) x` for an integral `x`: keep the low 32 bits, as a signed value. */
export function toInt32(x: number): number {
  return x | 0;
}

/** Java `(short) x`: keep the low 16 bits, as a signed value. */
export function toInt16(x: number): number {
  return (x << 16) >> 16;
}

/** Java `(byte) x`: keep the low 8 bits, as a signed value. */
export function toInt8(x: number): number {
  return (x << 24) >> 24;
}

/**
 * Java `String.hashCode()`: `s[0]*31^(n-1) + ... + s[n-1]` over UTF-16 code units, in
 * 32-bit two's-complement arithmetic. A character outside the BMP counts as its two
 * surrogate code units, exactly as in Java, because a JS string is UTF-16 too.
 *
 * `javaStringHashCode('hello')` is 99162322; `javaStringHashCode('')` is 0.
 */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * Java `Math.abs(int)`. The one surprise: `Math.abs(Integer.MIN_VALUE)` is
 * `Integer.MIN_VALUE` (still negative), because +2^31 does not fit an `int`.
 * `IndexFile.indexKeyHashMethod` relies on callers noticing that and clamping it to 0.
 */
export function javaMathAbsInt(x: number): number {
  if (!(x === (x | 0))) throw new AssertionError(`javaMathAbsInt expects a 32-bit int, got ${x}`);
  return x === INT32_MIN ? INT32_MIN : Math.abs(x);
}

/**
 * Java `Integer.parseInt(s)` (radix 10): an optional `+` or `-`, then at least one ASCII
 * digit, nothing else, and the value must fit an `int`. Returns `undefined` where Java
 * throws `NumberFormatException`.
 *
 * Java: `Character.digit` also accepts non-ASCII Unicode digits (Arabic-Indic, full-width);
 * we accept only ASCII 0-9. No RocketMQ component writes the others.
 */
export function javaParseInt(s: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const value = Number(s);
  if (value < INT32_MIN || value > INT32_MAX) return undefined;
  return value === 0 ? 0 : value; // normalise -0
}

/**
 * Read a Java `long` (big-endian, 8 bytes) at `at`. Returns `NaN` when the value is not a
 * safe integer (|v| >= 2^53), so callers decoding untrusted bytes can reject the record.
 */
export function readLong(view: DataView, at: number): number {
  const high = view.getInt32(at, false);
  const low = view.getUint32(at + 4, false);
  const value = high * TWO_POW_32 + low;
  return Number.isSafeInteger(value) ? value : NaN;
}

/** Write a safe integer as a Java `long` (big-endian, 8 bytes, two's complement) at `at`. */
export function writeLong(view: DataView, at: number, value: number): void {
  if (!(Number.isSafeInteger(value))) throw new AssertionError(`cannot write ${value} as a long`);
  const high = Math.floor(value / TWO_POW_32);
  view.setInt32(at, high, false);
  view.setUint32(at + 4, value - high * TWO_POW_32, false);
}
