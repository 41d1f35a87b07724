// RouteInfoManager: the five tables, driven directly (no network). Routes are compared with
// what Java's RouteInfoManager builds for the same registrations, field by field and as
// the exact JSON a client receives.
import { describe, expect, it } from 'vitest';
import { encodeClusterInfo } from '../../../src/common/protocol/body/cluster-info.js';
import { DataVersion } from '../../../src/common/protocol/body/data-version.js';
import { TopicConfigSerializeWrapper } from '../../../src/common/protocol/body/topic-config-serialize-wrapper.js';
import { encodeTopicRouteData } from '../../../src/common/protocol/route/topic-route-data.js';
import { TopicConfig } from '../../../src/common/topic/topic-config.js';
import { NodeEvents, RecordingSink } from '../../../src/events/event-sink.js';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';
import { RouteInfoManager, type BrokerChannel, type RegisterBrokerRequest } from '../../../src/namesrv/route-info-manager.js';

const text = new TextDecoder();

/** A channel that remembers being closed. */
class FakeChannel implements BrokerChannel {
  closedWith: string | undefined;
  constructor(readonly remoteAddress: string) {}
  close(reason: string): void {
    this.closedWith = reason;
  }
}

function setup() {
  const clock = new ManualClock(1_700_000_000_000);
  const sink = new RecordingSink(clock);
  const routes = new RouteInfoManager({ clock, events: new NodeEvents(sink, 'namesrv-1') });
  return { clock, sink, routes };
}

function wrapper(version: [number, number], ...configs: TopicConfig[]): TopicConfigSerializeWrapper {
  return new TopicConfigSerializeWrapper(new Map(configs.map((c) => [c.topicName, c])), new DataVersion(version[0], version[1]));
}

function register(routes: RouteInfoManager, fields: Partial<RegisterBrokerRequest> & Pick<RegisterBrokerRequest, 'brokerName' | 'brokerAddr'>) {
  return routes.registerBroker({
    clusterName: 'DefaultCluster',
    brokerId: 0,
    haServerAddr: fields.brokerAddr.replace(':10911', ':10912'),
    topicConfigWrapper: wrapper([1, 1]),
    ...fields,
  });
}

