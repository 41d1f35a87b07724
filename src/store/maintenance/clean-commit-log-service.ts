/**
 * CleanCommitLogService: deletes old commit-log segments, and marks the store "disk full"
 * when the disk is nearly out of space.
 *
 * A broker is not a database: it keeps messages for `fileReservedTime` hours (72) and then
 * lets them go, whole segments at a time, from the front of the log. Deleting a gigabyte
 * costs the disk real work, so by default it happens only at a quiet hour (`deleteWhen`,
 * 4 a.m.), unless the disk is filling up, in which case waiting would be worse. Consume
 * queues and index files that point only at deleted data go next, in
 * `clean-consume-queue-service.ts`.
 *
 * ```
 *   every cleanResourceInterval (10 s), starting 60 s after start:
 *
 *   used = max(use of the commit-log disk, use of the consume-queue disk)
 *   used > 90%  (diskSpaceWarningLevelRatio)   -> mark disk full: puts are refused
 *   used > 85%  (diskSpaceCleanForciblyRatio)  -> clean at once: ignore fileReservedTime
 *   used <= 85%                                -> mark disk OK again
 *
 *   hour in deleteWhen  OR  used > 75% (diskMaxUsedSpaceRatio)  OR  manual rounds left
 *     -> delete, oldest first, files whose last write + fileReservedTime has passed
 *        (every file when cleaning at once), never the last file, at most 10 per round,
 *        stopping at the first file that is kept
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - Java measures the commit-log disk, then the consume-queue disk, and the second can
 *   undo the first's disk-full mark (or never be looked at); we decide from both at once.
 *   On one disk (the usual case) the outcome is the same.
 * - No sleep of `deleteCommitLogFilesInterval` (100 ms) between two deletions: a round
 *   runs to completion on the one thread, and the 10-file cap bounds its cost.
 * - Files are destroyed at once (no reader holds a mapping), so there are no "hung" files:
 *   `destroyMapedFileIntervalForcibly` and `redeleteHangedFileInterval` (Java's
 *   `redeleteHangedFile`) have nothing to do.
 * - A `deleteWhen` entry that is not a number is ignored; Java throws and skips the round.
 * - "Last modified" is the in-memory time a segment last received bytes (the FileSystem
 *   port has no mtime; `CommitLog.load` derives it from store timestamps).
 * - Local time is a fixed UTC offset (`utcOffsetMinutes`), not the JVM time zone.
 * - A disk error while deleting goes to the `onIOError` hook (Java catches and logs it);
 *   any other exception is a bug and propagates.
 *
 * @mirrors org.apache.rocketmq.store.DefaultMessageStore.CleanCommitLogService
 * @mirrors org.apache.rocketmq.common.UtilAll#isItTimeToDo
 * @mirrors org.apache.rocketmq.common.UtilAll#getDiskPartitionSpaceUsedPercent
 * @article store "Deleting expired files"
 * @emits store.clean.files-deleted, store.disk.full-changed
 * @category Store
 * @module
 */
import { getDiskMaxUsedSpaceRatio, getStorePathCommitLog, type MessageStoreConfig } from '../../common/config/message-store-config.js';
import { Service } from '../../common/service.js';
import { calendarFieldsOf } from '../../common/time-format.js';
import type { CleanReason } from '../../events/kinds/store-maintenance-events.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';
import { FileSystemError, type FileSystem } from '../../platform/storage.js';
import type { CommitLog } from '../commitlog/commit-log.js';
import { MappedFileIOError } from '../mapped-file/mapped-file.js';
import { getStorePathConsumeQueue } from '../store-path.js';

/** Java `MAX_MANUAL_DELETE_FILE_TIMES`: rounds that delete after one manual trigger. */
export const MAX_MANUAL_DELETE_FILE_TIMES = 20;
/** Java schedules `cleanFilesPeriodically` one minute after the store starts. */
export const CLEAN_RESOURCE_INITIAL_DELAY_MS = 60_000;
const MS_PER_HOUR = 3_600_000;

