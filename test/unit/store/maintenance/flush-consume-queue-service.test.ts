import { describe, expect, it } from 'vitest';
import { readLong } from '../../../../src/common/java-compat.js';
import { messageStoreConfigFor } from '../../../../src/common/config/profiles.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import { LOGICS_MSG_TIMESTAMP_POSITION, StoreCheckpoint } from '../../../../src/store/checkpoint/store-checkpoint.js';
import { ConsumeQueueTable } from '../../../../src/store/consumequeue/consume-queue-table.js';
import { FlushConsumeQueueService } from '../../../../src/store/maintenance/flush-consume-queue-service.js';
import { getStoreCheckpoint } from '../../../../src/store/store-path.js';
import { recordingEvents } from '../store-test-support.js';

const ROOT = '/store';
const UNIT = 20;

/*
 * Consume-queue files of 1000 units (20,000 bytes) here, so that a file can hold the
 * 2 dirty 4 KiB pages a running round waits for (the teaching profile's 200-byte files
 * would be full, and so always flushable, long before).
 */
function setup(flushLatencyMs = 0) {
  const clock = new ManualClock(0);
  const fs = new MemoryFileSystem({ clock, flushLatencyMs });
  const { sink, events } = recordingEvents(clock);
  const config = messageStoreConfigFor('teaching', { storePathRootDir: ROOT, mappedFileSizeConsumeQueue: 1000 * UNIT, consumeQueueWriteBufferBytes: 1000 * UNIT });
  const consumeQueueTable = new ConsumeQueueTable({ fs, clock, events, config, pickupStoreTimestamp: () => -1, getMinPhyOffset: () => 0 });
  const checkpoint = StoreCheckpoint.load(fs, getStoreCheckpoint(ROOT), events);
  const ioErrors: string[] = [];
  const service = new FlushConsumeQueueService({ clock, events, config, consumeQueueTable, checkpoint, onIOError: (e) => ioErrors.push(`${e.name} ${e.operation}`) });
  const queue = consumeQueueTable.findConsumeQueue('TopicA', 0);
  /** Append units until the queue holds `count` (as the reput service would), each pointing at a 100-byte record. */
  const appendUntil = (count: number) => {
    for (let i = queue.getMaxOffsetInQueue(); i < count; i++) queue.putMessagePositionInfo(i * 100, 100, 0, i);
  };
  /** The logics time a crash would leave (a checkpoint never flushed would be gone: recovery reads 0). */
  const durableLogicsTimestamp = () => {
    const bytes = fs.readDurable(getStoreCheckpoint(ROOT));
    return bytes === undefined ? 0 : readLong(new DataView(bytes.buffer), LOGICS_MSG_TIMESTAMP_POSITION);
  };
  return { clock, fs, sink, checkpoint, consumeQueueTable, service, queue, appendUntil, durableLogicsTimestamp, ioErrors };
}

