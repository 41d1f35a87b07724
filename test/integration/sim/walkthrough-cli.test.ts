// The walkthrough command line: one script per article, a usage line and exit code 2 for bad
// arguments, and an event log written where --out says.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeEventLog } from '../../../src/events/jsonl.js';
import { RealCluster } from '../../../src/platform/node/startup/real-cluster.js';
import { ARTICLE_SLUGS, runScenario } from '../../../src/sim/scenario.js';
import { sendTwo } from '../../../src/sim/scenarios/send-two.js';
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

  it('--real runs the same scenario over TCP on 127.0.0.1 and the real disk', async () => {
    const run = await runScenario(sendTwo, { cluster: new RealCluster(), commit: 'local' });
    const beats = run.events.filter((e) => e.kind === 'walkthrough.beat.reached');
    expect(beats.map((e) => (e.data as { id: string }).id)).toEqual(['cluster-up', 'topic-created', 'm0-stored', 'm1-stored', 'dispatched', 'flushed', 'consumed', 'offset-committed']);
    expect((beats[0]!.data as { en: string }).en).toMatch(/listens on 127\.0\.0\.1:\d+/);
    const units = run.events.filter((e) => e.kind === 'store.consumequeue.appended' && (e.data as { topic: string }).topic === 'TopicTest');
    expect(units.map((e) => (e.data as { tagsCode: number }).tagsCode)).toEqual([2598919, 2598920]);
    expect(run.header.config['mode']).toBe('real TCP and disk');
  }, 60_000);

  it('bad arguments get a usage line and exit code 2', () => {
    for (const args of [['no-such-walkthrough'], ['--lang', 'fr', 'send-two'], ['--bogus'], [], ['crash-recovery', '--real']]) {
      const result = run('walkthrough.ts', args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('usage: npm run walkthrough');
    }
  }, 60_000);
});
