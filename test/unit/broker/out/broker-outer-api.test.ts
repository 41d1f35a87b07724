// BrokerOuterAPI against two fake name servers on a SimNetwork: the exact REGISTER_BROKER
// header and body, the answers it returns, one name server failing without failing the
// other, one-way registration, and UNREGISTER_BROKER.
import { describe, expect, it } from 'vitest';
import { BrokerOuterAPI } from '../../../../src/broker/out/broker-outer-api.js';
import { crc32Positive } from '../../../../src/common/crc32.js';
import { DataVersion } from '../../../../src/common/protocol/body/data-version.js';
import { encodeKVTable } from '../../../../src/common/protocol/body/kv-table.js';
import { RegisterBrokerBody } from '../../../../src/common/protocol/body/register-broker-body.js';
import { TopicConfigSerializeWrapper } from '../../../../src/common/protocol/body/topic-config-serialize-wrapper.js';
import { RequestCode } from '../../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../../src/common/protocol/response-code.js';
import { TopicConfig } from '../../../../src/common/topic/topic-config.js';
import { NodeEvents, RecordingSink } from '../../../../src/events/event-sink.js';
import { SeededRandom } from '../../../../src/platform/random.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { SimNetwork } from '../../../../src/platform/sim/sim-network.js';
import { RemotingClient } from '../../../../src/remoting/remoting-client.js';
import { createResponseCommand, isOneway, type RemotingCommand } from '../../../../src/remoting/remoting-command.js';
import { RemotingServer } from '../../../../src/remoting/remoting-server.js';

async function world() {
  const clock = new ManualClock(1_700_000_000_000);
  const sink = new RecordingSink(clock);
  const network = new SimNetwork({ clock, random: new SeededRandom(7) });
  const received: Array<{ server: string; request: RemotingCommand }> = [];
  const fakeNamesrv = async (host: string, answer: (r: RemotingCommand) => RemotingCommand) => {
    const server = new RemotingServer({ transport: network.host(host), clock, events: new NodeEvents(sink, host) });
    server.registerDefaultProcessor({ rejectRequest: () => false, processRequest: (_ctx, request) => (received.push({ server: host, request }), answer(request)) });
    return server.start(`${host}:9876`);
  };
  const client = new RemotingClient({ transport: network.host('10.0.0.2'), clock, events: new NodeEvents(sink, 'broker-a') });
  const api = new BrokerOuterAPI({ remotingClient: client, events: new NodeEvents(sink, 'broker-a') });
  return { clock, sink, received, fakeNamesrv, api };
}

const wrapper = new TopicConfigSerializeWrapper(new Map([['TopicA', new TopicConfig('TopicA', 4, 4, 6)]]), new DataVersion(1_700_000_000_000, 3));
const request = {
  clusterName: 'DefaultCluster', brokerAddr: '10.0.0.2:10911', brokerName: 'broker-a', brokerId: 0, haServerAddr: '10.0.0.2:10912',
  topicConfigWrapper: wrapper, filterServerList: [], oneway: false, timeoutMills: 6000, compressed: false,
};

