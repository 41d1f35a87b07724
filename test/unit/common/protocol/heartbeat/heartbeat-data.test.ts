// HeartbeatData decoding from the exact bodies real clients send (ali-ons 3.12.0 and a Java
// 4.x client), with clear errors for bad ones, and encoding in fastjson's key order.
import { describe, expect, it } from 'vitest';
import { encodeUtf8 } from '../../../../../src/common/bytes.js';
import { JsonFormatError } from '../../../../../src/common/json/fastjson.js';
import { HeartbeatData } from '../../../../../src/common/protocol/heartbeat/heartbeat-data.js';
import { SubscriptionData } from '../../../../../src/common/protocol/heartbeat/subscription-data.js';

// What ali-ons 3.12.0 writes (JSON.stringify of its own object: its key order, no
// expressionType, no unitMode, codeSet as numbers).
const ALI_ONS_BODY =
  '{"clientID":"10.0.0.9@1234","consumerDataSet":[{"groupName":"CG","consumeType":"CONSUME_PASSIVELY",' +
  '"messageModel":"CLUSTERING","consumeFromWhere":"CONSUME_FROM_FIRST_OFFSET","subscriptionDataSet":[' +
  '{"topic":"TopicA","subString":"TagA || TagB","classFilterMode":false,"tagsSet":["TagA","TagB"],"codeSet":[2598919,2598920],"subVersion":1700000000123},' +
  '{"topic":"%RETRY%CG","subString":"*","classFilterMode":false,"tagsSet":[],"codeSet":[],"subVersion":1700000000124}]}],' +
  '"producerDataSet":[{"groupName":"PG"}]}';

// What a Java 4.x client writes (fastjson: alphabetical keys, enums by name).
const JAVA_BODY =
  '{"clientID":"192.168.1.5@12345","consumerDataSet":[{"consumeFromWhere":"CONSUME_FROM_LAST_OFFSET","consumeType":"CONSUME_PASSIVELY",' +
  '"groupName":"cg","messageModel":"BROADCASTING","subscriptionDataSet":[{"classFilterMode":false,"codeSet":[],"expressionType":"TAG",' +
  '"subString":"*","subVersion":1700000000000,"tagsSet":[],"topic":"TopicA"}],"unitMode":true}],' +
  '"producerDataSet":[{"groupName":"CLIENT_INNER_PRODUCER"},{"groupName":"pg"}]}';

function decode(text: string, now = 0): HeartbeatData {
  return HeartbeatData.decode(encodeUtf8(text), now);
}

function errorOf(text: string): string {
  try {
    decode(text);
  } catch (error) {
    expect(error).toBeInstanceOf(JsonFormatError);
    return (error as Error).message;
  }
  throw new Error('decoded without error');
}

