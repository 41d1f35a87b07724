// The physical probe: what this machine allows right now, measured in the same run as the
// broker so every broker figure can be read as a ratio (performance.md section 3).
//
//   tcp.batched      1 KiB frames, window 256, 16 B replies, batched both ways, to a skeleton
//                    server in its own process        → msg/s and server CPU µs per message
//   tcp.pingPong     1 KiB, one in flight             → RTT p50 / p99
//   disk.append      1 MiB writeSync, no sync         → MB/s (page cache)
//   disk.durable     1 MiB writeSync + fdatasync every 4 MiB → MB/s
//   disk.fdatasync   4 KiB append + fdatasync, serially → p50 / p99 ms and syncs/s
//   disk.records     1 KiB records copied into a 256 KiB buffer + one write → records/s
//
// About disk.append on this VM kind: the first write into guest memory the host has not backed
// yet costs a fault in the host, and pages the guest frees are soon handed back to the host
// (virtio-balloon free page reporting). So sustained page-cache appends run at ~230-300 MB/s,
// while a short burst into recently freed pages runs at 1.5-3.9 GB/s: this figure swings with
// what ran just before. The broker pays the same toll for every byte it stores (seen as
// copy_folio_from_iter_atomic in `perf`), which is one reason its runs differ (repeat.ts). So the
// full run appends 1 GiB, not 256 MiB: the burst then weighs a quarter at most, and the figure is
// the sustained rate a broker storing gigabytes meets (T6 compares single sends with it).
import { spawn } from 'node:child_process';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { processCpuSeconds, ROOT } from './server-processes.js';

export interface ProbeResult {
  tcpBatchedMsgPerSec: number;
  tcpBatchedServerCpuUsPerMsg: number;
  tcpPingPongP50Ms: number;
  tcpPingPongP99Ms: number;
  diskAppendMBps: number;
  diskDurableMBps: number;
  fdatasyncP50Ms: number;
  fdatasyncP99Ms: number;
  /** Serial (append 4 KiB + fdatasync) operations per second. */
  fdatasyncPerSec: number;
  diskRecordsPerSec: number;
}

export interface ProbeSizes {
  tcpSeconds: number;
  pingPongs: number;
  appendMiB: number;
  syncs: number;
  records: number;
}

const MiB = 1024 * 1024;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

async function tcpProbe(sizes: ProbeSizes): Promise<Pick<ProbeResult, 'tcpBatchedMsgPerSec' | 'tcpBatchedServerCpuUsPerMsg' | 'tcpPingPongP50Ms' | 'tcpPingPongP99Ms'>> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/bench/probe-rpc-server.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /port (\d+)/.exec(out);
        if (m !== null) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`probe server exited with ${code}`)));
    });
    const socket = connect({ host: '127.0.0.1', port });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const FRAME = 1024 + 4;
    const WINDOW = 256;
    const frames = Buffer.alloc(FRAME * WINDOW, 0x63);
    for (let i = 0; i < WINDOW; i++) frames.writeInt32BE(1024, i * FRAME);

    // Ping-pong first: one 1 KiB frame, wait for its 16-byte reply.
    const rtts: number[] = [];
    await new Promise<void>((resolve) => {
      let got = 0;
      let sentAt = 0;
      const send = (): void => {
        sentAt = performance.now();
        socket.write(frames.subarray(0, FRAME));
      };
      socket.on('data', function onData(chunk: Buffer) {
        got += chunk.length;
        if (got < 16) return;
        got -= 16;
        rtts.push(performance.now() - sentAt);
        if (rtts.length >= sizes.pingPongs) {
          socket.removeListener('data', onData);
          resolve();
        } else send();
      });
      send();
    });

    // Windowed: keep 256 in flight, refill after every read with one write.
    const cpu0 = processCpuSeconds(child.pid!);
    const t0 = performance.now();
    const until = t0 + sizes.tcpSeconds * 1000;
    let sent = 0;
    let acked = 0;
    let replyBytes = 0;
    await new Promise<void>((resolve) => {
      const refill = (): void => {
        const room = WINDOW - (sent - acked);
        if (room > 0) {
          socket.write(frames.subarray(0, room * FRAME));
          sent += room;
        }
      };
      socket.on('data', (chunk: Buffer) => {
        replyBytes += chunk.length;
        acked = Math.floor(replyBytes / 16);
        if (performance.now() >= until) {
          if (acked === sent) resolve();
          return;
        }
        refill();
      });
      refill();
    });
    const seconds = (performance.now() - t0) / 1000;
    const serverCpu = processCpuSeconds(child.pid!) - cpu0;
    socket.destroy();
    return {
      tcpBatchedMsgPerSec: acked / seconds,
      tcpBatchedServerCpuUsPerMsg: (serverCpu * 1e6) / acked,
      tcpPingPongP50Ms: percentile(rtts, 0.5),
      tcpPingPongP99Ms: percentile(rtts, 0.99),
    };
  } finally {
    child.kill('SIGTERM');
  }
}

