// SelectorParser: the tree it builds (checked through Java's toString format, which shows the
// grouping) and the errors it reports. Positions and the lexical messages were compared with
// RocketMQ 4.9.8's generated JavaCC parser on the same inputs; where we differ on purpose
// (two-token lookahead errors, "+" in the expected list, positions of semantic errors) the
// file header of selector-parser.ts says so.
import { describe, expect, it } from 'vitest';
import { MapEvaluationContext } from '../../../../src/filter/expression/evaluation-context.js';
import { MQFilterException } from '../../../../src/filter/mq-filter-exception.js';
import { MAX_NESTING, MAX_TREE_DEPTH, SelectorParser } from '../../../../src/filter/parser/selector-parser.js';

function compileError(expr: string): MQFilterException {
  try {
    SelectorParser.parse(expr);
  } catch (e) {
    if (e instanceof MQFilterException) return e;
    throw e;
  }
  throw new Error(`${expr} compiled`);
}

const UNARY_START = ['"NOT"', '"TRUE"', '"FALSE"', '"NULL"', '<DECIMAL_LITERAL>', '<FLOATING_POINT_LITERAL>', '<STRING_LITERAL>', '<ID>', '"("', '"+"', '"-"'];
const AFTER_OPERAND = ['"NOT"', '"AND"', '"OR"', '"BETWEEN"', '"IN"', '"IS"', '"="', '"<>"', '">"', '">="', '"<"', '"<="', '")"'];

describe('SelectorParser.parse() trees', () => {
  it.each([
    ['a = 1 AND b = 2 OR c = 3', '(((a == 1) && (b == 2)) || (c == 3))'],
    ['a = 1 OR b = 2 AND c = 3', '((a == 1) || ((b == 2) && (c == 3)))'],
    ['a = 1 AND (b = 2 OR c = 3)', '((a == 1) && ((b == 2) || (c == 3)))'],
    ['a <> 1', '(NOT (a == 1))'],
    ['a IS NULL', '(a == NULL)'],
    ['a IS NOT NULL', '(NOT (a == NULL))'],
    ['a BETWEEN 1 AND 2', '((a >= 1) && (a <= 2))'],
    ['a NOT BETWEEN 1 AND 2', '((a < 1) || (a > 2))'],
    ["a IN ('x', 'y')", 'a IN ( x, y )'],
    ["a NOT IN ('x')", 'a NOT IN ( x )'],
    ["a IN ('1','2','3','4','1','5')", 'a IN ( 1, 2, 3, 4, 5 )'],
    ['NOT a = 1', '((NOT a) == 1)'],
    ['a = 1 = TRUE', '((a == 1) == TRUE)'],
    ['a', 'a'],
    ['-a > 5', '((- a) > 5)'],
    ['+a > +5', '(a > 5)'],
    ['a > 5L AND b < 2147483648 AND c < 1.5E10 AND d < .5', '((((a > 5) && (b < 2147483648)) && (c < 1.5E10)) && (d < 0.5))'],
    ["a = 'it''s'", "(a == 'it''s')"],
    ['tRuE Or fAlSe', '(TRUE || FALSE)'],
  ])('%s compiles to %s', (expr, printed) => {
    expect(SelectorParser.parse(expr).toString()).toBe(printed);
  });

  it('skips comments and white space, counting a -- comment only when a line break ends it', () => {
    expect(SelectorParser.parse("/* a */ a /* b */ = --c\n 1 --\r\n").toString()).toBe('(a == 1)');
    expect(SelectorParser.parse('a = --5').toString()).toBe('(a == (- (- 5)))');
  });

  it('stops after the longest selector and ignores the rest, as JavaCC does', () => {
    expect(SelectorParser.parse('a = 1 b = 2').toString()).toBe('(a == 1)');
    expect(SelectorParser.parse('a = 1 ) ( garbage').toString()).toBe('(a == 1)');
    expect(SelectorParser.parse('a = 1 -- comment without a line break').toString()).toBe('(a == 1)');
    // The first token after the selector is still read, so it must be a token.
    expect(compileError('a = 1 #').message).toBe('Lexical error at line 1, column 8.  Encountered: <EOF> after : ""');
    expect(compileError('a = 1 # b').message).toBe('Lexical error at line 1, column 7.  Encountered: "#" (35), after : ""');
  });

  it('keeps a selector and its evaluation apart: the same compiled tree serves every message', () => {
    const selector = SelectorParser.parse("TAGS IN ('a', 'b') AND price > 10");
    expect(selector.matches(new MapEvaluationContext({ TAGS: 'a', price: '11' }))).toBe(true);
    expect(selector.matches(new MapEvaluationContext({ TAGS: 'c', price: '11' }))).toBe(false);
    expect(selector.source).toBe("TAGS IN ('a', 'b') AND price > 10");
  });
});

