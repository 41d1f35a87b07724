/**
 * Event payloads of the broker's admin and query requests: topics created, changed and
 * deleted by an operator, subscription groups managed, and consumer offsets reset.
 *
 * These are the operator's hand on the cluster. The viz's broker panel adds a topic row on
 * `broker.topic.updated` (and its queue columns), strikes it on `broker.topic.deleted`, and
 * moves a group's offset markers back on `broker.offset.reset`. Emitted by
 * `src/broker/processor/admin/`.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ, which logs these as `log.info` lines.
 *
 * @article topic "Creating a topic"
 * @category Events
 * @module
 */

export interface BrokerAdminEventMap {
  /**
   * UPDATE_AND_CREATE_TOPIC stored a topic config (Java `AdminBrokerProcessor.updateAndCreateTopic`),
   * after the SUCCESS answer was written. `created` is false when it replaced an existing one.
   */
  'broker.topic.updated': {
    topic: string;
    readQueueNums: number;
    writeQueueNums: number;
    perm: number;
    created: boolean;
  };
  /**
   * DELETE_TOPIC_IN_BROKER removed a topic, its consume queues (`queuesRemoved` of them)
   * and every group's committed offsets on it.
   */
  'broker.topic.deleted': {
    topic: string;
    queuesRemoved: number;
  };
  /** UPDATE_AND_CREATE_SUBSCRIPTIONGROUP stored a group's config. */
  'broker.subscription-group.updated': {
    group: string;
    consumeEnable: boolean;
    retryMaxTimes: number;
  };
  /** DELETE_SUBSCRIPTIONGROUP removed a group's config (and its offsets when `offsetsRemoved`). */
  'broker.subscription-group.deleted': {
    group: string;
    offsetsRemoved: boolean;
  };
  /**
   * INVOKE_BROKER_TO_RESET_OFFSET moved a group's committed offsets on one topic to the
   * queue offsets found for `timestamp` (-1: the max offsets), and told `clientsNotified`
   * live members with RESET_CONSUMER_CLIENT_OFFSET.
   */
  'broker.offset.reset': {
    group: string;
    topic: string;
    timestamp: number;
    offsets: Array<{ queueId: number; offset: number }>;
    clientsNotified: number;
  };
}
