/**
 * ScheduleMessageService: delayed delivery. It moves messages that waited in
 * `SCHEDULE_TOPIC_XXXX` back to their real topic once their delay has passed.
 *
 * RocketMQ 4.x has no arbitrary delays, only levels (`messageDelayLevel`, by default 18 of
 * them: 1s 5s 10s 30s 1m ... 2h). A producer sets `DELAY=n`; a consumer's failed message is
 * sent back with `DELAY = 3 + reconsumeTimes`. Either way the store rewrites the message
 * on the way in (`commitlog/put-message-checks.ts`), and this service is the way back:
 *
 * ```
 *   put(DELAY=3, topic T, queue 1)
 *     └► commit log: topic SCHEDULE_TOPIC_XXXX, queue 2, REAL_TOPIC=T, REAL_QID=1
 *          └► consume queue SCHEDULE_TOPIC_XXXX/2: unit { offset, size, tagsCode = store time + 10 s }
 *
 *   this service: one timer per level, reading its queue from offsetTable[level]
 *     level 1 ──► queue 0      level 3 ──► queue 2  ──(due)──► put on T/1 ──► consumers
 *     level 2 ──► queue 1      ...                  (see deliver-delayed-message-timer-task.ts)
 *   its dispatcher (run by the reput service on every record) wakes an idle level as soon
 *   as a unit lands in that level's queue
 *
 *   offsetTable { level -> next queue offset }: persisted to config/delayOffset.json every
 *   flushDelayOffsetInterval (10 s) and at shutdown, read back at load, sent to a slave
 *   (GET_ALL_DELAY_OFFSET)
 * ```
 *
 * Delivery is at least once: the table on disk may lag behind what was delivered (it is
 * written every 10 s), so after a crash the messages since the last write are put back a
 * second time; none is skipped. Only a master delivers: a slave keeps the table it is sent
 * and starts delivering when it becomes master (`handleScheduleMessageService`).
 *
 * Differences from RocketMQ 4.9.x:
 * - A timer per level on the Clock (no thread pool); each run is one
 *   `DeliverDelayedMessageTimerTask` (the 4.9.0-4.9.2 behaviour; see that file). An idle
 *   level is woken by {@link ScheduleMessageService.dispatcher} instead of polling.
 * - The table is read once, at the end of the store's `load()` (after recovery), and then
 *   clamped into each queue's [min, max] (4.9.3's `correctDelayOffset`); Java reads it in
 *   `load()` and again in `start()`. `load()` may be called again (a slave taking over
 *   its master's table).
 * - When neither `delayOffset.json` nor its `.bak` can be read, Java refuses to load the
 *   store; here every level starts from its queue's first message (duplicates, not loss)
 *   and `store.schedule.offsets-loaded` carries the error.
 * - An unparsable `messageDelayLevel` falls back to the 18 default levels, as the rest of
 *   this store does (Java refuses to load).
 * - A disk error while persisting is reported as `store.io.failed` (Java logs it).
 *
 * @mirrors org.apache.rocketmq.store.schedule.ScheduleMessageService
 * @article schedule-retry "Delayed delivery"
 * @emits store.schedule.offsets-loaded, store.schedule.offsets-persisted, store.io.failed
 * @category Store
 * @module
 */
import { loadConfigFile, string2File } from '../../common/config-file.js';
import type { MessageStoreConfig } from '../../common/config/message-store-config.js';
import type { MessageExt, MessageExtBrokerInner } from '../../common/message/message-ext.js';
import { decodeDelayOffsetTable, encodeDelayOffsetTable } from '../../common/protocol/body/delay-offset-serialize-wrapper.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock, TimerHandle } from '../../platform/clock.js';
import { FileSystemError, type FileSystem } from '../../platform/storage.js';
import { DelayLevelTable, RMQ_SYS_SCHEDULE_TOPIC } from '../commitlog/commit-log-record-reader.js';
import type { CommitLogDispatcher } from '../dispatch/commit-log-dispatcher.js';
import type { PutMessageResult } from '../results.js';
import { getDelayOffsetStorePath } from '../store-path.js';
import { DeliverDelayedMessageTimerTask, resetOffset, type DeliverContext, type ScheduleConsumeQueue } from './deliver-delayed-message-timer-task.js';

/** Java `FIRST_DELAY_TIME`: each level's first run, after start. */
export const FIRST_DELAY_TIME_MS = 1000;
/** Java schedules the first persist of the offset table 10 s after start. */
export const FIRST_PERSIST_DELAY_MS = 10_000;

