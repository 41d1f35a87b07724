/**
 * Config profiles: the same config names, sized for a server or for a lesson.
 *
 * RocketMQ's defaults are sized for servers: 1 GiB commit-log segments, 6,000,000-byte
 * consume-queue files, 5,000,000 hash slots per index file. At those sizes a walkthrough
 * would need a million messages before anything interesting happens to a file. The
 * `teaching` profile keeps every name and every rule and only shrinks the numbers: a
 * 4 KiB commit-log segment rolls over after a dozen small messages, a consume-queue file
 * holds 10 units, an index file 32 entries. The `realistic` profile is Java's defaults.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ (it has only the server sizes).
 *
 * @article store "Segments, sized for reading"
 * @category Common
 * @module
 */
import { defaultMessageStoreConfig, type MessageStoreConfig } from './message-store-config.js';

/** The profile names. */
export type ConfigProfile = 'realistic' | 'teaching';

/**
 * What `teaching` changes, and nothing else. Sizes keep Java's relationships: a record
 * must fit in a segment with 8 bytes to spare (the BLANK marker), so `maxMessageSize`
 * is half a segment; write windows are capped at the file size anyway.
 */
export const TEACHING_MESSAGE_STORE_OVERRIDES: Readonly<Partial<MessageStoreConfig>> = {
  mappedFileSizeCommitLog: 4 * 1024,
  mappedFileSizeConsumeQueue: 10 * 20,
  commitLogWriteBufferBytes: 4 * 1024,
  consumeQueueWriteBufferBytes: 10 * 20,
  maxMessageSize: 2 * 1024,
  maxHashSlotNum: 8,
  maxIndexNum: 32,
};

/** A fresh MessageStoreConfig for a profile, with optional overrides applied last. */
export function messageStoreConfigFor(profile: ConfigProfile, overrides: Partial<MessageStoreConfig> = {}): MessageStoreConfig {
  const base = defaultMessageStoreConfig();
  const profileOverrides = profile === 'teaching' ? TEACHING_MESSAGE_STORE_OVERRIDES : {};
  return { ...base, ...profileOverrides, ...overrides };
}
