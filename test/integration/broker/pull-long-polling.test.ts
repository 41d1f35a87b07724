// The consumer side of a broker over SimNetwork on a ManualClock: a RemotingServer with the
// client-manage, consumer-manage and pull processors, B1's topic and subscription-group
// managers, and a real DefaultMessageStore on a MemoryFileSystem (no BrokerController).
// A RemotingClient plays a push consumer as ali-ons does: heartbeat, consumer list, offset
// query, then long-polling pulls. Goal: the protocol as a peer sees it, including the broker
// version on the HEART_BEAT answer, NOTIFY_CONSUMER_IDS_CHANGED arriving one-way, a held pull
// answered within milliseconds of a message arriving, a pull answered at the 5 s check after
// its 15 s timeout (well before the client's 30 s), and a pull held on a closed connection dropped.
import { describe, expect, it } from 'vitest';
import { encodeUtf8 } from '../../../src/common/bytes.js';
import { defaultBrokerConfig } from '../../../src/common/config/broker-config.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { TopicConfig } from '../../../src/common/topic/topic-config.js';
import { NodeEvents, RecordingSink } from '../../../src/events/event-sink.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../src/platform/sim/memory-file-system.js';
import { SimNetwork } from '../../../src/platform/sim/sim-network.js';
import { RemotingClient } from '../../../src/remoting/remoting-client.js';
import { createRequestCommand, isOneway, type ExtFieldValue, type RemotingCommand } from '../../../src/remoting/remoting-command.js';
import { RemotingServer } from '../../../src/remoting/remoting-server.js';
import { checkMessageAndReturnSize } from '../../../src/store/commitlog/commit-log-record-reader.js';
import { getConsumerOffsetPath } from '../../../src/broker/config-manager.js';
import { Broker2Client } from '../../../src/broker/client/broker2client.js';
import { ClientHousekeepingService } from '../../../src/broker/client/client-housekeeping-service.js';
import { ConsumerManager } from '../../../src/broker/client/consumer-manager.js';
import { DefaultConsumerIdsChangeListener } from '../../../src/broker/client/consumer-ids-change-listener.js';
import { ProducerManager } from '../../../src/broker/client/producer-manager.js';
import { NotifyMessageArrivingListener } from '../../../src/broker/longpolling/notify-message-arriving-listener.js';
import { PullRequestHoldService } from '../../../src/broker/longpolling/pull-request-hold-service.js';
import { ConsumerOffsetManager } from '../../../src/broker/offset/consumer-offset-manager.js';
import { ClientManageProcessor } from '../../../src/broker/processor/client-manage-processor.js';
import { ConsumerManageProcessor } from '../../../src/broker/processor/consumer-manage-processor.js';
import { PullMessageProcessor, PullSysFlag } from '../../../src/broker/processor/pull-message-processor.js';
import { SubscriptionGroupManager } from '../../../src/broker/subscription/subscription-group-manager.js';
import { TopicConfigManager } from '../../../src/broker/topic/topic-config-manager.js';
import { newStore, settle, smallStoreConfig } from '../../unit/store/message-store-test-support.js';
import { brokerMessage } from '../../unit/store/store-test-support.js';

const BROKER = '10.0.0.1:10911';

