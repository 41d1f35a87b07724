/**
 * BinaryExpression: the shape shared by nodes with two operands (comparisons, AND, OR).
 *
 * It holds the operands and prints the node the way Java does, fully parenthesised with
 * the operator symbol in the middle, so a compiled selector shows how it was grouped:
 *
 * ```
 *   a > 5 AND b = 'x' OR c IS NULL   prints   (((a > 5) && (b == 'x')) || (c == NULL))
 * ```
 *
 * Differences from RocketMQ 4.9.x: operands are read-only (Java has setters nobody calls).
 *
 * @mirrors org.apache.rocketmq.filter.expression.BinaryExpression
 * @article filtersrv "The selector grammar"
 * @category Filter
 * @module
 */
import type { EvaluationContext } from './evaluation-context.js';
import type { Expression } from './expression.js';
import type { JavaValue } from './java-value.js';

/** A node with a left and a right operand. */
export abstract class BinaryExpression implements Expression {
  constructor(readonly left: Expression, readonly right: Expression) {}

  /** The operator as Java prints it (`==`, `>`, `&&`, `||`, ...). */
  abstract get expressionSymbol(): string;

  abstract evaluate(context: EvaluationContext): JavaValue;

  toString(): string {
    return `(${this.left.toString()} ${this.expressionSymbol} ${this.right.toString()})`;
  }
}
