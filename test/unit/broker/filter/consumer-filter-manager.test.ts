// ConsumerFilterManager: SQL92 filters registered from heartbeats (newest subVersion wins,
// TAG ignored, bad expressions skipped), marked dead when the group goes, cleaned after the
// clean time span, and persisted to consumerFilter.json and loaded back (all dead until the
// consumers speak again; the whole file ignored when the bloom filter settings changed).
import { describe, expect, it } from 'vitest';
import { getConsumerFilterPath } from '../../../../src/broker/config-manager.js';
import { ConsumerFilterManager } from '../../../../src/broker/filter/consumer-filter-manager.js';
import { buildSubscriptionData } from '../../../../src/common/filter/filter-api.js';
import { NodeEvents, RecordingSink } from '../../../../src/events/event-sink.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';

const PATH = getConsumerFilterPath('/store');
const T0 = 1_700_000_000_000;
const DAY = 24 * 3600 * 1000;

function setup(fs = new MemoryFileSystem(), options: { expectConsumerNumUseFilter?: number } = {}) {
  const clock = new ManualClock(T0);
  const sink = new RecordingSink(clock);
  const manager = new ConsumerFilterManager({ fs, configPath: PATH, clock, events: new NodeEvents(sink, 'broker-a'), ...options });
  return { fs, clock, sink, manager };
}

const sql = (topic: string, expression: string, subVersion: number) => buildSubscriptionData(topic, expression, 'SQL92', subVersion);

