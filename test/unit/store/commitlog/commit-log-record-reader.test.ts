// checkMessageAndReturnSize: the golden DispatchRequest of a known record, and the verdicts
// on BLANK, truncated, corrupted and inconsistent bytes. It must never throw.
import { describe, expect, it } from 'vitest';
import { encodeUtf8 } from '../../../../src/common/bytes.js';
import { MessageExtBrokerInner } from '../../../../src/common/message/message-ext.js';
import { SeededRandom } from '../../../../src/platform/random.js';
import {
  checkMessageAndReturnSize, DelayLevelTable, RMQ_SYS_SCHEDULE_TOPIC,
} from '../../../../src/store/commitlog/commit-log-record-reader.js';
import { MessageExtEncoder } from '../../../../src/store/commitlog/message-encoder.js';
import { BODY_POSITION, TOTAL_SIZE_POSITION } from '../../../../src/store/commitlog/record-layout.js';
import { isBlankDispatchRequest } from '../../../../src/store/dispatch/dispatch-request.js';
import { GOLDEN_RECORD } from './golden-record.js';

function encode(msg: MessageExtBrokerInner, storeTimestamp = 1000): Uint8Array {
  const encoder = new MessageExtEncoder();
  const target = new Uint8Array(encoder.measure(msg).msgLength);
  encoder.encode(msg, target, 0, { physicalOffset: 0, queueOffset: 0, storeTimestamp });
  return target;
}

