import { describe, expect, it } from 'vitest';
import { javaStringHashCode } from '../../../src/common/java-compat.js';
import { MessageConst } from '../../../src/common/message/message-const.js';
import { BrokerRole } from '../../../src/common/config/message-store-config.js';
import { checkMessageAndReturnSize } from '../../../src/store/commitlog/commit-log-record-reader.js';
import { getAbortFile } from '../../../src/store/store-path.js';
import type { MessageArrivingListener } from '../../../src/store/message-store.js';
import { crash, keyedMessage as brokerMessage, openStore, settle, recordsOf, storeRig, type StoreRig } from './message-store-test-support.js';

async function putOk(rig: StoreRig, options: Parameters<typeof brokerMessage>[0] = {}) {
  const result = await settle(rig.clock, rig.store.putMessage(brokerMessage(options)));
  expect(result.putMessageStatus).toBe('PUT_OK');
  return result.appendMessageResult!;
}

describe('DefaultMessageStore', () => {
  it('putMessage() then getMessage() returns the stored record once the reput service has dispatched it', async () => {
    const rig = storeRig();
    openStore(rig);
    const appended = await putOk(rig, { tags: 'TagA', body: 'one' });
    await rig.clock.advance(0);
    const result = rig.store.getMessage('g', 'TopicA', 0, 0, 32)!;
    expect(result).toMatchObject({ status: 'FOUND', nextBeginOffset: 1, minOffset: 0, maxOffset: 1, messageCount: 1 });
    expect(result.body).toEqual(rig.store.selectOneMessageByOffset(appended.wroteOffset)!.bytes);
    expect(checkMessageAndReturnSize(result.body, 0, true)).toMatchObject({ success: true, topic: 'TopicA', tagsCode: javaStringHashCode('TagA') });
  });

  it('getMessage() answers undefined before start() and after shutdown(), and putMessage() SERVICE_NOT_AVAILABLE', async () => {
    const rig = storeRig();
    expect(rig.store.load()).toBe(true);
    expect(rig.store.getMessage('g', 'TopicA', 0, 0, 32)).toBeUndefined();
    expect((await rig.store.putMessage(brokerMessage())).putMessageStatus).toBe('SERVICE_NOT_AVAILABLE');
    rig.store.start();
    rig.store.shutdown();
    expect(rig.store.getMessage('g', 'TopicA', 0, 0, 32)).toBeUndefined();
    expect((await rig.store.putMessage(brokerMessage())).putMessageStatus).toBe('SERVICE_NOT_AVAILABLE');
  });

  it('start() creates the abort file and a clean shutdown() deletes it; the next load() recovers normally', async () => {
    const rig = storeRig();
    openStore(rig);
    expect(rig.fs.exists(getAbortFile('/store'))).toBe(true);
    for (let i = 0; i < 5; i++) await putOk(rig, { body: `m${i}` });
    rig.store.shutdown();
    expect(rig.fs.exists(getAbortFile('/store'))).toBe(false);
    openStore(rig);
    expect(rig.store.lastExitOK).toBe(true);
    expect(rig.sink.ofKind('store.recovery.completed').at(-1)!.data).toMatchObject({ mode: 'normal', redispatched: 0 });
    expect(rig.store.getMessage('g', 'TopicA', 0, 0, 32)!.messageCount).toBe(5);
    // Queue offsets continue where they stopped: the topic queue table was rebuilt from the queue.
    expect((await putOk(rig, { body: 'm5' })).logicsOffset).toBe(5);
  });

  it('load() after a crash finds the abort file and recovers abnormally, replaying the log into the queues', async () => {
    const rig = storeRig({ flushDiskType: 'SYNC_FLUSH' });
    openStore(rig);
    for (let i = 0; i < 5; i++) await putOk(rig, { body: `m${i}`, keys: `k${i}` });
    crash(rig);
    openStore(rig);
    expect(rig.store.lastExitOK).toBe(false);
    expect(rig.sink.ofKind('store.recovery.completed').at(-1)!.data).toMatchObject({ mode: 'abnormal', redispatched: 5 });
    const result = rig.store.getMessage('g', 'TopicA', 0, 0, 32)!;
    expect(recordsOf(result).map((r) => checkMessageAndReturnSize(r, 0, true).keys)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
    expect(rig.store.queryMessage('TopicA', 'k3', 32, 0, Number.MAX_SAFE_INTEGER).messageCount).toBe(1);
  });

  it('putMessage() answers SERVICE_NOT_AVAILABLE once a disk write failed, and shutdown() keeps the abort file', async () => {
    const rig = storeRig();
    openStore(rig);
    await putOk(rig, { body: 'before' });
    rig.store.flush();
    rig.fs.failWrites('ENOSPC');
    await rig.store.putMessage(brokerMessage({ body: 'during' }));
    await rig.clock.advance(1000); // the commit service tries to write and fails
    expect(rig.store.isWriteable).toBe(false);
    expect((await rig.store.putMessage(brokerMessage({ body: 'after' }))).putMessageStatus).toBe('SERVICE_NOT_AVAILABLE');
    expect(rig.sink.ofKind('store.io.failed').length).toBeGreaterThan(0);
    rig.store.shutdown();
    expect(rig.fs.exists(getAbortFile('/store'))).toBe(true);
    rig.fs.failWrites(null);
    openStore(rig);
    expect(rig.store.lastExitOK).toBe(false);
    const result = rig.store.getMessage('g', 'TopicA', 0, 0, 32)!;
    expect(result.messageCount).toBeGreaterThanOrEqual(1);
    expect(recordsOf(result).every((r) => checkMessageAndReturnSize(r, 0, true).success)).toBe(true);
  });

  it('putMessage() answers SERVICE_NOT_AVAILABLE on a SLAVE', async () => {
    const rig = storeRig({ brokerRole: BrokerRole.SLAVE });
    openStore(rig);
    expect((await rig.store.putMessage(brokerMessage())).putMessageStatus).toBe('SERVICE_NOT_AVAILABLE');
  });

  it('tells the messageArrivingListener about each dispatched message with its queue max offset', async () => {
    const rig = storeRig();
    const calls: unknown[][] = [];
    const listener: MessageArrivingListener = { arriving: (...args) => calls.push(args.slice(0, 5)) };
    rig.store.messageArrivingListener = listener;
    openStore(rig);
    rig.store.messageArrivingListener = listener;
    const a = await putOk(rig, { tags: 'TagA', queueId: 2 });
    await putOk(rig, { queueId: 2 });
    await rig.clock.advance(0);
    expect(calls).toEqual([
      ['TopicA', 2, 1, javaStringHashCode('TagA'), a.storeTimestamp],
      ['TopicA', 2, 2, 0, a.storeTimestamp],
    ]);
    expect(rig.sink.ofKind('store.message.arrived').map((e) => e.data.maxQueueOffset)).toEqual([1, 2]);
  });

  it('answers offset questions: min/max offset, offset by time, store times, commit-log offset of a unit', async () => {
    const rig = storeRig();
    openStore(rig);
    const stored = [];
    for (let i = 0; i < 4; i++) {
      stored.push(await putOk(rig, { body: `m${i}` }));
      await rig.clock.advance(1000);
    }
    const s = rig.store;
    expect([s.getMinOffsetInQueue('TopicA', 0), s.getMaxOffsetInQueue('TopicA', 0), s.getMessageTotalInQueue('TopicA', 0)]).toEqual([0, 4, 4]);
    expect([s.getMinOffsetInQueue('Nope', 0), s.getMaxOffsetInQueue('Nope', 0)]).toEqual([0, 0]);
    expect(s.getCommitLogOffsetInQueue('TopicA', 0, 2)).toBe(stored[2]!.wroteOffset);
    expect(s.getMessageStoreTimeStamp('TopicA', 0, 3)).toBe(stored[3]!.storeTimestamp);
    expect(s.getEarliestMessageTime('TopicA', 0)).toBe(stored[0]!.storeTimestamp);
    expect(s.getEarliestMessageTimeOfStore()).toBe(stored[0]!.storeTimestamp);
    expect(s.getOffsetInQueueByTime('TopicA', 0, stored[2]!.storeTimestamp + 100)).toBe(2);
    expect(s.getEarliestMessageTime('Nope', 0)).toBe(-1);
    expect(s.checkInDiskByConsumeOffset('TopicA', 0, 0)).toBe(false);
  });

  it('looks messages up by key (queryMessage), by offset msgId (selectOneMessageByMsgId) and by offset (lookMessageByOffset)', async () => {
    const rig = storeRig();
    openStore(rig);
    const a = await putOk(rig, { body: 'alpha', keys: 'ORDER-1 SHARED' });
    const b = await putOk(rig, { body: 'beta', keys: 'ORDER-2 SHARED', properties: { [MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX]: 'C0A8000100002A9F0000000000000001' } });
    await rig.clock.advance(0);
    const shared = rig.store.queryMessage('TopicA', 'SHARED', 32, 0, Number.MAX_SAFE_INTEGER);
    expect(recordsOf(shared).map((r) => checkMessageAndReturnSize(r, 0, true).commitLogOffset)).toEqual([a.wroteOffset, b.wroteOffset]);
    expect(rig.store.queryMessage('TopicA', 'C0A8000100002A9F0000000000000001', 32, 0, Number.MAX_SAFE_INTEGER).messageCount).toBe(1);
    expect(rig.store.queryMessage('TopicB', 'ORDER-1', 32, 0, Number.MAX_SAFE_INTEGER).messageCount).toBe(0);
    expect(rig.store.selectOneMessageByMsgId(b.msgId)!.startOffset).toBe(b.wroteOffset);
    expect(new TextDecoder().decode(rig.store.lookMessageByOffset(a.wroteOffset)!.body)).toBe('alpha');
    expect(rig.store.lookMessageByOffset(a.wroteOffset + 1)).toBeUndefined();
  });

  it('emits an event for every step worth drawing: append, roll, flush, dispatch, index, recover, delete', async () => {
    const rig = storeRig({ flushDiskType: 'SYNC_FLUSH' });
    openStore(rig);
    for (let i = 0; i < 12; i++) await putOk(rig, { body: 'x'.repeat(500), keys: `k${i}` });
    await rig.clock.advance(0);
    rig.store.consumeQueueTable.flush(0);
    expect(rig.store.commitLog.mappedFileQueue.mappedFiles.length).toBe(2);
    crash(rig);
    // Lose the second segment: recovery cuts the queue units that point into it, deleting a queue file.
    rig.fs.remove('/store/commitlog/00000000000000004096');
    openStore(rig);
    const kinds = new Set(rig.sink.events.map((e) => e.kind));
    for (const kind of [
      'store.commitlog.appended', 'store.commitlog.blank-filled', 'store.mappedfile.created', 'store.flush.completed', 'store.groupcommit.acked',
      'store.reput.dispatched', 'store.consumequeue.appended', 'store.index.appended', 'store.recovery.started', 'store.recovery.truncated',
      'store.recovery.completed', 'store.mappedfile.deleted',
    ] as const) {
      expect(kinds.has(kind), kind).toBe(true);
    }
  });

  it('destroy() deletes every file of the store', async () => {
    const rig = storeRig();
    openStore(rig);
    await putOk(rig, { keys: 'k' });
    await rig.clock.advance(0);
    rig.store.shutdown();
    rig.store.destroy();
    expect(rig.fs.listAll().filter((p) => !p.endsWith('/'))).toEqual([]);
  });

  it('cleanUnusedTopic() deletes the queues of topics not retained', async () => {
    const rig = storeRig();
    openStore(rig);
    await putOk(rig, { topic: 'Keep' });
    await putOk(rig, { topic: 'Drop', queueId: 1 });
    await rig.clock.advance(0);
    expect(rig.store.cleanUnusedTopic(new Set(['Keep']))).toBe(1);
    expect(rig.store.getMaxOffsetInQueue('Drop', 1)).toBe(0);
    expect(rig.store.getMaxOffsetInQueue('Keep', 0)).toBe(1);
  });
});
