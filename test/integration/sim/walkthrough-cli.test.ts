// The walkthrough command line: one script per article, a usage line and exit code 2 for bad
// arguments, and an event log written where --out says.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeEventLog } from '../../../src/events/jsonl.js';
import { ARTICLE_SLUGS } from '../../../src/sim/scenario.js';
import { SCENARIOS } from '../../../src/sim/scenarios/index.js';

const WALKTHROUGHS = fileURLToPath(new URL('../../../walkthroughs/', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'walkthrough-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function run(script: string, args: readonly string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(WALKTHROUGHS, script), ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('walkthroughs', () => {
  it('has a script and at least one scenario for every article after why-read', () => {
    for (const slug of ARTICLE_SLUGS.filter((s) => s !== 'why-read')) {
      expect(existsSync(join(WALKTHROUGHS, `${slug}.ts`)), `walkthroughs/${slug}.ts`).toBe(true);
      expect(SCENARIOS.some((s) => s.article === slug), `a scenario for ${slug}`).toBe(true);
    }
  });

  it('an article script narrates in Chinese and writes the event log', () => {
    const result = run('store-init.ts', ['--lang', 'zh', '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('异常恢复');
    expect(result.stdout).toContain('?run=fixtures/crash-recovery.events.jsonl&lang=zh');
    const log = decodeEventLog(readFileSync(join(out, 'crash-recovery.events.jsonl'), 'utf8'));
    expect(log.header.scenario).toBe('crash-recovery');
  }, 60_000);

  it('bad arguments get a usage line and exit code 2', () => {
    for (const args of [['no-such-walkthrough'], ['--lang', 'fr', 'send-two'], ['--bogus'], []]) {
      const result = run('walkthrough.ts', args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('usage: npm run walkthrough');
    }
  }, 60_000);
});
