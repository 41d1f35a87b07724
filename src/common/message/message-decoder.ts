/**
 * Full stored records ⇄ {@link MessageExt}: what a client does with a pull, query or view
 * body, and how the broker builds a CHECK_TRANSACTION_STATE body.
 *
 * The broker never re-encodes messages for consumers: a pull response body is raw
 * commit-log records copied back to back, so a client decodes exactly the bytes the store
 * wrote. The record layout (with its ASCII table) is documented once, in
 * `store/commitlog/record-layout.ts`; this file walks it field by field, as Java's
 * `MessageDecoder` does, because a reader on the client side has no store to import.
 *
 * ```
 *   pull body:  [record 0][record 1][record 2]...   each starts with its TOTALSIZE
 *   decodeMessages(body) ──► decodeMessage(body, 0) ──► decodeMessage(body, end0) ──► ...
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - Malformed bytes give `undefined` (Java catches the exception and returns `null`);
 *   nothing here throws on bad input.
 * - Inflating a compressed body needs an `inflate` function from the caller (zlib is not
 *   in the browser-safe core).
 * - `encodeMessage` always computes the record length; Java trusts a non-zero `storeSize`.
 * - Java's `decode` never checks the magic code, and neither do we.
 *
 * @mirrors org.apache.rocketmq.common.message.MessageDecoder
 * @article message "Decoding a pull body"
 * @category Common
 * @module
 */
import { assert } from '../assert.js';
import { decodeUtf8, encodeUtf8 } from '../bytes.js';
import { INT16_MAX, INT8_MAX, readLong, toInt8, writeLong } from '../java-compat.js';
import { readHostAddress, writeHostAddress } from './host-address.js';
import { createMessageId } from './message-id.js';
import { MessageExt } from './message-ext.js';
import { messageProperties2String, string2messageProperties } from './message-properties.js';
import { bornHostLength, MessageSysFlag, storeHostLength } from './message-sys-flag.js';

export { decodeBatchMessages, encodeBatchItem, encodeBatchMessages, readBatchItem } from './message-batch.js';

/** The MAGICCODE of a message record: 0xDAA320A7 as a Java `int`. */
export const MESSAGE_MAGIC_CODE = -626843481;

/** Inflates a zlib stream (Java `Inflater`); supplied by whoever has zlib. */
export type Inflate = (compressed: Uint8Array) => Uint8Array;

/** Bytes of an IPv4 record without body, topic and properties (TOTALSIZE .. BODY LENGTH, + topic and properties length fields). */
const FIXED_LENGTH_IPV4 = 91;

/**
 * Decode the record starting at `offset`. `undefined` when the bytes are malformed or end
 * too early.
 *
 * @param readBody copy the body (else it is left empty and skipped)
 * @param deCompressBody inflate a COMPRESSED body with `inflate` (then required)
 */
export function decodeMessage(
  bytes: Uint8Array,
  offset = 0,
  readBody = true,
  deCompressBody = false,
  inflate?: Inflate,
): MessageExt | undefined {
  return decodeMessageAt(bytes, offset, readBody, deCompressBody, inflate)?.message;
}

/** Decode back-to-back records until the bytes end or one is malformed (what decoded so far is kept). */
export function decodeMessages(bytes: Uint8Array, readBody = true, deCompressBody = false, inflate?: Inflate): MessageExt[] {
  const messages: MessageExt[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const decoded = decodeMessageAt(bytes, offset, readBody, deCompressBody, inflate);
    if (decoded === undefined) break;
    messages.push(decoded.message);
    offset = decoded.end;
  }
  return messages;
}

/**
 * The walk itself. Returns the message and the position after the last field read, which
 * is where the next record starts (Java advances by what it read, not by TOTALSIZE).
 */