async function world() {
  const clock = new ManualClock(1_700_000_000_000);
  const sink = new RecordingSink(clock);
  const network = new SimNetwork({ clock, random: new SeededRandom(7) });
  const fs = new MemoryFileSystem({ clock });
  const events = new NodeEvents(sink, 'broker-a');
  const brokerConfig = defaultBrokerConfig({ brokerIP1: '10.0.0.1' });
  const storeConfig = smallStoreConfig();
  const store = newStore(fs, clock, events, storeConfig);
  if (!store.load()) throw new Error('store load failed');
  store.start();

  // What BrokerController wires (B1): managers first, then processors, then services.
  const topicConfigManager = new TopicConfigManager({ fs, clock, events, storePathRootDir: '/store', brokerConfig });
  topicConfigManager.updateTopicConfig(new TopicConfig('TopicA', 4, 4));
  const subscriptionGroupManager = new SubscriptionGroupManager({ fs, clock, events, storePathRootDir: '/store', brokerConfig });
  const server = new RemotingServer({ transport: network.host('10.0.0.1'), clock, events });
  const broker2Client = new Broker2Client({ remotingServer: server });
  const consumerManager = new ConsumerManager({ clock, events, consumerIdsChangeListener: new DefaultConsumerIdsChangeListener({ broker2Client, brokerConfig, events }) });
  const producerManager = new ProducerManager({ clock, events });
  const consumerOffsetManager = new ConsumerOffsetManager({ fs, configPath: getConsumerOffsetPath('/store'), events });
  const pullRequestHoldService = new PullRequestHoldService({ clock, events, messageStore: store, brokerConfig });
  const pull = new PullMessageProcessor({
    brokerConfig, storeConfig, messageStore: store, topicConfigManager, subscriptionGroupManager, consumerManager,
    consumerOffsetManager, pullRequestHoldService, clock, events,
  });
  const clientManage = new ClientManageProcessor({ consumerManager, producerManager, topicConfigManager, subscriptionGroupManager, brokerConfig, clock });
  const consumerManage = new ConsumerManageProcessor({ consumerManager, consumerOffsetManager, messageStore: store, events });
  server.registerProcessor(RequestCode.PULL_MESSAGE, pull);
  for (const code of [RequestCode.HEART_BEAT, RequestCode.UNREGISTER_CLIENT, RequestCode.CHECK_CLIENT_CONFIG]) server.registerProcessor(code, clientManage);
  for (const code of [RequestCode.GET_CONSUMER_LIST_BY_GROUP, RequestCode.QUERY_CONSUMER_OFFSET, RequestCode.UPDATE_CONSUMER_OFFSET]) server.registerProcessor(code, consumerManage);
  const housekeeping = new ClientHousekeepingService({ clock, producerManager, consumerManager });
  housekeeping.listenTo(server);
  store.messageArrivingListener = new NotifyMessageArrivingListener(pullRequestHoldService);
  pullRequestHoldService.start();
  housekeeping.start();
  await server.start(BROKER);

  // The consumer: ali-ons sends version 121 and never answers server requests.
  const consumer = new RemotingClient({ transport: network.host('10.0.0.9'), clock, events: new NodeEvents(sink, 'consumer-1'), config: { version: 121 } });
  const notifications: RemotingCommand[] = [];
  consumer.registerProcessor(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, {
    rejectRequest: () => false,
    processRequest: (_ctx, request) => (notifications.push(request), null),
  });
  const call = async (request: RemotingCommand, timeoutMs = 3000): Promise<RemotingCommand> => {
    let settled = false;
    const pending = consumer.invokeSync(BROKER, request, timeoutMs).finally(() => (settled = true));
    await clock.runUntil(() => settled, timeoutMs + 1000);
    return pending;
  };
  const put = async (tags: string): Promise<void> => {
    const result = await settle(clock, store.putMessage(brokerMessage({ topic: 'TopicA', queueId: 0, tags })));
    expect(result.putMessageStatus).toBe('PUT_OK');
  };
  return { clock, sink, store, server, consumer, notifications, call, put, consumerManager, consumerOffsetManager, topicConfigManager, pullRequestHoldService };
}

function heartbeatRequest(): RemotingCommand {
  const request = createRequestCommand(RequestCode.HEART_BEAT);
  request.body = encodeUtf8(JSON.stringify({
    clientID: '10.0.0.9@1234',
    consumerDataSet: [{
      groupName: 'CG', consumeType: 'CONSUME_PASSIVELY', messageModel: 'CLUSTERING', consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
      subscriptionDataSet: [{ topic: 'TopicA', subString: 'TagA', classFilterMode: false, tagsSet: ['TagA'], codeSet: [2598919], subVersion: 1_700_000_000_000 }],
    }],
    producerDataSet: [],
  }));
  return request;
}

function pullRequest(fields: Record<string, ExtFieldValue> = {}): RemotingCommand {
  return createRequestCommand(RequestCode.PULL_MESSAGE, {
    consumerGroup: 'CG', topic: 'TopicA', queueId: 0, queueOffset: 0, maxMsgNums: 32,
    sysFlag: PullSysFlag.FLAG_SUSPEND | PullSysFlag.FLAG_SUBSCRIPTION, commitOffset: 0, suspendTimeoutMillis: 15_000,
    subscription: 'TagA', subVersion: 1_700_000_000_000, expressionType: 'TAG', ...fields,
  });
}

