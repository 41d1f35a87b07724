/**
 * ConsumerManager: the broker's table of consumer groups, kept up to date from heartbeats,
 * UNREGISTER_CLIENT and closed connections.
 *
 * Two answers depend on it. A push consumer's pull is filtered with the subscription its
 * group registered here (it does not send one with the pull), and rebalancing clients ask
 * GET_CONSUMER_LIST_BY_GROUP for the members listed here. So membership must follow reality
 * closely, through three doors:
 *
 * ```
 *   HEART_BEAT (every 30 s)     registerConsumer     join, refresh timestamp, update subscriptions
 *   UNREGISTER_CLIENT (close)   unregisterConsumer   leave
 *   connection closed           doChannelCloseEvent  leave (ClientHousekeepingService)
 *   no heartbeat for 120 s      scanNotActiveChannel close the connection, leave (every 10 s)
 * ```
 *
 * When a heartbeat changes the membership or the subscribed topics, the change listener
 * sends NOTIFY_CONSUMER_IDS_CHANGED to every member (if the group's config allows it), so
 * they rebalance at once. A group with no member left is removed. Every heartbeat's
 * subscriptions also go to the listener as REGISTER (which keeps the SQL92 filters of
 * ConsumerFilterManager up to date), and a group removed by UNREGISTER_CLIENT or a closed
 * connection goes to it as UNREGISTER.
 *
 * Differences from RocketMQ 4.9.x:
 * - Keyed by transport `Connection`; an expired connection is closed with `Connection.close()`.
 *
 * @mirrors org.apache.rocketmq.broker.client.ConsumerManager
 * @article pull-consume-2 "Rebalance: who consumes which queue"
 * @emits broker.consumer.registered, broker.consumer.unregistered
 * @category Broker
 * @module
 */
import type { ConsumeFromWhere } from '../../common/protocol/heartbeat/consume-from-where.js';
import type { ConsumeType } from '../../common/protocol/heartbeat/consume-type.js';
import type { MessageModel } from '../../common/protocol/heartbeat/message-model.js';
import type { SubscriptionData } from '../../common/protocol/heartbeat/subscription-data.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';
import type { Connection } from '../../platform/transport.js';
import type { ClientChannelInfo } from './client-channel-info.js';
import { ConsumerGroupInfo } from './consumer-group-info.js';
import type { ConsumerIdsChangeListener } from './consumer-ids-change-listener.js';

/** A client silent for longer than this (ms) is dropped by the scan. Java: `CHANNEL_EXPIRED_TIMEOUT`. */
export const CHANNEL_EXPIRED_TIMEOUT = 120_000;

export interface ConsumerManagerOptions {
  clock: Clock;
  events: NodeEvents;
  /** Told about membership changes (normally a DefaultConsumerIdsChangeListener). */
  consumerIdsChangeListener: ConsumerIdsChangeListener;
}

export class ConsumerManager {
  /** group ──► its members and subscriptions. */
  readonly consumerTable = new Map<string, ConsumerGroupInfo>();
  private readonly clock: Clock;
  private readonly events: NodeEvents;
  private readonly listener: ConsumerIdsChangeListener;

  constructor(options: ConsumerManagerOptions) {
    this.clock = options.clock;
    this.events = options.events;
    this.listener = options.consumerIdsChangeListener;
  }

  getConsumerGroupInfo(group: string): ConsumerGroupInfo | undefined {
    return this.consumerTable.get(group);
  }

  /** The member of `group` whose heartbeat named `clientId`. */
  findChannel(group: string, clientId: string): ClientChannelInfo | undefined {
    return this.consumerTable.get(group)?.findChannel(clientId);
  }

  /** What `group` registered for `topic` (what a pull without its own subscription is filtered with). */
  findSubscriptionData(group: string, topic: string): SubscriptionData | undefined {
    return this.consumerTable.get(group)?.findSubscriptionData(topic);
  }

  findSubscriptionDataCount(group: string): number {
    return this.consumerTable.get(group)?.subscriptionTable.size ?? 0;
  }

  /** The groups that subscribe to `topic` (Java `queryTopicConsumeByWho`). */
  queryTopicConsumeByWho(topic: string): Set<string> {
    const groups = new Set<string>();
    for (const [group, info] of this.consumerTable) if (info.subscriptionTable.has(topic)) groups.add(group);
    return groups;
  }

