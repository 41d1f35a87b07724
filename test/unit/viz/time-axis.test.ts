// The time slider's scale: idle stretches over a second squeezed to IDLE_GAP_WIDTH units,
// busy time one unit per ms, and the mapping monotonic and invertible on the committed fixtures.
import { describe, expect, it } from 'vitest';
import { IDLE_GAP_MS, IDLE_GAP_WIDTH, Replay, TimeAxis } from '../../../viz/src/model/index.js';
import { loadFixture } from './viz-fixtures.js';

describe('TimeAxis', () => {
  it('squeezes each pause over IDLE_GAP_MS to IDLE_GAP_WIDTH units and keeps busy time at one unit per ms', () => {
    const axis = new TimeAxis([0, 10, 40, 10_040, 10_090, 10_090, 11_090, 40_036]);
    // 40 -> 10,040 (10 s) and 11,090 -> 40,036 are squeezed; 10,090 -> 11,090 is exactly 1 s: not a gap.
    expect(axis.gaps).toEqual([
      { fromMs: 40, toMs: 10_040, position: 40 },
      { fromMs: 11_090, toMs: 40_036, position: 40 + IDLE_GAP_WIDTH + 1050 },
    ]);
    expect(axis.max).toBe(40 + IDLE_GAP_WIDTH + 1050 + IDLE_GAP_WIDTH);
    expect([axis.positionOf(0), axis.positionOf(40), axis.positionOf(5040), axis.positionOf(10_040), axis.positionOf(10_090)])
      .toEqual([0, 40, 40 + IDLE_GAP_WIDTH / 2, 40 + IDLE_GAP_WIDTH, 40 + IDLE_GAP_WIDTH + 50]);
    expect([axis.msAt(40 + IDLE_GAP_WIDTH / 2), axis.msAt(40 + IDLE_GAP_WIDTH + 50), axis.msAt(axis.max)]).toEqual([5040, 10_090, 40_036]);
    // Out of range clamps to the run.
    expect([axis.positionOf(-5), axis.positionOf(99_999), axis.msAt(-1), axis.msAt(1e9)]).toEqual([0, axis.max, 0, 40_036]);
  });

  it('leaves a run without long pauses linear, and an empty run at 0', () => {
    const axis = new TimeAxis([0, 1, 1, 900, 1900]);
    expect(axis.gaps).toEqual([]);
    expect(axis.max).toBe(1900);
    expect(axis.positionOf(1234)).toBe(1234);
    expect(axis.msAt(1234)).toBe(1234);
    expect(new TimeAxis([]).max).toBe(0);
  });

  it('on every committed fixture: each event time round-trips, positions never decrease, and the pauses it squeezed were idle', async () => {
    for (const name of ['retry-dlq', 'namesrv-routes', 'tx-check', 'send-two', 'rebalance']) {
      const run = await loadFixture(name);
      const axis = new Replay(run).timeAxis;
      let previous = -1;
      for (const e of run.events) {
        const position = axis.positionOf(e.at);
        expect(position, `${name} seq ${e.seq}`).toBeGreaterThanOrEqual(previous);
        expect(axis.msAt(position), `${name} seq ${e.seq}`).toBe(e.at);
        previous = position;
      }
      for (const gap of axis.gaps) {
        expect(gap.toMs - gap.fromMs).toBeGreaterThan(IDLE_GAP_MS);
        expect(run.events.some((e) => e.at > gap.fromMs && e.at < gap.toMs), `${name} gap ${gap.fromMs}`).toBe(false);
      }
      expect(axis.max).toBeLessThanOrEqual(run.events.at(-1)!.at);
    }
    // The retry scenario waits through its delay levels: most of its 40 s is squeezed away.
    const retry = new Replay(await loadFixture('retry-dlq')).timeAxis;
    expect(retry.gaps.length).toBeGreaterThan(2);
    expect(retry.max).toBeLessThan(40_036 / 4);
  });
});
