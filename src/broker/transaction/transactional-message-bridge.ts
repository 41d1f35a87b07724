/**
 * TransactionalMessageBridge: everything the broker's transaction support asks of the
 * store and of the offset table, in one place: turn a prepared send into a half message,
 * read the half and op queues, write op records and re-put half messages, and keep the
 * check service's progress as consume offsets of group `CID_RMQ_SYS_TRANS`.
 *
 * A half message is an ordinary record in a system topic. The producer's real topic and
 * queue ride along as properties, so nobody can consume it, yet the store indexes it like
 * any other message (it gets a consume-queue entry in the half topic, which the check
 * service walks):
 *
 * ```
 *   producer's prepared send                       half message as stored
 *   topic   TopicA, queueId 2                 ──►  topic   RMQ_SYS_TRANS_HALF_TOPIC, queueId 0
 *   sysFlag PREPARED (4)                           sysFlag NOT_TYPE (0)    (so it gets a CQ entry)
 *   props   TRAN_MSG=true PGROUP=pg UNIQ_KEY=..    props   ... + REAL_TOPIC=TopicA REAL_QID=2
 *           DELAY=3 (a 4.4 client)                         (DELAY dropped: see below)
 *
 *   op record (commit or rollback of half queue offset 17)
 *   topic   RMQ_SYS_TRANS_OP_HALF_TOPIC, queueId = the half's (0), sysFlag 0
 *   props   TAGS=d WAIT=false UNIQ_KEY=<new>     body "17"
 * ```
 *
 * Reads go through `MessageStore.getMessage` as a pull would, and come back as a small
 * pull result (Java borrows the client's `PullResult`):
 *
 * ```
 *   GetMessageStatus                                   pullStatus
 *   FOUND                                         ──►  FOUND (with the decoded messages)
 *   NO_MATCHED_MESSAGE                            ──►  NO_MATCHED_MSG
 *   NO_MESSAGE_IN_QUEUE, OFFSET_OVERFLOW_ONE      ──►  NO_NEW_MSG
 *   anything else (no queue, offset too small...) ──►  OFFSET_ILLEGAL
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - `DELAY` is removed from a half message. 4.9's client never sends it on a transactional
 *   message, but a 4.4 client does, and the store would then divert the half message to
 *   the schedule topic, where the check service never finds it.
 * - The op record really carries its new UNIQ_KEY (Java sets it in the property map after
 *   the properties string was built, so its record has none).
 * - A re-put half message keeps its `flag` and `reconsumeTimes` (Java's
 *   `renewHalfMessageInner` leaves both at 0).
 * - Queues are plain queue ids (Java builds `MessageQueue` objects and caches op queues).
 * - No statistics; puts return promises (Java's `putMessage` blocks).
 *
 * @mirrors org.apache.rocketmq.broker.transaction.queue.TransactionalMessageBridge
 * @article transaction "Half messages and op records"
 * @emits broker.tx.op-written
 * @category Broker
 * @module
 */
import { getBrokerAddr, type BrokerConfig } from '../../common/config/broker-config.js';
import { encodeUtf8 } from '../../common/bytes.js';
import { PermName } from '../../common/constant/perm-name.js';
import { MessageConst } from '../../common/message/message-const.js';
import { decodeMessages } from '../../common/message/message-decoder.js';
import { MessageExtBrokerInner, tagsString2tagsCode, type MessageExt } from '../../common/message/message-ext.js';
import { parseHostAddress } from '../../common/message/host-address.js';
import { MessageClientIDSetter } from '../../common/message/message-id.js';
import { messageProperties2String } from '../../common/message/message-properties.js';
import { MessageSysFlag, resetTransactionValue } from '../../common/message/message-sys-flag.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';
import type { Random } from '../../platform/random.js';
import type { MessageStore } from '../../store/message-store.js';
import { GetMessageStatus, PutMessageStatus, type PutMessageResult } from '../../store/results.js';
import type { ConsumerOffsetManager } from '../offset/consumer-offset-manager.js';
import type { TopicConfigManager } from '../topic/topic-config-manager.js';
import { HALF_TOPIC, OP_TOPIC, REMOVETAG, TRANS_CONSUMER_GROUP } from './transactional-message-util.js';

/** Java's client `PullStatus`, as far as the check walk needs it. */
export type TransactionPullStatus = 'FOUND' | 'NO_NEW_MSG' | 'NO_MATCHED_MSG' | 'OFFSET_ILLEGAL';

/** One read of the half or op queue (Java borrows the client's `PullResult`). */
export interface TransactionPullResult {
  readonly pullStatus: TransactionPullStatus;
  readonly nextBeginOffset: number;
  readonly minOffset: number;
  readonly maxOffset: number;
  /** The decoded messages; `undefined` unless FOUND (Java: `null`). */
  readonly msgFoundList: MessageExt[] | undefined;
}

