/**
 * DefaultRequestProcessor: the name server's one processor, answering every request code
 * it knows from the route tables and the key-value store.
 *
 * Two callers keep a name server busy. Brokers send REGISTER_BROKER every 30 seconds (and
 * UNREGISTER_BROKER when they shut down cleanly); clients send GET_ROUTEINFO_BY_TOPIC for
 * every topic they use, every 30 seconds. Everything else is for operators (`mqadmin`):
 * cluster and topic listings, deleting a topic, draining a broker, key-value settings.
 *
 * ```
 *   code  request                         answer
 *   103   REGISTER_BROKER                 header haServerAddr/masterAddr (slaves), body KVTable of ORDER_TOPIC_CONFIG
 *   104   UNREGISTER_BROKER               SUCCESS
 *   105   GET_ROUTEINFO_BY_TOPIC          body TopicRouteData, or TOPIC_NOT_EXIST (17)
 *   106   GET_BROKER_CLUSTER_INFO         body ClusterInfo
 *   100-102, 219  PUT/GET/DELETE_KV_CONFIG, GET_KVLIST_BY_NAMESPACE
 *   205/327  WIPE/ADD_WRITE_PERM_OF_BROKER  header wipeTopicCount / addTopicCount
 *   206, 224, 304, 311-313  topic lists    body TopicList
 *   216   DELETE_TOPIC_IN_NAMESRV         SUCCESS
 *   322   QUERY_DATA_VERSION              header changed, body the DataVersion on record
 * ```
 *
 * A missing or malformed header field, or a body that does not decode, is answered
 * SYSTEM_ERROR with a remark naming what was wrong; nothing a peer sends can throw out of
 * here. REGISTER_BROKER also checks the body's CRC (`bodyCrc32`, when nonzero, must equal
 * `crc32(body) & 0x7FFFFFFF`) and picks the body format by the broker's version: a
 * `RegisterBrokerBody` from V3_0_11 (ordinal 37) on, a bare `TopicConfigSerializeWrapper`
 * before.
 *
 * Differences from RocketMQ 4.9.x:
 * - An unknown code is answered REQUEST_CODE_NOT_SUPPORTED (Java's processor returns null:
 *   no answer at all, and the caller times out).
 * - Routes are standard JSON for every client (see topic-route-data.ts); Java switches to
 *   it only for clients >= V4_9_4 or with `acceptStandardJsonOnly`.
 * - A compressed register body is inflated asynchronously; a registration whose connection
 *   closed meanwhile is dropped.
 * - No UPDATE_NAMESRV_CONFIG / GET_NAMESRV_CONFIG, and no `ClusterTestRequestProcessor`.
 *
 * @mirrors org.apache.rocketmq.namesrv.processor.DefaultRequestProcessor
 * @article namesrv "Answering brokers and clients"
 * @emits namesrv.route.queried
 * @category Namesrv
 * @module
 */
import { crc32Positive } from '../common/crc32.js';
import { JsonFormatError } from '../common/json/fastjson.js';
import { encodeClusterInfo } from '../common/protocol/body/cluster-info.js';
import { DataVersion } from '../common/protocol/body/data-version.js';
import { encodeKVTable } from '../common/protocol/body/kv-table.js';
import { CompressedBodyUnsupportedError, RegisterBrokerBody } from '../common/protocol/body/register-broker-body.js';
import { TopicConfigSerializeWrapper } from '../common/protocol/body/topic-config-serialize-wrapper.js';
import { encodeTopicList, type TopicList } from '../common/protocol/body/topic-list.js';
import { RequestCode } from '../common/protocol/request-code.js';
import { ResponseCode } from '../common/protocol/response-code.js';
import { encodeTopicRouteData } from '../common/protocol/route/topic-route-data.js';
import type { NodeEvents } from '../events/event-sink.js';
import type { Clock } from '../platform/clock.js';
import { FileSystemError } from '../platform/storage.js';
import { RemotingCommandError } from '../remoting/errors.js';
import { createResponseCommand, type RemotingCommand } from '../remoting/remoting-command.js';
import type { RequestContext, RequestProcessor } from '../remoting/request-processor.js';
import { NAMESPACE_ORDER_TOPIC_CONFIG, type KVConfigManager } from './kv-config-manager.js';
import type { NamesrvConfig } from './namesrv-config.js';
import type { RouteInfoManager } from './route-info-manager.js';

