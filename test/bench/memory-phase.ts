// The memory phase (`--memory`, part of the full run): a fresh ASYNC_FLUSH broker with the default
// 1 GiB commit-log files stores a 2 GiB backlog (SEND_BATCH_MESSAGE, 32 × 1 KiB) and then serves
// it all back (pull 32/request, 4 queues), while the bench samples the broker's VmRSS every
// 200 ms from /proc/<pid>/status. The broker must stay under 300 MB: the commit log lives in
// files, not in the heap.
//
//   fill ──────────────► consume ──────────────► VmHWM (peak over the process's life)
//   sample VmRSS          sample VmRSS
import { BenchConnection } from './bench-connection.js';
import { createTopic, maxOffsets } from './bench-admin.js';
import { consumeBacklog } from './consume-phases.js';
import { fillerBody, pump } from './produce-phases.js';
import type { MemoryFigures } from './report.js';
import { processMemory, startBroker } from './server-processes.js';
import type { UniqKeys } from './wire.js';

const RSS_LIMIT = 300 * 1000 * 1000;

export async function memoryPhase(dir: string, namesrvAddr: string, backlogBytes: number, uniq: UniqKeys, log: (line: string) => void): Promise<MemoryFigures> {
  const broker = await startBroker({ name: 'bench-memory', dir, namesrvAddr, flushDiskType: 'ASYNC_FLUSH' });
  const conn = await BenchConnection.open('127.0.0.1', broker.port);
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, processMemory(broker.server.pid).rss);
    } catch {
      // the process is gone; the phase will fail on its own
    }
  }, 200);
  try {
    const topic = 'BenchMemory';
    await createTopic(conn, topic, 4);
    const messages = Math.ceil(backlogBytes / 1024 / 32) * 32;
    log(`  memory: storing ${messages.toLocaleString('en-US')} × 1 KiB ...`);
    const t0 = Date.now();
    const filled = await pump(conn, { topic, body: fillerBody(1024), total: messages, window: 256, queues: 4, uniq, batch: 32, stallMs: 60_000 });
    const fillSeconds = (Date.now() - t0) / 1000;
    if (filled.errors > 0) throw new Error(`memory fill: ${filled.errors} errors, first: ${filled.firstError ?? ''}`);
    const peakRssFill = peak;
    peak = 0;
    log(`  memory: stored in ${fillSeconds.toFixed(1)} s, peak VmRSS ${(peakRssFill / 2 ** 20).toFixed(0)} MiB; consuming ...`);
    const until = await maxOffsets(conn, topic, 4);
    const t1 = Date.now();
    const read = await consumeBacklog(conn, topic, until);
    const consumeSeconds = (Date.now() - t1) / 1000;
    const peakRssConsume = peak;
    const vmHwm = processMemory(broker.server.pid).hwm;
    return {
      backlogBytes: messages * 1024, messages, fillSeconds, consumeSeconds, consumed: read.messages,
      peakRssFill, peakRssConsume, vmHwm, pass: vmHwm < RSS_LIMIT && read.messages === messages,
    };
  } finally {
    clearInterval(sampler);
    conn.close();
    await broker.server.stop();
  }
}
