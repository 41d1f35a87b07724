/**
 * Expression: one node of a compiled SQL92 selector, and the two ideas every node shares.
 *
 * The parser turns `a > 5 AND b IS NULL` into a small tree of nodes. Evaluating the root
 * evaluates its children first, like a calculator:
 *
 * ```
 *              (&&)                 LogicExpression            -> true / false / null
 *            /      \
 *        (a > 5)   (b == NULL)      ComparisonExpression       -> true / false / null
 *        /    \     /     \
 *       a      5   b      NULL      PropertyExpression, ConstantExpression -> a value
 * ```
 *
 * A node whose result is always `true`, `false` or `null` is a {@link BooleanExpression}.
 * The parser insists on one wherever a condition is required (the operands of AND, OR
 * and NOT, and the whole selector); a bare property name is accepted there too and
 * wrapped in a boolean cast. SQL's three-valued logic uses `null` for "unknown", which
 * is what a comparison with a missing property gives.
 *
 * Evaluating may hit a Java runtime exception: `a = 5` when `a` is `"abc"` makes Java's
 * `Integer.valueOf("abc")` throw. Java lets that exception fly out of the whole
 * expression, and the broker's caller catches it and treats the message as not matched.
 * Inner nodes here throw an {@link EvaluationError} the same way, so one failing
 * comparison spoils the whole selector exactly as in Java (`x OR <error>` is not `x`);
 * the root node the parser returns (`SelectorExpression`) catches it and answers `null`.
 *
 * Differences from RocketMQ 4.9.x:
 * - `BooleanExpression` is recognised by a `booleanExpression: true` marker instead of
 *   `instanceof`, because TypeScript interfaces leave nothing to test at run time.
 * - Java's `RuntimeException`s inside `evaluate` are one type here, `EvaluationError`.
 *
 * @mirrors org.apache.rocketmq.filter.expression.Expression
 * @mirrors org.apache.rocketmq.filter.expression.BooleanExpression
 * @article filtersrv "Evaluating a selector against a message"
 * @category Filter
 * @module
 */
import type { EvaluationContext } from './evaluation-context.js';
import type { JavaValue } from './java-value.js';

/** A node of a compiled selector. */
export interface Expression {
  /** The node's value for one message: a Java-typed value (see `java-value.ts`). */
  evaluate(context: EvaluationContext): JavaValue;
  /** The node written back as text, in Java's format (e.g. `((a > 5) && (b == NULL))`). */
  toString(): string;
}

/** A node whose value is always `true`, `false` or `null` (unknown). */
export interface BooleanExpression extends Expression {
  readonly booleanExpression: true;
  evaluate(context: EvaluationContext): boolean | null;
  /** Java `matches`: the value is exactly `true`. */
  matches(context: EvaluationContext): boolean;
}

/** Java `instanceof BooleanExpression`. */
export function isBooleanExpression(expression: Expression): expression is BooleanExpression {
  return (expression as Partial<BooleanExpression>).booleanExpression === true;
}

/**
 * A Java runtime exception raised while evaluating (a `NumberFormatException`, a
 * `ClassCastException`, ...). It unwinds the whole selector, as in Java, and the root
 * node turns it into `null`. Never seen outside `src/filter/`.
 */
export class EvaluationError extends Error {
  override readonly name = 'EvaluationError';
}
