/**
 * Event payloads of broker-side filtering: SQL92 subscriptions compiled and registered, bit maps computed at dispatch, and the match decisions of a pull.
 *
 * Filled in by the code that emits them; each kind is `<module>.<noun>.<past-tense verb>`
 * and carries only plain JSON, so it survives a JSONL round trip.
 *
 * The filter lane of the viz follows one group's SQL92 filter through its life:
 *
 * ```
 *   HEART_BEAT ──► broker.filter.registered        (compiled, bloom bits chosen)
 *              └─► broker.filter.compile-failed    (bad expression: skipped, the pull will say so)
 *   group gone ──► broker.filter.unregistered      (marked dead; kept for filterDataCleanTimeSpan)
 *   persist    ──► broker.filter.removed           (dead for too long)
 *   PULL       ──► broker.filter.applied           (one summary per pull: units checked / kept)
 *              └─► broker.filter.evaluated         (one per message, only when asked for)
 * ```
 *
 * Emitted by `src/broker/filter/consumer-filter-manager.ts` and
 * `src/broker/processor/pull-message-processor.ts`.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ, which logs none of these.
 *
 * @article filtersrv "Filtering on the broker"
 * @category Events
 * @module
 */

/** Where an expression was compiled when it failed. */
export type FilterCompileSite = 'heartbeat' | 'check-client-config' | 'pull' | 'load';

/** The counters of one pull's filter (see `ExpressionMessageFilter.stats`). */
export interface FilterStatsData {
  /** Consume-queue units asked about (the cheap check, no commit-log read). */
  cqChecked: number;
  /** Units that passed the consume-queue check. */
  cqMatched: number;
  /** Units whose bloom bit map was tested (SQL92 with ConsumeQueueExt bit maps only). */
  bitMapChecked: number;
  /** Units whose bit map said "maybe" (the rest were skipped without reading the commit log). */
  bitMapHit: number;
  /** Records the SQL92 expression was evaluated against. */
  commitLogChecked: number;
  /** Records for which it returned exactly `true`. */
  commitLogMatched: number;
}

export interface BrokerFilterEventMap {
  /**
   * A group's SQL92 subscription to a topic was compiled and stored in the ConsumerFilterManager
   * (from a heartbeat). `change` says what happened: a `new` filter, a `changed` expression (or
   * bloom data), a newer `clientVersion` of the same expression (`refreshed`), or a dead one
   * brought back by its consumer (`revived`). `bitPos` are the group's bloom bit positions
   * ("group#topic" hashed k times into `bitNum` bits).
   */
  'broker.filter.registered': {
    group: string; topic: string; expressionType: string; expression: string; clientVersion: number;
    change: 'new' | 'changed' | 'refreshed' | 'revived'; bitPos: number[]; bitNum: number;
  };
  /**
   * An expression did not compile. At a heartbeat the subscription is skipped (Java logs it),
   * and a later pull of the group is answered FILTER_DATA_NOT_EXIST; at CHECK_CLIENT_CONFIG and
   * at a pull that carries the expression the answer is SUBSCRIPTION_PARSE_FAILED with `error`.
   * `dropped` when a previously registered expression of the group was removed because of it.
   */
  'broker.filter.compile-failed': {
    group: string; topic: string; expressionType: string; expression: string; error: string; site: FilterCompileSite; dropped: boolean;
  };
  /**
   * The group's filters were marked dead: the group has no member left (`group-gone`), or its
   * heartbeat no longer lists the topic (`topic-unsubscribed`). Dead filters still answer pulls
   * and are removed only after `filterDataCleanTimeSpan` (24 h).
   */
  'broker.filter.unregistered': { group: string; topics: string[]; reason: 'group-gone' | 'topic-unsubscribed' };
  /** A dead filter was dropped when the table was written (dead for `deadForMs` ≥ the clean time span). */
  'broker.filter.removed': { group: string; topic: string; deadForMs: number };
  /**
   * consumerFilter.json was read: `filters` kept (all marked dead until their consumers send a
   * heartbeat), or none when the bloom filter settings changed since they were written
   * (`bloomChanged`: their bit positions would test the wrong bits).
   */
  'broker.filter.loaded': { topics: number; filters: number; bloomChanged: boolean };
  /**
   * One pull ran through a filter that can reject something (a TAG list other than `*`, or a
   * SQL92 expression). One summary per pull, however many units it looked at; the envelope's
   * `why` has `rule` 'tag-match' or 'sql92-match', the expression and one sample message's
   * properties as inputs, and the counts as outcome.
   */
  'broker.filter.applied': {
    group: string; topic: string; queueId: number; from: number; expressionType: string; expression: string; nextBeginOffset: number;
  } & FilterStatsData;
  /**
   * One message's filter decision, emitted only when the pull processor is asked for
   * per-message decisions (`PullMessageProcessor.emitFilterDecisions`). `level` is where it was
   * decided: the consume-queue unit (tag code or bloom bits) or the commit-log record (SQL92).
   * `result` is what the expression returned, as text ("true", "false", "null").
   */
  'broker.filter.evaluated': {
    group: string; topic: string; queueId: number; level: 'consume-queue' | 'bit-map' | 'commit-log'; matched: boolean; result: string;
  };
}
