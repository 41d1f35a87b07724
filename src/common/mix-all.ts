/**
 * MixAll: the well-known names RocketMQ builds from prefixes (retry and DLQ topics, system
 * groups) and a few constants every module shares.
 *
 * A consumer group `cg` owns two hidden topics. Messages it fails to consume are sent back
 * to the broker and stored in `%RETRY%cg`, which the group subscribes to automatically;
 * after too many attempts they land in `%DLQ%cg`, which nobody reads unless an operator
 * does. Both names are pure string prefixes, so any module can tell such a topic apart
 * without asking the broker.
 *
 * ```
 *   group "cg"  ──► getRetryTopic("cg") = "%RETRY%cg"   (1 queue, perm RW)
 *               ──► getDLQTopic("cg")   = "%DLQ%cg"     (1 queue, perm W only)
 *   brokerId 0 (MASTER_ID) is the master of a broker group; 1, 2, ... are its slaves
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - Only the constants and name helpers; Java's `MixAll` also holds file, properties and
 *   network utilities, which live elsewhere here (the FileSystem port, the config modules).
 *
 * @mirrors org.apache.rocketmq.common.MixAll
 * @article topic "Retry and dead-letter topics"
 * @category Common
 * @module
 */

/** The brokerId of a master; slaves have ids 1, 2, ... */
export const MASTER_ID = 0;

/** Prefix of a consumer group's retry topic. */
export const RETRY_GROUP_TOPIC_PREFIX = '%RETRY%';
/** Prefix of a consumer group's dead-letter topic. */
export const DLQ_GROUP_TOPIC_PREFIX = '%DLQ%';
/** Prefix of the light message queues of 4.9's multi-dispatch. */
export const LMQ_PREFIX = '%LMQ%';
/** Prefix of RocketMQ's own consumer groups (e.g. `CID_RMQ_SYS_TRANS`). */
export const CID_RMQ_SYS_PREFIX = 'CID_RMQ_SYS_';
/** Suffix of the reply topic of a cluster (request/reply, 4.6+). */
export const REPLY_TOPIC_POSTFIX = 'REPLY_TOPIC';

export const DEFAULT_PRODUCER_GROUP = 'DEFAULT_PRODUCER';
export const DEFAULT_CONSUMER_GROUP = 'DEFAULT_CONSUMER';
export const TOOLS_CONSUMER_GROUP = 'TOOLS_CONSUMER';
export const SCHEDULE_CONSUMER_GROUP = 'SCHEDULE_CONSUMER';
export const FILTERSRV_CONSUMER_GROUP = 'FILTERSRV_CONSUMER';
export const MONITOR_CONSUMER_GROUP = '__MONITOR_CONSUMER';
/** Every Java client registers this producer group in its heartbeat (it sends retries when send-back fails). */
export const CLIENT_INNER_PRODUCER_GROUP = 'CLIENT_INNER_PRODUCER';
export const SELF_TEST_PRODUCER_GROUP = 'SELF_TEST_P_GROUP';
export const SELF_TEST_CONSUMER_GROUP = 'SELF_TEST_C_GROUP';
export const ONS_HTTP_PROXY_GROUP = 'CID_ONS-HTTP-PROXY';
export const CID_ONSAPI_PERMISSION_GROUP = 'CID_ONSAPI_PERMISSION';
export const CID_ONSAPI_OWNER_GROUP = 'CID_ONSAPI_OWNER';
export const CID_ONSAPI_PULL_GROUP = 'CID_ONSAPI_PULL';
/** The group the broker's transaction checker uses. */
export const CID_SYS_RMQ_TRANS = 'CID_RMQ_SYS_TRANS';

/** The ext field a QUERY_MESSAGE carries when it looks up a UNIQ_KEY rather than a business key. */
export const UNIQUE_MSG_QUERY_FLAG = '_UNIQUE_KEY_QUERY';
/** The region a broker reports in every send response (`MSG_REGION`). */
export const DEFAULT_TRACE_REGION_ID = 'DefaultRegion';

/** `getRetryTopic("cg")` is `"%RETRY%cg"`. */
export function getRetryTopic(consumerGroup: string): string {
  return RETRY_GROUP_TOPIC_PREFIX + consumerGroup;
}

/** `getDLQTopic("cg")` is `"%DLQ%cg"`. */
export function getDLQTopic(consumerGroup: string): string {
  return DLQ_GROUP_TOPIC_PREFIX + consumerGroup;
}

/** `getReplyTopic("DefaultCluster")` is `"DefaultCluster_REPLY_TOPIC"`. */
export function getReplyTopic(clusterName: string): string {
  return `${clusterName}_${REPLY_TOPIC_POSTFIX}`;
}

/** True for RocketMQ's own consumer groups (`CID_RMQ_SYS_*`). */
export function isSysConsumerGroup(consumerGroup: string): boolean {
  return consumerGroup.startsWith(CID_RMQ_SYS_PREFIX);
}

/** True for a retry topic (`%RETRY%...`). Java spells this check out inline where it needs it. */
export function isRetryTopic(topic: string): boolean {
  return topic.startsWith(RETRY_GROUP_TOPIC_PREFIX);
}

/** True for a dead-letter topic (`%DLQ%...`). */
export function isDLQTopic(topic: string): boolean {
  return topic.startsWith(DLQ_GROUP_TOPIC_PREFIX);
}

/** True for a light message queue (`%LMQ%...`, 4.9). */
export function isLmq(topic: string | undefined): boolean {
  return topic !== undefined && topic.startsWith(LMQ_PREFIX);
}

/**
 * The VIP channel of a broker address: the same host, port minus 2 (`10911` → `10909`).
 * Java clients before 4.5 send there by default (`vipChannelEnabled`).
 */
export function brokerVIPChannel(isChange: boolean, brokerAddr: string): string {
  if (!isChange) return brokerAddr;
  const split = brokerAddr.lastIndexOf(':');
  return `${brokerAddr.slice(0, split)}:${Number(brokerAddr.slice(split + 1)) - 2}`;
}
