/**
 * DefaultTransactionalMessageCheckListener: what the check walk does with a half message it
 * cannot decide alone: ask its producer group (CHECK_TRANSACTION_STATE), or, after too many
 * unanswered questions, give up on it.
 *
 * The broker cannot know whether a producer's local transaction committed; only the
 * producer's application can. So it picks any live connection of the half message's
 * producer group (`PGROUP`) and sends a one-way CHECK_TRANSACTION_STATE down it. The answer
 * comes back later as an ordinary END_TRANSACTION with `fromTransactionCheck=true`:
 *
 * ```
 *   broker                                        producer of group PGROUP
 *     CHECK_TRANSACTION_STATE (39), one-way  ──►
 *       tranStateTableOffset = the re-put copy's half queue offset
 *       commitLogOffset      = the copy's commit-log offset
 *       offsetMsgId          = the copy's offset msgId
 *       msgId, transactionId = UNIQ_KEY
 *       body = the message record, topic/queue = REAL_TOPIC/REAL_QID, TRANSACTION_CHECK_TIMES=n
 *                                           ◄──  END_TRANSACTION (37), one-way, same offsets,
 *                                                commitOrRollback 8/12/0, fromTransactionCheck=true
 * ```
 *
 * A message checked `transactionCheckMax` (15) times, or older than the store keeps files,
 * is discarded. 4.4 only logged that; 4.9 keeps a copy in `TRANS_CHECK_MAX_TIME_TOPIC` (one
 * queue, created on first use), where an operator can still find it.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java's abstract listener and its default subclass are one class here, behind the
 *   {@link TransactionalMessageCheckListener} interface the walk sees.
 * - The check-back is sent inline, not on a 2-to-5-thread executor.
 * - A half message without a readable REAL_TOPIC/REAL_QID, or whose record could not be
 *   encoded, is not sent (Java throws inside the executor and logs it); the event says so.
 *
 * @mirrors org.apache.rocketmq.broker.transaction.AbstractTransactionalMessageCheckListener
 * @mirrors org.apache.rocketmq.broker.transaction.queue.DefaultTransactionalMessageCheckListener
 * @article transaction "Asking a producer about a transaction"
 * @emits broker.tx.check-sent, broker.tx.discarded
 * @category Broker
 * @module
 */
import { encodeUtf8 } from '../../common/bytes.js';
import { PermName } from '../../common/constant/perm-name.js';
import { INT16_MAX, INT8_MAX, javaParseInt } from '../../common/java-compat.js';
import { MessageConst } from '../../common/message/message-const.js';
import { encodeMessage } from '../../common/message/message-decoder.js';
import { MessageExtBrokerInner, tagsString2tagsCode, type MessageExt } from '../../common/message/message-ext.js';
import { messageProperties2String } from '../../common/message/message-properties.js';
import { RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC } from '../../common/topic/topic-validator.js';
import type { Why } from '../../events/event-types.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Random } from '../../platform/random.js';
import type { MessageStore } from '../../store/message-store.js';
import { PutMessageStatus } from '../../store/results.js';
import type { Broker2Client, CheckTransactionStateRequestHeader } from '../client/broker2client.js';
import type { ProducerManager } from '../client/producer-manager.js';
import type { TopicConfigManager } from '../topic/topic-config-manager.js';

/** Why the walk gave up on a half message. */
export type DiscardReason = 'check-max' | 'file-reserved-time';

/** What the check walk hands undecided and hopeless half messages to. */
export interface TransactionalMessageCheckListener {
  /**
   * Ask the producer about `msgExt`, which was just re-put: its offsets are the copy's.
   * `halfOffsetBefore` is the queue offset the walk found it at.
   */
  resolveHalfMsg(msgExt: MessageExt, halfOffsetBefore: number, why: Why): void;
  /** Give up on `msgExt`. */
  resolveDiscardMsg(msgExt: MessageExt, reason: DiscardReason): Promise<void>;
}

/** Queues of TRANS_CHECK_MAX_TIME_TOPIC (Java `TCMT_QUEUE_NUMS`). */
export const TCMT_QUEUE_NUMS = 1;
/** Java draws a queue with `ThreadLocalRandom.nextInt(99999999) % n`; so do we. */
const RANDOM_BOUND = 99_999_999;

export interface DefaultTransactionalMessageCheckListenerOptions {
  readonly producerManager: Pick<ProducerManager, 'getAvailableChannel'>;
  readonly broker2Client: Pick<Broker2Client, 'checkProducerTransactionState'>;
  readonly messageStore: Pick<MessageStore, 'putMessage'>;
  readonly topicConfigManager: Pick<TopicConfigManager, 'createTopicInSendMessageBackMethod'>;
  readonly random: Random;
  readonly events: NodeEvents;
}

export class DefaultTransactionalMessageCheckListener implements TransactionalMessageCheckListener {
  constructor(private readonly options: DefaultTransactionalMessageCheckListenerOptions) {}

  resolveHalfMsg(msgExt: MessageExt, halfOffsetBefore: number, why: Why): void {
    this.sendCheckMessage(msgExt, halfOffsetBefore, why);
  }

