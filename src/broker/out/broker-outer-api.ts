/**
 * BrokerOuterAPI: the calls a broker makes to the name servers, register (every 30 s and
 * after topic changes) and unregister (at shutdown), and a slave's calls to its master.
 *
 * A broker is only reachable once the name servers know it. It tells each of them, in
 * parallel, who it is and which topics it hosts; the name server answers with nothing
 * special for a master (a slave learns its master's address from the answer):
 *
 * ```
 *   REGISTER_BROKER (103)  header: brokerName, brokerAddr "10.0.0.2:10911", clusterName,
 *                                  haServerAddr "10.0.0.2:10912", brokerId, compressed,
 *                                  bodyCrc32 = crc32(body) & 0x7FFFFFFF
 *                          body:   {"filterServerList":[],"topicConfigSerializeWrapper":{
 *                                    "dataVersion":{..},"topicConfigTable":{..}}}
 *   ──► every name server at once, each with its own 6 s timeout
 *   ◄── SUCCESS, header masterAddr?/haServerAddr?, body KVTable of ORDER_TOPIC_CONFIG?
 * ```
 *
 * One name server failing does not fail the others: each outcome is reported as one
 * `broker.namesrv.registered` event, and only the successful answers are returned.
 *
 * A slave also calls its master here, for the four tables `SlaveSynchronize` copies:
 *
 * ```
 *   GET_ALL_TOPIC_CONFIG (21)        on the master's VIP port (listenPort - 2), as Java does
 *                                    ◄── {"dataVersion":..,"topicConfigTable":{..}}
 *   GET_ALL_CONSUMER_OFFSET (43)     ◄── {"offsetTable":{"topic@group":{0:5,..}}}
 *   GET_ALL_DELAY_OFFSET (45)        ◄── {"offsetTable":{1:0,3:7}} (kept as text: it becomes delayOffset.json)
 *   GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201) ◄── {"dataVersion":..,"subscriptionGroupTable":{..}}
 *   each with a 3 s timeout; any code but SUCCESS throws MQBrokerError
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - Promises instead of an executor and a `CountDownLatch`; each call's own timeout bounds
 *   the whole registration the same way the latch wait does.
 * - No address-server lookup (`fetchNameServerAddr`) and no QUERY_DATA_VERSION
 *   (`needRegister`): the broker always registers (`forceRegister=true`, the default).
 * - `unregisterBrokerAll` asks every name server in parallel (Java: one after another).
 *
 * @mirrors org.apache.rocketmq.broker.out.BrokerOuterAPI
 * @mirrors org.apache.rocketmq.common.protocol.body.ConsumerOffsetSerializeWrapper
 * @mirrors org.apache.rocketmq.common.protocol.body.SubscriptionGroupWrapper
 * @article namesrv "Registering a broker"
 * @emits broker.namesrv.registered, broker.namesrv.unregistered
 * @category Broker
 * @module
 */
import { decodeUtf8 } from '../../common/bytes.js';
import { crc32Positive } from '../../common/crc32.js';
import { decodeFastjson, JsonFormatError } from '../../common/json/fastjson.js';
import { asObject, optObject } from '../../common/json/json-fields.js';
import { brokerVIPChannel } from '../../common/mix-all.js';
import { DataVersion } from '../../common/protocol/body/data-version.js';
import { decodeKVTable, type KVTable } from '../../common/protocol/body/kv-table.js';
import { RegisterBrokerBody } from '../../common/protocol/body/register-broker-body.js';
import { TopicConfigSerializeWrapper } from '../../common/protocol/body/topic-config-serialize-wrapper.js';
import { SubscriptionGroupConfig } from '../../common/subscription/subscription-group-config.js';
import { RequestCode } from '../../common/protocol/request-code.js';
import { ResponseCode, responseCodeName } from '../../common/protocol/response-code.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { RemotingClient } from '../../remoting/remoting-client.js';
import { createRequestCommand, type RemotingCommand } from '../../remoting/remoting-command.js';

/** Java's timeout for one UNREGISTER_BROKER. */
export const UNREGISTER_BROKER_TIMEOUT_MILLIS = 3000;
/** Java's timeout for each of a slave's GET_ALL_* calls to its master. */
export const SLAVE_SYNC_TIMEOUT_MILLIS = 3000;

/** GET_ALL_CONSUMER_OFFSET's body: "topic@group" → queueId → offset (Java `ConsumerOffsetSerializeWrapper`). */
export type ConsumerOffsetTable = Map<string, Map<number, number>>;

/** GET_ALL_SUBSCRIPTIONGROUP_CONFIG's body (Java `SubscriptionGroupWrapper`). */
export interface SubscriptionGroupWrapper {
  readonly dataVersion: DataVersion;
  readonly subscriptionGroupTable: Map<string, SubscriptionGroupConfig>;
}

