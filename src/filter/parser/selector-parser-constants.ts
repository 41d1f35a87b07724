/**
 * The tokens of the SQL92 selector language: their kinds, how error messages show them,
 * and the token record the lexer produces.
 *
 * The numbering is JavaCC's for `SelectorParser.jj` (kinds 1-7 are white space and
 * comments, which never reach the parser), so a kind here means the same as in Java's
 * `SelectorParserConstants`:
 *
 * ```
 *   0 <EOF>   8 NOT   9 AND   10 OR   11 BETWEEN   12 IN   13 TRUE   14 FALSE   15 NULL   16 IS
 *   17 <DECIMAL_LITERAL>   18 <FLOATING_POINT_LITERAL>   20 <STRING_LITERAL>   21 <ID>
 *   22 "="   23 "<>"   24 ">"   25 ">="   26 "<"   27 "<="   28 "("   29 ","   30 ")"   31 "+"   32 "-"
 * ```
 *
 * Differences from RocketMQ 4.9.x: a token records its character offset too, and not its
 * end position or the special (white-space) tokens before it.
 *
 * @mirrors org.apache.rocketmq.filter.parser.SelectorParserConstants
 * @mirrors org.apache.rocketmq.filter.parser.Token
 * @article filtersrv "The selector grammar"
 * @category Filter
 * @module
 */

/** Token kinds, numbered as JavaCC numbers them. */
export const TokenKind = {
  EOF: 0,
  NOT: 8,
  AND: 9,
  OR: 10,
  BETWEEN: 11,
  IN: 12,
  TRUE: 13,
  FALSE: 14,
  NULL: 15,
  IS: 16,
  DECIMAL_LITERAL: 17,
  FLOATING_POINT_LITERAL: 18,
  STRING_LITERAL: 20,
  ID: 21,
  EQ: 22,
  NE: 23,
  GT: 24,
  GE: 25,
  LT: 26,
  LE: 27,
  LPAREN: 28,
  COMMA: 29,
  RPAREN: 30,
  PLUS: 31,
  MINUS: 32,
} as const;
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

/** How messages name each kind (Java `tokenImage`): keywords and operators quoted, classes in <>. */
export const TOKEN_IMAGE: Readonly<Record<TokenKind, string>> = {
  0: '<EOF>', 8: '"NOT"', 9: '"AND"', 10: '"OR"', 11: '"BETWEEN"', 12: '"IN"', 13: '"TRUE"', 14: '"FALSE"',
  15: '"NULL"', 16: '"IS"', 17: '<DECIMAL_LITERAL>', 18: '<FLOATING_POINT_LITERAL>', 20: '<STRING_LITERAL>',
  21: '<ID>', 22: '"="', 23: '"<>"', 24: '">"', 25: '">="', 26: '"<"', 27: '"<="', 28: '"("', 29: '","',
  30: '")"', 31: '"+"', 32: '"-"',
};

/** The keywords, upper-cased; they match in any case (`and`, `And`, `AND`). */
export const KEYWORDS: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  ['NOT', TokenKind.NOT], ['AND', TokenKind.AND], ['OR', TokenKind.OR], ['BETWEEN', TokenKind.BETWEEN],
  ['IN', TokenKind.IN], ['TRUE', TokenKind.TRUE], ['FALSE', TokenKind.FALSE], ['NULL', TokenKind.NULL],
  ['IS', TokenKind.IS],
]);

/** One token of the input. */
export interface Token {
  readonly kind: TokenKind;
  /** The text as written (`and`, `'it''s'`, `5L`); empty for EOF. */
  readonly image: string;
  /** 1-based line and JavaCC column of the first character. */
  readonly beginLine: number;
  readonly beginColumn: number;
  /** 0-based index of the first character. */
  readonly offset: number;
}
