/**
 * FilterSpi: one expression language the broker can filter messages with.
 *
 * A subscription names its language (`expressionType`, e.g. `SQL92`) and the broker asks
 * the `FilterFactory` registry for the matching FilterSpi to compile the
 * subscription's text once, when the consumer registers, rather than per message:
 *
 * ```
 *   HEART_BEAT sub {type: SQL92, "a > 5"} ──► FilterFactory.get('SQL92').compile("a > 5")
 *                                                       │
 *   each pulled message:  compiled.matches(properties) ◄┘
 * ```
 *
 * TAG subscriptions never come here: they are matched by tag hash codes in the consume
 * queue (`ExpressionMessageFilter`).
 *
 * Differences from RocketMQ 4.9.x: none.
 *
 * @mirrors org.apache.rocketmq.filter.FilterSpi
 * @article filtersrv "Compiling a SQL92 selector"
 * @category Filter
 * @module
 */
import type { BooleanExpression } from './expression/expression.js';

/** An expression language: compiles text into a condition over message properties. */
export interface FilterSpi {
  /** Compile `expression`; throws `MQFilterException` when it is not valid in this language. */
  compile(expression: string): BooleanExpression;
  /** The language's name as subscriptions spell it (`ExpressionType`). */
  ofType(): string;
}
