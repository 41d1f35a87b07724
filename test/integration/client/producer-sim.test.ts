// The producer against a real NamesrvController and two real BrokerControllers (broker-a,
// broker-b, one cluster) on SimNetwork + ManualClock + MemoryFileSystem: route polling and
// heartbeats every 30 s (and what the broker's ProducerManager sees), TBW102 auto-creation,
// stored records read back, a retry on the other broker when one broker's host is down, the
// offline broker cleaned from the address table, and UNREGISTER_CLIENT at shutdown.
import { describe, expect, it } from 'vitest';
import { BrokerController } from '../../../src/broker/broker-controller.js';
import { messageStoreConfigFor } from '../../../src/common/config/profiles.js';
import { decodeMessages } from '../../../src/common/message/message-decoder.js';
import { getUniqID } from '../../../src/common/message/message-id.js';
import { Message } from '../../../src/common/message/message.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { RecordingSink } from '../../../src/events/event-sink.js';
import { NamesrvController } from '../../../src/namesrv/namesrv-controller.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../src/platform/sim/memory-file-system.js';
import { SimNetwork } from '../../../src/platform/sim/sim-network.js';
import { DefaultMQProducer } from '../../../src/client/producer/default-mq-producer.js';

const NAMESRV = '10.0.0.1:9876';
const START = 1_700_000_000_000;

async function world(seed = 11) {
  const clock = new ManualClock(START);
  const sink = new RecordingSink(clock);
  const random = new SeededRandom(seed);
  const network = new SimNetwork({ clock, random });
  const fs = new MemoryFileSystem();
  const namesrv = new NamesrvController({ platform: { clock, random, fs, transport: network.host('10.0.0.1') }, events: sink, node: 'namesrv-1' });
  await namesrv.start(NAMESRV);
  const settle = async <T>(promise: Promise<T>, limitMs = 20_000): Promise<T> => {
    let done: { value: T } | undefined;
    let failed: { error: unknown } | undefined;
    promise.then((value) => (done = { value }), (error: unknown) => (failed = { error }));
    await clock.runUntil(() => done !== undefined || failed !== undefined, limitMs);
    if (failed !== undefined) throw failed.error;
    return done!.value;
  };
  const broker = (name: string, ip: string) => new BrokerController({
    platform: { clock, random: random.fork(), fs, transport: network.host(ip) },
    events: sink,
    node: name,
    brokerConfig: { brokerName: name, brokerIP1: ip, namesrvAddr: NAMESRV },
    storeConfig: messageStoreConfigFor('teaching', { storePathRootDir: `/${name}/store` }),
  });
  const brokerA = broker('broker-a', '10.0.0.2');
  const brokerB = broker('broker-b', '10.0.0.3');
  await settle(brokerA.start());
  await settle(brokerB.start());
  const producer = new DefaultMQProducer({
    platform: { clock, random: random.fork(), fs, transport: network.host('10.0.0.5') },
    events: sink,
    node: 'producer-1',
    producerGroup: 'pg',
    namesrvAddr: NAMESRV,
    clientConfig: { clientIP: '10.0.0.5', pid: 321 },
  });
  const brokers: Record<string, BrokerController> = { 'broker-a': brokerA, 'broker-b': brokerB };
  return { clock, sink, network, namesrv, brokerA, brokerB, brokers, producer, settle };
}

const message = (topic: string, i: number) => Message.create(topic, new TextEncoder().encode(`body-${i}`), { tags: `Tag${i % 3}`, keys: `key-${i}` });

