// Table-driven checks of the round-robin allocation: queue i goes to consumer i mod c.
import { describe, expect, it } from 'vitest';
import { AllocateMessageQueueAveragelyByCircle } from '../../../../../src/client/consumer/allocate/allocate-message-queue-averagely-by-circle.js';
import type { MessageQueue } from '../../../../../src/common/protocol/body/message-queue-keyed-map.js';

const queues = (n: number): MessageQueue[] => Array.from({ length: n }, (_, i) => ({ topic: 'T', brokerName: 'broker-a', queueId: i }));
const cids = (c: number): string[] => Array.from({ length: c }, (_, i) => `10.0.0.${i + 1}@1`);
const strategy = new AllocateMessageQueueAveragelyByCircle();

describe('AllocateMessageQueueAveragelyByCircle', () => {
  const table: Array<[queues: number, consumers: number, expected: number[][]]> = [
    [8, 3, [[0, 3, 6], [1, 4, 7], [2, 5]]],
    [8, 4, [[0, 4], [1, 5], [2, 6], [3, 7]]],
    [4, 1, [[0, 1, 2, 3]]],
    [2, 3, [[0], [1], []]],
  ];
  for (const [n, c, expected] of table) {
    it(`allocate() with ${n} queues and ${c} consumers gives ${expected.map((e) => e.length).join('/')}`, () => {
      const all = cids(c).map((cid) => strategy.allocate('cg', cid, queues(n), cids(c)).map((mq) => mq.queueId));
      expect(all).toEqual(expected);
    });
  }

  it('allocate() gives nothing to a client that is not in cidAll', () => {
    expect(strategy.allocate('cg', 'someone-else', queues(8), cids(3))).toEqual([]);
  });

  it('has the Java name "AVG_BY_CIRCLE"', () => {
    expect(strategy.name).toBe('AVG_BY_CIRCLE');
  });
});
