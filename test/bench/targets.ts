// Targets T1–T8 of performance.md section 5, judged against this run's measurements.
//
// Each target has a headline figure and a list of checks. A check compares a figure with a floor:
// the absolute floors of issue 10 (e.g. T1 ≥ 31,000 msg/s), and the floors relative to the peers
// of performance.md section 2 (fixed numbers measured side by side on this machine kind), to the
// physical probe of this run, or to another figure of this run. Lines marked "info" are ratios
// that have no floor (goals, context); they are printed but never fail.
import type { ProbeResult } from './physical-probe.js';

/** Peer figures of performance.md section 2 (1 KiB unless noted). */
export const PEERS = {
  redisEverysecProduce: 43_763,
  redisAlwaysProduce: 18_600,
  rabbitQuorumProduce: 16_670,
  natsRawProduce: 73_739,
  natsJetStreamConsume: 106_922,
  mockProduce: 56_118,
  mockConsume: 292_861,
  mockE2eP99Ms: 4.6,
  mockServerCpuUsPerMsg: 15.9,
} as const;

export interface PhaseFigures {
  messages: number;
  seconds: number;
  msgPerSec: number;
  payloadMBps: number;
  clientCores: number;
  serverCores: number;
  serverCpuUsPerMsg: number;
  errors: number;
  firstError?: string | undefined;
  /** msg/s of each run when the figures above are medians of several (see repeat.ts). */
  runMsgPerSec?: number[];
}

export interface LatencyFigures {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  recorded: number;
  sent: number;
  received: number;
  /** p99 of each run when the figures above are medians of several (see repeat.ts). */
  runP99Ms?: number[];
}

export interface Measurements {
  probe: ProbeResult;
  asyncProduce1k: PhaseFigures;
  asyncProduce128: PhaseFigures;
  batchProduce: PhaseFigures;
  consume: PhaseFigures;
  ownProducer: PhaseFigures;
  syncProduce1k: PhaseFigures;
  e2eAsync: LatencyFigures;
  e2eSync: LatencyFigures;
}

export interface Check {
  text: string;
  pass: boolean;
}

export interface TargetRow {
  id: string;
  title: string;
  value: number;
  unit: string;
  detail: string;
  checks: Check[];
  info: string[];
}

const int = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const x = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(2)}×` : 'n/a');
const ms = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(2)} ms` : 'n/a');

function atLeast(value: number, floor: number, text: string): Check {
  return { text, pass: Number.isFinite(value) && value >= floor };
}

function atMost(value: number, ceiling: number, text: string): Check {
  return { text, pass: Number.isFinite(value) && value <= ceiling };
}

/** `value` as a multiple of `peer`, checked against `floorRatio`. */
function ratio(value: number, peer: number, floorRatio: number, name: string): Check {
  const r = value / peer;
  return atLeast(r, floorRatio, `${x(r)} ${name} ${int(peer)} (floor ≥ ${floorRatio.toFixed(2)}×)`);
}

/** ` (runs 40,112–44,980)` when the figure is a median of several runs. */
function runRange(values: readonly number[] | undefined, format: (n: number) => string): string {
  if (values === undefined || values.length < 2) return '';
  return ` (runs ${format(Math.min(...values))}–${format(Math.max(...values))})`;
}

function phaseDetail(p: PhaseFigures): string {
  const runs = p.runMsgPerSec !== undefined && p.runMsgPerSec.length > 1 ? `median of ${p.runMsgPerSec.length} runs${runRange(p.runMsgPerSec, int)}, ` : '';
  return `${runs}${p.payloadMBps.toFixed(1)} MB/s, client ${p.clientCores.toFixed(2)} / server ${p.serverCores.toFixed(2)} cores, ${p.serverCpuUsPerMsg.toFixed(1)} µs server CPU/msg${p.errors > 0 ? `, ${int(p.errors)} ERRORS (${p.firstError ?? ''})` : ''}`;
}

