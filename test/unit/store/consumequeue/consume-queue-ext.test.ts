import { describe, expect, it } from 'vitest';
import { toHex, viewOf } from '../../../../src/common/bytes.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import { WriteBufferPool } from '../../../../src/store/mapped-file/write-buffer-pool.js';
import {
  ConsumeQueueExt, encodeCqExtUnit, MAX_EXT_UNIT_SIZE, readExtOffset, tagsCodeOfUnit, writeExtAddress,
} from '../../../../src/store/consumequeue/consume-queue-ext.js';
import { ConsumeQueue } from '../../../../src/store/consumequeue/consume-queue.js';
import { CQ_STORE_UNIT_SIZE, writeUnit } from '../../../../src/store/consumequeue/consume-queue-unit.js';
import type { CqExtUnit } from '../../../../src/store/message-store.js';
import { recordingEvents } from '../store-test-support.js';

const EXT_FILE_SIZE = 100;
const DIR = '/store/consumequeue_ext/TopicA/3';
const FILE_0 = `${DIR}/00000000000000000000`;

/** A 14-byte bit map (the default bloom filter's 112 bits) with bits 2, 5 and 8 set. */
function bitMap(): Uint8Array {
  const bits = new Uint8Array(14);
  bits[0] = 0b0010_0100;
  bits[1] = 0b1000_0000;
  return bits;
}

/** An ext unit; `filterBitMap` null means none (undefined would pick the default). */
function unit(tagsCode: number, msgStoreTime = 1_700_000_000_123, filterBitMap: Uint8Array | null = bitMap()): CqExtUnit {
  return { tagsCode, msgStoreTime, filterBitMap: filterBitMap ?? undefined };
}

function newExt(fs = new MemoryFileSystem(), fileSize = EXT_FILE_SIZE) {
  const clock = new ManualClock(0);
  const recorded = recordingEvents(clock);
  const ext = new ConsumeQueueExt({
    topic: 'TopicA', queueId: 3, fs, storePathRootDir: '/store', mappedFileSize: fileSize, clock,
    writeBufferPool: new WriteBufferPool(fileSize), events: recorded.events,
  });
  return { fs, ext, clock, ...recorded };
}

function newQueue(fs: MemoryFileSystem) {
  const { ext, clock, events, sink } = newExt(fs);
  const cq = new ConsumeQueue({
    topic: 'TopicA', queueId: 3, fs, storePathRootDir: '/store', mappedFileSize: 10 * CQ_STORE_UNIT_SIZE, clock,
    writeBufferPool: new WriteBufferPool(10 * CQ_STORE_UNIT_SIZE), events, pickupStoreTimestamp: () => -1, getMinPhyOffset: () => 0,
    consumeQueueExt: ext,
  });
  return { cq, ext, sink };
}

/** The durable bytes of a file after the test flushed it. */
function durable(fs: MemoryFileSystem, path: string): Uint8Array {
  const bytes = fs.readDurable(path);
  if (bytes === undefined) throw new Error(`${path} is not durable`);
  return bytes;
}

