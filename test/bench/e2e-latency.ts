// T5, end-to-end latency: a paced producer sends 1 KiB messages carrying their send time in the
// first 8 bytes of the body, and a long-polling consumer records how long each took to arrive.
//
// The consumer runs in a worker thread with its own event loop, as a consumer is its own
// application in a real deployment: a tick of the producer (or its garbage collection) must not
// be counted as the broker's delivery time. Both threads stamp with the same monotonic clock
// (`process.hrtime`, CLOCK_MONOTONIC), so `received - sent` is meaningful across them.
//
//   this thread                         broker                       worker thread (e2e-consumer.ts)
//   ───────────                         ──────                       ──────────────────────────────
//   start worker ──────────────────────────────────────────────────► connect, one held pull per queue
//                ◄───────────────────────────────────────────────── 'ready'
//   'window' {from, to} ───────────────────────────────────────────► record only stamps inside it
//   every ~1 ms: the due messages,  ──SEND_MESSAGE_V2──► append,
//   stamped, in one write                               wake held pull ──response──► now - stamp
//   'drain' {sent} ────────────────────────────────────────────────► wait until all arrived (≤ 5 s)
//                ◄───────────────────────────────────────────────── 'done' {p50, p99, max, ...}
//
//   [ warm-up: not recorded ][ measure window: recorded ][ drain ]
import { Worker } from 'node:worker_threads';
import type { BenchConnection } from './bench-connection.js';
import { scanCode, SendFrameWriter, type UniqKeys } from './wire.js';

export interface LatencyOutcome {
  sent: number;
  received: number;
  recorded: number;
  sendErrors: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface LatencyOptions {
  topic: string;
  queues: number;
  ratePerSec: number;
  warmupMs: number;
  measureMs: number;
  bodySize: number;
  uniq: UniqKeys;
}

/** What the worker is started with. */
export interface ConsumerSetup {
  port: number;
  topic: string;
  queues: number;
  /** Room for this many recorded latencies. */
  capacity: number;
}

/** Messages between this thread and the consumer worker (see the diagram). */
export type ToConsumer = { type: 'window'; from: number; to: number } | { type: 'drain'; sent: number };
export type FromConsumer = { type: 'ready' } | ({ type: 'done' } & Pick<LatencyOutcome, 'received' | 'recorded' | 'p50Ms' | 'p99Ms' | 'maxMs'>);

/** Milliseconds on CLOCK_MONOTONIC, the same clock in every thread of the process. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** The value below which a fraction `p` of the sorted samples lie. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Start the consumer worker; tsx's loader is registered in it first, as the worker does not inherit it. */
function startConsumer(setup: ConsumerSetup): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const consumer = new URL('./e2e-consumer.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(consumer)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: setup });
}

/** Paced producer on `producerConn`, a long-polling consumer in a worker on its own connection to `port`; a fresh topic. */
export async function e2eLatency(producerConn: BenchConnection, port: number, o: LatencyOptions): Promise<LatencyOutcome> {
  const worker = startConsumer({ port, topic: o.topic, queues: o.queues, capacity: Math.ceil((o.ratePerSec * o.measureMs) / 1000) + 1024 });
  const replies: FromConsumer[] = [];
  let wake = (): void => {};
  let failure: Error | undefined;
  worker.on('message', (m: FromConsumer) => {
    replies.push(m);
    wake();
  });
  worker.on('error', (error) => {
    failure = error;
    wake();
  });
  const next = async (type: FromConsumer['type']): Promise<FromConsumer> => {
    for (;;) {
      if (failure !== undefined) throw failure;
      const at = replies.findIndex((m) => m.type === type);
      if (at >= 0) return replies.splice(at, 1)[0]!;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  const post = (m: ToConsumer): void => worker.postMessage(m);
  try {
    await next('ready');
    const start = monotonicMs();
    const measureTo = start + o.warmupMs + o.measureMs;
    post({ type: 'window', from: start + o.warmupMs, to: measureTo });

    // Producer: every ~1 ms send what is due at `ratePerSec`, in one write; stamp each body.
    const writer = new SendFrameWriter(o.topic, o.uniq);
    const body = Buffer.alloc(o.bodySize, 0x62);
    const maxFrame = SendFrameWriter.maxFrameSize(o.bodySize);
    let sent = 0;
    let sendErrors = 0;
    producerConn.onFrame = (chunk, at) => {
      if (scanCode(chunk, at) !== 0) sendErrors++;
    };
    producerConn.onChunkEnd = () => {};
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const now = monotonicMs();
        if (now >= measureTo) {
          resolve();
          return;
        }
        const due = Math.floor(((now - start) * o.ratePerSec) / 1000) - sent;
        if (due > 0) {
          const out = Buffer.allocUnsafe(due * maxFrame);
          let at = 0;
          const bornMs = Date.now();
          for (let k = 0; k < due; k++, sent++) {
            at = writer.writeSingle(out, at, producerConn.nextOpaque(), sent % o.queues, bornMs, body);
            out.writeDoubleLE(monotonicMs(), at - body.length);
          }
          producerConn.write(out.subarray(0, at));
        }
        setTimeout(tick, 1);
      };
      tick();
    });
    post({ type: 'drain', sent });
    const done = await next('done');
    producerConn.onFrame = () => {};
    if (done.type !== 'done') throw new Error('the consumer worker answered out of turn');
    return { sent, sendErrors, received: done.received, recorded: done.recorded, p50Ms: done.p50Ms, p99Ms: done.p99Ms, maxMs: done.maxMs };
  } finally {
    await worker.terminate();
  }
}
