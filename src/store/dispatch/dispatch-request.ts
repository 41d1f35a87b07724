/**
 * DispatchRequest: what reading one commit-log record tells the rest of the store.
 *
 * The consume queues and the index are derived data: the reput service reads each new
 * record back from the commit log, and `checkMessageAndReturnSize` turns it into this
 * summary, which every dispatcher consumes (the consume queue wants topic, queue, offsets,
 * size and tags code; the index wants keys, uniqKey and store time). Recovery walks the
 * log with the same function and looks only at `success` and `msgSize`:
 *
 * ```
 *   success  msgSize   meaning                               recovery / reput
 *   true       > 0     a valid message record                dispatch it, move on by msgSize
 *   true         0     BLANK: the rest of this file is filler roll to the next file
 *   false        > 0   TOTALSIZE disagrees with the fields   reput skips msgSize bytes;
 *                                                            recovery stops here
 *   false       -1     bad magic, bad CRC, truncated bytes   stop: the log ends here
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - A plain object; `failureReason` is ours (Java only logs it), for recovery events.
 * - `keys` is `''` when the record has no KEYS (Java: `null` or `""`).
 *
 * @mirrors org.apache.rocketmq.store.DispatchRequest
 * @article store "Dispatch: deriving queues from the log"
 * @category Store
 * @module
 */

/** Why a record was rejected. */
export type DispatchFailureReason = 'BAD_MAGIC' | 'BAD_CRC' | 'SIZE_MISMATCH' | 'TRUNCATED' | 'MALFORMED';

export interface DispatchRequest {
  /** False when the bytes at this position are not a valid record (see the table above). */
  readonly success: boolean;
  /** TOTALSIZE of the record; 0 for BLANK; -1 when unreadable. */
  readonly msgSize: number;
  readonly topic: string;
  readonly queueId: number;
  /** PHYSICALOFFSET as written in the record. */
  readonly commitLogOffset: number;
  /** Tag hash, or for `SCHEDULE_TOPIC_XXXX` the deliver timestamp. */
  readonly tagsCode: number;
  readonly storeTimestamp: number;
  /** QUEUEOFFSET as written in the record. */
  readonly consumeQueueOffset: number;
  /** The KEYS property (space-separated), `''` when absent. */
  readonly keys: string;
  /** The UNIQ_KEY property, if any. */
  readonly uniqKey: string | undefined;
  readonly sysFlag: number;
  readonly preparedTransactionOffset: number;
  /** The parsed properties; `undefined` when the record has none. */
  readonly propertiesMap: ReadonlyMap<string, string> | undefined;
  /**
   * SQL92 filter bit map: the bloom bits of every consumer group whose expression matched
   * this message. Filled in by the broker's CalcBitMap dispatcher (which runs first) when
   * `enableCalcFilterBitMap`; the consume queue stores it in the ext unit, and long polling
   * receives it with the arrival. Java: `DispatchRequest.bitMap`.
   */
  bitMap?: Uint8Array | undefined;
  /** Set on failures only. */
  readonly failureReason?: DispatchFailureReason;
}

/** Java `new DispatchRequest(size, success)`: a request carrying only a size and a verdict. */
export function dispatchRequestOfSize(msgSize: number, success: boolean, failureReason?: DispatchFailureReason): DispatchRequest {
  const request: DispatchRequest = {
    success,
    msgSize,
    topic: '',
    queueId: 0,
    commitLogOffset: 0,
    tagsCode: 0,
    storeTimestamp: 0,
    consumeQueueOffset: 0,
    keys: '',
    uniqKey: undefined,
    sysFlag: 0,
    preparedTransactionOffset: 0,
    propertiesMap: undefined,
  };
  return failureReason === undefined ? request : { ...request, failureReason };
}

/** Whether this is the BLANK end-of-file marker (success with size 0). */
export function isBlankDispatchRequest(request: DispatchRequest): boolean {
  return request.success && request.msgSize === 0;
}