describe('SelectorParser.parse() syntax errors', () => {
  it('"a >" names the end of input, its position and every token that could start an operand', () => {
    const error = compileError('a >');
    expect(error.message).toBe(`Encountered <EOF> at line 1, column 3. Was expecting one of: ${UNARY_START.join(', ')}`);
    expect(error.position).toEqual({ line: 1, column: 3, offset: 3 });
    expect(error.expected).toEqual(UNARY_START);
  });

  it('"IN ()" fails at the keyword, where an operand must start', () => {
    const error = compileError('IN ()');
    expect(error.message).toBe(`Encountered "IN" at line 1, column 1. Was expecting one of: ${UNARY_START.join(', ')}`);
    expect(error.position).toEqual({ line: 1, column: 1, offset: 0 });
  });

  it('"a IN ()" needs at least one string', () => {
    const error = compileError('a IN ()');
    expect(error.message).toBe('Encountered ")" at line 1, column 7. Was expecting: <STRING_LITERAL>');
    expect(error.expected).toEqual(['<STRING_LITERAL>']);
  });

  it.each([
    ["a IN ('x' 'y')", `Encountered "\\'y\\'" at line 1, column 11. Was expecting one of: ",", ")"`],
    ["a IN ('x',)", 'Encountered ")" at line 1, column 11. Was expecting: <STRING_LITERAL>'],
    ['a IN (1)', 'Encountered "1" at line 1, column 7. Was expecting: <STRING_LITERAL>'],
    ['a BETWEEN 1 OR 2', 'Encountered "OR" at line 1, column 13. Was expecting: "AND"'],
    ['a IS NOT 5', 'Encountered "5" at line 1, column 10. Was expecting: "NULL"'],
    ['a IS 5', 'Encountered "5" at line 1, column 6. Was expecting one of: "NOT", "NULL"'],
    ['a NOT 5', 'Encountered "5" at line 1, column 7. Was expecting one of: "BETWEEN", "IN"'],
    ['(a = 1', `Encountered <EOF> at line 1, column 6. Was expecting one of: ${AFTER_OPERAND.join(', ')}`],
    ['a = 1 AND', `Encountered <EOF> at line 1, column 9. Was expecting one of: ${UNARY_START.join(', ')}`],
    ['', `Encountered <EOF> at line 1, column 1. Was expecting one of: ${UNARY_START.join(', ')}`],
    ['a >\n', `Encountered <EOF> at line 1, column 4. Was expecting one of: ${UNARY_START.join(', ')}`],
    ['\t\ta >', `Encountered <EOF> at line 1, column 19. Was expecting one of: ${UNARY_START.join(', ')}`],
    ['a\r\n\n>', `Encountered <EOF> at line 3, column 1. Was expecting one of: ${UNARY_START.join(', ')}`],
  ])('%j: %s', (expr, message) => {
    expect(compileError(expr).message).toBe(message);
  });
});

