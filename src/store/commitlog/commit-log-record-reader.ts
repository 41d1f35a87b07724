/**
 * checkMessageAndReturnSize: read one commit-log record back and say whether it is valid.
 *
 * Two store paths read the log back record by record: recovery (after a restart, to find
 * where the valid data ends) and the reput service (to build consume queues and the index
 * from new records). Both call this function at a record boundary and move on by the size
 * it reports; the verdicts are tabled in `dispatch/dispatch-request.ts`. It never throws:
 * after a crash the bytes past the last flush can be anything, and "this is not a record"
 * is an ordinary answer there.
 *
 * ```
 *   bytes:  ... [TOTALSIZE][MAGIC][BODYCRC] ... [BODY LEN][BODY][t][TOPIC][p][PROPERTIES] ...
 *               ^offset
 *   1. MAGIC = BLANK       → { success: true,  msgSize: 0 }   (roll to the next file)
 *   2. MAGIC ≠ MESSAGE     → { success: false, msgSize: -1 }
 *   3. walk the fields; a field running past the bytes, or a CRC mismatch → msgSize -1
 *   4. calMsgLength(fields) ≠ TOTALSIZE  → { success: false, msgSize: TOTALSIZE }
 *   5. otherwise a full DispatchRequest, with tagsCode computed from the properties
 * ```
 *
 * The tags code is the Java hash of TAGS, except in `SCHEDULE_TOPIC_XXXX`: a delayed
 * message's consume-queue unit carries its deliver time instead (store time + the delay of
 * its level), which is what lets the schedule service find due messages without reading
 * the commit log.
 *
 * Differences from RocketMQ 4.9.x:
 * - Bounds are checked explicitly (Java relies on buffer-underflow exceptions, and an
 *   absurd TOTALSIZE can make it allocate gigabytes).
 * - The delay table is passed in as a {@link DeliverTimestampCalculator} instead of being
 *   reached through `defaultMessageStore.getScheduleMessageService()`.
 *
 * @mirrors org.apache.rocketmq.store.CommitLog#checkMessageAndReturnSize
 * @article store "Checking a record: magic code, length and CRC"
 * @category Store
 * @module
 */
import { decodeUtf8 } from '../../common/bytes.js';
import { crc32Positive } from '../../common/crc32.js';
import { javaParseInt, readLong, toInt8 } from '../../common/java-compat.js';
import { MessageConst } from '../../common/message/message-const.js';
import { tagsString2tagsCode } from '../../common/message/message-ext.js';
import { string2messageProperties } from '../../common/message/message-properties.js';
import { bornHostLength, storeHostLength } from '../../common/message/message-sys-flag.js';
import { dispatchRequestOfSize, type DispatchFailureReason, type DispatchRequest } from '../dispatch/dispatch-request.js';
import { BLANK_MAGIC_CODE, BORN_HOST_POSITION, calMsgLength, MESSAGE_MAGIC_CODE } from './record-layout.js';

/** The topic delayed messages wait in. Java: `TopicValidator.RMQ_SYS_SCHEDULE_TOPIC`. */
export const RMQ_SYS_SCHEDULE_TOPIC = 'SCHEDULE_TOPIC_XXXX';

/** The schedule service's answer to "when is a message of this level due?". */
export interface DeliverTimestampCalculator {
  readonly maxDelayLevel: number;
  computeDeliverTimestamp(delayLevel: number, storeTimestamp: number): number;
}

/** Broker config `messageDelayLevel`'s default: 18 levels. */
export const DEFAULT_MESSAGE_DELAY_LEVEL = '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h';

const TIME_UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Delay per level (level 1 at index 0), parsed from a `messageDelayLevel` string. */
export class DelayLevelTable implements DeliverTimestampCalculator {
  constructor(readonly delayMillis: readonly number[]) {}

  /** Java `ScheduleMessageService.parseDelayLevel`; `undefined` where Java reports failure. */
  static parse(levelString: string = DEFAULT_MESSAGE_DELAY_LEVEL): DelayLevelTable | undefined {
    const delays: number[] = [];
    for (const value of levelString.split(' ')) {
      const unit = TIME_UNIT_MS[value.slice(-1)];
      const count = value.slice(0, -1);
      if (unit === undefined || !/^[0-9]+$/.test(count)) return undefined;
      delays.push(Number(count) * unit);
    }
    return new DelayLevelTable(delays);
  }

  get maxDelayLevel(): number {
    return this.delayMillis.length;
  }

  /** Store time plus the level's delay; Java falls back to +1 s for an unknown level. */
  computeDeliverTimestamp(delayLevel: number, storeTimestamp: number): number {
    return storeTimestamp + (this.delayMillis[delayLevel - 1] ?? 1000);
  }
}

const DEFAULT_DELAY_TABLE = DelayLevelTable.parse()!;

export interface CheckMessageOptions {
  /** Deliver times for `SCHEDULE_TOPIC_XXXX` records. Default: the 18 default levels. */
  readonly deliverTimestamp?: DeliverTimestampCalculator;
  /** Remembers the last topic name decoded (the reput service reads record after record of few topics). */
  readonly topicNames?: TopicNameCache;
}

/** The last topic name decoded and its bytes: a record of the same topic reuses the string instead of decoding it. */
export class TopicNameCache {
  private bytes = new Uint8Array(0);
  private name = '';

