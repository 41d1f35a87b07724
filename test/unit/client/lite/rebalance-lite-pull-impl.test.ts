// RebalanceLitePullImpl.computePullFromWhere for each consumeFromWhere: an offset in memory or
// in the store wins; without one (QUERY_NOT_FOUND → -1) LAST asks GET_MAX_OFFSET (retry
// topics start at 0), FIRST starts at 0, TIMESTAMP asks SEARCH_OFFSET_BY_TIMESTAMP (retry
// topics: max); an unreachable broker (-2) gives -1. A dropped queue is persisted and
// forgotten; messageQueueChanged reaches the consumer.
// Method: a real RemoteBrokerOffsetStore and MQAdminImpl over a fake MQClientAPIImpl that
// records the calls it gets.
import { describe, expect, it } from 'vitest';
import { AllocateMessageQueueAveragely } from '../../../../src/client/consumer/allocate/allocate-message-queue-averagely.js';
import { MQAdminImpl } from '../../../../src/client/consumer/lite/mq-admin-impl.js';
import { RebalanceLitePullImpl } from '../../../../src/client/consumer/lite/rebalance-lite-pull-impl.js';
import { ProcessQueue } from '../../../../src/client/consumer/process-queue.js';
import { RemoteBrokerOffsetStore } from '../../../../src/client/consumer/store/remote-broker-offset-store.js';
import { MQBrokerError } from '../../../../src/client/errors.js';
import type { MQClientInstance } from '../../../../src/client/mq-client-instance.js';
import type { MessageQueue } from '../../../../src/common/protocol/body/message-queue-keyed-map.js';
import type { ConsumeFromWhere } from '../../../../src/common/protocol/heartbeat/consume-from-where.js';
import { ResponseCode } from '../../../../src/common/protocol/response-code.js';
import { noEvents } from '../../../../src/events/event-sink.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { RemotingTimeoutError } from '../../../../src/remoting/errors.js';

const BROKER = '10.0.0.2:10911';
const MQ: MessageQueue = { topic: 'TopicA', brokerName: 'broker-a', queueId: 1 };
const RETRY_MQ: MessageQueue = { topic: '%RETRY%cg', brokerName: 'broker-a', queueId: 0 };

function setup(consumeFromWhere: ConsumeFromWhere, stored: number | 'not-found' | 'timeout') {
  const calls: string[] = [];
  const api = {
    async queryConsumerOffset(_addr: string, header: { topic: string; queueId: number }) {
      calls.push(`QUERY_CONSUMER_OFFSET ${header.topic}:${header.queueId}`);
      if (stored === 'not-found') throw new MQBrokerError(ResponseCode.QUERY_NOT_FOUND, 'Not found', BROKER);
      if (stored === 'timeout') throw new RemotingTimeoutError(BROKER, 5000);
      return stored;
    },
    async getMaxOffset(_addr: string, topic: string, queueId: number) {
      calls.push(`GET_MAX_OFFSET ${topic}:${queueId}`);
      return 42;
    },
    async searchOffset(_addr: string, topic: string, queueId: number, timestamp: number) {
      calls.push(`SEARCH_OFFSET_BY_TIMESTAMP ${topic}:${queueId} @${timestamp}`);
      return 7;
    },
    async updateConsumerOffsetOneway(_addr: string, header: { topic: string; queueId: number; commitOffset: number }) {
      calls.push(`UPDATE_CONSUMER_OFFSET ${header.topic}:${header.queueId}=${header.commitOffset}`);
    },
  };
  const client = {
    clientId: '10.0.0.5@1',
    clientConfig: { mqClientApiTimeout: 3000 },
    mqClientAPIImpl: api,
    findBrokerAddressInSubscribe: () => ({ brokerAddr: BROKER, slave: false, brokerVersion: 0 }),
    findBrokerAddressInPublish: () => BROKER,
    updateTopicRouteInfoFromNameServer: async () => false,
    findConsumerIdList: async () => [],
    sendHeartbeatToAllBrokerWithLock: async () => undefined,
  } as unknown as MQClientInstance;
  const events = noEvents('lite-1');
  const offsetStore = new RemoteBrokerOffsetStore(client, 'cg', events);
  const changes: string[] = [];
  const host = {
    getOffsetStore: () => offsetStore,
    admin: new MQAdminImpl(client, 3000),
    settings: { consumeFromWhere, consumeTimestamp: 1_700_000_000_000 },
    messageQueueChanged: (topic: string, mqAll: readonly MessageQueue[], mqDivided: readonly MessageQueue[]) => void changes.push(`${topic} ${mqAll.length}/${mqDivided.length}`),
  };
  const rebalance = new RebalanceLitePullImpl({
    consumerGroup: 'cg', messageModel: 'CLUSTERING', allocateMessageQueueStrategy: new AllocateMessageQueueAveragely(), client, clock: new ManualClock(0), events,
  }, host);
  return { rebalance, calls, offsetStore, changes };
}

