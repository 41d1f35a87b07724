/**
 * Body compression: zlib streams for large message bodies, with the web's own
 * CompressionStream so the client also runs in a browser.
 *
 * A producer deflates a body of at least `compressMsgBodyOverHowmuch` bytes (4096) before
 * sending and sets bit 0 (COMPRESSED) of the message's sysFlag; the broker stores the
 * compressed bytes as they are, and every consumer inflates them after decoding. The
 * stream is zlib format (RFC 1950: a two-byte header, deflate data, an Adler-32 trailer),
 * which is what Java's `Deflater`/`Inflater` read and write, so bodies cross between Java
 * and this client in both directions.
 *
 * ```
 *   78 9C | deflate blocks ... | adler32 (4 bytes, big-endian)
 *   CMF FLG
 * ```
 *
 * The web streams are asynchronous, so compressing is a Promise on the send path and
 * inflating is a step after decoding on the consume path.
 *
 * Differences from RocketMQ 4.9.x:
 * - Java compresses at level 5 (`rocketmq.message.compressLevel`); `CompressionStream`
 *   chooses its own level. The output differs byte for byte but inflates the same.
 * - A body that does not inflate is left as it is (Java throws an IOException from the
 *   decoder and drops the whole pull batch).
 *
 * @mirrors org.apache.rocketmq.common.UtilAll#compress
 * @mirrors org.apache.rocketmq.common.UtilAll#uncompress
 * @article message "Compressed bodies"
 * @category Client
 * @module
 */
import type { MessageExt } from '../common/message/message-ext.js';
import { MessageSysFlag } from '../common/message/message-sys-flag.js';
import { MQClientError } from './errors.js';

interface WebTransformStream {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
}
type WebTransformCtor = new (format: 'deflate') => WebTransformStream;

/** Deflate `bytes` into a zlib stream. */
export function compress(bytes: Uint8Array): Promise<Uint8Array> {
  return pipe('CompressionStream', bytes);
}

/** Inflate a zlib stream. Rejects with MQClientError when `bytes` is not one. */
export function decompress(bytes: Uint8Array): Promise<Uint8Array> {
  return pipe('DecompressionStream', bytes);
}

/**
 * Inflate, in place, the body of every message whose sysFlag has COMPRESSED set (the
 * consumer's step after `decodeMessages`). A body that does not inflate stays as stored.
 */
export async function decompressMessageBodies(messages: readonly MessageExt[]): Promise<void> {
  for (const message of messages) {
    if ((message.sysFlag & MessageSysFlag.COMPRESSED_FLAG) === 0 || message.body.length === 0) continue;
    try {
      message.body = await decompress(message.body);
    } catch {
      // Java: the decode fails; we keep the stored bytes so one bad record cannot stall a queue.
    }
  }
}

async function pipe(kind: 'CompressionStream' | 'DecompressionStream', bytes: Uint8Array): Promise<Uint8Array> {
  const Ctor = (globalThis as Record<string, unknown>)[kind] as WebTransformCtor | undefined;
  if (typeof Ctor !== 'function') throw new MQClientError(-1, `this platform has no ${kind}; compressed bodies are not supported`);
  const stream = new Ctor('deflate');
  const writer = stream.writable.getWriter();
  // A broken stream fails on the read side as well; catching here avoids an unhandled rejection.
  writer.write(bytes).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
    }
  } catch (error) {
    throw new MQClientError(-1, `${kind === 'CompressionStream' ? 'compress' : 'uncompress'} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
