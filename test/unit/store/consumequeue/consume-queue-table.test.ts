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

  it('commit() writes the pending units of each queue appended to, one write per queue', () => {
    const { table, fs } = setup();
    let wakeups = 0;
    table.onAppended = () => wakeups++;
    for (let i = 0; i < 5; i++) {
      table.findConsumeQueue('TopicA', 0).putMessagePositionInfo(i * 100, 100, 0, i);
      table.findConsumeQueue('TopicB', 1).putMessagePositionInfo(i * 100 + 50, 50, 0, i);
    }
    fs.reset();
    expect(table.commit()).toBe(true);
    expect(fs.counts.write).toBe(2);
    expect(wakeups).toBe(10);
    expect(table.commit()).toBe(false);
  });

  it('commit() hands a failed write to onIOError instead of throwing (the CommitTarget contract); the queue stays dirty and a later commit() retries', () => {
    const { table, memory, ioErrors } = setup();
    table.findConsumeQueue('TopicA', 0).putMessagePositionInfo(0, 100, 0, 0);
    table.findConsumeQueue('TopicB', 0).putMessagePositionInfo(100, 100, 0, 0);
    memory.failWrites('EIO', '/store/consumequeue/TopicA');
    expect(table.commit()).toBe(true); // TopicB's unit moved; TopicA's did not
    expect(ioErrors.map((e) => [e.name, e.operation, e.path])).toEqual([['MappedFileIOError', 'write', '/store/consumequeue/TopicA/0/00000000000000000000']]);
    expect(table.findConsumeQueue('TopicA', 0).mappedFileQueue.committedWhere).toBe(0);
    memory.failWrites(null);
    expect(table.commit()).toBe(true);
    expect(table.findConsumeQueue('TopicA', 0).mappedFileQueue.committedWhere).toBe(20);
    expect(table.commit()).toBe(false);
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
