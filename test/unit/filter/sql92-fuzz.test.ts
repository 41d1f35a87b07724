// Fuzzing the SQL92 engine. Goal: bad input never crashes the broker. Method: 2,000 seeded
// random token strings, 2,000 seeded mutations of valid selectors, and random property maps
// full of awkward values. compileSql92 must return a selector or throw MQFilterException,
// never anything else; a compiled selector's evaluate must return true, false or null and
// never throw, whatever the properties hold (even a context whose get() throws).
import { describe, expect, it } from 'vitest';
import type { EvaluationContext } from '../../../src/filter/expression/evaluation-context.js';
import { JavaNumber, JavaObject } from '../../../src/filter/expression/java-value.js';
import type { SelectorExpression } from '../../../src/filter/expression/selector-expression.js';
import { MQFilterException } from '../../../src/filter/mq-filter-exception.js';
import { compileSql92 } from '../../../src/filter/sql-filter.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { SQL92_CASES } from './sql92-cases.js';

const TOKENS = [
  'a', 'b', 'TAGS', 'x1', '$v', '=', '<>', '>', '>=', '<', '<=', '(', ')', ',', '+', '-', 'NOT', 'not', 'AND', 'OR',
  'BETWEEN', 'IN', 'IS', 'NULL', 'TRUE', 'FALSE', "'x'", "'it''s'", "''", '1', '0', '007', '5L', '2147483648',
  '9223372036854775808', '2.5', '.5', '5.', '1E3', '1e-400', '0.0', '--c\n', '--', '/* c */', '/*', "'", '.', '#',
  '!', '\t', '\n', '\r\n', ' ', '\u00e9', '\u{1F600}', '\uD800', '"', ';', '*', '/',
];
const VALID = SQL92_CASES.filter((row) => row.expected !== 'error').map((row) => row.expr);
const VALUES: readonly unknown[] = [
  'x', '', '1', '-1', '5', '5.0', ' 5 ', 'abc', 'true', 'TRUE', 'NaN', 'Infinity', '1e400', '9223372036854775808', "it's",
  0, -0, 1, -1, 5, 2.5, 2 ** 31, 2 ** 53, 2 ** 60, NaN, Infinity, -Infinity, 5n, 2n ** 70n, true, false, null, undefined,
  {}, [], [1], () => 1, Symbol('s'), JavaNumber.long(-(2n ** 63n)), JavaNumber.int(-0x8000_0000), JavaNumber.double(-0),
  new JavaObject('o'), new Date(0), Object.create(null),
];

function randomTokens(random: SeededRandom): string {
  const count = 1 + random.int(12);
  const separator = () => (random.int(3) === 0 ? '' : ' ');
  return Array.from({ length: count }, () => TOKENS[random.int(TOKENS.length)]! + separator()).join('');
}

function mutate(random: SeededRandom, text: string): string {
  const chars = text.split('');
  for (let edits = 1 + random.int(3); edits > 0; edits--) {
    const at = random.int(chars.length + 1);
    const token = TOKENS[random.int(TOKENS.length)]!;
    const op = random.int(3);
    if (op === 0) chars.splice(at, 1);
    else if (op === 1) chars.splice(at, 0, token);
    else chars.splice(at, 1, token);
  }
  return chars.join('');
}

function randomContext(random: SeededRandom): EvaluationContext {
  const map = new Map<string, unknown>();
  for (const name of ['a', 'b', 'TAGS', 'x1', '$v']) {
    if (random.int(4) > 0) map.set(name, VALUES[random.int(VALUES.length)]);
  }
  if (random.int(20) === 0) {
    const thrown = random.int(2) === 0 ? new Error('broken context') : Object.create(null);
    return { get: () => { throw thrown; }, keyValues: () => undefined };
  }
  return { get: (name) => map.get(name), keyValues: () => map };
}

/** Compile; returns the selector, or undefined after checking that the error is an MQFilterException. */
function compileOrRefuse(text: string): SelectorExpression | undefined {
  try {
    return compileSql92(text);
  } catch (e) {
    if (!(e instanceof MQFilterException) || e.message.length === 0) throw new Error(`compileSql92(${JSON.stringify(text)}) threw ${String(e)}`);
    return undefined;
  }
}

function checkEvaluation(random: SeededRandom, selector: SelectorExpression): void {
  for (let i = 0; i < 5; i++) {
    const value = selector.evaluate(randomContext(random));
    if (value !== true && value !== false && value !== null) throw new Error(`${selector.source} evaluated to ${String(value)}`);
  }
  if (typeof selector.toString() !== 'string') throw new Error(`${selector.source} printed no string`);
}

describe('compileSql92 fuzz', () => {
  it('2,000 random token strings: a selector or an MQFilterException, and evaluate never throws', () => {
    const random = new SeededRandom(20240612);
    let compiled = 0;
    for (let i = 0; i < 2000; i++) {
      const selector = compileOrRefuse(randomTokens(random));
      if (selector === undefined) continue;
      compiled++;
      checkEvaluation(random, selector);
    }
    expect(compiled).toBeGreaterThan(50); // the generator does reach the evaluator
  });

  it('2,000 mutations of valid selectors: a selector or an MQFilterException, and evaluate never throws', () => {
    const random = new SeededRandom(7);
    let compiled = 0;
    for (let i = 0; i < 2000; i++) {
      const selector = compileOrRefuse(mutate(random, VALID[random.int(VALID.length)]!));
      if (selector === undefined) continue;
      compiled++;
      checkEvaluation(random, selector);
    }
    expect(compiled).toBeGreaterThan(200);
  });

  it('the valid selectors of the table evaluate without throwing against awkward values', () => {
    const random = new SeededRandom(99);
    for (const text of VALID) checkEvaluation(random, compileSql92(text));
  });
});