describe('RouteInfoManager', () => {
  it('registerBroker() for two masters and a slave gives the route Java builds: queueDatas per broker, brokerDatas with every id', () => {
    const { routes } = setup();
    register(routes, { brokerName: 'broker-b', brokerAddr: '10.0.0.3:10911', topicConfigWrapper: wrapper([5, 2], new TopicConfig('TopicA', 8, 8, 6)) });
    register(routes, { brokerName: 'broker-a', brokerAddr: '10.0.0.1:10911', topicConfigWrapper: wrapper([5, 1], new TopicConfig('TopicA', 4, 4, 6)) });
    const slave = register(routes, { brokerName: 'broker-a', brokerAddr: '10.0.0.2:10911', brokerId: 1, topicConfigWrapper: wrapper([5, 1], new TopicConfig('TopicA', 4, 4, 6)) });
    expect(slave).toEqual({ masterAddr: '10.0.0.1:10911', haServerAddr: '10.0.0.1:10912' });

    const route = routes.pickupTopicRouteData('TopicA');
    expect(route).toEqual({
      queueDatas: [
        { brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0 },
        { brokerName: 'broker-b', readQueueNums: 8, writeQueueNums: 8, perm: 6, topicSysFlag: 0 },
      ],
      brokerDatas: [
        { cluster: 'DefaultCluster', brokerName: 'broker-a', brokerAddrs: new Map([[0, '10.0.0.1:10911'], [1, '10.0.0.2:10911']]) },
        { cluster: 'DefaultCluster', brokerName: 'broker-b', brokerAddrs: new Map([[0, '10.0.0.3:10911']]) },
      ],
      filterServerTable: new Map(),
    });
    expect(text.decode(encodeTopicRouteData(route!))).toBe(
      '{"brokerDatas":[{"brokerAddrs":{"0":"10.0.0.1:10911","1":"10.0.0.2:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"},' +
        '{"brokerAddrs":{"0":"10.0.0.3:10911"},"brokerName":"broker-b","cluster":"DefaultCluster"}],"filterServerTable":{},' +
        '"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSynFlag":0,"topicSysFlag":0,"writeQueueNums":4},' +
        '{"brokerName":"broker-b","perm":6,"readQueueNums":8,"topicSynFlag":0,"topicSysFlag":0,"writeQueueNums":8}]}',
    );
    expect(text.decode(encodeClusterInfo(routes.getAllClusterInfo()))).toBe(
      '{"brokerAddrTable":{"broker-a":{"brokerAddrs":{"0":"10.0.0.1:10911","1":"10.0.0.2:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"},' +
        '"broker-b":{"brokerAddrs":{"0":"10.0.0.3:10911"},"brokerName":"broker-b","cluster":"DefaultCluster"}},' +
        '"clusterAddrTable":{"DefaultCluster":["broker-b","broker-a"]}}',
    );
    expect(routes.pickupTopicRouteData('NoSuchTopic')).toBeUndefined();
  });

  it('registerBroker() from a slave never changes topics; a slave whose master is not live learns nothing', () => {
    const { routes } = setup();
    expect(register(routes, { brokerName: 'broker-a', brokerAddr: '10.0.0.2:10911', brokerId: 1, topicConfigWrapper: wrapper([1, 1], new TopicConfig('OnlyOnSlave')) })).toEqual({});
    expect(routes.pickupTopicRouteData('OnlyOnSlave')).toBeUndefined();
    expect(routes.getAllTopicList().topicList.size).toBe(0);
  });

  it('registerBroker() re-reads topics only when the DataVersion changed; topics it stops listing stay', () => {
    const { routes, sink } = setup();
    const addr = '10.0.0.1:10911';
    register(routes, { brokerName: 'broker-a', brokerAddr: addr, topicConfigWrapper: wrapper([100, 1], new TopicConfig('TopicA', 4, 4, 6), new TopicConfig('TopicB', 2, 2, 6)) });
    // Same version, different content: ignored (Java trusts the version).
    register(routes, { brokerName: 'broker-a', brokerAddr: addr, topicConfigWrapper: wrapper([100, 1], new TopicConfig('TopicA', 1, 1, 4)) });
    expect(routes.pickupTopicRouteData('TopicA')?.queueDatas[0]).toMatchObject({ readQueueNums: 4, perm: 6 });
    // New version: TopicA is updated, TopicB (absent from the body) is kept.
    register(routes, { brokerName: 'broker-a', brokerAddr: addr, topicConfigWrapper: wrapper([200, 2], new TopicConfig('TopicA', 1, 1, 4)) });
    expect(routes.pickupTopicRouteData('TopicA')?.queueDatas[0]).toMatchObject({ readQueueNums: 1, writeQueueNums: 1, perm: 4 });
    expect(routes.pickupTopicRouteData('TopicB')?.queueDatas[0]).toMatchObject({ readQueueNums: 2 });
    expect(routes.getBrokerLiveInfo(addr)?.dataVersion).toEqual(new DataVersion(200, 2));
    expect(sink.ofKind('namesrv.broker.registered').map((e) => [e.data.topicsUpdated, e.data.firstTime])).toEqual([
      [true, true],
      [false, false],
      [true, false],
    ]);
  });

  it('scanNotActiveBroker() removes a broker silent for more than 120 s, closes its channel and emits namesrv.broker.expired', async () => {
    const { clock, routes, sink } = setup();
    const channel = new FakeChannel('10.0.0.1:53000');
    const start = clock.now();
    register(routes, { brokerName: 'broker-a', brokerAddr: '10.0.0.1:10911', channel, topicConfigWrapper: wrapper([1, 1], new TopicConfig('TopicA', 4, 4, 6)) });
    await clock.advance(120_000);
    expect(routes.scanNotActiveBroker()).toBe(0); // exactly 120 s is not yet "more than"
    await clock.advance(1);
    expect(routes.scanNotActiveBroker()).toBe(1);
    expect(channel.closedWith).toBe('broker channel expired');
    expect(routes.pickupTopicRouteData('TopicA')).toBeUndefined();
    expect(routes.getAllClusterInfo()).toEqual({ brokerAddrTable: new Map(), clusterAddrTable: new Map() });
    expect(sink.ofKind('namesrv.broker.expired').map((e) => e.data)).toEqual([
      { brokerName: 'broker-a', brokerId: 0, addr: '10.0.0.1:10911', lastUpdate: start, idleMs: 120_001, brokerNameRemoved: true, topicsDropped: 1 },
    ]);
  });

  it('onChannelDestroy() removes the broker that registered over the closed channel; the slave keeps the broker name routable', () => {
    const { routes, sink } = setup();
    const masterChannel = new FakeChannel('10.0.0.1:53000');
    register(routes, { brokerName: 'broker-a', brokerAddr: '10.0.0.1:10911', channel: masterChannel, topicConfigWrapper: wrapper([1, 1], new TopicConfig('TopicA', 4, 4, 6)) });
    register(routes, { brokerName: 'broker-a', brokerAddr: '10.0.0.2:10911', brokerId: 1, channel: new FakeChannel('10.0.0.2:53001') });
    routes.onChannelDestroy('10.0.0.1:53000', masterChannel);
    expect(routes.pickupTopicRouteData('TopicA')?.brokerDatas).toEqual([
      { cluster: 'DefaultCluster', brokerName: 'broker-a', brokerAddrs: new Map([[1, '10.0.0.2:10911']]) },
    ]);
    routes.onChannelDestroy('10.9.9.9:1234', new FakeChannel('10.9.9.9:1234')); // a client's connection: nothing happens
    expect(sink.ofKind('namesrv.broker.unregistered').map((e) => e.data)).toEqual([
      { brokerName: 'broker-a', brokerId: 0, addr: '10.0.0.1:10911', reason: 'channel-destroyed', brokerNameRemoved: false, topicsDropped: 0 },
    ]);
  });

  it('unregisterBroker() of the last member removes the broker name, its cluster and topics only it hosted', () => {
    const { routes } = setup();
    register(routes, { brokerName: 'broker-a', brokerAddr: '10.0.0.1:10911', topicConfigWrapper: wrapper([1, 1], new TopicConfig('Shared'), new TopicConfig('OnlyA')) });
    register(routes, { brokerName: 'broker-b', brokerAddr: '10.0.0.3:10911', clusterName: 'OtherCluster', topicConfigWrapper: wrapper([1, 1], new TopicConfig('Shared')) });
    routes.unregisterBroker('DefaultCluster', '10.0.0.1:10911', 'broker-a', 0);
    expect(routes.pickupTopicRouteData('OnlyA')).toBeUndefined();
    expect(routes.pickupTopicRouteData('Shared')?.queueDatas.map((q) => q.brokerName)).toEqual(['broker-b']);
    expect([...routes.getAllClusterInfo().clusterAddrTable.keys()]).toEqual(['OtherCluster']);
    expect(routes.getBrokerLiveInfo('10.0.0.1:10911')).toBeUndefined();
  });

  it('registerBroker() with the same name and id from a new address replaces the address; the old one expiring later changes nothing', async () => {
    const { clock, routes } = setup();
    const oldChannel = new FakeChannel('10.0.0.1:53000');
    register(routes, { brokerName: 'broker-a', brokerAddr: '10.0.0.1:10911', channel: oldChannel, topicConfigWrapper: wrapper([1, 1], new TopicConfig('TopicA', 4, 4, 6)) });
    await clock.advance(60_000);
    register(routes, { brokerName: 'broker-a', brokerAddr: '10.0.0.9:10911', channel: new FakeChannel('10.0.0.9:53000'), topicConfigWrapper: wrapper([1, 1], new TopicConfig('TopicA', 4, 4, 6)) });
    expect(routes.pickupTopicRouteData('TopicA')?.brokerDatas[0]?.brokerAddrs).toEqual(new Map([[0, '10.0.0.9:10911']]));
    await clock.advance(61_000);
    expect(routes.scanNotActiveBroker()).toBe(1); // the old address's live entry
    expect(oldChannel.closedWith).toBe('broker channel expired');
    expect(routes.pickupTopicRouteData('TopicA')?.brokerDatas[0]?.brokerAddrs).toEqual(new Map([[0, '10.0.0.9:10911']]));
  });

  it('registerBroker() of a promoted slave (same address, id 1 → 0) keeps one entry per address', () => {
    const { routes } = setup();
    register(routes, { brokerName: 'broker-a', brokerAddr: '10.0.0.2:10911', brokerId: 1 });
    register(routes, { brokerName: 'broker-a', brokerAddr: '10.0.0.2:10911', brokerId: 0 });
    expect(routes.getAllClusterInfo().brokerAddrTable.get('broker-a')?.brokerAddrs).toEqual(new Map([[0, '10.0.0.2:10911']]));
  });

  it('deleteTopic() forgets a topic everywhere, or (with a cluster) only on that cluster\'s brokers', () => {
    const { routes, sink } = setup();
    register(routes, { brokerName: 'broker-a', brokerAddr: '10.0.0.1:10911', topicConfigWrapper: wrapper([1, 1], new TopicConfig('T1'), new TopicConfig('T2')) });
    register(routes, { brokerName: 'broker-b', brokerAddr: '10.0.0.3:10911', clusterName: 'C2', topicConfigWrapper: wrapper([1, 1], new TopicConfig('T2')) });
    routes.deleteTopic('T1');
    routes.deleteTopic('T2', 'C2');
    expect(routes.pickupTopicRouteData('T1')).toBeUndefined();
    expect(routes.pickupTopicRouteData('T2')?.queueDatas.map((q) => q.brokerName)).toEqual(['broker-a']);
    expect(sink.ofKind('namesrv.topic.deleted').map((e) => e.data)).toEqual([
      { topic: 'T1', brokers: ['broker-a'], gone: true },
      { topic: 'T2', cluster: 'C2', brokers: ['broker-b'], gone: false },
    ]);
    expect([...routes.getTopicsByCluster('DefaultCluster').topicList]).toEqual(['T2']);
    expect([...routes.getTopicsByCluster('NoSuchCluster').topicList]).toEqual([]);
  });

  it('wipeWritePermOfBrokerByLock() clears WRITE in every topic of the broker until the broker\'s DataVersion changes', () => {
    const { routes } = setup();
    register(routes, { brokerName: 'broker-a', brokerAddr: '10.0.0.1:10911', topicConfigWrapper: wrapper([1, 1], new TopicConfig('T1', 4, 4, 6), new TopicConfig('T2', 4, 4, 7)) });
    expect(routes.wipeWritePermOfBrokerByLock('broker-a')).toBe(2);
    expect(routes.wipeWritePermOfBrokerByLock('no-such-broker')).toBe(0);
    expect(routes.pickupTopicRouteData('T1')?.queueDatas[0]?.perm).toBe(4);
    expect(routes.pickupTopicRouteData('T2')?.queueDatas[0]?.perm).toBe(5);
    register(routes, { brokerName: 'broker-a', brokerAddr: '10.0.0.1:10911', topicConfigWrapper: wrapper([1, 1], new TopicConfig('T1', 4, 4, 6)) });
    expect(routes.pickupTopicRouteData('T1')?.queueDatas[0]?.perm).toBe(4); // same version: still drained
    expect(routes.addWritePermOfBrokerByLock('broker-a')).toBe(2);
    expect(routes.pickupTopicRouteData('T2')?.queueDatas[0]?.perm).toBe(6);
  });

  it('getSystemTopicList() lists cluster and broker names plus one broker address; getUnitTopics() filters on topicSysFlag', () => {
    const { routes } = setup();
    const unit = new TopicConfig('UnitTopic');
    unit.topicSysFlag = 1;
    register(routes, { brokerName: 'broker-a', brokerAddr: '10.0.0.1:10911', topicConfigWrapper: wrapper([1, 1], unit, new TopicConfig('Plain')) });
    expect(routes.getSystemTopicList()).toEqual({ topicList: new Set(['DefaultCluster', 'broker-a']), brokerAddr: '10.0.0.1:10911' });
    expect([...routes.getUnitTopics().topicList]).toEqual(['UnitTopic']);
    expect([...routes.getHasUnitSubTopicList().topicList]).toEqual([]);
  });
});
