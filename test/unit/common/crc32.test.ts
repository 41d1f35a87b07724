// crc32 must equal java.util.zip.CRC32 bit for bit, and crc32Positive must equal
// RocketMQ's UtilAll.crc32 (the value stored in BODYCRC). Known values come from the CRC
// catalogue (the "check" value of CRC-32/ISO-HDLC) and zlib.
import { describe, expect, it } from 'vitest';
import { crc32, crc32Positive, crc32Update } from '../../../src/common/crc32.js';
import { encodeUtf8 } from '../../../src/common/bytes.js';

describe('crc32', () => {
  it('crc32() gives the catalogue check value 0xCBF43926 for "123456789"', () => {
    expect(crc32(encodeUtf8('123456789'))).toBe(0xcbf43926);
  });

  it('crc32() matches zlib for the pangram and is 0 for no bytes', () => {
    expect(crc32(encodeUtf8('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('crc32(bytes, start, end) covers only the range, and crc32Update() continues a CRC', () => {
    const bytes = encodeUtf8('xx123456789yy');
    expect(crc32(bytes, 2, 11)).toBe(0xcbf43926);
    const a = encodeUtf8('12345');
    const b = encodeUtf8('6789');
    expect(crc32Update(crc32(a), b)).toBe(0xcbf43926);
  });

  it('crc32Positive() clears the top bit, as UtilAll.crc32 does (0xCA821663 -> 0x4A821663)', () => {
    const body = encodeUtf8('Hello RocketMQ 2');
    expect(crc32(body)).toBe(0xca821663);
    expect(crc32Positive(body)).toBe(0x4a821663);
    expect(crc32Positive(encodeUtf8('Hello RocketMQ'))).toBe(0x69c865ed); // top bit already clear
  });

  it('crc32() rejects a range outside the array (a caller bug)', () => {
    expect(() => crc32(new Uint8Array(4), 2, 8)).toThrow(/outside/);
  });
});