export interface ScheduleMessageServiceOptions {
  readonly fs: FileSystem;
  readonly clock: Clock;
  readonly events: NodeEvents;
  readonly config: Pick<MessageStoreConfig, 'storePathRootDir' | 'messageDelayLevel' | 'flushDelayOffsetInterval'>;
  /** The store's consume queues (Java `defaultMessageStore.findConsumeQueue`, without creating one). */
  readonly findConsumeQueue: (topic: string, queueId: number) => ScheduleConsumeQueue | undefined;
  readonly lookMessageByOffset: (commitLogOffset: number, size: number) => MessageExt | undefined;
  /** The store's put (Java `writeMessageStore.putMessage`). */
  readonly putMessage: (msg: MessageExtBrokerInner) => Promise<PutMessageResult>;
}

export class ScheduleMessageService {
  /** Level (1-based) -> next queue offset of `SCHEDULE_TOPIC_XXXX` queue `level - 1`. Levels never run are absent. */
  readonly offsetTable = new Map<number, number>();
  /** The delay of each level, parsed from `messageDelayLevel`. */
  readonly delayLevelTable: DelayLevelTable;
  readonly configFilePath: string;
  private readonly events: NodeEvents;
  /** The next run of each level, and whether it is an idle wait a dispatch may cut short. */
  private readonly timers = new Map<number, { handle: TimerHandle; offset: number; idle: boolean }>();
  private persistTimer: TimerHandle | undefined;
  private started = false;
  /** Bumped by every start and shutdown, so a run still awaiting a put from an older start stops there. */
  private generation = 0;

  constructor(private readonly options: ScheduleMessageServiceOptions) {
    this.delayLevelTable = DelayLevelTable.parse(options.config.messageDelayLevel) ?? DelayLevelTable.parse()!;
    this.configFilePath = getDelayOffsetStorePath(options.config.storePathRootDir);
    this.events = options.events.withLane('ScheduleMessageTimerThread');
  }

  /** Java `queueId2DelayLevel`. */
  static queueId2DelayLevel(queueId: number): number {
    return queueId + 1;
  }

  /** Java `delayLevel2QueueId`. */
  static delayLevel2QueueId(delayLevel: number): number {
    return delayLevel - 1;
  }

  /**
   * Wakes the level whose queue a record was just dispatched into, when that level is
   * idle. The store runs it after the consume-queue builder (Java has none: it polls).
   */
  readonly dispatcher: CommitLogDispatcher = {
    dispatch: (request) => {
      if (request.topic === RMQ_SYS_SCHEDULE_TOPIC) this.wakeup(ScheduleMessageService.queueId2DelayLevel(request.queueId));
    },
  };

