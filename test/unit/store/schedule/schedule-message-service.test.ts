// ScheduleMessageService on a DefaultMessageStore (MemoryFileSystem + ManualClock).
//
// Goal: a delayed message becomes visible on its real topic exactly when its level's delay
// has passed, unchanged except for topic and queue; the per-level offsets survive a clean
// restart (nothing delivered twice) and a crash (what was not persisted is delivered again,
// nothing is lost). Method: put DELAY messages, advance virtual time, read the real topic's
// consume queue and records, restart or crash the store on the same disk.
import { describe, expect, it } from 'vitest';
import { decodeMessages } from '../../../../src/common/message/message-decoder.js';
import { MessageConst } from '../../../../src/common/message/message-const.js';
import { javaStringHashCode } from '../../../../src/common/java-compat.js';
import type { MessageExt } from '../../../../src/common/message/message-ext.js';
import { RequestCode } from '../../../../src/common/protocol/request-code.js';
import { AdminBrokerProcessor } from '../../../../src/broker/processor/admin-broker-processor.js';
import { createRequestCommand } from '../../../../src/remoting/remoting-command.js';
import { RMQ_SYS_SCHEDULE_TOPIC } from '../../../../src/store/commitlog/commit-log-record-reader.js';
import { getDelayOffsetStorePath } from '../../../../src/store/store-path.js';
import { adminRig, bodyText, fakeContext } from '../../broker/processor/admin-test-support.js';
import { crash, openStore, settle, storeRig, type StoreRig } from '../message-store-test-support.js';
import { brokerMessage, type TestMessageOptions } from '../store-test-support.js';

const DELAY_OFFSET_PATH = getDelayOffsetStorePath('/store');

/** Put a message with `DELAY=level` (and a UNIQ_KEY); returns the store time. */
async function putDelayed(rig: StoreRig, level: number, options: TestMessageOptions & { uniqKey?: string; reconsumeTimes?: number } = {}): Promise<number> {
  const { uniqKey = `UNIQ-${rig.clock.now()}`, reconsumeTimes = 0, ...rest } = options;
  const msg = brokerMessage({
    topic: 'TopicA', queueId: 1, tags: 'TagA', ...rest,
    properties: { [MessageConst.PROPERTY_DELAY_TIME_LEVEL]: String(level), [MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX]: uniqKey, ...rest.properties },
  });
  msg.reconsumeTimes = reconsumeTimes;
  const result = await settle(rig.clock, rig.store.putMessage(msg));
  expect(result.putMessageStatus).toBe('PUT_OK');
  return result.appendMessageResult!.storeTimestamp;
}

/** The messages of the real topic's queue, decoded from the store's pull result. */
function realMessages(rig: StoreRig, topic = 'TopicA', queueId = 1): MessageExt[] {
  const result = rig.store.getMessage('g', topic, queueId, 0, 64);
  return result === undefined || result.status !== 'FOUND' ? [] : decodeMessages(result.body);
}

