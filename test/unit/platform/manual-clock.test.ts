import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';

describe('ManualClock', () => {
  it('advance() fires due timers in time order, ties in insertion order, and leaves later ones', async () => {
    const clock = new ManualClock(1000);
    const fired: string[] = [];
    clock.setTimer(20, () => fired.push(`C@${clock.now()}`));
    clock.setTimer(5, () => fired.push(`A@${clock.now()}`));
    clock.setTimer(5, () => fired.push(`B@${clock.now()}`));
    await clock.advance(10);
    expect(fired).toEqual(['A@1005', 'B@1005']);
    expect(clock.now()).toBe(1010);
    await clock.advance(10);
    expect(fired).toEqual(['A@1005', 'B@1005', 'C@1020']);
  });

  it('cancel() keeps a timer from firing and pendingTimers counts only live ones', async () => {
    const clock = new ManualClock();
    let hits = 0;
    const t = clock.setTimer(1, () => hits++);
    clock.setTimer(2, () => hits++);
    expect(clock.pendingTimers).toBe(2);
    t.cancel();
    t.cancel();
    expect(clock.pendingTimers).toBe(1);
    await clock.runUntilIdle();
    expect(hits).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('advance() drains promise continuations between timers, as real time would', async () => {
    const clock = new ManualClock();
    const order: string[] = [];
    const sleep = (ms: number) => new Promise<void>((r) => clock.setTimer(ms, r));
    void (async () => {
      await sleep(10);
      order.push(`task woke@${clock.now()}`);
      await Promise.resolve();
      await Promise.resolve();
      order.push('task continued');
    })();
    clock.setTimer(20, () => order.push(`timer@${clock.now()}`));
    await clock.advance(30);
    expect(order).toEqual(['task woke@10', 'task continued', 'timer@20']);
  });

  it('runUntil() stops as soon as the condition holds and throws past its limit', async () => {
    const clock = new ManualClock();
    let n = 0;
    const tick = () => {
      n++;
      clock.setTimer(100, tick);
    };
    clock.setTimer(100, tick);
    expect(await clock.runUntil(() => n === 3, 1000)).toBe(300);
    await expect(clock.runUntil(() => n === 100, 1000)).rejects.toThrow(/after 1000 ms/);
    await expect(clock.runUntilIdle(500)).rejects.toThrow(/still pending/);
  });

  it('a negative or NaN delay counts as zero', async () => {
    const clock = new ManualClock(50);
    const at: number[] = [];
    clock.setTimer(-5, () => at.push(clock.now()));
    clock.setTimer(Number.NaN, () => at.push(clock.now()));
    await clock.advance(0);
    expect(at).toEqual([50, 50]);
  });
});
