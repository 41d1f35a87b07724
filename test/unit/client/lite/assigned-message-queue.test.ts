// AssignedMessageQueue: the per-queue offsets and pause flag of the lite pull consumer, and
// how replacing the assignment keeps, adds and drops queues.
import { describe, expect, it } from 'vitest';
import { AssignedMessageQueue } from '../../../../src/client/consumer/lite/assigned-message-queue.js';
import { ProcessQueue } from '../../../../src/client/consumer/process-queue.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';

const mq = (topic: string, queueId: number) => ({ topic, brokerName: 'broker-a', queueId });

describe('AssignedMessageQueue', () => {
  it('updateAssignedMessageQueue() keeps known queues with their offsets, adds new ones at -1 and drops the rest (marking their ProcessQueue dropped)', () => {
    const table = new AssignedMessageQueue(new ManualClock(0));
    expect(table.updateAssignedMessageQueue([mq('T', 0), mq('T', 1)])).toMatchObject({ added: [mq('T', 0), mq('T', 1)], removed: [] });
    table.updatePullOffset(mq('T', 0), 42);
    table.updateConsumeOffset(mq('T', 0), 40);
    const pq1 = table.getProcessQueue(mq('T', 1))!;
    // A new object for the same queue finds the same entry.
    const { added, removed } = table.updateAssignedMessageQueue([{ ...mq('T', 0) }, mq('T', 2)]);
    expect(added).toEqual([mq('T', 2)]);
    expect(removed).toEqual([mq('T', 1)]);
    expect(pq1.dropped).toBe(true);
    expect([table.getPullOffset(mq('T', 0)), table.getConsumerOffset(mq('T', 0)), table.getSeekOffset(mq('T', 0))]).toEqual([42, 40, -1]);
    expect([table.getPullOffset(mq('T', 2)), table.getConsumerOffset(mq('T', 2))]).toEqual([-1, -1]);
  });

  it('updateAssignedMessageQueue(mqs, topic) only touches that topic and takes the rebalance ProcessQueue when one is supplied', () => {
    const clock = new ManualClock(0);
    const table = new AssignedMessageQueue(clock);
    table.updateAssignedMessageQueue([mq('A', 0), mq('B', 0)]);
    const supplied = new ProcessQueue(clock);
    table.updateAssignedMessageQueue([mq('B', 1)], 'B', () => supplied);
    expect(table.messageQueues()).toEqual([mq('A', 0), mq('B', 1)]);
    expect(table.getProcessQueue(mq('B', 1))).toBe(supplied);
    expect(table.removeAssignedMessageQueue('A')).toEqual([mq('A', 0)]);
    expect(table.messageQueues()).toEqual([mq('B', 1)]);
  });

  it('setPaused() affects known queues only; an unknown queue counts as paused (Java isPaused)', () => {
    const table = new AssignedMessageQueue(new ManualClock(0));
    table.updateAssignedMessageQueue([mq('T', 0)]);
    expect(table.isPaused(mq('T', 0))).toBe(false);
    expect(table.setPaused([mq('T', 0), mq('T', 9)], true)).toEqual([mq('T', 0)]);
    expect(table.isPaused(mq('T', 0))).toBe(true);
    expect(table.isPaused(mq('T', 9))).toBe(true);
    table.setPaused([mq('T', 0)], false);
    expect(table.isPaused(mq('T', 0))).toBe(false);
  });
});
