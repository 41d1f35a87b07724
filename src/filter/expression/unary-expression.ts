/**
 * UnaryExpression: the nodes with one operand: negation (`-a`), NOT, and the boolean
 * cast the parser puts around a bare property name used as a condition.
 *
 * ```
 *   node            operand value        result
 *   - (NEGATE)      Integer 5            Integer -5 (Java int arithmetic: -MIN_VALUE stays MIN_VALUE)
 *                   Long, Double         the negated Long or Double
 *                   string, boolean      null (only numbers negate)
 *   NOT             true / false / null  false / true / null
 *   (cast)          Boolean              itself
 *                   null                 null
 *                   anything else        false   (so `WHERE flag` with flag = "true" is false:
 *                                                 properties are strings, never Booleans)
 * ```
 *
 * The grammar gives NOT a very high precedence, higher than `=`: `NOT a = 1` is
 * `(NOT a) = 1`, which compares a boolean with a number and is never true. Write
 * `NOT (a = 1)`. This is the grammar RocketMQ inherited from ActiveMQ; we keep it.
 *
 * Differences from RocketMQ 4.9.x:
 * - `createInExpression` lives on `UnaryInExpression` (a subclass here, so it cannot sit
 *   in this file without a circular import).
 * - `BigDecimal` negation (an ActiveMQ leftover no RocketMQ literal produces) is left out.
 *
 * @mirrors org.apache.rocketmq.filter.expression.UnaryExpression
 * @mirrors org.apache.rocketmq.filter.constant.UnaryType
 * @article filtersrv "The selector grammar"
 * @category Filter
 * @module
 */
import type { EvaluationContext } from './evaluation-context.js';
import type { BooleanExpression, Expression } from './expression.js';
import { JavaNumber, type JavaValue } from './java-value.js';

/** Java `UnaryType`: which unary operation a node performs. */
export const UnaryType = { NEGATE: 'NEGATE', IN: 'IN', NOT: 'NOT', BOOLEANCAST: 'BOOLEANCAST', LIKE: 'LIKE' } as const;
export type UnaryType = (typeof UnaryType)[keyof typeof UnaryType];

/** A node with one operand (`right`, as Java names it). */
export abstract class UnaryExpression implements Expression {
  constructor(readonly right: Expression, readonly unaryType: UnaryType) {}

  /** The operator as Java prints it (`-`, `NOT`, `IN`, ...). */
  abstract get expressionSymbol(): string;

  abstract evaluate(context: EvaluationContext): JavaValue;

  toString(): string {
    return `(${this.expressionSymbol} ${this.right.toString()})`;
  }

  /** `-operand`. */
  static createNegate(operand: Expression): Expression {
    return new NegateExpression(operand);
  }

  /** `NOT condition`. */
  static createNOT(operand: BooleanExpression): BooleanExpression {
    return new NotExpression(operand);
  }

  /** A property used as a condition: true only when its value is the Boolean `true`. */
  static createBooleanCast(operand: Expression): BooleanExpression {
    return new BooleanCastExpression(operand);
  }
}

/** Java `-x` on a boxed number, with Java's overflow rules. */
function negate(value: JavaNumber): JavaNumber {
  switch (value.type) {
    case 'Integer':
      return JavaNumber.int(-(value.value as number) | 0);
    case 'Long':
      return JavaNumber.long(BigInt.asIntN(64, -(value.value as bigint)));
    case 'Double':
      return JavaNumber.double(-(value.value as number));
  }
}

class NegateExpression extends UnaryExpression {
  constructor(operand: Expression) {
    super(operand, UnaryType.NEGATE);
  }

  get expressionSymbol(): string {
    return '-';
  }

  evaluate(context: EvaluationContext): JavaValue {
    const value = this.right.evaluate(context);
    return value instanceof JavaNumber ? negate(value) : null;
  }
}

abstract class BooleanUnaryExpression extends UnaryExpression implements BooleanExpression {
  readonly booleanExpression = true;

  abstract override evaluate(context: EvaluationContext): boolean | null;

  matches(context: EvaluationContext): boolean {
    return this.evaluate(context) === true;
  }
}

class NotExpression extends BooleanUnaryExpression {
  constructor(private readonly operand: BooleanExpression) {
    super(operand, UnaryType.NOT);
  }

  get expressionSymbol(): string {
    return 'NOT';
  }

  evaluate(context: EvaluationContext): boolean | null {
    const value = this.operand.evaluate(context);
    return value === null ? null : !value;
  }
}

class BooleanCastExpression extends BooleanUnaryExpression {
  constructor(operand: Expression) {
    super(operand, UnaryType.BOOLEANCAST);
  }

  get expressionSymbol(): string {
    return '';
  }

  evaluate(context: EvaluationContext): boolean | null {
    const value = this.right.evaluate(context);
    if (value === null) return null;
    return typeof value === 'boolean' ? value : false;
  }

  /** Java prints the cast as its operand alone. */
  override toString(): string {
    return this.right.toString();
  }
}
