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
 * The table is the classic byte-at-a-time one: 256 precomputed remainders, one lookup and
 * one shift per input byte.
 *
 * Differences from RocketMQ 4.9.x: none.
 *
 * @mirrors java.util.zip.CRC32
 * @mirrors org.apache.rocketmq.common.UtilAll#crc32
 * @article store "Checking a record: magic code, length and CRC"
 * @category Common
 * @module
 */
import { assert } from './assert.js';

/** The reflected IEEE 802.3 polynomial (0x04C11DB7 with its bits reversed). */
const POLYNOMIAL = 0xedb88320;

/** `TABLE[n]` is the CRC remainder of the single byte `n`; computed once, it is pure data. */
const TABLE: Uint32Array = buildTable();

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? POLYNOMIAL ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/**
 * Continue a CRC over more bytes: `crc32Update(crc32(a), b)` equals `crc32(a ++ b)`.
 * This is `CRC32.update` on an instance whose `getValue()` was `crc`.
 *
 * @param crc the value so far, unsigned (0 for a fresh CRC)
 * @returns the new value, an unsigned 32-bit integer
 */
export function crc32Update(crc: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  assert(0 <= start && start <= end && end <= bytes.length, `crc32 range [${start}, ${end}) outside 0..${bytes.length}`);
  let c = ~crc;
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
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
