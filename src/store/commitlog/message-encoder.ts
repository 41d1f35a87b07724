/**
 * MessageExtEncoder: writes a message as a commit-log record straight into the segment's
 * bytes, and writes the BLANK filler at the end of a segment.
 *
 * The put path is the hottest code in the broker, so encoding happens in two steps and
 * allocates no buffer per message:
 *
 * ```
 *   measure(msg)          before the append      validate, compute TOTALSIZE and BODYCRC,
 *                                                cache the topic's UTF-8 bytes
 *   ── CommitLog decides: msgLength + 8 <= bytes left in the file? else encodeBlank() ──
 *   encode(msg, target,   inside the append      write every field at target[position..]
 *          position, at)  (Java: under the lock)  with the three values known only now
 * ```
 *
 * Which field is filled when (the rest come from the MessageExtBrokerInner as the broker
 * built it: QUEUEID, FLAG, SYSFLAG, BORNTIMESTAMP, BORNHOST, STOREHOSTADDRESS,
 * RECONSUMETIMES, PREPARED TRANSACTION OFFSET, BODY, TOPIC, PROPERTIES):
 *
 * ```
 *   BODYCRC         measure()   crc32Positive(body); also stored in msg.bodyCRC
 *   TOTALSIZE       measure()   calMsgLength(...); also stored in msg.storeSize by encode()
 *   QUEUEOFFSET     encode()    at.queueOffset: the caller passes 0 for PREPARED/ROLLBACK
 *   PHYSICALOFFSET  encode()    at.physicalOffset = fileFromOffset + write position
 *   STORETIMESTAMP  encode()    at.storeTimestamp, read from the clock at append time
 * ```
 *
 * `encode` also copies those three values into the message (`queueOffset`,
 * `commitLogOffset`, `storeTimestamp`), so the caller's MessageExt matches the record.
 *
 * A batch (SEND_BATCH_MESSAGE) arrives as one MessageExtBrokerInner whose body is a batch
 * body (`common/message/message-batch.ts`). {@link MessageExtEncoder.encodeBatch} turns
 * each item into a full record sharing the batch's topic, queue, hosts and born time, with
 * consecutive queue offsets and back-to-back physical offsets.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java pre-encodes into a 4 MiB+64 KiB direct buffer and copies it into the mapped file
 *   under the lock, patching QUEUEOFFSET, PHYSICALOFFSET and STORETIMESTAMP; we measure
 *   first and write once, in place.
 * - The size limit is 4.4's: the whole record must be <= `maxMessageSize`
 *   (MESSAGE_SIZE_EXCEEDED). 4.9 limits the body to `maxMessageSize` and the record to
 *   that plus 64 KiB (MESSAGE_ILLEGAL). A topic over 127 bytes is MESSAGE_ILLEGAL here;
 *   Java checks it earlier in `putMessage`.
 * - Batch items get the batch's own properties appended (4.9; 4.4 stores only the item's
 *   properties): set `appendBatchProperties: false` for 4.4 records. A combined properties
 *   string over 32767 bytes is PROPERTIES_SIZE_EXCEEDED (Java overflows the short).
 *
 * @mirrors org.apache.rocketmq.store.CommitLog.MessageExtEncoder
 * @mirrors org.apache.rocketmq.store.CommitLog.DefaultAppendMessageCallback (the byte writing)
 * @article store "One record, byte by byte"
 * @category Store
 * @module
 */
import { assert, AssertionError } from '../../common/assert.js';
import { encodeUtf8, utf8Encoder } from '../../common/bytes.js';
import { crc32Positive } from '../../common/crc32.js';
import { writeLong } from '../../common/java-compat.js';
import { writeHostAddress } from '../../common/message/host-address.js';
import { readBatchItem, type BatchItem } from '../../common/message/message-batch.js';
import type { MessageExtBrokerInner } from '../../common/message/message-ext.js';
import { bornHostLength, storeHostLength } from '../../common/message/message-sys-flag.js';
import {
  BLANK_MAGIC_CODE, BORN_HOST_POSITION, calMsgLength, END_FILE_MIN_BLANK_LENGTH, MAX_PROPERTIES_LENGTH, MAX_TOPIC_LENGTH, MESSAGE_MAGIC_CODE,
} from './record-layout.js';

