import { describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../../../../src/platform/sim/memory-file-system.js';
import { ManualClock } from '../../../../../src/platform/sim/manual-clock.js';
import { messageStoreConfigFor } from '../../../../../src/common/config/profiles.js';
import { CommitLog } from '../../../../../src/store/commitlog/commit-log.js';
import { FlushRealTimeService } from '../../../../../src/store/commitlog/flush/flush-real-time-service.js';
import { brokerMessage, CountingFileSystem, recordingEvents } from '../../store-test-support.js';

function setup() {
  const clock = new ManualClock(0);
  const memory = new MemoryFileSystem({ clock });
  const fs = new CountingFileSystem(memory);
  const { sink, events } = recordingEvents(clock);
  const flushed: number[] = [];
  const config = messageStoreConfigFor('teaching', {
    storePathRootDir: '/store', mappedFileSizeCommitLog: 256 * 1024, commitLogWriteBufferBytes: 256 * 1024, maxMessageSize: 8192,
  });
  const commitLog = new CommitLog({ fs, clock, events, config, storeHost: '10.0.0.1:10911', onPhysicFlushed: (t) => flushed.push(t) });
  commitLog.start();
  return { clock, memory, fs, sink, commitLog, flushed };
}

describe('FlushRealTimeService', () => {
  it('flushes every 500 ms once 4 pages are dirty, and everything every 10 s (thorough)', async () => {
    const { commitLog, clock, sink, flushed } = setup();
    expect(commitLog.flushCommitLogService).toBeInstanceOf(FlushRealTimeService);
    const queue = commitLog.mappedFileQueue;

    await commitLog.putMessage(brokerMessage());
    await clock.advance(500); // first round is thorough (Java's lastFlushTimestamp starts at 0)
    expect(queue.flushedWhere).toBe(commitLog.getMaxOffset());

    await commitLog.putMessage(brokerMessage());
    await clock.advance(500); // t=1000: 1 dirty page < 4: no flush
    expect(queue.flushedWhere).toBeLessThan(commitLog.getMaxOffset());

    for (let i = 0; i < 6; i++) await commitLog.putMessage(brokerMessage({ body: 'z'.repeat(3000) }));
    await clock.advance(500); // t=1500: about 5 pages dirty
    expect(queue.flushedWhere).toBe(commitLog.getMaxOffset());

    await commitLog.putMessage(brokerMessage()); // stored at t=1500
    await clock.advance(8000); // t=9500: still below 4 pages, no thorough round yet
    expect(queue.flushedWhere).toBeLessThan(commitLog.getMaxOffset());
    await clock.advance(1000); // t=10500: thorough
    expect(queue.flushedWhere).toBe(commitLog.getMaxOffset());

    const completed = sink.ofKind('store.flush.completed').map((e) => [e.at, e.data.thorough]);
    expect(completed).toEqual([[500, true], [1500, false], [10500, true]]);
    // A thorough flush reports the store time of the last record it covered, for the checkpoint.
    expect(flushed.at(-1)).toBe(1500);
    commitLog.shutdown();
  });

  it('a put does not wake the flusher while flushCommitLogTimed is on (Java sleeps between rounds)', async () => {
    const { commitLog, clock, fs } = setup();
    await clock.advance(500);
    fs.reset();
    for (let i = 0; i < 10; i++) await commitLog.putMessage(brokerMessage({ body: 'z'.repeat(3000) }));
    await clock.advance(10);
    expect(fs.counts.flushAsync).toBe(0);
    await clock.advance(490);
    expect(fs.counts.flushAsync).toBe(1);
    commitLog.shutdown();
  });

  it('shutdown() flushes whatever is left', async () => {
    const { commitLog, memory } = setup();
    await commitLog.putMessage(brokerMessage());
    const end = commitLog.getMaxOffset();
    commitLog.shutdown();
    expect(commitLog.mappedFileQueue.flushedWhere).toBe(end);
    memory.crash();
    expect(memory.readDurable('/store/commitlog/00000000000000000000')![4]).not.toBe(0); // the magic code survived
  });
});
