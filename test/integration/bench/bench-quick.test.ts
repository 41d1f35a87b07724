// `npm run bench -- --quick` as a smoke test: goal, prove the benchmark runner starts a name server
// and two brokers as processes, drives every phase and reports a number for each of T1–T8 (not
// that the numbers are large: this machine is shared with the rest of the suite). Method: run the
// script with tsx as npm does, with --json into a temp dir, then read the table and the JSON.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/cli-support.js';

const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const SCRIPT = join(ROOT, 'test/bench/run-bench.ts');
const dir = mkdtempSync(join(tmpdir(), 'rmq-bench-test-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [TSX, SCRIPT, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

interface JsonReport {
  mode: string;
  targets: Array<{ id: string; value: number; checks: Array<{ text: string; pass: boolean }> }>;
  phases: Record<string, { messages: number; msgPerSec: number; serverCpuUsPerMsg: number; errors: number }>;
  probe: Record<string, number>;
}

describe('npm run bench -- --quick', () => {
  it('rejects an unknown argument with a usage line and exit code 2', async () => {
    const result = await run(['--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/usage: npm run bench/);
  });

  it('runs every phase and reports a number and pass/fail checks for each of T1–T8', async () => {
    const json = join(dir, 'quick.json');
    const result = await run(['--quick', '--json', json]);
    expect(result.stderr).not.toMatch(/bench failed/);
    expect(result.code).toBe(0);

    const report = JSON.parse(readFileSync(json, 'utf8')) as JsonReport;
    expect(report.mode).toBe('quick');
    expect(report.targets.map((t) => t.id)).toEqual(['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8']);
    for (const target of report.targets) {
      expect(Number.isFinite(target.value), `${target.id} value`).toBe(true);
      expect(target.value).toBeGreaterThan(0);
      expect(target.checks.length).toBeGreaterThan(0);
    }
    for (const [name, phase] of Object.entries(report.phases)) {
      expect(phase.messages, name).toBe(5000);
      expect(phase.errors, name).toBe(0);
      expect(phase.msgPerSec, name).toBeGreaterThan(0);
    }
    for (const key of ['tcpBatchedMsgPerSec', 'diskAppendMBps', 'fdatasyncPerSec']) expect(report.probe[key], key).toBeGreaterThan(0);

    // The table: one line per target with its verdict, and each floor marked.
    for (const id of ['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8']) expect(result.stdout).toMatch(new RegExp(`^${id} .*(PASS|FAIL)$`, 'm'));
    expect(result.stdout).toMatch(/^ {6}(pass|FAIL) {2}.*≥ 31,000 msg\/s \(issue floor\)$/m);
    expect(result.stdout).toContain(`JSON: ${json}`);
  }, 180_000);
});
