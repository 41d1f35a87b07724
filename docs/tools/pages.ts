// The generated parts of the docs pages, and the machinery that keeps them in place.
//
// A page written by hand may hold generated regions:
//
//   <!-- generated:files:store -->
//   ... replaced on every run of docs/tools/generate-pages.ts ...
//   <!-- /generated:files:store -->
//
// Everything outside the markers is prose and is never touched. The regions come from the
// files that own the facts (src headers, the scenario table, the fixtures, the architecture
// test), so the lists cannot drift: `test/integration/docs/pages.test.ts` fails when a page
// differs from what the generator would write.
//
//   page                        regions
//   docs/reading-guide.md       files:<slug> for each article (walkthrough, fixtures, files to read)
//   docs/reading-guide.zh.md    the same, with Chinese labels and scenario titles
//   docs/fidelity-ledger.md     ledger (every header's "Differences from RocketMQ 4.9.x:" list, by module)
//   docs/architecture.md        import-rules (the architecture test's table), modules (files per module)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIOS } from '../../src/sim/scenarios/index.js';
import {
  MODULE_ORDER, moduleOf, readArticles, readHeaders, REPO_ROOT, scenariosOf, unlink, vizLink, walkthroughScriptOf,
  type Article, type ScenarioInfo, type SourceHeader,
} from './book-index.mjs';
import { READING_ORDER } from './reading-order.js';

export type Lang = 'en' | 'zh';

/** One page with generated regions. */
export interface GeneratedPage {
  /** Repo-relative path. */
  readonly file: string;
  /** Region name -> its content (without the markers). */
  regions(): Map<string, string>;
}

const BEGIN = (name: string): string => `<!-- generated:${name} -->`;
const END = (name: string): string => `<!-- /generated:${name} -->`;

/** The region names a page's text holds, in order. */
export function regionNames(text: string): string[] {
  return [...text.matchAll(/<!-- generated:([a-z0-9:-]+) -->/g)].map((m) => m[1]!);
}

/**
 * Replace each region's content with the generated one. A region the page holds but the
 * generator does not know, or one the generator makes but the page lacks, is an error: the
 * page and the generator disagree about the page's shape, and a person must decide.
 */
export function fillRegions(text: string, regions: Map<string, string>): string {
  const names = regionNames(text);
  const unknown = names.filter((n) => !regions.has(n));
  const missing = [...regions.keys()].filter((n) => !names.includes(n));
  if (unknown.length > 0 || missing.length > 0) {
    throw new Error(`regions do not match: unknown ${JSON.stringify(unknown)}, missing ${JSON.stringify(missing)}`);
  }
  let out = text;
  for (const [name, content] of regions) {
    const start = out.indexOf(BEGIN(name));
    const end = out.indexOf(END(name), start);
    if (end < 0) throw new Error(`region ${name} has no end marker`);
    out = `${out.slice(0, start)}${BEGIN(name)}\n${content.trimEnd()}\n${out.slice(end)}`;
  }
  return out;
}

/** `[store/commitlog/commit-log.ts](../src/store/commitlog/commit-log.ts)`: on GitHub the file, in typedoc its module page. */
function fileLink(file: string): string {
  return `[\`${file.replace(/^src\//, '')}\`](../${file})`;
}

/** The first sentence of a header's summary, links flattened. */
function firstSentence(summary: string): string {
  const text = unlink(summary);
  const m = /^(.*?[.!?])(\s|$)/.exec(text);
  return (m?.[1] ?? text).trim();
}

function scenarioOf(name: string) {
  return SCENARIOS.find((s) => s.name === name);
}

const LABELS = {
  en: {
    run: (cmd: string, script: string) => `**Run it:** \`${cmd}\`${script === '' ? '' : ` (or \`npx tsx ${script}\`)`}; add \`--lang zh\` for the Chinese narration.`,
    borrowed: (names: string, owner: string) => `This chapter has no scenario of its own: it borrows ${names} from chapter \`${owner}\`, the run that touches every layer.`,
    table: '| scenario | what it shows | fixture (opens the visualizer) |',
    spine: '**Read in this order:**',
    rest: '**Also in this chapter**, by section:',
  },
  zh: {
    run: (cmd: string, script: string) => `**运行：** \`${cmd}\`${script === '' ? '' : `（或 \`npx tsx ${script}\`）`}；加 \`--lang zh\` 输出中文讲解。`,
    borrowed: (names: string, owner: string) => `本章没有自己的场景：借用第 \`${owner}\` 章的 ${names}，它经过每一层。`,
    table: '| 场景 | 演示内容 | 事件日志（在可视化工具中打开） |',
    spine: '**按顺序阅读：**',
    rest: '**本章其余文件**（按小节）：',
  },
} as const;

