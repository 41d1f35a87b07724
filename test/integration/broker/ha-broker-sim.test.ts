// Master and slave brokers, and several broker groups, as whole BrokerControllers on a
// SimCluster (virtual time, simulated network and disks).
//
// Goal: a slave started with brokerRole=SLAVE finds its master through the name server,
// replicates its commit log (a SYNC_MASTER send answers SEND_OK only once the slave holds
// the bytes), copies its master's topics, offsets, delay offsets and groups every 10 s, and
// serves consumers: when the master is far behind in memory (redirect), and when the master
// is gone (fall-over). Several broker groups: a producer keeps sending when one group's
// master crashes, and a rebalance spreads the queues of every group.
//
// Method: SimCluster with two broker processes of the same brokerName ("broker-a" the
// master, node "broker-a-s" the slave, brokerId 1); crashes are `cluster.crashBroker`. The
// "not in memory" rule is made deterministic with accessMessageInMemoryMaxRatio = 0 (the
// master then counts every message but the newest as on disk).
import { describe, expect, it } from 'vitest';
import { BrokerStartError } from '../../../src/broker/broker-controller.js';
import { ConsumeConcurrentlyStatus } from '../../../src/client/consumer/listener/message-listener.js';
import { decodeUtf8, encodeUtf8 } from '../../../src/common/bytes.js';
import { BrokerRole } from '../../../src/common/config/message-store-config.js';
import type { MessageExt } from '../../../src/common/message/message-ext.js';
import { Message } from '../../../src/common/message/message.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { SubscriptionGroupConfig } from '../../../src/common/subscription/subscription-group-config.js';
import { NodeEvents } from '../../../src/events/event-sink.js';
import { RemotingClient } from '../../../src/remoting/remoting-client.js';
import { createRequestCommand } from '../../../src/remoting/remoting-command.js';
import { DefaultMessageStore } from '../../../src/store/default-message-store.js';
import { SimCluster, type SimBroker } from '../../../src/sim/sim-cluster.js';

const MASTER = 'broker-a';
const SLAVE = 'broker-a-s';

/** A name server, broker-a (SYNC_MASTER unless told) and its slave broker-a-s (brokerId 1), connected. */
async function masterSlave(seed: number, options: {
  masterRole?: BrokerRole; slaveReadEnable?: boolean; masterRatio?: number;
} = {}): Promise<{ cluster: SimCluster; master: SimBroker; slave: SimBroker }> {
  const cluster = new SimCluster({ seed });
  await cluster.startNamesrv();
  const slaveReadEnable = options.slaveReadEnable ?? false;
  const master = await cluster.startBroker(MASTER, {
    brokerConfig: { slaveReadEnable },
    storeConfig: { brokerRole: options.masterRole ?? BrokerRole.SYNC_MASTER, ...(options.masterRatio === undefined ? {} : { accessMessageInMemoryMaxRatio: options.masterRatio }) },
  });
  const slave = await cluster.startBroker(SLAVE, { brokerConfig: { brokerName: MASTER, brokerId: 1, slaveReadEnable }, storeConfig: { brokerRole: BrokerRole.SLAVE } });
  await cluster.until(() => storeOf(master).haService!.connectionCount === 1, 10_000);
  return { cluster, master, slave };
}

function storeOf(broker: SimBroker): DefaultMessageStore {
  const store = broker.controller.messageStore;
  if (!(store instanceof DefaultMessageStore)) throw new Error('not a DefaultMessageStore');
  return store;
}

/** A started push consumer that records the bodies it receives. */
async function collectingConsumer(cluster: SimCluster, node: string, group: string, topic: string): Promise<{ bodies: string[]; shutdown(): Promise<void> }> {
  const bodies: string[] = [];
  const consumer = cluster.pushConsumer(node, {
    consumerGroup: group, subscription: { [topic]: '*' }, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    messageListener: { consumeMessage: (msgs: readonly MessageExt[]) => (bodies.push(...msgs.map((m) => decodeUtf8(m.body))), ConsumeConcurrentlyStatus.CONSUME_SUCCESS) },
  });
  await cluster.settle(consumer.start());
  return { bodies, shutdown: () => cluster.settle(consumer.shutdown()) };
}

