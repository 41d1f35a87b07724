// The admin bodies with MessageQueue-keyed maps: fastjson writes a JSON object where a key
// belongs. Goal: we write exactly that form and read it back, including Java's own output.
import { describe, expect, it } from 'vitest';
import {
  computeTotalDiff, decodeConsumeStats, decodeLockBatchRequestBody, decodeResetOffsetBody, encodeConsumeStats, encodeResetOffsetBody,
} from '../../../../src/common/protocol/body/admin-bodies.js';
import { parseWithObjectKeys, quoteObjectKeys, writeMessageQueueMap } from '../../../../src/common/protocol/body/message-queue-keyed-map.js';
import { decodeUtf8, encodeUtf8 } from '../../../../src/common/bytes.js';
import { JsonFormatError } from '../../../../src/common/json/fastjson.js';

const mq = (topic: string, queueId: number, brokerName = 'broker-a') => ({ topic, brokerName, queueId });

describe('message-queue-keyed-map', () => {
  it('writeMessageQueueMap() writes object keys sorted by topic, broker name and queue id', () => {
    expect(writeMessageQueueMap([[mq('T', 1), 7], [mq('S', 0), 1], [mq('T', 0), 5]])).toBe(
      '{{"brokerName":"broker-a","queueId":0,"topic":"S"}:1,{"brokerName":"broker-a","queueId":0,"topic":"T"}:5,{"brokerName":"broker-a","queueId":1,"topic":"T"}:7}',
    );
  });

  it('quoteObjectKeys() quotes objects in key positions only, leaving arrays, values and strings alone', () => {
    expect(quoteObjectKeys('{{"a":1}:2}')).toBe('{"{\\"a\\":1}":2}');
    const untouched = ['[{"a":1},{"b":2}]', '{"x":"{y}:,{z}","k":{"q":[{"r":1}]}}', '{0:{"a":1},1:{"b":"}"}}'];
    for (const text of untouched) expect(quoteObjectKeys(text)).toBe(text);
    expect(quoteObjectKeys('{"t":{ {"q":"a,{b}"} : {"n":1}, {"q":2}:[] }}')).toBe('{"t":{ "{\\"q\\":\\"a,{b}\\"}" : {"n":1}, "{\\"q\\":2}":[] }}');
  });

  it('parseWithObjectKeys() reports an unterminated key as a JsonFormatError naming the body', () => {
    expect(() => parseWithObjectKeys('{{"a":1', 'ConsumeStats')).toThrow(new JsonFormatError('ConsumeStats', 'unterminated object key'));
    expect(() => parseWithObjectKeys('{"a', 'ConsumeStats')).toThrow(JsonFormatError);
  });
});

describe('ConsumeStats', () => {
  it('decodeConsumeStats() reads what Java writes (HashMap order, 0.0, pretty spacing) and encodeConsumeStats() round-trips it', () => {
    const java = '{"consumeTps":0.0,"offsetTable":{{"brokerName":"broker-b","queueId":1,"topic":"T"}:{"brokerOffset":9,"consumerOffset":4,"lastTimestamp":1700000000123},' +
      '{"brokerName":"broker-a","queueId":0,"topic":"T"}:{"brokerOffset":3,"consumerOffset":3,"lastTimestamp":0}}}';
    const stats = decodeConsumeStats(encodeUtf8(java));
    expect(stats.consumeTps).toBe(0);
    expect(stats.offsetTable).toEqual([
      [mq('T', 1, 'broker-b'), { brokerOffset: 9, consumerOffset: 4, lastTimestamp: 1700000000123 }],
      [mq('T', 0), { brokerOffset: 3, consumerOffset: 3, lastTimestamp: 0 }],
    ]);
    expect(computeTotalDiff(stats)).toBe(5);
    expect(decodeConsumeStats(encodeConsumeStats(stats))).toEqual({ ...stats, offsetTable: [stats.offsetTable[1], stats.offsetTable[0]] });
  });

  it('decodeResetOffsetBody() refuses a non-integer offset and a key that is not a MessageQueue', () => {
    const body = encodeResetOffsetBody({ offsetTable: [[mq('T', 0), 4]] });
    expect(decodeUtf8(body)).toBe('{"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"T"}:4}}');
    expect(() => decodeResetOffsetBody(encodeUtf8('{"offsetTable":{{"brokerName":"b","queueId":0,"topic":"T"}:"x"}}'))).toThrow(JsonFormatError);
    expect(() => decodeResetOffsetBody(encodeUtf8('{"offsetTable":{"T@0":1}}'))).toThrow(/is not a MessageQueue object/);
    expect(() => decodeResetOffsetBody(encodeUtf8('{"offsetTable":{{"queueId":0,"topic":"T"}:1}}'))).toThrow(/brokerName: is missing/);
  });
});

describe('LockBatchRequestBody', () => {
  it('decodeLockBatchRequestBody() reads clientId (not clientID) and the mqSet', () => {
    const body = encodeUtf8('{"clientId":"10.0.0.7@1","consumerGroup":"cg","mqSet":[{"brokerName":"broker-a","queueId":2,"topic":"T"}]}');
    expect(decodeLockBatchRequestBody(body, 'LockBatchRequestBody')).toEqual({ consumerGroup: 'cg', clientId: '10.0.0.7@1', mqSet: [mq('T', 2)] });
  });
});
