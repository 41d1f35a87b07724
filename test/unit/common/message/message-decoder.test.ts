// Client-side decoding of stored records (pull bodies), encodeMessage for the
// CHECK_TRANSACTION_STATE body, and the batch body format.
import { describe, expect, it } from 'vitest';
import { concatBytes, encodeUtf8, toHex } from '../../../../src/common/bytes.js';
import { decodeBatchMessages, encodeBatchItem, encodeBatchMessages } from '../../../../src/common/message/message-batch.js';
import { decodeMessage, decodeMessages, encodeMessage } from '../../../../src/common/message/message-decoder.js';
import { MessageExt } from '../../../../src/common/message/message-ext.js';
import { Message } from '../../../../src/common/message/message.js';
import { SeededRandom } from '../../../../src/platform/random.js';
import { GOLDEN_RECORD, GOLDEN_RECORD_HEX } from '../../store/commitlog/golden-record.js';

describe('decodeMessage', () => {
  it('decodeMessage() reads every field of the golden record and derives the offset msgId', () => {
    const msg = decodeMessage(GOLDEN_RECORD)!;
    expect({
      storeSize: msg.storeSize, bodyCRC: msg.bodyCRC, queueId: msg.queueId, flag: msg.flag, queueOffset: msg.queueOffset,
      commitLogOffset: msg.commitLogOffset, sysFlag: msg.sysFlag, bornTimestamp: msg.bornTimestamp, bornHost: msg.bornHost,
      storeTimestamp: msg.storeTimestamp, storeHost: msg.storeHost, reconsumeTimes: msg.reconsumeTimes,
      preparedTransactionOffset: msg.preparedTransactionOffset, topic: msg.topic, msgId: msg.msgId,
    }).toEqual({
      storeSize: 149, bodyCRC: 0x4a821663, queueId: 3, flag: 0, queueOffset: 7, commitLogOffset: 500, sysFlag: 0,
      bornTimestamp: 1700000000000, bornHost: '192.168.0.10:50000', storeTimestamp: 1700000000123, storeHost: '10.0.0.1:10911',
      reconsumeTimes: 0, preparedTransactionOffset: 0, topic: 'TopicTest', msgId: '0A00000100002A9F00000000000001F4',
    });
    expect(new TextDecoder().decode(msg.body)).toBe('Hello RocketMQ 2');
    expect([...msg.properties]).toEqual([['TAGS', 'TagA'], ['KEYS', 'order-1'], ['WAIT', 'true']]);
    expect(decodeMessage(GOLDEN_RECORD, 0, false)!.body.length).toBe(0);
  });

  it('decodeMessages() splits a pull body of back-to-back records', () => {
    const body = concatBytes([GOLDEN_RECORD, GOLDEN_RECORD, GOLDEN_RECORD]);
    expect(decodeMessages(body).map((m) => m.topic)).toEqual(['TopicTest', 'TopicTest', 'TopicTest']);
    expect(decodeMessages(body.subarray(0, 149 * 2 + 40))).toHaveLength(2); // a torn third record is dropped
  });

  it('decodeMessage() answers undefined for every truncation and never throws on corruption', () => {
    for (let length = 0; length < GOLDEN_RECORD.length; length++) {
      expect(decodeMessage(GOLDEN_RECORD.subarray(0, length)), `length ${length}`).toBeUndefined();
    }
    const random = new SeededRandom(3);
    for (let round = 0; round < 800; round++) {
      const bytes = new Uint8Array(GOLDEN_RECORD);
      bytes[random.int(bytes.length)] = random.int(256);
      bytes[random.int(bytes.length)] = random.int(256);
      expect(() => decodeMessages(bytes)).not.toThrow();
    }
  });

  it('decodeMessage(…, deCompressBody) inflates a COMPRESSED body with the given function', () => {
    const bytes = new Uint8Array(GOLDEN_RECORD);
    new DataView(bytes.buffer).setInt32(36, 1, false); // SYSFLAG = COMPRESSED
    const inflated = decodeMessage(bytes, 0, true, true, (b) => new Uint8Array([...b].reverse()))!;
    expect(new TextDecoder().decode(inflated.body)).toBe('2 QMtekcoR olleH');
    expect(decodeMessage(bytes, 0, true, false)!.body.length).toBe(16);
  });
});

describe('encodeMessage', () => {
  it('encodeMessage() of the decoded golden record gives the golden bytes back', () => {
    expect(toHex(encodeMessage(decodeMessage(GOLDEN_RECORD)!))).toBe(GOLDEN_RECORD_HEX);
  });

  it('encodeMessage() writes the message as it is: properties from the map, BODYCRC as stored', () => {
    const msg = new MessageExt({
      topic: 'T', body: encodeUtf8('b'), bodyCRC: 123, bornHost: '1.2.3.4:5', storeHost: '6.7.8.9:10', commitLogOffset: 77,
      properties: new Map([['A', 'b']]),
    });
    const back = decodeMessage(encodeMessage(msg))!;
    expect([back.bodyCRC, back.topic, back.commitLogOffset, back.properties.get('A'), back.storeSize]).toEqual([123, 'T', 77, 'b', 91 + 1 + 1 + 4]);
  });
});

describe('batch body', () => {
  it('encodeBatchItem() writes [size][0][0][flag][bodyLen][body][propLen][props]', () => {
    const msg = new Message({ flag: 7, body: encodeUtf8('hi'), properties: new Map([['K', 'v']]) });
    expect(toHex(encodeBatchItem(msg))).toBe([
      '0000001C', // TOTALSIZE 28 = 22 + 2 (body) + 4 (properties)
      '00000000', // MAGICCODE, unused
      '00000000', // BODYCRC, computed by the broker
      '00000007', // FLAG
      '00000002', '6869', // BODY LENGTH + "hi"
      '0004', '4B017602', // PROPERTIES LENGTH + "K\x01v\x02"
    ].join(''));
  });

  it('decodeBatchMessages() reverses encodeBatchMessages() and refuses a torn body', () => {
    const items = [
      new Message({ flag: 1, body: encodeUtf8('one'), properties: new Map([['UNIQ_KEY', 'A']]) }),
      new Message({ flag: 2, body: new Uint8Array(0) }),
    ];
    const body = encodeBatchMessages(items);
    const back = decodeBatchMessages(body)!;
    expect(back.map((m) => [m.flag, new TextDecoder().decode(m.body), [...m.properties]])).toEqual([
      [1, 'one', [['UNIQ_KEY', 'A']]],
      [2, '', []],
    ]);
    expect(decodeBatchMessages(body.subarray(0, body.length - 1))).toBeUndefined();
    expect(() => encodeBatchItem(new Message({ properties: new Map([['k', 'x'.repeat(40000)]]) }))).toThrow(RangeError);
  });
});
