/**
 * The typedoc page of a piece of source: where the source panel's "annotated docs" link goes.
 *
 * An event names its emitter as `src/<file>.ts#<Class.method>` (or `#<function>`). The docs
 * site (`npm run docs`, served under `api/` next to the viz) names its pages after the file's
 * module path with `/` turned into `_`, and anchors every member and every function of a
 * module under its lower-cased name. Private methods and unexported functions that emit
 * events get the same anchors under "Private emit sites" (docs/typedoc/plugin.mjs), so every
 * link resolves; `test/integration/docs/typedoc.test.ts` checks that for every event source
 * and every fixture in a freshly built site.
 *
 * ```
 *   src/store/commitlog/commit-log.ts#CommitLog.emitAppended
 *     ─► api/classes/store_commitlog_commit-log.CommitLog.html#emitappended
 *   src/store/commitlog/commit-log-recovery.ts#recover
 *     ─► api/modules/store_commitlog_commit-log-recovery.html#recover
 *   src/sim/scenarios/index.ts            (an index file is named after its folder)
 *     ─► api/modules/sim_scenarios.html
 * ```
 *
 * @category Viz
 * @module
 */

/** Where the typedoc site is served, relative to the viz page. */
export const DOCS_BASE = 'api/';

/** A place in the source: file (`src/...ts`) and the symbol in it (`Class.member`, `function`, or ''). */
export interface SourceSite {
  readonly file: string;
  readonly symbol: string;
}

/** The typedoc module name of a src file: its path below src/ without `.ts`, an `index` file named after its folder. */
export function docsModuleOf(file: string): string {
  return file.replace(/^src\//, '').replace(/\.ts$/, '').replace(/\/index$/, '').split('/').join('_');
}

/** The typedoc page of a site: the class page at the member's anchor, the module page at a function's, else the module page. */
export function docsHref(site: SourceSite, base: string = DOCS_BASE): string {
  const mod = docsModuleOf(site.file);
  const [cls, member] = site.symbol.split('.');
  if (cls !== undefined && member !== undefined && /^[A-Z]/.test(cls)) return `${base}classes/${mod}.${cls}.html#${member.toLowerCase()}`;
  if (cls !== undefined && /^[A-Z]/.test(cls)) return `${base}classes/${mod}.${cls}.html`;
  if (cls !== undefined && cls !== '') return `${base}modules/${mod}.html#${cls.toLowerCase()}`;
  return `${base}modules/${mod}.html`;
}