/** `MQVersion.Version.V3_0_11`: brokers from this version on send a RegisterBrokerBody. */
export const VERSION_V3_0_11 = 37;

/** The FAQ pointer Java appends to TOPIC_NOT_EXIST (`FAQUrl.suggestTodo(APPLY_TOPIC_URL)`). */
export const APPLY_TOPIC_SUGGESTION = '\nSee http://rocketmq.apache.org/docs/faq/ for further details.';

export interface DefaultRequestProcessorOptions {
  routeInfoManager: RouteInfoManager;
  kvConfigManager: KVConfigManager;
  config: Pick<NamesrvConfig, 'orderMessageEnable'>;
  clock: Clock;
  events: NodeEvents;
}

/** The header of REGISTER_BROKER, read and checked. */
interface RegisterBrokerHeader {
  brokerName: string;
  brokerAddr: string;
  clusterName: string;
  haServerAddr: string;
  brokerId: number;
  compressed: boolean;
  bodyCrc32: number;
}

/** A response now, or later (a compressed register body is inflated asynchronously). */
export type Answer = RemotingCommand | Promise<RemotingCommand>;

export class DefaultRequestProcessor implements RequestProcessor {
  private readonly routes: RouteInfoManager;
  private readonly kv: KVConfigManager;
  private readonly config: Pick<NamesrvConfig, 'orderMessageEnable'>;
  private readonly clock: Clock;
  private readonly events: NodeEvents;

  constructor(options: DefaultRequestProcessorOptions) {
    this.routes = options.routeInfoManager;
    this.kv = options.kvConfigManager;
    this.config = options.config;
    this.clock = options.clock;
    this.events = options.events;
  }

  rejectRequest(): boolean {
    return false;
  }

  processRequest(ctx: RequestContext, request: RemotingCommand): Answer {
    try {
      const answer = this.dispatch(ctx, request);
      return answer instanceof Promise ? answer.catch((error: unknown) => badRequest(error)) : answer;
    } catch (error) {
      return badRequest(error);
    }
  }

  private dispatch(ctx: RequestContext, request: RemotingCommand): Answer {
    switch (request.code) {
      case RequestCode.PUT_KV_CONFIG:
        this.kv.putKVConfig(request.getString('namespace'), request.getString('key'), request.getString('value'));
        return success();
      case RequestCode.GET_KV_CONFIG:
        return this.getKVConfig(request);
      case RequestCode.DELETE_KV_CONFIG:
        this.kv.deleteKVConfig(request.getString('namespace'), request.getString('key'));
        return success();
      case RequestCode.QUERY_DATA_VERSION:
        return this.queryBrokerTopicConfig(request);
      case RequestCode.REGISTER_BROKER:
        return this.registerBroker(ctx, request);
      case RequestCode.UNREGISTER_BROKER:
        this.routes.unregisterBroker(request.getString('clusterName'), request.getString('brokerAddr'), request.getString('brokerName'), request.getLong('brokerId'));
        return success();
      case RequestCode.GET_ROUTEINFO_BY_TOPIC:
        return this.getRouteInfoByTopic(request);
      case RequestCode.GET_BROKER_CLUSTER_INFO:
        return success(encodeClusterInfo(this.routes.getAllClusterInfo()));
      case RequestCode.WIPE_WRITE_PERM_OF_BROKER:
        return success().setExtField('wipeTopicCount', this.routes.wipeWritePermOfBrokerByLock(request.getString('brokerName')));
      case RequestCode.ADD_WRITE_PERM_OF_BROKER:
        return success().setExtField('addTopicCount', this.routes.addWritePermOfBrokerByLock(request.getString('brokerName')));
      case RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER:
        return topicListAnswer(this.routes.getAllTopicList());
      case RequestCode.DELETE_TOPIC_IN_NAMESRV:
        this.routes.deleteTopic(request.getString('topic'), request.optString('clusterName'));
        return success();
      case RequestCode.GET_KVLIST_BY_NAMESPACE:
        return this.getKVListByNamespace(request);
      case RequestCode.GET_TOPICS_BY_CLUSTER:
        return topicListAnswer(this.routes.getTopicsByCluster(request.getString('cluster')));
      case RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS:
        return topicListAnswer(this.routes.getSystemTopicList());
      case RequestCode.GET_UNIT_TOPIC_LIST:
        return topicListAnswer(this.routes.getUnitTopics());
      case RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST:
        return topicListAnswer(this.routes.getHasUnitSubTopicList());
      case RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST:
        return topicListAnswer(this.routes.getHasUnitSubUnUnitTopicList());
      default:
        // Java: the name server returns null here and the caller waits for its timeout.
        return createResponseCommand(ResponseCode.REQUEST_CODE_NOT_SUPPORTED, ` request type ${request.code} not supported`);
    }
  }

