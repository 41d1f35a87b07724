// A tiny in-memory Transport for the remoting unit tests: paired connections that deliver
// each send as one chunk on the next microtask, count writes per connection and record
// what they sent. No clock and no latency: `await clock.settle()` lets everything arrive.
import type { Connection, Listener, Transport } from '../../../src/platform/transport.js';

export class FakeConnection implements Connection {
  peer!: FakeConnection;
  /** One entry per send/sendMany call, joined. */
  readonly sent: Uint8Array[] = [];
  private isClosed = false;
  private dataHandler: ((chunk: Uint8Array) => void) | undefined;
  private closeHandler: ((error?: Error) => void) | undefined;
  private closeNotified = false;

  constructor(readonly localAddress: string, readonly remoteAddress: string) {}

  get closed(): boolean {
    return this.isClosed;
  }

  get writes(): number {
    return this.sent.length;
  }

  send(bytes: Uint8Array): void {
    this.sendMany([bytes]);
  }

  sendMany(chunks: readonly Uint8Array[]): void {
    if (this.isClosed) return;
    let size = 0;
    for (const c of chunks) size += c.length;
    const joined = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      joined.set(c, at);
      at += c.length;
    }
    this.sent.push(joined);
    const peer = this.peer;
    queueMicrotask(() => peer.receive(joined));
  }

  onData(handler: (chunk: Uint8Array) => void): void {
    this.dataHandler = handler;
  }

  onClose(handler: (error?: Error) => void): void {
    this.closeHandler = handler;
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    const peer = this.peer;
    queueMicrotask(() => {
      this.notifyClosed();
      peer.peerClosed();
    });
  }

  private receive(chunk: Uint8Array): void {
    if (!this.isClosed) this.dataHandler?.(chunk);
  }

  private peerClosed(): void {
    this.isClosed = true;
    this.notifyClosed();
  }

  private notifyClosed(): void {
    if (this.closeNotified) return;
    this.closeNotified = true;
    this.closeHandler?.();
  }
}

export class FakeTransport implements Transport {
  /** Every connection either end opened, in order (client end and server end). */
  readonly connections: FakeConnection[] = [];
  private readonly listeners = new Map<string, (connection: Connection) => void>();
  private nextPort = 40_000;

  listen(address: string, onConnection: (connection: Connection) => void): Promise<Listener> {
    const bound = address.endsWith(':0') ? `${address.slice(0, -2)}:${this.nextPort++}` : address;
    this.listeners.set(bound, onConnection);
    const listener: Listener = { address: bound, close: async () => void this.listeners.delete(bound) };
    return Promise.resolve(listener);
  }

  connect(address: string): Promise<Connection> {
    const onConnection = this.listeners.get(address);
    if (onConnection === undefined) return Promise.reject(new Error(`connect to ${address} failed: connection refused`));
    const client = new FakeConnection(`client:${this.nextPort++}`, address);
    const server = new FakeConnection(address, client.localAddress);
    client.peer = server;
    server.peer = client;
    this.connections.push(client, server);
    onConnection(server);
    return Promise.resolve(client);
  }
}