/** What {@link MessageExtEncoder.measure} can answer. Names are Java's status names. */
export const EncodeStatus = {
  PUT_OK: 'PUT_OK',
  /** The record would be longer than `maxMessageSize`. */
  MESSAGE_SIZE_EXCEEDED: 'MESSAGE_SIZE_EXCEEDED',
  /** The properties are longer than 32767 bytes. */
  PROPERTIES_SIZE_EXCEEDED: 'PROPERTIES_SIZE_EXCEEDED',
  /** The topic is longer than 127 bytes, or a batch body is malformed or empty. */
  MESSAGE_ILLEGAL: 'MESSAGE_ILLEGAL',
} as const;
export type EncodeStatus = (typeof EncodeStatus)[keyof typeof EncodeStatus];

/** The outcome of measuring one message: its record length when `PUT_OK`, else 0. */
export interface EncodeCheck {
  readonly status: EncodeStatus;
  readonly msgLength: number;
}

/** The outcome of measuring a batch: total bytes and record count when `PUT_OK`. */
export interface BatchEncodeCheck {
  readonly status: EncodeStatus;
  readonly totalLength: number;
  readonly count: number;
}

/** The three values only known inside the append. */
export interface AppendFields {
  /** Commit-log offset of the (first) record's first byte. */
  readonly physicalOffset: number;
  /** Consume-queue offset of the (first) message; 0 for PREPARED/ROLLBACK. */
  readonly queueOffset: number;
  readonly storeTimestamp: number;
}

/** What {@link MessageExtEncoder.encodeBatch} wrote. */
export interface BatchEncodeResult {
  readonly totalLength: number;
  readonly count: number;
  /** Physical offset of each record, in order (for the comma-joined msgIds). */
  readonly physicalOffsets: number[];
}

export interface MessageExtEncoderOptions {
  /** Largest record, in bytes. Broker config `maxMessageSize`. @defaultValue 4194304 */
  readonly maxMessageSize?: number;
  /** Append the batch's own properties to every item's (4.9 behaviour). @defaultValue true */
  readonly appendBatchProperties?: boolean;
}

const EMPTY = new Uint8Array(0);
const PROPERTY_SEPARATOR_BYTE = 0x02;
const TOPIC_CACHE_LIMIT = 4096;

/** What {@link MessageExtEncoder.measure} remembers for the following `encode` of the same message. */
interface Measured {
  msg: MessageExtBrokerInner;
  topic: string;
  topicBytes: Uint8Array;
  propertiesString: string;
  propertiesBytes: Uint8Array | undefined;
  propertiesLength: number;
  body: Uint8Array;
  sysFlag: number;
  msgLength: number;
}

/** What {@link MessageExtEncoder.measureBatch} remembers for the following `encodeBatch`. */
interface MeasuredBatch {
  batch: MessageExtBrokerInner;
  topic: string;
  body: Uint8Array;
  sysFlag: number;
  propertiesString: string;
  propertiesBytes: Uint8Array | undefined;
  batchProperties: Uint8Array;
  check: BatchEncodeCheck;
  items: BatchItem[];
}

function failedBatch(status: EncodeStatus): BatchEncodeCheck {
  return { status, totalLength: 0, count: 0 };
}

export class MessageExtEncoder {
  readonly maxMessageSize: number;
  readonly appendBatchProperties: boolean;
  private readonly topicCache = new Map<string, Uint8Array>();
  private measured: Measured | undefined;
  private measuredBatch: MeasuredBatch | undefined;
  private lastTarget: Uint8Array = EMPTY;
  private lastView: DataView = new DataView(EMPTY.buffer);

  constructor(options: MessageExtEncoderOptions = {}) {
    this.maxMessageSize = options.maxMessageSize ?? 4 * 1024 * 1024;
    this.appendBatchProperties = options.appendBatchProperties ?? true;
    assert(Number.isSafeInteger(this.maxMessageSize) && this.maxMessageSize > 0, `maxMessageSize must be positive, got ${this.maxMessageSize}`);
  }

