// npx tsx docs/tools/generate-pages.ts            rewrite the generated regions of the docs pages
// npx tsx docs/tools/generate-pages.ts --check    exit 1 and name the pages that are out of date
//
// The regions and what fills them are described in docs/tools/pages.ts. Prose outside the
// `<!-- generated:... -->` markers is never touched.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './book-index.mjs';
import { expectedText, PAGES } from './pages.js';

const check = process.argv.includes('--check');
const stale: string[] = [];
for (const page of PAGES) {
  const path = join(REPO_ROOT, page.file);
  const want = expectedText(page);
  if (readFileSync(path, 'utf8') === want) continue;
  stale.push(page.file);
  if (!check) writeFileSync(path, want);
}
if (check && stale.length > 0) {
  process.stderr.write(`out of date (run npx tsx docs/tools/generate-pages.ts): ${stale.join(', ')}\n`);
  process.exit(1);
}
process.stdout.write(stale.length === 0 ? 'docs pages are up to date\n' : `rewrote ${stale.join(', ')}\n`);
