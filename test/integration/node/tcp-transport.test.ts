// TcpTransport on 127.0.0.1 with ports chosen by the system: the Transport contract, plus
// the write batching the remoting server relies on and survival of a peer that resets.
import { connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpTransport, TcpTransportError } from '../../../src/platform/node/tcp-transport.js';
import type { Connection } from '../../../src/platform/transport.js';
import { pattern, record, transportContract } from '../../unit/platform/transport.contract.js';
import type { TransportPair } from '../../unit/platform/transport.contract.js';

/** Real-time polling on the event loop; the limit is generous because CI machines are slow. */
async function until(predicate: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function makePair(): TransportPair {
  const server = new TcpTransport();
  const client = new TcpTransport();
  return {
    server,
    client,
    listenAddress: '127.0.0.1:0',
    async deadAddress() {
      // Bind a free port, then let it go: nobody listens there for the next moment.
      const probe = new TcpTransport();
      const listener = await probe.listen('127.0.0.1:0', () => {});
      await listener.close();
      return listener.address;
    },
    settle: () => new Promise((resolve) => setTimeout(resolve, 20)),
    until,
    async dispose() {
      client.destroyAll();
      server.destroyAll();
    },
  };
}

transportContract('TcpTransport', makePair);

describe('TcpTransport', () => {
  const transports: TcpTransport[] = [];
  const rawSockets: Socket[] = [];
  afterEach(() => {
    for (const t of transports.splice(0)) t.destroyAll();
    for (const s of rawSockets.splice(0)) s.destroy();
  });

  function transport(): TcpTransport {
    const t = new TcpTransport();
    transports.push(t);
    return t;
  }

  it('sendMany() is exactly one write: stats.writes and stats.bytesWritten count it once', async () => {
    const server = transport();
    const client = transport();
    const accepted: Connection[] = [];
    const listener = await server.listen('127.0.0.1:0', (c) => accepted.push(c));
    const connection = await client.connect(listener.address);
    await until(() => accepted.length === 1, 'accept');
    expect(server.stats.connectionsAccepted).toBe(1);
    const atClient = record(connection);

    const frames = [pattern(20, 1), pattern(300, 2), pattern(7, 3), pattern(1000, 4)];
    accepted[0]!.sendMany(frames);
    expect(server.stats).toEqual({ writes: 1, bytesWritten: 1327, connectionsAccepted: 1 });
    accepted[0]!.send(pattern(3));
    expect(server.stats.writes).toBe(2);
    expect(server.stats.bytesWritten).toBe(1330);
    await until(() => atClient.size === 1330, 'all bytes');
    expect(client.stats.writes).toBe(0);
  });

  it('listen() on a port in use rejects with a TcpTransportError naming the address and EADDRINUSE', async () => {
    const t = transport();
    const first = await t.listen('127.0.0.1:0', () => {});
    const error = await t.listen(first.address, () => {}).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TcpTransportError);
    expect((error as TcpTransportError).code).toBe('EADDRINUSE');
    expect((error as Error).message).toContain(first.address);
    expect((error as Error).message).toContain('EADDRINUSE');
  });

  it('connect() to a closed port rejects with ECONNREFUSED in the code and the message', async () => {
    const t = transport();
    const probe = await t.listen('127.0.0.1:0', () => {});
    await probe.close();
    const error = await t.connect(probe.address).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TcpTransportError);
    expect((error as TcpTransportError).code).toBe('ECONNREFUSED');
    expect((error as Error).message).toContain(`connect to ${probe.address} failed: ECONNREFUSED`);
  });

  it('a peer that resets the connection closes it with an Error, and the process keeps running', async () => {
    // Goal: a RST (which Node reports as an 'error' event) must reach onClose, not crash us.
    // Method: a raw node:net client connects, then resets; the server keeps writing to it.
    const server = transport();
    const accepted: Connection[] = [];
    const listener = await server.listen('127.0.0.1:0', (c) => accepted.push(c));
    const port = Number(listener.address.split(':')[1]);
    const raw = netConnect({ host: '127.0.0.1', port });
    rawSockets.push(raw);
    raw.on('error', () => {});
    await new Promise((resolve) => raw.once('connect', resolve));
    await until(() => accepted.length === 1, 'accept');
    const atServer = record(accepted[0]!);
    raw.resetAndDestroy();
    for (let i = 0; i < 50 && atServer.closes.length === 0; i++) {
      accepted[0]!.send(pattern(1000, i));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await until(() => atServer.closes.length === 1, 'onClose after reset');
    expect(accepted[0]!.closed).toBe(true);
    const error = atServer.closes[0];
    expect(error).toBeInstanceOf(TcpTransportError);
    expect(['ECONNRESET', 'EPIPE']).toContain((error as TcpTransportError).code);
    accepted[0]!.send(pattern(10));
    accepted[0]!.close();
  });

  it('listen(":0") binds every interface and reports "0.0.0.0:<port>"', async () => {
    const t = transport();
    const listener = await t.listen(':0', () => {});
    expect(listener.address).toMatch(/^0\.0\.0\.0:\d+$/);
    const connection = await transport().connect(`127.0.0.1:${listener.address.split(':')[1]}`);
    expect(connection.closed).toBe(false);
  });

  it('destroyAll() closes every open connection, and the peers see onClose', async () => {
    const server = transport();
    const client = transport();
    const accepted: Connection[] = [];
    const listener = await server.listen('127.0.0.1:0', (c) => accepted.push(c));
    const a = record(await client.connect(listener.address));
    const b = record(await client.connect(listener.address));
    await until(() => accepted.length === 2, 'accept two');
    const atServer = accepted.map(record);
    server.destroyAll();
    await until(() => a.closes.length === 1 && b.closes.length === 1 && atServer.every((r) => r.closes.length === 1), 'all closed');
    const refused = await client.connect(listener.address).then(() => 'connected', (e: unknown) => (e as TcpTransportError).code);
    expect(refused).toBe('ECONNREFUSED');
  });
});
