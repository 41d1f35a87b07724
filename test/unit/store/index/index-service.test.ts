// IndexService: indexing dispatched messages, querying across rolled files, naming, the
// checkpoint hand-off, reload after a clean and a crashed run, and expiry.
import { describe, expect, it } from 'vitest';
import { MessageSysFlag } from '../../../../src/common/message/message-sys-flag.js';
import { NodeEvents, RecordingSink } from '../../../../src/events/event-sink.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import { StoreCheckpoint } from '../../../../src/store/checkpoint/store-checkpoint.js';
import type { DispatchRequest } from '../../../../src/store/dispatch/dispatch-request.js';
import { dispatchRequestOfSize } from '../../../../src/store/dispatch/dispatch-request.js';
import { IndexService, type IndexServiceOptions } from '../../../../src/store/index/index-service.js';

const START = Date.UTC(2024, 0, 1, 12, 0, 0, 0);
const ROOT = '/store';

function request(commitLogOffset: number, storeTimestamp: number, keys: string, uniqKey?: string, sysFlag = 0): DispatchRequest {
  return { ...dispatchRequestOfSize(100, true), topic: 'T', commitLogOffset, storeTimestamp, keys, uniqKey, sysFlag };
}

function setup(options: Partial<IndexServiceOptions> = {}) {
  const fs = options.fs ?? new MemoryFileSystem();
  const clock = new ManualClock(START);
  const sink = new RecordingSink(clock);
  const events = new NodeEvents(sink, 'broker-a');
  const checkpoint = StoreCheckpoint.load(fs, `${ROOT}/checkpoint`);
  const service = new IndexService({ fs, clock, storePathRootDir: ROOT, checkpoint, events, maxHashSlotNum: 8, maxIndexNum: 100, ...options });
  service.load(true);
  return { fs, clock, sink, checkpoint, service };
}

