/**
 * Event payloads of the store's maintenance services: the file cleaners and the
 * consume-queue flusher. Filled in by `src/store/maintenance/`.
 *
 * The per-file facts (`store.mappedfile.deleted`, `store.index.file-deleted`) come from the
 * queues themselves; these events summarise one cleaning round, so the viz can say *why*
 * a run of segments vanished at once (their hour came, the disk filled up, or an operator
 * asked), and draw the broker turning read-only when its disk is nearly full.
 *
 * @article store "Deleting expired files"
 * @category Events
 * @module
 */

/** Which files a cleaning round deleted. */
export type CleanTarget = 'commitlog' | 'consumequeue' | 'index';

/**
 * Why a cleaning round was allowed to delete:
 * - `expired`: the local hour is listed in `deleteWhen` (consume-queue and index rounds
 *   always say `expired`: the commit-log data they point at is gone);
 * - `disk-pressure`: disk use passed `diskMaxUsedSpaceRatio`, or passed
 *   `diskSpaceCleanForciblyRatio` so that files went before they expired;
 * - `manual`: one of the 20 rounds after `executeDeleteFilesManually()`.
 */
export type CleanReason = 'expired' | 'disk-pressure' | 'manual';

export interface StoreMaintenanceEventMap {
  /**
   * A cleaning round deleted `count` files (> 0) of `target`, oldest first
   * (`CleanCommitLogService` / `CleanConsumeQueueService`). `minOffset` is the commit
   * log's min physical offset after the round: the first byte any queue may still point at.
   * The viz fades the deleted segments together and labels the round with `reason`.
   */
  'store.clean.files-deleted': { target: CleanTarget; count: number; minOffset: number; reason: CleanReason };
  /**
   * The store's "disk full" mark flipped (Java `RunningFlags.getAndMakeDiskFull` /
   * `getAndMakeDiskOK`): with `full` the store refuses puts (SERVICE_NOT_AVAILABLE) until
   * a later round measures use back under `diskSpaceWarningLevelRatio`. `usedRatio` is the
   * measured use, 0..1 (-1: could not be measured). The viz greys out the broker's put lane.
   */
  'store.disk.full-changed': { full: boolean; usedRatio: number };
  /**
   * A consume-queue flush round moved the flush cursor of `queues` queues by `bytes` in
   * total (`FlushConsumeQueueService.doFlush`). `thorough` rounds flush any dirty byte and
   * then the checkpoint; the others only queues with 2+ dirty pages. The viz moves the
   * flushed markers of the consume-queue boxes.
   */
  'store.consumequeue.flushed': { thorough: boolean; queues: number; bytes: number };
}
