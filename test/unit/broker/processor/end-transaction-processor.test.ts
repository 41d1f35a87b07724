// The prepare and END_TRANSACTION paths on a real store, driven by raw RemotingCommands as a
// Java producer sends them: a half message is invisible to a pull of its real topic; a
// commit makes it visible as a type-8 record pointing back at the half record and writes one
// op record ("<halfQueueOffset>", tags "d"); a rollback never makes it visible; a header
// that does not match the half message is refused with SYSTEM_ERROR and writes nothing.
import { describe, expect, it } from 'vitest';
import { parseEndTransactionRequestHeader, UNKNOWN_STATE_REMARK } from '../../../../src/broker/processor/end-transaction-processor.js';
import { HALF_TOPIC, OP_TOPIC } from '../../../../src/broker/transaction/transactional-message-util.js';
import { decodeUtf8 } from '../../../../src/common/bytes.js';
import { decodeMessages } from '../../../../src/common/message/message-decoder.js';
import { createMessageIdFromHost } from '../../../../src/common/message/message-id.js';
import { getTransactionValue } from '../../../../src/common/message/message-sys-flag.js';
import { RequestCode } from '../../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../../src/common/protocol/response-code.js';
import { createRequestCommand, type RemotingCommand } from '../../../../src/remoting/remoting-command.js';
import { DefaultConsumerIdsChangeListener } from '../../../../src/broker/client/consumer-ids-change-listener.js';
import { ConsumerManager } from '../../../../src/broker/client/consumer-manager.js';
import { PullRequestHoldService } from '../../../../src/broker/longpolling/pull-request-hold-service.js';
import { PullMessageProcessor, PullSysFlag } from '../../../../src/broker/processor/pull-message-processor.js';
import { FakeContext } from './pull-test-support.js';
import { STORE_HOST, txBroker as txBrokerOnly, txWorld, type TxWorld, type TxBrokerOptions } from '../transaction/tx-test-support.js';

/** The transactional rig plus a PullMessageProcessor, to pull the real topic as a consumer would. */
function txBroker(world: TxWorld, options: TxBrokerOptions = {}) {
  const rig = txBrokerOnly(world, options);
  const { process: clock, events, brokerConfig, storeConfig, store, topicConfigManager, subscriptionGroupManager, consumerOffsetManager, broker2Client } = rig;
  const consumerIdsChangeListener = new DefaultConsumerIdsChangeListener({ broker2Client, brokerConfig, events });
  const consumerManager = new ConsumerManager({ clock, events, consumerIdsChangeListener });
  const pullRequestHoldService = new PullRequestHoldService({ clock, events, messageStore: store, brokerConfig });
  const pullProcessor = new PullMessageProcessor({
    brokerConfig, storeConfig, messageStore: store, topicConfigManager, subscriptionGroupManager, consumerManager, consumerOffsetManager,
    pullRequestHoldService, clock, events,
  });
  /** A pull with subscription "*" and no suspension, of one queue from `queueOffset`. */
  const pull = async (topic: string, queueId: number, queueOffset = 0): Promise<RemotingCommand> => {
    const request = createRequestCommand(RequestCode.PULL_MESSAGE, {
      consumerGroup: 'CG', topic, queueId, queueOffset, maxMsgNums: 32, sysFlag: PullSysFlag.FLAG_SUBSCRIPTION, commitOffset: 0,
      suspendTimeoutMillis: 0, subscription: '*', subVersion: 1,
    });
    const response = await pullProcessor.processRequest(new FakeContext(), request);
    if (response === null) throw new Error('pull was held');
    return response;
  };
  return { ...rig, pull };
}

describe('SendMessageProcessor (prepared messages)', () => {
  it('processRequest(SEND_MESSAGE_V2, TRAN_MSG=true) stores a half message invisible to a pull of the real topic', async () => {
    const world = txWorld();
    const { prepare, pull, read, sink } = txBroker(world);
    const response = await prepare({}, { DELAY: '3' });
    expect(response.code).toBe(ResponseCode.SUCCESS);
    // The half record's offset msgId, the queue the producer asked for, the half queue offset.
    expect([response.getString('msgId'), response.getInt('queueId'), response.getLong('queueOffset')]).toEqual([createMessageIdFromHost(STORE_HOST, 0), 2, 0]);

    const [half, ...more] = read(HALF_TOPIC, 0);
    expect(more).toEqual([]);
    expect([half!.queueId, half!.queueOffset, half!.commitLogOffset, getTransactionValue(half!.sysFlag)]).toEqual([0, 0, 0, 0]);
    expect(Object.fromEntries(half!.properties)).toMatchObject({ REAL_TOPIC: 'TopicA', REAL_QID: '2', TRAN_MSG: 'true', PGROUP: 'pg', UNIQ_KEY: 'UNIQ-1' });
    expect(half!.properties.has('DELAY')).toBe(false); // dropped: the store would divert it to the schedule topic

    const pulled = await pull('TopicA', 2);
    expect(pulled.code).toBe(ResponseCode.PULL_NOT_FOUND);
    expect(pulled.body).toBeUndefined();
    expect(sink.ofKind('broker.tx.half-stored').map((e) => [e.data, e.msg?.tx])).toEqual([[{
      producerGroup: 'pg', realTopic: 'TopicA', realQueueId: 2, halfQueueOffset: 0, commitLogOffset: 0, offsetMsgId: createMessageIdFromHost(STORE_HOST, 0),
      status: 'PUT_OK', delayDropped: 3,
    }, 'half']]);
  });
});

