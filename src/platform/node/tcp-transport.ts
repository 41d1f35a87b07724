/**
 * TcpTransport: the Transport port over real TCP sockets from `node:net`.
 *
 * This is what a broker or name server started from the command line listens with, and
 * what lets a real RocketMQ client (Java, or npm `ali-ons`) talk to us. It does the little
 * that Netty's pipeline does below the frame decoder: turn off Nagle, hand every received
 * chunk up untouched, write batches in one go, and turn socket errors into a close with an
 * Error instead of a crashed process.
 *
 * ```
 *   remoting layer      sendMany([frame1, frame2, frame3])      onData(chunk) / onClose(err)
 *        │                         │ one Buffer.concat + one write      ▲
 *   TcpConnection  ────────────────┴──► socket.write ─ ─ ─ kernel ─ ─ ─ socket 'data'/'close'
 * ```
 *
 * `stats.writes` counts `socket.write` calls over all connections of this transport, so a
 * test can prove that the server answers a burst of requests with few writes (the batching
 * Netty gets from `writeAndFlush` of several frames before the flush).
 *
 * Differences from RocketMQ 4.9.x:
 * - No Epoll, no TLS, no write-buffer water marks, no idle-state handler (the remoting
 *   layer above owns timeouts).
 * - `connect` has no timeout of its own; the remoting call timeout bounds it.
 *
 * @mirrors io.netty.channel.socket.nio.NioSocketChannel
 * @mirrors io.netty.bootstrap.ServerBootstrap
 * @article namesrv "How the processes talk"
 * @category Platform
 * @module
 */
