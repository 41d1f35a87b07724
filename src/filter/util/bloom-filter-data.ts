/**
 * BloomFilterData: the bit positions one (consumer group, topic) pair owns in the bloom
 * bit maps, plus the bit-map size they were computed for.
 *
 * The broker computes it once per SQL92 subscription (`BloomFilter.generate("group#topic")`)
 * and keeps it with the subscription's filter data, persisted in `consumerFilter.json`:
 *
 * ```
 *   "bloomFilterData": {"bitNum": 112, "bitPos": [35, 4, 85]}
 * ```
 *
 * `bitNum` guards against a changed configuration: positions computed for another bit-map
 * size are not used (`BloomFilter.isValid`).
 *
 * Differences from RocketMQ 4.9.x:
 * - Immutable, with `fromJSON` that checks the shape of persisted data (Java's bean is
 *   filled by fastjson and trusted).
 *
 * @mirrors org.apache.rocketmq.filter.util.BloomFilterData
 * @article filtersrv "Bloom filter bit maps"
 * @category Filter
 * @module
 */

/** Bit positions of one filter key, for a bit map of `bitNum` bits. */
export class BloomFilterData {
  constructor(readonly bitPos: readonly number[], readonly bitNum: number) {}

  /** Read persisted data; `undefined` when it is not `{bitPos: int[], bitNum: int}`. */
  static fromJSON(value: unknown): BloomFilterData | undefined {
    if (typeof value !== 'object' || value === null) return undefined;
    const { bitPos, bitNum } = value as { bitPos?: unknown; bitNum?: unknown };
    if (!Number.isSafeInteger(bitNum) || !Array.isArray(bitPos)) return undefined;
    if (!bitPos.every((p) => Number.isSafeInteger(p))) return undefined;
    return new BloomFilterData(bitPos as number[], bitNum as number);
  }

  toJSON(): { bitNum: number; bitPos: number[] } {
    return { bitNum: this.bitNum, bitPos: [...this.bitPos] };
  }

  equals(other: BloomFilterData): boolean {
    return this.bitNum === other.bitNum && this.bitPos.length === other.bitPos.length && this.bitPos.every((p, i) => p === other.bitPos[i]);
  }

  toString(): string {
    return `BloomFilterData{bitPos=[${this.bitPos.join(', ')}], bitNum=${this.bitNum}}`;
  }
}
