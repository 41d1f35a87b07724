// RebalancePushImpl.computePullFromWhere for each consumeFromWhere: the stored offset wins;
// without one (QUERY_NOT_FOUND → -1) LAST asks GET_MAX_OFFSET (retry topics start at 0),
// FIRST starts at 0, TIMESTAMP asks SEARCH_OFFSET_BY_TIMESTAMP (retry topics: max); a broker
// that does not answer (-2) gives -1, "try again next round".
// Method: a real RemoteBrokerOffsetStore over a fake MQClientAPIImpl that records calls.
import { describe, expect, it } from 'vitest';
import { AllocateMessageQueueAveragely } from '../../../../src/client/consumer/allocate/allocate-message-queue-averagely.js';
import type { DefaultMQPushConsumerImpl } from '../../../../src/client/consumer/default-mq-push-consumer-impl.js';
import { RebalancePushImpl } from '../../../../src/client/consumer/rebalance-push-impl.js';
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

/** `stored`: a number (the broker's offset), 'not-found' (QUERY_NOT_FOUND) or 'timeout'. */
function setup(consumeFromWhere: ConsumeFromWhere, stored: number | 'not-found' | 'timeout') {
  const calls: string[] = [];
  const api = {
    async queryConsumerOffset(addr: string, header: { topic: string; queueId: number }) {
      calls.push(`QUERY_CONSUMER_OFFSET ${addr} ${header.topic}:${header.queueId}`);
      if (stored === 'not-found') throw new MQBrokerError(ResponseCode.QUERY_NOT_FOUND, 'Not found, V3_0_6_SNAPSHOT maybe this group consumer boot first', addr);
      if (stored === 'timeout') throw new RemotingTimeoutError(addr, 5000);
      return stored;
    },
    async getMaxOffset(addr: string, topic: string, queueId: number) {
      calls.push(`GET_MAX_OFFSET ${addr} ${topic}:${queueId}`);
      return 42;
    },
    async searchOffset(addr: string, topic: string, queueId: number, timestamp: number) {
      calls.push(`SEARCH_OFFSET_BY_TIMESTAMP ${addr} ${topic}:${queueId} @${timestamp}`);
      return 7;
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
  const events = noEvents('consumer-1');
  const offsetStore = new RemoteBrokerOffsetStore(client, 'cg', events);
  const impl = {
    offsetStore,
    mQClientFactory: client,
    settings: { consumeFromWhere, consumeTimestamp: '20240102030405', consumeTimestampUtcOffsetMinutes: 0 },
  } as unknown as DefaultMQPushConsumerImpl;
  const rebalance = new RebalancePushImpl({
    consumerGroup: 'cg', messageModel: 'CLUSTERING', allocateMessageQueueStrategy: new AllocateMessageQueueAveragely(), client, clock: new ManualClock(), events,
  }, impl);
  return { rebalance, calls };
}

describe('RebalancePushImpl', () => {
  it('computePullFromWhere() starts at the stored offset whatever consumeFromWhere says', async () => {
    for (const where of ['CONSUME_FROM_LAST_OFFSET', 'CONSUME_FROM_FIRST_OFFSET', 'CONSUME_FROM_TIMESTAMP'] as const) {
      const { rebalance, calls } = setup(where, 17);
      expect(await rebalance.computePullFromWhere(MQ)).toEqual({ offset: 17, from: 'stored' });
      expect(calls).toEqual([`QUERY_CONSUMER_OFFSET ${BROKER} TopicA:1`]);
    }
  });

  it('computePullFromWhere() with CONSUME_FROM_LAST_OFFSET and no stored offset asks GET_MAX_OFFSET', async () => {
    const { rebalance, calls } = setup('CONSUME_FROM_LAST_OFFSET', 'not-found');
    expect(await rebalance.computePullFromWhere(MQ)).toEqual({ offset: 42, from: 'max-offset' });
    expect(calls).toEqual([`QUERY_CONSUMER_OFFSET ${BROKER} TopicA:1`, `GET_MAX_OFFSET ${BROKER} TopicA:1`]);
  });

  it('computePullFromWhere() with CONSUME_FROM_LAST_OFFSET starts a retry topic at 0', async () => {
    const { rebalance, calls } = setup('CONSUME_FROM_LAST_OFFSET', 'not-found');
    expect(await rebalance.computePullFromWhere(RETRY_MQ)).toEqual({ offset: 0, from: 'retry-topic-zero' });
    expect(calls).toHaveLength(1);
  });

  it('computePullFromWhere() with CONSUME_FROM_FIRST_OFFSET and no stored offset starts at 0', async () => {
    const { rebalance, calls } = setup('CONSUME_FROM_FIRST_OFFSET', 'not-found');
    expect(await rebalance.computePullFromWhere(MQ)).toEqual({ offset: 0, from: 'first-offset' });
    expect(calls).toHaveLength(1);
  });

  it('computePullFromWhere() with CONSUME_FROM_TIMESTAMP searches by consumeTimestamp (yyyyMMddHHmmss)', async () => {
    const { rebalance, calls } = setup('CONSUME_FROM_TIMESTAMP', 'not-found');
    expect(await rebalance.computePullFromWhere(MQ)).toEqual({ offset: 7, from: 'timestamp' });
    expect(calls[1]).toBe(`SEARCH_OFFSET_BY_TIMESTAMP ${BROKER} TopicA:1 @${Date.UTC(2024, 0, 2, 3, 4, 5)}`);
  });

  it('computePullFromWhere() with CONSUME_FROM_TIMESTAMP starts a retry topic at its max offset', async () => {
    const { rebalance, calls } = setup('CONSUME_FROM_TIMESTAMP', 'not-found');
    expect(await rebalance.computePullFromWhere(RETRY_MQ)).toEqual({ offset: 42, from: 'max-offset' });
    expect(calls[1]).toBe(`GET_MAX_OFFSET ${BROKER} %RETRY%cg:0`);
  });

  it('computePullFromWhere() answers -1 (skip this round) when the broker cannot be asked', async () => {
    const { rebalance, calls } = setup('CONSUME_FROM_LAST_OFFSET', 'timeout');
    expect((await rebalance.computePullFromWhere(MQ)).offset).toBe(-1);
    expect(calls).toHaveLength(1);
  });
});
