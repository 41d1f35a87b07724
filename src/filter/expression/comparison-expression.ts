/**
 * ComparisonExpression: `=`, `<>`, `>`, `>=`, `<`, `<=`, BETWEEN, IN and IS [NOT] NULL,
 * built from two node types plus NOT and AND/OR.
 *
 * Only two comparisons are real nodes; the rest are spelled with them, as in Java:
 *
 * ```
 *   a <> b                 NOT (a == b)
 *   a IS NULL              a == NULL            (a null-aware equality, see below)
 *   a IS NOT NULL          NOT (a == NULL)
 *   a BETWEEN x AND y      (a >= x) AND (a <= y)
 *   a NOT BETWEEN x AND y  (a < x) OR (a > y)
 *   a [NOT] IN (...)       UnaryInExpression
 * ```
 *
 * Evaluation, once both sides have values:
 *
 * ```
 *   ==   left null, right not   -> null      (unknown)
 *        left not, right null   -> false     (Java's asymmetry: a = b with b missing is false)
 *        both null              -> true      (this is how IS NULL works)
 *        equal (Java equals)    -> true
 *        else                   -> javaCompare(l, r) == 0   (java-compare.ts; may throw)
 *   > >= < <=
 *        either null            -> null
 *        both strings           -> both through Double.valueOf, else throw
 *                                  ("It's illegal to compare string by ...")
 *        else                   -> javaCompare(l, r) against 0
 * ```
 *
 * Checks made while compiling (each a compile error, as Java's RuntimeExceptions are):
 * ordering operands may not be string, boolean or NULL literals, nor conditions;
 * `=`/`<>` operands may not be the NULL literal; `TRUE = 1` (a boolean literal on the
 * left of a non-boolean literal) is refused; BETWEEN of two literals needs both non-null
 * and low <= high (NOT BETWEEN has no such check); IN needs a property on the left.
 *
 * Differences from RocketMQ 4.9.x: none in behaviour. Java writes each operator as an
 * anonymous subclass; here one class carries the operator.
 *
 * @mirrors org.apache.rocketmq.filter.expression.ComparisonExpression
 * @article filtersrv "How values are compared"
 * @category Filter
 * @module
 */
import { MQFilterException } from '../mq-filter-exception.js';
import { BinaryExpression } from './binary-expression.js';
import { BooleanConstantExpression, ConstantExpression } from './constant-expression.js';
import type { EvaluationContext } from './evaluation-context.js';
import { EvaluationError, isBooleanExpression, type BooleanExpression, type Expression } from './expression.js';
import { javaCompare } from './java-compare.js';
import { isComparable, javaEquals, JavaNumber, javaValueToString, parseJavaDouble, type JavaComparable, type JavaValue } from './java-value.js';
import { LogicExpression } from './logic-expression.js';
import { PropertyExpression } from './property-expression.js';
import { UnaryExpression } from './unary-expression.js';
import { UnaryInExpression } from './unary-in-expression.js';

/** The operators that are nodes of their own. */
export type ComparisonOperator = '==' | '>' | '>=' | '<' | '<=';

/** A two-operand comparison answering true, false or null. */
export class ComparisonExpression extends BinaryExpression implements BooleanExpression {
  readonly booleanExpression = true;

  private constructor(left: Expression, right: Expression, readonly operator: ComparisonOperator) {
    super(left, right);
  }

  get expressionSymbol(): string {
    return this.operator;
  }

  evaluate(context: EvaluationContext): boolean | null {
    return this.operator === '==' ? this.evaluateEqual(context) : this.evaluateOrder(context);
  }

  matches(context: EvaluationContext): boolean {
    return this.evaluate(context) === true;
  }

  private evaluateEqual(context: EvaluationContext): boolean | null {
    const lv = this.left.evaluate(context);
    const rv = this.right.evaluate(context);
    if ((lv === null) !== (rv === null)) return lv === null ? null : false;
    if (lv === null || javaEquals(lv, rv)) return true;
    if (isComparable(lv) && rv !== null && isComparable(rv)) return javaCompare(lv, rv) === 0;
    return false;
  }

  private evaluateOrder(context: EvaluationContext): boolean | null {
    const lv = comparableOrNull(this.left.evaluate(context));
    if (lv === null) return null;
    const rv = comparableOrNull(this.right.evaluate(context));
    if (rv === null) return null;
    if (typeof lv === 'string' && typeof rv === 'string') {
      // Java: two strings are ordered only as numbers.
      const l = parseJavaDouble(lv);
      const r = parseJavaDouble(rv);
      if (l === undefined || r === undefined) {
        throw new EvaluationError(`It's illegal to compare string by '>=', '>', '<', '<='. lv=${lv}, rv=${rv}`);
      }
      return orderHolds(this.operator, JavaNumber.double(l).compareTo(JavaNumber.double(r)));
    }
    return orderHolds(this.operator, javaCompare(lv, rv));
  }

  // -- Factories used by the parser ---------------------------------------------------

