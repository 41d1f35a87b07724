/**
 * SqlFilter: the SQL92 expression language, the one FilterSpi RocketMQ ships.
 *
 * `compileSql92("a > 5 AND TAGS IN ('x', 'y')")` returns the compiled selector; the broker
 * keeps it per (group, topic) and asks it about each message's properties:
 *
 * ```
 *   compiled.matches(new MapEvaluationContext({a: "7", TAGS: "x"}))   // true
 *   compiled.evaluate(new MapEvaluationContext({TAGS: "x"}))          // null: a is missing
 * ```
 *
 * The result never throws when evaluated; a bad expression throws `MQFilterException`
 * when compiled, with the position and the expected tokens (see `selector-parser.ts`).
 *
 * Differences from RocketMQ 4.9.x: `compileSql92` is a plain function next to the class,
 * for callers that do not need the registry.
 *
 * @mirrors org.apache.rocketmq.filter.SqlFilter
 * @article filtersrv "Compiling a SQL92 selector"
 * @category Filter
 * @module
 */
import { ExpressionType } from '../common/protocol/heartbeat/subscription-data.js';
import type { SelectorExpression } from './expression/selector-expression.js';
import type { FilterSpi } from './filter-spi.js';
import { SelectorParser } from './parser/selector-parser.js';

/** Compile a SQL92 selector. Throws `MQFilterException` (with position and expected tokens). */
export function compileSql92(expression: string): SelectorExpression {
  return SelectorParser.parse(expression);
}

/** The SQL92 language for the FilterFactory registry. */
export class SqlFilter implements FilterSpi {
  compile(expression: string): SelectorExpression {
    return compileSql92(expression);
  }

  ofType(): string {
    return ExpressionType.SQL92;
  }
}
