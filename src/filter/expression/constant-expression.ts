/**
 * ConstantExpression: a literal in a selector (`'red'`, `42`, `5L`, `.5`, `TRUE`, `NULL`).
 *
 * The parser hands over the literal's text and this class decides its Java type:
 *
 * ```
 *   text                       value                     why
 *   42, 42L                    Integer 42                a decimal that fits an int stays an Integer
 *   2147483648, 5000000000L    Long                      otherwise a Long (L only strips the suffix)
 *   9223372036854775808        compile error             Java's `new Long(text)` throws
 *   5.  .5  5E10  1.5e-3       Double                    any literal with a point or an exponent
 *   0.0  1E-400                compile error             Java rejects doubles below Double.MIN_VALUE
 *   1E400                      compile error             ... and above Double.MAX_VALUE
 *   'it''s'                    String "it's"             (decoded by the parser)
 *   TRUE FALSE NULL            BooleanConstantExpression so they can stand where a condition goes
 * ```
 *
 * Literals never carry a sign: `-5` is a negation node around `5` (see
 * `unary-expression.ts`). That is also why `0.0` cannot be written at all: Java compares
 * the parsed double with `Double.MIN_VALUE`, which is the smallest *positive* double,
 * presumably meaning to reject negative values. `a > 0` works, `a > 0.0` does not.
 *
 * Differences from RocketMQ 4.9.x: none. (`NowExpression` exists in Java but no grammar
 * rule creates it, so it is left out; `now` in a selector is an ordinary property name.)
 *
 * @mirrors org.apache.rocketmq.filter.expression.ConstantExpression
 * @mirrors org.apache.rocketmq.filter.expression.BooleanConstantExpression
 * @article filtersrv "The selector grammar"
 * @category Filter
 * @module
 */
import { MQFilterException } from '../mq-filter-exception.js';
import type { EvaluationContext } from './evaluation-context.js';
import type { BooleanExpression, Expression } from './expression.js';
import { JavaNumber, LONG_MAX, type JavaValue } from './java-value.js';

/** `Double.MAX_VALUE` and `Double.MIN_VALUE` as Java prints them. */
const DOUBLE_MAX_TEXT = '1.7976931348623157E308';
const DOUBLE_MIN_TEXT = '4.9E-324';

/** A literal value. */
export class ConstantExpression implements Expression {
  constructor(readonly value: JavaValue) {}

  /** A DECIMAL_LITERAL token (`0` or `[1-9][0-9]*` with an optional `l`/`L`). */
  static createFromDecimal(text: string): ConstantExpression {
    const digits = /[lL]$/.test(text) ? text.slice(0, -1) : text;
    if (!/^[+-]?[0-9]+$/.test(digits) || BigInt(digits) > LONG_MAX || BigInt(digits) < -LONG_MAX - 1n) {
      throw new MQFilterException(`java.lang.NumberFormatException: For input string: "${digits}"`);
    }
    const value = BigInt(digits);
    const fitsInt = value >= -0x8000_0000n && value <= 0x7fff_ffffn;
    return new ConstantExpression(fitsInt ? JavaNumber.int(Number(value)) : JavaNumber.long(value));
  }

  /** A FLOATING_POINT_LITERAL token (`5.`, `.5`, `5E10`, `5.5e-3`). */
  static createFloat(text: string): ConstantExpression {
    const value = Number(text);
    if (Number.isNaN(value)) throw new MQFilterException(`java.lang.NumberFormatException: For input string: "${text}"`);
    if (value > Number.MAX_VALUE) throw new MQFilterException(`${text} is greater than ${DOUBLE_MAX_TEXT}`);
    if (value < Number.MIN_VALUE) throw new MQFilterException(`${text} is less than ${DOUBLE_MIN_TEXT}`);
    return new ConstantExpression(JavaNumber.double(value));
  }

  evaluate(context: EvaluationContext): JavaValue {
    void context;
    return this.value;
  }

  /** The literal as it would be written in a selector: `NULL`, `TRUE`, `'it''s'`, `42`, `1.0E10`. */
  toString(): string {
    const value = this.value;
    if (value === null) return 'NULL';
    if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
    if (typeof value === 'string') return ConstantExpression.encodeString(value);
    return value.toString();
  }

  /** Quote a string the way a selector writes it: `it's` becomes `'it''s'`. */
  static encodeString(s: string): string {
    return `'${s.replaceAll("'", "''")}'`;
  }
}

/** `TRUE`, `FALSE` and `NULL`: constants that may stand where a condition is required. */
export class BooleanConstantExpression extends ConstantExpression implements BooleanExpression {
  static readonly NULL = new BooleanConstantExpression(null);
  static readonly TRUE = new BooleanConstantExpression(true);
  static readonly FALSE = new BooleanConstantExpression(false);

  readonly booleanExpression = true;

  constructor(override readonly value: boolean | null) {
    super(value);
  }

  override evaluate(context: EvaluationContext): boolean | null {
    void context;
    return this.value;
  }

  matches(context: EvaluationContext): boolean {
    return this.evaluate(context) === true;
  }
}
