// MessageExtEncoder against a hand-computed 4.x record, plus limits, BLANK and batches.
import { describe, expect, it } from 'vitest';
import { encodeUtf8, toHex } from '../../../../src/common/bytes.js';
import { crc32Positive } from '../../../../src/common/crc32.js';
import { encodeBatchMessages } from '../../../../src/common/message/message-batch.js';
import { decodeMessage, decodeMessages } from '../../../../src/common/message/message-decoder.js';
import { MessageExtBrokerInner } from '../../../../src/common/message/message-ext.js';
import { MessageSysFlag } from '../../../../src/common/message/message-sys-flag.js';
import { Message } from '../../../../src/common/message/message.js';
import { checkMessageAndReturnSize } from '../../../../src/store/commitlog/commit-log-record-reader.js';
import { encodeBlank, MessageExtEncoder, utf8Length } from '../../../../src/store/commitlog/message-encoder.js';
import { BLANK_MAGIC_CODE, calMsgLength, STORE_TIMESTAMP_POSITION } from '../../../../src/store/commitlog/record-layout.js';
import { GOLDEN_APPEND, GOLDEN_RECORD, GOLDEN_RECORD_HEX, goldenMessage } from './golden-record.js';

describe('MessageExtEncoder', () => {
  it('encode() writes the hand-computed 4.x record byte for byte, at the given position', () => {
    const encoder = new MessageExtEncoder();
    const msg = goldenMessage();
    expect(encoder.measure(msg)).toEqual({ status: 'PUT_OK', msgLength: 149 });
    const target = new Uint8Array(200).fill(0xee);
    expect(encoder.encode(msg, target, 10, GOLDEN_APPEND)).toBe(149);
    expect(toHex(target.subarray(10, 159))).toBe(GOLDEN_RECORD_HEX);
    expect(target[9]).toBe(0xee); // nothing before
    expect(target[159]).toBe(0xee); // nothing after
    expect({ bodyCRC: msg.bodyCRC, storeSize: msg.storeSize, commitLogOffset: msg.commitLogOffset, queueOffset: msg.queueOffset, storeTimestamp: msg.storeTimestamp })
      .toEqual({ bodyCRC: 0x4a821663, storeSize: 149, commitLogOffset: 500, queueOffset: 7, storeTimestamp: 1700000000123 });
  });

  it('encode() without a prior measure() measures itself, and pre-encoded propertiesBytes give the same record', () => {
    const encoder = new MessageExtEncoder();
    const target = new Uint8Array(149);
    encoder.encode(goldenMessage(), target, 0, GOLDEN_APPEND);
    expect(target).toEqual(GOLDEN_RECORD);
    const msg = goldenMessage();
    msg.propertiesBytes = encodeUtf8(msg.propertiesString);
    const again = new Uint8Array(149);
    encoder.encode(msg, again, 0, GOLDEN_APPEND);
    expect(again).toEqual(GOLDEN_RECORD);
  });

  it('encode() records round-trip through checkMessageAndReturnSize() and decodeMessage(), IPv6 and non-ASCII included', () => {
    const encoder = new MessageExtEncoder();
    const msg = new MessageExtBrokerInner({
      topic: 'Topic-中文', queueId: 1, flag: 42, body: encodeUtf8('body \u{1F600}'), bornTimestamp: 5, bornHost: '[fe80::2]:7',
      storeHost: '[::1]:10911', reconsumeTimes: 2, preparedTransactionOffset: 99,
      sysFlag: MessageSysFlag.BORNHOST_V6_FLAG | MessageSysFlag.STOREHOSTADDRESS_V6_FLAG | MessageSysFlag.TRANSACTION_COMMIT_TYPE,
      propertiesString: 'UNIQ_KEY\u0001ABC\u0002KEYS\u0001k1 k2\u0002名\u0001值\u0002',
    });
    const { msgLength } = encoder.measure(msg);
    expect(msgLength).toBe(calMsgLength(msg.sysFlag, msg.body.length, utf8Length(msg.topic), utf8Length(msg.propertiesString)));
    const target = new Uint8Array(msgLength);
    encoder.encode(msg, target, 0, { physicalOffset: 2 ** 33, queueOffset: 12, storeTimestamp: 77 });
    const request = checkMessageAndReturnSize(target, 0, true);
    expect(request).toMatchObject({
      success: true, msgSize: msgLength, topic: 'Topic-中文', queueId: 1, commitLogOffset: 2 ** 33, consumeQueueOffset: 12,
      storeTimestamp: 77, keys: 'k1 k2', uniqKey: 'ABC', sysFlag: msg.sysFlag, preparedTransactionOffset: 99, tagsCode: 0,
    });
    const decoded = decodeMessage(target)!;
    expect(decoded.bornHost).toBe('[fe80:0:0:0:0:0:0:2]:7');
    expect(decoded.storeHost).toBe('[0:0:0:0:0:0:0:1]:10911');
    expect(decoded.body).toEqual(msg.body);
    expect(decoded.properties.get('名')).toBe('值');
    expect(decoded.msgId).toHaveLength(56);
  });

  it('measure() refuses an oversized record, oversized properties and a topic over 127 bytes', () => {
    const encoder = new MessageExtEncoder({ maxMessageSize: 200 });
    const msg = goldenMessage();
    expect(encoder.measure(msg).status).toBe('PUT_OK');
    msg.body = new Uint8Array(68); // record becomes 133 + 68 = 201 bytes
    expect(encoder.measure(msg)).toEqual({ status: 'MESSAGE_SIZE_EXCEEDED', msgLength: 0 });
    msg.body = new Uint8Array(67); // exactly 200
    expect(encoder.measure(msg)).toEqual({ status: 'PUT_OK', msgLength: 200 });
    const big = new MessageExtEncoder();
    expect(big.measure(new MessageExtBrokerInner({ propertiesString: 'a'.repeat(32767) })).status).toBe('PUT_OK');
    expect(big.measure(new MessageExtBrokerInner({ propertiesString: 'é'.repeat(16384) })).status).toBe('PROPERTIES_SIZE_EXCEEDED');
    expect(big.measure(new MessageExtBrokerInner({ topic: 'x'.repeat(127) })).status).toBe('PUT_OK');
    expect(big.measure(new MessageExtBrokerInner({ topic: 'é'.repeat(64) })).status).toBe('MESSAGE_ILLEGAL');
    expect(() => encoder.encode(msg, new Uint8Array(100), 0, GOLDEN_APPEND)).toThrow(/does not fit/);
  });

  it('encode() asserts on a host that is not an ip:port literal', () => {
    const msg = goldenMessage();
    msg.bornHost = 'producer-1:4000';
    expect(() => new MessageExtEncoder().encode(msg, new Uint8Array(200), 0, GOLDEN_APPEND)).toThrow(/bornHost/);
  });

  it('encodeBlank() writes only [length][BLANK_MAGIC_CODE], which the reader reports as end of file', () => {
    const target = new Uint8Array(64).fill(0xab);
    encodeBlank(target, 16, 48);
    expect(toHex(target.subarray(16, 24))).toBe('00000030CBD43194');
    expect(target[24]).toBe(0xab);
    expect(new DataView(target.buffer).getInt32(20, false)).toBe(BLANK_MAGIC_CODE);
    expect(checkMessageAndReturnSize(target, 16, true)).toMatchObject({ success: true, msgSize: 0 });
    expect(() => encodeBlank(target, 60, 8)).toThrow();
    expect(() => encodeBlank(target, 0, 7)).toThrow();
  });
});

