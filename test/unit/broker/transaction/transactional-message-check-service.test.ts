// TransactionalMessageCheckService on virtual time, over a real store: the first round one
// interval after start, immunity, exactly transactionCheckMax (15) checks for a producer that
// never answers and then the move to TRANS_CHECK_MAX_TIME_TOPIC, a producer's answer to a
// check ending the transaction, and a broker restart that resumes the checks where the
// persisted CID_RMQ_SYS_TRANS offsets say.
import { describe, expect, it } from 'vitest';
import { HALF_TOPIC, OP_TOPIC, TRANS_CONSUMER_GROUP } from '../../../../src/broker/transaction/transactional-message-util.js';
import { decodeMessage } from '../../../../src/common/message/message-decoder.js';
import { createMessageIdFromHost } from '../../../../src/common/message/message-id.js';
import { getTransactionValue } from '../../../../src/common/message/message-sys-flag.js';
import { RequestCode } from '../../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../../src/common/protocol/response-code.js';
import { PRODUCER_ADDR, STORE_HOST, T0, txBroker, txWorld, type TxBroker } from './tx-test-support.js';

/** The CHECK_TRANSACTION_STATE requests handed to the server (which marks them one-way), as the producer would read them. */
function checksOf(broker: TxBroker) {
  return broker.checks.map(({ connection, request }) => {
    const body = decodeMessage(request.body!)!;
    return {
      to: connection.remoteAddress, code: request.code,
      tranStateTableOffset: request.getLong('tranStateTableOffset'), commitLogOffset: request.getLong('commitLogOffset'),
      offsetMsgId: request.getString('offsetMsgId'), msgId: request.optString('msgId'), transactionId: request.optString('transactionId'),
      topic: body.topic, queueId: body.queueId, checkTimes: body.getProperty('TRANSACTION_CHECK_TIMES'),
    };
  });
}

