// A NamesrvController and a BrokerController on one SimNetwork, ManualClock and
// MemoryFileSystem: the broker registers and re-registers every 30 s, its topics become
// routable, a raw RemotingClient sends SEND_MESSAGE_V2 (main and VIP port) and the message
// is in the store, and a clean restart on the same disk keeps topics and messages.
import { describe, expect, it } from 'vitest';
import { BrokerController } from '../../../src/broker/broker-controller.js';
import { messageStoreConfigFor } from '../../../src/common/config/profiles.js';
import { decodeMessages } from '../../../src/common/message/message-decoder.js';
import { createMessageIdFromHost } from '../../../src/common/message/message-id.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { decodeTopicRouteData } from '../../../src/common/protocol/route/topic-route-data.js';
import { NodeEvents, RecordingSink } from '../../../src/events/event-sink.js';
import { NamesrvController } from '../../../src/namesrv/namesrv-controller.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../src/platform/sim/memory-file-system.js';
import { SimNetwork } from '../../../src/platform/sim/sim-network.js';
import { RemotingClient } from '../../../src/remoting/remoting-client.js';
import { createRequestCommand, type RemotingCommand } from '../../../src/remoting/remoting-command.js';

const NAMESRV = '10.0.0.1:9876';
const BROKER = '10.0.0.2:10911';
const BROKER_VIP = '10.0.0.2:10909';

async function world() {
  const clock = new ManualClock(1_700_000_000_000);
  const sink = new RecordingSink(clock);
  const random = new SeededRandom(11);
  const network = new SimNetwork({ clock, random });
  const fs = new MemoryFileSystem();
  const namesrv = new NamesrvController({ platform: { clock, random, fs, transport: network.host('10.0.0.1') }, events: sink, node: 'namesrv-1' });
  await namesrv.start(NAMESRV);
  const newBroker = () => new BrokerController({
    platform: { clock, random: random.fork(), fs, transport: network.host('10.0.0.2') },
    events: sink,
    node: 'broker-a',
    brokerConfig: { brokerName: 'broker-a', brokerIP1: '10.0.0.2', namesrvAddr: NAMESRV },
    storeConfig: messageStoreConfigFor('teaching', { storePathRootDir: '/broker-a/store' }),
  });
  const client = new RemotingClient({ transport: network.host('10.0.0.5'), clock, events: new NodeEvents(sink, 'client-1') });
  /** Run virtual time until `promise` settles. */
  const settle = async <T>(promise: Promise<T>, limitMs = 20_000): Promise<T> => {
    let done: { value: T } | undefined;
    let failed: { error: unknown } | undefined;
    promise.then((value) => (done = { value }), (error: unknown) => (failed = { error }));
    await clock.runUntil(() => done !== undefined || failed !== undefined, limitMs);
    if (failed !== undefined) throw failed.error;
    return done!.value;
  };
  const call = (address: string, request: RemotingCommand) => settle(client.invokeSync(address, request, 3000));
  const route = (topic: string) => call(NAMESRV, createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }));
  return { clock, sink, fs, namesrv, newBroker, client, settle, call, route };
}

function sendRequest(topic: string, queueId: number, body: string): RemotingCommand {
  const request = createRequestCommand(RequestCode.SEND_MESSAGE_V2, {
    a: 'pg', b: topic, c: 'TBW102', d: 4, e: queueId, f: 0, g: 1_699_999_999_000, h: 0, i: 'TAGS\u0001TagA\u0002WAIT\u0001true\u0002', j: 0, k: false,
  });
  request.body = new TextEncoder().encode(body);
  return request;
}

