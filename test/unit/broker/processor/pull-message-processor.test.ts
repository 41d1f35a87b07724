// PullMessageProcessor over a real DefaultMessageStore (MemoryFileSystem + ManualClock).
// Goal: every store status maps to Java's response code, remark and nextBeginOffset, with
// all four header fields present; the checks before the store run in Java's order; tags
// are filtered on the broker; the piggybacked commit offset is stored only when allowed.
import { describe, expect, it } from 'vitest';
import { javaStringHashCode } from '../../../../src/common/java-compat.js';
import { decodeMessages } from '../../../../src/common/message/message-decoder.js';
import { ResponseCode } from '../../../../src/common/protocol/response-code.js';
import { TopicConfig } from '../../../../src/common/topic/topic-config.js';
import { checkMessageAndReturnSize } from '../../../../src/store/commitlog/commit-log-record-reader.js';
import { GetMessageStatus, getMessageResultOf, type GetMessageStatus as Status } from '../../../../src/store/results.js';
import { PullSysFlag, responseCodeOf } from '../../../../src/broker/processor/pull-message-processor.js';
import { FakeContext, groupConfig, pullCommand, pullHeader, pullRig } from './pull-test-support.js';

const { FLAG_COMMIT_OFFSET, FLAG_SUSPEND, FLAG_SUBSCRIPTION } = PullSysFlag;

/** One property of every record in a FOUND body ('' when absent). */
function propertyOf(body: Uint8Array, name: string): string[] {
  return decodeMessages(body).map((m) => m.getProperty(name) ?? '');
}

/** The tags of every record in a FOUND body, decoded back from the bytes. */
function tagsOf(body: Uint8Array): string[] {
  const tags: string[] = [];
  for (let at = 0; at < body.length;) {
    const request = checkMessageAndReturnSize(body.subarray(at), 0, true);
    expect(request.success).toBe(true);
    tags.push(request.propertiesMap?.get('TAGS') ?? '');
    at += request.msgSize;
  }
  return tags;
}

