import { describe, expect, it } from 'vitest';
import { viewOf, writeInt64 } from '../../../../src/common/bytes.js';
import { MessageSysFlag } from '../../../../src/common/message/message-sys-flag.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import { CommitLog } from '../../../../src/store/commitlog/commit-log.js';
import { bodyLengthPosition, PHYSICAL_OFFSET_POSITION } from '../../../../src/store/commitlog/record-layout.js';
import type { CommitLogDispatcher } from '../../../../src/store/dispatch/commit-log-dispatcher.js';
import type { DispatchRequest } from '../../../../src/store/dispatch/dispatch-request.js';
import { REPUT_IDLE_INTERVAL_MS, REPUT_RETRY_INTERVAL_MS, ReputMessageService } from '../../../../src/store/dispatch/reput-message-service.js';
import { MappedFileIOError } from '../../../../src/store/mapped-file/mapped-file.js';
import type { MessageArrivingListener } from '../../../../src/store/message-store.js';
import { keyedMessage, smallStoreConfig } from '../message-store-test-support.js';
import { recordingEvents } from '../store-test-support.js';

/** While `failing` is set, reading the commit log throws what a failing disk would. */
const readFault = { failing: false };

function setup(options: { failOnce?: boolean } = {}) {
  const clock = new ManualClock(1_700_000_000_000);
  const fs = new MemoryFileSystem({ clock });
  const { sink, events } = recordingEvents(clock);
  const config = smallStoreConfig();
  const commitLog = new CommitLog({ fs, clock, events, config, storeHost: '10.0.0.1:10911' });
  const seen: DispatchRequest[] = [];
  let fail = options.failOnce ?? false;
  const recorder: CommitLogDispatcher = {
    dispatch: (request) => {
      if (fail) {
        fail = false;
        throw new MappedFileIOError('/store/consumequeue/TopicA/0/00000000000000000000', 'write', { cause: new Error('ENOSPC') });
      }
      seen.push(request);
    },
  };
  const errors: Array<[MappedFileIOError, CommitLogDispatcher]> = [];
  const arrived: unknown[][] = [];
  const source = {
    maxRecordBytes: commitLog.maxRecordBytes,
    getMaxOffset: () => commitLog.getMaxOffset(),
    getMinOffset: () => commitLog.getMinOffset(),
    rollNextFile: (offset: number) => commitLog.rollNextFile(offset),
    getData: (...args: Parameters<CommitLog['getData']>) => {
      if (readFault.failing) throw new MappedFileIOError('/store/commitlog/00000000000000000000', 'read', { cause: new Error('EIO') });
      return commitLog.getData(...args);
    },
  };
  const reput = new ReputMessageService({ commitLog: source, dispatchers: [recorder], clock, events, config, onDispatchError: (e, d) => errors.push([e, d]) });
  const listener: MessageArrivingListener = { arriving: (...args) => arrived.push(args.slice(0, 3)) };
  reput.messageArrivingListener = listener;
  return { clock, fs, sink, commitLog, reput, seen, errors, arrived, recorder };
}

type Setup = ReturnType<typeof setup>;

async function put(s: Setup, options: Parameters<typeof keyedMessage>[0] = {}) {
  const result = await s.commitLog.putMessage(keyedMessage(options));
  expect(result.putMessageStatus).toBe('PUT_OK');
  return result.appendMessageResult!;
}

/** A copy of the record at `offset`, re-addressed to the end of the log. */
function copyToEnd(s: Setup, offset: number, size: number): Uint8Array {
  const bytes = s.commitLog.getMessage(offset, size)!.bytes.slice();
  writeInt64(viewOf(bytes), PHYSICAL_OFFSET_POSITION, s.commitLog.getMaxOffset());
  return bytes;
}

