// The annotated source must build as one typedoc site, with zero warnings (the options in
// tsconfig.json turn every warning into an error), and every link into it must land: the
// visualizer's source links (one per event kind and fixture event), the links between pages,
// and the reading guide's links to module pages. Goal: a broken {@link}, an undeclared tag, a
// renamed emit site or a moved file fails CI instead of silently degrading the docs. Method:
// build the HTML once, as `npm run docs` does but into a temp dir (about 30 s), then check
// files and anchors in it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docsHref, docsModuleOf } from '../../../viz/src/ui/docs-href.js';
import { listSourceFiles, readArticles, readEventSources, readFixtures, REPO_ROOT } from '../../../docs/tools/book-index.mjs';

let out = '';
let build = { status: null as number | null, output: '' };

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'rocketmq-ts-docs-'));
  // Warnings are reported but do not stop the build here, so one stray warning fails only the
  // first test below (which is what `npm run docs` would do) and the link checks still run.
  const run = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/typedoc/bin/typedoc'), '--out', out, '--treatWarningsAsErrors', 'false'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 240_000,
  });
  build = { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}, 250_000);

afterAll(() => {
  if (out !== '') rmSync(out, { recursive: true, force: true });
});

function htmlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? htmlFiles(path) : path.endsWith('.html') ? [path] : [];
  });
}

const idCache = new Map<string, Set<string>>();
/** The ids (and names) a page of the site defines. */
function idsOf(path: string): Set<string> {
  let ids = idCache.get(path);
  if (ids === undefined) {
    const text = readFileSync(path, 'utf8');
    ids = new Set([...text.matchAll(/\s(?:id|name)="([^"]*)"/g)].map((m) => m[1]!));
    idCache.set(path, ids);
  }
  return ids;
}

/** Whether `href`, relative to the page `from`, names a file and an anchor that exist; the problem if not. */
function brokenLink(from: string, href: string): string | undefined {
  const [pathPart = '', fragment] = href.split('#');
  const target = pathPart === '' ? from : resolve(dirname(from), decodeURIComponent(pathPart));
  if (!target.startsWith(out)) return `${href} leaves the site`;
  if (!existsSync(target)) return `${href}: no such file`;
  if (fragment === undefined || fragment === '' || !target.endsWith('.html') && !target.endsWith('.svg')) return undefined;
  return idsOf(target).has(decodeURIComponent(fragment)) ? undefined : `${href}: no anchor #${fragment}`;
}

describe('typedoc site', () => {
  it('npm run docs builds the whole of src/ and the docs pages with no warnings', () => {
    const problems = build.output.split('\n').filter((line) => /\[warning\]|\[error\]/.test(line));
    expect(problems).toEqual([]);
    expect(build.status, build.output).toBe(0);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
  });

  it('has a module page for every src file', () => {
    const missing = listSourceFiles().filter((f) => !existsSync(join(out, 'modules', `${docsModuleOf(f)}.html`)));
    expect(missing).toEqual([]);
  });

  it('resolves every visualizer source link: every event source and every src of every fixture', () => {
    const srcs = new Set([...readEventSources().values(), ...readFixtures().flatMap((f) => f.events.map((e) => e.src ?? ''))]);
    srcs.delete('');
    expect(srcs.size).toBeGreaterThan(100);
    const bad: string[] = [];
    for (const src of srcs) {
      const [file = '', symbol = ''] = src.split('#');
      const href = docsHref({ file, symbol }, '');
      const problem = brokenLink(join(out, 'index.html'), href);
      if (problem !== undefined) bad.push(`${src} -> ${problem}`);
    }
    expect(bad).toEqual([]);
  });

  it('has no broken internal link on any page', () => {
    const bad: string[] = [];
    const pages = htmlFiles(out);
    expect(pages.length).toBeGreaterThan(400);
    for (const page of pages) {
      const text = readFileSync(page, 'utf8');
      for (const m of text.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
        const href = m[1]!.replace(/&amp;/g, '&');
        if (href === '' || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) continue;
        const problem = brokenLink(page, href);
        if (problem !== undefined) bad.push(`${relative(out, page)}: ${problem}`);
      }
    }
    expect(bad.slice(0, 30)).toEqual([]);
  });

  it('holds the docs pages, and the reading guide has a chapter per article linked to module pages', () => {
    const documents = readdirSync(join(out, 'documents'));
    for (const name of ['Reading_guide.html', 'Architecture.html', 'Concurrency.html', 'Fidelity_ledger.html']) expect(documents).toContain(name);
    const guide = join(out, 'documents', 'Reading_guide.html');
    const ids = idsOf(guide);
    for (const a of readArticles()) expect(ids.has(`article-${a.slug}`), a.slug).toBe(true);
    expect(readFileSync(guide, 'utf8')).toContain('href="../modules/store_commitlog_commit-log.html"');
  });

  it('ends a module page with its article, its walkthrough and the fixture events its code emitted', () => {
    const page = readFileSync(join(out, 'modules', 'store_commitlog_commit-log.html'), 'utf8');
    const has = (text: string, what: string | RegExp): boolean => (typeof what === 'string' ? text.includes(what) : what.test(text));
    expect(has(page, 'id="read-it-with"')).toBe(true);
    expect(has(page, 'href="../documents/Reading_guide.html#article-store"')).toBe(true);
    expect(has(page, /href="http:\/\/127\.0\.0\.1:5173\/\?run=fixtures\/send-two\.events\.jsonl&(amp;)?step=\d+"/)).toBe(true);
    const cls = readFileSync(join(out, 'classes', 'store_commitlog_commit-log.CommitLog.html'), 'utf8');
    expect(has(cls, 'id="private-emit-sites"')).toBe(true);
    expect(has(cls, 'id="emitappended"')).toBe(true);
  });
});
