// BloomFilter and BloomFilterData: the broker's sizing (f = 20 %, n = 32 gives k = 3,
// m = 112), bit positions derived by hand from a murmur3 value, and the hashTo/isHit round
// trip on a BitsArray. Expected positions were also checked against RocketMQ 4.9.8.
import { describe, expect, it } from 'vitest';
import { BitsArray } from '../../../../src/filter/util/bits-array.js';
import { BloomFilter } from '../../../../src/filter/util/bloom-filter.js';
import { BloomFilterData } from '../../../../src/filter/util/bloom-filter-data.js';

/** The position formula written out: hash1 = low int, hash2 = high int, c = hash1 + i*hash2 (int), flip if negative, mod m. */
function positionsFrom(asLong: bigint, k: number, m: number): number[] {
  const hash1 = Number(BigInt.asIntN(32, asLong));
  const hash2 = Number(BigInt.asIntN(32, asLong >> 32n));
  return Array.from({ length: k }, (_, index) => {
    const combined = Number(BigInt.asIntN(32, BigInt(hash1) + BigInt(index + 1) * BigInt(hash2)));
    return (combined < 0 ? -combined - 1 : combined) % m;
  });
}

describe('BloomFilter', () => {
  it('createByFn(20, 32) has k = 3 hash functions over m = 112 bits (the broker defaults)', () => {
    const filter = BloomFilter.createByFn(20, 32);
    expect([filter.k, filter.m]).toEqual([3, 112]);
    expect(filter.toString()).toBe('f: 20, n: 32, k: 3, m: 112');
    expect([BloomFilter.createByFn(10, 20).k, BloomFilter.createByFn(10, 20).m]).toEqual([4, 96]);
    expect([BloomFilter.createByFn(1, 1).k, BloomFilter.createByFn(1, 1).m]).toEqual([7, 16]);
    expect(BloomFilter.createByFn(20, 32).equals(filter)).toBe(true);
  });

  it('refuses sizes Java refuses', () => {
    expect(() => BloomFilter.createByFn(0, 32)).toThrow('f must be greater or equal than 1 and less than 100');
    expect(() => BloomFilter.createByFn(100, 32)).toThrow(RangeError);
    expect(() => BloomFilter.createByFn(20, 0)).toThrow('n must be greater than 0');
  });

  it('generate() of the published vector "The quick brown fox ..." gives the positions worked out from its h1', () => {
    // h1 = 0xe34bbc7bbc071b6c: hash1 = (int) 0xbc071b6c = -1140384916, hash2 = (int) 0xe34bbc7b = -481575813
    //   i=1: -1621960729 -> ~ = 1621960728 -> % 112 = 24
    //   i=2: -2103536542 -> ~ = 2103536541 -> % 112 = 29
    //   i=3: -2585112355 wraps to 1709854941 -> % 112 = 109
    const filter = BloomFilter.createByFn(20, 32);
    const data = filter.generate('The quick brown fox jumps over the lazy dog');
    expect(data.bitPos).toEqual([24, 29, 109]);
    expect(data.bitPos).toEqual(positionsFrom(BigInt.asIntN(64, 0xe34bbc7bbc071b6cn), 3, 112));
    expect(data.bitNum).toBe(112);
  });

  it("generate('group#topic') gives the positions computed from its murmur3 value", () => {
    const filter = BloomFilter.createByFn(20, 32);
    // Guava: murmur3_128().hashString("group#topic", UTF_8) = 2451da700bc446a5 5ee3e60f6d989147, asLong() = -6537322255664656092.
    expect(filter.generate('group#topic').bitPos).toEqual(positionsFrom(-6537322255664656092n, 3, 112));
    expect(filter.generate('group#topic').bitPos).toEqual([79, 21, 21]);
    expect(BloomFilter.createByFn(10, 20).calcBitPositions('CID_abc_efg')).toEqual([49, 17, 78, 14]);
  });

  it('hashTo() sets the key bits (byte i/8, bit i%8) and isHit() finds them; other keys mostly miss', () => {
    const filter = BloomFilter.createByFn(20, 32);
    const bits = BitsArray.create(filter.m);
    filter.hashTo(filter.generate('group#topic'), bits);
    // Bits 21 and 79: byte 2 gets 1 << 5 = 32, byte 9 gets 1 << 7 = 128 (same bytes as Java writes).
    expect([...bits.bytes]).toEqual([0, 0, 32, 0, 0, 0, 0, 0, 0, 128, 0, 0, 0, 0]);
    expect(filter.isHit(filter.generate('group#topic'), bits)).toBe(true);
    expect(filter.isHit('group#topic', bits)).toBe(true);
    expect(filter.isHit([21, 79], bits)).toBe(true);
    expect(filter.isHit('other#topic', bits)).toBe(false);
    filter.hashTo('other#topic', bits);
    expect(filter.isHit('other#topic', bits)).toBe(true);
    expect(filter.checkFalseHit([21, 79], bits)).toBe(true);
  });

  it('isValid() accepts only data made for the same k and m; hashTo/isHit refuse the rest', () => {
    const filter = BloomFilter.createByFn(20, 32);
    const bits = BitsArray.create(112);
    expect(filter.isValid(filter.generate('g#t'))).toBe(true);
    expect(filter.isValid(undefined)).toBe(false);
    expect(filter.isValid(new BloomFilterData([1, 2, 3], 96))).toBe(false);
    expect(filter.isValid(new BloomFilterData([1, 2], 112))).toBe(false);
    expect(() => filter.hashTo(new BloomFilterData([1, 2], 112), bits)).toThrow('Bloom filter data may not belong to this filter!');
    expect(() => filter.isHit('g#t', BitsArray.create(96))).toThrow('Length(96) of bits in BitsArray is not equal to 112!');
  });
});

describe('BloomFilterData', () => {
  it('round-trips through JSON as consumerFilter.json stores it, and rejects other shapes', () => {
    const data = new BloomFilterData([35, 4, 85], 112);
    expect(JSON.stringify(data)).toBe('{"bitNum":112,"bitPos":[35,4,85]}');
    expect(BloomFilterData.fromJSON(JSON.parse(JSON.stringify(data)))?.equals(data)).toBe(true);
    expect(data.toString()).toBe('BloomFilterData{bitPos=[35, 4, 85], bitNum=112}');
    for (const bad of [null, 5, {}, { bitNum: 112 }, { bitNum: '112', bitPos: [] }, { bitNum: 112, bitPos: [1.5] }, { bitNum: 112, bitPos: 'x' }]) {
      expect(BloomFilterData.fromJSON(bad)).toBeUndefined();
    }
  });
});