describe('BrokerController roles (SimCluster)', () => {
  it('a master needs brokerId 0 and a slave a brokerId > 0, or start() rejects with BrokerStartError', async () => {
    const cluster = new SimCluster({ seed: 3 });
    await cluster.startNamesrv();
    await expect(cluster.startBroker('m', { brokerConfig: { brokerId: 1 } })).rejects.toThrow(BrokerStartError);
    await expect(cluster.startBroker('m2', { brokerConfig: { brokerId: 2 }, storeConfig: { brokerRole: BrokerRole.SYNC_MASTER } }))
      .rejects.toThrow('a SYNC_MASTER needs brokerId 0, but brokerId is 2');
    await expect(cluster.startBroker('s', { storeConfig: { brokerRole: BrokerRole.SLAVE } })).rejects.toThrow('a SLAVE needs a brokerId > 0, but brokerId is 0');
  });

  it('a slave learns its master from REGISTER_BROKER, replicates, refuses sends, and runs neither the schedule service nor the transaction check', async () => {
    const { cluster, master, slave } = await masterSlave(5);
    const learned = cluster.events.filter((e) => e.kind === 'broker.slave.master-updated' && e.node === SLAVE);
    expect(learned.map((e) => e.data)).toEqual([{ masterAddr: master.addr, haMasterAddress: `${master.ip}:10912`, via: 'register' }]);
    expect(slave.controller.slaveSynchronize.masterAddr).toBe(master.addr);
    expect(storeOf(master).haService!.slaves()).toHaveLength(1);
    expect(storeOf(slave).scheduleMessageService.isStarted).toBe(false);
    expect(storeOf(master).scheduleMessageService.isStarted).toBe(true);
    expect(slave.controller.transactionalMessageCheckService.isRunning).toBe(false);
    expect(master.controller.transactionalMessageCheckService.isRunning).toBe(true);

    // A raw SEND_MESSAGE_V2 to the slave: the store refuses puts on a slave.
    const host = cluster.clientHost();
    const client = new RemotingClient({ transport: host.platform.transport, clock: host.processClock, events: new NodeEvents(cluster.sink, 'raw') });
    const request = createRequestCommand(RequestCode.SEND_MESSAGE_V2, {
      a: 'pg', b: 'TopicOnSlave', c: 'TBW102', d: 4, e: 0, f: 0, g: cluster.clock.now(), h: 0, i: 'WAIT\u0001true\u0002', j: 0, k: false,
    });
    request.body = encodeUtf8('to the slave');
    const response = await cluster.settle(client.invokeSync(slave.addr, request, 3000));
    expect([response.code, response.remark]).toEqual([ResponseCode.SERVICE_NOT_AVAILABLE, expect.stringContaining('service not available')]);
    client.shutdown();
    await cluster.shutdown();
  });
});