  /**
   * Apply one consumer's heartbeat for `group`. Returns true when the membership or the
   * subscribed topics changed; then every member is notified when `isNotifyConsumerIdsChangedEnable`.
   */
  registerConsumer(
    group: string,
    clientChannelInfo: ClientChannelInfo,
    consumeType: ConsumeType,
    messageModel: MessageModel,
    consumeFromWhere: ConsumeFromWhere,
    subList: readonly SubscriptionData[],
    isNotifyConsumerIdsChangedEnable: boolean,
  ): boolean {
    const now = this.clock.now();
    let info = this.consumerTable.get(group);
    if (info === undefined) {
      info = new ConsumerGroupInfo(group, consumeType, messageModel, consumeFromWhere, now);
      this.consumerTable.set(group, info);
    }
    const newChannel = info.updateChannel(clientChannelInfo, consumeType, messageModel, consumeFromWhere, now);
    const subscriptionsChanged = info.updateSubscription(subList, now);
    const changed = newChannel || subscriptionsChanged;
    this.events.emit('broker.consumer.registered', {
      group, clientId: clientChannelInfo.clientId, remote: clientChannelInfo.remoteAddress,
      topics: subList.map((sub) => sub.topic), newChannel, changed, members: info.channelInfoTable.size,
    }, { flow: 'rebalance' });
    if (changed && isNotifyConsumerIdsChangedEnable) this.listener.handle('CHANGE', group, info.getAllChannel());
    this.listener.handle('REGISTER', group, subList);
    return changed;
  }

  /** UNREGISTER_CLIENT for a consumer group: the connection leaves; an empty group is removed. */
  unregisterConsumer(group: string, clientChannelInfo: ClientChannelInfo, isNotifyConsumerIdsChangedEnable: boolean): void {
    const info = this.consumerTable.get(group);
    if (info === undefined) return;
    const removed = info.unregisterChannel(clientChannelInfo);
    const groupRemoved = info.channelInfoTable.size === 0;
    if (groupRemoved) {
      this.consumerTable.delete(group);
      this.listener.handle('UNREGISTER', group);
    }
    if (removed) {
      this.events.emit('broker.consumer.unregistered', {
        group, clientId: clientChannelInfo.clientId, remote: clientChannelInfo.remoteAddress, reason: 'unregister', groupRemoved,
      }, { flow: 'rebalance' });
    }
    if (isNotifyConsumerIdsChangedEnable) this.listener.handle('CHANGE', group, info.getAllChannel());
  }

  /** A connection closed: it leaves every group it was in, and the remaining members are told. */
  doChannelCloseEvent(remoteAddr: string, connection: Connection): void {
    for (const [group, info] of [...this.consumerTable]) {
      const removed = info.doChannelCloseEvent(remoteAddr, connection);
      if (removed === undefined) continue;
      const groupRemoved = info.channelInfoTable.size === 0;
      if (groupRemoved) {
        this.consumerTable.delete(group);
        this.listener.handle('UNREGISTER', group);
      }
      this.events.emit('broker.consumer.unregistered', {
        group, clientId: removed.clientId, remote: remoteAddr, reason: 'channel-closed', groupRemoved,
      }, { flow: 'rebalance' });
      // Java: not gated by the group's notifyConsumerIdsChangedEnable, only by the broker-wide flag.
      this.listener.handle('CHANGE', group, info.getAllChannel());
    }
  }

  /**
   * Drop members whose last heartbeat is more than 120 s old, closing their connections,
   * and groups left empty. Java: nobody is notified here; the remaining members find out
   * at their next periodic rebalance.
   */
  scanNotActiveChannel(): void {
    const now = this.clock.now();
    for (const [group, info] of [...this.consumerTable]) {
      for (const [connection, client] of [...info.channelInfoTable]) {
        if (now - client.lastUpdateTimestamp <= CHANNEL_EXPIRED_TIMEOUT) continue;
        connection.close();
        info.channelInfoTable.delete(connection);
        const groupRemoved = info.channelInfoTable.size === 0;
        if (groupRemoved) this.consumerTable.delete(group);
        this.events.emit('broker.consumer.unregistered', {
          group, clientId: client.clientId, remote: client.remoteAddress, reason: 'expired', groupRemoved,
        }, { flow: 'rebalance' });
      }
    }
  }
}
