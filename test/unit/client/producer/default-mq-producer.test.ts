// Goal: the producer's send path as Java 4.9 behaves: UNIQ_KEY and the V2 header, the TBW102
// fallback route, retries on another broker for retryable codes and transport errors, the
// time budget, status mapping, validation, compression, batches, selectors, async pipelining.
// Method: a real DefaultMQProducer and MQClientInstance on a ManualClock, with the instance's
// MQClientAPIImpl route lookup and sendMessage replaced by fakes that record every call.
import { describe, expect, it } from 'vitest';
import { decodeBatchMessages } from '../../../../src/common/message/message-batch.js';
import { getUniqID } from '../../../../src/common/message/message-id.js';
import { Message } from '../../../../src/common/message/message.js';
import { ResponseCode } from '../../../../src/common/protocol/response-code.js';
import type { TopicRouteData } from '../../../../src/common/protocol/route/topic-route-data.js';
import { RecordingSink } from '../../../../src/events/event-sink.js';
import { SeededRandom } from '../../../../src/platform/random.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import { SimNetwork } from '../../../../src/platform/sim/sim-network.js';
import { RemotingConnectError, RemotingTimeoutError } from '../../../../src/remoting/errors.js';
import { createResponseCommand } from '../../../../src/remoting/remoting-command.js';
import { decompress } from '../../../../src/client/compression.js';
import { ClientErrorCode, MQBrokerError, MQClientError } from '../../../../src/client/errors.js';
import type { CommunicationMode } from '../../../../src/client/mq-client-api.js';
import { DefaultMQProducer, type DefaultMQProducerOptions } from '../../../../src/client/producer/default-mq-producer.js';
import { SelectMessageQueueByHash } from '../../../../src/client/producer/message-queue-selector.js';
import type { SendMessageRequestHeader } from '../../../../src/client/producer/send-message-request-header.js';
import type { SendResult } from '../../../../src/client/producer/send-result.js';

interface Call {
  addr: string;
  brokerName: string;
  msg: Message;
  header: SendMessageRequestHeader;
  timeoutMs: number;
  mode: CommunicationMode;
  body: Uint8Array;
  at: number;
}

const ADDRS: Record<string, string> = { 'broker-a': '10.0.0.2:10911', 'broker-b': '10.0.0.3:10911' };

function routeOf(queues: number, perm = 6): TopicRouteData {
  return {
    queueDatas: ['broker-a', 'broker-b'].map((brokerName) => ({ brokerName, readQueueNums: queues, writeQueueNums: queues, perm, topicSysFlag: 0 })),
    brokerDatas: ['broker-a', 'broker-b'].map((brokerName) => ({ cluster: 'c', brokerName, brokerAddrs: new Map([[0, ADDRS[brokerName]!]]) })),
    filterServerTable: new Map(),
  };
}

async function harness(options: Partial<DefaultMQProducerOptions> = {}) {
  const clock = new ManualClock(1_700_000_000_000);
  const random = new SeededRandom(7);
  const sink = new RecordingSink(clock);
  const network = new SimNetwork({ clock, random });
  const producer = new DefaultMQProducer({
    platform: { clock, random, fs: new MemoryFileSystem(), transport: network.host('10.0.0.5') },
    events: sink,
    producerGroup: 'pg',
    namesrvAddr: '10.0.0.1:9876',
    clientConfig: { clientIP: '10.0.0.5', pid: 77 },
    ...options,
  });
  const api = producer.mQClientFactory.mqClientAPIImpl;
  const routes = new Map<string, TopicRouteData>([['TopicA', routeOf(2)]]);
  const routeLookups: string[] = [];
  api.getTopicRouteInfoFromNameServer = async (topic: string) => {
    routeLookups.push(topic);
    return routes.get(topic);
  };
  const calls: Call[] = [];
  let offset = 0;
  /** Answer with `code` and the usual send response fields. */
  const answer = (call: Call, code: number = ResponseCode.SUCCESS): SendResult => {
    const response = createResponseCommand(code, code === 0 ? undefined : `code ${code}`);
    response.addExtFields({ msgId: `OFFSET${offset}`, queueId: call.header.queueId, queueOffset: offset++, MSG_REGION: 'DefaultRegion', TRACE_ON: 'true' });
    return api.processSendResponse(call.brokerName, call.msg, call.header.queueId, response, call.addr);
  };
  let responder: (call: Call) => Promise<SendResult> = async (call) => answer(call);
  api.sendMessage = (addr, brokerName, msg, header, timeoutMs, mode, body = msg.body) => {
    const call: Call = { addr, brokerName, msg, header, timeoutMs, mode, body, at: clock.now() };
    calls.push(call);
    if (mode === 'ONEWAY') return Promise.resolve(undefined);
    return responder(call);
  };
  await producer.start();
  return {
    clock, sink, producer, routes, routeLookups, calls, answer,
    respond(fn: (call: Call) => Promise<SendResult>) {
      responder = fn;
    },
  };
}

