/**
 * PullMessageProcessor: answers PULL_MESSAGE (11), the request every consumer sends in a
 * loop for each queue it owns, and holds it (long polling) when there is nothing new yet.
 *
 * The checks run in Java's order; the first failing one answers:
 *
 * ```
 *   1  broker not readable                         NO_PERMISSION
 *   2  subscription group missing / disabled       SUBSCRIPTION_GROUP_NOT_EXIST / NO_PERMISSION
 *   3  topic missing / not readable / bad queueId  TOPIC_NOT_EXIST / NO_PERMISSION / SYSTEM_ERROR
 *   4  subscription: from the header (sysFlag bit 2) or the heartbeat-registered one
 *        parse failure                             SUBSCRIPTION_PARSE_FAILED
 *        no group info / no subscription            SUBSCRIPTION_NOT_EXIST
 *        broadcasting not allowed                   NO_PERMISSION
 *        registered subVersion < header subVersion  SUBSCRIPTION_NOT_LATEST
 *        SQL92, registered: no ConsumerFilterData   FILTER_DATA_NOT_EXIST (27)
 *                           its clientVersion older  FILTER_DATA_NOT_LATEST (28)
 *   5  not a TAG expression, enablePropertyFilter off   SYSTEM_ERROR
 *      SQL92 from the header that does not compile     SUBSCRIPTION_PARSE_FAILED + the compiler's message
 *   6  store.getMessage(group, topic, queueId, queueOffset, maxMsgNums, filter)
 *        filter = ExpressionMessageFilter (tag codes; SQL92 bloom bits + expression),
 *        or ExpressionForRetryMessageFilter when filterSupportRetry
 *   7  map the store status (table below); remark = the status name; header fields set
 *   8  FOUND: body = the records back to back; NOT_FOUND with the suspend bit: hold it
 *   9  sysFlag bit 0 (and not a slave, not a re-run): commit the piggybacked commitOffset
 * ```
 *
 * ```
 *   GetMessageStatus                          code                         nextBeginOffset
 *   FOUND                                     0  SUCCESS                   offset + units scanned
 *   NO_MATCHED_MESSAGE, MESSAGE_WAS_REMOVING  20 PULL_RETRY_IMMEDIATELY    offset + units scanned
 *   OFFSET_OVERFLOW_ONE, OFFSET_FOUND_NULL    19 PULL_NOT_FOUND (held)     offset / next CQ file
 *   NO_MESSAGE_IN_QUEUE, NO_MATCHED_LOGIC_QUEUE  offset 0: 19, else 21     0
 *   OFFSET_TOO_SMALL, OFFSET_OVERFLOW_BADLY   21 PULL_OFFSET_MOVED         min / max
 * ```
 *
 * Every answer of codes 0, 19, 20 and 21 carries all four header fields
 * (`suggestWhichBrokerId`, `nextBeginOffset`, `minOffset`, `maxOffset`): Java clients unbox
 * each of them. The body is the store's buffer as it is, the records already concatenated.
 *
 * A held request is run again by {@link PullMessageProcessor.executeRequestWhenWakeup} with
 * `brokerAllowSuspend = false`: it cannot be held twice, and it does not commit its
 * offset again. The answer goes out on the original connection with the original opaque.
 *
 * Differences from RocketMQ 4.9.x:
 * - PULL_OFFSET_MOVED does not store an `OffsetMovedEvent` message into topic
 *   `OFFSET_MOVED_EVENT` (nothing in RocketMQ reads it; only monitoring tools did).
 * - A SQL92 expression in the header is compiled at step 4 but refused only after the
 *   enablePropertyFilter gate, with the compiler's message in the remark. Java's `build`
 *   returns null there, and (assertions being off) the pull then runs unfiltered.
 * - A pull through a selective filter emits one `broker.filter.applied` summary; set
 *   {@link PullMessageProcessor.emitFilterDecisions} for one `broker.filter.evaluated` per message.
 * - Class filters (removed in 4.3) are not supported.
 * - No consume-message hooks, statistics, or `transferMsgByHeap=false` zero-copy path.
 *
 * @mirrors org.apache.rocketmq.broker.processor.PullMessageProcessor
 * @article pull-consume-1 "The broker's side of a pull"
 * @emits broker.pull.found, broker.pull.not-found, broker.pull.replied, broker.pull.dropped, broker.filter.applied, broker.filter.evaluated
 * @category Broker
 * @module
 */
