/**
 * The transport bar: the controls that move the one shared cursor.
 *
 * Two ways to move, as in VisuAlgo and RaftScope: by event (step buttons, the step box,
 * the teaching-moment jump) and by simulated time (the slider, in ms since the run
 * started). Moving by time lands on the last event at or before that millisecond; several
 * events often share a millisecond, so a slider nudge within the current millisecond keeps
 * the cursor where it is.
 *
 * The slider's scale squeezes every idle stretch of more than a second to the same short
 * width (model/time-axis.ts) and marks it under the track with its real length, so a run
 * that waits 40 s for retries still spreads its events over the whole slider.
 *
 * ```
 *   |◀  ◀  Play/Pause  ▶  ▶|  ★▶   step by [event ▾]   speed [──●──] 8/s   time [────●──────────] 512 ms   step [ 61 ] / 274
 *                                                                                ┆10 s  ┆5 s        (idle marks)
 *
 * "step by" picks what ◀ ▶ (and ← →) move by: one event, one RPC hop or one store
 * operation (`Replay.stepForward`); G cycles through the three.
 * ```
 *
 * The bar owns no state: it shows the cursor it is given and bubbles `viz-seek` (a cursor)
 * or `viz-command` (an action of the help sheet's keymap) for the app to carry out.
 */
import { html, nothing } from 'lit';
import { t } from '../i18n.js';
import { IDLE_GAP_WIDTH, STEP_GRANULARITIES, type StepGranularity } from '../model/index.js';
import { VizPanel } from './viz-panel.js';

/** A squeezed pause's mark: `10 s`, `1.5 s`, `2 min`. */
function idleLabel(ms: number): string {
  if (ms >= 120_000) return `${Math.round(ms / 60_000)} min`;
  const s = ms / 1000;
  return `${s >= 10 ? Math.round(s) : s.toFixed(1).replace(/\.0$/, '')} s`;
}

const GRANULARITY_LABELS = { event: 'byEvent', rpc: 'byRpc', store: 'byStore' } as const;

/** Speeds the player offers, in events per second (a log scale). */
export const SPEEDS = [0.5, 1, 2, 4, 8, 16, 32, 64, 128] as const;

export class TransportBar extends VizPanel {
  static override properties = { ...VizPanel.properties, playing: { attribute: false }, speed: { attribute: false }, granularity: { attribute: false } };
  declare playing: boolean;
  /** Index into {@link SPEEDS}. */
  declare speed: number;
  /** What the step buttons (and → / ←) move by. */
  declare granularity: StepGranularity;

  constructor() {
    super();
    this.playing = false;
    this.speed = 3;
    this.granularity = 'event';
  }

  private command(action: string, detail?: number): void {
    this.dispatchEvent(new CustomEvent('viz-command', { detail: { action, value: detail }, bubbles: true }));
  }

  override render(): unknown {
    const state = this.state;
    const replay = this.replay;
    if (state === undefined || replay === undefined) return nothing;
    const n = replay.length;
    const axis = replay.timeAxis;
    const L = this.lang;
    return html`<div class="transport" role="toolbar" aria-label="replay">
      <button data-action="home" title="${t(L, 'home')} (Home)" aria-label=${t(L, 'home')} @click=${() => this.command('home')}>|◀</button>
      <button data-action="back" title="${t(L, 'back')} (←)" aria-label=${t(L, 'back')} @click=${() => this.command('back')}>◀</button>
      <button data-action="toggle-play" class="play" title="${this.playing ? t(L, 'pause') : t(L, 'play')} (Space)"
        aria-label=${this.playing ? t(L, 'pause') : t(L, 'play')} aria-pressed=${this.playing ? 'true' : 'false'} @click=${() => this.command('toggle-play')}>${this.playing ? t(L, 'pause') : t(L, 'play')}</button>
      <button data-action="forward" title="${t(L, 'forward')} (→)" aria-label=${t(L, 'forward')} @click=${() => this.command('forward')}>▶</button>
      <button data-action="end" title="${t(L, 'end')} (End)" aria-label=${t(L, 'end')} @click=${() => this.command('end')}>▶|</button>
      <button data-action="next-moment" title="${t(L, 'nextMoment')} (Shift+→)" aria-label=${t(L, 'nextMoment')} @click=${() => this.command('next-moment')}>★▶</button>
      <label class="by">${t(L, 'stepBy')}
        <select data-testid="granularity" title="${t(L, 'keyG')} (G)" @change=${(e: Event) => this.command('set-granularity', (e.target as HTMLSelectElement).selectedIndex)}>
          ${STEP_GRANULARITIES.map((g) => html`<option value=${g} ?selected=${g === this.granularity}>${t(L, GRANULARITY_LABELS[g])}</option>`)}
        </select></label>
      <label class="speed">${t(L, 'speed')}
        <input type="range" min="0" max=${SPEEDS.length - 1} step="1" .value=${String(this.speed)} data-testid="speed"
          @input=${(e: Event) => this.command('set-speed', Number((e.target as HTMLInputElement).value))} />
        <output>${SPEEDS[this.speed] ?? ''}/s</output></label>
      <label class="time">${t(L, 'time')}
        <span class="track">
          <input type="range" min="0" max=${axis.max} step="any" .value=${String(axis.positionOf(state.at))} data-testid="time-slider" aria-valuetext="${state.at} ms"
            @input=${(e: Event) => this.onSlide(axis.msAt(Number((e.target as HTMLInputElement).value)))} />
          ${axis.gaps.map((gap) => html`<span class="idle-gap" data-testid="idle-gap" data-from=${gap.fromMs} data-to=${gap.toMs}
            style="left: ${(100 * gap.position) / Math.max(1, axis.max)}%; width: ${(100 * IDLE_GAP_WIDTH) / Math.max(1, axis.max)}%"
            title=${t(L, 'idleGap').replace('{ms}', (gap.toMs - gap.fromMs).toLocaleString('en-US'))}>${idleLabel(gap.toMs - gap.fromMs)}</span>`)}
        </span>
        <output data-testid="time">${state.at} ms</output></label>
      <label class="stepbox">${t(L, 'step')}
        <input type="number" min="0" max=${n} .value=${String(state.cursor)} data-testid="step-input"
          @change=${(e: Event) => this.seek(Math.max(0, Math.min(n, Math.trunc(Number((e.target as HTMLInputElement).value) || 0))))} /></label>
      <span class="counter" data-testid="step-counter" data-cursor=${state.cursor} data-length=${n}>${state.cursor} / ${n}</span>
    </div>`;
  }

  private onSlide(ms: number): void {
    const state = this.state;
    const replay = this.replay;
    if (state === undefined || replay === undefined) return;
    if (state.cursor > 0 && state.at === ms) return;
    this.seek(replay.cursorAtTime(ms));
  }
}