describe('SYNC_MASTER and its slave (SimCluster)', () => {
  it('answers SEND_OK only once the slave holds the bytes: at every answer the slave log ends where the master log does', async () => {
    const { cluster, master, slave } = await masterSlave(7);
    await cluster.createTopic('TopicHA', 4);
    const producer = await cluster.producer('pg');
    for (let i = 0; i < 20; i++) {
      const result = await cluster.settle(producer.send(Message.create('TopicHA', encodeUtf8(`m${i}`))));
      expect(result.sendStatus).toBe('SEND_OK');
      expect(storeOf(slave).getMaxPhyOffset()).toBe(storeOf(master).getMaxPhyOffset());
    }
    const waits = cluster.events.filter((e) => e.kind === 'store.ha.sync-waited' && e.node === MASTER);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.every((e) => e.kind === 'store.ha.sync-waited' && e.data.status === 'PUT_OK')).toBe(true);
    // The slave's own reput built the same consume queues.
    await cluster.advance(100);
    for (let q = 0; q < 4; q++) expect(storeOf(slave).getMaxOffsetInQueue('TopicHA', q)).toBe(storeOf(master).getMaxOffsetInQueue('TopicHA', q));
    await cluster.shutdown();
  });

  it('copies topics, consumer offsets, delay offsets and subscription groups from the master every 10 s, and persists them', async () => {
    const { cluster, master, slave } = await masterSlave(9);
    await cluster.advance(4_000); // the first round (3 s after the slave started) is done
    await cluster.createTopic('TopicMeta', 2);
    master.controller.consumerOffsetManager.commitOffset('test', 'cgMeta', 'TopicMeta', 1, 42);
    const group = new SubscriptionGroupConfig('cgMeta');
    group.retryMaxTimes = 3;
    master.controller.subscriptionGroupManager.updateSubscriptionGroupConfig(group);
    const producer = await cluster.producer('pg');
    const delayed = Message.create('TopicMeta', encodeUtf8('later'));
    delayed.delayTimeLevel = 1; // 1 s
    await cluster.settle(producer.send(delayed));
    await cluster.until(() => storeOf(master).scheduleMessageService.offsetTable.get(1) === 1, 5_000);
    expect(slave.controller.topicConfigManager.selectTopicConfig('TopicMeta')).toBeUndefined();

    const rounds = () => cluster.events.filter((e) => e.kind === 'broker.slave.synchronized' && e.node === SLAVE).length;
    const before = rounds();
    await cluster.until(() => rounds() > before, 11_000);
    const last = cluster.events.filter((e) => e.kind === 'broker.slave.synchronized').at(-1)!;
    expect(last.data).toMatchObject({ master: master.addr, topicConfig: 'updated', consumerOffset: 'updated', delayOffset: 'updated', subscriptionGroup: 'updated' });
    expect(slave.controller.topicConfigManager.selectTopicConfig('TopicMeta')?.readQueueNums).toBe(2);
    expect(slave.controller.topicConfigManager.dataVersion.equals(master.controller.topicConfigManager.dataVersion)).toBe(true);
    expect(slave.controller.consumerOffsetManager.queryOffset('cgMeta', 'TopicMeta', 1)).toBe(42);
    expect(slave.controller.subscriptionGroupManager.subscriptionGroupTable.get('cgMeta')?.retryMaxTimes).toBe(3);
    expect(storeOf(slave).scheduleMessageService.offsetTable.get(1)).toBe(1);
    // Persisted on the slave's disk, so a restarted slave has them before its first round.
    expect(slave.fs.readText('/broker-a-s/store/config/topics.json')).toContain('"TopicMeta"');
    expect(slave.fs.readText('/broker-a-s/store/config/consumerOffset.json')).toContain('TopicMeta@cgMeta');
    expect(slave.fs.readText('/broker-a-s/store/config/subscriptionGroup.json')).toContain('"cgMeta"');
    expect(slave.fs.readText('/broker-a-s/store/config/delayOffset.json')).toContain('1:1');

    // Nothing changed on the master: the next round copies no table.
    const again = rounds();
    await cluster.until(() => rounds() > again, 11_000);
    expect(cluster.events.filter((e) => e.kind === 'broker.slave.synchronized').at(-1)!.data).toMatchObject({ topicConfig: 'unchanged', subscriptionGroup: 'unchanged' });
    await cluster.shutdown();
  });

  it('a consumer reads from the slave once the master crashed, resuming at the offsets the slave copied', async () => {
    const { cluster, master } = await masterSlave(13);
    await cluster.createTopic('TopicFail', 2);
    const producer = await cluster.producer('pg');
    for (let i = 0; i < 20; i++) await cluster.settle(producer.send(Message.create('TopicFail', encodeUtf8(`a${i}`))));
    const first = await collectingConsumer(cluster, 'consumer-1', 'cg', 'TopicFail');
    await cluster.until(() => first.bodies.length === 20, 10_000);
    await first.shutdown(); // persists its offsets (20 in all) to the master
    for (let i = 0; i < 10; i++) await cluster.settle(producer.send(Message.create('TopicFail', encodeUtf8(`b${i}`))));
    await cluster.advance(11_000); // a sync round copies the offsets to the slave
    cluster.crashBroker(MASTER);
    await cluster.advance(1_000);

    const second = await collectingConsumer(cluster, 'consumer-2', 'cg', 'TopicFail');
    await cluster.until(() => second.bodies.length === 10, 30_000);
    expect(second.bodies.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `b${i}`).sort());
    const served = cluster.events.filter((e) => e.kind === 'broker.pull.found' && e.node === SLAVE && e.data.topic === 'TopicFail');
    expect(served.reduce((n, e) => n + (e.kind === 'broker.pull.found' ? e.data.count : 0), 0)).toBe(10);
    expect(master.processClock.killed).toBe(true);
    await cluster.shutdown();
  });

  it('with slaveReadEnable, a master that reads from "disk" sends the consumer to the slave (suggestWhichBrokerId = 1)', async () => {
    const { cluster, slave } = await masterSlave(17, { slaveReadEnable: true, masterRatio: 0 });
    await cluster.createTopic('TopicRedirect', 1);
    const producer = await cluster.producer('pg');
    for (let i = 0; i < 100; i++) await cluster.settle(producer.send(Message.create('TopicRedirect', encodeUtf8(`r${i}`))));
    await cluster.until(() => slave.controller.topicConfigManager.selectTopicConfig('TopicRedirect') !== undefined, 11_000);

    const consumer = await collectingConsumer(cluster, 'consumer-1', 'cgRedirect', 'TopicRedirect');
    await cluster.until(() => consumer.bodies.length === 100, 30_000);
    expect(new Set(consumer.bodies).size).toBe(100);
    const received = cluster.events.filter((e) => e.kind === 'client.pull.received' && e.data.mq.startsWith('TopicRedirect'));
    expect(received.some((e) => e.kind === 'client.pull.received' && e.data.status === 'FOUND' && e.data.suggestWhichBrokerId === 1)).toBe(true);
    const pulledFrom = new Set(cluster.events.filter((e) => e.kind === 'client.pull.requested' && e.data.mq.startsWith('TopicRedirect')).map((e) => (e.kind === 'client.pull.requested' ? e.data.brokerAddr : '')));
    expect(pulledFrom).toEqual(new Set([`${cluster.broker(MASTER).ip}:10911`, slave.addr]));
    const fromSlave = cluster.events.filter((e) => e.kind === 'broker.pull.found' && e.node === SLAVE && e.data.topic === 'TopicRedirect');
    expect(fromSlave.length).toBeGreaterThan(0);
    await cluster.shutdown();
  });
});

