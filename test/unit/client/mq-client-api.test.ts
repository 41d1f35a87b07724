// Goal: MQClientAPIImpl builds each request with Java's header fields and turns each response
// into a value or a typed error: name-server failover, TOPIC_NOT_EXIST, send status mapping
// and batch ids, pull status mapping, heartbeat version, consumer ids, send-back and unregister.
// Method: a fake RemotingClient that records requests and answers from a script.
import { describe, expect, it } from 'vitest';
import { encodeUtf8 } from '../../../src/common/bytes.js';
import { Message } from '../../../src/common/message/message.js';
import { MessageExt } from '../../../src/common/message/message-ext.js';
import { HeartbeatData } from '../../../src/common/protocol/heartbeat/heartbeat-data.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { encodeTopicRouteData } from '../../../src/common/protocol/route/topic-route-data.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { RemotingConnectError } from '../../../src/remoting/errors.js';
import type { RemotingClient } from '../../../src/remoting/remoting-client.js';
import { createResponseCommand, type RemotingCommand } from '../../../src/remoting/remoting-command.js';
import { ClientErrorCode, MQBrokerError, MQClientError } from '../../../src/client/errors.js';
import { MQClientAPIImpl } from '../../../src/client/mq-client-api.js';
import { MessageBatch } from '../../../src/client/producer/message-batch.js';

interface Sent {
  how: 'sync' | 'async' | 'oneway';
  addr: string;
  request: RemotingCommand;
}

function fakeClient(answer: (addr: string, request: RemotingCommand) => RemotingCommand) {
  const sent: Sent[] = [];
  const reply = (how: Sent['how']) => async (addr: string, request: RemotingCommand) => {
    sent.push({ how, addr, request });
    return answer(addr, request);
  };
  const client = {
    invokeSync: reply('sync'),
    invokeAsync: reply('async'),
    invokeOneway: async (addr: string, request: RemotingCommand) => {
      sent.push({ how: 'oneway', addr, request });
    },
  } as unknown as RemotingClient;
  return { client, sent };
}

function response(code: number, fields: Record<string, string | number> = {}, body?: Uint8Array, remark?: string): RemotingCommand {
  const r = createResponseCommand(code, remark);
  r.addExtFields(fields);
  r.body = body;
  return r;
}

const ROUTE = encodeTopicRouteData({
  queueDatas: [{ brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0 }],
  brokerDatas: [{ cluster: 'c', brokerName: 'broker-a', brokerAddrs: new Map([[0, '10.0.0.2:10911']]) }],
  filterServerTable: new Map(),
});