export function evaluateTargets(m: Measurements): TargetRow[] {
  const { probe } = m;
  const a1 = m.asyncProduce1k;
  const rows: TargetRow[] = [];
  rows.push({
    id: 'T1', title: 'produce 1 KiB, ASYNC_FLUSH', value: a1.msgPerSec, unit: 'msg/s', detail: phaseDetail(a1),
    checks: [
      atLeast(a1.msgPerSec, 31_000, `${int(a1.msgPerSec)} ≥ 31,000 msg/s (issue floor)`),
      ratio(a1.msgPerSec, PEERS.redisEverysecProduce, 0.7, 'Redis everysec'),
      ratio(a1.msgPerSec, PEERS.mockProduce, 0.55, 'protocol mock'),
      atLeast(a1.errors === 0 ? 1 : 0, 1, `no send errors (${int(a1.errors)})`),
    ],
    info: [
      `goal ≥ 1.0× Redis everysec, ≥ 0.6× NATS raw (${x(a1.msgPerSec / PEERS.natsRawProduce)}), ≥ 0.8× mock (${x(a1.msgPerSec / PEERS.mockProduce)})`,
      `${x(a1.msgPerSec / probe.tcpBatchedMsgPerSec)} of the batched TCP skeleton (${int(probe.tcpBatchedMsgPerSec)} msg/s) in this run`,
    ],
  });
  const s1 = m.syncProduce1k;
  rows.push({
    id: 'T2', title: 'produce 1 KiB, SYNC_FLUSH (group commit)', value: s1.msgPerSec, unit: 'msg/s', detail: phaseDetail(s1),
    checks: [
      atLeast(s1.msgPerSec, 15_000, `${int(s1.msgPerSec)} ≥ 15,000 msg/s (issue floor)`),
      ratio(s1.msgPerSec, PEERS.redisAlwaysProduce, 0.8, 'Redis always'),
      ratio(s1.msgPerSec, PEERS.rabbitQuorumProduce, 0.9, 'RabbitMQ quorum'),
      ratio(s1.msgPerSec, probe.fdatasyncPerSec, 3.5, 'serial fdatasync rate of this run'),
      atLeast(s1.errors === 0 ? 1 : 0, 1, `no send errors (${int(s1.errors)})`),
    ],
    info: [`goal ≥ 1.3× Redis always (${x(s1.msgPerSec / PEERS.redisAlwaysProduce)}), ≥ 0.6× own ASYNC (${x(s1.msgPerSec / a1.msgPerSec)})`],
  });
  const a128 = m.asyncProduce128;
  rows.push({
    id: 'T3', title: 'produce 128 B, ASYNC_FLUSH', value: a128.msgPerSec, unit: 'msg/s', detail: phaseDetail(a128),
    checks: [atLeast(a128.msgPerSec / a1.msgPerSec, 1.0, `${x(a128.msgPerSec / a1.msgPerSec)} own 1 KiB figure ${int(a1.msgPerSec)} (floor ≥ 1.00×)`)],
    info: [`goal ≥ 1.1×`],
  });
  const c = m.consume;
  rows.push({
    id: 'T4', title: 'consume 1 KiB backlog (pull 32/request, 4 queues)', value: c.msgPerSec, unit: 'msg/s', detail: phaseDetail(c),
    checks: [
      atLeast(c.msgPerSec, 100_000, `${int(c.msgPerSec)} ≥ 100,000 msg/s (issue floor)`),
      ratio(c.msgPerSec, PEERS.natsJetStreamConsume, 1.0, 'NATS JetStream consume'),
      atLeast(c.messages, a1.messages, `read back all ${int(a1.messages)} messages (${int(c.messages)})`),
    ],
    info: [`goal ≥ 0.7× protocol mock (${x(c.msgPerSec / PEERS.mockConsume)})`],
  });
  const ea = m.e2eAsync;
  const es = m.e2eSync;
  rows.push({
    id: 'T5', title: 'e2e latency @ 5,000 msg/s, 1 KiB, long polling', value: ea.p99Ms, unit: 'ms p99 (ASYNC)',
    detail: `ASYNC p50 ${ms(ea.p50Ms)} p99 ${ms(ea.p99Ms)}${runRange(ea.runP99Ms, ms)} max ${ms(ea.maxMs)} (${int(ea.recorded)} recorded, ${int(ea.received)}/${int(ea.sent)} received); SYNC p50 ${ms(es.p50Ms)} p99 ${ms(es.p99Ms)}${runRange(es.runP99Ms, ms)} max ${ms(es.maxMs)} (${int(es.recorded)} recorded, ${int(es.received)}/${int(es.sent)} received)`,
    checks: [
      atMost(ea.p50Ms, 1.0, `ASYNC p50 ${ms(ea.p50Ms)} ≤ 1.0 ms`),
      atMost(ea.p99Ms, 10, `ASYNC p99 ${ms(ea.p99Ms)} ≤ 10 ms (issue floor)`),
      atMost(es.p50Ms, 2.0, `SYNC p50 ${ms(es.p50Ms)} ≤ 2.0 ms`),
      atMost(es.p99Ms, 15, `SYNC p99 ${ms(es.p99Ms)} ≤ 15 ms`),
      atLeast(Math.min(ea.received / Math.max(1, ea.sent), es.received / Math.max(1, es.sent)), 1, 'every message sent was received'),
    ],
    info: [
      `goal ASYNC p99 ≤ 5 ms (mock ${PEERS.mockE2eP99Ms} ms)`,
      `loopback RTT of this run: p50 ${ms(probe.tcpPingPongP50Ms)}, p99 ${ms(probe.tcpPingPongP99Ms)}; fdatasync p50 ${ms(probe.fdatasyncP50Ms)}`,
    ],
  });
  const b = m.batchProduce;
  rows.push({
    id: 'T6', title: 'disk utilisation (payload MB/s written)', value: b.payloadMBps, unit: 'MB/s (batch)',
    detail: `single 1 KiB sends ${a1.payloadMBps.toFixed(1)} MB/s; batch 32 × 1 KiB ${b.payloadMBps.toFixed(1)} MB/s (${int(b.msgPerSec)} msg/s, ${phaseDetail(b)})`,
    checks: [
      atLeast(a1.payloadMBps / probe.diskAppendMBps, 0.05, `single sends ${(100 * a1.payloadMBps / probe.diskAppendMBps).toFixed(1)}% of the page-cache append rate ${int(probe.diskAppendMBps)} MB/s (floor ≥ 5%)`),
      atLeast(b.payloadMBps, 100, `batch sends ${b.payloadMBps.toFixed(1)} ≥ 100 MB/s`),
    ],
    info: [
      `batch: ${(100 * b.payloadMBps / probe.diskAppendMBps).toFixed(1)}% of page-cache append, ${(100 * b.payloadMBps / probe.diskDurableMBps).toFixed(1)}% of fdatasync-every-4 MiB (${int(probe.diskDurableMBps)} MB/s); goal ≥ 200 MB/s`,
    ],
  });
  rows.push({
    id: 'T7', title: 'server CPU per acknowledged 1 KiB message (T1 phase)', value: a1.serverCpuUsPerMsg, unit: 'µs/msg', detail: `server ${a1.serverCores.toFixed(2)} cores at ${int(a1.msgPerSec)} msg/s; SYNC phase ${s1.serverCpuUsPerMsg.toFixed(1)} µs/msg`,
    checks: [atMost(a1.serverCpuUsPerMsg, 25, `${a1.serverCpuUsPerMsg.toFixed(1)} µs ≤ 25 µs`)],
    info: [
      `goal ≤ 16 µs (mock ${PEERS.mockServerCpuUsPerMsg}, NATS 13, Redis 8.9); TCP skeleton of this run ${probe.tcpBatchedServerCpuUsPerMsg.toFixed(1)} µs/msg (${x(a1.serverCpuUsPerMsg / probe.tcpBatchedServerCpuUsPerMsg)})`,
    ],
  });
  const o = m.ownProducer;
  rows.push({
    id: 'T8', title: 'own DefaultMQProducer (async, window 256) vs raw pump', value: o.msgPerSec, unit: 'msg/s', detail: `${phaseDetail(o)}; client ${(o.clientCores * 1e6 / o.msgPerSec).toFixed(1)} µs CPU/msg vs raw pump ${(a1.clientCores * 1e6 / a1.msgPerSec).toFixed(1)}`,
    checks: [
      ratio(o.msgPerSec, a1.msgPerSec, 0.7, 'raw pump (T1) of this run'),
      atLeast(o.errors === 0 ? 1 : 0, 1, `no send errors (${int(o.errors)})`),
    ],
    info: ['goal ≥ 1.0×'],
  });
  return rows;
}