  static createBetween(value: Expression, low: Expression, high: Expression): BooleanExpression {
    if (low instanceof ConstantExpression && high instanceof ConstantExpression) {
      const lv = low.value;
      const rv = high.value;
      if (lv === null || rv === null) throw new MQFilterException('Illegal values of between, values can not be null!');
      if (isComparable(lv) && isComparable(rv) && compareWhileCompiling(rv, lv) < 0) {
        throw new MQFilterException(
          `Illegal values of between, left value(${javaValueToString(lv)}) must less than or equal to right value(${javaValueToString(rv)})`,
        );
      }
    }
    return LogicExpression.createAND(
      ComparisonExpression.createGreaterThanEqual(value, low),
      ComparisonExpression.createLessThanEqual(value, high),
    );
  }

  static createNotBetween(value: Expression, low: Expression, high: Expression): BooleanExpression {
    return LogicExpression.createOR(ComparisonExpression.createLessThan(value, low), ComparisonExpression.createGreaterThan(value, high));
  }

  static createInFilter(left: Expression, elements: readonly string[]): BooleanExpression {
    return UnaryInExpression.createInExpression(requireProperty(left), elements, false);
  }

  static createNotInFilter(left: Expression, elements: readonly string[]): BooleanExpression {
    return UnaryInExpression.createInExpression(requireProperty(left), elements, true);
  }

  static createIsNull(left: Expression): BooleanExpression {
    return new ComparisonExpression(left, BooleanConstantExpression.NULL, '==');
  }

  static createIsNotNull(left: Expression): BooleanExpression {
    return UnaryExpression.createNOT(ComparisonExpression.createIsNull(left));
  }

  static createNotEqual(left: Expression, right: Expression): BooleanExpression {
    return UnaryExpression.createNOT(ComparisonExpression.createEqual(left, right));
  }

  static createEqual(left: Expression, right: Expression): BooleanExpression {
    ComparisonExpression.checkEqualOperand(left);
    ComparisonExpression.checkEqualOperand(right);
    if (left instanceof ConstantExpression && right instanceof ConstantExpression && isBooleanExpression(left) && !isBooleanExpression(right)) {
      throw new MQFilterException(`'${left.toString()}' cannot be compared with '${right.toString()}'`);
    }
    return new ComparisonExpression(left, right, '==');
  }

  static createGreaterThan(left: Expression, right: Expression): BooleanExpression {
    return ComparisonExpression.createOrder(left, right, '>');
  }

  static createGreaterThanEqual(left: Expression, right: Expression): BooleanExpression {
    return ComparisonExpression.createOrder(left, right, '>=');
  }

  static createLessThan(left: Expression, right: Expression): BooleanExpression {
    return ComparisonExpression.createOrder(left, right, '<');
  }

  static createLessThanEqual(left: Expression, right: Expression): BooleanExpression {
    return ComparisonExpression.createOrder(left, right, '<=');
  }

  private static createOrder(left: Expression, right: Expression, operator: ComparisonOperator): BooleanExpression {
    ComparisonExpression.checkLessThanOperand(left);
    ComparisonExpression.checkLessThanOperand(right);
    return new ComparisonExpression(left, right, operator);
  }

  /** Only numeric literals and non-conditions may be ordered. */
  static checkLessThanOperand(expression: Expression): void {
    if (expression instanceof ConstantExpression) {
      if (expression.value instanceof JavaNumber) return;
      throw new MQFilterException(`Value '${expression.toString()}' cannot be compared.`);
    }
    if (isBooleanExpression(expression)) throw new MQFilterException(`Value '${expression.toString()}' cannot be compared.`);
  }

  /** `=` and `<>` may not take the NULL literal (write IS NULL). */
  static checkEqualOperand(expression: Expression): void {
    if (expression instanceof ConstantExpression && expression.value === null) {
      throw new MQFilterException(`'${expression.toString()}' cannot be compared.`);
    }
  }
}

/** Java casts an operand of an ordering to `Comparable`; anything else is a ClassCastException. */
function comparableOrNull(value: JavaValue): JavaComparable | null {
  if (value === null || isComparable(value)) return value;
  throw new EvaluationError(`java.lang.ClassCastException: ${value.toString()} is not Comparable`);
}

function orderHolds(operator: ComparisonOperator, answer: number): boolean {
  switch (operator) {
    case '>': return answer > 0;
    case '>=': return answer >= 0;
    case '<': return answer < 0;
    case '<=': return answer <= 0;
    case '==': return answer === 0;
  }
}

/** The BETWEEN literal check compares at compile time; a Java exception there is a compile error. */
function compareWhileCompiling(lv: JavaComparable, rv: JavaComparable): number {
  try {
    return javaCompare(lv, rv);
  } catch (e) {
    if (e instanceof EvaluationError) throw new MQFilterException(e.message);
    throw e;
  }
}

function requireProperty(left: Expression): PropertyExpression {
  if (left instanceof PropertyExpression) return left;
  throw new MQFilterException(`Expected a property for In expression, got: ${left.toString()}`);
}
