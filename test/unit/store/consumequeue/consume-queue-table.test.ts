import { describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { ConsumeQueueTable } from '../../../../src/store/consumequeue/consume-queue-table.js';
import { TopicQueueTable } from '../../../../src/store/commitlog/topic-queue-table.js';
import { MappedFileIOError } from '../../../../src/store/mapped-file/mapped-file.js';
import { CountingFileSystem, recordingEvents } from '../store-test-support.js';

function setup(memory = new MemoryFileSystem()) {
  const clock = new ManualClock(0);
  const fs = new CountingFileSystem(memory);
  const ioErrors: MappedFileIOError[] = [];
  const table = new ConsumeQueueTable({
    fs, clock, events: recordingEvents(clock).events,
    config: { storePathRootDir: '/store', mappedFileSizeConsumeQueue: 10 * 20, consumeQueueWriteBufferBytes: 10 * 20 },
    pickupStoreTimestamp: () => -1,
    getMinPhyOffset: () => 0,
    onIOError: (error) => ioErrors.push(error),
  });
  return { memory, fs, table, ioErrors };
}

describe('ConsumeQueueTable', () => {
  it('findConsumeQueue() creates a queue once and returns the same one after', () => {
    const { table } = setup();
    const queue = table.findConsumeQueue('TopicA', 2);
    expect(table.findConsumeQueue('TopicA', 2)).toBe(queue);
    expect(table.getConsumeQueue('TopicA', 3)).toBeUndefined();
    expect([...table.queues()]).toEqual([queue]);
  });

  it('appends leave units in the write windows (no write); flush(0) writes each queue in one write, then syncs it', () => {
    const { table, fs } = setup();
    for (let i = 0; i < 5; i++) {
      table.findConsumeQueue('TopicA', 0).putMessagePositionInfo(i * 100, 100, 0, i);
      table.findConsumeQueue('TopicB', 1).putMessagePositionInfo(i * 100 + 50, 50, 0, i);
    }
    fs.reset();
    table.findConsumeQueue('TopicA', 0).putMessagePositionInfo(500, 100, 0, 5);
    expect(fs.counts.write).toBe(0);
    expect(table.findConsumeQueue('TopicA', 0).mappedFileQueue.committedWhere).toBe(0);
    expect(table.findConsumeQueue('TopicA', 0).getUnit(5)).toEqual({ physicalOffset: 500, size: 100, tagsCode: 0 }); // readers see the window
    table.flush(0);
    expect([fs.counts.write, fs.counts.flush]).toEqual([2, 2]);
    expect(table.findConsumeQueue('TopicA', 0).mappedFileQueue.flushedWhere).toBe(6 * 20);
    expect(table.findConsumeQueue('TopicB', 1).mappedFileQueue.flushedWhere).toBe(5 * 20);
  });

  it('load(), recover() and recoverTopicQueueTable() rebuild the queues and the topic queue table from disk', () => {
    const memory = new MemoryFileSystem();
    const first = setup(memory);
    for (let i = 0; i < 13; i++) first.table.findConsumeQueue('TopicA', 0).putMessagePositionInfo(i * 100, 100, 0, i);
    first.table.findConsumeQueue('TopicB', 7).putMessagePositionInfo(5000, 10, 0, 0);
    for (const queue of first.table.queues()) while (queue.flush(0)) { /* every file */ }
    memory.mkdirp('/store/consumequeue/TopicA/not-a-queue');
    memory.crash();

    const { table } = setup(memory);
    expect(table.load()).toBe(true);
    expect(table.recover()).toBe(5010);
    const topicQueueTable = new TopicQueueTable();
    table.recoverTopicQueueTable(topicQueueTable, 0);
    expect(topicQueueTable.toRecord()).toEqual({ 'TopicA-0': 13, 'TopicB-7': 1 });
  });

  it('removeQueue() deletes a queue\'s files and forgets it', () => {
    const { table, memory } = setup();
    table.findConsumeQueue('TopicA', 0).putMessagePositionInfo(0, 100, 0, 0);
    table.removeQueue('TopicA', 0);
    expect(table.getConsumeQueue('TopicA', 0)).toBeUndefined();
    expect(memory.exists('/store/consumequeue/TopicA/0')).toBe(false);
  });
});
