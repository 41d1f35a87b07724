// The SQL92 bloom pre-filter end to end inside one broker's store: the real
// ConsumerFilterManager, CommitLogDispatcherCalcBitMap, ConsumeQueueExt and
// ExpressionMessageFilter, with enableCalcFilterBitMap and enableConsumeQueueExt on.
//
// Goal: a pull never reads from the commit log a message whose bit map lacks one of its
// group's bits, and a bloom false positive (all bits set by other groups) is still dropped by
// the SQL check on the record. Method: count commit-log reads with a spy on the commit log's
// `findMappedFileByOffset` (one call per record a pull copies) while pulling; a probe group is
// chosen whose three bit positions all belong to two other groups, so that every message
// matching both of those is a false positive for it.
import { describe, expect, it, vi } from 'vitest';
import { getConsumerFilterPath } from '../../../src/broker/config-manager.js';
import { CommitLogDispatcherCalcBitMap } from '../../../src/broker/filter/commit-log-dispatcher-calc-bit-map.js';
import { ConsumerFilterManager } from '../../../src/broker/filter/consumer-filter-manager.js';
import { ExpressionMessageFilter } from '../../../src/broker/filter/expression-message-filter.js';
import { buildSubscriptionData } from '../../../src/common/filter/filter-api.js';
import { BitsArray } from '../../../src/filter/util/bits-array.js';
import { checkMessageAndReturnSize } from '../../../src/store/commitlog/commit-log-record-reader.js';
import type { DefaultMessageStore } from '../../../src/store/default-message-store.js';
import { ProcessClock, keyedMessage, newStore, recordsOf, storeRig, type StoreRig } from '../../unit/store/message-store-test-support.js';

const TOPIC = 'TopicA';
const TOTAL = 60;
const GROUPS: Record<string, string> = { G1: "a = 'yes'", G2: 'b > 10' };

/** Message i: a = yes on even i, b = 20 on every third i (else 5), c never "never". */
function propertiesOf(i: number): Record<string, string> {
  return { a: i % 2 === 0 ? 'yes' : 'no', b: i % 3 === 0 ? '20' : '5', c: `c${i}` };
}

/** A group name whose bit positions on TOPIC are all among `taken` (a guaranteed bloom false positive). */
function probeGroup(manager: ConsumerFilterManager, taken: ReadonlySet<number>): string {
  for (let i = 0; i < 1_000_000; i++) {
    const positions = manager.bloomFilter.calcBitPositions(`P${i}#${TOPIC}`);
    if (positions.every((p) => taken.has(p))) return `P${i}`;
  }
  throw new Error('no probe group found');
}

interface World {
  rig: StoreRig;
  store: DefaultMessageStore;
  manager: ConsumerFilterManager;
  probe: string;
}

async function world(): Promise<World> {
  const rig = storeRig({ enableConsumeQueueExt: true, mappedFileSizeConsumeQueueExt: 4096, mappedFileSizeConsumeQueue: 100 * 20, consumeQueueWriteBufferBytes: 100 * 20 });
  const manager = new ConsumerFilterManager({ fs: rig.fs, configPath: getConsumerFilterPath('/store'), clock: rig.clock, events: rig.events });
  for (const [group, expression] of Object.entries(GROUPS)) expect(manager.registerOne(TOPIC, group, expression, 'SQL92', 1)).toBe(true);
  const taken = new Set(Object.keys(GROUPS).flatMap((g) => manager.get(TOPIC, g)!.bloomFilterData!.bitPos));
  const probe = probeGroup(manager, taken);
  expect(manager.registerOne(TOPIC, probe, "c = 'never'", 'SQL92', 1)).toBe(true);
  await rig.clock.advance(1); // bit maps only speak for messages stored after the filter was born
  rig.process = new ProcessClock(rig.clock);
  const store = (rig.store = newStore(rig.fs, rig.process, rig.events, rig.config));
  store.dispatcherList.unshift(new CommitLogDispatcherCalcBitMap({ brokerConfig: { enableCalcFilterBitMap: true }, consumerFilterManager: manager }));
  expect(store.load()).toBe(true);
  store.start();
  for (let i = 0; i < TOTAL; i++) {
    const put = await store.putMessage(keyedMessage({ topic: TOPIC, body: `m${i}`, properties: propertiesOf(i) }));
    expect(put.putMessageStatus).toBe('PUT_OK');
  }
  await rig.clock.advance(0);
  return { rig, store, manager, probe };
}