import { connect as netConnect, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { parseAddress } from '../transport.js';
import type { Connection, Listener, Transport } from '../transport.js';

/** Write and accept counters, summed over every connection of one TcpTransport. */
export interface TcpTransportStats {
  /** `socket.write` calls: one per `send` and one per `sendMany`. */
  writes: number;
  bytesWritten: number;
  connectionsAccepted: number;
}

/** A socket failure, carrying Node's error code (`ECONNREFUSED`, `EADDRINUSE`, `ECONNRESET`, ...). */
export class TcpTransportError extends Error {
  override readonly name = 'TcpTransportError';
  constructor(message: string, readonly code: string, readonly address: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Wrap a Node socket error so that its message names the address and the code. */
function wrapError(error: unknown, what: string, address: string): TcpTransportError {
  const code = (error as { code?: unknown }).code;
  const text = typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
  return new TcpTransportError(`${what} failed: ${text}`, typeof code === 'string' ? code : 'EUNKNOWN', address, { cause: error });
}

/** `"ip:port"` the way RocketMQ logs it; an IPv4 address seen through an IPv6 socket loses its `::ffff:` prefix. */
function formatAddress(ip: string | undefined, port: number | undefined): string {
  const host = ip === undefined ? 'unknown' : ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return `${host}:${port ?? 0}`;
}

/** One open socket as a {@link Connection}. */
class TcpConnection implements Connection {
  readonly localAddress: string;
  readonly remoteAddress: string;
  private isClosed = false;
  private closedLocally = false;
  /** Set once the socket emitted 'close'. */
  private ended = false;
  private error: Error | undefined;
  private dataHandler: ((chunk: Uint8Array) => void) | undefined;
  private closeHandler: ((error?: Error) => void) | undefined;
  /** Chunks that arrived before `onData` was set. */
  private inbox: Uint8Array[] = [];
  private closeNotified = false;
  private pumpScheduled = false;

  constructor(private readonly socket: Socket, private readonly stats: TcpTransportStats) {
    this.localAddress = formatAddress(socket.localAddress, socket.localPort);
    this.remoteAddress = formatAddress(socket.remoteAddress, socket.remotePort);
    socket.setNoDelay(true);
    // An 'error' event without a listener would crash the process. Every socket error is
    // followed by 'close', where the handler learns about it.
    socket.on('error', (error) => {
      this.error ??= wrapError(error, `connection ${this.localAddress} -> ${this.remoteAddress}`, this.remoteAddress);
    });
    socket.on('data', (chunk: Buffer) => this.arrived(chunk));
    socket.once('close', () => {
      this.isClosed = true;
      this.ended = true;
      this.pump();
    });
  }

  get closed(): boolean {
    return this.isClosed;
  }

  send(bytes: Uint8Array): void {
    if (this.isClosed || bytes.length === 0) return;
    // Copy: Node may keep a reference until the kernel took the bytes, and the caller may
    // reuse its buffer as soon as we return.
    this.write(Buffer.from(bytes));
  }

  sendMany(chunks: readonly Uint8Array[]): void {
    if (this.isClosed) return;
    // One concatenated Buffer, one write, one syscall in the common case. The copy is the
    // same one `send` makes; cork/uncork would save it but give up the single write.
    this.write(Buffer.concat(chunks));
  }

  onData(handler: (chunk: Uint8Array) => void): void {
    this.dataHandler = handler;
    if (this.inbox.length > 0) this.schedulePump();
  }

  onClose(handler: (error?: Error) => void): void {
    this.closeHandler = handler;
    if (this.ended && !this.closeNotified) this.schedulePump();
  }

  /**
   * Send what is queued, then FIN. The socket (and our onClose) closes when the peer
   * answers with its own FIN, as every peer without half-close does.
   */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.closedLocally = true;
    this.inbox = [];
    this.socket.end();
  }

  private write(buffer: Buffer): void {
    if (buffer.length === 0) return;
    this.stats.writes++;
    this.stats.bytesWritten += buffer.length;
    this.socket.write(buffer);
  }

  private arrived(chunk: Buffer): void {
    if (this.closedLocally) return;
    if (this.dataHandler !== undefined && this.inbox.length === 0) {
      this.dataHandler(chunk);
    } else {
      this.inbox.push(chunk);
    }
  }

  /** Hand waiting chunks to the data handler, then, once the socket is gone, the close. */
  private pump(): void {
    while (this.inbox.length > 0 && this.dataHandler !== undefined && !this.closedLocally) {
      this.dataHandler(this.inbox.shift()!);
    }
    if (!this.ended || this.closeNotified || this.inbox.length > 0 || this.closeHandler === undefined) return;
    this.closeNotified = true;
    this.closeHandler(this.error);
  }

  /** Run `pump` on a later turn, never inside the caller's `onData`/`onClose` call. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }
}

/** A listening `net.Server`. */
class TcpListener implements Listener {
  constructor(private readonly server: Server, readonly address: string, private readonly forget: () => void) {}

  /**
   * Stop accepting. Resolves once the listening socket is closed; it does not wait for the
   * accepted connections, which stay open (use `TcpTransport.destroyAll()` to drop them).
   */
  async close(): Promise<void> {
    this.forget();
    if (!this.server.listening) return;
    // The callback would wait for every accepted connection to end: do not wait for it.
    this.server.close(() => {});
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The Transport port over `node:net`. One instance per process is the usual setup. */
export class TcpTransport implements Transport {
  readonly stats: TcpTransportStats = { writes: 0, bytesWritten: 0, connectionsAccepted: 0 };
  /** Every socket still open (accepted, connected or connecting), for {@link destroyAll}. */
  private readonly sockets = new Set<Socket>();
  private readonly servers = new Set<Server>();

  /** Listen on `"host:port"` (`":port"` or `"0.0.0.0:port"` for every interface; port 0 for any free port). */
  listen(address: string, onConnection: (connection: Connection) => void): Promise<Listener> {
    let host: string;
    let port: number;
    try {
      ({ host, port } = address.startsWith(':') ? { host: '0.0.0.0', port: parseAddress(`0.0.0.0${address}`).port } : parseAddress(address));
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const server = createServer();
      const failed = (error: Error): void => reject(wrapError(error, `listen on ${address}`, address));
      server.once('error', failed);
      server.on('connection', (socket) => {
        this.stats.connectionsAccepted++;
        onConnection(this.adopt(socket));
      });
      server.listen({ host, port }, () => {
        server.off('error', failed);
        // After the bind, errors are accept failures (EMFILE and the like): the server keeps
        // listening, and an unhandled 'error' would crash the process.
        server.on('error', () => {});
        this.servers.add(server);
        const bound = server.address() as AddressInfo;
        resolve(new TcpListener(server, `${host}:${bound.port}`, () => this.servers.delete(server)));
      });
    });
  }

  /** Connect to `"host:port"`; rejects with a {@link TcpTransportError} naming the address and code. */
  connect(address: string): Promise<Connection> {
    let target: { host: string; port: number };
    try {
      target = parseAddress(address);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host: target.host, port: target.port });
      this.track(socket);
      const failed = (error: Error): void => {
        socket.destroy();
        reject(wrapError(error, `connect to ${address}`, address));
      };
      const aborted = (): void => reject(new TcpTransportError(`connect to ${address} failed: ECONNABORTED (closed while connecting)`, 'ECONNABORTED', address));
      socket.once('error', failed);
      socket.once('close', aborted);
      socket.once('connect', () => {
        socket.off('error', failed);
        socket.off('close', aborted);
        resolve(this.adopt(socket));
      });
    });
  }

  /**
   * Drop everything this transport opened: destroy every open socket (peers see a close,
   * local onClose handlers run) and close every listener. For tests and process shutdown.
   */
  destroyAll(): void {
    for (const server of this.servers) server.close(() => {});
    this.servers.clear();
    for (const socket of this.sockets) socket.destroy();
  }

  private adopt(socket: Socket): TcpConnection {
    this.track(socket);
    return new TcpConnection(socket, this.stats);
  }

  private track(socket: Socket): void {
    if (this.sockets.has(socket)) return;
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }
}