function decodeMessageAt(
  bytes: Uint8Array,
  offset: number,
  readBody: boolean,
  deCompressBody: boolean,
  inflate: Inflate | undefined,
): { message: MessageExt; end: number } | undefined {
  if (offset < 0 || offset + 40 > bytes.length) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sysFlag = view.getInt32(offset + 36, false);
  const bornLength = bornHostLength(sysFlag);
  const storeLength = storeHostLength(sysFlag);
  const bodyLengthAt = offset + 84 + (bornLength - 8) + (storeLength - 8);
  if (bodyLengthAt + 4 > bytes.length) return undefined;

  const message = new MessageExt();
  message.storeSize = view.getInt32(offset, false);
  message.bodyCRC = view.getInt32(offset + 8, false);
  message.queueId = view.getInt32(offset + 12, false);
  message.flag = view.getInt32(offset + 16, false);
  message.queueOffset = readLong(view, offset + 20);
  message.commitLogOffset = readLong(view, offset + 28);
  message.sysFlag = sysFlag;
  message.bornTimestamp = readLong(view, offset + 40);
  message.bornHost = readHostAddress(bytes, offset + 48, bornLength === 8 ? 4 : 16);
  let pos = offset + 48 + bornLength;
  message.storeTimestamp = readLong(view, pos);
  message.storeHost = readHostAddress(bytes, pos + 8, storeLength === 8 ? 4 : 16);
  pos += 8 + storeLength;
  message.reconsumeTimes = view.getInt32(pos, false);
  message.preparedTransactionOffset = readLong(view, pos + 4);
  if ([message.queueOffset, message.commitLogOffset, message.bornTimestamp, message.storeTimestamp, message.preparedTransactionOffset].some(Number.isNaN)) {
    return undefined;
  }

  const bodyLength = view.getInt32(bodyLengthAt, false);
  pos = bodyLengthAt + 4;
  if (bodyLength > 0) {
    if (pos + bodyLength > bytes.length) return undefined;
    if (readBody) {
      let body: Uint8Array = bytes.slice(pos, pos + bodyLength);
      if (deCompressBody && (sysFlag & MessageSysFlag.COMPRESSED_FLAG) !== 0) {
        assert(inflate !== undefined, 'decodeMessage: deCompressBody needs an inflate function');
        body = inflate(body);
      }
      message.body = body;
    }
    pos += bodyLength;
  }

  if (pos + 1 > bytes.length) return undefined;
  const topicLength = toInt8(bytes[pos]!);
  pos += 1;
  if (topicLength < 0 || pos + topicLength + 2 > bytes.length) return undefined;
  message.topic = decodeUtf8(bytes, pos, pos + topicLength);
  pos += topicLength;

  const propertiesLength = view.getInt16(pos, false);
  pos += 2;
  if (propertiesLength > 0) {
    if (pos + propertiesLength > bytes.length) return undefined;
    message.properties = string2messageProperties(decodeUtf8(bytes, pos, pos + propertiesLength));
    pos += propertiesLength;
  }

  const storeIpStart = offset + 48 + bornLength + 8;
  const storeIp = bytes.subarray(storeIpStart, storeIpStart + storeLength - 4);
  message.msgId = createMessageId(storeIp, view.getInt32(storeIpStart + storeLength - 4, false), message.commitLogOffset);
  return { message, end: pos };
}

/**
 * Encode a MessageExt as a full record (Java `MessageDecoder.encode(msg, false)`), for the
 * CHECK_TRANSACTION_STATE body the broker sends to a producer. Every field is written as
 * the message holds it: BODYCRC is `message.bodyCRC`, not recomputed. The properties are
 * flattened from `message.properties`.
 */
export function encodeMessage(message: MessageExt): Uint8Array {
  const body = message.body;
  const topic = encodeUtf8(message.topic);
  const properties = encodeUtf8(messageProperties2String(message.properties));
  assert(topic.length <= INT8_MAX, `topic "${message.topic}" is longer than ${INT8_MAX} bytes`);
  assert(properties.length <= INT16_MAX, `properties are longer than ${INT16_MAX} bytes`);
  const sysFlag = message.sysFlag;
  const bornLength = bornHostLength(sysFlag);
  const storeLength = storeHostLength(sysFlag);
  const total = FIXED_LENGTH_IPV4 + (bornLength - 8) + (storeLength - 8) + body.length + topic.length + properties.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setInt32(0, total, false); // TOTALSIZE
  view.setInt32(4, MESSAGE_MAGIC_CODE, false); // MAGICCODE
  view.setInt32(8, message.bodyCRC, false); // BODYCRC
  view.setInt32(12, message.queueId, false); // QUEUEID
  view.setInt32(16, message.flag, false); // FLAG
  writeLong(view, 20, message.queueOffset); // QUEUEOFFSET
  writeLong(view, 28, message.commitLogOffset); // PHYSICALOFFSET
  view.setInt32(36, sysFlag, false); // SYSFLAG
  writeLong(view, 40, message.bornTimestamp); // BORNTIMESTAMP
  let pos = 48;
  assert(writeHostAddress(out, pos, message.bornHost) === bornLength, `bornHost "${message.bornHost}" does not match sysFlag ${sysFlag}`);
  pos += bornLength;
  writeLong(view, pos, message.storeTimestamp); // STORETIMESTAMP
  pos += 8;
  assert(writeHostAddress(out, pos, message.storeHost) === storeLength, `storeHost "${message.storeHost}" does not match sysFlag ${sysFlag}`);
  pos += storeLength;
  view.setInt32(pos, message.reconsumeTimes, false); // RECONSUMETIMES
  writeLong(view, pos + 4, message.preparedTransactionOffset); // PREPARED TRANSACTION OFFSET
  pos += 12;
  view.setInt32(pos, body.length, false); // BODY LENGTH + BODY
  out.set(body, pos + 4);
  pos += 4 + body.length;
  out[pos] = topic.length; // TOPIC LENGTH (one byte) + TOPIC
  out.set(topic, pos + 1);
  pos += 1 + topic.length;
  view.setInt16(pos, properties.length, false); // PROPERTIES LENGTH + PROPERTIES
  out.set(properties, pos + 2);
  assert(pos + 2 + properties.length === total, 'encodeMessage: length mismatch');
  return out;
}
