/**
 * Export a run as OTLP JSON Lines (one `{"resourceSpans":[...]}` object per line, one line
 * per node), the format Jaeger's "upload" and the OpenTelemetry collector's file receiver
 * read. It is for "see it in a real tracer"; the viz itself teaches the mechanism.
 *
 * The spans follow the OpenTelemetry messaging conventions:
 *
 * ```
 *   producer-1  send TopicTest (PRODUCER) ─────────────┐  creation context of the message
 *   broker-a      store TopicTest (INTERNAL, child) ·  │  one per stored copy (retry, DLQ, half, ...)
 *   consumer-1  receive TopicTest (CONSUMER)           │  a pull that returned messages
 *                 process TopicTest (CONSUMER, child) ─┘  link → the creation span
 *                   settle (INTERNAL, child)              send-back, or the offset update after it
 * ```
 *
 * Ids are derived from (seed, UNIQ_KEY, seq) by a fixed hash, and timestamps are the run's
 * start (`config.startMs`) plus simulated ms, in nanoseconds, so the same run always
 * exports byte-identical text.
 *
 * Differences from RocketMQ 4.9.x: RocketMQ 4.9's own message trace writes records to
 * RMQ_SYS_TRACE_TOPIC, not OpenTelemetry spans; the 5.x clients emit spans like these.
 *
 * @article send-receive "Following one message"
 * @category Viz
 * @module
 */
import type { InstrumentEvent } from '../../../src/events/event-types.js';
import { uniqKeysOf } from './client-reducer.js';
import { nodesOf, runEpochMs } from './trace-lanes.js';
import type { LoadedRun } from './viz-state.js';

/** The semantic-conventions version the attribute names follow. */
const SCHEMA_URL = 'https://opentelemetry.io/schemas/1.26.0';
const KIND_INTERNAL = 1;
const KIND_PRODUCER = 4;
const KIND_CONSUMER = 5;

type AttrValue = string | number | boolean | string[];

interface Span {
  node: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  start: number;
  end: number;
  attributes: Record<string, AttrValue>;
  links?: Array<{ traceId: string; spanId: string }>;
  error?: string;
}

