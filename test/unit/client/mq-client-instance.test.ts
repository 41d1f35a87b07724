// Goal: the MQClientInstance's tables and timers: routes hand publish queues to producers and
// readable queues to consumers, heartbeats go to masters only without consumers and to every
// address with them, offline brokers leave the address table, broker lookups follow Java's
// fallbacks, and the offset, rebalance and broker→client paths reach the consumers.
// Method: a real instance on a ManualClock with the MQClientAPIImpl calls replaced by fakes.
import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../../../src/common/message/message-decoder.js';
import { MessageExt } from '../../../src/common/message/message-ext.js';
import { encodeResetOffsetBody } from '../../../src/common/protocol/body/admin-bodies.js';
import type { MessageQueue } from '../../../src/common/protocol/body/message-queue-keyed-map.js';
import { buildSubscriptionData } from '../../../src/common/filter/filter-api.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import type { TopicRouteData } from '../../../src/common/protocol/route/topic-route-data.js';
import { RecordingSink } from '../../../src/events/event-sink.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../src/platform/sim/memory-file-system.js';
import { SimNetwork } from '../../../src/platform/sim/sim-network.js';
import type { Connection } from '../../../src/platform/transport.js';
import { createRequestCommand, type RemotingCommand } from '../../../src/remoting/remoting-command.js';
import type { RequestContext } from '../../../src/remoting/request-processor.js';
import { clientConfig } from '../../../src/client/client-config.js';
import { ClientRemotingProcessor } from '../../../src/client/client-remoting-processor.js';
import { MQClientInstance, type MQConsumerInner } from '../../../src/client/mq-client-instance.js';
import { MQClientManager } from '../../../src/client/mq-client-manager.js';

const ROUTE: TopicRouteData = {
  queueDatas: [
    { brokerName: 'broker-a', readQueueNums: 2, writeQueueNums: 2, perm: 6, topicSysFlag: 0 },
    { brokerName: 'broker-b', readQueueNums: 3, writeQueueNums: 1, perm: 6, topicSysFlag: 0 },
  ],
  brokerDatas: [
    { cluster: 'c', brokerName: 'broker-a', brokerAddrs: new Map([[0, 'a0:1'], [1, 'a1:1']]) },
    { cluster: 'c', brokerName: 'broker-b', brokerAddrs: new Map([[0, 'b0:1']]) },
  ],
  filterServerTable: new Map(),
};

class FakeConsumer implements MQConsumerInner {
  readonly log: string[] = [];
  readonly subscribeInfo = new Map<string, MessageQueue[]>();
  constructor(private readonly group: string, private readonly topic: string) {}
  groupName() { return this.group; }
  messageModel() { return 'CLUSTERING' as const; }
  consumeType() { return 'CONSUME_PASSIVELY' as const; }
  consumeFromWhere() { return 'CONSUME_FROM_LAST_OFFSET' as const; }
  subscriptions() { return [buildSubscriptionData(this.topic, 'TagA || TagB', 'TAG', 5)]; }
  doRebalance() { this.log.push('rebalance'); }
  async persistConsumerOffset() { this.log.push('persist'); throw new Error('broker gone'); }
  updateTopicSubscribeInfo(topic: string, mqs: MessageQueue[]) { this.subscribeInfo.set(topic, mqs); }
  isSubscribeTopicNeedUpdate(topic: string) { return !this.subscribeInfo.has(topic); }
  isUnitMode() { return false; }
  resetOffset(topic: string, offsets: ReadonlyArray<readonly [MessageQueue, number]>) { this.log.push(`reset ${topic} ${offsets.map(([mq, o]) => `${mq.queueId}=${o}`).join(',')}`); }
}

