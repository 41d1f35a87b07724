/**
 * The endpoints of the simulated network: hosts, their listeners and connections, and the
 * Transport each host hands out. {@link SimNetwork} (sim-network.ts) is the wire between them:
 * latency, loss, partitions, injected faults and crashes.
 *
 * ```
 *   SimHostTransport ── listen ──► SimListener (host:port) ── accept ──► SimConnection (server end)
 *                    ── connect ─► Wire.connect ──────────────────────► SimConnection (client end)
 *   SimConnection.send ──► Wire.transmit(unit) ──(latency)──► peer.receive ──► onData
 * ```
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ; these stand in for Netty channels.
 *
 * @article namesrv "How the processes talk"
 * @category Platform
 * @module
 */
import type { Clock } from '../clock.js';
import { parseAddress } from '../transport.js';
import type { Connection, Listener, Transport } from '../transport.js';
import type { SimNetwork } from './sim-network.js';

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
export const SELF_ALIASES = new Set(['', '0.0.0.0', '127.0.0.1', 'localhost']);

/** What travels on a link: bytes, an orderly close (FIN) or a reset (RST) carrying the error. */
export type Unit = { kind: 'data'; bytes: Uint8Array } | { kind: 'fin' } | { kind: 'rst'; error: Error };

/** What the hosts' transports and connections need from their network. */
export interface Wire {
  readonly clock: Clock;
  readonly stats: SimNetworkStats;
  /** Put one unit on the wire from `from` to its peer. */
  transmit(from: SimConnection, unit: Unit): void;
  /** Open a connection from host `from` to `address`. */
  connect(from: SimHost, address: string): Promise<Connection>;
}

/** Per-host state: the listening ports, the open connections, the port counter. */
export class SimHost {
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
export class SimListener implements Listener {
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
export class SimConnection implements Connection {
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
export class SimHostTransport implements Transport {
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

/** Like `parseAddress`, but also accepts `":port"` (any address of this host). */
export function splitAddress(address: string): { host: string; port: number } {
  return address.startsWith(':') ? { host: '', port: parseAddress(`0.0.0.0${address}`).port } : parseAddress(address);
}
