// The book's pages and their links into the code. Goal: the reading guide can never point at a
// file, walkthrough or fixture that is gone, and the generated lists (reading guide, fidelity
// ledger, import table) never drift from the source headers. Method: read the article series,
// the scenario table, the fixtures and every src header, and compare; regenerate each page in
// memory and compare it with the committed one. Fast: no typedoc here (see typedoc.test.ts).
//
// When a page is stale: npx tsx docs/tools/generate-pages.ts
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTICLE_SLUGS } from '../../../src/sim/scenario.js';
import { SCENARIOS } from '../../../src/sim/scenarios/index.js';
import {
  listSourceFiles, readArticles, readEventSources, readFixtures, readHeaders, readScenarios, REPO_ROOT, scenariosOf, vizLink, walkthroughScriptOf,
} from '../../../docs/tools/book-index.mjs';
import { expectedText, PAGES, regionNames } from '../../../docs/tools/pages.js';
import { READING_ORDER } from '../../../docs/tools/reading-order.js';

const articles = readArticles();
const headers = readHeaders();
const read = (file: string): string => readFileSync(join(REPO_ROOT, file), 'utf8');

describe('the article series', () => {
  it('is the same list, in the same order, in docs/articles.md and in the scenario table', () => {
    expect(articles.map((a) => a.slug)).toEqual([...ARTICLE_SLUGS]);
  });

  it.each(articles.map((a) => [a.slug]))('%s maps to source files, a walkthrough, scenarios and fixtures that exist', (slug) => {
    const files = headers.filter((h) => h.articles.some((a) => a.slug === slug));
    expect(files.length, `no src file has @article ${slug}`).toBeGreaterThan(0);
    const script = walkthroughScriptOf(slug);
    expect(existsSync(join(REPO_ROOT, script)), script).toBe(true);
    const scenarios = scenariosOf(slug, readScenarios());
    expect(scenarios.length, `no scenario for ${slug}`).toBeGreaterThan(0);
    for (const s of scenarios) {
      expect(SCENARIOS.some((x) => x.name === s.name), `scenario ${s.name} is not in SCENARIOS`).toBe(true);
      expect(existsSync(join(REPO_ROOT, `viz/fixtures/${s.name}.events.jsonl`)), `fixture of ${s.name}`).toBe(true);
    }
  });

  it('every @article tag names an article of the series', () => {
    const slugs = new Set(articles.map((a) => a.slug));
    const bad = headers.flatMap((h) => h.articles.filter((a) => !slugs.has(a.slug) || a.section === '').map((a) => `${h.file}: ${a.slug} "${a.section}"`));
    expect(bad).toEqual([]);
  });

  it('the typedoc plugin reads the scenario table as the walkthroughs do', () => {
    const parsed = readScenarios().map((s) => [s.name, s.article, s.title.en, s.title.zh]).sort();
    const actual = SCENARIOS.map((s) => [s.name, s.article, s.title.en, s.title.zh]).sort();
    expect(parsed).toEqual(actual);
  });
});