describe('DefaultMQProducer on SimNetwork with a real name server and two brokers', () => {
  it('polls routes and sends heartbeats every 30 s; both brokers register the producer group and the client id', async () => {
    const { clock, sink, producer, brokerA, brokerB, settle } = await world();
    const startedAt = clock.now();
    await settle(producer.start());
    await settle(producer.send(message('TopicA', 0)));
    await clock.advanceTo(startedAt + 95_000);

    const fromProducer = (code: number) => sink.events
      .filter((e) => e.kind === 'remoting.request.sent' && e.node === 'producer-1' && e.data.code === code)
      .map((e) => Math.round(e.at - (startedAt - START)));
    // The send asked for TopicA (no route yet: 1 ms), then for TBW102 (3 ms). The poll task
    // then runs at 10 ms and every 30 s for both topics in use (TopicA and the TBW102
    // placeholder every producer keeps).
    expect(fromProducer(RequestCode.GET_ROUTEINFO_BY_TOPIC)).toEqual([1, 3, 10, 10, 30_010, 30_010, 60_010, 60_010, 90_010, 90_010]);
    // Heartbeats to both masters at 1 s (the start heartbeat found no broker yet), then every
    // 30 s; the event is emitted when the answer is back, one 2 ms simulated round trip later.
    const beats = sink.ofKind('client.heartbeat.sent').map((e) => [Math.round(e.at - (startedAt - START)), e.data.brokerName, e.data.ok, e.data.version]);
    expect(beats.filter((b) => b[1] === 'broker-a').map((b) => b[0])).toEqual([1_002, 31_002, 61_002, 91_002]);
    expect(beats.every((b) => b[2] === true && b[3] === 293)).toBe(true);
    expect(producer.mQClientFactory.findBrokerVersion('broker-b', '10.0.0.3:10911')).toBe(293);
    for (const broker of [brokerA, brokerB]) {
      const groups = broker.producerManager.getGroupChannelTable();
      expect([...groups.keys()].sort()).toEqual(['CLIENT_INNER_PRODUCER', 'pg']);
      expect([...groups.get('pg')!.values()].map((info) => info.clientId)).toEqual(['10.0.0.5@321']);
    }
    await settle(producer.shutdown());
    for (const broker of [brokerA, brokerB]) expect(broker.producerManager.getGroupChannelTable().get('pg')?.size ?? 0).toBe(0);
  });

  it('auto-creates a new topic through TBW102 and stores every message with its UNIQ_KEY, tags and keys', async () => {
    const { producer, brokers, settle } = await world();
    await settle(producer.start());
    const sent: Array<{ msg: Message; result: Awaited<ReturnType<DefaultMQProducer['send']>> }> = [];
    for (let i = 0; i < 12; i++) {
      const msg = message('Fresh', i);
      sent.push({ msg, result: await settle(producer.send(msg)) });
    }
    for (const { msg, result } of sent) {
      expect(result.sendStatus).toBe('SEND_OK');
      expect(result.msgId).toBe(getUniqID(msg));
      const store = brokers[result.messageQueue.brokerName]!.messageStore;
      const found = decodeMessages(store.getMessage('g', 'Fresh', result.messageQueue.queueId, result.queueOffset, 1)!.body)[0]!;
      expect([found.msgId, getUniqID(found), found.tags, found.keys, new TextDecoder().decode(found.body)])
        .toEqual([result.offsetMsgId, result.msgId, msg.tags, msg.keys, new TextDecoder().decode(msg.body)]);
    }
    // The first send used the TBW102 route capped to 4 queues per broker.
    const created = Object.values(brokers).map((b) => b.topicConfigManager.selectTopicConfig('Fresh')?.writeQueueNums);
    expect(created.filter((n) => n !== undefined).every((n) => n === 4)).toBe(true);
    await settle(producer.shutdown());
  });

  it('retries on the other broker when one broker is down, then drops that broker once the route no longer lists it', async () => {
    const { clock, sink, producer, brokerA, brokerB, settle } = await world();
    await settle(producer.start());
    const api = producer.mQClientFactory.mqClientAPIImpl;
    for (const addr of ['10.0.0.2:10911', '10.0.0.3:10911']) {
      await settle(api.createTopic(addr, 'TBW102', { topicName: 'TopicR', readQueueNums: 2, writeQueueNums: 2, perm: 6 }, 3000));
    }
    await clock.advance(100);
    await settle(producer.send(message('TopicR', 0)));
    expect(producer.defaultMQProducerImpl.topicPublishInfoTable.get('TopicR')!.messageQueueList.map((q) => q.brokerName))
      .toEqual(['broker-a', 'broker-a', 'broker-b', 'broker-b']);

    // broker-b stops (and leaves the name server); the producer's cached route still lists it.
    await settle(brokerB.shutdown());
    const results = [];
    for (let i = 1; i <= 8; i++) results.push(await settle(producer.send(message('TopicR', i))));
    expect(results.map((r) => [r.sendStatus, r.messageQueue.brokerName])).toEqual(Array(8).fill(['SEND_OK', 'broker-a']));
    const retried = sink.ofKind('client.send.retried');
    expect(retried.length).toBeGreaterThan(0);
    expect(retried.every((e) => e.data.failedMq.brokerName === 'broker-b' && e.data.attempt === 2)).toBe(true);

    // The next route poll drops broker-b from the route, and the heartbeat task's
    // cleanOfflineBroker then drops it from the address table.
    await clock.advance(65_000);
    expect([...producer.mQClientFactory.brokerAddrTable.keys()]).toEqual(['broker-a']);
    expect(producer.defaultMQProducerImpl.topicPublishInfoTable.get('TopicR')!.messageQueueList.map((q) => q.brokerName)).toEqual(['broker-a', 'broker-a']);
    await settle(producer.shutdown());
    await settle(brokerA.shutdown());
  });
});
