/**
 * ReputMessageService: reads every new commit-log record back, and turns it into consume-
 * queue units and index entries.
 *
 * A put writes one record to the commit log and nothing else. The consume queue a consumer
 * pulls from, and the index a `queryMessage` searches, are built afterwards by this
 * service, from the commit log alone. It is the store's second half: the put path makes
 * messages durable, the reput path makes them findable.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java's thread sleeps 1 ms between passes. Here every append wakes the service (a tick
 *   at +0 ms, so one tick covers a whole batch of puts), and an idle service looks again
 *   once a second as a backstop.
 * - A dispatcher's IO failure stops the pass at that record; it is retried a second later.
 *   Java retries the consume-queue put 30 times and then moves on, leaving a hole. A
 *   commit-log segment that cannot be read stops the pass the same way (with a
 *   `store.io.failed` event); Java's mmap would take a SIGBUS.
 * - An unreadable record stops the pass on masters too (Java skips the rest of the buffer
 *   on a master); `dispatchBehindBytes()` then stays above 0 and the abort file is kept.
 * - The arriving listener is told about NOT and COMMIT records only (Java also wakes held
 *   pulls for PREPARED records, whose queue offset means nothing).
 * - Shutdown dispatches what is left synchronously instead of waiting up to 5 s.
 *
 * @mirrors org.apache.rocketmq.store.DefaultMessageStore.ReputMessageService
 * @mirrors org.apache.rocketmq.store.DefaultMessageStore#doDispatch
 * @article store "Dispatch: deriving queues from the log"
 * @emits store.reput.dispatched, store.message.arrived, store.io.failed
 * @category Store
 * @module
 */

/*
 * Why consume queues are derived, not written.
 *
 * A consumer of TopicA queue 3 asks "give me messages 57 to 88". The commit log cannot
 * answer that: it holds every message of every topic, interleaved in arrival order. Some
 * per-queue index must exist. The obvious design writes it on the put path: append the
 * record, then append the index entry, then answer the producer. RocketMQ does not, and the
 * reasons are the lesson of this file.
 *
 * First, speed. The put path is the one thing every producer waits for, and it runs under
 * one append lock. A second write per message, to one of thousands of small queue files,
 * would double the work inside the lock and turn one sequential stream of writes into
 * scattered ones. Moving it to a background service keeps the put path a single append.
 *
 * Second, and more important, truth. If the put path wrote both, a crash between the two
 * writes would leave them disagreeing, and recovery would have to decide which one to
 * believe. Instead there is exactly one source of truth, the commit log, and everything else
 * is a function of it:
 *
 *     commit log:   [ A:TopicA-3 | B:TopicB-0 | C:TopicA-3 | D:TopicA-1 | ... ]
 *                      │             │            │            │
 *     reput reads ─────┴─────────────┴────────────┴────────────┘  (one pass, in order)
 *                      ▼             ▼            ▼            ▼
 *     TopicA/3:     [ A ]          TopicB/0: [ B ]   TopicA/3: [ A | C ]   TopicA/1: [ D ]
 *     index:        keys of A, B, C, D
 *
 * A derived structure can always be rebuilt: recovery cuts the consume queues back to what
 * the recovered commit log supports, and replays the tail of the log through this very
 * dispatch code. The queue offset each unit goes to is not decided here either: the put
 * path already wrote it into the record (QUEUEOFFSET), under the append lock. So replaying a
 * record twice produces the same unit at the same place, and the consume queue simply skips
 * it the second time. That idempotence is what makes crash recovery a replay instead of a
 * repair.
 *
 * The price is a short delay: a message is durable before it is visible. Between the append
 * and the next tick of this service (usually the same millisecond), a pull does not see it.
 * Long polling hides even that: after dispatching a record, the service tells the
 * MessageArrivingListener, and the broker answers the pulls it was holding for that queue.
 *
 * One pass of the service:
 *
 *     reputFromOffset                                 commitLog.getMaxOffset()
 *           │                                                   │
 *           ▼                                                   ▼
 *     ... [ rec ][ rec ][ rec ][ BLANK ......... ] | [ rec ][ rec ]
 *           1. read a chunk from reputFromOffset
 *           2. decode each record (checkMessageAndReturnSize, no CRC: recovery checked it)
 *           3. valid record   -> every dispatcher, then the listener; move past it
 *              BLANK          -> jump to the next segment file
 *              bad, size known -> skip it (Java logs "[BUG]")
 *              unreadable     -> stop; try again on the next wakeup
 *           4. until reputFromOffset reaches the end of the log
 */
