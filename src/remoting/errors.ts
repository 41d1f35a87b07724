/**
 * The typed errors of the remoting layer: what a caller sees when an RPC cannot complete.
 *
 * Expected business outcomes travel inside responses as codes (a `PULL_NOT_FOUND` is not an
 * error). What is left for exceptions is the transport: the peer could not be reached, the
 * write failed, the answer did not come in time, the connection died mid-call, or too many
 * calls were already waiting. The producer's retry logic and the client's fault strategy
 * tell these apart by class, so each is its own subclass with `name` set, and each carries
 * the underlying failure as `cause`.
 *
 * Bytes that cannot be parsed raise {@link FrameDecodeError} (framing) or
 * {@link RemotingCommandDecodeError} (the header inside a frame); the connection they came
 * on is closed. A custom-header field that is missing or malformed raises
 * {@link RemotingCommandError}, which a processor maps to `SYSTEM_ERROR`.
 *
 * Differences from RocketMQ 4.9.x:
 * - {@link RemotingConnectionClosedError} is new: Java 4.9's `failFast` completes the pending
 *   calls of a closed channel with a null response, which callers then report as a timeout.
 * - Netty's `CorruptedFrameException`/`TooLongFrameException` become {@link FrameDecodeError}.
 *
 * @mirrors org.apache.rocketmq.remoting.exception.RemotingException
 * @mirrors org.apache.rocketmq.remoting.exception.RemotingConnectException
 * @mirrors org.apache.rocketmq.remoting.exception.RemotingSendRequestException
 * @mirrors org.apache.rocketmq.remoting.exception.RemotingTimeoutException
 * @mirrors org.apache.rocketmq.remoting.exception.RemotingTooMuchRequestException
 * @mirrors org.apache.rocketmq.remoting.exception.RemotingCommandException
 * @article send-receive "When an RPC fails"
 * @category Remoting
 * @module
 */

/** Base class of every remoting failure (Java: `RemotingException`). */
export class RemotingError extends Error {
  override readonly name: string = 'RemotingError';
}

/** Connecting to `address` failed or took longer than the connect timeout. */
export class RemotingConnectError extends RemotingError {
  override readonly name: string = 'RemotingConnectError';
  constructor(readonly address: string, options?: { cause?: unknown; detail?: string }) {
    super(`connect to ${address} failed${options?.detail ? `: ${options.detail}` : ''}`, { cause: options?.cause });
  }
}

/** The request could not be written (the connection was already closed, or the write broke). */
export class RemotingSendRequestError extends RemotingError {
  override readonly name: string = 'RemotingSendRequestError';
  constructor(readonly address: string, options?: { cause?: unknown }) {
    super(`send request to <${address}> failed`, { cause: options?.cause });
  }
}

/** No response arrived within `timeoutMs`. Only this call fails; the connection stays open. */
export class RemotingTimeoutError extends RemotingError {
  override readonly name: string = 'RemotingTimeoutError';
  constructor(readonly address: string, readonly timeoutMs: number, options?: { cause?: unknown }) {
    // Java's wording: "wait response on the channel <addr> timeout, 3000(ms)".
    super(`wait response on the channel <${address}> timeout, ${timeoutMs}(ms)`, { cause: options?.cause });
  }
}

/** The connection closed while the call was waiting for its response. */
export class RemotingConnectionClosedError extends RemotingError {
  override readonly name: string = 'RemotingConnectionClosedError';
  constructor(readonly address: string, readonly reason: string, options?: { cause?: unknown }) {
    super(`connection <${address}> closed before the response arrived (${reason})`, { cause: options?.cause });
  }
}

/** Too many async or one-way calls are already in flight (Java's semaphores ran out of permits). */
export class RemotingTooMuchRequestError extends RemotingError {
  override readonly name: string = 'RemotingTooMuchRequestError';
}

/** The byte stream is not a sequence of valid frames. `reason` says which check failed. */
export class FrameDecodeError extends RemotingError {
  override readonly name: string = 'FrameDecodeError';
  constructor(readonly reason: string) {
    super(`frame rejected: ${reason}`);
  }
}

/** A frame was well formed but its header could not be decoded. */
export class RemotingCommandDecodeError extends RemotingError {
  override readonly name: string = 'RemotingCommandDecodeError';
  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super(`command header rejected: ${reason}`, { cause: options?.cause });
  }
}

/**
 * A custom-header field in `extFields` is missing or cannot be parsed as the type asked for.
 * `field` names it, so the processor's `SYSTEM_ERROR` remark can name it too.
 */
export class RemotingCommandError extends RemotingError {
  override readonly name: string = 'RemotingCommandError';
  constructor(readonly field: string, readonly problem: string) {
    super(`the custom header field "${field}" ${problem}`);
  }
}
