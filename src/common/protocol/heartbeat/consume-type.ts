/**
 * ConsumeType: whether a consumer group pulls on its own schedule or has messages pushed to it.
 *
 * A consumer tells the broker in every heartbeat how it consumes. The broker barely cares
 * (it only logs subscription changes of push consumers), but admin tools show it, and the
 * value travels in the HeartbeatData JSON by name, so the names must be Java's exactly.
 *
 * ```
 *   CONSUME_ACTIVELY    "PULL"   DefaultMQPullConsumer / LitePullConsumer: the app asks for messages
 *   CONSUME_PASSIVELY   "PUSH"   DefaultMQPushConsumer: a pull loop inside the client feeds a listener
 * ```
 *
 * Differences from RocketMQ 4.9.x: the Chinese-era display names (`typeCN`) are a separate
 * lookup table instead of an enum field.
 *
 * @mirrors org.apache.rocketmq.common.protocol.heartbeat.ConsumeType
 * @article pull-consume-1 "Heartbeats: how the broker learns who consumes"
 * @category Common
 * @module
 */

/** The consume types, in Java's declaration order (fastjson also accepts the ordinal). */
export const ConsumeType = {
  CONSUME_ACTIVELY: 'CONSUME_ACTIVELY',
  CONSUME_PASSIVELY: 'CONSUME_PASSIVELY',
} as const;
export type ConsumeType = (typeof ConsumeType)[keyof typeof ConsumeType];

/** Java's `getTypeCN()`: the short display name. */
export const CONSUME_TYPE_CN: Readonly<Record<ConsumeType, string>> = {
  CONSUME_ACTIVELY: 'PULL',
  CONSUME_PASSIVELY: 'PUSH',
};
