/**
 * TimeAxis: the time slider's scale, with the idle stretches of a run squeezed.
 *
 * A simulated run is mostly waiting. The retry scenario spends 40 s of simulated time
 * on delay levels and a few milliseconds on the work between them; the route scenario
 * waits two minutes for a broker to expire. On a linear slider every event would sit in
 * a few pixels at the ends of those waits, and the thumb would cross long empty stretches
 * (Zipkin's complaint #2534). So a gap of more than {@link IDLE_GAP_MS} between two
 * consecutive event times is drawn {@link IDLE_GAP_WIDTH} units wide, whatever its length,
 * and marked; busy time keeps one unit per millisecond.
 *
 * ```
 *   simulated ms   0 ── 40 ···················· 10,040 ── 10,090 ······ 40,036
 *   events          ●●●●●●                        ●●●●●●●●●        ●●●
 *   slider units   0 ── 40 ─[ 250: idle 10,000 ms ]─ 290 ── 340 ─[250]─ 590 ...
 * ```
 *
 * The mapping is piecewise linear and monotonic both ways, so a slider position always
 * lands on a simulated millisecond and the cursor logic (last event at or before that
 * millisecond) is unchanged. Inside a squeezed gap a position maps linearly onto the gap,
 * which has no events: the cursor stays on the event before it.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ.
 *
 * @article why-read "Watching RocketMQ think"
 * @category Viz
 * @module
 */

/** A pause longer than this (simulated ms, no event in it) is squeezed. */
export const IDLE_GAP_MS = 1000;
/** Slider units a squeezed gap takes, whatever its length. */
export const IDLE_GAP_WIDTH = 250;

/** One squeezed pause: from the event time before it to the event time after it. */
export interface IdleGap {
  /** Simulated ms of the last event before the gap. */
  readonly fromMs: number;
  /** Simulated ms of the first event after it. */
  readonly toMs: number;
  /** Slider position of `fromMs`; the gap spans `[position, position + IDLE_GAP_WIDTH]`. */
  readonly position: number;
}

export class TimeAxis {
  /** The squeezed pauses, in time order. */
  readonly gaps: readonly IdleGap[];
  /** The slider's last position (the run's last event). */
  readonly max: number;
  private readonly lastMs: number;

  /** @param times every event's `at`, in order (events are sorted by seq, and `at` never decreases) */
  constructor(times: readonly number[]) {
    const gaps: IdleGap[] = [];
    let squeezed = 0; // ms taken out of the axis so far
    for (let i = 1; i < times.length; i++) {
      const fromMs = times[i - 1]!;
      const toMs = times[i]!;
      if (toMs - fromMs <= IDLE_GAP_MS) continue;
      gaps.push({ fromMs, toMs, position: fromMs - squeezed });
      squeezed += toMs - fromMs - IDLE_GAP_WIDTH;
    }
    this.gaps = gaps;
    this.lastMs = times.at(-1) ?? 0;
    this.max = Math.max(0, this.lastMs - squeezed);
  }

  /** The slider position of simulated millisecond `ms` (clamped to the run). */
  positionOf(ms: number): number {
    const at = Math.max(0, Math.min(this.lastMs, ms));
    let squeezed = 0;
    for (const gap of this.gaps) {
      if (at <= gap.fromMs) break;
      if (at < gap.toMs) return gap.position + ((at - gap.fromMs) * IDLE_GAP_WIDTH) / (gap.toMs - gap.fromMs);
      squeezed += gap.toMs - gap.fromMs - IDLE_GAP_WIDTH;
    }
    return at - squeezed;
  }

  /** The simulated millisecond at slider position `position`, rounded down (the inverse of {@link positionOf}). */
  msAt(position: number): number {
    const at = Math.max(0, Math.min(this.max, position));
    let squeezed = 0;
    for (const gap of this.gaps) {
      if (at <= gap.position) break;
      if (at < gap.position + IDLE_GAP_WIDTH) return Math.floor(gap.fromMs + ((at - gap.position) * (gap.toMs - gap.fromMs)) / IDLE_GAP_WIDTH);
      squeezed += gap.toMs - gap.fromMs - IDLE_GAP_WIDTH;
    }
    return Math.floor(at + squeezed);
  }
}
