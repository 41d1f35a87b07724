// The viz model's replay against the committed fixtures: commit-log records and their byte
// layout, consume-queue units, the offset ruler, the hold table, the transaction half and
// real topics, and determinism of stateAt however the cursor gets somewhere.
import { describe, expect, it } from 'vitest';
import type { InstrumentEvent } from '../../../src/events/event-types.js';
import { loadRun, Replay, RunLoadError, type LoadedRun } from '../../../viz/src/model/index.js';
import { fixtureText, loadFixture } from './viz-fixtures.js';

const seqsOf = (run: LoadedRun, kind: string, ok: (e: InstrumentEvent) => boolean = () => true): number[] =>
  run.events.filter((e) => e.kind === kind && ok(e)).map((e) => e.seq);

describe('loadRun', () => {
  it('refuses another schema version on line 1', async () => {
    const text = (await fixtureText('send-two')).replace('"v":1,', '"v":2,');
    expect(() => loadRun(text, 'x.events.jsonl')).toThrow(RunLoadError);
    try {
      loadRun(text, 'x.events.jsonl');
    } catch (e) {
      expect((e as RunLoadError).line).toBe(1);
      expect((e as RunLoadError).message).toMatch(/schema version 2/);
    }
  });

  it('names the broken line', async () => {
    const lines = (await fixtureText('send-two')).split('\n');
    lines[6] = '{"seq":6,"at":1,"node":"broker-a",';
    let caught: unknown;
    try {
      loadRun(lines.join('\n'), 'broken.events.jsonl');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RunLoadError);
    expect((caught as RunLoadError).line).toBe(7);
    expect((caught as RunLoadError).message).toMatch(/broken\.events\.jsonl: event log line 7/);
  });

  it('loads a good file with its header and N events', async () => {
    const run = await loadFixture('send-two');
    expect(run.header.scenario).toBe('send-two');
    expect(run.events[0]!.seq).toBe(1);
    expect(new Replay(run).length).toBe(run.events.length);
  });
});

describe('send-two: the commit log, its consume queue and the offset ruler', () => {
  it('lays out record 1 at 0 and record 2 right after it, fields summing to the size', async () => {
    const run = await loadFixture('send-two');
    const replay = new Replay(run);
    const [a1, a2] = seqsOf(run, 'store.commitlog.appended');
    const s1 = replay.stateAt(a1!).brokers['broker-a']!.commitLog;
    expect(s1.records).toHaveLength(1);
    const r1 = s1.records[0]!;
    const L0 = r1.size;
    expect(r1.physOffset).toBe(0);
    expect(r1.fields!.reduce((n, f) => n + f.length, 0)).toBe(L0);
    const field = (name: string) => r1.fields!.find((f) => f.name === name)!;
    expect(field('bodyLength').value).toBe(2);
    expect(field('topic')).toMatchObject({ value: 'TopicTest', length: 9 });
    expect(L0).toBe(91 + 2 + 9 + Number(field('propertiesLength').value));
    expect(field('body').offset).toBe(88);
    let at = 0;
    for (const f of r1.fields!) {
      expect(f.offset).toBe(at);
      at += f.length;
    }
    const s2 = replay.stateAt(a2!).brokers['broker-a']!.commitLog;
    expect(s2.records.map((r) => r.physOffset)).toEqual([0, L0]);
    const r2 = s2.records[1]!;
    expect(r2.fields!.reduce((n, f) => n + f.length, 0)).toBe(r2.size);
    expect(r2.uniqKey).not.toBe(r1.uniqKey);
  });

  it('builds the two 20-byte units (0, L0, TagA) and (L0, L1, TagB)', async () => {
    const run = await loadFixture('send-two');
    const replay = new Replay(run);
    const [u1, u2] = seqsOf(run, 'store.consumequeue.appended', (e) => e.kind === 'store.consumequeue.appended' && e.data.topic === 'TopicTest');
    const log = replay.stateAt(u2!).brokers['broker-a']!.commitLog.records;
    const [L0, L1] = [log[0]!.size, log[1]!.size];
    expect(replay.stateAt(u1!).brokers['broker-a']!.consumeQueues['TopicTest/0']).toHaveLength(1);
    const units = replay.stateAt(u2!).brokers['broker-a']!.consumeQueues['TopicTest/0']!;
    expect(units.map(({ queueOffset, bytePos, physOffset, size, tagsCode }) => ({ queueOffset, bytePos, physOffset, size, tagsCode }))).toEqual([
      { queueOffset: 0, bytePos: 0, physOffset: 0, size: L0, tagsCode: 2598919 },
      { queueOffset: 1, bytePos: 20, physOffset: L0, size: L1, tagsCode: 2598920 },
    ]);
  });

  it('moves the offset ruler: flushed < wrote after the second append, equal after the flush', async () => {
    const run = await loadFixture('send-two');
    const replay = new Replay(run);
    const [, a2] = seqsOf(run, 'store.commitlog.appended');
    const at2 = replay.stateAt(a2!).brokers['broker-a']!.commitLog;
    const [L0, L1] = at2.records.map((r) => r.size);
    expect(at2.wrote).toBe(L0! + L1!);
    expect(at2.flushed).toBeLessThan(at2.wrote);
    const flush = seqsOf(run, 'store.flush.completed', (e) => e.seq > a2! && e.node === 'broker-a')[0]!;
    const before = replay.stateAt(flush - 1).brokers['broker-a']!.commitLog.flushed;
    const after = replay.stateAt(flush).brokers['broker-a']!.commitLog;
    expect(after.flushed).toBe(after.wrote);
    expect(replay.stateAt(flush).changed).toContain('brokers.broker-a.commitLog.flushed');
    expect(replay.stateAt(flush - 1).brokers['broker-a']!.commitLog.flushed).toBe(before);
    expect(before).toBeLessThan(after.flushed);
  });

  it('follows each message by UNIQ_KEY: one hop, then one delivery', async () => {
    const run = await loadFixture('send-two');
    const replay = new Replay(run);
    const end = replay.stateAt(replay.length);
    const keys = end.brokers['broker-a']!.commitLog.records.map((r) => r.uniqKey!);
    for (const key of keys) {
      const m = end.messages[key]!;
      expect(m.hops.map((h) => h.topic)).toEqual(['TopicTest']);
      expect(m.deliveries.map((d) => d.consumer)).toEqual(['consumer-1']);
      expect(m.seqs.length).toBeGreaterThan(3);
    }
    expect(replay.emittedBySrc('no/such/file.ts#X')).toEqual([]);
  });
});

