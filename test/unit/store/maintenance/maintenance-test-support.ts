// A small store for the maintenance tests, built from its parts (CommitLog, ConsumeQueueTable,
// IndexService, StoreCheckpoint) because DefaultMessageStore does not exist yet: puts go to
// the commit log, and `dispatch()` plays the reput service, reading each new record back and
// appending its consume-queue unit and index keys.
import { messageStoreConfigFor } from '../../../../src/common/config/profiles.js';
import type { MessageStoreConfig } from '../../../../src/common/config/message-store-config.js';
import { MessageConst } from '../../../../src/common/message/message-const.js';
import { timeMillisOf } from '../../../../src/common/time-format.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import { StoreCheckpoint } from '../../../../src/store/checkpoint/store-checkpoint.js';
import { CommitLog } from '../../../../src/store/commitlog/commit-log.js';
import { checkMessageAndReturnSize } from '../../../../src/store/commitlog/commit-log-record-reader.js';
import { ConsumeQueueTable } from '../../../../src/store/consumequeue/consume-queue-table.js';
import { IndexService } from '../../../../src/store/index/index-service.js';
import { getStoreCheckpoint, getStorePathConsumeQueue } from '../../../../src/store/store-path.js';
import { brokerMessage, recordingEvents, type TestMessageOptions } from '../store-test-support.js';

/** Commit-log segment size of the fixture. */
export const SEGMENT_BYTES = 1024;
export const ROOT = '/store';
/** 2024-01-01 00:00 UTC: hour 0, so "04" is four hours away. */
export const MIDNIGHT = timeMillisOf({ year: 2024, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 });
export const HOUR_MS = 3_600_000;

export interface FixtureOptions {
  /** MemoryFileSystem disk size; the default (1 TiB) means no disk pressure. */
  capacityBytes?: number;
  config?: Partial<MessageStoreConfig>;
}

export function storeFixture(options: FixtureOptions = {}) {
  const clock = new ManualClock(MIDNIGHT);
  const fs = new MemoryFileSystem({ clock, ...(options.capacityBytes === undefined ? {} : { capacityBytes: options.capacityBytes }) });
  const { sink, events } = recordingEvents(clock);
  const config = messageStoreConfigFor('teaching', {
    storePathRootDir: ROOT, mappedFileSizeCommitLog: SEGMENT_BYTES, commitLogWriteBufferBytes: SEGMENT_BYTES, maxMessageSize: 512,
    ...options.config,
  });
  const commitLog = new CommitLog({ fs, clock, events, config, storeHost: '10.0.0.1:10911' });
  const consumeQueueTable = new ConsumeQueueTable({
    fs, clock, events, config,
    pickupStoreTimestamp: (offset, size) => commitLog.pickupStoreTimestamp(offset, size),
    getMinPhyOffset: () => commitLog.getMinOffset(),
  });
  const checkpoint = StoreCheckpoint.load(fs, getStoreCheckpoint(ROOT), events);
  const indexService = new IndexService({
    fs, clock, events, checkpoint, storePathRootDir: ROOT, maxHashSlotNum: config.maxHashSlotNum, maxIndexNum: config.maxIndexNum,
  });
  // Java's DefaultMessageStore creates both directories at construction; the disk check measures them.
  fs.mkdirp(`${ROOT}/commitlog`);
  fs.mkdirp(getStorePathConsumeQueue(ROOT));

  let dispatchedTo = 0;
  /** Play the reput service: dispatch every record appended since the last call. */
  function dispatch(): void {
    while (dispatchedTo < commitLog.getMaxOffset()) {
      const data = commitLog.getData(dispatchedTo, SEGMENT_BYTES, true);
      if (data === undefined) break;
      const request = checkMessageAndReturnSize(data.bytes, 0, true);
      if (!request.success) throw new Error(`bad record at ${dispatchedTo}`);
      if (request.msgSize === 0) {
        dispatchedTo = commitLog.rollNextFile(dispatchedTo); // BLANK: the rest of the segment
        continue;
      }
      consumeQueueTable.findConsumeQueue(request.topic, request.queueId)
        .putMessagePositionInfo(request.commitLogOffset, request.msgSize, request.tagsCode, request.consumeQueueOffset);
      consumeQueueTable.dispatchedMsgTimestamp = request.storeTimestamp;
      indexService.buildIndex(request);
      dispatchedTo += request.msgSize;
    }
  }

  let sequence = 0;
  /** Put `count` messages (each with its own UNIQ_KEY), then dispatch them. */
  async function put(count: number, message: TestMessageOptions = {}): Promise<void> {
    for (let i = 0; i < count; i++) {
      const uniqKey = `K${String(sequence++).padStart(4, '0')}`;
      const result = await commitLog.putMessage(brokerMessage({ ...message, properties: { [MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX]: uniqKey } }));
      if (result.putMessageStatus !== 'PUT_OK') throw new Error(`put failed: ${result.putMessageStatus}`);
    }
    dispatch();
  }

  /** Put messages until segment number `files - 1` has its first record (deleted segments count too). */
  async function fillSegments(files: number, message: TestMessageOptions = {}): Promise<void> {
    while (commitLog.getMaxOffset() <= (files - 1) * SEGMENT_BYTES) await put(1, message);
  }

  const segmentNames = () => commitLog.mappedFileQueue.mappedFiles.map((f) => f.fileFromOffset);
  const usedRatio = () => {
    const space = fs.diskSpace(ROOT);
    return (space.totalBytes - space.freeBytes) / space.totalBytes;
  };

  return { clock, fs, sink, events, config, commitLog, consumeQueueTable, checkpoint, indexService, put, fillSegments, dispatch, segmentNames, usedRatio };
}

export type StoreFixture = ReturnType<typeof storeFixture>;

/**
 * A fixture whose disk is `ratio` full right after `fill` ran. Building twice is
 * deterministic, so the first build measures the bytes `fill` leaves on the disk and the
 * second gets a capacity that makes them the wanted share.
 */
export async function storeFixtureAtUsage(ratio: number, fill: (f: StoreFixture) => Promise<void>, config: Partial<MessageStoreConfig> = {}): Promise<StoreFixture> {
  const probe = storeFixture({ config });
  await fill(probe);
  const space = probe.fs.diskSpace(ROOT);
  const usedBytes = space.totalBytes - space.freeBytes;
  const fixture = storeFixture({ config, capacityBytes: Math.floor(usedBytes / ratio) });
  await fill(fixture);
  return fixture;
}
