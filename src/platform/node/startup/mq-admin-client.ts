/**
 * MQAdminClient: the calls `rocketmq-ts admin` makes, one method per request, over a
 * RemotingClient on real TCP.
 *
 * mqadmin never keeps state: every command asks a name server where things are (a
 * topic's route, the cluster's brokers), then talks to each broker directly. This class is
 * that conversation as typed methods; a response other than SUCCESS becomes an
 * {@link MQAdminError} carrying Java's "CODE: n DESC: remark" text.
 *
 * ```
 *   name server:  GET_ROUTEINFO_BY_TOPIC 105, GET_BROKER_CLUSTER_INFO 106,
 *                 GET_ALL_TOPIC_LIST_FROM_NAMESERVER 206, DELETE_TOPIC_IN_NAMESRV 216
 *   broker:       UPDATE_AND_CREATE_TOPIC 17, DELETE_TOPIC_IN_BROKER 215, GET_TOPIC_STATS_INFO 202,
 *                 GET_BROKER_RUNTIME_INFO 28, GET_CONSUME_STATS 208, VIEW_MESSAGE_BY_ID 33,
 *                 QUERY_MESSAGE 12, INVOKE_BROKER_TO_RESET_OFFSET 222
 * ```
 *
 * Differences from RocketMQ 4.9.x: a small subset of `DefaultMQAdminExt`; the first name
 * server of the list is used (Java picks one at random and fails over).
 *
 * @mirrors org.apache.rocketmq.tools.admin.DefaultMQAdminExt
 * @mirrors org.apache.rocketmq.client.impl.MQClientAPIImpl
 * @article namesrv "Answering brokers and clients"
 * @category Platform
 * @module
 */
import { inflateSync } from 'node:zlib';
import { decodeConsumeStats, decodeResetOffsetBody, decodeTopicStatsTable, type ConsumeStats, type ResetOffsetBody, type TopicStatsTable } from '../../../common/protocol/body/admin-bodies.js';
import { decodeMessages } from '../../../common/message/message-decoder.js';
import type { MessageExt } from '../../../common/message/message-ext.js';
import { decodeClusterInfo, type ClusterInfo } from '../../../common/protocol/body/cluster-info.js';
import { decodeKVTable } from '../../../common/protocol/body/kv-table.js';
import { decodeTopicList } from '../../../common/protocol/body/topic-list.js';
import { RequestCode } from '../../../common/protocol/request-code.js';
import { ResponseCode, responseCodeName } from '../../../common/protocol/response-code.js';
import { decodeTopicRouteData, type TopicRouteData } from '../../../common/protocol/route/topic-route-data.js';
import type { TopicConfig } from '../../../common/topic/topic-config.js';
import { noEvents } from '../../../events/event-sink.js';
import { RemotingClient } from '../../../remoting/remoting-client.js';
import { createRequestCommand, type ExtFieldValue, type RemotingCommand } from '../../../remoting/remoting-command.js';
import { SystemClock } from '../../system-clock.js';
import { TcpTransport } from '../tcp-transport.js';

/** A request was answered with a code other than SUCCESS. */
export class MQAdminError extends Error {
  override readonly name: string = 'MQAdminError';
  constructor(readonly responseCode: number, readonly remark: string | undefined, readonly address: string) {
    super(`CODE: ${responseCode} (${responseCodeName(responseCode)})  DESC: ${remark ?? ''}  (from ${address})`);
  }
}

/** Inflate a zlib body (sysFlag bit 0), as the Java client does when decoding. */
export function inflateBody(compressed: Uint8Array): Uint8Array {
  return new Uint8Array(inflateSync(compressed));
}

/** Decode records the way a client does: bodies inflated. */
export function decodeRecords(body: Uint8Array | undefined): MessageExt[] {
  return body === undefined ? [] : decodeMessages(body, true, true, inflateBody);
}

export class MQAdminClient {
  readonly timeoutMs: number;
  private readonly transport = new TcpTransport();
  private readonly client: RemotingClient;

  /** `namesrvAddr`: `host:port`, or several separated by `;` (the first is used). */
  constructor(readonly namesrvAddr: string, timeoutMs = 5000) {
    this.timeoutMs = timeoutMs;
    this.client = new RemotingClient({ transport: this.transport, clock: new SystemClock({ unref: true }), events: noEvents('mqadmin') });
  }

  private get namesrv(): string {
    return this.namesrvAddr.split(';')[0]!.trim();
  }

  /** One call; anything but SUCCESS (or one of `accept`) throws {@link MQAdminError}. */
  async invoke(address: string, code: number, fields: Record<string, ExtFieldValue> = {}, accept: readonly number[] = []): Promise<RemotingCommand> {
    const response = await this.client.invokeSync(address, createRequestCommand(code, fields), this.timeoutMs);
    if (response.code !== ResponseCode.SUCCESS && !accept.includes(response.code)) throw new MQAdminError(response.code, response.remark, address);
    return response;
  }

