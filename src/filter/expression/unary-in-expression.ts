/**
 * UnaryInExpression: `prop IN ('a', 'b')` and `prop NOT IN ('a', 'b')`.
 *
 * The list holds string literals only (the grammar allows nothing else) and the left side
 * must be a property name. The test is exact string membership:
 *
 * ```
 *   value of prop        IN ('a','b')     NOT IN ('a','b')
 *   "a"                  true             false
 *   "c"                  false            true
 *   missing (null)       null             null
 *   not a string         null             null     (only from typed contexts; broker values are strings)
 * ```
 *
 * So `NOT IN` does not select messages that lack the property, just as `<>` does not.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java keeps a list below 5 elements and a `HashSet` from 5 up, which changes only
 *   `toString()`: duplicates disappear and the order becomes hash order. We always test
 *   with a `Set`, print the list below 5 elements and the de-duplicated list (in source
 *   order) from 5 up.
 * - `createInExpression` is a static of this class (in Java it is on `UnaryExpression`).
 *
 * @mirrors org.apache.rocketmq.filter.expression.UnaryInExpression
 * @mirrors org.apache.rocketmq.filter.expression.UnaryExpression#createInExpression
 * @article filtersrv "The selector grammar"
 * @category Filter
 * @module
 */
import type { EvaluationContext } from './evaluation-context.js';
import type { BooleanExpression } from './expression.js';
import type { PropertyExpression } from './property-expression.js';
import { UnaryExpression, UnaryType } from './unary-expression.js';

/** Java switches from a list to a HashSet at this many elements. */
const HASH_SET_THRESHOLD = 5;

/** Membership of a property's value in a list of strings. */
export class UnaryInExpression extends UnaryExpression implements BooleanExpression {
  readonly booleanExpression = true;
  private readonly inSet: ReadonlySet<string>;

  private constructor(right: PropertyExpression, readonly inList: readonly string[], readonly not: boolean) {
    super(right, UnaryType.IN);
    this.inSet = new Set(inList);
  }

  static createInExpression(right: PropertyExpression, elements: readonly string[], not: boolean): BooleanExpression {
    return new UnaryInExpression(right, [...elements], not);
  }

  get expressionSymbol(): string {
    return this.not ? 'NOT IN' : 'IN';
  }

  evaluate(context: EvaluationContext): boolean | null {
    const value = this.right.evaluate(context);
    if (typeof value !== 'string') return null;
    return this.inSet.has(value) !== this.not;
  }

  matches(context: EvaluationContext): boolean {
    return this.evaluate(context) === true;
  }

  /** Java's format: `a IN ( x, y )`, the strings unquoted. */
  override toString(): string {
    const shown = this.inList.length < HASH_SET_THRESHOLD ? this.inList : [...this.inSet];
    return `${this.right.toString()} ${this.expressionSymbol} ( ${shown.join(', ')} )`;
  }
}
