// The bench's repeated runs: goal, prove that a phase run several times is reported as the median
// of each figure (not the mean, not one run's row), with errors summed and every run's msg/s kept
// for the range; latency runs keep median percentiles and summed counts. Method: hand-made figures.
import { describe, expect, it } from 'vitest';
import { median, medianLatency, medianPhase } from '../../bench/repeat.js';
import type { LatencyFigures, PhaseFigures } from '../../bench/targets.js';

function phase(msgPerSec: number, serverCpuUsPerMsg: number, errors = 0, firstError?: string): PhaseFigures {
  return {
    messages: 200_000, seconds: 200_000 / msgPerSec, msgPerSec, payloadMBps: (msgPerSec * 1024) / 1e6,
    clientCores: 0.2, serverCores: (msgPerSec * serverCpuUsPerMsg) / 1e6, serverCpuUsPerMsg, errors, firstError,
  };
}

describe('bench repeat', () => {
  it('median() takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('medianPhase() takes each figure\'s own median, sums errors and keeps every run\'s msg/s', () => {
    // The fastest run has the highest CPU per message: the row mixes runs, figure by figure.
    const row = medianPhase([phase(40_000, 22), phase(52_000, 25), phase(36_000, 20, 2, 'code 14')]);
    expect(row.msgPerSec).toBe(40_000);
    expect(row.serverCpuUsPerMsg).toBe(22);
    expect(row.seconds).toBe(5);
    expect(row.errors).toBe(2);
    expect(row.firstError).toBe('code 14');
    expect(row.runMsgPerSec).toEqual([40_000, 52_000, 36_000]);
    expect(() => medianPhase([])).toThrow(/at least one run/);
  });

  it('medianLatency() takes the median p50, p99 and max and sums what was sent and received', () => {
    const run = (p99Ms: number, received: number): LatencyFigures => ({ p50Ms: p99Ms / 10, p99Ms, maxMs: p99Ms * 2, recorded: 50_000, sent: 55_000, received });
    const row = medianLatency([run(9.5, 55_000), run(4.0, 55_000), run(12.0, 54_990)]);
    expect([row.p50Ms, row.p99Ms, row.maxMs]).toEqual([0.95, 9.5, 19]);
    expect([row.sent, row.received, row.recorded]).toEqual([165_000, 164_990, 150_000]);
    expect(row.runP99Ms).toEqual([9.5, 4.0, 12.0]);
  });
});
