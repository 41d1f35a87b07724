// Goal: SEND_MESSAGE_V2 carries the thirteen header fields under the letters a..m as strings,
// SEND_BATCH_MESSAGE (320) is used for batches, and the V2 reader gives the same header back.
import { describe, expect, it } from 'vitest';
import { RequestCode } from '../../../../src/common/protocol/request-code.js';
import { createSendMessageRequestV2, readSendMessageRequestV2, type SendMessageRequestHeader } from '../../../../src/client/producer/send-message-request-header.js';

const header: SendMessageRequestHeader = {
  producerGroup: 'pg',
  topic: 'TopicA',
  defaultTopic: 'TBW102',
  defaultTopicQueueNums: 4,
  queueId: 3,
  sysFlag: 1,
  bornTimestamp: 1_700_000_000_123,
  flag: 7,
  properties: 'TAGS\u0001TagA\u0002WAIT\u0001true\u0002',
  reconsumeTimes: 0,
  unitMode: false,
  batch: false,
};

describe('createSendMessageRequestV2', () => {
  it('writes every field as a string under its letter, with the body attached', () => {
    const body = new Uint8Array([1, 2, 3]);
    const request = createSendMessageRequestV2(header, body);
    expect(request.code).toBe(RequestCode.SEND_MESSAGE_V2);
    expect(request.extFields).toEqual({
      a: 'pg', b: 'TopicA', c: 'TBW102', d: '4', e: '3', f: '1', g: '1700000000123', h: '7',
      i: 'TAGS\u0001TagA\u0002WAIT\u0001true\u0002', j: '0', k: 'false', m: 'false',
    });
    expect(request.body).toBe(body);
  });

  it('uses SEND_BATCH_MESSAGE with m=true for a batch and sends l only when maxReconsumeTimes is set', () => {
    const request = createSendMessageRequestV2({ ...header, batch: true, maxReconsumeTimes: 16 }, new Uint8Array(1));
    expect(request.code).toBe(RequestCode.SEND_BATCH_MESSAGE);
    expect(request.extFields).toMatchObject({ m: 'true', l: '16' });
  });

  it('readSendMessageRequestV2() reads the header back', () => {
    expect(readSendMessageRequestV2(createSendMessageRequestV2({ ...header, maxReconsumeTimes: 3 }, new Uint8Array(1)))).toEqual({ ...header, maxReconsumeTimes: 3 });
  });
});
