// Goal: the transactional producer as Java 4.9 behaves: the half message's send header
// (sysFlag PREPARED, TRAN_MSG, PGROUP, no DELAY), the exact END_TRANSACTION header after
// commit, rollback, unknown, a throwing listener and a send that was not SEND_OK, the
// errors when the half message cannot be sent, and the answers to CHECK_TRANSACTION_STATE
// (queued, serial, with the broker's offsets and fromTransactionCheck=true).
// Method: a real TransactionMQProducer on a ManualClock and SimNetwork, talking to a
// scripted fake name server and a scripted fake broker (RemotingServer) that record every
// request and can call the producer back on its connection.
import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../../../../src/common/message/message-decoder.js';
import { MessageExt } from '../../../../src/common/message/message-ext.js';
import { createMessageIdFromHost } from '../../../../src/common/message/message-id.js';
import { string2messageProperties } from '../../../../src/common/message/message-properties.js';
import { Message } from '../../../../src/common/message/message.js';
import { RequestCode } from '../../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../../src/common/protocol/response-code.js';
import { encodeTopicRouteData } from '../../../../src/common/protocol/route/topic-route-data.js';
import { NodeEvents, RecordingSink } from '../../../../src/events/event-sink.js';
import { SeededRandom } from '../../../../src/platform/random.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import { SimNetwork } from '../../../../src/platform/sim/sim-network.js';
import type { Connection } from '../../../../src/platform/transport.js';
import { createRequestCommand, createResponseCommand, isOneway, type RemotingCommand } from '../../../../src/remoting/remoting-command.js';
import { RemotingServer } from '../../../../src/remoting/remoting-server.js';
import { MQClientError } from '../../../../src/client/errors.js';
import type { LocalTransactionState } from '../../../../src/client/producer/local-transaction-state.js';
import { TransactionMQProducer, type TransactionMQProducerOptions } from '../../../../src/client/producer/transaction-mq-producer.js';

const NAMESRV = '10.0.0.1:9876';
const BROKER = '10.0.0.2:10911';
const ROUTE = encodeTopicRouteData({
  queueDatas: [{ brokerName: 'broker-a', readQueueNums: 1, writeQueueNums: 1, perm: 6, topicSysFlag: 0 }],
  brokerDatas: [{ cluster: 'c', brokerName: 'broker-a', brokerAddrs: new Map([[0, BROKER]]) }],
  filterServerTable: new Map(),
});

type Answer = LocalTransactionState | Promise<LocalTransactionState>;