describe('MessageExtEncoder batches', () => {
  function batchMessage(appendProps = 'WAIT\u0001true\u0002'): MessageExtBrokerInner {
    const items = [
      Message.create('ignored', encodeUtf8('one'), { keys: 'k1' }),
      new Message({ body: encodeUtf8('two'), flag: 5 }),
      Message.create('ignored', encodeUtf8('three'), { tags: 'T' }),
    ];
    items[0]!.properties = new Map([['KEYS', 'k1']]);
    items[2]!.properties = new Map([['TAGS', 'T']]);
    return new MessageExtBrokerInner({
      topic: 'BatchTopic', queueId: 2, bornHost: '1.2.3.4:5', storeHost: '10.0.0.1:10911', bornTimestamp: 9,
      body: encodeBatchMessages(items), propertiesString: appendProps,
    });
  }

  it('encodeBatch() writes one record per item with consecutive queue offsets and back-to-back offsets', () => {
    const encoder = new MessageExtEncoder();
    const batch = batchMessage();
    const check = encoder.measureBatch(batch);
    expect(check.status).toBe('PUT_OK');
    expect(check.count).toBe(3);
    const target = new Uint8Array(check.totalLength + 4);
    const result = encoder.encodeBatch(batch, target, 4, { physicalOffset: 1000, queueOffset: 20, storeTimestamp: 33 });
    expect(result.totalLength).toBe(check.totalLength);
    const records = decodeMessages(target.subarray(4));
    expect(records.map((r) => [r.queueOffset, r.commitLogOffset, r.flag, r.topic, r.queueId, r.storeTimestamp])).toEqual([
      [20, 1000, 0, 'BatchTopic', 2, 33],
      [21, 1000 + records[0]!.storeSize, 5, 'BatchTopic', 2, 33],
      [22, 1000 + records[0]!.storeSize + records[1]!.storeSize, 0, 'BatchTopic', 2, 33],
    ]);
    expect(result.physicalOffsets).toEqual(records.map((r) => r.commitLogOffset));
    expect(records.map((r) => [...r.properties])).toEqual([[['KEYS', 'k1'], ['WAIT', 'true']], [['WAIT', 'true']], [['TAGS', 'T'], ['WAIT', 'true']]]);
    expect(records[1]!.bodyCRC).toBe(crc32Positive(encodeUtf8('two')));
    for (let p = 4, i = 0; i < 3; i++) {
      const request = checkMessageAndReturnSize(target, p, true);
      expect(request.success).toBe(true);
      p += request.msgSize;
    }
  });

  it('encodeBatch() adds a separator before the batch properties when an item\'s properties lack a trailing one', () => {
    const encoder = new MessageExtEncoder();
    const batch = batchMessage();
    // Rewrite item 0's properties "KEYS\x01k1\x02" without its trailing \x02 (the 4.9.3+ form).
    const itemProps = encodeUtf8('KEYS\u0001k1');
    const body = new Uint8Array([...batch.body.subarray(0, 20 + 3), 0, itemProps.length, ...itemProps]);
    new DataView(body.buffer).setInt32(0, body.length, false);
    batch.body = body;
    const check = encoder.measureBatch(batch);
    const target = new Uint8Array(check.totalLength);
    encoder.encodeBatch(batch, target, 0, { physicalOffset: 0, queueOffset: 0, storeTimestamp: 1 });
    const record = decodeMessage(target)!;
    expect([...record.properties]).toEqual([['KEYS', 'k1'], ['WAIT', 'true']]);
  });

  it('appendBatchProperties: false stores only the items\' own properties (4.4)', () => {
    const encoder = new MessageExtEncoder({ appendBatchProperties: false });
    const batch = batchMessage();
    const check = encoder.measureBatch(batch);
    const target = new Uint8Array(check.totalLength);
    encoder.encodeBatch(batch, target, 0, { physicalOffset: 0, queueOffset: 0, storeTimestamp: 1 });
    expect(decodeMessages(target).map((r) => r.properties.size)).toEqual([1, 0, 1]);
  });

  it('measureBatch() reports malformed, empty and oversized batches', () => {
    const encoder = new MessageExtEncoder({ maxMessageSize: 300 });
    const batch = batchMessage();
    expect(encoder.measureBatch(batch).status).toBe('MESSAGE_SIZE_EXCEEDED'); // 3 records > 300 bytes
    const ok = new MessageExtEncoder();
    batch.body = batch.body.subarray(0, batch.body.length - 3);
    expect(ok.measureBatch(batch).status).toBe('MESSAGE_ILLEGAL');
    batch.body = new Uint8Array(0);
    expect(ok.measureBatch(batch).status).toBe('MESSAGE_ILLEGAL');
    expect(() => ok.encodeBatch(batch, new Uint8Array(10), 0, { physicalOffset: 0, queueOffset: 0, storeTimestamp: 0 })).toThrow();
  });

  it('the store timestamp sits at STORE_TIMESTAMP_POSITION for IPv4 hosts', () => {
    const target = new Uint8Array(GOLDEN_RECORD);
    expect(new DataView(target.buffer).getBigInt64(STORE_TIMESTAMP_POSITION, false)).toBe(1700000000123n);
  });
});
