// SendMessageProcessor on a real store: both header spellings, values as strings or JSON
// numbers, bad fields named in the remark, topic checks (illegal, forbidden, missing,
// auto-created), queue ids, batches, retry/DLQ routing, prepared messages, the status
// table, and CONSUMER_SEND_MSG_BACK. msgIds are checked byte for byte.
import { describe, expect, it } from 'vitest';
import { encodeBatchMessages } from '../../../../src/common/message/message-decoder.js';
import { createMessageIdFromHost } from '../../../../src/common/message/message-id.js';
import { Message } from '../../../../src/common/message/message.js';
import { RequestCode } from '../../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../../src/common/protocol/response-code.js';
import { TopicConfig } from '../../../../src/common/topic/topic-config.js';
import { encodeUtf8 } from '../../../../src/common/bytes.js';
import { RemotingCommandCodec } from '../../../../src/remoting/remoting-command-codec.js';
import { createRequestCommand } from '../../../../src/remoting/remoting-command.js';
import { PutMessageStatus } from '../../../../src/store/results.js';
import { putMessageResponse } from '../../../../src/broker/processor/send/send-message-checks.js';
import { BORN, fakeContext, props, sendRig, sendV1, sendV2, STORE_HOST } from './send-test-support.js';

const text = new TextDecoder();

