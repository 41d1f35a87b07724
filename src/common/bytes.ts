/**
 * Byte helpers: big-endian reads and writes, Java `long` to `number`, UTF-8.
 *
 * Every RocketMQ format is big-endian, the `java.nio.ByteBuffer` default, and says so once
 * here: each helper passes `littleEndian = false` explicitly. A Java `long` becomes a
 * `number` when it is a safe integer (2^53 bytes is 8 PiB of commit log), so
 * `getBigInt64` appears only in this file. Reading is not trusting: bytes from a disk can
 * be anything, so a long that does not fit reads as `NaN` (the caller rejects it), while
 * writing one is a bug and asserts.
 *
 * Differences from RocketMQ 4.9.x: none; this is what `ByteBuffer` does for Java.
 *
 * @mirrors java.nio.ByteBuffer (big-endian accessors)
 * @article message "Bytes on the wire and on disk"
 * @category Common
 * @module
 */
import { AssertionError } from './assert.js';

const BIG_ENDIAN = false; // DataView's littleEndian flag: false means big-endian, as Java.

export const utf8Encoder = new TextEncoder();
export const utf8Decoder = new TextDecoder('utf-8');

/** UTF-8 bytes of a string. */
export function encodeUtf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/** String from UTF-8 bytes (a view into a larger buffer is fine). */
export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return utf8Decoder.decode(bytes.subarray(start, end));
}

/** A DataView over exactly the bytes of `bytes` (which may be a view into a larger buffer). */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A big-endian int32 at `at`; a RangeError (as DataView throws) when the 4 bytes are not all there. */
export function readInt32(bytes: Uint8Array, at: number): number {
  if (!(at >= 0 && at + 4 <= bytes.length)) throw new RangeError(`offset ${at} is outside the bounds of the ${bytes.length} bytes`);
  return (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
}

export function writeInt32(bytes: Uint8Array, at: number, value: number): void {
  if (!(at >= 0 && at + 4 <= bytes.length)) throw new RangeError(`offset ${at} is outside the bounds of the ${bytes.length} bytes`);
  bytes[at] = value >>> 24;
  bytes[at + 1] = value >>> 16;
  bytes[at + 2] = value >>> 8;
  bytes[at + 3] = value;
}

/**
 * Read a Java `long`: the value when it is a safe integer (negative values are allowed),
 * `NaN` when it is not. Never throws, because the bytes may be garbage from a damaged file;
 * `NaN` fails every comparison, so test for it (`Number.isNaN`) where it matters.
 */
export function readInt64(view: DataView, at: number): number {
  // high * 2^32 + low is exact whenever the long is a safe integer, and unsafe whenever it is not.
  const n = view.getInt32(at, BIG_ENDIAN) * TWO_POW_32 + view.getUint32(at + 4, BIG_ENDIAN);
  return Number.isSafeInteger(n) ? n : NaN;
}

/** Write a safe integer as a Java `long`. */
export function writeInt64(view: DataView, at: number, value: number): void {
  if (!Number.isSafeInteger(value)) throw new AssertionError(`cannot write ${value} as a long`);
  const high = Math.floor(value / TWO_POW_32);
  view.setInt32(at, high, BIG_ENDIAN);
  view.setUint32(at + 4, value - high * TWO_POW_32, BIG_ENDIAN);
}

const TWO_POW_32 = 2 ** 32;

/** Lowercase-free uppercase hex, as RocketMQ prints ids: `toHex([0x0a, 0xff])` is `"0AFF"`. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX[b >>> 4]! + HEX[b & 15]!;
  return out;
}

/** Bytes from hex (either case); throws on odd length or a non-hex digit. */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex)) throw new Error(`not a hex string: "${hex}"`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const HEX = '0123456789ABCDEF';

/** Concatenate chunks into one new array. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const c of chunks) total += c.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
