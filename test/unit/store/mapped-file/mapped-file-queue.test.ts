import { describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { MappedFileQueue } from '../../../../src/store/mapped-file/mapped-file-queue.js';
import { WriteBufferPool } from '../../../../src/store/mapped-file/write-buffer-pool.js';
import { writeInt64, viewOf } from '../../../../src/common/bytes.js';
import { recordingEvents } from '../store-test-support.js';

const SIZE = 100;

function setup(fs = new MemoryFileSystem(), clock = new ManualClock(0)) {
  const { sink, events } = recordingEvents(clock);
  const queue = new MappedFileQueue({
    fs, clock, events, storePath: '/store/commitlog', mappedFileSize: SIZE, writeBufferPool: new WriteBufferPool(SIZE), queueName: 'commitlog',
  });
  return { fs, clock, sink, queue };
}

/** Append `total` bytes of `value`, creating files as needed (each append stays inside one file). */
function appendBytes(queue: MappedFileQueue, total: number, value = 7): void {
  let left = total;
  while (left > 0) {
    const file = queue.getLastMappedFile(queue.getMaxOffset())!;
    const n = Math.min(left, SIZE - file.wrotePosition);
    expect(file.appendMessage(new Uint8Array(n).fill(value))).toBe(true);
    left -= n;
  }
}

const names = (queue: MappedFileQueue): string[] => queue.mappedFiles.map((f) => f.fileName);

describe('MappedFileQueue', () => {
  it('getLastMappedFile(startOffset) creates the first file at the boundary below startOffset, then the next when full', () => {
    const { queue, sink } = setup();
    expect(queue.getLastMappedFile()).toBeUndefined();
    expect(queue.getLastMappedFile(250)!.fileName).toBe('00000000000000000200');
    appendBytes(queue, SIZE); // fills "…200"
    expect(queue.getLastMappedFile(0)!.fileName).toBe('00000000000000000300');
    expect(names(queue)).toEqual(['00000000000000000200', '00000000000000000300']);
    expect(queue.getMinOffset()).toBe(200);
    expect(queue.getMaxOffset()).toBe(300);
    expect(sink.ofKind('store.mappedfile.created').map((e) => e.data.fileFromOffset)).toEqual([200, 300]);
  });

  it('findMappedFileByOffset() computes the index from the first file, also after the front was deleted', () => {
    const { queue, clock } = setup();
    appendBytes(queue, 350);
    expect(names(queue)).toHaveLength(4);
    expect(queue.findMappedFileByOffset(0)!.fileFromOffset).toBe(0);
    expect(queue.findMappedFileByOffset(199)!.fileFromOffset).toBe(100);
    expect(queue.findMappedFileByOffset(350)!.fileFromOffset).toBe(300);
    expect(queue.findMappedFileByOffset(400)).toBeUndefined();
    clock.advanceTo(1000);
    expect(queue.deleteExpiredFileByTime(0, true)).toBe(3); // never the last
    expect(queue.findMappedFileByOffset(320)!.fileFromOffset).toBe(300);
    expect(queue.findMappedFileByOffset(150)).toBeUndefined();
    expect(queue.findMappedFileByOffset(150, true)!.fileFromOffset).toBe(300); // Java's returnFirstOnNotFound
  });

  it('truncateDirtyFiles() keeps files before the offset, cuts the one holding it and deletes the rest', () => {
    const { queue, sink } = setup();
    appendBytes(queue, 380);
    queue.flush(0);
    queue.truncateDirtyFiles(230);
    expect(names(queue)).toEqual(['00000000000000000000', '00000000000000000100', '00000000000000000200']);
    const cut = queue.mappedFiles[2]!;
    expect([cut.wrotePosition, cut.committedPosition, cut.flushedPosition]).toEqual([30, 30, 30]);
    expect(queue.getMaxOffset()).toBe(230);
    expect(queue.flushedWhere).toBeLessThanOrEqual(230);
    expect(sink.ofKind('store.mappedfile.deleted').map((e) => [e.data.fileFromOffset, e.data.reason])).toEqual([[300, 'truncated']]);
  });

  it('truncateDirtyFiles() at a file boundary keeps the full file and an empty next file', () => {
    const { queue } = setup();
    appendBytes(queue, 250);
    queue.truncateDirtyFiles(200);
    expect(names(queue)).toEqual(['00000000000000000000', '00000000000000000100', '00000000000000000200']);
    expect(queue.mappedFiles[1]!.wrotePosition).toBe(SIZE);
    expect(queue.mappedFiles[2]!.wrotePosition).toBe(0);
    expect(queue.getMaxOffset()).toBe(200);
  });

  it('deleteExpiredFileByTime() deletes old files from the front, stops at the first fresh one and keeps the last', async () => {
    const { queue, clock } = setup();
    appendBytes(queue, 100); // file 0 written at t=0
    queue.commit(0);
    await clock.advance(1000);
    appendBytes(queue, 100); // file 100 at t=1000
    queue.commit(0);
    await clock.advance(1000);
    appendBytes(queue, 100); // file 200 at t=2000
    queue.commit(0);
    await clock.advance(1000);
    appendBytes(queue, 50); // file 300, the last
    queue.commit(0);
    await clock.advance(500); // now 3500
    expect(queue.deleteExpiredFileByTime(2000, false)).toBe(2); // 0 and 100 are >= 2000 ms old
    expect(names(queue)).toEqual(['00000000000000000200', '00000000000000000300']);
    expect(queue.deleteExpiredFileByTime(0, false)).toBe(1);
    expect(names(queue)).toEqual(['00000000000000000300']);
  });

  it('deleteExpiredFileByOffset() deletes files whose last unit points below the offset', () => {
    const { queue } = setup();
    // Units of 20 bytes: the first 8 bytes of each are a physical offset. 5 units per file.
    const unit = new Uint8Array(20);
    for (let i = 0; i < 12; i++) {
      writeInt64(viewOf(unit), 0, i * 1000);
      queue.getLastMappedFile(queue.getMaxOffset())!.appendMessage(unit);
    }
    // Last units: file 0 -> 4000, file 100 -> 9000, file 200 (last, never deleted).
    expect(queue.deleteExpiredFileByOffset(9000, 20)).toBe(1);
    expect(queue.deleteExpiredFileByOffset(9001, 20)).toBe(1);
    expect(names(queue)).toEqual(['00000000000000000200']);
  });

  it('commit() writes the pending bytes of every file once, flush() moves flushedWhere one file per call', () => {
    const { queue, fs } = setup();
    appendBytes(queue, 150);
    expect(queue.remainHowManyDataToCommit()).toBe(50); // rolling committed the full file
    expect(queue.commit(0)).toBe(true);
    expect(queue.committedWhere).toBe(150);
    expect(queue.flush(0)).toBe(true);
    expect(queue.flushedWhere).toBe(100);
    expect(queue.flush(0)).toBe(true);
    expect(queue.flushedWhere).toBe(150);
    expect(queue.flush(0)).toBe(false);
    expect(fs.durableSize('/store/commitlog/00000000000000000100')).toBe(SIZE);
  });

  it('load() opens the files in name order at full positions, extending a short last file with zeros', () => {
    const fs = new MemoryFileSystem();
    const first = setup(fs);
    appendBytes(first.queue, 250);
    first.queue.shutdown();
    const handle = fs.open('/store/commitlog/00000000000000000300', 'rw');
    handle.write(0, new Uint8Array(10).fill(9)); // a short last file: 10 bytes
    handle.flush();
    fs.open('/store/commitlog/notes.txt', 'rw').write(0, new Uint8Array(3));
    fs.open('/store/commitlog/99999999999999999999', 'rw'); // 20 digits, but not a safe integer: not a segment
    const { queue } = setup(fs);
    expect(queue.load()).toBe(true);
    expect(names(queue)).toEqual(['00000000000000000000', '00000000000000000100', '00000000000000000200', '00000000000000000300']);
    expect(queue.getMaxOffset()).toBe(400);
    expect(fs.durableSize('/store/commitlog/00000000000000000300')).toBe(SIZE);
    expect(Array.from(fs.readDurable('/store/commitlog/00000000000000000300')!.subarray(8, 12))).toEqual([9, 9, 0, 0]);
    queue.checkSelf();
  });

  it('load() answers false, with a store.io.failed event and no file touched, for a wrong-size file before the last, a long file, or a gap', () => {
    const cases: Array<[string, (fs: MemoryFileSystem) => void]> = [
      ['short middle file', (fs) => fs.open('/store/commitlog/00000000000000000100', 'rw').truncate(40)],
      ['long last file', (fs) => fs.open('/store/commitlog/00000000000000000200', 'rw').truncate(SIZE + 1)],
      ['gap', (fs) => fs.remove('/store/commitlog/00000000000000000100')],
      ['misaligned first file', (fs) => fs.rename('/store/commitlog/00000000000000000000', '/store/commitlog/00000000000000000050')],
    ];
    for (const [what, damage] of cases) {
      const fs = new MemoryFileSystem();
      const first = setup(fs);
      appendBytes(first.queue, 250);
      first.queue.shutdown();
      damage(fs);
      const before = fs.listAll().map((path) => [path, fs.durableSize(path)]);
      const { queue, sink } = setup(fs);
      expect(queue.load(), what).toBe(false);
      expect(queue.mappedFiles, what).toHaveLength(0);
      expect(sink.ofKind('store.io.failed').map((e) => e.data.operation), what).toEqual(['load']);
      expect(fs.listAll().map((path) => [path, fs.durableSize(path)]), what).toEqual(before);
    }
  });

  it('destroy() deletes every file and the directory', () => {
    const { queue, fs } = setup();
    appendBytes(queue, 150);
    queue.destroy();
    expect(queue.mappedFiles).toHaveLength(0);
    expect(fs.exists('/store/commitlog')).toBe(false);
  });
});
