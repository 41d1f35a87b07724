// The consume-queue ext inside a whole store: bit maps reach pulls, pulls skip messages by
// their bits without reading the commit log, and crashes never leave a consume-queue unit
// pointing at a lost ext unit.
//
// Method: a DefaultMessageStore on the MemoryFileSystem with `enableConsumeQueueExt`, and a
// stand-in for the broker's CalcBitMap dispatcher put first in its dispatcher list (as the
// broker does): it sets bit 0 for messages whose property `a` is "yes", and also, playing a
// bloom-filter false positive, for messages with `fp` = "1". The filter tests bit 0 at the
// consume queue and re-checks `a` on the record, as the SQL92 filter does.
import { describe, expect, it, vi } from 'vitest';
import { viewOf } from '../../../src/common/bytes.js';
import type { MessageStoreConfig } from '../../../src/common/config/message-store-config.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { checkMessageAndReturnSize } from '../../../src/store/commitlog/commit-log-record-reader.js';
import { readExtOffset } from '../../../src/store/consumequeue/consume-queue-ext.js';
import { CQ_STORE_UNIT_SIZE, CQ_TAGS_CODE_POSITION, unitTagsCode } from '../../../src/store/consumequeue/consume-queue-unit.js';
import type { DefaultMessageStore } from '../../../src/store/default-message-store.js';
import type { CommitLogDispatcher } from '../../../src/store/dispatch/commit-log-dispatcher.js';
import type { DispatchRequest } from '../../../src/store/dispatch/dispatch-request.js';
import type { CqExtUnit, MessageFilter } from '../../../src/store/message-store.js';
import { tagsString2tagsCode } from '../../../src/common/message/message-ext.js';
import { ProcessClock, crash, keyedMessage, newStore, recordsOf, storeRig, type StoreRig } from '../../unit/store/message-store-test-support.js';

const EXT_ON: Partial<MessageStoreConfig> = { enableConsumeQueueExt: true, mappedFileSizeConsumeQueueExt: 256 };

/** The stand-in CalcBitMap: one 14-byte bit map per message of TopicA (Java sets one only for topics with filters). */
class FakeCalcBitMap implements CommitLogDispatcher {
  calls = 0;
  dispatch(request: DispatchRequest): void {
    if (request.topic !== 'TopicA') return;
    this.calls++;
    request.bitMap = expectedBitMap(request.propertiesMap);
  }
}

function expectedBitMap(properties: ReadonlyMap<string, string> | undefined): Uint8Array {
  const bits = new Uint8Array(14);
  if (properties?.get('a') === 'yes' || properties?.get('fp') === '1') bits[0] = 0x80;
  return bits;
}

/** What the SQL92 filter of a group with expression `a = 'yes'` does, at both levels. */
function bitFilter(): MessageFilter & { readonly commitLogChecks: number[] } {
  const commitLogChecks: number[] = [];
  return {
    commitLogChecks,
    isMatchedByConsumeQueue: (_tagsCode: number | undefined, ext?: CqExtUnit) => ext?.filterBitMap === undefined || (ext.filterBitMap[0]! & 0x80) !== 0,
    isMatchedByCommitLog: (record: Uint8Array) => {
      const request = checkMessageAndReturnSize(record, 0, false);
      commitLogChecks.push(request.consumeQueueOffset);
      return request.propertiesMap?.get('a') === 'yes';
    },
  };
}

/** load() + start() a new store object on the rig's disk, with the bit-map dispatcher first. */
function open(rig: StoreRig, calc = new FakeCalcBitMap()): DefaultMessageStore {
  rig.process = new ProcessClock(rig.clock);
  rig.store = newStore(rig.fs, rig.process, rig.events, rig.config);
  rig.store.dispatcherList.unshift(calc); // Java: getDispatcherList().addFirst(...), before load()
  if (!rig.store.load()) throw new Error('load() failed');
  rig.store.start();
  return rig.store;
}

/** Properties of message i: every third matches, message 4 is a false positive. */
function propertiesOf(i: number): Record<string, string> {
  return { a: i % 3 === 0 ? 'yes' : 'no', ...(i === 4 ? { fp: '1' } : {}), n: String(i) };
}

