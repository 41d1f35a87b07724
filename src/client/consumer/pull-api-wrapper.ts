/**
 * PullAPIWrapper: send one PULL_MESSAGE for a queue to the right broker, and turn the raw
 * answer into messages the consumer can use.
 *
 * Two jobs, one on each side of the RPC:
 *
 * - `pullKernelImpl` picks the broker: the one the broker itself suggested for this queue
 *   last time (`suggestWhichBrokerId`: 0 = master, or a slave when the master says the
 *   group reads from disk), falling back to any address of that broker name. When it ends up
 *   on a slave it clears the COMMIT_OFFSET bit, since only a master may store progress.
 * - `processPullResult` records the new suggestion, decodes the records, inflates compressed
 *   bodies, and filters again by tag. The broker's consume-queue filter compares tag *hash
 *   codes*, so two tags with the same hash both pass it; the client keeps only messages whose
 *   tag string is in the subscription. Each message also gets the queue's MIN_OFFSET and
 *   MAX_OFFSET properties and its broker name.
 *
 * ```
 *   pullKernelImpl(mq, offset, ...) ──► findBrokerAddressInSubscribe(brokerName, suggested id)
 *                                  ──► PULL_MESSAGE ──► PullResultExt { status, messageBinary }
 *   processPullResult(mq, result, sub) ──► decode ──► inflate ──► tag re-filter ──► msgFoundList
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - No filter-message hooks, no filter servers (class filter mode was removed in 4.3).
 * - SQL92 expressions go to the broker without the client-side broker version check; the
 *   broker answers for itself.
 * - Bodies are inflated asynchronously (CompressionStream), so `processPullResult` returns a Promise.
 *
 * @mirrors org.apache.rocketmq.client.impl.consumer.PullAPIWrapper
 * @article pull-consume-1 "Sending the pull"
 * @emits client.pull.requested, client.pull.received
 * @category Client
 * @module
 */
import { MessageConst } from '../../common/message/message-const.js';
import { decodeMessages } from '../../common/message/message-decoder.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import { MASTER_ID } from '../../common/mix-all.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue-keyed-map.js';
import type { SubscriptionData } from '../../common/protocol/heartbeat/subscription-data.js';
import { clearCommitOffsetFlag, PullSysFlag } from '../../common/sysflag/pull-sys-flag.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';
import { decompressMessageBodies } from '../compression.js';
import { ClientErrorCode, MQClientError } from '../errors.js';
import type { MQClientInstance } from '../mq-client-instance.js';
import { MessageQueueMap, messageQueueKey } from './message-queue-map.js';
import type { PullResultExt } from './pull-result.js';

/** What the wrapper needs from the client instance. */
export type PullAPIClient = Pick<MQClientInstance, 'mqClientAPIImpl' | 'findBrokerAddressInSubscribe' | 'updateTopicRouteInfoFromNameServer'>;

/** The arguments of one pull (Java passes them positionally). */
export interface PullKernelRequest {
  mq: MessageQueue;
  /** The expression to send in the header, or undefined to use the heartbeat-registered one. */
  subExpression: string | undefined;
  expressionType: string;
  subVersion: number;
  offset: number;
  maxNums: number;
  sysFlag: number;
  commitOffset: number;
  /** How long the broker may hold the pull when nothing is new (ms). */
  brokerSuspendMaxTimeMillis: number;
  /** The RPC timeout (ms); longer than the hold time. */
  timeoutMillis: number;
}

export class PullAPIWrapper {
  private readonly pullFromWhichNodeTable = new MessageQueueMap<number>();

  constructor(
    private readonly client: PullAPIClient,
    readonly consumerGroup: string,
    private readonly clock: Clock,
    private readonly events: NodeEvents,
  ) {}

