/**
 * ResponseFuture: one request waiting for its response, kept in the response table under
 * the request's opaque.
 *
 * When a request goes out, the caller's future goes into the table; when a frame with the
 * RESPONSE flag and the same opaque comes back, the future completes and leaves the table.
 * If nothing comes back in time, the future's timer fails it with a timeout, and a
 * response that arrives later finds no entry and is dropped. Whatever happens first wins;
 * the rest are no-ops, which is what Java's `CountDownLatch` plus
 * `SemaphoreReleaseOnlyOnce` achieve with threads.
 *
 * ```
 *   sent ──► responseTable[opaque] = future ──┬─ response(opaque) ─► putResponse ─► resolve
 *                                             ├─ timer(timeoutMs) ─► fail(timeout)
 *                                             └─ connection closed ─► fail(closed)
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - One Promise serves both `invokeSync` (await it) and `invokeAsync` (callbacks attach to
 *   it); Java has a latch for one and an `InvokeCallback` for the other.
 * - Each future has its own timer on the Clock instead of the 1 s `scanResponseTable` sweep,
 *   so a call fails after exactly its timeout.
 *
 * @mirrors org.apache.rocketmq.remoting.netty.ResponseFuture
 * @article send-receive "Matching a response to its request"
 * @category Remoting
 * @module
 */
import type { TimerHandle } from '../platform/clock.js';
import { RemotingTimeoutError } from './errors.js';
import type { RemotingCommand } from './remoting-command.js';
import type { RequestContext } from './request-processor.js';

/**
 * Called once when an async call completes: with the response, or with the typed error
 * (`RemotingTimeoutError`, `RemotingSendRequestError`, ...). Java: `InvokeCallback`, which
 * receives the ResponseFuture and asks it the same questions.
 */
export type InvokeCallback = (error: Error | undefined, response: RemotingCommand | undefined) => void;

export class ResponseFuture {
  /** The response, once it arrived. */
  responseCommand: RemotingCommand | undefined;
  /** Why the call failed, once it did. */
  cause: Error | undefined;
  /** False when the request could not even be written. */
  sendRequestOK = true;
  /** Settles with the response or rejects with {@link cause}. */
  readonly promise: Promise<RemotingCommand>;
  /** The timeout timer; cancelled on completion. */
  timer: TimerHandle | undefined;
  private resolvePromise!: (response: RemotingCommand) => void;
  private rejectPromise!: (error: Error) => void;
  private finished = false;

  /**
   * @param opaque the request's opaque (the response-table key)
   * @param requestCode the request's code, for events and error messages
   * @param channel the connection the request went out on (Java 4.9: `processChannel`)
   * @param timeoutMs how long the caller waits
   * @param beginTimestamp Clock time when the request was sent
   * @param release called exactly once on completion (returns a semaphore permit)
   */
  constructor(
    readonly opaque: number,
    readonly requestCode: number,
    readonly channel: RequestContext,
    readonly timeoutMs: number,
    readonly beginTimestamp: number,
    private readonly release?: () => void,
  ) {
    this.promise = new Promise<RemotingCommand>((resolve, reject) => {
      this.resolvePromise = resolve;
      this.rejectPromise = reject;
    });
  }

  /** True once completed in any way. */
  get isDone(): boolean {
    return this.finished;
  }

  /** True when it failed because no response came in time. */
  get isTimeout(): boolean {
    return this.cause instanceof RemotingTimeoutError;
  }

  /** Complete with the response. Returns false when the future had already completed. */
  putResponse(response: RemotingCommand): boolean {
    if (!this.finish()) return false;
    this.responseCommand = response;
    this.resolvePromise(response);
    return true;
  }

  /** Complete with a failure. Returns false when the future had already completed. */
  fail(error: Error, sendRequestOK = this.sendRequestOK): boolean {
    if (!this.finish()) return false;
    this.cause = error;
    this.sendRequestOK = sendRequestOK;
    this.rejectPromise(error);
    return true;
  }

  private finish(): boolean {
    if (this.finished) return false;
    this.finished = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.release?.();
    return true;
  }
}