/** Pull the whole queue for `group`; the queue offsets served and the queue offsets read from the commit log. */
function pullAll(w: World, group: string, expression: string): { served: number[]; read: number[]; filter: ExpressionMessageFilter } {
  const { store } = w;
  const queue = store.consumeQueueTable.getConsumeQueue(TOPIC, 0)!;
  const queueOffsetOf = new Map<number, number>();
  for (let i = 0; i < queue.getMaxOffsetInQueue(); i++) queueOffsetOf.set(queue.getUnit(i)!.physicalOffset, i);
  const filter = new ExpressionMessageFilter(buildSubscriptionData(TOPIC, expression, 'SQL92', 1), w.manager.get(TOPIC, group), w.manager);
  const spy = vi.spyOn(store.commitLog.mappedFileQueue, 'findMappedFileByOffset');
  const served: number[] = [];
  for (let offset = 0; offset < queue.getMaxOffsetInQueue();) {
    const result = store.getMessage(group, TOPIC, 0, offset, 32, filter)!;
    served.push(...recordsOf(result).map((r) => checkMessageAndReturnSize(r, 0, false).consumeQueueOffset));
    offset = result.nextBeginOffset;
  }
  const read = spy.mock.calls.map(([physOffset]) => queueOffsetOf.get(physOffset)!);
  spy.mockRestore();
  return { served, read, filter };
}

/** The queue offsets whose stored bit map has every bit of `group`. */
function bitHits(w: World, group: string): number[] {
  const queue = w.store.consumeQueueTable.getConsumeQueue(TOPIC, 0)!;
  const data = w.manager.get(TOPIC, group)!.bloomFilterData!;
  const hits: number[] = [];
  for (let i = 0; i < TOTAL; i++) {
    const bitMap = queue.getUnit(i)!.cqExtUnit!.filterBitMap!;
    if (w.manager.bloomFilter.isHit(data, BitsArray.create(bitMap))) hits.push(i);
  }
  return hits;
}

const range = (predicate: (i: number) => boolean) => Array.from({ length: TOTAL }, (_, i) => i).filter(predicate);

describe('the bloom pre-filter (enableCalcFilterBitMap + enableConsumeQueueExt)', () => {
  it('every stored unit carries a 14-byte bit map with the bits of exactly the groups that matched', async () => {
    const w = await world();
    const queue = w.store.consumeQueueTable.getConsumeQueue(TOPIC, 0)!;
    for (let i = 0; i < TOTAL; i++) {
      const expected = BitsArray.create(w.manager.bloomFilter.m);
      const p = propertiesOf(i);
      if (p.a === 'yes') w.manager.bloomFilter.hashTo(w.manager.get(TOPIC, 'G1')!.bloomFilterData!, expected);
      if (Number(p.b) > 10) w.manager.bloomFilter.hashTo(w.manager.get(TOPIC, 'G2')!.bloomFilterData!, expected);
      expect(queue.getUnit(i)!.cqExtUnit!.filterBitMap).toEqual(expected.bytes);
    }
  });

  it('a pull reads from the commit log only the messages whose bits are all set, and serves only those whose SQL matches', async () => {
    const w = await world();
    for (const [group, expression] of Object.entries(GROUPS)) {
      const hits = bitHits(w, group);
      const { served, read, filter } = pullAll(w, group, expression);
      const matching = range((i) => (group === 'G1' ? propertiesOf(i).a === 'yes' : Number(propertiesOf(i).b) > 10));
      expect(served).toEqual(matching);
      expect(read).toEqual(hits); // nothing outside the bit hits was ever read
      expect(read.length).toBeLessThan(TOTAL);
      expect(filter.stats).toMatchObject({ bitMapChecked: TOTAL, bitMapHit: hits.length, commitLogChecked: hits.length, commitLogMatched: matching.length });
    }
  });

  it('a bloom false positive costs a commit-log read, and the SQL check on the record drops it', async () => {
    const w = await world();
    const { served, read, filter } = pullAll(w, w.probe, "c = 'never'");
    const bothOthers = range((i) => propertiesOf(i).a === 'yes' && Number(propertiesOf(i).b) > 10);
    expect(bothOthers.length).toBeGreaterThan(0);
    expect(read).toEqual(bitHits(w, w.probe));
    expect(read).toEqual(expect.arrayContaining(bothOthers)); // its bits were all set by G1 and G2
    expect(served).toEqual([]);
    expect(filter.stats.commitLogMatched).toBe(0);
  });
});
