// The SQL92 engine against a corpus of answers from RocketMQ 4.9.8's own filter module
// (sql92-java-parity-cases.ts). Goal: the coercion table, null rules, literal limits and
// error cases agree with Java on inputs nobody picked by hand. Method: for each row,
// compile; an 'error' row must throw MQFilterException; otherwise the printed tree must
// equal Java's toString(), and evaluate must give Java's answer ('throw' becomes null
// with the Java exception reported by evaluateWithError).
import { describe, expect, it } from 'vitest';
import { JavaNumber } from '../../../src/filter/expression/java-value.js';
import { MapEvaluationContext } from '../../../src/filter/expression/evaluation-context.js';
import { MQFilterException } from '../../../src/filter/mq-filter-exception.js';
import { compileSql92 } from '../../../src/filter/sql-filter.js';
import { JAVA_PARITY_ROWS, type ParityValue } from './sql92-java-parity-cases.js';

function toValue(value: ParityValue): unknown {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if ('i' in value) return JavaNumber.int(Number(value.i));
  if ('l' in value) return JavaNumber.long(BigInt(value.l));
  return JavaNumber.double(Number(value.d));
}

describe('compileSql92 parity with RocketMQ 4.9.8', () => {
  it('agrees with Java on every row of the corpus', () => {
    const disagreements: string[] = [];
    for (const row of JAVA_PARITY_ROWS) {
      const [selector, properties] = row;
      let compiled;
      try {
        compiled = compileSql92(selector);
      } catch (e) {
        if (!(e instanceof MQFilterException)) throw e;
        if (row[2] !== 'error') disagreements.push(`${JSON.stringify(selector)}: compile error ${e.message}, Java compiled it`);
        continue;
      }
      if (row[2] === 'error') {
        disagreements.push(`${JSON.stringify(selector)}: compiled, Java refused it`);
        continue;
      }
      const context = new MapEvaluationContext(new Map(Object.entries(properties).map(([k, v]) => [k, toValue(v)])));
      const result = compiled.evaluateWithError(context);
      const answer = result.error !== undefined ? 'throw' : result.value;
      if (answer !== row[2]) disagreements.push(`${JSON.stringify(selector)} ${JSON.stringify(properties)}: ${String(answer)}, Java ${String(row[2])}`);
      if (compiled.toString() !== row[3]) disagreements.push(`${JSON.stringify(selector)}: printed ${compiled.toString()}, Java ${row[3]}`);
    }
    expect(disagreements).toEqual([]);
    expect(JAVA_PARITY_ROWS.length).toBe(550);
  });
});
