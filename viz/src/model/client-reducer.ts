/**
 * The client half of the reducer: each consumer's queues and offsets, its own rebalance
 * views, message lifelines by UNIQ_KEY, and the RPCs in flight.
 *
 * Two offsets per queue tell the duplicate-consumption story (the learner's most common
 * confusion): the consumer's in-memory offset moves after every consumed batch, the
 * persisted one only every 5 s. A crash loses the first; whoever gets the queue next
 * starts from the broker's copy of the second.
 *
 * ```
 *   consumers.c1.queues["TopicTest@broker-a@0"]
 *     offset     3  ◄ client.offset.updated       (memory)
 *     persisted  1  ◄ client.offset.persisted     (sent to the broker, every 5 s)
 *   brokers.broker-a.consumerOffsets["cg@TopicTest/0"] = 1  ◄ broker.offset.committed
 * ```
 *
 * A lifeline follows one UNIQ_KEY: every commit-log record that carries it is a hop (the
 * producer's topic, SCHEDULE_TOPIC_XXXX, %RETRY%group, %DLQ%group, the half topic), every
 * `client.consume.started` naming it is a delivery, and every event naming it is listed.
 *
 * An RPC is identified by its calling node and opaque (opaques are per client, so two
 * clients reuse the same numbers). Finished RPCs stay listed for a while (the last 16),
 * so the panel can draw the answer arriving.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ; the offsets mirror
 * `RemoteBrokerOffsetStore` and `ConsumerOffsetManager`, the views `RebalanceImpl`.
 *
 * @article pull-consume-2 "Offsets, and why messages come twice"
 * @category Viz
 * @module
 */
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import type { EventDataMap, InstrumentEvent } from '../../../src/events/event-types.js';
import type { StateDraft } from './state-draft.js';
import type { HopView, RpcView } from './viz-state.js';

type Data<K extends keyof EventDataMap> = EventDataMap[K];

/** Finished RPCs kept in the state after their answer. */
const RECENT_RPCS = 16;

const RESPONSE_NAMES = new Map<number, string>(Object.entries(ResponseCode).map(([name, code]) => [code, name]));

/** Every UNIQ_KEY an event names: in `msg`, or as `data.uniqKey` / `data.uniqKeys`. */
export function uniqKeysOf(e: InstrumentEvent): string[] {
  const keys: string[] = [];
  const add = (k: unknown): void => {
    if (typeof k === 'string' && k !== '' && !keys.includes(k)) keys.push(k);
  };
  add(e.msg?.uniqKey);
  const data = e.data as { uniqKey?: unknown; uniqKeys?: unknown };
  add(data.uniqKey);
  if (Array.isArray(data.uniqKeys)) for (const k of data.uniqKeys) add(k);
  return keys;
}

/** List the event on every lifeline it names; an append adds a hop, a consume a delivery. */
export function followMessages(d: StateDraft, e: InstrumentEvent): void {
  for (const key of uniqKeysOf(e)) {
    const m = d.message(key);
    (m.seqs = d.own(m.seqs)).push(e.seq);
    if (e.kind === 'store.commitlog.appended') {
      (m.hops = d.own(m.hops)).push(hopOf(e, e.data));
    } else if (e.kind === 'client.consume.started') {
      const delivery: MessageDelivery = { consumer: e.node, at: e.at, seq: e.seq };
      if (e.data.uniqKeys.length === 1 && e.msg?.reconsumeTimes !== undefined) delivery.reconsumeTimes = e.msg.reconsumeTimes;
      (m.deliveries = d.own(m.deliveries)).push(delivery);
    }
  }
}

type MessageDelivery = { consumer: string; at: number; seq: number; reconsumeTimes?: number };

function hopOf(e: InstrumentEvent, data: Data<'store.commitlog.appended'>): HopView {
  const hop: HopView = {
    topic: data.topic, queueId: data.queueId, queueOffset: data.queueOffset, physOffset: data.physOffset, node: e.node, at: e.at, seq: e.seq, kind: e.kind,
  };
  const reconsumeTimes = data.record?.reconsumeTimes ?? e.msg?.reconsumeTimes;
  if (reconsumeTimes !== undefined) hop.reconsumeTimes = reconsumeTimes;
  const delayText = data.record?.properties['DELAY'];
  const delayLevel = e.msg?.delayLevel ?? (delayText === undefined ? undefined : Number.parseInt(delayText, 10));
  if (delayLevel !== undefined && Number.isFinite(delayLevel) && delayLevel > 0) hop.delayLevel = delayLevel;
  return hop;
}

