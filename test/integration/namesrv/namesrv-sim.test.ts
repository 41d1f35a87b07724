// A NamesrvController on SimNetwork + ManualClock, with fake brokers (RemotingClients that
// send REGISTER_BROKER every 30 s, as BrokerOuterAPI does) and a client that asks for
// routes. Goal: the whole name-server protocol as a peer sees it, including timing (120 s
// expiry, found by the 10 s scan), exact route JSON, and bad requests answered, never fatal.
import { describe, expect, it } from 'vitest';
import { crc32Positive } from '../../../src/common/crc32.js';
import { decodeClusterInfo } from '../../../src/common/protocol/body/cluster-info.js';
import { DataVersion } from '../../../src/common/protocol/body/data-version.js';
import { decodeKVTable } from '../../../src/common/protocol/body/kv-table.js';
import { RegisterBrokerBody } from '../../../src/common/protocol/body/register-broker-body.js';
import { TopicConfigSerializeWrapper } from '../../../src/common/protocol/body/topic-config-serialize-wrapper.js';
import { decodeTopicList } from '../../../src/common/protocol/body/topic-list.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { decodeTopicRouteData } from '../../../src/common/protocol/route/topic-route-data.js';
import { TopicConfig } from '../../../src/common/topic/topic-config.js';
import { NodeEvents, RecordingSink } from '../../../src/events/event-sink.js';
import { NamesrvController } from '../../../src/namesrv/namesrv-controller.js';
import type { NamesrvConfig } from '../../../src/namesrv/namesrv-config.js';
import type { TimerHandle } from '../../../src/platform/clock.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../src/platform/sim/memory-file-system.js';
import { SimNetwork } from '../../../src/platform/sim/sim-network.js';
import { RemotingClient } from '../../../src/remoting/remoting-client.js';
import { createRequestCommand, type ExtFieldValue, type RemotingCommand } from '../../../src/remoting/remoting-command.js';

const text = new TextDecoder();
const NAMESRV = 'namesrv-1:9876';

async function world(config: Partial<NamesrvConfig> = {}, fs = new MemoryFileSystem()) {
  const clock = new ManualClock(1_700_000_000_000);
  const sink = new RecordingSink(clock);
  const random = new SeededRandom(42);
  const network = new SimNetwork({ clock, random });
  const namesrv = new NamesrvController({ platform: { clock, random, fs, transport: network.host('namesrv-1') }, events: sink, node: 'namesrv-1', config });
  const address = await namesrv.start(NAMESRV);
  const client = (host: string, version?: number) =>
    new RemotingClient({ transport: network.host(host), clock, events: new NodeEvents(sink, host), config: version === undefined ? {} : { version } });
  /** One RPC, running virtual time until it settles. */
  const call = async (from: RemotingClient, request: RemotingCommand): Promise<RemotingCommand> => {
    let settled = false;
    const pending = from.invokeSync(address, request, 3000).finally(() => (settled = true));
    await clock.runUntil(() => settled, 5000);
    return pending;
  };
  return { clock, sink, fs, namesrv, address, client, call };
}

interface BrokerIdentity {
  brokerName: string;
  brokerAddr: string;
  brokerId?: number;
  clusterName?: string;
}

function registerRequest(who: BrokerIdentity, topics: TopicConfig[], version = new DataVersion(1_700_000_000_000, 1)): RemotingCommand {
  const wrapper = new TopicConfigSerializeWrapper(new Map(topics.map((t) => [t.topicName, t])), version);
  const body = new RegisterBrokerBody(wrapper).encode();
  const request = createRequestCommand(RequestCode.REGISTER_BROKER, {
    brokerName: who.brokerName,
    brokerAddr: who.brokerAddr,
    clusterName: who.clusterName ?? 'DefaultCluster',
    haServerAddr: who.brokerAddr.replace(':10911', ':10912'),
    brokerId: who.brokerId ?? 0,
    compressed: false,
    bodyCrc32: crc32Positive(body),
  });
  request.body = body;
  return request;
}

/** A broker's registration loop: once now, then every 30 s until stopped. */
function startRegistering(clock: ManualClock, from: RemotingClient, address: string, makeRequest: () => RemotingCommand) {
  const responses: RemotingCommand[] = [];
  let timer: TimerHandle | undefined;
  const tick = (): void => {
    void from.invokeSync(address, makeRequest(), 6000).then((r) => responses.push(r), () => undefined);
    timer = clock.setTimer(30_000, tick);
  };
  tick();
  return { responses, stop: () => timer?.cancel() };
}

function routeRequest(topic: string): RemotingCommand {
  return createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic });
}