function harness() {
  const clock = new ManualClock(1_000_000);
  const random = new SeededRandom(5);
  const sink = new RecordingSink(clock);
  const network = new SimNetwork({ clock, random });
  const manager = new MQClientManager();
  const context = { platform: { clock, random, fs: new MemoryFileSystem(), transport: network.host('10.0.0.5') }, events: sink, node: 'client-1' };
  const instance = manager.getOrCreateMQClientInstance(clientConfig({ namesrvAddr: 'ns:9876', clientIP: '10.0.0.5', pid: 9 }), context);
  const api = instance.mqClientAPIImpl;
  const heartbeats: Array<[string, string[], string[], number]> = [];
  api.getTopicRouteInfoFromNameServer = async (topic) => (topic === 'TopicA' ? ROUTE : undefined);
  api.sendHeartbeat = async (addr, data) => {
    heartbeats.push([addr, data.producerDataSet.map((p) => p.groupName), data.consumerDataSet.map((c) => c.groupName), clock.now()]);
    return addr === 'a0:1' ? 293 : 401;
  };
  const unregistered: string[] = [];
  api.unregisterClient = async (addr, clientID, producerGroup, consumerGroup) => {
    unregistered.push(`${addr} ${clientID} ${producerGroup ?? '-'} ${consumerGroup ?? '-'}`);
  };
  return { clock, sink, manager, context, instance, heartbeats, unregistered };
}