describe('determinism', () => {
  it('gives the same state at k directly, step by step, backwards, and with other checkpoints', async () => {
    const run = await loadFixture('send-two');
    const N = run.events.length;
    const k = Math.floor(N / 2);
    const direct = new Replay(run).stateAt(k);
    const stepper = new Replay(run, { checkpointEvery: 7 });
    let forward = stepper.stateAt(0);
    for (let c = 1; c <= k; c++) forward = stepper.stateAt(c);
    const back = new Replay(run, { checkpointEvery: 1000 });
    let backward = back.stateAt(N);
    for (let c = N - 1; c >= k; c--) backward = back.stateAt(c);
    expect(forward).toEqual(direct);
    expect(backward).toEqual(direct);
    expect(JSON.stringify(forward)).toBe(JSON.stringify(direct));
    expect(JSON.stringify(structuredClone(direct))).toBe(JSON.stringify(direct));
    // Going on and coming back gives the same frame again.
    const r = new Replay(run);
    const first = JSON.stringify(r.stateAt(k));
    r.stateAt(k + 1);
    expect(JSON.stringify(r.stateAt(k))).toBe(first);
  });

  it('returns frozen states, so a caller cannot corrupt a checkpoint', async () => {
    const replay = new Replay(await loadFixture('send-two'));
    const s = replay.stateAt(replay.length);
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.brokers['broker-a']!.commitLog.records)).toBe(true);
  });

  it('clamps cursors and finds cursors by time, beats and teaching moments', async () => {
    const run = await loadFixture('send-two');
    const replay = new Replay(run);
    expect(replay.stateAt(-5).cursor).toBe(0);
    expect(replay.stateAt(1e9).cursor).toBe(run.events.length);
    expect(replay.stateAt(Number.NaN).cursor).toBe(0);
    const e = run.events[99]!;
    const c = replay.cursorAtTime(e.at);
    expect(run.events[c - 1]!.at).toBeLessThanOrEqual(e.at);
    expect(c === run.events.length || run.events[c]!.at > e.at).toBe(true);
    expect(replay.cursorAtTime(-1)).toBe(0);
    const beats = seqsOf(run, 'walkthrough.beat.reached');
    expect(replay.nextBeat(0)).toBe(beats[0]);
    expect(replay.nextBeat(beats[0]!)).toBe(beats[1]);
    expect(replay.prevBeat(beats[1]!)).toBe(beats[0]);
    expect(replay.prevBeat(beats[0]!)).toBeUndefined();
    expect(replay.stateAt(beats[1]! + 1).beat?.id).toBe((run.events[beats[1]! - 1]!.data as { id: string }).id);
    const moment = replay.nextTeachingMoment(0)!;
    const ev = run.events[moment - 1]!;
    expect(ev.kind === 'walkthrough.beat.reached' || ev.why !== undefined).toBe(true);
    expect(replay.stateAt(moment).why === undefined || replay.stateAt(moment).why!.seq <= moment).toBe(true);
  });
});