describe('PullMessageProcessor', () => {
  it('processRequest() answers FOUND with the records as the store concatenated them, remark FOUND and all four header fields', async () => {
    const rig = pullRig();
    const ctx = new FakeContext();
    rig.subscribe('CG', 'TopicA', '*', ctx);
    for (let i = 0; i < 3; i++) await rig.put('TopicA', 0, 'TagA');
    const response = rig.processor.processRequest(ctx, pullCommand({ sysFlag: 0 }))!;
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(response.remark).toBe('FOUND');
    expect(pullHeader(response)).toEqual({ suggestWhichBrokerId: 0, nextBeginOffset: 3, minOffset: 0, maxOffset: 3 });
    const direct = rig.store.getMessage('CG', 'TopicA', 0, 0, 32)!;
    expect(response.body).toEqual(direct.body);
    expect(tagsOf(response.body!)).toEqual(['TagA', 'TagA', 'TagA']);
    expect(rig.sink.ofKind('broker.pull.found').at(-1)!.data).toMatchObject({ group: 'CG', from: 0, count: 3, nextBeginOffset: 3, filtered: 0, resumed: false });
  });

  it('processRequest() filters tags on the broker: a raw pull for TagA returns no TagB and moves past the TagB units', async () => {
    const rig = pullRig();
    const ctx = new FakeContext();
    rig.subscribe('CG', 'TopicA', 'TagA', ctx);
    for (const tags of ['TagB', 'TagA', 'TagB', 'TagA', 'TagB']) await rig.put('TopicA', 0, tags);
    const response = rig.processor.processRequest(ctx, pullCommand({ sysFlag: 0 }))!;
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(tagsOf(response.body!)).toEqual(['TagA', 'TagA']);
    expect(pullHeader(response).nextBeginOffset).toBe(5);
    expect(rig.sink.ofKind('broker.pull.found').at(-1)!.data).toMatchObject({ count: 2, filtered: 3 });
    // Only TagB from offset 4: every unit is filtered out ──► PULL_RETRY_IMMEDIATELY past it.
    const rest = rig.processor.processRequest(ctx, pullCommand({ sysFlag: 0, queueOffset: 4 }))!;
    expect([rest.code, rest.remark, pullHeader(rest).nextBeginOffset]).toEqual([ResponseCode.PULL_RETRY_IMMEDIATELY, 'NO_MATCHED_MESSAGE', 5]);
    expect(rest.body).toBeUndefined();
  });

  it('processRequest() uses the header subscription when the SUBSCRIPTION flag is set ("TagA || TagC"), without any heartbeat', async () => {
    const rig = pullRig();
    for (const tags of ['TagA', 'TagB', 'TagC']) await rig.put('TopicA', 1, tags);
    const response = rig.processor.processRequest(new FakeContext(), pullCommand({ queueId: 1, sysFlag: FLAG_SUBSCRIPTION, subscription: 'TagA || TagC' }))!;
    expect(tagsOf(response.body!)).toEqual(['TagA', 'TagC']);
  });

  it('processRequest() maps the empty-queue and end-of-queue statuses: 19 at offset 0, 21 elsewhere, 19 at the end, 21 past it', async () => {
    const rig = pullRig();
    const ctx = new FakeContext();
    rig.subscribe('CG', 'TopicA', '*', ctx);
    const ask = (queueId: number, queueOffset: number) => {
      const r = rig.processor.processRequest(ctx, pullCommand({ sysFlag: 0, queueId, queueOffset }))!;
      return [r.code, r.remark, pullHeader(r)];
    };
    expect(ask(2, 0)).toEqual([ResponseCode.PULL_NOT_FOUND, 'NO_MESSAGE_IN_QUEUE', { suggestWhichBrokerId: 0, nextBeginOffset: 0, minOffset: 0, maxOffset: 0 }]);
    expect(ask(2, 5)).toEqual([ResponseCode.PULL_OFFSET_MOVED, 'NO_MESSAGE_IN_QUEUE', { suggestWhichBrokerId: 0, nextBeginOffset: 0, minOffset: 0, maxOffset: 0 }]);
    await rig.put('TopicA', 0);
    await rig.put('TopicA', 0);
    expect(ask(0, 2)).toEqual([ResponseCode.PULL_NOT_FOUND, 'OFFSET_OVERFLOW_ONE', { suggestWhichBrokerId: 0, nextBeginOffset: 2, minOffset: 0, maxOffset: 2 }]);
    expect(ask(0, 9)).toEqual([ResponseCode.PULL_OFFSET_MOVED, 'OFFSET_OVERFLOW_BADLY', { suggestWhichBrokerId: 0, nextBeginOffset: 2, minOffset: 0, maxOffset: 2 }]);
    expect(rig.sink.ofKind('broker.pull.not-found').map((e) => [e.data.reason, e.data.code])).toEqual([
      ['NO_MESSAGE_IN_QUEUE', 'PULL_NOT_FOUND'], ['NO_MESSAGE_IN_QUEUE', 'PULL_OFFSET_MOVED'],
      ['OFFSET_OVERFLOW_ONE', 'PULL_NOT_FOUND'], ['OFFSET_OVERFLOW_BADLY', 'PULL_OFFSET_MOVED'],
    ]);
  });

  it('responseCodeOf() maps every GetMessageStatus as Java does', () => {
    const table: Array<[Status, number, number]> = [
      ['FOUND', 3, ResponseCode.SUCCESS],
      ['NO_MATCHED_MESSAGE', 3, ResponseCode.PULL_RETRY_IMMEDIATELY],
      ['MESSAGE_WAS_REMOVING', 3, ResponseCode.PULL_RETRY_IMMEDIATELY],
      ['OFFSET_FOUND_NULL', 3, ResponseCode.PULL_NOT_FOUND],
      ['OFFSET_OVERFLOW_ONE', 3, ResponseCode.PULL_NOT_FOUND],
      ['OFFSET_OVERFLOW_BADLY', 3, ResponseCode.PULL_OFFSET_MOVED],
      ['OFFSET_TOO_SMALL', 3, ResponseCode.PULL_OFFSET_MOVED],
      ['NO_MATCHED_LOGIC_QUEUE', 3, ResponseCode.PULL_OFFSET_MOVED],
      ['NO_MATCHED_LOGIC_QUEUE', 0, ResponseCode.PULL_NOT_FOUND],
      ['NO_MESSAGE_IN_QUEUE', 3, ResponseCode.PULL_OFFSET_MOVED],
      ['NO_MESSAGE_IN_QUEUE', 0, ResponseCode.PULL_NOT_FOUND],
    ];
    for (const [status, offset, code] of table) expect([status, offset, responseCodeOf(status, offset)]).toEqual([status, offset, code]);
  });

  it('processRequest() copies any store answer into code, remark and the four header fields (every status, forced by a fake store)', () => {
    for (const status of Object.values(GetMessageStatus)) {
      const result = { ...getMessageResultOf(status), nextBeginOffset: 40, minOffset: 10, maxOffset: 50 };
      const rig = pullRig({ processorStore: { getMessage: () => result } });
      const ctx = new FakeContext();
      rig.subscribe('CG', 'TopicA', '*', ctx);
      const response = rig.processor.processRequest(ctx, pullCommand({ sysFlag: 0, queueOffset: 33 }))!;
      expect([status, response.code, response.remark]).toEqual([status, responseCodeOf(status, 33), status]);
      expect(pullHeader(response)).toEqual({ suggestWhichBrokerId: 0, nextBeginOffset: 40, minOffset: 10, maxOffset: 50 });
      rig.pullRequestHoldService.shutdown();
    }
  });

  it('processRequest() suggests the slow-consumer broker only with slaveReadEnable, and on a slave turns OFFSET_MOVED into RETRY_IMMEDIATELY', () => {
    const lagging = { ...getMessageResultOf('FOUND'), suggestPullingFromSlave: true, nextBeginOffset: 1, maxOffset: 1 };
    const master = pullRig({ processorStore: { getMessage: () => lagging } });
    const ctx = new FakeContext();
    master.subscribe('CG', 'TopicA', '*', ctx);
    expect(pullHeader(master.processor.processRequest(ctx, pullCommand({ sysFlag: 0 }))!).suggestWhichBrokerId).toBe(0);
    master.brokerConfig.slaveReadEnable = true;
    expect(pullHeader(master.processor.processRequest(ctx, pullCommand({ sysFlag: 0 }))!).suggestWhichBrokerId).toBe(1);
    lagging.suggestPullingFromSlave = false;
    master.groups.set('CG', groupConfig('CG', { brokerId: 3 }));
    expect(pullHeader(master.processor.processRequest(ctx, pullCommand({ sysFlag: 0 }))!).suggestWhichBrokerId).toBe(3);

    const moved = { ...getMessageResultOf('OFFSET_TOO_SMALL'), nextBeginOffset: 7, minOffset: 7, maxOffset: 9 };
    const slave = pullRig({ store: { brokerRole: 'SLAVE' }, processorStore: { getMessage: () => moved } });
    slave.subscribe('CG', 'TopicA', '*', ctx);
    slave.groups.set('CG', groupConfig('CG', { brokerId: 0 }));
    const response = slave.processor.processRequest(ctx, pullCommand({ sysFlag: 0, queueOffset: 2 }))!;
    expect([response.code, response.remark, pullHeader(response)]).toEqual([
      ResponseCode.PULL_RETRY_IMMEDIATELY, 'OFFSET_TOO_SMALL', { suggestWhichBrokerId: 0, nextBeginOffset: 7, minOffset: 7, maxOffset: 9 },
    ]);
    slave.storeConfig.offsetCheckInSlave = true;
    expect(slave.processor.processRequest(ctx, pullCommand({ sysFlag: 0, queueOffset: 2 }))!.code).toBe(ResponseCode.PULL_OFFSET_MOVED);
  });

  it('processRequest() refuses in Java order: broker perm, group, topic, queueId, subscription', async () => {
    const rig = pullRig();
    const ctx = new FakeContext();
    const ask = (fields: Record<string, string | number> = {}) => {
      const r = rig.processor.processRequest(ctx, pullCommand({ sysFlag: 0, ...fields }))!;
      return [r.code, r.remark];
    };
    rig.brokerConfig.brokerPermission = 2;
    expect(ask()).toEqual([ResponseCode.NO_PERMISSION, 'the broker[10.0.0.1] pulling message is forbidden']);
    rig.brokerConfig.brokerPermission = 6;
    rig.brokerConfig.autoCreateSubscriptionGroup = false;
    expect(ask({ consumerGroup: 'nope' })[0]).toBe(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST);
    rig.groups.set('CG', groupConfig('CG', { consumeEnable: false }));
    expect(ask()).toEqual([ResponseCode.NO_PERMISSION, 'subscription group no permission, CG']);
    rig.groups.set('CG', groupConfig('CG'));
    expect(ask({ topic: 'Missing' })[0]).toBe(ResponseCode.TOPIC_NOT_EXIST);
    rig.topics.set('WriteOnly', new TopicConfig('WriteOnly', 4, 4, 2));
    expect(ask({ topic: 'WriteOnly' })).toEqual([ResponseCode.NO_PERMISSION, 'the topic[WriteOnly] pulling message is forbidden']);
    expect(ask({ queueId: 4 })).toEqual([ResponseCode.SYSTEM_ERROR, 'queueId[4] is illegal, topic:[TopicA] topicConfig.readQueueNums:[4] consumer:[10.0.0.9:51000]']);
    expect(ask()[0]).toBe(ResponseCode.SUBSCRIPTION_NOT_EXIST); // no heartbeat yet
    rig.subscribe('CG', 'TopicA', '*', ctx, 1000);
    expect(ask({ topic: 'OtherTopic' })[0]).toBe(ResponseCode.TOPIC_NOT_EXIST);
    rig.topics.set('OtherTopic', new TopicConfig('OtherTopic'));
    expect(ask({ topic: 'OtherTopic' })).toEqual([ResponseCode.SUBSCRIPTION_NOT_EXIST, "the consumer's subscription not exist\nSee http://rocketmq.apache.org/docs/faq/ for further details."]);
    expect(ask({ subVersion: 2000 })).toEqual([ResponseCode.SUBSCRIPTION_NOT_LATEST, "the consumer's subscription not latest"]);
    expect(ask({ subVersion: 1000 })[0]).toBe(ResponseCode.PULL_NOT_FOUND);
    rig.consumerManager.getConsumerGroupInfo('CG')!.messageModel = 'BROADCASTING';
    rig.groups.set('CG', groupConfig('CG', { consumeBroadcastEnable: false }));
    expect(ask()).toEqual([ResponseCode.NO_PERMISSION, 'the consumer group[CG] can not consume by broadcast way']);
  });

  it('processRequest() answers SQL92 with SYSTEM_ERROR while enablePropertyFilter is off (even a bad expression), else compiles it', () => {
    const rig = pullRig();
    const sql = { sysFlag: FLAG_SUBSCRIPTION, subscription: 'a > 5', expressionType: 'SQL92' };
    const remark = 'The broker does not support consumer to filter message by SQL92';
    const off = rig.processor.processRequest(new FakeContext(), pullCommand(sql))!;
    expect([off.code, off.remark]).toEqual([ResponseCode.SYSTEM_ERROR, remark]);
    const offBad = rig.processor.processRequest(new FakeContext(), pullCommand({ ...sql, subscription: 'a >' }))!;
    expect([offBad.code, offBad.remark]).toEqual([ResponseCode.SYSTEM_ERROR, remark]);
    rig.brokerConfig.enablePropertyFilter = true;
    const on = rig.processor.processRequest(new FakeContext(), pullCommand(sql))!;
    expect([on.code, on.remark]).toEqual([ResponseCode.PULL_NOT_FOUND, 'NO_MESSAGE_IN_QUEUE']);
    const bad = rig.processor.processRequest(new FakeContext(), pullCommand({ ...sql, subscription: 'a >' }))!;
    expect(bad.code).toBe(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
    expect(bad.remark).toMatch(/^parse the consumer's subscription failed: .+/);
    const empty = rig.processor.processRequest(new FakeContext(), pullCommand({ ...sql, subscription: '' }))!;
    expect([empty.code, empty.remark]).toEqual([ResponseCode.SUBSCRIPTION_PARSE_FAILED, "parse the consumer's subscription failed"]);
  });

  it('processRequest() with a SQL92 subscription in the header returns only records whose properties make it true', async () => {
    const rig = pullRig({ broker: { enablePropertyFilter: true } });
    const props: Array<Record<string, string>> = [{ a: '9', b: 'x' }, { a: '3', b: 'x' }, { b: 'x' }, { a: '7', b: 'y' }, { a: 'ten', b: 'x' }, { a: '6', b: 'x' }];
    for (const p of props) await rig.put('TopicA', 0, 'TagA', p);
    const response = rig.processor.processRequest(new FakeContext(), pullCommand({
      sysFlag: FLAG_SUBSCRIPTION, subscription: "a > 5 AND b = 'x'", expressionType: 'SQL92',
    }))!;
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(propertyOf(response.body!, 'a')).toEqual(['9', '6']);
    expect(pullHeader(response).nextBeginOffset).toBe(6);
    const summary = rig.sink.ofKind('broker.filter.applied').at(-1)!;
    expect(summary.data).toMatchObject({ group: 'CG', expressionType: 'SQL92', cqChecked: 6, cqMatched: 6, commitLogChecked: 6, commitLogMatched: 2, nextBeginOffset: 6 });
    expect(summary.why).toMatchObject({ rule: 'sql92-match', inputs: { expression: "a > 5 AND b = 'x'", properties: { a: '9', b: 'x', TAGS: 'TagA' } } });
    expect(rig.sink.ofKind('broker.filter.evaluated')).toEqual([]); // per-message decisions only on request
  });

  it('processRequest() with a heartbeat-registered SQL92 subscription uses the ConsumerFilterManager (FILTER_DATA_NOT_EXIST / NOT_LATEST otherwise)', async () => {
    const rig = pullRig({ broker: { enablePropertyFilter: true } });
    const ctx = new FakeContext();
    for (const region of ['eu', 'us', 'eu']) await rig.put('TopicA', 0, 'TagA', { region });
    rig.subscribe('CG', 'TopicA', "region = 'eu'", ctx, 1000, 'client-1', 'SQL92');
    const found = rig.processor.processRequest(ctx, pullCommand({ sysFlag: 0, expressionType: 'SQL92' }))!;
    expect(found.code).toBe(ResponseCode.SUCCESS);
    expect(propertyOf(found.body!, 'region')).toEqual(['eu', 'eu']);

    const newer = rig.processor.processRequest(ctx, pullCommand({ sysFlag: 0, subVersion: 2000 }))!;
    expect(newer.code).toBe(ResponseCode.SUBSCRIPTION_NOT_LATEST); // the subscription itself is checked first
    rig.consumerManager.findSubscriptionData('CG', 'TopicA')!.subVersion = 2000;
    const stale = rig.processor.processRequest(ctx, pullCommand({ sysFlag: 0, subVersion: 2000 }))!;
    expect([stale.code, stale.remark]).toEqual([ResponseCode.FILTER_DATA_NOT_LATEST, "the consumer's consumer filter data not latest"]);

    rig.subscribe('CG', 'TopicA', "region = 'eu", ctx, 3000, 'client-1', 'SQL92'); // does not compile: skipped, old filter dropped
    const missing = rig.processor.processRequest(ctx, pullCommand({ sysFlag: 0, subVersion: 3000 }))!;
    expect([missing.code, missing.remark]).toEqual([ResponseCode.FILTER_DATA_NOT_EXIST, "The broker's consumer filter data is not exist!Your expression may be wrong!"]);
  });

  it('processRequest() emits one broker.filter.evaluated per decision when emitFilterDecisions is set (tag and SQL92)', async () => {
    const rig = pullRig({ broker: { enablePropertyFilter: true } });
    rig.processor.emitFilterDecisions = true;
    for (const [tags, price] of [['TagA', '1'], ['TagB', '9'], ['TagA', '8']] as const) await rig.put('TopicA', 0, tags, { price });
    rig.processor.processRequest(new FakeContext(), pullCommand({ sysFlag: FLAG_SUBSCRIPTION, subscription: 'TagA', expressionType: 'TAG' }));
    const tagDecisions = rig.sink.ofKind('broker.filter.evaluated');
    expect(tagDecisions.map((e) => [e.data.level, e.data.matched, e.why?.rule])).toEqual([
      ['consume-queue', true, 'tag-match'], ['consume-queue', false, 'tag-match'], ['consume-queue', true, 'tag-match'],
    ]);
    expect(rig.sink.ofKind('broker.filter.applied').at(-1)!.why).toMatchObject({ rule: 'tag-match', outcome: { kept: 2, dropped: 1 } });
    rig.processor.processRequest(new FakeContext(), pullCommand({ sysFlag: FLAG_SUBSCRIPTION, subscription: 'price > 5', expressionType: 'SQL92' }));
    const sqlDecisions = rig.sink.ofKind('broker.filter.evaluated').slice(3);
    expect(sqlDecisions.map((e) => [e.data.level, e.data.matched, e.data.result, e.msg?.queueOffset, e.why?.inputs])).toEqual([
      ['commit-log', false, 'false', 0, { properties: { price: '1', TAGS: 'TagA' } }],
      ['commit-log', true, 'true', 1, { properties: { price: '9', TAGS: 'TagB' } }],
      ['commit-log', true, 'true', 2, { properties: { price: '8', TAGS: 'TagA' } }],
    ]);
    expect(sqlDecisions[0]!.msg).toMatchObject({ topic: 'TopicA', queueId: 0, physOffset: 0 });
  });

  it('processRequest() answers SYSTEM_ERROR naming a missing or malformed header field', () => {
    const rig = pullRig();
    const missing = pullCommand();
    delete missing.extFields!['queueOffset'];
    expect(rig.processor.processRequest(new FakeContext(), missing)).toMatchObject({ code: ResponseCode.SYSTEM_ERROR, remark: expect.stringContaining('queueOffset') });
    const bad = rig.processor.processRequest(new FakeContext(), pullCommand({ queueId: 'x' }))!;
    expect([bad.code, bad.remark]).toEqual([ResponseCode.SYSTEM_ERROR, expect.stringContaining('queueId')]);
  });

  it('processRequest() stores the piggybacked commitOffset with the COMMIT_OFFSET flag, also when the pull is held, never on a slave', () => {
    const rig = pullRig();
    const ctx = new FakeContext();
    rig.subscribe('CG', 'TopicA', '*', ctx);
    expect(rig.processor.processRequest(ctx, pullCommand({ sysFlag: FLAG_COMMIT_OFFSET | FLAG_SUSPEND, commitOffset: 12 }))).toBeNull();
    expect(rig.consumerOffsetManager.queryOffset('CG', 'TopicA', 0)).toBe(12);
    rig.processor.processRequest(ctx, pullCommand({ sysFlag: 0, commitOffset: 20 }));
    expect(rig.consumerOffsetManager.queryOffset('CG', 'TopicA', 0)).toBe(12);
    rig.storeConfig.brokerRole = 'SLAVE';
    rig.processor.processRequest(ctx, pullCommand({ sysFlag: FLAG_COMMIT_OFFSET, commitOffset: 30 }));
    expect(rig.consumerOffsetManager.queryOffset('CG', 'TopicA', 0)).toBe(12);
    expect(rig.sink.ofKind('broker.offset.committed').map((e) => e.data.offset)).toEqual([12]);
  });

  it('processRequest() holds a NOT_FOUND pull only with the suspend flag, for suspendTimeoutMillis (shortPollingTimeMills without long polling)', () => {
    const rig = pullRig();
    const ctx = new FakeContext();
    rig.subscribe('CG', 'TopicA', '*', ctx);
    expect(rig.processor.processRequest(ctx, pullCommand({ sysFlag: 0 }))!.code).toBe(ResponseCode.PULL_NOT_FOUND);
    expect(rig.processor.processRequest(ctx, pullCommand())).toBeNull();
    rig.brokerConfig.longPollingEnable = false;
    expect(rig.processor.processRequest(ctx, pullCommand({ queueId: 1 }))).toBeNull();
    const held = [...rig.pullRequestHoldService.pullRequestTable].map(([key, many]) => [key, many.getPullRequestList().map((r) => r.timeoutMillis)]);
    expect(held).toEqual([['TopicA@0', [15_000]], ['TopicA@1', [1_000]]]);
    expect(rig.sink.ofKind('broker.pull.not-found').map((e) => e.data.suspended)).toEqual([false, true, true]);
    // Run again as the hold service does: never held a second time.
    expect(rig.processor.processRequest(ctx, pullCommand(), false)!.code).toBe(ResponseCode.PULL_NOT_FOUND);
  });

  it('PullSysFlag keeps Java bit values and the tags code of TagA is its Java hash', () => {
    expect(PullSysFlag).toEqual({ FLAG_COMMIT_OFFSET: 1, FLAG_SUSPEND: 2, FLAG_SUBSCRIPTION: 4, FLAG_CLASS_FILTER: 8, FLAG_LITE_PULL_MESSAGE: 16 });
    expect(javaStringHashCode('TagA')).toBe(2598919);
  });
});