describe('MQClientAPIImpl', () => {
  it('getTopicRouteInfoFromNameServer() skips a name server that refuses the connection and keeps the one that answered', async () => {
    const { client, sent } = fakeClient((addr) => {
      if (addr === 'ns1:9876') throw new RemotingConnectError(addr);
      return response(ResponseCode.SUCCESS, {}, ROUTE);
    });
    const api = new MQClientAPIImpl({ remotingClient: client, random: { next: () => 0, int: () => 0 }, namesrvAddrs: ['ns1:9876', 'ns2:9876'] });
    const route = await api.getTopicRouteInfoFromNameServer('T', 3000);
    expect(route!.brokerDatas[0]!.brokerAddrs.get(0)).toBe('10.0.0.2:10911');
    await api.getTopicRouteInfoFromNameServer('T', 3000);
    expect(sent.map((s) => [s.addr, s.request.code, s.request.extFields])).toEqual([
      ['ns1:9876', RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'T' }],
      ['ns2:9876', RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'T' }],
      ['ns2:9876', RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'T' }],
    ]);
  });

  it('getTopicRouteInfoFromNameServer() names every unreachable name server, and says so when none is set', async () => {
    const { client } = fakeClient((addr) => {
      throw new RemotingConnectError(addr, { detail: 'ECONNREFUSED' });
    });
    const api = new MQClientAPIImpl({ remotingClient: client, random: new SeededRandom(1), namesrvAddrs: ['ns1:9876', 'ns2:9876'] });
    const error = (await api.getTopicRouteInfoFromNameServer('T', 3000).catch((e: unknown) => e)) as MQClientError;
    expect(error.responseCode).toBe(ClientErrorCode.NO_NAME_SERVER_EXCEPTION);
    expect(error.message).toMatch(/^name server unreachable: ns\d:9876 \(connect to ns\d:9876 failed: ECONNREFUSED\); ns\d:9876/);
    const none = new MQClientAPIImpl({ remotingClient: client, random: new SeededRandom(1) });
    await expect(none.getTopicRouteInfoFromNameServer('T', 3000)).rejects.toThrow('No name server address, please set it.');
  });

  it('getTopicRouteInfoFromNameServer() answers undefined for TOPIC_NOT_EXIST when allowed, else MQClientError(17)', async () => {
    const { client } = fakeClient(() => response(ResponseCode.TOPIC_NOT_EXIST, {}, undefined, 'No topic route info in name server for the topic: T'));
    const api = new MQClientAPIImpl({ remotingClient: client, random: new SeededRandom(1), namesrvAddrs: ['ns:1'] });
    expect(await api.getTopicRouteInfoFromNameServer('T', 3000, true)).toBeUndefined();
    const error = (await api.getTopicRouteInfoFromNameServer('T', 3000, false).catch((e: unknown) => e)) as MQClientError;
    expect([error.responseCode, error.message]).toEqual([17, 'No topic route info in name server for the topic: T']);
  });

  it('processSendResponse() maps 0/10/11/12 to send statuses, joins batch ids, and throws MQBrokerError otherwise', () => {
    const api = new MQClientAPIImpl({ remotingClient: fakeClient(() => response(0)).client, random: new SeededRandom(1) });
    const msg = new Message({ topic: 'T' });
    msg.putProperty('UNIQ_KEY', 'U1');
    const fields = { msgId: 'OFF1', queueId: 2, queueOffset: 9, MSG_REGION: 'R1', TRACE_ON: 'false' };
    const statuses = [0, 10, 11, 12].map((code) => api.processSendResponse('broker-a', msg, 2, response(code, fields), 'a:1').sendStatus);
    expect(statuses).toEqual(['SEND_OK', 'FLUSH_DISK_TIMEOUT', 'SLAVE_NOT_AVAILABLE', 'FLUSH_SLAVE_TIMEOUT']);
    expect(api.processSendResponse('broker-a', msg, 2, response(0, fields), 'a:1')).toEqual({
      sendStatus: 'SEND_OK', msgId: 'U1', offsetMsgId: 'OFF1', messageQueue: { topic: 'T', brokerName: 'broker-a', queueId: 2 }, queueOffset: 9, regionId: 'R1', traceOn: false,
    });
    const members = ['A', 'B'].map((id) => {
      const m = new Message({ topic: 'T', body: new Uint8Array([1]) });
      m.putProperty('UNIQ_KEY', id);
      return m;
    });
    expect(api.processSendResponse('broker-a', MessageBatch.generateFromList(members), 2, response(0, fields), 'a:1').msgId).toBe('A,B');
    const error = (() => {
      try {
        api.processSendResponse('broker-a', msg, 2, response(ResponseCode.SYSTEM_BUSY, {}, undefined, 'busy'), 'a:1');
      } catch (e) {
        return e;
      }
    })() as MQBrokerError;
    expect([error.name, error.responseCode, error.remark, error.brokerAddr, error.message]).toEqual(['MQBrokerError', 2, 'busy', 'a:1', 'CODE: 2  DESC: busy  BROKER: a:1']);
  });

  it('pullMessage() sends the header async and maps SUCCESS/19/20/21 to FOUND/NO_NEW_MSG/NO_MATCHED_MSG/OFFSET_ILLEGAL', async () => {
    let code: number = ResponseCode.SUCCESS;
    const body = new Uint8Array([7, 7]);
    const { client, sent } = fakeClient(() => response(code, { nextBeginOffset: 12, minOffset: 0, maxOffset: 40, suggestWhichBrokerId: 1 }, code === 0 ? body : undefined));
    const api = new MQClientAPIImpl({ remotingClient: client, random: new SeededRandom(1) });
    const header = { consumerGroup: 'cg', topic: 'T', queueId: 1, queueOffset: 10, maxMsgNums: 32, sysFlag: 2, commitOffset: 0, suspendTimeoutMillis: 15000, subscription: '*', subVersion: 5, expressionType: 'TAG' };
    const statuses = [];
    for (code of [0, 19, 20, 21]) statuses.push(await api.pullMessage('a:1', header, 30000));
    expect(statuses.map((r) => [r.pullStatus, r.nextBeginOffset, r.maxOffset, r.suggestWhichBrokerId, r.messageBinary?.length])).toEqual([
      ['FOUND', 12, 40, 1, 2], ['NO_NEW_MSG', 12, 40, 1, undefined], ['NO_MATCHED_MSG', 12, 40, 1, undefined], ['OFFSET_ILLEGAL', 12, 40, 1, undefined],
    ]);
    expect(sent[0]!.how).toBe('async');
    expect(sent[0]!.request.extFields).toEqual({
      consumerGroup: 'cg', topic: 'T', queueId: '1', queueOffset: '10', maxMsgNums: '32', sysFlag: '2', commitOffset: '0', suspendTimeoutMillis: '15000', subscription: '*', subVersion: '5', expressionType: 'TAG',
    });
    code = ResponseCode.SUBSCRIPTION_NOT_LATEST;
    await expect(api.pullMessage('a:1', header, 30000)).rejects.toBeInstanceOf(MQBrokerError);
  });

  it('sendHeartbeat() returns the broker version; getConsumerIdListByGroup() reads the id list; send-back and unregister carry Java\'s fields', async () => {
    const { client, sent } = fakeClient((_addr, request) => {
      const r = response(ResponseCode.SUCCESS);
      if (request.code === RequestCode.HEART_BEAT) r.version = 293;
      if (request.code === RequestCode.GET_CONSUMER_LIST_BY_GROUP) r.body = encodeUtf8('{"consumerIdList":["10.0.0.5@1","10.0.0.6@2"]}');
      return r;
    });
    const api = new MQClientAPIImpl({ remotingClient: client, random: new SeededRandom(1) });
    expect(await api.sendHeartbeat('a:1', new HeartbeatData('10.0.0.5@1'), 3000)).toBe(293);
    expect(JSON.parse(new TextDecoder().decode(sent[0]!.request.body))).toEqual({ clientID: '10.0.0.5@1', consumerDataSet: [], producerDataSet: [] });
    expect(await api.getConsumerIdListByGroup('a:1', 'cg', 3000)).toEqual(['10.0.0.5@1', '10.0.0.6@2']);
    await api.unregisterClient('a:1', '10.0.0.5@1', 'pg', undefined, 3000);
    expect(sent[2]!.request.extFields).toEqual({ clientID: '10.0.0.5@1', producerGroup: 'pg' });
    const failed = new MessageExt({ topic: 'T', commitLogOffset: 4242, msgId: 'OFFID' });
    await api.consumerSendMessageBack('a:1', failed, 'cg', 3, 3000, 16);
    expect([sent[3]!.request.code, sent[3]!.request.extFields]).toEqual([RequestCode.CONSUMER_SEND_MSG_BACK, {
      offset: '4242', group: 'cg', delayLevel: '3', originMsgId: 'OFFID', originTopic: 'T', unitMode: 'false', maxReconsumeTimes: '16',
    }]);
    await api.updateConsumerOffsetOneway('a:1', { consumerGroup: 'cg', topic: 'T', queueId: 1, commitOffset: 8 }, 3000);
    expect([sent[4]!.how, sent[4]!.request.code]).toEqual(['oneway', RequestCode.UPDATE_CONSUMER_OFFSET]);
  });
});
