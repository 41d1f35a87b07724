/**
 * The base of every panel: the four inputs a panel draws from, and the two things it can ask.
 *
 * A panel is a pure view of `(state, selection, lang)` plus the run it belongs to; it keeps
 * no model state of its own, which is what lets the cursor move backwards exactly. It talks
 * back only by bubbling two DOM events that the app shell handles:
 *
 * ```
 *   panel ──viz-select {detail: "rec:broker-a:164"}──► app: selection changes, URL updates
 *   panel ──viz-seek   {detail: 42}─────────────────► app: cursor moves, every panel redraws
 * ```
 *
 * Panels render into the light DOM (no shadow root): one stylesheet styles them all, and
 * the browser tests reach every `data-testid` with plain selectors.
 */
import { LitElement } from 'lit';
import type { Lang } from '../i18n.js';
import type { Replay, VizState } from '../model/index.js';
import { parseSelection, type Selection } from './selection.js';

export abstract class VizPanel extends LitElement {
  static override properties = {
    state: { attribute: false },
    replay: { attribute: false },
    sel: { attribute: false },
    lang: { attribute: false },
    motion: { attribute: false },
  };

  declare state: VizState | undefined;
  declare replay: Replay | undefined;
  /** The selection string, as in the URL. */
  declare sel: string | undefined;
  declare lang: Lang;
  /** False in reduced-motion mode: no transitions. */
  declare motion: boolean;

  constructor() {
    super();
    this.state = undefined;
    this.replay = undefined;
    this.sel = undefined;
    this.lang = 'en';
    this.motion = true;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  protected get selection(): Selection | undefined {
    return parseSelection(this.sel);
  }

  /** Ask the app to select something (or clear the selection with `undefined`). */
  protected select(sel: string | undefined): void {
    this.dispatchEvent(new CustomEvent<string | undefined>('viz-select', { detail: sel, bubbles: true, composed: true }));
  }

  /** Ask the app to move the cursor. */
  protected seek(cursor: number): void {
    this.dispatchEvent(new CustomEvent<number>('viz-seek', { detail: cursor, bubbles: true, composed: true }));
  }
}

/** Register a custom element once (hot reload and tests may import a module twice). */
export function define(name: string, ctor: CustomElementConstructor): void {
  if (customElements.get(name) === undefined) customElements.define(name, ctor);
}