describe('HeartbeatData', () => {
  it('decode() reads the exact ali-ons body: tagsSet and codeSet arrays, defaults for the missing expressionType and unitMode', () => {
    const heartbeat = decode(ALI_ONS_BODY);
    expect(heartbeat.clientID).toBe('10.0.0.9@1234');
    expect(heartbeat.producerDataSet.map((p) => p.groupName)).toEqual(['PG']);
    const [consumer] = heartbeat.consumerDataSet;
    expect(consumer).toMatchObject({ groupName: 'CG', consumeType: 'CONSUME_PASSIVELY', messageModel: 'CLUSTERING', consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', unitMode: false });
    const [topicA, retry] = consumer!.subscriptionDataSet;
    expect(topicA).toMatchObject({ topic: 'TopicA', subString: 'TagA || TagB', expressionType: 'TAG', subVersion: 1700000000123, classFilterMode: false });
    expect([...topicA!.tagsSet]).toEqual(['TagA', 'TagB']);
    expect([...topicA!.codeSet]).toEqual([2598919, 2598920]);
    expect(retry).toMatchObject({ topic: '%RETRY%CG', subString: '*', isSubAll: true });
  });

  it('decode() reads a Java client body (alphabetical keys, BROADCASTING, unitMode, CLIENT_INNER_PRODUCER)', () => {
    const heartbeat = decode(JAVA_BODY);
    expect(heartbeat.producerDataSet.map((p) => p.groupName)).toEqual(['CLIENT_INNER_PRODUCER', 'pg']);
    expect(heartbeat.consumerDataSet[0]).toMatchObject({ groupName: 'cg', messageModel: 'BROADCASTING', consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET', unitMode: true });
  });

  it('decode() accepts every ConsumeFromWhere name (the deprecated ones too) and enum ordinals, as fastjson does', () => {
    const body = (where: unknown, type: unknown = 'CONSUME_ACTIVELY') =>
      JSON.stringify({ clientID: 'c', consumerDataSet: [{ groupName: 'g', consumeType: type, messageModel: 'CLUSTERING', consumeFromWhere: where }] });
    for (const where of ['CONSUME_FROM_LAST_OFFSET_AND_FROM_MIN_WHEN_BOOT_FIRST', 'CONSUME_FROM_MIN_OFFSET', 'CONSUME_FROM_MAX_OFFSET', 'CONSUME_FROM_TIMESTAMP']) {
      expect(decode(body(where)).consumerDataSet[0]!.consumeFromWhere).toBe(where);
    }
    expect(decode(body(4, 1)).consumerDataSet[0]).toMatchObject({ consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', consumeType: 'CONSUME_PASSIVELY' });
  });

  it('decode() stamps a missing subVersion with the given time (Java: the decode time)', () => {
    const body = '{"clientID":"c","consumerDataSet":[{"groupName":"g","consumeType":"CONSUME_PASSIVELY","messageModel":"CLUSTERING",' +
      '"consumeFromWhere":"CONSUME_FROM_LAST_OFFSET","subscriptionDataSet":[{"topic":"T","subString":"*"}]}]}';
    expect(decode(body, 1_700_000_000_999).consumerDataSet[0]!.subscriptionDataSet[0]!.subVersion).toBe(1_700_000_000_999);
  });

  it('decode() names the bad field: missing clientID, unknown enum, a codeSet that is not ints, a groupName missing, not JSON', () => {
    expect(errorOf('{"producerDataSet":[]}')).toBe('HeartbeatData.clientID: is missing');
    expect(errorOf(ALI_ONS_BODY.replace('"CLUSTERING"', '"CLUSTER"'))).toMatch(/^HeartbeatData\.consumerDataSet\[0\]\.messageModel: unknown value "CLUSTER" \(one of BROADCASTING, CLUSTERING\)$/);
    expect(errorOf(ALI_ONS_BODY.replace('[2598919,2598920]', '[2598919,"x"]'))).toMatch(/^HeartbeatData\.consumerDataSet\[0\]\.subscriptionDataSet\[0\]\.codeSet\[1\]: expected an int/);
    expect(errorOf(ALI_ONS_BODY.replace('"tagsSet":["TagA","TagB"]', '"tagsSet":"TagA"'))).toMatch(/tagsSet: expected an array/);
    expect(errorOf('{"clientID":"c","producerDataSet":[{}]}')).toBe('HeartbeatData.producerDataSet[0].groupName: is missing');
    expect(errorOf('{"clientID":"c","consumerDataSet":[{"groupName":"g","messageModel":"CLUSTERING","consumeFromWhere":"CONSUME_FROM_LAST_OFFSET"}]}'))
      .toMatch(/consumerDataSet\[0\]\.consumeType: is missing/);
    expect(errorOf('not json')).toMatch(/^HeartbeatData: not JSON/);
  });

  it('encode() writes fastjson key order and decodes back to the same data', () => {
    const heartbeat = decode(ALI_ONS_BODY);
    const text = new TextDecoder().decode(heartbeat.encode());
    expect(text.startsWith('{"clientID":"10.0.0.9@1234","consumerDataSet":[{"consumeFromWhere":"CONSUME_FROM_FIRST_OFFSET","consumeType":"CONSUME_PASSIVELY","groupName":"CG","messageModel":"CLUSTERING","subscriptionDataSet":[{"classFilterMode":false,"codeSet":[2598919,2598920],"expressionType":"TAG","subString":"TagA || TagB","subVersion":1700000000123,"tagsSet":["TagA","TagB"],"topic":"TopicA"}')).toBe(true);
    expect(HeartbeatData.decode(heartbeat.encode())).toEqual(heartbeat);
  });
});

describe('SubscriptionData', () => {
  it('fromJson() reads codeSet items given as decimal strings and rejects out-of-range ints', () => {
    expect([...SubscriptionData.fromJson({ topic: 'T', codeSet: ['-5', 7] }, 's').codeSet]).toEqual([-5, 7]);
    expect(() => SubscriptionData.fromJson({ topic: 'T', codeSet: [2 ** 31] }, 's')).toThrow('s.codeSet[0]: expected an int');
    expect(() => SubscriptionData.fromJson({ subString: '*' }, 's')).toThrow('s.topic: is missing');
  });
});
