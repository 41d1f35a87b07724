// MurmurHash3 x64 128 against published test vectors (seed 0 and seeded ones, as used by
// Guava's Murmur3Hash128Test and the reference C++ implementation), covering every tail
// length class: empty, 4, 5, 15, 16, 17 and 43 bytes.
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../src/common/bytes.js';
import { javaUtf8Bytes, murmur3AsLong, murmur3HashStringAsLong, murmur3X64_128 } from '../../../../src/filter/util/murmur3.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
/** The two 64-bit halves, as the vectors are usually published. */
function halves(hash: Uint8Array): [bigint, bigint] {
  const view = new DataView(hash.buffer);
  return [view.getBigUint64(0, true), view.getBigUint64(8, true)];
}

describe('murmur3X64_128', () => {
  it.each([
    ['', 0, 0x0000000000000000n, 0x0000000000000000n],
    ['hell', 0, 0x629942693e10f867n, 0x92db0b82baeb5347n],
    ['hello', 0, 0xcbd8a7b341bd9b02n, 0x5b1e906a48ae1d19n],
    ['123456789012345', 0, 0x887001aea2afcfd6n, 0x1ec326364f0801b3n],
    ['1234567890123456', 0, 0x4fbe5dc5c0e32cf8n, 0xc0c8e96b60c322c1n],
    ['12345678901234567', 0, 0x748617968026b77en, 0x291e6386473f7103n],
    ['The quick brown fox jumps over the lazy dog', 0, 0xe34bbc7bbc071b6cn, 0x7a433ca9c49a9347n],
    ['The quick brown fox jumps over the lazy cog', 0, 0x658ca970ff85269an, 0x43fee3eaa68e5c3en],
    ['hello', 1, 0xa78ddff5adae8d10n, 0x128900ef20900135n],
    ['hello ', 2, 0x8a486b23f422e826n, 0xf962a2c58947765fn],
    ['hello w', 3, 0x2ea59f466f6bed8cn, 0xc610990acc428a17n],
    ['hello wo', 4, 0x79f6305a386c572cn, 0x46305aed3483b94en],
    ['hello wor', 5, 0xc2219d213ec1f1b5n, 0xa1d8e2e0a52785bdn],
  ])('hashes %j with seed %i to the published h1, h2', (text, seed, h1, h2) => {
    expect(halves(murmur3X64_128(utf8(text), seed))).toEqual([h1, h2]);
  });

  it('lays the hash out as Guava does: h1 then h2, little-endian, and asLong() is h1 as a signed long', () => {
    const hash = murmur3X64_128(utf8('The quick brown fox jumps over the lazy dog'));
    expect(toHex(hash).toLowerCase()).toBe('6c1b07bc7bbc4be347939ac4a93c437a');
    expect(murmur3AsLong(hash)).toBe(BigInt.asIntN(64, 0xe34bbc7bbc071b6cn));
  });

  it('hashes "group#topic" to the value Guava gives (hashString(..., UTF_8))', () => {
    expect(toHex(murmur3X64_128(utf8('group#topic'))).toLowerCase()).toBe('2451da700bc446a55ee3e60f6d989147');
    expect(murmur3HashStringAsLong('group#topic')).toBe(-6537322255664656092n);
  });

  it('encodes strings as Java getBytes(UTF_8) does: an unpaired surrogate is "?"', () => {
    expect([...javaUtf8Bytes('a\uD800b')]).toEqual([0x61, 0x3f, 0x62]);
    expect([...javaUtf8Bytes('\uDC00')]).toEqual([0x3f]);
    expect([...javaUtf8Bytes('\u{1F680}')]).toEqual([0xf0, 0x9f, 0x9a, 0x80]);
    expect(murmur3HashStringAsLong('x\uD800')).toBe(murmur3HashStringAsLong('x?'));
  });
});