describe('ScheduleMessageService', () => {
  it('delivers a level-3 (10 s) message to its real topic at +10 s, not before; the schedule queue holds it meanwhile', async () => {
    const rig = storeRig();
    openStore(rig);
    const storedAt = await putDelayed(rig, 3);
    await rig.clock.advance(0);
    expect(rig.store.getMaxOffsetInQueue(RMQ_SYS_SCHEDULE_TOPIC, 2)).toBe(1);
    // The unit's tags code is the deliver time.
    expect(rig.store.consumeQueueTable.getConsumeQueue(RMQ_SYS_SCHEDULE_TOPIC, 2)!.getUnit(0)!.tagsCode).toBe(storedAt + 10_000);

    await rig.clock.advanceTo(storedAt + 9_999);
    expect(rig.store.getMaxOffsetInQueue('TopicA', 1)).toBe(0);
    await rig.clock.advanceTo(storedAt + 10_000);
    await rig.clock.advance(0);
    expect(rig.store.getMaxOffsetInQueue('TopicA', 1)).toBe(1);
    const delivered = rig.sink.ofKind('store.schedule.delivered');
    expect(delivered.map((e) => e.data)).toEqual([{
      level: 3, scheduleQueueOffset: 0, realTopic: 'TopicA', realQueueId: 1, queueOffset: 0, physOffset: delivered[0]!.data.physOffset,
      deliverTimestamp: storedAt + 10_000, delayMs: 10_000, reconsumeTimes: 0,
    }]);
    expect(delivered[0]!.at).toBe(storedAt + 10_000 - 1_700_000_000_000);
    expect(rig.store.scheduleMessageService.offsetTable.get(3)).toBe(1);
  });

  it('the delivered record keeps body, tags, flag, born info, reconsumeTimes and UNIQ_KEY; topic and queue are the real ones', async () => {
    const rig = storeRig();
    openStore(rig);
    await putDelayed(rig, 2, { uniqKey: 'C0A80001000018B4AAC2', reconsumeTimes: 4, body: 'retry me', bornTimestamp: 1_699_999_999_000, properties: { colour: 'red' } });
    await rig.clock.advance(6_000);
    const [msg, ...more] = realMessages(rig);
    expect(more).toEqual([]);
    expect(msg).toMatchObject({ topic: 'TopicA', queueId: 1, queueOffset: 0, reconsumeTimes: 4, bornTimestamp: 1_699_999_999_000, bornHost: '10.0.0.9:51000', flag: 0 });
    expect(new TextDecoder().decode(msg!.body)).toBe('retry me');
    expect(msg!.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX)).toBe('C0A80001000018B4AAC2');
    expect(msg!.tags).toBe('TagA');
    expect(msg!.getProperty('colour')).toBe('red');
    // Java's quirk, kept: the properties string was taken before DELAY left the map, so the
    // stored record still carries DELAY, REAL_TOPIC and REAL_QID (and the store did not delay it again).
    expect(msg!.getProperty(MessageConst.PROPERTY_DELAY_TIME_LEVEL)).toBe('2');
    expect(msg!.getProperty(MessageConst.PROPERTY_REAL_TOPIC)).toBe('TopicA');
    expect(msg!.getProperty(MessageConst.PROPERTY_REAL_QUEUE_ID)).toBe('1');
    // The real topic's unit carries the tag hash again, not a deliver time.
    expect(rig.store.consumeQueueTable.getConsumeQueue('TopicA', 1)!.getUnit(0)!.tagsCode).toBe(javaStringHashCode('TagA'));
    expect(rig.sink.ofKind('store.schedule.delivered')[0]!.msg).toMatchObject({ uniqKey: 'C0A80001000018B4AAC2', topic: 'TopicA', queueId: 1, reconsumeTimes: 4, delayLevel: 2 });
  });

  it('delivers a level in store order, each message when it is due, and messages of different levels independently', async () => {
    const rig = storeRig();
    openStore(rig);
    const a = await putDelayed(rig, 2, { uniqKey: 'A' }); // 5 s
    await rig.clock.advance(2_000);
    const b = await putDelayed(rig, 2, { uniqKey: 'B' });
    const c = await putDelayed(rig, 1, { uniqKey: 'C' }); // 1 s
    await rig.clock.advance(10_000);
    const delivered = rig.sink.ofKind('store.schedule.delivered').map((e) => [e.msg!.uniqKey, e.at + 1_700_000_000_000]);
    expect(delivered).toEqual([['C', c + 1_000], ['A', a + 5_000], ['B', b + 5_000]]);
  });

  it('persists the offsets every flushDelayOffsetInterval and at shutdown; a restarted store resumes without delivering twice', async () => {
    const rig = storeRig();
    openStore(rig);
    await putDelayed(rig, 2, { uniqKey: 'first' });
    await rig.clock.advance(6_000); // delivered at +5 s
    await putDelayed(rig, 2, { uniqKey: 'second' });
    await putDelayed(rig, 2, { uniqKey: 'third' });
    await rig.clock.advance(4_500); // the first persist, 10 s after start
    expect(rig.fs.readText(DELAY_OFFSET_PATH)).toBe('{"offsetTable":{2:1}}');
    expect(rig.sink.ofKind('store.schedule.offsets-persisted').at(-1)!.data.offsetTable).toEqual({ '2': 1 });

    rig.store.shutdown(); // 'second' and 'third' are still waiting
    expect(rig.fs.readText(DELAY_OFFSET_PATH)).toBe('{"offsetTable":{2:1}}');
    openStore(rig);
    expect(rig.sink.ofKind('store.schedule.offsets-loaded').at(-1)!.data).toMatchObject({ source: 'file', levels: 18, offsetTable: { '2': 1 } });
    await rig.clock.advance(10_000);
    expect(realMessages(rig).map((m) => m.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX))).toEqual(['first', 'second', 'third']);
    rig.store.shutdown();
    expect(rig.fs.readText(DELAY_OFFSET_PATH)).toBe('{"offsetTable":{2:3}}');
  });

  it('after a crash, what was delivered since the last persist is delivered again (at least once: duplicates, never loss)', async () => {
    const rig = storeRig();
    openStore(rig);
    await putDelayed(rig, 1, { uniqKey: 'early' });
    await rig.clock.advance(10_500); // delivered at +1 s, offsets persisted at +10 s
    await putDelayed(rig, 1, { uniqKey: 'late' });
    await rig.clock.advance(3_000); // delivered, but the offsets are not persisted yet
    rig.store.flush(); // the records themselves are on disk (the crash is about the offsets)
    expect(rig.store.scheduleMessageService.offsetTable.get(1)).toBe(2);
    expect(rig.fs.readText(DELAY_OFFSET_PATH)).toBe('{"offsetTable":{1:1}}');
    crash(rig);

    openStore(rig);
    expect(rig.store.lastExitOK).toBe(false);
    await rig.clock.advance(3_000);
    const keys = realMessages(rig).map((m) => m.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX));
    expect(keys).toEqual(['early', 'late', 'late']);
  });

  it('clamps a persisted offset into its queue at load, so messages written after a lost tail are not skipped', async () => {
    const rig = storeRig();
    openStore(rig);
    rig.store.shutdown();
    rig.fs.writeText(DELAY_OFFSET_PATH, '{"offsetTable":{"2":7}}'); // beyond an empty queue
    openStore(rig);
    await putDelayed(rig, 2, { uniqKey: 'after' });
    await rig.clock.advance(6_000);
    expect(realMessages(rig).map((m) => m.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX))).toEqual(['after']);
  });

  it('falls back to delayOffset.json.bak, and starts from the queue when neither copy reads (event carries the error)', async () => {
    const rig = storeRig();
    openStore(rig);
    await putDelayed(rig, 1, { uniqKey: 'one' });
    await rig.clock.advance(2_000);
    rig.store.shutdown(); // writes {1:1}
    rig.store.scheduleMessageService.persist(); // the same table again: .bak = {1:1}
    rig.fs.writeText(DELAY_OFFSET_PATH, '{"offsetTable":{1:');
    openStore(rig);
    expect(rig.sink.ofKind('store.schedule.offsets-loaded').at(-1)!.data).toMatchObject({ source: 'bak', offsetTable: { '1': 1 } });
    rig.store.shutdown();

    rig.fs.writeText(DELAY_OFFSET_PATH, 'garbage');
    rig.fs.writeText(`${DELAY_OFFSET_PATH}.bak`, '[]');
    openStore(rig);
    const loaded = rig.sink.ofKind('store.schedule.offsets-loaded').at(-1)!.data;
    expect(loaded.source).toBe('defaults');
    expect(loaded.error).toMatch(/delayOffset\.json/);
    await rig.clock.advance(2_000);
    expect(realMessages(rig).map((m) => m.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX))).toEqual(['one', 'one']);
  });

  it('uses a custom messageDelayLevel: its own delays, and a level above the last is clamped to the last', async () => {
    const rig = storeRig({ messageDelayLevel: '2s 4s' });
    openStore(rig);
    expect(rig.store.scheduleMessageService.maxDelayLevel).toBe(2);
    const at = await putDelayed(rig, 5, { uniqKey: 'clamped' });
    await rig.clock.advance(0);
    expect(rig.store.getMaxOffsetInQueue(RMQ_SYS_SCHEDULE_TOPIC, 1)).toBe(1);
    await rig.clock.advanceTo(at + 3_999);
    expect(realMessages(rig)).toEqual([]);
    await rig.clock.advanceTo(at + 4_000);
    await rig.clock.advance(0);
    expect(realMessages(rig).map((m) => m.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX))).toEqual(['clamped']);
  });

  it('a refused put stops the level at that message and retries it 10 s later', async () => {
    const rig = storeRig();
    openStore(rig);
    const at = await putDelayed(rig, 1, { uniqKey: 'stalled' });
    rig.store.runningFlags.setDiskFull(true);
    await rig.clock.advanceTo(at + 1_000);
    await rig.clock.advance(0);
    expect(rig.sink.ofKind('store.schedule.deliver-failed').map((e) => e.data)).toEqual([
      { level: 1, scheduleQueueOffset: 0, realTopic: 'TopicA', status: 'SERVICE_NOT_AVAILABLE', retryInMs: 10_000 },
    ]);
    rig.store.runningFlags.setDiskFull(false);
    await rig.clock.advanceTo(at + 10_999);
    expect(realMessages(rig)).toEqual([]);
    await rig.clock.advanceTo(at + 11_000);
    await rig.clock.advance(0);
    expect(realMessages(rig)).toHaveLength(1);
  });

  it('drops a unit whose record has no REAL_TOPIC, and moves on to the next', async () => {
    const rig = storeRig();
    openStore(rig);
    // A record sent straight to the schedule topic (no DELAY, so the store leaves it there):
    // its unit's tags code is a tag hash (0), which reads as long overdue.
    const raw = brokerMessage({ topic: RMQ_SYS_SCHEDULE_TOPIC, queueId: 0 });
    expect((await settle(rig.clock, rig.store.putMessage(raw))).putMessageStatus).toBe('PUT_OK');
    await putDelayed(rig, 1, { uniqKey: 'good' });
    await rig.clock.advance(2_000);
    expect(rig.sink.ofKind('store.schedule.dropped').map((e) => e.data)).toMatchObject([{ level: 1, scheduleQueueOffset: 0, reason: 'no-real-topic' }]);
    expect(realMessages(rig).map((m) => m.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX))).toEqual(['good']);
  });

  it('does not deliver on a SLAVE (the table is still loaded and answered)', async () => {
    const rig = storeRig({ brokerRole: 'SLAVE' });
    openStore(rig);
    expect(rig.store.scheduleMessageService.isStarted).toBe(false);
    rig.store.handleScheduleMessageService('SYNC_MASTER');
    expect(rig.store.scheduleMessageService.isStarted).toBe(true);
    rig.store.handleScheduleMessageService('SLAVE');
    expect(rig.store.scheduleMessageService.isStarted).toBe(false);
  });

  it('GET_ALL_DELAY_OFFSET answers the table as fastjson writes it', async () => {
    const rig = adminRig();
    rig.store.shutdown();
    rig.fs.writeText(DELAY_OFFSET_PATH, '{"offsetTable":{"1":0}}');
    openStore(rig);
    await putDelayed(rig, 3, { uniqKey: 'x' });
    await putDelayed(rig, 2, { uniqKey: 'y' });
    await rig.clock.advance(11_000);
    const processor = new AdminBrokerProcessor({ ...rig.options, messageStore: rig.store, scheduleMessageService: rig.store.scheduleMessageService });
    const response = await processor.processRequest(fakeContext(), createRequestCommand(RequestCode.GET_ALL_DELAY_OFFSET, {}));
    expect(response?.code).toBe(0);
    expect(bodyText(response)).toBe('{"offsetTable":{1:0,2:1,3:1}}');
  });
});
