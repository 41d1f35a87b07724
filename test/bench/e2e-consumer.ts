// The consumer half of T5, run in a worker thread by e2e-latency.ts (see the diagram there): one
// connection, one held pull per queue re-issued as soon as it is answered, and for every message
// stamped inside the measure window, now - stamp (both on CLOCK_MONOTONIC).
import { parentPort, workerData } from 'node:worker_threads';
import { BenchConnection } from './bench-connection.js';
import { pullFrame } from './consume-phases.js';
import { monotonicMs, percentile, type ConsumerSetup, type FromConsumer, type ToConsumer } from './e2e-latency.js';
import { forEachRecord, frameBody } from './wire.js';

/** How long a pull may be held, and how long the consumer waits for its answer. */
const SUSPEND_MS = 15_000;
const INVOKE_TIMEOUT_MS = 20_000;
/** How long the drain waits for the last messages. */
const DRAIN_MS = 5000;

const setup = workerData as ConsumerSetup;
const port = parentPort!;
const latencies = new Float64Array(setup.capacity);
let recorded = 0;
let received = 0;
let measureFrom = Number.POSITIVE_INFINITY;
let measureTo = Number.NEGATIVE_INFINITY;
let stopped = false;
const reply = (m: FromConsumer): void => port.postMessage(m);

const conn = await BenchConnection.open('127.0.0.1', setup.port);
const pulling = Promise.all(Array.from({ length: setup.queues }, async (_, queueId) => {
  let offset = 0;
  while (!stopped) {
    const opaque = conn.nextOpaque();
    let result;
    try {
      result = await conn.invoke(pullFrame(opaque, setup.topic, queueId, offset, SUSPEND_MS), opaque, INVOKE_TIMEOUT_MS);
    } catch (error) {
      if (stopped) return;
      throw error;
    }
    const { header, frame } = result;
    if (header.code === 0) {
      const now = monotonicMs();
      forEachRecord(frameBody(frame), (buf, bodyAt) => {
        received++;
        const sentAt = buf.readDoubleLE(bodyAt);
        if (sentAt >= measureFrom && sentAt < measureTo && recorded < latencies.length) latencies[recorded++] = now - sentAt;
      });
    } else if (header.code !== 19 && header.code !== 20 && header.code !== 21) {
      throw new Error(`e2e pull ${setup.topic}:${queueId}: code ${header.code} ${header.remark ?? ''}`);
    }
    offset = Number(header.extFields['nextBeginOffset']);
  }
}));
pulling.catch((error: unknown) => {
  // Surfaces as the worker's 'error' event in e2e-latency.ts.
  setImmediate(() => {
    throw error;
  });
});

port.on('message', (m: ToConsumer) => {
  if (m.type === 'window') {
    measureFrom = m.from;
    measureTo = m.to;
    return;
  }
  const drainUntil = monotonicMs() + DRAIN_MS;
  const finish = (): void => {
    if (received < m.sent && monotonicMs() < drainUntil) {
      setTimeout(finish, 10);
      return;
    }
    stopped = true;
    conn.close();
    const sorted = latencies.slice(0, recorded).sort();
    reply({
      type: 'done', received, recorded,
      p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), maxMs: recorded > 0 ? sorted[recorded - 1]! : Number.NaN,
    });
  };
  finish();
});
reply({ type: 'ready' });
