// `npm start` with embedded defaults: goal, prove the README's main command brings up a name
// server and a broker on 127.0.0.1 that answer real requests, records the quickstart run, serves
// the visualizer with that run, and that Ctrl-C stops everything cleanly.
// Method: spawn the script with tsx as npm does, on the fixed default ports (9876, 10911) and a
// free web port, ask the name server for the cluster, fetch the visualizer and the run, send
// SIGINT, and check the exit code and the abort file.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { chromium } from 'playwright-core';
import { decodeEventLog } from '../../../src/events/jsonl.js';
import { CHROMIUM_ARGS } from '../../browser/viz-harness.js';
import { createRequestCommand } from '../../../src/remoting/remoting-command.js';
import { ROOT, rawClient, waitFor, waitForPort } from './cli-support.js';

const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const SCRIPT = join(ROOT, 'src/platform/node/startup/quick-start.ts');
const dir = mkdtempSync(join(tmpdir(), 'rmq-start-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(args: string[]) {
  const child = spawn(process.execPath, [TSX, SCRIPT, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('npm start (quick-start.ts)', () => {
  it('rejects a bad argument with the usage line and exit code 2', async () => {
    const run = start(['--bogus']);
    expect(await run.exited).toBe(2);
    expect(run.err()).toMatch(/^usage: npm start/m);
  });

  it('serves a name server, a broker and the visualizer with the quickstart run, and stops cleanly on SIGINT', async () => {
    const run = start(['--data', dir, '--web-port', '0']);
    try {
      await waitFor(() => run.out().includes('Ctrl-C stops both servers cleanly.') || run.child.exitCode !== null, 'the start banner', 90_000);
      expect(run.err()).toBe('');
      expect(run.out()).toContain('received the 3 messages');
      const url = /visualizer {3}(http:\/\/127\.0\.0\.1:\d+\/)\?run=runs\/quickstart\.events\.jsonl/.exec(run.out())?.[1];
      expect(url, run.out()).toBeDefined();
      const page = await fetch(url!);
      expect([page.status, (await page.text()).includes('<script')]).toEqual([200, true]);
      const log = decodeEventLog(await (await fetch(`${url!}runs/quickstart.events.jsonl`)).text());
      expect(log.header.scenario).toBe('quickstart');
      for (const node of ['namesrv', 'broker-a', 'producer-1', 'consumer-1']) expect(log.events.some((e) => e.node === node), node).toBe(true);
      expect(log.events.filter((e) => e.kind === 'walkthrough.beat.reached').length).toBe(4);
      // The page npm start prints opens on that run in a real browser, without errors.
      const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${url!}?run=runs/quickstart.events.jsonl`);
        await page.waitForFunction('window.__viz !== undefined && window.__viz.ready === true', undefined, { timeout: 20_000 });
        expect(await page.evaluate('window.__viz.length()')).toBe(log.events.length);
        expect(await page.textContent('[data-testid="run-header"]')).toContain('quickstart');
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
      await waitForPort(9876);
      const { client, close } = rawClient();
      try {
        const info = await client.invokeSync('127.0.0.1:9876', createRequestCommand(RequestCode.GET_BROKER_CLUSTER_INFO), 5000);
        expect(info.code).toBe(ResponseCode.SUCCESS);
        expect(new TextDecoder().decode(info.body)).toContain('"broker-a":{"brokerAddrs":{"0":"127.0.0.1:10911"}');
      } finally {
        close();
      }
      expect(existsSync(join(dir, 'broker-a', 'abort'))).toBe(true);
    } finally {
      run.child.kill('SIGINT');
    }
    expect(await run.exited).toBe(0);
    expect(run.out()).toContain('stopped cleanly');
    expect(existsSync(join(dir, 'broker-a', 'abort'))).toBe(false);
  }, 120_000);
});
