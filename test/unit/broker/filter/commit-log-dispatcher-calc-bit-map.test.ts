// CommitLogDispatcherCalcBitMap: for each record of a topic with SQL92 filters, the bloom
// bits of exactly the groups whose expression returned true; nothing for other topics, or
// with enableCalcFilterBitMap off.
import { describe, expect, it } from 'vitest';
import { getConsumerFilterPath } from '../../../../src/broker/config-manager.js';
import { CommitLogDispatcherCalcBitMap } from '../../../../src/broker/filter/commit-log-dispatcher-calc-bit-map.js';
import { ConsumerFilterManager } from '../../../../src/broker/filter/consumer-filter-manager.js';
import { NodeEvents, RecordingSink } from '../../../../src/events/event-sink.js';
import type { Expression } from '../../../../src/filter/expression/expression.js';
import { BitsArray } from '../../../../src/filter/util/bits-array.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import { dispatchRequestOfSize, type DispatchRequest } from '../../../../src/store/dispatch/dispatch-request.js';

function setup(enableCalcFilterBitMap = true) {
  const clock = new ManualClock(1_700_000_000_000);
  const manager = new ConsumerFilterManager({
    fs: new MemoryFileSystem(), configPath: getConsumerFilterPath('/store'), clock, events: new NodeEvents(new RecordingSink(clock), 'broker-a'),
  });
  manager.registerOne('TopicA', 'G1', "a = 'yes'", 'SQL92', 1);
  manager.registerOne('TopicA', 'G2', 'b > 10', 'SQL92', 1);
  manager.registerOne('TopicA', 'G3', 'c IS NULL', 'SQL92', 1);
  const dispatcher = new CommitLogDispatcherCalcBitMap({ brokerConfig: { enableCalcFilterBitMap }, consumerFilterManager: manager });
  return { manager, dispatcher };
}

function request(topic: string, properties: Record<string, string>): DispatchRequest {
  return { ...dispatchRequestOfSize(100, true), topic, propertiesMap: new Map(Object.entries(properties)) };
}

/** The bit map the given groups' positions make on TopicA. */
function bitsOf(manager: ConsumerFilterManager, ...groups: string[]): Uint8Array {
  const bits = BitsArray.create(manager.bloomFilter.m);
  for (const group of groups) manager.bloomFilter.hashTo(manager.bloomFilter.generate(`${group}#TopicA`), bits);
  return bits.bytes;
}

describe('CommitLogDispatcherCalcBitMap', () => {
  it('dispatch() ORs in the bloom bits of every group whose expression is true, as 14 bytes (m = 112)', () => {
    const { manager, dispatcher } = setup();
    const cases: Array<[Record<string, string>, string[]]> = [
      [{ a: 'yes', b: '11', c: 'x' }, ['G1', 'G2']],
      [{ a: 'no', b: '3' }, ['G3']],
      [{ a: 'yes' }, ['G1', 'G3']], // b missing: b > 10 is null, not true
      [{ a: 'no', b: 'seven', c: '' }, []], // a string b compares to nothing
    ];
    for (const [properties, groups] of cases) {
      const r = request('TopicA', properties);
      dispatcher.dispatch(r);
      expect(r.bitMap).toHaveLength(14);
      expect(r.bitMap).toEqual(bitsOf(manager, ...groups));
    }
  });

  it('dispatch() leaves bitMap unset for a topic without filters, and with enableCalcFilterBitMap off', () => {
    const other = request('TopicB', { a: 'yes' });
    setup().dispatcher.dispatch(other);
    expect(other.bitMap).toBeUndefined();
    const off = request('TopicA', { a: 'yes' });
    setup(false).dispatcher.dispatch(off);
    expect(off.bitMap).toBeUndefined();
  });

  it('dispatch() skips a filter without a compiled expression, and one whose evaluation throws, and still runs the others', () => {
    const { manager, dispatcher } = setup();
    manager.get('TopicA', 'G3')!.compiledExpression = undefined;
    const throwing: Expression = { evaluate: () => { throw new Error('boom'); }, toString: () => 'boom' };
    manager.get('TopicA', 'G2')!.compiledExpression = throwing;
    const r = request('TopicA', { a: 'yes', b: '50' });
    dispatcher.dispatch(r);
    expect(r.bitMap).toEqual(bitsOf(manager, 'G1'));
  });
});
