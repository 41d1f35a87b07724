// The book's index: what the docs pages, the typedoc plugin and the docs tests all need to know
// about the repository, read straight from the files that own each fact.
//
//   docs/articles.md              the article series: slug, Chinese title, URL, in reading order
//   src/**/*.ts headers           per file: summary, @mirrors, @article, @emits, @category,
//                                 the "Differences from RocketMQ 4.9.x:" list, diagrams
//   src/sim/scenarios/*.ts        per scenario: name, article, title (en + zh)
//   src/events/event-sources.ts   event kind -> "src/<file>.ts#<Class.method>"
//   viz/fixtures/*.events.jsonl   per fixture: the events (seq, kind, src) it replays
//
// Plain JavaScript (with book-index.d.mts beside it) because typedoc loads plugins with plain
// Node, and the plugin needs the same facts as the TypeScript page generators. Nothing here
// writes a file.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is docs/tools/book-index.mjs). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Where `npm run viz` and `npm start` serve the visualizer (the walkthrough prints the same). */
export const VIZ_URL = 'http://127.0.0.1:5173/';

/** The visualizer link that opens a committed fixture, optionally at a step. */
export function vizLink(fixture, step) {
  return `${VIZ_URL}?run=fixtures/${fixture}.events.jsonl${step === undefined ? '' : `&step=${step}`}`;
}

/** The module a src file belongs to, as `test/unit/architecture.test.ts` counts them (startup split out). */
export function moduleOf(file) {
  const rel = file.replace(/^src\//, '');
  if (rel.startsWith('platform/node/startup/')) return 'startup';
  if (rel.startsWith('platform/node/')) return 'platform/node';
  const slash = rel.indexOf('/');
  return slash < 0 ? 'entry' : rel.slice(0, slash);
}

/** Modules in the order the book presents them: RocketMQ's own modules first, then ours. */
export const MODULE_ORDER = ['remoting', 'namesrv', 'store', 'broker', 'client', 'filter', 'common', 'events', 'platform', 'platform/node', 'sim', 'startup', 'entry'];

function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function rel(root, path) {
  return relative(root, path).split(sep).join('/');
}

/** Every src file (repo-relative, `src/...`), sorted. */
export function listSourceFiles(root = REPO_ROOT) {
  return walk(join(root, 'src')).filter((p) => p.endsWith('.ts') && !p.endsWith('.test.ts')).map((p) => rel(root, p));
}

/** The article series from docs/articles.md, in reading order: `{ slug, title, url }`. */
export function readArticles(root = REPO_ROOT) {
  const text = readFileSync(join(root, 'docs/articles.md'), 'utf8');
  const out = [];
  for (const m of text.matchAll(/^\|\s*`([a-z0-9-]+)`\s*\|\s*\[([^\]]+)\]\(([^)]+)\)\s*\|\s*$/gm)) {
    out.push({ slug: m[1], title: m[2], url: m[3] });
  }
  return out;
}

/** Turn `{@link X}` / `{@link X | text}` / `{@linkcode X}` into code spans, for pages outside typedoc's reach. */
export function unlink(text) {
  return text.replace(/\{@link(?:code|plain)?\s+([^}|\s]+)(?:\s*\|\s*([^}]+))?\s*\}/g, (_, target, label) => `\`${(label ?? target).trim()}\``);
}

/**
 * The header of one src file, taken apart. `differences` keeps the list's lines as written
 * (bullets and their indented continuations); `differencesInline` is the text on the
 * "Differences from RocketMQ 4.9.x:" line itself, when the list is a single sentence.
 */
export function parseHeader(file, text) {
  const m = /^\/\*\*([\s\S]*?)\*\//.exec(text);
  const lines = m === null ? [] : m[1].split('\n').map((l) => l.replace(/^\s*\* ?/, '').replace(/\s+$/, ''));
  while (lines.length > 0 && lines[0] === '') lines.shift();
  const firstBlank = lines.indexOf('');
  // Lines joined with a space, except after a word broken at a hyphen ("consume-" + "queue").
  const summary = lines.slice(0, firstBlank < 0 ? lines.length : firstBlank).join('\n').replace(/([a-z])-\n/g, '$1-').replace(/\n/g, ' ').trim();
  const tags = (name) => lines.filter((l) => l.startsWith(`@${name} `) || l === `@${name}`).map((l) => l.slice(name.length + 1).trim());
  const articles = tags('article').map((t) => {
    const a = /^([a-z0-9-]+)\s+"([^"]*)"/.exec(t);
    return a === null ? { slug: t, section: '' } : { slug: a[1], section: a[2] };
  });
  const di = lines.findIndex((l) => l.startsWith('Differences from RocketMQ 4.9.x:'));
  let differencesInline = '';
  let differences = [];
  if (di >= 0) {
    const end = lines.findIndex((l, k) => k > di && l.startsWith('@'));
    differencesInline = lines[di].slice('Differences from RocketMQ 4.9.x:'.length).trim();
    differences = lines.slice(di + 1, end < 0 ? lines.length : end);
    while (differences.length > 0 && differences[differences.length - 1] === '') differences.pop();
  }
  const body = di >= 0 ? lines.slice(0, di) : lines.filter((l) => !l.startsWith('@'));
  return {
    file,
    module: moduleOf(file),
    summary,
    mirrors: tags('mirrors'),
    articles,
    emits: tags('emits').flatMap((t) => t.split(',').map((k) => k.trim()).filter((k) => k !== '')),
    category: tags('category')[0] ?? '',
    differencesInline,
    differences,
    hasDiagram: body.some((l) => l.startsWith('```')),
  };
}

