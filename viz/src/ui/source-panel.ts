/**
 * The source panel: the code that emitted the event, and the steps a piece of code emitted.
 *
 * The project is an annotated codebase; the viz is one way in and the typedoc site is
 * another. This panel joins them in both directions (the literate-programming idea of
 * xv6's side panel and 芋道's annotated walkthroughs, made live):
 *
 * ```
 *   event #50 store.commitlog.appended
 *     Emitted at  src/store/commitlog/commit-log.ts:243  CommitLog.emitAppended   [annotated docs]
 *       241 │     } : undefined;
 *     ▶ 243 │     this.options.events.emit('store.commitlog.appended', {
 *     Steps where this emitted: 50 67
 * ```
 *
 * Emit sites are found at build time by the Vite plugin (`virtual:emit-sites`, a scan for
 * `.emit('kind'` in src/), so they follow the code the app was built from. An event that
 * names its own `src` anchor wins over the scan. The source text is bundled lazily, one
 * chunk per file, and fetched only when shown.
 */
import { html, nothing } from 'lit';
import emitSites from 'virtual:emit-sites';
import { t } from '../i18n.js';
import { docsHref } from './docs-href.js';
import type { InstrumentEvent } from '../model/index.js';
import { VizPanel } from './viz-panel.js';

const SOURCES = import.meta.glob('../../../src/**/*.ts', { query: '?raw', import: 'default' }) as Record<string, () => Promise<string>>;
const CONTEXT = 6;

interface Site { file: string; line: number; symbol: string }

export class SourcePanel extends VizPanel {
  private readonly texts = new Map<string, string | null>();

  override render(): unknown {
    const state = this.state;
    if (state === undefined) return nothing;
    const sel = this.selection;
    const events = this.replay?.run.events ?? [];
    const e = sel?.type === 'ev' ? events[sel.seq - 1] : state.event;
    return html`<h2>${t(this.lang, 'source')} ${e === undefined ? nothing : html`<small>#${e.seq} ${e.kind}</small>`}</h2>
      ${e === undefined ? html`<p class="empty">${t(this.lang, 'noSource')}</p>` : this.renderEvent(e, events)}`;
  }

  private sitesOf(e: InstrumentEvent): Site[] {
    const scanned = emitSites[e.kind] ?? [];
    if (e.src === undefined) return scanned;
    const [file, symbol = ''] = e.src.split('#');
    const inFile = scanned.filter((s) => s.file === file);
    return inFile.length > 0 ? inFile.map((s) => ({ ...s, symbol: symbol || s.symbol })) : [{ file: file ?? e.src, line: 0, symbol }];
  }

  private renderEvent(e: InstrumentEvent, events: readonly InstrumentEvent[]): unknown {
    const sites = this.sitesOf(e);
    const seqs = e.src !== undefined && this.replay !== undefined
      ? this.replay.emittedBySrc(e.src)
      : events.filter((x) => x.kind === e.kind).map((x) => x.seq);
    return html`
      <h3>${t(this.lang, 'emitSites')}</h3>
      ${sites.length === 0 ? html`<p class="empty">—</p>` : sites.slice(0, 4).map((s) => this.renderSite(s))}
      <h3>${t(this.lang, 'stepsHere')} <small>${seqs.length}</small></h3>
      <p class="steps-here" data-steps=${seqs.join(' ')}>${seqs.slice(0, 60).map((s) => html`<button class="seq ${s === e.seq ? 'on' : ''}" @click=${() => this.seek(s)}>${s}</button> `)}
        ${seqs.length > 60 ? html`… ${seqs.length - 60}` : nothing}</p>`;
  }

  private renderSite(s: Site): unknown {
    const text = this.load(s.file);
    const lines = typeof text === 'string' ? text.split('\n') : [];
    const from = Math.max(1, s.line - CONTEXT);
    const to = Math.min(lines.length, s.line + CONTEXT);
    const excerpt = lines.slice(from - 1, to);
    return html`<div class="site" data-file=${s.file} data-line=${s.line} data-symbol=${s.symbol}>
      <p><code>${s.file}${s.line > 0 ? `:${s.line}` : ''}</code> <b>${s.symbol}</b>
        <a href=${docsHref(s)} target="_blank" rel="noopener">${t(this.lang, 'apiDocs')}</a></p>
      ${excerpt.length === 0 ? nothing : html`<pre class="code">${excerpt.map((line, i) => {
        const n = from + i;
        return html`<span class=${n === s.line ? 'emit-line' : ''}><span class="ln">${String(n).padStart(4)}</span> ${line}\n</span>`;
      })}</pre>`}
    </div>`;
  }

  /** The file's text when loaded; starts the lazy load otherwise. */
  private load(file: string): string | null | undefined {
    if (this.texts.has(file)) return this.texts.get(file);
    const loader = SOURCES[`../../../${file}`];
    if (loader === undefined) {
      this.texts.set(file, null);
      return null;
    }
    this.texts.set(file, null);
    loader().then((text) => {
      this.texts.set(file, text);
      this.requestUpdate();
    }, () => undefined);
    return undefined;
  }
}