describe('FlushConsumeQueueService', () => {
  it('start() flushes every flushIntervalConsumeQueue once 2 pages are dirty, and everything every 60 s (thorough)', async () => {
    const { clock, sink, service, queue, appendUntil } = setup();
    service.start();
    appendUntil(10);
    await clock.advance(1000); // t=1 s: the first round is thorough (Java's lastFlushTimestamp starts at 0)
    expect(queue.mappedFileQueue.flushedWhere).toBe(10 * UNIT);

    appendUntil(310); // bytes 200..6200: page 0 -> page 1, one page boundary crossed
    await clock.advance(1000); // t=2 s: 1 dirty page < 2: skip
    expect(queue.mappedFileQueue.flushedWhere).toBe(10 * UNIT);

    appendUntil(410); // up to byte 8200: two pages dirty
    await clock.advance(1000); // t=3 s
    expect(queue.mappedFileQueue.flushedWhere).toBe(410 * UNIT);

    appendUntil(415);
    await clock.advance(57_000); // t=60 s: still below 2 pages, and the next thorough round is due at 61 s
    expect(queue.mappedFileQueue.flushedWhere).toBe(410 * UNIT);
    await clock.advance(1000); // t=61 s
    expect(queue.mappedFileQueue.flushedWhere).toBe(415 * UNIT);

    expect(sink.ofKind('store.consumequeue.flushed').map((e) => [e.at, e.data])).toEqual([
      [1000, { thorough: true, queues: 1, bytes: 200 }],
      [3000, { thorough: false, queues: 1, bytes: 8000 }],
      [61_000, { thorough: true, queues: 1, bytes: 100 }],
    ]);
    // Only the thorough rounds flush the checkpoint.
    expect(sink.ofKind('store.checkpoint.flushed').map((e) => e.at)).toEqual([1000, 61_000]);
    service.shutdown();
  });

  it('runOnce() persists logicsMsgTimestamp in the checkpoint on thorough rounds only', async () => {
    const { service, consumeQueueTable, appendUntil, durableLogicsTimestamp } = setup();
    appendUntil(5);
    consumeQueueTable.dispatchedMsgTimestamp = 12_345; // what the dispatcher records after each unit
    await service.runOnce(); // thorough: snapshot 12345, flush the queues, write it back, flush the checkpoint
    expect(durableLogicsTimestamp()).toBe(12_345);

    appendUntil(6);
    consumeQueueTable.dispatchedMsgTimestamp = 23_456;
    await service.runOnce(); // same instant, so not thorough: the checkpoint file keeps the old value
    expect(durableLogicsTimestamp()).toBe(12_345);
  });

  it('the checkpoint learns a dispatched time only from a thorough round, so another checkpoint write (the index flush) cannot claim units still in a window', async () => {
    const { service, checkpoint, consumeQueueTable, queue, appendUntil, durableLogicsTimestamp } = setup();
    appendUntil(5);
    consumeQueueTable.dispatchedMsgTimestamp = 12_345;
    await service.runOnce(); // thorough
    appendUntil(8);
    consumeQueueTable.dispatchedMsgTimestamp = 23_456; // units 5..7 wait in the window
    expect(queue.mappedFileQueue.committedWhere).toBe(5 * UNIT);
    checkpoint.flush(); // what IndexService does when an index file fills
    expect(checkpoint.logicsMsgTimestamp).toBe(12_345);
    expect(durableLogicsTimestamp()).toBe(12_345);
  });

  it('runOnce() on a thorough round makes the units durable, not just written', async () => {
    const { fs, service, queue, appendUntil } = setup();
    appendUntil(7);
    const path = `${queue.mappedFileQueue.storePath}/00000000000000000000`;
    const unit6 = () => Array.from(fs.readDurable(path)!.subarray(6 * UNIT, 6 * UNIT + 12));
    expect(unit6()).toEqual(new Array(12).fill(0)); // written, but only zeros would survive a crash
    await service.runOnce();
    // Unit 6, big-endian: COMMITLOG OFFSET 600 (0x258), SIZE 100 (0x64).
    expect(unit6()).toEqual([0, 0, 0, 0, 0, 0, 0x02, 0x58, 0, 0, 0, 0x64]);
  });

  it('shutdown() flushes every dirty unit and the checkpoint, whatever the page count', async () => {
    const { clock, sink, service, queue, appendUntil } = setup();
    service.start();
    await clock.advance(1000); // the thorough first round, with nothing to flush
    appendUntil(3);
    await clock.advance(1000);
    expect(queue.mappedFileQueue.flushedWhere).toBe(0);
    service.shutdown();
    expect(queue.mappedFileQueue.flushedWhere).toBe(3 * UNIT);
    expect(sink.ofKind('store.checkpoint.flushed').map((e) => e.at)).toEqual([1000, 2000]);
    await clock.advance(10_000);
    expect(sink.ofKind('store.consumequeue.flushed').length).toBe(1); // no rounds after shutdown
  });

  it('runOnce() hands a disk failure to onIOError and leaves the checkpoint alone; a later round (here the last one) retries', async () => {
    const { fs, service, queue, consumeQueueTable, appendUntil, durableLogicsTimestamp, ioErrors } = setup();
    appendUntil(4);
    consumeQueueTable.dispatchedMsgTimestamp = 777;
    fs.failWrites('EIO', queue.mappedFileQueue.storePath);
    await service.runOnce();
    expect(ioErrors).toEqual(['MappedFileIOError write']);
    expect(queue.mappedFileQueue.flushedWhere).toBe(0);
    expect(durableLogicsTimestamp()).toBe(0);

    fs.failWrites(null);
    service.shutdown();
    expect(queue.mappedFileQueue.flushedWhere).toBe(4 * UNIT);
    expect(durableLogicsTimestamp()).toBe(777);
  });

  it('runOnce() hands a failed checkpoint write to onIOError instead of throwing; the next thorough round writes it', async () => {
    const { clock, fs, service, consumeQueueTable, appendUntil, durableLogicsTimestamp, ioErrors } = setup();
    appendUntil(4);
    consumeQueueTable.dispatchedMsgTimestamp = 555;
    fs.failWrites('EIO', getStoreCheckpoint(ROOT));
    await expect(service.runOnce()).resolves.toBeUndefined();
    expect(ioErrors).toEqual(['MappedFileIOError write']);
    expect(durableLogicsTimestamp()).toBe(0);
    fs.failWrites(null);
    await clock.advance(60_000);
    await service.runOnce();
    expect(durableLogicsTimestamp()).toBe(555);
  });

  it('a running round syncs off the event loop: appends go on while its fdatasync is in flight, and a tick meanwhile starts no second round', async () => {
    const { clock, fs, sink, checkpoint, service, queue, appendUntil, durableLogicsTimestamp, consumeQueueTable } = setup(1500);
    appendUntil(3);
    consumeQueueTable.dispatchedMsgTimestamp = 4_000;
    service.start();
    await clock.advance(1000); // t=1 s: the thorough round starts; its sync takes 1.5 s
    appendUntil(5); // the dispatcher is not held up
    consumeQueueTable.dispatchedMsgTimestamp = 9_000;
    expect(queue.mappedFileQueue.flushedWhere).toBe(0);
    await clock.advance(1000); // t=2 s: a tick while the round is in flight: skipped
    expect(sink.ofKind('store.consumequeue.flushed')).toEqual([]);
    await clock.advance(500); // t=2.5 s: the sync completes, covering what was committed when it began
    expect(queue.mappedFileQueue.flushedWhere).toBe(3 * UNIT);
    const path = `${queue.mappedFileQueue.storePath}/00000000000000000000`;
    const unit = (i: number) => Array.from(fs.readDurable(path)!.subarray(i * UNIT + 6, i * UNIT + 8));
    expect([unit(2), unit(4)]).toEqual([[0, 200], [0, 0]]); // unit 2 (offset 200) durable; unit 4 not yet
    expect(durableLogicsTimestamp()).toBe(0);
    // The round goes on with the units appended meanwhile (a second sync of the same file), then the checkpoint.
    await clock.advance(1500); // t=4 s
    expect(unit(4)).toEqual([1, 0x90]); // offset 400
    expect(sink.ofKind('store.consumequeue.flushed').map((e) => [e.at, e.data.bytes, e.data.thorough])).toEqual([[4000, 5 * UNIT, true]]);
    expect(durableLogicsTimestamp()).toBe(4_000); // the snapshot taken before the round, not the dispatcher's later value
    service.shutdown();
    expect(queue.mappedFileQueue.flushedWhere).toBe(5 * UNIT);
  });
});