describe('BrokerController on SimNetwork', () => {
  it('registers with the name server at start and every 30 s; its system topics are routable', async () => {
    const { clock, sink, newBroker, settle, route } = await world();
    const broker = newBroker();
    const startedAt = clock.now();
    await settle(broker.start());
    expect(sink.ofKind('broker.namesrv.registered').map((e) => [e.data.namesrv, e.data.ok, e.data.oneway])).toEqual([[NAMESRV, true, false]]);
    expect(sink.ofKind('broker.controller.started')[0]!.data).toMatchObject({ addr: BROKER, fastAddr: BROKER_VIP, topics: 8, lastExitOK: true });

    const tbw = await route('TBW102');
    expect(tbw.code).toBe(ResponseCode.SUCCESS);
    const data = decodeTopicRouteData(tbw.body!);
    expect(data.brokerDatas.map((b) => [b.brokerName, b.brokerAddrs.get(0)])).toEqual([['broker-a', BROKER]]);
    expect(data.queueDatas.map((q) => [q.perm, q.readQueueNums, q.writeQueueNums])).toEqual([[7, 8, 8]]);

    // Periodic registrations: first 10 s after start, then every 30 s. The one at 60 s is the
    // transaction check's first round creating RMQ_SYS_TRANS_HALF_TOPIC (a topic change).
    await clock.advanceTo(startedAt + 75_000);
    const at = sink.ofKind('namesrv.broker.registered').map((e) => Math.floor((e.at - (startedAt - 1_700_000_000_000)) / 1000));
    expect(at).toEqual([0, 10, 40, 60, 70]);
    await settle(broker.shutdown());
  });

  it('stores a SEND_MESSAGE_V2 from a raw client, auto-creates its topic and makes it routable at once', async () => {
    const { sink, newBroker, settle, call, route } = await world();
    const broker = newBroker();
    await settle(broker.start());
    expect((await route('TopicA')).code).toBe(ResponseCode.TOPIC_NOT_EXIST);

    const response = await call(BROKER, sendRequest('TopicA', 2, 'hello'));
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(response.extFields).toMatchObject({ msgId: createMessageIdFromHost(BROKER, 0), queueId: '2', queueOffset: '0', MSG_REGION: 'DefaultRegion', TRACE_ON: 'true' });
    const viaVip = await call(BROKER_VIP, sendRequest('TopicA', 2, 'again'));
    expect(viaVip.extFields!.queueOffset).toBe('1');

    // The one-way registration after auto-creation made the topic routable before the 30 s loop.
    const routed = await route('TopicA');
    expect(routed.code).toBe(ResponseCode.SUCCESS);
    expect(decodeTopicRouteData(routed.body!).queueDatas.map((q) => [q.perm, q.writeQueueNums])).toEqual([[6, 4]]);
    expect(sink.ofKind('broker.namesrv.registered').filter((e) => e.data.oneway)).toHaveLength(1);

    const result = broker.messageStore.getMessage('g', 'TopicA', 2, 0, 32)!;
    const stored = decodeMessages(result.body);
    expect(stored.map((m) => [new TextDecoder().decode(m.body), m.bornHost.startsWith('10.0.0.5:'), m.storeHost, m.msgId])).toEqual([
      ['hello', true, BROKER, response.extFields!.msgId],
      ['again', true, BROKER, viaVip.extFields!.msgId],
    ]);
    await settle(broker.shutdown());
  });

  it('unregisters at shutdown, and a restart on the same disk keeps its topics and messages', async () => {
    const { fs, sink, newBroker, settle, call, route } = await world();
    const first = newBroker();
    await settle(first.start());
    const sent = await call(BROKER, sendRequest('TopicA', 0, 'kept'));
    await settle(first.shutdown());
    expect(sink.ofKind('broker.namesrv.unregistered').map((e) => e.data)).toEqual([{ namesrv: NAMESRV, ok: true }]);
    expect((await route('TopicA')).code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect(fs.readText('/broker-a/store/config/topics.json')).toContain('"TopicA":{');

    const second = newBroker();
    await settle(second.start());
    expect(sink.ofKind('broker.controller.started')[1]!.data.lastExitOK).toBe(true);
    expect(second.topicConfigManager.selectTopicConfig('TopicA')?.writeQueueNums).toBe(4);
    expect((await route('TopicA')).code).toBe(ResponseCode.SUCCESS);
    const kept = decodeMessages(second.messageStore.getMessage('g', 'TopicA', 0, 0, 32)!.body);
    expect(kept.map((m) => [new TextDecoder().decode(m.body), m.msgId])).toEqual([['kept', sent.extFields!.msgId]]);
    const next = await call(BROKER, sendRequest('TopicA', 0, 'after restart'));
    expect(next.extFields!.queueOffset).toBe('1');
    await settle(second.shutdown());
  });

  it('serves PULL_MESSAGE and HEART_BEAT on both ports through the wired processors', async () => {
    const { newBroker, settle, call, route } = await world();
    const broker = newBroker();
    await settle(broker.start());
    await call(BROKER, sendRequest('TopicA', 0, 'pull me'));
    for (const address of [BROKER, BROKER_VIP]) {
      const pull = createRequestCommand(RequestCode.PULL_MESSAGE, {
        consumerGroup: 'cg', topic: 'TopicA', queueId: 0, queueOffset: 0, maxMsgNums: 32, sysFlag: 4, commitOffset: 0,
        suspendTimeoutMillis: 15_000, subscription: '*', subVersion: 0, expressionType: 'TAG',
      });
      const response = await call(address, pull);
      expect([response.code, response.remark, response.extFields?.nextBeginOffset]).toEqual([ResponseCode.SUCCESS, 'FOUND', '1']);
      expect(new TextDecoder().decode(decodeMessages(response.body!)[0]!.body)).toBe('pull me');
    }
    const heartbeat = createRequestCommand(RequestCode.HEART_BEAT);
    heartbeat.body = new TextEncoder().encode(JSON.stringify({
      clientID: '10.0.0.5@1',
      consumerDataSet: [{
        groupName: 'cg', consumeType: 'CONSUME_PASSIVELY', messageModel: 'CLUSTERING', consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET', unitMode: false,
        subscriptionDataSet: [{ classFilterMode: false, codeSet: [], expressionType: 'TAG', subString: '*', subVersion: 1, tagsSet: [], topic: 'TopicA' }],
      }],
      producerDataSet: [],
    }));
    expect((await call(BROKER, heartbeat)).code).toBe(ResponseCode.SUCCESS);
    // The heartbeat created %RETRY%cg, and the change listener registered it at once.
    expect((await route('%RETRY%cg')).code).toBe(ResponseCode.SUCCESS);
    await settle(broker.shutdown());
  });

  it('answers an unknown request code with REQUEST_CODE_NOT_SUPPORTED on both ports, and a bad send with SYSTEM_ERROR', async () => {
    const { newBroker, settle, call } = await world();
    const broker = newBroker();
    await settle(broker.start());
    for (const address of [BROKER, BROKER_VIP]) {
      const unknown = await call(address, createRequestCommand(9999));
      expect([unknown.code, unknown.remark]).toEqual([ResponseCode.REQUEST_CODE_NOT_SUPPORTED, ' request type 9999 not supported']);
    }
    const bad = await call(BROKER, createRequestCommand(RequestCode.SEND_MESSAGE_V2, { a: 'pg' }));
    expect([bad.code, bad.remark]).toEqual([ResponseCode.SYSTEM_ERROR, 'the custom header field "b (topic)" is missing']);
    await settle(broker.shutdown());
  });
});