describe('SelectorParser.parse() lexical errors', () => {
  it.each([
    ["a = 'x", 'Lexical error at line 1, column 7.  Encountered: <EOF> after : "\\\'x"', { line: 1, column: 7, offset: 6 }],
    ["a = 'x\n", 'Lexical error at line 2, column 0.  Encountered: <EOF> after : "\\\'x\\n"', { line: 2, column: 0, offset: 7 }],
    ['a /x', 'Lexical error at line 1, column 5.  Encountered: <EOF> after : "/x"', { line: 1, column: 5, offset: 4 }],
    ['a /x b', 'Lexical error at line 1, column 4.  Encountered: "x" (120), after : "/"', { line: 1, column: 4, offset: 3 }],
    ['/* open', 'Lexical error at line 1, column 8.  Encountered: <EOF> after : "/* open"', { line: 1, column: 8, offset: 7 }],
    ['a.b = 1', 'Lexical error at line 1, column 3.  Encountered: "b" (98), after : "."', { line: 1, column: 3, offset: 2 }],
    ['a = \u{1F600}', 'Lexical error at line 1, column 5.  Encountered: "\\ud83d" (55357), after : ""', { line: 1, column: 5, offset: 4 }],
    ["it's", 'Lexical error at line 1, column 5.  Encountered: <EOF> after : "\\\'s"', { line: 1, column: 5, offset: 4 }],
  ])('%j: %s', (expr, message, position) => {
    const error = compileError(expr);
    expect(error.message).toBe(message);
    expect(error.position).toEqual(position);
    expect(error.expected).toBeUndefined();
  });
});

describe('SelectorParser.parse() semantic errors', () => {
  it.each([
    ["a > 'x'", "Value ''x'' cannot be compared. (line 1, column 3)"],
    ['a > 1 > 2', "Value '(a > 1)' cannot be compared. (line 1, column 7)"],
    ['a > TRUE', "Value 'TRUE' cannot be compared. (line 1, column 3)"],
    ['a = NULL', "'NULL' cannot be compared. (line 1, column 3)"],
    ['TRUE = 1', "'TRUE' cannot be compared with '1' (line 1, column 6)"],
    ["'x' IN ('x')", "Expected a property for In expression, got: 'x' (line 1, column 5)"],
    ['a BETWEEN 3 AND 1', 'Illegal values of between, left value(3) must less than or equal to right value(1) (line 1, column 3)'],
    ['a BETWEEN NULL AND 1', 'Illegal values of between, values can not be null! (line 1, column 3)'],
    ['5', 'Expression will not result in a boolean value: 5 (line 1, column 1)'],
    ["a = 1 OR 'x'", "Expression will not result in a boolean value: 'x' (line 1, column 7)"],
    ['NOT 5', 'Expression will not result in a boolean value: 5 (line 1, column 1)'],
    ['a > 9223372036854775808', 'java.lang.NumberFormatException: For input string: "9223372036854775808" (line 1, column 5)'],
    ['a > 0.0', '0.0 is less than 4.9E-324 (line 1, column 5)'],
    ['a > 1E400', '1E400 is greater than 1.7976931348623157E308 (line 1, column 5)'],
  ])('%j: %s', (expr, message) => {
    const error = compileError(expr);
    expect(error.message).toBe(message);
    expect(error.expected).toBeUndefined();
  });

  it('limits nesting instead of overflowing the stack', () => {
    const deep = `${'('.repeat(MAX_NESTING + 1)}a${')'.repeat(MAX_NESTING + 1)}`;
    expect(compileError(deep).message).toMatch(/^Expression nested deeper than 256 levels\./);
    expect(SelectorParser.parse(`${'('.repeat(100)}a${')'.repeat(100)}`).toString()).toBe('a');
    const chain = Array.from({ length: MAX_TREE_DEPTH + 5 }, (_, i) => `a = ${i}`).join(' AND ');
    expect(compileError(chain).message).toMatch(/^Expression nested deeper than 1000 levels\./);
    expect(() => SelectorParser.parse(Array.from({ length: 500 }, () => 'a = 1').join(' OR '))).not.toThrow();
  });

  it('refuses a value that is not a string', () => {
    expect(() => SelectorParser.parse(undefined as unknown as string)).toThrow(MQFilterException);
  });
});
