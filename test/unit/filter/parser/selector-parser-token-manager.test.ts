// SelectorParserTokenManager: longest-match tokens, keyword case, literals, comments, and
// JavaCC's line/column rules (tab stops of 8, \r\n as one break, EOF at the last character).
import { describe, expect, it } from 'vitest';
import { MQFilterException } from '../../../../src/filter/mq-filter-exception.js';
import { TOKEN_IMAGE, TokenKind, type Token } from '../../../../src/filter/parser/selector-parser-constants.js';
import { addEscapes, SelectorParserTokenManager } from '../../../../src/filter/parser/selector-parser-token-manager.js';

function tokens(input: string): Token[] {
  const manager = new SelectorParserTokenManager(input);
  const out: Token[] = [];
  for (let token = manager.getNextToken(); ; token = manager.getNextToken()) {
    out.push(token);
    if (token.kind === TokenKind.EOF) return out;
  }
}

/** "KIND:image" for every token but EOF; KIND is the literal for operators, the class name otherwise. */
const lex = (input: string): string[] =>
  tokens(input).filter((t) => t.kind !== TokenKind.EOF).map((t) => `${TOKEN_IMAGE[t.kind].replace(/^"(.*)"$|^<(.*)>$/, '$1$2')}:${t.image}`);

describe('SelectorParserTokenManager.getNextToken()', () => {
  it('reads keywords in any case, and names as written', () => {
    expect(lex('not And OR between In TRUE false Null iS')).toEqual([
      'NOT:not', 'AND:And', 'OR:OR', 'BETWEEN:between', 'IN:In', 'TRUE:TRUE', 'FALSE:false', 'NULL:Null', 'IS:iS',
    ]);
    expect(lex('NOTE isa $x _y a1 TAGS')).toEqual(['ID:NOTE', 'ID:isa', 'ID:$x', 'ID:_y', 'ID:a1', 'ID:TAGS']);
  });

  it('reads operators by longest match', () => {
    expect(lex('= <> > >= < <= ( , ) + -')).toEqual(['=:=', '<>:<>', '>:>', '>=:>=', '<:<', '<=:<=', '(:(', ',:,', '):)', '+:+', '-:-']);
    expect(lex('a<>=b')).toEqual(['ID:a', '<>:<>', '=:=', 'ID:b']);
  });

  it('reads numbers as the .jj defines them, longest match first', () => {
    expect(lex('0 7 123 123L 5l')).toEqual(['DECIMAL_LITERAL:0', 'DECIMAL_LITERAL:7', 'DECIMAL_LITERAL:123', 'DECIMAL_LITERAL:123L', 'DECIMAL_LITERAL:5l']);
    expect(lex('5. .5 5.5 5E10 5e-3 5.E+2 .5e1')).toEqual([
      'FLOATING_POINT_LITERAL:5.', 'FLOATING_POINT_LITERAL:.5', 'FLOATING_POINT_LITERAL:5.5', 'FLOATING_POINT_LITERAL:5E10',
      'FLOATING_POINT_LITERAL:5e-3', 'FLOATING_POINT_LITERAL:5.E+2', 'FLOATING_POINT_LITERAL:.5e1',
    ]);
    expect(lex('007')).toEqual(['DECIMAL_LITERAL:0', 'DECIMAL_LITERAL:0', 'DECIMAL_LITERAL:7']);
    expect(lex('0L')).toEqual(['DECIMAL_LITERAL:0', 'ID:L']);
    expect(lex('5E')).toEqual(['DECIMAL_LITERAL:5', 'ID:E']);
    expect(lex('1.5L')).toEqual(['FLOATING_POINT_LITERAL:1.5', 'ID:L']);
    expect(lex('00.5')).toEqual(['FLOATING_POINT_LITERAL:00.5']);
  });

  it("reads strings with '' as an escaped quote, taking the longest complete string", () => {
    expect(lex("'it''s' '' '''' 'a\nb'")).toEqual(["STRING_LITERAL:'it''s'", "STRING_LITERAL:''", "STRING_LITERAL:''''", "STRING_LITERAL:'a\nb'"]);
    expect(() => tokens("'a'' b")).toThrow('Lexical error at line 1, column 7.  Encountered: <EOF> after : "\\\' b"');
  });

  it('skips white space and both comment forms; "--" needs a line break to be a comment', () => {
    expect(lex(' \t\f\r\n/* x */a/**/--y\nb--z\r\n')).toEqual(['ID:a', 'ID:b']);
    expect(lex('a -- z')).toEqual(['ID:a', '-:-', '-:-', 'ID:z']);
    expect(lex('/***/a/* ** / */')).toEqual(['ID:a']);
  });

  it('numbers lines and columns as JavaCC does: tabs stop at multiples of 8, \\r\\n is one break', () => {
    const at = (input: string) => tokens(input).map((t) => `${t.beginLine}:${t.beginColumn}@${t.offset}`);
    expect(at('a\tb')).toEqual(['1:1@0', '1:9@2', '1:9@3']);
    expect(at('ab\t\tc')).toEqual(['1:1@0', '1:17@4', '1:17@5']);
    expect(at('a\r\nb\rc\nd')).toEqual(['1:1@0', '2:1@3', '3:1@5', '4:1@7', '4:1@8']);
    expect(at('')).toEqual(['1:1@0']);
  });

  it('returns EOF again after the end, at the last character', () => {
    const manager = new SelectorParserTokenManager('a  ');
    expect(manager.getNextToken().kind).toBe(TokenKind.ID);
    const eof = manager.getNextToken();
    expect([eof.kind, eof.beginLine, eof.beginColumn, eof.offset]).toEqual([TokenKind.EOF, 1, 3, 3]);
    expect(manager.getNextToken().kind).toBe(TokenKind.EOF);
  });

  it.each([
    ['#', 'Lexical error at line 1, column 2.  Encountered: <EOF> after : ""'],
    ['# ', 'Lexical error at line 1, column 1.  Encountered: "#" (35), after : ""'],
    ['a !', 'Lexical error at line 1, column 4.  Encountered: <EOF> after : ""'],
    ['.', 'Lexical error at line 1, column 2.  Encountered: <EOF> after : ""'],
    ['.x ', 'Lexical error at line 1, column 2.  Encountered: "x" (120), after : "."'],
    ["'", 'Lexical error at line 1, column 2.  Encountered: <EOF> after : ""'],
    ['/', 'Lexical error at line 1, column 2.  Encountered: <EOF> after : ""'],
    ['/*', 'Lexical error at line 1, column 3.  Encountered: <EOF> after : "/*"'],
    ['\u00e9 ', 'Lexical error at line 1, column 1.  Encountered: "\\u00e9" (233), after : ""'],
    ['a\r\n#b', 'Lexical error at line 2, column 1.  Encountered: "#" (35), after : ""'],
  ])('reports %j as JavaCC does: %s', (input, message) => {
    const run = () => tokens(input);
    expect(run).toThrow(MQFilterException);
    expect(run).toThrow(message);
  });
});

describe('addEscapes', () => {
  it('escapes as JavaCC does for error messages', () => {
    expect(addEscapes('a\tb\n"\'\\\u0000\u0001\u00ff')).toBe('a\\tb\\n\\"\\\'\\\\\\u0001\\u00ff');
  });
});
