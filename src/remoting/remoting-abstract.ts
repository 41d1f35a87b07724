/**
 * RemotingAbstract: the half of RocketMQ's RPC that client and server share, matching
 * responses to requests and dispatching requests to processors.
 *
 * Both ends of a RocketMQ connection can send requests: a client sends SEND_MESSAGE to a
 * broker, and the broker sends CHECK_TRANSACTION_STATE back to the producer over the same
 * connection. So both ends run the same machinery, and this class is that machinery:
 *
 * ```
 *                 decoded command from a RemotingChannel
 *                                  │
 *                    RESPONSE flag set?  (processMessageReceived)
 *                 ┌───────── yes ──┴── no ─────────────┐
 *                 ▼                                     ▼
 *   responseTable[opaque]                   processorTable[code] ?? defaultProcessor
 *   found: complete the caller              none         ─► REQUEST_CODE_NOT_SUPPORTED (3)
 *   gone:  drop it (it timed out)           rejectRequest ─► SYSTEM_BUSY (2)
 *                                           throws        ─► SYSTEM_ERROR (1), remark = error
 *                                           returns cmd   ─► write it (opaque echoed, RESPONSE set)
 *                                           returns null  ─► write nothing (answered later, or never)
 * ```
 *
 * Sending goes the other way: {@link RemotingAbstract.invokeImpl} gives the request the
 * next opaque of this endpoint, parks a {@link ResponseFuture} under it in the response
 * table, starts its timeout timer on the Clock, and queues the frame on the channel.
 *
 * Let us walk one RPC. A client calls `invokeSync("broker:10911", HEART_BEAT, 3000)`. It
 * gets opaque 7; the future waits in the client's table under 7. The broker's channel
 * decodes the frame, sees no RESPONSE bit, finds the heartbeat processor, and writes its
 * answer with opaque 7 and the RESPONSE bit. The client's channel decodes that, sees the
 * bit, finds 7 in the table, and resolves the caller's promise. Had 3000 ms of Clock time
 * passed first, the timer would have failed the future with `RemotingTimeoutError`, and the
 * late answer would find no 7 in the table and be dropped.
 *
 * All request and response events of the remoting layer are emitted here, in one place,
 * so no processor has to: each carries the `rpc` envelope `{ opaque, code, side }`.
 *
 * Differences from RocketMQ 4.9.x:
 * - No executors: a processor runs on the caller's turn or returns a Promise, so requests on
 *   one connection are processed concurrently without threads; `[OVERLOAD]` cannot happen.
 * - A timer per call replaces `scanResponseTable` (see response-future.ts).
 * - Async and one-way permits never wait: when none is left the call fails at once with
 *   `RemotingTooMuchRequestError` (Java waits up to the timeout in `tryAcquire`).
 * - One-way requests never get an answer, not even REQUEST_CODE_NOT_SUPPORTED or
 *   SYSTEM_BUSY (Java writes those two without checking the one-way bit; callers drop them).
 *
 * @mirrors org.apache.rocketmq.remoting.netty.NettyRemotingAbstract
 * @article send-receive "One RPC, byte by byte"
 * @emits remoting.connection.opened, remoting.connection.closed, remoting.frame.rejected, remoting.request.sent, remoting.request.received, remoting.response.sent, remoting.response.received, remoting.response.dropped, remoting.request.timed-out
 * @category Remoting
 * @module
 */
import { requestCodeName } from '../common/protocol/request-code.js';
import { ResponseCode } from '../common/protocol/response-code.js';
import type { NodeEvents } from '../events/event-sink.js';
import type { RpcRef } from '../events/event-types.js';
import type { Clock } from '../platform/clock.js';
import {
  RemotingConnectionClosedError,
  RemotingSendRequestError,
  RemotingTimeoutError,
  RemotingTooMuchRequestError,
} from './errors.js';
import { RemotingCommandCodec } from './remoting-command-codec.js';
import { createResponseCommand, isOneway, isResponse, markOneway, markResponse, type RemotingCommand } from './remoting-command.js';
import type { ChannelOwner, RemotingChannel } from './remoting-channel.js';
import type { RemotingEndpointConfig } from './remoting-config.js';
import type { RequestProcessor } from './request-processor.js';
import { ResponseFuture } from './response-future.js';
import type { RPCHook } from './rpc-hook.js';