describe('SendMessageProcessor', () => {
  it('processRequest(SEND_MESSAGE_V2) stores the message and answers msgId = offset msgId, queueId, queueOffset, MSG_REGION, TRACE_ON', async () => {
    const { send, read } = sendRig();
    const response = await send(sendV2({ queueId: 1 }));
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(response.remark).toBeUndefined();
    expect(response.extFields).toEqual({
      MSG_REGION: 'DefaultRegion', TRACE_ON: 'true', msgId: '0A00000200002A9F0000000000000000', queueId: '1', queueOffset: '0',
    });
    const [stored] = await read('TopicA', 1);
    expect(stored!.msgId).toBe(response.extFields!.msgId);
    expect(text.decode(stored!.body)).toBe('hello');
    expect([stored!.bornHost, stored!.storeHost, stored!.bornTimestamp, stored!.tags, stored!.queueOffset]).toEqual(['10.0.0.9:50001', STORE_HOST, BORN, 'TagA', 0]);
    expect(stored!.getProperty('UNIQ_KEY')).toBe('AC11000100002A9F0000000000000001');
  });

  it('processRequest(SEND_MESSAGE) reads the long field names; the second message gets queueOffset 1 and the next record offset', async () => {
    const { send, read } = sendRig();
    const first = await send(sendV1({ queueId: 2 }));
    const second = await send(sendV1({ queueId: 2 }));
    const stored = await read('TopicA', 2);
    expect(stored.map((m) => m.queueOffset)).toEqual([0, 1]);
    expect(first.extFields!.msgId).toBe(createMessageIdFromHost(STORE_HOST, 0));
    expect(second.extFields!.msgId).toBe(createMessageIdFromHost(STORE_HOST, stored[0]!.storeSize));
    expect(second.extFields!.queueOffset).toBe('1');
  });

  it('accepts a header whose extFields are JSON numbers and booleans (as ali-ons sends them)', async () => {
    const { send } = sendRig();
    const header = JSON.stringify({
      code: 310, language: 'JAVA', opaque: 1, flag: 0, version: 121,
      extFields: { a: 'pg', b: 'TopicA', c: 'TBW102', d: 4, e: 3, f: 0, g: BORN, h: 0, i: props({ TAGS: 'T' }), j: 0, k: false },
    });
    const headerBytes = encodeUtf8(header);
    const frame = new Uint8Array(4 + headerBytes.length + 2);
    new DataView(frame.buffer).setInt32(0, headerBytes.length, false);
    frame.set(headerBytes, 4);
    frame.set([0x68, 0x69], 4 + headerBytes.length);
    const request = new RemotingCommandCodec().decode(frame);
    const response = await send(request);
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(response.extFields!.queueId).toBe('3');
  });

  it('answers SYSTEM_ERROR naming a missing or malformed field, in either spelling', async () => {
    const { send } = sendRig();
    const missing = await send(sendV2({ topic: null }));
    expect([missing.code, missing.remark]).toEqual([ResponseCode.SYSTEM_ERROR, 'the custom header field "b (topic)" is missing']);
    const malformed = await send(sendV2({ queueId: 'abc' }));
    expect(malformed.remark).toBe('the custom header field "e (queueId)" is not an int: "abc"');
    const v1 = await send(sendV1({ bornTimestamp: null }));
    expect(v1.remark).toBe('the custom header field "bornTimestamp" is missing');
    const back = await send(createRequestCommand(RequestCode.CONSUMER_SEND_MSG_BACK, { group: 'cg', delayLevel: 0 }));
    expect([back.code, back.remark]).toEqual([ResponseCode.SYSTEM_ERROR, 'the custom header field "offset" is missing']);
  });

  it('refuses an illegal topic name (SYSTEM_ERROR) and a system topic clients may not send to (NO_PERMISSION), keeping MSG_REGION', async () => {
    const { send, sink } = sendRig();
    const illegal = await send(sendV2({ topic: 'bad topic!' }));
    expect([illegal.code, illegal.remark]).toEqual([ResponseCode.SYSTEM_ERROR, 'The specified topic contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$']);
    expect(illegal.extFields!.MSG_REGION).toBe('DefaultRegion');
    const forbidden = await send(sendV2({ topic: 'SCHEDULE_TOPIC_XXXX' }));
    expect([forbidden.code, forbidden.remark]).toEqual([ResponseCode.NO_PERMISSION, 'Sending message to topic[SCHEDULE_TOPIC_XXXX] is forbidden.']);
    expect(sink.ofKind('broker.message.checked').map((e) => e.data.refused)).toEqual(['SYSTEM_ERROR', 'NO_PERMISSION']);
  });

  it('auto-creates an unknown topic from TBW102 with min(d, 8) queues, and answers TOPIC_NOT_EXIST when auto-creation is off', async () => {
    const on = sendRig();
    expect((await on.send(sendV2({ topic: 'NewTopic', defaultTopicQueueNums: 4 }))).code).toBe(ResponseCode.SUCCESS);
    expect(on.topicConfigManager.selectTopicConfig('NewTopic')?.toString()).toContain('readQueueNums=4, writeQueueNums=4, perm=RW-');
    expect(on.sink.ofKind('broker.message.checked')[0]!.data).toEqual({ topic: 'NewTopic', queueId: 0, topicExists: false, autoCreated: true, perm: 6 });

    const off = sendRig({ autoCreateTopicEnable: false });
    const response = await off.send(sendV2({ topic: 'NewTopic' }));
    expect([response.code, response.remark]).toEqual([
      ResponseCode.TOPIC_NOT_EXIST, 'topic[NewTopic] not exist, apply first please!\nSee http://rocketmq.apache.org/docs/faq/ for further details.',
    ]);
  });

  it('refuses queueId >= max(write, read) queues with Java\'s remark, and picks a random queue for queueId < 0', async () => {
    const { send, topicConfigManager } = sendRig();
    topicConfigManager.updateTopicConfig(new TopicConfig('TopicA', 4, 4, 6));
    const bad = await send(sendV2({ queueId: 4 }));
    expect([bad.code, bad.remark]).toEqual([
      ResponseCode.SYSTEM_ERROR,
      'request queueId[4] is illegal, TopicConfig [topicName=TopicA, readQueueNums=4, writeQueueNums=4, perm=RW-, topicFilterType=SINGLE_TAG, topicSysFlag=0, order=false] Producer: 10.0.0.9:50001',
    ]);
    const ids = new Set<string>();
    for (let i = 0; i < 12; i++) ids.add((await send(sendV2({ queueId: -1 }))).extFields!.queueId!);
    expect([...ids].every((id) => ['0', '1', '2', '3'].includes(id))).toBe(true);
    expect(ids.size).toBeGreaterThan(1);
  });

  it('refuses sends to an ordered topic while the broker is not writable; other topics are still accepted (Java)', async () => {
    const { send, topicConfigManager } = sendRig({ brokerPermission: 4 });
    const ordered = new TopicConfig('Ordered', 4, 4, 6);
    ordered.order = true;
    topicConfigManager.updateTopicConfig(ordered);
    const refused = await send(sendV2({ topic: 'Ordered' }));
    expect([refused.code, refused.remark]).toEqual([ResponseCode.NO_PERMISSION, 'the broker[10.0.0.2] sending message is forbidden']);
    expect((await send(sendV2({ topic: 'TopicA' }))).code).toBe(ResponseCode.SUCCESS);
  });

  it('processRequest(SEND_BATCH_MESSAGE, m=true) stores every item and answers comma-joined msgIds and the first queueOffset', async () => {
    const { send, read } = sendRig();
    await send(sendV2({ queueId: 0 })); // one message first, so the batch starts at queue offset 1
    const items = ['a', 'bb', 'ccc'].map((body, i) => {
      const m = Message.create('TopicA', encodeUtf8(body), { tags: `T${i}` });
      m.putProperty('UNIQ_KEY', `U${i}`);
      return m;
    });
    const response = await send(sendV2({ batch: true, properties: props({ WAIT: 'true' }) }, encodeBatchMessages(items), RequestCode.SEND_BATCH_MESSAGE));
    expect(response.code).toBe(ResponseCode.SUCCESS);
    const stored = await read('TopicA', 0);
    expect(stored.map((m) => [text.decode(m.body), m.tags, m.queueOffset])).toEqual([['hello', 'TagA', 0], ['a', 'T0', 1], ['bb', 'T1', 2], ['ccc', 'T2', 3]]);
    expect(response.extFields!.msgId).toBe(stored.slice(1).map((m) => createMessageIdFromHost(STORE_HOST, m.commitLogOffset)).join(','));
    expect(response.extFields!.queueOffset).toBe('1');
    const retry = await send(sendV2({ topic: '%RETRY%cg', batch: true }, encodeBatchMessages(items), RequestCode.SEND_BATCH_MESSAGE));
    expect([retry.code, retry.remark]).toEqual([ResponseCode.MESSAGE_ILLEGAL, 'batch request does not support retry group %RETRY%cg']);
  });

  it('handleRetryAndDLQ: a %RETRY% send below the limit is delayed; at the limit it goes to %DLQ%<group> (1 queue, perm 2, no DELAY)', async () => {
    const { send, read, store, topicConfigManager, sink } = sendRig();
    const retryProps = props({ RETRY_TOPIC: 'TopicA', DELAY: '3', WAIT: 'false' });
    const below = sendV2({ topic: '%RETRY%cg', reconsumeTimes: 2, maxReconsumeTimes: 3, properties: retryProps });
    below.version = 121;
    expect((await send(below)).code).toBe(ResponseCode.SUCCESS);
    expect((await read('SCHEDULE_TOPIC_XXXX', 2))[0]!.getProperty('REAL_TOPIC')).toBe('%RETRY%cg');

    const atLimit = sendV2({ topic: '%RETRY%cg', reconsumeTimes: 3, maxReconsumeTimes: 3, properties: retryProps });
    atLimit.version = 121;
    expect((await send(atLimit)).code).toBe(ResponseCode.SUCCESS);
    const [dead] = await read('%DLQ%cg', 0);
    expect([dead!.reconsumeTimes, dead!.getProperty('DELAY'), dead!.getProperty('RETRY_TOPIC')]).toEqual([3, undefined, 'TopicA']);
    expect(topicConfigManager.selectTopicConfig('%DLQ%cg')?.toString()).toContain('readQueueNums=1, writeQueueNums=1, perm=-W-');

    // A client older than V3_4_9 (version < 121) gets the group's limit (16), not its own.
    const old = sendV2({ topic: '%RETRY%cg', reconsumeTimes: 3, maxReconsumeTimes: 3, properties: retryProps });
    old.version = 100;
    expect((await send(old)).code).toBe(ResponseCode.SUCCESS);
    expect(store.getMaxOffsetInQueue('%DLQ%cg', 0)).toBe(1);
    expect(sink.ofKind('broker.retry.decided').map((e) => [e.data.outcome, e.data.maxReconsumeTimes])).toEqual([['retry', 3], ['dlq', 3], ['retry', 16]]);
    expect(sink.ofKind('broker.message.dead-lettered').map((e) => e.data)).toEqual([{ group: 'cg', dlqTopic: '%DLQ%cg', created: true }]);
  });

  it('refuses a prepared transaction message with NO_PERMISSION when rejectTransactionMessage is set', async () => {
    const { send, store } = sendRig({ rejectTransactionMessage: true });
    const response = await send(sendV2({ sysFlag: 4, properties: props({ TRAN_MSG: 'true', PGROUP: 'pg' }) }));
    expect([response.code, response.remark]).toEqual([ResponseCode.NO_PERMISSION, 'the broker[10.0.0.2] sending transaction message is forbidden']);
    expect(store.getMaxPhyOffset()).toBe(0);
  });

  it('maps every PutMessageStatus to the response code of protocol section 5.2', () => {
    const table = Object.values(PutMessageStatus).map((s) => [s, putMessageResponse(s, 4194304).code]);
    expect(Object.fromEntries(table)).toEqual({
      PUT_OK: 0, FLUSH_DISK_TIMEOUT: 10, FLUSH_SLAVE_TIMEOUT: 12, SLAVE_NOT_AVAILABLE: 11, SERVICE_NOT_AVAILABLE: 14,
      CREATE_MAPPED_FILE_FAILED: 1, MESSAGE_ILLEGAL: 13, PROPERTIES_SIZE_EXCEEDED: 13, OS_PAGECACHE_BUSY: 1, UNKNOWN_ERROR: 1,
    });
    expect(putMessageResponse(PutMessageStatus.MESSAGE_ILLEGAL, 4194304).remark).toContain('msg body length limit 4194304B');
  });

  it('answers MESSAGE_ILLEGAL for a body over maxMessageSize and SERVICE_NOT_AVAILABLE once the store is shut down', async () => {
    const { send, store, storeConfig } = sendRig();
    const big = await send(sendV2({}, new Uint8Array(storeConfig.maxMessageSize)));
    expect(big.code).toBe(ResponseCode.MESSAGE_ILLEGAL);
    store.shutdown();
    expect((await send(sendV2())).code).toBe(ResponseCode.SERVICE_NOT_AVAILABLE);
  });

  it('processRequest(CONSUMER_SEND_MSG_BACK) copies the record into %RETRY%<group> via the schedule topic, level 3 + reconsumeTimes', async () => {
    const { send, read, topicConfigManager } = sendRig();
    const sent = await send(sendV2({ queueId: 0 }));
    const back = createRequestCommand(RequestCode.CONSUMER_SEND_MSG_BACK, { offset: 0, group: 'cg', delayLevel: 0, originMsgId: 'X', originTopic: 'TopicA', maxReconsumeTimes: 16 });
    back.version = 121;
    const response = await send(back);
    expect([response.code, response.extFields]).toEqual([ResponseCode.SUCCESS, undefined]);
    expect(topicConfigManager.selectTopicConfig('%RETRY%cg')?.toString()).toContain('readQueueNums=1, writeQueueNums=1, perm=RW-');
    const [parked] = await read('SCHEDULE_TOPIC_XXXX', 2); // level 3
    expect([parked!.getProperty('REAL_TOPIC'), parked!.getProperty('REAL_QID'), parked!.getProperty('DELAY')]).toEqual(['%RETRY%cg', '0', '3']);
    expect([parked!.getProperty('RETRY_TOPIC'), parked!.getProperty('ORIGIN_MESSAGE_ID'), parked!.getProperty('WAIT')]).toEqual(['TopicA', sent.extFields!.msgId, 'false']);
    expect([parked!.reconsumeTimes, parked!.bornHost, text.decode(parked!.body), parked!.tags]).toEqual([1, '10.0.0.9:50001', 'hello', 'TagA']);
  });

  it('CONSUMER_SEND_MSG_BACK goes to %DLQ%<group> for delayLevel -1 and at maxReconsumeTimes; an unknown offset is SYSTEM_ERROR', async () => {
    const { send, read, sink } = sendRig();
    await send(sendV2({ queueId: 0 }));
    const giveUp = createRequestCommand(RequestCode.CONSUMER_SEND_MSG_BACK, { offset: 0, group: 'cg', delayLevel: -1 });
    expect((await send(giveUp)).code).toBe(ResponseCode.SUCCESS);
    await send(sendV2({ queueId: 0, reconsumeTimes: 16 }));
    const second = (await read('TopicA', 0))[1]!;
    const atMax = createRequestCommand(RequestCode.CONSUMER_SEND_MSG_BACK, { offset: second.commitLogOffset, group: 'cg', delayLevel: 0 });
    expect((await send(atMax)).code).toBe(ResponseCode.SUCCESS); // version 293 >= 121 but no maxReconsumeTimes: the group's 16
    const dead = await read('%DLQ%cg', 0);
    expect(dead.map((m) => [m.reconsumeTimes, m.getProperty('DELAY')])).toEqual([[1, '0'], [17, '0']]);
    expect(sink.ofKind('broker.message.dead-lettered').map((e) => e.data.created)).toEqual([true, false]);
    const missing = await send(createRequestCommand(RequestCode.CONSUMER_SEND_MSG_BACK, { offset: 999_999, group: 'cg', delayLevel: 0 }));
    expect([missing.code, missing.remark]).toEqual([ResponseCode.SYSTEM_ERROR, 'look message by offset failed, 999999']);
  });

  it('CONSUMER_SEND_MSG_BACK answers SUBSCRIPTION_GROUP_NOT_EXIST without auto-creation and NO_PERMISSION on a read-only broker', async () => {
    const noGroups = sendRig({ autoCreateSubscriptionGroup: false });
    const r1 = await noGroups.send(createRequestCommand(RequestCode.CONSUMER_SEND_MSG_BACK, { offset: 0, group: 'cg', delayLevel: 0 }));
    expect([r1.code, r1.remark?.startsWith('subscription group not exist, cg ')]).toEqual([ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, true]);
    const readOnly = sendRig({ brokerPermission: 4 });
    const r2 = await readOnly.send(createRequestCommand(RequestCode.CONSUMER_SEND_MSG_BACK, { offset: 0, group: 'cg', delayLevel: 0 }));
    expect([r2.code, r2.remark]).toEqual([ResponseCode.NO_PERMISSION, 'the broker[10.0.0.2] sending message is forbidden']);
  });

  it('uses the connection address as born host, bracketing a bare IPv6 peer and replacing a host name by 0.0.0.0', async () => {
    const { send, read } = sendRig();
    await send(sendV2({ queueId: 0 }), fakeContext('::1:50002'));
    await send(sendV2({ queueId: 0 }), fakeContext('producer-1:50003'));
    expect((await read('TopicA', 0)).map((m) => m.bornHost)).toEqual(['[0:0:0:0:0:0:0:1]:50002', '0.0.0.0:50003']);
  });
});