  /** Send PULL_MESSAGE for `request.mq`; rejects with MQClientError when no broker is known, MQBrokerError on a bad code. */
  async pullKernelImpl(request: PullKernelRequest): Promise<PullResultExt> {
    const { mq } = request;
    let found = this.client.findBrokerAddressInSubscribe(mq.brokerName, this.recalculatePullFromWhichNode(mq), false);
    if (found === undefined) {
      await this.client.updateTopicRouteInfoFromNameServer(mq.topic);
      found = this.client.findBrokerAddressInSubscribe(mq.brokerName, this.recalculatePullFromWhichNode(mq), false);
    }
    if (found === undefined) throw new MQClientError(ClientErrorCode.BROKER_NOT_EXIST_EXCEPTION, `The broker[${mq.brokerName}] not exist`);
    // Only a master may store the group's progress, so a pull from a slave carries no commit.
    const sysFlag = found.slave ? clearCommitOffsetFlag(request.sysFlag) : request.sysFlag;
    const header = {
      consumerGroup: this.consumerGroup,
      topic: mq.topic,
      queueId: mq.queueId,
      queueOffset: request.offset,
      maxMsgNums: request.maxNums,
      sysFlag,
      commitOffset: request.commitOffset,
      suspendTimeoutMillis: request.brokerSuspendMaxTimeMillis,
      subVersion: request.subVersion,
      expressionType: request.expressionType,
      ...(request.subExpression === undefined ? {} : { subscription: request.subExpression }),
    };
    this.events.emit('client.pull.requested', {
      group: this.consumerGroup, mq: messageQueueKey(mq), brokerAddr: found.brokerAddr, queueOffset: request.offset, maxNums: request.maxNums,
      sysFlag, commitOffset: request.commitOffset, suspend: (sysFlag & PullSysFlag.FLAG_SUSPEND) !== 0,
      subVersion: request.subVersion, expressionType: request.expressionType,
    }, { flow: 'pull', msg: { topic: mq.topic, queueId: mq.queueId, queueOffset: request.offset } });
    return this.client.mqClientAPIImpl.pullMessage(found.brokerAddr, header, request.timeoutMillis);
  }

  /**
   * Decode, inflate and re-filter a pull answer in place; returns it with `msgFoundList` set
   * and `messageBinary` cleared. `startedAt` (clock ms) dates the pull for the event.
   */
  async processPullResult(mq: MessageQueue, pullResult: PullResultExt, subscriptionData: SubscriptionData, startedAt?: number): Promise<PullResultExt> {
    this.updatePullFromWhichNode(mq, pullResult.suggestWhichBrokerId);
    let decoded = 0;
    if (pullResult.pullStatus === 'FOUND' && pullResult.messageBinary !== undefined) {
      const msgList = decodeMessages(pullResult.messageBinary);
      decoded = msgList.length;
      await decompressMessageBodies(msgList);
      const kept = this.filterByTags(msgList, subscriptionData);
      for (const msg of kept) {
        if (msg.getProperty(MessageConst.PROPERTY_TRANSACTION_PREPARED)?.toLowerCase() === 'true') {
          msg.transactionId = msg.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
        }
        msg.putProperty(MessageConst.PROPERTY_MIN_OFFSET, String(pullResult.minOffset));
        msg.putProperty(MessageConst.PROPERTY_MAX_OFFSET, String(pullResult.maxOffset));
        msg.brokerName = mq.brokerName;
        // Java's client decodes into MessageClientExt, whose msgId is the producer's UNIQ_KEY when
        // there is one (so it equals SendResult.msgId), and whose offsetMsgId is the broker's id.
        const uniqKey = msg.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
        msg.offsetMsgId = msg.msgId;
        if (uniqKey !== undefined && uniqKey !== '') msg.msgId = uniqKey;
      }
      pullResult.msgFoundList = kept;
    }
    pullResult.messageBinary = undefined;
    this.events.emit('client.pull.received', {
      group: this.consumerGroup, mq: messageQueueKey(mq), status: pullResult.pullStatus, count: pullResult.msgFoundList.length, decoded,
      nextBeginOffset: pullResult.nextBeginOffset, minOffset: pullResult.minOffset, maxOffset: pullResult.maxOffset,
      suggestWhichBrokerId: pullResult.suggestWhichBrokerId, latencyMs: startedAt === undefined ? 0 : this.clock.now() - startedAt,
    }, { flow: 'pull' });
    return pullResult;
  }

  /** Remember which broker id to pull `mq` from next time. */
  updatePullFromWhichNode(mq: MessageQueue, brokerId: number): void {
    this.pullFromWhichNodeTable.set(mq, brokerId);
  }

  /** The broker id to pull `mq` from: the last suggestion, else the master. */
  recalculatePullFromWhichNode(mq: MessageQueue): number {
    return this.pullFromWhichNodeTable.get(mq) ?? MASTER_ID;
  }

  /** Keep messages whose tag is in the subscription's tag set (all of them for `*` and SQL92). */
  private filterByTags(msgList: MessageExt[], subscriptionData: SubscriptionData): MessageExt[] {
    if (subscriptionData.tagsSet.size === 0 || subscriptionData.classFilterMode) return msgList;
    return msgList.filter((msg) => msg.tags !== undefined && subscriptionData.tagsSet.has(msg.tags));
  }
}
