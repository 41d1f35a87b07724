// StoreCheckpoint: exact bytes, round trip through a reload, and what survives a crash.
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../src/common/bytes.js';
import { NodeEvents, RecordingSink } from '../../../../src/events/event-sink.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import { CHECKPOINT_FILE_SIZE, StoreCheckpoint } from '../../../../src/store/checkpoint/store-checkpoint.js';
import { MappedFileIOError } from '../../../../src/store/mapped-file/mapped-file.js';
import { writeLong } from '../../../../src/common/java-compat.js';

const PATH = '/store/checkpoint';

describe('StoreCheckpoint', () => {
  it('load() creates a zeroed 4 KiB file; flush() writes the three longs big-endian at 0, 8, 16', () => {
    const fs = new MemoryFileSystem();
    const checkpoint = StoreCheckpoint.load(fs, PATH);
    expect([checkpoint.physicMsgTimestamp, checkpoint.logicsMsgTimestamp, checkpoint.indexMsgTimestamp]).toEqual([0, 0, 0]);
    checkpoint.physicMsgTimestamp = 1700000000123;
    checkpoint.logicsMsgTimestamp = 1700000000000;
    checkpoint.indexMsgTimestamp = 1;
    checkpoint.flush();
    const durable = fs.readDurable(PATH)!;
    expect(durable.length).toBe(CHECKPOINT_FILE_SIZE);
    expect(toHex(durable.subarray(0, 24))).toBe('0000018BCFE5687B' + '0000018BCFE56800' + '0000000000000001');
    expect(durable.subarray(24).every((b) => b === 0)).toBe(true);
  });

  it('load() after shutdown() reads back what was flushed', () => {
    const fs = new MemoryFileSystem();
    const checkpoint = StoreCheckpoint.load(fs, PATH);
    checkpoint.physicMsgTimestamp = 50_000;
    checkpoint.logicsMsgTimestamp = 40_000;
    checkpoint.indexMsgTimestamp = 30_000;
    checkpoint.shutdown();
    const again = StoreCheckpoint.load(fs, PATH);
    expect([again.physicMsgTimestamp, again.logicsMsgTimestamp, again.indexMsgTimestamp]).toEqual([50_000, 40_000, 30_000]);
  });

  it('a crash before flush() keeps the previously flushed values', () => {
    const fs = new MemoryFileSystem();
    const checkpoint = StoreCheckpoint.load(fs, PATH);
    checkpoint.physicMsgTimestamp = 10_000;
    checkpoint.logicsMsgTimestamp = 10_000;
    checkpoint.flush();
    checkpoint.physicMsgTimestamp = 99_000;
    checkpoint.logicsMsgTimestamp = 99_000;
    fs.crash();
    const again = StoreCheckpoint.load(fs, PATH);
    expect([again.physicMsgTimestamp, again.logicsMsgTimestamp]).toEqual([10_000, 10_000]);
  });

  it('getMinTimestamp() is min(physic, logics) - 3 s, clamped at 0; getMinTimestampIndex() also bounds by index', () => {
    const checkpoint = StoreCheckpoint.load(new MemoryFileSystem(), PATH);
    expect(checkpoint.getMinTimestamp()).toBe(0);
    checkpoint.physicMsgTimestamp = 20_000;
    checkpoint.logicsMsgTimestamp = 15_000;
    checkpoint.indexMsgTimestamp = 5_000;
    expect(checkpoint.getMinTimestamp()).toBe(12_000);
    expect(checkpoint.getMinTimestampIndex()).toBe(5_000);
    checkpoint.indexMsgTimestamp = 50_000;
    expect(checkpoint.getMinTimestampIndex()).toBe(12_000);
  });

  it('load() reads garbage longs as 0, and setters refuse negative values', () => {
    const fs = new MemoryFileSystem();
    fs.mkdirp('/store');
    const handle = fs.open(PATH, 'rw');
    handle.write(0, new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    handle.close();
    const checkpoint = StoreCheckpoint.load(fs, PATH);
    expect([checkpoint.physicMsgTimestamp, checkpoint.logicsMsgTimestamp]).toEqual([0, 0]);
    expect(() => { checkpoint.physicMsgTimestamp = -1; }).toThrow();
  });

  it('flush() emits store.checkpoint.flushed with the three values', () => {
    const sink = new RecordingSink(new ManualClock());
    const checkpoint = StoreCheckpoint.load(new MemoryFileSystem(), PATH, new NodeEvents(sink, 'broker-a'));
    checkpoint.indexMsgTimestamp = 7;
    checkpoint.flush();
    expect(sink.ofKind('store.checkpoint.flushed').map((e) => e.data)).toEqual([{ physicMsgTimestamp: 0, logicsMsgTimestamp: 0, indexMsgTimestamp: 7 }]);
  });

  it('load(…, notAfter) reads a timestamp later than notAfter as 0: a garbage future would make recovery replay too little', () => {
    const fs = new MemoryFileSystem();
    fs.mkdirp('/store');
    const bytes = new Uint8Array(24);
    const view = new DataView(bytes.buffer);
    writeLong(view, 0, 5_000);
    writeLong(view, 8, 9_000);
    writeLong(view, 16, 2 ** 52);
    const handle = fs.open(PATH, 'rw');
    handle.write(0, bytes);
    handle.close();
    const checkpoint = StoreCheckpoint.load(fs, PATH, undefined, 8_000);
    expect([checkpoint.physicMsgTimestamp, checkpoint.logicsMsgTimestamp, checkpoint.indexMsgTimestamp]).toEqual([5_000, 0, 0]);
  });

  it('flush() on a failing disk throws MappedFileIOError; shutdown() still closes the file', () => {
    const fs = new MemoryFileSystem();
    const checkpoint = StoreCheckpoint.load(fs, PATH);
    fs.failWrites('EIO');
    expect(() => checkpoint.flush()).toThrow(MappedFileIOError);
    expect(() => checkpoint.shutdown()).toThrow(MappedFileIOError);
    fs.failWrites(null);
    expect(() => checkpoint.flush()).toThrow(/closed/);
  });
});