describe('RebalanceLitePullImpl', () => {
  it.each([
    ['CONSUME_FROM_LAST_OFFSET', 12, MQ, { offset: 12, from: 'stored' }, ['QUERY_CONSUMER_OFFSET TopicA:1']],
    ['CONSUME_FROM_LAST_OFFSET', 'not-found', MQ, { offset: 42, from: 'max-offset' }, ['QUERY_CONSUMER_OFFSET TopicA:1', 'GET_MAX_OFFSET TopicA:1']],
    ['CONSUME_FROM_LAST_OFFSET', 'not-found', RETRY_MQ, { offset: 0, from: 'retry-topic-zero' }, ['QUERY_CONSUMER_OFFSET %RETRY%cg:0']],
    ['CONSUME_FROM_FIRST_OFFSET', 'not-found', MQ, { offset: 0, from: 'first-offset' }, ['QUERY_CONSUMER_OFFSET TopicA:1']],
    ['CONSUME_FROM_TIMESTAMP', 'not-found', MQ, { offset: 7, from: 'timestamp' }, ['QUERY_CONSUMER_OFFSET TopicA:1', 'SEARCH_OFFSET_BY_TIMESTAMP TopicA:1 @1700000000000']],
    ['CONSUME_FROM_TIMESTAMP', 'not-found', RETRY_MQ, { offset: 42, from: 'max-offset' }, ['QUERY_CONSUMER_OFFSET %RETRY%cg:0', 'GET_MAX_OFFSET %RETRY%cg:0']],
    ['CONSUME_FROM_FIRST_OFFSET', 'timeout', MQ, { offset: -1, from: 'stored' }, ['QUERY_CONSUMER_OFFSET TopicA:1']],
  ] as const)('computePullFromWhere() with %s and a stored offset of %s (%o) gives %o', async (where, stored, mq, expected, calls) => {
    const s = setup(where, stored);
    expect(await s.rebalance.computePullFromWhere(mq)).toEqual(expected);
    expect(s.calls).toEqual(calls);
  });

  it('computePullFromWhere() reads memory first: an offset the consumer committed is used without asking the broker', async () => {
    const s = setup('CONSUME_FROM_LAST_OFFSET', 'not-found');
    s.offsetStore.updateOffset(MQ, 30, false);
    expect(await s.rebalance.computePullFromWhere(MQ)).toEqual({ offset: 30, from: 'stored' });
    expect(s.calls).toEqual([]);
  });

  it('removeUnnecessaryMessageQueue() persists the queue offset one-way and forgets it; messageQueueChanged() reaches the consumer', async () => {
    const s = setup('CONSUME_FROM_LAST_OFFSET', 'not-found');
    s.offsetStore.updateOffset(MQ, 9, false);
    expect(await s.rebalance.removeUnnecessaryMessageQueue(MQ, new ProcessQueue(new ManualClock(0)))).toBe(true);
    expect(s.calls).toEqual(['UPDATE_CONSUMER_OFFSET TopicA:1=9']);
    expect(s.offsetStore.cloneOffsetTable()).toEqual([]);
    expect(s.rebalance.consumeType()).toBe('CONSUME_ACTIVELY');
    await s.rebalance.messageQueueChanged('TopicA', [MQ, RETRY_MQ], [MQ]);
    expect(s.changes).toEqual(['TopicA 2/1']);
  });
});
