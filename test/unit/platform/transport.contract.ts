// The Transport contract: one suite, run against SimNetwork and TcpTransport, so the
// simulation cannot drift from real sockets. Each adapter supplies a pair of transports
// (server side, client side) and a way to let time pass, because SimNetwork delivers on a
// ManualClock that the test must advance while TCP delivers on the real event loop.
import { afterEach, describe, expect, it } from 'vitest';
import type { Connection, Listener, Transport } from '../../../src/platform/transport.js';

/** What an adapter's test file hands the contract. */
export interface TransportPair {
  /** The transport the server listens with. */
  server: Transport;
  /** The transport the client connects with (may be the same object). */
  client: Transport;
  /** Where the server listens, with port 0, e.g. `"127.0.0.1:0"` or `"server:0"`. */
  listenAddress: string;
  /** An address nobody listens on. */
  deadAddress(): Promise<string>;
  /** Let every delivery already under way happen (advance the ManualClock, or wait a little real time). */
  settle(): Promise<void>;
  /** Let time pass until `predicate()` holds; throws when it does not within a generous limit. */
  until(predicate: () => boolean, what: string): Promise<void>;
  /** Release sockets and timers. */
  dispose(): Promise<void>;
}

/** Everything one accepted or opened connection received, as the handlers saw it. */
export interface Recorder {
  chunks: Uint8Array[];
  /** How many bytes arrived so far (cheap to poll). */
  size: number;
  closes: Array<Error | undefined>;
  bytes(): Uint8Array;
}

/** Attach handlers to `connection` that record what it receives. */
export function record(connection: Connection): Recorder {
  const recorder: Recorder = {
    chunks: [],
    size: 0,
    closes: [],
    bytes: () => concat(recorder.chunks),
  };
  connection.onData((chunk) => {
    recorder.chunks.push(new Uint8Array(chunk));
    recorder.size += chunk.length;
  });
  connection.onClose((error) => recorder.closes.push(error));
  return recorder;
}

export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Where two byte arrays first differ: -1 when equal. Cheaper than `toEqual` on a megabyte,
 * and the index says more than a huge diff.
 */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** `n` bytes with a recognizable pattern that starts at `seed`. */
export function pattern(n: number, seed = 0): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (seed + i * 7) & 0xff;
  return out;
}

/** Wait (letting time pass) until `promise` settles; return its value or throw its error. */
export async function settled<T>(pair: TransportPair, promise: Promise<T>, what: string): Promise<T> {
  let done = false;
  const watched = promise.finally(() => {
    done = true;
  });
  watched.catch(() => {});
  await pair.until(() => done, what);
  return watched;
}

