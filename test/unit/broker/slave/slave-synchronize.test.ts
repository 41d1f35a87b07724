// SlaveSynchronize against a fake master that answers the four GET_ALL_* calls on a
// SimNetwork, with the slave's real managers on a MemoryFileSystem.
//
// Goal: the wire (which port each call goes to, the bodies as fastjson writes them, with
// bare integer keys), what a round copies (replace on a new DataVersion, merge offsets),
// what it persists, and that one failing table leaves the others syncing. Also the timing:
// first round 3 s after start, then every 10 s.
import { describe, expect, it } from 'vitest';
import { ConsumerOffsetManager } from '../../../../src/broker/offset/consumer-offset-manager.js';
import { BrokerOuterAPI, MQBrokerError } from '../../../../src/broker/out/broker-outer-api.js';
import { SlaveSynchronize } from '../../../../src/broker/slave/slave-synchronize.js';
import { SubscriptionGroupManager } from '../../../../src/broker/subscription/subscription-group-manager.js';
import { TopicConfigManager } from '../../../../src/broker/topic/topic-config-manager.js';
import { encodeUtf8 } from '../../../../src/common/bytes.js';
import { defaultBrokerConfig } from '../../../../src/common/config/broker-config.js';
import { DataVersion } from '../../../../src/common/protocol/body/data-version.js';
import { TopicConfigSerializeWrapper } from '../../../../src/common/protocol/body/topic-config-serialize-wrapper.js';
import { RequestCode } from '../../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../../src/common/protocol/response-code.js';
import { TopicConfig } from '../../../../src/common/topic/topic-config.js';
import { NodeEvents, RecordingSink } from '../../../../src/events/event-sink.js';
import { SeededRandom } from '../../../../src/platform/random.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import { SimNetwork } from '../../../../src/platform/sim/sim-network.js';
import { RemotingClient } from '../../../../src/remoting/remoting-client.js';
import { createResponseCommand, type RemotingCommand } from '../../../../src/remoting/remoting-command.js';
import { RemotingServer } from '../../../../src/remoting/remoting-server.js';

const MASTER = '10.0.0.2:10911';
const MASTER_VIP = '10.0.0.2:10909';

const TOPICS = new TopicConfigSerializeWrapper(new Map([['TopicA', new TopicConfig('TopicA', 4, 4, 6)]]), new DataVersion(1_700_000_000_123, 7)).encode();
const OFFSETS = '{"offsetTable":{"TopicA@cg":{0:12,3:40}}}';
const DELAY = '{"offsetTable":{1:5,3:2}}';
const GROUPS = '{"dataVersion":{"counter":2,"timestamp":1700000000999},"subscriptionGroupTable":{"cg":{"groupName":"cg","retryMaxTimes":4,"whichBrokerWhenConsumeSlowly":1}}}';

async function world(answer: (code: number, port: number) => RemotingCommand | undefined = () => undefined) {
  const clock = new ManualClock(1_700_000_000_000);
  const sink = new RecordingSink(clock);
  const network = new SimNetwork({ clock, random: new SeededRandom(3), latencyMs: { min: 1, max: 1 } });
  const calls: Array<[string, number]> = [];
  for (const port of [10911, 10909]) {
    const server = new RemotingServer({ transport: network.host('10.0.0.2'), clock, events: new NodeEvents(sink, 'master') });
    server.registerDefaultProcessor({
      rejectRequest: () => false,
      processRequest: (_ctx, request) => {
        calls.push([codeName(request.code), port]);
        const custom = answer(request.code, port);
        if (custom !== undefined) return custom;
        const response = createResponseCommand(ResponseCode.SUCCESS);
        const bodies: Record<number, Uint8Array> = {
          [RequestCode.GET_ALL_TOPIC_CONFIG]: TOPICS, [RequestCode.GET_ALL_CONSUMER_OFFSET]: encodeUtf8(OFFSETS),
          [RequestCode.GET_ALL_DELAY_OFFSET]: encodeUtf8(DELAY), [RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG]: encodeUtf8(GROUPS),
        };
        response.body = bodies[request.code];
        return response;
      },
    });
    await server.start(`10.0.0.2:${port}`);
  }
  const fs = new MemoryFileSystem({ clock });
  const events = new NodeEvents(sink, 'slave');
  const brokerConfig = defaultBrokerConfig({ brokerName: 'broker-a', brokerId: 1, brokerIP1: '10.0.0.3' });
  const topicConfigManager = new TopicConfigManager({ fs, clock, events, storePathRootDir: '/s', brokerConfig });
  const subscriptionGroupManager = new SubscriptionGroupManager({ fs, clock, events, storePathRootDir: '/s', brokerConfig });
  const consumerOffsetManager = new ConsumerOffsetManager({ fs, configPath: '/s/config/consumerOffset.json', events });
  consumerOffsetManager.commitOffset('local', 'cgLocal', 'TopicB', 0, 9);
  const delayDecoded: string[] = [];
  const scheduleMessageService = { decode: (text: string) => void delayDecoded.push(text), persist: () => true };
  const api = new BrokerOuterAPI({ remotingClient: new RemotingClient({ transport: network.host('10.0.0.3'), clock, events }), events });
  const sync = new SlaveSynchronize({
    clock, events, brokerAddr: '10.0.0.3:10911', brokerOuterAPI: api, topicConfigManager, consumerOffsetManager, subscriptionGroupManager, scheduleMessageService,
  });
  const run = async <T>(promise: Promise<T>): Promise<T> => {
    let done: { value: T } | undefined;
    void promise.then((value) => (done = { value }));
    await clock.runUntil(() => done !== undefined, 10_000);
    return done!.value;
  };
  return { clock, sink, fs, calls, sync, api, topicConfigManager, subscriptionGroupManager, consumerOffsetManager, delayDecoded, run };
}