async function harness(options: Partial<TransactionMQProducerOptions> = {}) {
  const clock = new ManualClock(1_700_000_000_000);
  const random = new SeededRandom(11);
  const sink = new RecordingSink(clock);
  const network = new SimNetwork({ clock, random });
  const settle = async <T>(promise: Promise<T>): Promise<T> => {
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    promise.then((value) => (outcome = { ok: true, value }), (error: unknown) => (outcome = { ok: false, error }));
    await clock.runUntil(() => outcome !== undefined, 30_000);
    if (!outcome!.ok) throw outcome!.error;
    return outcome!.value;
  };

  const namesrv = new RemotingServer({ transport: network.host('10.0.0.1'), clock, events: new NodeEvents(sink, 'namesrv') });
  namesrv.registerDefaultProcessor({
    rejectRequest: () => false,
    processRequest: (_ctx, request) => {
      if (request.code !== RequestCode.GET_ROUTEINFO_BY_TOPIC || request.extFields?.['topic'] !== 'TopicA') return createResponseCommand(ResponseCode.TOPIC_NOT_EXIST, 'no route');
      const response = createResponseCommand(ResponseCode.SUCCESS);
      response.body = ROUTE;
      return response;
    },
  });
  await settle(namesrv.start(NAMESRV));

  /** The broker's script: the code of the next send responses, and the offsets it hands out. */
  const script = { sendCode: ResponseCode.SUCCESS as number, physOffset: 4096, queueOffset: 0 };
  const received: RemotingCommand[] = [];
  let producerConnection: Connection | undefined;
  const broker = new RemotingServer({ transport: network.host('10.0.0.2'), clock, events: new NodeEvents(sink, 'broker-a') });
  broker.registerDefaultProcessor({
    rejectRequest: () => false,
    processRequest: (ctx, request) => {
      received.push(request);
      producerConnection = ctx.connection;
      if (request.code === RequestCode.END_TRANSACTION) return null;
      if (request.code !== RequestCode.SEND_MESSAGE_V2) return createResponseCommand(ResponseCode.SUCCESS);
      const response = createResponseCommand(script.sendCode, script.sendCode === 0 ? undefined : `code ${script.sendCode}`);
      response.addExtFields({ msgId: createMessageIdFromHost(BROKER, script.physOffset), queueId: request.extFields!['e']!, queueOffset: script.queueOffset, MSG_REGION: 'DefaultRegion', TRACE_ON: 'true' });
      script.physOffset += 300;
      script.queueOffset += 1;
      return response;
    },
  });
  await settle(broker.start(BROKER));

  const log: string[] = [];
  const answers = {
    execute: (_msg: Message, _arg: unknown): Answer => 'COMMIT_MESSAGE',
    check: (_msg: MessageExt): Answer => 'COMMIT_MESSAGE',
  };
  const producer = new TransactionMQProducer({
    platform: { clock, random, fs: new MemoryFileSystem(), transport: network.host('10.0.0.5') },
    events: sink,
    node: 'producer-1',
    producerGroup: 'pg',
    namesrvAddr: NAMESRV,
    clientConfig: { clientIP: '10.0.0.5', pid: 77 },
    transactionListener: {
      executeLocalTransaction: (msg, arg) => {
        log.push(`execute ${msg.transactionId} ${String(arg)}`);
        return answers.execute(msg, arg);
      },
      checkLocalTransaction: (msg) => {
        log.push(`check ${msg.transactionId} ${msg.topic}`);
        return answers.check(msg);
      },
    },
    ...options,
  });
  await settle(producer.start());

  const ends = () => received.filter((r) => r.code === RequestCode.END_TRANSACTION);
  const sends = () => received.filter((r) => r.code === RequestCode.SEND_MESSAGE_V2);
  /** Wait until the broker has received `n` END_TRANSACTION requests. */
  const untilEnds = (n: number) => clock.runUntil(() => ends().length >= n, 30_000);
  /** The broker calls the producer back about a half message (as its check service does). */
  const checkBack = (header: { tranStateTableOffset: number; commitLogOffset: number; uniqKey: string }, topic = 'TopicA') => {
    const half = new MessageExt({ topic, body: new Uint8Array([1, 2]), storeHost: BROKER, bornHost: '10.0.0.5:50000', commitLogOffset: header.commitLogOffset });
    half.putProperty('UNIQ_KEY', header.uniqKey);
    half.putProperty('PGROUP', 'pg');
    half.putProperty('TRAN_MSG', 'true');
    const request = createRequestCommand(RequestCode.CHECK_TRANSACTION_STATE, {
      tranStateTableOffset: header.tranStateTableOffset, commitLogOffset: header.commitLogOffset, msgId: header.uniqKey, transactionId: header.uniqKey,
      offsetMsgId: createMessageIdFromHost(BROKER, header.commitLogOffset),
    });
    request.body = encodeMessage(half);
    broker.invokeOneway(producerConnection!, request);
  };
  return { clock, sink, producer, script, received, ends, sends, untilEnds, checkBack, settle, log, answers };
}

const txMsg = () => {
  const msg = Message.create('TopicA', new TextEncoder().encode('order-1'), { tags: 'TagA', keys: 'order-1' });
  msg.delayTimeLevel = 3;
  return msg;
};

