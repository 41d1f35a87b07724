/**
 * ConsumerGroupInfo: what the broker knows about one consumer group: its live members and
 * the union of what they subscribe to.
 *
 * Both tables are rebuilt from heartbeats, one member at a time:
 *
 * ```
 *   channelInfoTable    Connection ──► ClientChannelInfo     who is in the group (for rebalance)
 *   subscriptionTable   topic      ──► SubscriptionData      what the group reads (for pull filtering)
 * ```
 *
 * `updateSubscription` applies one member's subscription list with three rules:
 * 1. a topic not seen before is added (a change);
 * 2. a topic already known is replaced only by a larger `subVersion` (a newer build of the
 *    same subscription), so an old heartbeat arriving late cannot undo a new one;
 * 3. a known topic missing from the list is removed (a change).
 *
 * Java: rule 2 is not counted as a change, so re-subscribing a topic with other tags does
 * not notify the group; only topics coming and going do. The members of a group are
 * expected to subscribe to the same topics; when they do not, the last heartbeat wins and
 * the table flips between them (the classic "same group, different subscriptions" problem).
 *
 * Differences from RocketMQ 4.9.x:
 * - Keyed by transport `Connection` instead of Netty `Channel`.
 * - `doChannelCloseEvent` returns the removed entry instead of a boolean.
 *
 * @mirrors org.apache.rocketmq.broker.client.ConsumerGroupInfo
 * @article pull-consume-2 "Rebalance: who consumes which queue"
 * @category Broker
 * @module
 */
import type { ConsumeFromWhere } from '../../common/protocol/heartbeat/consume-from-where.js';
import type { ConsumeType } from '../../common/protocol/heartbeat/consume-type.js';
import type { MessageModel } from '../../common/protocol/heartbeat/message-model.js';
import type { SubscriptionData } from '../../common/protocol/heartbeat/subscription-data.js';
import type { Connection } from '../../platform/transport.js';
import type { ClientChannelInfo } from './client-channel-info.js';

export class ConsumerGroupInfo {
  readonly subscriptionTable = new Map<string, SubscriptionData>();
  readonly channelInfoTable = new Map<Connection, ClientChannelInfo>();
  /** When a member's heartbeat last touched this group (clock ms). */
  lastUpdateTimestamp: number;

  constructor(
    readonly groupName: string,
    public consumeType: ConsumeType,
    public messageModel: MessageModel,
    public consumeFromWhere: ConsumeFromWhere,
    now: number,
  ) {
    this.lastUpdateTimestamp = now;
  }

  /** The member whose heartbeat named `clientId`, if any. */
  findChannel(clientId: string): ClientChannelInfo | undefined {
    for (const info of this.channelInfoTable.values()) if (info.clientId === clientId) return info;
    return undefined;
  }

  /** Every member's connection (Java `getAllChannel`). */
  getAllChannel(): Connection[] {
    return [...this.channelInfoTable.keys()];
  }

  /** Every member's client id, in join order (GET_CONSUMER_LIST_BY_GROUP's list). */
  getAllClientId(): string[] {
    return [...this.channelInfoTable.values()].map((info) => info.clientId);
  }

  /** The topics the group subscribes to. */
  getSubscribeTopics(): string[] {
    return [...this.subscriptionTable.keys()];
  }

  findSubscriptionData(topic: string): SubscriptionData | undefined {
    return this.subscriptionTable.get(topic);
  }

  /** Remove the member on `info`'s connection; returns whether it was there. */
  unregisterChannel(info: ClientChannelInfo): boolean {
    return this.channelInfoTable.delete(info.connection);
  }

  /** Remove the member on a closed connection; returns the removed entry. */
  doChannelCloseEvent(remoteAddr: string, connection: Connection): ClientChannelInfo | undefined {
    void remoteAddr; // Java only logs it
    const info = this.channelInfoTable.get(connection);
    if (info !== undefined) this.channelInfoTable.delete(connection);
    return info;
  }

  /**
   * Record a member's heartbeat: the group settings follow the latest heartbeat, a new
   * connection joins, a known one has its timestamp refreshed. Returns true when the
   * connection is new to the group.
   */
  updateChannel(infoNew: ClientChannelInfo, consumeType: ConsumeType, messageModel: MessageModel, consumeFromWhere: ConsumeFromWhere, now: number): boolean {
    this.consumeType = consumeType;
    this.messageModel = messageModel;
    this.consumeFromWhere = consumeFromWhere;
    let infoOld = this.channelInfoTable.get(infoNew.connection);
    let updated = false;
    if (infoOld === undefined) {
      this.channelInfoTable.set(infoNew.connection, infoNew);
      infoOld = infoNew;
      updated = true;
    } else if (infoOld.clientId !== infoNew.clientId) {
      // Java logs "[BUG] consumer channel exist in broker, but clientId not equal" and
      // replaces the entry, but refreshes the timestamp of the old object below.
      this.channelInfoTable.set(infoNew.connection, infoNew);
    }
    this.lastUpdateTimestamp = now;
    infoOld.lastUpdateTimestamp = now;
    return updated;
  }

  /** Apply one member's subscription list (the three rules above). Returns true when topics came or went. */
  updateSubscription(subList: readonly SubscriptionData[], now: number): boolean {
    let updated = false;
    for (const sub of subList) {
      const old = this.subscriptionTable.get(sub.topic);
      if (old === undefined) {
        this.subscriptionTable.set(sub.topic, sub);
        updated = true;
      } else if (sub.subVersion > old.subVersion) {
        this.subscriptionTable.set(sub.topic, sub);
      }
    }
    const listed = new Set(subList.map((sub) => sub.topic));
    for (const topic of [...this.subscriptionTable.keys()]) {
      if (listed.has(topic)) continue;
      this.subscriptionTable.delete(topic);
      updated = true;
    }
    this.lastUpdateTimestamp = now;
    return updated;
  }
}
