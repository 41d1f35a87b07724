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
import { parseAddress } from '../transport.js';
import type { Connection, Listener, Transport } from '../transport.js';

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

/** Counters of data units (one per `send`/`sendMany` call) over the whole network. */
export interface SimNetworkStats {
  sent: number;
  dropped: number;
  delivered: number;
}

/** The failure codes SimNetwork reports; the same strings Node puts in `error.code`. */
export type SimNetworkErrorCode = 'ECONNREFUSED' | 'ECONNRESET' | 'EADDRINUSE' | 'EADDRNOTAVAIL';

/** A simulated socket failure: a refused connect, a reset connection, a port already taken. */
export class SimNetworkError extends Error {
  override readonly name = 'SimNetworkError';
  constructor(message: string, readonly code: SimNetworkErrorCode, readonly address: string) {
    super(message);
  }
}

/** First port handed out for client ends and for `listen` on port 0, per host (Linux starts at 32768). */
export const FIRST_EPHEMERAL_PORT = 50_000;
const LAST_PORT = 65_535;

/** Host names that mean "this host" in `listen` and `connect`. */
const SELF_ALIASES = new Set(['', '0.0.0.0', '127.0.0.1', 'localhost']);

/** What travels on a link: bytes, an orderly close (FIN) or a reset (RST) carrying the error. */
type Unit = { kind: 'data'; bytes: Uint8Array } | { kind: 'fin' } | { kind: 'rst'; error: Error };

/** What the hosts' transports and connections need from their network. */
interface Wire {
  readonly clock: Clock;
  readonly stats: SimNetworkStats;
  /** Put one unit on the wire from `from` to its peer. */
  transmit(from: SimConnection, unit: Unit): void;
  /** Open a connection from host `from` to `address`. */
  connect(from: SimHost, address: string): Promise<Connection>;
}

/** Per-host state: the listening ports, the open connections, the port counter. */
class SimHost {
  readonly listeners = new Map<number, SimListener>();
  readonly connections = new Set<SimConnection>();
  /** Ports taken by listeners and by client ends. */
  readonly boundPorts = new Set<number>();
  /** Bumped by a crash, so connects started before it are abandoned. */
  epoch = 0;
  private nextPort = FIRST_EPHEMERAL_PORT;
  transport: SimHostTransport | undefined;

  constructor(readonly name: string) {}

  /** The next free port from the ephemeral range, wrapping around; deterministic by construction. */
  allocatePort(): number | undefined {
    for (let tries = FIRST_EPHEMERAL_PORT; tries <= LAST_PORT; tries++) {
      const port = this.nextPort;
      this.nextPort = port === LAST_PORT ? FIRST_EPHEMERAL_PORT : port + 1;
      if (!this.boundPorts.has(port)) return port;
    }
    return undefined;
  }
}

/** A listening port of one simulated host. */
class SimListener implements Listener {
  constructor(
    private readonly host: SimHost,
    private readonly port: number,
    readonly address: string,
    readonly onConnection: (connection: Connection) => void,
  ) {}

  /** Stop accepting (the port is free again at once); accepted connections stay open. */
  close(): Promise<void> {
    if (this.host.listeners.get(this.port) === this) {
      this.host.listeners.delete(this.port);
      this.host.boundPorts.delete(this.port);
    }
    return Promise.resolve();
  }
}

/**
 * One end of a simulated connection. Its peer is the other end; each end remembers when
 * its last outgoing unit is due, which is what keeps one direction FIFO.
 *
 * Incoming chunks that arrive before `onData` is set wait in `inbox`, the way bytes wait
 * in a socket's receive buffer; a close waits in `closeNotice` until the inbox is empty,
 * so a handler always sees the data first and the close last.
 */
class SimConnection implements Connection {
  peer!: SimConnection;
  /** When the last unit this end sent is due at the peer. */
  lastDeliverAt: number;
  private isClosed = false;
  private closedLocally = false;
  private resetSent = false;
  private dataHandler: ((chunk: Uint8Array) => void) | undefined;
  private closeHandler: ((error?: Error) => void) | undefined;
  private inbox: Uint8Array[] = [];
  private closeNotice: { error: Error | undefined } | undefined;
  private closeNotified = false;
  private pumpScheduled = false;

  constructor(
    private readonly network: Wire,
    readonly host: SimHost,
    readonly localAddress: string,
    readonly remoteAddress: string,
    /** The port this end holds on its host (client ends only; accepted ends share the listener's). */
    private readonly ownPort: number | undefined,
  ) {
    this.lastDeliverAt = network.clock.now();
    host.connections.add(this);
    if (ownPort !== undefined) host.boundPorts.add(ownPort);
  }

  get closed(): boolean {
    return this.isClosed;
  }

  send(bytes: Uint8Array): void {
    if (this.isClosed || bytes.length === 0) return;
    // Copy now: the caller may reuse its buffer as soon as we return.
    const copy = new Uint8Array(bytes.length);
    copy.set(bytes);
    this.network.transmit(this, { kind: 'data', bytes: copy });
  }

