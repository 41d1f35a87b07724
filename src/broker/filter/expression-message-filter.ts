/**
 * ExpressionMessageFilter: the broker's filter for pulls, which skips messages a consumer did
 * not subscribe to before they are read from the commit log.
 *
 * Each 20-byte consume-queue unit carries the hash of its message's tag (the "tags code").
 * A TAG subscription arrives with the hashes of the tags it wants (`codeSet`), so the store
 * can decide from the unit alone, without reading the message:
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
 * re-checks the tag string itself; the broker's match is a cheap pre-filter.
 *
 * The second question, `isMatchedByCommitLog`, is for SQL92 subscriptions (evaluate the
 * expression over the message's properties); for TAG it is always yes.
 *
 * Differences from RocketMQ 4.9.x:
 * - Only TAG expressions are evaluated. SQL92 (bloom-filter bit maps in the consume-queue
 *   ext, `ConsumerFilterData`, the expression engine) is not built yet; the pull processor
 *   refuses SQL92 subscriptions before a filter is made, so a non-TAG subscription that
 *   reaches this class matches everything, as Java's does when it has no filter data.
 * - `ExpressionForRetryMessageFilter` (`filterSupportRetry`) is not modelled.
 *
 * @mirrors org.apache.rocketmq.broker.filter.ExpressionMessageFilter
 * @article pull-consume-1 "Tag filtering on the broker"
 * @category Broker
 * @module
 */
import { isTagType, type SubscriptionData } from '../../common/protocol/heartbeat/subscription-data.js';
import type { CqExtUnit, MessageFilter } from '../../store/message-store.js';

export class ExpressionMessageFilter implements MessageFilter {
  private readonly tagType: boolean;

  /** `subscriptionData` undefined matches everything (Java: a null subscription). */
  constructor(readonly subscriptionData: SubscriptionData | undefined) {
    this.tagType = subscriptionData === undefined || isTagType(subscriptionData.expressionType);
  }

  isMatchedByConsumeQueue(tagsCode: number | undefined, cqExtUnit?: CqExtUnit): boolean {
    void cqExtUnit; // only SQL92 bit maps read it
    const sub = this.subscriptionData;
    if (sub === undefined || sub.classFilterMode || !this.tagType) return true;
    if (tagsCode === undefined || sub.isSubAll) return true;
    return sub.codeSet.has(tagsCode | 0); // Java: (int) tagsCode, the low 32 bits
  }

  isMatchedByCommitLog(msgBuffer: Uint8Array, properties?: ReadonlyMap<string, string>): boolean {
    void msgBuffer;
    void properties;
    return true; // TAG: decided by the consume queue; SQL92: not evaluated yet (see the header)
  }
}
