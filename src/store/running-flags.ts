/**
 * RunningFlags: the reasons the store currently refuses puts (a full disk, a consume-queue
 * or index write that failed).
 *
 * A store whose derived files could not be written must stop taking messages: every new
 * message would widen the gap between the commit log and its queues. Java keeps these
 * reasons as bits of one integer that the put path checks; so do we, as a set. A disk error
 * latches its reason until the store restarts (recovery then rebuilds what may be missing);
 * only "disk full" is lifted again, by the cleaner that set it.
 *
 * ```
 *   reason                      set by                              cleared by
 *   WRITE_LOGICS_QUEUE_ERROR    a consume-queue write, commit, flush  restart
 *   WRITE_INDEX_FILE_ERROR      an index write                        restart
 *   DISK_FULL                   CleanCommitLogService (> 90 % used)   CleanCommitLogService
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - A set of named reasons instead of bit flags; NOT_READABLE / NOT_WRITEABLE (set by admin
 *   commands in Java) are left out.
 * - {@link RunningFlags.guard} turns a disk failure of any store step into its reason.
 *
 * @mirrors org.apache.rocketmq.store.RunningFlags
 * @article store-init "Store initialisation and shutdown"
 * @emits store.io.failed
 * @category Store
 * @module
 */
import type { NodeEvents } from '../events/event-sink.js';
import { FileSystemError } from '../platform/storage.js';
import { MappedFileIOError } from './mapped-file/mapped-file.js';

/** Why the store refuses puts. Java: the `RunningFlags` bit names. */
export type NotWriteableReason = 'WRITE_LOGICS_QUEUE_ERROR' | 'WRITE_INDEX_FILE_ERROR' | 'DISK_FULL';

export class RunningFlags {
  private readonly reasons = new Set<NotWriteableReason>();

  constructor(private readonly events: NodeEvents) {}

  /** No reason to refuse puts (Java `isWriteable`). */
  get isWriteable(): boolean {
    return this.reasons.size === 0;
  }

  get notWriteableReasons(): ReadonlySet<NotWriteableReason> {
    return this.reasons;
  }

  /** Latch `reason` because of `error` (Java `makeLogicsQueueError`, `makeIndexFileError`). */
  makeError(reason: NotWriteableReason, error: MappedFileIOError | FileSystemError): void {
    if (this.reasons.has(reason)) return;
    this.reasons.add(reason);
    this.events.emit('store.io.failed', { operation: reason, path: error.path, error: error.message });
  }

  /** Java `getAndMakeDiskFull` / `getAndMakeDiskOK`. */
  setDiskFull(full: boolean): void {
    if (full) this.reasons.add('DISK_FULL');
    else this.reasons.delete('DISK_FULL');
  }

  /** Run a step that writes to disk; a disk failure latches `reason` instead of escaping. False when it failed. */
  guard(reason: NotWriteableReason, step: () => void): boolean {
    try {
      step();
      return true;
    } catch (error) {
      if (!(error instanceof MappedFileIOError) && !(error instanceof FileSystemError)) throw error;
      this.makeError(reason, error);
      return false;
    }
  }
}