export function transportContract(name: string, makeTransportPair: () => Promise<TransportPair> | TransportPair): void {
  describe(`${name} (Transport contract)`, () => {
    let pair: TransportPair;
    const cleanups: Array<() => Promise<void>> = [];

    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    async function setUp(): Promise<TransportPair> {
      pair = await makeTransportPair();
      cleanups.push(() => pair.dispose());
      return pair;
    }

    /** Listen, connect once, and return both ends with recorders attached. */
    async function open(): Promise<{ listener: Listener; client: Connection; server: Connection; atClient: Recorder; atServer: Recorder }> {
      const accepted: Connection[] = [];
      const recorders: Recorder[] = [];
      const listener = await settled(pair, pair.server.listen(pair.listenAddress, (c) => {
        accepted.push(c);
        recorders.push(record(c));
      }), 'listen');
      const client = await settled(pair, pair.client.connect(listener.address), 'connect');
      const atClient = record(client);
      await pair.until(() => accepted.length === 1, 'accept');
      return { listener, client, server: accepted[0]!, atClient, atServer: recorders[0]! };
    }

    it('listen() on port 0 reports the real port in listener.address', async () => {
      await setUp();
      const listener = await settled(pair, pair.server.listen(pair.listenAddress, () => {}), 'listen');
      const { port } = parseHostPort(listener.address);
      expect(port).toBeGreaterThan(0);
      expect(listener.address.endsWith(`:${port}`)).toBe(true);
    });

    it('connect() reaches the listener, which accepts exactly one connection with matching addresses', async () => {
      await setUp();
      const { listener, client, server } = await open();
      expect(client.remoteAddress).toBe(listener.address);
      expect(server.localAddress).toBe(listener.address);
      expect(server.remoteAddress).toBe(client.localAddress);
      expect(client.closed).toBe(false);
      expect(server.closed).toBe(false);
    });

    it('send() carries bytes both ways, in order', async () => {
      await setUp();
      const { client, server, atClient, atServer } = await open();
      const up = [pattern(5, 1), pattern(300, 2), pattern(1, 3)];
      const down = [pattern(17, 4), pattern(2, 5)];
      for (const c of up) client.send(c);
      for (const c of down) server.send(c);
      await pair.until(() => atServer.size === 306 && atClient.size === 19, 'both directions');
      expect(atServer.bytes()).toEqual(concat(up));
      expect(atClient.bytes()).toEqual(concat(down));
    });

    it('send() of many small chunks arrives complete and in order (chunk boundaries may differ)', async () => {
      await setUp();
      const { client, atServer } = await open();
      const sent: Uint8Array[] = [];
      for (let i = 0; i < 1000; i++) {
        const chunk = new Uint8Array([i >> 8, i & 0xff, 0xab]);
        sent.push(chunk);
        client.send(chunk);
      }
      await pair.until(() => atServer.size === 3000, '3000 bytes');
      expect(atServer.bytes()).toEqual(concat(sent));
    });

    it('sendMany() delivers the chunks concatenated, and a large payload arrives intact', async () => {
      await setUp();
      const { client, atServer } = await open();
      const chunks = [pattern(10, 1), pattern(0), pattern(1 << 20, 9), pattern(3, 2)];
      client.sendMany(chunks);
      const total = 10 + (1 << 20) + 3;
      await pair.until(() => atServer.size === total, 'the whole batch');
      expect(firstDifference(atServer.bytes(), concat(chunks))).toBe(-1);
    });

    it('send() and sendMany() copy: the caller may reuse its buffer right after the call', async () => {
      await setUp();
      const { client, atServer } = await open();
      const buffer = new Uint8Array([1, 2, 3]);
      client.send(buffer);
      buffer.set([4, 5, 6]);
      client.sendMany([buffer, buffer]);
      buffer.set([7, 8, 9]);
      await pair.until(() => atServer.size === 9, '9 bytes');
      expect([...atServer.bytes()]).toEqual([1, 2, 3, 4, 5, 6, 4, 5, 6]);
    });

    it('close() delivers the bytes sent before it, then runs the peer\'s onClose once, without an error', async () => {
      await setUp();
      const { client, server, atServer, atClient } = await open();
      client.send(pattern(100, 1));
      client.sendMany([pattern(50, 2), pattern(50, 3)]);
      client.close();
      expect(client.closed).toBe(true);
      await pair.until(() => atServer.closes.length === 1 && atClient.closes.length === 1, 'both onClose');
      expect(atServer.bytes()).toEqual(concat([pattern(100, 1), pattern(50, 2), pattern(50, 3)]));
      expect(server.closed).toBe(true);
      expect(atServer.closes).toEqual([undefined]);
      await pair.settle();
      client.close();
      server.close();
      await pair.settle();
      expect(atServer.closes).toHaveLength(1);
      expect(atClient.closes).toHaveLength(1);
    });

    it('send() after close() does nothing and does not throw', async () => {
      await setUp();
      const { client, atServer } = await open();
      client.send(new Uint8Array([1]));
      client.close();
      client.send(new Uint8Array([2]));
      client.sendMany([new Uint8Array([3])]);
      await pair.until(() => atServer.closes.length === 1, 'peer onClose');
      await pair.settle();
      expect([...atServer.bytes()]).toEqual([1]);
    });

    it('connect() to an address nobody listens on rejects with an Error naming the address', async () => {
      await setUp();
      const dead = await pair.deadAddress();
      const error = await settled(pair, pair.client.connect(dead), 'connect').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain(dead);
    });

    it('Listener.close() stops accepting but keeps the accepted connections open', async () => {
      await setUp();
      const { listener, client, atServer } = await open();
      await settled(pair, listener.close(), 'listener close');
      const refused = await settled(pair, pair.client.connect(listener.address), 'connect').then(
        () => 'connected',
        (e: unknown) => (e as Error).message,
      );
      expect(refused).toContain(listener.address);
      client.send(new Uint8Array([42]));
      await pair.until(() => atServer.size === 1, 'one byte');
      expect([...atServer.bytes()]).toEqual([42]);
    });

    it('onData() set late still receives what arrived before it', async () => {
      await setUp();
      const accepted: Connection[] = [];
      const listener = await settled(pair, pair.server.listen(pair.listenAddress, (c) => accepted.push(c)), 'listen');
      const client = await settled(pair, pair.client.connect(listener.address), 'connect');
      client.send(new Uint8Array([1, 2]));
      client.close();
      await pair.until(() => accepted.length === 1, 'accept');
      await pair.settle();
      const atServer = record(accepted[0]!);
      await pair.until(() => atServer.closes.length === 1, 'onClose');
      expect([...atServer.bytes()]).toEqual([1, 2]);
    });
  });
}

function parseHostPort(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i), port: Number(address.slice(i + 1)) };
}
