// Consume phases: read a stored backlog back with PULL_MESSAGE (32 per request, one pull in
// flight per queue, 4 queues, one connection, as a push consumer does), and measure end-to-end
// latency with long-polling pulls while a paced producer sends 1 KiB messages carrying their send
// time (performance.now(), float64 little-endian) in the first 8 bytes of the body.
//
//   pull sysFlag = SUBSCRIPTION (4) [| SUSPEND (2)]: the subscription "*" travels in the header,
//   so no heartbeat is needed; a held pull is answered when a message arrives (long polling).
//
//   producer ──5,000 msg/s, stamp t0──► broker ──held pull woken──► consumer: now - t0
//   [ 1 s warm-up: not recorded ][ measure window: recorded ][ drain: wait for the last ones ]
import { performance } from 'node:perf_hooks';
import { RequestCode } from '../../src/common/protocol/request-code.js';
import type { BenchConnection } from './bench-connection.js';
import { BENCH_CONSUMER_GROUP, forEachRecord, frameBody, requestFrame, scanCode, SendFrameWriter, type UniqKeys } from './wire.js';

const FLAG_SUSPEND = 0x2;
const FLAG_SUBSCRIPTION = 0x4;

function pullFrame(opaque: number, topic: string, queueId: number, queueOffset: number, suspendMs: number): Buffer {
  return requestFrame(RequestCode.PULL_MESSAGE, opaque, {
    consumerGroup: BENCH_CONSUMER_GROUP, topic, queueId, queueOffset, maxMsgNums: 32,
    sysFlag: FLAG_SUBSCRIPTION | (suspendMs > 0 ? FLAG_SUSPEND : 0), commitOffset: 0,
    suspendTimeoutMillis: suspendMs, subscription: '*', subVersion: 0, expressionType: 'TAG',
  });
}

export interface ConsumeOutcome {
  messages: number;
  bytes: number;
  pulls: number;
}

/** Pull every queue from offset 0 up to `until[queueId]`; resolves with what was read. */
export async function consumeBacklog(conn: BenchConnection, topic: string, until: readonly number[]): Promise<ConsumeOutcome> {
  let messages = 0;
  let bytes = 0;
  let pulls = 0;
  await Promise.all(until.map(async (end, queueId) => {
    let offset = 0;
    while (offset < end) {
      const opaque = conn.nextOpaque();
      const { header, frame } = await conn.invoke(pullFrame(opaque, topic, queueId, offset, 0), opaque);
      pulls++;
      const next = Number(header.extFields['nextBeginOffset']);
      if (header.code === 0) {
        const body = frameBody(frame);
        messages += forEachRecord(body);
        bytes += body.length;
      } else if (header.code !== 20 && header.code !== 19) {
        throw new Error(`pull ${topic}:${queueId}@${offset}: code ${header.code} ${header.remark ?? ''}`);
      }
      if (!(next > offset) && header.code !== 0) throw new Error(`pull ${topic}:${queueId}@${offset} makes no progress (code ${header.code}, next ${next})`);
      offset = next;
    }
  }));
  return { messages, bytes, pulls };
}

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

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Paced producer on `producerConn`, long-polling consumer on `consumerConn`; both start at offset 0 of a fresh topic. */
export async function e2eLatency(producerConn: BenchConnection, consumerConn: BenchConnection, o: LatencyOptions): Promise<LatencyOutcome> {
  const latencies = new Float64Array(Math.ceil((o.ratePerSec * o.measureMs) / 1000) + 1024);
  let recorded = 0;
  let received = 0;
  let stopped = false;
  const start = performance.now();
  const measureFrom = start + o.warmupMs;
  const measureTo = measureFrom + o.measureMs;

  // Consumer: one held pull per queue, re-issued as soon as it is answered.
  const consumers = Array.from({ length: o.queues }, async (_, queueId) => {
    let offset = 0;
    while (!stopped) {
      const opaque = consumerConn.nextOpaque();
      let result;
      try {
        result = await consumerConn.invoke(pullFrame(opaque, o.topic, queueId, offset, 15_000), opaque, 20_000);
      } catch (error) {
        if (stopped) return;
        throw error;
      }
      const { header, frame } = result;
      if (header.code === 0) {
        const now = performance.now();
        forEachRecord(frameBody(frame), (buf, bodyAt) => {
          received++;
          const sentAt = buf.readDoubleLE(bodyAt);
          if (sentAt >= measureFrom && sentAt < measureTo && recorded < latencies.length) latencies[recorded++] = now - sentAt;
        });
      } else if (header.code !== 19 && header.code !== 20 && header.code !== 21) {
        throw new Error(`e2e pull ${o.topic}:${queueId}: code ${header.code} ${header.remark ?? ''}`);
      }
      offset = Number(header.extFields['nextBeginOffset']);
    }
  });
  const consuming = Promise.all(consumers);

  // Producer: every ~1 ms send what is due at `ratePerSec`, in one write; stamp each body.
  const writer = new SendFrameWriter(o.topic, o.uniq);
  const body = Buffer.alloc(o.bodySize, 0x62);
  const maxFrame = SendFrameWriter.maxFrameSize(o.bodySize);
  let sent = 0;
  let acked = 0;
  let sendErrors = 0;
  producerConn.onFrame = (chunk, at) => {
    acked++;
    if (scanCode(chunk, at) !== 0) sendErrors++;
  };
  producerConn.onChunkEnd = () => {};
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
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
          out.writeDoubleLE(performance.now(), at - body.length);
        }
        producerConn.write(out.subarray(0, at));
      }
      setTimeout(tick, 1);
    };
    tick();
  });
  // Drain: wait (at most 5 s) until everything sent was answered and received.
  const drainUntil = performance.now() + 5000;
  while ((received < sent || acked < sent) && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 10));
  stopped = true;
  consumerConn.close();
  await consuming.catch(() => undefined);
  producerConn.onFrame = () => {};
  const sorted = latencies.slice(0, recorded).sort();
  return {
    sent, received, recorded, sendErrors,
    p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), maxMs: recorded > 0 ? sorted[recorded - 1]! : Number.NaN,
  };
}
