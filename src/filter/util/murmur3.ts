/**
 * MurmurHash3, x64 128-bit variant: the hash behind the broker's bloom filter bit
 * positions, bit-compatible with Guava's `Hashing.murmur3_128()`.
 *
 * The broker gives every (consumer group, topic) pair a few bit positions in a small bit
 * map, chosen by hashing the text `"group#topic"`. Java computes them with Guava, so the
 * same pair must hash to the same bits here, or bit maps written by one broker would be
 * misread by the other. The algorithm, in the shape of the reference implementation:
 *
 * ```
 *   h1 = h2 = seed (sign-extended int)
 *   for each 16-byte block, as two little-endian 64-bit words k1, k2:
 *     k1 *= C1; k1 = rotl(k1, 31); k1 *= C2; h1 ^= k1
 *     h1 = rotl(h1, 27); h1 += h2; h1 = h1 * 5 + 0x52dce729
 *     k2 *= C2; k2 = rotl(k2, 33); k2 *= C1; h2 ^= k2
 *     h2 = rotl(h2, 31); h2 += h1; h2 = h2 * 5 + 0x38495ab5
 *   tail (0-15 bytes): bytes 8..14 into k2, bytes 0..7 into k1, mixed in the same way
 *   h1 ^= len; h2 ^= len; h1 += h2; h2 += h1
 *   h1 = fmix64(h1); h2 = fmix64(h2); h1 += h2; h2 += h1
 *   hash bytes = h1 little-endian ++ h2 little-endian  (16 bytes, Guava's HashCode)
 *   asLong()   = the first 8 of them read little-endian = h1
 * ```
 *
 * 64-bit arithmetic uses `BigInt` wrapped to 64 bits: clear, and fast enough for its one
 * use (a hash per consumer registration, not per message).
 *
 * Differences from RocketMQ 4.9.x: none (Java calls Guava; this is Guava's output).
 * Strings are encoded as Java's `String.getBytes(UTF_8)` does, so an unpaired surrogate
 * becomes `?`, not U+FFFD as `TextEncoder` would make it.
 *
 * @mirrors com.google.common.hash.Murmur3_128HashFunction
 * @article filtersrv "Bloom filter bit maps"
 * @category Filter
 * @module
 */
import { encodeUtf8 } from '../../common/bytes.js';

const MASK_64 = (1n << 64n) - 1n;
const C1 = 0x87c37b91114253d5n;
const C2 = 0x4cf5ad432745937fn;

const wrap = (x: bigint): bigint => x & MASK_64;
const rotl = (x: bigint, r: bigint): bigint => wrap((x << r) | (x >> (64n - r)));

/** The final avalanche of one 64-bit half. */
function fmix64(value: bigint): bigint {
  let k = value;
  k ^= k >> 33n;
  k = wrap(k * 0xff51afd7ed558ccdn);
  k ^= k >> 33n;
  k = wrap(k * 0xc4ceb9fe1a85ec53n);
  k ^= k >> 33n;
  return k;
}

/** Little-endian 64-bit word of up to 8 bytes starting at `at`. */
function readLittleEndian(data: Uint8Array, at: number, count: number): bigint {
  let word = 0n;
  for (let i = count - 1; i >= 0; i--) word = (word << 8n) | BigInt(data[at + i]!);
  return word;
}

const mixK1 = (k1: bigint): bigint => wrap(rotl(wrap(k1 * C1), 31n) * C2);
const mixK2 = (k2: bigint): bigint => wrap(rotl(wrap(k2 * C2), 33n) * C1);

/** MurmurHash3 x64 128 of `data`: 16 bytes, h1 then h2, each little-endian (Guava's `HashCode.asBytes()`). */
export function murmur3X64_128(data: Uint8Array, seed = 0): Uint8Array {
  let h1 = wrap(BigInt(seed | 0)); // Guava widens the int seed with sign extension
  let h2 = h1;
  const blocks = Math.floor(data.length / 16);
  for (let b = 0; b < blocks; b++) {
    h1 ^= mixK1(readLittleEndian(data, b * 16, 8));
    h1 = wrap(wrap(rotl(h1, 27n) + h2) * 5n + 0x52dce729n);
    h2 ^= mixK2(readLittleEndian(data, b * 16 + 8, 8));
    h2 = wrap(wrap(rotl(h2, 31n) + h1) * 5n + 0x38495ab5n);
  }
  const tail = blocks * 16;
  const rest = data.length - tail;
  if (rest > 8) h2 ^= mixK2(readLittleEndian(data, tail + 8, rest - 8));
  if (rest > 0) h1 ^= mixK1(readLittleEndian(data, tail, Math.min(rest, 8)));
  const length = BigInt(data.length);
  h1 ^= length;
  h2 ^= length;
  h1 = wrap(h1 + h2);
  h2 = wrap(h2 + h1);
  h1 = fmix64(h1);
  h2 = fmix64(h2);
  h1 = wrap(h1 + h2);
  h2 = wrap(h2 + h1);
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, h1, true); // little-endian, as Guava lays the hash out
  view.setBigUint64(8, h2, true);
  return out;
}

/** Guava `HashCode.asLong()`: the first 8 hash bytes as a little-endian signed 64-bit value. */
export function murmur3AsLong(hash: Uint8Array): bigint {
  return new DataView(hash.buffer, hash.byteOffset, hash.byteLength).getBigInt64(0, true);
}

/** Java `String.getBytes(UTF_8)`: like TextEncoder, except that an unpaired surrogate becomes '?'. */
export function javaUtf8Bytes(text: string): Uint8Array {
  return encodeUtf8(text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '?'));
}

/** Guava `Hashing.murmur3_128().hashString(text, UTF_8).asLong()`. */
export function murmur3HashStringAsLong(text: string): bigint {
  return murmur3AsLong(murmur3X64_128(javaUtf8Bytes(text)));
}