function diskProbe(dir: string, sizes: ProbeSizes): Omit<ProbeResult, 'tcpBatchedMsgPerSec' | 'tcpBatchedServerCpuUsPerMsg' | 'tcpPingPongP50Ms' | 'tcpPingPongP99Ms'> {
  const block = Buffer.alloc(MiB, 0x64);
  const appendRun = (syncEvery: number): number => {
    const file = join(dir, `append-${syncEvery}`);
    const fd = openSync(file, 'w');
    const t0 = performance.now();
    for (let i = 1; i <= sizes.appendMiB; i++) {
      writeSync(fd, block);
      if (syncEvery > 0 && i % syncEvery === 0) fdatasyncSync(fd);
    }
    if (syncEvery > 0) fdatasyncSync(fd);
    const seconds = (performance.now() - t0) / 1000;
    closeSync(fd);
    rmSync(file);
    return (sizes.appendMiB * MiB) / 1e6 / seconds;
  };
  const diskAppendMBps = appendRun(0);
  const diskDurableMBps = appendRun(4);

  const syncFile = join(dir, 'fdatasync');
  const fd = openSync(syncFile, 'w');
  const page = Buffer.alloc(4096, 0x65);
  const times: number[] = [];
  const s0 = performance.now();
  for (let i = 0; i < sizes.syncs; i++) {
    writeSync(fd, page);
    const t = performance.now();
    fdatasyncSync(fd);
    times.push(performance.now() - t);
  }
  const fdatasyncPerSec = sizes.syncs / ((performance.now() - s0) / 1000);
  closeSync(fd);
  rmSync(syncFile);

  const recordsFile = join(dir, 'records');
  const rfd = openSync(recordsFile, 'w');
  const record = Buffer.alloc(1024, 0x66);
  const buffer = Buffer.allocUnsafe(256 * 1024);
  const r0 = performance.now();
  let used = 0;
  for (let i = 0; i < sizes.records; i++) {
    record.copy(buffer, used);
    used += record.length;
    if (used + record.length > buffer.length) {
      writeSync(rfd, buffer, 0, used);
      used = 0;
    }
  }
  if (used > 0) writeSync(rfd, buffer, 0, used);
  const diskRecordsPerSec = sizes.records / ((performance.now() - r0) / 1000);
  closeSync(rfd);
  rmSync(recordsFile);

  return {
    diskAppendMBps, diskDurableMBps,
    fdatasyncP50Ms: percentile(times, 0.5), fdatasyncP99Ms: percentile(times, 0.99), fdatasyncPerSec,
    diskRecordsPerSec,
  };
}

/** Run every probe; `parentDir` should be on the disk the broker stores to. */
export async function physicalProbe(parentDir: string, sizes: ProbeSizes): Promise<ProbeResult> {
  const dir = mkdtempSync(join(parentDir, 'probe-'));
  try {
    const tcp = await tcpProbe(sizes);
    const disk = diskProbe(dir, sizes);
    return { ...tcp, ...disk };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
