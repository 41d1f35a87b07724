/**
 * SelectorParser: turns the text of a SQL92 selector into a tree of expression nodes.
 *
 * A hand-written recursive-descent parser for the grammar of RocketMQ's
 * `SelectorParser.jj`: one method per grammar rule, each calling the rule that binds
 * tighter, so the call stack mirrors the precedence ladder (loosest first):
 *
 * ```
 *   jmsSelector   := orExpression                          (must be a condition)
 *   orExpression  := andExpression ( OR andExpression )*
 *   andExpression := equalityExpression ( AND equalityExpression )*
 *   equalityExpr  := comparisonExpr ( "=" comparisonExpr | "<>" comparisonExpr
 *                                   | IS NULL | IS NOT NULL )*
 *   comparisonExpr:= unaryExpr ( (">" | ">=" | "<" | "<=") unaryExpr
 *                              | [NOT] BETWEEN unaryExpr AND unaryExpr
 *                              | [NOT] IN "(" STRING ( "," STRING )* ")" )*
 *   unaryExpr     := "+" unaryExpr | "-" unaryExpr | NOT unaryExpr | primaryExpr
 *   primaryExpr   := literal | ID | "(" orExpression ")"
 *   literal       := STRING | DECIMAL | FLOAT | TRUE | FALSE | NULL
 * ```
 *
 * There is no arithmetic (RocketMQ removed ActiveMQ's `+ - * /` between operands); only
 * unary plus and minus remain. Three properties of this grammar surprise people; all are
 * Java's and kept on purpose, so a selector means the same on both brokers:
 * - NOT binds tighter than `=`: `NOT a = 1` is `(NOT a) = 1` (never true). Use parentheses.
 * - Comparisons chain: `a = 1 = TRUE` is `(a = 1) = TRUE`; `a > 1 > 2` is refused
 *   (a condition cannot be ordered).
 * - The parser stops after the longest selector it can read and ignores what follows:
 *   `a = 1 b = 2` compiles to `a = 1`, and so does `a = 1 )`. Only the first token
 *   after the selector is read, so it must still be a valid token (`a = 1 #` fails).
 *
 * A syntax error names the token where parsing stopped and every token that would have
 * been accepted there (JavaCC's "Was expecting one of"), collected from each choice
 * the parser tried at that token:
 *
 * ```
 *   "a >"        Encountered <EOF> at line 1, column 3. Was expecting one of:
 *                "NOT", "TRUE", "FALSE", "NULL", <DECIMAL_LITERAL>, ... "(", "+", "-"
 *   "a IN ()"    Encountered ")" at line 1, column 7. Was expecting: <STRING_LITERAL>
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - Where JavaCC looks two tokens ahead (`NOT BETWEEN`, `NOT IN`, `IS NULL`) and fails,
 *   the error is reported at the second token (`a NOT x`: at `x`, expecting BETWEEN or
 *   IN); JavaCC reports the first and lists token pairs.
 * - The expected list includes `"+"` where an operand may start; JavaCC leaves it out
 *   (its lookahead for unary plus records nothing) although `+` is accepted there.
 * - Semantic errors (`a > 'x'`) carry the position of their operator.
 * - Nesting is limited (256 levels of parentheses and unary operators, a tree about
 *   1000 levels deep) so that compiling and evaluating cannot overflow the stack; Java
 *   has no limit and fails later with a StackOverflowError.
 * - No parse cache (Java keeps the last 100 results): compiling is cheap.
 *
 * @mirrors org.apache.rocketmq.filter.parser.SelectorParser
 * @article filtersrv "The selector grammar"
 * @category Filter
 * @module
 */
import { BooleanConstantExpression, ConstantExpression } from '../expression/constant-expression.js';
import { ComparisonExpression } from '../expression/comparison-expression.js';
import { isBooleanExpression, type BooleanExpression, type Expression } from '../expression/expression.js';
import { LogicExpression } from '../expression/logic-expression.js';
import { PropertyExpression } from '../expression/property-expression.js';
import { SelectorExpression } from '../expression/selector-expression.js';
import { UnaryExpression } from '../expression/unary-expression.js';
import { MQFilterException } from '../mq-filter-exception.js';
import { TOKEN_IMAGE, TokenKind, type Token } from './selector-parser-constants.js';
import { addEscapes, SelectorParserTokenManager } from './selector-parser-token-manager.js';

/** Parentheses plus unary operators, nested. */
export const MAX_NESTING = 256;
/** Levels of the expression tree (long AND/OR chains grow it one level per operator). */
export const MAX_TREE_DEPTH = 1000;

const K = TokenKind;
const PRIMARY_START: readonly TokenKind[] = [K.TRUE, K.FALSE, K.NULL, K.DECIMAL_LITERAL, K.FLOATING_POINT_LITERAL, K.STRING_LITERAL, K.ID, K.LPAREN];
const COMPARISON_LOOP: readonly TokenKind[] = [K.NOT, K.BETWEEN, K.IN, K.GT, K.GE, K.LT, K.LE];

