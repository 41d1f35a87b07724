// SimNetwork on a ManualClock: the Transport contract, then what only a simulation has:
// exact latencies, FIFO per direction under jitter, seeded determinism, loss of whole
// units, partitions, crashes and the deterministic port numbering.
import { describe, expect, it } from 'vitest';
import { NodeEvents, RecordingSink } from '../../../src/events/event-sink.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';
import { SimNetwork, SimNetworkError } from '../../../src/platform/sim/sim-network.js';
import type { SimNetworkOptions } from '../../../src/platform/sim/sim-network.js';
import type { Connection, Transport } from '../../../src/platform/transport.js';
import { record, transportContract } from './transport.contract.js';
import type { Recorder, TransportPair } from './transport.contract.js';

transportContract('SimNetwork', () => {
  const clock = new ManualClock();
  const network = new SimNetwork({ clock, random: new SeededRandom(1) });
  return {
    server: network.host('server'),
    client: network.host('client'),
    listenAddress: 'server:0',
    deadAddress: () => Promise.resolve('server:9'),
    settle: () => clock.advance(10),
    until: async (predicate, what) => {
      try {
        await clock.runUntil(predicate, 60_000);
      } catch (error) {
        throw new Error(`waiting for ${what}: ${(error as Error).message}`);
      }
    },
    dispose: () => Promise.resolve(),
  } satisfies TransportPair;
});

/** A small world: a ManualClock, a network, a recording sink, and helpers to open connections. */
function world(options: Partial<SimNetworkOptions> = {}, seed = 7) {
  const clock = new ManualClock();
  const sink = new RecordingSink(clock);
  const network = new SimNetwork({ clock, random: new SeededRandom(seed), events: new NodeEvents(sink, 'sim'), ...options });
  /** Listen on `serverHost:port`, connect from `clientHost`, run the clock until both ends exist. */
  async function open(clientHost: string, serverHost: string, port = 0) {
    const accepted: Array<{ connection: Connection; recorder: Recorder }> = [];
    const listener = await network.host(serverHost).listen(`${serverHost}:${port}`, (connection) => {
      accepted.push({ connection, recorder: record(connection) });
    });
    const pending = network.host(clientHost).connect(listener.address);
    await clock.runUntil(() => accepted.length === 1, 1000);
    const client = await pending;
    return { listener, client, atClient: record(client), server: accepted[0]!.connection, atServer: accepted[0]!.recorder };
  }
  async function rejection(promise: Promise<unknown>): Promise<SimNetworkError> {
    let error: unknown;
    promise.catch((e: unknown) => {
      error = e;
    });
    await clock.runUntil(() => error !== undefined, 1000);
    expect(error).toBeInstanceOf(SimNetworkError);
    return error as SimNetworkError;
  }
  return { clock, sink, network, open, rejection };
}

