// Goal: with sendLatencyFaultEnable the producer avoids a slow or failed broker for the time
// Java's tables give, picks the least bad broker when all are out, and stays plain
// round-robin when the strategy is off. Method: a ManualClock and a seeded Random.
import { describe, expect, it } from 'vitest';
import type { TopicRouteData } from '../../../../src/common/protocol/route/topic-route-data.js';
import { SeededRandom } from '../../../../src/platform/random.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { LatencyFaultToleranceImpl } from '../../../../src/client/producer/latency-fault-tolerance.js';
import { MQFaultStrategy } from '../../../../src/client/producer/mq-fault-strategy.js';
import { topicRouteData2TopicPublishInfo } from '../../../../src/client/route/topic-route-conversion.js';

const route: TopicRouteData = {
  queueDatas: ['broker-a', 'broker-b', 'broker-c'].map((brokerName) => ({ brokerName, readQueueNums: 2, writeQueueNums: 2, perm: 6, topicSysFlag: 0 })),
  brokerDatas: ['broker-a', 'broker-b', 'broker-c'].map((brokerName, i) => ({ cluster: 'c', brokerName, brokerAddrs: new Map([[0, `10.0.0.${i + 2}:10911`]]) })),
  filterServerTable: new Map(),
};

describe('MQFaultStrategy', () => {
  it('computeNotAvailableDuration() maps latencies to the 4.9 table (550 ms → 30 s, 15 s → 600 s)', () => {
    const strategy = new MQFaultStrategy(new ManualClock(0), new SeededRandom(1));
    expect([0, 49, 50, 100, 549, 550, 999, 1000, 2000, 3000, 14999, 15000, 30000].map((l) => strategy.computeNotAvailableDuration(l)))
      .toEqual([0, 0, 0, 0, 0, 30000, 30000, 60000, 120000, 180000, 180000, 600000, 600000]);
  });

  it('updateFaultItem() with isolation keeps a broker out for 600 s, then selectOneMessageQueue() uses it again', async () => {
    const clock = new ManualClock(1000);
    const strategy = new MQFaultStrategy(clock, new SeededRandom(1));
    strategy.sendLatencyFaultEnable = true;
    const info = topicRouteData2TopicPublishInfo('T', route, new SeededRandom(9));
    strategy.updateFaultItem('broker-b', 120, true);
    const picks = new Set(Array.from({ length: 30 }, () => strategy.selectOneMessageQueue(info, undefined).brokerName));
    expect([...picks].sort()).toEqual(['broker-a', 'broker-c']);
    expect(strategy.lastRule).toBe('latency-fault');
    await clock.advance(599_999);
    expect(strategy.latencyFaultTolerance.isAvailable('broker-b')).toBe(false);
    await clock.advance(1);
    expect(strategy.latencyFaultTolerance.isAvailable('broker-b')).toBe(true);
    const later = new Set(Array.from({ length: 30 }, () => strategy.selectOneMessageQueue(info, undefined).brokerName));
    expect(later.has('broker-b')).toBe(true);
  });

  it('a fast send (latency < 550 ms, no isolation) never makes a broker unavailable', () => {
    const strategy = new MQFaultStrategy(new ManualClock(0), new SeededRandom(1));
    strategy.sendLatencyFaultEnable = true;
    strategy.updateFaultItem('broker-a', 549, false);
    expect(strategy.latencyFaultTolerance.isAvailable('broker-a')).toBe(true);
  });

  it('when every broker is out, picks a queue on one of the least bad brokers (latency-fault-least-bad)', () => {
    const clock = new ManualClock(0);
    const strategy = new MQFaultStrategy(clock, new SeededRandom(4));
    strategy.sendLatencyFaultEnable = true;
    strategy.updateFaultItem('broker-a', 600, false); // out 30 s
    strategy.updateFaultItem('broker-b', 20000, false); // out 600 s
    strategy.updateFaultItem('broker-c', 2500, false); // out 120 s
    const info = topicRouteData2TopicPublishInfo('T', route, new SeededRandom(5));
    for (let i = 0; i < 10; i++) {
      const mq = strategy.selectOneMessageQueue(info, undefined);
      expect(strategy.lastRule).toBe('latency-fault-least-bad');
      // Sorted by latency: a (600), c (2500), b (20000); the better half of 3 is item 0.
      expect(mq.brokerName).toBe('broker-a');
      expect(mq.queueId).toBeLessThan(2);
    }
    // The shared queue list was not mutated.
    expect(info.messageQueueList.map((mq) => mq.brokerName)).toEqual(['broker-a', 'broker-a', 'broker-b', 'broker-b', 'broker-c', 'broker-c']);
  });

  it('forgets a least-bad broker that has left the route and falls back to round-robin', () => {
    const strategy = new MQFaultStrategy(new ManualClock(0), new SeededRandom(4));
    strategy.sendLatencyFaultEnable = true;
    for (const b of ['broker-a', 'broker-b', 'broker-c']) strategy.updateFaultItem(b, 30000, true);
    strategy.updateFaultItem('broker-x', 10, false);
    strategy.latencyFaultTolerance.updateFaultItem('broker-x', 10, 1_000_000);
    const info = topicRouteData2TopicPublishInfo('T', route, new SeededRandom(5));
    strategy.selectOneMessageQueue(info, undefined);
    expect(strategy.latencyFaultTolerance.snapshot().map((i) => i.name)).not.toContain('broker-x');
    expect(strategy.lastRule).toBe('round-robin');
  });

  it('with the strategy off, updateFaultItem() records nothing and selection avoids only the last broker', () => {
    const strategy = new MQFaultStrategy(new ManualClock(0), new SeededRandom(1));
    strategy.updateFaultItem('broker-a', 30000, true);
    expect(strategy.latencyFaultTolerance.snapshot()).toEqual([]);
    const info = topicRouteData2TopicPublishInfo('T', route, new SeededRandom(2));
    for (let i = 0; i < 10; i++) expect(strategy.selectOneMessageQueue(info, 'broker-c').brokerName).not.toBe('broker-c');
  });
});

describe('LatencyFaultToleranceImpl', () => {
  it('pickOneAtLeast() cycles over the better half of the items, available ones first', () => {
    const clock = new ManualClock(0);
    const table = new LatencyFaultToleranceImpl(clock, new SeededRandom(3));
    table.updateFaultItem('a', 100, 0); // available now
    table.updateFaultItem('b', 50, 0); // available now, lower latency
    table.updateFaultItem('c', 10, 60_000);
    table.updateFaultItem('d', 5, 60_000);
    const picks = new Set(Array.from({ length: 10 }, () => table.pickOneAtLeast()));
    expect([...picks].sort()).toEqual(['a', 'b']);
    expect(new LatencyFaultToleranceImpl(clock, new SeededRandom(3)).pickOneAtLeast()).toBeUndefined();
  });
});
