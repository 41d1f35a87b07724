/**
 * SelectorParserTokenManager: the lexer of the SQL92 selector language. It cuts the text
 * into tokens, one at a time, when the parser asks for the next one.
 *
 * The rules are those of `SelectorParser.jj` (a JavaCC grammar), applied the JavaCC way:
 * at each point take the *longest* text that forms a token; on a tie a keyword beats a
 * name. Then:
 *
 * ```
 *   skipped      " " \t \n \r \f ;  "--" up to AND INCLUDING a line break ;  "/*" ... "*\/"
 *   keywords     NOT AND OR BETWEEN IN TRUE FALSE NULL IS         (any case)
 *   names (ID)   [a-zA-Z_$][a-zA-Z0-9_$]*                           (no dots; case kept)
 *   DECIMAL      0  |  [1-9][0-9]* [lL]?                            ("007" is three tokens 0 0 7)
 *   FLOAT        [0-9]+ "." [0-9]* EXP?  |  "." [0-9]+ EXP?  |  [0-9]+ EXP      EXP = [eE][+-]?[0-9]+
 *   STRING       ' ( '' | any char but ' )* '                        ('it''s' is it's)
 *   operators    =  <>  >  >=  <  <=  (  ,  )  +  -
 * ```
 *
 * Longest match has visible effects: `5E` is `5` then the name `E`; `1.5L` is `1.5` then
 * `L`; `'a'' b` is the string `a` and then an unterminated string. A `--` comment needs a
 * line break to end it: at the very end of the text `-- note` is two minus signs and a
 * name (which the parser usually ignores, see `selector-parser.ts`).
 *
 * Positions are counted as JavaCC's `SimpleCharStream` counts them: lines from 1, columns
 * from 1, `\r\n` is one break, and a tab moves the column to the next multiple of 8. The
 * end of input is reported at the last character of the text.
 *
 * Differences from RocketMQ 4.9.x:
 * - Hand-written instead of generated. Errors carry a position and are MQFilterExceptions.
 * - Empty input reports its end at line 1, column 1 (JavaCC's position there is
 *   meaningless).
 *
 * @mirrors org.apache.rocketmq.filter.parser.SelectorParserTokenManager
 * @mirrors org.apache.rocketmq.filter.parser.SimpleCharStream
 * @article filtersrv "The selector grammar"
 * @category Filter
 * @module
 */
import { MQFilterException, type FilterPosition } from '../mq-filter-exception.js';
import { KEYWORDS, TokenKind, type Token } from './selector-parser-constants.js';

const TAB_SIZE = 8;
const WHITE_SPACE = ' \t\n\r\f';

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isIdStart = (c: string | undefined): boolean => c !== undefined && /[a-zA-Z_$]/.test(c);
const isIdPart = (c: string | undefined): boolean => c !== undefined && /[a-zA-Z0-9_$]/.test(c);

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r', '"': '\\"', "'": "\\'", '\\': '\\\\',
};

/** JavaCC's `addEscapes`: how a lexical error shows characters. */
export function addEscapes(text: string): string {
  let out = '';
  for (const ch of text.split('')) { // UTF-16 units, as Java's chars
    const code = ch.charCodeAt(0);
    if (code === 0) continue;
    out += NAMED_ESCAPES[ch] ?? (code < 0x20 || code > 0x7e ? `\\u${code.toString(16).padStart(4, '0')}` : ch);
  }
  return out;
}

/** Cuts a selector into tokens on demand. */
export class SelectorParserTokenManager {
  private pos = 0;
  private readonly lines: Int32Array;
  private readonly columns: Int32Array;

  constructor(private readonly input: string) {
    this.lines = new Int32Array(input.length);
    this.columns = new Int32Array(input.length);
    this.computePositions();
  }