async function putAll(rig: StoreRig, from: number, to: number, queueId = 0): Promise<void> {
  for (let i = from; i < to; i++) {
    const result = await rig.store.putMessage(keyedMessage({ topic: 'TopicA', queueId, tags: `T${i % 2}`, properties: propertiesOf(i) }));
    expect(result.putMessageStatus).toBe('PUT_OK');
  }
  await rig.clock.advance(0);
}

/** Pull TopicA queue `queueId` from `from` to its end (a pull stops at the end of a consume-queue file); the queue offsets served. */
function pullAll(store: DefaultMessageStore, queueId: number, filter: MessageFilter, from = 0): number[] {
  const served: number[] = [];
  for (let offset = from; offset < store.getMaxOffsetInQueue('TopicA', queueId);) {
    const result = store.getMessage('g', 'TopicA', queueId, offset, 32, filter)!;
    served.push(...recordsOf(result).map((r) => checkMessageAndReturnSize(r, 0, false).consumeQueueOffset));
    expect(result.nextBeginOffset).toBeGreaterThan(offset);
    offset = result.nextBeginOffset;
  }
  return served;
}

/** Every unit of every TopicA queue points at a readable ext unit that says what the record says. */
function expectConsistent(store: DefaultMessageStore): number {
  let checked = 0;
  for (const queue of store.consumeQueueTable.queuesOf('TopicA').values()) {
    const ext = queue.consumeQueueExt!;
    for (let i = queue.getMinOffsetInQueue(); i < queue.getMaxOffsetInQueue(); i++) {
      const raw = queue.getIndexBuffer(i, 1)!;
      const extOffset = readExtOffset(viewOf(raw.bytes), CQ_TAGS_CODE_POSITION);
      expect(extOffset).toBeGreaterThanOrEqual(0);
      expect(extOffset).toBeLessThan(ext.getMaxOffset());
      const unit = queue.getUnit(i)!;
      const message = store.lookMessageByOffset(unit.physicalOffset)!;
      expect(unit.cqExtUnit).toEqual({ tagsCode: tagsString2tagsCode(message.tags), msgStoreTime: message.storeTimestamp, filterBitMap: expectedBitMap(message.properties) });
      checked++;
    }
  }
  return checked;
}