describe('step granularities', () => {
  it('steps by event (±1, clamped), by RPC hop (remoting.request/response.* only) and by store op (store.* only), forward and back', async () => {
    const run = await loadFixture('send-two');
    const replay = new Replay(run);
    const N = replay.length;
    expect([replay.stepForward(0, 'event'), replay.stepForward(N, 'event'), replay.stepBack(0, 'event'), replay.stepBack(5, 'event')]).toEqual([1, N, 0, 4]);
    for (const [by, isStep] of [
      ['rpc', (kind: string) => kind.startsWith('remoting.request.') || kind.startsWith('remoting.response.')],
      ['store', (kind: string) => kind.startsWith('store.')],
    ] as const) {
      const expected = run.events.filter((e) => isStep(e.kind)).map((e) => e.seq);
      expect(expected.length, by).toBeGreaterThan(5);
      const forward: number[] = [];
      for (let c = replay.stepForward(0, by); c < N; c = replay.stepForward(c, by)) forward.push(c);
      expect(forward, by).toEqual(expected.filter((seq) => seq < N)); // the last step, or the end, is N
      const back: number[] = [];
      for (let c = replay.stepBack(N + 1, by); c > 0; c = replay.stepBack(c, by)) back.push(c);
      expect(back, by).toEqual([...expected].reverse());
      expect(replay.stepForward(expected.at(-1)!, by)).toBe(N); // nothing left: the end
    }
  });
});

describe('long-poll: the hold table', () => {
  it('holds TopicTest@0 until suspended.at + 15000, then wakes it on arrival and answers FOUND', async () => {
    const run = await loadFixture('long-poll');
    const replay = new Replay(run);
    const suspended = run.events.find((e) => e.kind === 'broker.pull.suspended' && e.data.key === 'TopicTest@0')!;
    const holds = replay.stateAt(suspended.seq).brokers['broker-a']!.holds.filter((h) => h.key === 'TopicTest@0');
    expect(holds).toEqual([{ key: 'TopicTest@0', group: 'cg', offset: 0, deadline: suspended.at + 15000, since: suspended.at, seq: suspended.seq }]);
    const appended = run.events.find((e) => e.kind === 'store.commitlog.appended')!.seq;
    const after = run.events.filter((e) => e.seq > appended);
    const unit = after.find((e) => e.kind === 'store.consumequeue.appended')!.seq;
    const arrived = after.find((e) => e.kind === 'store.message.arrived')!.seq;
    const woken = after.find((e) => e.kind === 'broker.pull.woken')!;
    const replied = after.find((e) => e.kind === 'broker.pull.replied')!;
    expect(woken.kind === 'broker.pull.woken' && woken.data.reason).toBe('arrival');
    expect(replied.kind === 'broker.pull.replied' && replied.data.status).toBe('FOUND');
    expect(unit).toBeLessThan(woken.seq);
    expect(woken.seq).toBeLessThan(replied.seq);
    expect(arrived).toBeLessThan(replied.seq);
    // The reply went back on the request's own opaque.
    const request = run.events.find((e) => e.kind === 'remoting.request.sent' && e.node === 'consumer-1' && e.rpc?.code === 'PULL_MESSAGE')!;
    expect(replied.kind === 'broker.pull.replied' && replied.data.opaque).toBe(request.rpc!.opaque);
    expect(run.events.some((e) => e.kind === 'broker.pull.woken' && e.data.reason === 'periodic-check' && e.seq < woken.seq)).toBe(false);
    expect(replay.stateAt(replied.seq).brokers['broker-a']!.holds.filter((h) => h.key === 'TopicTest@0')).toEqual([]);
    // The pull is an RPC in flight while held, answered when replied.
    const rpcMid = replay.stateAt(suspended.seq).rpcs.find((r) => r.from === 'consumer-1' && r.opaque === request.rpc!.opaque)!;
    expect(rpcMid).toMatchObject({ code: 'PULL_MESSAGE', to: 'broker-a' });
    expect(rpcMid.answeredAt).toBeUndefined();
    const answered = run.events.find((e) => e.kind === 'remoting.response.received' && e.node === 'consumer-1' && e.rpc?.opaque === request.rpc!.opaque)!;
    expect(replay.stateAt(answered.seq).rpcs.find((r) => r.seq === request.seq)).toMatchObject({ status: 'SUCCESS', answeredAt: answered.at });
  });
});

