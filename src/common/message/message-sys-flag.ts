/**
 * The bits of a message's `sysFlag`: compression, multi-tags, transaction type, IPv6 hosts.
 *
 * `sysFlag` is an `int` the client sends with every message and the store writes into
 * every record (SYSFLAG, at byte 36). Three parts of the store read it: the transaction
 * bits decide whether a record gets a consume-queue entry and a queue offset, the IPv6
 * bits decide how long the host fields are (so where every later field starts), and the
 * compressed bit tells a consumer to inflate the body.
 *
 * ```
 *   bit    9 8 |  7     6   |   5         4       |  3 2         |  1          0
 *         ─────┼────────────┼────────────────────┼──────────────┼──────────────────────
 *   4.9.x  compression type | STOREHOST  BORNHOST | TRANSACTION  |  MULTI_TAGS COMPRESSED
 *          (bits 8-10)      |   _V6        _V6    | type (0..3)  |
 *                           |  (bits 6, 7: batch markers, 4.9.x late / 5.x)
 *
 *   transaction type = (flag & 0b1100):  0 NOT   4 PREPARED   8 COMMIT   12 ROLLBACK
 * ```
 *
 * Differences from RocketMQ 4.9.x: none. The V6 bits are 4.5+ (a 4.4 broker never sets
 * them); the compression-type bits exist only in late 4.9.x and we never set them.
 *
 * @mirrors org.apache.rocketmq.common.sysflag.MessageSysFlag
 * @article message "sysFlag: eight bits of message metadata"
 * @category Common
 * @module
 */

export const MessageSysFlag = {
  /** The body is a zlib stream (client-compressed bodies >= 4 KiB). */
  COMPRESSED_FLAG: 0x1,
  /** Set by the broker when the topic's filter type is MULTI_TAG; does not change hashing. */
  MULTI_TAGS_FLAG: 0x1 << 1,
  /** An ordinary message. */
  TRANSACTION_NOT_TYPE: 0,
  /** A half message: stored, but no consume-queue entry and queue offset 0. */
  TRANSACTION_PREPARED_TYPE: 0x1 << 2,
  /** The commit record of a transaction: consumable. */
  TRANSACTION_COMMIT_TYPE: 0x2 << 2,
  /** The rollback record: not consumable, not indexed. */
  TRANSACTION_ROLLBACK_TYPE: 0x3 << 2,
  /** BORNHOST is 16 + 4 bytes instead of 4 + 4. */
  BORNHOST_V6_FLAG: 0x1 << 4,
  /** STOREHOSTADDRESS is 16 + 4 bytes, and the offset msgId is 28 bytes. */
  STOREHOSTADDRESS_V6_FLAG: 0x1 << 5,
  /** Late 4.9.x / 5.x batch marker; never set here. */
  NEED_UNWRAP_FLAG: 0x1 << 6,
  /** Late 4.9.x / 5.x batch marker; never set here. */
  INNER_BATCH_FLAG: 0x1 << 7,
  /** Late 4.9.x: compression algorithm in bits 8-10 (1 LZ4, 2 ZSTD, 3 ZLIB; 0 means ZLIB). */
  COMPRESSION_TYPE_COMPARATOR: 0x7 << 8,
} as const;

/** The transaction type bits of `flag`: one of the four `TRANSACTION_*_TYPE` values. */
export function getTransactionValue(flag: number): number {
  return flag & MessageSysFlag.TRANSACTION_ROLLBACK_TYPE;
}

/** `flag` with its transaction type replaced by `type`. */
export function resetTransactionValue(flag: number, type: number): number {
  return (flag & ~MessageSysFlag.TRANSACTION_ROLLBACK_TYPE) | type;
}

/** `flag` without the compressed bit (the broker clears it when it stores an inflated copy). */
export function clearCompressedFlag(flag: number): number {
  return flag & ~MessageSysFlag.COMPRESSED_FLAG;
}

/** The transaction type as a word, for events and logs. */
export type TransactionTypeName = 'NOT' | 'PREPARED' | 'COMMIT' | 'ROLLBACK';

const TRANSACTION_NAMES: readonly TransactionTypeName[] = ['NOT', 'PREPARED', 'COMMIT', 'ROLLBACK'];

/** `'NOT' | 'PREPARED' | 'COMMIT' | 'ROLLBACK'` for the transaction bits of `flag`. */
export function transactionTypeName(flag: number): TransactionTypeName {
  return TRANSACTION_NAMES[getTransactionValue(flag) >> 2]!;
}

/** Bytes of the BORNHOST field for this flag: 8 (IPv4 + port) or 20 (IPv6 + port). */
export function bornHostLength(sysFlag: number): 8 | 20 {
  return (sysFlag & MessageSysFlag.BORNHOST_V6_FLAG) === 0 ? 8 : 20;
}

/** Bytes of the STOREHOSTADDRESS field for this flag: 8 (IPv4 + port) or 20 (IPv6 + port). */
export function storeHostLength(sysFlag: number): 8 | 20 {
  return (sysFlag & MessageSysFlag.STOREHOSTADDRESS_V6_FLAG) === 0 ? 8 : 20;
}
