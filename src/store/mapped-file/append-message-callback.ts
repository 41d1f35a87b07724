/**
 * AppendMessageCallback: how a segment lets its owner encode an append straight into its
 * write window.
 *
 * A `MappedFile` knows positions and bytes, not messages. The commit log knows messages,
 * not where the file's free space starts. So the file calls back: "here are bytes at the
 * write position, and this much of the file is left; write your record and tell me how far
 * to move". The record is encoded once, in place, with no intermediate buffer per message.
 *
 * ```
 *   MappedFile.appendMessagesInner(callback, msg, maxAppendBytes)
 *     make room in the window ──► callback.doAppend(fileFromOffset, position, maxBlank, target, at, msg)
 *                                   writes target[at .. at + n), returns wroteBytes = n
 *     wrote += wroteBytes ◄───────┘ (a BLANK: only 8 bytes written, wroteBytes = maxBlank)
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - A `Uint8Array` plus an index replaces the `ByteBuffer` and its position; the file's
 *   own write position is passed separately, since the window does not start at 0.
 * - One generic method instead of overloads for single and batch messages.
 *
 * @mirrors org.apache.rocketmq.store.AppendMessageCallback
 * @article store "MappedFile: a file you can read like memory"
 * @category Store
 * @module
 */
import type { AppendMessageResult } from '../results.js';

/**
 * Encodes one append straight into the write window. Java: `AppendMessageCallback.doAppend`.
 *
 * The callback writes its record(s) at `target[at..]` and reports how far the write
 * position moves. It may write at most `maxBlank` bytes (what is left of the file), and the
 * MappedFile guarantees `min(maxBlank, maxAppendBytes)` bytes of room at `at`, where
 * `maxAppendBytes` is what the caller promised to `appendMessagesInner`. When the
 * record does not fit the file, it writes a BLANK marker and reports END_OF_FILE with
 * `wroteBytes = maxBlank`, which fills the file.
 */
export interface AppendMessageCallback<M> {
  doAppend(fileFromOffset: number, position: number, maxBlank: number, target: Uint8Array, at: number, msg: M): AppendMessageResult;
}
