/**
 * CRC-32 exactly as `java.util.zip.CRC32` computes it, plus RocketMQ's positive variant.
 *
 * Every commit-log record carries a BODYCRC field, and recovery recomputes it to find the
 * first torn record after a crash. For our files to be readable by Java (and theirs by us)
 * the checksum must be bit-for-bit Java's: the IEEE 802.3 polynomial, reflected
 * (0xEDB88320), initial value all ones, final XOR all ones. That is the same CRC as zlib's
 * `crc32()` and PNG's, so `crc32("123456789")` is the well-known check value 0xCBF43926.
 *
 * RocketMQ never stores the raw value: `UtilAll.crc32(bytes)` returns
 * `(int) (crc.getValue() & 0x7FFFFFFF)`, which drops the top bit so the result is a
 * non-negative Java `int`. That masked value is what goes into BODYCRC (and into the
 * register-broker body CRC), so {@link crc32Positive} is the one the store uses.
 *
 * The tables are "slicing-by-8": table 0 is the classic one (the CRC remainder of one
 * byte), and table k is the remainder of a byte followed by k zero bytes. Eight input bytes
 * then cost eight lookups XORed together instead of eight dependent steps, which makes the
 * 1 KiB body of a typical message about four times cheaper; the tail goes byte by byte.
 *
 * ```
 *   c ^= bytes[i..i+3] (little-endian)
 *   c  = T7[c & 0xff] ^ T6[c >>> 8 & 0xff] ^ T5[c >>> 16 & 0xff] ^ T4[c >>> 24]
 *      ^ T3[bytes[i+4]] ^ T2[bytes[i+5]] ^ T1[bytes[i+6]] ^ T0[bytes[i+7]]
 * ```
 *
 * A platform may hand in a native CRC-32 ({@link useNativeCrc32}: the Node platform gives
 * zlib's, which uses the CPU's carry-less multiply and runs a 1 KiB body in about half the
 * time of the tables). It is checked against the tables before it is used, and bodies shorter
 * than {@link NATIVE_MIN_BYTES} stay on the tables, where the call costs more than it saves.
 *
 * Differences from RocketMQ 4.9.x: none.
 *
 * @mirrors java.util.zip.CRC32
 * @mirrors org.apache.rocketmq.common.UtilAll#crc32
 * @article store "Checking a record: magic code, length and CRC"
 * @category Common
 * @module
 */
import { assert, AssertionError } from './assert.js';

/** The reflected IEEE 802.3 polynomial (0x04C11DB7 with its bits reversed). */
const POLYNOMIAL = 0xedb88320;

/**
 * `TABLES[k * 256 + n]` is the CRC remainder of byte `n` followed by `k` zero bytes, as a
 * signed int32 (V8 keeps those unboxed); computed once, it is pure data.
 */
const TABLES: Int32Array = buildTables();

function buildTables(): Int32Array {
  const tables = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? POLYNOMIAL ^ (c >>> 1) : c >>> 1;
    tables[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) {
      const previous = tables[(k - 1) * 256 + n]!;
      tables[k * 256 + n] = tables[previous & 0xff]! ^ (previous >>> 8);
    }
  }
  return tables;
}

/**
 * Continue a CRC over more bytes: `crc32Update(crc32(a), b)` equals `crc32(a ++ b)`.
 * This is `CRC32.update` on an instance whose `getValue()` was `crc`.
 *
 * @param crc the value so far, unsigned (0 for a fresh CRC)
 * @returns the new value, an unsigned 32-bit integer
 */
export function crc32Update(crc: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (!(0 <= start && start <= end && end <= bytes.length)) throw new AssertionError(`crc32 range [${start}, ${end}) outside 0..${bytes.length}`);
  if (native !== undefined && end - start >= NATIVE_MIN_BYTES) return native(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end), crc);
  return tableCrc32Update(crc, bytes, start, end);
}

/** The slicing-by-8 loop of the header. */
function tableCrc32Update(crc: number, bytes: Uint8Array, start: number, end: number): number {
  const t = TABLES;
  let c = ~crc;
  let i = start;
  for (const last = end - 8; i <= last; i += 8) {
    c ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    c = t[1792 + (c & 0xff)]! ^ t[1536 + ((c >>> 8) & 0xff)]! ^ t[1280 + ((c >>> 16) & 0xff)]! ^ t[1024 + (c >>> 24)]!
      ^ t[768 + bytes[i + 4]!]! ^ t[512 + bytes[i + 5]!]! ^ t[256 + bytes[i + 6]!]! ^ t[bytes[i + 7]!]!;
  }
  for (; i < end; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** A CRC-32 with zlib's signature: `(data, previous value) -> unsigned value`. */
export type NativeCrc32 = (data: Uint8Array, value: number) => number;

/** Below this many bytes the tables beat a native call. */
export const NATIVE_MIN_BYTES = 128;

let native: NativeCrc32 | undefined;

/**
 * Use `fn` for CRCs of {@link NATIVE_MIN_BYTES} bytes or more, once it agrees with the tables
 * on the check value and on a few lengths and continuations; otherwise keep the tables.
 * Returns whether it is used. `undefined` goes back to the tables.
 */
export function useNativeCrc32(fn: NativeCrc32 | undefined): boolean {
  native = undefined;
  if (fn === undefined) return false;
  const sample = new Uint8Array(1031);
  for (let i = 0; i < sample.length; i++) sample[i] = (i * 131 + 7) & 0xff;
  const check = new Uint8Array([0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39]); // "123456789"
  let agrees = fn(check, 0) === 0xcbf43926;
  for (const length of [0, 1, 128, 1024, 1031]) {
    const part = sample.subarray(0, length);
    agrees &&= fn(part, 0) === tableCrc32Update(0, part, 0, length) && fn(part, 0x12345678) === tableCrc32Update(0x12345678, part, 0, length);
  }
  if (agrees) native = fn;
  return agrees;
}

/**
 * `java.util.zip.CRC32.getValue()` of `bytes[start..end)`: an unsigned 32-bit value
 * (Java returns it as a `long` in 0..2^32-1).
 */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return crc32Update(0, bytes, start, end);
}

/**
 * RocketMQ's `UtilAll.crc32(bytes, offset, length)`: the CRC-32 with its top bit cleared,
 * so a non-negative Java `int`. This is the value stored in a record's BODYCRC field.
 *
 * Java: note the different third parameter. Java passes a length; we pass an end
 * position, like `Uint8Array.subarray`.
 */
export function crc32Positive(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return crc32(bytes, start, end) & 0x7fffffff;
}