/** The generated part of one chapter of the reading guide. */
export function chapterRegion(article: Article, headers: readonly SourceHeader[], scenarios: readonly ScenarioInfo[], lang: Lang): string {
  const L = LABELS[lang];
  const inArticle = headers.filter((h) => h.articles.some((a) => a.slug === article.slug));
  const sectionOf = (h: SourceHeader): string => h.articles.find((a) => a.slug === article.slug)?.section ?? '';
  const chosen = scenariosOf(article.slug, scenarios);
  const own = chosen.length > 0 && chosen.every((s) => s.article === article.slug);
  const script = walkthroughScriptOf(article.slug);
  const out: string[] = [];
  if (own) out.push(L.run(`npm run walkthrough -- ${article.slug}`, script === 'walkthroughs/walkthrough.ts' ? '' : script));
  else {
    out.push(L.run(`npm run walkthrough -- ${chosen.map((s) => s.name).join(' ')}`, ''));
    out.push('', L.borrowed(chosen.map((s) => `\`${s.name}\``).join(', '), chosen[0]?.article ?? ''));
  }
  out.push('', L.table, '| --- | --- | --- |');
  for (const s of chosen) {
    const full = scenarioOf(s.name);
    const what = full === undefined ? s.title[lang] : `${full.title[lang]}${lang === 'zh' ? '：' : '. '}${full.summary[lang]}`;
    out.push(`| \`${s.name}\` | ${what.replace(/\|/g, '\\|').replace(/\.\.$/, '.')} | [${s.name}](${vizLink(s.name)}) · \`viz/fixtures/${s.name}.events.jsonl\` |`);
  }
  const spine = READING_ORDER[article.slug] ?? [];
  out.push('', L.spine, '');
  spine.forEach((file, i) => {
    const h = inArticle.find((x) => x.file === file);
    out.push(`${i + 1}. ${fileLink(file)}: ${h === undefined ? '' : firstSentence(h.summary)} *(${h === undefined ? '?' : sectionOf(h)})*`);
  });
  const rest = inArticle.filter((h) => !spine.includes(h.file));
  if (rest.length > 0) {
    const spineSections = spine.map((f) => inArticle.find((x) => x.file === f)).filter((h) => h !== undefined).map(sectionOf);
    const sections = [...new Set(rest.map(sectionOf))].sort((a, b) => {
      const ia = spineSections.indexOf(a);
      const ib = spineSections.indexOf(b);
      return (ia < 0 ? Infinity : ia) - (ib < 0 ? Infinity : ib) || a.localeCompare(b);
    });
    out.push('', L.rest, '');
    for (const section of sections) {
      const files = rest.filter((h) => sectionOf(h) === section).map((h) => h.file).sort(byModuleThenPath);
      out.push(`- *${section}*: ${files.map(fileLink).join(', ')}`);
    }
  }
  return out.join('\n');
}

function byModuleThenPath(a: string, b: string): number {
  return MODULE_ORDER.indexOf(moduleOf(a)) - MODULE_ORDER.indexOf(moduleOf(b)) || a.localeCompare(b);
}

function readingGuide(lang: Lang): GeneratedPage {
  return {
    file: lang === 'en' ? 'docs/reading-guide.md' : 'docs/reading-guide.zh.md',
    regions() {
      const headers = readHeaders();
      const scenarios: ScenarioInfo[] = SCENARIOS.map((s) => ({ name: s.name, article: s.article, title: s.title, file: '' }));
      return new Map(readArticles().map((a) => [`files:${a.slug}`, chapterRegion(a, headers, scenarios, lang)]));
    },
  };
}

/** How a header's list reads when it says there is nothing to list. */
function ledgerKind(h: SourceHeader): 'none' | 'ours' | 'missing' | 'listed' {
  const lead = h.differencesInline;
  if (lead === '' && h.differences.length === 0) return 'missing';
  if (/^none\b/i.test(lead)) return 'none';
  if (/^not (in|part of) RocketMQ/i.test(lead)) return 'ours';
  return 'listed';
}