/** Every src file's header. */
export function readHeaders(root = REPO_ROOT) {
  return listSourceFiles(root).map((file) => parseHeader(file, readFileSync(join(root, file), 'utf8')));
}

/** The scenarios of src/sim/scenarios/ (read from their source): `{ name, article, title: { en, zh }, file }`. */
export function readScenarios(root = REPO_ROOT) {
  const out = [];
  for (const path of walk(join(root, 'src/sim/scenarios'))) {
    if (!path.endsWith('.ts') || path.endsWith('index.ts')) continue;
    const text = readFileSync(path, 'utf8');
    const name = /^\s*name:\s*'([^']+)'/m.exec(text);
    const article = /^\s*article:\s*'([^']+)'/m.exec(text);
    const title = /^\s*title:\s*\{\s*en:\s*'((?:[^'\\]|\\.)*)',\s*zh:\s*'((?:[^'\\]|\\.)*)'\s*\}/m.exec(text);
    if (name === null || article === null) continue;
    out.push({ name: name[1], article: article[1], title: { en: title?.[1] ?? name[1], zh: title?.[2] ?? name[1] }, file: rel(root, path) });
  }
  return out;
}

/** Event kind -> `"src/<file>.ts#<symbol>"`, from src/events/event-sources.ts. */
export function readEventSources(root = REPO_ROOT) {
  const text = readFileSync(join(root, 'src/events/event-sources.ts'), 'utf8');
  const out = new Map();
  for (const m of text.matchAll(/^\s*'([a-z0-9.-]+)':\s*'(src\/[^'#]+#[^']+)',?\s*$/gm)) out.set(m[1], m[2]);
  return out;
}

/** The committed fixtures: `{ name, scenario, events: [{ seq, kind, src }] }`, sorted by name. */
export function readFixtures(root = REPO_ROOT) {
  const dir = join(root, 'viz/fixtures');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.events.jsonl')).sort().map((f) => {
    const name = f.slice(0, -'.events.jsonl'.length);
    let scenario = name;
    const events = [];
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const e = JSON.parse(line);
      if (e.type === 'run.header') scenario = e.scenario ?? name;
      else if (typeof e.kind === 'string') events.push({ seq: e.seq, kind: e.kind, src: typeof e.src === 'string' ? e.src : undefined });
    }
    return { name, scenario, events };
  });
}

/**
 * Where the fixtures exercise the code: src file -> fixture -> symbol -> `{ kinds, firstSeq, count }`.
 * A symbol is the part of an event's `src` after `#` (`CommitLog.emitAppended`, `recover`).
 */
export function indexFixtureSources(fixtures) {
  const byFile = new Map();
  for (const fx of fixtures) {
    for (const e of fx.events) {
      if (e.src === undefined) continue;
      const [file, symbol = ''] = e.src.split('#');
      let perFixture = byFile.get(file);
      if (perFixture === undefined) byFile.set(file, (perFixture = new Map()));
      let perSymbol = perFixture.get(fx.name);
      if (perSymbol === undefined) perFixture.set(fx.name, (perSymbol = new Map()));
      const entry = perSymbol.get(symbol);
      if (entry === undefined) perSymbol.set(symbol, { kinds: new Set([e.kind]), firstSeq: e.seq, count: 1 });
      else {
        entry.kinds.add(e.kind);
        entry.count++;
      }
    }
  }
  return byFile;
}

/**
 * The walkthroughs of each article: the scenarios whose `article` is the slug. The opening
 * article (why-read) has no scenario of its own; it borrows `send-two`, the run that touches
 * every layer, as its tour.
 */
export const BORROWED_SCENARIOS = { 'why-read': ['send-two'] };

export function scenariosOf(slug, scenarios) {
  const own = scenarios.filter((s) => s.article === slug);
  if (own.length > 0) return own;
  return (BORROWED_SCENARIOS[slug] ?? []).map((name) => scenarios.find((s) => s.name === name)).filter((s) => s !== undefined);
}

/** The walkthrough script of an article: walkthroughs/<slug>.ts, or the generic runner when there is none. */
export function walkthroughScriptOf(slug, root = REPO_ROOT) {
  const own = `walkthroughs/${slug}.ts`;
  return existsSync(join(root, own)) ? own : 'walkthroughs/walkthrough.ts';
}
