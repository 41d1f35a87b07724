/**
 * The commit-log record: the byte layout of one stored message, field by field.
 *
 * Every message of every topic is appended to the commit log as one self-describing
 * record. It starts with its own length, so a reader can walk the log from any record
 * boundary, and with a magic code, so a reader can tell a record from the BLANK filler at
 * the end of a segment and from garbage after a crash. This exact layout is also the
 * PULL_MESSAGE, QUERY_MESSAGE and VIEW_MESSAGE_BY_ID body format: consumers receive these
 * bytes unchanged, so a Java client decodes what we store.
 *
 * The IPv4 layout (both host fields 8 bytes; see the V6 note below):
 *
 * ```
 *   off  size  field                          written
 *  ─────┬─────┬──────────────────────────────┬─────────────────────────────────────────
 *     0    4   TOTALSIZE                      whole record, these 4 bytes included
 *     4    4   MAGICCODE                      0xDAA320A7 message / 0xCBD43194 BLANK
 *     8    4   BODYCRC                        crc32(body) & 0x7FFFFFFF, body as stored
 *    12    4   QUEUEID
 *    16    4   FLAG                           the producer's int flag, untouched
 *    20    8   QUEUEOFFSET                    index in the consume queue (0: PREPARED/ROLLBACK)
 *    28    8   PHYSICALOFFSET                 this record's own commit-log offset
 *    36    4   SYSFLAG                        see message-sys-flag.ts
 *    40    8   BORNTIMESTAMP                  producer clock, ms
 *    48    8   BORNHOST                       IPv4(4) + port(4) of the producer connection
 *    56    8   STORETIMESTAMP                 store clock, ms, taken under the append lock
 *    64    8   STOREHOSTADDRESS               brokerIP1(4) + listen port(4)
 *    72    4   RECONSUMETIMES
 *    76    8   PREPARED TRANSACTION OFFSET    commit/rollback: its half message's offset
 *    84    4   BODY LENGTH (n)
 *    88    n   BODY
 *  88+n    1   TOPIC LENGTH (t)               signed byte: topic <= 127 bytes
 *  89+n    t   TOPIC                          UTF-8
 *  89+n+t  2   PROPERTIES LENGTH (p)          signed short: properties <= 32767 bytes
 *  91+n+t  p   PROPERTIES                     name\u0001value\u0002... (UTF-8)
 *  ─────────────────────────────────────────  TOTALSIZE = 91 + n + t + p
 * ```
 *
 * With BORNHOST_V6_FLAG the born host is 16 + 4 = 20 bytes, and with
 * STOREHOSTADDRESS_V6_FLAG the store host is 20 bytes; every field after a longer host
 * moves by 12. The `*_POSITION` constants below are the IPv4 positions; the functions
 * next to them take the sysFlag.
 *
 * The BLANK record that fills the end of a segment has only two meaningful fields:
 *
 * ```
 *   [ TOTALSIZE = bytes left in the file ][ 0xCBD43194 ][ whatever was there ... ]
 * ```
 *
 * Differences from RocketMQ 4.9.x: none; this is the 4.x layout (4.4 is the IPv4 case).
 *
 * @mirrors org.apache.rocketmq.store.CommitLog#calMsgLength
 * @mirrors org.apache.rocketmq.store.CommitLog (MESSAGE_MAGIC_CODE, BLANK_MAGIC_CODE)
 * @article store "One record, byte by byte"
 * @category Store
 * @module
 */
import { assert } from '../../common/assert.js';
import { MESSAGE_MAGIC_CODE } from '../../common/message/message-decoder.js';
import { bornHostLength, storeHostLength } from '../../common/message/message-sys-flag.js';

export { MESSAGE_MAGIC_CODE };

/** MAGICCODE of the BLANK filler at the end of a segment: 0xCBD43194 as a Java `int`. */
export const BLANK_MAGIC_CODE = -875286124;

/**
 * A record is appended only if at least this many bytes of the file stay free after it,
 * so there is always room for the 8-byte BLANK header (TOTALSIZE + MAGICCODE).
 */
export const END_FILE_MIN_BLANK_LENGTH = 4 + 4;

