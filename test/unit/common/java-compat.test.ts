// Java int/long semantics that reach bytes on disk. Expected hash values were computed with
// the Java definition s[0]*31^(n-1) + ... over UTF-16 code units (and agree with the
// well-known values: "hello" is 99162322, "Aa" and "BB" collide at 2112,
// "polygenelubricants" hashes to Integer.MIN_VALUE).
import { describe, expect, it } from 'vitest';
import {
  INT32_MIN, javaMathAbsInt, javaParseInt, javaStringHashCode, readLong, toInt16, toInt32, toInt8, writeLong,
} from '../../../src/common/java-compat.js';

describe('javaStringHashCode', () => {
  it('javaStringHashCode() matches Java String.hashCode for known strings', () => {
    expect(javaStringHashCode('')).toBe(0);
    expect(javaStringHashCode('hello')).toBe(99162322);
    expect(javaStringHashCode('TagA')).toBe(2598919); // ((84*31+97)*31+103)*31+65
    expect(javaStringHashCode('TopicTest#order-1')).toBe(-1829193424);
  });

  it('javaStringHashCode() hashes a non-BMP character as its two surrogates', () => {
    // U+1F600 is \uD83D\uDE00: 55357 * 31 + 56832.
    expect(javaStringHashCode('\u{1F600}')).toBe(1772899);
  });

  it('javaStringHashCode() wraps like a Java int (collisions and MIN_VALUE)', () => {
    expect(javaStringHashCode('Aa')).toBe(javaStringHashCode('BB'));
    expect(javaStringHashCode('polygenelubricants')).toBe(INT32_MIN);
  });
});

describe('javaMathAbsInt', () => {
  it('javaMathAbsInt() keeps Math.abs(Integer.MIN_VALUE) negative, as Java does', () => {
    expect(javaMathAbsInt(-5)).toBe(5);
    expect(javaMathAbsInt(INT32_MIN)).toBe(INT32_MIN);
    expect(() => javaMathAbsInt(2 ** 31)).toThrow();
  });
});

describe('javaParseInt', () => {
  it('javaParseInt() accepts what Integer.parseInt accepts and nothing else', () => {
    expect(javaParseInt('3')).toBe(3);
    expect(javaParseInt('+3')).toBe(3);
    expect(javaParseInt('-0')).toBe(0);
    expect(javaParseInt('2147483647')).toBe(2147483647);
    expect(javaParseInt('2147483648')).toBeUndefined();
    expect(javaParseInt('')).toBeUndefined();
    expect(javaParseInt(' 3')).toBeUndefined();
    expect(javaParseInt('3a')).toBeUndefined();
    expect(javaParseInt('1e3')).toBeUndefined();
  });
});

describe('int casts', () => {
  it('toInt32/toInt16/toInt8() keep the low bits, signed', () => {
    expect(toInt32(0xffffffff)).toBe(-1);
    expect(toInt16(0x8000)).toBe(-32768);
    expect(toInt8(200)).toBe(-56);
    expect(toInt8(127)).toBe(127);
  });
});

describe('readLong/writeLong', () => {
  it('writeLong() writes big-endian two-complement bytes that readLong() reads back', () => {
    const view = new DataView(new ArrayBuffer(8));
    writeLong(view, 0, 1700000000123);
    expect([...new Uint8Array(view.buffer)]).toEqual([0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x7b]);
    expect(readLong(view, 0)).toBe(1700000000123);
    writeLong(view, 0, -2);
    expect([...new Uint8Array(view.buffer)]).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]);
    expect(readLong(view, 0)).toBe(-2);
    writeLong(view, 0, Number.MAX_SAFE_INTEGER);
    expect(readLong(view, 0)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('readLong() answers NaN for a long beyond 2^53 instead of throwing', () => {
    const view = new DataView(new ArrayBuffer(8));
    view.setBigInt64(0, 2n ** 60n, false);
    expect(readLong(view, 0)).toBeNaN();
    view.setBigInt64(0, -(2n ** 53n), false);
    expect(readLong(view, 0)).toBeNaN();
  });
});
