/**
 * ConsumerIdsChangeListener: what happens when a consumer group gains or loses members, and
 * its default implementation, which tells every member to rebalance now.
 *
 * Consumers split a topic's queues among the members they see in GET_CONSUMER_LIST_BY_GROUP.
 * They re-run that split every 20 s anyway, but a member that joins or leaves would leave
 * queues double-read or unread until then. So when the membership (or the set of
 * subscribed topics) changes, the broker sends NOTIFY_CONSUMER_IDS_CHANGED one-way to every
 * member, and each rebalances at once.
 *
 * The two other events keep the broker's SQL92 filters in step with the groups:
 *
 * ```
 *   ConsumerManager ──CHANGE(group, connections)──► DefaultConsumerIdsChangeListener
 *                                                    └─ if notifyConsumerIdsChangedEnable:
 *                                                       Broker2Client.notifyConsumerIdsChanged × members
 *                   ──REGISTER(group, subList)────► ConsumerFilterManager.register   (every heartbeat)
 *                   ──UNREGISTER(group)───────────► ConsumerFilterManager.unRegister (last member gone)
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - The event's arguments are typed per event (overloads) instead of Java's `Object...`.
 * - Without a filter manager (tests that do not need one) REGISTER and UNREGISTER do nothing.
 * - The broker-level `notifyConsumerIdsChangedEnable` is read defensively (missing = true).
 *
 * @mirrors org.apache.rocketmq.broker.client.ConsumerIdsChangeListener
 * @mirrors org.apache.rocketmq.broker.client.DefaultConsumerIdsChangeListener
 * @mirrors org.apache.rocketmq.broker.client.ConsumerGroupEvent
 * @article pull-consume-2 "Rebalance: who consumes which queue"
 * @emits broker.consumer.change-notified
 * @category Broker
 * @module
 */
import type { SubscriptionData } from '../../common/protocol/heartbeat/subscription-data.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Connection } from '../../platform/transport.js';
import type { ConsumerFilterManager } from '../filter/consumer-filter-manager.js';
import type { Broker2Client } from './broker2client.js';

/** Java `ConsumerGroupEvent`. */
export type ConsumerGroupEvent = 'CHANGE' | 'UNREGISTER' | 'REGISTER';

export interface ConsumerIdsChangeListener {
  /** The group's membership or subscribed topics changed; `connections` are its members after the change. */
  handle(event: 'CHANGE', group: string, connections: readonly Connection[]): void;
  /** A heartbeat of the group was applied; `subList` are the subscriptions it carried. */
  handle(event: 'REGISTER', group: string, subList: readonly SubscriptionData[]): void;
  /** The group's last member left. */
  handle(event: 'UNREGISTER', group: string): void;
}

export interface DefaultConsumerIdsChangeListenerOptions {
  broker2Client: Pick<Broker2Client, 'notifyConsumerIdsChanged'>;
  /** The broker config; `notifyConsumerIdsChangedEnable` (default true) switches notifications off broker-wide. */
  brokerConfig: { readonly notifyConsumerIdsChangedEnable?: boolean };
  events: NodeEvents;
  /** Fed by REGISTER and UNREGISTER (SQL92 filters). */
  consumerFilterManager?: Pick<ConsumerFilterManager, 'register' | 'unRegister'>;
}

export class DefaultConsumerIdsChangeListener implements ConsumerIdsChangeListener {
  constructor(private readonly options: DefaultConsumerIdsChangeListenerOptions) {}

  handle(event: ConsumerGroupEvent, group: string, args?: readonly Connection[] | readonly SubscriptionData[]): void {
    if (event === 'REGISTER') {
      if (args !== undefined) this.options.consumerFilterManager?.register(group, args as readonly SubscriptionData[]);
      return;
    }
    if (event === 'UNREGISTER') {
      this.options.consumerFilterManager?.unRegister(group);
      return;
    }
    const connections = args as readonly Connection[] | undefined;
    if (connections === undefined) return;
    // Java also calls CHANGE with an empty list when the last member left; nobody is told then.
    if (this.options.brokerConfig.notifyConsumerIdsChangedEnable === false || connections.length === 0) return;
    let sent = 0;
    for (const connection of connections) if (this.options.broker2Client.notifyConsumerIdsChanged(connection, group)) sent++;
    const to = connections.map((c) => c.remoteAddress);
    this.options.events.emit('broker.consumer.change-notified', { group, members: connections.length, sent, to }, { flow: 'rebalance' });
  }
}