  decode(source: Uint8Array, start: number, end: number): string {
    const length = end - start;
    let same = length === this.bytes.length;
    for (let i = 0; same && i < length; i++) same = source[start + i] === this.bytes[i];
    if (!same) {
      this.bytes = source.slice(start, end);
      this.name = decodeUtf8(this.bytes);
    }
    return this.name;
  }
}

const fail = (msgSize: number, reason: DispatchFailureReason): DispatchRequest => dispatchRequestOfSize(msgSize, false, reason);
const BLANK: DispatchRequest = Object.freeze(dispatchRequestOfSize(0, true));

/**
 * Check the record at `bytes[offset..]`; the record must lie wholly inside `bytes`.
 *
 * @param checkCRC recompute the body CRC (recovery does, reput does not)
 * @param readBody look at the body at all; without it the CRC cannot be checked
 */
export function checkMessageAndReturnSize(
  bytes: Uint8Array,
  offset: number,
  checkCRC: boolean,
  readBody = true,
  options: CheckMessageOptions = {},
): DispatchRequest {
  if (offset < 0 || offset + 8 > bytes.length) return fail(-1, 'TRUNCATED');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const totalSize = view.getInt32(offset, false);
  const magicCode = view.getInt32(offset + 4, false);
  if (magicCode === BLANK_MAGIC_CODE) return BLANK;
  if (magicCode !== MESSAGE_MAGIC_CODE) return fail(-1, 'BAD_MAGIC');
  if (totalSize < 0) return fail(-1, 'MALFORMED');
  if (offset + BORN_HOST_POSITION > bytes.length) return fail(-1, 'TRUNCATED');

  const bodyCRC = view.getInt32(offset + 8, false);
  const queueId = view.getInt32(offset + 12, false);
  const queueOffset = readLong(view, offset + 20);
  const physicalOffset = readLong(view, offset + 28);
  const sysFlag = view.getInt32(offset + 36, false);
  let p = offset + BORN_HOST_POSITION + bornHostLength(sysFlag);
  const storeTimestampAt = p;
  p += 8 + storeHostLength(sysFlag) + 4; // STORETIMESTAMP, STOREHOSTADDRESS, RECONSUMETIMES
  const preparedAt = p;
  p += 8;
  if (p + 4 > bytes.length) return fail(-1, 'TRUNCATED');
  const storeTimestamp = readLong(view, storeTimestampAt);
  const preparedTransactionOffset = readLong(view, preparedAt);
  // NaN (not a safe integer) makes the sum NaN: one test instead of an array per record.
  if (Number.isNaN(queueOffset + physicalOffset + storeTimestamp + preparedTransactionOffset)) return fail(-1, 'MALFORMED');

  const bodyLength = view.getInt32(p, false);
  p += 4;
  if (bodyLength > 0) {
    if (bodyLength > totalSize) return fail(-1, 'MALFORMED'); // Java: it would not fit its scratch array
    if (p + bodyLength > bytes.length) return fail(-1, 'TRUNCATED');
    if (readBody && checkCRC && crc32Positive(bytes, p, p + bodyLength) !== bodyCRC) return fail(-1, 'BAD_CRC');
    p += bodyLength;
  }

  if (p + 1 > bytes.length) return fail(-1, 'TRUNCATED');
  const topicLength = toInt8(bytes[p]!);
  p += 1;
  if (topicLength < 0) return fail(-1, 'MALFORMED');
  if (p + topicLength + 2 > bytes.length) return fail(-1, 'TRUNCATED');
  const topic = options.topicNames?.decode(bytes, p, p + topicLength) ?? decodeUtf8(bytes, p, p + topicLength);
  p += topicLength;

  const propertiesLength = view.getInt16(p, false);
  p += 2;
  let propertiesMap: Map<string, string> | undefined;
  let keys = '';
  let uniqKey: string | undefined;
  let tagsCode = 0;
  if (propertiesLength > 0) {
    if (propertiesLength > totalSize) return fail(-1, 'MALFORMED');
    if (p + propertiesLength > bytes.length) return fail(-1, 'TRUNCATED');
    propertiesMap = string2messageProperties(decodeUtf8(bytes, p, p + propertiesLength));
    keys = propertiesMap.get(MessageConst.PROPERTY_KEYS) ?? '';
    uniqKey = propertiesMap.get(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
    tagsCode = tagsString2tagsCode(propertiesMap.get(MessageConst.PROPERTY_TAGS));
    const delay = propertiesMap.get(MessageConst.PROPERTY_DELAY_TIME_LEVEL);
    if (topic === RMQ_SYS_SCHEDULE_TOPIC && delay !== undefined) {
      const calculator = options.deliverTimestamp ?? DEFAULT_DELAY_TABLE;
      const parsed = javaParseInt(delay);
      if (parsed === undefined) return fail(-1, 'MALFORMED'); // Java: NumberFormatException, caught
      const level = Math.min(parsed, calculator.maxDelayLevel);
      if (level > 0) tagsCode = calculator.computeDeliverTimestamp(level, storeTimestamp);
      if (!Number.isSafeInteger(tagsCode)) return fail(-1, 'MALFORMED'); // a garbage store time near 2^53
    }
  }

  if (totalSize !== calMsgLength(sysFlag, bodyLength, topicLength, propertiesLength)) return fail(totalSize, 'SIZE_MISMATCH');

  return {
    success: true,
    msgSize: totalSize,
    topic,
    queueId,
    commitLogOffset: physicalOffset,
    tagsCode,
    storeTimestamp,
    consumeQueueOffset: queueOffset,
    keys,
    uniqKey,
    sysFlag,
    preparedTransactionOffset,
    propertiesMap,
  };
}