/** The config keys this service reads. A whole MessageStoreConfig fits. */
export type CleanCommitLogConfig = Pick<
  MessageStoreConfig,
  | 'storePathRootDir' | 'storePathCommitLog' | 'fileReservedTime' | 'deleteWhen' | 'diskMaxUsedSpaceRatio'
  | 'diskSpaceCleanForciblyRatio' | 'diskSpaceWarningLevelRatio' | 'cleanFileForciblyEnable' | 'cleanResourceInterval'
>;

export interface CleanCommitLogServiceOptions {
  readonly clock: Clock;
  /** Where disk use is measured (`diskSpace` of the commit-log and consume-queue directories). */
  readonly fs: FileSystem;
  readonly events: NodeEvents;
  readonly config: CleanCommitLogConfig;
  readonly commitLog: Pick<CommitLog, 'deleteExpiredFile' | 'getMinOffset'>;
  /** Local time zone for the `deleteWhen` hours, minutes east of UTC. @defaultValue 0 */
  readonly utcOffsetMinutes?: number;
  /**
   * Called every round with the disk verdict (Java `runningFlags.getAndMakeDiskFull` /
   * `getAndMakeDiskOK`): `true` makes the store refuse puts, `false` lifts that again.
   */
  readonly setDiskFull?: (full: boolean) => void;
  /** Called when the disk refused to delete a file; the round ends and the next one retries. */
  readonly onIOError?: (error: MappedFileIOError) => void;
}

/** What one round decided and did, for tests and the store's stats. */
export interface CleanCommitLogRound {
  /** Files deleted this round. */
  readonly deleted: number;
  /** Why the round was allowed to delete; `undefined` when no trigger fired. */
  readonly reason: CleanReason | undefined;
  /** Larger disk use of the two store directories, 0..1; -1 when it could not be measured. */
  readonly usedRatio: number;
  /** Whether files were deleted regardless of their age (use above `diskSpaceCleanForciblyRatio`). */
  readonly cleanAtOnce: boolean;
}

/** The disk verdict of one round (Java `isSpaceToDelete` and the fields it sets). */
interface SpaceVerdict {
  readonly usedRatio: number;
  /** Use above `diskMaxUsedSpaceRatio`, or unmeasurable: a reason to delete now. */
  readonly spaceToDelete: boolean;
  /** Use above `diskSpaceCleanForciblyRatio`: delete even files that have not expired. */
  readonly cleanImmediately: boolean;
  /** Use above `diskSpaceWarningLevelRatio`: refuse puts. */
  readonly diskFull: boolean;
}

export class CleanCommitLogService extends Service {
  private manualDeleteRoundsLeft = 0;
  private diskFullMark = false;

  constructor(private readonly options: CleanCommitLogServiceOptions) {
    super(options.clock, 'CleanCommitLogService');
  }

  /** The first round runs `CLEAN_RESOURCE_INITIAL_DELAY_MS` after start, as Java schedules it. */
  override start(initialDelayMs = CLEAN_RESOURCE_INITIAL_DELAY_MS): void {
    super.start(initialDelayMs);
  }

  protected onTick(): number {
    this.runOnce();
    return this.options.config.cleanResourceInterval;
  }

  /** Let the next {@link MAX_MANUAL_DELETE_FILE_TIMES} rounds delete expired files at any hour. */
  executeDeleteFilesManually(): void {
    this.manualDeleteRoundsLeft = MAX_MANUAL_DELETE_FILE_TIMES;
  }

  /** Rounds that will still delete because of a manual trigger. */
  get manualDeleteFileSeveralTimes(): number {
    return this.manualDeleteRoundsLeft;
  }

  /** The disk-full mark as of the last round. */
  get diskFull(): boolean {
    return this.diskFullMark;
  }

