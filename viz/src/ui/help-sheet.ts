/**
 * The keyboard help sheet, opened with `?`.
 *
 * The viz is keyboard-first (RaftScope, Perfetto): every action has a key, and this sheet
 * is the one place that lists them, so the help and the behaviour cannot drift apart —
 * the app's key handler and this table read the same {@link KEYMAP}.
 *
 * ```
 *   Space  play / pause          →  step forward     Shift+→  next teaching moment
 *   ←      step back (exact)     Home / End          + / −    faster / slower
 *   G      step by event / RPC hop / store op
 *   L      language              M  reduce motion    ?        this help    Esc  close
 * ```
 */
import { html, LitElement, nothing } from 'lit';
import { t, type Lang, type LabelKey } from '../i18n.js';

/** What each key does; the app dispatches on `action`. */
export const KEYMAP: ReadonlyArray<{ keys: string; label: LabelKey; action: string }> = [
  { keys: 'Space', label: 'keySpace', action: 'toggle-play' },
  { keys: '→ or .', label: 'keyRight', action: 'forward' },
  { keys: '←', label: 'keyLeft', action: 'back' },
  { keys: 'Shift + →', label: 'keyShiftRight', action: 'next-moment' },
  { keys: 'Shift + ←', label: 'keyShiftLeft', action: 'prev-beat' },
  { keys: 'Home', label: 'keyHome', action: 'home' },
  { keys: 'End', label: 'keyEnd', action: 'end' },
  { keys: '+ / −', label: 'keyPlusMinus', action: 'speed' },
  { keys: 'G', label: 'keyG', action: 'granularity' },
  { keys: 'L', label: 'keyL', action: 'lang' },
  { keys: 'M', label: 'keyM', action: 'motion' },
  { keys: '?', label: 'keyQuestion', action: 'help' },
  { keys: 'Esc', label: 'keyEsc', action: 'escape' },
];

export class HelpSheet extends LitElement {
  static override properties = { open: { type: Boolean, reflect: true }, lang: { attribute: false } };
  declare open: boolean;
  declare lang: Lang;

  constructor() {
    super();
    this.open = false;
    this.lang = 'en';
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override render(): unknown {
    if (!this.open) return nothing;
    return html`<div class="help-backdrop" @click=${() => this.close()}>
      <section class="help" role="dialog" aria-modal="true" aria-label=${t(this.lang, 'keys')} @click=${(e: Event) => e.stopPropagation()}>
        <h2>${t(this.lang, 'keys')}</h2>
        <table><tbody>${KEYMAP.map((k) => html`<tr data-action=${k.action}><th><kbd>${k.keys}</kbd></th><td>${t(this.lang, k.label)}</td></tr>`)}</tbody></table>
        <button class="close" @click=${() => this.close()}>${t(this.lang, 'close')}</button>
      </section>
    </div>`;
  }

  private close(): void {
    this.dispatchEvent(new CustomEvent('viz-help', { detail: false, bubbles: true }));
  }
}