describe('BrokerOuterAPI', () => {
  it('registerBrokerAll sends the exact header and body to every name server and returns their answers', async () => {
    const { clock, sink, received, fakeNamesrv, api } = await world();
    await fakeNamesrv('10.0.0.1', () => {
      const r = createResponseCommand(ResponseCode.SUCCESS);
      r.body = encodeKVTable(new Map([['TopicA', 'broker-a:4']]));
      return r;
    });
    await fakeNamesrv('10.0.0.9', () => createResponseCommand(ResponseCode.SUCCESS).setExtField('masterAddr', '10.0.0.2:10911'));
    api.updateNameServerAddressList('10.0.0.1:9876; 10.0.0.9:9876;');
    expect(api.getNameServerAddressList()).toEqual(['10.0.0.1:9876', '10.0.0.9:9876']);

    const pending = api.registerBrokerAll(request);
    let results: Awaited<typeof pending> | undefined;
    void pending.then((r) => (results = r));
    await clock.runUntil(() => results !== undefined, 10_000);

    const body = new RegisterBrokerBody(wrapper).encode();
    expect(received.map((r) => r.server).sort()).toEqual(['10.0.0.1', '10.0.0.9']);
    const first = received[0]!.request;
    expect(first.code).toBe(RequestCode.REGISTER_BROKER);
    expect(first.extFields).toEqual({
      brokerName: 'broker-a', brokerAddr: '10.0.0.2:10911', clusterName: 'DefaultCluster', haServerAddr: '10.0.0.2:10912',
      brokerId: '0', compressed: 'false', bodyCrc32: String(crc32Positive(body)),
    });
    expect(new TextDecoder().decode(first.body)).toBe(
      '{"filterServerList":[],"topicConfigSerializeWrapper":{"dataVersion":{"counter":3,"timestamp":1700000000000},' +
        '"topicConfigTable":{"TopicA":{"order":false,"perm":6,"readQueueNums":4,"topicFilterType":"SINGLE_TAG","topicName":"TopicA","topicSysFlag":0,"writeQueueNums":4}}}}',
    );
    const byAddr = new Map(results!.map((r) => [r.namesrvAddr, r]));
    expect(byAddr.get('10.0.0.1:9876')?.kvTable?.table.get('TopicA')).toBe('broker-a:4');
    expect(byAddr.get('10.0.0.9:9876')?.masterAddr).toBe('10.0.0.2:10911');
    expect(sink.ofKind('broker.namesrv.registered').map((e) => e.data.ok)).toEqual([true, true]);
  });

  it('registerBrokerAll reports a refusing and an unreachable name server, and still returns the good answer', async () => {
    const { clock, sink, fakeNamesrv, api } = await world();
    await fakeNamesrv('10.0.0.1', () => createResponseCommand(ResponseCode.SYSTEM_ERROR, 'crc32 not match'));
    await fakeNamesrv('10.0.0.9', () => createResponseCommand(ResponseCode.SUCCESS));
    api.updateNameServerAddressList('10.0.0.1:9876;10.0.0.9:9876;10.0.0.77:9876');
    let results: unknown[] | undefined;
    void api.registerBrokerAll(request).then((r) => (results = r));
    await clock.runUntil(() => results !== undefined, 10_000);
    expect(results).toHaveLength(1);
    const outcomes = sink.ofKind('broker.namesrv.registered').map((e) => [e.data.namesrv, e.data.ok, e.data.error ?? '']);
    expect(outcomes).toContainEqual(['10.0.0.9:9876', true, '']);
    expect(outcomes.find((o) => o[0] === '10.0.0.1:9876')?.[2]).toContain('crc32 not match');
    expect(outcomes.find((o) => o[0] === '10.0.0.77:9876')?.[2]).toContain('RemotingConnectError');
  });

  it('registerBrokerAll with oneway sends the ONEWAY bit and returns no answers; unregisterBrokerAll sends UNREGISTER_BROKER', async () => {
    const { clock, received, fakeNamesrv, api, sink } = await world();
    await fakeNamesrv('10.0.0.1', () => createResponseCommand(ResponseCode.SUCCESS));
    api.updateNameServerAddressList('10.0.0.1:9876');
    let results: unknown[] | undefined;
    void api.registerBrokerAll({ ...request, oneway: true }).then((r) => (results = r));
    await clock.runUntil(() => results !== undefined && received.length === 1, 10_000);
    expect(results).toEqual([]);
    expect(isOneway(received[0]!.request)).toBe(true);

    let done = false;
    void api.unregisterBrokerAll('DefaultCluster', '10.0.0.2:10911', 'broker-a', 0).then(() => (done = true));
    await clock.runUntil(() => done, 10_000);
    expect(received[1]!.request.code).toBe(RequestCode.UNREGISTER_BROKER);
    expect(received[1]!.request.extFields).toEqual({ brokerName: 'broker-a', brokerAddr: '10.0.0.2:10911', clusterName: 'DefaultCluster', brokerId: '0' });
    expect(sink.ofKind('broker.namesrv.unregistered').map((e) => e.data)).toEqual([{ namesrv: '10.0.0.1:9876', ok: true }]);
  });
});