  // ---- Brokers -----------------------------------------------------------------------------

  /** REGISTER_BROKER: check the CRC, decode the body by version (and compression), register. */
  private registerBroker(ctx: RequestContext, request: RemotingCommand): Answer {
    const header = readRegisterHeader(request);
    const body = request.body;
    if (header.bodyCrc32 !== 0 && crc32Positive(body ?? new Uint8Array(0)) !== header.bodyCrc32) {
      return createResponseCommand(ResponseCode.SYSTEM_ERROR, 'crc32 not match');
    }
    if (request.version < VERSION_V3_0_11) {
      const wrapper = body === undefined ? new TopicConfigSerializeWrapper() : TopicConfigSerializeWrapper.decode(body);
      return this.completeRegister(ctx, header, wrapper, undefined);
    }
    if (body === undefined) return this.completeRegister(ctx, header, new TopicConfigSerializeWrapper(), []);
    if (!header.compressed) {
      const decoded = RegisterBrokerBody.decode(body);
      return this.completeRegister(ctx, header, decoded.topicConfigSerializeWrapper, decoded.filterServerList);
    }
    return RegisterBrokerBody.decodeCompressed(body).then((decoded) =>
      this.completeRegister(ctx, header, decoded.topicConfigSerializeWrapper, decoded.filterServerList),
    );
  }

  private completeRegister(
    ctx: RequestContext,
    header: RegisterBrokerHeader,
    wrapper: TopicConfigSerializeWrapper,
    filterServerList: string[] | undefined,
  ): RemotingCommand {
    if (ctx.closed) return createResponseCommand(ResponseCode.SYSTEM_ERROR, 'the connection closed while the body was decoded');
    const result = this.routes.registerBroker({
      clusterName: header.clusterName,
      brokerAddr: header.brokerAddr,
      brokerName: header.brokerName,
      brokerId: header.brokerId,
      haServerAddr: header.haServerAddr,
      topicConfigWrapper: wrapper,
      filterServerList,
      channel: ctx,
    });
    const response = success(this.orderTopicConfigBody());
    response.addExtFields({ haServerAddr: result.haServerAddr, masterAddr: result.masterAddr });
    return response;
  }

  /** The ORDER_TOPIC_CONFIG namespace as a KVTable body, or no body when it was never created. */
  private orderTopicConfigBody(): Uint8Array | undefined {
    const table = this.kv.getKVListByNamespace(NAMESPACE_ORDER_TOPIC_CONFIG);
    return table === undefined ? undefined : encodeKVTable(table);
  }

  /**
   * QUERY_DATA_VERSION: "has my topic table changed since you last saw it?" An unchanged
   * answer also counts as a sign of life (a broker with `forceRegister=false` asks this
   * and registers only when the answer is yes).
   */
  private queryBrokerTopicConfig(request: RemotingCommand): RemotingCommand {
    request.getString('brokerName');
    request.getString('clusterName');
    request.getLong('brokerId');
    const brokerAddr = request.getString('brokerAddr');
    if (request.body === undefined) return createResponseCommand(ResponseCode.SYSTEM_ERROR, 'QUERY_DATA_VERSION needs a DataVersion body');
    const dataVersion = DataVersion.decode(request.body);
    const changed = this.routes.isBrokerTopicConfigChanged(brokerAddr, dataVersion);
    if (!changed) this.routes.updateBrokerInfoUpdateTimestamp(brokerAddr, this.clock.now());
    const onRecord = this.routes.queryBrokerTopicConfig(brokerAddr);
    return success(onRecord?.encode()).setExtField('changed', changed);
  }

