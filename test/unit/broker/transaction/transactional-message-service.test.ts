// TransactionalMessageServiceImpl on a real store: the op-offset arithmetic, END_TRANSACTION
// lookups, and the parts of the half-queue walk the check-service tests do not reach: ops
// for half offsets already passed, a message with its own immunity, and a message older
// than the store keeps files.
import { describe, expect, it } from 'vitest';
import { calculateOpOffset } from '../../../../src/broker/transaction/transactional-message-service.js';
import { HALF_TOPIC, OP_TOPIC, TRANS_CONSUMER_GROUP } from '../../../../src/broker/transaction/transactional-message-util.js';
import { ResponseCode } from '../../../../src/common/protocol/response-code.js';
import { T0, txBroker, txWorld } from './tx-test-support.js';

const HOUR = 3_600_000;

describe('TransactionalMessageServiceImpl', () => {
  it.each([
    [[], 5, 5],
    [[5, 6, 8], 5, 7],
    [[7, 5, 6], 5, 8],
    [[6], 5, 5],
    [[5, 5, 6], 5, 6],
  ])('calculateOpOffset(%j, %i) advances over the contiguous run to %i', (done, old, expected) => {
    expect(calculateOpOffset(done, old)).toBe(expected);
  });

  it('commitMessage() finds a half message by commit-log offset; anything else is SYSTEM_ERROR', async () => {
    const world = txWorld();
    const { service, prepare, end, read } = txBroker(world);
    await prepare();
    expect(service.commitMessage({ commitLogOffset: 0 })).toMatchObject({ responseCode: ResponseCode.SUCCESS, prepareMessage: { topic: HALF_TOPIC } });
    await end({ tranStateTableOffset: 0, commitLogOffset: 0 });
    const committed = read('TopicA', 2)[0]!;
    expect(service.rollbackMessage({ commitLogOffset: committed.commitLogOffset })).toEqual({
      prepareMessage: undefined, responseCode: ResponseCode.SYSTEM_ERROR, responseRemark: 'Find prepared transaction message failed',
    });
    expect(service.rollbackMessage({ commitLogOffset: -1 }).responseCode).toBe(ResponseCode.SYSTEM_ERROR);
  });

  it('check() counts an op for a half offset the walk already passed as done at once', async () => {
    const world = txWorld();
    const broker = txBroker(world);
    await broker.prepare();
    await world.clock.advanceTo(T0 + 7_000);
    await broker.checkService.checkNow(); // h0 is checked: copy h1, half offset 1
    await broker.end({ tranStateTableOffset: 0, commitLogOffset: 0 }); // the producer's late answer names h0
    await broker.checkService.checkNow();
    const rounds = world.sink.ofKind('broker.tx.check-round').map((e) => e.data);
    expect(rounds.map((r) => [r.halfOffsetBefore, r.halfOffsetAfter, r.opOffsetBefore, r.opOffsetAfter, r.checked])).toEqual([[0, 1, 0, 0, 1], [1, 2, 0, 1, 1]]);
    expect(broker.consumerOffsetManager.queryOffset(TRANS_CONSUMER_GROUP, OP_TOPIC, 0)).toBe(1);
  });

  it('check() re-puts a message still inside its own CHECK_IMMUNITY_TIME_IN_SECONDS with TRAN_PREPARED_QUEUE_OFFSET, and checks the copy later', async () => {
    const world = txWorld();
    const broker = txBroker(world);
    broker.connectProducer();
    await broker.prepare({}, { CHECK_IMMUNITY_TIME_IN_SECONDS: '30' });
    await world.clock.advanceTo(T0 + 7_000);
    await broker.checkService.checkNow();
    await world.clock.advance(5);
    expect(broker.checks).toEqual([]);
    const copy = broker.read(HALF_TOPIC, 0)[1]!;
    expect([copy.getProperty('TRAN_PREPARED_QUEUE_OFFSET'), copy.bornTimestamp]).toEqual(['0', T0]);
    expect(world.sink.ofKind('broker.tx.half-requeued').map((e) => e.data)).toEqual([{ halfOffsetBefore: 0, preparedQueueOffset: 0, ok: true }]);
    expect(world.sink.ofKind('broker.tx.check-round').at(-1)?.data).toMatchObject({ halfOffsetAfter: 1, requeued: 1 });

    await world.clock.advanceTo(T0 + 31_000);
    await broker.checkService.checkNow();
    expect(broker.checks.map((c) => c.request.getLong('tranStateTableOffset'))).toEqual([2]);
  });

  it('check() discards a half message born longer ago than fileReservedTime, without checking it', async () => {
    const world = txWorld();
    const broker = txBroker(world);
    broker.connectProducer();
    await broker.prepare({ bornTimestamp: T0 - 73 * HOUR });
    await broker.checkService.checkNow();
    await world.clock.advance(5);
    expect(broker.checks).toEqual([]);
    expect(world.sink.ofKind('broker.tx.discarded').map((e) => [e.data.reason, e.data.checkTimes, e.why?.outcome])).toEqual([['file-reserved-time', 1, 'file-reserved-time']]);
    expect(broker.read('TRANS_CHECK_MAX_TIME_TOPIC', 0)).toHaveLength(1);
  });
});