  /** Validate `msg` and compute its record length and body CRC (sets `msg.bodyCRC`). */
  measure(msg: MessageExtBrokerInner): EncodeCheck {
    this.measured = undefined;
    const topicBytes = this.topicBytes(msg.topic);
    if (topicBytes.length > MAX_TOPIC_LENGTH) return { status: EncodeStatus.MESSAGE_ILLEGAL, msgLength: 0 };
    const propertiesLength = msg.propertiesBytes?.length ?? utf8Length(msg.propertiesString);
    if (propertiesLength > MAX_PROPERTIES_LENGTH) return { status: EncodeStatus.PROPERTIES_SIZE_EXCEEDED, msgLength: 0 };
    const msgLength = calMsgLength(msg.sysFlag, msg.body.length, topicBytes.length, propertiesLength);
    if (msgLength > this.maxMessageSize) return { status: EncodeStatus.MESSAGE_SIZE_EXCEEDED, msgLength: 0 };
    msg.bodyCRC = crc32Positive(msg.body);
    this.measured = {
      msg, topic: msg.topic, topicBytes, propertiesString: msg.propertiesString, propertiesBytes: msg.propertiesBytes,
      propertiesLength, body: msg.body, sysFlag: msg.sysFlag, msgLength,
    };
    return { status: EncodeStatus.PUT_OK, msgLength };
  }

  /**
   * Write `msg` as one record at `target[position..]` and return its length. Measures
   * first unless the last `measure` was of this very message, unchanged; a message that
   * does not measure PUT_OK, or does not fit the target, is a caller bug (assertion).
   */
  encode(msg: MessageExtBrokerInner, target: Uint8Array, position: number, at: AppendFields): number {
    const m = this.isMeasured(msg) ? this.measured! : this.measureOrFail(msg);
    this.measured = undefined;
    const length = m.msgLength;
    if (!(position >= 0 && position + length <= target.length)) throw new AssertionError(`record of ${length} bytes does not fit at ${position} of ${target.length}`);
    const view = this.viewOf(target);
    let p = this.writeHead(target, view, position, msg, length, msg.bodyCRC, msg.flag, at, msg.preparedTransactionOffset);
    view.setInt32(p, m.body.length, false); // BODY LENGTH + BODY
    target.set(m.body, p + 4);
    p += 4 + m.body.length;
    target[p] = m.topicBytes.length; // TOPIC LENGTH + TOPIC
    target.set(m.topicBytes, p + 1);
    p += 1 + m.topicBytes.length;
    view.setInt16(p, m.propertiesLength, false); // PROPERTIES LENGTH + PROPERTIES
    p += 2;
    if (m.propertiesBytes !== undefined) {
      target.set(m.propertiesBytes, p);
    } else if (m.propertiesLength > 0) {
      const { written } = utf8Encoder.encodeInto(m.propertiesString, target.subarray(p, p + m.propertiesLength));
      assert(written === m.propertiesLength, 'properties UTF-8 length changed while encoding');
    }
    assert(p + m.propertiesLength === position + length, 'record length does not match calMsgLength');
    msg.storeSize = length;
    msg.queueOffset = at.queueOffset;
    msg.commitLogOffset = at.physicalOffset;
    msg.storeTimestamp = at.storeTimestamp;
    return length;
  }

  /** Validate a batch message and compute the total length of the records it becomes. */
  measureBatch(batch: MessageExtBrokerInner): BatchEncodeCheck {
    this.measuredBatch = undefined;
    const topicLength = this.topicBytes(batch.topic).length;
    if (topicLength > MAX_TOPIC_LENGTH) return failedBatch(EncodeStatus.MESSAGE_ILLEGAL);
    const batchProperties = this.batchPropertiesOf(batch);
    const body = batch.body;
    const items: BatchItem[] = [];
    let totalLength = 0;
    for (let offset = 0; offset < body.length;) {
      const item = readBatchItem(body, offset);
      if (item === undefined) return failedBatch(EncodeStatus.MESSAGE_ILLEGAL);
      const propertiesLength = combinedPropertiesLength(body, item.propertiesStart, item.propertiesLength, batchProperties);
      if (propertiesLength > MAX_PROPERTIES_LENGTH) return failedBatch(EncodeStatus.PROPERTIES_SIZE_EXCEEDED);
      totalLength += calMsgLength(batch.sysFlag, item.bodyLength, topicLength, propertiesLength);
      if (totalLength > this.maxMessageSize) return failedBatch(EncodeStatus.MESSAGE_SIZE_EXCEEDED);
      items.push(item);
      offset = item.end;
    }
    if (items.length === 0) return failedBatch(EncodeStatus.MESSAGE_ILLEGAL);
    const check = { status: EncodeStatus.PUT_OK, totalLength, count: items.length };
    this.measuredBatch = {
      batch, topic: batch.topic, body, sysFlag: batch.sysFlag, propertiesString: batch.propertiesString, propertiesBytes: batch.propertiesBytes,
      batchProperties, check, items,
    };
    return check;
  }

