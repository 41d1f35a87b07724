/**
 * MQConsumerInner: what the client instance needs from every consumer registered with it.
 *
 * The instance runs the timers that serve all consumers of a process at once: it refreshes
 * their topics' routes and hands each one the queues it may read (`updateTopicSubscribeInfo`),
 * puts their groups and subscriptions in every heartbeat, asks them to rebalance and to
 * persist their offsets, and forwards the broker's RESET_CONSUMER_CLIENT_OFFSET to them.
 * The push consumer and the lite pull consumer both implement this interface.
 *
 * Differences from RocketMQ 4.9.x:
 * - `consumerRunningInfo` is optional and returns a plain object.
 * - `doRebalance` and `persistConsumerOffset` may return a Promise; the instance never
 *   lets a failure escape as an unhandled rejection.
 *
 * @mirrors org.apache.rocketmq.client.impl.consumer.MQConsumerInner
 * @article pull-consume-2 "The client instance and its consumers"
 * @category Client
 * @module
 */
import type { MessageExt } from '../common/message/message-ext.js';
import type { MessageQueue } from '../common/protocol/body/message-queue-keyed-map.js';
import type { ConsumeFromWhere } from '../common/protocol/heartbeat/consume-from-where.js';
import type { ConsumeType } from '../common/protocol/heartbeat/consume-type.js';
import type { MessageModel } from '../common/protocol/heartbeat/message-model.js';
import type { SubscriptionData } from '../common/protocol/heartbeat/subscription-data.js';

export interface MQConsumerInner {
  /** The consumer group. */
  groupName(): string;
  /** CLUSTERING or BROADCASTING. */
  messageModel(): MessageModel;
  /** CONSUME_PASSIVELY (push) or CONSUME_ACTIVELY (pull). */
  consumeType(): ConsumeType;
  consumeFromWhere(): ConsumeFromWhere;
  /** Every subscription, including `%RETRY%group` for a clustering push consumer. */
  subscriptions(): SubscriptionData[];
  /** Rebalance every subscribed topic now. */
  doRebalance(): void | Promise<void>;
  /** Send the in-memory offsets to the broker (or the local file). */
  persistConsumerOffset(): void | Promise<void>;
  /** The readable queues of `topic` changed (from a route refresh). */
  updateTopicSubscribeInfo(topic: string, info: MessageQueue[]): void;
  /** True when this consumer has no queue list for `topic` yet. */
  isSubscribeTopicNeedUpdate(topic: string): boolean;
  isUnitMode(): boolean;
  /** The broker asked to move this group's offsets of `topic` (RESET_CONSUMER_CLIENT_OFFSET). */
  resetOffset?(topic: string, offsetTable: ReadonlyArray<readonly [MessageQueue, number]>): void | Promise<void>;
  /** A snapshot for GET_CONSUMER_RUNNING_INFO (plain JSON data). */
  consumerRunningInfo?(): Record<string, unknown>;
  /** CONSUME_MESSAGE_DIRECTLY: consume `msg` now and describe the outcome (plain JSON data). */
  consumeMessageDirectly?(msg: MessageExt, brokerName: string | undefined): Promise<Record<string, unknown>>;
}
