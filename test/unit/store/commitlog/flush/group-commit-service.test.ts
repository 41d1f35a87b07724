import { describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../../../../src/platform/sim/memory-file-system.js';
import { ManualClock } from '../../../../../src/platform/sim/manual-clock.js';
import { messageStoreConfigFor } from '../../../../../src/common/config/profiles.js';
import { CommitLog } from '../../../../../src/store/commitlog/commit-log.js';
import { GroupCommitService } from '../../../../../src/store/commitlog/flush/group-commit-service.js';
import type { PutMessageResult } from '../../../../../src/store/results.js';
import { brokerMessage, CountingFileSystem, recordingEvents } from '../../store-test-support.js';

function setup(flushLatencyMs: number) {
  const clock = new ManualClock(0);
  const memory = new MemoryFileSystem({ clock, flushLatencyMs });
  const fs = new CountingFileSystem(memory);
  const { sink, events } = recordingEvents(clock);
  const config = messageStoreConfigFor('teaching', {
    storePathRootDir: '/store', flushDiskType: 'SYNC_FLUSH', mappedFileSizeCommitLog: 64 * 1024, commitLogWriteBufferBytes: 64 * 1024,
  });
  const commitLog = new CommitLog({ fs, clock, events, config, storeHost: '10.0.0.1:10911' });
  commitLog.start();
  return { clock, memory, fs, sink, commitLog };
}

/** Start `n` puts now (in one tick) and collect their results as they settle. */
function putMany(commitLog: CommitLog, n: number, settled: PutMessageResult[]): Promise<void> {
  return Promise.all(Array.from({ length: n }, () => commitLog.putMessage(brokerMessage()).then((r) => void settled.push(r)))).then(() => undefined);
}

describe('GroupCommitService', () => {
  it('answers 100 concurrent WAIT=true puts with one flushAsync, not one per message', async () => {
    const { commitLog, clock, fs, memory } = setup(2);
    expect(commitLog.flushCommitLogService).toBeInstanceOf(GroupCommitService);
    const settled: PutMessageResult[] = [];
    void putMany(commitLog, 100, settled);
    await clock.runUntil(() => settled.length === 100, 1000);
    expect(settled.every((r) => r.putMessageStatus === 'PUT_OK')).toBe(true);
    expect(fs.counts.flushAsync).toBe(1);
    expect(memory.durableSize('/store/commitlog/00000000000000000000')).toBe(64 * 1024);
    expect(commitLog.mappedFileQueue.flushedWhere).toBe(commitLog.getMaxOffset());
    commitLog.shutdown();
  });

  it('puts that arrive while a flush is in flight form the next group', async () => {
    const { commitLog, clock, fs, sink } = setup(5);
    const settled: PutMessageResult[] = [];
    void putMany(commitLog, 10, settled);
    await clock.advance(1); // group 1 is flushing (5 ms)
    expect(fs.counts.flushAsync).toBe(1);
    void putMany(commitLog, 7, settled);
    void putMany(commitLog, 8, settled);
    await clock.runUntil(() => settled.length === 25, 1000);
    expect(fs.counts.flushAsync).toBe(2);
    expect(sink.ofKind('store.groupcommit.acked').map((e) => [e.data.requests, e.data.status])).toEqual([[10, 'PUT_OK'], [15, 'PUT_OK']]);
    expect(sink.ofKind('store.flush.requested')).toHaveLength(25);
    commitLog.shutdown();
  });

  it('answers FLUSH_DISK_TIMEOUT after syncFlushTimeout when the disk is slower, with the message still stored', async () => {
    const { commitLog, clock } = setup(60_000);
    const settled: PutMessageResult[] = [];
    void putMany(commitLog, 3, settled);
    const waited = await clock.runUntil(() => settled.length === 3, 10_000);
    expect(waited).toBe(5000);
    expect(settled.map((r) => r.putMessageStatus)).toEqual(['FLUSH_DISK_TIMEOUT', 'FLUSH_DISK_TIMEOUT', 'FLUSH_DISK_TIMEOUT']);
    expect(settled[2]!.appendMessageResult!.status).toBe('PUT_OK');
    expect(commitLog.getMaxOffset()).toBeGreaterThan(0);
  });

  it('a WAIT=false put answers at once, and the service still flushes its bytes', async () => {
    const { commitLog, clock } = setup(1);
    const result = await commitLog.putMessage(brokerMessage({ wait: false }));
    expect(result.putMessageStatus).toBe('PUT_OK');
    expect(commitLog.mappedFileQueue.flushedWhere).toBe(0);
    await clock.runUntil(() => commitLog.mappedFileQueue.flushedWhere === commitLog.getMaxOffset(), 100);
    commitLog.shutdown();
  });
});
