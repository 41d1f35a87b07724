/**
 * Deep links: the part of the viz's URL that names a run, a step and a selection, so a
 * walkthrough, a chat message or a bug report can point at one exact frame.
 *
 * ```
 *   ?run=fixtures%2Fsend-two.events.jsonl&step=57&sel=msg%3A0A00...0001&by=rpc&lang=zh&motion=off
 *     run     the run file to load (a path or URL, as given)
 *     step    the cursor, 0..N (0 = before the first event)
 *     sel     what is selected: "msg:<UNIQ_KEY>", "rec:<broker>:<physOffset>", "seq:<n>", ...
 *     by      what a step moves by, rpc or store (absent: one event)
 *     lang    narration language, en (default) or zh
 *     motion  "off" disables animation (reduced motion, headless tests)
 * ```
 *
 * Parsing is forgiving: unknown keys are ignored and a bad value is dropped rather than
 * refused, so a mangled link still opens the run. Formatting writes the keys in the fixed
 * order above and leaves out what is unset, so the same link always prints the same way.
 * `URLSearchParams` is a global in browsers and in Node, so this stays DOM-free.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ.
 *
 * @article why-read "Watching RocketMQ think"
 * @category Viz
 * @module
 */

/** The frame a link points at. */
export interface DeepLink {
  run?: string;
  step?: number;
  sel?: string;
  by?: 'rpc' | 'store';
  lang?: 'en' | 'zh';
  motion?: 'off';
}

/** Read a link from a query string (`?run=...` or `run=...`). */
export function parseDeepLink(search: string): DeepLink {
  const params = new URLSearchParams(typeof search === 'string' ? search : '');
  const link: DeepLink = {};
  const run = params.get('run');
  if (run !== null && run !== '') link.run = run;
  const step = params.get('step');
  if (step !== null && /^\d{1,15}$/.test(step)) link.step = Number(step);
  const sel = params.get('sel');
  if (sel !== null && sel !== '') link.sel = sel;
  const by = params.get('by');
  if (by === 'rpc' || by === 'store') link.by = by;
  const lang = params.get('lang');
  if (lang === 'en' || lang === 'zh') link.lang = lang;
  if (params.get('motion') === 'off') link.motion = 'off';
  return link;
}

/** Write a link as a query string starting with `?` (or `''` when nothing is set). */
export function formatDeepLink(link: DeepLink): string {
  const params = new URLSearchParams();
  if (link.run !== undefined && link.run !== '') params.set('run', link.run);
  if (link.step !== undefined && Number.isSafeInteger(link.step) && link.step >= 0) params.set('step', String(link.step));
  if (link.sel !== undefined && link.sel !== '') params.set('sel', link.sel);
  if (link.by === 'rpc' || link.by === 'store') params.set('by', link.by);
  if (link.lang === 'en' || link.lang === 'zh') params.set('lang', link.lang);
  if (link.motion === 'off') params.set('motion', 'off');
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
