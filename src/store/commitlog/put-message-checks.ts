/**
 * The work a put does before it takes the append lock: turn the encoder's verdict into a
 * put status, and send delayed messages to the schedule topic.
 *
 * Java does these steps at the top of `CommitLog.asyncPutMessage`, outside the put lock,
 * because none of them needs to know where the record will land:
 *
 * ```
 *   encoder.measure(msg)          PUT_OK                       -> append (if <= maxRecordBytes)
 *                                 MESSAGE_SIZE_EXCEEDED        -> MESSAGE_ILLEGAL
 *                                 PROPERTIES_SIZE_EXCEEDED     -> PROPERTIES_SIZE_EXCEEDED
 *                                 MESSAGE_ILLEGAL (topic, batch) -> MESSAGE_ILLEGAL
 *   DELAY=n on a NOT/COMMIT msg   topic -> SCHEDULE_TOPIC_XXXX, queue -> n-1,
 *                                 REAL_TOPIC / REAL_QID keep the way back
 * ```
 *
 * Every refusal happens before a single byte is written, so a refused put leaves the log
 * exactly as it was.
 *
 * Differences from RocketMQ 4.9.x:
 * - A record larger than what one segment (or its write window) can hold is refused as
 *   MESSAGE_ILLEGAL; Java only notices after an endless END_OF_FILE (UNKNOWN_ERROR).
 *
 * @mirrors org.apache.rocketmq.store.CommitLog#asyncPutMessage (before the lock)
 * @article schedule-retry "How a delayed message waits"
 * @category Store
 * @module
 */
import { MessageConst } from '../../common/message/message-const.js';
import type { MessageExtBrokerInner } from '../../common/message/message-ext.js';
import { messageProperties2String } from '../../common/message/message-properties.js';
import { AppendMessageStatus, appendMessageResultOf, PutMessageStatus, putMessageResultOf, type PutMessageResult } from '../results.js';
import { RMQ_SYS_SCHEDULE_TOPIC } from './commit-log-record-reader.js';
import { EncodeStatus } from './message-encoder.js';

/**
 * The refusal for a measured message (or batch) of `length` bytes, or `undefined` when it
 * may be appended. Java maps the append statuses the same way after its lock.
 */
export function refusalOf(status: EncodeStatus, length: number, maxRecordBytes: number): PutMessageResult | undefined {
  switch (status) {
    case EncodeStatus.PUT_OK:
      if (length <= maxRecordBytes) return undefined;
      return putMessageResultOf(PutMessageStatus.MESSAGE_ILLEGAL, appendMessageResultOf(AppendMessageStatus.MESSAGE_SIZE_EXCEEDED));
    case EncodeStatus.MESSAGE_SIZE_EXCEEDED:
      return putMessageResultOf(PutMessageStatus.MESSAGE_ILLEGAL, appendMessageResultOf(AppendMessageStatus.MESSAGE_SIZE_EXCEEDED));
    case EncodeStatus.PROPERTIES_SIZE_EXCEEDED:
      return putMessageResultOf(PutMessageStatus.PROPERTIES_SIZE_EXCEEDED, appendMessageResultOf(AppendMessageStatus.PROPERTIES_SIZE_EXCEEDED));
    case EncodeStatus.MESSAGE_ILLEGAL:
      return putMessageResultOf(PutMessageStatus.MESSAGE_ILLEGAL);
  }
}

/**
 * Store a delayed message in the schedule topic: queue `level - 1` (the level clamped to
 * `maxDelayLevel`), with its real topic and queue in `REAL_TOPIC` / `REAL_QID`. The
 * schedule service puts it back when it is due. The caller checks that the message is a
 * NOT or COMMIT record with `delayTimeLevel > 0`.
 */
export function rewriteDelayedMessage(msg: MessageExtBrokerInner, maxDelayLevel: number): void {
  if (msg.delayTimeLevel > maxDelayLevel) msg.delayTimeLevel = maxDelayLevel;
  msg.putProperty(MessageConst.PROPERTY_REAL_TOPIC, msg.topic);
  msg.putProperty(MessageConst.PROPERTY_REAL_QUEUE_ID, String(msg.queueId));
  msg.propertiesString = messageProperties2String(msg.properties);
  msg.propertiesBytes = undefined;
  msg.topic = RMQ_SYS_SCHEDULE_TOPIC;
  msg.queueId = msg.delayTimeLevel - 1;
}
