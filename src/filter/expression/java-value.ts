/**
 * JavaValue: the Java objects the SQL92 engine passes around, modelled closely enough that
 * the comparison rules can tell an `Integer` from a `Long` from a `Double`.
 *
 * Java's filter engine decides how to compare two values by their classes: an `Integer`
 * meeting a `String` parses the string with `Integer.valueOf`, a `Long` with
 * `Long.valueOf`. So `a = 5` fails for `a = "5000000000"` (too big for an `int`) while
 * `a = 5000000000` works. A JavaScript number cannot carry that difference, so values are
 * boxed:
 *
 * ```
 *   Java            here                                      from a literal
 *   null            null                                      NULL
 *   String          string                                    'text'
 *   Boolean         boolean                                   TRUE, FALSE
 *   Integer         JavaNumber {type 'Integer', value: number} 5, 2147483647
 *   Long            JavaNumber {type 'Long', value: bigint}    2147483648, 5000000000L
 *   Double          JavaNumber {type 'Double', value: number}  5.0, .5, 5E10
 *   anything else   JavaObject {value}                        (only from a context)
 * ```
 *
 * Values read from an `EvaluationContext` go through {@link toJavaValue}; on the
 * broker they are always strings. Also here are the Java parsers the comparison rules
 * apply to strings (`Integer.valueOf`, `Long.valueOf`, `Double.valueOf`,
 * `Boolean.valueOf`) and `Double.toString`, used when printing a selector.
 *
 * Differences from RocketMQ 4.9.x:
 * - A JS number from a context becomes an `Integer` when it is an integer in `int`
 *   range, a `Long` when it is another safe integer, and a `Double` otherwise (so `-0`
 *   becomes `Integer` 0). `Byte`, `Short` and `Float` never occur.
 * - The parsers accept ASCII digits only (Java also takes other Unicode digits), and
 *   `Double.valueOf` does not accept hexadecimal floats (`0x1p3`); both count as a
 *   `NumberFormatException`.
 * - `Double.toString` prints the shortest digits that round-trip (JDK 19+ behaviour);
 *   older JDKs sometimes print one more digit.
 *
 * @mirrors java.lang.Integer#valueOf(String)
 * @mirrors java.lang.Long#valueOf(String)
 * @mirrors java.lang.Double#valueOf(String)
 * @mirrors java.lang.Double#toString(double)
 * @article filtersrv "How values are compared"
 * @category Filter
 * @module
 */
import { javaParseInt } from '../../common/java-compat.js';
import { EvaluationError } from './expression.js';

/** `Long.MIN_VALUE` and `Long.MAX_VALUE`. */
export const LONG_MIN = -(2n ** 63n);
export const LONG_MAX = 2n ** 63n - 1n;
const INT_MIN = -0x8000_0000;
const INT_MAX = 0x7fff_ffff;

/** The numeric classes the engine meets. */
export type JavaNumberType = 'Integer' | 'Long' | 'Double';

/** A boxed Java number. `Long` values are bigints so that all 64 bits survive. */
export class JavaNumber {
  private constructor(readonly type: JavaNumberType, readonly value: number | bigint) {}

  /** A Java `Integer`; `value` must be a 32-bit integer. */
  static int(value: number): JavaNumber {
    if (!Number.isInteger(value) || value < INT_MIN || value > INT_MAX) throw new RangeError(`not an int: ${value}`);
    return new JavaNumber('Integer', value === 0 ? 0 : value);
  }

  /** A Java `Long`; `value` must fit 64 bits. */
  static long(value: bigint): JavaNumber {
    if (value < LONG_MIN || value > LONG_MAX) throw new RangeError(`not a long: ${value}`);
    return new JavaNumber('Long', value);
  }

  /** A Java `Double`. */
  static double(value: number): JavaNumber {
    return new JavaNumber('Double', value);
  }

  /** Java `Number.doubleValue()` (a `long` rounds to the nearest double, as Java's cast does). */
  doubleValue(): number {
    return typeof this.value === 'bigint' ? Number(this.value) : this.value;
  }

  /** Java `equals`: same class and same value (`Double`: NaN equals NaN, 0.0 differs from -0.0). */
  equals(other: JavaNumber): boolean {
    if (this.type !== other.type) return false;
    if (this.type !== 'Double') return this.value === other.value;
    const a = this.value as number;
    const b = other.value as number;
    return Number.isNaN(a) ? Number.isNaN(b) : Object.is(a, b);
  }

  /** Java `compareTo` between two numbers of the same class: -1, 0 or 1. */
  compareTo(other: JavaNumber): number {
    if (this.type !== other.type) throw new RangeError(`compareTo across classes: ${this.type}, ${other.type}`);
    if (this.type !== 'Double') return this.value < other.value ? -1 : this.value > other.value ? 1 : 0;
    return javaDoubleCompare(this.value as number, other.value as number);
  }

  /** Java `toString()` of the boxed value. */
  toString(): string {
    return this.type === 'Double' ? javaDoubleToString(this.value as number) : String(this.value);
  }
}

/** A context value that is none of the above: equal only to itself, and not Comparable. */
export class JavaObject {
  constructor(readonly value: unknown) {}

  toString(): string {
    return safeString(this.value);
  }
}

