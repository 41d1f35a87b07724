/**
 * SimNetwork: an in-memory network of named hosts, the simulated twin of `TcpTransport`.
 *
 * A broker, a name server and their clients can all live in one process and talk through
 * this network instead of sockets. Every byte they send is copied, given a latency drawn
 * from a seeded {@link Random} and delivered by a timer on the {@link Clock}, so a run on
 * a `ManualClock` is exactly repeatable: same seed and same calls, same deliveries at the
 * same virtual milliseconds. Faults are switches on the network: a loss rate, partitions
 * between two hosts, and `crashHost`, which kills every socket of one machine at once.
 *
 * ```
 *   host "client"                          host "broker-a"
 *   conn client:50000 ──send(frame)──► unit ──timer(latency)──► conn broker-a:10911
 *                     ◄──────────────── unit ◄──────────────── send(response)
 * ```
 *
 * One `send` (or `sendMany`) call is one *unit* on the wire. Units on the same direction
 * of the same connection arrive in order (`deliverAt = max(now + latency, lastDeliverAt)`),
 * which is the FIFO promise TCP makes. Loss and partitions drop whole units, never parts:
 * the remoting layer always hands a whole frame (or several) to one call, so a dropped unit
 * is a lost request or response, and the framing of the units after it stays intact. That
 * is what lets the remoting timeouts be exercised without corrupting the byte stream.
 *
 * Differences from RocketMQ 4.9.x:
 * - Not in RocketMQ; it stands in for Netty over real sockets.
 * - Connecting across a partition is refused at once instead of timing out, and a close
 *   (FIN) sent across a partition is lost, leaving the peer half-open until it next sends.
 *
 * @mirrors io.netty.channel.Channel (simulated)
 * @article namesrv "How the processes talk"
 * @emits sim.link.dropped, sim.link.partitioned, sim.link.healed
 * @category Platform
 * @module
 */
import { assert } from '../../common/assert.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { Clock } from '../clock.js';
import type { Random } from '../random.js';
import type { Connection, Transport } from '../transport.js';
import {
  SELF_ALIASES, SimConnection, SimHost, SimHostTransport, SimNetworkError, splitAddress, type SimNetworkStats, type Unit, type Wire,
} from './sim-host.js';

export { FIRST_EPHEMERAL_PORT, SimNetworkError, type SimNetworkErrorCode, type SimNetworkStats } from './sim-host.js';

/** How a SimNetwork behaves; only the clock and the random source are required. */
export interface SimNetworkOptions {
  clock: Clock;
  random: Random;
  /**
   * One-way latency of each unit in milliseconds, drawn uniformly from `[min, max]`
   * (whole milliseconds when both bounds are integers).
   * @defaultValue `{ min: 1, max: 1 }`: a fixed 1 ms, easy to read in a narrated run.
   */
  latencyMs?: { min: number; max: number };
  /** Probability in [0, 1] that a unit between two different hosts is lost. @defaultValue 0 */
  lossRate?: number;
  /** Where `sim.link.*` events go; none are emitted without it. */
  events?: NodeEvents;
}

/** An in-memory network of named hosts; `host(name)` gives each simulated machine its Transport. */
export class SimNetwork {
  readonly clock: Clock;
  readonly stats: SimNetworkStats = { sent: 0, dropped: 0, delivered: 0 };
  private readonly random: Random;
  private readonly latencyMs: { min: number; max: number };
  private readonly lossRate: number;
  private readonly events: NodeEvents | undefined;
  private readonly hosts = new Map<string, SimHost>();
  /** Unordered host pairs that cannot reach each other, keyed by `pairKey`. */
  private readonly partitions = new Set<string>();
  /** Injected faults on the next data units from one host to another: extra delay or a drop. */
  private readonly faults: Array<{ from: string; to: string; extraMs: number; drop: boolean; left: number }> = [];
  /** The view of this network its hosts and connections get. */
  private readonly wire: Wire;

