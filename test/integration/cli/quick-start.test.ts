// `npm start` with embedded defaults: goal, prove the README's main command brings up a name
// server and a broker on 127.0.0.1 that answer real requests, and that Ctrl-C stops both cleanly.
// Method: spawn the script with tsx as npm does, on the fixed default ports (9876, 10911), ask the
// name server for the cluster, send SIGINT, and check the exit code and the abort file.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
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

  it('serves a name server and a broker on 127.0.0.1 and stops both cleanly on SIGINT', async () => {
    const run = start(['--data', dir]);
    try {
      await waitFor(() => run.out().includes('Ctrl-C stops both servers cleanly.') || run.child.exitCode !== null, 'the start banner', 30_000);
      expect(run.err()).toBe('');
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
  });
});
