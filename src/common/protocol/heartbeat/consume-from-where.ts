/**
 * ConsumeFromWhere: where a consumer group that has no committed offset on a queue starts reading.
 *
 * The client decides this (see `computePullFromWhere`), but it reports the setting in
 * every heartbeat, so the broker must be able to parse every name a client may send,
 * including the three that Java deprecated long ago and still keeps in the enum.
 *
 * ```
 *   CONSUME_FROM_LAST_OFFSET                             the queue's max offset (a new group skips history)
 *   CONSUME_FROM_LAST_OFFSET_AND_FROM_MIN_WHEN_BOOT_FIRST  deprecated; treated as LAST_OFFSET
 *   CONSUME_FROM_MIN_OFFSET                              deprecated; treated as LAST_OFFSET
 *   CONSUME_FROM_MAX_OFFSET                              deprecated; treated as LAST_OFFSET
 *   CONSUME_FROM_FIRST_OFFSET                            offset 0
 *   CONSUME_FROM_TIMESTAMP                               the first offset stored after consumeTimestamp
 * ```
 *
 * A surprise worth knowing: on a small or fresh broker QUERY_CONSUMER_OFFSET answers 0 for
 * a new group instead of "not found" (see consumer-manage-processor.ts), so even
 * CONSUME_FROM_LAST_OFFSET starts from the beginning there.
 *
 * Differences from RocketMQ 4.9.x: none.
 *
 * @mirrors org.apache.rocketmq.common.consumer.ConsumeFromWhere
 * @article pull-consume-2 "Where a new consumer starts"
 * @category Common
 * @module
 */

/** Every name Java's enum declares, in declaration order (fastjson also accepts the ordinal). */
export const ConsumeFromWhere = {
  CONSUME_FROM_LAST_OFFSET: 'CONSUME_FROM_LAST_OFFSET',
  /** Java: `@Deprecated`, still parsed. */
  CONSUME_FROM_LAST_OFFSET_AND_FROM_MIN_WHEN_BOOT_FIRST: 'CONSUME_FROM_LAST_OFFSET_AND_FROM_MIN_WHEN_BOOT_FIRST',
  /** Java: `@Deprecated`, still parsed. */
  CONSUME_FROM_MIN_OFFSET: 'CONSUME_FROM_MIN_OFFSET',
  /** Java: `@Deprecated`, still parsed. */
  CONSUME_FROM_MAX_OFFSET: 'CONSUME_FROM_MAX_OFFSET',
  CONSUME_FROM_FIRST_OFFSET: 'CONSUME_FROM_FIRST_OFFSET',
  CONSUME_FROM_TIMESTAMP: 'CONSUME_FROM_TIMESTAMP',
} as const;
export type ConsumeFromWhere = (typeof ConsumeFromWhere)[keyof typeof ConsumeFromWhere];