/** Java's remark for a processor that refuses work (`rejectRequest()` returned true). */
export const REJECT_REQUEST_REMARK = '[REJECTREQUEST]system busy, start flow control for a while';

/** What the shared half needs; the client and server constructors fill it in. */
export interface RemotingAbstractOptions {
  clock: Clock;
  events: NodeEvents;
  endpoint: RemotingEndpointConfig;
  /** Permits for one-way requests in flight (Java's `semaphoreOneway`). */
  permitsOneway: number;
  /** Permits for async requests in flight (Java's `semaphoreAsync`). */
  permitsAsync: number;
}

/** The text Java puts in a SYSTEM_ERROR remark: the exception's `toString()`. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function isPromiseLike<T>(value: unknown): value is PromiseLike<T> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

export abstract class RemotingAbstract implements ChannelOwner {
  /** Encoder and decoder for every channel of this endpoint (it owns a scratch buffer). */
  readonly codec = new RemotingCommandCodec();
  protected readonly clock: Clock;
  protected readonly events: NodeEvents;
  protected readonly endpoint: RemotingEndpointConfig;
  /** Calls waiting for their response, by opaque. */
  protected readonly responseTable = new Map<number, ResponseFuture>();
  private readonly processorTable = new Map<number, RequestProcessor>();
  private defaultProcessor: RequestProcessor | undefined;
  protected readonly rpcHooks: RPCHook[] = [];
  private nextOpaque = 0;
  private permitsOneway: number;
  private permitsAsync: number;

  protected constructor(options: RemotingAbstractOptions) {
    this.clock = options.clock;
    this.events = options.events;
    this.endpoint = options.endpoint;
    this.permitsOneway = options.permitsOneway;
    this.permitsAsync = options.permitsAsync;
  }

  /** Answer requests with `code` using `processor` (replaces an earlier registration). */
  registerProcessor(code: number, processor: RequestProcessor): void {
    this.processorTable.set(code, processor);
  }

  /** Answer every code without its own processor (the name server does everything this way). */
  registerDefaultProcessor(processor: RequestProcessor): void {
    this.defaultProcessor = processor;
  }

  /** Run `hook` around every RPC from now on. */
  registerRPCHook(hook: RPCHook): void {
    this.rpcHooks.push(hook);
  }

  /** How many calls are waiting for a response. */
  get pendingRequestCount(): number {
    return this.responseTable.size;
  }

  // ---- Receiving -------------------------------------------------------------------------

  /** Entry point for every decoded command (Java: `processMessageReceived`). */
  processMessageReceived(channel: RemotingChannel, command: RemotingCommand): void {
    if (isResponse(command)) this.processResponseCommand(channel, command);
    else this.processRequestCommand(channel, command);
  }

  /** Find the processor, run it, and write its answer (or the generic error answers). */
  processRequestCommand(channel: RemotingChannel, request: RemotingCommand): void {
    if (this.events.wants('remoting.request.received')) {
      const data = { from: channel.remoteAddress, code: request.code, oneway: isOneway(request), bodyLength: request.body?.length ?? 0 };
      this.events.emit('remoting.request.received', data, { rpc: this.rpcRef(request, 'server') });
    }
    const processor = this.processorTable.get(request.code) ?? this.defaultProcessor;
    if (processor === undefined) {
      // Java: note the leading space, kept byte for byte.
      const remark = ` request type ${request.code} not supported`;
      this.writeResponse(channel, request, createResponseCommand(ResponseCode.REQUEST_CODE_NOT_SUPPORTED, remark));
      return;
    }
    let result: Promise<RemotingCommand | null> | RemotingCommand | null;
    try {
      if (processor.rejectRequest()) {
        this.writeResponse(channel, request, createResponseCommand(ResponseCode.SYSTEM_BUSY, REJECT_REQUEST_REMARK));
        return;
      }
      this.doBeforeRpcHooks(channel.remoteAddress, request);
      result = processor.processRequest(channel, request);
    } catch (error) {
      this.answerError(channel, request, error);
      return;
    }
    if (isPromiseLike<RemotingCommand | null>(result)) {
      result.then(
        (response) => this.completeRequest(channel, request, response),
        (error: unknown) => this.answerError(channel, request, error),
      );
    } else {
      this.completeRequest(channel, request, result);
    }
  }

  /** Complete the waiting call with this opaque, or drop the response when none waits. */
  processResponseCommand(channel: RemotingChannel, response: RemotingCommand): void {
    const future = this.responseTable.get(response.opaque);
    if (future === undefined) {
      // Java: logged as "receive response, but not matched any request" and dropped.
      const data = { from: channel.remoteAddress, code: response.code, opaque: response.opaque };
      this.events.emit('remoting.response.dropped', data);
      return;
    }
    this.responseTable.delete(response.opaque);
    if (this.events.wants('remoting.response.received')) {
      const data = {
        from: channel.remoteAddress,
        code: response.code,
        remark: response.remark,
        bodyLength: response.body?.length ?? 0,
        elapsedMs: this.clock.now() - future.beginTimestamp,
      };
      this.events.emit('remoting.response.received', data, { rpc: this.rpcRefOf(future.opaque, future.requestCode, 'client') });
    }
    future.putResponse(response);
  }

  /**
   * Write `response` as the answer to `request`: echo the opaque, set the RESPONSE flag,
   * mirror the request's serialize type, stamp this endpoint's version and language.
   * A one-way request or a closed channel gets nothing.
   */
  writeResponse(channel: RemotingChannel, request: RemotingCommand, response: RemotingCommand): void {
    if (isOneway(request) || channel.closed) return;
    response.opaque = request.opaque;
    markResponse(response);
    response.serializeType = request.serializeType;
    this.stamp(response);
    try {
      channel.write(response);
    } catch (error) {
      // A response this endpoint cannot encode (say, a header echoing a 16 MiB request field
      // past the 24-bit header length) must not take the process down. The codec throws
      // before it queues any byte, so the caller gets a short SYSTEM_ERROR instead.
      const remark = `the response to request code ${request.code} could not be encoded: ${describeError(error)}`.slice(0, 512);
      this.writeResponse(channel, request, createResponseCommand(ResponseCode.SYSTEM_ERROR, remark));
      return;
    }
    if (this.events.wants('remoting.response.sent')) {
      const data = { to: channel.remoteAddress, code: response.code, remark: response.remark, bodyLength: response.body?.length ?? 0 };
      this.events.emit('remoting.response.sent', data, { rpc: this.rpcRef(request, 'server') });
    }
  }

  private completeRequest(channel: RemotingChannel, request: RemotingCommand, response: RemotingCommand | null): void {
    try {
      this.doAfterRpcHooks(channel.remoteAddress, request, response);
    } catch (error) {
      this.answerError(channel, request, error);
      return;
    }
    if (response !== null) this.writeResponse(channel, request, response);
  }

  /** A processor or hook threw: answer SYSTEM_ERROR with the error text. The connection stays open. */
  private answerError(channel: RemotingChannel, request: RemotingCommand, error: unknown): void {
    this.writeResponse(channel, request, createResponseCommand(ResponseCode.SYSTEM_ERROR, describeError(error)));
  }

  // ---- Sending ---------------------------------------------------------------------------

  /**
   * Send `request` on `channel` and return the future that its response, its timeout or
   * the channel's close will complete. `release` returns a permit when the future completes.
   */
  protected invokeImpl(channel: RemotingChannel, request: RemotingCommand, timeoutMs: number, release?: () => void): ResponseFuture {
    request.opaque = this.allocateOpaque();
    this.stamp(request);
    const future = new ResponseFuture(request.opaque, request.code, channel, timeoutMs, this.clock.now(), release);
    if (!channel.write(request)) {
      future.fail(new RemotingSendRequestError(channel.remoteAddress), false);
      return future;
    }
    this.responseTable.set(request.opaque, future);
    future.timer = this.clock.setTimer(timeoutMs, () => this.onTimeout(future));
    this.emitSent(channel, request, timeoutMs);
    return future;
  }

  /** Like {@link invokeImpl}, holding one async permit until the future completes. */
  protected invokeAsyncImpl(channel: RemotingChannel, request: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    if (this.permitsAsync <= 0) {
      return Promise.reject(new RemotingTooMuchRequestError('invokeAsyncImpl invoke too fast: no async permit left'));
    }
    this.permitsAsync--;
    return this.invokeImpl(channel, request, timeoutMs, () => this.permitsAsync++).promise;
  }

  /**
   * Send `request` with the ONEWAY bit and forget it. Holds one one-way permit until the
   * bytes are handed to the transport. Throws a typed error when it cannot send.
   */
  protected invokeOnewayImpl(channel: RemotingChannel, request: RemotingCommand): void {
    if (this.permitsOneway <= 0) throw new RemotingTooMuchRequestError('invokeOnewayImpl invoke too fast: no one-way permit left');
    markOneway(request);
    request.opaque = this.allocateOpaque();
    this.stamp(request);
    this.permitsOneway--;
    if (!channel.write(request, () => this.permitsOneway++)) {
      this.permitsOneway++;
      throw new RemotingSendRequestError(channel.remoteAddress);
    }
    this.emitSent(channel, request, undefined);
  }

  private onTimeout(future: ResponseFuture): void {
    if (this.responseTable.get(future.opaque) === future) this.responseTable.delete(future.opaque);
    const data = { to: future.channel.remoteAddress, code: future.requestCode, timeoutMs: future.timeoutMs };
    this.events.emit('remoting.request.timed-out', data, { rpc: this.rpcRefOf(future.opaque, future.requestCode, 'client') });
    future.fail(new RemotingTimeoutError(future.channel.remoteAddress, future.timeoutMs));
  }

  private emitSent(channel: RemotingChannel, request: RemotingCommand, timeoutMs: number | undefined): void {
    if (!this.events.wants('remoting.request.sent')) return;
    const data = { to: channel.remoteAddress, code: request.code, oneway: isOneway(request), bodyLength: request.body?.length ?? 0, timeoutMs };
    this.events.emit('remoting.request.sent', data, { rpc: this.rpcRef(request, 'client') });
  }

  /** The next opaque of this endpoint; wraps like Java's `AtomicInteger`. */
  private allocateOpaque(): number {
    const opaque = this.nextOpaque;
    this.nextOpaque = (opaque + 1) | 0;
    return opaque;
  }

  /** Every command this endpoint sends carries its configured version and language. */
  private stamp(command: RemotingCommand): void {
    command.version = this.endpoint.version;
    command.language = this.endpoint.language;
  }

  // ---- Hooks and connection lifecycle -----------------------------------------------------

  protected doBeforeRpcHooks(remoteAddress: string, request: RemotingCommand): void {
    for (const hook of this.rpcHooks) hook.doBeforeRequest(remoteAddress, request);
  }

  protected doAfterRpcHooks(remoteAddress: string, request: RemotingCommand, response: RemotingCommand | null): void {
    for (const hook of this.rpcHooks) hook.doAfterResponse(remoteAddress, request, response);
  }

  /** Emit `remoting.connection.opened` for a channel a subclass just accepted or connected. */
  protected channelOpened(channel: RemotingChannel, side: 'client' | 'server'): void {
    this.events.emit('remoting.connection.opened', { local: channel.localAddress, remote: channel.remoteAddress, side });
  }

  frameRejected(channel: RemotingChannel, reason: string): void {
    this.events.emit('remoting.frame.rejected', { remote: channel.remoteAddress, reason });
  }

  /** A channel closed: every call still waiting on it fails with {@link RemotingConnectionClosedError}. */
  channelClosed(channel: RemotingChannel, reason: string): void {
    this.events.emit('remoting.connection.closed', { local: channel.localAddress, remote: channel.remoteAddress, reason });
    for (const [opaque, future] of this.responseTable) {
      if (future.channel !== channel) continue;
      this.responseTable.delete(opaque);
      future.fail(new RemotingConnectionClosedError(channel.remoteAddress, reason));
    }
    this.onChannelClosed(channel, reason);
  }

  /** Subclass housekeeping after a channel closed (drop it from the tables, notify listeners). */
  protected abstract onChannelClosed(channel: RemotingChannel, reason: string): void;

  private rpcRef(command: RemotingCommand, side: RpcRef['side']): RpcRef {
    return this.rpcRefOf(command.opaque, command.code, side);
  }

  private rpcRefOf(opaque: number, code: number, side: RpcRef['side']): RpcRef {
    return { opaque, code: requestCodeName(code), side };
  }
}
