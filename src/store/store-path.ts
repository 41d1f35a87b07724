/**
 * StorePathConfigHelper: where each part of the store lives under the root directory.
 *
 * ```
 *   <storePathRootDir>/
 *     commitlog/                 segments named by 20-digit start offset (config: storePathCommitLog)
 *     consumequeue/<topic>/<queueId>/   consume-queue files, same naming
 *     consumequeue_ext/<topic>/<queueId>/  consume-queue ext files (enableConsumeQueueExt only)
 *     index/                     index files named yyyyMMddHHmmssSSS
 *     checkpoint                 3 longs: physic, logics, index timestamps
 *     abort                      exists while the store runs; left behind by a crash
 *     lock                       held while the store runs
 *     config/                    topics.json, consumerOffset.json, delayOffset.json, ...
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - Paths are joined with `/` by `joinPath` (browser-safe), not `File.separator`.
 * - The transaction redo-log path is left out (not modelled).
 *
 * @mirrors org.apache.rocketmq.store.config.StorePathConfigHelper
 * @article store "Where the bytes live"
 * @category Store
 * @module
 */
import { joinPath } from '../platform/storage.js';

/** Directory holding one directory per topic, each holding one directory per queue id. */
export function getStorePathConsumeQueue(rootDir: string): string {
  return joinPath(rootDir, 'consumequeue');
}

/** Directory of one consume queue's files: `<root>/consumequeue/<topic>/<queueId>`. */
export function getStorePathConsumeQueueOf(rootDir: string, topic: string, queueId: number): string {
  return joinPath(getStorePathConsumeQueue(rootDir), topic, String(queueId));
}

/** Directory holding the consume-queue ext files, by topic and queue id (Java `getStorePathConsumeQueueExt`). */
export function getStorePathConsumeQueueExt(rootDir: string): string {
  return joinPath(rootDir, 'consumequeue_ext');
}

/** Directory of one consume queue's ext files: `<root>/consumequeue_ext/<topic>/<queueId>`. */
export function getStorePathConsumeQueueExtOf(rootDir: string, topic: string, queueId: number): string {
  return joinPath(getStorePathConsumeQueueExt(rootDir), topic, String(queueId));
}

/** Directory of the index files. */
export function getStorePathIndex(rootDir: string): string {
  return joinPath(rootDir, 'index');
}

/** The checkpoint file. */
export function getStoreCheckpoint(rootDir: string): string {
  return joinPath(rootDir, 'checkpoint');
}

/** The abort marker: created at start, deleted on a clean shutdown. */
export function getAbortFile(rootDir: string): string {
  return joinPath(rootDir, 'abort');
}

/** The lock file held while the store runs. */
export function getLockFile(rootDir: string): string {
  return joinPath(rootDir, 'lock');
}

/** Directory of the JSON config files (topics, offsets, subscription groups, delay offsets). */
export function getConfigDir(rootDir: string): string {
  return joinPath(rootDir, 'config');
}

/** The delay-offset table of scheduled messages. */
export function getDelayOffsetStorePath(rootDir: string): string {
  return joinPath(getConfigDir(rootDir), 'delayOffset.json');
}
