/**
 * Export a run as Chrome Trace Event JSON, which Perfetto (ui.perfetto.dev) and
 * chrome://tracing open: one process per node, one thread per service lane.
 *
 * ```
 *   M  process_name / thread_name (+ sort indexes)   first, so every track has its name
 *   X  an RPC on the caller's lane, sent → answered, flow_out: true, bind_id = flow id
 *   X  the same RPC on the callee's processor lane, received → answered, flow_in: true
 *   i  every other event, an instant (s: "t") with the payload as args
 *   C  counters: a broker's commit-log positions, a consumer's offsets per queue
 *   b/n/e  one async track per message (id2.global = UNIQ_KEY, cat "message"):
 *          begins at its first event, a step per stored copy, ends at its last event
 *   ts / dur in µs = simulated ms × 1000; displayTimeUnit "ms"
 * ```
 *
 * Two rules of the format shape the output. Complete (`X`) slices must nest on a thread,
 * but RPCs overlap (a long-polling pull is open for seconds while heartbeats come and go),
 * so a slice that would cross another moves to an extra track of the same lane
 * ("remoting #2"). And flow ids must be numbers (strings are read as hex), unique per
 * flow: opaques repeat across clients, so the flow id is the seq of the request's
 * `remoting.request.sent` event, and the opaque is kept in the slice's args.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ. The design sketch suggests async b/e
 * slices for overlapping RPCs; extra tracks are used instead because Perfetto binds v2
 * flow events to complete slices.
 *
 * @article why-read "Watching RocketMQ think"
 * @category Viz
 * @module
 */
import type { InstrumentEvent } from '../../../src/events/event-types.js';
import { uniqKeysOf } from './client-reducer.js';
import { addressBook, laneOf, nodesOf } from './trace-lanes.js';
import type { LoadedRun } from './viz-state.js';

/** One trace event (the fields this exporter uses). */
interface TraceEvent {
  name: string;
  ph: 'M' | 'X' | 'i' | 'C' | 'b' | 'n' | 'e';
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  s?: 't';
  id2?: { global: string };
  bind_id?: number;
  flow_in?: boolean;
  flow_out?: boolean;
  args?: Record<string, unknown>;
}

/** An RPC slice before it is placed on a track. */
interface Slice {
  node: string;
  lane: string;
  start: number;
  end: number;
  seq: number;
  name: string;
  flow?: { id: number; dir: 'out' | 'in' };
  args: Record<string, unknown>;
}

/** The run as a Chrome Trace Event JSON object (`JSON.stringify` it to save). */
export function toChromeTrace(run: LoadedRun): object {
  const nodes = nodesOf(run);
  const pidOf = new Map(nodes.map((n, i) => [n, i + 1]));
  const lanes = new Map<string, string[]>(nodes.map((n) => [n, []]));
  const addLane = (node: string, lane: string): void => {
    const list = lanes.get(node)!;
    if (!list.includes(lane)) list.push(lane);
  };
  for (const l of run.header.lanes) if (lanes.has(l.node)) addLane(l.node, l.lane);
  const slices = rpcSlices(run);
  const body: TraceEvent[] = [];
  const lastAt = run.events[run.events.length - 1]?.at ?? 0;
  for (const e of run.events) {
    if (!isRpcEdge(e)) {
      addLane(e.node, laneOf(e));
      body.push(instant(e, pidOf.get(e.node)!, 0, laneOf(e)));
    }
    const counter = counterOf(e, pidOf.get(e.node)!);
    if (counter !== undefined) body.push(counter);
  }
  body.push(...messageTracks(run, pidOf, lastAt));
  // Place the slices: a lane's first track, or "lane #k" when it would cross a slice there.
  const placed = placeSlices(slices);
  for (const p of placed) addLane(p.slice.node, p.track);
  const metadata: TraceEvent[] = [];
  const tidOf = new Map<string, number>();
  nodes.forEach((node, i) => {
    const pid = i + 1;
    metadata.push({ name: 'process_name', ph: 'M', pid, tid: 0, args: { name: node } });
    metadata.push({ name: 'process_sort_index', ph: 'M', pid, tid: 0, args: { sort_index: pid } });
    lanes.get(node)!.forEach((lane, j) => {
      tidOf.set(`${node}\u0000${lane}`, j + 1);
      metadata.push({ name: 'thread_name', ph: 'M', pid, tid: j + 1, args: { name: lane } });
      metadata.push({ name: 'thread_sort_index', ph: 'M', pid, tid: j + 1, args: { sort_index: j + 1 } });
    });
  });
  const tid = (node: string, lane: string): number => tidOf.get(`${node}\u0000${lane}`) ?? 0;
  for (const ev of body) if (ev.ph === 'i') ev.tid = tid(nodes[ev.pid - 1]!, String(ev.args?.['lane']));
  for (const { slice, track } of placed) {
    const ev: TraceEvent = {
      name: slice.name, ph: 'X', cat: 'rpc', pid: pidOf.get(slice.node)!, tid: tid(slice.node, track), ts: slice.start * 1000, dur: (slice.end - slice.start) * 1000, args: slice.args,
    };
    if (slice.flow !== undefined) {
      ev.bind_id = slice.flow.id;
      if (slice.flow.dir === 'out') ev.flow_out = true;
      else ev.flow_in = true;
    }
    body.push(ev);
  }
  body.sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0));
  return {
    traceEvents: [...metadata, ...body],
    displayTimeUnit: 'ms',
    otherData: { scenario: run.header.scenario, seed: run.header.seed, semantics: run.header.semantics, commit: run.header.commit, run: run.name },
  };
}

