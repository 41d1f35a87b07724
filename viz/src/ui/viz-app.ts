/**
 * The app shell: loads a run, owns the one cursor and the selection, and lays out the panels.
 *
 * Every panel is a pure view of `replay.stateAt(cursor)`; this element is the only place
 * that changes the cursor (keys, buttons, slider, clicks in any panel, the URL, the test
 * hooks), so the event list, the time slider and every panel always agree, and stepping
 * back is exact because the model rebuilds the state from its nearest checkpoint.
 *
 * ```
 *   URL ?run&step&sel&lang&motion ──► load ──► Replay ──► stateAt(cursor) ──► panels
 *        ▲                                          ▲                         │
 *        └──────── replaceState on every move ──────┴── viz-seek / viz-select ┘
 * ```
 *
 * Deep links survive a reload: the URL is rewritten (never pushed) on each move, so
 * reloading opens the same frame and Back leaves the viz instead of undoing steps. A run
 * opened from a dropped file has no `run=` to reload from; its steps still go in the URL.
 * Reduced motion comes from `?motion=off` or the OS setting.
 */
import { html, LitElement, nothing } from 'lit';
import { t, type Lang } from '../i18n.js';
import {
  formatDeepLink, loadRun, parseDeepLink, Replay, RunLoadError, STEP_GRANULARITIES, toChromeTrace, toOtlp, type LoadedRun, type StepGranularity, type VizState,
} from '../model/index.js';
import { downloadText } from './download.js';
import { pairRpcs, type RpcIndex } from './rpc-pairs.js';
import { fetchFixtureList, fetchRunText, type LoadProblem } from './run-picker.js';
import { settle, type VizTestHooks } from './test-hooks.js';
import { SPEEDS } from './transport-bar.js';

export class VizApp extends LitElement {
  static override properties = {
    replay: { state: true }, vizState: { state: true }, sel: { state: true }, lang: { state: true }, motion: { state: true },
    playing: { state: true }, speed: { state: true }, granularity: { state: true }, helpOpen: { state: true }, fixtures: { state: true }, problem: { state: true },
    loading: { state: true }, dragging: { state: true },
  };
  declare replay: Replay | undefined;
  declare vizState: VizState | undefined;
  declare sel: string | undefined;
  declare lang: Lang;
  declare motion: boolean;
  declare playing: boolean;
  declare speed: number;
  /** What → and ← move by. */
  declare granularity: StepGranularity;
  declare helpOpen: boolean;
  declare fixtures: string[];
  declare problem: LoadProblem | undefined;
  declare loading: string | undefined;
  declare dragging: boolean;

  private rpcIndex: RpcIndex | undefined;
  private runPath: string | undefined;
  private cursor = 0;
  private frame = 0;
  private lastTick = 0;
  private budget = 0;
  readonly hooks: VizTestHooks;