describe('MQClientInstance', () => {
  it('is shared per client id by the MQClientManager and leaves it at shutdown', async () => {
    const { manager, context, instance } = harness();
    expect(instance.clientId).toBe('10.0.0.5@9');
    expect(manager.getOrCreateMQClientInstance(clientConfig({ clientIP: '10.0.0.5', pid: 9 }), context)).toBe(instance);
    expect(manager.getOrCreateMQClientInstance(clientConfig({ clientIP: '10.0.0.5', pid: 10 }), context)).not.toBe(instance);
    instance.start();
    await instance.shutdown();
    expect(manager.get('10.0.0.5@9')).toBeUndefined();
  });

  it('updateTopicRouteInfoFromNameServer() gives consumers the readable queues and fills the broker address table', async () => {
    const { instance, sink } = harness();
    const consumer = new FakeConsumer('cg', 'TopicA');
    instance.registerConsumer('cg', consumer);
    expect(await instance.updateTopicRouteInfoFromNameServer()).toBe(true);
    expect(consumer.subscribeInfo.get('TopicA')!.map((q) => `${q.brokerName}/${q.queueId}`)).toEqual(['broker-a/0', 'broker-a/1', 'broker-b/0', 'broker-b/1', 'broker-b/2']);
    expect(sink.ofKind('client.route.updated')[0]!.data).toEqual({
      topic: 'TopicA', writeQueues: ['broker-a/0', 'broker-a/1', 'broker-b/0'], readQueues: ['broker-a/0', 'broker-a/1', 'broker-b/0', 'broker-b/1', 'broker-b/2'], fromDefaultTopic: false,
    });
    expect(await instance.updateTopicRouteInfoFromNameServer('TopicA')).toBe(false); // unchanged
    expect(instance.findBrokerAddressInPublish('broker-a')).toBe('a0:1');
    expect(await instance.updateTopicRouteInfoFromNameServer('Nope')).toBe(false);
  });

  it('sends heartbeats to masters only without consumers, to every address with one, and records broker versions', async () => {
    const { instance, heartbeats, clock } = harness();
    await instance.updateTopicRouteInfoFromNameServer('TopicA');
    instance.start();
    await clock.advance(1_000);
    expect(heartbeats.map((h) => h.slice(0, 3))).toEqual([['a0:1', ['CLIENT_INNER_PRODUCER'], []], ['b0:1', ['CLIENT_INNER_PRODUCER'], []]]);
    instance.registerConsumer('cg', new FakeConsumer('cg', 'TopicA'));
    heartbeats.length = 0;
    await clock.advance(30_000);
    expect(heartbeats.map((h) => [h[0], h[2], h[3] - 1_000_000])).toEqual([['a0:1', ['cg'], 31_000], ['a1:1', ['cg'], 31_000], ['b0:1', ['cg'], 31_000]]);
    expect(instance.findBrokerVersion('broker-a', 'a0:1')).toBe(293);
    expect(instance.findBrokerAddressInSubscribe('broker-a', 1, false)).toEqual({ brokerAddr: 'a1:1', slave: true, brokerVersion: 401 });
    instance.unregisterConsumer('cg');
  });

  it('findBrokerAddressInSubscribe() tries the next slave id, then any address unless onlyThisBroker', async () => {
    const { instance } = harness();
    await instance.updateTopicRouteInfoFromNameServer('TopicA');
    expect(instance.findBrokerAddressInSubscribe('broker-a', 0, true)).toMatchObject({ brokerAddr: 'a0:1', slave: false });
    expect(instance.findBrokerAddressInSubscribe('broker-b', 1, true)).toBeUndefined();
    expect(instance.findBrokerAddressInSubscribe('broker-b', 1, false)).toMatchObject({ brokerAddr: 'b0:1', slave: false });
    expect(instance.findBrokerAddressInSubscribe('broker-a', 2, false)).toMatchObject({ brokerAddr: 'a0:1', slave: false });
    expect(instance.findBrokerAddressInSubscribe('broker-x', 0, false)).toBeUndefined();
  });

  it('cleanOfflineBroker() drops addresses no cached route mentions', async () => {
    const { instance } = harness();
    await instance.updateTopicRouteInfoFromNameServer('TopicA');
    instance.brokerAddrTable.set('broker-z', new Map([[0, 'z0:1']]));
    instance.brokerAddrTable.get('broker-a')!.set(2, 'a2:1');
    instance.cleanOfflineBroker();
    expect([...instance.brokerAddrTable].map(([name, addrs]) => [name, [...addrs.values()]])).toEqual([['broker-a', ['a0:1', 'a1:1']], ['broker-b', ['b0:1']]]);
  });

  it('persists offsets every 5 s after 10 s and rebalances through the attached service; a failing consumer stops nothing', async () => {
    const { instance, clock } = harness();
    const consumer = new FakeConsumer('cg', 'TopicA');
    instance.registerConsumer('cg', consumer);
    instance.start();
    await clock.advance(20_000);
    expect(consumer.log.filter((l) => l === 'persist')).toHaveLength(3); // 10 s, 15 s, 20 s
    instance.rebalanceImmediately(); // no service attached: at once
    await clock.settle();
    const wakeups: string[] = [];
    instance.setRebalanceService({ start: () => wakeups.push('start'), shutdown: () => wakeups.push('shutdown'), wakeup: () => wakeups.push('wakeup') });
    instance.rebalanceImmediately();
    expect(consumer.log.filter((l) => l === 'rebalance')).toHaveLength(1);
    expect(wakeups).toEqual(['start', 'wakeup']);
    await instance.unregisterConsumer('cg');
    await instance.shutdown();
    expect(wakeups).toEqual(['start', 'wakeup', 'shutdown']);
  });

  it('shutdown() waits while a consumer is registered and tells every broker when a group leaves', async () => {
    const { instance, unregistered } = harness();
    await instance.updateTopicRouteInfoFromNameServer('TopicA');
    instance.start();
    instance.registerConsumer('cg', new FakeConsumer('cg', 'TopicA'));
    await instance.shutdown();
    expect(instance.serviceState).toBe('RUNNING');
    await instance.unregisterConsumer('cg');
    expect(unregistered).toEqual(['a0:1 10.0.0.5@9 - cg', 'a1:1 10.0.0.5@9 - cg', 'b0:1 10.0.0.5@9 - cg']);
    await instance.shutdown();
    expect(instance.serviceState).toBe('SHUTDOWN_ALREADY');
  });
});