  constructor(options: SimNetworkOptions) {
    const latencyMs = options.latencyMs ?? { min: 1, max: 1 };
    const lossRate = options.lossRate ?? 0;
    assert(Number.isFinite(latencyMs.min) && latencyMs.min >= 0 && latencyMs.max >= latencyMs.min && Number.isFinite(latencyMs.max), `latencyMs must satisfy 0 <= min <= max, got ${JSON.stringify(latencyMs)}`);
    assert(lossRate >= 0 && lossRate <= 1, `lossRate must be in [0, 1], got ${lossRate}`);
    this.clock = options.clock;
    this.random = options.random;
    this.latencyMs = { min: latencyMs.min, max: latencyMs.max };
    this.lossRate = lossRate;
    this.events = options.events;
    this.wire = {
      clock: this.clock,
      stats: this.stats,
      transmit: (from, unit) => this.transmit(from, unit),
      connect: (from, address) => this.connectFrom(from, address),
    };
  }

  /** The Transport of simulated host `name` (created on first use; the same object every time). */
  host(name: string): Transport {
    assert(name.length > 0 && !name.includes(':'), `a sim host name must be non-empty and contain no ':', got "${name}"`);
    const host = this.hostState(name);
    host.transport ??= new SimHostTransport(this.wire, host);
    return host.transport;
  }

  /** Cut the link between hosts `a` and `b`, both ways, until {@link heal}. */
  partition(a: string, b: string): void {
    assert(a !== b, `cannot partition host "${a}" from itself`);
    this.partitions.add(pairKey(a, b));
    this.events?.emit('sim.link.partitioned', { a, b });
  }

  /** Whether hosts `a` and `b` are currently cut off from each other. */
  isPartitioned(a: string, b: string): boolean {
    return a !== b && this.partitions.has(pairKey(a, b));
  }

  /**
   * Hold the next `count` data units from host `from` to host `to` for `ms` more than their
   * latency (a slow link, a long GC pause on the way). Later units of the same connection
   * queue behind them, as TCP keeps order; nothing is lost.
   */
  delayNext(from: string, to: string, ms: number, count = 1): void {
    assert(ms >= 0 && count > 0, `delayNext needs ms >= 0 and count > 0, got ${ms}, ${count}`);
    this.faults.push({ from, to, extraMs: ms, drop: false, left: count });
  }

  /** Lose the next `count` data units from host `from` to host `to` (as a partition would). */
  dropNext(from: string, to: string, count = 1): void {
    assert(count > 0, `dropNext needs count > 0, got ${count}`);
    this.faults.push({ from, to, extraMs: 0, drop: true, left: count });
  }

  /** Restore every cut link. Units dropped meanwhile stay lost. */
  heal(): void {
    this.partitions.clear();
    this.events?.emit('sim.link.healed', {});
  }

  /**
   * Crash host `name`: its listeners close and its connections die at once, without
   * running its own handlers; each peer sees `onClose(error)` one latency later, after the
   * units already on the way.
   */
  crashHost(name: string): void {
    const host = this.hosts.get(name);
    if (host === undefined) return;
    host.epoch++;
    for (const listener of [...host.listeners.values()]) void listener.close();
    for (const connection of [...host.connections]) {
      const error = new SimNetworkError(`connection ${connection.localAddress} -> ${connection.remoteAddress} reset: host "${name}" crashed (ECONNRESET)`, 'ECONNRESET', connection.localAddress);
      connection.crash(error);
    }
  }

  // ---- The wire: what the hosts' transports and connections call. ---------------------

