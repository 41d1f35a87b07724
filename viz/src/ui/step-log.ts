/**
 * The step log: a text-only account of the replay, announced to screen readers.
 *
 * Everything the canvas shows must also exist as text (Python Tutor's lesson): the log
 * is an `aria-live` region that gets one line per cursor move, naming the step, the
 * simulated time, the event and its node, and, when the learner enters a new beat, the
 * beat's sentence in the current language. It doubles as a plain-text trail of where the
 * learner has been, which is handy when the picture is too busy.
 *
 * ```
 *   Step 61 / 274 · 15 ms · walkthrough.beat.reached on sim
 *   m0 (TagA) was appended to the commit log at physical offset 0, 164 bytes: ...
 * ```
 *
 * Only the last few lines are kept, so the region stays short for assistive technology.
 */
import { html, nothing, type PropertyValues } from 'lit';
import { t } from '../i18n.js';
import { eventSummary } from './event-text.js';
import { VizPanel } from './viz-panel.js';

const KEEP = 6;

interface Line { cursor: number; text: string; beat?: string }

export class StepLog extends VizPanel {
  private lines: Line[] = [];
  private lastBeat: string | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    const state = this.state;
    const n = this.replay?.length ?? 0;
    if (state === undefined || !(changed.has('state') || changed.has('lang'))) return;
    const e = state.event;
    const head = `${t(this.lang, 'step')} ${state.cursor} / ${n} · ${state.at} ms`;
    const text = e === undefined ? head : `${head} · ${e.kind} · ${e.node} · ${eventSummary(e)}`;
    const beatText = state.beat?.[this.lang];
    const beatKey = state.beat === undefined ? undefined : `${state.beat.id}|${this.lang}`;
    const announceBeat = beatText !== undefined && (beatKey !== this.lastBeat || e?.kind === 'walkthrough.beat.reached');
    this.lastBeat = beatKey;
    const line: Line = { cursor: state.cursor, text };
    if (announceBeat) line.beat = beatText;
    this.lines = [...this.lines, line].slice(-KEEP);
  }

  override render(): unknown {
    if (this.state === undefined) return nothing;
    const current = this.state.beat?.[this.lang];
    return html`<h2 class="sr-heading">${t(this.lang, 'stepLog')}</h2>
      <div class="step-lines" role="log" aria-live="polite" aria-atomic="false" data-current-beat=${current ?? ''}>
        ${this.lines.map((l) => html`<p data-cursor=${l.cursor}>${l.text}${l.beat === undefined ? nothing : html`<br /><span class="beat-line">${l.beat}</span>`}</p>`)}
      </div>`;
  }
}
