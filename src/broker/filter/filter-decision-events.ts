/**
 * The filter's side of a pull, told to the viz: one summary per pull, and (only when asked)
 * one event per decision.
 *
 * A pull of 32 messages can ask the filter about hundreds of consume-queue units, so the
 * processor never emits per unit by default. After `getMessage` it reads the filter's
 * counters and emits a single `broker.filter.applied`, whose `why` card shows the rule, the
 * expression and one sample message's properties:
 *
 * ```
 *   broker.filter.applied  CG TopicA/0 from 40   "price > 5"
 *     why: rule sql92-match, inputs {expression, properties of the first record evaluated}
 *          outcome {cqChecked 32, commitLogChecked 32, commitLogMatched 11}
 * ```
 *
 * A walkthrough that wants to show each decision sets `PullMessageProcessor.emitFilterDecisions`;
 * then every decision also becomes a `broker.filter.evaluated`, with the message's
 * correlation keys when the decision was made on its record.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ, which logs each decision at debug level.
 *
 * @mirrors org.apache.rocketmq.broker.filter.ExpressionMessageFilter (its debug logging)
 * @article filtersrv "Filtering on the broker"
 * @emits broker.filter.applied, broker.filter.evaluated
 * @category Broker
 * @module
 */
import { MessageConst } from '../../common/message/message-const.js';
import { decodeMessage } from '../../common/message/message-decoder.js';
import { isTagType } from '../../common/protocol/heartbeat/subscription-data.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { MsgRef } from '../../events/event-types.js';
import type { ExpressionMessageFilter, FilterDecision } from './expression-message-filter.js';

/** The pull a filter ran for. */
export interface FilteredPull {
  readonly consumerGroup: string;
  readonly topic: string;
  readonly queueId: number;
  readonly queueOffset: number;
}

/** One `broker.filter.applied` for the whole pull (see the module diagram). */
export function emitFilterSummary(events: NodeEvents, pull: FilteredPull, filter: ExpressionMessageFilter, nextBeginOffset: number): void {
  const sub = filter.subscriptionData;
  if (sub === undefined) return;
  const tag = isTagType(sub.expressionType);
  const stats = { ...filter.stats };
  const inputs: Record<string, unknown> = tag
    ? { expression: sub.subString, codeSet: [...sub.codeSet] }
    : { expression: sub.subString, properties: plain(filter.sample?.properties), sampleResult: String(filter.sample?.result ?? 'none') };
  const kept = tag ? stats.cqMatched : stats.commitLogMatched;
  events.emit('broker.filter.applied', {
    group: pull.consumerGroup, topic: pull.topic, queueId: pull.queueId, from: pull.queueOffset,
    expressionType: sub.expressionType, expression: sub.subString, nextBeginOffset, ...stats,
  }, {
    flow: 'filter',
    msg: { topic: pull.topic, queueId: pull.queueId, queueOffset: pull.queueOffset },
    why: { rule: tag ? 'tag-match' : 'sql92-match', inputs, outcome: { kept, dropped: stats.cqChecked - kept } },
  });
}

/** One `broker.filter.evaluated` (only when the processor was asked for decisions). */
export function emitFilterDecision(events: NodeEvents, pull: FilteredPull, decision: FilterDecision): void {
  const record = decision.record === undefined || decision.record.length === 0 ? undefined : decodeMessage(decision.record, 0, false);
  const msg: MsgRef = record === undefined
    ? { topic: pull.topic, queueId: pull.queueId }
    : {
      topic: record.topic, queueId: record.queueId, queueOffset: record.queueOffset, physOffset: record.commitLogOffset,
      reconsumeTimes: record.reconsumeTimes, realTopic: record.getProperty(MessageConst.PROPERTY_RETRY_TOPIC) ?? record.topic,
      ...optional('uniqKey', record.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX)),
    };
  // consume-queue decisions are tag-code matches; SQL92 decides by bloom bits (bit-map) and on the record (commit-log).
  const rule = decision.level === 'consume-queue' ? 'tag-match' : decision.level === 'bit-map' ? 'bloom-hit' : 'sql92-match';
  const inputs: Record<string, unknown> = decision.level === 'commit-log'
    ? { properties: plain(decision.properties) }
    : { tagsCode: decision.tagsCode ?? null };
  events.emit('broker.filter.evaluated', {
    group: pull.consumerGroup, topic: pull.topic, queueId: pull.queueId, level: decision.level, matched: decision.matched, result: String(decision.result),
  }, { flow: 'filter', msg, why: { rule, inputs, outcome: decision.matched } });
}

/** A properties map as a plain JSON object (events carry no Maps). */
function plain(properties: ReadonlyMap<string, string> | undefined): Record<string, string> {
  return properties === undefined ? {} : Object.fromEntries(properties);
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined || value === '' ? {} : ({ [key]: value } as Record<K, string>);
}
