// Table-driven checks of the default allocation: every (queues, consumers) pair gives each
// consumer a contiguous block, the first `n mod c` consumers one extra, and together the
// blocks cover every queue exactly once.
import { describe, expect, it } from 'vitest';
import { AllocateMessageQueueAveragely } from '../../../../../src/client/consumer/allocate/allocate-message-queue-averagely.js';
import type { MessageQueue } from '../../../../../src/common/protocol/body/message-queue-keyed-map.js';

const queues = (n: number): MessageQueue[] => Array.from({ length: n }, (_, i) => ({ topic: 'T', brokerName: 'broker-a', queueId: i }));
const cids = (c: number): string[] => Array.from({ length: c }, (_, i) => `10.0.0.${i + 1}@1`);
const strategy = new AllocateMessageQueueAveragely();
const ids = (mqs: MessageQueue[]): number[] => mqs.map((mq) => mq.queueId);

describe('AllocateMessageQueueAveragely', () => {
  const table: Array<[queues: number, consumers: number, expected: number[][]]> = [
    [8, 3, [[0, 1, 2], [3, 4, 5], [6, 7]]],
    [8, 4, [[0, 1], [2, 3], [4, 5], [6, 7]]],
    [8, 1, [[0, 1, 2, 3, 4, 5, 6, 7]]],
    [4, 3, [[0, 1], [2], [3]]],
    [3, 5, [[0], [1], [2], [], []]],
    [16, 5, [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12], [13, 14, 15]]],
    [1, 2, [[0], []]],
  ];
  for (const [n, c, expected] of table) {
    it(`allocate() with ${n} queues and ${c} consumers gives ${expected.map((e) => e.length).join('/')}`, () => {
      const all = cids(c).map((cid) => ids(strategy.allocate('cg', cid, queues(n), cids(c))));
      expect(all).toEqual(expected);
      expect(all.flat().sort((a, b) => a - b)).toEqual(ids(queues(n)));
    });
  }

  it('allocate() gives nothing to a client that is not in cidAll yet', () => {
    expect(strategy.allocate('cg', '10.0.0.9@1', queues(8), cids(3))).toEqual([]);
  });

  it('allocate() refuses empty inputs (a caller bug) with a RangeError', () => {
    expect(() => strategy.allocate('cg', '', queues(8), cids(3))).toThrow(RangeError);
    expect(() => strategy.allocate('cg', '10.0.0.1@1', [], cids(3))).toThrow(RangeError);
    expect(() => strategy.allocate('cg', '10.0.0.1@1', queues(8), [])).toThrow(RangeError);
  });

  it('has the Java name "AVG"', () => {
    expect(strategy.name).toBe('AVG');
  });
});