  /**
   * Send CHECK_TRANSACTION_STATE about `msgExt` to a live producer of its group. Returns
   * whether it went out. `msgExt` is turned back into the producer's view (real topic and
   * queue) for the body.
   */
  sendCheckMessage(msgExt: MessageExt, halfOffsetBefore: number, why: Why): boolean {
    const uniqKey = msgExt.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
    const header: CheckTransactionStateRequestHeader = {
      commitLogOffset: msgExt.commitLogOffset, offsetMsgId: msgExt.msgId, tranStateTableOffset: msgExt.queueOffset,
      ...(uniqKey === undefined ? {} : { msgId: uniqKey, transactionId: uniqKey }),
    };
    const halfQueueOffset = msgExt.queueOffset;
    const realTopic = msgExt.getProperty(MessageConst.PROPERTY_REAL_TOPIC);
    const realQueueId = javaParseInt(msgExt.getProperty(MessageConst.PROPERTY_REAL_QUEUE_ID) ?? '');
    const group = msgExt.getProperty(MessageConst.PROPERTY_PRODUCER_GROUP);
    let sent = false;
    let to: string | undefined;
    if (realTopic !== undefined && realQueueId !== undefined && encodable(msgExt, realTopic)) {
      msgExt.topic = realTopic;
      msgExt.queueId = realQueueId;
      msgExt.storeSize = 0;
      const connection = this.options.producerManager.getAvailableChannel(group);
      if (connection !== undefined && group !== undefined) {
        sent = this.options.broker2Client.checkProducerTransactionState(group, connection, header, encodeMessage(msgExt));
        to = connection.remoteAddress;
      }
      // Java: "Check transaction failed, channel is null" when no member of the group is connected.
    }
    const checkTimes = javaParseInt(msgExt.getProperty(MessageConst.PROPERTY_TRANSACTION_CHECK_TIMES) ?? '') ?? 0;
    this.options.events.emit('broker.tx.check-sent', {
      producerGroup: group ?? '', checkTimes, halfOffsetBefore, halfQueueOffset, commitLogOffset: msgExt.commitLogOffset,
      offsetMsgId: msgExt.msgId, sent, ...(sent && to !== undefined ? { to } : {}),
    }, {
      flow: 'tx', why,
      msg: {
        ...(uniqKey === undefined ? {} : { uniqKey }), topic: realTopic ?? msgExt.topic, queueId: msgExt.queueId,
        queueOffset: halfQueueOffset, physOffset: msgExt.commitLogOffset, ...(realTopic === undefined ? {} : { realTopic }), tx: 'half',
      },
    });
    return sent;
  }

  /** 4.9: keep a copy of the hopeless half message in TRANS_CHECK_MAX_TIME_TOPIC. */
  async resolveDiscardMsg(msgExt: MessageExt, reason: DiscardReason): Promise<void> {
    const { topicConfigManager, random, messageStore, events } = this.options;
    const topicConfig = topicConfigManager.createTopicInSendMessageBackMethod(
      RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC, TCMT_QUEUE_NUMS, PermName.PERM_READ | PermName.PERM_WRITE, 0,
    );
    const inner = new MessageExtBrokerInner({
      topic: topicConfig?.topicName ?? RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC, body: msgExt.body, flag: msgExt.flag,
      properties: msgExt.properties, propertiesString: messageProperties2String(msgExt.properties),
      tagsCode: tagsString2tagsCode(msgExt.tags), queueId: random.int(RANDOM_BOUND) % TCMT_QUEUE_NUMS, sysFlag: msgExt.sysFlag,
      bornHost: msgExt.bornHost, bornTimestamp: msgExt.bornTimestamp, storeHost: msgExt.storeHost,
      reconsumeTimes: msgExt.reconsumeTimes, msgId: msgExt.msgId,
    });
    inner.waitStoreMsgOK = false; // after the string was built, as Java does: the record keeps the half's WAIT
    const result = await messageStore.putMessage(inner);
    const stored = result.putMessageStatus === PutMessageStatus.PUT_OK ? result.appendMessageResult : undefined;
    const checkTimes = javaParseInt(msgExt.getProperty(MessageConst.PROPERTY_TRANSACTION_CHECK_TIMES) ?? '') ?? 0;
    const producerGroup = msgExt.getProperty(MessageConst.PROPERTY_PRODUCER_GROUP) ?? '';
    const uniqKey = msgExt.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
    const realTopic = msgExt.getProperty(MessageConst.PROPERTY_REAL_TOPIC);
    events.emit('broker.tx.discarded', {
      reason, checkTimes, halfQueueOffset: msgExt.queueOffset, producerGroup, topic: inner.topic, storedQueueOffset: stored?.logicsOffset ?? -1,
    }, {
      flow: 'tx',
      why: { rule: 'transaction-discard', inputs: { checkTimes, bornTimestamp: msgExt.bornTimestamp }, outcome: reason },
      msg: {
        ...(uniqKey === undefined ? {} : { uniqKey }), topic: inner.topic, queueId: inner.queueId,
        ...(stored === undefined ? {} : { queueOffset: stored.logicsOffset, physOffset: stored.wroteOffset }),
        ...(realTopic === undefined ? {} : { realTopic }), tx: 'half',
      },
    });
  }
}

/** Whether the check body can be written: a topic of at most 127 bytes and properties of at most 32767. */
function encodable(msgExt: MessageExt, realTopic: string): boolean {
  return encodeUtf8(realTopic).length <= INT8_MAX && encodeUtf8(messageProperties2String(msgExt.properties)).length <= INT16_MAX;
}
