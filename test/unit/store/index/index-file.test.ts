// IndexFile: golden header/slot/entry bytes for three puts, the Math.abs quirk, the slot
// chain with forced collisions checked against a brute-force model, and the time rules.
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../src/common/bytes.js';
import { INT32_MIN, javaStringHashCode } from '../../../../src/common/java-compat.js';
import { RecordingSink, NodeEvents } from '../../../../src/events/event-sink.js';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { SeededRandom } from '../../../../src/platform/random.js';
import { IndexFile, indexFileTotalSize, indexKeyHashMethod, PENDING_ENTRIES_MAX } from '../../../../src/store/index/index-file.js';
import { IndexHeader, INDEX_HEADER_SIZE } from '../../../../src/store/index/index-header.js';
import { MappedFileIOError } from '../../../../src/store/mapped-file/mapped-file.js';

function newFile(hashSlotNum: number, indexNum: number, events?: NodeEvents): { fs: MemoryFileSystem; file: IndexFile } {
  const fs = new MemoryFileSystem();
  fs.mkdirp('/store/index');
  return { fs, file: IndexFile.create(fs, '/store/index/20240101000000000', hashSlotNum, indexNum, 0, 0, events) };
}

function fileBytes(fs: MemoryFileSystem, path: string): Uint8Array {
  const handle = fs.open(path, 'r');
  const bytes = new Uint8Array(handle.size());
  handle.read(0, bytes);
  handle.close();
  return bytes;
}

describe('indexKeyHashMethod', () => {
  it('indexKeyHashMethod() is abs(hashCode), and 0 for a key hashing to Integer.MIN_VALUE', () => {
    expect(indexKeyHashMethod('T#a')).toBe(81906);
    expect(indexKeyHashMethod('TopicTest#order-1')).toBe(1829193424);
    expect(javaStringHashCode('polygenelubricants')).toBe(INT32_MIN);
    expect(indexKeyHashMethod('polygenelubricants')).toBe(0);
  });
});