const msg = (body = 'hello', topic = 'TopicA') => Message.create(topic, new TextEncoder().encode(body), { tags: 'TagA', keys: 'k1 k2' });

describe('DefaultMQProducer', () => {
  it('send() stamps a UNIQ_KEY, sends the V2 header to the master and returns msgId = UNIQ_KEY, offsetMsgId = the broker id', async () => {
    const { producer, calls, clock } = await harness();
    const message = msg();
    const result = await producer.send(message);
    const uniqKey = getUniqID(message)!;
    expect(uniqKey).toMatch(/^0A000005004D[0-9A-F]{20}$/); // IP 10.0.0.5, pid 77
    expect(result).toMatchObject({ sendStatus: 'SEND_OK', msgId: uniqKey, offsetMsgId: 'OFFSET0', queueOffset: 0, regionId: 'DefaultRegion', traceOn: true });
    const [call] = calls;
    expect(call!.addr).toBe(ADDRS[call!.brokerName]);
    expect(call!.header).toMatchObject({ producerGroup: 'pg', topic: 'TopicA', defaultTopic: 'TBW102', defaultTopicQueueNums: 4, sysFlag: 0, bornTimestamp: clock.now(), flag: 0, batch: false });
    expect(call!.header.properties).toContain(`UNIQ_KEY\u0001${uniqKey}\u0002`);
    expect(call!.header.properties).toContain('TAGS\u0001TagA\u0002');
    expect(call!.header.properties).toContain('KEYS\u0001k1 k2\u0002');
    expect(result.messageQueue).toEqual({ topic: 'TopicA', brokerName: call!.brokerName, queueId: call!.header.queueId });
  });

  it('send() to a topic without a route uses the TBW102 route capped to defaultTopicQueueNums per broker', async () => {
    const { producer, routes, routeLookups, calls, sink } = await harness();
    routes.set('TBW102', routeOf(8, 7));
    await producer.send(msg('x', 'NewTopic'));
    expect(routeLookups).toEqual(['NewTopic', 'TBW102']);
    const info = producer.defaultMQProducerImpl.topicPublishInfoTable.get('NewTopic')!;
    expect(info.messageQueueList.map((mq) => `${mq.topic}/${mq.brokerName}/${mq.queueId}`)).toEqual([
      'NewTopic/broker-a/0', 'NewTopic/broker-a/1', 'NewTopic/broker-a/2', 'NewTopic/broker-a/3',
      'NewTopic/broker-b/0', 'NewTopic/broker-b/1', 'NewTopic/broker-b/2', 'NewTopic/broker-b/3',
    ]);
    const cached = producer.mQClientFactory.getTopicRouteData('NewTopic')!;
    expect(cached.queueDatas.map((q) => [q.readQueueNums, q.writeQueueNums, q.perm])).toEqual([[4, 4, 7], [4, 4, 7]]);
    expect(routes.get('TBW102')!.queueDatas[0]!.writeQueueNums).toBe(8); // the name server's copy is untouched
    expect(calls[0]!.header.defaultTopic).toBe('TBW102');
    expect(sink.ofKind('client.route.updated').map((e) => [e.data.topic, e.data.fromDefaultTopic, e.data.writeQueues.length])).toEqual([['NewTopic', true, 8]]);
  });

  it('send() retries on the other broker after TOPIC_NOT_EXIST (17) and reports client.send.retried', async () => {
    const { producer, calls, answer, respond, sink } = await harness();
    respond(async (call) => (call.brokerName === calls[0]!.brokerName ? answer(call, ResponseCode.TOPIC_NOT_EXIST) : answer(call)));
    const result = await producer.send(msg());
    expect(calls.map((c) => c.brokerName)).toEqual([calls[0]!.brokerName, result.messageQueue.brokerName]);
    expect(calls[1]!.brokerName).not.toBe(calls[0]!.brokerName);
    expect(sink.ofKind('client.send.retried').map((e) => [e.data.attempt, e.data.failedMq.brokerName])).toEqual([[2, calls[0]!.brokerName]]);
    expect(sink.ofKind('client.send.completed').map((e) => e.data.attempts)).toEqual([2]);
  });

  it('send() throws MQBrokerError at once for a code it must not retry (13 MESSAGE_ILLEGAL)', async () => {
    const { producer, calls, answer, respond } = await harness();
    respond(async (call) => answer(call, ResponseCode.MESSAGE_ILLEGAL));
    const error = await producer.send(msg()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MQBrokerError);
    expect((error as MQBrokerError).responseCode).toBe(13);
    expect((error as MQBrokerError).brokerAddr).toBe(calls[0]!.addr);
    expect(calls).toHaveLength(1);
  });

  it('send() makes retryTimesWhenSendFailed + 1 attempts on transport errors, alternating brokers, then throws MQClientError', async () => {
    const { producer, calls, respond } = await harness({ retryTimesWhenSendFailed: 2 });
    respond(async (call) => {
      throw new RemotingConnectError(call.addr);
    });
    const error = (await producer.send(msg()).catch((e: unknown) => e)) as MQClientError;
    expect(error).toBeInstanceOf(MQClientError);
    expect(error.responseCode).toBe(ClientErrorCode.CONNECT_BROKER_EXCEPTION);
    const brokers = calls.map((c) => c.brokerName);
    expect(brokers).toHaveLength(3);
    expect(brokers[1]).not.toBe(brokers[0]);
    expect(brokers[2]).not.toBe(brokers[1]);
    expect(error.message).toMatch(new RegExp(`^Send \\[3\\] times, still failed, cost \\[0\\]ms, Topic: TopicA, BrokersSent: \\[${brokers.join(', ')}\\]`));
    expect(error.cause).toBeInstanceOf(RemotingConnectError);
  });

  it('send() stops when the sendMsgTimeout budget is spent: "sendDefaultImpl call timeout" and client.send.timed-out', async () => {
    const { producer, calls, respond, clock, sink } = await harness();
    respond((call) => new Promise((_, reject) => clock.setTimer(2000, () => reject(new RemotingConnectError(call.addr)))));
    const pending = producer.send(msg()).catch((e: unknown) => e);
    await clock.advance(5000);
    const error = (await pending) as MQClientError;
    expect(error.message).toBe('sendDefaultImpl call timeout');
    expect(error.responseCode).toBe(ClientErrorCode.REQUEST_TIMEOUT_EXCEPTION);
    expect(calls.map((c) => [c.at - calls[0]!.at, c.timeoutMs])).toEqual([[0, 3000], [2000, 1000]]);
    expect(sink.ofKind('client.send.timed-out').map((e) => [e.data.elapsedMs, e.data.attempts])).toEqual([[4000, 3]]);
  });

  it('send() after an attempt that timed out retries with the time left and reports ACCESS_BROKER_TIMEOUT when all fail', async () => {
    const { producer, calls, respond, clock } = await harness();
    respond((call) => new Promise((_, reject) => clock.setTimer(call.timeoutMs, () => reject(new RemotingTimeoutError(call.addr, call.timeoutMs)))));
    const pending = producer.send(msg()).catch((e: unknown) => e);
    await clock.advance(5000);
    const error = (await pending) as MQClientError;
    expect(error.responseCode).toBe(ClientErrorCode.ACCESS_BROKER_TIMEOUT);
    expect(calls.map((c) => c.timeoutMs)).toEqual([3000, 0, 0]);
  });

  it('send() maps response codes 10, 11, 12 to FLUSH_DISK_TIMEOUT, SLAVE_NOT_AVAILABLE, FLUSH_SLAVE_TIMEOUT without retrying', async () => {
    const { producer, calls, answer, respond } = await harness();
    const statuses: string[] = [];
    for (const code of [10, 11, 12]) {
      respond(async (call) => answer(call, code));
      statuses.push((await producer.send(msg())).sendStatus);
    }
    expect(statuses).toEqual(['FLUSH_DISK_TIMEOUT', 'SLAVE_NOT_AVAILABLE', 'FLUSH_SLAVE_TIMEOUT']);
    expect(calls).toHaveLength(3);
  });

  it('send() validates before sending: empty body, oversize body, illegal topic, forbidden topic', async () => {
    const { producer, calls } = await harness({ maxMessageSize: 10 });
    const reasons = await Promise.all([
      producer.send(new Message({ topic: 'TopicA' })),
      producer.send(msg('01234567890')),
      producer.send(msg('x', 'bad topic')),
      producer.send(msg('x', 'SCHEDULE_TOPIC_XXXX')),
    ].map((p) => p.catch((e: MQClientError) => [e.responseCode, e.message])));
    expect(reasons).toEqual([
      [13, 'the message body length is zero'],
      [13, 'the message body size over max value, MAX: 10'],
      [13, 'The specified topic[bad topic] contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$'],
      [13, 'Sending message to topic[SCHEDULE_TOPIC_XXXX] is forbidden.'],
    ]);
    expect(calls).toHaveLength(0);
  });

  it('send() zlib-compresses a body of compressMsgBodyOverHowmuch bytes or more and sets sysFlag bit 0', async () => {
    const { producer, calls } = await harness();
    const big = msg('z'.repeat(4096));
    await producer.send(big);
    await producer.send(msg('z'.repeat(4095)));
    expect(calls.map((c) => c.header.sysFlag)).toEqual([1, 0]);
    expect(calls[0]!.body.length).toBeLessThan(100);
    expect(new TextDecoder().decode(await decompress(calls[0]!.body))).toBe('z'.repeat(4096));
    expect(big.body.length).toBe(4096); // the application's message keeps its body
  });

  it('send([m1, m2]) sends one SEND_BATCH_MESSAGE; msgId is the members\' UNIQ_KEYs joined by commas', async () => {
    const { producer, calls } = await harness();
    const members = [msg('a'.repeat(5000)), msg('b')];
    const result = await producer.send(members);
    const call = calls[0]!;
    expect(call.header.batch).toBe(true);
    expect(call.header.sysFlag).toBe(0); // batches are never compressed
    const decoded = decodeBatchMessages(call.body)!;
    expect(decoded.map((m) => [m.body.length, getUniqID(m)])).toEqual(members.map((m) => [m.body.length, getUniqID(m)]));
    expect(result.msgId).toBe(members.map((m) => getUniqID(m)).join(','));
    expect(call.header.properties).toBe('WAIT\u0001true\u0002');
    await expect(producer.send([msg('a'), msg('b', 'TopicB')])).rejects.toThrow('The topic of the messages in one batch should be the same');
  });

  it('send(msg, selector, arg) and send(msg, mq) go to the chosen queue and never retry', async () => {
    const { producer, calls, answer, respond } = await harness();
    await producer.send(msg(), new SelectMessageQueueByHash(), 'order-17');
    const queues = producer.defaultMQProducerImpl.topicPublishInfoTable.get('TopicA')!.messageQueueList;
    // Java: abs("order-17".hashCode() % 4); "order-17".hashCode() = 1234255109 → 1.
    expect([calls[0]!.brokerName, calls[0]!.header.queueId]).toEqual([queues[1]!.brokerName, queues[1]!.queueId]);
    await producer.send(msg(), { topic: 'TopicA', brokerName: 'broker-b', queueId: 1 });
    expect([calls[1]!.brokerName, calls[1]!.header.queueId]).toEqual(['broker-b', 1]);
    respond(async (call) => answer(call, ResponseCode.SYSTEM_ERROR));
    await expect(producer.send(msg(), { topic: 'TopicA', brokerName: 'broker-a', queueId: 0 })).rejects.toBeInstanceOf(MQBrokerError);
    expect(calls).toHaveLength(3);
  });

  it('sendAsync() puts every request on the wire before any answer arrives once the route is cached', async () => {
    const { producer, calls, respond, clock } = await harness();
    await producer.send(msg());
    const gates: Array<() => void> = [];
    respond((call) => new Promise<SendResult>((resolve) => gates.push(() => resolve({
      sendStatus: 'SEND_OK', msgId: getUniqID(call.msg)!, offsetMsgId: '', messageQueue: { topic: 'TopicA', brokerName: call.brokerName, queueId: call.header.queueId },
      queueOffset: 0, regionId: 'DefaultRegion', traceOn: true,
    }))));
    const pending = Array.from({ length: 5 }, () => producer.sendAsync(msg()));
    expect(calls).toHaveLength(6); // synchronous: no await happened in between
    expect(calls.slice(1).every((c) => c.mode === 'ASYNC')).toBe(true);
    for (const open of gates) open();
    expect((await Promise.all(pending)).map((r) => r.sendStatus)).toEqual(Array(5).fill('SEND_OK'));
    expect(clock.now()).toBe(1_700_000_000_000);
  });

  it('sendAsync() retries a transport error on another broker but not a broker error, and calls the callback', async () => {
    const { producer, calls, answer, respond } = await harness();
    respond(async (call) => {
      if (calls.length === 1) throw new RemotingConnectError(call.addr);
      return answer(call);
    });
    const outcomes: Array<[string | undefined, string | undefined]> = [];
    await producer.sendAsync(msg(), (error, result) => outcomes.push([error?.name, result?.sendStatus]));
    expect(calls.map((c) => c.brokerName)[1]).not.toBe(calls[0]!.brokerName);
    respond(async (call) => answer(call, ResponseCode.TOPIC_NOT_EXIST));
    await producer.sendAsync(msg(), (error, result) => outcomes.push([error?.name, result?.sendStatus])).catch(() => undefined);
    expect(calls).toHaveLength(3);
    expect(outcomes).toEqual([[undefined, 'SEND_OK'], ['MQBrokerError', undefined]]);
  });

  it('sendOneway() sends once with the ONEWAY mode and resolves without a result', async () => {
    const { producer, calls } = await harness();
    await expect(producer.sendOneway(msg())).resolves.toBeUndefined();
    expect(calls.map((c) => c.mode)).toEqual(['ONEWAY']);
  });

  it('send() to a topic neither the topic nor TBW102 routes fails with "No route info of this topic", naming a name-server failure', async () => {
    const { producer, routeLookups } = await harness();
    await expect(producer.send(msg('x', 'Missing'))).rejects.toThrow(/^No route info of this topic: Missing$/);
    expect(routeLookups).toEqual(['Missing', 'TBW102']);
    const api = producer.mQClientFactory.mqClientAPIImpl;
    api.getTopicRouteInfoFromNameServer = async () => {
      throw new MQClientError(ClientErrorCode.NO_NAME_SERVER_EXCEPTION, 'name server unreachable: 10.0.0.1:9876 (refused)');
    };
    const error = (await producer.send(msg('x', 'Other')).catch((e: unknown) => e)) as MQClientError;
    expect(error.responseCode).toBe(ClientErrorCode.NOT_FOUND_TOPIC_EXCEPTION);
    expect(error.message).toBe('No route info of this topic: Other; name server unreachable: 10.0.0.1:9876 (refused)');
  });

  it('start() refuses a second producer of the same group in one instance, and send() before start() fails', async () => {
    const { producer } = await harness();
    const twin = new DefaultMQProducer({ platform: producer.mQClientFactory.platform, events: new RecordingSink(new ManualClock(0)), producerGroup: 'pg', clientInstance: producer.mQClientFactory });
    await expect(twin.send(msg())).rejects.toThrow('The producer service state not OK, CREATE_JUST');
    await expect(twin.start()).rejects.toThrow('The producer group[pg] has been created before, specify another name please.');
  });
});