/** The run as OTLP JSON Lines text. */
export function toOtlp(run: LoadedRun): string {
  const seed = run.header.seed;
  const spans: Span[] = [];
  const creation = new Map<string, Span>();
  const openSends = new Map<string, Span>();
  const openPulls = new Map<string, InstrumentEvent>();
  const lastReceive = new Map<string, Span>();
  const openProcess = new Map<string, Span[]>();
  const settleable = new Map<string, Span[]>();
  const lastProcess = new Map<string, Span>();
  const txKeys = new Set<string>();
  for (const e of run.events) if (e.kind === 'client.tx.half-sent') txKeys.add(e.data.uniqKey);
  const base = { 'messaging.system': 'rocketmq' };

  for (const e of run.events) {
    switch (e.kind) {
      case 'client.message.created': {
        const key = e.data.uniqKey;
        const first = creation.get(key);
        const span: Span = {
          node: e.node, traceId: first?.traceId ?? traceIdOf(seed, key), spanId: spanIdOf(seed, key, e.seq), name: `send ${e.data.topic}`, kind: KIND_PRODUCER, start: e.at, end: e.at,
          attributes: { ...base, 'messaging.operation': 'publish', 'messaging.destination.name': e.data.topic, 'messaging.message.id': key,
            'messaging.message.body.size': e.data.bodyLen, 'messaging.rocketmq.message.type': txKeys.has(key) ? 'transaction' : 'normal' },
        };
        if (e.data.tags !== undefined) span.attributes['messaging.rocketmq.message.tag'] = e.data.tags;
        if (e.data.keys !== undefined) span.attributes['messaging.rocketmq.message.keys'] = e.data.keys.split(' ').filter((k) => k !== '');
        if (first !== undefined) span.parentSpanId = first.spanId;
        else creation.set(key, span);
        spans.push(span);
        openSends.set(`${e.node}#${key}`, span);
        break;
      }
      case 'client.send.completed':
      case 'client.send.timed-out': {
        const span = openSends.get(`${e.node}#${e.data.uniqKey}`);
        if (span === undefined) break;
        span.end = e.at;
        if (e.kind === 'client.send.completed') span.attributes['messaging.rocketmq.send.status'] = e.data.status;
        else span.error = `timed out after ${e.data.elapsedMs} ms: outcome unknown`;
        openSends.delete(`${e.node}#${e.data.uniqKey}`);
        break;
      }
      case 'store.commitlog.appended': {
        const key = e.msg?.uniqKey;
        const parent = key === undefined ? undefined : creation.get(key);
        if (key === undefined || parent === undefined) break;
        spans.push({
          node: e.node, traceId: parent.traceId, parentSpanId: parent.spanId, spanId: spanIdOf(seed, key, e.seq), name: `store ${e.data.topic}`, kind: KIND_INTERNAL,
          start: e.at, end: e.at, attributes: { ...base, 'messaging.destination.name': e.data.topic, 'messaging.destination.partition.id': String(e.data.queueId),
            'messaging.rocketmq.queue_offset': e.data.queueOffset, 'messaging.rocketmq.physical_offset': e.data.physOffset },
        });
        break;
      }
      case 'client.pull.requested':
        openPulls.set(`${e.node}#${e.data.mq}`, e);
        break;
      case 'client.pull.received': {
        const req = openPulls.get(`${e.node}#${e.data.mq}`);
        openPulls.delete(`${e.node}#${e.data.mq}`);
        if (req === undefined || e.data.count === 0) break;
        const topic = e.data.mq.split('@')[0] ?? e.data.mq;
        const span: Span = {
          node: e.node, traceId: traceIdOf(seed, `receive#${req.seq}`), spanId: spanIdOf(seed, 'receive', e.seq), name: `receive ${topic}`, kind: KIND_CONSUMER,
          start: req.at, end: e.at, attributes: { ...base, 'messaging.operation': 'receive', 'messaging.destination.name': topic, 'messaging.consumer.group.name': e.data.group,
            'messaging.batch.message_count': e.data.count, 'messaging.rocketmq.consumption_model': 'clustering' },
        };
        spans.push(span);
        lastReceive.set(`${e.node}#${e.data.mq}`, span);
        break;
      }
      case 'client.consume.started': {
        const topic = e.data.mq.split('@')[0] ?? e.data.mq;
        const receive = lastReceive.get(`${e.node}#${e.data.mq}`);
        const batch: Span[] = [];
        for (const key of e.data.uniqKeys) {
          const created = creation.get(key);
          const span: Span = {
            node: e.node, traceId: receive?.traceId ?? traceIdOf(seed, `process#${key}#${e.seq}`), spanId: spanIdOf(seed, key, e.seq), name: `process ${topic}`, kind: KIND_CONSUMER,
            start: e.at, end: e.at, attributes: { ...base, 'messaging.operation': 'process', 'messaging.destination.name': topic, 'messaging.message.id': key,
              'messaging.consumer.group.name': e.data.group, 'messaging.rocketmq.consumption_model': 'clustering' },
          };
          if (receive !== undefined) span.parentSpanId = receive.spanId;
          if (created !== undefined) span.links = [{ traceId: created.traceId, spanId: created.spanId }];
          if (e.data.uniqKeys.length === 1 && e.msg?.reconsumeTimes !== undefined) span.attributes['messaging.rocketmq.message.reconsume_times'] = e.msg.reconsumeTimes;
          spans.push(span);
          batch.push(span);
          lastProcess.set(`${e.node}#${key}`, span);
        }
        openProcess.set(`${e.node}#${e.data.mq}#${e.data.queueOffsets.join(',')}`, batch);
        break;
      }
      case 'client.consume.succeeded':
      case 'client.consume.failed': {
        const id = `${e.node}#${e.data.mq}#${e.data.queueOffsets.join(',')}`;
        const batch = openProcess.get(id) ?? [];
        openProcess.delete(id);
        for (const span of batch) {
          span.end = e.at;
          span.attributes['messaging.rocketmq.consume.status'] = e.data.status;
          if (e.kind === 'client.consume.failed') span.error = e.data.error ?? e.data.status;
        }
        settleable.set(`${e.node}#${e.data.mq}`, batch);
        break;
      }
      case 'client.message.sent-back': {
        const parent = lastProcess.get(`${e.node}#${e.data.uniqKey}`);
        if (parent !== undefined) spans.push(settle(parent, seed, e, `settle: send back (delay level ${e.data.delayLevel})`));
        break;
      }
      case 'client.offset.updated': {
        const batch = settleable.get(`${e.node}#${e.data.mq}`);
        settleable.delete(`${e.node}#${e.data.mq}`);
        for (const parent of batch ?? []) spans.push(settle(parent, seed, e, `settle: offset ${e.data.offset}`));
        break;
      }
      default:
        break;
    }
  }
  return encode(run, spans);
}

