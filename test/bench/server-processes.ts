// The servers under test as separate processes, started through the project's own command line
// (`src/platform/node/startup/rocketmq-ts.mjs`, what `npx rocketmq-ts` runs), plus what the
// kernel says about them: CPU time from /proc/<pid>/stat, memory from /proc/<pid>/status.
//
//   bench process ──spawn──► node rocketmq-ts.mjs namesrv -p P --home D/namesrv
//                 ──spawn──► node [--cpu-prof] rocketmq-ts.mjs broker -c D/<name>.conf --store D/<name>
//                            broker.conf: listenPort, brokerIP1=127.0.0.1, flushDiskType, namesrvAddr
//
// A server is stopped with SIGTERM (a clean shutdown: flush, checkpoint, exit 0), which also
// lets `--cpu-prof` write its profile.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LAUNCHER = join(ROOT, 'src/platform/node/startup/rocketmq-ts.mjs');
const CLK_TCK = 100; // USER_HZ on Linux (getconf CLK_TCK)

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<number | string>;
}

function spawnServer(name: string, nodeFlags: readonly string[], args: readonly string[]): ServerProcess {
  const child = spawn(process.execPath, [...nodeFlags, LAUNCHER, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    name,
    pid: child.pid ?? -1,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

import { acceptsConnection, freeBrokerPort, freePort } from '../../src/platform/node/free-port.js';

export { freeBrokerPort, freePort };

async function waitForPort(port: number, server: ServerProcess, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (await acceptsConnection(port)) return;
    if (server.child.exitCode !== null) throw new Error(`${server.name} exited with ${server.child.exitCode}:\n${server.output()}`);
    if (Date.now() > deadline) throw new Error(`${server.name} did not listen on ${port} within ${limitMs} ms:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startNamesrv(dir: string): Promise<{ server: ServerProcess; addr: string }> {
  const port = await freePort();
  const server = spawnServer('namesrv', [], ['namesrv', '-p', String(port), '--home', join(dir, 'namesrv')]);
  await waitForPort(port, server);
  return { server, addr: `127.0.0.1:${port}` };
}

export interface BrokerStart {
  name: string;
  dir: string;
  namesrvAddr: string;
  flushDiskType: 'ASYNC_FLUSH' | 'SYNC_FLUSH';
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeFlags?: readonly string[];
  /** Extra broker.conf lines (`key=value`), for experiments. */
  extraConfig?: readonly string[];
}

export async function startBroker(options: BrokerStart): Promise<{ server: ServerProcess; addr: string; port: number }> {
  const port = await freeBrokerPort();
  const storeDir = join(options.dir, options.name);
  mkdirSync(storeDir, { recursive: true });
  const conf = join(options.dir, `${options.name}.conf`);
  writeFileSync(conf, [
    'brokerClusterName=BenchCluster',
    `brokerName=${options.name}`,
    'brokerId=0',
    `listenPort=${port}`,
    'brokerIP1=127.0.0.1',
    `namesrvAddr=${options.namesrvAddr}`,
    `flushDiskType=${options.flushDiskType}`,
    ...(options.extraConfig ?? []),
    '',
  ].join('\n'));
  const server = spawnServer(options.name, options.nodeFlags ?? [], ['broker', '-c', conf, '--store', storeDir]);
  await waitForPort(port, server);
  // The port opens before registration finishes; wait for the boot line.
  const deadline = Date.now() + 30_000;
  while (!server.output().includes('boot success')) {
    if (server.child.exitCode !== null || Date.now() > deadline) throw new Error(`${options.name} did not boot:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { server, addr: `127.0.0.1:${port}`, port };
}

/** User + system CPU seconds of a process so far (/proc/<pid>/stat fields 14 and 15). */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** VmRSS and VmHWM of a process, in bytes (/proc/<pid>/status). */
export function processMemory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  const kb = (key: string): number => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
    return m === null ? Number.NaN : Number(m[1]) * 1024;
  };
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** This process's CPU seconds (user + system). */
export function selfCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