  get maxDelayLevel(): number {
    return this.delayLevelTable.maxDelayLevel;
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** Store time plus the level's delay: the tags code of a schedule-queue unit. */
  computeDeliverTimestamp(delayLevel: number, storeTimestamp: number): number {
    return this.delayLevelTable.computeDeliverTimestamp(delayLevel, storeTimestamp);
  }

  // -------------------------------------------------------------------------------------
  // Lifecycle.

  /**
   * Read `delayOffset.json` (or its `.bak`), merge it into the table (Java `putAll`), and
   * clamp every offset into its queue. Call after the store's recovery, so the queues are
   * right. Never fails: an unreadable file leaves the levels to start from their queues' first message.
   */
  load(): boolean {
    const path = this.configFilePath;
    const loaded = loadConfigFile({
      fs: this.options.fs, path, decode: (text) => this.decode(text), isIOError: (error) => error instanceof FileSystemError,
    });
    this.correctDelayOffset();
    this.events.emit('store.schedule.offsets-loaded', {
      path, source: loaded.source, levels: this.maxDelayLevel, offsetTable: this.offsetTableJson(),
      ...(loaded.error === undefined ? {} : { error: loaded.error }),
    }, { flow: 'schedule' });
    return true;
  }

  /**
   * Java `correctDelayOffset` (4.9.3+): an offset below its queue's min offset (files
   * deleted) moves up to it, one past the max (the queue lost its tail in a crash) moves
   * down to it, so no message written later is skipped. A queue that does not exist counts
   * as empty (Java skips it).
   */
  correctDelayOffset(): void {
    for (const [level, offset] of this.offsetTable) {
      const cq = this.options.findConsumeQueue(RMQ_SYS_SCHEDULE_TOPIC, ScheduleMessageService.delayLevel2QueueId(level));
      const corrected = resetOffset(cq, offset);
      if (corrected !== offset) this.offsetTable.set(level, corrected);
    }
  }

  /**
   * Start delivering: every level's first run after {@link FIRST_DELAY_TIME_MS}, from its
   * table offset (0 when absent); the table is persisted {@link FIRST_PERSIST_DELAY_MS}
   * after start and then every `flushDelayOffsetInterval`. Does nothing when started.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.generation++;
    for (let level = 1; level <= this.maxDelayLevel; level++) {
      this.scheduleNextTimerTask(level, this.offsetTable.get(level) ?? 0, FIRST_DELAY_TIME_MS, this.generation);
    }
    this.schedulePersist(FIRST_PERSIST_DELAY_MS, this.generation);
  }

  /** Stop every level's timer and persist the table. Does nothing when not started. */
  shutdown(): void {
    if (!this.started) return;
    this.started = false;
    this.generation++;
    for (const timer of this.timers.values()) timer.handle.cancel();
    this.timers.clear();
    this.persistTimer?.cancel();
    this.persistTimer = undefined;
    this.persist();
  }

  // -------------------------------------------------------------------------------------
  // The offset table and its file.

  /** Write the table to `config/delayOffset.json` (tmp, .bak, rename). False when the disk refused. */
  persist(): boolean {
    const path = this.configFilePath;
    try {
      string2File(this.options.fs, this.encode(), path);
    } catch (error) {
      if (!(error instanceof FileSystemError)) throw error;
      this.events.emit('store.io.failed', { operation: 'persist delay offsets', path, error: error.message });
      return false;
    }
    this.events.emit('store.schedule.offsets-persisted', { path, offsetTable: this.offsetTableJson() }, { flow: 'schedule' });
    return true;
  }

  /** The table as JSON, `{"offsetTable":{1:0,3:7}}`: the file's content and GET_ALL_DELAY_OFFSET's body. */
  encode(): string {
    return encodeDelayOffsetTable(this.offsetTable);
  }

  /** Merge a table read from JSON into this one (Java `putAll`). Throws on bad JSON, changing nothing. */
  decode(jsonString: string): void {
    for (const [level, offset] of decodeDelayOffsetTable(jsonString)) this.offsetTable.set(level, offset);
  }

  private offsetTableJson(): Record<string, number> {
    return Object.fromEntries([...this.offsetTable].sort(([a], [b]) => a - b).map(([level, offset]) => [String(level), offset]));
  }

  // -------------------------------------------------------------------------------------
  // Timers.

  private scheduleNextTimerTask(level: number, offset: number, delayMs: number, generation: number, idle = false): void {
    if (!this.started || generation !== this.generation) return;
    const task = new DeliverDelayedMessageTimerTask(this.contextFor(generation), level, offset);
    const handle = this.options.clock.setTimer(delayMs, () => {
      this.timers.delete(level);
      void task.run();
    });
    this.timers.get(level)?.handle.cancel();
    this.timers.set(level, { handle, offset, idle });
  }

  /** Run an idle level now (a unit landed in its queue); a level that is busy or counting down is left alone. */
  private wakeup(level: number): void {
    const next = this.timers.get(level);
    if (this.started && next?.idle === true) this.scheduleNextTimerTask(level, next.offset, 0, this.generation);
  }

  private schedulePersist(delayMs: number, generation: number): void {
    this.persistTimer = this.options.clock.setTimer(delayMs, () => {
      this.persistTimer = undefined;
      if (!this.started || generation !== this.generation) return;
      this.persist();
      this.schedulePersist(this.options.config.flushDelayOffsetInterval, generation);
    });
  }

  /** What the runs of one start see: the store, the table, and whether that start is still current. */
  private contextFor(generation: number): DeliverContext {
    const { options } = this;
    return {
      clock: options.clock,
      events: this.events,
      findConsumeQueue: options.findConsumeQueue,
      lookMessageByOffset: options.lookMessageByOffset,
      putMessage: options.putMessage,
      delayMillisOf: (level) => this.delayLevelTable.delayMillis[level - 1] ?? 1000,
      isStarted: () => this.started && generation === this.generation,
      updateOffset: (level, offset) => {
        if (generation === this.generation) this.offsetTable.set(level, offset);
      },
      scheduleNextTimerTask: (level, offset, delayMs, idle) => this.scheduleNextTimerTask(level, offset, delayMs, generation, idle),
    };
  }
}