import { BrokerRole, type MessageStoreConfig } from '../../common/config/message-store-config.js';
import { isReadable } from '../../common/constant/perm-name.js';
import { buildSubscriptionData, SubscriptionParseError } from '../../common/filter/filter-api.js';
import { MASTER_ID } from '../../common/mix-all.js';
import { MessageModel } from '../../common/protocol/heartbeat/message-model.js';
import { isTagType, type SubscriptionData } from '../../common/protocol/heartbeat/subscription-data.js';
import { fitResponseHeader, ResponseCode, responseCodeName } from '../../common/protocol/response-code.js';
import type { TopicConfig } from '../../common/topic/topic-config.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';
import { RemotingCommandError } from '../../remoting/errors.js';
import { createResponseCommand, type RemotingCommand } from '../../remoting/remoting-command.js';
import type { RequestContext, RequestProcessor } from '../../remoting/request-processor.js';
import type { MessageStore } from '../../store/message-store.js';
import { PullSysFlag } from '../../common/sysflag/pull-sys-flag.js';
import { GetMessageStatus, type GetMessageResult } from '../../store/results.js';

export { PullSysFlag };
import type { ConsumerManager } from '../client/consumer-manager.js';
import type { ConsumerFilterData } from '../filter/consumer-filter-data.js';
import { compileErrorMessage, ConsumerFilterManager } from '../filter/consumer-filter-manager.js';
import { ExpressionForRetryMessageFilter } from '../filter/expression-for-retry-message-filter.js';
import { ExpressionMessageFilter, type FilterDataSource } from '../filter/expression-message-filter.js';
import { emitFilterDecision, emitFilterSummary } from '../filter/filter-decision-events.js';
import { PullRequest } from '../longpolling/pull-request.js';
import { buildKey, type PullRequestExecutor, type PullRequestHoldService } from '../longpolling/pull-request-hold-service.js';
import type { ConsumerOffsetManager } from '../offset/consumer-offset-manager.js';

/** Java `FAQUrl.suggestTodo(...)`: every FAQ link of these remarks points at the same page. */
const FAQ_SUGGESTION = '\nSee http://rocketmq.apache.org/docs/faq/ for further details.';

/** The broker settings a pull reads (a `BrokerConfig` satisfies it); read on every request. */
export interface PullBrokerConfig {
  readonly brokerPermission: number;
  readonly brokerIP1: string;
  readonly longPollingEnable: boolean;
  readonly shortPollingTimeMills: number;
  readonly slaveReadEnable: boolean;
  readonly enablePropertyFilter: boolean;
  /** Filter retried messages by the group's SQL92 filter of their original topic (missing = false). */
  readonly filterSupportRetry?: boolean;
}

/** The subscription-group settings a pull reads (a `SubscriptionGroupConfig` satisfies it). */
export interface PullSubscriptionGroupConfig {
  readonly consumeEnable: boolean;
  readonly consumeBroadcastEnable: boolean;
  readonly brokerId: number;
  readonly whichBrokerWhenConsumeSlowly: number;
}

export interface PullMessageProcessorOptions {
  brokerConfig: PullBrokerConfig;
  storeConfig: Pick<MessageStoreConfig, 'brokerRole' | 'offsetCheckInSlave'>;
  messageStore: Pick<MessageStore, 'getMessage'>;
  topicConfigManager: { selectTopicConfig(topic: string): TopicConfig | undefined };
  subscriptionGroupManager: { findSubscriptionGroupConfig(group: string): PullSubscriptionGroupConfig | undefined };
  consumerManager: Pick<ConsumerManager, 'getConsumerGroupInfo'>;
  consumerOffsetManager: Pick<ConsumerOffsetManager, 'commitOffset'>;
  /** The SQL92 filters registered by heartbeats; without it, registered SQL92 pulls get FILTER_DATA_NOT_EXIST. */
  consumerFilterManager?: FilterDataSource;
  /** Where NOT_FOUND pulls are held; the processor registers itself there as the executor of woken requests. */
  pullRequestHoldService: Pick<PullRequestHoldService, 'suspendPullRequest' | 'setPullMessageProcessor'>;
  clock: Clock;
  events: NodeEvents;
}

