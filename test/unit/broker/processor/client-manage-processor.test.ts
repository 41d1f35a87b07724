// ClientManageProcessor: HEART_BEAT registers producers and consumers and creates the retry
// topic (and SQL92 filters); UNREGISTER_CLIENT removes them; CHECK_CLIENT_CONFIG refuses what cannot be filtered.
import { describe, expect, it } from 'vitest';
import { encodeUtf8 } from '../../../../src/common/bytes.js';
import { RequestCode } from '../../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../../src/common/protocol/response-code.js';
import { createRequestCommand, type RemotingCommand } from '../../../../src/remoting/remoting-command.js';
import { ClientManageProcessor } from '../../../../src/broker/processor/client-manage-processor.js';
import { compileSql92 } from '../../../../src/filter/sql-filter.js';
import { FakeContext, groupConfig, pullRig } from './pull-test-support.js';

const HEARTBEAT = {
  clientID: '10.0.0.9@1234',
  consumerDataSet: [{
    groupName: 'CG', consumeType: 'CONSUME_PASSIVELY', messageModel: 'CLUSTERING', consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    subscriptionDataSet: [
      { topic: 'TopicA', subString: 'TagA || TagB', classFilterMode: false, tagsSet: ['TagA', 'TagB'], codeSet: [2598919, 2598920], subVersion: 1700000000123 },
      { topic: '%RETRY%CG', subString: '*', classFilterMode: false, tagsSet: [], codeSet: [], subVersion: 1700000000124 },
    ],
  }],
  producerDataSet: [{ groupName: 'PG' }],
};

