/**
 * RemotingChannel: one connection as the remoting layer sees it, with framing on the way
 * in and write batching on the way out.
 *
 * This is the Netty pipeline of a RocketMQ connection folded into one small class:
 *
 * ```
 *   bytes in ──► FrameDecoder ──► codec.decode ──► owner.processMessageReceived   (NettyDecoder + handler)
 *   command out ──► codec.encodeTo ──► outbox ──(once per microtask turn)──► send(Many)  (NettyEncoder + flush)
 *   close / error / malformed frame ──► owner.channelClosed                       (NettyConnectManageHandler)
 * ```
 *
 * The outbox is why a burst is cheap: every frame written while one read is being handled
 * (forty requests in one chunk, forty synchronous answers) is encoded straight into one
 * reusable buffer (channel-outbound-buffer.ts) and handed to the transport in one `send`
 * (`sendMany` when a large body rides along), one syscall on TCP, when the current
 * microtask turn ends. Netty gets the same effect from `write` plus a later `flush`.
 *
 * A malformed frame or header closes this connection only: the owner emits
 * `remoting.frame.rejected`, then the channel closes with that reason.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java flushes on every `writeAndFlush`; here writes are coalesced per microtask turn.
 *
 * @mirrors org.apache.rocketmq.remoting.netty.NettyDecoder
 * @mirrors org.apache.rocketmq.remoting.netty.NettyEncoder
 * @mirrors org.apache.rocketmq.remoting.netty.NettyRemotingServer.NettyConnectManageHandler
 * @article send-receive "Framing: where one command ends"
 * @category Remoting
 * @module
 */
import type { Connection } from '../platform/transport.js';
import { ChannelOutboundBuffer } from './channel-outbound-buffer.js';
import { FrameDecodeError, RemotingCommandDecodeError } from './errors.js';
import { FrameDecoder } from './frame-decoder.js';
import type { RemotingCommandCodec } from './remoting-command-codec.js';
import type { RemotingCommand } from './remoting-command.js';
import type { RequestContext } from './request-processor.js';

/** What a channel needs from the client or server that owns it (implemented by RemotingAbstract). */
export interface ChannelOwner {
  readonly codec: RemotingCommandCodec;
  /** A decoded command arrived. */
  processMessageReceived(channel: RemotingChannel, command: RemotingCommand): void;
  /** Bytes could not be decoded; the channel closes right after. */
  frameRejected(channel: RemotingChannel, reason: string): void;
  /** The channel closed (called once). */
  channelClosed(channel: RemotingChannel, reason: string): void;
  /** Backs {@link RequestContext.writeResponse}. */
  writeResponse(channel: RemotingChannel, request: RemotingCommand, response: RemotingCommand): void;
}

export class RemotingChannel implements RequestContext {
  readonly remoteAddress: string;
  readonly localAddress: string;
  private readonly decoder: FrameDecoder;
  private readonly outbox = new ChannelOutboundBuffer();
  private afterFlush: Array<() => void> = [];
  private flushScheduled = false;
  private isClosed = false;

  constructor(readonly connection: Connection, private readonly owner: ChannelOwner, maxFrameLength: number) {
    this.remoteAddress = connection.remoteAddress;
    this.localAddress = connection.localAddress;
    this.decoder = new FrameDecoder((frame) => this.onFrame(frame), { maxFrameLength });
    connection.onData((chunk) => this.onData(chunk));
    connection.onClose((error) => this.close(error === undefined ? 'closed by peer' : `connection error: ${error.message}`));
  }

  get closed(): boolean {
    return this.isClosed || this.connection.closed;
  }

  writeResponse(request: RemotingCommand, response: RemotingCommand): void {
    this.owner.writeResponse(this, request, response);
  }

  /**
   * Queue a command; it goes out with everything else written in this microtask turn.
   * `afterFlush` runs once the bytes were handed to the transport (or dropped on close).
   * Returns false, writing nothing, when the channel is closed.
   */
  write(command: RemotingCommand, afterFlush?: () => void): boolean {
    if (this.closed) return false;
    this.owner.codec.encodeTo(command, this.outbox);
    if (afterFlush !== undefined) this.afterFlush.push(afterFlush);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(this.flush);
    }
    return true;
  }

  /** Close the connection (idempotent); pending writes are flushed first. */
  close(reason: string): void {
    if (this.isClosed) return;
    this.flush();
    this.isClosed = true;
    this.connection.close();
    this.owner.channelClosed(this, reason);
  }

  /** Hand the outbox to the transport: one `send` or `sendMany` per turn. */
  private readonly flush = (): void => {
    this.flushScheduled = false;
    const callbacks = this.afterFlush;
    if (this.outbox.isEmpty && callbacks.length === 0) return;
    // The connection copies (or sends) the chunks before it returns, so the buffer is free again after.
    const chunks = this.outbox.drain();
    if (callbacks.length > 0) this.afterFlush = [];
    if (!this.closed && chunks.length > 0) {
      if (chunks.length === 1) this.connection.send(chunks[0]!);
      else this.connection.sendMany(chunks);
    }
    for (const callback of callbacks) callback();
  };

  private onData(chunk: Uint8Array): void {
    if (this.isClosed) return;
    try {
      this.decoder.push(chunk);
    } catch (error) {
      if (!(error instanceof FrameDecodeError) && !(error instanceof RemotingCommandDecodeError)) throw error;
      this.owner.frameRejected(this, error.reason);
      this.close(`malformed frame: ${error.reason}`);
    }
  }

  private onFrame(frame: Uint8Array): void {
    if (this.isClosed) return; // a processor closed the connection while this chunk was being handled
    const command = this.owner.codec.decode(frame);
    this.owner.processMessageReceived(this, command);
  }
}