/** PULL_MESSAGE's header (Java `PullMessageRequestHeader`), read and checked. */
interface PullMessageRequestHeader {
  consumerGroup: string;
  topic: string;
  queueId: number;
  queueOffset: number;
  maxMsgNums: number;
  sysFlag: number;
  commitOffset: number;
  suspendTimeoutMillis: number;
  subscription: string | undefined;
  subVersion: number;
  expressionType: string | undefined;
}

export class PullMessageProcessor implements RequestProcessor, PullRequestExecutor {
  private readonly options: PullMessageProcessorOptions;
  /** Emit one `broker.filter.evaluated` per filter decision (walkthroughs and tests; off on the hot path). */
  emitFilterDecisions = false;

  constructor(options: PullMessageProcessorOptions) {
    this.options = options;
    options.pullRequestHoldService.setPullMessageProcessor(this);
  }

  rejectRequest(): boolean {
    return false;
  }

  /**
   * Answer one pull. `brokerAllowSuspend` is false when a held request is run again: it
   * is then answered even when nothing was found, and its commitOffset is not stored twice.
   * Returns `null` when the request is held.
   */
  processRequest(ctx: RequestContext, request: RemotingCommand, brokerAllowSuspend = true): RemotingCommand | null {
    try {
      return this.pull(ctx, request, readHeader(request), brokerAllowSuspend);
    } catch (error) {
      if (error instanceof RemotingCommandError) return createResponseCommand(ResponseCode.SYSTEM_ERROR, error.message);
      throw error;
    }
  }