/** The consumer's events: assignment, pulls, buffers, offsets, locks, rebalance views. */
export function consumerEvent(d: StateDraft, e: InstrumentEvent): void {
  const node = e.node;
  switch (e.kind) {
    case 'client.rebalance.computed': {
      const c = d.consumer(node);
      c.group = e.data.group;
      c.clientId = e.data.me;
      (c.rebalance = d.own(c.rebalance))[e.data.topic] = {
        strategy: e.data.strategy, me: e.data.me, cidAll: e.data.cidAll, mqAll: e.data.mqAll, allocated: e.data.allocated, seq: e.seq, at: e.at,
      };
      d.touch(`consumers.${node}.rebalance.${e.data.topic}`);
      return;
    }
    case 'client.queue.added': {
      const q = d.consumerQueue(node, e.data.mq, e.data.group);
      q.assigned = true;
      q.nextPullOffset = e.data.nextOffset;
      return;
    }
    case 'client.queue.dropped': {
      const q = d.consumerQueue(node, e.data.mq, e.data.group);
      q.assigned = false;
      q.inflight = 0;
      q.locked = false;
      if (e.data.offsetPersisted >= 0) q.persisted = e.data.offsetPersisted;
      return;
    }
    case 'client.queue.locked':
      for (const mq of e.data.mqs) d.consumerQueue(node, mq, e.data.group).locked = true;
      for (const mq of e.data.refused) d.consumerQueue(node, mq, e.data.group).locked = false;
      return;
    case 'client.queue.unlocked':
      for (const mq of e.data.mqs) d.consumerQueue(node, mq, e.data.group).locked = false;
      return;
    case 'client.pull.requested':
      d.consumerQueue(node, e.data.mq, e.data.group).nextPullOffset = e.data.queueOffset;
      return;
    case 'client.pull.received':
      d.consumerQueue(node, e.data.mq, e.data.group).nextPullOffset = e.data.nextBeginOffset;
      return;
    case 'client.processqueue.put':
      d.consumerQueue(node, e.data.mq, e.data.group).inflight = e.data.inflight;
      return;
    case 'client.consume.started': {
      const c = d.consumer(node);
      c.consumed += e.data.uniqKeys.length;
      d.touch(`consumers.${node}.consumed`);
      return;
    }
    case 'client.offset.updated':
      d.consumerQueue(node, e.data.mq, e.data.group).offset = e.data.offset;
      return;
    case 'client.offset.persisted':
      for (const entry of e.data.entries) d.consumerQueue(node, entry.mq, e.data.group).persisted = entry.offset;
      return;
    case 'client.lite.assigned':
      for (const mq of e.data.added) d.consumerQueue(node, mq, e.data.group).assigned = true;
      for (const mq of e.data.removed) d.consumerQueue(node, mq, e.data.group).assigned = false;
      return;
    case 'client.lite.polled': {
      const c = d.consumer(node);
      c.consumed += e.data.count;
      d.touch(`consumers.${node}.consumed`);
      return;
    }
    case 'client.lite.seeked':
      d.consumerQueue(node, e.data.mq, e.data.group).nextPullOffset = e.data.offset;
      return;
    case 'client.lite.committed':
      for (const entry of e.data.entries) {
        const q = d.consumerQueue(node, entry.mq, e.data.group);
        q.offset = entry.offset;
        if (e.data.persisted) q.persisted = entry.offset;
      }
      return;
    default:
      return;
  }
}

/** A client node crashed: everything it held in memory is gone. */
export function consumerCrashed(d: StateDraft, node: string): void {
  if (d.state.consumers[node] === undefined) return;
  const c = d.consumer(node);
  c.queues = {};
  c.rebalance = {};
  d.touch(`consumers.${node}`);
}

/** The RPC table: requests sent, answered, timed out, or cut off by a closed connection. */
export function rpcEvent(d: StateDraft, e: InstrumentEvent): void {
  switch (e.kind) {
    case 'remoting.connection.opened':
      if (d.state.addrs[e.data.local] !== e.node) {
        (d.state.addrs = d.own(d.state.addrs))[e.data.local] = e.node;
        d.touch('addrs');
      }
      return;
    case 'remoting.request.sent': {
      const rpc: RpcView = {
        opaque: e.rpc?.opaque ?? -1, code: e.rpc?.code ?? String(e.data.code), from: e.node, to: d.state.addrs[e.data.to] ?? e.data.to,
        sentAt: e.at, seq: e.seq, oneway: e.data.oneway,
      };
      (d.state.rpcs = d.own(d.state.rpcs)).push(rpc);
      pruneRpcs(d);
      return;
    }
    case 'remoting.request.received':
      if (e.data.oneway) finishRpc(d, d.state.addrs[e.data.from] ?? e.data.from, e.rpc?.opaque, e.at, 'oneway');
      return;
    case 'remoting.response.received':
      finishRpc(d, e.node, e.rpc?.opaque, e.at, RESPONSE_NAMES.get(e.data.code) ?? String(e.data.code));
      return;
    case 'remoting.request.timed-out':
      finishRpc(d, e.node, e.rpc?.opaque, e.at, 'timeout');
      return;
    case 'remoting.connection.closed': {
      const to = d.state.addrs[e.data.remote] ?? e.data.remote;
      let cut = false;
      d.state.rpcs.forEach((r, i) => {
        if (r.from !== e.node || r.to !== to || r.answeredAt !== undefined) return;
        (d.state.rpcs = d.own(d.state.rpcs))[i] = { ...r, answeredAt: e.at, status: 'closed' };
        cut = true;
      });
      if (cut) pruneRpcs(d);
      return;
    }
    default:
      return;
  }
}

function finishRpc(d: StateDraft, from: string, opaque: number | undefined, at: number, status: string): void {
  if (opaque === undefined) return;
  const i = d.state.rpcs.findIndex((r) => r.from === from && r.opaque === opaque && r.answeredAt === undefined);
  if (i < 0) return;
  (d.state.rpcs = d.own(d.state.rpcs))[i] = { ...d.state.rpcs[i]!, answeredAt: at, status };
  pruneRpcs(d);
}

/** Keep every RPC in flight and the last {@link RECENT_RPCS} finished ones, in send order. */
function pruneRpcs(d: StateDraft): void {
  let done = d.state.rpcs.reduce((n, r) => n + (r.answeredAt === undefined ? 0 : 1), 0);
  if (done > RECENT_RPCS) d.state.rpcs = d.adopt(d.state.rpcs.filter((r) => r.answeredAt === undefined || done-- <= RECENT_RPCS));
  d.touch('rpcs');
}