function isRpcEdge(e: InstrumentEvent): boolean {
  return e.kind === 'remoting.request.sent' || e.kind === 'remoting.request.received' || e.kind === 'remoting.response.sent'
    || e.kind === 'remoting.response.received' || e.kind === 'remoting.request.timed-out';
}

function instant(e: InstrumentEvent, pid: number, tid: number, lane: string): TraceEvent {
  const args: Record<string, unknown> = { seq: e.seq, lane, data: e.data };
  if (e.msg !== undefined) args['msg'] = e.msg;
  if (e.why !== undefined) args['why'] = e.why;
  if (e.rpc !== undefined) args['rpc'] = e.rpc;
  if (e.src !== undefined) args['src'] = e.src;
  return { name: e.kind, ph: 'i', s: 't', cat: e.flow ?? e.kind.split('.')[0]!, pid, tid, ts: e.at * 1000, args };
}

/** Counter tracks: the commit-log positions of a broker and the offsets of a consumer's queues. */
function counterOf(e: InstrumentEvent, pid: number): TraceEvent | undefined {
  const c = (name: string, args: Record<string, number>): TraceEvent => ({ name, ph: 'C', pid, tid: 0, ts: e.at * 1000, cat: 'position', args });
  switch (e.kind) {
    case 'store.commitlog.appended': return c('commit log wrote', { wrote: e.data.physOffset + e.data.size });
    case 'store.commitlog.committed': return c('commit log committed', { committed: e.data.committedWhere });
    case 'store.flush.completed': return c('commit log flushed', { flushed: e.data.flushedWhere });
    case 'store.reput.dispatched': return c('reput offset', { dispatched: e.data.reputFromOffset });
    case 'client.offset.updated': return c(`offset ${e.data.mq}`, { inMemory: e.data.offset });
    default: return undefined;
  }
}