describe('NamesrvController on SimNetwork', () => {
  it('a broker registering every 30 s is routable with the exact route JSON; silent for 120 s it is removed by the next scan', async () => {
    const { clock, sink, address, client, call } = await world();
    const start = clock.now();
    const brokerClient = client('broker-a');
    const broker = startRegistering(clock, brokerClient, address, () =>
      registerRequest({ brokerName: 'broker-a', brokerAddr: 'broker-a:10911' }, [new TopicConfig('TopicA', 4, 4, 6)]),
    );
    const producer = client('producer-1');
    await clock.runUntil(() => broker.responses.length === 1, 1000);
    expect(broker.responses[0]!.code).toBe(ResponseCode.SUCCESS);

    const route = await call(producer, routeRequest('TopicA'));
    expect(route.code).toBe(ResponseCode.SUCCESS);
    expect(text.decode(route.body)).toBe(
      '{"brokerDatas":[{"brokerAddrs":{"0":"broker-a:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"}],' +
        '"filterServerTable":{},' +
        '"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSynFlag":0,"topicSysFlag":0,"writeQueueNums":4}]}',
    );

    // Registrations at +0, +30 s, +60 s; then the broker goes silent (its connection stays open).
    await clock.advanceTo(start + 61_000);
    broker.stop();
    expect(broker.responses).toHaveLength(3);
    const lastUpdate = start + 60_000 + 1; // sent at +60 s, one 1 ms hop to the name server
    // Scans run at +5 s, +15 s, ...; the first that sees more than 120 s of silence is at +185 s.
    await clock.advanceTo(start + 184_990); // (the query takes 2 ms of network time, so ask a little earlier)
    expect((await call(producer, routeRequest('TopicA'))).code).toBe(ResponseCode.SUCCESS);
    expect(sink.ofKind('namesrv.broker.expired')).toEqual([]);
    await clock.advanceTo(start + 185_000);
    const expired = sink.ofKind('namesrv.broker.expired');
    expect(expired.map((e) => e.data)).toEqual([
      { brokerName: 'broker-a', brokerId: 0, addr: 'broker-a:10911', lastUpdate, idleMs: start + 185_000 - lastUpdate, brokerNameRemoved: true, topicsDropped: 1 },
    ]);
    expect(expired[0]!.node).toBe('namesrv-1');
    const gone = await call(producer, routeRequest('TopicA'));
    expect(gone.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect(gone.remark).toBe('No topic route info in name server for the topic: TopicA\nSee http://rocketmq.apache.org/docs/faq/ for further details.');
    await clock.advance(10);
    expect(brokerClient.isConnected(address)).toBe(false); // the name server closed the expired broker's connection
    expect(sink.ofKind('namesrv.route.queried').map((e) => [e.data.found, e.data.brokers])).toEqual([
      [true, ['broker-a']],
      [true, ['broker-a']],
      [false, []],
    ]);
  });

  it('a broker whose connection closes leaves the routes at once (BrokerHousekeepingService)', async () => {
    const { clock, sink, address, client, call } = await world();
    const brokerClient = client('broker-a');
    await call(brokerClient, registerRequest({ brokerName: 'broker-a', brokerAddr: 'broker-a:10911' }, [new TopicConfig('TopicA')]));
    brokerClient.shutdown();
    await clock.advance(5);
    expect(sink.ofKind('namesrv.broker.unregistered').map((e) => e.data.reason)).toEqual(['channel-destroyed']);
    expect((await call(client('producer-1'), routeRequest('TopicA'))).code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect(address).toBe(NAMESRV);
  });

  it('REGISTER_BROKER from a slave answers masterAddr and haServerAddr; its topics are ignored; UNREGISTER_BROKER removes it', async () => {
    const { client, call } = await world();
    const master = { brokerName: 'broker-a', brokerAddr: 'broker-a:10911' };
    const slave = { brokerName: 'broker-a', brokerAddr: 'broker-a-s:10911', brokerId: 1 };
    await call(client('broker-a'), registerRequest(master, [new TopicConfig('TopicA', 4, 4, 6)]));
    const slaveClient = client('broker-a-s');
    const answer = await call(slaveClient, registerRequest(slave, [new TopicConfig('SlaveOnly')]));
    expect(answer.extFields).toEqual({ masterAddr: 'broker-a:10911', haServerAddr: 'broker-a:10912' });
    const producer = client('producer-1');
    expect((await call(producer, routeRequest('SlaveOnly'))).code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    const route = decodeTopicRouteData((await call(producer, routeRequest('TopicA'))).body!);
    expect(route.brokerDatas[0]!.brokerAddrs).toEqual(new Map([[0, 'broker-a:10911'], [1, 'broker-a-s:10911']]));
    const bye = createRequestCommand(RequestCode.UNREGISTER_BROKER, { ...slave, clusterName: 'DefaultCluster' });
    expect((await call(slaveClient, bye)).code).toBe(ResponseCode.SUCCESS);
    const after = decodeTopicRouteData((await call(producer, routeRequest('TopicA'))).body!);
    expect(after.brokerDatas[0]!.brokerAddrs).toEqual(new Map([[0, 'broker-a:10911']]));
  });

  it('REGISTER_BROKER from a broker older than V3_0_11 (version 36) is read as a bare TopicConfigSerializeWrapper', async () => {
    const { client, call } = await world();
    const old = client('broker-old', 36);
    const wrapper = new TopicConfigSerializeWrapper(new Map([['OldTopic', new TopicConfig('OldTopic', 2, 2, 6)]]), new DataVersion(5, 5));
    const request = createRequestCommand(RequestCode.REGISTER_BROKER, {
      brokerName: 'broker-old', brokerAddr: 'broker-old:10911', clusterName: 'DefaultCluster', haServerAddr: '', brokerId: 0,
    });
    request.body = wrapper.encode();
    expect((await call(old, request)).code).toBe(ResponseCode.SUCCESS);
    const route = decodeTopicRouteData((await call(client('producer-1'), routeRequest('OldTopic'))).body!);
    expect(route.queueDatas).toEqual([{ brokerName: 'broker-old', readQueueNums: 2, writeQueueNums: 2, perm: 6, topicSysFlag: 0 }]);
  });

  it('malformed requests get SYSTEM_ERROR naming the field (or body), unknown codes REQUEST_CODE_NOT_SUPPORTED; the connection stays usable', async () => {
    const { client, call } = await world();
    const peer = client('mqadmin-1');
    const registerWith = (fields: Record<string, ExtFieldValue>, body?: Uint8Array) => {
      const request = registerRequest({ brokerName: 'broker-a', brokerAddr: 'broker-a:10911' }, [new TopicConfig('TopicA')]);
      for (const [k, v] of Object.entries(fields)) {
        if (v === undefined) delete request.extFields![k];
        else request.setExtField(k, v);
      }
      if (body !== undefined) request.body = body;
      return call(peer, request);
    };
    const answers = [
      await registerWith({ brokerName: undefined }),
      await registerWith({ brokerId: 'abc' }),
      await registerWith({ bodyCrc32: 12345 }),
      await registerWith({ bodyCrc32: 0 }, new TextEncoder().encode('{"topicConfigSerializeWrapper":[1]}')),
      await registerWith({ bodyCrc32: 0 }, new TextEncoder().encode('not json')),
      await call(peer, createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC)),
      await call(peer, createRequestCommand(RequestCode.PUT_KV_CONFIG, { namespace: 'ns', key: 'k' })),
      await call(peer, createRequestCommand(RequestCode.QUERY_DATA_VERSION, { brokerName: 'b', brokerAddr: 'a', clusterName: 'c', brokerId: 0 })),
      await call(peer, createRequestCommand(9999)),
    ];
    expect(answers.map((a) => [a.code, a.remark])).toEqual([
      [ResponseCode.SYSTEM_ERROR, 'the custom header field "brokerName" is missing'],
      [ResponseCode.SYSTEM_ERROR, 'the custom header field "brokerId" is not a long: "abc"'],
      [ResponseCode.SYSTEM_ERROR, 'crc32 not match'],
      [ResponseCode.SYSTEM_ERROR, 'the body could not be decoded: RegisterBrokerBody.topicConfigSerializeWrapper: expected an object, got an array'],
      [ResponseCode.SYSTEM_ERROR, expect.stringMatching(/^the body could not be decoded: RegisterBrokerBody: not JSON/)],
      [ResponseCode.SYSTEM_ERROR, 'the custom header field "topic" is missing'],
      [ResponseCode.SYSTEM_ERROR, 'the custom header field "value" is missing'],
      [ResponseCode.SYSTEM_ERROR, 'QUERY_DATA_VERSION needs a DataVersion body'],
      [ResponseCode.REQUEST_CODE_NOT_SUPPORTED, ' request type 9999 not supported'],
    ]);
    expect((await registerWith({})).code).toBe(ResponseCode.SUCCESS); // same connection, still fine
  });

  it('PUT/GET/DELETE_KV_CONFIG and GET_KVLIST_BY_NAMESPACE round-trip, persist kvConfig.json, and survive a restart', async () => {
    const fs = new MemoryFileSystem();
    const first = await world({}, fs);
    const admin = first.client('mqadmin-1');
    const put = (namespace: string, key: string, value: string) => first.call(admin, createRequestCommand(RequestCode.PUT_KV_CONFIG, { namespace, key, value }));
    expect((await put('ORDER_TOPIC_CONFIG', 'TopicA', 'broker-a:4')).code).toBe(ResponseCode.SUCCESS);
    await put('ns', 'k1', 'v1');
    await put('ns', 'k2', 'v2');
    const got = await first.call(admin, createRequestCommand(RequestCode.GET_KV_CONFIG, { namespace: 'ns', key: 'k1' }));
    expect([got.code, got.extFields]).toEqual([ResponseCode.SUCCESS, { value: 'v1' }]);
    await first.call(admin, createRequestCommand(RequestCode.DELETE_KV_CONFIG, { namespace: 'ns', key: 'k1' }));
    const missing = await first.call(admin, createRequestCommand(RequestCode.GET_KV_CONFIG, { namespace: 'ns', key: 'k1' }));
    expect([missing.code, missing.remark]).toEqual([ResponseCode.QUERY_NOT_FOUND, 'No config item, Namespace: ns Key: k1']);
    const list = await first.call(admin, createRequestCommand(RequestCode.GET_KVLIST_BY_NAMESPACE, { namespace: 'ns' }));
    expect(text.decode(list.body)).toBe('{"table":{"k2":"v2"}}');
    const none = await first.call(admin, createRequestCommand(RequestCode.GET_KVLIST_BY_NAMESPACE, { namespace: 'other' }));
    expect([none.code, none.remark]).toEqual([ResponseCode.QUERY_NOT_FOUND, 'No config item, Namespace: other']);
    expect(fs.readText('namesrv/kvConfig.json')).toBe('{"configTable":{"ORDER_TOPIC_CONFIG":{"TopicA":"broker-a:4"},"ns":{"k2":"v2"}}}');
    await first.namesrv.shutdown();

    // A new name server on the same disk, with ordered routes on: brokers and clients see the layout.
    const second = await world({ orderMessageEnable: true }, fs);
    const broker = second.client('broker-a');
    const registered = await second.call(broker, registerRequest({ brokerName: 'broker-a', brokerAddr: 'broker-a:10911' }, [new TopicConfig('TopicA', 4, 4, 6)]));
    expect(decodeKVTable(registered.body!).table).toEqual(new Map([['TopicA', 'broker-a:4']]));
    const route = await second.call(second.client('producer-1'), routeRequest('TopicA'));
    expect(decodeTopicRouteData(route.body!).orderTopicConf).toBe('broker-a:4');
    expect(text.decode(route.body).startsWith('{"brokerDatas":')).toBe(true);
  });

  it('admin codes: cluster info, topic lists, DELETE_TOPIC_IN_NAMESRV, WIPE_WRITE_PERM_OF_BROKER, QUERY_DATA_VERSION', async () => {
    const { client, call } = await world();
    const version = new DataVersion(1_700_000_000_000, 7);
    await call(client('broker-a'), registerRequest({ brokerName: 'broker-a', brokerAddr: 'broker-a:10911' }, [new TopicConfig('T1'), new TopicConfig('T2')], version));
    const admin = client('mqadmin-1');
    const info = decodeClusterInfo((await call(admin, createRequestCommand(RequestCode.GET_BROKER_CLUSTER_INFO))).body!);
    expect(info.clusterAddrTable).toEqual(new Map([['DefaultCluster', new Set(['broker-a'])]]));
    const all = await call(admin, createRequestCommand(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER));
    expect(text.decode(all.body)).toBe('{"topicList":["T1","T2"]}');
    const byCluster = await call(admin, createRequestCommand(RequestCode.GET_TOPICS_BY_CLUSTER, { cluster: 'DefaultCluster' }));
    expect(decodeTopicList(byCluster.body!).topicList).toEqual(new Set(['T1', 'T2']));
    const system = await call(admin, createRequestCommand(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS));
    expect(text.decode(system.body)).toBe('{"brokerAddr":"broker-a:10911","topicList":["DefaultCluster","broker-a"]}');

    expect((await call(admin, createRequestCommand(RequestCode.DELETE_TOPIC_IN_NAMESRV, { topic: 'T1' }))).code).toBe(ResponseCode.SUCCESS);
    expect((await call(admin, routeRequest('T1'))).code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    const wipe = await call(admin, createRequestCommand(RequestCode.WIPE_WRITE_PERM_OF_BROKER, { brokerName: 'broker-a' }));
    expect(wipe.extFields).toEqual({ wipeTopicCount: '1' });
    expect(decodeTopicRouteData((await call(admin, routeRequest('T2'))).body!).queueDatas[0]!.perm).toBe(4);

    const query = (dv: DataVersion) => {
      const request = createRequestCommand(RequestCode.QUERY_DATA_VERSION, { brokerName: 'broker-a', brokerAddr: 'broker-a:10911', clusterName: 'DefaultCluster', brokerId: 0 });
      request.body = dv.encode();
      return call(admin, request);
    };
    const same = await query(version);
    expect([same.extFields, text.decode(same.body)]).toEqual([{ changed: 'false' }, '{"counter":7,"timestamp":1700000000000}']);
    expect((await query(new DataVersion(1_700_000_000_001, 8))).extFields).toEqual({ changed: 'true' });
  });
});
