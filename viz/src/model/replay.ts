/**
 * Replay: random access to the frames of a run. `stateAt(k)` is the state after events
 * 1..k, computed from the nearest checkpoint at or before k, so stepping back, seeking,
 * dragging the time slider and opening a deep link all cost at most `checkpointEvery`
 * reducer steps.
 *
 * ```
 *   events    1 ─────── 200 ─────── 400 ─── ... ─── N
 *   states  S0         S200        S400              (checkpoints, built once, shared)
 *   stateAt(431) = reduceMany(S400, e401..e431)      (one copy-on-write draft for the lot)
 *   stateAt(432) right after = reduceMany(S431, e432)   (the last state is kept: stepping forward is one event)
 * ```
 *
 * Because a state is a pure function of the events before it, `stateAt(k)` is deep-equal
 * however the cursor got to k. States share structure (see state-draft.ts), so the
 * checkpoints cost little memory, and they are frozen: a caller cannot corrupt them.
 *
 * The navigation helpers answer "where is the next teaching moment": narration beats
 * (`walkthrough.beat.reached`), decision events (anything with `why`) and faults (flow
 * `fault`: crashes, restarts, dropped links). Stepping has three granularities: one event,
 * one RPC hop (a `remoting.request.*` or `remoting.response.*` event: a frame leaving or
 * reaching a node), or one store operation (any `store.*` event), so a learner can follow
 * the conversation between processes without the store's detail, or the reverse.
 *
 * Cursors are clamped to `0..length` and rounded down, so a bad deep link still lands on
 * a frame.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ.
 *
 * @article why-read "Watching RocketMQ think"
 * @category Viz
 * @module
 */
import type { ReduceContext } from './state-draft.js';
import { TimeAxis } from './time-axis.js';
import { initialState, reduceMany } from './viz-reducer.js';
import type { LoadedRun, VizState } from './viz-state.js';

/** How far one step moves: one event, one RPC hop, or one store operation. */
export type StepGranularity = 'event' | 'rpc' | 'store';
/** The granularities in the order the G key cycles through them. */
export const STEP_GRANULARITIES: readonly StepGranularity[] = ['event', 'rpc', 'store'];

/** How a {@link Replay} keeps its checkpoints. */
export interface ReplayOptions {
  /** Events between two checkpoints; default 200. */
  checkpointEvery?: number;
}

export class Replay {
  /** Number of events N; cursors run 0..N. */
  readonly length: number;
  /** The time slider's scale, idle stretches squeezed (time-axis.ts). */
  readonly timeAxis: TimeAxis;
  private readonly ctx: ReduceContext;
  private readonly every: number;
  private readonly checkpoints: VizState[] = [];
  private readonly beats: number[] = [];
  private readonly moments: number[] = [];
  private readonly rpcHops: number[] = [];
  private readonly storeOps: number[] = [];
  private readonly bySrc = new Map<string, number[]>();
  private last: VizState;
  private replayed = 0;

  constructor(readonly run: LoadedRun, options: ReplayOptions = {}) {
    this.length = run.events.length;
    this.timeAxis = new TimeAxis(run.events.map((e) => e.at));
    const every = options.checkpointEvery ?? 200;
    this.every = Number.isSafeInteger(every) && every > 0 ? every : 200;
    const bodyLengths = new Map<string, number>();
    for (const e of run.events) {
      if (e.kind === 'client.message.created' && !e.data.compressed) bodyLengths.set(e.data.uniqKey, e.data.bodyLen);
      const isBeat = e.kind === 'walkthrough.beat.reached';
      if (isBeat) this.beats.push(e.seq);
      if (isBeat || e.why !== undefined || e.flow === 'fault' || e.kind.startsWith('sim.node.')) this.moments.push(e.seq);
      if (e.kind.startsWith('remoting.request.') || e.kind.startsWith('remoting.response.')) this.rpcHops.push(e.seq);
      if (e.kind.startsWith('store.')) this.storeOps.push(e.seq);
      if (e.src !== undefined) {
        const list = this.bySrc.get(e.src) ?? [];
        list.push(e.seq);
        this.bySrc.set(e.src, list);
      }
    }
    this.ctx = { header: run.header, bodyLengths };
    let state = initialState(this.ctx);
    this.checkpoints.push(state);
    for (let from = 0; from + this.every <= this.length; from += this.every) {
      state = reduceMany(state, run.events.slice(from, from + this.every), this.ctx);
      this.checkpoints.push(state);
    }
    this.last = this.checkpoints[0]!;
  }

  /** The state after the first `cursor` events (0: before any). */
  stateAt(cursor: number): VizState {
    const target = this.clamp(cursor);
    const last = this.last;
    if (target === last.cursor) {
      this.replayed = 0;
      return last;
    }
    const checkpoint = this.checkpoints[Math.floor(target / this.every)] ?? this.checkpoints[0]!;
    const base = last.cursor < target && last.cursor > checkpoint.cursor ? last : checkpoint;
    const state = reduceMany(base, this.run.events.slice(base.cursor, target), this.ctx);
    this.replayed = target - base.cursor;
    this.last = state;
    return state;
  }

  /** How many events the last `stateAt` had to reduce (at most `checkpointEvery`; 0 when cached). */
  get lastReplayed(): number {
    return this.replayed;
  }

  /** The last cursor whose event happened at or before `atMs` (0 when none did). */
  cursorAtTime(atMs: number): number {
    if (Number.isNaN(atMs)) return 0;
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.run.events[mid - 1]!.at <= atMs) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The cursor of the next narration beat after `cursor`. */
  nextBeat(cursor: number): number | undefined {
    return this.beats.find((s) => s > cursor);
  }

  /** The cursor of the last narration beat before `cursor`. */
  prevBeat(cursor: number): number | undefined {
    return findLast(this.beats, (s) => s < cursor);
  }

  /** The next beat, decision (an event with `why`) or fault after `cursor`. */
  nextTeachingMoment(cursor: number): number | undefined {
    return this.moments.find((s) => s > cursor);
  }

  /** The last beat, decision or fault before `cursor`. */
  prevTeachingMoment(cursor: number): number | undefined {
    return findLast(this.moments, (s) => s < cursor);
  }

  /** The cursor one step after `cursor` at granularity `by` (the end when no such event is left). */
  stepForward(cursor: number, by: StepGranularity): number {
    if (by === 'event') return this.clamp(cursor + 1);
    return this.stepsOf(by).find((s) => s > cursor) ?? this.length;
  }

  /** The cursor one step before `cursor` at granularity `by` (the start when none is before it). */
  stepBack(cursor: number, by: StepGranularity): number {
    if (by === 'event') return this.clamp(cursor - 1);
    return findLast(this.stepsOf(by), (s) => s < cursor) ?? 0;
  }

  private stepsOf(by: Exclude<StepGranularity, 'event'>): readonly number[] {
    return by === 'rpc' ? this.rpcHops : this.storeOps;
  }

  /** Seqs of the events emitted at the code anchor `src`, in order. */
  emittedBySrc(src: string): number[] {
    return [...(this.bySrc.get(src) ?? [])];
  }

  private clamp(cursor: number): number {
    if (!Number.isFinite(cursor)) return cursor === Infinity ? this.length : 0;
    return Math.min(Math.max(Math.floor(cursor), 0), this.length);
  }
}

function findLast(list: readonly number[], ok: (n: number) => boolean): number | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (ok(list[i]!)) return list[i];
  return undefined;
}