describe('tx-check: half topic first, the real topic only after the commit', () => {
  it('has a half unit and no TopicTest unit before the commit, both after', async () => {
    const run = await loadFixture('tx-check');
    const replay = new Replay(run);
    const answered = run.events.find((e) => e.kind === 'client.tx.check-answered')!;
    const before = replay.stateAt(answered.seq).brokers['broker-a']!.consumeQueues;
    expect(before['RMQ_SYS_TRANS_HALF_TOPIC/0']!.length).toBeGreaterThanOrEqual(1);
    expect(before['TopicTest/0'] ?? []).toHaveLength(0);
    const commitUnit = run.events.find((e) => e.kind === 'store.consumequeue.appended' && e.data.topic === 'TopicTest')!;
    expect(commitUnit.seq).toBeGreaterThan(answered.seq);
    const after = replay.stateAt(commitUnit.seq).brokers['broker-a']!.consumeQueues;
    expect(after['TopicTest/0']).toHaveLength(1);
    const end = replay.stateAt(replay.length);
    expect(end.brokers['broker-a']!.consumeQueues['RMQ_SYS_TRANS_OP_HALF_TOPIC/0']).toHaveLength(1);
    const key = answered.kind === 'client.tx.check-answered' ? answered.data.uniqKey : '';
    const m = end.messages[key]!;
    expect(m.hops.map((h) => h.topic)).toEqual(['RMQ_SYS_TRANS_HALF_TOPIC', 'RMQ_SYS_TRANS_HALF_TOPIC', 'TopicTest']);
    expect(m.deliveries).toHaveLength(1);
    expect(m.deliveries[0]!.seq).toBeGreaterThan(commitUnit.seq);
  });
});

describe('crash-recovery: unflushed records are lost, then cut', () => {
  it('marks records past the flushed position lost at the crash and drops them at recovery', async () => {
    const run = await loadFixture('crash-recovery');
    const replay = new Replay(run);
    const crash = run.events.find((e) => e.kind === 'sim.node.crashed')!;
    const atCrash = replay.stateAt(crash.seq);
    const log = atCrash.brokers['broker-a']!.commitLog;
    expect(atCrash.nodes.find((n) => n.id === 'broker-a')!.up).toBe(false);
    expect(log.records.filter((r) => r.lost).every((r) => r.physOffset + r.size > log.flushed)).toBe(true);
    expect(log.records.some((r) => r.lost)).toBe(true);
    const done = run.events.find((e) => e.kind === 'store.recovery.completed' && e.seq > crash.seq)!;
    const rec = replay.stateAt(done.seq).brokers['broker-a']!;
    const max = done.kind === 'store.recovery.completed' ? done.data.maxPhysOffset : -1;
    expect(rec.commitLog.records.every((r) => !r.lost && r.physOffset + r.size <= max)).toBe(true);
    expect(rec.commitLog.wrote).toBe(max);
    expect(rec.consumeQueues['TopicTest/0']!.map((u) => u.queueOffset)).toEqual([0, 1, 2]);
  });
});

describe('every fixture', () => {
  const names = ['send-two', 'long-poll', 'crash-recovery', 'rebalance', 'new-group-last-offset', 'namesrv-routes', 'topic-auto-create',
    'message-anatomy', 'store-roll', 'orderly', 'ha-sync', 'tx-check'];
  it.each(names)('%s replays to the end with a consistent offset ruler', async (name) => {
    const run = await loadFixture(name);
    const replay = new Replay(run);
    const end = replay.stateAt(replay.length);
    expect(end.cursor).toBe(run.events.length);
    for (const b of Object.values(end.brokers)) {
      for (const r of b.commitLog.records) if (r.fields !== undefined) expect(r.fields.reduce((n, f) => n + f.length, 0)).toBe(r.size);
      expect(b.commitLog.flushed).toBeLessThanOrEqual(Math.max(b.commitLog.wrote, b.commitLog.flushed));
    }
    expect(JSON.parse(JSON.stringify(end))).toEqual(end);
  });
});