export interface TransactionalMessageBridgeOptions {
  readonly messageStore: Pick<MessageStore, 'putMessage' | 'getMessage' | 'getMinOffsetInQueue' | 'lookMessageByOffset'>;
  readonly topicConfigManager: Pick<TopicConfigManager, 'selectTopicConfig' | 'createTopicInSendMessageBackMethod'>;
  readonly consumerOffsetManager: Pick<ConsumerOffsetManager, 'queryOffset' | 'commitOffset'>;
  readonly brokerConfig: Pick<BrokerConfig, 'brokerIP1' | 'listenPort'>;
  readonly clock: Clock;
  /** Seeds the UNIQ_KEY maker of op records. */
  readonly random: Random;
  readonly events: NodeEvents;
}

/**
 * Rewrite a prepared send into its half message, in place (Java `parseHalfMessageInner`):
 * remember the real topic and queue, clear the transaction type, move it to the half topic's
 * queue 0, drop `DELAY`, and flatten the properties again. Returns the dropped delay level (0
 * when there was none).
 */
export function parseHalfMessageInner(msg: MessageExtBrokerInner): number {
  const delayDropped = msg.delayTimeLevel;
  msg.clearProperty(MessageConst.PROPERTY_DELAY_TIME_LEVEL);
  msg.putProperty(MessageConst.PROPERTY_REAL_TOPIC, msg.topic);
  msg.putProperty(MessageConst.PROPERTY_REAL_QUEUE_ID, String(msg.queueId));
  msg.sysFlag = resetTransactionValue(msg.sysFlag, MessageSysFlag.TRANSACTION_NOT_TYPE);
  msg.topic = HALF_TOPIC;
  msg.queueId = 0;
  msg.propertiesString = messageProperties2String(msg.properties);
  msg.propertiesBytes = undefined;
  return delayDropped;
}

export class TransactionalMessageBridge {
  /** `brokerIP1:listenPort`: born and store host of op records, client host of offset commits. */
  readonly storeHost: string;
  private idSetter: MessageClientIDSetter | undefined;

  constructor(private readonly options: TransactionalMessageBridgeOptions) {
    this.storeHost = getBrokerAddr(options.brokerConfig);
  }

  // --- offsets of group CID_RMQ_SYS_TRANS ------------------------------------------------

  /** The check service's progress in a queue; the queue's min offset when none is stored yet. */
  fetchConsumeOffset(topic: string, queueId: number): number {
    const offset = this.options.consumerOffsetManager.queryOffset(TRANS_CONSUMER_GROUP, topic, queueId);
    return offset === -1 ? this.options.messageStore.getMinOffsetInQueue(topic, queueId) : offset;
  }

  updateConsumeOffset(topic: string, queueId: number, offset: number): void {
    this.options.consumerOffsetManager.commitOffset(this.storeHost, TRANS_CONSUMER_GROUP, topic, queueId, offset);
  }

  /**
   * The queue ids of `topic` (its read queues). Java: the half topic is created here, with
   * one RW queue, the first time the check service looks for it.
   */
  fetchMessageQueues(topic: string): number[] {
    const { topicConfigManager } = this.options;
    const topicConfig = topicConfigManager.selectTopicConfig(topic)
      ?? topicConfigManager.createTopicInSendMessageBackMethod(topic, 1, PermName.PERM_WRITE | PermName.PERM_READ, 0);
    const count = topicConfig?.readQueueNums ?? 0;
    return Array.from({ length: Math.max(0, count) }, (_, i) => i);
  }

  // --- reads -------------------------------------------------------------------------------

  getHalfMessage(queueId: number, offset: number, nums: number): TransactionPullResult | undefined {
    return this.getMessage(HALF_TOPIC, queueId, offset, nums);
  }

  getOpMessage(queueId: number, offset: number, nums: number): TransactionPullResult | undefined {
    return this.getMessage(OP_TOPIC, queueId, offset, nums);
  }

  /** `undefined` when the store answers nothing (it is shut down). */
  private getMessage(topic: string, queueId: number, offset: number, nums: number): TransactionPullResult | undefined {
    const result = this.options.messageStore.getMessage(TRANS_CONSUMER_GROUP, topic, queueId, offset, nums);
    if (result === undefined) return undefined;
    let pullStatus: TransactionPullStatus;
    switch (result.status) {
      case GetMessageStatus.FOUND: pullStatus = 'FOUND'; break;
      case GetMessageStatus.NO_MATCHED_MESSAGE: pullStatus = 'NO_MATCHED_MSG'; break;
      case GetMessageStatus.NO_MESSAGE_IN_QUEUE:
      case GetMessageStatus.OFFSET_OVERFLOW_ONE: pullStatus = 'NO_NEW_MSG'; break;
      default: pullStatus = 'OFFSET_ILLEGAL';
    }
    const msgFoundList = pullStatus === 'FOUND' ? decodeMessages(result.body.subarray(0, result.bufferTotalSize)) : undefined;
    return { pullStatus, nextBeginOffset: result.nextBeginOffset, minOffset: result.minOffset, maxOffset: result.maxOffset, msgFoundList };
  }

  lookMessageByOffset(commitLogOffset: number): MessageExt | undefined {
    return commitLogOffset < 0 ? undefined : this.options.messageStore.lookMessageByOffset(commitLogOffset);
  }