  constructor() {
    super();
    const link = parseDeepLink(location.search);
    this.replay = undefined;
    this.vizState = undefined;
    this.sel = link.sel;
    this.lang = link.lang ?? 'en';
    this.motion = link.motion !== 'off' && !matchMedia('(prefers-reduced-motion: reduce)').matches;
    this.playing = false;
    this.speed = 3;
    this.granularity = link.by ?? 'event';
    this.helpOpen = false;
    this.fixtures = [];
    this.problem = undefined;
    this.loading = undefined;
    this.dragging = false;
    this.hooks = this.makeHooks();
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.__viz = this.hooks;
    window.addEventListener('keydown', this.onKey);
    window.addEventListener('dragover', this.onDragOver);
    window.addEventListener('dragleave', this.onDragLeave);
    window.addEventListener('drop', this.onDrop);
    document.documentElement.lang = this.lang === 'zh' ? 'zh-CN' : 'en';
    void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onKey);
    window.removeEventListener('dragover', this.onDragOver);
    window.removeEventListener('dragleave', this.onDragLeave);
    window.removeEventListener('drop', this.onDrop);
    cancelAnimationFrame(this.frame);
  }

  private async start(): Promise<void> {
    const link = parseDeepLink(location.search);
    const list = fetchFixtureList().then((names) => { this.fixtures = names; });
    if (link.run !== undefined) {
      this.loading = link.run;
      try {
        this.open(await fetchRunText(link.run, this.lang), link.run, link.run, link.step ?? 0);
      } catch (e) {
        this.fail(e, link.run);
      }
      this.loading = undefined;
    }
    await list;
    await settle(this);
    this.hooks.ready = true;
  }

  /** Decode and show a run; a bad file leaves the previous run (if any) and shows why. */
  private open(text: string, name: string, path: string | undefined, step: number): void {
    let run: LoadedRun;
    try {
      run = loadRun(text, name);
    } catch (e) {
      this.fail(e, name);
      return;
    }
    this.problem = undefined;
    this.hooks.error = undefined;
    this.playing = false;
    this.runPath = path;
    this.rpcIndex = pairRpcs(run.events);
    this.replay = new Replay(run);
    if (path === undefined) this.sel = undefined;
    this.moveTo(step);
  }

  private fail(e: unknown, name: string): void {
    const line = e instanceof RunLoadError ? e.line : (e as LoadProblem | undefined)?.line;
    const message = e instanceof Error ? e.message : (e as LoadProblem | undefined)?.message ?? String(e);
    this.problem = line === undefined ? { name, message } : { name, message, line };
    this.hooks.error = line === undefined ? { message } : { message, line };
  }

  private async openFile(file: File): Promise<void> {
    this.loading = file.name;
    try {
      this.open(await file.text(), file.name, undefined, 0);
    } catch (e) {
      this.fail(e, file.name);
    }
    this.loading = undefined;
    this.hooks.ready = true;
  }

  /** The only way the cursor moves. */
  private moveTo(cursor: number): void {
    const replay = this.replay;
    if (replay === undefined) return;
    this.cursor = Math.max(0, Math.min(replay.length, Math.trunc(cursor)));
    this.vizState = replay.stateAt(this.cursor);
    this.syncUrl();
  }

  private setSel(sel: string | undefined): void {
    this.sel = sel === '' ? undefined : sel;
    this.syncUrl();
  }

  private syncUrl(): void {
    const search = formatDeepLink({
      ...(this.runPath === undefined ? {} : { run: this.runPath }),
      ...(this.replay === undefined ? {} : { step: this.cursor }),
      ...(this.sel === undefined ? {} : { sel: this.sel }),
      ...(this.granularity === 'event' ? {} : { by: this.granularity }),
      ...(this.lang === 'zh' ? { lang: 'zh' as const } : {}),
      ...(this.motion ? {} : { motion: 'off' as const }),
    });
    if (search !== location.search) history.replaceState(null, '', `${location.pathname}${search}`);
  }

  /** Carry out one action of the keymap (keys, buttons and the help sheet share these names). */
  command(action: string, value?: number): void {
    const replay = this.replay;
    switch (action) {
      case 'help': this.helpOpen = !this.helpOpen; return;
      case 'escape': if (this.helpOpen) this.helpOpen = false; else this.setSel(undefined); return;
      case 'lang': this.lang = this.lang === 'en' ? 'zh' : 'en'; document.documentElement.lang = this.lang === 'zh' ? 'zh-CN' : 'en'; this.syncUrl(); return;
      case 'motion': this.motion = !this.motion; this.syncUrl(); return;
      case 'faster': this.speed = Math.min(SPEEDS.length - 1, this.speed + 1); return;
      case 'slower': this.speed = Math.max(0, this.speed - 1); return;
      case 'set-speed': this.speed = Math.max(0, Math.min(SPEEDS.length - 1, value ?? this.speed)); return;
      case 'granularity': case 'set-granularity': {
        const at = action === 'granularity' ? STEP_GRANULARITIES.indexOf(this.granularity) + 1 : value ?? 0;
        this.granularity = STEP_GRANULARITIES[at % STEP_GRANULARITIES.length] ?? 'event';
        this.syncUrl();
        return;
      }
      default: break;
    }
    if (replay === undefined) return;
    switch (action) {
      case 'toggle-play': this.setPlaying(!this.playing); break;
      case 'forward': this.moveTo(replay.stepForward(this.cursor, this.granularity)); break;
      case 'back': this.moveTo(replay.stepBack(this.cursor, this.granularity)); break;
      case 'next-moment': this.moveTo(replay.nextTeachingMoment(this.cursor) ?? replay.length); break;
      case 'prev-beat': this.moveTo(replay.prevBeat(this.cursor) ?? 0); break;
      case 'home': this.moveTo(0); break;
      case 'end': this.moveTo(replay.length); break;
      default: break;
    }
  }

  private setPlaying(on: boolean): void {
    this.playing = on && this.replay !== undefined;
    cancelAnimationFrame(this.frame);
    if (!this.playing) return;
    if (this.cursor >= (this.replay?.length ?? 0)) this.moveTo(0);
    this.lastTick = performance.now();
    this.budget = 0;
    const tick = (now: number): void => {
      if (!this.playing || this.replay === undefined) return;
      this.budget += ((now - this.lastTick) / 1000) * (SPEEDS[this.speed] ?? 4);
      this.lastTick = now;
      const steps = Math.floor(this.budget);
      if (steps > 0) {
        this.budget -= steps;
        this.moveTo(this.cursor + steps);
        if (this.cursor >= this.replay.length) { this.playing = false; return; }
      }
      this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  private readonly onKey = (e: KeyboardEvent): void => {
    const target = e.target as HTMLElement | null;
    const tag = target?.tagName ?? '';
    if (e.key === 'Escape' && (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA')) { target?.blur(); return; }
    if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || e.ctrlKey || e.metaKey || e.altKey) return;
    if ((e.key === ' ' || e.key === 'Enter') && tag === 'BUTTON') return; // the button's own click
    const action = keyAction(e);
    if (action === undefined) return;
    e.preventDefault();
    this.command(action);
  };

  private readonly onDragOver = (e: DragEvent): void => {
    e.preventDefault();
    this.dragging = true;
  };

  private readonly onDragLeave = (): void => {
    this.dragging = false;
  };

  private readonly onDrop = (e: DragEvent): void => {
    e.preventDefault();
    this.dragging = false;
    const file = e.dataTransfer?.files[0];
    if (file !== undefined) void this.openFile(file);
  };

  private makeHooks(): VizTestHooks {
    return {
      ready: false,
      error: undefined,
      seek: async (cursor) => { this.moveTo(cursor); await settle(this); return this.cursor; },
      select: async (sel) => { this.setSel(sel); await settle(this); },
      state: () => (this.vizState === undefined ? undefined : structuredClone(this.vizState)),
      events: () => this.replay?.run.events ?? [],
      cursor: () => this.cursor,
      length: () => this.replay?.length ?? 0,
      run: () => {
        const h = this.replay?.run.header;
        return h === undefined ? undefined : { name: this.replay!.run.name, scenario: h.scenario, seed: h.seed, v: h.v };
      },
      exportChrome: () => (this.replay === undefined ? undefined : JSON.stringify(toChromeTrace(this.replay.run))),
      exportOtlp: () => (this.replay === undefined ? undefined : toOtlp(this.replay.run)),
      sliderPosition: (ms) => this.replay?.timeAxis.positionOf(ms) ?? 0,
      settled: () => settle(this),
    };
  }

  private exportRun(kind: 'chrome' | 'otlp'): void {
    const run = this.replay?.run;
    if (run === undefined) return;
    const base = run.header.scenario || 'run';
    if (kind === 'chrome') downloadText(`${base}.chrome-trace.json`, this.hooks.exportChrome() ?? '', 'application/json');
    else downloadText(`${base}.otlp.jsonl`, this.hooks.exportOtlp() ?? '', 'application/x-ndjson');
  }

  override render(): unknown {
    const L = this.lang;
    const replay = this.replay;
    const state = this.vizState;
    const header = replay?.run.header;
    const p = { state, replay, sel: this.sel, lang: L, motion: this.motion };
    return html`
      <div class="app ${this.motion ? '' : 'reduced-motion'} ${this.dragging ? 'dragging' : ''}" data-motion=${this.motion ? 'on' : 'off'}
        @viz-seek=${(e: CustomEvent<number>) => this.moveTo(e.detail)} @viz-select=${(e: CustomEvent<string | undefined>) => this.setSel(e.detail)}
        @viz-command=${(e: CustomEvent<{ action: string; value?: number }>) => this.command(e.detail.action, e.detail.value)}
        @viz-help=${() => { this.helpOpen = false; }} @viz-file=${(e: CustomEvent<File>) => void this.openFile(e.detail)}>
        <header class="top">
          <h1>${t(L, 'title')}</h1>
          ${header === undefined ? nothing : html`<p class="run-info" data-testid="run-header" data-scenario=${header.scenario} data-seed=${header.seed} data-schema=${header.v}>
            ${t(L, 'scenario')} <b>${header.scenario}</b> · ${t(L, 'seed')} <b>${header.seed}</b> · ${t(L, 'schema')} <b>v${header.v}</b> · <span class="mono">${replay!.run.name}</span></p>`}
          <span class="spacer"></span>
          ${replay === undefined ? nothing : html`
            <viz-run-picker .compact=${true} .lang=${L} .fixtures=${this.fixtures}></viz-run-picker>
            <button data-testid="export-chrome" title=${t(L, 'exportChromeHint')} @click=${() => this.exportRun('chrome')}>${t(L, 'exportChrome')}</button>
            <button data-testid="export-otlp" title=${t(L, 'exportOtlpHint')} @click=${() => this.exportRun('otlp')}>${t(L, 'exportOtlp')}</button>`}
          <button data-testid="lang-toggle" @click=${() => this.command('lang')}>${t(L, 'language')}</button>
          <button data-testid="motion-toggle" aria-pressed=${this.motion ? 'false' : 'true'} @click=${() => this.command('motion')}>${this.motion ? t(L, 'motionOff') : t(L, 'motionOn')}</button>
          <button data-testid="help-button" @click=${() => this.command('help')}>${t(L, 'help')}</button>
        </header>
        ${replay === undefined || state === undefined || this.problem !== undefined
          ? html`<viz-run-picker .lang=${L} .fixtures=${this.fixtures} .problem=${this.problem} .loading=${this.loading}></viz-run-picker>`
          : nothing}
        ${replay === undefined || state === undefined ? nothing : html`
          <viz-transport-bar .state=${state} .replay=${replay} .lang=${L} .playing=${this.playing} .speed=${this.speed} .granularity=${this.granularity}></viz-transport-bar>
          <main class="grid">
            <viz-event-list class="panel events" data-testid="event-list" .state=${p.state} .replay=${p.replay} .sel=${p.sel} .lang=${L} .rpcIndex=${this.rpcIndex}></viz-event-list>
            <div class="center">
              <viz-lane-view class="panel" data-testid="lane-view" .state=${p.state} .replay=${p.replay} .sel=${p.sel} .lang=${L} .motion=${p.motion} .rpcIndex=${this.rpcIndex}></viz-lane-view>
              <viz-commit-log-view class="panel" data-testid="commit-log-view" .state=${p.state} .replay=${p.replay} .sel=${p.sel} .lang=${L}></viz-commit-log-view>
              <viz-consume-queue-view class="panel" data-testid="consume-queue-view" .state=${p.state} .replay=${p.replay} .sel=${p.sel} .lang=${L}></viz-consume-queue-view>
              <viz-offset-ruler class="panel" data-testid="offset-ruler" .state=${p.state} .replay=${p.replay} .sel=${p.sel} .lang=${L} .motion=${p.motion}></viz-offset-ruler>
              <viz-assignment-panel class="panel" data-testid="assignment-matrix" .state=${p.state} .replay=${p.replay} .sel=${p.sel} .lang=${L}></viz-assignment-panel>
            </div>
            <div class="side">
              <viz-narration-panel class="panel" data-testid="narration" .state=${p.state} .replay=${p.replay} .lang=${L}></viz-narration-panel>
              <viz-inspector class="panel" data-testid="inspector" .state=${p.state} .replay=${p.replay} .sel=${p.sel} .lang=${L} .rpcIndex=${this.rpcIndex}></viz-inspector>
              <viz-lifeline class="panel" data-testid="lifeline" .state=${p.state} .replay=${p.replay} .sel=${p.sel} .lang=${L}></viz-lifeline>
              <viz-hold-table class="panel" data-testid="hold-table" .state=${p.state} .replay=${p.replay} .sel=${p.sel} .lang=${L}></viz-hold-table>
              <viz-source-panel class="panel" data-testid="source-panel" .state=${p.state} .replay=${p.replay} .sel=${p.sel} .lang=${L}></viz-source-panel>
            </div>
          </main>
          <viz-step-log class="step-log" data-testid="step-log" .state=${p.state} .replay=${p.replay} .lang=${L}></viz-step-log>`}
        <viz-help-sheet data-testid="help-sheet" .open=${this.helpOpen} .lang=${L}></viz-help-sheet>
      </div>`;
  }
}

/** The keymap action for a key press, or `undefined` when the viz does not use that key. */
export function keyAction(e: Pick<KeyboardEvent, 'key' | 'shiftKey'>): string | undefined {
  switch (e.key) {
    case ' ': return 'toggle-play';
    case 'ArrowRight': return e.shiftKey ? 'next-moment' : 'forward';
    case 'ArrowLeft': return e.shiftKey ? 'prev-beat' : 'back';
    case 'Home': return 'home';
    case 'End': return 'end';
    case '?': return 'help';
    case '+': case '=': return 'faster';
    case '-': case '_': return 'slower';
    case 'l': case 'L': return 'lang';
    case 'm': case 'M': return 'motion';
    case 'g': case 'G': return 'granularity';
    case 'Escape': return 'escape';
    case '.': return 'forward';
    default: return undefined;
  }
}
