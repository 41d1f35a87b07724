// The whole store on a real disk (NodeFileSystem in a temp directory), at a realistic scale.
//
// Goal: the store works against real files, not just the in-memory disk: 100,000 messages go
// in, the store shuts down and opens again (normal recovery), then takes more messages and
// is abandoned without a shutdown (the abort file stays, as after `kill -9`) and opens again
// (abnormal recovery). After each reopen every message is read back by queue offset and
// compared byte for byte, and a sample of keys is found through the index.
//
// Method: realistic settings except small files (1 MiB commit-log segments, so about 25
// segments roll; small consume-queue and index files). ASYNC_FLUSH on a ManualClock: the
// clock only drives the services (commit, flush, dispatch); the disk is real. Puts go in
// batches of concurrent puts, each batch awaited. A process kill loses nothing that was
// committed (it is in the page cache), so everything acknowledged and committed must survive.
import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { messageStoreConfigFor } from '../../../src/common/config/profiles.js';
import { NodeEvents, NOOP_SINK } from '../../../src/events/event-sink.js';
import { NodeFileSystem } from '../../../src/platform/node/node-file-system.js';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';
import { DefaultMessageStore } from '../../../src/store/default-message-store.js';
import { getAbortFile } from '../../../src/store/store-path.js';
import { keyedMessage, ProcessClock, recordsOf } from '../../unit/store/message-store-test-support.js';

const TOPICS = ['TopicA', 'TopicB', 'TopicC', 'TopicD'];
const QUEUES = 4;
const BATCH = 1000;

const root = nodeFs.mkdtempSync(path.join(os.tmpdir(), 'rocketmq-ts-store-'));
afterAll(() => nodeFs.rmSync(root, { recursive: true, force: true }));

const config = messageStoreConfigFor('realistic', {
  storePathRootDir: root,
  mappedFileSizeCommitLog: 1024 * 1024,
  mappedFileSizeConsumeQueue: 3000 * 20,
  maxMessageSize: 64 * 1024,
  maxHashSlotNum: 20_000,
  maxIndexNum: 80_000,
});
const clock = new ManualClock(1_700_000_000_000);
const fs = new NodeFileSystem();

/** Expected record bytes by "topic/queueId" and queue offset. */
const expected = new Map<string, Uint8Array[]>();
let sequence = 0;

function open(processClock: ProcessClock): DefaultMessageStore {
  const store = new DefaultMessageStore({ fs, clock: processClock, events: new NodeEvents(NOOP_SINK, 'broker-a'), config, storeHost: '10.0.0.1:10911' });
  expect(store.load()).toBe(true);
  store.start();
  return store;
}

/** Put `count` messages in awaited batches; remember each stored record's bytes. */
async function putMessages(store: DefaultMessageStore, count: number): Promise<void> {
  for (let done = 0; done < count; done += BATCH) {
    const batch = [];
    for (let i = 0; i < Math.min(BATCH, count - done); i++) {
      const n = sequence++;
      const topic = TOPICS[n % TOPICS.length]!;
      const queueId = Math.floor(n / TOPICS.length) % QUEUES;
      const body = `message ${n} `.padEnd(20 + (n % 60), '#');
      const keys = n % 10 === 0 ? `key-${n}` : undefined;
      batch.push(store.putMessage(keyedMessage({ topic, queueId, body, tags: `Tag${n % 3}`, ...(keys === undefined ? {} : { keys }) })).then((result) => ({ topic, queueId, result })));
    }
    let wrong = 0; // counted, not expect()ed per message: 100,000 expect() calls cost seconds
    for (const { topic, queueId, result } of await Promise.all(batch)) {
      const list = expected.get(`${topic}/${queueId}`) ?? [];
      expected.set(`${topic}/${queueId}`, list);
      const appended = result.appendMessageResult;
      if (result.putMessageStatus !== 'PUT_OK' || appended === undefined || appended.logicsOffset !== list.length) wrong++;
      else list.push(store.selectOneMessageByOffset(appended.wroteOffset, appended.wroteBytes)!.bytes);
    }
    expect(wrong).toBe(0);
    await clock.advance(10); // commit, dispatch, and now and then a flush
  }
}

/** Pull every queue from offset 0 and compare each record with what was stored. */
function expectEverythingReadable(store: DefaultMessageStore): void {
  let compared = 0;
  let mismatches = 0;
  for (const [name, records] of expected) {
    const [topic, queueId] = name.split('/') as [string, string];
    expect(store.getMaxOffsetInQueue(topic, Number(queueId))).toBe(records.length);
    for (let offset = 0; offset < records.length;) {
      const result = store.getMessage('g', topic, Number(queueId), offset, 32)!;
      expect(result.status).toBe('FOUND');
      for (const [i, record] of recordsOf(result).entries()) {
        const want = records[offset + i]!;
        if (record.length !== want.length || !record.every((b, j) => b === want[j])) mismatches++;
        compared++;
      }
      offset = result.nextBeginOffset;
    }
  }
  expect(mismatches).toBe(0);
  expect(compared).toBe(sequence);
  for (let n = 0; n < sequence; n += 997 * 10) {
    const found = store.queryMessage(TOPICS[n % TOPICS.length]!, `key-${n}`, 32, 0, Number.MAX_SAFE_INTEGER);
    expect(found.messageCount, `key-${n}`).toBe(1);
  }
}

describe('DefaultMessageStore on a real disk', () => {
  it('stores 100,000 messages, reopens after shutdown() (normal recovery) and after an abort (abnormal recovery) with every message readable', async () => {
    const first = new ProcessClock(clock);
    let store = open(first);
    await putMessages(store, 100_000);
    expect(store.commitLog.mappedFileQueue.mappedFiles.length).toBeGreaterThan(10);
    store.shutdown();
    expect(fs.exists(getAbortFile(root))).toBe(false);

    const second = new ProcessClock(clock);
    store = open(second);
    expect(store.lastExitOK).toBe(true);
    expectEverythingReadable(store);

    // More messages, committed to the files, then the process "dies": no shutdown.
    await putMessages(store, 5_000);
    await clock.advance(0);
    expect(store.commitLog.remainHowManyDataToCommit()).toBe(0);
    second.kill();
    expect(fs.exists(getAbortFile(root))).toBe(true);

    store = open(new ProcessClock(clock));
    expect(store.lastExitOK).toBe(false);
    expectEverythingReadable(store);
    store.shutdown();
  });
});