  sendMany(chunks: readonly Uint8Array[]): void {
    if (this.isClosed) return;
    let size = 0;
    for (const chunk of chunks) size += chunk.length;
    if (size === 0) return;
    const joined = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) {
      joined.set(chunk, at);
      at += chunk.length;
    }
    this.network.transmit(this, { kind: 'data', bytes: joined });
  }

  onData(handler: (chunk: Uint8Array) => void): void {
    this.dataHandler = handler;
    if (this.inbox.length > 0) this.schedulePump();
  }

  onClose(handler: (error?: Error) => void): void {
    this.closeHandler = handler;
    if (this.closeNotice !== undefined && !this.closeNotified) this.schedulePump();
  }

  /** Close this end: the FIN follows every unit already sent; our own onClose runs on the next tick. */
  close(): void {
    if (this.isClosed) return;
    this.markClosed(true);
    this.network.transmit(this, { kind: 'fin' });
    this.closeNotice = { error: undefined };
    this.schedulePump();
  }

  /** The host crashed: this end dies silently (a dead process runs no handler), the peer gets a reset. */
  crash(error: Error): void {
    if (this.isClosed) return;
    this.markClosed(true);
    this.network.transmit(this, { kind: 'rst', error });
  }

  /** A unit from the peer reached this end (called from the delivery timer). */
  receive(unit: Unit): void {
    if (unit.kind === 'data') {
      if (this.isClosed) {
        // Bytes for a socket that is gone: like a real stack, answer with a reset, once.
        if (this.closedLocally && !this.resetSent) {
          this.resetSent = true;
          const error = new SimNetworkError(`connection ${this.remoteAddress} -> ${this.localAddress} reset by peer (ECONNRESET)`, 'ECONNRESET', this.localAddress);
          this.network.transmit(this, { kind: 'rst', error });
        }
        return;
      }
      this.network.stats.delivered++;
      this.inbox.push(unit.bytes);
    } else {
      if (this.isClosed) return;
      this.markClosed(false);
      this.closeNotice = { error: unit.kind === 'rst' ? unit.error : undefined };
    }
    this.pump();
  }

  private markClosed(locally: boolean): void {
    this.isClosed = true;
    this.closedLocally = locally;
    if (locally) this.inbox = [];
    this.host.connections.delete(this);
    if (this.ownPort !== undefined) this.host.boundPorts.delete(this.ownPort);
  }

  /** Hand waiting chunks to the data handler, then the close (once) to the close handler. */
  private pump(): void {
    while (this.inbox.length > 0 && this.dataHandler !== undefined && !this.closedLocally) {
      const chunk = this.inbox.shift()!;
      this.dataHandler(chunk);
    }
    if (this.closedLocally) this.inbox = [];
    if (this.closeNotice === undefined || this.closeNotified || this.inbox.length > 0) return;
    if (this.closeHandler === undefined) return;
    this.closeNotified = true;
    this.closeHandler(this.closeNotice.error);
  }

  /** Run `pump` from a timer, never from inside the caller's `onData`/`onClose`/`close` call. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    this.network.clock.setTimer(0, () => {
      this.pumpScheduled = false;
      this.pump();
    });
  }
}

/** The Transport of one simulated host: listens on its ports, connects from it. */
class SimHostTransport implements Transport {
  constructor(private readonly network: Wire, private readonly host: SimHost) {}

  listen(address: string, onConnection: (connection: Connection) => void): Promise<Listener> {
    const name = this.host.name;
    const { host, port: requested } = splitAddress(address);
    if (host !== name && !SELF_ALIASES.has(host)) {
      return Promise.reject(new SimNetworkError(`listen on ${address} failed: host "${name}" can only bind its own name (EADDRNOTAVAIL)`, 'EADDRNOTAVAIL', address));
    }
    const port = requested === 0 ? this.host.allocatePort() : requested;
    if (port === undefined) {
      return Promise.reject(new SimNetworkError(`listen on ${address} failed: no free port on "${name}" (EADDRNOTAVAIL)`, 'EADDRNOTAVAIL', address));
    }
    if (this.host.boundPorts.has(port)) {
      return Promise.reject(new SimNetworkError(`listen on ${address} failed: ${name}:${port} is in use (EADDRINUSE)`, 'EADDRINUSE', address));
    }
    const listener = new SimListener(this.host, port, `${name}:${port}`, onConnection);
    this.host.listeners.set(port, listener);
    this.host.boundPorts.add(port);
    return Promise.resolve(listener);
  }

  connect(address: string): Promise<Connection> {
    return this.network.connect(this.host, address);
  }
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

/** Like {@link parseAddress}, but also accepts `":port"` (any address of this host). */
function splitAddress(address: string): { host: string; port: number } {
  return address.startsWith(':') ? { host: '', port: parseAddress(`0.0.0.0${address}`).port } : parseAddress(address);
}
