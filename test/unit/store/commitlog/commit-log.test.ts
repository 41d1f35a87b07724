import { describe, expect, it } from 'vitest';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { messageStoreConfigFor } from '../../../../src/common/config/profiles.js';
import type { MessageStoreConfig } from '../../../../src/common/config/message-store-config.js';
import { MessageSysFlag } from '../../../../src/common/message/message-sys-flag.js';
import { MessageConst } from '../../../../src/common/message/message-const.js';
import { encodeBatchMessages } from '../../../../src/common/message/message-batch.js';
import { Message } from '../../../../src/common/message/message.js';
import { decodeMessageId } from '../../../../src/common/message/message-id.js';
import { viewOf } from '../../../../src/common/bytes.js';
import { CommitLog } from '../../../../src/store/commitlog/commit-log.js';
import { checkMessageAndReturnSize } from '../../../../src/store/commitlog/commit-log-record-reader.js';
import { BLANK_MAGIC_CODE, calMsgLength } from '../../../../src/store/commitlog/record-layout.js';
import { brokerMessage, CountingFileSystem, recordingEvents, type TestMessageOptions } from '../store-test-support.js';

const FILE_SIZE = 1024;

function setup(overrides: Partial<MessageStoreConfig> = {}) {
  const clock = new ManualClock(1_700_000_000_000);
  const memory = new MemoryFileSystem({ clock });
  const fs = new CountingFileSystem(memory);
  const { sink, events } = recordingEvents(clock);
  const config = messageStoreConfigFor('teaching', { storePathRootDir: '/store', mappedFileSizeCommitLog: FILE_SIZE, maxMessageSize: 512, ...overrides });
  const commitLog = new CommitLog({ fs, clock, events, config, storeHost: '10.0.0.1:10911' });
  return { clock, memory, fs, sink, commitLog, config };
}

/** TOTALSIZE of `brokerMessage(options)` as stored. */
function recordLength(options: TestMessageOptions = {}): number {
  const msg = brokerMessage(options);
  return calMsgLength(0, msg.body.length, msg.topic.length, new TextEncoder().encode(msg.propertiesString).length);
}

