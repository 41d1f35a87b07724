/**
 * MessageModel: whether each message of a topic goes to one member of a consumer group or to all of them.
 *
 * CLUSTERING splits the queues of a topic among the group's members (rebalancing), and the
 * broker keeps the group's offsets. BROADCASTING gives every member every queue, and each
 * client keeps its own offsets locally. The broker refuses broadcast pulls for groups whose
 * subscription config says `consumeBroadcastEnable=false`.
 *
 * Differences from RocketMQ 4.9.x: the display names (`modeCN`) are a separate table.
 *
 * @mirrors org.apache.rocketmq.common.protocol.heartbeat.MessageModel
 * @article pull-consume-1 "Heartbeats: how the broker learns who consumes"
 * @category Common
 * @module
 */

/** The message models, in Java's declaration order (fastjson also accepts the ordinal). */
export const MessageModel = {
  BROADCASTING: 'BROADCASTING',
  CLUSTERING: 'CLUSTERING',
} as const;
export type MessageModel = (typeof MessageModel)[keyof typeof MessageModel];

/** Java's `getModeCN()`: the lowercase display name. */
export const MESSAGE_MODEL_CN: Readonly<Record<MessageModel, string>> = {
  BROADCASTING: 'BROADCASTING',
  CLUSTERING: 'CLUSTERING',
};
