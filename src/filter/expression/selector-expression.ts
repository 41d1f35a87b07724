/**
 * SelectorExpression: a whole compiled selector, the node the parser returns and the only
 * one whose `evaluate` never throws.
 *
 * Inside the tree a Java runtime exception (an unparsable number, say) unwinds every node
 * up to the top, as in Java. On the broker, `ExpressionMessageFilter.isMatchedByCommitLog`
 * catches it, logs it, and treats the message as not matched. This node is that catch:
 *
 * ```
 *   evaluate(ctx)
 *     ├─ tree answers true / false / null   ──► that answer
 *     └─ tree throws EvaluationError        ──► null   (error text kept for evaluateWithError)
 *   matches(ctx)  ==  evaluate(ctx) === true
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - Java has no such node; the catch sits in the broker. Putting it here means no caller
 *   of a compiled selector can forget it.
 * - `evaluateWithError` also reports the swallowed error, for events and tests.
 *
 * @mirrors org.apache.rocketmq.broker.filter.ExpressionMessageFilter#isMatchedByCommitLog
 * @article filtersrv "Evaluating a selector against a message"
 * @category Filter
 * @module
 */
import type { EvaluationContext } from './evaluation-context.js';
import { EvaluationError, type BooleanExpression } from './expression.js';

/** The outcome of one evaluation, with the Java exception text when there was one. */
export interface SelectorResult {
  readonly value: boolean | null;
  readonly error: string | undefined;
}

/** The root of a compiled selector. */
export class SelectorExpression implements BooleanExpression {
  readonly booleanExpression = true;

  constructor(readonly expression: BooleanExpression, readonly source: string) {}

  /** `true`, `false`, or `null` for unknown and for a failed evaluation. Never throws. */
  evaluate(context: EvaluationContext): boolean | null {
    return this.evaluateWithError(context).value;
  }

  /** Like `evaluate`, and says which Java exception made the answer `null`, if any. */
  evaluateWithError(context: EvaluationContext): SelectorResult {
    try {
      return { value: this.expression.evaluate(context), error: undefined };
    } catch (e) {
      if (e instanceof EvaluationError) return { value: null, error: e.message };
      throw e; // anything else is a bug in this module
    }
  }

  /** Whether the message is selected: only an exact `true` selects. */
  matches(context: EvaluationContext): boolean {
    return this.evaluate(context) === true;
  }

  toString(): string {
    return this.expression.toString();
  }
}
