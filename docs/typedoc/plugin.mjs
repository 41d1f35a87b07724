// The typedoc plugin that makes the API pages one book with the walkthroughs and the visualizer.
//
// Loaded by `npm run docs` through `typedocOptions.plugin` in tsconfig.json. It does four things:
//
//   1. Private emit sites get anchors. `excludePrivate` is off so that private members are
//      converted; this plugin then removes every one of them (the site shows no private API),
//      but first remembers those that emit events (the `src` anchors of
//      src/events/event-sources.ts, which the visualizer links to). Each is listed under
//      "Private emit sites" on its class page, with its declaration and doc comment, at the
//      anchor a public member of that name would have (`#emitappended`). Unexported functions
//      that emit are read from the source and listed the same way on their module page, where
//      exported functions have their anchors too (`modules/<module>.html#cutafter`).
//   2. Project documents get short names in the navigation (and so in their URLs), and the
//      category "Guides", listed first on the index of modules.
//   3. `@article <slug> "<section>"` renders as a link to the article of the series.
//   4. Every module, class and function page ends with "Read it with": its article's section of
//      the reading guide, and the walkthrough scenarios and fixtures whose events were emitted
//      in that file or class (from viz/fixtures/*.events.jsonl), each with a visualizer link
//      opened at the first such event.
//
//   viz/fixtures/send-two.events.jsonl, two events like
//     {"seq":53,"kind":"store.commitlog.appended","src":"src/store/commitlog/commit-log.ts#CommitLog.emitAppended"}
//        └─► a row on modules/store_commitlog_commit-log.html and classes/…CommitLog.html:
//              send-two │ store.commitlog.appended ×2 (CommitLog.emitAppended) │ send-two, step 53
//                                                  links to the viz at ?run=…&step=53 ┘
import { Converter, JSX, ReflectionFlag, ReflectionKind } from 'typedoc';
import ts from 'typescript';
import {
  indexFixtureSources, readArticles, readEventSources, readFixtures, readScenarios, REPO_ROOT, scenariosOf, unlink, vizLink,
} from '../tools/book-index.mjs';

const READING_GUIDE = 'reading-guide';
const SECTION_ID = 'read-it-with';

/** Repo-relative path of an absolute one, or undefined when it is outside the repo. */
function repoPath(absolute) {
  const root = REPO_ROOT.replace(/\\/g, '/').replace(/\/$/, '');
  const path = absolute.replace(/\\/g, '/');
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : undefined;
}

/** A member's declaration as written, up to its body: `private emitAppended(result: ...): void`. */
function signatureText(symbol) {
  const decl = symbol?.declarations?.[0];
  return decl === undefined ? '' : declarationText(decl);
}

function declarationText(decl) {
  const text = decl.getText();
  const cut = decl.body === undefined ? text : text.slice(0, decl.body.getStart() - decl.getStart());
  return cut.replace(/\s+/g, ' ').replace(/[\s;]+$/, '');
}

/** The summary of a member's doc comment (on its first signature for methods). */
function summaryOf(refl) {
  return (refl.signatures?.[0]?.comment ?? refl.comment)?.summary ?? [];
}

/** The module reflection a reflection sits in. */
function moduleOfReflection(refl) {
  let r = refl;
  while (r !== undefined && !r.kindOf(ReflectionKind.Module)) r = r.parent;
  return r;
}

/** `Class.member` or `function` as the event sources name it. */
function symbolName(refl) {
  const parent = refl.parent;
  if (parent !== undefined && parent.kindOf(ReflectionKind.ClassOrInterface)) return `${parent.name}.${refl.name}`;
  return refl.name;
}

/** Navigation names of the project documents (they also name the pages: documents/<name>.html). */
const DOCUMENT_NAMES = {
  'reading-guide': 'Reading guide',
  'reading-guide.zh': '阅读指南',
  architecture: 'Architecture',
  concurrency: 'Concurrency',
  'fidelity-ledger': 'Fidelity ledger',
  articles: 'The article series',
  dependencies: 'Dependencies',
};

/** Project document -> the file name it came from (`reading-guide`), before its renaming. */
const documentFile = new WeakMap();