  // ---- Clients -----------------------------------------------------------------------------

  /** GET_ROUTEINFO_BY_TOPIC: the route, with the ordered-topic layout when enabled. */
  private getRouteInfoByTopic(request: RemotingCommand): RemotingCommand {
    const topic = request.getString('topic');
    const route = this.routes.pickupTopicRouteData(topic);
    const brokers = route?.brokerDatas.map((b) => b.brokerName) ?? [];
    this.events.emit('namesrv.route.queried', { topic, found: route !== undefined, brokers });
    if (route === undefined) {
      const remark = `No topic route info in name server for the topic: ${topic}${APPLY_TOPIC_SUGGESTION}`;
      return createResponseCommand(ResponseCode.TOPIC_NOT_EXIST, remark);
    }
    if (this.config.orderMessageEnable) {
      const orderTopicConf = this.kv.getKVConfig(NAMESPACE_ORDER_TOPIC_CONFIG, topic);
      if (orderTopicConf !== undefined) route.orderTopicConf = orderTopicConf;
    }
    return success(encodeTopicRouteData(route));
  }

  // ---- Key-value store ---------------------------------------------------------------------

  private getKVConfig(request: RemotingCommand): RemotingCommand {
    const namespace = request.getString('namespace');
    const key = request.getString('key');
    const value = this.kv.getKVConfig(namespace, key);
    if (value !== undefined) return success().setExtField('value', value);
    return createResponseCommand(ResponseCode.QUERY_NOT_FOUND, `No config item, Namespace: ${namespace} Key: ${key}`);
  }

  private getKVListByNamespace(request: RemotingCommand): RemotingCommand {
    const namespace = request.getString('namespace');
    const table = this.kv.getKVListByNamespace(namespace);
    if (table !== undefined) return success(encodeKVTable(table));
    return createResponseCommand(ResponseCode.QUERY_NOT_FOUND, `No config item, Namespace: ${namespace}`);
  }
}

function readRegisterHeader(request: RemotingCommand): RegisterBrokerHeader {
  return {
    brokerName: request.getString('brokerName'),
    brokerAddr: request.getString('brokerAddr'),
    clusterName: request.getString('clusterName'),
    haServerAddr: request.getString('haServerAddr'),
    brokerId: request.getLong('brokerId'),
    compressed: request.optBool('compressed') ?? false,
    bodyCrc32: request.optInt('bodyCrc32') ?? 0,
  };
}

function success(body?: Uint8Array): RemotingCommand {
  const response = createResponseCommand(ResponseCode.SUCCESS);
  response.body = body;
  return response;
}

function topicListAnswer(list: TopicList): RemotingCommand {
  return success(encodeTopicList(list));
}

/**
 * Turn what a bad request can cause into SYSTEM_ERROR with a remark that names the
 * problem: a header field, a body, compression, the disk. Anything else is a bug and
 * propagates (the remoting layer still answers SYSTEM_ERROR with its text).
 */
function badRequest(error: unknown): RemotingCommand {
  if (error instanceof RemotingCommandError) return createResponseCommand(ResponseCode.SYSTEM_ERROR, error.message);
  if (error instanceof JsonFormatError) return createResponseCommand(ResponseCode.SYSTEM_ERROR, `the body could not be decoded: ${error.message}`);
  if (error instanceof CompressedBodyUnsupportedError) return createResponseCommand(ResponseCode.SYSTEM_ERROR, error.message);
  if (error instanceof FileSystemError) return createResponseCommand(ResponseCode.SYSTEM_ERROR, `persisting failed: ${error.message}`);
  throw error;
}
