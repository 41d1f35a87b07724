// ExpressionMessageFilter: the consume-queue tag-code match of a TAG subscription, and for
// SQL92 the bloom bit-map test at the consume queue and the expression over the record's
// properties at the commit log (ExpressionForRetryMessageFilter for retry topics).
import { describe, expect, it } from 'vitest';
import { ConsumerFilterManager } from '../../../../src/broker/filter/consumer-filter-manager.js';
import { ExpressionForRetryMessageFilter } from '../../../../src/broker/filter/expression-for-retry-message-filter.js';
import { decodeProperties, MessageEvaluationContext } from '../../../../src/broker/filter/message-evaluation-context.js';
import { encodeUtf8 } from '../../../../src/common/bytes.js';
import { encodeMessage } from '../../../../src/common/message/message-decoder.js';
import { MessageExt } from '../../../../src/common/message/message-ext.js';
import { noEvents } from '../../../../src/events/event-sink.js';
import { BitsArray } from '../../../../src/filter/util/bits-array.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import { buildSubscriptionData } from '../../../../src/common/filter/filter-api.js';
import { javaStringHashCode } from '../../../../src/common/java-compat.js';
import { ExpressionMessageFilter } from '../../../../src/broker/filter/expression-message-filter.js';

const hash = javaStringHashCode;

