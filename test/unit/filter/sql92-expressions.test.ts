// The SQL92 engine against its behaviour table (sql92-cases.ts, checked row by row against
// RocketMQ 4.9.8's filter module). Goal: a selector means on this broker what it means on
// a Java broker. Method: compile each row; an 'error' row must throw MQFilterException,
// any other row must evaluate to exactly the expected value, and rows where Java's
// evaluate throws must evaluate to null and report the Java exception.
import { describe, expect, it } from 'vitest';
import { MapEvaluationContext } from '../../../src/filter/expression/evaluation-context.js';
import { MQFilterException } from '../../../src/filter/mq-filter-exception.js';
import { compileSql92 } from '../../../src/filter/sql-filter.js';
import { SQL92_CASES } from './sql92-cases.js';

/** `{a: "5", n: Long 5}`: the properties as a row title (JSON cannot print a Long's bigint). */
function describeProps(props: Readonly<Record<string, unknown>>): string {
  const parts = Object.entries(props).map(([k, v]) => `${k}: ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
  return `{${parts.join(', ')}}`;
}

describe('compileSql92 behaviour table', () => {
  it('has at least 100 rows covering every answer', () => {
    expect(SQL92_CASES.length).toBeGreaterThanOrEqual(100);
    for (const answer of [true, false, null, 'error'] as const) {
      expect(SQL92_CASES.some((row) => row.expected === answer)).toBe(true);
    }
  });

  const named = SQL92_CASES.map((row) => ({ ...row, name: `${JSON.stringify(row.expr)} with ${describeProps(row.props)}` }));
  it.each(named)('$name', (row) => {
    const { expr, props } = row;
    if (row.expected === 'error') {
      expect(() => compileSql92(expr)).toThrow(MQFilterException);
      return;
    }
    const selector = compileSql92(expr);
    const context = new MapEvaluationContext(props);
    const result = selector.evaluateWithError(context);
    expect(result.value).toBe(row.expected);
    expect(selector.evaluate(context)).toBe(row.expected);
    expect(selector.matches(context)).toBe(row.expected === true);
    if (row.javaThrows === true) expect(result.error).toMatch(/Exception|illegal/);
    else expect(result.error).toBeUndefined();
  });
});
