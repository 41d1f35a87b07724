/**
 * The batch body: several messages for one topic and queue in one SEND_BATCH_MESSAGE.
 *
 * A producer sending a batch does not send full records: the topic, queue, born time and
 * flags are shared and travel once in the request header. The body holds, per message,
 * only what differs: its flag, its body and its own properties (each with its own
 * UNIQ_KEY). The broker re-encodes every item into a full commit-log record (see
 * `store/commitlog/message-encoder.ts`), and the send response carries their offset msgIds
 * joined with commas.
 *
 * ```
 *   one item (repeated, no separator between items):
 *   off  size  field
 *     0    4   TOTALSIZE        22 + n + p
 *     4    4   MAGICCODE        the client writes 0; nobody reads it
 *     8    4   BODYCRC          the client writes 0; the broker computes its own
 *    12    4   FLAG
 *    16    4   BODY LENGTH
 *    20    n   BODY
 *  20+n    2   PROPERTIES LENGTH  (signed short)
 *  22+n    p   PROPERTIES         the message's own properties string
 * ```
 *
 * So TOTALSIZE = 22 + n + p. Readers (Java's and ours) walk the fields and do not trust
 * TOTALSIZE.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java's `MessageDecoder.encodeMessage` / `encodeMessages` / `decodeMessage` /
 *   `decodeMessages` are the batch functions; here those names belong to full records
 *   (`message-decoder.ts`), and the batch ones are named `*BatchItem` / `*BatchMessages`.
 * - A malformed body gives `undefined` instead of an exception.
 *
 * @mirrors org.apache.rocketmq.common.message.MessageDecoder#encodeMessages
 * @mirrors org.apache.rocketmq.common.message.MessageDecoder#decodeMessages
 * @mirrors org.apache.rocketmq.common.message.MessageBatch
 * @article send-receive "Sending a batch"
 * @category Common
 * @module
 */
import { concatBytes, decodeUtf8, encodeUtf8 } from '../bytes.js';
import { INT16_MAX } from '../java-compat.js';
import { Message } from './message.js';
import { messageProperties2String, string2messageProperties } from './message-properties.js';

/** TOTALSIZE + MAGICCODE + BODYCRC + FLAG + BODY LENGTH. */
export const BATCH_ITEM_HEADER_LENGTH = 20;
/** Fixed bytes of an item besides its body and properties: the header plus the 2-byte properties length. */
export const BATCH_ITEM_FIXED_LENGTH = BATCH_ITEM_HEADER_LENGTH + 2;

/** Where the parts of one item are inside a batch body. */
export interface BatchItem {
  readonly flag: number;
  readonly bodyStart: number;
  readonly bodyLength: number;
  readonly propertiesStart: number;
  readonly propertiesLength: number;
  /** Position just after the item: where the next one starts. */
  readonly end: number;
}

/**
 * Locate the item starting at `offset`, without copying. `undefined` when the bytes end
 * too early or a length is negative.
 */
export function readBatchItem(bytes: Uint8Array, offset: number): BatchItem | undefined {
  if (offset < 0 || offset + BATCH_ITEM_HEADER_LENGTH > bytes.length) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flag = view.getInt32(offset + 12, false);
  const bodyLength = view.getInt32(offset + 16, false);
  const bodyStart = offset + BATCH_ITEM_HEADER_LENGTH;
  if (bodyLength < 0 || bodyStart + bodyLength + 2 > bytes.length) return undefined;
  const propertiesLength = view.getInt16(bodyStart + bodyLength, false);
  const propertiesStart = bodyStart + bodyLength + 2;
  if (propertiesLength < 0 || propertiesStart + propertiesLength > bytes.length) return undefined;
  return { flag, bodyStart, bodyLength, propertiesStart, propertiesLength, end: propertiesStart + propertiesLength };
}

/**
 * Encode one message as a batch item. Throws `RangeError` when its properties exceed
 * 32767 bytes, as Java throws before sending.
 */
export function encodeBatchItem(message: Message): Uint8Array {
  const properties = encodeUtf8(messageProperties2String(message.properties));
  if (properties.length > INT16_MAX) {
    throw new RangeError(`Properties size of message exceeded, properties size: ${properties.length}, maxSize: ${INT16_MAX}.`);
  }
  const body = message.body;
  const total = BATCH_ITEM_FIXED_LENGTH + body.length + properties.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setInt32(0, total, false); // TOTALSIZE
  view.setInt32(4, 0, false); // MAGICCODE: unused
  view.setInt32(8, 0, false); // BODYCRC: the broker computes it
  view.setInt32(12, message.flag, false); // FLAG
  view.setInt32(16, body.length, false); // BODY LENGTH
  out.set(body, BATCH_ITEM_HEADER_LENGTH);
  view.setInt16(BATCH_ITEM_HEADER_LENGTH + body.length, properties.length, false);
  out.set(properties, BATCH_ITEM_FIXED_LENGTH + body.length);
  return out;
}

/** The batch body for `messages`: their items back to back. */
export function encodeBatchMessages(messages: readonly Message[]): Uint8Array {
  return concatBytes(messages.map(encodeBatchItem));
}

/** Decode a batch body into messages (flag, body copy, properties); `undefined` when malformed. */
export function decodeBatchMessages(bytes: Uint8Array): Message[] | undefined {
  const messages: Message[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const item = readBatchItem(bytes, offset);
    if (item === undefined) return undefined;
    const properties = string2messageProperties(decodeUtf8(bytes, item.propertiesStart, item.end));
    const body = bytes.slice(item.bodyStart, item.bodyStart + item.bodyLength);
    messages.push(new Message({ flag: item.flag, body, properties }));
    offset = item.end;
  }
  return messages;
}
