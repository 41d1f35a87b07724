// Finds where each event kind is emitted: for every `emit('<kind>'` in src/, the file and the
// enclosing `Class.method` (or function). Used by test/unit/events/event-sources.test.ts to keep
// src/events/event-sources.ts true, and to regenerate it:
//   npx tsx test/support/event-sources.ts > /tmp/table.txt
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const METHOD = /^\s{2}(?:(?:public|private|protected|static|async|override|readonly|get|set)\s+)*#?([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\(/;
const FUNCTION = /^(?:export\s+)?(?:async\s+)?function\s+([A-Za-z_$][\w$]*)/;
const CLASS = /^(?:export\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)/;
const ARROW_FIELD = /^\s{2}(?:(?:private|protected|public|readonly|static)\s+)*([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?\(/;
const EMIT = /\.emit\(\s*'([a-z-]+(?:\.[a-z-]+)+)'/g;

/** Every emit site: kind → ["src/file.ts#Class.method", ...] in file order. */
export function findEmitSites(): Map<string, string[]> {
  const sites = new Map<string, string[]>();
  for (const path of walk(join(ROOT, 'src')).sort()) {
    const rel = relative(ROOT, path).split('\\').join('/');
    let cls: string | undefined;
    let member: string | undefined;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (/^\s*(\*|\/\/|\/\*)/.test(line)) continue; // comments show example emits
      const c = CLASS.exec(line);
      if (c !== null) { cls = c[1]; member = undefined; continue; }
      const f = FUNCTION.exec(line);
      if (f !== null) { cls = undefined; member = f[1]; continue; }
      const m = METHOD.exec(line) ?? ARROW_FIELD.exec(line);
      if (m !== null && cls !== undefined && !['if', 'for', 'while', 'switch', 'return', 'catch'].includes(m[1]!)) member = m[1] === 'constructor' ? 'constructor' : m[1];
      for (const e of line.matchAll(EMIT)) {
        const symbol = cls !== undefined ? `${cls}${member === undefined ? '' : `.${member}`}` : member ?? '';
        const list = sites.get(e[1]!) ?? [];
        list.push(`${rel}#${symbol}`);
        sites.set(e[1]!, list);
      }
    }
  }
  return sites;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [kind, list] of [...findEmitSites()].sort(([a], [b]) => a.localeCompare(b))) process.stdout.write(`  '${kind}': '${list[0]}',\n`);
}
