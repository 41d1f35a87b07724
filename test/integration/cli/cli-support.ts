// Helpers for the command-line tests: free ports, spawning `rocketmq-ts` through its bin
// launcher, waiting for a port to accept connections, and a raw remoting client that sends
// SEND_MESSAGE_V2 the way a Java producer does.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { messageProperties2String } from '../../../src/common/message/message-properties.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { NodeEvents, NOOP_SINK } from '../../../src/events/event-sink.js';
import { TcpTransport } from '../../../src/platform/node/tcp-transport.js';
import { SystemClock } from '../../../src/platform/system-clock.js';
import { RemotingClient } from '../../../src/remoting/remoting-client.js';
import { createRequestCommand, type ExtFieldValue, type RemotingCommand } from '../../../src/remoting/remoting-command.js';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const LAUNCHER = fileURLToPath(new URL('../../../src/platform/node/startup/rocketmq-ts.mjs', import.meta.url));

import { acceptsConnection } from '../../../src/platform/node/free-port.js';

export { freeBrokerPort, freePort } from '../../../src/platform/node/free-port.js';

/** Resolve once `port` on 127.0.0.1 accepts a connection (polling every 50 ms). */
export async function waitForPort(port: number, limitMs = 30_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (await acceptsConnection(port)) return;
    if (Date.now() > deadline) throw new Error(`port ${port} did not open within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Poll `check` every 50 ms until it returns true (or throw after `limitMs`). */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A spawned `rocketmq-ts` process with its output collected. */
export interface CliProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once the process ended. */
  readonly exited: Promise<number | string>;
}

export function spawnCli(args: readonly string[]): CliProcess {
  const child = spawn(process.execPath, [LAUNCHER, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Run a command to completion. */
export async function runCli(args: readonly string[]): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const p = spawnCli(args);
  const code = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

/** A remoting client on real TCP, as producers and tools use. */
export function rawClient(): { client: RemotingClient; close(): void } {
  const transport = new TcpTransport();
  const client = new RemotingClient({ transport, clock: new SystemClock({ unref: true }), events: new NodeEvents(NOOP_SINK, 'test-client') });
  return { client, close: () => { client.shutdown(); transport.destroyAll(); } };
}

/** SEND_MESSAGE_V2 with the one-letter header a Java producer sends. */
export async function sendMessage(client: RemotingClient, brokerAddr: string, topic: string, queueId: number, body: string, properties: Record<string, string>): Promise<RemotingCommand> {
  const fields: Record<string, ExtFieldValue> = {
    a: 'PG', b: topic, c: 'TBW102', d: 4, e: queueId, f: 0, g: Date.now(), h: 0,
    i: messageProperties2String(new Map(Object.entries({ WAIT: 'true', ...properties }))), j: 0, k: false, m: false,
  };
  const request = createRequestCommand(RequestCode.SEND_MESSAGE_V2, fields);
  request.body = new TextEncoder().encode(body);
  return client.invokeSync(brokerAddr, request, 5000);
}
