// QueryMessageProcessor against a real DefaultMessageStore. Goal: QUERY_MESSAGE finds
// records through the index (honouring maxNum and the _UNIQUE_KEY_QUERY override) with
// the index header, VIEW_MESSAGE_BY_ID returns the exact record bytes at an offset, and
// both answer misses and bad headers with Java's codes.
import { describe, expect, it } from 'vitest';
import { QueryMessageProcessor } from '../../../../src/broker/processor/query-message-processor.js';
import { decodeMessages } from '../../../../src/common/message/message-decoder.js';
import { MessageConst } from '../../../../src/common/message/message-const.js';
import { RequestCode } from '../../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../../src/common/protocol/response-code.js';
import { createRequestCommand, type ExtFieldValue, type RemotingCommand } from '../../../../src/remoting/remoting-command.js';
import { openStore, settle, storeRig } from '../../store/message-store-test-support.js';
import { brokerMessage } from '../../store/store-test-support.js';
import { fakeContext } from './admin-test-support.js';

async function rig(defaultQueryMaxNum = 2) {
  const r = storeRig({ defaultQueryMaxNum });
  const store = openStore(r);
  const processor = new QueryMessageProcessor({ messageStore: store, storeConfig: r.config });
  const call = async (code: number, fields: Record<string, ExtFieldValue>): Promise<RemotingCommand> => {
    const answer = await processor.processRequest(fakeContext(), createRequestCommand(code, fields));
    if (answer === null) throw new Error('no answer');
    return answer;
  };
  const offsets: number[] = [];
  for (const [i, keys] of ['ORDER-1 shared', 'ORDER-2 shared', 'ORDER-3 shared'].entries()) {
    const result = await settle(r.clock, store.putMessage(brokerMessage({ topic: 'TopicA', body: `m${i}`, properties: { [MessageConst.PROPERTY_KEYS]: keys } })));
    offsets.push(result.appendMessageResult!.wroteOffset);
  }
  await r.clock.runUntil(() => store.dispatchBehindBytes() === 0, 10_000);
  return { ...r, store, call, offsets };
}

const query = (key: string, maxNum: number, extra: Record<string, ExtFieldValue> = {}) => ({ topic: 'TopicA', key, maxNum, beginTimestamp: 0, endTimestamp: Number.MAX_SAFE_INTEGER, ...extra });

describe('QueryMessageProcessor', () => {
  it('processRequest(QUERY_MESSAGE) returns the records indexed under the key, with the index header', async () => {
    const { call, store } = await rig();
    const r = await call(RequestCode.QUERY_MESSAGE, query('ORDER-2', 32));
    expect(r.code).toBe(ResponseCode.SUCCESS);
    const messages = decodeMessages(r.body!);
    expect(messages.map((m) => new TextDecoder().decode(m.body))).toEqual(['m1']);
    const result = store.queryMessage('TopicA', 'ORDER-2', 32, 0, Number.MAX_SAFE_INTEGER);
    expect(r.extFields).toEqual({ indexLastUpdateTimestamp: String(result.indexLastUpdateTimestamp), indexLastUpdatePhyoffset: String(result.indexLastUpdatePhyoffset) });
  });

  it('processRequest(QUERY_MESSAGE) honours maxNum, and _UNIQUE_KEY_QUERY=true replaces it by defaultQueryMaxNum', async () => {
    const { call } = await rig(2);
    expect(decodeMessages((await call(RequestCode.QUERY_MESSAGE, query('shared', 1))).body!)).toHaveLength(1);
    expect(decodeMessages((await call(RequestCode.QUERY_MESSAGE, query('shared', 32))).body!)).toHaveLength(3);
    expect(decodeMessages((await call(RequestCode.QUERY_MESSAGE, query('shared', 32, { _UNIQUE_KEY_QUERY: 'true' }))).body!)).toHaveLength(2);
    expect(decodeMessages((await call(RequestCode.QUERY_MESSAGE, query('shared', 1, { _UNIQUE_KEY_QUERY: 'false' }))).body!)).toHaveLength(1);
  });

  it('processRequest(QUERY_MESSAGE) answers QUERY_NOT_FOUND (with the index header) for an unknown key, SYSTEM_ERROR for a bad header', async () => {
    const { call } = await rig();
    const r = await call(RequestCode.QUERY_MESSAGE, query('NOPE', 32));
    expect([r.code, r.remark, r.body]).toEqual([ResponseCode.QUERY_NOT_FOUND, 'can not find message, maybe time range not correct', undefined]);
    expect(Object.keys(r.extFields ?? {}).sort()).toEqual(['indexLastUpdatePhyoffset', 'indexLastUpdateTimestamp']);
    const { maxNum: _, ...noMax } = query('ORDER-1', 1);
    expect((await call(RequestCode.QUERY_MESSAGE, noMax)).remark).toBe('the custom header field "maxNum" is missing');
    expect((await call(RequestCode.QUERY_MESSAGE, query('ORDER-1', 0))).remark).toBe('the custom header field "maxNum" must be at least 1, got 0');
  });

  it('processRequest(VIEW_MESSAGE_BY_ID) returns the record at the physical offset, SYSTEM_ERROR when there is none', async () => {
    const { call, store, offsets } = await rig();
    const r = await call(RequestCode.VIEW_MESSAGE_BY_ID, { offset: offsets[1] });
    expect(r.code).toBe(ResponseCode.SUCCESS);
    expect(r.body).toEqual(store.selectOneMessageByOffset(offsets[1]!)!.bytes);
    expect(decodeMessages(r.body!)[0]?.commitLogOffset).toBe(offsets[1]);
    const past = store.getMaxPhyOffset() + 100;
    const missing = await call(RequestCode.VIEW_MESSAGE_BY_ID, { offset: past });
    expect([missing.code, missing.remark]).toEqual([ResponseCode.SYSTEM_ERROR, `can not find message by the offset, ${past}`]);
    expect((await call(RequestCode.VIEW_MESSAGE_BY_ID, { offset: -5 })).code).toBe(ResponseCode.SYSTEM_ERROR);
    expect((await call(RequestCode.VIEW_MESSAGE_BY_ID, {})).remark).toBe('the custom header field "offset" is missing');
  });
});
