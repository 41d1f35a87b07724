/**
 * Narration: the walkthrough's beat text for the cursor, and the latest decision's card.
 *
 * The sentences are data, not UI: each `walkthrough.beat.reached` event carries its text in
 * English and Chinese, and the tsx walkthrough prints exactly the same sentences on the
 * console, so a reader can move between the terminal and the viz without the story
 * changing. The panel shows the last beat at or before the cursor (the "chapter" the
 * learner is in) and, below it, the "why?" card of the last decision event; a card whose
 * decision is the cursor's own event is outlined.
 *
 * ```
 *   ┌ Narration ─────────────────────────── m0-stored ┐
 *   │ m0 (TagA) was appended to the commit log ...    │
 *   │ ┌ Why? query-consumer-offset ──────────────┐    │
 *   │ │ stored -1 · minOffset 0 · inMemory true → 0│   │
 *   └─┴──────────────────────────────────────────┴────┘
 * ```
 */
import { html, nothing } from 'lit';
import { t } from '../i18n.js';
import { VizPanel } from './viz-panel.js';

export class NarrationPanel extends VizPanel {
  override render(): unknown {
    const state = this.state;
    if (state === undefined) return nothing;
    const beat = state.beat;
    const onBeat = state.event?.kind === 'walkthrough.beat.reached';
    return html`
      <h2>${t(this.lang, 'narration')} ${beat === undefined ? nothing : html`<small>${beat.id}</small>`}</h2>
      ${beat === undefined
        ? html`<p class="empty">${t(this.lang, 'noBeat')}</p>`
        : html`<p class="beat ${onBeat ? 'current' : ''}" data-beat-id=${beat.id} lang=${this.lang === 'zh' ? 'zh-CN' : 'en'}>${beat[this.lang]}</p>`}
      <viz-why-card .why=${state.why} .lang=${this.lang} .current=${state.why !== undefined && state.why.seq === state.cursor}></viz-why-card>`;
  }
}