  /** The next token; after the end of input, EOF again and again. Throws on a lexical error. */
  getNextToken(): Token {
    const s = this.input;
    for (;;) {
      const c = s[this.pos];
      if (c === undefined) return this.eofToken();
      if (WHITE_SPACE.includes(c)) {
        this.pos++;
      } else if (c === '-' && s[this.pos + 1] === '-' && this.lineCommentEnd() > 0) {
        this.pos = this.lineCommentEnd();
      } else if (c === '/') {
        if (s[this.pos + 1] !== '*') throw this.lexicalError(this.pos, this.pos + 1);
        const close = s.indexOf('*/', this.pos + 2);
        if (close < 0) throw this.lexicalError(this.pos, s.length);
        this.pos = close + 2;
      } else {
        return this.nextToken(c);
      }
    }
  }

  /** Where the character at `offset` sits (`offset` may be the input length: one past the end). */
  positionAt(offset: number): FilterPosition {
    if (this.input.length === 0) return { line: 1, column: 1, offset };
    const at = Math.min(offset, this.input.length - 1);
    return { line: this.lines[at]!, column: this.columns[at]!, offset };
  }

  private nextToken(c: string): Token {
    const start = this.pos;
    if (isIdStart(c)) {
      let end = start + 1;
      while (isIdPart(this.input[end])) end++;
      const image = this.input.slice(start, end);
      return this.take(KEYWORDS.get(image.toUpperCase()) ?? TokenKind.ID, end);
    }
    if (isDigit(c) || c === '.') return this.numberToken();
    if (c === "'") return this.stringToken();
    const next = this.input[start + 1];
    switch (c) {
      case '=': return this.take(TokenKind.EQ, start + 1);
      case '<': return next === '>' ? this.take(TokenKind.NE, start + 2) : next === '=' ? this.take(TokenKind.LE, start + 2) : this.take(TokenKind.LT, start + 1);
      case '>': return next === '=' ? this.take(TokenKind.GE, start + 2) : this.take(TokenKind.GT, start + 1);
      case '(': return this.take(TokenKind.LPAREN, start + 1);
      case ',': return this.take(TokenKind.COMMA, start + 1);
      case ')': return this.take(TokenKind.RPAREN, start + 1);
      case '+': return this.take(TokenKind.PLUS, start + 1);
      case '-': return this.take(TokenKind.MINUS, start + 1);
      default: throw this.lexicalError(start, start);
    }
  }

  /** DECIMAL or FLOAT, whichever is longer. A lone "." is an error. */
  private numberToken(): Token {
    const s = this.input;
    const start = this.pos;
    const digitsEnd = (from: number): number => {
      let i = from;
      while (isDigit(s[i])) i++;
      return i;
    };
    const exponentEnd = (from: number): number => {
      if (s[from] !== 'e' && s[from] !== 'E') return -1;
      const sign = s[from + 1] === '+' || s[from + 1] === '-' ? 1 : 0;
      const end = digitsEnd(from + 1 + sign);
      return end > from + 1 + sign ? end : -1;
    };
    let decimalEnd = -1;
    if (s[start] === '0') decimalEnd = start + 1;
    else if (isDigit(s[start])) decimalEnd = digitsEnd(start) + (s[digitsEnd(start)] === 'l' || s[digitsEnd(start)] === 'L' ? 1 : 0);
    let floatEnd = -1;
    const intEnd = digitsEnd(start);
    if (s[intEnd] === '.' && (intEnd > start || isDigit(s[intEnd + 1]))) {
      const fractionEnd = digitsEnd(intEnd + 1);
      floatEnd = Math.max(fractionEnd, exponentEnd(fractionEnd));
    } else if (intEnd > start) {
      floatEnd = exponentEnd(intEnd);
    }
    if (floatEnd > decimalEnd) return this.take(TokenKind.FLOATING_POINT_LITERAL, floatEnd);
    if (decimalEnd > 0) return this.take(TokenKind.DECIMAL_LITERAL, decimalEnd);
    throw this.lexicalError(start, start + 1); // "." not followed by a digit
  }