describe('ClientRemotingProcessor', () => {
  const ctx = { remoteAddress: 'a0:1', localAddress: '10.0.0.5:50000', closed: false, connection: {} as Connection, writeResponse() {}, close() {} } satisfies RequestContext;

  it('rebalances on NOTIFY_CONSUMER_IDS_CHANGED and resets offsets on RESET_CONSUMER_CLIENT_OFFSET', async () => {
    const { instance } = harness();
    const consumer = new FakeConsumer('cg', 'TopicA');
    instance.registerConsumer('cg', consumer);
    const processor = new ClientRemotingProcessor(instance);
    expect(processor.processRequest(ctx, createRequestCommand(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, { consumerGroup: 'cg' }))).toBeNull();
    const reset = createRequestCommand(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, { topic: 'TopicA', group: 'cg', timestamp: 5, isForce: true });
    reset.body = encodeResetOffsetBody({ offsetTable: [[{ topic: 'TopicA', brokerName: 'broker-a', queueId: 1 }, 42]] });
    expect(await processor.processRequest(ctx, reset)).toBeNull();
    expect(consumer.log).toEqual(['rebalance', 'reset TopicA 1=42']);
  });

  it('answers GET_CONSUMER_RUNNING_INFO with the consumer type and subscriptions, SYSTEM_ERROR for an unknown group', async () => {
    const { instance } = harness();
    instance.registerConsumer('cg', new FakeConsumer('cg', 'TopicA'));
    const processor = new ClientRemotingProcessor(instance);
    const ok = (await processor.processRequest(ctx, createRequestCommand(RequestCode.GET_CONSUMER_RUNNING_INFO, { consumerGroup: 'cg', clientId: '10.0.0.5@9', jstackEnable: false }))) as RemotingCommand;
    const info = JSON.parse(new TextDecoder().decode(ok.body)) as { properties: Record<string, string>; subscriptionSet: Array<{ topic: string; tagsSet: string[] }> };
    expect(info.properties['PROP_CONSUME_TYPE']).toBe('CONSUME_PASSIVELY');
    expect(info.subscriptionSet.map((s) => [s.topic, s.tagsSet])).toEqual([['TopicA', ['TagA', 'TagB']]]);
    const missing = (await processor.processRequest(ctx, createRequestCommand(RequestCode.GET_CONSUMER_RUNNING_INFO, { consumerGroup: 'nope', clientId: 'x', jstackEnable: false }))) as RemotingCommand;
    expect([missing.code, missing.remark]).toEqual([ResponseCode.SYSTEM_ERROR, 'The Consumer Group <nope> not exist in this consumer']);
  });

  it('forwards CHECK_TRANSACTION_STATE to the producer of the message\'s PGROUP with the decoded half message', () => {
    const { instance } = harness();
    const checks: string[] = [];
    instance.registerProducer('txpg', {
      getPublishTopicList: () => [], isPublishTopicNeedUpdate: () => false, updateTopicPublishInfo: () => undefined, isUnitMode: () => false,
      checkTransactionState: (addr, msg, header) => checks.push(`${addr} ${msg.topic} ${msg.msgId} ${msg.transactionId} ${header.commitLogOffset} ${header.tranStateTableOffset}`),
    });
    const half = new MessageExt({ topic: 'TopicTx', body: new Uint8Array([1]), storeHost: '10.0.0.2:10911', bornHost: '10.0.0.5:1', commitLogOffset: 77 });
    half.putProperty('PGROUP', 'txpg');
    half.putProperty('UNIQ_KEY', 'UNIQ1');
    const request = createRequestCommand(RequestCode.CHECK_TRANSACTION_STATE, { tranStateTableOffset: 3, commitLogOffset: 77, msgId: 'UNIQ1', transactionId: 'TX1', offsetMsgId: 'OFF' });
    request.body = encodeMessage(half);
    expect(new ClientRemotingProcessor(instance).processRequest(ctx, request)).toBeNull();
    expect(checks).toEqual(['a0:1 TopicTx UNIQ1 TX1 77 3']);
  });
});