/** One parse of one selector; use {@link SelectorParser.parse}. */
export class SelectorParser {
  private readonly tokenManager: SelectorParserTokenManager;
  private readonly tokens: Token[] = [];
  private index = 0;
  /** The kinds tried and not found at token `expectedIndex`, for the error message. */
  private expectedIndex = -1;
  private readonly expected = new Set<TokenKind>();
  private nesting = 0;
  private readonly depths = new WeakMap<Expression, number>();

  private constructor(private readonly sql: string) {
    this.tokenManager = new SelectorParserTokenManager(sql);
  }

  /** Compile `sql`; throws {@link MQFilterException} with a position on any error. */
  static parse(sql: string): SelectorExpression {
    if (typeof sql !== 'string') throw new MQFilterException(`Invalid MessageSelector: expected a string, got ${typeof sql}`);
    return new SelectorParser(sql).jmsSelector();
  }

  // -- Grammar rules, loosest first --------------------------------------------------

  private jmsSelector(): SelectorExpression {
    const first = this.peek();
    const left = this.orExpression();
    return this.build(first, [left], () => new SelectorExpression(this.asBooleanExpression(left), this.sql));
  }

  private orExpression(): Expression {
    let left = this.andExpression();
    while (this.at(K.OR)) {
      const op = this.take();
      const l = left;
      const r = this.andExpression();
      left = this.build(op, [l, r], () => LogicExpression.createOR(this.asBooleanExpression(l), this.asBooleanExpression(r)));
    }
    return left;
  }

  private andExpression(): Expression {
    let left = this.equalityExpression();
    while (this.at(K.AND)) {
      const op = this.take();
      const l = left;
      const r = this.equalityExpression();
      left = this.build(op, [l, r], () => LogicExpression.createAND(this.asBooleanExpression(l), this.asBooleanExpression(r)));
    }
    return left;
  }

  private equalityExpression(): Expression {
    let left = this.comparisonExpression();
    for (;;) {
      const l = left;
      if (this.at(K.EQ) || this.at(K.NE)) {
        const op = this.take();
        const r = this.comparisonExpression();
        const create = op.kind === K.EQ ? ComparisonExpression.createEqual : ComparisonExpression.createNotEqual;
        left = this.build(op, [l, r], () => create(l, r));
      } else if (this.at(K.IS)) {
        const op = this.take();
        if (this.at(K.NULL)) {
          this.take();
          left = this.build(op, [l], () => ComparisonExpression.createIsNull(l));
        } else {
          this.consume(K.NOT);
          this.consume(K.NULL);
          left = this.build(op, [l], () => ComparisonExpression.createIsNotNull(l));
        }
      } else {
        return left;
      }
    }
  }

  private comparisonExpression(): Expression {
    let left = this.unaryExpr();
    for (;;) {
      const l = left;
      const kind = this.peek().kind;
      if (kind === K.GT || kind === K.GE || kind === K.LT || kind === K.LE) {
        const op = this.take();
        const r = this.unaryExpr();
        left = this.build(op, [l, r], () => createOrder(kind, l, r));
      } else if (kind === K.BETWEEN || kind === K.IN) {
        left = this.betweenOrIn(this.take(), l, false);
      } else if (kind === K.NOT) {
        this.take();
        if (!this.at(K.BETWEEN) && !this.at(K.IN)) throw this.syntaxError();
        left = this.betweenOrIn(this.take(), l, true);
      } else {
        this.note(COMPARISON_LOOP);
        return left;
      }
    }
  }

  /** The rest of `[NOT] BETWEEN low AND high` or `[NOT] IN (...)`, after the keyword `op`. */
  private betweenOrIn(op: Token, left: Expression, not: boolean): Expression {
    if (op.kind === K.IN) {
      const list = this.stringList();
      return this.build(op, [left], () => (not ? ComparisonExpression.createNotInFilter(left, list) : ComparisonExpression.createInFilter(left, list)));
    }
    const low = this.unaryExpr();
    this.consume(K.AND);
    const high = this.unaryExpr();
    const create = not ? ComparisonExpression.createNotBetween : ComparisonExpression.createBetween;
    return this.build(op, [left, low, high], () => create(left, low, high), 2);
  }

  private unaryExpr(): Expression {
    if (this.nesting >= MAX_NESTING) throw located(`Expression nested deeper than ${MAX_NESTING} levels.`, this.peek());
    this.nesting++;
    try {
      if (this.at(K.PLUS)) {
        this.take();
        return this.unaryExpr(); // unary plus changes nothing, not even the node
      }
      if (this.at(K.MINUS) || this.at(K.NOT)) {
        const op = this.take();
        const operand = this.unaryExpr();
        return this.build(op, [operand], () =>
          op.kind === K.MINUS ? UnaryExpression.createNegate(operand) : UnaryExpression.createNOT(this.asBooleanExpression(operand)));
      }
      return this.primaryExpr();
    } finally {
      this.nesting--;
    }
  }

