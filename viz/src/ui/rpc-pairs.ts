/**
 * Matches the four events of every RPC by opaque, once per run, for the lane view's arrows.
 *
 * RocketMQ pairs a response with its request by the `opaque` number the caller put in the
 * request header. Opaques are counted per calling process, so `opaque 1` means different
 * calls on different nodes; the caller is found from the address the server saw, which the
 * `remoting.connection.opened` events tie to a node:
 *
 * ```
 *   producer-1  request.sent   #1 to 10.0.0.2:10911 ─┐
 *   broker-a    request.received #1 from 10.0.1.11:50001   (10.0.1.11:50001 = producer-1)
 *   broker-a    response.sent  #1 to 10.0.1.11:50001 ─┐
 *   producer-1  response.received #1                 ◄┘    (same node, same opaque)
 * ```
 *
 * A oneway request has no response; a timed-out one ends in `remoting.request.timed-out`
 * and its late response, if any, is the broker's `response.sent` with no `received` twin.
 */
import type { InstrumentEvent } from '../model/index.js';

export interface RpcPair {
  /** Seq of `remoting.request.sent`: the pair's id (`rpc:<seq>`). */
  id: number;
  opaque: number;
  code: string;
  from: string;
  to: string;
  sent: number;
  received?: number;
  replied?: number;
  answered?: number;
  timedOut?: number;
}

export interface RpcIndex {
  pairs: RpcPair[];
  /** Seq of any of the four events → its pair. */
  bySeq: Map<number, RpcPair>;
}

/** Pair every RPC event of the run. Pure; call once per loaded run. */
export function pairRpcs(events: readonly InstrumentEvent[]): RpcIndex {
  const owner = new Map<string, string>();
  const pairs: RpcPair[] = [];
  const bySeq = new Map<number, RpcPair>();
  const waitingAtClient = new Map<string, RpcPair>();
  const waitingAtServer = new Map<string, RpcPair>();
  const unreceived: RpcPair[] = [];
  for (const e of events) {
    const d = e.data as Record<string, unknown>;
    if (e.kind === 'remoting.connection.opened') {
      if (typeof d['local'] === 'string') owner.set(d['local'], e.node);
      continue;
    }
    if (e.rpc === undefined) continue;
    const opaque = e.rpc.opaque;
    const nodeOf = (addr: unknown): string => (typeof addr === 'string' ? owner.get(addr) ?? addr : '?');
    switch (e.kind) {
      case 'remoting.request.sent': {
        const pair: RpcPair = { id: e.seq, opaque, code: e.rpc.code, from: e.node, to: nodeOf(d['to']), sent: e.seq };
        pairs.push(pair);
        waitingAtClient.set(`${e.node}|${opaque}`, pair);
        unreceived.push(pair);
        bySeq.set(e.seq, pair);
        break;
      }
      case 'remoting.request.received': {
        const client = nodeOf(d['from']);
        let pair = waitingAtClient.get(`${client}|${opaque}`);
        if (pair === undefined || pair.received !== undefined) pair = unreceived.find((p) => p.opaque === opaque && p.code === e.rpc?.code && p.to === e.node);
        if (pair === undefined) break;
        pair.received = e.seq;
        pair.to = e.node;
        unreceived.splice(unreceived.indexOf(pair), 1);
        waitingAtServer.set(`${e.node}|${pair.from}|${opaque}`, pair);
        bySeq.set(e.seq, pair);
        break;
      }
      case 'remoting.response.sent': {
        const key = `${e.node}|${nodeOf(d['to'])}|${opaque}`;
        const pair = waitingAtServer.get(key);
        if (pair === undefined) break;
        waitingAtServer.delete(key);
        pair.replied = e.seq;
        bySeq.set(e.seq, pair);
        break;
      }
      case 'remoting.response.received':
      case 'remoting.request.timed-out': {
        const key = `${e.node}|${opaque}`;
        const pair = waitingAtClient.get(key);
        if (pair === undefined) break;
        waitingAtClient.delete(key);
        if (e.kind === 'remoting.response.received') pair.answered = e.seq;
        else pair.timedOut = e.seq;
        bySeq.set(e.seq, pair);
        break;
      }
      default:
        break;
    }
  }
  return { pairs, bySeq };
}
