/**
 * Loading a run: the list of committed fixtures, a file picker, drag-and-drop, and the
 * message shown when a file cannot be read.
 *
 * A run is one `*.events.jsonl` file: a `run.header` line, then one event per line. It can
 * come from three places, and all three end in the model's `loadRun`:
 *
 * ```
 *   ?run=fixtures/send-two.events.jsonl ──fetch──┐
 *   <input type=file> / drop on the page ──read──┼──► loadRun(text, name) ──► Replay
 *                                                └──► RunLoadError {message, line} ──► this panel
 * ```
 *
 * A file from another schema version or with a broken line is never half-drawn: the
 * panel says which file, which line and why, and offers the other runs. The fixture list
 * comes from `viz/fixtures/` through the Vite plugin (compiled in, or live in dev).
 */
import { html, LitElement, nothing } from 'lit';
import builtFixtures from 'virtual:fixtures';
import { t, type Lang } from '../i18n.js';

export interface LoadProblem {
  /** What was being loaded (a path or a file name). */
  name: string;
  message: string;
  line?: number;
}

/**
 * The committed runs next to the app. A built app uses the list compiled in at build time
 * (its dist/ carries those files, and npm start's static server mounts the same folder);
 * the dev server asks for `fixtures/index.json`, which lists the folder live.
 */
export async function fetchFixtureList(): Promise<string[]> {
  if (!import.meta.env.DEV) return builtFixtures;
  try {
    const res = await fetch('fixtures/index.json', { cache: 'no-cache' });
    if (!res.ok) return builtFixtures;
    const list: unknown = await res.json();
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : builtFixtures;
  } catch {
    return builtFixtures;
  }
}

/** The text of a run by path or URL (relative to the page); throws a {@link LoadProblem}. */
export async function fetchRunText(path: string, lang: Lang): Promise<string> {
  let res: Response;
  try {
    res = await fetch(path, { cache: 'no-cache' });
  } catch (e) {
    throw { name: path, message: `${t(lang, 'fetchFailed')} ${path}: ${(e as Error).message}` } satisfies LoadProblem;
  }
  if (!res.ok) throw { name: path, message: `${t(lang, 'fetchFailed')} ${path}: HTTP ${res.status}` } satisfies LoadProblem;
  return res.text();
}

export class RunPicker extends LitElement {
  static override properties = {
    lang: { attribute: false },
    fixtures: { attribute: false },
    problem: { attribute: false },
    loading: { attribute: false },
    compact: { attribute: false },
  };
  declare lang: Lang;
  declare fixtures: string[];
  declare problem: LoadProblem | undefined;
  declare loading: string | undefined;
  /** Shown as a small menu next to a loaded run, rather than as the whole page. */
  declare compact: boolean;

  constructor() {
    super();
    this.lang = 'en';
    this.fixtures = [];
    this.problem = undefined;
    this.loading = undefined;
    this.compact = false;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override render(): unknown {
    const L = this.lang;
    const input = html`<label class="file-label">${t(L, 'chooseFile')}
      <input type="file" accept=".jsonl,.events.jsonl,application/x-ndjson" data-testid="file-input" @change=${(e: Event) => this.onFile(e)} /></label>`;
    if (this.compact) {
      return html`<details class="run-menu"><summary>${t(L, 'otherRun')}</summary>${this.list()}${input}</details>`;
    }
    return html`<section class="run-picker" data-testid="run-picker">
      <h2>${t(L, 'loadTitle')}</h2>
      ${this.loading === undefined ? nothing : html`<p class="loading">${t(L, 'loading')} ${this.loading}</p>`}
      ${this.problem === undefined ? nothing : html`<div class="load-error" role="alert" data-testid="load-error" data-line=${this.problem.line ?? ''}>
          <h3>${t(L, 'loadFailed')}</h3>
          <p><code>${this.problem.name}</code>${this.problem.line === undefined ? nothing : html` — ${t(L, 'line')} ${this.problem.line}`}</p>
          <p class="reason">${this.problem.message}</p>
        </div>`}
      <h3>${t(L, 'fixtures')}</h3>
      ${this.list()}
      <p>${input}</p>
      <p class="hint">${t(L, 'dropHint')}</p>
    </section>`;
  }

  private list(): unknown {
    if (this.fixtures.length === 0) return html`<p class="empty">${t(this.lang, 'noFixtures')}</p>`;
    const langPart = this.lang === 'zh' ? '&lang=zh' : '';
    return html`<ul class="fixtures" data-testid="fixture-list">${this.fixtures.map((f) => html`<li>
      <a href="?run=${encodeURIComponent(`fixtures/${f}`)}${langPart}" data-fixture=${f}>${f.replace(/\.events\.jsonl$/, '')}</a></li>`)}</ul>`;
  }

  private onFile(e: Event): void {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file !== undefined) this.dispatchEvent(new CustomEvent<File>('viz-file', { detail: file, bubbles: true }));
  }
}
