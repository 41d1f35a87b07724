/**
 * RequestProcessor: what a server (or a client, for calls coming back from a broker)
 * registers per request code to answer requests.
 *
 * The broker registers one processor per family of codes (send, pull, query, admin, ...)
 * in its processor table; the name server registers a single default processor for
 * everything. The remoting layer decodes a request, looks up the processor by code, calls
 * {@link RequestProcessor.processRequest}, and writes whatever it returns as the response.
 * A processor that wants to answer later (long polling holds a PULL for up to 15 s)
 * returns `null` and writes the response itself through {@link RequestContext.writeResponse}.
 *
 * Differences from RocketMQ 4.9.x:
 * - No executor per processor: `processRequest` may return a Promise instead, and requests
 *   on one connection are processed concurrently (answers may go out in any order).
 * - `AsyncNettyRequestProcessor` and `NettyRequestProcessor` are one interface.
 *
 * @mirrors org.apache.rocketmq.remoting.netty.NettyRequestProcessor
 * @mirrors org.apache.rocketmq.remoting.netty.AsyncNettyRequestProcessor
 * @article send-receive "Processors: who answers which code"
 * @category Remoting
 * @module
 */
import type { Connection } from '../platform/transport.js';
import type { RemotingCommand } from './remoting-command.js';

/**
 * The connection a request came on, as a processor sees it (Java: the Netty
 * `ChannelHandlerContext`). One context per connection; it stays valid after the request
 * returns, so a held request can be answered later.
 */
export interface RequestContext {
  /** The underlying connection (the broker keeps it to call the client back). */
  readonly connection: Connection;
  /** The peer's `"host:port"`, as RocketMQ logs `RemotingHelper.parseChannelRemoteAddr`. */
  readonly remoteAddress: string;
  /** This end's `"host:port"`. */
  readonly localAddress: string;
  /** True once the connection is closed; a late response is then dropped. */
  readonly closed: boolean;
  /**
   * Write a response to `request` now or later: copies the request's opaque and serialize
   * type into it and sets the RESPONSE flag. Does nothing for a one-way request or a
   * closed connection. Responses written in the same microtask turn go out as one write.
   */
  writeResponse(request: RemotingCommand, response: RemotingCommand): void;
  /**
   * Close the connection, recording `reason` in the `remoting.connection.closed` event
   * (Java: `RemotingUtil.closeChannel`). Calls waiting on it fail.
   */
  close(reason: string): void;
}

/** Answers requests of the codes it is registered for. */
export interface RequestProcessor {
  /**
   * Handle one request. Return the response (synchronously or as a Promise), or `null` to
   * send nothing now. Throwing (or rejecting) makes the remoting layer answer
   * `SYSTEM_ERROR` with the error text as remark; it never closes the connection.
   */
  processRequest(ctx: RequestContext, request: RemotingCommand): Promise<RemotingCommand | null> | RemotingCommand | null;
  /** Return true to refuse work for now: the caller gets `SYSTEM_BUSY` (flow control). */
  rejectRequest(): boolean;
}
