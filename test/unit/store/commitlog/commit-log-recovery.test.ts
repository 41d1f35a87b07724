import { describe, expect, it } from 'vitest';
import { viewOf, writeInt64 } from '../../../../src/common/bytes.js';
import { offset2FileName } from '../../../../src/store/mapped-file/mapped-file.js';
import { StoreCheckpoint } from '../../../../src/store/checkpoint/store-checkpoint.js';
import { checkMessageAndReturnSize } from '../../../../src/store/commitlog/commit-log-record-reader.js';
import { BODY_POSITION, PHYSICAL_OFFSET_POSITION } from '../../../../src/store/commitlog/record-layout.js';
import { getStoreCheckpoint } from '../../../../src/store/store-path.js';
import type { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import type { AppendMessageResult } from '../../../../src/store/results.js';
import { crash, keyedMessage, openStore, recordsOf, settle, storeRig, type StoreRig } from '../message-store-test-support.js';

const COMMIT_LOG_FILE_SIZE = 4096;
const CQ_FILE_SIZE = 200;

async function put(rig: StoreRig, body: string, keys?: string): Promise<AppendMessageResult> {
  const result = await settle(rig.clock, rig.store.putMessage(keyedMessage({ body, ...(keys === undefined ? {} : { keys }) })));
  expect(result.putMessageStatus).toBe('PUT_OK');
  return result.appendMessageResult!;
}

/** Write bytes into a file and make them durable (what a torn write leaves on the platter). */
function writeDurable(fs: MemoryFileSystem, path: string, position: number, bytes: Uint8Array): void {
  const handle = fs.open(path, 'rw');
  handle.write(position, bytes);
  handle.flush();
  handle.close();
}

const commitLogFile = (offset: number) => `/store/commitlog/${offset2FileName(offset - (offset % COMMIT_LOG_FILE_SIZE))}`;
const consumeQueueFile = (queueOffset: number) => `/store/consumequeue/TopicA/0/${offset2FileName(queueOffset * 20 - ((queueOffset * 20) % CQ_FILE_SIZE))}`;

/** The bodies of everything a pull from offset 0 returns, checking each record (with its CRC) on the way. */
function bodiesInQueue(rig: StoreRig): string[] {
  const bodies: string[] = [];
  for (let offset = 0; ;) {
    const result = rig.store.getMessage('g', 'TopicA', 0, offset, 32)!;
    if (result.status !== 'FOUND') return bodies;
    for (const record of recordsOf(result)) {
      const request = checkMessageAndReturnSize(record, 0, true);
      expect(request.success).toBe(true);
      const bodyLength = viewOf(record).getInt32(BODY_POSITION - 4, false);
      bodies.push(new TextDecoder().decode(record.subarray(BODY_POSITION, BODY_POSITION + bodyLength)));
    }
    offset = result.nextBeginOffset;
  }
}

describe('recoverNormally', () => {
  it('cuts a torn record off the tail of the commit log and the consume-queue unit that points at it', async () => {
    const rig = storeRig();
    openStore(rig);
    const stored: AppendMessageResult[] = [];
    for (let i = 0; i < 5; i++) stored.push(await put(rig, `m${i}`));
    rig.store.shutdown();
    // Leave a torn copy of the last record (its first 40 bytes) right after it, and a unit for it.
    const last = stored[4]!;
    const end = last.wroteOffset + last.wroteBytes;
    const durable = rig.fs.readDurable(commitLogFile(0))!;
    const tornBytes = durable.slice(last.wroteOffset, last.wroteOffset + 40);
    writeInt64(viewOf(tornBytes), PHYSICAL_OFFSET_POSITION, end);
    writeDurable(rig.fs, commitLogFile(end), end % COMMIT_LOG_FILE_SIZE, tornBytes);
    const unit = new Uint8Array(20);
    writeInt64(viewOf(unit), 0, end);
    viewOf(unit).setInt32(8, last.wroteBytes, false);
    writeDurable(rig.fs, consumeQueueFile(5), (5 * 20) % CQ_FILE_SIZE, unit);

    openStore(rig);
    expect(rig.store.lastExitOK).toBe(true);
    expect(rig.store.getMaxPhyOffset()).toBe(end);
    expect(rig.store.getMaxOffsetInQueue('TopicA', 0)).toBe(5);
    expect(rig.sink.ofKind('store.recovery.truncated').map((e) => e.data)).toEqual([
      { queue: 'commitlog', fromOffset: COMMIT_LOG_FILE_SIZE, toOffset: end, mode: 'normal' },
      { queue: 'consumequeue', fromOffset: end + last.wroteBytes, toOffset: end, mode: 'normal' },
    ]);
    expect(bodiesInQueue(rig)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    const next = await put(rig, 'm5');
    expect([next.wroteOffset, next.logicsOffset]).toEqual([end, 5]);
  });

  it('trusts nothing after the first record whose body CRC fails, even valid records behind it; the index forgets them too', async () => {
    const rig = storeRig();
    openStore(rig);
    const stored: AppendMessageResult[] = [];
    for (let i = 0; i < 5; i++) stored.push(await put(rig, `m${i}`, `key-${i}`));
    rig.store.shutdown();
    const third = stored[2]!;
    writeDurable(rig.fs, commitLogFile(0), third.wroteOffset + BODY_POSITION, new TextEncoder().encode('X'));
    openStore(rig);
    expect(rig.store.getMaxPhyOffset()).toBe(third.wroteOffset);
    expect(bodiesInQueue(rig)).toEqual(['m0', 'm1']);
    expect(rig.store.getMaxOffsetInQueue('TopicA', 0)).toBe(2);
    expect(rig.sink.ofKind('store.recovery.truncated').map((e) => e.data.queue)).toEqual(['commitlog', 'consumequeue']);
    // The index file reached past the cut: it was dropped and m0, m1 indexed again.
    expect(rig.sink.ofKind('store.index.file-deleted').map((e) => e.data.reason)).toEqual(['truncated']);
    const keyed = (key: string) => recordsOf(rig.store.queryMessage('TopicA', key, 32, 0, Number.MAX_SAFE_INTEGER)).map((r) => checkMessageAndReturnSize(r, 0, true).commitLogOffset);
    expect([keyed('key-0'), keyed('key-1'), keyed('key-2')]).toEqual([[stored[0]!.wroteOffset], [stored[1]!.wroteOffset], []]);
    // A new message where m2 was is indexed (not skipped as "already indexed").
    await put(rig, 'new', 'key-new');
    await rig.clock.advance(0);
    expect(keyed('key-new')).toEqual([third.wroteOffset]);
  });

  it('destroys the consume queues when there is no commit-log file at all', async () => {
    const rig = storeRig();
    openStore(rig);
    await put(rig, 'gone');
    rig.store.shutdown();
    rig.fs.removeDir('/store/commitlog');
    openStore(rig);
    expect(rig.store.getMaxOffsetInQueue('TopicA', 0)).toBe(0);
    expect(rig.fs.list('/store/consumequeue/TopicA')).toEqual([]);
    expect((await put(rig, 'new')).logicsOffset).toBe(0);
  });
});

describe('recoverAbnormally', () => {
  /** 20 messages of ~800 bytes, 10 s apart: 5 per 4 KiB segment, 4 segments. Everything flushed, then a crash. */
  async function crashedWithFourSegments(overrides: Parameters<typeof storeRig>[0] = {}) {
    const rig = storeRig(overrides);
    openStore(rig);
    const stored: AppendMessageResult[] = [];
    for (let i = 0; i < 20; i++) {
      stored.push(await put(rig, `${i}:`.padEnd(700, '.'), `key-${i}`));
      await rig.clock.advance(10_000);
    }
    rig.store.flush();
    rig.store.consumeQueueTable.flush(0);
    crash(rig);
    expect(rig.store.commitLog.mappedFileQueue.mappedFiles.length).toBe(4);
    return { rig, stored };
  }

  function setCheckpoint(rig: StoreRig, timestamps: { physic: number; logics: number; index?: number }): void {
    const checkpoint = StoreCheckpoint.load(rig.fs, getStoreCheckpoint('/store'));
    checkpoint.physicMsgTimestamp = timestamps.physic;
    checkpoint.logicsMsgTimestamp = timestamps.logics;
    checkpoint.indexMsgTimestamp = timestamps.index ?? 0;
    checkpoint.shutdown();
  }

  it('starts the replay at the newest segment whose first message is older than the checkpoint, and the replay is idempotent', async () => {
    const { rig, stored } = await crashedWithFourSegments();
    const firstOfSegment2 = stored.find((s) => s.wroteOffset >= 2 * COMMIT_LOG_FILE_SIZE)!;
    // getMinTimestamp() = min(physic, logics) - 3 s: 1 ms after the first store time of segment 2.
    setCheckpoint(rig, { physic: firstOfSegment2.storeTimestamp + 3001 + 5000, logics: firstOfSegment2.storeTimestamp + 3001 });
    openStore(rig);
    expect(rig.sink.ofKind('store.recovery.started').at(-1)!.data).toEqual({ mode: 'abnormal', fromOffset: 2 * COMMIT_LOG_FILE_SIZE, checkpointTimestamp: firstOfSegment2.storeTimestamp + 1 });
    const replayed = stored.filter((s) => s.wroteOffset >= 2 * COMMIT_LOG_FILE_SIZE).length;
    expect(rig.sink.ofKind('store.recovery.completed').at(-1)!.data).toMatchObject({ mode: 'abnormal', redispatched: replayed });
    // Nothing was added twice: the queue still holds 20 units, one per message, in order.
    expect(rig.store.getMaxOffsetInQueue('TopicA', 0)).toBe(20);
    expect(bodiesInQueue(rig).map((b) => b.split(':')[0])).toEqual(stored.map((_, i) => String(i)));
  });

  it('replays from the first segment when no segment is older than the checkpoint', async () => {
    const { rig } = await crashedWithFourSegments();
    setCheckpoint(rig, { physic: 0, logics: 0 });
    openStore(rig);
    expect(rig.sink.ofKind('store.recovery.started').at(-1)!.data.fromOffset).toBe(0);
    expect(rig.sink.ofKind('store.recovery.completed').at(-1)!.data).toMatchObject({ redispatched: 20 });
    expect(rig.store.getMaxOffsetInQueue('TopicA', 0)).toBe(20);
  });

  it('deletes index files newer than the checkpoint and rebuilds their entries by the replay (messageIndexSafe)', async () => {
    const { rig, stored } = await crashedWithFourSegments({ messageIndexSafe: true, maxIndexNum: 8 });
    // 20 keys + 20 uniq-less messages: 20 entries, 7 per file (entry 0 unused): files roll.
    const indexFiles = rig.fs.list('/store/index');
    expect(indexFiles.length).toBeGreaterThan(1);
    setCheckpoint(rig, { physic: stored[19]!.storeTimestamp + 3000, logics: stored[19]!.storeTimestamp + 3000, index: stored[6]!.storeTimestamp });
    openStore(rig);
    const deleted = rig.sink.ofKind('store.index.file-deleted').filter((e) => e.data.reason === 'after-checkpoint');
    expect(deleted.length).toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) {
      const found = rig.store.queryMessage('TopicA', `key-${i}`, 32, 0, Number.MAX_SAFE_INTEGER);
      expect(recordsOf(found).map((r) => checkMessageAndReturnSize(r, 0, true).commitLogOffset)).toEqual([stored[i]!.wroteOffset]);
    }
  });

  it('cuts units that point past the recovered log, durably: a second crash cannot bring them back', async () => {
    const rig = storeRig();
    openStore(rig);
    for (let i = 0; i < 3; i++) await put(rig, `old${i}`);
    rig.store.flush(); // the commit log is durable up to here...
    for (let i = 3; i < 5; i++) await put(rig, `old${i}`);
    await rig.clock.advance(0);
    rig.store.consumeQueueTable.flush(0); // ...but the queue holds units for all five
    crash(rig);
    openStore(rig);
    expect(bodiesInQueue(rig)).toEqual(['old0', 'old1', 'old2']);
    expect(rig.sink.ofKind('store.recovery.truncated').map((e) => e.data.queue)).toContain('consumequeue');
    // New, longer records take the place of the lost ones; only the commit log is flushed.
    await put(rig, 'new-three-is-longer');
    await put(rig, 'new-four-is-longer-still');
    rig.store.flush();
    crash(rig);
    openStore(rig);
    expect(bodiesInQueue(rig)).toEqual(['old0', 'old1', 'old2', 'new-three-is-longer', 'new-four-is-longer-still']);
  });
});
