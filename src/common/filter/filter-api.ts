/**
 * FilterAPI: turn a subscription expression ("TagA || TagB", "*", a SQL92 condition) into
 * the SubscriptionData a consumer registers and the broker filters with.
 *
 * A TAG expression is split on `||`; each piece is trimmed, and a non-empty piece becomes a
 * tag plus its Java `String.hashCode()`. The hash is what matters on the broker: the send
 * path stores the hash of a message's tag in its consume-queue unit, and a pull compares
 * unit hashes with `codeSet` before it reads any message.
 *
 * ```
 *   "TagA || TagB"   split "||"  ["TagA ", " TagB"]  trim  tagsSet {TagA, TagB}
 *                                                          codeSet {2598919, 2598920}
 *   "*", "" or none  ──► subString "*" (SUB_ALL), sets empty
 *   "||"             ──► Java's split leaves no piece at all ──► SubscriptionParseError
 *   " || TagB"       ──► the blank piece is skipped: tagsSet {TagB}
 *   SQL92 "a > 5"    ──► kept as is (expressionType SQL92); an empty one is an error
 * ```
 *
 * Hash collisions are possible (two tags, one hash), so the consume-queue match is only a
 * pre-filter; clients check the real tag again (Java's `PullAPIWrapper.processPullResult`).
 *
 * Differences from RocketMQ 4.9.x:
 * - The subscription's `subVersion` is a parameter (default 0); Java stamps the current time.
 * - A parse failure is a typed {@link SubscriptionParseError} instead of a bare `Exception`.
 * - `classFile`/`simpleClassName` (class filter mode, removed in 4.3) are left out.
 *
 * @mirrors org.apache.rocketmq.common.filter.FilterAPI
 * @article pull-consume-1 "Tag filtering on the broker"
 * @category Common
 * @module
 */
import { javaStringHashCode } from '../java-compat.js';
import { ExpressionType, SUB_ALL, SubscriptionData } from '../protocol/heartbeat/subscription-data.js';

/** A subscription expression that cannot be turned into a SubscriptionData. */
export class SubscriptionParseError extends Error {
  override readonly name = 'SubscriptionParseError';
  constructor(readonly subString: string | undefined, reason: string) {
    super(reason);
  }
}

/**
 * Build the subscription of `topic` for `subString` in `expressionType` (TAG when missing).
 * Throws {@link SubscriptionParseError} for a TAG expression with no piece at all or an
 * empty non-TAG expression.
 */
export function buildSubscriptionData(topic: string, subString: string | undefined, expressionType?: string, subVersion = 0): SubscriptionData {
  if (expressionType === undefined || expressionType === ExpressionType.TAG) return buildTagSubscription(topic, subString, subVersion);
  if (subString === undefined || subString.length < 1) throw new SubscriptionParseError(subString, `Expression can't be null! ${expressionType}`);
  const data = new SubscriptionData(topic, subString, subVersion);
  data.expressionType = expressionType;
  return data;
}

/** Java `FilterAPI.buildSubscriptionData`: the TAG case. */
function buildTagSubscription(topic: string, subString: string | undefined, subVersion: number): SubscriptionData {
  if (subString === undefined || subString === SUB_ALL || subString.length === 0) return new SubscriptionData(topic, SUB_ALL, subVersion);
  const data = new SubscriptionData(topic, subString, subVersion);
  const pieces = javaSplit(subString, '||');
  if (pieces.length === 0) throw new SubscriptionParseError(subString, 'subString split error');
  for (const piece of pieces) {
    const tag = piece.trim();
    if (tag.length === 0) continue;
    data.tagsSet.add(tag);
    data.codeSet.add(javaStringHashCode(tag));
  }
  return data;
}

/**
 * Java `String.split(regex)` for a literal separator: like JS `split`, but trailing empty
 * pieces are removed (so `"||"` gives no piece, `"a||"` gives `["a"]`).
 */
function javaSplit(text: string, separator: string): string[] {
  const pieces = text.split(separator);
  while (pieces.length > 0 && pieces[pieces.length - 1] === '') pieces.pop();
  return pieces;
}
