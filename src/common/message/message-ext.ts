/**
 * MessageExt: a message as it was stored (every field of a commit-log record), and
 * MessageExtBrokerInner: a message on its way into the store.
 *
 * A stored record adds to the producer's {@link Message} everything the broker knows:
 * where the record sits (`commitLogOffset`, `queueId`, `queueOffset`), when and from where
 * it was born and stored, its body checksum, how often it was retried. Decoding a pull,
 * query or view body yields these (see `message-decoder.ts`).
 *
 * On the way in, the broker builds a {@link MessageExtBrokerInner}: the same fields, plus
 * the properties already flattened into a string (`propertiesString`, which is what gets
 * written) and the tags hash (`tagsCode`). Which fields are known when:
 *
 * ```
 *   set by the broker before the put   topic, queueId, flag, body, sysFlag, bornTimestamp,
 *                                      bornHost, storeHost, reconsumeTimes,
 *                                      preparedTransactionOffset, properties(+String), tagsCode
 *   set by the store before appending  bodyCRC (MessageExtEncoder.measure)
 *   set by the store inside the append storeTimestamp, queueOffset, commitLogOffset,
 *                                      storeSize (MessageExtEncoder.encode)
 *   derived afterwards                 msgId (store host + commitLogOffset, see message-id.ts)
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - Hosts are `"ip:port"` strings (see `host-address.ts`), not `SocketAddress` objects.
 * - `MessageExtBrokerInner` lives in common (Java: the store module) so that both the
 *   broker and the store can build one; `encodedBuff` is replaced by the optional
 *   `propertiesBytes` cache.
 * - Java's `MessageExtBatch` is a `MessageExtBrokerInner` whose body is a batch body
 *   (see `message-batch.ts`); there is no separate class.
 *
 * @mirrors org.apache.rocketmq.common.message.MessageExt
 * @mirrors org.apache.rocketmq.store.MessageExtBrokerInner
 * @mirrors org.apache.rocketmq.common.message.MessageExtBatch
 * @article message "Message, MessageExt and the broker's inner message"
 * @category Common
 * @module
 */
import { javaStringHashCode } from '../java-compat.js';
import { Message, type MessageInit } from './message.js';
import { MessageSysFlag } from './message-sys-flag.js';
import { isIPv6HostAddress } from './host-address.js';

/** The data fields of a {@link MessageExt}. */
export interface MessageExtInit extends MessageInit {
  brokerName: string;
  queueId: number;
  storeSize: number;
  queueOffset: number;
  sysFlag: number;
  bornTimestamp: number;
  bornHost: string;
  storeTimestamp: number;
  storeHost: string;
  msgId: string;
  commitLogOffset: number;
  bodyCRC: number;
  reconsumeTimes: number;
  preparedTransactionOffset: number;
}

/** The host written when none is known: an all-zero IPv4 address and port. */
export const UNKNOWN_HOST = '0.0.0.0:0';

export class MessageExt extends Message {
  /** Not stored in the record; filled in by clients and the broker for display. */
  brokerName: string;
  queueId: number;
  /** TOTALSIZE of the record: its whole length in bytes. */
  storeSize: number;
  /** Index in the consume queue (0 for PREPARED and ROLLBACK records). */
  queueOffset: number;
  sysFlag: number;
  /** When the producer created the message (producer's clock, ms). */
  bornTimestamp: number;
  /** The producer's address as the broker saw the TCP connection. */
  bornHost: string;
  /** When the store appended it (store's clock, ms, assigned under the append lock). */
  storeTimestamp: number;
  /** The broker's `brokerIP1:listenPort`. */
  storeHost: string;
  /**
   * The offset message id (32 hex chars; see `message-id.ts`) as decoded from a record. A
   * consumer replaces it with the UNIQ_KEY when the message has one, keeping the offset id in
   * {@link MessageExt.offsetMsgId} (Java: `MessageClientExt#getMsgId`).
   */
  msgId: string;
  /** Client side: the offset msgId, once `msgId` has been replaced by the UNIQ_KEY; else undefined. */
  offsetMsgId: string | undefined;
  /** Physical offset of the record in the commit log. */
  commitLogOffset: number;
  /** `crc32Positive(body)` of the body as stored. */
  bodyCRC: number;
  reconsumeTimes: number;
  /** For a commit/rollback record: the commit-log offset of its half message; else 0. */
  preparedTransactionOffset: number;

  constructor(init: Partial<MessageExtInit> = {}) {
    super(init);
    this.brokerName = init.brokerName ?? '';
    this.queueId = init.queueId ?? 0;
    this.storeSize = init.storeSize ?? 0;
    this.queueOffset = init.queueOffset ?? 0;
    this.sysFlag = init.sysFlag ?? 0;
    this.bornTimestamp = init.bornTimestamp ?? 0;
    this.bornHost = init.bornHost ?? UNKNOWN_HOST;
    this.storeTimestamp = init.storeTimestamp ?? 0;
    this.storeHost = init.storeHost ?? UNKNOWN_HOST;
    this.msgId = init.msgId ?? '';
    this.offsetMsgId = undefined;
    this.commitLogOffset = init.commitLogOffset ?? 0;
    this.bodyCRC = init.bodyCRC ?? 0;
    this.reconsumeTimes = init.reconsumeTimes ?? 0;
    this.preparedTransactionOffset = init.preparedTransactionOffset ?? 0;
  }

  /** Set BORNHOST_V6_FLAG / STOREHOSTADDRESS_V6_FLAG to match the host strings (Java does this in the send processor). */
  applyHostV6Flags(): void {
    this.sysFlag = isIPv6HostAddress(this.bornHost)
      ? this.sysFlag | MessageSysFlag.BORNHOST_V6_FLAG
      : this.sysFlag & ~MessageSysFlag.BORNHOST_V6_FLAG;
    this.sysFlag = isIPv6HostAddress(this.storeHost)
      ? this.sysFlag | MessageSysFlag.STOREHOSTADDRESS_V6_FLAG
      : this.sysFlag & ~MessageSysFlag.STOREHOSTADDRESS_V6_FLAG;
  }
}

/** The data fields of a {@link MessageExtBrokerInner}. */
export interface MessageExtBrokerInnerInit extends MessageExtInit {
  propertiesString: string;
  tagsCode: number;
  propertiesBytes: Uint8Array | undefined;
}

/** What the broker hands to the store: a MessageExt plus the flattened properties and tag hash. */
export class MessageExtBrokerInner extends MessageExt {
  /** The properties exactly as they will be written (see `message-properties.ts`). */
  propertiesString: string;
  /** `tagsString2tagsCode(TAGS)`; the consume queue stores it. */
  tagsCode: number;
  /**
   * Optional: `propertiesString` already UTF-8 encoded. When set, the encoder copies it
   * instead of encoding the string again (the broker has these bytes from the request).
   */
  propertiesBytes: Uint8Array | undefined;

  constructor(init: Partial<MessageExtBrokerInnerInit> = {}) {
    super(init);
    this.propertiesString = init.propertiesString ?? '';
    this.tagsCode = init.tagsCode ?? 0;
    this.propertiesBytes = init.propertiesBytes;
  }
}

/**
 * `MessageExtBrokerInner.tagsString2tagsCode`: the consume-queue tags code of a `TAGS`
 * value is its Java `String.hashCode()`, or 0 for no tags. The topic's filter type (and the
 * MULTI_TAGS flag) does not change it: a multi-tag string is hashed whole.
 */
export function tagsString2tagsCode(tags: string | undefined): number {
  return tags === undefined || tags.length === 0 ? 0 : javaStringHashCode(tags);
}