export function load(app) {
  /** Data read at the start of each conversion, so a watch rebuild sees edits. */
  let book;

  app.converter.on(Converter.EVENT_BEGIN, () => {
    const fixtures = readFixtures();
    const scenarios = readScenarios();
    book = {
      articles: readArticles(),
      scenarios,
      byFile: indexFixtureSources(fixtures),
      emitSites: new Set(readEventSources().values()),
      fileOfModule: new Map(),
      privateSites: new Map(),
      articleOfFile: new Map(),
    };
  });

  app.converter.on(Converter.EVENT_CREATE_DOCUMENT, (_context, doc) => {
    const text = doc.content.map((part) => part.text).join('');
    const heading = /^#\s+(.+)$/m.exec(text);
    documentFile.set(doc, doc.name);
    doc.name = DOCUMENT_NAMES[doc.name] ?? heading?.[1]?.trim() ?? doc.name;
    doc.frontmatter.category ??= 'Guides';
  });

  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const project = context.project;
    for (const mod of project.getReflectionsByKind(ReflectionKind.Module)) {
      const path = project.files.getReflectionPath(mod);
      const file = path === undefined ? undefined : repoPath(path);
      if (file !== undefined) book.fileOfModule.set(mod.id, file);
    }
    // 1a. Functions that emit events but are not exported (so typedoc never saw them) are
    //     read from the source file, to be listed on their module's page.
    for (const mod of project.getReflectionsByKind(ReflectionKind.Module)) {
      const file = book.fileOfModule.get(mod.id);
      const source = context.getSymbolFromReflection(mod)?.declarations?.find((d) => ts.isSourceFile(d));
      if (file === undefined || source === undefined) continue;
      for (const site of book.emitSites) {
        const [siteFile, symbol] = site.split('#');
        if (siteFile !== file || symbol.includes('.') || mod.getChildByName(symbol) !== undefined) continue;
        const decl = source.statements.find((st) => ts.isFunctionDeclaration(st) && st.name?.text === symbol);
        if (decl === undefined) continue;
        const jsDoc = ts.getJSDocCommentsAndTags(decl).filter((d) => ts.isJSDoc(d)).at(-1);
        const text = jsDoc === undefined ? '' : unlink(ts.getTextOfJSDocComment(jsDoc.comment) ?? '');
        const entry = { name: symbol, signature: declarationText(decl), summary: text === '' ? [] : [{ kind: 'text', text }] };
        book.privateSites.set(mod.id, [...(book.privateSites.get(mod.id) ?? []), entry]);
      }
    }
    // 1b. Private members stay out of the site, but those that emit events are remembered,
    //    to be listed (with an anchor) under "Private emit sites" on their class's page.
    for (const refl of project.getReflectionsByKind(ReflectionKind.SomeMember)) {
      if (!refl.flags.hasFlag(ReflectionFlag.Private)) continue;
      const mod = moduleOfReflection(refl);
      const file = mod === undefined ? undefined : book.fileOfModule.get(mod.id);
      if (file !== undefined && book.emitSites.has(`${file}#${symbolName(refl)}`)) {
        const site = { name: refl.name, signature: signatureText(context.getSymbolFromReflection(refl)), summary: summaryOf(refl) };
        const sites = book.privateSites.get(refl.parent.id) ?? [];
        book.privateSites.set(refl.parent.id, [...sites, site]);
      }
      project.removeReflection(refl);
    }
  });

  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    // 3. @article tags as links to the series.
    const articles = new Map(book.articles.map((a) => [a.slug, a]));
    for (const refl of Object.values(context.project.reflections)) {
      for (const tag of refl.comment?.blockTags ?? []) {
        if (tag.tag !== '@article') continue;
        const text = tag.content.map((p) => p.text).join('').trim();
        const m = /^([a-z0-9-]+)\s+"([^"]*)"/.exec(text);
        const article = m === null ? undefined : articles.get(m[1]);
        if (m === null || article === undefined) continue;
        const mod = moduleOfReflection(refl);
        const file = mod === undefined ? undefined : book.fileOfModule.get(mod.id);
        if (file !== undefined && refl === mod) book.articleOfFile.set(file, m[1]);
        tag.content = [{ kind: 'text', text: `[${article.title}](${article.url}) (\`${m[1]}\`), section “${m[2]}”` }];
      }
    }
  });

  // 4. "Private emit sites" and "Read it with" at the end of module, class and function pages.
  app.renderer.hooks.on('content.end', (context) => {
    const model = context.page.model;
    const none = JSX.createElement(JSX.Fragment, null);
    if (book === undefined || model === undefined || typeof model.kindOf !== 'function') return none;
    if (!model.kindOf(ReflectionKind.Module | ReflectionKind.Class | ReflectionKind.Function)) return none;
    const mod = moduleOfReflection(model);
    const file = mod === undefined ? undefined : book.fileOfModule.get(mod.id);
    if (file === undefined) return none;
    return JSX.createElement(JSX.Fragment, null, privateSitesSection(context, book.privateSites.get(model.id) ?? []), readItWith(context, book, file, model));
  });
}