  private primaryExpr(): Expression {
    const token = this.peek();
    switch (token.kind) {
      case K.STRING_LITERAL:
        return new ConstantExpression(this.stringLiteral());
      case K.DECIMAL_LITERAL:
        return this.build(this.take(), [], () => ConstantExpression.createFromDecimal(token.image));
      case K.FLOATING_POINT_LITERAL:
        return this.build(this.take(), [], () => ConstantExpression.createFloat(token.image));
      case K.TRUE:
      case K.FALSE:
      case K.NULL:
        this.take();
        return token.kind === K.TRUE ? BooleanConstantExpression.TRUE : token.kind === K.FALSE ? BooleanConstantExpression.FALSE : BooleanConstantExpression.NULL;
      case K.ID:
        return new PropertyExpression(this.take().image);
      case K.LPAREN: {
        this.take();
        const inner = this.orExpression();
        this.consume(K.RPAREN);
        return inner;
      }
      default:
        this.note(PRIMARY_START);
        throw this.syntaxError();
    }
  }

  /** `"(" STRING ( "," STRING )* ")"`. */
  private stringList(): string[] {
    this.consume(K.LPAREN);
    const list = [this.stringLiteral()];
    while (this.at(K.COMMA)) {
      this.take();
      list.push(this.stringLiteral());
    }
    this.consume(K.RPAREN);
    return list;
  }

  /** Decode a string literal: drop the outer quotes, `''` stands for one quote. */
  private stringLiteral(): string {
    const image = this.consume(K.STRING_LITERAL).image;
    let out = '';
    for (let i = 1; i < image.length - 1; i++) {
      if (image[i] === "'") i++; // the first quote of a doubled pair; keep the second
      out += image[i]!;
    }
    return out;
  }

  /** A condition stands here: a condition node, or a property wrapped in a boolean cast. */
  private asBooleanExpression(value: Expression): BooleanExpression {
    if (isBooleanExpression(value)) return value;
    if (value instanceof PropertyExpression) return UnaryExpression.createBooleanCast(value);
    throw new MQFilterException(`Expression will not result in a boolean value: ${value.toString()}`);
  }

  // -- Tokens -------------------------------------------------------------------------

  /** The next token, read from the lexer on first use. */
  private peek(): Token {
    while (this.tokens.length <= this.index) this.tokens.push(this.tokenManager.getNextToken());
    return this.tokens[this.index]!;
  }

  /** Is the next token of `kind`? When not, `kind` joins the expected set for this position. */
  private at(kind: TokenKind): boolean {
    if (this.peek().kind === kind) return true;
    this.note([kind]);
    return false;
  }

  private take(): Token {
    const token = this.peek();
    this.index++;
    return token;
  }

  private consume(kind: TokenKind): Token {
    if (!this.at(kind)) throw this.syntaxError();
    return this.take();
  }

  private note(kinds: readonly TokenKind[]): void {
    if (this.expectedIndex !== this.index) {
      this.expectedIndex = this.index;
      this.expected.clear();
    }
    for (const kind of kinds) this.expected.add(kind);
  }

  /** The next token cannot be parsed: name it, and what was expected instead. */
  private syntaxError(): MQFilterException {
    const token = this.peek();
    const expected = this.expectedIndex === this.index ? [...this.expected].sort((a, b) => a - b).map((k) => TOKEN_IMAGE[k]) : [];
    const found = token.kind === K.EOF ? TOKEN_IMAGE[K.EOF] : `"${addEscapes(token.image)}"`;
    const wanted = expected.length === 1 ? `Was expecting: ${expected[0]!}` : `Was expecting one of: ${expected.join(', ')}`;
    return new MQFilterException(`Encountered ${found} at line ${token.beginLine}, column ${token.beginColumn}. ${wanted}`, {
      position: positionOf(token),
      expected,
    });
  }

  /**
   * Run a node factory for the operator `at`: a refusal (Java's RuntimeException while
   * building) gets the operator's position, and the tree may not grow too deep.
   */
  private build<T extends Expression>(at: Token, children: readonly Expression[], create: () => T, levels = 1): T {
    let node: T;
    try {
      node = create();
    } catch (e) {
      if (e instanceof MQFilterException && e.position === undefined) throw located(e.message, at);
      throw e;
    }
    const depth = levels + Math.max(0, ...children.map((c) => this.depths.get(c) ?? 1));
    if (depth > MAX_TREE_DEPTH) throw located(`Expression nested deeper than ${MAX_TREE_DEPTH} levels.`, at);
    this.depths.set(node, depth);
    return node;
  }
}

function createOrder(kind: TokenKind, l: Expression, r: Expression): BooleanExpression {
  if (kind === K.GT) return ComparisonExpression.createGreaterThan(l, r);
  if (kind === K.GE) return ComparisonExpression.createGreaterThanEqual(l, r);
  if (kind === K.LT) return ComparisonExpression.createLessThan(l, r);
  return ComparisonExpression.createLessThanEqual(l, r);
}

function positionOf(token: Token): { line: number; column: number; offset: number } {
  return { line: token.beginLine, column: token.beginColumn, offset: token.offset };
}

/** A refusal tied to a token: the message gets "(line L, column C)". */
function located(message: string, token: Token): MQFilterException {
  return new MQFilterException(`${message} (line ${token.beginLine}, column ${token.beginColumn})`, { position: positionOf(token) });
}