  /**
   * Write every item of a batch as a full record, back to back from `target[position]`.
   * Record i gets queue offset `at.queueOffset + i`. The batch must measure PUT_OK and fit.
   */
  encodeBatch(batch: MessageExtBrokerInner, target: Uint8Array, position: number, at: AppendFields): BatchEncodeResult {
    // The measure step just before (the put path) read every item already; otherwise measure now.
    const m = this.measuredBatch;
    const measured = m !== undefined && m.batch === batch && m.topic === batch.topic && m.body === batch.body && m.sysFlag === batch.sysFlag
      && m.propertiesString === batch.propertiesString && m.propertiesBytes === batch.propertiesBytes ? m : undefined;
    const check = measured?.check ?? this.measureBatch(batch);
    if (check.status !== EncodeStatus.PUT_OK) throw new AssertionError(`encodeBatch on a batch that measures ${check.status}`);
    const { items, batchProperties } = measured ?? this.measuredBatch!;
    this.measuredBatch = undefined;
    if (!(position >= 0 && position + check.totalLength <= target.length)) throw new AssertionError(`batch of ${check.totalLength} bytes does not fit at ${position}`);
    const view = this.viewOf(target);
    const topicBytes = this.topicBytes(batch.topic);
    const body = batch.body;
    const physicalOffsets: number[] = [];
    let p = position;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const bodyEnd = item.bodyStart + item.bodyLength;
      const itemPropertiesEnd = item.propertiesStart + item.propertiesLength;
      const propertiesLength = combinedPropertiesLength(body, item.propertiesStart, item.propertiesLength, batchProperties);
      const length = calMsgLength(batch.sysFlag, item.bodyLength, topicBytes.length, propertiesLength);
      const physicalOffset = at.physicalOffset + (p - position);
      const fields = { physicalOffset, queueOffset: at.queueOffset + i, storeTimestamp: at.storeTimestamp };
      const start = p;
      p = this.writeHead(target, view, p, batch, length, crc32Positive(body, item.bodyStart, bodyEnd), item.flag, fields, 0);
      view.setInt32(p, item.bodyLength, false);
      target.set(body.subarray(item.bodyStart, bodyEnd), p + 4);
      p += 4 + item.bodyLength;
      target[p] = topicBytes.length;
      target.set(topicBytes, p + 1);
      p += 1 + topicBytes.length;
      view.setInt16(p, propertiesLength, false);
      target.set(body.subarray(item.propertiesStart, itemPropertiesEnd), p + 2);
      p += 2 + item.propertiesLength;
      if (batchProperties.length > 0) {
        if (propertiesLength > item.propertiesLength + batchProperties.length) target[p++] = PROPERTY_SEPARATOR_BYTE;
        target.set(batchProperties, p);
        p += batchProperties.length;
      }
      assert(p - start === length, 'batch record length does not match calMsgLength');
      physicalOffsets.push(physicalOffset);
    }
    return { totalLength: check.totalLength, count: check.count, physicalOffsets };
  }

  /** Write the BLANK filler: `[length][BLANK_MAGIC_CODE]`. The bytes after those 8 are left as they are. */
  encodeBlank(target: Uint8Array, position: number, length: number): void {
    encodeBlank(target, position, length);
  }

  /**
   * TOTALSIZE .. PREPARED TRANSACTION OFFSET (everything before BODY LENGTH); returns the
   * position of BODY LENGTH.
   */
  private writeHead(
    target: Uint8Array, view: DataView, position: number, src: MessageExtBrokerInner,
    totalSize: number, bodyCRC: number, flag: number, at: AppendFields, preparedTransactionOffset: number,
  ): number {
    const sysFlag = src.sysFlag;
    view.setInt32(position, totalSize, false); // TOTALSIZE
    view.setInt32(position + 4, MESSAGE_MAGIC_CODE, false); // MAGICCODE
    view.setInt32(position + 8, bodyCRC, false); // BODYCRC
    view.setInt32(position + 12, src.queueId, false); // QUEUEID
    view.setInt32(position + 16, flag, false); // FLAG
    writeLong(view, position + 20, at.queueOffset); // QUEUEOFFSET
    writeLong(view, position + 28, at.physicalOffset); // PHYSICALOFFSET
    view.setInt32(position + 36, sysFlag, false); // SYSFLAG
    writeLong(view, position + 40, src.bornTimestamp); // BORNTIMESTAMP
    let p = position + BORN_HOST_POSITION;
    if (!(writeHostAddress(target, p, src.bornHost) === bornHostLength(sysFlag))) throw new AssertionError(`bornHost "${src.bornHost}" does not parse or does not match sysFlag ${sysFlag}`);
    p += bornHostLength(sysFlag);
    writeLong(view, p, at.storeTimestamp); // STORETIMESTAMP
    p += 8;
    if (!(writeHostAddress(target, p, src.storeHost) === storeHostLength(sysFlag))) throw new AssertionError(`storeHost "${src.storeHost}" does not parse or does not match sysFlag ${sysFlag}`);
    p += storeHostLength(sysFlag);
    view.setInt32(p, src.reconsumeTimes, false); // RECONSUMETIMES
    writeLong(view, p + 4, preparedTransactionOffset); // PREPARED TRANSACTION OFFSET
    return p + 12;
  }

  private isMeasured(msg: MessageExtBrokerInner): boolean {
    const m = this.measured;
    return m !== undefined && m.msg === msg && m.topic === msg.topic && m.propertiesString === msg.propertiesString
      && m.propertiesBytes === msg.propertiesBytes && m.body === msg.body && m.sysFlag === msg.sysFlag;
  }

  private measureOrFail(msg: MessageExtBrokerInner): Measured {
    const check = this.measure(msg);
    if (!(check.status === EncodeStatus.PUT_OK)) throw new AssertionError(`encode on a message that measures ${check.status}`);
    return this.measured!;
  }

  private batchPropertiesOf(batch: MessageExtBrokerInner): Uint8Array {
    if (!this.appendBatchProperties) return EMPTY;
    return batch.propertiesBytes ?? (batch.propertiesString.length > 0 ? encodeUtf8(batch.propertiesString) : EMPTY);
  }

  /** UTF-8 bytes of a topic, cached: a broker sees few topics and many messages. */
  private topicBytes(topic: string): Uint8Array {
    let bytes = this.topicCache.get(topic);
    if (bytes === undefined) {
      if (this.topicCache.size >= TOPIC_CACHE_LIMIT) this.topicCache.clear();
      bytes = encodeUtf8(topic);
      this.topicCache.set(topic, bytes);
    }
    return bytes;
  }

  private viewOf(target: Uint8Array): DataView {
    if (target !== this.lastTarget) {
      this.lastTarget = target;
      this.lastView = new DataView(target.buffer, target.byteOffset, target.byteLength);
    }
    return this.lastView;
  }
}