  // --- writes ------------------------------------------------------------------------------

  putMessageReturnResult(msg: MessageExtBrokerInner): Promise<PutMessageResult> {
    return this.options.messageStore.putMessage(msg);
  }

  /** Store `msg`; true only for PUT_OK (Java logs the other outcomes). */
  async putMessage(msg: MessageExtBrokerInner): Promise<boolean> {
    const result = await this.options.messageStore.putMessage(msg);
    return result.putMessageStatus === PutMessageStatus.PUT_OK;
  }

  /**
   * Record that the half message `halfMsg` is finished (`opType` {@link REMOVETAG}): an op
   * record in the op queue with the half's queue id, body = the half's queue offset. Other
   * op types do nothing, as in Java. Returns whether the op record was stored.
   */
  async putOpMessage(halfMsg: MessageExt, opType: string): Promise<boolean> {
    if (opType !== REMOVETAG) return true;
    const op = this.makeOpMessageInner(halfMsg.queueId, String(halfMsg.queueOffset));
    const result = await this.options.messageStore.putMessage(op);
    const appended = result.appendMessageResult;
    const ok = result.putMessageStatus === PutMessageStatus.PUT_OK && appended !== undefined;
    this.options.events.emit('broker.tx.op-written', {
      halfQueueId: halfMsg.queueId, halfQueueOffset: halfMsg.queueOffset, opQueueOffset: ok ? appended.logicsOffset : -1,
      opPhysOffset: ok ? appended.wroteOffset : -1, status: result.putMessageStatus,
    }, {
      flow: 'tx',
      msg: {
        uniqKey: op.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX), topic: OP_TOPIC, queueId: op.queueId,
        ...(ok ? { queueOffset: appended.logicsOffset, physOffset: appended.wroteOffset } : {}),
      },
    });
    return ok;
  }

  /** Java `makeOpMessageInner` for `new Message(OP_TOPIC, "d", body)`. */
  private makeOpMessageInner(queueId: number, body: string): MessageExtBrokerInner {
    const properties = new Map<string, string>([
      [MessageConst.PROPERTY_TAGS, REMOVETAG],
      [MessageConst.PROPERTY_WAIT_STORE_MSG_OK, 'false'],
      [MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX, this.uniqIdSetter().createUniqID()],
    ]);
    return new MessageExtBrokerInner({
      topic: OP_TOPIC, queueId, body: encodeUtf8(body), properties, propertiesString: messageProperties2String(properties),
      tagsCode: tagsString2tagsCode(REMOVETAG), sysFlag: 0, bornTimestamp: this.options.clock.now(),
      bornHost: this.storeHost, storeHost: this.storeHost,
    });
  }

  private uniqIdSetter(): MessageClientIDSetter {
    const ip = parseHostAddress(this.storeHost)?.ip;
    const { clock, random } = this.options;
    this.idSetter ??= new MessageClientIDSetter({ clock, random, pid: random.int(0x8000), ...(ip === undefined ? {} : { ip }) });
    return this.idSetter;
  }

  /**
   * A copy of a half message to put at the tail of the half queue (Java
   * `renewHalfMessageInner`). The copy shares `msgExt`'s property map; `WAIT=false` is set
   * in that map only after the properties string was built, so the stored copy does not
   * carry it (but the CHECK_TRANSACTION_STATE body encoded from `msgExt` does), as in Java.
   */
  renewHalfMessageInner(msgExt: MessageExt): MessageExtBrokerInner {
    const inner = new MessageExtBrokerInner({
      topic: msgExt.topic, body: msgExt.body, queueId: msgExt.queueId, msgId: msgExt.msgId, sysFlag: msgExt.sysFlag,
      flag: msgExt.flag, reconsumeTimes: msgExt.reconsumeTimes, tagsCode: tagsString2tagsCode(msgExt.tags),
      properties: msgExt.properties, propertiesString: messageProperties2String(msgExt.properties),
      bornTimestamp: msgExt.bornTimestamp, bornHost: msgExt.bornHost, storeHost: msgExt.storeHost,
    });
    inner.waitStoreMsgOK = false;
    return inner;
  }

  /**
   * A copy of a still-immune half message (one with its own CHECK_IMMUNITY_TIME_IN_SECONDS)
   * that remembers the queue offset it was first stored at, in TRAN_PREPARED_QUEUE_OFFSET
   * (Java `renewImmunityHalfMessageInner`).
   */
  renewImmunityHalfMessageInner(msgExt: MessageExt): MessageExtBrokerInner {
    const inner = this.renewHalfMessageInner(msgExt);
    const fromPrepare = msgExt.getProperty(MessageConst.PROPERTY_TRANSACTION_PREPARED_QUEUE_OFFSET);
    inner.putProperty(MessageConst.PROPERTY_TRANSACTION_PREPARED_QUEUE_OFFSET, fromPrepare ?? String(msgExt.queueOffset));
    inner.propertiesString = messageProperties2String(inner.properties);
    return inner;
  }
}
