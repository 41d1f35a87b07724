/**
 * PermName: the permission bits of a topic (and of each broker's share of it in a route).
 *
 * Every topic config and every QueueData in a route carries an `int perm`. Producers only
 * pick queues on brokers whose QueueData is writable, consumers only read from readable
 * ones, and an operator drains a broker before maintenance by clearing its WRITE bit on
 * the name server (WIPE_WRITE_PERM_OF_BROKER), so traffic moves away while consumers
 * finish reading.
 *
 * ```
 *   bit      3          2       1        0
 *          PRIORITY    READ    WRITE    INHERIT
 *   value     8          4       2        1
 *
 *   6 = READ|WRITE (the default)    7 = READ|WRITE|INHERIT (TBW102, the auto-create template)
 *   2 = WRITE only (a DLQ topic)    4 = READ only (a drained broker)
 * ```
 *
 * INHERIT marks a topic whose config may be copied when a producer sends to a topic that
 * does not exist yet (auto-creation copies TBW102's queue count and `perm & ~INHERIT`).
 *
 * Differences from RocketMQ 4.9.x: none.
 *
 * @mirrors org.apache.rocketmq.common.constant.PermName
 * @article topic "Permissions: who may read and write"
 * @category Common
 * @module
 */

export const PermName = {
  PERM_PRIORITY: 0x1 << 3,
  PERM_READ: 0x1 << 2,
  PERM_WRITE: 0x1 << 1,
  PERM_INHERIT: 0x1,
} as const;

/** True when the READ bit is set. */
export function isReadable(perm: number): boolean {
  return (perm & PermName.PERM_READ) === PermName.PERM_READ;
}

/** True when the WRITE bit is set. */
export function isWriteable(perm: number): boolean {
  return (perm & PermName.PERM_WRITE) === PermName.PERM_WRITE;
}

/** True when the INHERIT bit is set. */
export function isInherited(perm: number): boolean {
  return (perm & PermName.PERM_INHERIT) === PermName.PERM_INHERIT;
}

/** Java's three-letter form for logs: `perm2String(7)` is `"RWX"`, `perm2String(4)` is `"R--"`. */
export function perm2String(perm: number): string {
  return (isReadable(perm) ? 'R' : '-') + (isWriteable(perm) ? 'W' : '-') + (isInherited(perm) ? 'X' : '-');
}
