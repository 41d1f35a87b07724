/**
 * ExpressionForRetryMessageFilter: the pull filter used when `filterSupportRetry` is on, which
 * applies a group's SQL92 expression to its retried messages too.
 *
 * A push consumer reads its failed messages back from `%RETRY%<group>`, which it subscribes
 * with the TAG expression `*`, so by default a retried message is delivered whatever its
 * properties. With `filterSupportRetry` the broker looks at each retry record's
 * `RETRY_TOPIC` property (the topic it was first sent to) and evaluates the group's filter
 * for *that* topic:
 *
 * ```
 *   pull %RETRY%CG  ──► record properties {RETRY_TOPIC: "TopicA", price: "3", ...}
 *                   ──► ConsumerFilterManager.get("TopicA", "CG")  "price > 5"  ──► false: not delivered
 *   pull TopicA     ──► as ExpressionMessageFilter
 * ```
 *
 * It has to decode the properties of every retry record, which is why it is off by default.
 *
 * Differences from RocketMQ 4.9.x:
 * - A retry record without `RETRY_TOPIC` (or a filter data source) matches; Java would
 *   throw on the null topic.
 *
 * @mirrors org.apache.rocketmq.broker.filter.ExpressionForRetryMessageFilter
 * @article filtersrv "Filtering on the broker"
 * @category Broker
 * @module
 */
import { MessageConst } from '../../common/message/message-const.js';
import { RETRY_GROUP_TOPIC_PREFIX } from '../../common/mix-all.js';
import { isTagType, type SubscriptionData } from '../../common/protocol/heartbeat/subscription-data.js';
import { ExpressionMessageFilter, type CommitLogTarget } from './expression-message-filter.js';
import { decodeProperties } from './message-evaluation-context.js';

export class ExpressionForRetryMessageFilter extends ExpressionMessageFilter {
  protected override commitLogTarget(sub: SubscriptionData, msgBuffer: Uint8Array, properties: ReadonlyMap<string, string> | undefined): CommitLogTarget | undefined {
    if (!sub.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) return isTagType(sub.expressionType) ? undefined : { filterData: this.consumerFilterData, properties };
    // Retry topic: the original topic's filter of this group decides (a slow path: every record is decoded).
    const props = properties ?? (msgBuffer.length > 0 ? decodeProperties(msgBuffer) : undefined);
    const realTopic = props?.get(MessageConst.PROPERTY_RETRY_TOPIC);
    const group = sub.topic.slice(RETRY_GROUP_TOPIC_PREFIX.length);
    const filterData = realTopic === undefined ? undefined : this.consumerFilterManager?.get(realTopic, group);
    return { filterData, properties: props };
  }
}
