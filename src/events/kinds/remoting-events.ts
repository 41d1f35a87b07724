/**
 * Event payloads of the remoting layer: connections, frames, requests and responses.
 *
 * The remoting layer emits these for every command in one place (`remoting-abstract.ts`),
 * so domain code never has to. The `rpc` envelope field carries the opaque and the code
 * name, so the viz can draw an arrow from each request to its response. `rpc.side` is the
 * role this node plays in that RPC: `'client'` on the node that sent the request (also a
 * broker calling a client back), `'server'` on the node that answers it.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ, which writes log lines instead.
 *
 * @article send-receive "One RPC, byte by byte"
 * @category Events
 * @module
 */

export interface RemotingEventMap {
  /** A connection was accepted (server) or established (client). */
  'remoting.connection.opened': { local: string; remote: string; side: 'client' | 'server' };
  /** A connection ended. `reason` says why (peer closed, malformed frame, shutdown). */
  'remoting.connection.closed': { local: string; remote: string; reason: string };
  /** A malformed frame arrived; the connection it came on is closed, the others keep going. */
  'remoting.frame.rejected': { remote: string; reason: string };
  /** A request left this node. */
  'remoting.request.sent': { to: string; code: number; oneway: boolean; bodyLength: number; timeoutMs?: number };
  /** A request arrived at this node. */
  'remoting.request.received': { from: string; code: number; oneway: boolean; bodyLength: number };
  /** A response left this node. */
  'remoting.response.sent': { to: string; code: number; remark?: string; bodyLength: number };
  /** A response arrived and completed its caller. */
  'remoting.response.received': { from: string; code: number; remark?: string; bodyLength: number; elapsedMs: number };
  /** No response came in time; only that call fails. */
  'remoting.request.timed-out': { to: string; code: number; timeoutMs: number };
  /** A response arrived whose opaque matches no waiting call (it came after its timeout, or after a close); it is dropped. */
  'remoting.response.dropped': { from: string; code: number; opaque: number };
}