describe('the reading guide', () => {
  it('pins only files that exist and carry the chapter\'s @article tag, each once', () => {
    const bad: string[] = [];
    for (const [slug, files] of Object.entries(READING_ORDER)) {
      if (!articles.some((a) => a.slug === slug)) bad.push(`${slug}: not an article`);
      if (new Set(files).size !== files.length) bad.push(`${slug}: a file is pinned twice`);
      for (const file of files) {
        const h = headers.find((x) => x.file === file);
        if (h === undefined) bad.push(`${slug}: ${file} does not exist`);
        else if (!h.articles.some((a) => a.slug === slug)) bad.push(`${slug}: ${file} has no @article ${slug}`);
      }
    }
    expect(bad).toEqual([]);
    expect(Object.keys(READING_ORDER).sort()).toEqual(articles.map((a) => a.slug).sort());
  });

  it.each([['docs/reading-guide.md'], ['docs/reading-guide.zh.md']])('%s has one chapter per article, in order, with its anchor, title, walkthrough and fixtures', (file) => {
    const text = read(file);
    let last = -1;
    for (const a of articles) {
      const at = text.indexOf(`<a id="article-${a.slug}"></a>`);
      expect(at, `anchor of ${a.slug}`).toBeGreaterThan(last);
      last = at;
      const next = articles[articles.indexOf(a) + 1];
      const chapter = text.slice(at, next === undefined ? undefined : text.indexOf(`<a id="article-${next.slug}"></a>`));
      const link = new RegExp(`## \\d+\\. ${a.slug}[:：]\\s*\\[([^\\]]+)\\]\\(${a.url.replace(/[.?]/g, '\\$&')}\\)`).exec(chapter);
      expect(link, `heading of ${a.slug} links ${a.url}`).not.toBeNull();
      expect(a.title).toContain(link![1]);
      for (const s of scenariosOf(a.slug, readScenarios())) expect(chapter).toContain(vizLink(s.name));
      expect(chapter).toMatch(/`npm run walkthrough -- [a-z0-9 -]+`/);
    }
  });

  it('links only to files that exist', () => {
    const bad: string[] = [];
    for (const file of ['docs/reading-guide.md', 'docs/reading-guide.zh.md', 'docs/architecture.md', 'docs/concurrency.md', 'docs/fidelity-ledger.md', 'README.md']) {
      for (const m of read(file).matchAll(/\]\(([^)#\s]+)(#[^)\s]*)?\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target)) continue;
        const path = join(REPO_ROOT, file, '..', decodeURIComponent(target));
        if (!existsSync(path)) bad.push(`${file}: ${target}`);
      }
    }
    expect(bad).toEqual([]);
  });
});

describe('generated pages', () => {
  it.each(PAGES.map((p) => [p.file, p]))('%s is up to date (npx tsx docs/tools/generate-pages.ts)', (_file, page) => {
    const text = read(page.file);
    expect(regionNames(text).length).toBeGreaterThan(0);
    expect(text).toBe(expectedText(page));
  });

  it('the concurrency table names only files that exist', () => {
    const named = [...read('docs/concurrency.md').matchAll(/`(src\/[^`]+\.ts)`/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((f) => !existsSync(join(REPO_ROOT, f)))).toEqual([]);
  });
});

describe('headers', () => {
  // The on-disk and on-wire structures, and the algorithms the book promises step diagrams for.
  const DIAGRAMS = [
    'src/remoting/remoting-command-codec.ts', 'src/store/commitlog/record-layout.ts', 'src/store/consumequeue/consume-queue.ts',
    'src/store/consumequeue/consume-queue-ext.ts', 'src/store/index/index-file.ts', 'src/store/index/index-header.ts',
    'src/store/checkpoint/store-checkpoint.ts', 'src/store/ha/ha-protocol.ts', 'src/common/message/message-id.ts',
    'src/common/message/message-decoder.ts', 'src/store/commitlog/flush/group-commit-service.ts',
    'src/broker/longpolling/pull-request-hold-service.ts', 'src/client/consumer/allocate/allocate-message-queue-averagely.ts',
    'src/store/commitlog/commit-log-recovery.ts', 'src/broker/transaction/transactional-message-service.ts',
  ];

  it.each(DIAGRAMS.map((f) => [f]))('%s draws its layout or its steps in the header', (file) => {
    expect(headers.find((h) => h.file === file)?.hasDiagram).toBe(true);
  });

  it('every src file has a header with a summary, a category and an article', () => {
    const bad = listSourceFiles().filter((f) => {
      const h = headers.find((x) => x.file === f);
      return h === undefined || h.summary === '' || h.category === '' || h.articles.length === 0;
    });
    expect(bad).toEqual([]);
  });

  it('every event source and every fixture src names a file, class and method that exist', () => {
    const srcs = new Set([...readEventSources().values(), ...readFixtures().flatMap((f) => f.events.map((e) => e.src ?? ''))]);
    srcs.delete('');
    const bad: string[] = [];
    for (const src of srcs) {
      const [file, symbol = ''] = src.split('#');
      if (!existsSync(join(REPO_ROOT, file!))) {
        bad.push(`${src}: no such file`);
        continue;
      }
      const text = read(file!);
      const [owner, member] = symbol.split('.');
      if (member === undefined) {
        if (!new RegExp(`^(export )?(async )?function ${owner}\\b`, 'm').test(text)) bad.push(`${src}: no function ${owner}`);
      } else if (!new RegExp(`export (abstract )?class ${owner}\\b`).test(text) || !new RegExp(`^\\s+(?:(?:private|protected|public|static|async|override|readonly|get|set) )*${member}\\s*[(<]`, 'm').test(text)) {
        bad.push(`${src}: no exported class ${owner} with a method ${member}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
