/**
 * Vite settings for the visualizer: root is `viz/`, the build goes to `viz/dist`.
 *
 * The viz is offline-first: it loads `*.events.jsonl` runs from the same origin and never
 * reaches out to the network. Three small things are served next to the app, and the same
 * plugin serves them in `vite` (dev), `vite preview` and the built `dist/`:
 *
 * ```
 *   /fixtures/index.json              names of the committed runs in viz/fixtures/
 *   /fixtures/<name>.events.jsonl     one committed run
 *   /api/...                          the typedoc site (docs/api), when `npm run docs` has built it
 *   virtual:emit-sites                kind -> [{file, line, symbol}] of every `.emit('kind'` in src/,
 *                                     resolved at build time so code links do not drift
 *   virtual:fixtures                  the fixture names at build time, for servers that mount
 *                                     viz/fixtures/ without the index (npm start's static server)
 * ```
 *
 * The annotated source itself is bundled lazily by `import.meta.glob` in the source panel,
 * one chunk per file, so the sources shown are the ones the app was built from.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const vizRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = join(vizRoot, '..');
const fixturesDir = join(vizRoot, 'fixtures');
const docsDir = join(repoRoot, 'docs', 'api');
const srcDir = join(repoRoot, 'src');
const FIXTURE_SUFFIX = '.events.jsonl';
const EMIT_SITES_ID = 'virtual:emit-sites';
const FIXTURES_ID = 'virtual:fixtures';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'application/x-ndjson; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

function fixtureNames(): string[] {
  if (!existsSync(fixturesDir)) return [];
  return readdirSync(fixturesDir).filter((f) => f.endsWith(FIXTURE_SUFFIX)).sort();
}

/** Every `.emit('a.b.c'` in src/, with the class and method it sits in (for typedoc anchors). */
function scanEmitSites(): Record<string, Array<{ file: string; line: number; symbol: string }>> {
  const out: Record<string, Array<{ file: string; line: number; symbol: string }>> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) scanFile(full);
    }
  };
  const scanFile = (full: string): void => {
    const file = relative(repoRoot, full).split(sep).join('/');
    const lines = readFileSync(full, 'utf8').split('\n');
    let cls = '';
    let method = '';
    lines.forEach((text, i) => {
      const c = /^(?:export )?(?:abstract )?class (\w+)/.exec(text);
      if (c) { cls = c[1]!; method = ''; }
      const f = /^(?:export )?(?:async )?function (\w+)/.exec(text);
      if (f) { cls = ''; method = f[1]!; }
      const m = /^ {2}(?:(?:private|protected|public|static|async|override|readonly|get|set) )*(\w+)\s*[(<]/.exec(text);
      if (m && !['if', 'for', 'while', 'switch', 'return', 'catch'].includes(m[1]!)) method = m[1]!;
      for (const hit of text.matchAll(/\.emit\(\s*'([a-z0-9-]+\.[a-z0-9-]+\.[a-z0-9-]+)'/g)) {
        const symbol = cls ? (method ? `${cls}.${method}` : cls) : method;
        (out[hit[1]!] ??= []).push({ file, line: i + 1, symbol });
      }
    });
  };
  if (existsSync(srcDir)) walk(srcDir);
  return out;
}

function sendFile(res: ServerResponse, path: string): void {
  res.setHeader('Content-Type', MIME[extname(path)] ?? 'application/octet-stream');
  res.setHeader('Cache-Control', 'no-cache');
  res.end(readFileSync(path));
}

/** Serves /fixtures/* and /api/* from the repository, for both the dev and the preview server. */
function repoFilesMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const url = decodeURIComponent((req.url ?? '/').split('?')[0]!);
  if (url === '/fixtures/index.json') {
    res.setHeader('Content-Type', MIME['.json']!);
    res.setHeader('Cache-Control', 'no-cache');
    res.end(JSON.stringify(fixtureNames()));
    return;
  }
  const mounts: Array<[string, string]> = [['/fixtures/', fixturesDir], ['/api/', docsDir]];
  for (const [prefix, dir] of mounts) {
    if (!url.startsWith(prefix)) continue;
    let rel = url.slice(prefix.length);
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const full = normalize(join(dir, rel));
    if (!full.startsWith(dir + sep) || !existsSync(full) || !statSync(full).isFile()) {
      res.statusCode = 404;
      res.end(`not found: ${url}`);
      return;
    }
    sendFile(res, full);
    return;
  }
  next();
}

function vizRepoFiles(): Plugin {
  return {
    name: 'viz-repo-files',
    configureServer(server) {
      server.middlewares.use(repoFilesMiddleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(repoFilesMiddleware);
    },
    resolveId(id) {
      return id === EMIT_SITES_ID || id === FIXTURES_ID ? '\0' + id : undefined;
    },
    load(id) {
      if (id === '\0' + EMIT_SITES_ID) return `export default ${JSON.stringify(scanEmitSites())};`;
      if (id === '\0' + FIXTURES_ID) return `export default ${JSON.stringify(fixtureNames())};`;
      return undefined;
    },
    generateBundle() {
      // A built dist/ is self-contained for static hosting: copy the committed runs in.
      const names = fixtureNames();
      this.emitFile({ type: 'asset', fileName: 'fixtures/index.json', source: JSON.stringify(names) });
      for (const name of names) {
        this.emitFile({ type: 'asset', fileName: `fixtures/${name}`, source: readFileSync(join(fixturesDir, name), 'utf8') });
      }
    },
  };
}

export default defineConfig({
  root: vizRoot,
  base: './',
  publicDir: false,
  clearScreen: false,
  logLevel: 'warn',
  plugins: [vizRepoFiles()],
  server: { host: '127.0.0.1', fs: { allow: [repoRoot] } },
  preview: { host: '127.0.0.1' },
  build: {
    outDir: join(vizRoot, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2048,
    reportCompressedSize: false,
  },
});
