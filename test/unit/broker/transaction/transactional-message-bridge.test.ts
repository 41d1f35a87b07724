// TransactionalMessageBridge over a real store: the half-message rewrite, the exact op record,
// the CID_RMQ_SYS_TRANS offsets, the half topic created on first look, the mapping of store
// statuses to pull statuses, and the re-put copies (with Java's WAIT quirk).
import { describe, expect, it } from 'vitest';
import { parseHalfMessageInner } from '../../../../src/broker/transaction/transactional-message-bridge.js';
import { HALF_TOPIC, OP_TOPIC, TRANS_CONSUMER_GROUP } from '../../../../src/broker/transaction/transactional-message-util.js';
import { decodeUtf8, encodeUtf8 } from '../../../../src/common/bytes.js';
import { MessageExtBrokerInner } from '../../../../src/common/message/message-ext.js';
import { messageProperties2String } from '../../../../src/common/message/message-properties.js';
import { STORE_HOST, txBroker, txWorld } from './tx-test-support.js';

describe('TransactionalMessageBridge', () => {
  it('parseHalfMessageInner() moves a prepared send to the half topic queue 0, keeps REAL_TOPIC/REAL_QID, resets the type and drops DELAY', () => {
    const properties = new Map([['TRAN_MSG', 'true'], ['PGROUP', 'pg'], ['DELAY', '2']]);
    const msg = new MessageExtBrokerInner({
      topic: 'TopicA', queueId: 3, sysFlag: 4 | 2, properties, propertiesString: 'stale', propertiesBytes: encodeUtf8('stale'),
    });
    expect(parseHalfMessageInner(msg)).toBe(2);
    expect([msg.topic, msg.queueId, msg.sysFlag, msg.propertiesBytes]).toEqual([HALF_TOPIC, 0, 2, undefined]);
    expect(msg.propertiesString).toBe(messageProperties2String(new Map([['TRAN_MSG', 'true'], ['PGROUP', 'pg'], ['REAL_TOPIC', 'TopicA'], ['REAL_QID', '3']])));
  });

  it('putOpMessage(half, "d") writes one op record: op topic, the half\'s queue, tags d, body = half queue offset, sysFlag 0', async () => {
    const world = txWorld();
    const { bridge, prepare, read, store } = txBroker(world);
    await prepare();
    await prepare({}, {}, 'UNIQ-2');
    const half = store.lookMessageByOffset(store.getCommitLogOffsetInQueue(HALF_TOPIC, 0, 1))!;
    expect(await bridge.putOpMessage(half, 'x')).toBe(true); // other op types do nothing
    expect(await bridge.putOpMessage(half, 'd')).toBe(true);
    await world.clock.advance(5);
    const [op, ...more] = read(OP_TOPIC, 0);
    expect(more).toEqual([]);
    expect([op!.topic, op!.queueId, op!.queueOffset, op!.sysFlag, decodeUtf8(op!.body), op!.bornHost, op!.storeHost, op!.bornTimestamp])
      .toEqual([OP_TOPIC, 0, 0, 0, '1', STORE_HOST, STORE_HOST, world.clock.now() - 5]);
    expect([...op!.properties.keys()]).toEqual(['TAGS', 'WAIT', 'UNIQ_KEY']);
    expect([op!.tags, op!.getProperty('WAIT')]).toEqual(['d', 'false']);
  });

  it('fetchConsumeOffset() falls back to the queue\'s min offset; updateConsumeOffset() stores under CID_RMQ_SYS_TRANS', () => {
    const world = txWorld();
    const { bridge, consumerOffsetManager } = txBroker(world);
    expect(bridge.fetchConsumeOffset(HALF_TOPIC, 0)).toBe(0);
    bridge.updateConsumeOffset(OP_TOPIC, 0, 5);
    expect(consumerOffsetManager.queryOffset(TRANS_CONSUMER_GROUP, OP_TOPIC, 0)).toBe(5);
    expect(bridge.fetchConsumeOffset(OP_TOPIC, 0)).toBe(5);
    expect(world.sink.ofKind('broker.offset.committed').at(-1)?.data).toMatchObject({ group: 'CID_RMQ_SYS_TRANS', clientHost: STORE_HOST });
  });

  it('fetchMessageQueues(half topic) creates the topic with one RW queue the first time', () => {
    const world = txWorld();
    const { bridge, topicConfigManager } = txBroker(world);
    expect(topicConfigManager.selectTopicConfig(HALF_TOPIC)).toBeUndefined();
    expect(bridge.fetchMessageQueues(HALF_TOPIC)).toEqual([0]);
    expect(topicConfigManager.selectTopicConfig(HALF_TOPIC)?.toString()).toContain('readQueueNums=1, writeQueueNums=1, perm=RW-');
    expect(bridge.fetchMessageQueues(HALF_TOPIC)).toEqual([0]);
    expect(world.sink.ofKind('broker.topic.created').map((e) => e.data.topic)).toEqual([HALF_TOPIC]);
  });

  it('getHalfMessage() maps the store\'s answer: an empty queue NO_NEW_MSG, a message FOUND, an offset past the end OFFSET_ILLEGAL', async () => {
    const world = txWorld();
    const { bridge, prepare } = txBroker(world);
    expect(bridge.getHalfMessage(0, 0, 1)?.pullStatus).toBe('NO_NEW_MSG');
    await prepare();
    const found = bridge.getHalfMessage(0, 0, 1)!;
    expect([found.pullStatus, found.nextBeginOffset, found.msgFoundList?.map((m) => m.getProperty('UNIQ_KEY'))]).toEqual(['FOUND', 1, ['UNIQ-1']]);
    expect(bridge.getHalfMessage(0, 1, 1)).toMatchObject({ pullStatus: 'NO_NEW_MSG', msgFoundList: undefined });
    expect(bridge.getHalfMessage(0, 5, 1)?.pullStatus).toBe('OFFSET_ILLEGAL');
  });

  it('renewHalfMessageInner() copies a half message; WAIT=false reaches the shared map but not the stored string', async () => {
    const world = txWorld();
    const { bridge, prepare, store } = txBroker(world);
    await prepare({ flag: 7 });
    const half = store.lookMessageByOffset(0)!;
    const copy = bridge.renewHalfMessageInner(half);
    expect([copy.topic, copy.queueId, copy.flag, copy.bornTimestamp, copy.msgId]).toEqual([HALF_TOPIC, 0, 7, half.bornTimestamp, half.msgId]);
    expect(copy.properties).toBe(half.properties);
    expect(half.getProperty('WAIT')).toBe('false');
    expect(copy.propertiesString).toContain('WAIT\u0001true\u0002');

    const immune = bridge.renewImmunityHalfMessageInner(half);
    expect(immune.getProperty('TRAN_PREPARED_QUEUE_OFFSET')).toBe('0');
    expect(immune.propertiesString).toContain('TRAN_PREPARED_QUEUE_OFFSET\u00010\u0002');
  });
});