describe('ConsumeQueueExt', () => {
  it('encodes a unit as size(2) | tagsCode(8) | msgStoreTime(8) | bitMapSize(2) | bit map, big-endian', () => {
    const target = new Uint8Array(34);
    expect(encodeCqExtUnit(unit(0x01020304), target)).toBe(34);
    expect(toHex(target)).toBe(
      '0022' + '0000000001020304' + '0000018BCFE5687B' + '000E' + '2480000000000000000000000000',
    );
    const bare = new Uint8Array(20);
    expect(encodeCqExtUnit(unit(-2, 5, null), bare)).toBe(20);
    expect(toHex(bare)).toBe('0014' + 'FFFFFFFFFFFFFFFE' + '0000000000000005' + '0000');
  });

  it('decorates an ext offset as Long.MIN_VALUE + offset, and tells it from any tags code (isExtAddr)', () => {
    const field = new Uint8Array(8);
    const view = viewOf(field);
    writeExtAddress(view, 0, 34);
    expect(toHex(field)).toBe('8000000000000022');
    expect(readExtOffset(view, 0)).toBe(34);
    writeExtAddress(view, 0, 0x1_2345_6789);
    expect(toHex(field)).toBe('8000000123456789');
    expect(readExtOffset(view, 0)).toBe(0x1_2345_6789);
    // Plain tags codes: a sign-extended int hash (down to Integer.MIN_VALUE) or a delivery timestamp.
    for (const tagsCode of [0, 1, -1, -2147483648, 2147483647, 1_700_000_000_000]) {
      view.setBigInt64(0, BigInt(tagsCode), false);
      expect(readExtOffset(view, 0)).toBe(-1);
    }
    view.setBigInt64(0, -2147483649n, false); // Java MAX_ADDR: an address, but of an offset near 2^63
    expect(readExtOffset(view, 0)).toBeNaN();
  });

  it('put() appends units back to back, and get() reads them back', () => {
    const { ext, fs } = newExt();
    expect(ext.put(unit(7))).toBe(0);
    expect(ext.put(unit(8, 9, null))).toBe(34);
    expect(ext.get(0)).toEqual(unit(7));
    expect(ext.get(34)).toEqual({ tagsCode: 8, msgStoreTime: 9, filterBitMap: undefined });
    expect(ext.get(54)).toBeUndefined(); // not written
    expect(ext.get(1)).toBeUndefined(); // not a unit boundary: SIZE disagrees with BITMAP SIZE
    expect(ext.getMaxOffset()).toBe(54);
    ext.flush(0);
    expect(toHex(durable(fs, FILE_0).subarray(34, 54))).toBe('0014' + '0000000000000008' + '0000000000000009' + '0000');
  });

  it('put() ends a file with an FF FF blank when the next unit would leave less than 4 bytes, and goes on in the next file', () => {
    const { ext, fs, sink } = newExt();
    expect([ext.put(unit(1)), ext.put(unit(2))]).toEqual([0, 34]); // 68 bytes used, 32 left
    expect(ext.put(unit(3))).toBe(100); // 34 > 32 - 4: blank at 68, the unit starts file "…100"
    ext.flush(0);
    expect(ext.mappedFileQueue.mappedFiles.map((f) => f.fileName)).toEqual(['00000000000000000000', '00000000000000000100']);
    expect(ext.mappedFileQueue.mappedFiles[0]!.isFull).toBe(true);
    expect(toHex(durable(fs, FILE_0).subarray(68, 72))).toBe('FFFF0000');
    expect(ext.get(100)).toEqual(unit(3));
    expect(sink.ofKind('store.mappedfile.created').map((e) => e.data.queue)).toEqual(['consumequeue_ext/TopicA/3', 'consumequeue_ext/TopicA/3']);
    expect(ext.put(unit(4))).toBe(134); // 34 <= 100 - 34 - 4
    expect(ext.put(unit(5))).toBe(200); // 34 > 100 - 68 - 4: the second blank
    expect(ext.getMaxOffset()).toBe(234);
  });

  it('put() refuses a unit that can never fit (Java: "not an address", the caller keeps the tags code)', () => {
    const { ext } = newExt();
    expect(ext.put(unit(1, 1, new Uint8Array(EXT_FILE_SIZE)))).toBe(-1);
    expect(ext.put(unit(1, 1, new Uint8Array(MAX_EXT_UNIT_SIZE)))).toBe(-1);
    expect(ext.mappedFileQueue.mappedFiles).toHaveLength(0);
  });

  it('recover() walks the SIZE fields to the end of the data and cuts a torn or garbage tail', () => {
    const fs = new MemoryFileSystem();
    const first = newExt(fs);
    for (let i = 0; i < 5; i++) first.ext.put(unit(i)); // 0, 34, [blank], 100, 134, [blank], 200
    first.ext.flush(0);
    first.ext.shutdown();
    const handle = fs.open(`${DIR}/00000000000000000200`, 'rw');
    handle.write(34, new Uint8Array([0x00, 0x05, 0xff])); // a SIZE no unit has, right after unit 4
    handle.flush();
    handle.close();

    const { ext } = newExt(fs);
    expect(ext.load()).toBe(true);
    ext.recover();
    expect(ext.getMaxOffset()).toBe(234);
    expect(ext.get(200)).toEqual(unit(4));
    expect(ext.put(unit(9))).toBe(234); // the garbage was zeroed and is overwritten
    expect(ext.get(234)).toEqual(unit(9));
  });

  it('truncateByMaxAddress() cuts after the last unit a consume queue points at, durably', () => {
    const fs = new MemoryFileSystem();
    const { ext } = newExt(fs);
    for (let i = 0; i < 5; i++) ext.put(unit(i));
    ext.flush(0);
    ext.truncateByMaxAddress(100); // keep units at 0, 34 and 100
    expect(ext.getMaxOffset()).toBe(134);
    expect(ext.mappedFileQueue.mappedFiles).toHaveLength(2);
    fs.crash(); // the cut survives a power cut: no stale unit 134 comes back
    expect(toHex(durable(fs, `${DIR}/00000000000000000100`).subarray(34, 40))).toBe('000000000000');
    expect(fs.exists(`${DIR}/00000000000000000200`)).toBe(false);
  });

  it('truncateByMinAddress() deletes the files that end before the first live unit, never the last', () => {
    const { ext, sink } = newExt();
    for (let i = 0; i < 7; i++) ext.put(unit(i)); // files 0, 100, 200, 300
    expect(ext.truncateByMinAddress(234)).toBe(2); // files 0 and 100 end (at 100, 200) before 234
    expect(ext.mappedFileQueue.mappedFiles.map((f) => f.fileFromOffset)).toEqual([200, 300]);
    expect(ext.truncateByMinAddress(10_000)).toBe(1);
    expect(ext.mappedFileQueue.mappedFiles.map((f) => f.fileFromOffset)).toEqual([300]);
    expect(sink.ofKind('store.mappedfile.deleted').map((e) => e.data.reason)).toEqual(['expired', 'expired', 'expired']);
  });
});

