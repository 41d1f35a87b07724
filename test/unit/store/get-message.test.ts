import { describe, expect, it } from 'vitest';
import { BrokerRole, type MessageStoreConfig } from '../../../src/common/config/message-store-config.js';
import { javaStringHashCode } from '../../../src/common/java-compat.js';
import { checkMessageAndReturnSize } from '../../../src/store/commitlog/commit-log-record-reader.js';
import { getMessage, type GetMessageContext } from '../../../src/store/get-message.js';
import type { MessageFilter } from '../../../src/store/message-store.js';
import { keyedMessage, openStore, recordsOf, storeRig, tagsCodeFilter, type StoreRig } from './message-store-test-support.js';

/** A store with `count` messages in TopicA queue 0 (tags alternate TagA / TagB), dispatched. */
async function filled(count: number, overrides: Partial<MessageStoreConfig> = {}, body = 'x'.repeat(100)): Promise<StoreRig> {
  const rig = storeRig(overrides);
  openStore(rig);
  for (let i = 0; i < count; i++) {
    const result = await rig.store.putMessage(keyedMessage({ body, tags: i % 2 === 0 ? 'TagA' : 'TagB' }));
    expect(result.putMessageStatus).toBe('PUT_OK');
  }
  await rig.clock.advance(0);
  return rig;
}

function contextOf(rig: StoreRig, overrides: Partial<GetMessageContext> = {}): GetMessageContext {
  return { commitLog: rig.store.commitLog, consumeQueueTable: rig.store.consumeQueueTable, config: rig.config, totalPhysicalMemoryBytes: 2 ** 34, ...overrides };
}

const queueOffsetsOf = (records: Uint8Array[]) => records.map((r) => checkMessageAndReturnSize(r, 0, true).consumeQueueOffset);