describe('TransactionMQProducer', () => {
  it('sendMessageInTransaction() sends a PREPARED half message without DELAY, runs the listener, and commits with the exact END_TRANSACTION header', async () => {
    const { producer, settle, sends, ends, untilEnds, log, sink } = await harness();
    const msg = txMsg();
    const result = await settle(producer.sendMessageInTransaction(msg, 'arg-1'));
    const uniqKey = msg.getProperty('UNIQ_KEY')!;

    const send = sends()[0]!;
    expect(send.extFields!['f']).toBe('4'); // sysFlag TRANSACTION_PREPARED_TYPE
    const props = string2messageProperties(send.extFields!['i']);
    expect([props.get('TRAN_MSG'), props.get('PGROUP'), props.get('DELAY'), props.get('UNIQ_KEY')]).toEqual(['true', 'pg', undefined, uniqKey]);
    expect(log).toEqual([`execute ${uniqKey} arg-1`]);
    expect(result).toMatchObject({ sendStatus: 'SEND_OK', msgId: uniqKey, offsetMsgId: createMessageIdFromHost(BROKER, 4096), queueOffset: 0, localTransactionState: 'COMMIT_MESSAGE' });

    await untilEnds(1);
    const end = ends()[0]!;
    expect(isOneway(end)).toBe(true);
    expect(end.remark).toBeUndefined();
    expect(end.extFields).toEqual({
      producerGroup: 'pg', tranStateTableOffset: '0', commitLogOffset: '4096', commitOrRollback: '8', fromTransactionCheck: 'false', msgId: uniqKey,
    });
    expect(sink.ofKind('client.tx.half-sent').map((e) => [e.data.queueOffset, e.msg?.topic, e.msg?.physOffset, e.msg?.realTopic])).toEqual([[0, 'RMQ_SYS_TRANS_HALF_TOPIC', 4096, 'TopicA']]);
    expect(sink.ofKind('client.tx.local-executed').map((e) => [e.data.state, e.why?.rule])).toEqual([['COMMIT_MESSAGE', 'listener-answered']]);
    expect(sink.ofKind('client.tx.end-sent').map((e) => [e.data.brokerAddr, e.data.commitOrRollback, e.data.fromTransactionCheck, e.data.ok])).toEqual([[BROKER, 8, false, true]]);
  });

  it('sendMessageInTransaction() sends commitOrRollback 12 for ROLLBACK_MESSAGE and 0 for UNKNOW, with each half message\'s own offsets', async () => {
    const { producer, settle, ends, untilEnds, answers } = await harness();
    answers.execute = () => 'ROLLBACK_MESSAGE';
    const rolledBack = await settle(producer.sendMessageInTransaction(txMsg()));
    answers.execute = () => Promise.resolve('UNKNOW');
    const unknown = await settle(producer.sendMessageInTransaction(txMsg()));
    await untilEnds(2);
    expect([rolledBack.localTransactionState, unknown.localTransactionState]).toEqual(['ROLLBACK_MESSAGE', 'UNKNOW']);
    expect(ends().map((r) => [r.extFields!['commitOrRollback'], r.extFields!['commitLogOffset'], r.extFields!['tranStateTableOffset'], r.extFields!['msgId']])).toEqual([
      ['12', '4096', '0', rolledBack.msgId],
      ['0', '4396', '1', unknown.msgId],
    ]);
  });

  it('sendMessageInTransaction() reports UNKNOW with the exception as remark when the listener throws', async () => {
    const { producer, settle, ends, untilEnds, answers, sink } = await harness();
    answers.execute = () => {
      throw new Error('db down');
    };
    const result = await settle(producer.sendMessageInTransaction(txMsg()));
    await untilEnds(1);
    expect(result.localTransactionState).toBe('UNKNOW');
    expect(ends()[0]!.extFields!['commitOrRollback']).toBe('0');
    expect(ends()[0]!.remark).toBe('executeLocalTransactionBranch exception: Error: db down');
    expect(sink.ofKind('client.tx.local-executed').map((e) => [e.data.state, e.data.error, e.why?.rule])).toEqual([['UNKNOW', 'Error: db down', 'listener-threw-is-unknown']]);
  });

  it('sendMessageInTransaction() rolls back without running the listener when the half send is stored but not SEND_OK (FLUSH_DISK_TIMEOUT)', async () => {
    const { producer, settle, ends, untilEnds, script, log } = await harness();
    script.sendCode = ResponseCode.FLUSH_DISK_TIMEOUT;
    const result = await settle(producer.sendMessageInTransaction(txMsg()));
    await untilEnds(1);
    expect([result.sendStatus, result.localTransactionState]).toEqual(['FLUSH_DISK_TIMEOUT', 'ROLLBACK_MESSAGE']);
    expect(log).toEqual([]);
    expect(ends()[0]!.extFields).toMatchObject({ commitOrRollback: '12', commitLogOffset: '4096', tranStateTableOffset: '0' });
  });

  it('sendMessageInTransaction() rejects with "send message Exception" and sends no END_TRANSACTION when the half message is refused', async () => {
    const { producer, settle, ends, script, log, clock } = await harness();
    script.sendCode = ResponseCode.MESSAGE_ILLEGAL;
    const error = (await settle(producer.sendMessageInTransaction(txMsg())).catch((e: unknown) => e)) as MQClientError;
    expect(error).toBeInstanceOf(MQClientError);
    expect(error.message).toMatch(/^send message Exception: MQBrokerError: CODE: 13/);
    await clock.advance(1000);
    expect([ends(), log]).toEqual([[], []]);
  });

  it('sendMessageInTransaction() needs a listener and a valid message', async () => {
    const { producer, settle, sends } = await harness({ transactionListener: undefined });
    await expect(settle(producer.sendMessageInTransaction(txMsg()))).rejects.toThrow('TransactionListener is null');
    producer.transactionListener = { executeLocalTransaction: () => 'COMMIT_MESSAGE', checkLocalTransaction: () => 'COMMIT_MESSAGE' };
    await expect(settle(producer.sendMessageInTransaction(new Message({ topic: 'TopicA' })))).rejects.toBeInstanceOf(MQClientError);
    expect(sends()).toEqual([]);
  });

  it('answers CHECK_TRANSACTION_STATE with the broker\'s offsets, fromTransactionCheck=true, to the broker that asked', async () => {
    const { producer, settle, ends, untilEnds, checkBack, answers, log, sink } = await harness();
    await settle(producer.sendMessageInTransaction(txMsg())); // opens the connection the broker calls back on
    await untilEnds(1);
    const verdicts: Answer[] = ['COMMIT_MESSAGE', 'ROLLBACK_MESSAGE', 'UNKNOW'];
    answers.check = () => verdicts.shift()!;
    checkBack({ tranStateTableOffset: 7, commitLogOffset: 9000, uniqKey: 'U7' });
    checkBack({ tranStateTableOffset: 8, commitLogOffset: 9300, uniqKey: 'U8' });
    checkBack({ tranStateTableOffset: 9, commitLogOffset: 9600, uniqKey: 'U9' });
    await untilEnds(4);
    expect(log.slice(1)).toEqual(['check U7 TopicA', 'check U8 TopicA', 'check U9 TopicA']);
    expect(ends().slice(1).map((r) => [isOneway(r), r.remark, r.extFields])).toEqual([
      [true, undefined, { producerGroup: 'pg', tranStateTableOffset: '7', commitLogOffset: '9000', commitOrRollback: '8', fromTransactionCheck: 'true', msgId: 'U7', transactionId: 'U7' }],
      [true, undefined, { producerGroup: 'pg', tranStateTableOffset: '8', commitLogOffset: '9300', commitOrRollback: '12', fromTransactionCheck: 'true', msgId: 'U8', transactionId: 'U8' }],
      [true, undefined, { producerGroup: 'pg', tranStateTableOffset: '9', commitLogOffset: '9600', commitOrRollback: '0', fromTransactionCheck: 'true', msgId: 'U9', transactionId: 'U9' }],
    ]);
    expect(sink.ofKind('client.tx.check-answered').map((e) => [e.data.uniqKey, e.data.brokerAddr, e.data.state])).toEqual([
      ['U7', BROKER, 'COMMIT_MESSAGE'], ['U8', BROKER, 'ROLLBACK_MESSAGE'], ['U9', BROKER, 'UNKNOW'],
    ]);
  });

  it('answers a check whose listener throws with UNKNOW and the exception as remark', async () => {
    const { producer, settle, ends, untilEnds, checkBack, answers } = await harness();
    await settle(producer.sendMessageInTransaction(txMsg()));
    answers.check = () => {
      throw new TypeError('lookup failed');
    };
    checkBack({ tranStateTableOffset: 3, commitLogOffset: 700, uniqKey: 'U3' });
    await untilEnds(2);
    expect([ends()[1]!.extFields!['commitOrRollback'], ends()[1]!.remark]).toEqual(['0', 'checkLocalTransactionState Exception: TypeError: lookup failed']);
  });

  it('checkTransactionState() never runs the listener on the caller\'s turn, and runs checks one at a time in arrival order', async () => {
    const { producer, clock, ends, untilEnds, answers, log } = await harness();
    const slow = new Promise<LocalTransactionState>((resolve) => clock.setTimer(1000, () => resolve('COMMIT_MESSAGE')));
    const verdicts: Answer[] = [slow, 'ROLLBACK_MESSAGE'];
    answers.check = () => verdicts.shift()!;
    const half = (uniqKey: string) => {
      const m = new MessageExt({ topic: 'TopicA' });
      m.putProperty('UNIQ_KEY', uniqKey);
      return m;
    };
    const inner = producer.defaultMQProducerImpl;
    inner.checkTransactionState!(BROKER, half('A'), { tranStateTableOffset: 1, commitLogOffset: 10 });
    inner.checkTransactionState!(BROKER, half('B'), { tranStateTableOffset: 2, commitLogOffset: 20 });
    expect(log).toEqual([]); // queued, not run inline
    await Promise.resolve();
    await clock.advance(500);
    expect(log).toEqual(['check A TopicA']); // B waits for A's slow answer
    await untilEnds(2);
    expect(log).toEqual(['check A TopicA', 'check B TopicA']);
    expect(ends().map((r) => [r.extFields!['msgId'], r.extFields!['commitOrRollback'], r.extFields!['transactionId']])).toEqual([['A', '8', undefined], ['B', '12', undefined]]);
  });

  it('drops a check beyond checkRequestHoldMax, and every check when there is no listener', async () => {
    const { producer, untilEnds, ends, sink, clock } = await harness({ checkRequestHoldMax: 1 });
    const inner = producer.defaultMQProducerImpl;
    const half = new MessageExt({ topic: 'TopicA' });
    half.putProperty('UNIQ_KEY', 'Q');
    inner.checkTransactionState!(BROKER, half, { tranStateTableOffset: 1, commitLogOffset: 10 });
    inner.checkTransactionState!(BROKER, half, { tranStateTableOffset: 1, commitLogOffset: 10 });
    await untilEnds(1);
    producer.transactionListener = undefined;
    inner.checkTransactionState!(BROKER, half, { tranStateTableOffset: 1, commitLogOffset: 10 });
    await clock.advance(1000);
    expect(ends()).toHaveLength(1);
    expect(sink.ofKind('client.tx.check-dropped').map((e) => [e.data.reason, e.data.pending])).toEqual([['queue-full', 1], ['no-listener', 0]]);
  });
});
