/**
 * One-line summaries of events, for the event list, the lane view and the step log.
 *
 * A learner scans the list for the facts that matter ("TopicTest/0 @0 +164 B"), not for
 * JSON. The kinds that carry a position or a decision get a hand-made line; any other
 * kind falls back to its first few scalar payload fields, so a kind added later still reads
 * sensibly without touching this file.
 */
import type { InstrumentEvent } from '../model/index.js';

type Data = Record<string, unknown>;

const num = (v: unknown): string => (typeof v === 'number' ? String(v) : '?');

function rpcLine(e: InstrumentEvent, d: Data): string {
  const code = e.rpc?.code ?? String(d['code']);
  const opaque = e.rpc === undefined ? '' : ` #${e.rpc.opaque}`;
  switch (e.kind) {
    case 'remoting.request.sent': return `${code}${opaque} → ${String(d['to'])}${d['oneway'] === true ? ' (oneway)' : ''}`;
    case 'remoting.request.received': return `${code}${opaque} ← ${String(d['from'])}`;
    case 'remoting.response.sent': return `${code}${opaque} reply ${num(d['code'])}${typeof d['remark'] === 'string' ? ` ${d['remark']}` : ''}`;
    case 'remoting.response.received': return `${code}${opaque} answered ${num(d['code'])} in ${num(d['elapsedMs'])} ms`;
    case 'remoting.request.timed-out': return `${code}${opaque} timed out after ${num(d['timeoutMs'])} ms`;
    default: return `${code}${opaque}`;
  }
}

/** A short description of what the event says, without its kind. */
export function eventSummary(e: InstrumentEvent): string {
  const d = e.data as Data;
  if (e.kind.startsWith('remoting.') && e.kind !== 'remoting.connection.opened' && e.kind !== 'remoting.connection.closed') return rpcLine(e, d);
  switch (e.kind) {
    case 'store.commitlog.appended':
      return `${String(d['topic'])}/${num(d['queueId'])} #${num(d['queueOffset'])} @${num(d['physOffset'])} +${num(d['size'])} B`;
    case 'store.consumequeue.appended':
      return `${String(d['topic'])}/${num(d['queueId'])} unit #${num(d['queueOffset'])} → (${num(d['physOffset'])}, ${num(d['size'])}, ${num(d['tagsCode'])})`;
    case 'store.flush.completed': return `flushed up to ${num(d['flushedWhere'])}`;
    case 'store.commitlog.committed': return `committed up to ${num(d['committedWhere'])}`;
    case 'store.reput.dispatched': return `${String(d['topic'])}/${num(d['queueId'])} @${num(d['physOffset'])}; next ${num(d['reputFromOffset'])}`;
    case 'store.message.arrived': return `${String(d['topic'])}/${num(d['queueId'])} max ${num(d['maxQueueOffset'])}`;
    case 'broker.pull.suspended': return `hold ${String(d['key'])} (${String(d['group'])}) at offset ${num(d['offset'])}`;
    case 'broker.pull.woken': return `${String(d['key'] ?? '')} woken: ${String(d['reason'])}`;
    case 'walkthrough.beat.reached': return String(d['id']);
    default: break;
  }
  if (e.why !== undefined) return `${e.why.rule} → ${short(e.why.outcome)}`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(d)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') parts.push(`${k}=${String(v)}`);
    if (parts.length === 3) break;
  }
  return parts.join(' ');
}

/** A compact rendering of any JSON value, cut at `max` characters. */
export function short(value: unknown, max = 60): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The flow colour class of an event (`flow-store`, `flow-pull`, ...), for the list and lanes. */
export function flowClass(e: InstrumentEvent): string {
  if (e.flow !== undefined) return `flow-${e.flow}`;
  if (e.kind.startsWith('remoting.')) return 'flow-remoting';
  return `flow-${e.kind.split('.')[0] ?? 'other'}`;
}

/** Decision events (with `why`), beats and faults: where Shift+→ stops. */
export function isTeachingMoment(e: InstrumentEvent): boolean {
  return e.why !== undefined || e.kind === 'walkthrough.beat.reached' || e.kind.startsWith('sim.node.') || e.flow === 'fault';
}