describe('ConsumeQueue with a ConsumeQueueExt', () => {
  it('putMessagePositionInfo() writes the ext unit first and the decorated address into the unit', () => {
    const fs = new MemoryFileSystem();
    const { cq, ext } = newQueue(fs);
    expect(cq.putMessagePositionInfo(0x1000, 0x80, 0x01020304, 0, { msgStoreTime: 1_700_000_000_123, filterBitMap: bitMap() })).toBe(true);
    expect(cq.putMessagePositionInfo(0x1080, 0x80, 5, 1, { msgStoreTime: 1_700_000_000_124, filterBitMap: undefined })).toBe(true);
    cq.flush(0);
    const units = durable(fs, '/store/consumequeue/TopicA/3/00000000000000000000');
    expect(toHex(units.subarray(0, 40))).toBe(
      '0000000000001000' + '00000080' + '8000000000000000'
      + '0000000000001080' + '00000080' + '8000000000000022',
    );
    expect(ext.get(0)).toEqual(unit(0x01020304));
    expect(cq.getUnit(1)).toEqual({ physicalOffset: 0x1080, size: 0x80, tagsCode: 5, cqExtUnit: { tagsCode: 5, msgStoreTime: 1_700_000_000_124, filterBitMap: undefined } });
    // A repeated dispatch writes no second ext unit.
    expect(cq.putMessagePositionInfo(0x1000, 0x80, 0x01020304, 0, { msgStoreTime: 1, filterBitMap: bitMap() })).toBe(true);
    expect(ext.getMaxOffset()).toBe(54);
  });

  it('recover() cuts units whose ext unit a crash lost, marks the queue damaged, and cuts the ext after the last unit kept', () => {
    const fs = new MemoryFileSystem();
    const first = newQueue(fs);
    for (let i = 0; i < 4; i++) first.cq.putMessagePositionInfo(i * 100, 100, i, i, { msgStoreTime: 1000 + i, filterBitMap: bitMap() });
    first.ext.flush(0); // ext units of 0..3 durable (0, 34, 100, 134)
    for (let i = 4; i < 6; i++) first.cq.putMessagePositionInfo(i * 100, 100, i, i, { msgStoreTime: 1000 + i, filterBitMap: bitMap() });
    first.cq.mappedFileQueue.flush(0); // the queue's units 0..5 durable, but ext units 4 and 5 (200, 234) are not
    fs.crash();

    const { cq, ext } = newQueue(fs);
    expect(cq.load()).toBe(true);
    cq.recover();
    expect(cq.getMaxOffsetInQueue()).toBe(4);
    expect(cq.maxPhysicOffset).toBe(400);
    expect(cq.damaged).toBe(true);
    expect(ext.getMaxOffset()).toBe(168);
    for (let i = 0; i < 4; i++) expect(cq.getUnit(i)?.cqExtUnit?.msgStoreTime).toBe(1000 + i);
    // The rebuild (re-dispatch from maxPhysicOffset) appends fresh ext units.
    expect(cq.putMessagePositionInfo(400, 100, 4, 4, { msgStoreTime: 1004, filterBitMap: bitMap() })).toBe(true);
    expect(cq.getUnit(4)?.cqExtUnit).toEqual(unit(4, 1004));
  });

  it('recover() cuts ext units no queue unit points at (written, but the queue unit was lost)', () => {
    const fs = new MemoryFileSystem();
    const first = newQueue(fs);
    for (let i = 0; i < 3; i++) first.cq.putMessagePositionInfo(i * 100, 100, i, i, { msgStoreTime: 1000 + i, filterBitMap: bitMap() });
    first.cq.flush(0); // both durable
    for (let i = 3; i < 5; i++) first.cq.putMessagePositionInfo(i * 100, 100, i, i, { msgStoreTime: 1000 + i, filterBitMap: bitMap() });
    first.ext.flush(0); // only the ext units of 3 and 4
    fs.crash();

    const { cq, ext } = newQueue(fs);
    expect(cq.load()).toBe(true);
    cq.recover();
    expect(cq.damaged).toBe(false);
    expect(cq.getMaxOffsetInQueue()).toBe(3);
    expect(ext.getMaxOffset()).toBe(134); // units at 0, 34, 100 kept; 134 and 200 cut
  });

  it('truncateDirtyLogicFiles(), correctMinOffset() and destroy() take the ext along', () => {
    const fs = new MemoryFileSystem();
    const { cq, ext } = newQueue(fs);
    for (let i = 0; i < 25; i++) cq.putMessagePositionInfo(i * 100, 100, i, i, { msgStoreTime: 1000 + i, filterBitMap: bitMap() });
    cq.truncateDirtyLogicFiles(1300); // keeps queue offsets 0..12
    expect(cq.getMaxOffsetInQueue()).toBe(13);
    // Two 34-byte ext units per 100-byte file: unit i's sits at (i >> 1) * 100 + (i & 1) * 34.
    expect(ext.get(600)).toEqual(unit(12, 1012));
    expect(ext.getMaxOffset()).toBe(634);
    expect(cq.deleteExpiredFile(1100)).toBe(1); // queue file 0 (units 0..9) goes; first live unit 11 sits in ext file 500
    expect(ext.mappedFileQueue.mappedFiles.map((f) => f.fileFromOffset)).toEqual([500, 600]);
    cq.destroy();
    expect(fs.exists(DIR)).toBe(false);
  });
});

