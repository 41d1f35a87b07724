// `npm run bench`: the benchmark of issue 10 against targets T1–T8 of performance.md section 5.
//
// It starts the project's name server and broker as separate processes (the `rocketmq-ts`
// command line) on 127.0.0.1 with a temp store, drives them from this process over real TCP, and
// prints one table (stdout) plus a JSON file. Progress goes to stderr.
//
//   physical probe ─► namesrv ─► broker ASYNC_FLUSH: warm-up, runs × (T1 1 KiB, T8 own producer,
//                                 T3 128 B, T6 batch 32 × 1 KiB), warm-up read, runs × T4 consume a
//                                 T1 backlog, runs × T5 e2e ASYNC
//                    ─► broker SYNC_FLUSH:  warm-up, runs × T2 1 KiB, runs × T5 e2e SYNC
//                    ─► broker ASYNC_FLUSH: memory (2 GiB backlog stored and consumed, VmRSS)
//
//   npm run bench                  full run (≈ 6 minutes)
//   npm run bench -- --quick       ≈ 10 s of load, small sizes, no memory phase (the smoke test)
//   npm run bench -- --cpu-prof    only warm-up + T1 with the broker under `node --cpu-prof`,
//                                  then the top 15 self-time functions of that phase
//   options: --memory / --no-memory, --memory-mib N (backlog size, default 2048), --messages N,
//            --runs N (runs of each measured phase, default 3; medians reported, see repeat.ts),
//            --json FILE (default test/.artifacts/bench/…), --strict (exit 1 on any FAIL)
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BenchConnection } from './bench-connection.js';
import { createTopic, maxOffsets } from './bench-admin.js';
import { consumeBacklog } from './consume-phases.js';
import { e2eLatency, type LatencyOutcome } from './e2e-latency.js';
import { medianLatency, medianPhase } from './repeat.js';
import { summarizeProfile, type ProfileSummary } from './cpu-profile.js';
import { memoryPhase } from './memory-phase.js';
import { physicalProbe, type ProbeSizes } from './physical-probe.js';
import { fillerBody, ownProducer, pump, type ProduceOutcome } from './produce-phases.js';
import { formatMemory, formatPhases, formatProbe, formatProfile, formatTargets, writeJson, type BenchReport, type MemoryFigures } from './report.js';
import { processCpuSeconds, ROOT, selfCpuSeconds, startBroker, startNamesrv, type ServerProcess } from './server-processes.js';
import { evaluateTargets, type LatencyFigures, type PhaseFigures } from './targets.js';
import { UniqKeys } from './wire.js';

interface Settings {
  mode: 'quick' | 'full' | 'profile';
  messages: number;
  /** Runs of each measured phase; the table shows medians (repeat.ts). */
  runs: number;
  warmupMessages: number;
  window: number;
  queues: number;
  e2eWarmupMs: number;
  e2eMeasureMs: number;
  e2eRate: number;
  memory: boolean;
  memoryBytes: number;
  strict: boolean;
  json: string;
  probe: ProbeSizes;
}

function usage(message: string): never {
  process.stderr.write(`bench: ${message}\nusage: npm run bench -- [--quick] [--cpu-prof] [--memory|--no-memory] [--memory-mib N] [--messages N] [--runs N] [--json FILE] [--strict]\n`);
  process.exit(2);
}