  /**
   * Open a connection from `from` to `address`: one latency later the listener (if any)
   * accepts and the promise resolves. Refused when nobody listens or the hosts are cut off.
   */
  private connectFrom(from: SimHost, address: string): Promise<Connection> {
    let target: { host: string; port: number };
    try {
      target = splitAddress(address);
    } catch (error) {
      return Promise.reject(error);
    }
    const toName = SELF_ALIASES.has(target.host) ? from.name : target.host;
    const epoch = from.epoch;
    return new Promise((resolve, reject) => {
      this.clock.setTimer(this.drawLatency(), () => {
        const refuse = (why: string): void => reject(new SimNetworkError(`connect to ${address} failed: connection refused${why} (ECONNREFUSED)`, 'ECONNREFUSED', address));
        if (from.epoch !== epoch) return refuse(`: host "${from.name}" crashed while connecting`);
        if (this.isPartitioned(from.name, toName)) {
          this.events?.emit('sim.link.dropped', { from: from.name, to: address, bytes: 0, reason: 'partition' });
          return refuse(`: hosts "${from.name}" and "${toName}" are partitioned`);
        }
        const to = this.hosts.get(toName);
        const listener = to?.listeners.get(target.port);
        if (to === undefined || listener === undefined) return refuse('');
        const port = from.allocatePort();
        if (port === undefined) return refuse(`: no free port on "${from.name}"`);
        const client = new SimConnection(this.wire, from, `${from.name}:${port}`, listener.address, port);
        const server = new SimConnection(this.wire, to, listener.address, client.localAddress, undefined);
        client.peer = server;
        server.peer = client;
        listener.onConnection(server);
        resolve(client);
      });
    });
  }

  /**
   * Put one unit on the wire from `from` to its peer. Data units may be dropped (loss,
   * partition); a FIN is lost only to a partition; a reset always arrives.
   */
  private transmit(from: SimConnection, unit: Unit): void {
    const to = from.peer;
    const a = from.host.name;
    const b = to.host.name;
    let extraMs = 0;
    if (unit.kind === 'data') {
      this.stats.sent++;
      const fault = this.takeFault(a, b);
      extraMs = fault?.extraMs ?? 0;
      if (extraMs > 0) this.events?.emit('sim.link.delayed', { from: from.localAddress, to: from.remoteAddress, bytes: unit.bytes.length, ms: extraMs });
      const injected = fault?.drop === true ? 'injected' : undefined;
      const reason = injected ?? (this.isPartitioned(a, b) ? 'partition' : a !== b && this.lossRate > 0 && this.random.next() < this.lossRate ? 'loss' : undefined);
      if (reason !== undefined) {
        this.stats.dropped++;
        this.events?.emit('sim.link.dropped', { from: from.localAddress, to: from.remoteAddress, bytes: unit.bytes.length, reason });
        return;
      }
    } else if (unit.kind === 'fin' && this.isPartitioned(a, b)) {
      this.events?.emit('sim.link.dropped', { from: from.localAddress, to: from.remoteAddress, bytes: 0, reason: 'partition' });
      return;
    }
    const now = this.clock.now();
    // FIFO per direction: never due before the unit sent just before it on this end.
    const deliverAt = Math.max(now + this.drawLatency() + extraMs, from.lastDeliverAt);
    from.lastDeliverAt = deliverAt;
    this.clock.setTimer(deliverAt - now, () => to.receive(unit));
  }

  /** The first pending fault for units from host `a` to host `b`, used up by one unit. */
  private takeFault(a: string, b: string): { extraMs: number; drop: boolean } | undefined {
    const i = this.faults.findIndex((f) => f.from === a && f.to === b);
    if (i < 0) return undefined;
    const fault = this.faults[i]!;
    if (--fault.left === 0) this.faults.splice(i, 1);
    return fault;
  }

  private drawLatency(): number {
    const { min, max } = this.latencyMs;
    if (max === min) return min;
    if (Number.isInteger(min) && Number.isInteger(max)) return min + this.random.int(max - min + 1);
    return min + this.random.next() * (max - min);
  }

  private hostState(name: string): SimHost {
    let host = this.hosts.get(name);
    if (host === undefined) {
      host = new SimHost(name);
      this.hosts.set(name, host);
    }
    return host;
  }
}

/** A key for an unordered pair of host names. */
function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}
