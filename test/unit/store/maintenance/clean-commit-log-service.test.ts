import { describe, expect, it } from 'vitest';
import {
  CleanCommitLogService, diskPartitionSpaceUsedPercent, isItTimeToDo, MAX_MANUAL_DELETE_FILE_TIMES,
} from '../../../../src/store/maintenance/clean-commit-log-service.js';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import { HOUR_MS, MIDNIGHT, ROOT, SEGMENT_BYTES, storeFixture, storeFixtureAtUsage, type StoreFixture } from './maintenance-test-support.js';

/** The service over a fixture, recording every disk verdict it hands the store. */
function cleaner(f: StoreFixture, utcOffsetMinutes?: number) {
  const diskFullCalls: boolean[] = [];
  const service = new CleanCommitLogService({
    clock: f.clock, fs: f.fs, events: f.events, config: f.config, commitLog: f.commitLog,
    setDiskFull: (full) => diskFullCalls.push(full),
    ...(utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes }),
  });
  return { service, diskFullCalls };
}

const deletedEvents = (f: StoreFixture) => f.sink.ofKind('store.clean.files-deleted').map((e) => e.data);

describe('CleanCommitLogService', () => {
  it('runOnce() deletes expired segments only at a deleteWhen hour, oldest first, never the last one', async () => {
    const f = storeFixture({ config: { fileReservedTime: 1, deleteWhen: '04' } });
    await f.fillSegments(4); // every segment last written at 00:00
    const { service } = cleaner(f);

    await f.clock.advanceTo(MIDNIGHT + 2 * HOUR_MS); // expired, but 02:00 is not the hour
    expect(service.runOnce()).toEqual({ deleted: 0, reason: undefined, usedRatio: f.usedRatio(), cleanAtOnce: false });
    expect(f.segmentNames()).toEqual([0, 1024, 2048, 3072]);

    await f.clock.advanceTo(MIDNIGHT + 4 * HOUR_MS);
    expect(service.runOnce()).toMatchObject({ deleted: 3, reason: 'expired', cleanAtOnce: false });
    expect(f.segmentNames()).toEqual([3072]);
    expect(f.commitLog.getMinOffset()).toBe(3072);
    expect(deletedEvents(f)).toEqual([{ target: 'commitlog', count: 3, minOffset: 3072, reason: 'expired' }]);
    expect(f.sink.ofKind('store.mappedfile.deleted').map((e) => [e.data.fileFromOffset, e.data.reason])).toEqual([
      [0, 'expired'], [1024, 'expired'], [2048, 'expired'],
    ]);
    expect(f.fs.exists(`${ROOT}/commitlog/00000000000000000000`)).toBe(false);
  });

  it('runOnce() stops at the first segment that has not expired (no holes in the log)', async () => {
    const f = storeFixture({ config: { fileReservedTime: 3 } });
    await f.fillSegments(3); // segments 0 and 1 last written at 00:00
    await f.clock.advanceTo(MIDNIGHT + 2 * HOUR_MS);
    await f.fillSegments(5); // segment 2 filled (last written) at 02:00, 3 and 4 too
    const { service } = cleaner(f);

    await f.clock.advanceTo(MIDNIGHT + 4 * HOUR_MS); // 0 and 1 expired at 03:00, 2 expires at 05:00
    expect(service.runOnce().deleted).toBe(2);
    expect(f.segmentNames()).toEqual([2048, 3072, 4096]);
  });

  it('runOnce() deletes at most 10 segments per round (Java DELETE_FILES_BATCH_MAX)', async () => {
    const f = storeFixture({ config: { fileReservedTime: 1 } });
    await f.fillSegments(13);
    const { service } = cleaner(f);
    await f.clock.advanceTo(MIDNIGHT + 4 * HOUR_MS);
    expect([service.runOnce().deleted, service.runOnce().deleted, service.runOnce().deleted]).toEqual([10, 2, 0]);
    expect(f.segmentNames()).toEqual([12 * SEGMENT_BYTES]);
  });

  it("runOnce() reads deleteWhen as a ';'-separated list of local hours (utcOffsetMinutes)", async () => {
    const f = storeFixture({ config: { fileReservedTime: 1, deleteWhen: '04;16' } });
    await f.fillSegments(3);
    await f.clock.advanceTo(MIDNIGHT + 14 * HOUR_MS); // 14:00 UTC = 16:00 at UTC+2
    expect(cleaner(f).service.runOnce().deleted).toBe(0);
    expect(cleaner(f, 120).service.runOnce()).toMatchObject({ deleted: 2, reason: 'expired' });
  });

  it('isItTimeToDo() matches an hour listed in deleteWhen and skips entries that are not numbers', () => {
    expect(isItTimeToDo('04', 4)).toBe(true);
    expect(isItTimeToDo('04', 5)).toBe(false);
    expect(isItTimeToDo('04;16', 16)).toBe(true);
    expect(isItTimeToDo(' 4 ; 23', 23)).toBe(true);
    expect(isItTimeToDo('x;4', 4)).toBe(true);
    expect(isItTimeToDo('', 0)).toBe(false);
  });

  it('runOnce() deletes expired segments at any hour once disk use passes diskMaxUsedSpaceRatio (75%)', async () => {
    const f = await storeFixtureAtUsage(0.8, (s) => s.fillSegments(4), { fileReservedTime: 1 });
    expect(f.usedRatio()).toBeGreaterThan(0.75);
    expect(f.usedRatio()).toBeLessThan(0.85);
    const { service } = cleaner(f);

    await f.clock.advanceTo(MIDNIGHT + HOUR_MS / 2); // under pressure, but nothing has expired yet
    expect(service.runOnce()).toMatchObject({ deleted: 0, reason: 'disk-pressure', cleanAtOnce: false });

    await f.clock.advanceTo(MIDNIGHT + 2 * HOUR_MS); // 02:00 is not the hour; the disk decides
    expect(service.runOnce()).toMatchObject({ deleted: 3, reason: 'disk-pressure', cleanAtOnce: false });
    expect(deletedEvents(f)).toEqual([{ target: 'commitlog', count: 3, minOffset: 3072, reason: 'disk-pressure' }]);
  });

  it('runOnce() above diskSpaceCleanForciblyRatio (85%) deletes segments before fileReservedTime, if cleanFileForciblyEnable', async () => {
    const forced = await storeFixtureAtUsage(0.87, (s) => s.fillSegments(4)); // fileReservedTime 72 h
    expect(cleaner(forced).service.runOnce()).toMatchObject({ deleted: 3, reason: 'disk-pressure', cleanAtOnce: true });
    expect(forced.segmentNames()).toEqual([3072]);

    const disabled = await storeFixtureAtUsage(0.87, (s) => s.fillSegments(4), { cleanFileForciblyEnable: false });
    expect(cleaner(disabled).service.runOnce()).toMatchObject({ deleted: 0, reason: 'disk-pressure', cleanAtOnce: false });
    expect(disabled.segmentNames()).toEqual([0, 1024, 2048, 3072]);
  });

  it('runOnce() above diskSpaceWarningLevelRatio (90%) marks the disk full, and a later round marks it OK again', async () => {
    const f = await storeFixtureAtUsage(0.93, (s) => s.fillSegments(4));
    const { service, diskFullCalls } = cleaner(f);
    const fullRatio = f.usedRatio();

    expect(service.runOnce()).toMatchObject({ deleted: 3, cleanAtOnce: true, usedRatio: fullRatio });
    expect(service.diskFull).toBe(true);
    const okRatio = f.usedRatio(); // three segments freed
    expect(okRatio).toBeLessThan(0.85);

    await f.clock.advance(10_000);
    expect(service.runOnce()).toMatchObject({ deleted: 0, usedRatio: okRatio });
    expect(service.diskFull).toBe(false);
    await f.clock.advance(10_000);
    service.runOnce();
    // The store hears the verdict every round (Java sets its running flags every round) ...
    expect(diskFullCalls).toEqual([true, false, false]);
    // ... and the viz only the changes.
    expect(f.sink.ofKind('store.disk.full-changed').map((e) => e.data)).toEqual([
      { full: true, usedRatio: fullRatio }, { full: false, usedRatio: okRatio },
    ]);
  });

  it('runOnce() never deletes the last segment, even expired on a full disk', async () => {
    const f = await storeFixtureAtUsage(0.95, (s) => s.fillSegments(1), { fileReservedTime: 1 });
    await f.clock.advanceTo(MIDNIGHT + 4 * HOUR_MS);
    expect(cleaner(f).service.runOnce()).toMatchObject({ deleted: 0, cleanAtOnce: true });
    expect(f.segmentNames()).toEqual([0]);
  });

  it('executeDeleteFilesManually() lets the next 20 rounds delete expired segments at any hour', async () => {
    const f = storeFixture({ config: { fileReservedTime: 1 } });
    await f.fillSegments(3);
    const { service } = cleaner(f);
    await f.clock.advanceTo(MIDNIGHT + 2 * HOUR_MS);
    expect(service.runOnce().deleted).toBe(0);

    service.executeDeleteFilesManually();
    expect(service.manualDeleteFileSeveralTimes).toBe(MAX_MANUAL_DELETE_FILE_TIMES);
    expect(service.runOnce()).toMatchObject({ deleted: 2, reason: 'manual' });
    for (let round = 2; round <= MAX_MANUAL_DELETE_FILE_TIMES; round++) service.runOnce();
    expect(service.manualDeleteFileSeveralTimes).toBe(0);

    await f.fillSegments(6); // segments 2..4 filled at 02:00
    await f.clock.advanceTo(MIDNIGHT + 3 * HOUR_MS + HOUR_MS / 2); // expired at 03:00, and the 21st round
    expect(service.runOnce()).toMatchObject({ deleted: 0, reason: undefined });
    expect(deletedEvents(f).map((e) => e.reason)).toEqual(['manual']);
  });

  it('start() runs the first round 60 s after start, then every cleanResourceInterval; shutdown() stops it', async () => {
    const f = storeFixture({ config: { fileReservedTime: 0, deleteWhen: '04' } });
    await f.clock.advanceTo(MIDNIGHT + 4 * HOUR_MS);
    await f.fillSegments(3);
    const { service } = cleaner(f);
    const startedAt = f.clock.now();
    service.start();

    await f.clock.advance(59_999);
    expect(f.segmentNames()).toEqual([0, 1024, 2048]);
    await f.clock.advance(1);
    expect(f.segmentNames()).toEqual([2048]);

    await f.fillSegments(5);
    await f.clock.advance(10_000);
    expect(f.segmentNames()).toEqual([4096]);
    // The sink stamps `at` from MIDNIGHT, when the fixture was built.
    expect(f.sink.ofKind('store.clean.files-deleted').map((e) => MIDNIGHT + e.at - startedAt)).toEqual([60_000, 70_000]);

    service.shutdown();
    await f.fillSegments(7);
    await f.clock.advance(60_000);
    expect(f.segmentNames()).toEqual([4096, 5120, 6144]);
  });

  it('diskPartitionSpaceUsedPercent() answers -1 for a missing directory, and a round then counts it as pressure (Java)', async () => {
    const fs = new MemoryFileSystem({ capacityBytes: 1000 });
    expect(diskPartitionSpaceUsedPercent(fs, '/nowhere')).toBe(-1);
    fs.mkdirp('/data');
    fs.writeText('/data/f', 'x'.repeat(250));
    expect(diskPartitionSpaceUsedPercent(fs, '/data')).toBe(0.25);

    const f = storeFixture({ config: { fileReservedTime: 1 } });
    await f.fillSegments(2);
    f.fs.removeDir(`${ROOT}/consumequeue`);
    await f.clock.advanceTo(MIDNIGHT + 2 * HOUR_MS);
    expect(cleaner(f).service.runOnce()).toMatchObject({ deleted: 1, reason: 'disk-pressure' });
  });
});