  /** The longest complete string literal starting here; `''` inside is an escaped quote. */
  private stringToken(): Token {
    const s = this.input;
    let lastEnd = -1;
    let i = this.pos + 1;
    while (i < s.length) {
      if (s[i] !== "'") {
        i++;
        continue;
      }
      lastEnd = i + 1; // the string could end at this quote...
      if (s[i + 1] !== "'") break;
      i += 2; // ...or this quote and the next are an escaped quote inside a longer string
    }
    if (lastEnd < 0) throw this.lexicalError(this.pos, s.length);
    return this.take(TokenKind.STRING_LITERAL, lastEnd);
  }

  /** The end (exclusive) of a `--` comment at `pos`, or -1 when no line break ends it. */
  private lineCommentEnd(): number {
    const s = this.input;
    for (let i = this.pos + 2; i < s.length; i++) {
      if (s[i] === '\n') return i + 1;
      if (s[i] === '\r') return s[i + 1] === '\n' ? i + 2 : i + 1;
    }
    return -1;
  }

  private take(kind: TokenKind, end: number): Token {
    const start = this.pos;
    this.pos = end;
    const { line, column } = this.positionAt(start);
    return { kind, image: this.input.slice(start, end), beginLine: line, beginColumn: column, offset: start };
  }

  /** JavaCC reports the end of input at the last character read, which is the last character. */
  private eofToken(): Token {
    const { line, column } = this.positionAt(this.input.length - 1);
    return { kind: TokenKind.EOF, image: '', beginLine: line, beginColumn: column, offset: this.input.length };
  }

  /**
   * A token that starts at `start` cannot be completed: the character at `failAt` fits
   * no token (`failAt` is the input length when the input ran out first). The message is
   * JavaCC's `TokenMgrError.LexicalError`, including its quirks: when the failing
   * character is the last one, JavaCC reads on, meets the end, and reports `<EOF>` one
   * column further; and "after" is empty when at most one character was read.
   */
  private lexicalError(start: number, failAt: number): MQFilterException {
    const n = this.input.length;
    const charsRead = Math.min(failAt + 1, n) - start;
    if (failAt < n - 1) {
      const ch = this.input[failAt]!;
      const position = this.positionAt(failAt);
      const after = charsRead <= 1 ? '' : addEscapes(this.input.slice(start, failAt));
      return new MQFilterException(
        `Lexical error at line ${position.line}, column ${position.column}.  Encountered: "${addEscapes(ch)}" (${ch.charCodeAt(0)}), after : "${after}"`,
        { position },
      );
    }
    // At the end: one column past the last character, or column 0 of the next line after a break.
    const last = this.positionAt(n - 1);
    const lastChar = this.input[n - 1];
    const atBreak = lastChar === '\n' || lastChar === '\r';
    const position = { line: last.line + (atBreak ? 1 : 0), column: atBreak ? 0 : last.column + 1, offset: n };
    const after = charsRead <= 1 ? '' : addEscapes(this.input.slice(start, n));
    return new MQFilterException(`Lexical error at line ${position.line}, column ${position.column}.  Encountered: <EOF> after : "${after}"`, { position });
  }

  /** JavaCC `SimpleCharStream.UpdateLineColumn`, once for the whole input. */
  private computePositions(): void {
    let line = 1;
    let column = 0;
    let prevCR = false;
    let prevLF = false;
    for (let i = 0; i < this.input.length; i++) {
      const c = this.input[i];
      column++;
      if (prevLF) {
        prevLF = false;
        line++;
        column = 1;
      } else if (prevCR) {
        prevCR = false;
        if (c === '\n') prevLF = true;
        else {
          line++;
          column = 1;
        }
      }
      if (c === '\r') prevCR = true;
      else if (c === '\n') prevLF = true;
      else if (c === '\t') column = column - 1 + (TAB_SIZE - ((column - 1) % TAB_SIZE));
      this.lines[i] = line;
      this.columns[i] = column;
    }
  }
}
