/**
 * BloomFilter: the broker's cheap "could this message match group G?" test, which lets
 * a pull skip messages without reading them from the commit log.
 *
 * When a message is dispatched, the broker evaluates every SQL92 filter of its topic and
 * sets, in a small per-message bit map, the bits of each (group, topic) pair whose filter
 * matched. A pull first checks the group's bits in that map: if one is clear, the message
 * certainly did not match; if all are set it probably did (another pair may have set the
 * same bits), and the SQL is evaluated again to be sure.
 *
 * Sizing, for `f` = accepted false-positive rate in percent and `n` = expected number of
 * pairs (the broker uses f = 20, n = 32):
 *
 * ```
 *   k = ceil(log_0.5(f/100))                       hash functions      ceil(2.32)  = 3
 *   m = ceil(n * log2(100/f) * log2(e)), up to x8  bits                ceil(107.2) = 108 -> 112
 * ```
 *
 * Bit positions of a key (Kirsch and Mitzenmacher: two hashes make k):
 *
 * ```
 *   h      = murmur3_128("group#topic").asLong()     (util/murmur3.ts)
 *   hash1  = (int) h          hash2 = (int) (h >>> 32)
 *   for i in 1..k:  c = hash1 + i * hash2   (32-bit wrap-around)
 *                   if c < 0: c = ~c        (flip all bits: now >= 0)
 *                   position[i-1] = c % m
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - `hashTo` and `isHit` take a key string, a list of positions or a `BloomFilterData`
 *   in one method each (Java overloads them).
 * - Invalid arguments throw `RangeError` (Java: `IllegalArgumentException`), with
 *   Java's messages.
 *
 * @mirrors org.apache.rocketmq.filter.util.BloomFilter
 * @article filtersrv "Bloom filter bit maps"
 * @category Filter
 * @module
 */
import type { BitsArray } from './bits-array.js';
import { BloomFilterData } from './bloom-filter-data.js';
import { murmur3HashStringAsLong } from './murmur3.js';

const BYTE_SIZE = 8;

/** A bloom filter's sizing and its bit-position function. */
export class BloomFilter {
  /** Number of hash functions (bit positions per key). */
  readonly k: number;
  /** Number of bits in a bit map (a multiple of 8). */
  readonly m: number;

  private constructor(readonly f: number, readonly n: number) {
    if (!Number.isInteger(f) || f < 1 || f >= 100) throw new RangeError('f must be greater or equal than 1 and less than 100');
    if (!Number.isInteger(n) || n < 1) throw new RangeError('n must be greater than 0');
    const errorRate = f / 100;
    this.k = Math.ceil(logMN(0.5, errorRate));
    if (this.k < 1) throw new RangeError('Hash function num is less than 1, maybe you should change the value of error rate or bit num!');
    const bits = Math.ceil(n * logMN(2, 1 / errorRate) * logMN(2, Math.E));
    this.m = BYTE_SIZE * Math.ceil(bits / BYTE_SIZE);
  }

  /** A filter for an error rate of `errorRatePercent` % with `expectedItems` keys. */
  static createByFn(errorRatePercent: number, expectedItems: number): BloomFilter {
    return new BloomFilter(errorRatePercent, expectedItems);
  }

  /** The k bit positions of `key`, each in [0, m). */
  calcBitPositions(key: string): number[] {
    const hash64 = murmur3HashStringAsLong(key);
    const hash1 = Number(BigInt.asIntN(32, hash64));
    const hash2 = Number(BigInt.asIntN(32, hash64 >> 32n));
    const positions: number[] = [];
    for (let i = 1; i <= this.k; i++) {
      let combined = (hash1 + Math.imul(i, hash2)) | 0;
      if (combined < 0) combined = ~combined;
      positions.push(combined % this.m);
    }
    return positions;
  }

  /** The positions of `key`, packaged with this filter's `m`. */
  generate(key: string): BloomFilterData {
    return new BloomFilterData(this.calcBitPositions(key), this.m);
  }

  /** Set the bits of a key (given as text, positions or BloomFilterData) in `bits`. */
  hashTo(data: BloomFilterData | string | readonly number[], bits: BitsArray): void {
    this.check(bits);
    for (const position of this.positionsOf(data)) bits.setBit(position, true);
  }

  /** Are all bits of a key set in `bits`? (true may be a false positive; false is certain) */
  isHit(data: BloomFilterData | string | readonly number[], bits: BitsArray): boolean {
    this.check(bits);
    return this.positionsOf(data).every((position) => bits.getBit(position));
  }

  /** Were all `positions` already taken in `bits`? Java uses it to warn about collisions. */
  checkFalseHit(positions: readonly number[], bits: BitsArray): boolean {
    return positions.every((position) => bits.getBit(position));
  }

  /** Does `data` belong to this filter: k positions computed for m bits? */
  isValid(data: BloomFilterData | undefined): boolean {
    return data !== undefined && data.bitNum === this.m && data.bitPos.length === this.k;
  }

  equals(other: BloomFilter): boolean {
    return this.f === other.f && this.n === other.n && this.k === other.k && this.m === other.m;
  }

  toString(): string {
    return `f: ${this.f}, n: ${this.n}, k: ${this.k}, m: ${this.m}`;
  }

  private positionsOf(data: BloomFilterData | string | readonly number[]): readonly number[] {
    if (typeof data === 'string') return this.calcBitPositions(data);
    if (data instanceof BloomFilterData) {
      if (!this.isValid(data)) throw new RangeError(`Bloom filter data may not belong to this filter! ${data.toString()}, ${this.toString()}`);
      return data.bitPos;
    }
    return data;
  }

  private check(bits: BitsArray): void {
    if (bits.bitLength !== this.m) throw new RangeError(`Length(${bits.bitLength}) of bits in BitsArray is not equal to ${this.m}!`);
  }
}

/** log base `base` of `x`. */
function logMN(base: number, x: number): number {
  return Math.log(x) / Math.log(base);
}