  /** One cleaning round (Java `deleteExpiredFiles`); the service calls it every interval. */
  runOnce(): CleanCommitLogRound {
    const { config, commitLog, events } = this.options;
    const timeUp = isItTimeToDo(config.deleteWhen, calendarFieldsOf(this.clock.now(), this.options.utcOffsetMinutes ?? 0).hour);
    const space = this.isSpaceToDelete();
    const manual = this.manualDeleteRoundsLeft > 0;
    if (!timeUp && !space.spaceToDelete && !manual) return { deleted: 0, reason: undefined, usedRatio: space.usedRatio, cleanAtOnce: false };
    if (manual) this.manualDeleteRoundsLeft--;
    const cleanAtOnce = config.cleanFileForciblyEnable && space.cleanImmediately;
    const reason: CleanReason = cleanAtOnce ? 'disk-pressure' : timeUp ? 'expired' : space.spaceToDelete ? 'disk-pressure' : 'manual';
    let deleted = 0;
    try {
      deleted = commitLog.deleteExpiredFile(config.fileReservedTime * MS_PER_HOUR, cleanAtOnce);
    } catch (error) {
      if (!(error instanceof MappedFileIOError)) throw error;
      this.options.onIOError?.(error); // Java logs and tries again next round
    }
    if (deleted > 0) events.emit('store.clean.files-deleted', { target: 'commitlog', count: deleted, minOffset: commitLog.getMinOffset(), reason });
    // Java only logs "disk space will be full soon, but delete file failed" when nothing went.
    return { deleted, reason, usedRatio: space.usedRatio, cleanAtOnce };
  }

  /**
   * Measure both store directories and apply the disk-full mark. Java `isSpaceToDelete`;
   * it also feeds the commit log's "full store paths", which matter only with several
   * commit-log directories (left out here).
   */
  private isSpaceToDelete(): SpaceVerdict {
    const { fs, config } = this.options;
    const physicRatio = diskPartitionSpaceUsedPercent(fs, getStorePathCommitLog(config));
    const logicsRatio = diskPartitionSpaceUsedPercent(fs, getStorePathConsumeQueue(config.storePathRootDir));
    const usedRatio = Math.max(physicRatio, logicsRatio);
    const verdict: SpaceVerdict = {
      usedRatio,
      // Java: a ratio of -1 (the directory is missing or cannot be measured) also reclaims.
      spaceToDelete: physicRatio < 0 || logicsRatio < 0 || usedRatio > getDiskMaxUsedSpaceRatio(config) / 100,
      cleanImmediately: usedRatio > config.diskSpaceCleanForciblyRatio / 100,
      diskFull: usedRatio > config.diskSpaceWarningLevelRatio / 100,
    };
    this.markDisk(verdict.diskFull, usedRatio);
    return verdict;
  }

  /** Tell the store every round (Java sets its running flags every round), emit only on a change. */
  private markDisk(full: boolean, usedRatio: number): void {
    this.options.setDiskFull?.(full);
    if (full === this.diskFullMark) return;
    this.diskFullMark = full;
    this.options.events.emit('store.disk.full-changed', { full, usedRatio });
  }
}

/**
 * Whether the local `hour` (0-23) is one of the `;`-separated hours of `when` (`"04"`,
 * `"04;16"`). Java `UtilAll.isItTimeToDo`, with the hour passed in instead of read from a
 * `Calendar`; entries that are not numbers are skipped.
 */
export function isItTimeToDo(when: string, hour: number): boolean {
  for (const entry of when.split(';')) {
    const text = entry.trim();
    if (/^[0-9]{1,2}$/.test(text) && Number(text) === hour) return true;
  }
  return false;
}

/**
 * Used share (0..1) of the disk that holds `path`, or -1 when the path does not exist or
 * cannot be measured. Java `UtilAll.getDiskPartitionSpaceUsedPercent`.
 */
export function diskPartitionSpaceUsedPercent(fs: FileSystem, path: string): number {
  if (path.length === 0 || !fs.exists(path)) return -1;
  try {
    const { totalBytes, freeBytes } = fs.diskSpace(path);
    return totalBytes > 0 ? (totalBytes - freeBytes) / totalBytes : -1;
  } catch (error) {
    if (error instanceof FileSystemError) return -1; // Java catches and answers -1 too
    throw error;
  }
}
