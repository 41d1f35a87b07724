import { describe, expect, it } from 'vitest';
import { SystemClock } from '../../../src/platform/system-clock.js';

describe('SystemClock', () => {
  it('now() follows the wall clock and never goes backwards', () => {
    const clock = new SystemClock();
    const before = Date.now();
    let previous = clock.now();
    for (let i = 0; i < 1000; i++) {
      const t = clock.now();
      expect(t).toBeGreaterThanOrEqual(previous);
      previous = t;
    }
    expect(previous).toBeGreaterThanOrEqual(before);
    expect(previous).toBeLessThanOrEqual(Date.now());
  });

  it('setTimer(1) fires, and not before now() + 1', async () => {
    const clock = new SystemClock();
    const setAt = clock.now();
    const firedAt = await new Promise<number>((resolve) => clock.setTimer(1, () => resolve(clock.now())));
    expect(firedAt).toBeGreaterThanOrEqual(setAt + 1);
  });

  it('cancel() keeps a timer from firing; cancelling twice does nothing', async () => {
    const clock = new SystemClock({ unref: true });
    let fired = false;
    const handle = clock.setTimer(1, () => (fired = true));
    handle.cancel();
    handle.cancel();
    await new Promise<void>((resolve) => clock.setTimer(5, resolve));
    expect(fired).toBe(false);
  });

  it('setTimer() with a negative or non-finite delay fires as soon as possible', async () => {
    const clock = new SystemClock();
    const order: string[] = [];
    await Promise.all([
      new Promise<void>((r) => clock.setTimer(-5, () => r(void order.push('negative')))),
      new Promise<void>((r) => clock.setTimer(Number.NaN, () => r(void order.push('nan')))),
    ]);
    expect(order).toEqual(['negative', 'nan']);
  });
});