/** `String(value)`, or a type tag when the value's own conversion throws (`Object.create(null)`). */
export function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Everything `evaluate` can return. */
export type JavaValue = null | string | boolean | JavaNumber | JavaObject;

/** The values Java's comparisons accept (`instanceof Comparable`). */
export type JavaComparable = string | boolean | JavaNumber;

/** Java `instanceof Comparable`. */
export function isComparable(value: JavaValue): value is JavaComparable {
  return value !== null && !(value instanceof JavaObject);
}

/** The Java class name of a comparable value, which decides how two values are compared. */
export function javaClassOf(value: JavaComparable): 'String' | 'Boolean' | JavaNumberType {
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return 'Boolean';
  return value.type;
}

/** Java `lv.equals(rv)` for two non-null values. */
export function javaEquals(lv: JavaValue, rv: JavaValue): boolean {
  if (lv instanceof JavaNumber) return rv instanceof JavaNumber && lv.equals(rv);
  if (lv instanceof JavaObject) return rv instanceof JavaObject && Object.is(lv.value, rv.value);
  return lv === rv;
}

/** Convert what an `EvaluationContext` returned into a Java value (see the header). */
export function toJavaValue(value: unknown): JavaValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (Number.isInteger(value) && value >= INT_MIN && value <= INT_MAX) return JavaNumber.int(value);
      if (Number.isSafeInteger(value)) return JavaNumber.long(BigInt(value));
      return JavaNumber.double(value);
    case 'bigint':
      return value >= LONG_MIN && value <= LONG_MAX ? JavaNumber.long(value) : new JavaObject(value);
    default:
      return value instanceof JavaNumber || value instanceof JavaObject ? value : new JavaObject(value);
  }
}

/** Java `Double.compare`: NaN is above everything (and equal to itself), -0.0 is below 0.0. */
export function javaDoubleCompare(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
  if (a === 0 && Object.is(a, -0) !== Object.is(b, -0)) return Object.is(a, -0) ? -1 : 1;
  return 0;
}

function numberFormatError(s: string): EvaluationError {
  return new EvaluationError(`java.lang.NumberFormatException: For input string: "${s}"`);
}

/** Java `Integer.valueOf(String)`; throws an {@link EvaluationError} where Java throws. */
export function integerValueOf(s: string): JavaNumber {
  const value = javaParseInt(s);
  if (value === undefined) throw numberFormatError(s);
  return JavaNumber.int(value);
}

/** Java `Long.valueOf(String)`: an optional sign and ASCII digits, within 64 bits. */
export function longValueOf(s: string): JavaNumber {
  if (!/^[+-]?[0-9]+$/.test(s)) throw numberFormatError(s);
  const value = BigInt(s);
  if (value < LONG_MIN || value > LONG_MAX) throw numberFormatError(s);
  return JavaNumber.long(value);
}

/** What Java's `FloatingDecimal` accepts, after `trim()`: sign, then NaN, Infinity, or digits, exponent, type suffix. */
const JAVA_FLOAT = /^([+-]?)(?:(NaN|Infinity)|((?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)[fFdD]?)$/;

/** Java `Double.parseDouble`, or `undefined` where Java throws `NumberFormatException`. */
export function parseJavaDouble(s: string): number | undefined {
  const trimmed = s.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, ''); // String.trim()
  const match = JAVA_FLOAT.exec(trimmed);
  if (match === null) return undefined;
  if (match[2] === 'NaN') return NaN; // Java ignores a sign in front of NaN
  const magnitude = match[2] === 'Infinity' ? Infinity : Number(match[3]);
  return match[1] === '-' ? -magnitude : magnitude;
}

/** Java `Double.valueOf(String)`; throws an {@link EvaluationError} where Java throws. */
export function doubleValueOf(s: string): JavaNumber {
  const value = parseJavaDouble(s);
  if (value === undefined) throw numberFormatError(s);
  return JavaNumber.double(value);
}

/** Java `Boolean.valueOf(String)`: `true` for "true" in any case, `false` for anything else. */
export function booleanValueOf(s: string): boolean {
  return s.length === 4 && s.toLowerCase() === 'true';
}

/**
 * Java `Double.toString`: plain notation for 10^-3 <= |d| < 10^7, always with a fraction
 * (`100.0`); computerised scientific notation outside that range (`1.0E7`, `1.5E-4`).
 * Digits: the shortest that round-trip, but at least two significant ones when one would
 * do, picking the closest (so `Double.MIN_VALUE` prints `4.9E-324`, not `5.0E-324`).
 */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const sign = d < 0 ? '-' : '';
  const abs = Math.abs(d);
  let [mantissa = '', exponentText = ''] = abs.toExponential().split('e');
  if (!mantissa.includes('.')) [mantissa = '', exponentText = ''] = abs.toExponential(1).split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  const exponent = Number(exponentText);
  if (abs >= 1e-3 && abs < 1e7) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    return `${sign}${whole}.${digits.slice(exponent + 1) || '0'}`;
  }
  return `${sign}${digits[0]!}.${digits.slice(1) || '0'}E${exponent}`;
}

/** Java `String.valueOf(value)`, for messages (`null`, `true`, `5`, `1.0E10`, raw strings). */
export function javaValueToString(value: JavaValue): string {
  return value === null ? 'null' : String(value);
}