describe('EndTransactionProcessor', () => {
  it('processRequest(END_TRANSACTION commit, one-way) stores the real message as a type-8 record and exactly one op record "0"', async () => {
    const world = txWorld();
    const { prepare, end, pull, read, sink } = txBroker(world);
    await prepare();
    await prepare({}, {}, 'UNIQ-2'); // a second half at queue offset 1, left undecided
    const halfSize = read(HALF_TOPIC, 0)[0]!.storeSize;
    const response = await end({ tranStateTableOffset: 0, commitLogOffset: 0 });
    expect(response?.code).toBe(ResponseCode.SUCCESS);

    const pulled = await pull('TopicA', 2);
    expect(pulled.code).toBe(ResponseCode.SUCCESS);
    const [committed, ...more] = decodeMessages(pulled.body!);
    expect(more).toEqual([]);
    expect(committed!.topic).toBe('TopicA');
    expect([committed!.queueId, committed!.queueOffset, getTransactionValue(committed!.sysFlag), committed!.preparedTransactionOffset]).toEqual([2, 0, 8, 0]);
    expect(committed!.commitLogOffset).toBe(2 * halfSize); // a new record after both halves
    expect(decodeUtf8(committed!.body)).toBe('hello');
    // The properties string was built before REAL_TOPIC/REAL_QID/TRAN_MSG left the map, as in Java.
    expect(Object.fromEntries(committed!.properties)).toMatchObject({ REAL_TOPIC: 'TopicA', REAL_QID: '2', TRAN_MSG: 'true', UNIQ_KEY: 'UNIQ-1', TAGS: 'TagA' });

    const ops = read(OP_TOPIC, 0);
    expect(ops.map((op) => [decodeUtf8(op.body), op.tags, op.queueOffset, op.sysFlag, op.bornHost, op.getProperty('WAIT')])).toEqual([['0', 'd', 0, 0, STORE_HOST, 'false']]);
    expect(ops[0]!.getProperty('UNIQ_KEY')).toMatch(/^[0-9A-F]{32}$/);
    expect(sink.ofKind('broker.tx.ended').map((e) => [e.data.outcome, e.data.commitQueueOffset, e.msg?.tx, e.why?.outcome])).toEqual([['committed', 0, 'commit', 'committed']]);
    expect(sink.ofKind('broker.tx.op-written').map((e) => e.data)).toEqual([{ halfQueueId: 0, halfQueueOffset: 0, opQueueOffset: 0, opPhysOffset: ops[0]!.commitLogOffset, status: 'PUT_OK' }]);
  });

  it('processRequest(END_TRANSACTION rollback) writes only the op record; the message never becomes visible', async () => {
    const world = txWorld();
    const { prepare, end, pull, read, store } = txBroker(world);
    await prepare();
    const response = await end({ tranStateTableOffset: 0, commitLogOffset: 0, commitOrRollback: 12 }, false);
    expect(response?.code).toBe(ResponseCode.SUCCESS);
    expect(store.getMaxOffsetInQueue('TopicA', 2)).toBe(0);
    expect((await pull('TopicA', 2)).code).toBe(ResponseCode.PULL_NOT_FOUND);
    expect(read(OP_TOPIC, 0).map((op) => [decodeUtf8(op.body), op.tags])).toEqual([['0', 'd']]);
  });

  it('processRequest() refuses a header that does not match the half message with SYSTEM_ERROR and writes nothing', async () => {
    const world = txWorld();
    const { prepare, end, store, sink } = txBroker(world);
    await prepare();
    await prepare({}, {}, 'UNIQ-2');
    const second = store.lookMessageByOffset(store.getCommitLogOffsetInQueue(HALF_TOPIC, 0, 1))!;
    const before = store.getMaxPhyOffset();
    const refusals = [
      await end({ tranStateTableOffset: 0, commitLogOffset: 0, producerGroup: 'other' }, false),
      await end({ tranStateTableOffset: 1, commitLogOffset: 0 }, false),
      await end({ tranStateTableOffset: 1, commitLogOffset: 1 }, false), // not the start of a record
      await end({ tranStateTableOffset: 0, commitLogOffset: 999_999 }, false),
      await end({ tranStateTableOffset: 1, commitLogOffset: second.commitLogOffset, commitOrRollback: 12, producerGroup: 'pg2' }, false),
    ];
    expect(refusals.map((r) => [r?.code, r?.remark])).toEqual([
      [ResponseCode.SYSTEM_ERROR, 'The producer group wrong'],
      [ResponseCode.SYSTEM_ERROR, 'The transaction state table offset wrong'],
      [ResponseCode.SYSTEM_ERROR, 'Find prepared transaction message failed'],
      [ResponseCode.SYSTEM_ERROR, 'Find prepared transaction message failed'],
      [ResponseCode.SYSTEM_ERROR, 'The producer group wrong'],
    ]);
    expect(store.getMaxPhyOffset()).toBe(before);
    expect(sink.ofKind('broker.tx.ended').map((e) => e.data.outcome)).toEqual(['refused', 'refused', 'refused', 'refused', 'refused']);
  });

  it('processRequest() refuses a committed record as the target: only half messages can be ended', async () => {
    const world = txWorld();
    const { prepare, end, read, store } = txBroker(world);
    await prepare();
    await end({ tranStateTableOffset: 0, commitLogOffset: 0 });
    const committed = read('TopicA', 2)[0]!;
    const again = await end({ tranStateTableOffset: 0, commitLogOffset: committed.commitLogOffset }, false);
    expect([again?.code, again?.remark]).toEqual([ResponseCode.SYSTEM_ERROR, 'Find prepared transaction message failed']);
    expect(store.getMaxOffsetInQueue('TopicA', 2)).toBe(1);
  });

  it('processRequest() does nothing for type 0 (answering only a two-way request), answers SLAVE_NOT_AVAILABLE on a slave, and SYSTEM_ERROR for a bad header', async () => {
    const world = txWorld();
    const { prepare, end, store, endProcessor } = txBroker(world);
    await prepare();
    const before = store.getMaxPhyOffset();
    expect(await end({ tranStateTableOffset: 0, commitLogOffset: 0, commitOrRollback: 0 })).toBeNull(); // one-way: no answer, as Java
    const twoWay = await end({ tranStateTableOffset: 0, commitLogOffset: 0, commitOrRollback: 0 }, false);
    expect([twoWay?.code, twoWay?.remark]).toEqual([ResponseCode.SUCCESS, UNKNOWN_STATE_REMARK]);
    const missing = await end({ commitLogOffset: 0 }, false);
    expect([missing?.code, missing?.remark]).toEqual([ResponseCode.SYSTEM_ERROR, 'the custom header field "tranStateTableOffset" is missing']);
    const wrongType = await end({ tranStateTableOffset: 0, commitLogOffset: 0, commitOrRollback: 4 }, false);
    expect([wrongType?.code, wrongType?.remark]).toEqual([ResponseCode.SYSTEM_ERROR, 'the custom header field "commitOrRollback" is wrong: 4 (0, 8 or 12)']);
    const notNumber = await end({ tranStateTableOffset: 'x', commitLogOffset: 0 }, false);
    expect(notNumber?.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(store.getMaxPhyOffset()).toBe(before);

    const slave = txBroker(txWorld(), { store: { brokerRole: 'SLAVE' } });
    const request = createRequestCommand(RequestCode.END_TRANSACTION, {
      producerGroup: 'pg', tranStateTableOffset: 0, commitLogOffset: 0, commitOrRollback: 8, msgId: 'UNIQ-1',
    });
    const refused = await slave.endProcessor.processRequest({} as never, request);
    expect(refused?.code).toBe(ResponseCode.SLAVE_NOT_AVAILABLE);
    void endProcessor;
  });

  it('parseEndTransactionRequestHeader() reads every field; fromTransactionCheck defaults to false', () => {
    const request = createRequestCommand(RequestCode.END_TRANSACTION, {
      producerGroup: 'pg', tranStateTableOffset: '17', commitLogOffset: '4096', commitOrRollback: '12', msgId: 'U', transactionId: 'T',
    });
    expect(parseEndTransactionRequestHeader(request)).toEqual({
      producerGroup: 'pg', tranStateTableOffset: 17, commitLogOffset: 4096, commitOrRollback: 12, fromTransactionCheck: false, msgId: 'U', transactionId: 'T',
    });
  });
});