describe('IndexFile', () => {
  it('putKey() writes the header, slots and entries byte for byte (4 slots, 5 entries)', () => {
    const { fs, file } = newFile(4, 5);
    expect(indexFileTotalSize(4, 5)).toBe(156);
    // "T#a" and "T#e" both land in slot 2 (81906 % 4, 81910 % 4); "T#b" in slot 3.
    expect(file.putKey('T#a', 100, 1_000_000)).toBe(true);
    expect(file.putKey('T#e', 250, 1_005_500)).toBe(true);
    expect(file.putKey('T#b', 400, 1_010_000)).toBe(true);
    expect(fileBytes(fs, file.path).subarray(40)).toEqual(new Uint8Array(116)); // puts wait in memory for commit()
    expect(file.commit()).toBe(true);
    expect(file.commit()).toBe(false);
    // commit() wrote the entries and the header; the slot table waits for flush() or close().
    expect(fileBytes(fs, file.path).subarray(40, 56)).toEqual(new Uint8Array(16));
    expect(toHex(fileBytes(fs, file.path).subarray(76, 96))).toBe('00013FF2' + '0000000000000064' + '00000000' + '00000000');
    expect(file.hasPendingCommit).toBe(true);
    file.flush();
    expect(file.hasPendingCommit).toBe(false);
    const bytes = fileBytes(fs, file.path);
    expect(toHex(bytes.subarray(0, INDEX_HEADER_SIZE))).toBe([
      '00000000000F4240', // beginTimestamp 1000000 (the first put's store time)
      '00000000000F6950', // endTimestamp 1010000
      '0000000000000064', // beginPhyOffset 100
      '0000000000000190', // endPhyOffset 400
      '00000002', //         hashSlotCount 2 (slots 2 and 3 were empty once)
      '00000004', //         indexCount 4 (entries 1..3 used)
    ].join(''));
    expect(toHex(bytes.subarray(40, 56))).toBe('00000000' + '00000000' + '00000002' + '00000003'); // slots 0..3
    expect(toHex(bytes.subarray(56, 156))).toBe([
      '0000000000000000000000000000000000000000', //                 entry 0: never used
      '00013FF2' + '0000000000000064' + '00000000' + '00000000', // entry 1: T#a, 100, 0 s (no begin time yet), prev 0
      '00013FF6' + '00000000000000FA' + '00000005' + '00000001', // entry 2: T#e, 250, 5 s, prev 1
      '00013FF3' + '0000000000000190' + '0000000A' + '00000000', // entry 3: T#b, 400, 10 s, prev 0
      '0000000000000000000000000000000000000000', //                 entry 4: free
    ].join(''));
    const header = new IndexHeader();
    header.load(bytes);
    expect(toHex(header.encode())).toBe(toHex(bytes.subarray(0, 40)));
  });

  it('putKey() refuses a put once indexCount reaches indexNum (entry 0 is never used)', () => {
    const { file } = newFile(2, 3);
    expect(file.putKey('a', 1, 1000)).toBe(true);
    expect(file.putKey('b', 2, 1000)).toBe(true);
    expect(file.isWriteFull()).toBe(true);
    expect(file.putKey('c', 3, 1000)).toBe(false);
    expect(file.indexCount).toBe(3);
  });

  it('putKey() emits store.index.appended with the slot and the chain link', () => {
    const sink = new RecordingSink(new ManualClock());
    const { file } = newFile(4, 5, new NodeEvents(sink, 'broker-a'));
    file.putKey('T#a', 100, 1_000_000);
    file.putKey('T#e', 250, 1_005_500);
    expect(sink.ofKind('store.index.appended').map((e) => e.data)).toEqual([
      { file: '20240101000000000', key: 'T#a', slot: 2, index: 1, prevIndex: 0, indexCount: 2, physicalOffset: 100 },
      { file: '20240101000000000', key: 'T#e', slot: 2, index: 2, prevIndex: 1, indexCount: 3, physicalOffset: 250 },
    ]);
  });

  it('selectPhyOffset() finds every key among forced collisions, newest first, within the time range', () => {
    // Goal: the chain walk returns exactly what a brute-force scan returns. Method: 3 slots
    // so every chain is long, 40 keys with seeded repeats, store times 0.3 s apart, then
    // compare per key and per time window (at second granularity, as stored).
    const { file } = newFile(3, 1000);
    const random = new SeededRandom(11);
    const base = 1_700_000_000_000;
    const puts: Array<{ key: string; phy: number; ts: number }> = [];
    for (let i = 0; i < 600; i++) {
      const put = { key: `T#k${random.int(40)}`, phy: 1000 + i * 100, ts: base + i * 300 };
      puts.push(put);
      expect(file.putKey(put.key, put.phy, put.ts)).toBe(true);
    }
    const stored = (ts: number): number => base + Math.trunc((ts - base) / 1000) * 1000;
    for (let k = 0; k < 40; k++) {
      const key = `T#k${k}`;
      for (const [begin, end] of [[0, Number.MAX_SAFE_INTEGER], [base + 30_000, base + 90_000], [base + 179_000, base + 179_500]] as const) {
        const expected = puts.filter((p) => p.key === key && stored(p.ts) >= begin && stored(p.ts) <= end).map((p) => p.phy).reverse();
        const found: number[] = [];
        file.selectPhyOffset(found, key, 10_000, begin, end);
        expect(found, `${key} in [${begin}, ${end}]`).toEqual(expected);
      }
    }
    const capped: number[] = [];
    file.selectPhyOffset(capped, 'T#k1', 2, 0, Number.MAX_SAFE_INTEGER);
    expect(capped).toHaveLength(2);
  });

  it('selectPhyOffset() returns both keys when their hashes collide exactly (the caller re-checks)', () => {
    const { file } = newFile(16, 10);
    file.putKey('T#Aa', 10, 5000);
    file.putKey('T#BB', 20, 6000);
    const found: number[] = [];
    file.selectPhyOffset(found, 'T#Aa', 10, 0, 10_000);
    expect(found).toEqual([20, 10]);
  });

  it('isTimeMatched() accepts ranges that overlap or contain the file\'s range', () => {
    const { file } = newFile(4, 10);
    file.putKey('a', 1, 10_000);
    file.putKey('b', 2, 20_000);
    expect(file.isTimeMatched(0, 5_000)).toBe(false);
    expect(file.isTimeMatched(0, 10_000)).toBe(true);
    expect(file.isTimeMatched(15_000, 16_000)).toBe(true);
    expect(file.isTimeMatched(5_000, 25_000)).toBe(true);
    expect(file.isTimeMatched(20_001, 30_000)).toBe(false);
  });

  it('create() seeds a following file with the previous end, and its first entry keeps the quirky timeDiff', () => {
    const fs = new MemoryFileSystem();
    fs.mkdirp('/i');
    const file = IndexFile.create(fs, '/i/20240101000000001', 4, 10, 5000, 100_000);
    expect([file.beginPhyOffset, file.endPhyOffset, file.beginTimestamp, file.endTimestamp]).toEqual([5000, 5000, 100_000, 100_000]);
    file.putKey('a', 6000, 107_000);
    expect([file.beginTimestamp, file.beginPhyOffset]).toEqual([107_000, 6000]);
    // Java: the entry's timeDiff was computed against the seeded begin (7 s), then begin moved.
    const found: number[] = [];
    file.selectPhyOffset(found, 'a', 10, 114_000, 114_000);
    expect(found).toEqual([6000]);
  });

  it('open() reloads the header from disk and refuses a file of another size', () => {
    const { fs, file } = newFile(4, 5);
    file.putKey('T#a', 100, 1_000_000);
    file.flush();
    file.close();
    const again = IndexFile.open(fs, file.path, 4, 5)!;
    expect([again.indexCount, again.endPhyOffset, again.hashSlotCount]).toEqual([2, 100, 1]);
    const found: number[] = [];
    again.selectPhyOffset(found, 'T#a', 10, 0, 2_000_000);
    expect(found).toEqual([100]);
    again.close();
    expect(IndexFile.open(fs, file.path, 4, 6)).toBeUndefined();
  });

  it('commit() and flush() on a failing disk throw MappedFileIOError, the store\'s one error type for file IO', () => {
    const { fs, file } = newFile(4, 5);
    fs.failWrites('EIO');
    let thrown: unknown;
    expect(file.putKey('T#a', 100, 1_000_000)).toBe(true);
    try {
      file.commit();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MappedFileIOError);
    expect(thrown).toMatchObject({ operation: 'write', path: file.path });
    expect(() => file.flush()).toThrow(MappedFileIOError);
    expect(() => IndexFile.create(fs, '/store/index/20240101000000001', 4, 5, 0, 0)).toThrow(MappedFileIOError);
  });

  it('selectPhyOffset() never revisits an entry: a chain whose prevIndex points forward (garbage) ends there', () => {
    // Goal: garbage cannot make the walk loop forever. Method: two entries of one key whose
    // prevIndex fields point at each other; the walk must return each offset once.
    const { fs, file } = newFile(4, 10);
    file.putKey('T#a', 100, 1_000_000);
    file.putKey('T#a', 200, 1_000_000);
    file.flush();
    const handle = fs.open(file.path, 'rw');
    const entry1PrevIndex = INDEX_HEADER_SIZE + 4 * 4 + 1 * 20 + 16;
    handle.write(entry1PrevIndex, new Uint8Array([0, 0, 0, 2])); // entry 1 now points at entry 2
    const found: number[] = [];
    file.selectPhyOffset(found, 'T#a', 100, 0, Number.MAX_SAFE_INTEGER);
    expect(found).toEqual([200, 100]);
  });

  it('open() of a file whose header is garbage answers a file marked damaged instead of trusting it', () => {
    const { fs, file } = newFile(4, 5);
    file.putKey('T#a', 100, 1_000_000);
    file.flush();
    file.close();
    const handle = fs.open(file.path, 'rw');
    handle.write(0, new Uint8Array(INDEX_HEADER_SIZE).fill(0xff));
    const again = IndexFile.open(fs, file.path, 4, 5)!;
    expect(again.damaged).toBe(true);
    const found: number[] = [];
    again.selectPhyOffset(found, 'T#a', 10, 0, Number.MAX_SAFE_INTEGER);
    expect(found).toEqual([]);
  });
  it('keeps puts in memory until commit() (entries) and flush() or close() (slots), commits by itself when the pending buffer is full, and a reopened file goes on from its slot table on disk', () => {
    // Goal: batching changes when bytes reach the file, never which bytes. Method: the same
    // puts into two files, one committed after every put, one only when it must; compare
    // the bytes, then reopen the batched one, put more, and query old and new keys.
    const fs = new MemoryFileSystem();
    fs.mkdirp('/i');
    const eager = IndexFile.create(fs, '/i/20240101000000000', 64, 10_000, 0, 0);
    const batched = IndexFile.create(fs, '/i/20240101000000001', 64, 10_000, 0, 0);
    const keyOf = (i: number): string => `T#k${i % 300}`;
    for (let i = 0; i < PENDING_ENTRIES_MAX + 100; i++) {
      eager.putKey(keyOf(i), 1000 + i, 1_000_000 + i * 10);
      eager.flush();
      batched.putKey(keyOf(i), 1000 + i, 1_000_000 + i * 10);
    }
    expect(batched.hasPendingCommit).toBe(true); // the first PENDING_ENTRIES_MAX went to the file on their own
    expect(fileBytes(fs, batched.path).subarray(0, 40)).not.toEqual(fileBytes(fs, eager.path).subarray(0, 40));
    const found: number[] = [];
    batched.selectPhyOffset(found, keyOf(7), 100, 0, Number.MAX_SAFE_INTEGER); // from memory and from disk
    expect(found).toEqual(Array.from({ length: 14 }, (_, n) => 1007 + (13 - n) * 300));
    batched.close(); // commits, and writes the slot table
    expect(toHex(fileBytes(fs, batched.path))).toBe(toHex(fileBytes(fs, eager.path)));

    const again = IndexFile.open(fs, batched.path, 64, 10_000)!;
    again.putKey(keyOf(7), 99_999, 2_000_000);
    const after: number[] = [];
    again.selectPhyOffset(after, keyOf(7), 3, 0, Number.MAX_SAFE_INTEGER);
    expect(after).toEqual([99_999, 1007 + 13 * 300, 1007 + 12 * 300]);
    again.flush();
    expect(again.hasPendingCommit).toBe(false);
  });
});
