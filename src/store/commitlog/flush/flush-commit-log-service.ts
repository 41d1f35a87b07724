/**
 * FlushCommitLogService: the commit log's flusher, one of two kinds picked by
 * `flushDiskType`, and the rule for what a put waits for.
 *
 * ```
 *   flushDiskType   service                 a put with WAIT=true      a put with WAIT=false
 *   ASYNC_FLUSH     FlushRealTimeService    answers at once           answers at once
 *   SYNC_FLUSH      GroupCommitService      waits for its group       answers at once, wakes
 *                                           commit (or the timeout)   the service
 * ```
 *
 * Either way the bytes are already in the commit log when the put waits: the wait only
 * decides *when the producer hears* PUT_OK, and a timeout (FLUSH_DISK_TIMEOUT) does not
 * undo the append.
 *
 * Differences from RocketMQ 4.9.x: none in behaviour; Java's abstract class becomes a union
 * type plus two functions.
 *
 * @mirrors org.apache.rocketmq.store.CommitLog.FlushCommitLogService
 * @mirrors org.apache.rocketmq.store.CommitLog#submitFlushRequest
 * @article store "Flushing: async, sync, and group commit"
 * @category Store
 * @module
 */
import { FlushDiskType, type MessageStoreConfig } from '../../../common/config/message-store-config.js';
import { PutMessageStatus } from '../../results.js';
import { FlushRealTimeService, type FlushServiceOptions } from './flush-real-time-service.js';
import { GroupCommitService } from './group-commit-service.js';

/** The commit log's flusher. */
export type FlushCommitLogService = FlushRealTimeService | GroupCommitService;

/** The flusher `config.flushDiskType` asks for. */
export function createFlushCommitLogService(
  options: FlushServiceOptions,
  config: Pick<MessageStoreConfig, 'flushDiskType' | 'syncFlushTimeout' | 'flushIntervalCommitLog' | 'flushCommitLogLeastPages' | 'flushCommitLogThoroughInterval' | 'flushCommitLogTimed'>,
): FlushCommitLogService {
  return config.flushDiskType === FlushDiskType.SYNC_FLUSH
    ? new GroupCommitService(options, config.syncFlushTimeout)
    : new FlushRealTimeService(options, config);
}

/**
 * What a put that wrote up to `nextOffset` waits for before it answers (Java
 * `submitFlushRequest`): a group commit for WAIT=true under SYNC_FLUSH, else nothing.
 */
export function submitFlushRequest(service: FlushCommitLogService, nextOffset: number, waitStoreMsgOK: boolean): Promise<PutMessageStatus> | PutMessageStatus {
  if (service instanceof GroupCommitService && waitStoreMsgOK) return service.putRequest(nextOffset);
  // SYNC_FLUSH: flush soon anyway. ASYNC_FLUSH: counts only when flushCommitLogTimed is off.
  service.wakeup();
  return PutMessageStatus.PUT_OK;
}
