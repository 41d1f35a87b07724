// The bench's output: a plain-text table on stdout (probe, phases, targets with PASS/FAIL per
// floor, memory, CPU profile) and the same data as one JSON file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ProfileSummary } from './cpu-profile.js';
import type { ProbeResult } from './physical-probe.js';
import type { PhaseFigures, TargetRow } from './targets.js';

export interface MemoryFigures {
  backlogBytes: number;
  messages: number;
  fillSeconds: number;
  consumeSeconds: number;
  consumed: number;
  peakRssFill: number;
  peakRssConsume: number;
  vmHwm: number;
  pass: boolean;
}

export interface BenchReport {
  when: string;
  mode: 'quick' | 'full' | 'profile';
  machine: { cpus: number; node: string; platform: string; loadAverageAtStart: number[]; loadAverageAtEnd?: number[] };
  settings: Record<string, number | string | boolean>;
  probe?: ProbeResult;
  phases: Record<string, PhaseFigures>;
  latency?: Record<string, unknown>;
  targets: TargetRow[];
  memory?: MemoryFigures;
  profile?: ProfileSummary;
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
const int = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const mb = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(0)} MiB`;

export function formatProbe(p: ProbeResult): string[] {
  return [
    'Physical probe (this machine, this run)',
    `  TCP skeleton, 1 KiB frames, W=256, batched   ${lpad(int(p.tcpBatchedMsgPerSec), 10)} msg/s   server ${p.tcpBatchedServerCpuUsPerMsg.toFixed(2)} µs CPU/msg`,
    `  TCP ping-pong 1 KiB, 1 in flight             RTT p50 ${p.tcpPingPongP50Ms.toFixed(3)} ms, p99 ${p.tcpPingPongP99Ms.toFixed(3)} ms`,
    `  append 1 MiB writes, page cache              ${lpad(int(p.diskAppendMBps), 10)} MB/s`,
    `  append 1 MiB + fdatasync every 4 MiB         ${lpad(int(p.diskDurableMBps), 10)} MB/s`,
    `  4 KiB append + fdatasync, serial             p50 ${p.fdatasyncP50Ms.toFixed(3)} ms, p99 ${p.fdatasyncP99Ms.toFixed(3)} ms, ${int(p.fdatasyncPerSec)} syncs/s`,
    `  1 KiB records into 256 KiB buffer + write    ${lpad(int(p.diskRecordsPerSec), 10)} rec/s`,
  ];
}

export function formatPhases(phases: Record<string, PhaseFigures>): string[] {
  const lines = ['Phases', `  ${pad('phase', 46)}${lpad('messages', 10)}${lpad('s', 8)}${lpad('msg/s', 10)}${lpad('MB/s', 8)}${lpad('cli cores', 11)}${lpad('srv cores', 11)}${lpad('srv µs/msg', 12)}${lpad('errors', 8)}`];
  for (const [name, p] of Object.entries(phases)) {
    lines.push(`  ${pad(name, 46)}${lpad(int(p.messages), 10)}${lpad(p.seconds.toFixed(2), 8)}${lpad(int(p.msgPerSec), 10)}${lpad(p.payloadMBps.toFixed(1), 8)}${lpad(p.clientCores.toFixed(2), 11)}${lpad(p.serverCores.toFixed(2), 11)}${lpad(p.serverCpuUsPerMsg.toFixed(1), 12)}${lpad(int(p.errors), 8)}`);
  }
  return lines;
}

export function formatTargets(rows: readonly TargetRow[]): string[] {
  const lines = ['Targets (performance.md §5; floors from issue 10 and relative to the peers of §2)'];
  for (const row of rows) {
    const value = row.unit === 'msg/s' ? int(row.value) : row.value.toFixed(2);
    const verdict = row.checks.every((c) => c.pass) ? 'PASS' : 'FAIL';
    lines.push(`${pad(row.id, 4)}${pad(row.title, 56)}${lpad(value, 12)} ${pad(row.unit, 16)}${verdict}`);
    lines.push(`      ${row.detail}`);
    for (const check of row.checks) lines.push(`      ${check.pass ? 'pass' : 'FAIL'}  ${check.text}`);
    for (const info of row.info) lines.push(`      info  ${info}`);
  }
  return lines;
}

export function formatMemory(m: MemoryFigures): string[] {
  return [
    `Memory (broker RSS while a ${mb(m.backlogBytes)} backlog of ${int(m.messages)} × 1 KiB is stored and consumed)`,
    `  fill ${m.fillSeconds.toFixed(1)} s (batch sends), consume ${m.consumeSeconds.toFixed(1)} s (${int(m.consumed)} messages read back)`,
    `  peak VmRSS while filling ${mb(m.peakRssFill)}, while consuming ${mb(m.peakRssConsume)}, VmHWM ${mb(m.vmHwm)}`,
    `  ${m.pass ? 'pass' : 'FAIL'}  VmHWM < 300 MB (and every message read back)`,
  ];
}

export function formatProfile(p: ProfileSummary): string[] {
  const lines = [
    `Broker CPU profile, ASYNC 1 KiB phase (${p.windowApplied ? 'samples inside the phase' : 'whole profile: the phase window matched no sample'}; ${p.windowMs.toFixed(0)} ms sampled, ${p.busyMs.toFixed(0)} ms busy)`,
    `  ${lpad('self ms', 9)}${lpad('%busy', 7)}  function`,
  ];
  for (const f of p.top) lines.push(`  ${lpad(f.selfMs.toFixed(0), 9)}${lpad(f.percent.toFixed(1), 7)}  ${f.name}  ${f.where}${f.via === '' ? '' : `   ← ${f.via}`}`);
  lines.push('  project functions by inclusive time (% of busy):');
  for (const f of p.inclusive) lines.push(`  ${lpad(f.percent.toFixed(1), 16)}  ${f.name}  ${f.where}`);
  if (p.file !== undefined) lines.push(`  raw profile (open in Chrome DevTools > Performance): ${p.file}`);
  return lines;
}

export function writeJson(path: string, report: BenchReport): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(report, null, 2) + '\n');
}
