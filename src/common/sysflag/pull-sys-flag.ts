/**
 * The bits of PULL_MESSAGE's `sysFlag` header: what the consumer allows the broker to do
 * with one pull.
 *
 * ```
 *   bit 0  0x01  COMMIT_OFFSET  the header's commitOffset is the group's progress: store it
 *   bit 1  0x02  SUSPEND        the broker may hold the pull when nothing is new (long polling)
 *   bit 2  0x04  SUBSCRIPTION   filter with the header's subscription, not the heartbeat's
 *   bit 3  0x08  CLASS_FILTER   class filter mode (removed in 4.3)
 *   bit 4  0x10  LITE_PULL      4.9: sent by the lite pull consumer
 * ```
 *
 * The push consumer sets COMMIT_OFFSET (when it has progress to report) and SUSPEND on every
 * pull, so one request both fetches and commits; the broker reads the same bits back.
 *
 * Differences from RocketMQ 4.9.x: none.
 *
 * @mirrors org.apache.rocketmq.common.sysflag.PullSysFlag
 * @article pull-consume-1 "The pull request"
 * @category Common
 * @module
 */

export const PullSysFlag = {
  /** The header's `commitOffset` is the group's progress: store it. */
  FLAG_COMMIT_OFFSET: 0x1,
  /** The broker may hold the request when nothing is new (long polling). */
  FLAG_SUSPEND: 0x1 << 1,
  /** Filter with the header's `subscription` instead of the heartbeat-registered one. */
  FLAG_SUBSCRIPTION: 0x1 << 2,
  /** Class filter mode (removed in 4.3). */
  FLAG_CLASS_FILTER: 0x1 << 3,
  /** 4.9: sent by the lite pull consumer. */
  FLAG_LITE_PULL_MESSAGE: 0x1 << 4,
} as const;

/** Build a pull `sysFlag` from its parts (Java `PullSysFlag.buildSysFlag`). */
export function buildPullSysFlag(commitOffset: boolean, suspend: boolean, subscription: boolean, classFilter: boolean, litePull = false): number {
  return (commitOffset ? PullSysFlag.FLAG_COMMIT_OFFSET : 0)
    | (suspend ? PullSysFlag.FLAG_SUSPEND : 0)
    | (subscription ? PullSysFlag.FLAG_SUBSCRIPTION : 0)
    | (classFilter ? PullSysFlag.FLAG_CLASS_FILTER : 0)
    | (litePull ? PullSysFlag.FLAG_LITE_PULL_MESSAGE : 0);
}

/** Clear the COMMIT_OFFSET bit (the client does this when it pulls from a slave). */
export function clearCommitOffsetFlag(sysFlag: number): number {
  return sysFlag & ~PullSysFlag.FLAG_COMMIT_OFFSET;
}
