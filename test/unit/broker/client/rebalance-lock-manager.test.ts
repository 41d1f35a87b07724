// RebalanceLockManager: queue locks for orderly consumers, expiring after 60 s without renewal.
import { describe, expect, it } from 'vitest';
import { NodeEvents, RecordingSink } from '../../../../src/events/event-sink.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { RebalanceLockManager } from '../../../../src/broker/client/rebalance-lock-manager.js';

const q = (queueId: number) => ({ topic: 'TopicA', brokerName: 'broker-a', queueId });

describe('RebalanceLockManager', () => {
  it('tryLockBatch() grants free queues, refuses queues locked by another client until the lock is older than 60 s', async () => {
    const clock = new ManualClock(0);
    const sink = new RecordingSink(clock);
    const locks = new RebalanceLockManager({ clock, events: new NodeEvents(sink, 'broker-a') });
    expect(locks.tryLockBatch('cg', [q(0), q(1)], 'c1').map((m) => m.queueId)).toEqual([0, 1]);
    expect(locks.tryLockBatch('cg', [q(1), q(2)], 'c2').map((m) => m.queueId)).toEqual([2]);
    expect(locks.tryLockBatch('other', [q(1)], 'c2').map((m) => m.queueId)).toEqual([1]); // groups are separate
    await clock.advance(60_000);
    expect(locks.tryLockBatch('cg', [q(1)], 'c2')).toEqual([]); // exactly 60 s: still c1's
    await clock.advance(1);
    expect(locks.tryLockBatch('cg', [q(1)], 'c2').map((m) => m.queueId)).toEqual([1]);
    expect(locks.isLocked('cg', q(1), 'c2')).toBe(true);
    expect(locks.isLocked('cg', q(0), 'c2')).toBe(false);
    expect(sink.ofKind('broker.rebalance.locked').map((e) => [e.data.requested, e.data.locked])).toEqual([[2, 2], [2, 1], [1, 1], [1, 0], [1, 1]]);
  });

  it('tryLockBatch() renews the caller\'s own locks, and unlockBatch() releases only the caller\'s', async () => {
    const clock = new ManualClock(0);
    const locks = new RebalanceLockManager({ clock, events: new NodeEvents(new RecordingSink(clock), 'b') });
    locks.tryLockBatch('cg', [q(0), q(1)], 'c1');
    await clock.advance(50_000);
    locks.tryLockBatch('cg', [q(0)], 'c1'); // renewal
    await clock.advance(20_000);
    expect(locks.tryLockBatch('cg', [q(0), q(1)], 'c2').map((m) => m.queueId)).toEqual([1]);
    locks.unlockBatch('cg', [q(0), q(1)], 'c2');
    expect(locks.isLocked('cg', q(0), 'c1')).toBe(true);
    locks.unlockBatch('cg', [q(0)], 'c1');
    expect(locks.tryLockBatch('cg', [q(0)], 'c2')).toHaveLength(1);
  });
});
