/**
 * TopicSysFlag: two bits on a topic that mark it as belonging to a "unit" (Alibaba's
 * multi-unit deployment), carried from the broker's topic config into every route.
 *
 * ```
 *   bit 0 (1)  FLAG_UNIT       the topic is a unit topic
 *   bit 1 (2)  FLAG_UNIT_SUB   the topic has unit subscriptions
 * ```
 *
 * Open-source RocketMQ never sets them unless an admin tool asks; the name server only
 * filters on them for the GET_UNIT_TOPIC_LIST family of admin calls. In route JSON they
 * travel as `topicSynFlag` (4.4's typo) or `topicSysFlag` (4.9).
 *
 * Differences from RocketMQ 4.9.x: none.
 *
 * @mirrors org.apache.rocketmq.common.sysflag.TopicSysFlag
 * @article topic "Topic names and system topics"
 * @category Common
 * @module
 */

export const FLAG_UNIT = 0x1 << 0;
export const FLAG_UNIT_SUB = 0x1 << 1;

/** The flag for a topic that is (or is not) a unit topic and has (or has no) unit subscriptions. */
export function buildSysFlag(unit: boolean, hasUnitSub: boolean): number {
  return (unit ? FLAG_UNIT : 0) | (hasUnitSub ? FLAG_UNIT_SUB : 0);
}

export function hasUnitFlag(sysFlag: number): boolean {
  return (sysFlag & FLAG_UNIT) === FLAG_UNIT;
}

export function hasUnitSubFlag(sysFlag: number): boolean {
  return (sysFlag & FLAG_UNIT_SUB) === FLAG_UNIT_SUB;
}