describe('getMessage', () => {
  it('answers FOUND with the records back to back and nextBeginOffset = offset + units read', async () => {
    const rig = await filled(5);
    const result = getMessage(contextOf(rig), 'g', 'TopicA', 0, 1, 3);
    expect(result).toMatchObject({ status: 'FOUND', nextBeginOffset: 4, minOffset: 0, maxOffset: 5, messageCount: 3, suggestPullingFromSlave: false });
    const records = recordsOf(result);
    expect(queueOffsetsOf(records)).toEqual([1, 2, 3]);
    expect(result.bufferTotalSize).toBe(records.reduce((n, r) => n + r.length, 0));
    expect(result.body.length).toBe(result.bufferTotalSize);
    expect(result.msgCount4Commercial).toBe(3);
  });

  it('answers NO_MESSAGE_IN_QUEUE with nextBeginOffset 0 for an unknown queue and for an empty one', async () => {
    const rig = await filled(1);
    expect(getMessage(contextOf(rig), 'g', 'Nope', 0, 7, 32)).toMatchObject({ status: 'NO_MESSAGE_IN_QUEUE', nextBeginOffset: 0, minOffset: 0, maxOffset: 0 });
    rig.store.consumeQueueTable.findConsumeQueue('Empty', 3);
    expect(getMessage(contextOf(rig), 'g', 'Empty', 3, 7, 32)).toMatchObject({ status: 'NO_MESSAGE_IN_QUEUE', nextBeginOffset: 0 });
  });

  it('answers OFFSET_OVERFLOW_ONE at the end of the queue (nextBeginOffset stays) and OFFSET_OVERFLOW_BADLY past it (nextBeginOffset = max)', async () => {
    const rig = await filled(3);
    expect(getMessage(contextOf(rig), 'g', 'TopicA', 0, 3, 32)).toMatchObject({ status: 'OFFSET_OVERFLOW_ONE', nextBeginOffset: 3, maxOffset: 3 });
    expect(getMessage(contextOf(rig), 'g', 'TopicA', 0, 9, 32)).toMatchObject({ status: 'OFFSET_OVERFLOW_BADLY', nextBeginOffset: 3 });
  });

  it('keeps the requested offset as nextBeginOffset on a slave unless offsetCheckInSlave', async () => {
    const rig = await filled(3);
    const slave = contextOf(rig, { config: { ...rig.config, brokerRole: BrokerRole.SLAVE } });
    expect(getMessage(slave, 'g', 'TopicA', 0, 9, 32)).toMatchObject({ status: 'OFFSET_OVERFLOW_BADLY', nextBeginOffset: 9 });
    expect(getMessage(slave, 'g', 'Nope', 0, 9, 32)).toMatchObject({ status: 'NO_MESSAGE_IN_QUEUE', nextBeginOffset: 9 });
    const checking = contextOf(rig, { config: { ...rig.config, brokerRole: BrokerRole.SLAVE, offsetCheckInSlave: true } });
    expect(getMessage(checking, 'g', 'TopicA', 0, 9, 32)).toMatchObject({ nextBeginOffset: 3 });
  });

  it('answers MESSAGE_WAS_REMOVING when the units point at deleted commit-log files, then OFFSET_TOO_SMALL once the queue min moved (nextBeginOffset = min)', async () => {
    // ~210-byte records, 4 KiB segments: 19 per segment; 10 units per consume-queue file.
    const rig = await filled(60);
    const { commitLog, consumeQueueTable } = rig.store;
    expect(commitLog.mappedFileQueue.mappedFiles.length).toBe(4);
    commitLog.deleteExpiredFile(0, true); // keep only the last segment
    const firstKept = commitLog.getMinOffset();
    const removing = getMessage(contextOf(rig), 'g', 'TopicA', 0, 0, 32);
    // The first consume-queue file (units 0..9) points only at deleted data.
    expect(removing).toMatchObject({ status: 'MESSAGE_WAS_REMOVING', nextBeginOffset: 10, messageCount: 0 });
    consumeQueueTable.deleteExpiredFiles(firstKept);
    const min = rig.store.getMinOffsetInQueue('TopicA', 0);
    expect(min).toBeGreaterThan(0);
    expect(getMessage(contextOf(rig), 'g', 'TopicA', 0, 0, 32)).toMatchObject({ status: 'OFFSET_TOO_SMALL', nextBeginOffset: min, minOffset: min });
    const found = getMessage(contextOf(rig), 'g', 'TopicA', 0, min, 32);
    expect(found.status).toBe('FOUND');
    expect(queueOffsetsOf(recordsOf(found))[0]).toBe(min);
  });

  it('answers OFFSET_FOUND_NULL when the unit cannot be read, with nextBeginOffset at the next consume-queue file', async () => {
    const rig = await filled(25);
    const queue = rig.store.consumeQueueTable.getConsumeQueue('TopicA', 0)!;
    // Delete consume-queue files without moving the queue's min offset (a cleaner caught half-way).
    queue.mappedFileQueue.deleteExpiredFileByOffset(Number.MAX_SAFE_INTEGER, 20);
    expect(getMessage(contextOf(rig), 'g', 'TopicA', 0, 3, 32)).toMatchObject({ status: 'OFFSET_FOUND_NULL', nextBeginOffset: 10 });
  });

  it('filters by tags code: skipped units still count in nextBeginOffset, and all filtered out is NO_MATCHED_MESSAGE', async () => {
    const rig = await filled(6);
    const tagA = tagsCodeFilter(javaStringHashCode('TagA'));
    const found = getMessage(contextOf(rig), 'g', 'TopicA', 0, 0, 32, tagA);
    expect(found).toMatchObject({ status: 'FOUND', nextBeginOffset: 6, messageCount: 3 });
    expect(queueOffsetsOf(recordsOf(found))).toEqual([0, 2, 4]);
    const none = getMessage(contextOf(rig), 'g', 'TopicA', 0, 0, 32, tagsCodeFilter(javaStringHashCode('TagC')));
    expect(none).toMatchObject({ status: 'NO_MATCHED_MESSAGE', nextBeginOffset: 6, messageCount: 0, bufferTotalSize: 0 });
  });

  it('asks isMatchedByCommitLog() with the whole record and drops what it rejects', async () => {
    const rig = await filled(4);
    const seen: number[] = [];
    const oddOnly: MessageFilter = {
      isMatchedByConsumeQueue: () => true,
      isMatchedByCommitLog: (record) => {
        const request = checkMessageAndReturnSize(record, 0, true);
        seen.push(request.consumeQueueOffset);
        return request.consumeQueueOffset % 2 === 1;
      },
    };
    const result = getMessage(contextOf(rig), 'g', 'TopicA', 0, 0, 32, oddOnly);
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(queueOffsetsOf(recordsOf(result))).toEqual([1, 3]);
    expect(recordsOf(result).every((r) => checkMessageAndReturnSize(r, 0, true).success)).toBe(true);
  });

  it('stops at maxTransferCountOnMessageInMemory and at maxTransferBytesOnMessageInMemory, but always returns one record', async () => {
    const rig = await filled(10, { maxTransferCountOnMessageInMemory: 4 });
    expect(getMessage(contextOf(rig), 'g', 'TopicA', 0, 0, 32)).toMatchObject({ status: 'FOUND', messageCount: 4, nextBeginOffset: 4 });
    const size = recordsOf(getMessage(contextOf(rig), 'g', 'TopicA', 0, 0, 1))[0]!.length;
    const bytes = contextOf(rig, { config: { ...rig.config, maxTransferBytesOnMessageInMemory: 2 * size + 1 } });
    expect(getMessage(bytes, 'g', 'TopicA', 0, 0, 32)).toMatchObject({ messageCount: 2, nextBeginOffset: 2, bufferTotalSize: 2 * size });
    const tiny = contextOf(rig, { config: { ...rig.config, maxTransferBytesOnMessageInMemory: 10 } });
    expect(getMessage(tiny, 'g', 'TopicA', 0, 5, 32)).toMatchObject({ messageCount: 1, nextBeginOffset: 6 });
  });

  it('uses the on-disk limits and suggests pulling from a slave when the data is further behind than 40% of RAM', async () => {
    const rig = await filled(12, { maxTransferCountOnMessageInDisk: 3 });
    const lowMemory = contextOf(rig, { totalPhysicalMemoryBytes: 100 }); // 40 bytes of "page cache"
    expect(getMessage(lowMemory, 'g', 'TopicA', 0, 0, 32)).toMatchObject({ status: 'FOUND', messageCount: 3, nextBeginOffset: 3, suggestPullingFromSlave: true });
    // A pull never reads past the end of one consume-queue file (10 units here).
    expect(getMessage(contextOf(rig), 'g', 'TopicA', 0, 0, 32)).toMatchObject({ messageCount: 10, nextBeginOffset: 10, suggestPullingFromSlave: false });
  });

  it('skips filler units and units that do not point at their record, never serving them', async () => {
    const rig = await filled(2);
    const queue = rig.store.consumeQueueTable.getConsumeQueue('TopicA', 0)!;
    const last = queue.getUnit(1)!;
    // Queue offset 4 written directly: offsets 2 and 3 become fillers; 4 points one byte into a record.
    queue.putMessagePositionInfo(last.physicalOffset + 1, last.size, 0, 4);
    const result = getMessage(contextOf(rig), 'g', 'TopicA', 0, 1, 32);
    expect(result).toMatchObject({ status: 'FOUND', messageCount: 1, nextBeginOffset: 5, maxOffset: 5 });
    expect(queueOffsetsOf(recordsOf(result))).toEqual([1]);
  });

  it('skips only the unit that is garbage (past the log end, negative, not a safe integer), never the units after it', async () => {
    // Goal: a garbage unit must not look like deleted data, which would skip the rest of its
    // "file". Method: 45 units (5 files), so recovery, which checks the last 3 files, never
    // sees file 0; after a shutdown, overwrite its units 1, 2 and 3, reopen, and pull.
    const rig = await filled(45);
    rig.store.shutdown();
    const handle = rig.fs.open('/store/consumequeue/TopicA/0/00000000000000000000', 'rw');
    handle.write(1 * 20, new Uint8Array([0, 0, 0, 0xe8, 0xd4, 0xa5, 0x10, 0x00])); // 10^12: past the end of the log
    handle.write(2 * 20, new Uint8Array(8).fill(0xff)); // -1
    handle.write(3 * 20, new Uint8Array(8).fill(0x7f)); // beyond 2^53
    handle.flush();
    openStore(rig);
    const result = getMessage(contextOf(rig), 'g', 'TopicA', 0, 0, 6);
    expect(result).toMatchObject({ status: 'FOUND', nextBeginOffset: 9 });
    expect(queueOffsetsOf(recordsOf(result))).toEqual([0, 4, 5, 6, 7, 8]);
  });
});