function codeName(code: number): string {
  return Object.entries(RequestCode).find(([, value]) => value === code)?.[0] ?? String(code);
}

describe('SlaveSynchronize', () => {
  it('syncAll() asks nobody while no master is known, nor a master address that is its own', async () => {
    const w = await world();
    expect(await w.run(w.sync.syncAll())).toBeUndefined();
    w.sync.masterAddr = '10.0.0.3:10911';
    expect(await w.run(w.sync.syncAll())).toBeUndefined();
    expect(w.calls).toEqual([]);
    expect(w.sink.ofKind('broker.slave.synchronized')).toEqual([]);
  });

  it('syncAll() copies the four tables in Java order (topics on the VIP port), persists them, and skips unchanged DataVersions next time', async () => {
    const w = await world();
    w.sync.masterAddr = MASTER;
    const result = await w.run(w.sync.syncAll());
    expect(result).toEqual({ topicConfig: 'updated', consumerOffset: 'updated', delayOffset: 'updated', subscriptionGroup: 'updated', errors: [] });
    expect(w.calls).toEqual([['GET_ALL_TOPIC_CONFIG', 10909], ['GET_ALL_CONSUMER_OFFSET', 10911], ['GET_ALL_DELAY_OFFSET', 10911], ['GET_ALL_SUBSCRIPTIONGROUP_CONFIG', 10911]]);
    // Java clears the topic table and puts the master's: the slave's own system topics go too.
    expect([...w.topicConfigManager.topicConfigTable.keys()]).toEqual(['TopicA']);
    expect(w.topicConfigManager.dataVersion.equals(new DataVersion(1_700_000_000_123, 7))).toBe(true);
    // Offsets are merged: the slave's own entry stays.
    expect(w.consumerOffsetManager.queryOffset('cg', 'TopicA', 3)).toBe(40);
    expect(w.consumerOffsetManager.queryOffset('cgLocal', 'TopicB', 0)).toBe(9);
    expect(w.delayDecoded).toEqual([DELAY]);
    expect(w.subscriptionGroupManager.subscriptionGroupTable.get('cg')?.retryMaxTimes).toBe(4);
    expect([...w.subscriptionGroupManager.subscriptionGroupTable.keys()]).toEqual(['cg']);
    expect(w.fs.readText('/s/config/topics.json')).toContain('"TopicA"');
    expect(w.fs.readText('/s/config/consumerOffset.json')).toContain('"TopicA@cg"');
    expect(w.fs.readText('/s/config/subscriptionGroup.json')).toContain('"cg"');
    expect(w.sink.ofKind('broker.slave.synchronized').map((e) => e.data)).toEqual([{
      master: MASTER, topicConfig: 'updated', consumerOffset: 'updated', delayOffset: 'updated', subscriptionGroup: 'updated', topics: 1, offsetKeys: 2, groups: 1,
    }]);

    const again = await w.run(w.sync.syncAll());
    expect(again).toMatchObject({ topicConfig: 'unchanged', subscriptionGroup: 'unchanged', consumerOffset: 'updated' });
  });

  it('a table whose call fails is reported and left alone; the other tables still sync', async () => {
    const w = await world((code) => (code === RequestCode.GET_ALL_TOPIC_CONFIG ? createResponseCommand(ResponseCode.SYSTEM_ERROR, 'No topic in this broker')
      : code === RequestCode.GET_ALL_CONSUMER_OFFSET ? Object.assign(createResponseCommand(ResponseCode.SUCCESS), { body: encodeUtf8('{"offsetTable":{"T@g":{"x":1}}}') })
        : undefined));
    w.sync.masterAddr = MASTER;
    const result = await w.run(w.sync.syncAll());
    expect(result).toMatchObject({ topicConfig: 'failed', consumerOffset: 'failed', delayOffset: 'updated', subscriptionGroup: 'updated' });
    expect(result!.errors).toEqual([
      `topic config: MQBrokerError: CODE: 1 (SYSTEM_ERROR) DESC: No topic in this broker address: ${MASTER_VIP}`,
      'consumer offset: JsonFormatError: ConsumerOffsetSerializeWrapper.offsetTable.T@g.x: expected an integer queue id and offset',
    ]);
    expect(w.topicConfigManager.selectTopicConfig('TBW102')).toBeDefined();
    expect(w.sink.ofKind('broker.slave.synchronized')[0]!.data.errors).toHaveLength(2);
    await expect(w.run(w.api.getAllTopicConfig(MASTER).catch((e: unknown) => e))).resolves.toBeInstanceOf(MQBrokerError);
  });

  it('start() runs a round 3 s after start and then every 10 s; shutdown() stops them', async () => {
    const w = await world();
    w.sync.masterAddr = MASTER;
    const started = w.clock.now();
    w.sync.start();
    await w.clock.runUntil(() => w.sink.ofKind('broker.slave.synchronized').length === 3, 30_000);
    expect(w.sink.ofKind('broker.slave.synchronized').map((e) => Math.floor((e.at - (started - 1_700_000_000_000)) / 1000))).toEqual([3, 13, 23]);
    w.sync.shutdown();
    await w.clock.advance(30_000);
    expect(w.sink.ofKind('broker.slave.synchronized')).toHaveLength(3);
  });
});
