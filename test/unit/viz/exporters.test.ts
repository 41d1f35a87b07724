// The viz model's exporters (Chrome Trace Event JSON for Perfetto, OTLP JSON Lines for
// Jaeger) and deep links, against the committed fixtures.
import { describe, expect, it } from 'vitest';
import { formatDeepLink, parseDeepLink, Replay, toChromeTrace, toOtlp, type LoadedRun } from '../../../viz/src/model/index.js';
import { committedFixtures, loadFixture } from './viz-fixtures.js';

interface TraceEvent {
  name: string; ph: string; pid: number; tid: number; ts?: number; dur?: number; bind_id?: number; flow_in?: boolean; flow_out?: boolean;
  args?: Record<string, unknown>;
}

function traceOf(run: LoadedRun): TraceEvent[] {
  const json = JSON.stringify(toChromeTrace(run));
  const parsed = JSON.parse(json) as { traceEvents: TraceEvent[]; displayTimeUnit: string };
  expect(parsed.displayTimeUnit).toBe('ms');
  return parsed.traceEvents;
}

/** Every X slice of a thread nests in the one open before it, or starts after it ended. */
function nestingViolations(events: TraceEvent[]): string[] {
  const byTid = new Map<string, TraceEvent[]>();
  for (const e of events.filter((x) => x.ph === 'X')) {
    const key = `${e.pid}/${e.tid}`;
    byTid.set(key, [...(byTid.get(key) ?? []), e]);
  }
  const bad: string[] = [];
  for (const [key, slices] of byTid) {
    slices.sort((a, b) => a.ts! - b.ts! || b.dur! - a.dur!);
    const stack: number[] = [];
    for (const s of slices) {
      while (stack.length > 0 && stack[stack.length - 1]! <= s.ts!) stack.pop();
      const top = stack[stack.length - 1];
      if (top !== undefined && s.ts! + s.dur! > top) bad.push(`${key} ${s.name}@${s.ts}`);
      stack.push(s.ts! + s.dur!);
    }
  }
  return bad;
}

describe('toChromeTrace', () => {
  it('puts metadata first, names every node, pairs every RPC with one flow out and one flow in', async () => {
    const run = await loadFixture('long-poll');
    const events = traceOf(run);
    const firstOther = events.findIndex((e) => e.ph !== 'M');
    expect(events.slice(firstOther).some((e) => e.ph === 'M')).toBe(false);
    const processNames = events.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => e.args!['name']);
    for (const n of run.header.nodes) expect(processNames).toContain(n.id);
    const threadNames = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => `${e.pid}/${e.tid}`));
    for (const e of events.filter((x) => x.ph === 'X' || x.ph === 'i')) expect(threadNames.has(`${e.pid}/${e.tid}`)).toBe(true);
    const outs = events.filter((e) => e.flow_out === true);
    const ins = events.filter((e) => e.flow_in === true);
    expect(outs.length).toBeGreaterThan(10);
    for (const e of [...outs, ...ins]) expect(typeof e.bind_id).toBe('number');
    const count = (list: TraceEvent[]) => list.reduce((m, e) => m.set(e.bind_id!, (m.get(e.bind_id!) ?? 0) + 1), new Map<number, number>());
    const outCount = count(outs);
    const inCount = count(ins);
    expect([...outCount.values()].every((n) => n === 1)).toBe(true);
    expect([...inCount.values()].every((n) => n === 1)).toBe(true);
    expect([...outCount.keys()].sort()).toEqual([...inCount.keys()].sort());
    // Both ends carry the RPC's opaque.
    for (const o of outs) expect(ins.find((i) => i.bind_id === o.bind_id)!.args!['opaque']).toBe(o.args!['opaque']);
    // Every request whose server side was recorded is a pair.
    const received = run.events.filter((e) => e.kind === 'remoting.request.received').length;
    expect(ins.length).toBe(received);
    expect(nestingViolations(events)).toEqual([]);
    expect(events.some((e) => e.ph === 'C')).toBe(true);
    expect(events.filter((e) => e.ph === 'i').every((e) => (e as { s?: string }).s === 't')).toBe(true);
  });

  it('holds the long-polling pull as one slice on the broker, from receipt to the FOUND answer', async () => {
    const run = await loadFixture('long-poll');
    const events = traceOf(run);
    const req = run.events.find((e) => e.kind === 'remoting.request.sent' && e.node === 'consumer-1' && e.rpc?.code === 'PULL_MESSAGE')!;
    const server = events.find((e) => e.flow_in === true && e.bind_id === req.seq)!;
    expect(server.name).toBe('PULL_MESSAGE');
    expect(server.dur! / 1000).toBeGreaterThan(7000);
  });

  it.each(['send-two', 'rebalance', 'crash-recovery', 'orderly', 'store-roll'])('%s exports nested slices with paired flows', async (name) => {
    const events = traceOf(await loadFixture(name));
    expect(nestingViolations(events)).toEqual([]);
    const outs = new Set(events.filter((e) => e.flow_out).map((e) => e.bind_id));
    const ins = new Set(events.filter((e) => e.flow_in).map((e) => e.bind_id));
    expect(outs).toEqual(ins);
  });
});