export interface BrokerOuterAPIOptions {
  /** The client the broker uses for name-server calls; the API shuts it down in {@link BrokerOuterAPI.shutdown}. */
  readonly remotingClient: RemotingClient;
  readonly events: NodeEvents;
}

/** Everything one registration sends. */
export interface RegisterBrokerRequest {
  readonly clusterName: string;
  readonly brokerAddr: string;
  readonly brokerName: string;
  readonly brokerId: number;
  readonly haServerAddr: string;
  readonly topicConfigWrapper: TopicConfigSerializeWrapper;
  readonly filterServerList: readonly string[];
  /** Send with the ONEWAY bit and wait for nothing (after auto-creating a topic). */
  readonly oneway: boolean;
  readonly timeoutMills: number;
  /** Send the zlib form of the body (`compressedRegister`). */
  readonly compressed: boolean;
}

/** One name server's answer to a (non-one-way) registration. */
export interface RegisterBrokerResult {
  readonly namesrvAddr: string;
  /** For a slave: its master's address, once the master registered. */
  readonly masterAddr: string | undefined;
  /** For a slave: its master's HA address. */
  readonly haServerAddr: string | undefined;
  /** The name server's ORDER_TOPIC_CONFIG table, when it sent one. */
  readonly kvTable: KVTable | undefined;
}

/** A name server answered a broker call with something other than SUCCESS (Java `MQBrokerException`). */
export class MQBrokerError extends Error {
  override readonly name: string = 'MQBrokerError';
  constructor(readonly responseCode: number, readonly remark: string | undefined, readonly address: string) {
    super(`CODE: ${responseCode} (${responseCodeName(responseCode)}) DESC: ${remark ?? ''} address: ${address}`);
  }
}

export class BrokerOuterAPI {
  private readonly remotingClient: RemotingClient;
  private readonly events: NodeEvents;
  private nameServerAddressList: string[] = [];

  constructor(options: BrokerOuterAPIOptions) {
    this.remotingClient = options.remotingClient;
    this.events = options.events;
  }

  /** Replace the name-server list from a `;`-separated string (`namesrvAddr`). */
  updateNameServerAddressList(addrs: string): void {
    this.nameServerAddressList = addrs.split(';').map((a) => a.trim()).filter((a) => a.length > 0);
  }

  getNameServerAddressList(): readonly string[] {
    return this.nameServerAddressList;
  }

  /**
   * Register with every name server in parallel. Resolves, never rejects, once each has
   * answered, failed or timed out, with the successful answers (none for one-way).
   */
  async registerBrokerAll(request: RegisterBrokerRequest): Promise<RegisterBrokerResult[]> {
    const addresses = [...this.nameServerAddressList];
    if (addresses.length === 0) return [];
    const registerBody = new RegisterBrokerBody(request.topicConfigWrapper, [...request.filterServerList]);
    const body = request.compressed ? await registerBody.encodeCompressed() : registerBody.encode();
    const header = {
      brokerName: request.brokerName,
      brokerAddr: request.brokerAddr,
      clusterName: request.clusterName,
      haServerAddr: request.haServerAddr,
      brokerId: request.brokerId,
      compressed: request.compressed,
      bodyCrc32: crc32Positive(body),
    };
    const topics = request.topicConfigWrapper.topicConfigTable.size;
    const outcomes = await Promise.all(addresses.map(async (namesrv) => {
      const command = createRequestCommand(RequestCode.REGISTER_BROKER, header);
      command.body = body;
      try {
        const result = await this.registerBroker(namesrv, command, request.oneway, request.timeoutMills);
        this.events.emit('broker.namesrv.registered', { namesrv, ok: true, topics, oneway: request.oneway }, { flow: 'route' });
        return result;
      } catch (error) {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        this.events.emit('broker.namesrv.registered', { namesrv, ok: false, topics, oneway: request.oneway, error: message }, { flow: 'route' });
        return undefined;
      }
    }));
    return outcomes.filter((r): r is RegisterBrokerResult => r !== undefined);
  }

  /** One registration; `undefined` for one-way. Throws on a transport failure or a non-SUCCESS answer. */
  private async registerBroker(namesrv: string, request: RemotingCommand, oneway: boolean, timeoutMs: number): Promise<RegisterBrokerResult | undefined> {
    if (oneway) {
      await this.remotingClient.invokeOneway(namesrv, request, timeoutMs);
      return undefined;
    }
    const response = await this.remotingClient.invokeSync(namesrv, request, timeoutMs);
    if (response.code !== ResponseCode.SUCCESS) throw new MQBrokerError(response.code, response.remark, namesrv);
    return {
      namesrvAddr: namesrv,
      masterAddr: response.optString('masterAddr'),
      haServerAddr: response.optString('haServerAddr'),
      kvTable: response.body === undefined ? undefined : decodeKVTable(response.body),
    };
  }

