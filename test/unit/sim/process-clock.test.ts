import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';
import { ProcessClock } from '../../../src/sim/process-clock.js';

describe('ProcessClock', () => {
  it('forwards time and timers to the shared clock', async () => {
    const shared = new ManualClock(1000);
    const clock = new ProcessClock(shared);
    const fired: number[] = [];
    clock.setTimer(10, () => fired.push(clock.now()));
    const cancelled = clock.setTimer(20, () => fired.push(-1));
    cancelled.cancel();
    expect(clock.pendingTimers).toBe(1);
    await shared.advance(30);
    expect(fired).toEqual([1010]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('kill() cancels every pending timer and ignores later ones; other processes keep running', async () => {
    const shared = new ManualClock(0);
    const dying = new ProcessClock(shared);
    const living = new ProcessClock(shared);
    const fired: string[] = [];
    dying.setTimer(5, () => fired.push('dying'));
    living.setTimer(5, () => fired.push('living'));
    dying.kill();
    dying.setTimer(1, () => fired.push('after-kill'));
    expect([dying.killed, dying.pendingTimers, dying.now()]).toEqual([true, 0, 0]);
    await shared.advance(10);
    expect(fired).toEqual(['living']);
  });
});
