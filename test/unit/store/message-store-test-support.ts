// Helpers for the DefaultMessageStore tests (unit and integration): a clock that can "die"
// with its process, a store builder on a MemoryFileSystem, a tags filter, and record checks.
import { messageStoreConfigFor } from '../../../src/common/config/profiles.js';
import type { MessageStoreConfig } from '../../../src/common/config/message-store-config.js';
import { readInt32 } from '../../../src/common/bytes.js';
import type { Clock, TimerHandle } from '../../../src/platform/clock.js';
import type { FileSystem } from '../../../src/platform/storage.js';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../src/platform/sim/memory-file-system.js';
import { NodeEvents, RecordingSink } from '../../../src/events/event-sink.js';
import { DefaultMessageStore } from '../../../src/store/default-message-store.js';
import type { MessageFilter } from '../../../src/store/message-store.js';
import { MessageConst } from '../../../src/common/message/message-const.js';
import type { MessageExtBrokerInner } from '../../../src/common/message/message-ext.js';
import { brokerMessage, type TestMessageOptions } from './store-test-support.js';

/**
 * The clock as one process sees it. `kill()` is the process dying in a power cut: every
 * timer it set is cancelled and it can set no more, so an abandoned store never runs again
 * (its services would otherwise keep ticking on the shared ManualClock).
 */
export class ProcessClock implements Clock {
  private readonly timers = new Set<TimerHandle>();
  private dead = false;

  constructor(private readonly inner: Clock) {}

  now(): number {
    return this.inner.now();
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    if (this.dead) return { cancel: () => {} };
    const handle: TimerHandle = this.inner.setTimer(delayMs, () => {
      this.timers.delete(handle);
      if (!this.dead) fn();
    });
    this.timers.add(handle);
    return {
      cancel: () => {
        handle.cancel();
        this.timers.delete(handle);
      },
    };
  }

  kill(): void {
    this.dead = true;
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
  }
}

/** The teaching profile, shrunk further, rooted at /store. */
export function smallStoreConfig(overrides: Partial<MessageStoreConfig> = {}): MessageStoreConfig {
  return messageStoreConfigFor('teaching', {
    storePathRootDir: '/store',
    mappedFileSizeCommitLog: 4096,
    commitLogWriteBufferBytes: 4096,
    maxMessageSize: 1024,
    mappedFileSizeConsumeQueue: 10 * 20,
    consumeQueueWriteBufferBytes: 10 * 20,
    maxHashSlotNum: 16,
    maxIndexNum: 64,
    ...overrides,
  });
}

export interface StoreRig {
  readonly clock: ManualClock;
  readonly fs: MemoryFileSystem;
  readonly sink: RecordingSink;
  readonly events: NodeEvents;
  readonly config: MessageStoreConfig;
  process: ProcessClock;
  store: DefaultMessageStore;
}

/** A ManualClock, a MemoryFileSystem on it, and an unopened store (call `openStore`). */
export function storeRig(overrides: Partial<MessageStoreConfig> = {}, flushLatencyMs = 0): StoreRig {
  const clock = new ManualClock(1_700_000_000_000);
  const fs = new MemoryFileSystem({ clock, flushLatencyMs });
  const sink = new RecordingSink(clock);
  const events = new NodeEvents(sink, 'broker-a');
  const config = smallStoreConfig(overrides);
  const process = new ProcessClock(clock);
  const store = newStore(fs, process, events, config);
  return { clock, fs, sink, events, config, process, store };
}

export function newStore(fs: FileSystem, clock: Clock, events: NodeEvents, config: MessageStoreConfig): DefaultMessageStore {
  return new DefaultMessageStore({ fs, clock, events, config, storeHost: '10.0.0.1:10911' });
}

/** load() + start() a fresh store object on the rig's disk, as a new process would. */
export function openStore(rig: StoreRig): DefaultMessageStore {
  rig.process = new ProcessClock(rig.clock);
  rig.store = newStore(rig.fs, rig.process, rig.events, rig.config);
  if (!rig.store.load()) throw new Error('load() failed');
  rig.store.start();
  return rig.store;
}

/** Power cut: the disk forgets what was not flushed and the process (its timers) dies. */
export function crash(rig: StoreRig): void {
  rig.fs.crash();
  rig.process.kill();
}

/** Keeps messages whose tags code is in the set (Java's tag filter without the class). */
export function tagsCodeFilter(...tagsCodes: number[]): MessageFilter {
  const codes = new Set(tagsCodes);
  return {
    isMatchedByConsumeQueue: (tagsCode) => tagsCode === undefined || codes.has(tagsCode),
    isMatchedByCommitLog: () => true,
  };
}

/** The records of a get result, each as its own byte array. */
export function recordsOf(result: { readonly body: Uint8Array; readonly recordPositions: readonly number[]; readonly bufferTotalSize: number }): Uint8Array[] {
  return result.recordPositions.map((at, i) => result.body.subarray(at, result.recordPositions[i + 1] ?? result.bufferTotalSize));
}

/** TOTALSIZE of the record at the start of `record`. */
export function totalSizeOf(record: Uint8Array): number {
  return readInt32(record, 0);
}

/** `brokerMessage` with a KEYS property (space-separated keys) when `keys` is given. */
export function keyedMessage(options: TestMessageOptions & { keys?: string } = {}): MessageExtBrokerInner {
  const { keys, ...rest } = options;
  if (keys === undefined) return brokerMessage(rest);
  return brokerMessage({ ...rest, properties: { ...(rest.properties ?? {}), [MessageConst.PROPERTY_KEYS]: keys } });
}

/** Run the clock until `promise` settles (a SYNC_FLUSH put waits for the group commit's timers). */
export async function settle<T>(clock: ManualClock, promise: Promise<T>, limitMs = 60_000): Promise<T> {
  let settled: { value: T } | undefined;
  void promise.then((value) => {
    settled = { value };
  });
  await clock.runUntil(() => settled !== undefined, limitMs);
  return settled!.value;
}
