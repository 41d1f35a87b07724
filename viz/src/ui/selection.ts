/**
 * What the learner has clicked: one string, so it fits in the URL (`&sel=msg:…`).
 *
 * Every panel can select, and every panel highlights what is linked to the selection: a
 * consume-queue unit lights up the commit-log record it points to, a record lights up its
 * message's lifeline, and so on. The selection names things by their broker-side identity
 * (physical offset, queue offset, UNIQ_KEY), never by a screen position, so a deep link
 * keeps meaning the same thing after a reload.
 *
 * ```
 *   msg:<UNIQ_KEY>                         one message, across topic rewrites
 *   node:<node>                            a name server, broker or client
 *   rec:<broker>:<physOffset>              one commit-log record
 *   cq:<broker>:<topic>/<queueId>:<qoff>   one 20-byte consume-queue unit
 *   rpc:<seq of remoting.request.sent>     one request/response pair
 *   ev:<seq>                               one event
 * ```
 */
import type { InstrumentEvent, RecordView, VizState } from '../model/index.js';

export type Selection =
  | { type: 'msg'; uniqKey: string }
  | { type: 'node'; node: string }
  | { type: 'rec'; broker: string; physOffset: number }
  | { type: 'cq'; broker: string; queue: string; queueOffset: number }
  | { type: 'rpc'; seq: number }
  | { type: 'ev'; seq: number };

/** Parse a selection string; `undefined` for anything malformed (a hand-edited URL). */
export function parseSelection(sel: string | undefined): Selection | undefined {
  if (sel === undefined || sel === '') return undefined;
  const colon = sel.indexOf(':');
  if (colon < 0) return undefined;
  const type = sel.slice(0, colon);
  const rest = sel.slice(colon + 1);
  const int = (s: string | undefined): number | undefined => (s !== undefined && /^-?\d+$/.test(s) ? Number(s) : undefined);
  switch (type) {
    case 'msg':
      return rest ? { type, uniqKey: rest } : undefined;
    case 'node':
      return rest ? { type, node: rest } : undefined;
    case 'rec': {
      const i = rest.lastIndexOf(':');
      const physOffset = int(rest.slice(i + 1));
      return i > 0 && physOffset !== undefined ? { type, broker: rest.slice(0, i), physOffset } : undefined;
    }
    case 'cq': {
      const last = rest.lastIndexOf(':');
      const first = rest.indexOf(':');
      const queueOffset = int(rest.slice(last + 1));
      if (first <= 0 || last <= first || queueOffset === undefined) return undefined;
      return { type, broker: rest.slice(0, first), queue: rest.slice(first + 1, last), queueOffset };
    }
    case 'rpc':
    case 'ev': {
      const seq = int(rest);
      return seq !== undefined ? { type, seq } : undefined;
    }
    default:
      return undefined;
  }
}

export function formatSelection(s: Selection): string {
  switch (s.type) {
    case 'msg': return `msg:${s.uniqKey}`;
    case 'node': return `node:${s.node}`;
    case 'rec': return `rec:${s.broker}:${s.physOffset}`;
    case 'cq': return `cq:${s.broker}:${s.queue}:${s.queueOffset}`;
    case 'rpc': return `rpc:${s.seq}`;
    case 'ev': return `ev:${s.seq}`;
  }
}

/** The commit-log record a selection points at, if any (a record, or the unit's target). */
export function selectedRecord(state: VizState, s: Selection | undefined): { broker: string; record: RecordView } | undefined {
  if (s === undefined) return undefined;
  if (s.type === 'rec' || s.type === 'cq') {
    const broker = state.brokers[s.broker];
    if (broker === undefined) return undefined;
    let phys = s.type === 'rec' ? s.physOffset : undefined;
    if (s.type === 'cq') phys = broker.consumeQueues[s.queue]?.find((u) => u.queueOffset === s.queueOffset)?.physOffset;
    const record = broker.commitLog.records.find((r) => r.physOffset === phys);
    return record === undefined ? undefined : { broker: s.broker, record };
  }
  return undefined;
}

/** The UNIQ_KEY a selection is about: the message itself, a record's, a unit's record's, an event's. */
export function selectedUniqKey(state: VizState, s: Selection | undefined, events: readonly InstrumentEvent[]): string | undefined {
  if (s === undefined) return undefined;
  if (s.type === 'msg') return s.uniqKey;
  if (s.type === 'rec' || s.type === 'cq') return selectedRecord(state, s)?.record.uniqKey;
  if (s.type === 'ev') return events[s.seq - 1]?.msg?.uniqKey;
  return undefined;
}

/** The broker the storage panels should show: the selected one, else the first master. */
export function focusBroker(state: VizState, s: Selection | undefined): string | undefined {
  if (s !== undefined && (s.type === 'rec' || s.type === 'cq') && state.brokers[s.broker] !== undefined) return s.broker;
  if (s !== undefined && s.type === 'node' && state.brokers[s.node] !== undefined) return s.node;
  const names = Object.keys(state.brokers);
  const master = state.nodes.find((n) => n.role === 'broker-master' && names.includes(n.id));
  return master?.id ?? names[0];
}