describe('several broker groups (SimCluster)', () => {
  it('a producer keeps sending when one master crashes: every send is SEND_OK, on the surviving broker', async () => {
    const cluster = new SimCluster({ seed: 19 });
    await cluster.startNamesrv();
    await cluster.startBroker('broker-a');
    await cluster.startBroker('broker-b');
    await cluster.createTopic('TopicTwo', 4);
    const producer = await cluster.producer('pg');
    const before = await Promise.all(Array.from({ length: 8 }, (_, i) => cluster.settle(producer.send(Message.create('TopicTwo', encodeUtf8(`x${i}`))))));
    expect(new Set(before.map((r) => r.messageQueue.brokerName))).toEqual(new Set(['broker-a', 'broker-b']));
    cluster.crashBroker('broker-b');
    const after = [];
    for (let i = 0; i < 20; i++) after.push(await cluster.settle(producer.send(Message.create('TopicTwo', encodeUtf8(`y${i}`)))));
    expect(after.every((r) => r.sendStatus === 'SEND_OK' && r.messageQueue.brokerName === 'broker-a')).toBe(true);
    await cluster.shutdown();
  });

  it('with sendLatencyFaultEnable, one failed attempt isolates the dead broker: later sends pick broker-a the first time', async () => {
    const cluster = new SimCluster({ seed: 21 });
    await cluster.startNamesrv();
    await cluster.startBroker('broker-a');
    await cluster.startBroker('broker-b');
    await cluster.createTopic('TopicTwo', 4);
    const producer = await cluster.producer('pg', 'producer-1', { sendLatencyFaultEnable: true });
    await cluster.advance(1_000); // both brokers' registrations of TopicTwo reached the name server
    const before = await Promise.all(Array.from({ length: 8 }, (_, i) => cluster.settle(producer.send(Message.create('TopicTwo', encodeUtf8(`w${i}`))))));
    expect(new Set(before.map((r) => r.messageQueue.brokerName))).toEqual(new Set(['broker-a', 'broker-b']));
    cluster.crashBroker('broker-b');
    await cluster.advance(100);
    const selected = () => cluster.events.filter((e) => e.kind === 'client.queue.selected' && e.node === 'producer-1');
    const from = selected().length;
    for (let i = 0; i < 20; i++) {
      const r = await cluster.settle(producer.send(Message.create('TopicTwo', encodeUtf8(`z${i}`))));
      expect([r.sendStatus, r.messageQueue.brokerName]).toEqual(['SEND_OK', 'broker-a']);
    }
    const attempts = selected().slice(from).map((e) => (e.kind === 'client.queue.selected' ? `${e.data.attempt}:${e.data.mq.brokerName}` : ''));
    // Exactly one attempt went to broker-b (and was retried on broker-a); after it failed,
    // broker-b counted as unavailable (isolation = 30 s latency ⇒ 600 s) and was never picked again.
    expect(attempts.filter((a) => a.endsWith('broker-b'))).toEqual(['1:broker-b']);
    expect(attempts.filter((a) => a.startsWith('1:'))).toHaveLength(20);
    await cluster.shutdown();
  });

  it('a rebalance spreads the queues of every broker group among the consumers of a group', async () => {
    const cluster = new SimCluster({ seed: 23 });
    await cluster.startNamesrv();
    await cluster.startBroker('broker-a');
    await cluster.startBroker('broker-b');
    await cluster.createTopic('TopicSpread', 4);
    const c1 = await collectingConsumer(cluster, 'consumer-1', 'cgSpread', 'TopicSpread');
    const c2 = await collectingConsumer(cluster, 'consumer-2', 'cgSpread', 'TopicSpread');
    await cluster.advance(25_000); // both have seen each other in a rebalance
    const producer = await cluster.producer('pg');
    for (let i = 0; i < 40; i++) await cluster.settle(producer.send(Message.create('TopicSpread', encodeUtf8(`s${i}`))));
    await cluster.until(() => c1.bodies.length + c2.bodies.length === 40, 20_000);
    expect(c1.bodies.length).toBeGreaterThan(0);
    expect(c2.bodies.length).toBeGreaterThan(0);
    const owned = (node: string) => {
      const last = cluster.events.filter((e) => e.kind === 'client.rebalance.computed' && e.node === node && e.data.topic === 'TopicSpread').at(-1);
      return last?.kind === 'client.rebalance.computed' ? last.data.allocated : [];
    };
    const all = [...owned('consumer-1'), ...owned('consumer-2')].sort();
    expect(all).toEqual(['broker-a', 'broker-b'].flatMap((b) => [0, 1, 2, 3].map((q) => `TopicSpread@${b}@${q}`)).sort());
    await cluster.shutdown();
  });
});
