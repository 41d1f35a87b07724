/**
 * `window.__viz`: the handle headless browser tests (and curious learners in the devtools
 * console) use to drive the replay without pixel-hunting.
 *
 * ```
 *   await __viz.ready           true once a run is drawn (or a load error is shown)
 *   await __viz.seek(57)        move the cursor and wait until every panel has redrawn
 *   __viz.state()               the model's state at the cursor, as plain JSON
 *   __viz.events()              the run's events (seq 1..N)
 *   __viz.cursor()              the cursor, 0..N
 *   await __viz.select('msg:…') select, and wait for the redraw
 *   __viz.exportChrome()        the Chrome trace JSON text the Export button downloads
 *   __viz.sliderPosition(ms)    where the time slider shows simulated ms (idle stretches squeezed)
 * ```
 *
 * The hooks go through the same paths as the keyboard and the mouse (the app's `seek` and
 * `select`), so a test that uses them exercises the real cursor logic.
 */
import type { InstrumentEvent, VizState } from '../model/index.js';

export interface VizTestHooks {
  /** True once the first run is rendered, or its load error is on screen. */
  ready: boolean;
  /** The load error shown, if any. */
  error: { message: string; line?: number } | undefined;
  seek(cursor: number): Promise<number>;
  select(sel: string | undefined): Promise<void>;
  state(): VizState | undefined;
  events(): readonly InstrumentEvent[];
  cursor(): number;
  length(): number;
  run(): { name: string; scenario: string; seed: number; v: number } | undefined;
  exportChrome(): string | undefined;
  exportOtlp(): string | undefined;
  /** The time slider's position for simulated `ms` (model/time-axis.ts). */
  sliderPosition(ms: number): number;
  /** Resolves when every panel has finished its current render. */
  settled(): Promise<void>;
}

declare global {
  interface Window {
    __viz?: VizTestHooks;
  }
}

/** Wait until `root` and every Lit element under it have rendered, then for one frame. */
export async function settle(root: Element & { updateComplete?: Promise<unknown> }): Promise<void> {
  for (let round = 0; round < 4; round++) {
    const pending: Array<Promise<unknown>> = [];
    if (root.updateComplete !== undefined) pending.push(root.updateComplete);
    for (const el of root.querySelectorAll('*')) {
      const maybe = (el as { updateComplete?: Promise<unknown> }).updateComplete;
      if (maybe !== undefined) pending.push(maybe);
    }
    const results = await Promise.all(pending);
    // updateComplete resolves to false when another update was queued meanwhile: go again.
    if (results.every((r) => r !== false)) break;
  }
  await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
}