function parseSettings(argv: readonly string[]): Settings {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--messages' || arg === '--json' || arg === '--memory-mib' || arg === '--runs') {
      const value = argv[++i];
      if (value === undefined) usage(`${arg} needs a value`);
      values.set(arg, value);
    } else if (['--quick', '--cpu-prof', '--memory', '--no-memory', '--strict'].includes(arg)) flags.add(arg);
    else usage(`unknown argument "${arg}"`);
  }
  const quick = flags.has('--quick');
  const mode = flags.has('--cpu-prof') ? 'profile' : quick ? 'quick' : 'full';
  const messages = values.has('--messages') ? Number(values.get('--messages')) : quick ? 5_000 : 200_000;
  if (!Number.isInteger(messages) || messages < 1000) usage('--messages must be an integer ≥ 1000');
  if (values.has('--memory-mib') && !(Number(values.get('--memory-mib')) >= 1)) usage('--memory-mib must be a number ≥ 1');
  const runs = values.has('--runs') ? Number(values.get('--runs')) : quick ? 1 : 3;
  if (!Number.isInteger(runs) || runs < 1 || runs > 9) usage('--runs must be an integer from 1 to 9');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return {
    mode,
    messages,
    runs,
    warmupMessages: quick ? 2_000 : 30_000,
    window: 256,
    queues: 4,
    e2eWarmupMs: quick ? 300 : 1000,
    e2eMeasureMs: quick ? 1000 : 10_000,
    e2eRate: 5000,
    memory: mode === 'full' ? !flags.has('--no-memory') : flags.has('--memory'),
    memoryBytes: (values.has('--memory-mib') ? Number(values.get('--memory-mib')) : 2048) * 1024 ** 2,
    strict: flags.has('--strict'),
    json: values.get('--json') ?? join(ROOT, 'test/.artifacts/bench', `bench-${mode}-${stamp}.json`),
    probe: quick
      ? { tcpSeconds: 0.5, pingPongs: 200, appendMiB: 16, syncs: 50, records: 65_536 }
      : { tcpSeconds: 3, pingPongs: 2000, appendMiB: 1024, syncs: 500, records: 524_288 },
  };
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Run a produce or consume phase and turn its outcome into msg/s, MB/s and CPU figures. */
async function measure(server: ServerProcess, payloadBytes: number, run: () => Promise<ProduceOutcome | { messages: number }>): Promise<PhaseFigures> {
  const server0 = processCpuSeconds(server.pid);
  const client0 = selfCpuSeconds();
  const t0 = process.hrtime.bigint();
  const outcome = await run();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const serverCpu = processCpuSeconds(server.pid) - server0;
  const clientCpu = selfCpuSeconds() - client0;
  const messages = 'acked' in outcome ? outcome.acked : outcome.messages;
  const errors = 'errors' in outcome ? outcome.errors : 0;
  return {
    messages, seconds, msgPerSec: messages / seconds, payloadMBps: (messages * payloadBytes) / 1e6 / seconds,
    clientCores: clientCpu / seconds, serverCores: serverCpu / seconds, serverCpuUsPerMsg: (serverCpu * 1e6) / Math.max(1, messages),
    errors, firstError: 'firstError' in outcome ? outcome.firstError : undefined,
  };
}

function latencyFigures(o: LatencyOutcome): LatencyFigures {
  return { p50Ms: o.p50Ms, p99Ms: o.p99Ms, maxMs: o.maxMs, recorded: o.recorded, sent: o.sent, received: o.received };
}

function phaseLine(name: string, p: PhaseFigures): void {
  log(`  ${name}: ${Math.round(p.msgPerSec).toLocaleString('en-US')} msg/s, server ${p.serverCpuUsPerMsg.toFixed(1)} µs/msg${p.errors > 0 ? `, ${p.errors} errors (${p.firstError ?? ''})` : ''}`);
}

