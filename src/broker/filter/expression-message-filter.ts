/**
 * ExpressionMessageFilter: the broker's filter for pulls, which drops messages a consumer did
 * not subscribe to before they go into the response, by tag or by SQL92 expression.
 *
 * The store asks it two questions per message, the cheap one first:
 *
 * ```
 *   isMatchedByConsumeQueue(tagsCode, cqExtUnit)   from the 20-byte consume-queue unit, no commit-log read
 *   isMatchedByCommitLog(record, properties?)      from the stored record (only if the first said yes)
 * ```
 *
 * A TAG subscription is decided entirely by the first question. Each unit carries the hash
 * of its message's tag (the "tags code"); the subscription carries the hashes it wants:
 *
 * ```
 *   unit tagsCode    subscription                        matched?
 *   any              subString "*"                       yes
 *   hash("TagA")     "TagA || TagB"  codeSet {hA, hB}    yes
 *   hash("TagC")     "TagA || TagB"                      no: skipped, nextBeginOffset moves past it
 *   (unreadable)     anything                            yes (the client filters again)
 * ```
 *
 * Java compares `(int) tagsCode`: the unit stores the 32-bit hash sign-extended to 64 bits,
 * and the cast takes the low 32 bits back. Different tags can share a hash, so a client
 * re-checks the tag string itself; the broker's match is a pre-filter.
 *
 * A SQL92 subscription is decided by the second question: the group's compiled expression
 * (its {@link ConsumerFilterData}) is evaluated against the record's properties map, and only
 * an exact `true` keeps the message. The first question can still save the commit-log read
 * when the store keeps bloom bit maps (ConsumeQueueExt, `enableCalcFilterBitMap`): at
 * dispatch every stored message got the bits of each group whose expression it matched, so
 * a unit without all of this group's bits cannot match:
 *
 * ```
 *   cqExtUnit.filterBitMap  0010 0100 1000 ...   group bits {2, 5, 8}  all set ──► maybe: evaluate the SQL
 *                           0010 0000 1000 ...                         5 clear ──► no: not read at all
 *   no ext unit, no bit map, bloom data of another size, or a message
 *   stored before the filter was born (isMsgInLive)                            ──► maybe
 * ```
 *
 * For the viz and the walkthroughs each filter counts what it decided ({@link ExpressionMessageFilter.stats}) and
 * keeps the properties of the first record it evaluated; the pull processor turns that into
 * one summary event per pull. Per-message decisions go to {@link ExpressionMessageFilter.onDecision} only when
 * somebody set it, so the hot path pays for a few counter increments and nothing else.
 *
 * Differences from RocketMQ 4.9.x:
 * - The counters, the sample and the decision callback are additions.
 * - An expression that throws while evaluating counts as a null result (no match), as in
 *   Java, where the exception is caught and logged.
 *
 * @mirrors org.apache.rocketmq.broker.filter.ExpressionMessageFilter
 * @article pull-consume-1 "Tag filtering on the broker"
 * @article filtersrv "Filtering on the broker"
 * @category Broker
 * @module
 */
import { isTagType, type SubscriptionData } from '../../common/protocol/heartbeat/subscription-data.js';
import type { FilterStatsData } from '../../events/kinds/broker-filter-events.js';
import { BitsArray } from '../../filter/util/bits-array.js';
import type { CqExtUnit, MessageFilter } from '../../store/message-store.js';
import type { ConsumerFilterData } from './consumer-filter-data.js';
import type { ConsumerFilterManager } from './consumer-filter-manager.js';
import { decodeProperties, MessageEvaluationContext } from './message-evaluation-context.js';

/** One message's decision, handed to {@link ExpressionMessageFilter.onDecision}. */
export interface FilterDecision {
  readonly level: 'consume-queue' | 'bit-map' | 'commit-log';
  readonly matched: boolean;
  /** What decided it: the expression's result, or the tag-code / bloom test's boolean. */
  readonly result: unknown;
  /** The unit's tags code (consume-queue and bit-map levels). */
  readonly tagsCode?: number | undefined;
  /** The record (commit-log level), for correlation keys. */
  readonly record?: Uint8Array | undefined;
  /** The properties the expression saw (commit-log level). */
  readonly properties?: ReadonlyMap<string, string> | undefined;
}

/** What the filter needs from the manager: the bloom filter, and (for retry topics) other groups' filters. */
export type FilterDataSource = Pick<ConsumerFilterManager, 'bloomFilter' | 'get'>;

/** The filter data and properties a commit-log check evaluates, or `undefined` when the record matches without one. */
export interface CommitLogTarget {
  readonly filterData: ConsumerFilterData | undefined;
  readonly properties: ReadonlyMap<string, string> | undefined;
}