describe('TransactionalMessageCheckService', () => {
  it('start() runs the first round one interval later and asks a live producer with the re-put copy\'s offsets', async () => {
    const world = txWorld();
    const broker = txBroker(world);
    broker.connectProducer();
    await broker.prepare();
    broker.checkService.start();
    await world.clock.advance(59_000);
    expect(broker.checks).toEqual([]);
    await world.clock.advance(1_100);

    const copy = broker.read(HALF_TOPIC, 0)[1]!;
    expect(copy.queueOffset).toBe(1);
    expect(checksOf(broker)).toEqual([{
      to: PRODUCER_ADDR, code: RequestCode.CHECK_TRANSACTION_STATE, tranStateTableOffset: 1, commitLogOffset: copy.commitLogOffset,
      offsetMsgId: createMessageIdFromHost(STORE_HOST, copy.commitLogOffset), msgId: 'UNIQ-1', transactionId: 'UNIQ-1',
      topic: 'TopicA', queueId: 2, checkTimes: '1',
    }]);
    expect(copy.getProperty('TRANSACTION_CHECK_TIMES')).toBe('1');
    expect(broker.consumerOffsetManager.queryOffset(TRANS_CONSUMER_GROUP, HALF_TOPIC, 0)).toBe(1);
    const [event] = world.sink.ofKind('broker.tx.check-sent');
    expect([event?.data.sent, event?.data.halfOffsetBefore, event?.data.checkTimes, event?.why?.rule, event?.msg?.tx]).toEqual([true, 0, 1, 'transaction-check', 'half']);
  });

  it('checkNow() respects the 6 s immunity (transactionTimeOut) measured from the born timestamp', async () => {
    const world = txWorld();
    const broker = txBroker(world);
    broker.connectProducer();
    await broker.prepare();
    await world.clock.advanceTo(T0 + 5_000);
    await broker.checkService.checkNow();
    expect(broker.checks).toEqual([]);
    expect(world.sink.ofKind('broker.tx.check-round').map((e) => [e.data.stop, e.data.halfOffsetAfter])).toEqual([['immune', 0]]);
    await world.clock.advanceTo(T0 + 6_001);
    await broker.checkService.checkNow();
    expect(checksOf(broker).map((c) => c.tranStateTableOffset)).toEqual([1]);
  });

  it('a producer that never answers gets exactly transactionCheckMax (15) checks, then the half moves to TRANS_CHECK_MAX_TIME_TOPIC', async () => {
    const world = txWorld();
    const broker = txBroker(world, { broker: { transactionCheckInterval: 10_000 } }); // rounds every 10 s keep the virtual run short
    broker.connectProducer();
    await broker.prepare();
    broker.checkService.start();
    await world.clock.advance(20 * 10_000 + 1_000);

    const checks = checksOf(broker);
    expect(checks.map((c) => c.checkTimes)).toEqual(Array.from({ length: 15 }, (_, i) => String(i + 1)));
    expect(checks.map((c) => c.tranStateTableOffset)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    const dead = broker.read('TRANS_CHECK_MAX_TIME_TOPIC', 0);
    expect(dead.map((m) => [m.getProperty('REAL_TOPIC'), m.getProperty('TRANSACTION_CHECK_TIMES'), m.getProperty('UNIQ_KEY')])).toEqual([['TopicA', '15', 'UNIQ-1']]);
    expect(broker.topicConfigManager.selectTopicConfig('TRANS_CHECK_MAX_TIME_TOPIC')?.toString()).toContain('readQueueNums=1, writeQueueNums=1, perm=RW-');
    expect(world.sink.ofKind('broker.tx.discarded').map((e) => [e.data.reason, e.data.checkTimes, e.data.halfQueueOffset, e.data.storedQueueOffset])).toEqual([['check-max', 15, 15, 0]]);
    // The walk moved past the discarded copy: nothing is left to check.
    expect(broker.consumerOffsetManager.queryOffset(TRANS_CONSUMER_GROUP, HALF_TOPIC, 0)).toBe(16);
  });

  it('a producer\'s END_TRANSACTION answering a check (new offsets) commits; later rounds count the op as done', async () => {
    const world = txWorld();
    const broker = txBroker(world);
    broker.connectProducer();
    await broker.prepare();
    await broker.prepare({}, {}, 'UNIQ-2');
    await broker.end({ tranStateTableOffset: 1, commitLogOffset: broker.read(HALF_TOPIC, 0)[1]!.commitLogOffset, msgId: 'UNIQ-2', commitOrRollback: 12 });
    broker.checkService.start();
    await world.clock.advance(60_100);

    const [check, ...more] = checksOf(broker);
    expect(more).toEqual([]);
    expect([check!.msgId, check!.tranStateTableOffset]).toEqual(['UNIQ-1', 2]);
    const answer = await broker.end({ tranStateTableOffset: check!.tranStateTableOffset, commitLogOffset: check!.commitLogOffset, fromTransactionCheck: true }, false);
    expect(answer?.code).toBe(ResponseCode.SUCCESS);
    const committed = broker.read('TopicA', 2);
    expect(committed.map((m) => [m.getProperty('UNIQ_KEY'), getTransactionValue(m.sysFlag), m.preparedTransactionOffset])).toEqual([['UNIQ-1', 8, check!.commitLogOffset]]);

    await world.clock.advance(60_000);
    expect(broker.checks).toHaveLength(1);
    // Both op records (rollback of half 1, commit of copy 2) were matched: the 4.9 op-offset fix.
    expect(broker.consumerOffsetManager.queryOffset(TRANS_CONSUMER_GROUP, HALF_TOPIC, 0)).toBe(3);
    expect(broker.consumerOffsetManager.queryOffset(TRANS_CONSUMER_GROUP, OP_TOPIC, 0)).toBe(2);
    expect(world.sink.ofKind('broker.tx.check-round').at(-1)?.data).toMatchObject({ halfOffsetBefore: 2, halfOffsetAfter: 3, opOffsetBefore: 1, opOffsetAfter: 2, done: 1 });
  });

  it('a broker restart mid-transaction keeps the pending half message and resumes checks from the persisted offsets', async () => {
    const world = txWorld();
    const first = txBroker(world);
    first.connectProducer();
    await first.prepare();
    first.checkService.start();
    await world.clock.advance(60_100);
    expect(checksOf(first).map((c) => [c.tranStateTableOffset, c.checkTimes])).toEqual([[1, '1']]);
    await world.clock.advance(10_000);
    first.shutdown();

    const second = txBroker(world);
    expect(second.consumerOffsetManager.queryOffset(TRANS_CONSUMER_GROUP, HALF_TOPIC, 0)).toBe(1);
    second.connectProducer();
    second.checkService.start();
    await world.clock.advance(60_100);
    expect(checksOf(second).map((c) => [c.tranStateTableOffset, c.checkTimes, c.msgId])).toEqual([[2, '2', 'UNIQ-1']]);
    const answer = await second.end({ tranStateTableOffset: 2, commitLogOffset: checksOf(second)[0]!.commitLogOffset, fromTransactionCheck: true }, false);
    expect(answer?.code).toBe(ResponseCode.SUCCESS);
    expect(second.read('TopicA', 2).map((m) => m.getProperty('UNIQ_KEY'))).toEqual(['UNIQ-1']);
  });

  it('sends nothing, but still re-puts and counts, when no producer of the group is connected', async () => {
    const world = txWorld();
    const broker = txBroker(world);
    await broker.prepare();
    await world.clock.advanceTo(T0 + 7_000);
    await broker.checkService.checkNow();
    expect(broker.checks).toEqual([]);
    expect(world.sink.ofKind('broker.tx.check-sent').map((e) => [e.data.sent, e.data.checkTimes, e.data.halfQueueOffset])).toEqual([[false, 1, 1]]);
  });
});
