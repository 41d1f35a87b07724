/**
 * LogicExpression: AND and OR, with SQL's three-valued logic.
 *
 * A comparison with a missing property is neither true nor false but unknown (`null`).
 * AND and OR combine unknowns the SQL way, and they stop early when the left side
 * already decides the answer (the right side is then not evaluated at all):
 *
 * ```
 *   AND     | true   false  null          OR      | true   false  null
 *   --------+---------------------        --------+---------------------
 *   true    | true   false  null          true    | true   true   true
 *   false   | false  false  false         false   | true   false  null
 *   null    | null   false  null          null    | true   null   null
 * ```
 *
 * Only `true` selects a message, so `a = 1 OR b = 2` with `a` missing and `b = 2` is
 * selected, but with `a` missing and `b = 3` it is `null` and skipped.
 *
 * Differences from RocketMQ 4.9.x: none.
 *
 * @mirrors org.apache.rocketmq.filter.expression.LogicExpression
 * @article filtersrv "Evaluating a selector against a message"
 * @category Filter
 * @module
 */
import { BinaryExpression } from './binary-expression.js';
import type { EvaluationContext } from './evaluation-context.js';
import type { BooleanExpression } from './expression.js';

/** AND or OR of two conditions. */
export class LogicExpression extends BinaryExpression implements BooleanExpression {
  readonly booleanExpression = true;

  private constructor(override readonly left: BooleanExpression, override readonly right: BooleanExpression, readonly operator: 'AND' | 'OR') {
    super(left, right);
  }

  static createOR(left: BooleanExpression, right: BooleanExpression): BooleanExpression {
    return new LogicExpression(left, right, 'OR');
  }

  static createAND(left: BooleanExpression, right: BooleanExpression): BooleanExpression {
    return new LogicExpression(left, right, 'AND');
  }

  get expressionSymbol(): string {
    return this.operator === 'AND' ? '&&' : '||';
  }

  evaluate(context: EvaluationContext): boolean | null {
    // The value that decides the answer on its own: false for AND, true for OR.
    const decisive = this.operator === 'OR';
    const lv = this.left.evaluate(context);
    if (lv === decisive) return decisive;
    const rv = this.right.evaluate(context);
    if (rv === decisive) return decisive;
    if (lv === null || rv === null) return null;
    return !decisive;
  }

  matches(context: EvaluationContext): boolean {
    return this.evaluate(context) === true;
  }
}
