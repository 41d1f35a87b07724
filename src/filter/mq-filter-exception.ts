/**
 * MQFilterException: a filter expression that cannot be compiled.
 *
 * A consumer sends its SQL92 selector as text (in HEART_BEAT, CHECK_CLIENT_CONFIG or a
 * pull's subscription). The broker compiles it, and everything that can go wrong while
 * doing that ends up as this one error type, so the broker has a single thing to catch
 * and turn into a response code with a remark. Three kinds of problem lead here:
 *
 * ```
 *   lexical    "a = 'x"        Lexical error at line 1, column 7.  Encountered: <EOF> after : "'x"
 *   syntax     "a >"           Encountered <EOF> at line 1, column 3. Was expecting one of: "NOT", ...
 *   semantic   "a > 'x'"       Value ''x'' cannot be compared. (line 1, column 3)
 * ```
 *
 * `position` is where the problem was found (1-based line and column, counted the way
 * JavaCC counts them: a tab advances to the next multiple of 8, `\r\n` is one line break;
 * `offset` is the 0-based index into the expression). `expected` lists the tokens that
 * would have been accepted there, written as JavaCC writes them (`"NOT"`, `<ID>`, `")"`).
 *
 * Differences from RocketMQ 4.9.x:
 * - Java wraps a JavaCC `ParseException`, a `TokenMgrError` or a `RuntimeException` in
 *   an `MQFilterException` whose message is the cause's `toString()`; here the message
 *   is the description itself, and the position and expected tokens are fields.
 * - Java's `responseCode` field (always -1 on this path) is left out.
 *
 * @mirrors org.apache.rocketmq.filter.expression.MQFilterException
 * @mirrors org.apache.rocketmq.filter.parser.ParseException
 * @mirrors org.apache.rocketmq.filter.parser.TokenMgrError
 * @article filtersrv "Compiling a SQL92 selector"
 * @category Filter
 * @module
 */

/** Where in the expression a problem was found. */
export interface FilterPosition {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, JavaCC style (tabs stop at multiples of 8). */
  readonly column: number;
  /** 0-based index of the character in the expression string. */
  readonly offset: number;
}

/** The expression could not be compiled; `message` says why and where. */
export class MQFilterException extends Error {
  override readonly name = 'MQFilterException';
  /** Where the problem was found, when it can be pinned to a place. */
  readonly position?: FilterPosition;
  /** Tokens that would have been accepted at `position` (syntax errors only). */
  readonly expected?: string[];

  constructor(message: string, details: { position?: FilterPosition; expected?: string[]; cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    if (details.position !== undefined) this.position = details.position;
    if (details.expected !== undefined) this.expected = details.expected;
  }
}