describe('ReputMessageService', () => {
  it('doReput() hands every record to the dispatchers in log order and emits store.reput.dispatched for each', async () => {
    const s = setup();
    const a = await put(s, { tags: 'TagA', queueId: 1 });
    const b = await put(s, { queueId: 1 });
    expect(s.reput.doReput()).toBe('caught-up');
    expect(s.seen.map((r) => [r.commitLogOffset, r.queueId, r.consumeQueueOffset])).toEqual([[a.wroteOffset, 1, 0], [b.wroteOffset, 1, 1]]);
    expect(s.reput.reputFromOffset).toBe(s.commitLog.getMaxOffset());
    expect(s.reput.behind()).toBe(0);
    expect(s.sink.ofKind('store.reput.dispatched').map((e) => e.data)).toEqual([
      expect.objectContaining({ physOffset: a.wroteOffset, queueOffset: 0, reputFromOffset: b.wroteOffset }),
      expect.objectContaining({ physOffset: b.wroteOffset, queueOffset: 1, reputFromOffset: s.commitLog.getMaxOffset() }),
    ]);
    expect(s.arrived).toEqual([['TopicA', 1, 1], ['TopicA', 1, 2]]);
  });

  it('wakes on wakeup() and dispatches a burst of puts in one tick; idles with a 1 s backstop', async () => {
    const s = setup();
    s.reput.start();
    await s.clock.advance(0);
    for (let i = 0; i < 5; i++) await put(s);
    s.reput.wakeup();
    await s.clock.advance(0);
    expect(s.seen.length).toBe(5);
    await put(s);
    await s.clock.advance(REPUT_IDLE_INTERVAL_MS - 1);
    expect(s.seen.length).toBe(5);
    await s.clock.advance(1);
    expect(s.seen.length).toBe(6);
  });

  it('jumps over the BLANK at the end of a segment to the next file', async () => {
    const s = setup();
    const body = 'y'.repeat(700);
    const offsets: number[] = [];
    for (let i = 0; i < 8; i++) offsets.push((await put(s, { body })).wroteOffset);
    expect(s.commitLog.mappedFileQueue.mappedFiles.length).toBe(2);
    s.reput.doReput();
    expect(s.seen.map((r) => r.commitLogOffset)).toEqual(offsets);
    expect(offsets.some((o) => o === 4096)).toBe(true);
  });

  it('skips a record whose fields disagree with its TOTALSIZE, and stops at bytes that are not a record', async () => {
    const s = setup();
    const a = await put(s, { body: 'first' });
    const bad = copyToEnd(s, a.wroteOffset, a.wroteBytes);
    // Grow the body length by one: the fields now add up to one byte more than TOTALSIZE.
    const at = bodyLengthPosition(0);
    viewOf(bad).setInt32(at, viewOf(bad).getInt32(at, false) + 1, false);
    s.commitLog.appendData(s.commitLog.getMaxOffset(), bad);
    const c = await put(s, { body: 'third' });
    expect(s.reput.doReput()).toBe('caught-up');
    expect(s.seen.map((r) => r.commitLogOffset)).toEqual([a.wroteOffset, c.wroteOffset]);
    s.commitLog.appendData(s.commitLog.getMaxOffset(), new Uint8Array(64).fill(7));
    await put(s, { body: 'after garbage' });
    expect(s.reput.doReput()).toBe('stuck');
    expect(s.reput.reputFromOffset).toBe(c.wroteOffset + c.wroteBytes);
    expect(s.reput.behind()).toBeGreaterThan(0);
    expect(s.seen.length).toBe(2);
  });

  it('waits at a record that is only partly there (a slave mid-transfer), and dispatches it once the rest arrives', async () => {
    const s = setup();
    const a = await put(s, { body: 'whole' });
    const copy = copyToEnd(s, a.wroteOffset, a.wroteBytes);
    s.reput.doReput();
    s.commitLog.appendData(s.commitLog.getMaxOffset(), copy.subarray(0, 30));
    expect(s.reput.doReput()).toBe('stuck');
    s.commitLog.appendData(s.commitLog.getMaxOffset(), copy.subarray(30));
    expect(s.reput.doReput()).toBe('caught-up');
    expect(s.seen.map((r) => r.commitLogOffset)).toEqual([a.wroteOffset, a.wroteOffset + a.wroteBytes]);
  });

  it('stops at a record whose dispatch hit a disk error, reports it, and retries it a second later', async () => {
    const s = setup({ failOnce: true });
    s.reput.start();
    const a = await put(s);
    s.reput.wakeup();
    await s.clock.advance(0);
    expect(s.errors.map(([e, d]) => [e.operation, d])).toEqual([['write', s.recorder]]); // which dispatcher: the store picks the reason by it
    expect(s.seen.length).toBe(0);
    expect(s.reput.reputFromOffset).toBe(a.wroteOffset);
    await s.clock.advance(REPUT_RETRY_INTERVAL_MS);
    expect(s.seen.map((r) => r.commitLogOffset)).toEqual([a.wroteOffset]);
  });

  it('tells the listener about NOT and COMMIT records only, and dispatches PREPARED records without a queue offset', async () => {
    const s = setup();
    await put(s, { sysFlag: MessageSysFlag.TRANSACTION_PREPARED_TYPE });
    await put(s);
    s.reput.doReput();
    expect(s.seen.length).toBe(2);
    expect(s.arrived).toEqual([['TopicA', 0, 1]]);
    expect(s.sink.ofKind('store.reput.dispatched').map((e) => e.data.queueOffset)).toEqual([undefined, 0]);
  });

  it('shutdown() dispatches what is left before it stops', async () => {
    const s = setup();
    s.reput.start();
    await put(s);
    s.reput.shutdown();
    expect(s.seen.length).toBe(1);
    expect(s.reput.isRunning).toBe(false);
  });

  it('reads a record longer than its read cap (written under a larger maxMessageSize) in one piece', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const fs = new MemoryFileSystem({ clock });
    const { events } = recordingEvents(clock);
    const writer = new CommitLog({ fs, clock, events, config: smallStoreConfig(), storeHost: '10.0.0.1:10911' });
    const big = await writer.putMessage(keyedMessage({ body: 'z'.repeat(900) }));
    const small = await writer.putMessage(keyedMessage({ body: 'small' }));
    writer.shutdown();
    const reader = new CommitLog({ fs, clock, events, config: smallStoreConfig({ maxMessageSize: 256, commitLogWriteBufferBytes: 256 }), storeHost: '10.0.0.1:10911' });
    expect(reader.load()).toBe(true);
    expect(reader.maxRecordBytes).toBe(256);
    reader.truncateDirtyFiles(small.appendMessageResult!.wroteOffset + small.appendMessageResult!.wroteBytes);
    const seen: number[] = [];
    const reput = new ReputMessageService({ commitLog: reader, dispatchers: [{ dispatch: (r) => seen.push(r.msgSize) }], clock, events, config: smallStoreConfig() });
    expect(reput.doReput()).toBe('caught-up');
    expect(seen).toEqual([big.appendMessageResult!.wroteBytes, small.appendMessageResult!.wroteBytes]);
  });

  it('doReput() answers io-error with a store.io.failed event when a commit-log segment cannot be read, and catches up once it can', async () => {
    const s = setup();
    const a = await put(s);
    readFault.failing = true;
    try {
      expect(s.reput.doReput()).toBe('io-error');
    } finally {
      readFault.failing = false;
    }
    expect(s.sink.ofKind('store.io.failed').map((e) => e.data)).toEqual([
      { operation: 'reput read', path: '/store/commitlog/00000000000000000000', error: 'read failed on /store/commitlog/00000000000000000000: EIO' },
    ]);
    expect(s.reput.reputFromOffset).toBe(a.wroteOffset);
    expect(s.reput.doReput()).toBe('caught-up');
    expect(s.seen.map((r) => r.commitLogOffset)).toEqual([a.wroteOffset]);
  });
});
