import { describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { toHex, viewOf } from '../../../../src/common/bytes.js';
import { WriteBufferPool } from '../../../../src/store/mapped-file/write-buffer-pool.js';
import {
  ConsumeQueue, CQ_FILLER_SIZE, CQ_STORE_UNIT_SIZE, unitPhysicalOffset, unitSize, unitTagsCode, writeUnit,
} from '../../../../src/store/consumequeue/consume-queue.js';
import { recordingEvents } from '../store-test-support.js';

const UNITS_PER_FILE = 10;

interface Setup {
  fs: MemoryFileSystem;
  cq: ConsumeQueue;
  storeTimes: Map<number, number>;
  minPhy: { value: number };
}

function setup(fs = new MemoryFileSystem(), storeTimes = new Map<number, number>()): Setup & ReturnType<typeof recordingEvents> {
  const clock = new ManualClock(0);
  const recorded = recordingEvents(clock);
  const minPhy = { value: 0 };
  const cq = new ConsumeQueue({
    topic: 'TopicA', queueId: 3, fs, storePathRootDir: '/store', mappedFileSize: UNITS_PER_FILE * CQ_STORE_UNIT_SIZE, clock,
    writeBufferPool: new WriteBufferPool(UNITS_PER_FILE * CQ_STORE_UNIT_SIZE), events: recorded.events,
    pickupStoreTimestamp: (offset) => storeTimes.get(offset) ?? -1,
    getMinPhyOffset: () => minPhy.value,
  });
  return { fs, cq, storeTimes, minPhy, ...recorded };
}

/** Put units for queue offsets [from, to): record i at physical offset i * 100, 100 bytes, tags code i. */
function putRange(cq: ConsumeQueue, from: number, to: number): void {
  for (let i = from; i < to; i++) expect(cq.putMessagePositionInfo(i * 100, 100, i, i)).toBe(true);
}

describe('ConsumeQueue', () => {
  it('writes a unit as 8 + 4 + 8 big-endian bytes: offset, size, tags code', () => {
    const unit = new Uint8Array(CQ_STORE_UNIT_SIZE);
    writeUnit(viewOf(unit), 0, 0x0102030405, 0x123, -2);
    expect(toHex(unit)).toBe('0000000102030405' + '00000123' + 'FFFFFFFFFFFFFFFE');
    expect([unitPhysicalOffset(viewOf(unit), 0), unitSize(viewOf(unit), 0), unitTagsCode(viewOf(unit), 0)]).toEqual([0x0102030405, 0x123, -2]);
  });

  it('putMessagePositionInfo() appends unit i at byte i × 20 and rolls to the next file after 10 units', () => {
    const { cq, fs, sink } = setup();
    putRange(cq, 0, 12);
    cq.commit();
    expect(cq.mappedFileQueue.mappedFiles.map((f) => f.fileName)).toEqual(['00000000000000000000', '00000000000000000200']);
    expect(fs.exists('/store/consumequeue/TopicA/3/00000000000000000200')).toBe(true);
    expect(cq.getMinOffsetInQueue()).toBe(0);
    expect(cq.getMaxOffsetInQueue()).toBe(12);
    expect(cq.getUnit(11)).toEqual({ physicalOffset: 1100, size: 100, tagsCode: 11 });
    expect(cq.maxPhysicOffset).toBe(1200);
    const event = sink.ofKind('store.consumequeue.appended')[11]!;
    expect(event.data).toEqual({ topic: 'TopicA', queueId: 3, queueOffset: 11, physOffset: 1100, size: 100, tagsCode: 11, filled: 0 });
  });

  it('putMessagePositionInfo() skips a unit that was already built (re-dispatch is idempotent)', () => {
    const { cq } = setup();
    putRange(cq, 0, 5);
    expect(cq.putMessagePositionInfo(300, 100, 3, 3)).toBe(true); // below maxPhysicOffset
    cq.maxPhysicOffset = -1; // even without that guard, queue offset 3 is behind the end
    expect(cq.putMessagePositionInfo(300, 100, 3, 3)).toBe(true);
    expect(cq.getMaxOffsetInQueue()).toBe(5);
  });

  it('putMessagePositionInfo() fills a hole with filler units so that unit i stays queue offset i', () => {
    const { cq, sink } = setup();
    putRange(cq, 0, 2);
    expect(cq.putMessagePositionInfo(900, 100, 9, 5)).toBe(true);
    expect(cq.getMaxOffsetInQueue()).toBe(6);
    expect(cq.getUnit(3)).toEqual({ physicalOffset: 0, size: CQ_FILLER_SIZE, tagsCode: 0 });
    expect(cq.getUnit(5)).toEqual({ physicalOffset: 900, size: 100, tagsCode: 9 });
    expect(sink.ofKind('store.consumequeue.appended').at(-1)!.data.filled).toBe(3);
  });

  it('a queue whose first message has queue offset 23 starts in file "…400", pre-filled, with min offset 23', () => {
    const { cq } = setup();
    expect(cq.putMessagePositionInfo(5000, 50, 1, 23)).toBe(true);
    expect(cq.mappedFileQueue.mappedFiles.map((f) => f.fileName)).toEqual(['00000000000000000400']);
    expect(cq.getMinOffsetInQueue()).toBe(23);
    expect(cq.getMaxOffsetInQueue()).toBe(24);
    expect(cq.getUnit(20)!.size).toBe(CQ_FILLER_SIZE);
    expect(cq.getUnit(23)).toEqual({ physicalOffset: 5000, size: 50, tagsCode: 1 });
  });

  it('getIndexBuffer() returns the units from a queue offset to the end of its file, bounded by maxUnits', () => {
    const { cq } = setup();
    putRange(cq, 0, 14);
    const buffer = cq.getIndexBuffer(7)!;
    expect(buffer.startOffset).toBe(7 * CQ_STORE_UNIT_SIZE);
    expect(buffer.size).toBe(3 * CQ_STORE_UNIT_SIZE); // units 7, 8, 9: the rest of file 0
    expect(unitPhysicalOffset(viewOf(buffer.bytes), CQ_STORE_UNIT_SIZE)).toBe(800);
    expect(cq.getIndexBuffer(10, 2)!.size).toBe(2 * CQ_STORE_UNIT_SIZE);
    expect(cq.getIndexBuffer(14)).toBeUndefined();
    expect(cq.rollNextFile(7)).toBe(10);
  });

  it('getOffsetInQueueByTime() answers an exact match, else the closer neighbour, skipping deleted data', () => {
    const storeTimes = new Map<number, number>();
    // Queue offsets 0..9 stored at times 1000, 1020, ... 1180.
    for (let i = 0; i < 10; i++) storeTimes.set(i * 100, 1000 + i * 20);
    const { cq, minPhy } = setup(new MemoryFileSystem(), storeTimes);
    putRange(cq, 0, 10);
    expect(cq.getOffsetInQueueByTime(1060)).toBe(3);
    expect(cq.getOffsetInQueueByTime(1065)).toBe(3); // 5 ms from 1060, 15 from 1080
    expect(cq.getOffsetInQueueByTime(1075)).toBe(4);
    expect(cq.getOffsetInQueueByTime(10)).toBe(0);
    expect(cq.getOffsetInQueueByTime(99_999)).toBe(9);
    minPhy.value = 500; // offsets 0..4 point at deleted data
    expect(cq.getOffsetInQueueByTime(1000)).toBe(5);
  });

  it('recover() after a crash keeps the flushed units and cuts at the first zeroed unit', () => {
    const fs = new MemoryFileSystem();
    const first = setup(fs);
    putRange(first.cq, 0, 13);
    first.cq.flush(0); // file 0 (units 0..9) is durable
    first.cq.flush(0); // file 200 up to unit 12
    putRange(first.cq, 13, 16); // not flushed
    first.cq.commit();
    fs.crash();

    const { cq } = setup(fs);
    expect(cq.load()).toBe(true);
    cq.recover();
    expect(cq.getMaxOffsetInQueue()).toBe(13);
    expect(cq.maxPhysicOffset).toBe(1300);
    expect(cq.getLastOffset()).toBe(1300);
    putRange(cq, 13, 14);
    expect(cq.getUnit(13)).toEqual({ physicalOffset: 1300, size: 100, tagsCode: 13 });
  });

  it('truncateDirtyLogicFiles() drops units pointing at or past the commit log cut, deleting emptied files', () => {
    const { cq } = setup();
    putRange(cq, 0, 25);
    cq.truncateDirtyLogicFiles(1300); // keeps the units whose records end by 1300: records at 0 .. 1200
    expect(cq.mappedFileQueue.mappedFiles.map((f) => f.fileName)).toEqual(['00000000000000000000', '00000000000000000200']);
    expect(cq.getMaxOffsetInQueue()).toBe(13);
    expect(cq.maxPhysicOffset).toBe(1300);
    cq.truncateDirtyLogicFiles(1250); // the record at 1200 would cross the cut: no real record does, so it goes
    expect(cq.getMaxOffsetInQueue()).toBe(12);
    expect(cq.maxPhysicOffset).toBe(1200);
    cq.truncateDirtyLogicFiles(1000);
    expect(cq.mappedFileQueue.mappedFiles.map((f) => f.fileName)).toEqual(['00000000000000000000']);
    expect(cq.getMaxOffsetInQueue()).toBe(10);
  });

  it('deleteExpiredFile() removes files pointing below the commit log min offset and corrects the min offset', () => {
    const { cq } = setup();
    putRange(cq, 0, 25);
    expect(cq.deleteExpiredFile(1500)).toBe(1); // file 0 ends at record 900; file 200 ends at 1900
    expect(cq.getMinOffsetInQueue()).toBe(15);
    expect(cq.getMessageTotalInQueue()).toBe(10);
    expect(cq.getIndexBuffer(12)).toBeUndefined(); // below the min offset
  });

  it('recover() stops at a unit whose offset is not a safe integer, or is negative, or goes backwards, and marks the queue damaged', () => {
    for (const garbage of [[0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0, 0, 0, 0, 0, 0, 0, 1]]) {
      const fs = new MemoryFileSystem();
      const first = setup(fs);
      putRange(first.cq, 0, 8);
      first.cq.mappedFileQueue.shutdown();
      const handle = fs.open('/store/consumequeue/TopicA/3/00000000000000000000', 'rw');
      handle.write(5 * CQ_STORE_UNIT_SIZE, new Uint8Array(garbage)); // unit 5's COMMITLOG OFFSET
      handle.flush();

      const { cq } = setup(fs);
      expect(cq.load()).toBe(true);
      expect(() => cq.recover()).not.toThrow();
      expect(cq.getMaxOffsetInQueue()).toBe(5);
      expect(cq.maxPhysicOffset).toBe(500);
      expect(cq.damaged).toBe(true);
    }
  });

  it('getUnit(), getOffsetInQueueByTime() and correctMinOffset() read a garbage unit as no unit instead of throwing', () => {
    const storeTimes = new Map<number, number>();
    for (let i = 0; i < 10; i++) storeTimes.set(i * 100, 1000 + i * 20);
    const { cq, fs } = setup(new MemoryFileSystem(), storeTimes);
    putRange(cq, 0, 10);
    cq.commit();
    const handle = fs.open('/store/consumequeue/TopicA/3/00000000000000000000', 'rw');
    handle.write(0, new Uint8Array(8).fill(0x7f)); // unit 0: offset beyond 2^53
    handle.write(4 * CQ_STORE_UNIT_SIZE, new Uint8Array(8).fill(0x7f)); // unit 4 too
    expect(cq.getUnit(0)).toBeUndefined();
    expect(() => cq.getOffsetInQueueByTime(1080)).not.toThrow();
    cq.correctMinOffset(0);
    expect(cq.getMinOffsetInQueue()).toBe(1);
  });

  it('putMessagePositionInfo() puts a unit whose queue offset is more than a file past the end at the end (Java), and refuses an impossible one', () => {
    const { cq, fs } = setup();
    putRange(cq, 0, 2);
    expect(cq.putMessagePositionInfo(900, 100, 9, 1_000_000_000)).toBe(true); // a garbage QUEUEOFFSET: no gigabytes of fillers
    expect(cq.getMaxOffsetInQueue()).toBe(3);
    expect(cq.getUnit(2)).toEqual({ physicalOffset: 900, size: 100, tagsCode: 9 });
    expect(cq.putMessagePositionInfo(1000, 100, 0, -1)).toBe(false);
    expect(cq.putMessagePositionInfo(1000, 100, 0, 2 ** 52)).toBe(false); // × 20 is not a safe integer
    expect(cq.getMaxOffsetInQueue()).toBe(3);
    expect(fs.list('/store/consumequeue/TopicA/3')).toEqual(['00000000000000000000']);
  });
});