function settle(parent: Span, seed: number, e: InstrumentEvent, what: string): Span {
  return {
    node: e.node, traceId: parent.traceId, parentSpanId: parent.spanId, spanId: spanIdOf(seed, `settle#${parent.spanId}`, e.seq), name: 'settle', kind: KIND_INTERNAL,
    start: e.at, end: e.at, attributes: { 'messaging.system': 'rocketmq', 'messaging.operation': 'settle', 'rocketmq.settle': what },
  };
}

function encode(run: LoadedRun, spans: readonly Span[]): string {
  const epoch = BigInt(runEpochMs(run));
  const nanos = (ms: number): string => ((epoch + BigInt(Math.round(ms))) * 1_000_000n).toString();
  const lines: string[] = [];
  for (const node of nodesOf(run)) {
    const mine = spans.filter((s) => s.node === node);
    if (mine.length === 0) continue;
    const resource = { attributes: [attr('service.name', node), attr('service.namespace', run.header.scenario), attr('rocketmq.semantics', run.header.semantics)] };
    const otlpSpans = mine.map((s) => {
      const out: Record<string, unknown> = { traceId: s.traceId, spanId: s.spanId };
      if (s.parentSpanId !== undefined) out['parentSpanId'] = s.parentSpanId;
      Object.assign(out, {
        name: s.name, kind: s.kind, startTimeUnixNano: nanos(s.start), endTimeUnixNano: nanos(s.end),
        attributes: Object.entries(s.attributes).map(([k, v]) => attr(k, v)),
      });
      if (s.links !== undefined) out['links'] = s.links.map((l) => ({ ...l, attributes: [attr('messaging.link', 'creation')] }));
      out['status'] = s.error === undefined ? { code: 1 } : { code: 2, message: s.error };
      return out;
    });
    lines.push(JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'rocketmq-ts-viz', version: '1' }, spans: otlpSpans, schemaUrl: SCHEMA_URL }], schemaUrl: SCHEMA_URL }] }));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function attr(key: string, value: AttrValue): { key: string; value: Record<string, unknown> } {
  if (Array.isArray(value)) return { key, value: { arrayValue: { values: value.map((v) => ({ stringValue: v })) } } };
  if (typeof value === 'boolean') return { key, value: { boolValue: value } };
  if (typeof value === 'number') return { key, value: Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value } };
  return { key, value: { stringValue: value } };
}

/** 16-byte trace id (32 hex digits) of one message's trace. */
export function traceIdOf(seed: number, key: string): string {
  return hashHex(`${seed}\u0000${key}\u0000trace`, 4);
}

/** 8-byte span id (16 hex digits) for (seed, key, seq). */
export function spanIdOf(seed: number, key: string, seq: number): string {
  return hashHex(`${seed}\u0000${key}\u0000${seq}`, 2);
}

/** `words` × 32 bits of FNV-1a over `text`, each word with its own offset basis; never all zeros. */
function hashHex(text: string, words: number): string {
  let out = '';
  for (let w = 0; w < words; w++) {
    let h = (0x811c9dc5 ^ Math.imul(w + 1, 0x9e3779b1)) >>> 0;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d) >>> 0;
    h ^= h >>> 12;
    out += (h >>> 0).toString(16).padStart(8, '0');
  }
  return /^0+$/.test(out) ? `${out.slice(0, -1)}1` : out;
}