describe('IndexService', () => {
  it('buildIndex() indexes the UNIQ_KEY and every KEYS entry as topic#key; queryOffset() finds them', () => {
    const { service } = setup();
    service.buildIndex(request(1000, START + 1000, 'k1  k2', 'U1'));
    service.buildIndex(request(2000, START + 2000, 'k1'));
    expect(service.indexFiles).toHaveLength(1);
    expect(service.indexFiles[0]!.indexCount).toBe(5); // entry 0 unused + U1, k1, k2, k1
    expect(service.queryOffset('T', 'k1', 10, 0, Number.MAX_SAFE_INTEGER).phyOffsets).toEqual([2000, 1000]);
    expect(service.queryOffset('T', 'U1', 10, 0, Number.MAX_SAFE_INTEGER).phyOffsets).toEqual([1000]);
    expect(service.queryOffset('Other', 'k1', 10, 0, Number.MAX_SAFE_INTEGER).phyOffsets).toEqual([]);
    const result = service.queryOffset('T', 'k2', 10, 0, Number.MAX_SAFE_INTEGER);
    expect(result).toEqual({ phyOffsets: [1000], indexLastUpdateTimestamp: START + 2000, indexLastUpdatePhyoffset: 2000 });
  });

  it('buildIndex() skips ROLLBACK records and offsets already indexed (re-dispatch), but indexes PREPARED ones', () => {
    const { service } = setup();
    service.buildIndex(request(1000, START, 'a', undefined, MessageSysFlag.TRANSACTION_PREPARED_TYPE));
    service.buildIndex(request(2000, START, 'b', undefined, MessageSysFlag.TRANSACTION_ROLLBACK_TYPE));
    service.buildIndex(request(3000, START, 'c'));
    service.buildIndex(request(1000, START, 'a')); // below endPhyOffset 3000: already done
    expect(service.indexFiles[0]!.indexCount).toBe(3);
    expect(service.queryOffset('T', 'a', 10, 0, Number.MAX_SAFE_INTEGER).phyOffsets).toEqual([1000]);
    expect(service.queryOffset('T', 'b', 10, 0, Number.MAX_SAFE_INTEGER).phyOffsets).toEqual([]);
  });

  it('buildIndex() rolls to a new file when one is full, names it after the clock, flushes the full one and moves the checkpoint', () => {
    const { service, sink, clock, checkpoint, fs } = setup({ maxIndexNum: 4 }); // 3 entries per file
    for (let i = 1; i <= 7; i++) service.buildIndex(request(i * 100, START + i * 1000, `k${i}`));
    // The clock never moved, so names step by 1 ms to stay unique and ordered.
    expect(service.indexFiles.map((f) => f.fileName)).toEqual(['20240101120000000', '20240101120000001', '20240101120000002']);
    expect(fs.list(`${ROOT}/index`)).toEqual(['20240101120000000', '20240101120000001', '20240101120000002']);
    expect(service.indexFiles.map((f) => [f.beginPhyOffset, f.endPhyOffset])).toEqual([[100, 300], [400, 600], [700, 700]]);
    expect(checkpoint.indexMsgTimestamp).toBe(START + 6000);
    expect(sink.ofKind('store.index.file-flushed').map((e) => [e.data.file, e.data.full])).toEqual([
      ['20240101120000000', true], ['20240101120000001', true],
    ]);
    expect(sink.ofKind('store.index.file-created')).toHaveLength(3);
    expect(clock.now()).toBe(START);
    // A query walks newest to oldest and can span files.
    expect(service.queryOffset('T', 'k2', 10, 0, Number.MAX_SAFE_INTEGER).phyOffsets).toEqual([200]);
    expect(service.queryOffset('T', 'k7', 10, 0, Number.MAX_SAFE_INTEGER).phyOffsets).toEqual([700]);
  });

  it('queryOffset() caps results at maxMsgsNumBatch and respects the time range', () => {
    const { service } = setup({ maxMsgsNumBatch: 3 });
    for (let i = 1; i <= 10; i++) service.buildIndex(request(i * 100, START + i * 1000, 'same'));
    expect(service.queryOffset('T', 'same', 64, 0, Number.MAX_SAFE_INTEGER).phyOffsets).toEqual([1000, 900, 800]);
    expect(service.queryOffset('T', 'same', 64, START + 2000, START + 3000).phyOffsets).toEqual([300, 200]);
  });

  it('load(true) after shutdown() reopens every file; load(false) after a crash drops files newer than the checkpoint', () => {
    const fs = new MemoryFileSystem();
    const first = setup({ fs, maxIndexNum: 4 });
    for (let i = 1; i <= 7; i++) first.service.buildIndex(request(i * 100, START + i * 1000, `k${i}`));
    first.service.shutdown();
    first.checkpoint.shutdown();
    const clean = setup({ fs, maxIndexNum: 4 });
    expect(clean.service.indexFiles).toHaveLength(3);
    expect(clean.service.queryOffset('T', 'k7', 10, 0, Number.MAX_SAFE_INTEGER).phyOffsets).toEqual([700]);
    clean.service.buildIndex(request(800, START + 8000, 'k8'));
    clean.service.buildIndex(request(900, START + 9000, 'k9')); // third file now full, nothing flushed
    fs.crash();

    const clock = new ManualClock(START);
    const checkpoint = StoreCheckpoint.load(fs, `${ROOT}/checkpoint`);
    expect(checkpoint.indexMsgTimestamp).toBe(START + 6000);
    const sink = new RecordingSink(clock);
    const recovered = new IndexService({
      fs, clock, storePathRootDir: ROOT, checkpoint, maxHashSlotNum: 8, maxIndexNum: 4, events: new NodeEvents(sink, 'broker-a'),
    });
    recovered.load(false);
    // The third file ended at START + 7000 on disk (its shutdown flush), after the checkpoint: dropped for re-dispatch.
    expect(recovered.indexFiles.map((f) => f.fileName)).toEqual(['20240101120000000', '20240101120000001']);
    expect(sink.ofKind('store.index.file-deleted').map((e) => e.data.reason)).toEqual(['after-checkpoint']);
    expect(fs.list(`${ROOT}/index`)).toHaveLength(2);
  });

  it('deleteExpiredFile() removes leading files that end below the offset, never the last one', () => {
    const { service, fs } = setup({ maxIndexNum: 3 }); // 2 entries per file
    for (let i = 1; i <= 6; i++) service.buildIndex(request(i * 100, START + i * 1000, `k${i}`));
    expect(service.indexFiles.map((f) => f.endPhyOffset)).toEqual([200, 400, 600]);
    service.deleteExpiredFile(200);
    expect(service.indexFiles).toHaveLength(3);
    service.deleteExpiredFile(450);
    expect(service.indexFiles.map((f) => f.endPhyOffset)).toEqual([600]);
    service.deleteExpiredFile(10_000);
    expect(service.indexFiles).toHaveLength(1);
    expect(fs.list(`${ROOT}/index`)).toHaveLength(1);
    service.destroy();
    expect(fs.list(`${ROOT}/index`)).toEqual([]);
  });

  it('load() deletes the first damaged file and every newer one, and truncateDirtyFiles() then asks for a reindex from the last kept end', () => {
    const fs = new MemoryFileSystem();
    const first = setup({ fs, maxIndexNum: 4 });
    for (let i = 1; i <= 8; i++) first.service.buildIndex(request(i * 100, START + i * 1000, `k${i}`));
    first.service.shutdown();
    first.checkpoint.shutdown();
    const names = fs.list(`${ROOT}/index`);
    expect(names).toHaveLength(3);
    const handle = fs.open(`${ROOT}/index/${names[1]!}`, 'rw');
    handle.write(0, new Uint8Array(8).fill(0xff)); // beginTimestamp -1: not a header this code wrote
    handle.flush();

    const { service, sink } = setup({ fs, maxIndexNum: 4 });
    expect(service.indexFiles.map((f) => f.fileName)).toEqual([names[0]]);
    expect(sink.ofKind('store.index.file-deleted').map((e) => [e.data.file, e.data.reason])).toEqual([[names[1], 'truncated'], [names[2], 'truncated']]);
    expect(fs.list(`${ROOT}/index`)).toEqual([names[0]]);
    expect(service.truncateDirtyFiles(10_000)).toBe(300); // the first file ended at the record at 300
    expect(service.truncateDirtyFiles(10_000)).toBeUndefined(); // asked once
  });

  it('queryOffset() skips a file it cannot read, with a store.io.failed event, and answers from the others', () => {
    const { service, sink } = setup({ maxIndexNum: 3 }); // 2 entries per file
    for (let i = 1; i <= 4; i++) service.buildIndex(request(i * 100, START + i * 1000, 'same'));
    service.indexFiles[1]!.close(); // its handle is gone: every read throws
    expect(service.queryOffset('T', 'same', 10, 0, Number.MAX_SAFE_INTEGER).phyOffsets).toEqual([200, 100]);
    expect(sink.ofKind('store.io.failed').map((e) => e.data.operation)).toEqual(['index query']);
  });
});