describe('ConsumeQueueExt in the store', () => {
  it('a pull never reads from the commit log a message whose group bit is clear; a false positive is dropped by the record check', async () => {
    const rig = storeRig(EXT_ON);
    const calc = new FakeCalcBitMap();
    open(rig, calc);
    await putAll(rig, 0, 12);
    expect(calc.calls).toBe(12);
    const filter = bitFilter();
    const reads = vi.spyOn(rig.store.commitLog.mappedFileQueue, 'findMappedFileByOffset');
    const served = pullAll(rig.store, 0, filter);
    const readOffsets = reads.mock.calls.map(([offset]) => offset);
    reads.mockRestore();
    expect(served).toEqual([0, 3, 6, 9]);
    expect(filter.commitLogChecks).toEqual([0, 3, 4, 6, 9]); // the bits let message 4 through; its record did not match
    expect(readOffsets).toHaveLength(5); // one commit-log read per message that passed the bit test, none for the other 7
    expect(rig.store.getMessage('g', 'TopicA', 0, 10, 32, filter)).toMatchObject({ status: 'NO_MATCHED_MESSAGE', nextBeginOffset: 12 });
    // Only the ext units carry the tags codes: the 20-byte units hold decorated addresses.
    const units = rig.store.consumeQueueTable.getConsumeQueue('TopicA', 0)!.getIndexBuffer(0, 2)!;
    expect(Number.isNaN(unitTagsCode(viewOf(units.bytes), CQ_STORE_UNIT_SIZE))).toBe(true);
    expect(expectConsistent(rig.store)).toBe(12);
  });

  it('a unit without a bit map (a topic no SQL92 filter asks about) passes the consume-queue check with its tags code', async () => {
    const rig = storeRig(EXT_ON);
    open(rig);
    const put = await rig.store.putMessage(keyedMessage({ topic: 'TopicB', tags: 'TagX' }));
    expect(put.putMessageStatus).toBe('PUT_OK');
    await rig.clock.advance(0);
    const seen: Array<[number | undefined, CqExtUnit | undefined]> = [];
    const result = rig.store.getMessage('g', 'TopicB', 0, 0, 32, {
      isMatchedByConsumeQueue: (tagsCode, ext) => seen.push([tagsCode, ext]) > 0,
      isMatchedByCommitLog: () => true,
    })!;
    expect(result.status).toBe('FOUND');
    expect(seen).toEqual([[tagsString2tagsCode('TagX'), { tagsCode: tagsString2tagsCode('TagX'), msgStoreTime: expect.any(Number), filterBitMap: undefined }]]);
  });

  it('with enableConsumeQueueExt off nothing changes: no ext directory, plain tags codes, no ext unit for the filter', async () => {
    const rig = storeRig();
    open(rig);
    await putAll(rig, 0, 3);
    expect(rig.fs.exists('/store/consumequeue_ext')).toBe(false);
    const queue = rig.store.consumeQueueTable.getConsumeQueue('TopicA', 0)!;
    expect(queue.consumeQueueExt).toBeUndefined();
    expect(queue.getUnit(1)).toEqual({ physicalOffset: expect.any(Number), size: expect.any(Number), tagsCode: tagsString2tagsCode('T1') });
    const filter = bitFilter();
    expect(pullAll(rig.store, 0, filter)).toEqual([0]); // no bits: every record is checked
    expect(filter.commitLogChecks).toEqual([0, 1, 2]);
  });

  it('a restart keeps both files and goes on appending after the last ext unit', async () => {
    const rig = storeRig(EXT_ON);
    open(rig);
    await putAll(rig, 0, 10);
    rig.store.shutdown();
    rig.process.kill();
    open(rig);
    await putAll(rig, 10, 16);
    expect(expectConsistent(rig.store)).toBe(16);
    expect(pullAll(rig.store, 0, bitFilter())).toEqual([0, 3, 6, 9, 12, 15]);
  });

  // Goal: whatever reached the disk of the two files when the power failed, the reopened
  // store's consume queues point only at ext units that exist and say the right thing, also
  // after a second crash that follows a recovery cut (stale ext units must not come back).
  // Method: per seed, random puts over two queues with random flushes of the commit log, the
  // consume queues alone, the ext files alone, or the flush services, then a crash; twice.
  it('after a crash (random flush orders, several seeds) no unit points at a missing or stale ext unit', async () => {
    for (let seed = 1; seed <= 8; seed++) {
      const random = new SeededRandom(seed);
      const rig = storeRig(EXT_ON);
      open(rig);
      let count = 0;
      for (let round = 0; round < 2; round++) {
        for (let step = 0; step < 20; step++) {
          const n = 1 + random.int(4);
          await putAll(rig, count, count + n, random.int(2));
          count += n;
          const queues = [...rig.store.consumeQueueTable.queuesOf('TopicA').values()];
          switch (random.int(5)) {
            case 0: rig.store.flush(); break;
            case 1: for (const q of queues) q.mappedFileQueue.flush(0); break; // the units, not their ext units
            case 2: for (const q of queues) q.consumeQueueExt!.flush(0); break;
            case 3: await rig.clock.advance(1000); break; // the flush services, in their own order
            default: break;
          }
        }
        rig.store.flush();
        crash(rig);
        open(rig);
        expectConsistent(rig.store);
      }
      await putAll(rig, count, count + 3);
      expectConsistent(rig.store);
      // The bit filter serves exactly the units whose message matches, each once.
      for (const queue of rig.store.consumeQueueTable.queuesOf('TopicA').values()) {
        const expected: number[] = [];
        for (let i = queue.getMinOffsetInQueue(); i < queue.getMaxOffsetInQueue(); i++) {
          if (rig.store.lookMessageByOffset(queue.getUnit(i)!.physicalOffset)!.properties.get('a') === 'yes') expected.push(i);
        }
        expect(pullAll(rig.store, queue.queueId, bitFilter(), queue.getMinOffsetInQueue())).toEqual(expected);
      }
    }
  });
});
