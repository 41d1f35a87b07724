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
 * ```
 *   ConsumerManager ──CHANGE(group, connections)──► DefaultConsumerIdsChangeListener
 *                                                    └─ if notifyConsumerIdsChangedEnable:
 *                                                       Broker2Client.notifyConsumerIdsChanged × members
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - REGISTER and UNREGISTER only feed Java's SQL92 `ConsumerFilterManager`, which is not
 *   built yet; they are accepted and ignored.
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
import type { NodeEvents } from '../../events/event-sink.js';
import type { Connection } from '../../platform/transport.js';
import type { Broker2Client } from './broker2client.js';

/** Java `ConsumerGroupEvent`. */
export type ConsumerGroupEvent = 'CHANGE' | 'UNREGISTER' | 'REGISTER';

export interface ConsumerIdsChangeListener {
  /** `connections` are the group's members after the change (CHANGE only). */
  handle(event: ConsumerGroupEvent, group: string, connections?: readonly Connection[]): void;
}

export interface DefaultConsumerIdsChangeListenerOptions {
  broker2Client: Pick<Broker2Client, 'notifyConsumerIdsChanged'>;
  /** The broker config; `notifyConsumerIdsChangedEnable` (default true) switches notifications off broker-wide. */
  brokerConfig: { readonly notifyConsumerIdsChangedEnable?: boolean };
  events: NodeEvents;
}

export class DefaultConsumerIdsChangeListener implements ConsumerIdsChangeListener {
  constructor(private readonly options: DefaultConsumerIdsChangeListenerOptions) {}

  handle(event: ConsumerGroupEvent, group: string, connections?: readonly Connection[]): void {
    if (event !== 'CHANGE' || connections === undefined) return;
    // Java also calls CHANGE with an empty list when the last member left; nobody is told then.
    if (this.options.brokerConfig.notifyConsumerIdsChangedEnable === false || connections.length === 0) return;
    let sent = 0;
    for (const connection of connections) if (this.options.broker2Client.notifyConsumerIdsChanged(connection, group)) sent++;
    const to = connections.map((c) => c.remoteAddress);
    this.options.events.emit('broker.consumer.change-notified', { group, members: connections.length, sent, to }, { flow: 'rebalance' });
  }
}