/** The difference list of one file as markdown list items, nested under the file's item. */
function ledgerItems(h: SourceHeader): string[] {
  const lines = h.differences.map((l) => unlink(l));
  const bullets = lines.length > 0 && lines.some((l) => l.startsWith('- '));
  if (!bullets) return [`  - ${[h.differencesInline, ...lines.map((l) => l.trim())].filter((t) => t !== '').join(' ')}`];
  const out = h.differencesInline === '' ? [] : [`  - ${unlink(h.differencesInline)}`];
  for (const l of lines) out.push(l === '' ? '' : `  ${l}`);
  return out;
}

/** The fidelity ledger: every header's differences, by module, in the book's module order. */
export function ledgerRegion(headers: readonly SourceHeader[]): string {
  const out: string[] = [];
  const modules = MODULE_ORDER.filter((m) => headers.some((h) => h.module === m));
  const names = (hs: readonly SourceHeader[]): string => hs.map((h) => fileLink(h.file)).join(', ');
  for (const mod of modules) {
    const hs = headers.filter((h) => h.module === mod);
    const listed = hs.filter((h) => ledgerKind(h) === 'listed');
    out.push(`### ${mod === 'entry' ? 'entry points' : mod} (${hs.length} files, ${listed.length} with differences)`, '');
    for (const h of listed) {
      const twin = h.mirrors[0] === undefined ? '' : ` (\`${h.mirrors[0].split(/\s/)[0]}\`)`;
      out.push(`- ${fileLink(h.file)}${twin}`, ...ledgerItems(h));
    }
    const none = hs.filter((h) => ledgerKind(h) === 'none');
    const ours = hs.filter((h) => ledgerKind(h) === 'ours');
    const missing = hs.filter((h) => ledgerKind(h) === 'missing');
    if (none.length > 0) out.push(`- Same as RocketMQ 4.9.x: ${names(none)}`);
    if (ours.length > 0) out.push(`- Not in RocketMQ (this project's own): ${names(ours)}`);
    if (missing.length > 0) out.push(`- No "Differences" list in the header: ${names(missing)}`);
    out.push('');
  }
  return out.join('\n');
}

/** The import table of test/unit/architecture.test.ts (`ALLOWED`), read from its source. */
export function readImportRules(root: string = REPO_ROOT): Map<string, string[]> {
  const text = readFileSync(join(root, 'test/unit/architecture.test.ts'), 'utf8');
  const start = text.indexOf('const ALLOWED');
  const block = text.slice(start, text.indexOf('};', start));
  const rules = new Map<string, string[]>();
  for (const m of block.matchAll(/^\s*'?([a-z/]+)'?:\s*\[([^\]]*)\]/gm)) {
    rules.set(m[1]!, [...m[2]!.matchAll(/'([^']+)'/g)].map((x) => x[1]!));
  }
  return rules;
}

/** The module table of the architecture page: what each may import, and how many files it has. */
export function importRulesRegion(rules: Map<string, string[]>, headers: readonly SourceHeader[]): string {
  const out = ['| module | may import (besides itself) | files |', '| --- | --- | --- |'];
  const order = [...MODULE_ORDER.filter((m) => rules.has(m)), ...[...rules.keys()].filter((m) => !MODULE_ORDER.includes(m))];
  for (const mod of order) {
    const deps = (rules.get(mod) ?? []).filter((d) => d !== mod);
    const count = headers.filter((h) => (mod === 'index' ? h.file === 'src/index.ts' : h.module === mod)).length;
    out.push(`| \`${mod}\` | ${deps.length === 0 ? 'nothing' : deps.map((d) => `\`${d}\``).join(', ')} | ${count} |`);
  }
  return out.join('\n');
}

/** Every page with generated regions. */
export const PAGES: readonly GeneratedPage[] = [
  readingGuide('en'),
  readingGuide('zh'),
  { file: 'docs/fidelity-ledger.md', regions: () => new Map([['ledger', ledgerRegion(readHeaders())]]) },
  { file: 'docs/architecture.md', regions: () => new Map([['import-rules', importRulesRegion(readImportRules(), readHeaders())]]) },
];

/** What a page should contain now. */
export function expectedText(page: GeneratedPage, root: string = REPO_ROOT): string {
  return fillRegions(readFileSync(join(root, page.file), 'utf8'), page.regions());
}
