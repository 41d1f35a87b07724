// DefaultTransactionalMessageCheckListener: the exact CHECK_TRANSACTION_STATE header and body
// a producer receives, what happens without a live producer or without REAL_* properties, and
// the 4.9 copy of a discarded half message in TRANS_CHECK_MAX_TIME_TOPIC.
import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from '../../../../src/common/bytes.js';
import { decodeMessage } from '../../../../src/common/message/message-decoder.js';
import { createMessageIdFromHost } from '../../../../src/common/message/message-id.js';
import { RequestCode } from '../../../../src/common/protocol/request-code.js';
import { STORE_HOST, txBroker, txWorld } from './tx-test-support.js';

const WHY = { rule: 'transaction-check', inputs: {}, outcome: 'check' };

describe('DefaultTransactionalMessageCheckListener', () => {
  it('sendCheckMessage() sends CHECK_TRANSACTION_STATE with the half\'s offsets and its record under the real topic and queue', async () => {
    const world = txWorld();
    const { listener, prepare, store, connectProducer, checks } = txBroker(world);
    const connection = connectProducer('pg', '10.0.0.7:40000');
    await prepare({ flag: 3 });
    const half = store.lookMessageByOffset(0)!;
    expect(listener.sendCheckMessage(half, 0, WHY)).toBe(true);

    const [check] = checks;
    expect(check?.connection).toBe(connection);
    expect(check?.request.code).toBe(RequestCode.CHECK_TRANSACTION_STATE);
    expect(check?.request.extFields).toEqual({
      commitLogOffset: '0', offsetMsgId: createMessageIdFromHost(STORE_HOST, 0), tranStateTableOffset: '0', msgId: 'UNIQ-1', transactionId: 'UNIQ-1',
    });
    const body = decodeMessage(check!.request.body!)!;
    expect([body.topic, body.queueId, body.queueOffset, body.commitLogOffset, body.flag, decodeUtf8(body.body)]).toEqual(['TopicA', 2, 0, 0, 3, 'hello']);
    expect(body.storeSize).toBe(check!.request.body!.length);
    expect(world.sink.ofKind('broker.tx.check-sent').map((e) => [e.data.sent, e.data.to, e.msg?.topic, e.msg?.realTopic])).toEqual([[true, '10.0.0.7:40000', 'TopicA', 'TopicA']]);
  });

  it('sendCheckMessage() sends nothing without a live producer of PGROUP, or without a readable REAL_QID', async () => {
    const world = txWorld();
    const { listener, prepare, store, connectProducer, checks } = txBroker(world);
    await prepare();
    const half = store.lookMessageByOffset(0)!;
    expect(listener.sendCheckMessage(half, 0, WHY)).toBe(false);
    connectProducer('pg').close();
    expect(listener.sendCheckMessage(store.lookMessageByOffset(0)!, 0, WHY)).toBe(false);
    connectProducer('pg', '10.0.0.8:1');
    const broken = store.lookMessageByOffset(0)!;
    broken.putProperty('REAL_QID', 'two');
    expect(listener.sendCheckMessage(broken, 0, WHY)).toBe(false);
    expect(checks).toEqual([]);
    expect(world.sink.ofKind('broker.tx.check-sent').map((e) => e.data.sent)).toEqual([false, false, false]);
  });

  it('resolveDiscardMsg() keeps a copy in TRANS_CHECK_MAX_TIME_TOPIC (1 queue, RW), created on first use', async () => {
    const world = txWorld();
    const { listener, prepare, store, read, topicConfigManager } = txBroker(world);
    await prepare({ flag: 9 });
    const half = store.lookMessageByOffset(0)!;
    half.putProperty('TRANSACTION_CHECK_TIMES', '15');
    await listener.resolveDiscardMsg(half, 'check-max');
    await world.clock.advance(5);
    const [copy] = read('TRANS_CHECK_MAX_TIME_TOPIC', 0);
    expect([copy?.flag, copy?.getProperty('REAL_TOPIC'), copy?.getProperty('TRANSACTION_CHECK_TIMES'), copy?.bornTimestamp]).toEqual([9, 'TopicA', '15', half.bornTimestamp]);
    expect(topicConfigManager.selectTopicConfig('TRANS_CHECK_MAX_TIME_TOPIC')?.toString()).toContain('readQueueNums=1, writeQueueNums=1, perm=RW-');
    expect(world.sink.ofKind('broker.tx.discarded').map((e) => e.data)).toEqual([{
      reason: 'check-max', checkTimes: 15, halfQueueOffset: 0, producerGroup: 'pg', topic: 'TRANS_CHECK_MAX_TIME_TOPIC', storedQueueOffset: 0,
    }]);
  });
});
