// ExpressionMessageFilter: the consume-queue tag-code match of a TAG subscription.
import { describe, expect, it } from 'vitest';
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