/** The compiler's own message for `expression` (the remark must carry it unchanged). */
function compileError(expression: string): string {
  try {
    compileSql92(expression);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${expression} compiled`);
}

function setup() {
  const rig = pullRig();
  const processor = new ClientManageProcessor({
    consumerManager: rig.consumerManager, producerManager: rig.producerManager, topicConfigManager: rig.topicConfigManager,
    subscriptionGroupManager: rig.subscriptionGroupManager, brokerConfig: rig.brokerConfig, clock: rig.clock, events: rig.events,
  });
  return { ...rig, client: processor };
}

function heartbeat(body: unknown = HEARTBEAT): RemotingCommand {
  const request = createRequestCommand(RequestCode.HEART_BEAT);
  request.language = 'OTHER';
  request.version = 121;
  request.body = encodeUtf8(typeof body === 'string' ? body : JSON.stringify(body));
  return request;
}

describe('ClientManageProcessor', () => {
  it('HEART_BEAT registers the consumer group with its subscriptions, the producer group, and creates %RETRY%<group> with retryQueueNums queues, perm RW', () => {
    const rig = setup();
    const ctx = new FakeContext();
    const response = rig.client.processRequest(ctx, heartbeat());
    expect([response.code, response.remark, response.body]).toEqual([ResponseCode.SUCCESS, undefined, undefined]);
    expect(rig.createdBack).toEqual([{ topic: '%RETRY%CG', queueNums: 1, perm: 6, topicSysFlag: 0 }]);
    const info = rig.consumerManager.getConsumerGroupInfo('CG')!;
    expect([info.consumeType, info.messageModel, info.consumeFromWhere, info.getSubscribeTopics()]).toEqual(['CONSUME_PASSIVELY', 'CLUSTERING', 'CONSUME_FROM_FIRST_OFFSET', ['TopicA', '%RETRY%CG']]);
    const member = info.findChannel('10.0.0.9@1234')!;
    expect([member.connection, member.language, member.version]).toEqual([ctx.connection, 'OTHER', 121]);
    expect([...rig.producerManager.getGroupChannelTable().get('PG')!.keys()]).toEqual([ctx.connection]);
    expect(rig.notified).toEqual([{ remote: '10.0.0.9:51000', group: 'CG' }]);
  });

  it('HEART_BEAT uses the group config: retryQueueNums, notifyConsumerIdsChangedEnable, and the unit-mode topic flag', () => {
    const rig = setup();
    rig.groups.set('CG', groupConfig('CG', { retryQueueNums: 3, notifyConsumerIdsChangedEnable: false }));
    const body = { ...HEARTBEAT, consumerDataSet: [{ ...HEARTBEAT.consumerDataSet[0], unitMode: true }] };
    rig.client.processRequest(new FakeContext(), heartbeat(body));
    expect(rig.createdBack).toEqual([{ topic: '%RETRY%CG', queueNums: 3, perm: 6, topicSysFlag: 2 }]);
    expect(rig.notified).toEqual([]);
  });

  it('HEART_BEAT still registers a consumer whose group cannot be auto-created, without a retry topic', () => {
    const rig = setup();
    rig.brokerConfig.autoCreateSubscriptionGroup = false;
    rig.client.processRequest(new FakeContext(), heartbeat());
    expect(rig.createdBack).toEqual([]);
    expect(rig.consumerManager.getConsumerGroupInfo('CG')).toBeDefined();
  });

  it('HEART_BEAT with no body or a bad body answers SYSTEM_ERROR naming the problem and registers nothing', () => {
    const rig = setup();
    const empty = createRequestCommand(RequestCode.HEART_BEAT);
    expect(rig.client.processRequest(new FakeContext(), empty)).toMatchObject({ code: ResponseCode.SYSTEM_ERROR, remark: 'HEART_BEAT needs a HeartbeatData body' });
    const bad = rig.client.processRequest(new FakeContext(), heartbeat('{"consumerDataSet":[]}'));
    expect([bad.code, bad.remark]).toEqual([ResponseCode.SYSTEM_ERROR, 'the body could not be decoded: HeartbeatData.clientID: is missing']);
    expect(rig.consumerManager.consumerTable.size).toBe(0);
  });

  it('UNREGISTER_CLIENT (clientID with a capital ID) removes the producer and the consumer of that connection', () => {
    const rig = setup();
    const ctx = new FakeContext();
    rig.client.processRequest(ctx, heartbeat());
    const request = createRequestCommand(RequestCode.UNREGISTER_CLIENT, { clientID: '10.0.0.9@1234', producerGroup: 'PG', consumerGroup: 'CG' });
    expect(rig.client.processRequest(ctx, request).code).toBe(ResponseCode.SUCCESS);
    expect(rig.consumerManager.getConsumerGroupInfo('CG')).toBeUndefined();
    expect(rig.producerManager.getGroupChannelTable().size).toBe(0);
    const noId = rig.client.processRequest(ctx, createRequestCommand(RequestCode.UNREGISTER_CLIENT, { clientId: 'x' }));
    expect([noId.code, noId.remark]).toEqual([ResponseCode.SYSTEM_ERROR, expect.stringContaining('clientID')]);
  });

  it('CHECK_CLIENT_CONFIG passes TAG, refuses SQL92 with SYSTEM_ERROR without enablePropertyFilter, and with it compiles the expression', () => {
    const rig = setup();
    const check = (expressionType: string, subString = 'a > 1') => {
      const request = createRequestCommand(RequestCode.CHECK_CLIENT_CONFIG);
      request.body = encodeUtf8(JSON.stringify({ clientId: 'c', group: 'CG', subscriptionData: { topic: 'T', subString, expressionType } }));
      const response = rig.client.processRequest(new FakeContext(), request);
      return [response.code, response.remark];
    };
    expect(check('TAG')).toEqual([ResponseCode.SUCCESS, undefined]);
    expect(check('SQL92')).toEqual([ResponseCode.SYSTEM_ERROR, 'The broker does not support consumer to filter message by SQL92']);
    rig.brokerConfig.enablePropertyFilter = true;
    expect(check('SQL92')).toEqual([ResponseCode.SUCCESS, undefined]);
    const [code, remark] = check('SQL92', "a > 1 AND b = 'x");
    expect(code).toBe(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
    expect(remark).toBe(compileError("a > 1 AND b = 'x"));
    expect(check('XPATH')).toEqual([ResponseCode.SUBSCRIPTION_PARSE_FAILED, 'no filter for expression type XPATH']);
    expect(rig.sink.ofKind('broker.filter.compile-failed').map((e) => [e.data.group, e.data.site, e.data.expression])).toEqual([
      ['CG', 'check-client-config', "a > 1 AND b = 'x"], ['CG', 'check-client-config', 'a > 1'],
    ]);
  });

  it('HEART_BEAT registers a SQL92 subscription in the ConsumerFilterManager, and skips one that does not compile', () => {
    const rig = setup();
    const sqlHeartbeat = (subString: string, subVersion: number) => heartbeat(JSON.stringify({
      ...HEARTBEAT,
      consumerDataSet: [{
        ...HEARTBEAT.consumerDataSet[0],
        subscriptionDataSet: [{ topic: 'TopicA', subString, expressionType: 'SQL92', classFilterMode: false, tagsSet: [], codeSet: [], subVersion }],
      }],
    }));
    expect(rig.client.processRequest(new FakeContext(), sqlHeartbeat("region = 'eu'", 100)).code).toBe(ResponseCode.SUCCESS);
    const data = rig.consumerFilterManager.get('TopicA', 'CG')!;
    expect([data.expression, data.clientVersion, data.compiledExpression !== undefined]).toEqual(["region = 'eu'", 100, true]);
    // A bad newer expression: the heartbeat still succeeds, the filter is dropped (the pull will say FILTER_DATA_NOT_EXIST).
    expect(rig.client.processRequest(new FakeContext(), sqlHeartbeat('region =', 200)).code).toBe(ResponseCode.SUCCESS);
    expect(rig.consumerFilterManager.get('TopicA', 'CG')).toBeUndefined();
    expect(rig.consumerManager.findSubscriptionData('CG', 'TopicA')?.subString).toBe('region =');
    expect(rig.sink.ofKind('broker.filter.compile-failed').at(-1)!.data).toMatchObject({ site: 'heartbeat', dropped: true });
  });
});