describe('SimNetwork', () => {
  it('connect() resolves one latency later, when the listener accepts', async () => {
    const { clock, network } = world({ latencyMs: { min: 5, max: 5 } });
    const acceptedAt: number[] = [];
    const listener = await network.host('server').listen('server:10911', () => acceptedAt.push(clock.now()));
    let connectedAt = -1;
    void network.host('client').connect(listener.address).then(() => {
      connectedAt = clock.now();
    });
    await clock.advance(4);
    expect(acceptedAt).toEqual([]);
    await clock.advance(1);
    expect(acceptedAt).toEqual([5]);
    expect(connectedAt).toBe(5);
  });

  it('send() delivers each unit exactly one latency later with a fixed latency', async () => {
    const { clock, open } = world({ latencyMs: { min: 5, max: 5 } });
    const { client, server } = await open('client', 'server');
    const log: string[] = [];
    server.onData((chunk) => log.push(`${clock.now()}:${chunk[0]}`));
    const t0 = clock.now();
    client.send(new Uint8Array([1]));
    await clock.advance(2);
    client.send(new Uint8Array([2]));
    await clock.advance(20);
    expect(log).toEqual([`${t0 + 5}:1`, `${t0 + 7}:2`]);
  });

  it('send() keeps one direction FIFO under jittered latency: deliverAt = max(now + latency, previous)', async () => {
    const { clock, open } = world({ latencyMs: { min: 1, max: 50 } });
    const { client, server, atServer } = await open('client', 'server');
    const arrivals: Array<{ at: number; index: number }> = [];
    server.onData((chunk) => arrivals.push({ at: clock.now(), index: chunk[0]! }));
    const sentAt: number[] = [];
    for (let i = 0; i < 40; i++) {
      sentAt.push(clock.now());
      client.send(new Uint8Array([i]));
      if (i % 4 === 3) await clock.advance(3);
    }
    client.close();
    await clock.runUntil(() => atServer.closes.length === 1, 10_000);
    expect(arrivals.map((a) => a.index)).toEqual([...Array(40).keys()]);
    for (const [i, a] of arrivals.entries()) {
      expect(a.at).toBeGreaterThanOrEqual(sentAt[i]! + 1);
      if (i > 0) expect(a.at).toBeGreaterThanOrEqual(arrivals[i - 1]!.at);
    }
    // With 1..50 ms of jitter some units really were held back behind an earlier one.
    expect(arrivals.some((a, i) => i > 0 && a.at === arrivals[i - 1]!.at)).toBe(true);
  });

  it('the same seed and the same calls give the same deliveries at the same times; another seed differs', async () => {
    async function run(seed: number): Promise<string[]> {
      const { clock, network, open } = world({ latencyMs: { min: 1, max: 9 }, lossRate: 0.2 }, seed);
      const log: string[] = [];
      const a = await open('a', 'broker', 10911);
      const c = await open('c', 'broker', 10912);
      for (const { server } of [a, c]) server.onData((chunk) => log.push(`${clock.now()} ${server.remoteAddress} ${chunk.join(',')}`));
      a.client.onData((chunk) => log.push(`${clock.now()} a<- ${chunk.join(',')}`));
      for (let i = 0; i < 30; i++) {
        a.client.send(new Uint8Array([i, 1]));
        c.client.sendMany([new Uint8Array([i]), new Uint8Array([2])]);
        if (i % 3 === 0) a.server.send(new Uint8Array([i, 3]));
        await clock.advance(i % 5);
      }
      await clock.runUntilIdle();
      log.push(JSON.stringify(network.stats));
      return log;
    }
    const first = await run(42);
    expect(await run(42)).toEqual(first);
    expect(await run(43)).not.toEqual(first);
    expect(first.length).toBeGreaterThan(30);
  });

  it('lossRate drops whole units, counts them in stats and emits sim.link.dropped for each', async () => {
    const { clock, sink, network, open } = world({ lossRate: 0.5 });
    const { client, atServer, listener } = await open('client', 'server');
    for (let i = 0; i < 200; i++) client.send(new Uint8Array([i, i, i, i]));
    await clock.runUntilIdle();
    // Every chunk that arrived is one whole unit; the survivors keep their order.
    const indexes = atServer.chunks.map((c) => {
      expect([...c]).toEqual([c[0], c[0], c[0], c[0]]);
      return c[0]!;
    });
    expect(indexes).toEqual([...indexes].sort((x, y) => x - y));
    const { sent, dropped, delivered } = network.stats;
    expect(sent).toBe(200);
    expect(dropped + delivered).toBe(200);
    expect(delivered).toBe(indexes.length);
    expect(dropped).toBeGreaterThan(50);
    expect(dropped).toBeLessThan(150);
    const events = sink.ofKind('sim.link.dropped');
    expect(events).toHaveLength(dropped);
    expect(events[0]!.data).toEqual({ from: client.localAddress, to: listener.address, bytes: 4, reason: 'loss' });
  });

  it('loopback delivery (same host) is never dropped, even with lossRate 1', async () => {
    const { clock, network, open } = world({ lossRate: 1 });
    const { client, atServer } = await open('solo', 'solo');
    for (let i = 0; i < 20; i++) client.send(new Uint8Array([i]));
    await clock.runUntilIdle();
    expect(atServer.chunks).toHaveLength(20);
    expect(network.stats.dropped).toBe(0);
  });

  it('partition() drops units both ways and refuses connects; heal() restores the link', async () => {
    const { clock, sink, network, open, rejection } = world();
    const { listener, client, server, atClient, atServer } = await open('client', 'server');
    network.partition('client', 'server');
    expect(network.isPartitioned('server', 'client')).toBe(true);
    client.send(new Uint8Array([1]));
    server.send(new Uint8Array([2]));
    const refused = await rejection(network.host('client').connect(listener.address));
    expect(refused.code).toBe('ECONNREFUSED');
    expect(refused.message).toContain(listener.address);
    expect(refused.message).toContain('connection refused');
    await clock.advance(10);
    expect(atServer.chunks).toEqual([]);
    expect(atClient.chunks).toEqual([]);
    network.heal();
    client.send(new Uint8Array([3]));
    server.send(new Uint8Array([4]));
    await clock.advance(10);
    expect(atServer.chunks).toEqual([new Uint8Array([3])]);
    expect(atClient.chunks).toEqual([new Uint8Array([4])]);
    expect(sink.events.map((e) => e.kind)).toEqual(['sim.link.partitioned', 'sim.link.dropped', 'sim.link.dropped', 'sim.link.dropped', 'sim.link.healed']);
    expect(sink.ofKind('sim.link.dropped').map((e) => e.data.reason)).toEqual(['partition', 'partition', 'partition']);
    expect(network.stats).toEqual({ sent: 4, dropped: 2, delivered: 2 });
  });

  it('delayNext() holds the next units of one direction (later ones queue behind); dropNext() loses them', async () => {
    const { clock, sink, network, open } = world();
    const { client, server, atServer, atClient } = await open('client', 'server');
    network.delayNext('client', 'server', 100);
    network.dropNext('server', 'client');
    const sentAt = clock.now();
    client.send(new Uint8Array([1]));
    client.send(new Uint8Array([2]));
    server.send(new Uint8Array([9]));
    server.send(new Uint8Array([8]));
    await clock.advance(50);
    expect(atServer.chunks).toEqual([]);
    expect(atClient.chunks).toEqual([new Uint8Array([8])]);
    await clock.runUntil(() => atServer.chunks.length === 2, 1_000);
    expect(clock.now() - sentAt).toBe(101);
    expect(atServer.chunks).toEqual([new Uint8Array([1]), new Uint8Array([2])]);
    expect(sink.ofKind('sim.link.delayed').map((e) => e.data.ms)).toEqual([100]);
    expect(sink.ofKind('sim.link.dropped').map((e) => e.data.reason)).toEqual(['injected']);
  });

  it('a close lost to a partition leaves the peer half-open; its next send after heal() is answered with a reset', async () => {
    const { clock, network, open } = world();
    const { client, server, atServer } = await open('client', 'server');
    network.partition('client', 'server');
    client.close();
    await clock.advance(10);
    expect(server.closed).toBe(false);
    network.heal();
    server.send(new Uint8Array([9]));
    await clock.advance(10);
    expect(server.closed).toBe(true);
    expect(atServer.closes).toHaveLength(1);
    expect((atServer.closes[0] as SimNetworkError).code).toBe('ECONNRESET');
  });

  it('crashHost() kills listeners and connections at once; peers get the units already sent, then onClose(error)', async () => {
    const { clock, network, open, rejection } = world({ latencyMs: { min: 3, max: 3 } });
    const { listener, server, atClient, atServer } = await open('client', 'server');
    server.send(new Uint8Array([1]));
    server.send(new Uint8Array([2]));
    network.crashHost('server');
    expect(server.closed).toBe(true);
    await clock.advance(3);
    expect(atClient.chunks.map((c) => c[0])).toEqual([1, 2]);
    expect(atClient.closes).toHaveLength(1);
    expect(atClient.closes[0]).toBeInstanceOf(SimNetworkError);
    expect((atClient.closes[0] as SimNetworkError).message).toContain('crashed');
    // The crashed process runs no handler of its own.
    expect(atServer.closes).toEqual([]);
    const refused = await rejection(network.host('client').connect(listener.address));
    expect(refused.message).toContain(`connect to ${listener.address} failed: connection refused`);
    // The host can listen again after a restart, on the same port.
    const again = await network.host('server').listen(listener.address, () => {});
    expect(again.address).toBe(listener.address);
  });

  it('ports are deterministic: listen(port 0) and client ends count up from 50000 per host', async () => {
    const { clock, network, open } = world();
    const first = await open('client', 'server');
    expect(first.listener.address).toBe('server:50000');
    expect(first.client.localAddress).toBe('client:50000');
    expect(first.server.remoteAddress).toBe('client:50000');
    const pending = network.host('client').connect('server:50000');
    await clock.advance(1);
    expect((await pending).localAddress).toBe('client:50001');
    const any = await network.host('server').listen(':9876', () => {});
    expect(any.address).toBe('server:9876');
    const wildcard = await network.host('server').listen('0.0.0.0:0', () => {});
    expect(wildcard.address).toBe('server:50001');
  });

  it('listen() rejects a port in use (EADDRINUSE) and another host\'s name (EADDRNOTAVAIL)', async () => {
    const { network } = world();
    const server: Transport = network.host('server');
    await server.listen('server:10911', () => {});
    await expect(server.listen('server:10911', () => {})).rejects.toMatchObject({ code: 'EADDRINUSE', message: expect.stringContaining('server:10911') });
    await expect(server.listen('other:1', () => {})).rejects.toMatchObject({ code: 'EADDRNOTAVAIL' });
  });

  it('connect() to localhost reaches the connecting host itself', async () => {
    const { clock, network } = world();
    const accepted: Connection[] = [];
    await network.host('solo').listen('solo:9876', (c) => accepted.push(c));
    const pending = network.host('solo').connect('127.0.0.1:9876');
    await clock.advance(1);
    const connection = await pending;
    expect(connection.remoteAddress).toBe('solo:9876');
    expect(accepted).toHaveLength(1);
  });
});
