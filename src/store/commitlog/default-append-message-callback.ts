/**
 * DefaultAppendMessageCallback: the part of a put that runs inside the segment, deciding
 * between "write the record here" and "close this file with a BLANK".
 *
 * The commit log measures a message first (length, CRC, limits), then asks the last
 * segment to append it. The segment hands this callback a window of bytes and tells it how
 * much of the file is left (`maxBlank`). The callback then does three things Java does
 * under the put lock:
 *
 * ```
 *   1. queueOffset = topicQueueTable[topic-queueId]      (0 for PREPARED / ROLLBACK)
 *   2. if msgLength + 8 > maxBlank:                     the record would not leave room
 *         write [maxBlank][BLANK_MAGIC_CODE]            for a BLANK marker after it, so
 *         return END_OF_FILE, wroteBytes = maxBlank     the file is closed instead
 *      else:
 *         encode the record at the window position     QUEUEOFFSET, PHYSICALOFFSET and
 *         return PUT_OK, wroteBytes = msgLength         STORETIMESTAMP filled in now
 *   3. topicQueueTable[topic-queueId] += records        (NOT / COMMIT only)
 * ```
 *
 * Why a BLANK and not a split record: a reader must be able to decode any record from its
 * start offset alone, inside one file. So a record never straddles two files; the rest of
 * the file becomes filler and every reader (recovery, reput, HA) rolls to the next file
 * when it meets the BLANK magic.
 *
 * Differences from RocketMQ 4.9.x:
 * - The record was measured before the append (the encoder's two-step API) and is encoded
 *   once, in place, instead of being copied from a pre-encoded buffer and patched.
 * - The offset msgId is computed here eagerly (Java: a lazy `Supplier`).
 *
 * @mirrors org.apache.rocketmq.store.CommitLog.DefaultAppendMessageCallback
 * @article store "The put path"
 * @category Store
 * @module
 */
import type { MessageExtBrokerInner } from '../../common/message/message-ext.js';
import { createMessageId } from '../../common/message/message-id.js';
import { parseHostAddress } from '../../common/message/host-address.js';
import { getTransactionValue, MessageSysFlag } from '../../common/message/message-sys-flag.js';
import type { Clock } from '../../platform/clock.js';
import type { AppendMessageCallback } from '../mapped-file/append-message-callback.js';
import { AppendMessageStatus, type AppendMessageResult } from '../results.js';
import type { MessageExtEncoder } from './message-encoder.js';
import { END_FILE_MIN_BLANK_LENGTH } from './record-layout.js';
import type { TopicQueueTable } from './topic-queue-table.js';

/** Whether records of this sysFlag get a consume-queue entry (NOT and COMMIT do). */
export function isConsumableTransactionType(sysFlag: number): boolean {
  const type = getTransactionValue(sysFlag);
  return type === MessageSysFlag.TRANSACTION_NOT_TYPE || type === MessageSysFlag.TRANSACTION_COMMIT_TYPE;
}

export class DefaultAppendMessageCallback implements AppendMessageCallback<MessageExtBrokerInner> {
  /** TOTALSIZE (or batch total) of the message about to be appended, from the encoder's measure step. */
  measuredLength = 0;
  /** Records in the message about to be appended: 1, or the batch's item count. */
  measuredCount = 1;
  /** Whether the message about to be appended is a batch body. */
  batch = false;
  private lastHost = '';
  private lastHostIp: Uint8Array = new Uint8Array(4);
  private lastHostPort = 0;

  constructor(
    private readonly encoder: MessageExtEncoder,
    private readonly topicQueueTable: TopicQueueTable,
    private readonly clock: Clock,
  ) {}

  doAppend(fileFromOffset: number, position: number, maxBlank: number, target: Uint8Array, at: number, msg: MessageExtBrokerInner): AppendMessageResult {
    const physicalOffset = fileFromOffset + position;
    const consumable = isConsumableTransactionType(msg.sysFlag);
    const queueOffset = consumable ? this.topicQueueTable.get(msg.topic, msg.queueId) : 0;
    // Java: the store timestamp is taken inside the lock, so it grows in file order.
    const storeTimestamp = this.clock.now();
    msg.storeTimestamp = storeTimestamp;
    if (this.measuredLength + END_FILE_MIN_BLANK_LENGTH > maxBlank) {
      this.encoder.encodeBlank(target, at, maxBlank);
      return result(AppendMessageStatus.END_OF_FILE, physicalOffset, maxBlank, '', storeTimestamp, queueOffset, 0);
    }
    const fields = { physicalOffset, queueOffset, storeTimestamp };
    let msgId: string;
    if (this.batch) {
      const written = this.encoder.encodeBatch(msg, target, at, fields);
      msgId = written.physicalOffsets.map((offset) => this.msgIdOf(msg.storeHost, offset)).join(',');
    } else {
      this.encoder.encode(msg, target, at, fields);
      msgId = this.msgIdOf(msg.storeHost, physicalOffset);
    }
    if (consumable) this.topicQueueTable.set(msg.topic, msg.queueId, queueOffset + this.measuredCount);
    return result(AppendMessageStatus.PUT_OK, physicalOffset, this.measuredLength, msgId, storeTimestamp, queueOffset, this.measuredCount);
  }

  /** The offset msgId; the parsed store host is cached, as a broker has one. */
  private msgIdOf(storeHost: string, physicalOffset: number): string {
    if (storeHost !== this.lastHost) {
      const parsed = parseHostAddress(storeHost);
      if (parsed === undefined) return '';
      this.lastHost = storeHost;
      this.lastHostIp = parsed.ip;
      this.lastHostPort = parsed.port;
    }
    return createMessageId(this.lastHostIp, this.lastHostPort, physicalOffset);
  }
}

function result(
  status: AppendMessageStatus, wroteOffset: number, wroteBytes: number, msgId: string,
  storeTimestamp: number, logicsOffset: number, msgNum: number,
): AppendMessageResult {
  return { status, wroteOffset, wroteBytes, msgId, storeTimestamp, logicsOffset, msgNum, pagecacheRT: 0 };
}