import { Service } from '../../common/service.js';
import { BrokerRole, type MessageStoreConfig } from '../../common/config/message-store-config.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../../platform/clock.js';
import type { CommitLog } from '../commitlog/commit-log.js';
import { checkMessageAndReturnSize, TopicNameCache, type CheckMessageOptions, type DeliverTimestampCalculator } from '../commitlog/commit-log-record-reader.js';
import { isConsumableTransactionType } from '../commitlog/default-append-message-callback.js';
import { MappedFileIOError } from '../mapped-file/mapped-file.js';
import type { SelectMappedBufferResult } from '../mapped-file/select-mapped-buffer-result.js';
import type { MessageArrivingListener } from '../message-store.js';
import { readCommitLogChunk } from './commit-log-chunk-reader.js';
import type { CommitLogDispatcher } from './commit-log-dispatcher.js';
import type { DispatchRequest } from './dispatch-request.js';

/** How long an idle service waits before looking again without a wakeup (a backstop: every append wakes it). */
export const REPUT_IDLE_INTERVAL_MS = 1000;
/** How long the service waits after a dispatcher's IO failure before retrying the record (Java sleeps 1 s per retry). */
export const REPUT_RETRY_INTERVAL_MS = 1000;

/** How a pass ended. */
export type ReputOutcome = 'caught-up' | 'stuck' | 'io-error';

/** The commit-log calls the service makes. */
export type ReputSource = Pick<CommitLog, 'getData' | 'maxRecordBytes' | 'getMaxOffset' | 'getMinOffset' | 'rollNextFile'>;

export interface ReputMessageServiceOptions {
  readonly commitLog: ReputSource;
  /** Run in order for every valid record: consume queue, then index (the broker may prepend CalcBitMap). */
  readonly dispatchers: readonly CommitLogDispatcher[];
  readonly clock: Clock;
  readonly events: NodeEvents;
  readonly config: Pick<MessageStoreConfig, 'brokerRole'>;
  /** Deliver times for `SCHEDULE_TOPIC_XXXX` records (their tags code). Default: the 18 default levels. */
  readonly deliverTimestamp?: DeliverTimestampCalculator;
  /** Told when a dispatcher could not write, and which one (the store then refuses puts). */
  readonly onDispatchError?: (error: MappedFileIOError, dispatcher: CommitLogDispatcher) => void;
}

export class ReputMessageService extends Service {
  /** The physical offset of the next record to dispatch. Set before `start()`. */
  reputFromOffset = 0;
  /** Told about every message that became visible in a queue (the broker's long polling). */
  messageArrivingListener: MessageArrivingListener | undefined;
  private readonly checkOptions: CheckMessageOptions;

  constructor(private readonly options: ReputMessageServiceOptions) {
    super(options.clock, 'ReputMessageService');
    const topicNames = new TopicNameCache();
    this.checkOptions = options.deliverTimestamp === undefined ? { topicNames } : { deliverTimestamp: options.deliverTimestamp, topicNames };
  }

  /** Commit-log bytes not dispatched yet. Java `behind()`. */
  behind(): number {
    return this.options.commitLog.getMaxOffset() - this.reputFromOffset;
  }

  protected onTick(): number {
    return this.doReput() === 'io-error' ? REPUT_RETRY_INTERVAL_MS : REPUT_IDLE_INTERVAL_MS;
  }