/** Keep `writeUnit` exercised here too: a plain unit reads as no ext address. */
describe('a unit without ext', () => {
  it('reads its tags code as not an ext address', () => {
    const bytes = new Uint8Array(CQ_STORE_UNIT_SIZE);
    writeUnit(viewOf(bytes), 0, 1, 2, -5);
    expect(readExtOffset(viewOf(bytes), 12)).toBe(-1);
  });
});

describe('tagsCodeOfUnit', () => {
  it('reads a plain tags code, or follows an ext address to its ext unit; NaN when that unit is gone', () => {
    const { ext } = newExt();
    const bytes = new Uint8Array(2 * CQ_STORE_UNIT_SIZE);
    const view = viewOf(bytes);
    writeUnit(view, 0, 100, 50, 1_700_000_010_000); // a SCHEDULE_TOPIC_XXXX unit: the deliver time
    writeUnit(view, CQ_STORE_UNIT_SIZE, 150, 50, 0);
    writeExtAddress(view, CQ_STORE_UNIT_SIZE + 12, ext.put(unit(1_700_000_020_000, 1, null)));
    expect(tagsCodeOfUnit(view, 0, ext)).toBe(1_700_000_010_000);
    expect(tagsCodeOfUnit(view, CQ_STORE_UNIT_SIZE, ext)).toBe(1_700_000_020_000);
    expect(tagsCodeOfUnit(view, CQ_STORE_UNIT_SIZE, undefined)).toBeNaN(); // an address, but no ext to read it from
    writeExtAddress(view, CQ_STORE_UNIT_SIZE + 12, 5000);
    expect(tagsCodeOfUnit(view, CQ_STORE_UNIT_SIZE, ext)).toBeNaN();
  });
});
