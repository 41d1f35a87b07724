// Java value semantics the engine depends on: the string parsers (Integer/Long/Double/
// Boolean.valueOf), Double.toString and Double.compare, and how context values are boxed.
import { describe, expect, it } from 'vitest';
import { EvaluationError } from '../../../../src/filter/expression/expression.js';
import {
  booleanValueOf, doubleValueOf, integerValueOf, javaDoubleCompare, javaDoubleToString, JavaNumber, JavaObject, longValueOf,
  parseJavaDouble, toJavaValue,
} from '../../../../src/filter/expression/java-value.js';

describe('Java string parsers', () => {
  it('integerValueOf() takes a sign and ASCII digits within an int, nothing else', () => {
    expect(integerValueOf('+5').value).toBe(5);
    expect(integerValueOf('-2147483648').value).toBe(-2147483648);
    for (const bad of ['', ' 5', '5.0', '2147483648', '0x10', '1e3', '+']) expect(() => integerValueOf(bad)).toThrow(EvaluationError);
  });

  it('longValueOf() keeps all 64 bits', () => {
    expect(longValueOf('9223372036854775807').value).toBe(9223372036854775807n);
    expect(longValueOf('-9223372036854775808').value).toBe(-9223372036854775808n);
    expect(() => longValueOf('9223372036854775808')).toThrow('For input string: "9223372036854775808"');
  });

  it('parseJavaDouble() follows FloatingDecimal: trim, sign, NaN/Infinity, suffixes; no hex', () => {
    expect(parseJavaDouble(' 1.5 ')).toBe(1.5);
    expect(parseJavaDouble('5.')).toBe(5);
    expect(parseJavaDouble('.5e1')).toBe(5);
    expect(parseJavaDouble('1.5f')).toBe(1.5);
    expect(parseJavaDouble('2D')).toBe(2);
    expect(parseJavaDouble('-NaN')).toBeNaN();
    expect(parseJavaDouble('-Infinity')).toBe(-Infinity);
    expect(Object.is(parseJavaDouble('-0'), -0)).toBe(true);
    expect(parseJavaDouble('1e400')).toBe(Infinity);
    for (const bad of ['', '.', 'e5', '1e', 'NaNd', 'infinity', '0x10', '1,5', '1.5 x']) expect(parseJavaDouble(bad)).toBeUndefined();
    expect(() => doubleValueOf('abc')).toThrow(EvaluationError);
  });

  it('booleanValueOf() is true only for "true" in any case', () => {
    expect([booleanValueOf('true'), booleanValueOf('TrUe'), booleanValueOf('yes'), booleanValueOf(' true')]).toEqual([true, true, false, false]);
  });
});

describe('Java doubles', () => {
  it.each([
    [1, '1.0'], [100, '100.0'], [0.001, '0.001'], [1e7, '1.0E7'], [12345678.9, '1.23456789E7'], [1e-4, '1.0E-4'],
    [Number.MIN_VALUE, '4.9E-324'], [Number.MAX_VALUE, '1.7976931348623157E308'], [-2.5, '-2.5'], [0, '0.0'], [-0, '-0.0'],
    [NaN, 'NaN'], [-Infinity, '-Infinity'], [9999999, '9999999.0'], [3e-5, '3.0E-5'],
  ])('javaDoubleToString(%d) is %s', (value, text) => {
    expect(javaDoubleToString(value)).toBe(text);
  });

  it('javaDoubleCompare() orders -0.0 below 0.0 and NaN above everything', () => {
    expect(javaDoubleCompare(-0, 0)).toBe(-1);
    expect(javaDoubleCompare(NaN, Infinity)).toBe(1);
    expect(javaDoubleCompare(NaN, NaN)).toBe(0);
    expect(javaDoubleCompare(1, 2)).toBe(-1);
    expect(JavaNumber.double(NaN).equals(JavaNumber.double(NaN))).toBe(true);
    expect(JavaNumber.double(0).equals(JavaNumber.double(-0))).toBe(false);
  });
});

describe('toJavaValue', () => {
  it('boxes context values as the Java classes the comparisons expect', () => {
    expect(toJavaValue(undefined)).toBeNull();
    expect(toJavaValue('5')).toBe('5');
    expect(toJavaValue(5)).toEqual(JavaNumber.int(5));
    expect(toJavaValue(2 ** 40)).toEqual(JavaNumber.long(2n ** 40n));
    expect(toJavaValue(2.5)).toEqual(JavaNumber.double(2.5));
    expect(toJavaValue(5n)).toEqual(JavaNumber.long(5n));
    expect(toJavaValue(2n ** 64n)).toBeInstanceOf(JavaObject);
    expect(toJavaValue({})).toBeInstanceOf(JavaObject);
    expect(String(toJavaValue(Object.create(null)))).toBe('[object Object]');
  });
});