/** Write the BLANK filler header `[length][BLANK_MAGIC_CODE]` at `target[position..]`. */
export function encodeBlank(target: Uint8Array, position: number, length: number): void {
  if (!(length >= END_FILE_MIN_BLANK_LENGTH)) throw new AssertionError(`a BLANK record needs at least ${END_FILE_MIN_BLANK_LENGTH} bytes, got ${length}`);
  if (!(position >= 0 && position + END_FILE_MIN_BLANK_LENGTH <= target.length)) throw new AssertionError(`BLANK header does not fit at ${position}`);
  const view = new DataView(target.buffer, target.byteOffset, target.byteLength);
  view.setInt32(position, length, false);
  view.setInt32(position + 4, BLANK_MAGIC_CODE, false);
}

/**
 * Properties length of a batch record: the item's own, then (when the batch has some) a
 * `\u0002` if the item's do not already end with one, then the batch's.
 */
function combinedPropertiesLength(body: Uint8Array, start: number, length: number, batchProperties: Uint8Array): number {
  if (batchProperties.length === 0) return length;
  const needSeparator = length > 0 && body[start + length - 1] !== PROPERTY_SEPARATOR_BYTE;
  return length + (needSeparator ? 1 : 0) + batchProperties.length;
}

/** Bytes `TextEncoder` produces for `s` (a lone surrogate becomes U+FFFD, 3 bytes). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
