import { describe, expect, it } from 'vitest';
import { EVENT_SCHEMA_VERSION, type RunHeader } from '../../../src/events/event-types.js';
import { NodeEvents, RecordingSink } from '../../../src/events/event-sink.js';
import { decodeEventLog, encodeEventLog, EventLogDecodeError } from '../../../src/events/jsonl.js';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';

const header: RunHeader = {
  type: 'run.header', v: EVENT_SCHEMA_VERSION, scenario: 'unit', seed: 7, semantics: 'rocketmq-4.9.x',
  commit: 'test', config: { flushDiskType: 'ASYNC_FLUSH' }, nodes: [{ id: 'broker-a', role: 'broker-master' }], lanes: [],
};

async function recordTwo(): Promise<RecordingSink> {
  const clock = new ManualClock(5000);
  const sink = new RecordingSink(clock);
  const events = new NodeEvents(sink, 'broker-a', 'remoting');
  events.emit('remoting.connection.opened', { local: 'broker-a:10911', remote: 'p:50000', side: 'server' });
  await clock.advance(12);
  events.emit('remoting.request.received', { from: 'p:50000', code: 10, oneway: false, bodyLength: 3 }, { rpc: { opaque: 1, code: 'SEND_MESSAGE', side: 'server' } });
  return sink;
}

describe('jsonl', () => {
  it('encodeEventLog() writes the header then one event per line, and decodeEventLog() reads it back', async () => {
    const sink = await recordTwo();
    const text = encodeEventLog(header, sink.events);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!).type).toBe('run.header');
    expect(JSON.parse(lines[2]!)).toMatchObject({ seq: 2, at: 12, node: 'broker-a', lane: 'remoting', kind: 'remoting.request.received', rpc: { opaque: 1 } });
    const log = decodeEventLog(text);
    expect(log.header).toEqual(header);
    expect(log.events).toEqual(sink.events);
  });

  it('decodeEventLog() names the line of a wrong version, broken JSON or a seq gap', async () => {
    const sink = await recordTwo();
    const good = encodeEventLog(header, sink.events).split('\n');
    const wrongVersion = [JSON.stringify({ ...header, v: 99 }), ...good.slice(1)].join('\n');
    expect(() => decodeEventLog(wrongVersion)).toThrow(/line 1: schema version 99 is not supported/);
    const broken = [good[0], good[1], '{"seq":2,', ''].join('\n');
    expect(() => decodeEventLog(broken)).toThrow(EventLogDecodeError);
    expect(() => decodeEventLog(broken)).toThrow(/line 3: not valid JSON/);
    const gap = [good[0], good[2], ''].join('\n');
    expect(() => decodeEventLog(gap)).toThrow(/line 2: expected seq 1, found 2/);
    expect(() => decodeEventLog('')).toThrow(/empty/);
  });

  it('RecordingSink stamps seq and at; NodeEvents fills node, lane and src; a filter drops kinds', async () => {
    const clock = new ManualClock(100);
    const sink = new RecordingSink(clock, (kind) => kind !== 'remoting.frame.rejected');
    const ev = new NodeEvents(sink, 'namesrv-1');
    expect(ev.emit('remoting.frame.rejected', { remote: 'x:1', reason: 'bad' })).toBe(0);
    await clock.advance(3);
    expect(ev.withLane('RouteInfoManager').emit('sim.link.healed', {})).toBe(1);
    expect(sink.events).toEqual([{ seq: 1, at: 3, kind: 'sim.link.healed', node: 'namesrv-1', lane: 'RouteInfoManager', src: 'src/platform/sim/sim-network.ts#SimNetwork.heal', data: {} }]);
    expect(sink.ofKind('sim.link.healed')).toHaveLength(1);
  });
});