describe('ConsumerFilterManager', () => {
  it('uses a bloom filter of k=3, m=112 (20 %, 32 consumers) and gives each "group#topic" its own bit positions', () => {
    const { manager } = setup();
    expect([manager.bloomFilter.k, manager.bloomFilter.m]).toEqual([3, 112]);
    manager.register('CG', [sql('TopicA', 'a > 5', 100)]);
    const data = manager.get('TopicA', 'CG')!;
    expect(data.bloomFilterData).toEqual(manager.bloomFilter.generate('CG#TopicA'));
    expect(data.bloomFilterData!.bitNum).toBe(112);
    expect(data.bloomFilterData!.bitPos).toHaveLength(3);
  });

  it('register() compiles SQL92 subscriptions, ignores TAG ones, and keeps the newest clientVersion', () => {
    const { manager, sink } = setup();
    manager.register('CG', [sql('TopicA', 'a > 5', 100), buildSubscriptionData('TopicB', 'TagA', undefined, 100)]);
    expect(manager.get('TopicB', 'CG')).toBeUndefined();
    const data = manager.get('TopicA', 'CG')!;
    expect([data.expression, data.expressionType, data.clientVersion, data.bornTime, data.isDead()]).toEqual(['a > 5', 'SQL92', 100, T0, false]);
    expect(data.compiledExpression).toBeDefined();

    expect(manager.registerOne('TopicA', 'CG', 'a > 9', 'SQL92', 99)).toBe(false); // older: ignored
    expect(manager.get('TopicA', 'CG')!.expression).toBe('a > 5');
    expect(manager.registerOne('TopicA', 'CG', 'a > 5', 'SQL92', 101)).toBe(true); // same expression, newer: refreshed in place
    expect(manager.get('TopicA', 'CG')).toBe(data);
    expect(data.clientVersion).toBe(101);
    expect(manager.registerOne('TopicA', 'CG', 'a > 9', 'SQL92', 102)).toBe(true); // changed: a new entry
    expect(manager.get('TopicA', 'CG')!.expression).toBe('a > 9');
    expect(sink.ofKind('broker.filter.registered').map((e) => e.data.change)).toEqual(['new', 'refreshed', 'changed']);
  });

  it('register() skips an expression that does not compile, and a bad new version drops the old filter', () => {
    const { manager, sink } = setup();
    manager.register('CG', [sql('TopicA', 'a >', 100)]);
    expect(manager.get('TopicA', 'CG')).toBeUndefined();
    manager.register('CG', [sql('TopicA', 'a > 1', 101)]);
    expect(manager.get('TopicA', 'CG')).toBeDefined();
    manager.register('CG', [sql('TopicA', "b = 'x", 102)]);
    expect(manager.get('TopicA', 'CG')).toBeUndefined();
    const failed = sink.ofKind('broker.filter.compile-failed').map((e) => [e.data.expression, e.data.site, e.data.dropped, e.data.error.length > 0]);
    expect(failed).toEqual([['a >', 'heartbeat', false, true], ["b = 'x", 'heartbeat', true, true]]);
  });

  it('unRegister() and a heartbeat that drops a topic mark filters dead; the same version revives them; clean() removes them after a day', async () => {
    const { manager, clock, sink } = setup();
    manager.register('CG', [sql('TopicA', 'a > 1', 100), sql('TopicB', 'b > 1', 100)]);
    await clock.advance(1000);
    manager.register('CG', [sql('TopicA', 'a > 1', 100)]); // TopicB no longer listed
    expect(manager.get('TopicB', 'CG')!.isDead()).toBe(true);
    expect(manager.get('TopicA', 'CG')!.isDead()).toBe(false);
    manager.unRegister('CG');
    expect(manager.get('TopicA', 'CG')!.isDead()).toBe(true);
    expect(manager.get('TopicA', 'CG')).toBeDefined(); // dead filters still answer pulls
    expect(manager.registerOne('TopicA', 'CG', 'a > 1', 'SQL92', 100)).toBe(true);
    expect(manager.get('TopicA', 'CG')!.isDead()).toBe(false);
    expect(sink.ofKind('broker.filter.unregistered').map((e) => [e.data.reason, e.data.topics])).toEqual([
      ['topic-unsubscribed', ['TopicB']], ['group-gone', ['TopicA']],
    ]);
    await clock.advance(DAY);
    manager.clean();
    expect(manager.get('TopicB', 'CG')).toBeUndefined();
    expect(manager.get('TopicA', 'CG')).toBeDefined();
    expect(sink.ofKind('broker.filter.removed').map((e) => [e.data.topic, e.data.deadForMs])).toEqual([['TopicB', DAY]]);
  });

  it('persist() writes consumerFilter.json as fastjson would; load() reads it back compiled and dead', async () => {
    const fs = new MemoryFileSystem();
    const first = setup(fs);
    first.manager.register('CG', [sql('TopicA', "region = 'eu'", 100)]);
    expect(first.manager.persist()).toBe(true);
    const bits = first.manager.bloomFilter.generate('CG#TopicA');
    expect(JSON.parse(fs.readText(PATH)!)).toEqual({
      filterDataByTopic: {
        TopicA: {
          groupFilterData: {
            CG: {
              bloomFilterData: { bitNum: 112, bitPos: [...bits.bitPos] }, bornTime: T0, clientVersion: 100, consumerGroup: 'CG',
              dead: false, deadTime: 0, expression: "region = 'eu'", expressionType: 'SQL92', topic: 'TopicA',
            },
          },
          topic: 'TopicA',
        },
      },
    });

    const second = setup(fs);
    await second.clock.advance(60_000);
    expect(second.manager.load().source).toBe('file');
    const data = second.manager.get('TopicA', 'CG')!;
    expect(data.compiledExpression).toBeDefined();
    expect(data.isDead()).toBe(true);
    expect(data.deadTime).toBe(T0 + 60_000 - 30_000);
    expect(second.sink.ofKind('broker.filter.loaded').at(-1)!.data).toEqual({ topics: 1, filters: 1, bloomChanged: false });
    expect(second.manager.registerOne('TopicA', 'CG', "region = 'eu'", 'SQL92', 100)).toBe(true); // its consumer is back
    expect(data.isDead()).toBe(false);
  });

  it('load() ignores the whole file when the bloom filter settings changed (the stored bits would test the wrong positions)', () => {
    const fs = new MemoryFileSystem();
    const first = setup(fs);
    first.manager.register('CG', [sql('TopicA', 'a > 1', 100)]);
    first.manager.persist();
    const other = setup(fs, { expectConsumerNumUseFilter: 64 });
    other.manager.load();
    expect(other.manager.filterDataByTopic.size).toBe(0);
    expect(other.sink.ofKind('broker.filter.loaded').at(-1)!.data).toMatchObject({ filters: 0, bloomChanged: true });
  });

  it('load() keeps the defaults and reports the error for a file that is not the expected JSON', () => {
    const fs = new MemoryFileSystem();
    fs.mkdirp('/store/config');
    fs.writeText(PATH, '{"filterDataByTopic":{"TopicA":{"groupFilterData":{"CG":{"bloomFilterData":{"bitPos":["x"]}}}}}}');
    const { manager } = setup(fs);
    const result = manager.load();
    expect(result.source).toBe('defaults');
    expect(result.error).toContain('bitPos[0]');
    expect(manager.filterDataByTopic.size).toBe(0);
  });
});