describe('a 10,000-event run', () => {
  it('reaches any cursor by reducing at most one checkpoint interval, with the same result every way', async () => {
    const { syntheticRun } = await import('./synthetic-run.js');
    const run = syntheticRun(800);
    expect(run.events.length).toBeGreaterThan(9500);
    const replay = new Replay(run);
    const other = new Replay(run, { checkpointEvery: 64 });
    for (const c of [run.events.length, 1, 9_999 % run.events.length, 5_000, 199, 200, 201, 4_321, 0, 7_777]) {
      const s = replay.stateAt(c);
      expect(replay.lastReplayed).toBeLessThanOrEqual(200);
      expect(s.cursor).toBe(c);
      expect(other.stateAt(c)).toEqual(s);
    }
    const end = replay.stateAt(run.events.length);
    expect(end.brokers['broker-a']!.commitLog.records).toHaveLength(800);
    expect(Object.keys(end.messages)).toHaveLength(800);
    expect(end.brokers['broker-a']!.consumeQueues['TopicTest/3']!.map((u) => u.bytePos).slice(0, 3)).toEqual([0, 20, 40]);
    // Stepping back one event at a time stays within one interval per step.
    for (let c = 5_000; c > 4_990; c--) {
      expect(replay.stateAt(c)).toEqual(other.stateAt(c));
      expect(replay.lastReplayed).toBeLessThanOrEqual(200);
    }
  });
});

describe('retry-dlq: one lifeline across topic rewrites', () => {
  it('goes TopicTest → SCHEDULE q2 → %RETRY%cg → SCHEDULE q3 → %RETRY%cg → %DLQ%cg with 3 deliveries', async () => {
    const run = await loadFixture('retry-dlq');
    const replay = new Replay(run);
    const end = replay.stateAt(replay.length);
    const first = run.events.find((e) => e.kind === 'client.message.created')!;
    const key = first.kind === 'client.message.created' ? first.data.uniqKey : '';
    const m = end.messages[key]!;
    expect(m.hops.map((h) => (h.topic === 'SCHEDULE_TOPIC_XXXX' ? `${h.topic} q${h.queueId}` : h.topic))).toEqual([
      'TopicTest', 'SCHEDULE_TOPIC_XXXX q2', '%RETRY%cg', 'SCHEDULE_TOPIC_XXXX q3', '%RETRY%cg', '%DLQ%cg',
    ]);
    expect(m.hops.filter((h) => h.topic === 'SCHEDULE_TOPIC_XXXX').map((h) => h.delayLevel)).toEqual([3, 4]);
    expect(m.deliveries.map((d) => d.reconsumeTimes)).toEqual([0, 1, 2]);
    const appended = run.events.filter((e) => e.kind === 'store.commitlog.appended');
    if (appended[0]!.src !== undefined) expect(replay.emittedBySrc(appended[0]!.src)).toEqual(appended.filter((e) => e.src === appended[0]!.src).map((e) => e.seq));
    const decided = run.events.filter((e) => e.kind === 'broker.retry.decided').at(-1)!;
    expect(replay.stateAt(decided.seq).why).toMatchObject({ rule: 'retry-or-dlq', outcome: 'dlq', kind: 'broker.retry.decided', inputs: { reconsumeTimes: 2, max: 2 } });
  });
});

describe('rebalance: the assignment matrix per client view', () => {
  it('shows the settled assignments and the moment two views overlap', async () => {
    const { assignmentMatrix } = await import('../../../viz/src/model/index.js');
    const run = await loadFixture('rebalance');
    const replay = new Replay(run);
    const beat = (id: string) => run.events.find((e) => e.kind === 'walkthrough.beat.reached' && e.data.id === id)!.seq;
    const q = (mqs: string[]) => mqs.map((mq) => `q${mq.split('@')[2]}`).join(' ');
    const two = assignmentMatrix(replay.stateAt(beat('two')), 'TopicTest');
    expect(Object.fromEntries(two.clients.map((c) => [c.node, q(c.allocated)]))).toEqual({ c1: 'q0 q1', c2: 'q2 q3' });
    expect(two.disagree).toBe(false);
    const three = assignmentMatrix(replay.stateAt(beat('three')), 'TopicTest');
    expect(Object.fromEntries(three.clients.map((c) => [c.node, q(c.allocated)]))).toEqual({ c1: 'q0 q1', c2: 'q2', c3: 'q3' });
    // Between c2's first rebalance and c1's next one, both hold q2 and q3.
    const c2First = run.events.find((e) => e.kind === 'client.rebalance.computed' && e.node === 'c2' && e.data.topic === 'TopicTest')!.seq;
    const overlap = assignmentMatrix(replay.stateAt(c2First), 'TopicTest');
    expect(overlap.overlaps.map((mq) => `q${mq.split('@')[2]}`)).toEqual(['q2', 'q3']);
    expect(overlap.disagree).toBe(true);
  });
});