export const TOTAL_SIZE_POSITION = 0;
export const MAGIC_CODE_POSITION = 4;
export const BODY_CRC_POSITION = 8;
export const QUEUE_ID_POSITION = 12;
export const FLAG_POSITION = 16;
export const QUEUE_OFFSET_POSITION = 20;
export const PHYSICAL_OFFSET_POSITION = 28;
export const SYS_FLAG_POSITION = 36;
export const BORN_TIMESTAMP_POSITION = 40;
export const BORN_HOST_POSITION = 48;
/** IPv4 born host; see {@link storeTimestampPosition}. */
export const STORE_TIMESTAMP_POSITION = 56;
/** IPv4 born host; see {@link storeHostPosition}. */
export const STORE_HOST_POSITION = 64;
/** IPv4 hosts; see {@link bodyLengthPosition} for the others from here on. */
export const RECONSUME_TIMES_POSITION = 72;
export const PREPARED_TRANSACTION_OFFSET_POSITION = 76;
export const BODY_LENGTH_POSITION = 84;
export const BODY_POSITION = 88;

/** Bytes of an IPv4 record besides body, topic and properties: 88 before the body, 1 + 2 after. */
export const RECORD_FIXED_LENGTH_IPV4 = BODY_POSITION + 1 + 2;

/** Largest topic, in UTF-8 bytes (the length is one signed byte). */
export const MAX_TOPIC_LENGTH = 127;
/** Largest properties string, in UTF-8 bytes (the length is a signed short). */
export const MAX_PROPERTIES_LENGTH = 32767;

/** Where STORETIMESTAMP is for this sysFlag: 56, or 68 with an IPv6 born host. */
export function storeTimestampPosition(sysFlag: number): number {
  return BORN_HOST_POSITION + bornHostLength(sysFlag);
}

/** Where STOREHOSTADDRESS starts for this sysFlag. */
export function storeHostPosition(sysFlag: number): number {
  return storeTimestampPosition(sysFlag) + 8;
}

/** Where RECONSUMETIMES is for this sysFlag. */
export function reconsumeTimesPosition(sysFlag: number): number {
  return storeHostPosition(sysFlag) + storeHostLength(sysFlag);
}

/** Where BODY LENGTH is for this sysFlag: 84 for IPv4 hosts, up to 108 with both IPv6. */
export function bodyLengthPosition(sysFlag: number): number {
  return reconsumeTimesPosition(sysFlag) + 4 + 8;
}

/**
 * Java `CommitLog.calMsgLength`: TOTALSIZE of a record with these parts. Negative body or
 * properties lengths count as 0, as in Java (a reader compares this with TOTALSIZE).
 */
export function calMsgLength(sysFlag: number, bodyLength: number, topicLength: number, propertiesLength: number): number {
  return bodyLengthPosition(sysFlag) + 4 + Math.max(bodyLength, 0) + 1 + topicLength + 2 + Math.max(propertiesLength, 0);
}

// The table above, checked once when the module loads (pure arithmetic, no IO).
assert(MAGIC_CODE_POSITION === TOTAL_SIZE_POSITION + 4 && BODY_CRC_POSITION === MAGIC_CODE_POSITION + 4, 'layout: header');
assert(QUEUE_OFFSET_POSITION === FLAG_POSITION + 4 && PHYSICAL_OFFSET_POSITION === QUEUE_OFFSET_POSITION + 8, 'layout: offsets');
assert(SYS_FLAG_POSITION === PHYSICAL_OFFSET_POSITION + 8 && BORN_TIMESTAMP_POSITION === SYS_FLAG_POSITION + 4, 'layout: sysflag');
assert(STORE_TIMESTAMP_POSITION === storeTimestampPosition(0) && STORE_HOST_POSITION === storeHostPosition(0), 'layout: store fields');
assert(RECONSUME_TIMES_POSITION === reconsumeTimesPosition(0), 'layout: reconsume times');
assert(PREPARED_TRANSACTION_OFFSET_POSITION === RECONSUME_TIMES_POSITION + 4, 'layout: prepared offset');
assert(BODY_LENGTH_POSITION === bodyLengthPosition(0) && BODY_POSITION === BODY_LENGTH_POSITION + 4, 'layout: body');
assert(RECORD_FIXED_LENGTH_IPV4 === 91 && calMsgLength(0, 0, 0, 0) === 91, 'layout: fixed length');
assert(bodyLengthPosition(0x30) === BODY_LENGTH_POSITION + 24, 'layout: two IPv6 hosts add 24 bytes');
assert(END_FILE_MIN_BLANK_LENGTH === MAGIC_CODE_POSITION + 4, 'layout: a BLANK header is TOTALSIZE + MAGICCODE');
assert(MESSAGE_MAGIC_CODE === (0xdaa320a7 | 0) && BLANK_MAGIC_CODE === (0xcbd43194 | 0), 'layout: magic codes');