describe('pull and long polling over SimNetwork', () => {
  it('HEART_BEAT is answered with the broker version 293, creates %RETRY%CG and sends one NOTIFY_CONSUMER_IDS_CHANGED one-way', async () => {
    const w = await world();
    const response = await w.call(heartbeatRequest());
    expect([response.code, response.version]).toEqual([ResponseCode.SUCCESS, 293]);
    expect(w.topicConfigManager.selectTopicConfig('%RETRY%CG')).toMatchObject({ readQueueNums: 1, writeQueueNums: 1, perm: 6 });
    await w.clock.advance(10);
    expect(w.notifications.map((n) => [n.code, isOneway(n), n.extFields])).toEqual([[RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, true, { consumerGroup: 'CG' }]]);
    await w.call(heartbeatRequest()); // the 30 s heartbeat again: no change, no notification
    await w.clock.advance(10);
    expect(w.notifications).toHaveLength(1);
    const list = await w.call(createRequestCommand(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'CG' }));
    expect(new TextDecoder().decode(list.body)).toBe('{"consumerIdList":["10.0.0.9@1234"]}');
    const offset = await w.call(createRequestCommand(RequestCode.QUERY_CONSUMER_OFFSET, { consumerGroup: 'CG', topic: 'TopicA', queueId: 0 }));
    expect([offset.code, offset.extFields?.['offset']]).toEqual([ResponseCode.SUCCESS, '0']);
  });

  it('a held pull is answered a few ms after a message arrives, with the filtered records and the original opaque', async () => {
    const w = await world();
    await w.call(heartbeatRequest());
    let answered: RemotingCommand | undefined;
    const sent = pullRequest();
    void w.consumer.invokeSync(BROKER, sent, 30_000).then((r) => (answered = r));
    await w.clock.advance(7000);
    expect(answered).toBeUndefined();
    expect(w.pullRequestHoldService.heldCount).toBe(1);
    await w.put('TagB'); // filtered out: stays held
    await w.clock.advance(100);
    expect(answered).toBeUndefined();
    const arrivedAt = w.clock.now();
    await w.put('TagA');
    await w.clock.runUntil(() => answered !== undefined, 1000);
    expect(w.clock.now() - arrivedAt).toBeLessThanOrEqual(2);
    expect([answered!.code, answered!.remark, answered!.opaque]).toEqual([ResponseCode.SUCCESS, 'FOUND', sent.opaque]);
    expect(answered!.extFields).toMatchObject({ nextBeginOffset: '2', minOffset: '0', maxOffset: '2', suggestWhichBrokerId: '0' });
    const record = checkMessageAndReturnSize(answered!.body!, 0, true);
    expect([record.msgSize, record.consumeQueueOffset, record.propertiesMap?.get('TAGS')]).toEqual([answered!.body!.length, 1, 'TagA']);
    expect(w.sink.ofKind('broker.pull.woken').map((e) => e.data.reason)).toEqual(['arrival']);
  });

  it('a held pull with no message is answered PULL_NOT_FOUND at the first 5 s check after its 15 s timeout, well before the client gives up', async () => {
    const w = await world();
    await w.call(heartbeatRequest());
    const start = w.clock.now();
    const response = await w.call(pullRequest(), 30_000);
    expect([response.code, response.remark]).toEqual([ResponseCode.PULL_NOT_FOUND, 'NO_MESSAGE_IN_QUEUE']);
    const waited = w.clock.now() - start;
    expect(waited).toBeGreaterThanOrEqual(15_000);
    expect(waited).toBeLessThanOrEqual(20_010);
    expect(w.sink.ofKind('broker.pull.woken').map((e) => e.data.reason)).toEqual(['timeout']);
  });

  it('a pull held on a connection that closes is dropped, and the consumer leaves its group', async () => {
    const w = await world();
    await w.call(heartbeatRequest());
    void w.consumer.invokeSync(BROKER, pullRequest(), 30_000).catch(() => undefined);
    await w.clock.advance(100);
    expect(w.pullRequestHoldService.heldCount).toBe(1);
    w.consumer.shutdown();
    await w.clock.advance(100);
    expect(w.consumerManager.getConsumerGroupInfo('CG')).toBeUndefined();
    await w.clock.advance(5000);
    expect(w.pullRequestHoldService.heldCount).toBe(0);
    expect(w.sink.ofKind('broker.pull.dropped')).toHaveLength(1);
    expect(w.sink.ofKind('broker.pull.replied')).toEqual([]);
  });

  it('UPDATE_CONSUMER_OFFSET sent one-way and a pull with the COMMIT_OFFSET bit both store the group\'s offset', async () => {
    const w = await world();
    await w.call(heartbeatRequest());
    await w.consumer.invokeOneway(BROKER, createRequestCommand(RequestCode.UPDATE_CONSUMER_OFFSET, { consumerGroup: 'CG', topic: 'TopicA', queueId: 1, commitOffset: 5 }), 3000);
    await w.clock.advance(10);
    expect(w.consumerOffsetManager.queryOffset('CG', 'TopicA', 1)).toBe(5);
    await w.put('TagA');
    const response = await w.call(pullRequest({ sysFlag: PullSysFlag.FLAG_COMMIT_OFFSET | PullSysFlag.FLAG_SUSPEND, commitOffset: 0 }));
    expect(response.code).toBe(ResponseCode.SUCCESS);
    const next = await w.call(pullRequest({ sysFlag: PullSysFlag.FLAG_COMMIT_OFFSET, queueOffset: 1, commitOffset: 1 }));
    expect([next.code, next.remark]).toEqual([ResponseCode.PULL_NOT_FOUND, 'OFFSET_OVERFLOW_ONE']);
    expect(w.consumerOffsetManager.queryOffset('CG', 'TopicA', 0)).toBe(1);
  });
});
