import { describe, expect, it } from 'vitest';
import { CleanCommitLogService } from '../../../../src/store/maintenance/clean-commit-log-service.js';
import { CleanConsumeQueueService } from '../../../../src/store/maintenance/clean-consume-queue-service.js';
import { HOUR_MS, MIDNIGHT, storeFixture, type StoreFixture } from './maintenance-test-support.js';

/*
 * The fixture's records are 117 bytes, so a 1024-byte segment holds 8 of them (8 x 117 + 8
 * <= 1024) and message i sits at floor(i / 8) * 1024 + (i % 8) * 117. A consume-queue file
 * holds 10 units (teaching profile) and an index file 31 keys (one UNIQ_KEY per message):
 *
 *   segments     0: msgs 0-7   1024: 8-15   2048: 16-23   3072: 24-31   4096: 32
 *   CQ files     0: units 0-9 (last -> seg 1024)   200: 10-19 (-> 2048)
 *                400: 20-29 (-> 3072)              600: 30-32 (last file)
 *   index files  #0: msgs 0-30, end offset 3072 + 6 x 117 = 3774    #1: msgs 31-32
 */
function services(f: StoreFixture) {
  const commitLogCleaner = new CleanCommitLogService({ clock: f.clock, fs: f.fs, events: f.events, config: f.config, commitLog: f.commitLog });
  const cleaner = new CleanConsumeQueueService({
    clock: f.clock, events: f.events, config: f.config, commitLog: f.commitLog,
    consumeQueueTable: f.consumeQueueTable, indexService: f.indexService,
  });
  return { commitLogCleaner, cleaner };
}

/** Segments 0 and 1 last written at 00:00, segments 2 and 3 at 02:00, segment 4 the last. */
async function twoAgesOfSegments(f: StoreFixture): Promise<void> {
  await f.fillSegments(3);
  await f.clock.advanceTo(MIDNIGHT + 2 * HOUR_MS);
  await f.fillSegments(5);
}

const cqFiles = (f: StoreFixture) => f.consumeQueueTable.findConsumeQueue('TopicA', 0).mappedFileQueue.mappedFiles.map((m) => m.fileFromOffset);

describe('CleanConsumeQueueService', () => {
  it('runOnce() deletes consume-queue files whose last unit points below the commit-log min offset, and moves the min queue offset', async () => {
    const f = storeFixture({ config: { fileReservedTime: 3, deleteWhen: '04;06' } });
    await twoAgesOfSegments(f);
    const queue = f.consumeQueueTable.findConsumeQueue('TopicA', 0);
    expect(queue.getUnit(16)!.physicalOffset).toBe(2048);
    expect(cqFiles(f)).toEqual([0, 200, 400, 600]);
    const { commitLogCleaner, cleaner } = services(f);

    await f.clock.advanceTo(MIDNIGHT + 4 * HOUR_MS);
    expect(commitLogCleaner.runOnce().deleted).toBe(2); // segments 0 and 1: min offset 2048
    expect(cleaner.runOnce()).toEqual({ minOffset: 2048, consumeQueueFiles: 1, indexFiles: 0 });
    expect(cqFiles(f)).toEqual([200, 400, 600]);
    expect(queue.getMinOffsetInQueue()).toBe(16); // units 10-15 of file 200 point at deleted data

    await f.clock.advanceTo(MIDNIGHT + 6 * HOUR_MS);
    expect(commitLogCleaner.runOnce().deleted).toBe(2); // segments 2 and 3: min offset 4096
    expect(cleaner.runOnce()).toEqual({ minOffset: 4096, consumeQueueFiles: 2, indexFiles: 1 });
    expect(cqFiles(f)).toEqual([600]);
    expect(queue.getMinOffsetInQueue()).toBe(32);
    expect(queue.getMaxOffsetInQueue()).toBe(33);
    expect(f.indexService.indexFiles.map((file) => file.endPhyOffset)).toEqual([4096]);

    expect(f.sink.ofKind('store.clean.files-deleted').map((e) => e.data)).toEqual([
      { target: 'commitlog', count: 2, minOffset: 2048, reason: 'expired' },
      { target: 'consumequeue', count: 1, minOffset: 2048, reason: 'expired' },
      { target: 'commitlog', count: 2, minOffset: 4096, reason: 'expired' },
      { target: 'consumequeue', count: 2, minOffset: 4096, reason: 'expired' },
      { target: 'index', count: 1, minOffset: 4096, reason: 'expired' },
    ]);
  });

  it('runOnce() does nothing until the commit-log min offset moves past the one it last cleaned at', async () => {
    const f = storeFixture();
    await f.fillSegments(5);
    const { cleaner } = services(f);
    expect(cleaner.runOnce()).toEqual({ minOffset: 0, consumeQueueFiles: 0, indexFiles: 0 });

    f.commitLog.deleteExpiredFile(0, true); // every segment but the last
    expect(cleaner.runOnce()).toEqual({ minOffset: 4096, consumeQueueFiles: 3, indexFiles: 1 });
    const events = f.sink.events.length;
    expect(cleaner.runOnce()).toEqual({ minOffset: 4096, consumeQueueFiles: 0, indexFiles: 0 });
    expect(f.sink.events.length).toBe(events);
  });

  it('runOnce() cleans every queue of every topic, each by its own last units', async () => {
    const f = storeFixture();
    await f.put(12, { topic: 'TopicB', queueId: 3 }); // msgs 0-11: segments 0 and 1
    await f.fillSegments(5); // TopicA-0 gets the rest
    const topicB = f.consumeQueueTable.findConsumeQueue('TopicB', 3);
    expect(topicB.mappedFileQueue.mappedFiles.map((m) => m.fileFromOffset)).toEqual([0, 200]);
    const { cleaner } = services(f);

    f.commitLog.deleteExpiredFile(0, true);
    cleaner.runOnce();
    // TopicB's last file stays (a queue keeps its last file) though all its units are dead.
    expect(topicB.mappedFileQueue.mappedFiles.map((m) => m.fileFromOffset)).toEqual([200]);
    expect(cqFiles(f).length).toBe(1);
  });

  it('start() runs 60 s after start and every cleanResourceInterval, right after the commit-log cleaner of the same round', async () => {
    const f = storeFixture({ config: { fileReservedTime: 1 } });
    await f.fillSegments(5);
    await f.clock.advanceTo(MIDNIGHT + 4 * HOUR_MS);
    const { commitLogCleaner, cleaner } = services(f);
    const startedAt = f.clock.now();
    commitLogCleaner.start(); // the store starts them in this order
    cleaner.start();

    await f.clock.advance(60_000);
    const kinds = f.sink.ofKind('store.clean.files-deleted').map((e) => [MIDNIGHT + e.at - startedAt, e.data.target]);
    expect(kinds).toEqual([[60_000, 'commitlog'], [60_000, 'consumequeue'], [60_000, 'index']]);
    expect(cqFiles(f)).toEqual([600]);
    commitLogCleaner.shutdown();
    cleaner.shutdown();
  });
});
