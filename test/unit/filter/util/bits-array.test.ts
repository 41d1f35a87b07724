// BitsArray: bit i is bit (i % 8) of byte (i / 8), the layout stored on disk; bounds are
// checked; the byte-wise operations combine the common bytes.
import { describe, expect, it } from 'vitest';
import { BitsArray } from '../../../../src/filter/util/bits-array.js';

describe('BitsArray', () => {
  it('create(20) makes 3 clear bytes; setBit/getBit address bit i%8 of byte i/8', () => {
    const bits = BitsArray.create(20);
    expect([bits.bitLength, bits.byteLength]).toEqual([20, 3]);
    bits.setBit(0, true);
    bits.setBit(10, true);
    bits.setBit(19, true);
    expect([...bits.bytes]).toEqual([0b0000_0001, 0b0000_0100, 0b0000_1000]);
    expect([bits.getBit(10), bits.getBit(11)]).toEqual([true, false]);
    bits.setBit(10, false);
    bits.not(11);
    expect([...bits.bytes]).toEqual([0b0000_0001, 0b0000_1000, 0b0000_1000]);
    expect(bits.toString()).toBe('10000000100000000001');
  });

  it('refuses positions outside the bits and bytes', () => {
    const bits = BitsArray.create(16);
    expect(() => bits.getBit(16)).toThrow(RangeError);
    expect(() => bits.setBit(-1, true)).toThrow(RangeError);
    expect(() => bits.getByte(2)).toThrow(RangeError);
    expect(() => BitsArray.create(new Uint8Array(0))).toThrow('Bytes is empty!');
    expect(() => BitsArray.create(new Uint8Array(1), 9)).toThrow(RangeError);
  });

  it('create(bytes) copies the bytes; or/and/xor combine the common bytes; clone is independent', () => {
    const source = new Uint8Array([0b1010, 0xff]);
    const a = BitsArray.create(source);
    source[0] = 0;
    expect([a.bitLength, a.getByte(0)]).toEqual([16, 0b1010]);
    const b = BitsArray.create(new Uint8Array([0b0110]));
    const or = a.clone();
    or.or(b);
    const and = a.clone();
    and.and(b);
    const xor = a.clone();
    xor.xor(b);
    expect([or.getByte(0), and.getByte(0), xor.getByte(0), xor.getByte(1)]).toEqual([0b1110, 0b0010, 0b1100, 0xff]);
    expect(a.getByte(0)).toBe(0b1010);
    a.setByte(1, 0);
    expect(a.getByte(1)).toBe(0);
  });
});