/** The RPC slices of both sides, with a flow id on each pair whose two ends were both recorded. */
function rpcSlices(run: LoadedRun): Slice[] {
  const addrs = addressBook(run);
  const lastAt = run.events[run.events.length - 1]?.at ?? 0;
  const open = new Map<string, Slice>();
  const clientByOpaque = new Map<string, Slice>();
  const slices: Slice[] = [];
  const close = (key: string, at: number, status: string): void => {
    const s = open.get(key);
    if (s === undefined) return;
    s.end = Math.max(at, s.start);
    s.args['status'] = status;
    open.delete(key);
  };
  for (const e of run.events) {
    const opaque = e.rpc?.opaque ?? -1;
    const code = e.rpc?.code ?? '';
    if (e.kind === 'remoting.request.sent') {
      const s: Slice = { node: e.node, lane: laneOf(e), start: e.at, end: lastAt, seq: e.seq, name: code || String(e.data.code), args: { opaque, to: addrs.get(e.data.to) ?? e.data.to, oneway: e.data.oneway } };
      slices.push(s);
      clientByOpaque.set(`${e.node}#${opaque}`, s);
      if (e.data.oneway) s.end = e.at;
      else open.set(`c#${e.node}#${opaque}`, s);
    } else if (e.kind === 'remoting.response.received') {
      close(`c#${e.node}#${opaque}`, e.at, String(e.data.code));
    } else if (e.kind === 'remoting.request.timed-out') {
      close(`c#${e.node}#${opaque}`, e.at, 'timeout');
    } else if (e.kind === 'remoting.request.received') {
      const from = addrs.get(e.data.from) ?? e.data.from;
      const s: Slice = { node: e.node, lane: laneOf(e), start: e.at, end: lastAt, seq: e.seq, name: code || String(e.data.code), args: { opaque, from } };
      slices.push(s);
      const client = clientByOpaque.get(`${from}#${opaque}`);
      if (client !== undefined && client.flow === undefined) {
        client.flow = { id: client.seq, dir: 'out' };
        s.flow = { id: client.seq, dir: 'in' };
      }
      if (e.data.oneway) s.end = e.at;
      else open.set(`s#${e.node}#${e.data.from}#${opaque}`, s);
    } else if (e.kind === 'remoting.response.sent') {
      close(`s#${e.node}#${e.data.to}#${opaque}`, e.at, String(e.data.code));
    }
  }
  for (const s of open.values()) s.args['status'] = 'unanswered';
  return slices;
}

/** Give each slice a track of its lane on which it nests: the lane itself, or "lane #k". */
function placeSlices(slices: Slice[]): Array<{ slice: Slice; track: string }> {
  const sorted = [...slices].sort((a, b) => a.start - b.start || b.end - a.end || a.seq - b.seq);
  const stacks = new Map<string, number[][]>();
  const out: Array<{ slice: Slice; track: string }> = [];
  for (const slice of sorted) {
    const key = `${slice.node}\u0000${slice.lane}`;
    const tracks = stacks.get(key) ?? [];
    stacks.set(key, tracks);
    let k = 0;
    for (;; k++) {
      const stack = (tracks[k] ??= []);
      while (stack.length > 0 && stack[stack.length - 1]! <= slice.start) stack.pop();
      const top = stack[stack.length - 1];
      if (top === undefined || slice.end <= top) {
        stack.push(slice.end);
        break;
      }
    }
    out.push({ slice, track: k === 0 ? slice.lane : `${slice.lane} #${k + 1}` });
  }
  return out;
}

/** One async track per message: b at its first event, n per stored copy, e at its last event. */
function messageTracks(run: LoadedRun, pidOf: Map<string, number>, lastAt: number): TraceEvent[] {
  const first = new Map<string, InstrumentEvent>();
  const last = new Map<string, InstrumentEvent>();
  const steps: TraceEvent[] = [];
  for (const e of run.events) {
    for (const key of uniqKeysOf(e)) {
      if (!first.has(key)) first.set(key, e);
      last.set(key, e);
      if (e.kind === 'store.commitlog.appended') {
        steps.push({ name: `msg ${key}`, ph: 'n', cat: 'message', id2: { global: key }, pid: pidOf.get(first.get(key)!.node)!, tid: 0, ts: e.at * 1000,
          args: { step: `${e.data.topic} q${e.data.queueId} #${e.data.queueOffset} @${e.data.physOffset}`, node: e.node, seq: e.seq } });
      }
    }
  }
  const out: TraceEvent[] = [];
  for (const [key, e] of first) {
    const pid = pidOf.get(e.node)!;
    const end = last.get(key)?.at ?? lastAt;
    out.push({ name: `msg ${key}`, ph: 'b', cat: 'message', id2: { global: key }, pid, tid: 0, ts: e.at * 1000, args: { uniqKey: key, topic: e.msg?.topic ?? '' } });
    out.push({ name: `msg ${key}`, ph: 'e', cat: 'message', id2: { global: key }, pid, tid: 0, ts: end * 1000 });
  }
  return [...out, ...steps];
}