  /**
   * Run a woken request again and answer it (Java hands this to the pull executor). It runs
   * in a microtask, so the reput tick that woke it finishes dispatching first and the pull
   * sees every message of that tick.
   */
  executeRequestWhenWakeup(ctx: RequestContext, request: RemotingCommand): void {
    queueMicrotask(() => {
      const key = buildKey(request.optString('topic') ?? '', Number(request.optString('queueId')));
      const group = request.optString('consumerGroup') ?? '';
      if (ctx.closed) {
        this.options.events.emit('broker.pull.dropped', { key, group, remote: ctx.remoteAddress, reason: 'connection-closed' }, { flow: 'long-poll' });
        return;
      }
      let response: RemotingCommand | null;
      try {
        response = this.processRequest(ctx, request, false);
      } catch (error) {
        // On the first pass the remoting layer turns a throw into SYSTEM_ERROR; this pass runs
        // outside it, so do the same here rather than let a microtask take the broker down.
        response = createResponseCommand(ResponseCode.SYSTEM_ERROR, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      }
      if (response === null) return;
      fitResponseHeader(response); // this answer bypasses the servers' RPC hook (see broker-controller.ts)
      ctx.writeResponse(request, response);
      const data = { key, group, code: responseCodeName(response.code), status: response.remark ?? '', opaque: request.opaque };
      this.options.events.emit('broker.pull.replied', data, { flow: 'long-poll' });
    });
  }

  private pull(ctx: RequestContext, request: RemotingCommand, header: PullMessageRequestHeader, brokerAllowSuspend: boolean): RemotingCommand | null {
    const { brokerConfig, storeConfig } = this.options;
    if (!isReadable(brokerConfig.brokerPermission)) {
      return createResponseCommand(ResponseCode.NO_PERMISSION, `the broker[${brokerConfig.brokerIP1}] pulling message is forbidden`);
    }
    const group = header.consumerGroup;
    const groupConfig = this.options.subscriptionGroupManager.findSubscriptionGroupConfig(group);
    if (groupConfig === undefined) {
      return createResponseCommand(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group [${group}] does not exist, ${FAQ_SUGGESTION}`);
    }
    if (!groupConfig.consumeEnable) return createResponseCommand(ResponseCode.NO_PERMISSION, `subscription group no permission, ${group}`);
    const refused = this.checkTopic(ctx, header);
    if (refused !== undefined) return refused;
    const subscription = this.resolveSubscription(header, groupConfig);
    if (!(subscription instanceof SubscriptionDataHolder)) return subscription;
    const subscriptionData = subscription.data;
    if (!isTagType(subscriptionData.expressionType)) {
      if (!brokerConfig.enablePropertyFilter) {
        return createResponseCommand(ResponseCode.SYSTEM_ERROR, `The broker does not support consumer to filter message by ${subscriptionData.expressionType}`);
      }
      if (subscription.compileError !== undefined) {
        return createResponseCommand(ResponseCode.SUBSCRIPTION_PARSE_FAILED, `parse the consumer's subscription failed: ${subscription.compileError}`);
      }
    }
    const { consumerFilterManager } = this.options;
    const messageFilter = brokerConfig.filterSupportRetry === true
      ? new ExpressionForRetryMessageFilter(subscriptionData, subscription.filterData, consumerFilterManager)
      : new ExpressionMessageFilter(subscriptionData, subscription.filterData, consumerFilterManager);
    if (this.emitFilterDecisions) messageFilter.onDecision = (decision) => emitFilterDecision(this.options.events, header, decision);
    const result = this.options.messageStore.getMessage(group, header.topic, header.queueId, header.queueOffset, header.maxMsgNums, messageFilter);
    if (result !== undefined && messageFilter.selective) emitFilterSummary(this.options.events, header, messageFilter, result.nextBeginOffset);
    messageFilter.onDecision = undefined; // a held request's arrival checks are not this pull's decisions
    let response: RemotingCommand | null;
    if (result === undefined) {
      response = createResponseCommand(ResponseCode.SYSTEM_ERROR, 'store getMessage return null');
    } else {
      response = this.answer(header, result, groupConfig);
      const suspend = response.code === ResponseCode.PULL_NOT_FOUND && brokerAllowSuspend && (header.sysFlag & PullSysFlag.FLAG_SUSPEND) !== 0;
      this.emitOutcome(header, result, response, suspend, !brokerAllowSuspend);
      if (suspend) {
        const pollingTimeMillis = brokerConfig.longPollingEnable ? header.suspendTimeoutMillis : brokerConfig.shortPollingTimeMills;
        const held = new PullRequest(request, ctx, pollingTimeMillis, this.options.clock.now(), header.queueOffset, subscriptionData, messageFilter);
        this.options.pullRequestHoldService.suspendPullRequest(header.topic, header.queueId, held);
        response = null;
      }
    }
    // Step 9: the pull carries the group's progress on this queue (push consumers commit this way).
    const storeOffsetEnable = brokerAllowSuspend && (header.sysFlag & PullSysFlag.FLAG_COMMIT_OFFSET) !== 0 && storeConfig.brokerRole !== BrokerRole.SLAVE;
    if (storeOffsetEnable) this.options.consumerOffsetManager.commitOffset(ctx.remoteAddress, group, header.topic, header.queueId, header.commitOffset);
    return response;
  }

  /** Step 3: the topic exists here, is readable, and has the queue. */
  private checkTopic(ctx: RequestContext, header: PullMessageRequestHeader): RemotingCommand | undefined {
    const { topic, queueId } = header;
    const topicConfig = this.options.topicConfigManager.selectTopicConfig(topic);
    if (topicConfig === undefined) {
      return createResponseCommand(ResponseCode.TOPIC_NOT_EXIST, `topic[${topic}] not exist, apply first please! ${FAQ_SUGGESTION}`);
    }
    if (!isReadable(topicConfig.perm)) return createResponseCommand(ResponseCode.NO_PERMISSION, `the topic[${topic}] pulling message is forbidden`);
    if (queueId < 0 || queueId >= topicConfig.readQueueNums) {
      const remark = `queueId[${queueId}] is illegal, topic:[${topic}] topicConfig.readQueueNums:[${topicConfig.readQueueNums}] consumer:[${ctx.remoteAddress}]`;
      return createResponseCommand(ResponseCode.SYSTEM_ERROR, remark);
    }
    return undefined;
  }

  /** Step 4: the subscription to filter with, or the refusal. */
  private resolveSubscription(header: PullMessageRequestHeader, groupConfig: PullSubscriptionGroupConfig): SubscriptionDataHolder | RemotingCommand {
    const { consumerGroup: group, topic } = header;
    if ((header.sysFlag & PullSysFlag.FLAG_SUBSCRIPTION) !== 0) {
      let data: SubscriptionData;
      try {
        data = buildSubscriptionData(topic, header.subscription, header.expressionType, this.options.clock.now());
      } catch (error) {
        if (!(error instanceof SubscriptionParseError)) throw error;
        return createResponseCommand(ResponseCode.SUBSCRIPTION_PARSE_FAILED, "parse the consumer's subscription failed");
      }
      if (isTagType(data.expressionType)) return new SubscriptionDataHolder(data);
      try {
        // Compiled for this pull only; no bloom data, so the consume-queue check lets every unit through.
        const filterData = ConsumerFilterManager.build(topic, group, data.subString, data.expressionType, header.subVersion, this.options.clock.now());
        return new SubscriptionDataHolder(data, filterData);
      } catch (error) {
        return new SubscriptionDataHolder(data, undefined, compileErrorMessage(error)); // refused after the enablePropertyFilter gate
      }
    }
    const groupInfo = this.options.consumerManager.getConsumerGroupInfo(group);
    if (groupInfo === undefined) return createResponseCommand(ResponseCode.SUBSCRIPTION_NOT_EXIST, `the consumer's group info not exist${FAQ_SUGGESTION}`);
    if (!groupConfig.consumeBroadcastEnable && groupInfo.messageModel === MessageModel.BROADCASTING) {
      return createResponseCommand(ResponseCode.NO_PERMISSION, `the consumer group[${group}] can not consume by broadcast way`);
    }
    const registered = groupInfo.findSubscriptionData(topic);
    if (registered === undefined) return createResponseCommand(ResponseCode.SUBSCRIPTION_NOT_EXIST, `the consumer's subscription not exist${FAQ_SUGGESTION}`);
    if (registered.subVersion < header.subVersion) return createResponseCommand(ResponseCode.SUBSCRIPTION_NOT_LATEST, "the consumer's subscription not latest");
    if (isTagType(registered.expressionType)) return new SubscriptionDataHolder(registered);
    const filterData = this.options.consumerFilterManager?.get(topic, group);
    if (filterData === undefined) {
      return createResponseCommand(ResponseCode.FILTER_DATA_NOT_EXIST, "The broker's consumer filter data is not exist!Your expression may be wrong!");
    }
    if (filterData.clientVersion < header.subVersion) {
      return createResponseCommand(ResponseCode.FILTER_DATA_NOT_LATEST, "the consumer's consumer filter data not latest");
    }
    return new SubscriptionDataHolder(registered, filterData);
  }

  /** Step 7: the response code, remark and the four header fields for a store answer. */
  private answer(header: PullMessageRequestHeader, result: GetMessageResult, groupConfig: PullSubscriptionGroupConfig): RemotingCommand {
    const { brokerConfig, storeConfig } = this.options;
    let code = responseCodeOf(result.status, header.queueOffset);
    // Java: on a SLAVE without slaveReadEnable the code is first set to PULL_RETRY_IMMEDIATELY,
    // but the status switch right after overwrites it, so slaves serve pulls anyway (suggesting the master).
    let suggestWhichBrokerId = MASTER_ID;
    if (brokerConfig.slaveReadEnable) {
      suggestWhichBrokerId = result.suggestPullingFromSlave ? groupConfig.whichBrokerWhenConsumeSlowly : groupConfig.brokerId;
    }
    if (code === ResponseCode.PULL_OFFSET_MOVED && storeConfig.brokerRole === BrokerRole.SLAVE && !storeConfig.offsetCheckInSlave) {
      // A slave may simply lag its master: do not move the consumer; send it back to the group's broker.
      suggestWhichBrokerId = groupConfig.brokerId;
      code = ResponseCode.PULL_RETRY_IMMEDIATELY;
    }
    const response = createResponseCommand(code, result.status);
    response.addExtFields({
      suggestWhichBrokerId,
      nextBeginOffset: result.nextBeginOffset,
      minOffset: result.minOffset,
      maxOffset: result.maxOffset,
    });
    if (code === ResponseCode.SUCCESS) response.body = result.body; // one buffer, the records back to back
    return response;
  }

  private emitOutcome(header: PullMessageRequestHeader, result: GetMessageResult, response: RemotingCommand, suspended: boolean, resumed: boolean): void {
    const { consumerGroup: group, topic, queueId, queueOffset } = header;
    if (response.code === ResponseCode.SUCCESS) {
      const filtered = Math.max(0, result.nextBeginOffset - queueOffset - result.messageCount);
      this.options.events.emit('broker.pull.found', {
        group, topic, queueId, from: queueOffset, count: result.messageCount, bytes: result.bufferTotalSize,
        nextBeginOffset: result.nextBeginOffset, filtered, resumed,
      }, { flow: 'pull' });
      return;
    }
    this.options.events.emit('broker.pull.not-found', {
      group, topic, queueId, offset: queueOffset, reason: result.status, code: responseCodeName(response.code),
      nextBeginOffset: result.nextBeginOffset, minOffset: result.minOffset, maxOffset: result.maxOffset, suspended, resumed,
    }, { flow: 'pull' });
  }
}

/**
 * Wraps a resolved subscription so it cannot be confused with a refusal (both are objects),
 * with its SQL92 filter data, or the compiler's message when the header's expression failed.
 */
class SubscriptionDataHolder {
  constructor(readonly data: SubscriptionData, readonly filterData?: ConsumerFilterData, readonly compileError?: string) {}
}

/** The status table of the module header (Java's switch over `GetMessageStatus`). */
export function responseCodeOf(status: GetMessageStatus, requestOffset: number): number {
  switch (status) {
    case GetMessageStatus.FOUND:
      return ResponseCode.SUCCESS;
    case GetMessageStatus.MESSAGE_WAS_REMOVING:
    case GetMessageStatus.NO_MATCHED_MESSAGE:
      return ResponseCode.PULL_RETRY_IMMEDIATELY;
    case GetMessageStatus.NO_MATCHED_LOGIC_QUEUE:
    case GetMessageStatus.NO_MESSAGE_IN_QUEUE:
      // An empty queue at offset 0 is "nothing yet"; anywhere else the consumer must move to 0.
      return requestOffset !== 0 ? ResponseCode.PULL_OFFSET_MOVED : ResponseCode.PULL_NOT_FOUND;
    case GetMessageStatus.OFFSET_FOUND_NULL:
    case GetMessageStatus.OFFSET_OVERFLOW_ONE:
      return ResponseCode.PULL_NOT_FOUND;
    case GetMessageStatus.OFFSET_OVERFLOW_BADLY:
    case GetMessageStatus.OFFSET_TOO_SMALL:
      return ResponseCode.PULL_OFFSET_MOVED;
  }
}

function readHeader(request: RemotingCommand): PullMessageRequestHeader {
  return {
    consumerGroup: request.getString('consumerGroup'),
    topic: request.getString('topic'),
    queueId: request.getInt('queueId'),
    queueOffset: request.getLong('queueOffset'),
    maxMsgNums: request.getInt('maxMsgNums'),
    sysFlag: request.getInt('sysFlag'),
    commitOffset: request.getLong('commitOffset'),
    suspendTimeoutMillis: request.getLong('suspendTimeoutMillis'),
    subscription: request.optString('subscription'),
    subVersion: request.getLong('subVersion'),
    expressionType: request.optString('expressionType'),
  };
}