async function main(): Promise<void> {
  const s = parseSettings(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'rocketmq-ts-bench-'));
  const uniq = new UniqKeys(process.pid);
  const servers: ServerProcess[] = [];
  const phases: Record<string, PhaseFigures> = {};
  const report: BenchReport = {
    when: new Date().toISOString(), mode: s.mode,
    machine: { cpus: cpus().length, node: process.version, platform: `${process.platform} ${process.arch}`, loadAverageAtStart: loadavg() },
    settings: { messages: s.messages, runs: s.runs, window: s.window, queues: s.queues, e2eRate: s.e2eRate, e2eWarmupMs: s.e2eWarmupMs, e2eMeasureMs: s.e2eMeasureMs, memory: s.memory, memoryBytes: s.memoryBytes, store: dir },
    phases, targets: [],
  };
  const out: string[] = [`rocketmq-ts bench (${s.mode}): ${s.messages.toLocaleString('en-US')} messages per phase${s.mode === 'profile' || s.runs === 1 ? '' : `, ${s.runs} runs of each (medians shown)`}, window ${s.window}, ${s.queues} queues, 1 connection, ${report.machine.cpus} CPUs, Node ${process.version}`];
  const load = loadavg()[0]!;
  out.push(load > 0.5 ? `WARNING: 1-minute load average ${load.toFixed(2)} at start: other processes share the CPUs, so every figure is understated` : `load average at start ${load.toFixed(2)}`, '');
  const body1k = fillerBody(1024);
  const body128 = fillerBody(128);
  try {
    const ns = await startNamesrv(dir);
    servers.push(ns.server);
    log(`bench: store in ${dir}; name server ${ns.addr}`);

    if (s.mode === 'profile') {
      const profileDir = join(dir, 'cpu-prof');
      const broker = await startBroker({ name: 'bench-prof', dir, namesrvAddr: ns.addr, flushDiskType: 'ASYNC_FLUSH', nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] });
      servers.push(broker.server);
      const conn = await BenchConnection.open('127.0.0.1', broker.port);
      for (const topic of ['BenchWarm', 'BenchAsync1k']) await createTopic(conn, topic, s.queues);
      await pump(conn, { topic: 'BenchWarm', body: body1k, total: s.warmupMessages, window: s.window, queues: s.queues, uniq });
      const from = Number(process.hrtime.bigint() / 1000n);
      phases['produce 1 KiB ASYNC (raw pump, profiled)'] = await measure(broker.server, 1024, () => pump(conn, { topic: 'BenchAsync1k', body: body1k, total: s.messages, window: s.window, queues: s.queues, uniq }));
      const to = Number(process.hrtime.bigint() / 1000n);
      conn.close();
      await broker.server.stop();
      const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
      if (file === undefined) throw new Error(`the broker wrote no .cpuprofile into ${profileDir}`);
      const kept = s.json.replace(/\.json$/, '') + '.cpuprofile';
      mkdirSync(dirname(kept), { recursive: true });
      copyFileSync(join(profileDir, file), kept);
      const profile: ProfileSummary = { ...summarizeProfile(kept, ROOT, { from, to }), file: kept };
      report.profile = profile;
      out.push(...formatPhases(phases), '', ...formatProfile(profile));
    } else {
      log('bench: physical probe ...');
      const probe = await physicalProbe(dir, s.probe);
      report.probe = probe;

      // --- ASYNC_FLUSH broker --------------------------------------------------------------
      const runs = Array.from({ length: s.runs }, (_, k) => k);
      const tag = (id: string, k: number): string => (s.runs > 1 ? `${id} run ${k + 1}/${s.runs}` : id);
      const record = (into: PhaseFigures[], id: string, k: number, figures: PhaseFigures): void => {
        into.push(figures);
        phaseLine(tag(id, k), figures);
      };
      const e2eOptions = { queues: s.queues, ratePerSec: s.e2eRate, warmupMs: s.e2eWarmupMs, measureMs: s.e2eMeasureMs, bodySize: 1024, uniq };
      /** T5: the paced producer on `producer`, a fresh long-polling consumer (its own thread and connection) per run. */
      const latencyRuns = async (producer: BenchConnection, port: number, topicPrefix: string, id: string): Promise<LatencyFigures[]> => {
        const figures: LatencyFigures[] = [];
        for (const k of runs) {
          const e2e = latencyFigures(await e2eLatency(producer, port, { ...e2eOptions, topic: `${topicPrefix}-${k}` }));
          figures.push(e2e);
          log(`  ${tag(id, k)}: p50 ${e2e.p50Ms.toFixed(2)} ms, p99 ${e2e.p99Ms.toFixed(2)} ms`);
        }
        return figures;
      };
      const asyncBroker = await startBroker({ name: 'bench-async', dir, namesrvAddr: ns.addr, flushDiskType: 'ASYNC_FLUSH' });
      servers.push(asyncBroker.server);
      log(`bench: ASYNC_FLUSH broker ${asyncBroker.addr} (pid ${asyncBroker.server.pid})`);
      let conn = await BenchConnection.open('127.0.0.1', asyncBroker.port);
      const perRun = ['BenchAsync1k', 'BenchAsync128', 'BenchBatch', 'BenchOwn', 'BenchE2eAsync'].flatMap((t) => runs.map((k) => `${t}-${k}`));
      for (const topic of ['BenchWarm', ...perRun]) await createTopic(conn, topic, s.queues);
      const base = { window: s.window, queues: s.queues, uniq };
      await pump(conn, { ...base, topic: 'BenchWarm', body: body1k, total: s.warmupMessages });
      const t1Runs: PhaseFigures[] = [];
      const t8Runs: PhaseFigures[] = [];
      const t3Runs: PhaseFigures[] = [];
      const t6Runs: PhaseFigures[] = [];
      for (const k of runs) {
        record(t1Runs, 'T1', k, await measure(asyncBroker.server, 1024, () => pump(conn, { ...base, topic: `BenchAsync1k-${k}`, body: body1k, total: s.messages })));
        await ownProducer(ns.addr, { topic: `BenchOwn-${k}`, body: body1k, total: s.messages, window: s.window }, async (run) => {
          record(t8Runs, 'T8', k, await measure(asyncBroker.server, 1024, run));
        });
        record(t3Runs, 'T3', k, await measure(asyncBroker.server, 128, () => pump(conn, { ...base, topic: `BenchAsync128-${k}`, body: body128, total: s.messages })));
        record(t6Runs, 'T6', k, await measure(asyncBroker.server, 1024, () => pump(conn, { ...base, topic: `BenchBatch-${k}`, body: body1k, total: s.messages, batch: 32 })));
      }
      const t1 = (phases['T1 produce 1 KiB ASYNC (raw pump)'] = medianPhase(t1Runs));
      const own = (phases['T8 produce 1 KiB ASYNC (DefaultMQProducer)'] = medianPhase(t8Runs));
      const t3 = (phases['T3 produce 128 B ASYNC (raw pump)'] = medianPhase(t3Runs));
      const t6 = (phases['T6 produce batch 32 × 1 KiB ASYNC'] = medianPhase(t6Runs));
      // The pull path gets the warm-up the send path had: read the warm-up backlog back first.
      await consumeBacklog(conn, 'BenchWarm', await maxOffsets(conn, 'BenchWarm', s.queues));
      const t4Runs: PhaseFigures[] = [];
      for (const k of runs) {
        const until = await maxOffsets(conn, `BenchAsync1k-${k}`, s.queues);
        record(t4Runs, 'T4', k, await measure(asyncBroker.server, 1024, () => consumeBacklog(conn, `BenchAsync1k-${k}`, until)));
      }
      const t4 = (phases['T4 consume 1 KiB backlog (pull 32)'] = medianPhase(t4Runs));
      const e2eAsyncRuns = await latencyRuns(conn, asyncBroker.port, 'BenchE2eAsync', 'T5 ASYNC');
      conn.close();
      await asyncBroker.server.stop();
      rmSync(join(dir, 'bench-async'), { recursive: true, force: true }); // gigabytes no later phase reads

      // --- SYNC_FLUSH broker ---------------------------------------------------------------
      const syncBroker = await startBroker({ name: 'bench-sync', dir, namesrvAddr: ns.addr, flushDiskType: 'SYNC_FLUSH' });
      servers.push(syncBroker.server);
      log(`bench: SYNC_FLUSH broker ${syncBroker.addr} (pid ${syncBroker.server.pid})`);
      conn = await BenchConnection.open('127.0.0.1', syncBroker.port);
      for (const topic of ['BenchWarm', ...['BenchSync1k', 'BenchE2eSync'].flatMap((t) => runs.map((k) => `${t}-${k}`))]) await createTopic(conn, topic, s.queues);
      await pump(conn, { ...base, topic: 'BenchWarm', body: body1k, total: s.warmupMessages });
      const t2Runs: PhaseFigures[] = [];
      for (const k of runs) {
        record(t2Runs, 'T2', k, await measure(syncBroker.server, 1024, () => pump(conn, { ...base, topic: `BenchSync1k-${k}`, body: body1k, total: s.messages })));
      }
      const t2 = (phases['T2 produce 1 KiB SYNC (raw pump)'] = medianPhase(t2Runs));
      const e2eSyncRuns = await latencyRuns(conn, syncBroker.port, 'BenchE2eSync', 'T5 SYNC');
      const e2eAsync = medianLatency(e2eAsyncRuns);
      const e2eSync = medianLatency(e2eSyncRuns);
      conn.close();
      await syncBroker.server.stop();
      rmSync(join(dir, 'bench-sync'), { recursive: true, force: true });

      // --- memory ----------------------------------------------------------------------------
      let memory: MemoryFigures | undefined;
      if (s.memory) {
        log('bench: memory phase ...');
        memory = await memoryPhase(dir, ns.addr, s.memoryBytes, uniq, log);
        report.memory = memory;
      }

      report.latency = { async: e2eAsync, sync: e2eSync };
      report.targets = evaluateTargets({
        probe, asyncProduce1k: t1, asyncProduce128: t3, batchProduce: t6, consume: t4, ownProducer: own, syncProduce1k: t2, e2eAsync, e2eSync,
      });
      out.push(...formatProbe(probe), '', ...formatPhases(phases), '', ...formatTargets(report.targets));
      if (memory !== undefined) out.push('', ...formatMemory(memory));
      else out.push('', 'Memory: skipped (run with --memory, or the full run)');
    }
  } finally {
    for (const server of servers.reverse()) await server.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  report.machine.loadAverageAtEnd = loadavg();
  writeJson(s.json, report);
  out.push('', `JSON: ${s.json}`);
  process.stdout.write(out.join('\n') + '\n');
  const failed = report.targets.some((t) => !t.checks.every((c) => c.pass)) || report.memory?.pass === false;
  process.exit(s.strict && failed ? 1 : 0);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
