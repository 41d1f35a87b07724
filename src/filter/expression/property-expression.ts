/**
 * PropertyExpression: a name in a selector, standing for the message property of that name.
 *
 * `TAGS = 'red' AND region = 'eu'` reads two properties. Names are case-sensitive (only
 * the keywords ignore case), so `Region` and `region` are different properties. A name
 * the message does not have evaluates to `null`, SQL's unknown:
 *
 * ```
 *   properties {TAGS: "red"}     TAGS -> "red"     region -> null
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - A context whose `get` throws is treated like a Java exception during evaluation
 *   (the whole selector answers `null`); Java leaves that to the broker's catch-all.
 *
 * @mirrors org.apache.rocketmq.filter.expression.PropertyExpression
 * @article filtersrv "Evaluating a selector against a message"
 * @category Filter
 * @module
 */
import type { EvaluationContext } from './evaluation-context.js';
import { EvaluationError, type Expression } from './expression.js';
import { safeString, toJavaValue, type JavaValue } from './java-value.js';

/** A property reference. */
export class PropertyExpression implements Expression {
  constructor(readonly name: string) {}

  evaluate(context: EvaluationContext): JavaValue {
    let raw: unknown;
    try {
      raw = context.get(this.name);
    } catch (e) {
      throw new EvaluationError(`reading property ${this.name} failed: ${safeString(e)}`);
    }
    return toJavaValue(raw);
  }

  toString(): string {
    return this.name;
  }
}