/** The private methods of a class that emit events, each under an anchor named like a member's. */
function privateSitesSection(context, sites) {
  if (sites.length === 0) return null;
  const h = JSX.createElement;
  context.page.pageHeadings.push({ link: '#private-emit-sites', text: 'Private emit sites' });
  return h('section', { class: 'tsd-panel-group tsd-member-group' },
    h('h2', { id: 'private-emit-sites', class: 'tsd-anchor-link' }, 'Private emit sites'),
    h('p', null, 'Private methods and unexported functions are left out of this site, except these: they emit events, and the visualizer links here from each one.'),
    sites.map((site) => {
      const id = site.name.toLowerCase();
      context.page.pageHeadings.push({ link: `#${id}`, text: site.name, level: 1 });
      return h('section', { class: 'tsd-panel tsd-member' },
        h('h3', { id, class: 'tsd-anchor-link' }, h('span', null, site.name)),
        h('div', { class: 'tsd-signature' }, site.signature),
        site.summary.length === 0 ? null : h('div', { class: 'tsd-comment tsd-typography' }, h(JSX.Raw, { html: context.markdown(site.summary) })));
    }));
}

/** The article of the file, its walkthroughs, and the fixture events emitted in the page's code. */
function readItWith(context, book, file, model) {
  const slug = book.articleOfFile.get(file);
  const article = book.articles.find((a) => a.slug === slug);
  const rows = exercisedRows(book, file, model);
  if (article === undefined && rows.length === 0) return null;
  context.page.pageHeadings.push({ link: `#${SECTION_ID}`, text: 'Read it with' });
  const guide = context.page.project.documents?.find((d) => documentFile.get(d) === READING_GUIDE);
  const guideUrl = guide === undefined ? undefined : context.urlTo(guide);
  const scenarios = article === undefined ? [] : scenariosOf(article.slug, book.scenarios);
  const h = JSX.createElement;
  return h('section', { class: 'tsd-panel tsd-member-group' },
    h('h2', { id: SECTION_ID, class: 'tsd-anchor-link' }, 'Read it with'),
    article === undefined ? null : h('p', null,
      'Article ', h('a', { href: article.url }, article.title), ' (', h('code', null, article.slug), ')',
      guideUrl === undefined ? '' : [', chapter ', h('a', { href: `${guideUrl}#article-${article.slug}` }, article.slug), ' of the reading guide'],
      '. Its walkthrough: ', h('code', null, `npm run walkthrough -- ${scenarios.length === 1 ? scenarios[0].name : article.slug}`),
      scenarios.length === 0 ? '.' : [' (', scenarios.map((s, i) => [i === 0 ? '' : ', ', h('a', { href: vizLink(s.name) }, s.name)]), ' in the visualizer).']),
    rows.length === 0 ? null : h('p', null, 'Events emitted here in the walkthroughs (run one with ', h('code', null, 'npm run walkthrough -- <name>'), '); each link opens the visualizer at the first of them:'),
    rows.length === 0 ? null : h('table', null,
      h('thead', null, h('tr', null, h('th', null, 'walkthrough'), h('th', null, 'events (emitted by)'), h('th', null, 'visualizer'))),
      h('tbody', null, rows.map((r) => h('tr', null,
        h('td', null, h('code', null, r.fixture)),
        h('td', null, r.uses.map((u, i) => [i === 0 ? '' : h('br', null),
          [...u.kinds].map((k, j) => [j === 0 ? '' : ', ', h('code', null, k)]), u.count > 1 ? ` ×${u.count}` : '', ' (', h('code', null, u.symbol || file), ')'])),
        h('td', null, h('a', { href: vizLink(r.fixture, r.firstSeq) }, `${r.fixture}, step ${r.firstSeq}`)))))));
}

/**
 * The fixture rows for a page: per fixture (in article order), the symbols of `file` that
 * belong to the page's reflection and the events they emitted there.
 */
function exercisedRows(book, file, model) {
  const perFixture = book.byFile.get(file);
  if (perFixture === undefined) return [];
  const order = (fixture) => {
    const scenario = book.scenarios.find((s) => s.name === fixture);
    const i = scenario === undefined ? -1 : book.articles.findIndex((a) => a.slug === scenario.article);
    return i < 0 ? book.articles.length : i;
  };
  const rows = [];
  for (const [fixture, perSymbol] of perFixture) {
    const uses = [...perSymbol]
      .filter(([symbol]) => model.kindOf(ReflectionKind.Module) || symbol.split('.')[0] === model.name)
      .map(([symbol, use]) => ({ symbol, ...use }))
      .sort((a, b) => a.firstSeq - b.firstSeq);
    if (uses.length > 0) rows.push({ fixture, uses, firstSeq: uses[0].firstSeq });
  }
  return rows.sort((a, b) => order(a.fixture) - order(b.fixture) || a.fixture.localeCompare(b.fixture));
}