describe('CommitLog', () => {
  it('putMessage() appends records back to back and hands out queue offsets per topic and queue', async () => {
    const { commitLog, sink } = setup();
    const size = recordLength({ tags: 'TagA' });
    const r1 = await commitLog.putMessage(brokerMessage({ tags: 'TagA' }));
    const r2 = await commitLog.putMessage(brokerMessage({ tags: 'TagA', queueId: 1 }));
    const r3 = await commitLog.putMessage(brokerMessage({ tags: 'TagA' }));
    expect(r1.putMessageStatus).toBe('PUT_OK');
    expect([r1, r2, r3].map((r) => [r.appendMessageResult!.wroteOffset, r.appendMessageResult!.logicsOffset])).toEqual([
      [0, 0], [size, 0], [2 * size, 1],
    ]);
    expect(commitLog.topicQueueTable.toRecord()).toEqual({ 'TopicA-0': 2, 'TopicA-1': 1 });
    expect(commitLog.getMaxOffset()).toBe(3 * size);
    expect(decodeMessageId(r3.appendMessageResult!.msgId)).toMatchObject({ address: '10.0.0.1:10911', offset: 2 * size });
    expect(sink.ofKind('store.commitlog.appended')[2]!.data).toMatchObject({ physOffset: 2 * size, size, queueOffset: 1, topic: 'TopicA' });
  });

  it('putMessage() writes a record that checkMessageAndReturnSize() reads back', async () => {
    const { commitLog, clock } = setup();
    await commitLog.putMessage(brokerMessage({ tags: 'TagA' }));
    const data = commitLog.getData(0)!;
    const request = checkMessageAndReturnSize(data.bytes, 0, true);
    expect(request).toMatchObject({ success: true, topic: 'TopicA', queueId: 0, commitLogOffset: 0, storeTimestamp: clock.now() });
    expect(commitLog.pickupStoreTimestamp(0, request.msgSize)).toBe(clock.now());
    expect(commitLog.getMessage(0, request.msgSize)!.size).toBe(request.msgSize);
  });

  it('putMessage() writes a BLANK record and rolls to the next segment when the record does not fit (END_OF_FILE)', async () => {
    const { commitLog, sink } = setup();
    const body = 'x'.repeat(200);
    const size = recordLength({ body });
    const fits = Math.floor((FILE_SIZE - 8) / size); // records that leave 8 bytes free
    for (let i = 0; i < fits; i++) await commitLog.putMessage(brokerMessage({ body }));
    const rolled = await commitLog.putMessage(brokerMessage({ body }));
    expect(rolled.appendMessageResult!.wroteOffset).toBe(FILE_SIZE);
    expect(rolled.appendMessageResult!.logicsOffset).toBe(fits);
    expect(commitLog.mappedFileQueue.mappedFiles.map((f) => f.fileName)).toEqual(['00000000000000000000', '00000000000000001024']);
    const blankAt = fits * size;
    const tail = commitLog.getData(blankAt)!;
    expect(viewOf(tail.bytes).getInt32(0, false)).toBe(FILE_SIZE - blankAt);
    expect(viewOf(tail.bytes).getInt32(4, false)).toBe(BLANK_MAGIC_CODE);
    expect(sink.ofKind('store.commitlog.blank-filled')[0]!.data).toEqual({ fileFromOffset: 0, physOffset: blankAt, size: FILE_SIZE - blankAt });
    expect(commitLog.rollNextFile(blankAt)).toBe(FILE_SIZE);
  });

  it('putMessage() gives PREPARED and ROLLBACK records queue offset 0 without moving the table', async () => {
    const { commitLog } = setup();
    await commitLog.putMessage(brokerMessage());
    const half = await commitLog.putMessage(brokerMessage({ sysFlag: MessageSysFlag.TRANSACTION_PREPARED_TYPE }));
    expect(half.appendMessageResult!.logicsOffset).toBe(0);
    const next = await commitLog.putMessage(brokerMessage({ sysFlag: MessageSysFlag.TRANSACTION_COMMIT_TYPE }));
    expect(next.appendMessageResult!.logicsOffset).toBe(1);
    expect(commitLog.topicQueueTable.get('TopicA', 0)).toBe(2);
  });

  it('putMessage() refuses a record over maxMessageSize or over 32767 bytes of properties, writing nothing', async () => {
    const { commitLog, fs } = setup();
    const tooBig = await commitLog.putMessage(brokerMessage({ body: 'x'.repeat(600) }));
    expect(tooBig.putMessageStatus).toBe('MESSAGE_ILLEGAL');
    expect(tooBig.appendMessageResult!.status).toBe('MESSAGE_SIZE_EXCEEDED');
    const props = await commitLog.putMessage(brokerMessage({ properties: { big: 'p'.repeat(33_000) } }));
    expect(props.putMessageStatus).toBe('PROPERTIES_SIZE_EXCEEDED');
    const topic = await commitLog.putMessage(brokerMessage({ topic: 't'.repeat(128) }));
    expect(topic.putMessageStatus).toBe('MESSAGE_ILLEGAL');
    expect(commitLog.getMaxOffset()).toBe(0);
    expect(commitLog.mappedFileQueue.mappedFiles).toHaveLength(0);
    expect(fs.counts.write).toBe(0);
  });

  it('putMessage() refuses a record that could never fit one segment even when maxMessageSize allows it', async () => {
    const { commitLog } = setup({ maxMessageSize: 4096 });
    const result = await commitLog.putMessage(brokerMessage({ body: 'x'.repeat(1100) }));
    expect(result.putMessageStatus).toBe('MESSAGE_ILLEGAL');
    expect(commitLog.getMaxOffset()).toBe(0);
  });

  it('putMessage() answers SERVICE_NOT_AVAILABLE after a failed disk write, and keeps refusing', async () => {
    const { commitLog, memory, sink, clock } = setup();
    commitLog.start();
    await commitLog.putMessage(brokerMessage());
    memory.failWrites('EIO');
    await commitLog.putMessage(brokerMessage()); // appended to the window; the commit fails
    await clock.advance(1);
    expect(commitLog.isWriteable).toBe(false);
    expect(sink.ofKind('store.io.failed')).toHaveLength(1);
    memory.failWrites(null);
    const refused = await commitLog.putMessage(brokerMessage());
    expect(refused.putMessageStatus).toBe('SERVICE_NOT_AVAILABLE');
    expect(refused.appendMessageResult).toBeUndefined();
    commitLog.shutdown();
  });

  it('putMessage() answers CREATE_MAPPED_FILE_FAILED when the next segment cannot be created', async () => {
    const { commitLog, memory } = setup();
    memory.failWrites('ENOSPC');
    const result = await commitLog.putMessage(brokerMessage());
    expect(result.putMessageStatus).toBe('CREATE_MAPPED_FILE_FAILED');
    memory.failWrites(null);
    expect((await commitLog.putMessage(brokerMessage())).putMessageStatus).toBe('PUT_OK'); // not latched
  });

  it('the commit service moves all puts of one tick to the file in a single write', async () => {
    const { commitLog, fs, clock, sink } = setup();
    commitLog.start();
    await clock.advance(1);
    fs.reset();
    const puts = Array.from({ length: 5 }, () => commitLog.putMessage(brokerMessage()));
    expect(fs.counts.write).toBe(0);
    await Promise.all(puts);
    await clock.advance(1);
    expect(fs.counts.write).toBe(1);
    expect(commitLog.mappedFileQueue.committedWhere).toBe(commitLog.getMaxOffset());
    expect(sink.ofKind('store.commitlog.committed').at(-1)!.data.committedWhere).toBe(commitLog.getMaxOffset());
    commitLog.shutdown();
  });

  it('putMessages() stores each batch item as its own record with consecutive queue offsets', async () => {
    const { commitLog } = setup();
    const items = ['a', 'bb', 'ccc'].map((text) => Message.create('TopicA', new TextEncoder().encode(text)));
    const batch = brokerMessage({ body: encodeBatchMessages(items) });
    await commitLog.putMessage(brokerMessage());
    const result = await commitLog.putMessages(batch);
    expect(result.putMessageStatus).toBe('PUT_OK');
    expect(result.appendMessageResult).toMatchObject({ msgNum: 3, logicsOffset: 1 });
    expect(result.appendMessageResult!.msgId.split(',')).toHaveLength(3);
    expect(commitLog.topicQueueTable.get('TopicA', 0)).toBe(4);
    const data = commitLog.getData(result.appendMessageResult!.wroteOffset)!;
    const first = checkMessageAndReturnSize(data.bytes, 0, true);
    const second = checkMessageAndReturnSize(data.bytes, first.msgSize, true);
    expect([first.consumeQueueOffset, second.consumeQueueOffset]).toEqual([1, 2]);
  });

  it('putMessages() refuses a delayed or transactional batch', async () => {
    const { commitLog } = setup();
    const batch = brokerMessage({ body: encodeBatchMessages([Message.create('TopicA', new Uint8Array(1))]), properties: { DELAY: '2' } });
    expect((await commitLog.putMessages(batch)).putMessageStatus).toBe('MESSAGE_ILLEGAL');
  });

  it('putMessage() with DELAY=3 stores the message in SCHEDULE_TOPIC_XXXX queue 2 with its real topic in properties', async () => {
    const { commitLog } = setup();
    const msg = brokerMessage({ queueId: 5, properties: { [MessageConst.PROPERTY_DELAY_TIME_LEVEL]: '3' } });
    await commitLog.putMessage(msg);
    const request = checkMessageAndReturnSize(commitLog.getData(0)!.bytes, 0, true);
    expect(request.topic).toBe('SCHEDULE_TOPIC_XXXX');
    expect(request.queueId).toBe(2);
    expect(request.propertiesMap!.get('REAL_TOPIC')).toBe('TopicA');
    expect(request.propertiesMap!.get('REAL_QID')).toBe('5');
  });

  it('a power cut keeps exactly the records before flushedWhere; committed-only records are lost', async () => {
    // Goal: the three positions mean what they say. Method: flush 3 puts, commit 2 more,
    // crash the MemoryFileSystem, and walk the durable bytes with the record reader.
    const first = setup();
    for (let i = 0; i < 3; i++) await first.commitLog.putMessage(brokerMessage({ body: `m${i}` }));
    const flushedWhere = first.commitLog.flush();
    for (let i = 3; i < 5; i++) await first.commitLog.putMessage(brokerMessage({ body: `m${i}` }));
    first.commitLog.commit();
    expect(first.commitLog.mappedFileQueue.committedWhere).toBeGreaterThan(flushedWhere);
    first.memory.crash();

    const reopened = new CommitLog({ fs: first.memory, clock: first.clock, events: recordingEvents(first.clock).events, config: first.config, storeHost: '10.0.0.1:10911' });
    expect(reopened.load()).toBe(true);
    const bytes = reopened.getData(0, FILE_SIZE)!.bytes;
    let offset = 0;
    let valid = 0;
    for (;;) {
      const request = checkMessageAndReturnSize(bytes, offset, true);
      if (!request.success || request.msgSize <= 0) break;
      valid++;
      offset += request.msgSize;
    }
    expect(valid).toBe(3);
    expect(offset).toBe(flushedWhere);
  });

  it('load() reopens the segments, and truncateDirtyFiles() cuts the log back for recovery', async () => {
    const first = setup();
    for (let i = 0; i < 12; i++) await first.commitLog.putMessage(brokerMessage({ body: 'y'.repeat(100) }));
    first.commitLog.flush();
    const end = first.commitLog.getMaxOffset();
    const files = first.commitLog.mappedFileQueue.mappedFiles.length;
    first.commitLog.shutdown();

    const reopened = new CommitLog({ fs: first.fs, clock: first.clock, events: recordingEvents(first.clock).events, config: first.config, storeHost: '10.0.0.1:10911' });
    expect(reopened.load()).toBe(true);
    expect(reopened.getMaxOffset()).toBe(files * FILE_SIZE); // positions at the end until recovery moves them
    reopened.truncateDirtyFiles(end);
    expect(reopened.getMaxOffset()).toBe(end);
    expect(reopened.mappedFileQueue.flushedWhere).toBe(end);
    const next = await reopened.putMessage(brokerMessage());
    expect(next.appendMessageResult!.wroteOffset).toBe(end);
  });
});
