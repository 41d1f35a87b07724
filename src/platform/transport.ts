/**
 * The Transport port: byte streams between named addresses.
 *
 * RocketMQ moves bytes with Netty (`Channel`, `ServerBootstrap`, `Bootstrap`) and, for HA,
 * with raw NIO sockets. Here both go through this port. Its adapters are `TcpTransport`
 * (real sockets from `node:net`) and `SimNetwork` (in memory, with seeded latency, loss and
 * partitions delivered through the Clock), so a broker, its clients and their faults can
 * be replayed exactly.
 *
 * A connection carries an ordered, reliable byte stream, like TCP: chunk boundaries are
 * not message boundaries. Framing is the job of the layer above (`remoting/frame-decoder.ts`,
 * the HA protocol). Callbacks rather than async iterators keep the mapping to Netty
 * handlers obvious and the delivery order in the simulation explicit.
 *
 * Addresses are `"host:port"` strings, as RocketMQ writes them (`"127.0.0.1:10911"`).
 *
 * Differences from RocketMQ 4.9.x:
 * - No TLS, no Epoll selection, no write-buffer water marks.
 *
 * @mirrors io.netty.channel.Channel
 * @mirrors io.netty.bootstrap.ServerBootstrap
 * @article namesrv "How the processes talk"
 * @category Platform
 * @module
 */

/** One end of an open byte stream. */
export interface Connection {
  /** This end's address, `"host:port"`. */
  readonly localAddress: string;
  /** The peer's address, `"host:port"` (what RocketMQ logs as the channel's remote address). */
  readonly remoteAddress: string;
  /** True once closed by either side; sending then does nothing. */
  readonly closed: boolean;
  /** Queue bytes for the peer, in order. The caller may reuse `bytes` after the call returns. */
  send(bytes: Uint8Array): void;
  /** Queue several chunks as one write (one syscall on TCP): the batching the hot paths rely on. */
  sendMany(chunks: readonly Uint8Array[]): void;
  /**
   * Set the handler for incoming chunks. Only one handler; setting again replaces it.
   * A chunk handed to the handler belongs to the receiver: the adapter never reuses or
   * changes it, so a decoder may keep views into it instead of copying.
   */
  onData(handler: (chunk: Uint8Array) => void): void;
  /** Set the handler called once when the stream ends, with the error if it broke. */
  onClose(handler: (error?: Error) => void): void;
  /** Close the stream. Queued bytes are still delivered (half-close is not modelled). */
  close(): void;
}

/** A listening socket. */
export interface Listener {
  /** The bound address; with port 0 requested, the port the system chose. */
  readonly address: string;
  /** Stop accepting; existing connections stay open. */
  close(): Promise<void>;
}

/** Opens connections and listens for them. */
export interface Transport {
  /** Listen on `address` (`"host:port"`, port 0 for any free port). */
  listen(address: string, onConnection: (connection: Connection) => void): Promise<Listener>;
  /** Connect to a listening address; rejects with an `Error` naming the address when nobody listens. */
  connect(address: string): Promise<Connection>;
}

/** Split `"host:port"` into its parts; throws on anything else. */
export function parseAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  const port = Number(address.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`bad address "${address}": expected "host:port"`);
  }
  return { host: address.slice(0, i), port };
}
