// installNativeCrc32 hands zlib's CRC-32 to common/crc32.ts: goal, prove that with it every
// CRC the store computes is the same number as with the tables (so a record written with one
// verifies with the other), and that a native function that disagrees is refused. Method:
// compare both paths over lengths around the native threshold, ranges and continuations.
import { afterEach, describe, expect, it } from 'vitest';
import { crc32, crc32Positive, crc32Update, NATIVE_MIN_BYTES, useNativeCrc32 } from '../../../../src/common/crc32.js';
import { installNativeCrc32 } from '../../../../src/platform/node/native-crc32.js';

function sample(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

afterEach(() => {
  useNativeCrc32(undefined);
});

describe('installNativeCrc32', () => {
  it('uses zlib on this Node and gives the same CRCs as the tables for every length, range and continuation', () => {
    const inputs = [0, 1, 7, 8, NATIVE_MIN_BYTES - 1, NATIVE_MIN_BYTES, 1000, 1024, 4099].map((n, i) => sample(n, i + 1));
    const expected = inputs.map((b) => [crc32(b), crc32(b, 3 > b.length ? 0 : 3, b.length), crc32Update(0xdeadbeef, b), crc32Positive(b)]);
    expect(installNativeCrc32()).toBe(true);
    const actual = inputs.map((b) => [crc32(b), crc32(b, 3 > b.length ? 0 : 3, b.length), crc32Update(0xdeadbeef, b), crc32Positive(b)]);
    expect(actual).toEqual(expected);
    expect(crc32(new TextEncoder().encode('123456789'.repeat(20)))).toBe(crc32Update(0, new TextEncoder().encode('123456789'.repeat(20))));
  });

  it('refuses a native function that disagrees with the tables, and keeps the tables', () => {
    const big = sample(2048, 9);
    const before = crc32(big);
    expect(useNativeCrc32((data, value) => (value + data.length) >>> 0)).toBe(false);
    expect(crc32(big)).toBe(before);
  });
});
