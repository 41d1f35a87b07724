/**
 * RemoteBrokerOffsetStore: a clustering group's progress, kept in memory and written to the
 * queue's broker.
 *
 * The broker is the only place every member of the group can see, so the offset of a queue
 * lives there (in its `consumerOffset.json`). This store keeps the working copy in memory
 * and sends it three ways:
 *
 * ```
 *   every 5 s (the instance's timer)   persistAll   UPDATE_CONSUMER_OFFSET, one-way, per queue
 *   on every pull                      (the pull loop sets sysFlag bit 0 and commitOffset)
 *   when a queue is taken away          persist      UPDATE_CONSUMER_OFFSET, one-way
 * ```
 *
 * Reading from the store asks QUERY_CONSUMER_OFFSET. A broker that knows no offset for the
 * group answers QUERY_NOT_FOUND, which reads as -1 and sends the caller to its
 * consume-from-where rule; a broker that cannot be reached reads as -2 and the caller tries
 * again at the next rebalance.
 *
 * Differences from RocketMQ 4.9.x:
 * - None in behaviour. Java: any broker error code (not only QUERY_NOT_FOUND) reads as -1.
 *
 * @mirrors org.apache.rocketmq.client.consumer.store.RemoteBrokerOffsetStore
 * @article pull-consume-2 "Consume progress"
 * @emits client.offset.updated, client.offset.persisted
 * @category Client
 * @module
 */
import { MASTER_ID } from '../../../common/mix-all.js';
import type { MessageQueue } from '../../../common/protocol/body/message-queue-keyed-map.js';
import type { NodeEvents } from '../../../events/event-sink.js';
import { ClientErrorCode, MQBrokerError, MQClientError } from '../../errors.js';
import { MessageQueueMap, messageQueueKey } from '../message-queue-map.js';
import { ReadOffsetType, type OffsetStore, type OffsetStoreClient } from './offset-store.js';

/** Java: the offset RPCs use a fixed 5 s timeout. */
const OFFSET_RPC_TIMEOUT_MILLIS = 5_000;

export class RemoteBrokerOffsetStore implements OffsetStore {
  private readonly offsetTable = new MessageQueueMap<number>();

  constructor(private readonly client: OffsetStoreClient, readonly groupName: string, private readonly events: NodeEvents) {}

  load(): void {
    // The broker holds the offsets; nothing to read at start.
  }

  updateOffset(mq: MessageQueue, offset: number, increaseOnly: boolean): void {
    const old = this.offsetTable.get(mq);
    if (old === offset || (increaseOnly && old !== undefined && offset < old)) return;
    this.offsetTable.set(mq, offset);
    this.events.emit('client.offset.updated', { group: this.groupName, mq: messageQueueKey(mq), offset, increaseOnly }, { flow: 'offset' });
  }

  async readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number> {
    if (type !== ReadOffsetType.READ_FROM_STORE) {
      const offset = this.offsetTable.get(mq);
      if (offset !== undefined) return offset;
      if (type === ReadOffsetType.READ_FROM_MEMORY) return -1;
    }
    try {
      const brokerOffset = await this.fetchConsumeOffsetFromBroker(mq);
      this.updateOffset(mq, brokerOffset, false);
      return brokerOffset;
    } catch (error) {
      // Java: MQBrokerException (QUERY_NOT_FOUND and any other code) means "no offset".
      return error instanceof MQBrokerError ? -1 : -2;
    }
  }

  async persistAll(mqs: readonly MessageQueue[]): Promise<void> {
    if (mqs.length === 0) return;
    const wanted = new Set(mqs.map(messageQueueKey));
    const sent: Array<{ mq: string; offset: number }> = [];
    const calls: Array<Promise<void>> = [];
    for (const [mq, offset] of this.offsetTable.entries()) {
      if (!wanted.has(messageQueueKey(mq))) {
        this.offsetTable.delete(mq); // Java: "remove unused mq" (no longer assigned here)
        continue;
      }
      calls.push(this.updateConsumeOffsetToBroker(mq, offset, true).then(
        () => void sent.push({ mq: messageQueueKey(mq), offset }),
        () => undefined, // Java logs "updateConsumeOffsetToBroker exception" and goes on.
      ));
    }
    await Promise.all(calls);
    if (sent.length > 0) this.events.emit('client.offset.persisted', { group: this.groupName, store: 'broker', entries: sent }, { flow: 'offset' });
  }

  async persist(mq: MessageQueue): Promise<void> {
    const offset = this.offsetTable.get(mq);
    if (offset === undefined) return;
    try {
      await this.updateConsumeOffsetToBroker(mq, offset, true);
    } catch {
      return; // Java logs and goes on.
    }
    this.events.emit('client.offset.persisted', { group: this.groupName, store: 'broker', entries: [{ mq: messageQueueKey(mq), offset }] }, { flow: 'offset' });
  }

  removeOffset(mq: MessageQueue): void {
    this.offsetTable.delete(mq);
  }

  cloneOffsetTable(topic?: string): Array<[MessageQueue, number]> {
    return this.offsetTable.entries().filter(([mq]) => topic === undefined || topic.length === 0 || mq.topic === topic);
  }

  async updateConsumeOffsetToBroker(mq: MessageQueue, offset: number, isOneway: boolean): Promise<void> {
    const addr = await this.findMasterAddress(mq);
    const header = { consumerGroup: this.groupName, topic: mq.topic, queueId: mq.queueId, commitOffset: offset };
    if (isOneway) await this.client.mqClientAPIImpl.updateConsumerOffsetOneway(addr, header, OFFSET_RPC_TIMEOUT_MILLIS);
    else await this.client.mqClientAPIImpl.updateConsumerOffset(addr, header, OFFSET_RPC_TIMEOUT_MILLIS);
  }

  private async fetchConsumeOffsetFromBroker(mq: MessageQueue): Promise<number> {
    const addr = await this.findMasterAddress(mq);
    const header = { consumerGroup: this.groupName, topic: mq.topic, queueId: mq.queueId };
    return this.client.mqClientAPIImpl.queryConsumerOffset(addr, header, OFFSET_RPC_TIMEOUT_MILLIS);
  }

  /** The master of the queue's broker; after a route refresh, any address of it. */
  private async findMasterAddress(mq: MessageQueue): Promise<string> {
    let found = this.client.findBrokerAddressInSubscribe(mq.brokerName, MASTER_ID, true);
    if (found === undefined) {
      await this.client.updateTopicRouteInfoFromNameServer(mq.topic);
      found = this.client.findBrokerAddressInSubscribe(mq.brokerName, MASTER_ID, false);
    }
    if (found === undefined) throw new MQClientError(ClientErrorCode.BROKER_NOT_EXIST_EXCEPTION, `The broker[${mq.brokerName}] not exist`);
    return found.brokerAddr;
  }
}
