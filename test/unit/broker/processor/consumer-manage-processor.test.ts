// ConsumerManageProcessor: the consumer list of a group, and consumer offsets, including the
// "answer 0 instead of not found" rule of QUERY_CONSUMER_OFFSET for a young queue.
import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from '../../../../src/common/bytes.js';
import { RequestCode } from '../../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../../src/common/protocol/response-code.js';
import { createRequestCommand, type ExtFieldValue } from '../../../../src/remoting/remoting-command.js';
import { ConsumerManageProcessor } from '../../../../src/broker/processor/consumer-manage-processor.js';
import { FakeContext, pullRig } from './pull-test-support.js';

function setup(storeView?: { minOffset: number; inDisk: boolean }) {
  const rig = pullRig();
  const messageStore = storeView === undefined ? rig.store : {
    getMinOffsetInQueue: () => storeView.minOffset,
    checkInDiskByConsumeOffset: () => storeView.inDisk,
  };
  const processor = new ConsumerManageProcessor({ consumerManager: rig.consumerManager, consumerOffsetManager: rig.consumerOffsetManager, messageStore, events: rig.events });
  const call = (code: number, fields: Record<string, ExtFieldValue>) => processor.processRequest(new FakeContext(), createRequestCommand(code, fields));
  return { ...rig, consumer: processor, call };
}

const query = { consumerGroup: 'CG', topic: 'TopicA', queueId: 0 };

describe('ConsumerManageProcessor', () => {
  it('GET_CONSUMER_LIST_BY_GROUP answers {"consumerIdList":[...]} in join order, or SYSTEM_ERROR "no consumer for this group, <g>"', () => {
    const rig = setup();
    const none = rig.call(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'CG' });
    expect([none.code, none.remark]).toEqual([ResponseCode.SYSTEM_ERROR, 'no consumer for this group, CG']);
    rig.subscribe('CG', 'TopicA', '*', new FakeContext('10.0.0.9:51000'), 1000, '10.0.0.9@1234');
    rig.subscribe('CG', 'TopicA', '*', new FakeContext('10.0.0.8:52000'), 1000, '10.0.0.8@99');
    const list = rig.call(RequestCode.GET_CONSUMER_LIST_BY_GROUP, { consumerGroup: 'CG' });
    expect([list.code, decodeUtf8(list.body!)]).toEqual([ResponseCode.SUCCESS, '{"consumerIdList":["10.0.0.9@1234","10.0.0.8@99"]}']);
  });

  it('UPDATE_CONSUMER_OFFSET stores the offset, ignores a negative one, and QUERY_CONSUMER_OFFSET returns it', () => {
    const rig = setup({ minOffset: 0, inDisk: true });
    expect(rig.call(RequestCode.UPDATE_CONSUMER_OFFSET, { ...query, commitOffset: 17 }).code).toBe(ResponseCode.SUCCESS);
    expect(rig.call(RequestCode.UPDATE_CONSUMER_OFFSET, { ...query, commitOffset: -1 }).code).toBe(ResponseCode.SUCCESS);
    const response = rig.call(RequestCode.QUERY_CONSUMER_OFFSET, query);
    expect([response.code, response.getLong('offset')]).toEqual([ResponseCode.SUCCESS, 17]);
  });

  it('QUERY_CONSUMER_OFFSET with nothing stored: 0 when minOffset <= 0 and offset 0 is in memory, else QUERY_NOT_FOUND', () => {
    const cases: Array<[{ minOffset: number; inDisk: boolean }, number, string | undefined]> = [
      [{ minOffset: 0, inDisk: false }, ResponseCode.SUCCESS, '0'],
      [{ minOffset: 0, inDisk: true }, ResponseCode.QUERY_NOT_FOUND, undefined],
      [{ minOffset: 5, inDisk: false }, ResponseCode.QUERY_NOT_FOUND, undefined],
    ];
    for (const [store, code, offset] of cases) {
      const rig = setup(store);
      const response = rig.call(RequestCode.QUERY_CONSUMER_OFFSET, query);
      expect([store, response.code, response.optString('offset')]).toEqual([store, code, offset]);
      if (code === ResponseCode.QUERY_NOT_FOUND) expect(response.remark).toBe('Not found, V3_0_6_SNAPSHOT maybe this group consumer boot first');
      expect(rig.sink.ofKind('broker.offset.queried')[0]!.why).toEqual({
        rule: 'query-consumer-offset', inputs: { stored: -1, minOffset: store.minOffset, inMemory: !store.inDisk }, outcome: offset === undefined ? -1 : 0,
      });
    }
  });

  it('QUERY_CONSUMER_OFFSET on a fresh real store answers 0 for a new group (a queue that is empty or young)', async () => {
    const rig = setup();
    expect(rig.call(RequestCode.QUERY_CONSUMER_OFFSET, query).getLong('offset')).toBe(0);
    await rig.put('TopicA', 0, 'TagA');
    expect(rig.call(RequestCode.QUERY_CONSUMER_OFFSET, query).getLong('offset')).toBe(0);
  });

  it('answers SYSTEM_ERROR naming a missing header field', () => {
    const rig = setup();
    const response = rig.call(RequestCode.QUERY_CONSUMER_OFFSET, { consumerGroup: 'CG', topic: 'TopicA' });
    expect([response.code, response.remark]).toEqual([ResponseCode.SYSTEM_ERROR, expect.stringContaining('queueId')]);
  });
});