describe('ExpressionMessageFilter', () => {
  it('isMatchedByConsumeQueue() matches the codeSet of "TagA || TagB" and nothing else', () => {
    const filter = new ExpressionMessageFilter(buildSubscriptionData('T', 'TagA || TagB'));
    expect([hash('TagA'), hash('TagB'), hash('TagC')].map((code) => filter.isMatchedByConsumeQueue(code))).toEqual([true, true, false]);
  });

  it('isMatchedByConsumeQueue() compares (int) tagsCode: a sign-extended negative hash and its 64-bit low word both match', () => {
    const filter = new ExpressionMessageFilter(buildSubscriptionData('T', 'payment'));
    const code = hash('payment');
    expect(code).toBeLessThan(0);
    expect(filter.isMatchedByConsumeQueue(code)).toBe(true);
    expect(filter.isMatchedByConsumeQueue(code + 2 ** 32)).toBe(true); // the same low 32 bits
  });

  it('isMatchedByConsumeQueue() matches everything for "*", an unreadable tags code, no subscription, or a non-TAG expression', () => {
    expect(new ExpressionMessageFilter(buildSubscriptionData('T', '*')).isMatchedByConsumeQueue(hash('X'))).toBe(true);
    expect(new ExpressionMessageFilter(buildSubscriptionData('T', 'TagA')).isMatchedByConsumeQueue(undefined)).toBe(true);
    expect(new ExpressionMessageFilter(undefined).isMatchedByConsumeQueue(1)).toBe(true);
    expect(new ExpressionMessageFilter(buildSubscriptionData('T', 'a > 1', 'SQL92')).isMatchedByConsumeQueue(1)).toBe(true);
    expect(new ExpressionMessageFilter(buildSubscriptionData('T', 'TagA')).isMatchedByCommitLog(new Uint8Array(0))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------
// SQL92: the bloom test at the consume queue, the expression at the commit log.

const T0 = 1_700_000_000_000;

function sqlSetup(expression: string) {
  const clock = new ManualClock(T0);
  const manager = new ConsumerFilterManager({ fs: new MemoryFileSystem(), configPath: '/store/config/consumerFilter.json', clock, events: noEvents() });
  manager.register('CG', [buildSubscriptionData('TopicA', expression, 'SQL92', 100)]);
  const data = manager.get('TopicA', 'CG')!;
  const filter = new ExpressionMessageFilter(buildSubscriptionData('TopicA', expression, 'SQL92', 100), data, manager);
  return { manager, data, filter };
}

/** A stored record of TopicA with these properties (what the store hands isMatchedByCommitLog). */
function record(properties: Record<string, string>, topic = 'TopicA'): Uint8Array {
  return encodeMessage(new MessageExt({ topic, body: encodeUtf8('x'), properties: new Map(Object.entries(properties)) }));
}

describe('ExpressionMessageFilter (SQL92)', () => {
  it('isMatchedByCommitLog() decodes the record\'s properties and keeps it only when the expression is exactly true', () => {
    const { filter } = sqlSetup("a > 5 AND b = 'x'");
    expect(filter.isMatchedByCommitLog(record({ a: '9', b: 'x' }))).toBe(true);
    expect(filter.isMatchedByCommitLog(record({ a: '3', b: 'x' }))).toBe(false);
    expect(filter.isMatchedByCommitLog(record({ b: 'x' }))).toBe(false); // a missing: null, not a match
    expect(filter.isMatchedByCommitLog(record({}))).toBe(false); // no properties at all
    expect(filter.isMatchedByCommitLog(new Uint8Array(0), new Map([['a', '6'], ['b', 'x']]))).toBe(true); // given properties win
    expect(filter.stats).toMatchObject({ commitLogChecked: 5, commitLogMatched: 2 });
    expect(filter.sample).toEqual({ properties: new Map([['a', '9'], ['b', 'x']]), result: true });
  });

  it('without compiled filter data every SQL92 record matches (Java: no expression, no filtering)', () => {
    const sub = buildSubscriptionData('TopicA', 'a > 5', 'SQL92', 100);
    expect(new ExpressionMessageFilter(sub).isMatchedByCommitLog(record({ a: '1' }))).toBe(true);
    expect(new ExpressionMessageFilter(sub).isMatchedByConsumeQueue(7, { tagsCode: 7, msgStoreTime: T0 + 1, filterBitMap: new Uint8Array(14) })).toBe(true);
  });

  it('isMatchedByConsumeQueue() tests the group\'s bloom bits in the unit\'s bit map, and says "maybe" whenever it cannot', () => {
    const { manager, data, filter } = sqlSetup('a > 5');
    const withBits = BitsArray.create(manager.bloomFilter.m);
    manager.bloomFilter.hashTo(data.bloomFilterData!, withBits);
    const empty = new Uint8Array(14);
    const unit = (filterBitMap: Uint8Array | undefined, msgStoreTime = T0 + 1) => ({ tagsCode: 0, msgStoreTime, filterBitMap });
    expect(filter.isMatchedByConsumeQueue(0, unit(withBits.bytes))).toBe(true);
    expect(filter.isMatchedByConsumeQueue(0, unit(empty))).toBe(false); // the group's bits are not all set: cannot match
    expect(filter.isMatchedByConsumeQueue(0, unit(empty, T0))).toBe(true); // stored before the filter was born
    expect(filter.isMatchedByConsumeQueue(0, unit(undefined))).toBe(true); // no bit map
    expect(filter.isMatchedByConsumeQueue(0, unit(new Uint8Array(8)))).toBe(true); // a bit map of another size
    expect(filter.isMatchedByConsumeQueue(0)).toBe(true); // no ext unit
    expect(filter.stats).toMatchObject({ cqChecked: 6, cqMatched: 5, bitMapChecked: 2, bitMapHit: 1 });
  });

  it('ExpressionForRetryMessageFilter evaluates a retry record with the group\'s filter of its RETRY_TOPIC; other TAG pulls match', () => {
    const { manager } = sqlSetup('a > 5');
    const retry = new ExpressionForRetryMessageFilter(buildSubscriptionData('%RETRY%CG', '*', undefined, 1), undefined, manager);
    expect(retry.isMatchedByConsumeQueue(123)).toBe(true);
    expect(retry.isMatchedByCommitLog(record({ RETRY_TOPIC: 'TopicA', a: '9' }, '%RETRY%CG'))).toBe(true);
    expect(retry.isMatchedByCommitLog(record({ RETRY_TOPIC: 'TopicA', a: '1' }, '%RETRY%CG'))).toBe(false);
    expect(retry.isMatchedByCommitLog(record({ RETRY_TOPIC: 'OtherTopic', a: '1' }, '%RETRY%CG'))).toBe(true); // no filter there
    expect(retry.isMatchedByCommitLog(record({ a: '1' }, '%RETRY%CG'))).toBe(true); // no RETRY_TOPIC
    const plain = new ExpressionForRetryMessageFilter(buildSubscriptionData('TopicA', 'TagA'), undefined, manager);
    expect(plain.isMatchedByCommitLog(record({ a: '1' }))).toBe(true);
  });

  it('decodeProperties() reads the properties out of a stored record, and gives undefined for a truncated one', () => {
    const bytes = record({ region: 'eu', TAGS: 'TagA' });
    expect(decodeProperties(bytes)).toEqual(new Map([['region', 'eu'], ['TAGS', 'TagA']]));
    expect(decodeProperties(bytes.subarray(0, bytes.length - 3))).toBeUndefined();
    expect(decodeProperties(bytes.subarray(0, 20))).toBeUndefined();
    expect(new MessageEvaluationContext(undefined).get('a')).toBeNull();
  });
});
