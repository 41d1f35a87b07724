import { describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { MappedFile, MappedFileIOError, offset2FileName } from '../../../../src/store/mapped-file/mapped-file.js';
import type { AppendMessageCallback } from '../../../../src/store/mapped-file/append-message-callback.js';
import { WriteBufferPool } from '../../../../src/store/mapped-file/write-buffer-pool.js';
import { AppendMessageStatus, type AppendMessageResult } from '../../../../src/store/results.js';
import { CountingFileSystem } from '../store-test-support.js';

const FILE_SIZE = 1024;

function setup(windowBytes = 256) {
  const clock = new ManualClock(1000);
  const memory = new MemoryFileSystem({ clock });
  memory.mkdirp('/store/log');
  const fs = new CountingFileSystem(memory);
  const pool = new WriteBufferPool(windowBytes);
  const file = MappedFile.create(fs, `/store/log/${offset2FileName(4096)}`, FILE_SIZE, pool, clock);
  fs.reset();
  return { clock, memory, fs, pool, file };
}

/** `n` bytes all equal to `value`. */
const fill = (n: number, value: number): Uint8Array => new Uint8Array(n).fill(value);

/** A callback that writes `length` bytes of `value` (or a BLANK-like 8 bytes when it does not fit with 8 to spare). */
const recordCallback: AppendMessageCallback<{ length: number; value: number }> = {
  doAppend(fileFromOffset, position, maxBlank, target, at, msg): AppendMessageResult {
    const base = { wroteOffset: fileFromOffset + position, msgId: '', storeTimestamp: 77, logicsOffset: 0, msgNum: 1, pagecacheRT: 0 };
    if (msg.length + 8 > maxBlank) {
      target.fill(0xee, at, at + 8);
      return { ...base, status: AppendMessageStatus.END_OF_FILE, wroteBytes: maxBlank };
    }
    target.fill(msg.value, at, at + msg.length);
    return { ...base, status: AppendMessageStatus.PUT_OK, wroteBytes: msg.length };
  },
};

describe('MappedFile', () => {
  it('create() names the file by its 20-digit start offset and preallocates it durably', () => {
    const { memory, file } = setup();
    expect(file.fileName).toBe('00000000000000004096');
    expect(file.fileFromOffset).toBe(4096);
    expect(memory.durableSize('/store/log/00000000000000004096')).toBe(FILE_SIZE);
    expect([file.wrotePosition, file.committedPosition, file.flushedPosition]).toEqual([0, 0, 0]);
  });

  it('appendMessage() only moves wrote; commit() moves committed with one write; flush() moves flushed', () => {
    const { fs, memory, file } = setup();
    expect(file.appendMessage(fill(10, 1))).toBe(true);
    expect(file.appendMessage(fill(20, 2))).toBe(true);
    expect([file.wrotePosition, file.committedPosition, file.flushedPosition]).toEqual([30, 0, 0]);
    expect(fs.counts.write).toBe(0);

    expect(file.commit(0)).toBe(30);
    expect(fs.counts.write).toBe(1);
    expect(fs.writes[0]).toMatchObject({ position: 0, length: 30 });
    expect(memory.readDurable(file.path)![0]).toBe(0); // in the page cache only

    expect(file.flush(0)).toBe(30);
    expect([file.wrotePosition, file.committedPosition, file.flushedPosition]).toEqual([30, 30, 30]);
    expect([...memory.readDurable(file.path)!.subarray(0, 31)]).toEqual([...fill(10, 1), ...fill(20, 2), 0]);
  });

  it('commit() writes 100 appends of one tick in a single handle write', () => {
    const { fs, file } = setup(4096);
    for (let i = 0; i < 100; i++) file.appendMessage(fill(5, i));
    file.commit(0);
    expect(fs.counts.write).toBe(1);
    expect(fs.writes[0]).toMatchObject({ position: 0, length: 500 });
  });

  it('selectMappedBuffer() reads uncommitted bytes from the window and committed ones from the file', () => {
    const { file } = setup(64);
    file.appendMessage(fill(40, 1));
    file.commit(0);
    file.appendMessage(fill(20, 2)); // window still covers [0, 64): 40 committed + 20 pending
    file.appendMessage(fill(30, 3)); // 4 bytes fill the window, it is committed, slides to 64
    expect(file.committedPosition).toBe(64);
    const all = file.selectMappedBuffer(0)!;
    expect(all.size).toBe(90);
    expect(all.startOffset).toBe(4096);
    expect([...all.bytes]).toEqual([...fill(40, 1), ...fill(20, 2), ...fill(30, 3)]);
    expect([...file.selectMappedBuffer(55, 10)!.bytes]).toEqual([...fill(5, 2), ...fill(5, 3)]);
    expect(file.selectMappedBuffer(85, 10)).toBeUndefined(); // past wrote
  });

  it('appendMessage() larger than the window commits and slides as often as needed', () => {
    const { fs, file } = setup(64);
    const data = Uint8Array.from({ length: 200 }, (_, i) => i);
    expect(file.appendMessage(data)).toBe(true);
    file.commit(0);
    expect(fs.counts.write).toBe(4); // 64 + 64 + 64 + 8
    expect([...file.selectMappedBuffer(0, 200)!.bytes]).toEqual([...data]);
  });

  it('appendMessagesInner() gives the callback room for min(maxBlank, maxAppendBytes) bytes and counts a BLANK as filling the file', () => {
    const { file, pool } = setup(256);
    let result = file.appendMessagesInner(recordCallback, { length: 200, value: 1 }, 200);
    expect(result).toMatchObject({ status: 'PUT_OK', wroteOffset: 4096, wroteBytes: 200 });
    result = file.appendMessagesInner(recordCallback, { length: 250, value: 2 }, 250); // 56 bytes of room: slides
    expect(result.wroteOffset).toBe(4096 + 200);
    expect(file.storeTimestamp).toBe(77);
    file.appendMessagesInner(recordCallback, { length: 250, value: 3 }, 250);
    file.appendMessagesInner(recordCallback, { length: 250, value: 4 }, 250); // wrote 950
    result = file.appendMessagesInner(recordCallback, { length: 100, value: 5 }, 100); // 74 left: END_OF_FILE
    expect(result).toMatchObject({ status: 'END_OF_FILE', wroteOffset: 4096 + 950, wroteBytes: FILE_SIZE - 950 });
    expect(file.isFull).toBe(true);
    file.commit(0);
    expect(pool.idleCount).toBe(1); // full and committed: the window went back
    // The file holds the marker, then zeros, never stale window bytes.
    expect([...file.selectMappedBuffer(950, 16)!.bytes]).toEqual([...fill(8, 0xee), ...fill(8, 0)]);
  });

  it('flushAsync() covers what was committed when it started', async () => {
    const { memory, file, clock } = setup();
    file.appendMessage(fill(10, 1));
    const flushing = file.flushAsync(0);
    file.appendMessage(fill(10, 2)); // after the flush started
    await clock.settle();
    expect(await flushing).toBe(10);
    expect(file.flushedPosition).toBe(10);
    expect(memory.readDurable(file.path)![10]).toBe(0);
  });

  it('flush(leastPages) waits for that many dirty 4 KiB pages unless the file is full', () => {
    const clock = new ManualClock();
    const fs = new MemoryFileSystem();
    fs.mkdirp('/l');
    const file = MappedFile.create(fs, `/l/${offset2FileName(0)}`, 3 * 4096, new WriteBufferPool(4096), clock);
    file.appendMessage(fill(4096, 1));
    expect(file.flush(2)).toBe(0);
    file.appendMessage(fill(4096, 2));
    expect(file.flush(2)).toBe(8192);
    file.appendMessage(fill(4096, 3)); // full now
    expect(file.flush(2)).toBe(3 * 4096);
  });

  it('commit() failing on a full disk throws MappedFileIOError and leaves committed where it was', () => {
    const { memory, file } = setup();
    file.appendMessage(fill(10, 1));
    memory.failWrites('ENOSPC');
    expect(() => file.commit(0)).toThrow(MappedFileIOError);
    expect(file.committedPosition).toBe(0);
    expect(file.wrotePosition).toBe(10);
    memory.failWrites(null);
    expect(file.commit(0)).toBe(10);
  });

  it('truncateTo() sets all three positions and zeroes the file past the cut', () => {
    const { file, memory } = setup();
    file.appendMessage(fill(100, 9));
    file.flush(0);
    file.truncateTo(40);
    expect([file.wrotePosition, file.committedPosition, file.flushedPosition]).toEqual([40, 40, 40]);
    file.appendMessage(fill(10, 5));
    file.commit(0);
    expect([...file.selectMappedBuffer(38, 12)!.bytes]).toEqual([9, 9, ...fill(10, 5)]);
    const onDisk = new Uint8Array(FILE_SIZE);
    memory.open(file.path, 'r').read(0, onDisk);
    expect(onDisk.length).toBe(FILE_SIZE);
    expect([...onDisk.subarray(48, 54)]).toEqual([5, 5, 0, 0, 0, 0]); // the old 9s past the cut are gone
  });

  it('open() loads an existing file with every position at the end', () => {
    const { fs, file, pool, clock } = setup();
    file.appendMessage(fill(10, 3));
    file.close();
    const loaded = MappedFile.open(fs, file.path, FILE_SIZE, pool, clock);
    expect([loaded.wrotePosition, loaded.committedPosition, loaded.flushedPosition]).toEqual([FILE_SIZE, FILE_SIZE, FILE_SIZE]);
    expect([...loaded.selectMappedBuffer(0, 11)!.bytes]).toEqual([...fill(10, 3), 0]);
  });

  it('destroy() deletes the file', () => {
    const { memory, file } = setup();
    file.destroy();
    expect(memory.exists(file.path)).toBe(false);
    expect(file.isAvailable).toBe(false);
  });
});