  /** The route body exactly as the name server sent it. */
  async getTopicRouteBody(topic: string): Promise<Uint8Array> {
    return (await this.invoke(this.namesrv, RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic })).body ?? new Uint8Array(0);
  }

  async getTopicRoute(topic: string): Promise<TopicRouteData> {
    return decodeTopicRouteData(await this.getTopicRouteBody(topic));
  }

  async getClusterInfo(): Promise<ClusterInfo> {
    return decodeClusterInfo((await this.invoke(this.namesrv, RequestCode.GET_BROKER_CLUSTER_INFO)).body ?? new Uint8Array(0));
  }

  async getTopicList(): Promise<string[]> {
    const response = await this.invoke(this.namesrv, RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER);
    return [...decodeTopicList(response.body ?? new Uint8Array(0)).topicList].sort();
  }

  async deleteTopicInNamesrv(topic: string): Promise<void> {
    await this.invoke(this.namesrv, RequestCode.DELETE_TOPIC_IN_NAMESRV, { topic });
  }

  /** The master addresses of every broker of a cluster (brokerId 0). */
  async masterAddrsOfCluster(cluster: string): Promise<string[]> {
    const info = await this.getClusterInfo();
    const names = info.clusterAddrTable.get(cluster);
    if (names === undefined) throw new MQAdminError(ResponseCode.SYSTEM_ERROR, `cluster [${cluster}] not exist`, this.namesrv);
    return [...names].sort().map((name) => info.brokerAddrTable.get(name)?.brokerAddrs.get(0)).filter((a): a is string => a !== undefined);
  }

  async createTopic(brokerAddr: string, config: TopicConfig): Promise<void> {
    await this.invoke(brokerAddr, RequestCode.UPDATE_AND_CREATE_TOPIC, {
      topic: config.topicName, defaultTopic: 'TBW102', readQueueNums: config.readQueueNums, writeQueueNums: config.writeQueueNums,
      perm: config.perm, topicFilterType: config.topicFilterType, topicSysFlag: config.topicSysFlag, order: config.order,
    });
  }

  async deleteTopicInBroker(brokerAddr: string, topic: string): Promise<void> {
    await this.invoke(brokerAddr, RequestCode.DELETE_TOPIC_IN_BROKER, { topic });
  }

  async getTopicStats(brokerAddr: string, topic: string): Promise<TopicStatsTable> {
    return decodeTopicStatsTable((await this.invoke(brokerAddr, RequestCode.GET_TOPIC_STATS_INFO, { topic })).body ?? new Uint8Array(0));
  }

  async getBrokerRuntimeInfo(brokerAddr: string): Promise<Map<string, string>> {
    return decodeKVTable((await this.invoke(brokerAddr, RequestCode.GET_BROKER_RUNTIME_INFO)).body ?? new Uint8Array(0)).table;
  }

  async getConsumeStats(brokerAddr: string, consumerGroup: string, topic?: string): Promise<ConsumeStats> {
    const response = await this.invoke(brokerAddr, RequestCode.GET_CONSUME_STATS, { consumerGroup, topic });
    return decodeConsumeStats(response.body ?? new Uint8Array(0));
  }

  async viewMessage(brokerAddr: string, offset: number): Promise<MessageExt | undefined> {
    return decodeRecords((await this.invoke(brokerAddr, RequestCode.VIEW_MESSAGE_BY_ID, { offset })).body)[0];
  }

  /** QUERY_MESSAGE; an empty list when the broker answers QUERY_NOT_FOUND. */
  async queryMessage(brokerAddr: string, topic: string, key: string, maxNum: number, beginTimestamp: number, endTimestamp: number): Promise<MessageExt[]> {
    const response = await this.invoke(brokerAddr, RequestCode.QUERY_MESSAGE, { topic, key, maxNum, beginTimestamp, endTimestamp }, [ResponseCode.QUERY_NOT_FOUND]);
    return response.code === ResponseCode.SUCCESS ? decodeRecords(response.body) : [];
  }

  async resetOffset(brokerAddr: string, topic: string, group: string, timestamp: number, isForce: boolean): Promise<ResetOffsetBody> {
    const response = await this.invoke(brokerAddr, RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, { topic, group, timestamp, isForce });
    return response.body === undefined ? { offsetTable: [] } : decodeResetOffsetBody(response.body);
  }

  /** Close every connection. */
  shutdown(): void {
    this.client.shutdown();
    this.transport.destroyAll();
  }
}

/** The master (brokerId 0) address of every broker in a route, with its broker name, sorted by name. */
export function masterAddrsOfRoute(route: TopicRouteData): Array<{ brokerName: string; addr: string }> {
  return route.brokerDatas
    .map((b) => ({ brokerName: b.brokerName, addr: b.brokerAddrs.get(0) }))
    .filter((b): b is { brokerName: string; addr: string } => b.addr !== undefined)
    .sort((a, b) => (a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0));
}