describe('checkMessageAndReturnSize', () => {
  it('checkMessageAndReturnSize() turns the golden record into the expected DispatchRequest', () => {
    const request = checkMessageAndReturnSize(GOLDEN_RECORD, 0, true);
    expect(request).toEqual({
      success: true,
      msgSize: 149,
      topic: 'TopicTest',
      queueId: 3,
      commitLogOffset: 500,
      tagsCode: 2598919, // "TagA".hashCode()
      storeTimestamp: 1700000000123,
      consumeQueueOffset: 7,
      keys: 'order-1',
      uniqKey: undefined,
      sysFlag: 0,
      preparedTransactionOffset: 0,
      propertiesMap: new Map([['TAGS', 'TagA'], ['KEYS', 'order-1'], ['WAIT', 'true']]),
    });
  });

  it('checkMessageAndReturnSize() reads a record in the middle of a larger buffer', () => {
    const buffer = new Uint8Array(GOLDEN_RECORD.length * 2 + 3);
    buffer.set(GOLDEN_RECORD, 3);
    buffer.set(GOLDEN_RECORD, 3 + GOLDEN_RECORD.length);
    expect(checkMessageAndReturnSize(buffer, 3, true).msgSize).toBe(149);
    expect(checkMessageAndReturnSize(buffer, 152, true).msgSize).toBe(149);
    expect(checkMessageAndReturnSize(buffer.subarray(3), 149, true).commitLogOffset).toBe(500);
  });

  it('checkMessageAndReturnSize() reports -1 for every truncation of the record, never throwing', () => {
    for (let length = 0; length < GOLDEN_RECORD.length; length++) {
      const request = checkMessageAndReturnSize(GOLDEN_RECORD.subarray(0, length), 0, true);
      expect(request.success, `length ${length}`).toBe(false);
      expect(request.msgSize, `length ${length}`).toBe(-1);
    }
  });

  it('checkMessageAndReturnSize() rejects a bad magic code and a body CRC mismatch with -1', () => {
    const badMagic = new Uint8Array(GOLDEN_RECORD);
    badMagic[4] = 0;
    expect(checkMessageAndReturnSize(badMagic, 0, true)).toMatchObject({ success: false, msgSize: -1, failureReason: 'BAD_MAGIC' });
    const badBody = new Uint8Array(GOLDEN_RECORD);
    badBody[BODY_POSITION] = badBody[BODY_POSITION]! ^ 1;
    expect(checkMessageAndReturnSize(badBody, 0, true)).toMatchObject({ success: false, msgSize: -1, failureReason: 'BAD_CRC' });
    expect(checkMessageAndReturnSize(badBody, 0, false).success).toBe(true); // reput does not check the CRC
    expect(checkMessageAndReturnSize(badBody, 0, true, false).success).toBe(true); // nor does a reader that skips the body
  });

  it('checkMessageAndReturnSize() reports TOTALSIZE with success false when it disagrees with the fields', () => {
    const bytes = new Uint8Array(GOLDEN_RECORD.length + 10);
    bytes.set(GOLDEN_RECORD, 0);
    new DataView(bytes.buffer).setInt32(TOTAL_SIZE_POSITION, 155, false);
    expect(checkMessageAndReturnSize(bytes, 0, true)).toMatchObject({ success: false, msgSize: 155, failureReason: 'SIZE_MISMATCH' });
  });

  it('checkMessageAndReturnSize() reports BLANK as success with size 0, and all-zero bytes as -1', () => {
    const blank = new Uint8Array([0, 0, 0, 64, 0xcb, 0xd4, 0x31, 0x94]);
    expect(isBlankDispatchRequest(checkMessageAndReturnSize(blank, 0, true))).toBe(true);
    expect(checkMessageAndReturnSize(new Uint8Array(200), 0, true).msgSize).toBe(-1);
    expect(checkMessageAndReturnSize(new Uint8Array(200), 500, true).msgSize).toBe(-1);
  });

  it('checkMessageAndReturnSize() never throws on random corruption of a valid record', () => {
    // Goal: any byte flipped anywhere gives a verdict, not an exception. Method: seeded
    // random single- and multi-byte corruptions, all three boolean modes.
    const random = new SeededRandom(42);
    for (let round = 0; round < 3000; round++) {
      const bytes = new Uint8Array(GOLDEN_RECORD);
      const flips = 1 + random.int(4);
      for (let i = 0; i < flips; i++) bytes[random.int(bytes.length)] = random.int(256);
      const request = checkMessageAndReturnSize(bytes, 0, random.int(2) === 0, random.int(2) === 0);
      expect(typeof request.success).toBe('boolean');
      if (request.success) expect(request.msgSize === 0 || request.msgSize === bytes.length).toBe(true);
    }
  });

  it('checkMessageAndReturnSize() puts the deliver time into tagsCode for SCHEDULE_TOPIC_XXXX', () => {
    const msg = new MessageExtBrokerInner({
      topic: RMQ_SYS_SCHEDULE_TOPIC, body: encodeUtf8('x'), bornHost: '1.1.1.1:1', storeHost: '2.2.2.2:2',
      propertiesString: 'TAGS\u0001TagA\u0002DELAY\u00013\u0002REAL_TOPIC\u0001T\u0002',
    });
    expect(checkMessageAndReturnSize(encode(msg, 50_000), 0, true).tagsCode).toBe(50_000 + 10_000); // level 3 = 10s
    msg.propertiesString = 'DELAY\u000199\u0002';
    expect(checkMessageAndReturnSize(encode(msg, 50_000), 0, true).tagsCode).toBe(50_000 + 7_200_000); // clamped to level 18 = 2h
    const table = DelayLevelTable.parse('1s 2m')!;
    expect(checkMessageAndReturnSize(encode(msg, 50_000), 0, true, true, { deliverTimestamp: table }).tagsCode).toBe(50_000 + 120_000);
    msg.propertiesString = 'DELAY\u0001abc\u0002';
    expect(checkMessageAndReturnSize(encode(msg), 0, true)).toMatchObject({ success: false, msgSize: -1 }); // Java: NumberFormatException
    msg.topic = 'Other';
    msg.propertiesString = 'TAGS\u0001TagA\u0002DELAY\u00013\u0002';
    expect(checkMessageAndReturnSize(encode(msg), 0, true).tagsCode).toBe(2598919);
  });

  it('checkMessageAndReturnSize() answers MALFORMED, not a crash later, when a garbage store time makes the deliver time pass 2^53', () => {
    const msg = new MessageExtBrokerInner({
      topic: RMQ_SYS_SCHEDULE_TOPIC, body: encodeUtf8('x'), bornHost: '1.1.1.1:1', storeHost: '2.2.2.2:2',
      propertiesString: 'DELAY\u00013\u0002',
    });
    expect(checkMessageAndReturnSize(encode(msg, Number.MAX_SAFE_INTEGER - 5), 0, true)).toMatchObject({ success: false, msgSize: -1, failureReason: 'MALFORMED' });
  });

  it('DelayLevelTable.parse() reads the default 18 levels and refuses unknown units', () => {
    const table = DelayLevelTable.parse()!;
    expect(table.maxDelayLevel).toBe(18);
    expect(table.delayMillis.slice(0, 5)).toEqual([1000, 5000, 10000, 30000, 60000]);
    expect(table.computeDeliverTimestamp(19, 0)).toBe(1000);
    expect(DelayLevelTable.parse('1s 5x')).toBeUndefined();
    expect(DelayLevelTable.parse('1d')!.delayMillis).toEqual([86_400_000]);
  });
});
