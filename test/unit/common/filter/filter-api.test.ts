// FilterAPI.buildSubscriptionData: tag expressions to tagsSet + codeSet (Java String.hashCode),
// with Java's split quirks, and non-TAG expressions kept as they are.
import { describe, expect, it } from 'vitest';
import { buildSubscriptionData, SubscriptionParseError } from '../../../../src/common/filter/filter-api.js';
import { javaStringHashCode } from '../../../../src/common/java-compat.js';

describe('FilterAPI', () => {
  it('buildSubscriptionData() turns "TagA || TagB" into trimmed tags and their Java hash codes', () => {
    const sub = buildSubscriptionData('TopicA', 'TagA || TagB');
    expect(sub).toMatchObject({ topic: 'TopicA', subString: 'TagA || TagB', expressionType: 'TAG', subVersion: 0, isSubAll: false });
    expect([...sub.tagsSet]).toEqual(['TagA', 'TagB']);
    // Values Java prints for "TagA".hashCode() and "TagB".hashCode().
    expect([...sub.codeSet]).toEqual([2598919, 2598920]);
  });

  it('buildSubscriptionData() reads "*", "" and no expression as SUB_ALL with empty sets', () => {
    for (const subString of ['*', '', undefined]) {
      const sub = buildSubscriptionData('TopicA', subString, 'TAG', 42);
      expect([sub.subString, sub.tagsSet.size, sub.codeSet.size, sub.subVersion]).toEqual(['*', 0, 0, 42]);
    }
  });

  it('buildSubscriptionData() keeps negative hash codes and non-ASCII tags (UTF-16 hashing)', () => {
    const sub = buildSubscriptionData('T', 'payment||支付');
    expect([...sub.codeSet]).toEqual([-786681338, javaStringHashCode('支付')]);
    expect(javaStringHashCode('payment')).toBe(-786681338);
  });

  it('buildSubscriptionData() follows Java split: blank pieces skipped, "||" alone is an error', () => {
    expect([...buildSubscriptionData('T', ' || TagB ||').tagsSet]).toEqual(['TagB']);
    expect([...buildSubscriptionData('T', '  ').tagsSet]).toEqual([]);
    expect(() => buildSubscriptionData('T', '||')).toThrow(SubscriptionParseError);
  });

  it('buildSubscriptionData() keeps a SQL92 expression as is and refuses an empty one', () => {
    const sub = buildSubscriptionData('T', 'a > 5 AND b = \'x\'', 'SQL92');
    expect([sub.expressionType, sub.subString, sub.codeSet.size]).toEqual(['SQL92', "a > 5 AND b = 'x'", 0]);
    expect(() => buildSubscriptionData('T', '', 'SQL92')).toThrow("Expression can't be null! SQL92");
  });
});