describe('toOtlp', () => {
  it('writes PRODUCER send spans and CONSUMER process spans linked to their creation span', async () => {
    const run = await loadFixture('send-two');
    const text = toOtlp(run);
    expect(toOtlp(run)).toBe(text);
    const lines = text.trimEnd().split('\n');
    const spans: Array<Record<string, unknown> & { name: string; kind: number; spanId: string; traceId: string; links?: Array<{ spanId: string; traceId: string }> }> = [];
    for (const line of lines) {
      const doc = JSON.parse(line) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: typeof spans }> }> };
      expect(doc.resourceSpans.length).toBeGreaterThan(0);
      for (const rs of doc.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
    }
    const sends = spans.filter((s) => s.kind === 4);
    const processes = spans.filter((s) => s.kind === 5 && s.name.startsWith('process '));
    expect(sends.map((s) => s.name)).toEqual(['send TopicTest', 'send TopicTest']);
    expect(spans.some((s) => s.kind === 5 && s.name.startsWith('receive '))).toBe(true);
    expect(processes).toHaveLength(2);
    for (const p of processes) {
      expect(p.links).toHaveLength(1);
      const creation = sends.find((s) => s.spanId === p.links![0]!.spanId)!;
      expect(creation.traceId).toBe(p.links![0]!.traceId);
    }
    for (const s of spans) {
      expect(s.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(s.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(String(s['startTimeUnixNano'])).toMatch(/^\d{19}$/);
    }
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(spans.length);
  });
});

describe('every committed fixture', () => {
  it.each(committedFixtures())('%s replays to the end and exports without throwing', async (name) => {
    const run = await loadFixture(name);
    const replay = new Replay(run);
    expect(replay.stateAt(replay.length).cursor).toBe(run.events.length);
    expect(() => JSON.parse(JSON.stringify(toChromeTrace(run)))).not.toThrow();
    for (const line of toOtlp(run).trimEnd().split('\n').filter((l) => l !== '')) expect(() => JSON.parse(line)).not.toThrow();
  });
});

describe('deep links', () => {
  it('round-trips run, step, selection, step granularity, language and motion', () => {
    const link = { run: 'fixtures/send-two.events.jsonl', step: 57, sel: 'msg:0A00010B00643FBFA2C647B7600F0001', by: 'rpc' as const, lang: 'zh' as const, motion: 'off' as const };
    const text = formatDeepLink(link);
    expect(text).toBe('?run=fixtures%2Fsend-two.events.jsonl&step=57&sel=msg%3A0A00010B00643FBFA2C647B7600F0001&by=rpc&lang=zh&motion=off');
    expect(parseDeepLink(text)).toEqual(link);
    expect(parseDeepLink(text.slice(1))).toEqual(link);
  });

  it('drops bad values instead of failing', () => {
    expect(parseDeepLink('?step=-3&lang=fr&motion=on&sel=&by=bytes&x=1')).toEqual({});
    expect(parseDeepLink('?step=abc&run=a.jsonl')).toEqual({ run: 'a.jsonl' });
    expect(formatDeepLink({})).toBe('');
    expect(formatDeepLink({ step: 1.5, run: 'r' })).toBe('?run=r');
  });
});
