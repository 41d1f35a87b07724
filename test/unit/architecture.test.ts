// The architecture guard: the import rules of docs/architecture.md, as a test.
//
// Goal: keep the core deterministic and browser-safe. Method: read every file under src/,
// strip comments, and look for what may not be there (node: imports outside
// src/platform/node, wall-clock time and randomness outside src/platform, Buffer and console
// outside src/platform/node, imports against the module arrows, files without a header).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const srcDir = join(root, 'src');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Remove block comments and line comments (not "//" inside strings such as URLs). */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

const files = walk(srcDir).map((path) => {
  const rel = relative(srcDir, path).split('\\').join('/');
  const text = readFileSync(path, 'utf8');
  return { rel, text, code: stripComments(text) };
});

/** The module a file belongs to: its first folder under src/, with platform/node split out. */
function moduleOf(rel: string): string {
  if (rel.startsWith('platform/node/startup/')) return 'startup';
  if (rel.startsWith('platform/node/')) return 'platform/node';
  const slash = rel.indexOf('/');
  return slash < 0 ? rel.replace(/\.ts$/, '') : rel.slice(0, slash);
}

/** Which modules each module may import at run time (an arrow in the architecture diagram). */
const ALLOWED: Record<string, readonly string[]> = {
  common: ['common'],
  platform: ['platform', 'common'],
  'platform/node': ['platform/node', 'platform', 'common', 'events'],
  events: ['events', 'platform', 'common'],
  remoting: ['remoting', 'events', 'platform', 'common'],
  store: ['store', 'events', 'platform', 'common'],
  namesrv: ['namesrv', 'remoting', 'events', 'platform', 'common'],
  // The SQL92 engine (Java's rocketmq-filter module): pure, imported by the broker.
  filter: ['filter', 'common'],
  broker: ['broker', 'filter', 'store', 'remoting', 'events', 'platform', 'common'],
  client: ['client', 'remoting', 'events', 'platform', 'common'],
  sim: ['sim', 'filter', 'broker', 'namesrv', 'client', 'store', 'remoting', 'events', 'platform', 'common'],
  // The command-line startup classes (NamesrvStartup, BrokerStartup, MQAdminStartup) wire real adapters
  // to the roles, so they may import everything; nothing imports them.
  startup: ['startup', 'platform/node', 'sim', 'filter', 'broker', 'namesrv', 'client', 'store', 'remoting', 'events', 'platform', 'common'],
  index: ['sim', 'filter', 'broker', 'namesrv', 'client', 'store', 'remoting', 'events', 'platform', 'common'],
};
/** Type-only imports that are fine although the value import would not be: ports are interfaces. */
const TYPE_ONLY_ALLOWED: Record<string, readonly string[]> = { common: ['platform'], platform: ['events'] };

function importsOf(code: string): Array<{ spec: string; typeOnly: boolean }> {
  const out: Array<{ spec: string; typeOnly: boolean }> = [];
  const re = /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const m of code.matchAll(re)) out.push({ spec: (m[3] ?? m[4] ?? m[5])!, typeOnly: m[2] !== undefined });
  return out;
}

describe('architecture', () => {
  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it('only src/platform/node (and the Node entry src/node.ts) imports node built-ins', () => {
    const nodeOk = (f: { rel: string }) => ['platform/node', 'startup'].includes(moduleOf(f.rel)) || f.rel === 'node.ts';
    const bad = files.filter((f) => !nodeOk(f))
      .flatMap((f) => importsOf(f.code).filter((i) => i.spec.startsWith('node:') || /^(fs|net|path|os|child_process|crypto|zlib|url)$/.test(i.spec)).map((i) => `${f.rel}: ${i.spec}`));
    expect(bad).toEqual([]);
  });

  it('reads no wall clock, no Math.random and sets no real timers outside src/platform', () => {
    const banned = /\bDate\.now\(|\bnew Date\(|\bMath\.random\(|\bsetTimeout\(|\bsetInterval\(|\bperformance\.now\(/;
    const bad = files.filter((f) => !f.rel.startsWith('platform/') && banned.test(f.code)).map((f) => f.rel);
    expect(bad).toEqual([]);
  });

  it('uses no Buffer and no console outside src/platform/node', () => {
    const bad = files.filter((f) => !['platform/node', 'startup'].includes(moduleOf(f.rel)) && /\bBuffer\b|\bconsole\./.test(f.code)).map((f) => f.rel);
    expect(bad).toEqual([]);
  });

  it('imports only along the module arrows, and nothing browser-safe imports platform/node', () => {
    const bad: string[] = [];
    for (const f of files) {
      const from = moduleOf(f.rel);
      if (f.rel === 'node.ts') continue;
      const allowed = ALLOWED[from];
      if (allowed === undefined) {
        bad.push(`${f.rel}: module "${from}" is not in the architecture table`);
        continue;
      }
      for (const imp of importsOf(f.code)) {
        if (!imp.spec.startsWith('.')) continue;
        const target = relative(srcDir, resolve(dirname(join(srcDir, f.rel)), imp.spec)).split('\\').join('/');
        const to = moduleOf(target);
        if (allowed.includes(to)) continue;
        if (imp.typeOnly && (TYPE_ONLY_ALLOWED[from] ?? []).includes(to)) continue;
        bad.push(`${f.rel} imports ${imp.spec} (${from} -> ${to})`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('opens every file with a /** module header */ that has @category and ends in @module', () => {
    const bad = files.filter((f) => {
      const header = /^\/\*\*([\s\S]*?)\*\//.exec(f.text);
      return header === null || !/@module\b/.test(header[1]!) || !/@category\s+\w+/.test(header[1]!);
    }).map((f) => f.rel);
    expect(bad).toEqual([]);
  });
});