export class ExpressionMessageFilter implements MessageFilter {
  /** What this filter has decided so far (one filter per pull). */
  readonly stats: FilterStatsData = { cqChecked: 0, cqMatched: 0, bitMapChecked: 0, bitMapHit: 0, commitLogChecked: 0, commitLogMatched: 0 };
  /** The properties of the first record evaluated, and what the expression said about it (the summary's sample). */
  sample: { properties: ReadonlyMap<string, string> | undefined; result: unknown } | undefined;
  /** Called with every decision when set (walkthroughs, tests); unset on the normal path. */
  onDecision: ((decision: FilterDecision) => void) | undefined;
  protected readonly bloomDataValid: boolean;

  /**
   * @param subscriptionData undefined matches everything (Java: a null subscription)
   * @param consumerFilterData the group's compiled SQL92 filter (undefined: SQL92 matches everything)
   * @param consumerFilterManager where the bloom filter (and retry lookups) come from
   */
  constructor(
    readonly subscriptionData: SubscriptionData | undefined,
    readonly consumerFilterData?: ConsumerFilterData,
    protected readonly consumerFilterManager?: FilterDataSource,
  ) {
    const bloom = consumerFilterData?.bloomFilterData;
    this.bloomDataValid = bloom !== undefined && consumerFilterManager !== undefined && consumerFilterManager.bloomFilter.isValid(bloom);
  }

  /** Whether anything can be filtered out (a TAG list other than `*`, or SQL92). */
  get selective(): boolean {
    const sub = this.subscriptionData;
    if (sub === undefined || sub.classFilterMode) return false;
    return isTagType(sub.expressionType) ? !sub.isSubAll : true;
  }

  isMatchedByConsumeQueue(tagsCode: number | undefined, cqExtUnit?: CqExtUnit): boolean {
    this.stats.cqChecked++;
    const sub = this.subscriptionData;
    let matched = true;
    if (sub !== undefined && !sub.classFilterMode) {
      if (!isTagType(sub.expressionType)) return this.matchBitMap(tagsCode, cqExtUnit);
      if (tagsCode !== undefined && !sub.isSubAll) matched = sub.codeSet.has(tagsCode | 0); // Java: (int) tagsCode, the low 32 bits
    }
    if (matched) this.stats.cqMatched++;
    this.onDecision?.({ level: 'consume-queue', matched, result: matched, tagsCode });
    return matched;
  }

  isMatchedByCommitLog(msgBuffer: Uint8Array, properties?: ReadonlyMap<string, string>): boolean {
    const sub = this.subscriptionData;
    if (sub === undefined || sub.classFilterMode) return true;
    const target = this.commitLogTarget(sub, msgBuffer, properties);
    const expression = target?.filterData?.compiledExpression;
    if (target === undefined || expression === undefined) return true; // TAG, or no (compiled) expression
    const props = target.properties ?? (msgBuffer.length > 0 ? decodeProperties(msgBuffer) : undefined);
    let result: unknown = null;
    try {
      result = expression.evaluate(new MessageEvaluationContext(props));
    } catch {
      result = null; // Java catches, logs and treats it as "no match"
    }
    const matched = result === true;
    this.stats.commitLogChecked++;
    if (matched) this.stats.commitLogMatched++;
    if (this.sample === undefined) this.sample = { properties: props, result };
    this.onDecision?.({ level: 'commit-log', matched, result, record: msgBuffer, properties: props });
    return matched;
  }

  /**
   * Which filter data a record is evaluated with: this group's, for a SQL92 subscription;
   * none (match) for TAG. The retry filter overrides it.
   */
  protected commitLogTarget(sub: SubscriptionData, msgBuffer: Uint8Array, properties: ReadonlyMap<string, string> | undefined): CommitLogTarget | undefined {
    void msgBuffer;
    if (isTagType(sub.expressionType)) return undefined;
    return { filterData: this.consumerFilterData, properties };
  }

  /** SQL92 at the consume queue: the bloom test when everything it needs is there, else "maybe". */
  private matchBitMap(tagsCode: number | undefined, cqExtUnit: CqExtUnit | undefined): boolean {
    const data = this.consumerFilterData;
    const bloom = data?.bloomFilterData;
    const bitMap = cqExtUnit?.filterBitMap;
    const testable = data !== undefined && bloom !== undefined && data.compiledExpression !== undefined && this.bloomDataValid &&
      cqExtUnit !== undefined && data.isMsgInLive(cqExtUnit.msgStoreTime) && bitMap !== undefined && bitMap.length * 8 === bloom.bitNum;
    let matched = true;
    if (testable) {
      this.stats.bitMapChecked++;
      try {
        matched = this.consumerFilterManager!.bloomFilter.isHit(bloom, BitsArray.create(bitMap));
      } catch {
        matched = true; // Java logs the error and lets the commit-log check decide
      }
      if (matched) this.stats.bitMapHit++;
      this.onDecision?.({ level: 'bit-map', matched, result: matched, tagsCode });
    }
    if (matched) this.stats.cqMatched++;
    return matched;
  }
}