  /**
   * One pass: dispatch every record from `reputFromOffset` to the end of the log (Java
   * `doReput`). Synchronous; the store's start() calls it directly to catch up.
   */
  doReput(): ReputOutcome {
    const { commitLog } = this.options;
    const minOffset = commitLog.getMinOffset();
    // Java: dispatch fell so far behind that the cleaner deleted what it had not read yet.
    if (minOffset >= 0 && this.reputFromOffset < minOffset) this.reputFromOffset = minOffset;
    while (this.reputFromOffset < commitLog.getMaxOffset()) {
      let chunk: SelectMappedBufferResult | undefined;
      try {
        chunk = readCommitLogChunk(commitLog, this.reputFromOffset);
      } catch (error) {
        if (!(error instanceof MappedFileIOError)) throw error;
        this.options.events.emit('store.io.failed', { operation: `reput ${error.operation}`, path: error.path, error: error.message });
        return 'io-error';
      }
      if (chunk === undefined) return 'stuck';
      const outcome = this.dispatchChunk(chunk);
      if (outcome !== 'read-again') return outcome;
    }
    return 'caught-up';
  }

  /** Walk the records of one chunk, which starts at `reputFromOffset`. */
  private dispatchChunk(chunk: SelectMappedBufferResult): ReputOutcome | 'read-again' {
    for (let at = 0; at < chunk.size;) {
      const request = checkMessageAndReturnSize(chunk.bytes, at, false, false, this.checkOptions);
      if (request.success && request.msgSize > 0) {
        if (!this.doDispatch(request)) return 'io-error';
        this.reputFromOffset += request.msgSize;
        at += request.msgSize;
      } else if (request.success) {
        // BLANK: the rest of this segment is filler; the next record starts the next file.
        this.reputFromOffset = this.options.commitLog.rollNextFile(this.reputFromOffset);
        return 'read-again';
      } else if (request.msgSize > 0 && this.reputFromOffset + request.msgSize <= this.options.commitLog.rollNextFile(this.reputFromOffset)) {
        // The fields disagree with TOTALSIZE, but TOTALSIZE says where the next record starts.
        this.reputFromOffset += request.msgSize;
        at += request.msgSize;
      } else if (request.failureReason === 'TRUNCATED' && at > 0) {
        return 'read-again'; // the chunk cut this record short: the next read starts with it
      } else {
        return 'stuck';
      }
    }
    return 'read-again';
  }

  /** Run every dispatcher, then tell the listener. False (nothing else done) when a disk write failed. */
  private doDispatch(request: DispatchRequest): boolean {
    for (const dispatcher of this.options.dispatchers) {
      try {
        dispatcher.dispatch(request);
      } catch (error) {
        if (!(error instanceof MappedFileIOError)) throw error;
        this.options.onDispatchError?.(error, dispatcher);
        return false;
      }
    }
    const consumable = isConsumableTransactionType(request.sysFlag);
    const events = this.options.events;
    // One event per record: build the payload only when someone listens.
    if (events.wants('store.reput.dispatched')) {
      const { commitLogOffset: physOffset, msgSize: size, topic, queueId, tagsCode, storeTimestamp } = request;
      const queueOffset = consumable ? { queueOffset: request.consumeQueueOffset } : {};
      const reputFromOffset = this.reputFromOffset + size;
      events.emit('store.reput.dispatched', { physOffset, size, topic, queueId, ...queueOffset, tagsCode, storeTimestamp, reputFromOffset }, {
        flow: 'dispatch', msg: { topic, queueId, physOffset, size, ...queueOffset, ...(request.uniqKey === undefined ? {} : { uniqKey: request.uniqKey }) },
      });
    }
    if (consumable && this.options.config.brokerRole !== BrokerRole.SLAVE) this.notifyMessageArriving(request);
    return true;
  }

  /** Java: `messageArrivingListener.arriving(...)` with the queue's new max offset. */
  private notifyMessageArriving(request: DispatchRequest): void {
    const listener = this.messageArrivingListener;
    if (listener === undefined) return;
    const { topic, queueId, tagsCode, storeTimestamp } = request;
    const maxQueueOffset = request.consumeQueueOffset + 1;
    // The arrival is recorded before the listener runs: the pulls it wakes happen because of it.
    this.options.events.emit('store.message.arrived', { topic, queueId, maxQueueOffset, tagsCode, storeTimestamp }, { flow: 'long-poll' });
    listener.arriving(topic, queueId, maxQueueOffset, tagsCode, storeTimestamp, request.propertiesMap, request.bitMap);
  }

  /** Dispatch what is left (Java waits up to 5 s for it), then stop. */
  override shutdown(): void {
    if (this.isRunning) this.doReput();
    super.shutdown();
  }
}