  /** Tell every name server this broker is leaving. Resolves, never rejects, once each answered or failed. */
  async unregisterBrokerAll(clusterName: string, brokerAddr: string, brokerName: string, brokerId: number): Promise<void> {
    await Promise.all(this.nameServerAddressList.map(async (namesrv) => {
      try {
        const request = createRequestCommand(RequestCode.UNREGISTER_BROKER, { brokerName, brokerAddr, clusterName, brokerId });
        const response = await this.remotingClient.invokeSync(namesrv, request, UNREGISTER_BROKER_TIMEOUT_MILLIS);
        if (response.code !== ResponseCode.SUCCESS) throw new MQBrokerError(response.code, response.remark, namesrv);
        this.events.emit('broker.namesrv.unregistered', { namesrv, ok: true }, { flow: 'route' });
      } catch (error) {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        this.events.emit('broker.namesrv.unregistered', { namesrv, ok: false, error: message }, { flow: 'route' });
      }
    }));
  }

  /** A master's topic table (GET_ALL_TOPIC_CONFIG, on its VIP port). Throws on failure, as every call below. */
  async getAllTopicConfig(masterAddr: string): Promise<TopicConfigSerializeWrapper> {
    return TopicConfigSerializeWrapper.decode(await this.invokeMaster(brokerVIPChannel(true, masterAddr), RequestCode.GET_ALL_TOPIC_CONFIG));
  }

  /** A master's consumer offsets (GET_ALL_CONSUMER_OFFSET). */
  async getAllConsumerOffset(masterAddr: string): Promise<ConsumerOffsetTable> {
    return decodeConsumerOffsetTable(await this.invokeMaster(masterAddr, RequestCode.GET_ALL_CONSUMER_OFFSET));
  }

  /** A master's delay-level offsets as the text of its `delayOffset.json` (GET_ALL_DELAY_OFFSET). */
  async getAllDelayOffset(masterAddr: string): Promise<string> {
    return decodeUtf8(await this.invokeMaster(masterAddr, RequestCode.GET_ALL_DELAY_OFFSET));
  }

  /** A master's subscription groups (GET_ALL_SUBSCRIPTIONGROUP_CONFIG). */
  async getAllSubscriptionGroupConfig(masterAddr: string): Promise<SubscriptionGroupWrapper> {
    return decodeSubscriptionGroupWrapper(await this.invokeMaster(masterAddr, RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG));
  }

  /** One header-less request to a broker; the body of a SUCCESS answer, else MQBrokerError. */
  private async invokeMaster(addr: string, code: number): Promise<Uint8Array> {
    const response = await this.remotingClient.invokeSync(addr, createRequestCommand(code), SLAVE_SYNC_TIMEOUT_MILLIS);
    if (response.code !== ResponseCode.SUCCESS) throw new MQBrokerError(response.code, response.remark, addr);
    return response.body ?? new Uint8Array(0);
  }

  /** Close every name-server connection. */
  shutdown(): void {
    this.remotingClient.shutdown();
  }
}

/** `{"offsetTable":{"topic@group":{0:5}}}` (bare or quoted queue ids); throws JsonFormatError. */
export function decodeConsumerOffsetTable(body: Uint8Array): ConsumerOffsetTable {
  const path = 'ConsumerOffsetSerializeWrapper';
  const table: ConsumerOffsetTable = new Map();
  for (const [key, queues] of Object.entries(optObject(asObject(decodeFastjson(body, path), path), 'offsetTable', path) ?? {})) {
    if (queues === null) continue;
    const offsets = new Map<number, number>();
    for (const [queueId, offset] of Object.entries(asObject(queues, `${path}.offsetTable.${key}`))) {
      if (!/^-?\d+$/.test(queueId) || typeof offset !== 'number' || !Number.isSafeInteger(offset)) {
        throw new JsonFormatError(`${path}.offsetTable.${key}.${queueId}`, 'expected an integer queue id and offset');
      }
      offsets.set(Number(queueId), offset);
    }
    table.set(key, offsets);
  }
  return table;
}

/** `{"dataVersion":{..},"subscriptionGroupTable":{"cg":{..}}}`; throws JsonFormatError. */
export function decodeSubscriptionGroupWrapper(body: Uint8Array): SubscriptionGroupWrapper {
  const path = 'SubscriptionGroupWrapper';
  const root = asObject(decodeFastjson(body, path), path);
  const version = optObject(root, 'dataVersion', path);
  const subscriptionGroupTable = new Map<string, SubscriptionGroupConfig>();
  for (const [group, value] of Object.entries(optObject(root, 'subscriptionGroupTable', path) ?? {})) {
    if (value !== null) subscriptionGroupTable.set(group, SubscriptionGroupConfig.fromJson(value, `${path}.subscriptionGroupTable.${group}`, group));
  }
  return { dataVersion: version === undefined ? new DataVersion() : DataVersion.fromJson(version, `${path}.dataVersion`), subscriptionGroupTable };
}
