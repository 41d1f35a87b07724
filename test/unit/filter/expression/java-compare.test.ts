// javaCompare: the lopsided coercion table of ComparisonExpression.__compare, row by row.
import { describe, expect, it } from 'vitest';
import { EvaluationError } from '../../../../src/filter/expression/expression.js';
import { javaCompare } from '../../../../src/filter/expression/java-compare.js';
import { JavaNumber } from '../../../../src/filter/expression/java-value.js';

const int = JavaNumber.int;
const long = (n: number) => JavaNumber.long(BigInt(n));
const double = JavaNumber.double;

describe('javaCompare', () => {
  it('widens Integer to Long and anything numeric to Double', () => {
    expect(javaCompare(int(5), long(5))).toBe(0);
    expect(javaCompare(long(5), int(6))).toBe(-1);
    expect(javaCompare(int(5), double(5.5))).toBe(-1);
    expect(javaCompare(double(5), long(5))).toBe(0);
    expect(javaCompare(JavaNumber.long(2n ** 62n), JavaNumber.long(2n ** 62n + 1n))).toBe(-1);
  });

  it('parses the string side with the parser of the other side\'s class', () => {
    expect(javaCompare(int(5), '5')).toBe(0);
    expect(javaCompare('5000000000', long(5000000000))).toBe(0);
    expect(javaCompare('5', double(5))).toBe(0);
    expect(javaCompare('TRUE', true)).toBe(0);
    expect(() => javaCompare(int(5), '5.0')).toThrow(EvaluationError);
    expect(() => javaCompare('5000000000', int(5))).toThrow(EvaluationError);
  });

  it('answers -1 for a Boolean against a number either way, and throws for Boolean against String', () => {
    expect(javaCompare(int(5), true)).toBe(-1);
    expect(javaCompare(true, int(5))).toBe(-1);
    expect(javaCompare(double(1), false)).toBe(-1);
    expect(() => javaCompare(true, 'true')).toThrow('ClassCastException');
  });

  it('compares same classes with compareTo', () => {
    expect(javaCompare('a', 'b')).toBe(-1);
    expect(javaCompare('b', 'a')).toBe(1);
    expect(javaCompare(false, true)).toBe(-1);
    expect(javaCompare(double(NaN), double(1))).toBe(1);
  });
});
