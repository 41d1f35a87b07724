// Produce phases: the raw windowed pump (SEND_MESSAGE_V2 one message per request, or
// SEND_BATCH_MESSAGE with 32 per request) and the project's own DefaultMQProducer with the same
// window, each against a broker process over one TCP connection.
//
//   window 256:  [ in flight: sent - acked <= 256 ] ◄── acks arrive in batches per socket read
//                after each read: refill the window, all new frames in ONE socket.write
//
// Queues are used round-robin (message i goes to queue i % 4); every message is 1 KiB or 128 B
// of filler plus the UNIQ_KEY and WAIT properties a Java producer sends.
import { DefaultMQProducer } from '../../src/client/producer/default-mq-producer.js';
import { Message } from '../../src/common/message/message.js';
import { NOOP_SINK } from '../../src/events/event-sink.js';
import { NodeFileSystem } from '../../src/platform/node/node-file-system.js';
import { TcpTransport } from '../../src/platform/node/tcp-transport.js';
import { SeededRandom } from '../../src/platform/random.js';
import { SystemClock } from '../../src/platform/system-clock.js';
import type { BenchConnection } from './bench-connection.js';
import { parseHeader, scanCode, scanOpaque, SendFrameWriter, type UniqKeys } from './wire.js';

export interface ProduceOutcome {
  /** Messages acknowledged with SUCCESS. */
  acked: number;
  /** Messages answered with another code (or failed sends). */
  errors: number;
  firstError: string | undefined;
}

export interface PumpOptions {
  topic: string;
  body: Buffer;
  /** Messages to send. */
  total: number;
  /** Most unacknowledged messages at any time. */
  window: number;
  queues: number;
  uniq: UniqKeys;
  /** Messages per SEND_BATCH_MESSAGE request; 1 sends SEND_MESSAGE_V2. */
  batch?: number;
  /** Give up when no answer arrived for this long. */
  stallMs?: number;
}

/** A filler body: printable bytes, so a look at the commit log shows what it is. */
export function fillerBody(size: number): Buffer {
  const body = Buffer.alloc(size);
  for (let i = 0; i < size; i++) body[i] = 0x61 + (i % 26);
  return body;
}

/** Send `total` messages keeping at most `window` unacknowledged; resolves when all are answered. */
export function pump(conn: BenchConnection, o: PumpOptions): Promise<ProduceOutcome> {
  const batch = o.batch ?? 1;
  const writer = new SendFrameWriter(o.topic, o.uniq);
  const requests = Math.ceil(o.total / batch);
  const windowRequests = Math.max(1, Math.floor(o.window / batch));
  const maxFrame = SendFrameWriter.maxFrameSize(o.body.length);
  let sent = 0;
  let answered = 0;
  let acked = 0;
  let errors = 0;
  let firstError: string | undefined;
  let lastProgress = Date.now();
  const batchSizes = new Map<number, number>(); // opaque → messages in that SEND_BATCH_MESSAGE
  return new Promise((resolve, reject) => {
    const watchdog = setInterval(() => {
      if (Date.now() - lastProgress > (o.stallMs ?? 30_000)) {
        clearInterval(watchdog);
        reject(new Error(`pump stalled on ${o.topic}: ${answered}/${requests} answered, ${errors} errors, first: ${firstError ?? '-'}`));
      }
    }, 1000);
    conn.onClosed = (error) => {
      clearInterval(watchdog);
      reject(new Error(`pump on ${o.topic}: ${error.message} after ${answered}/${requests} answers`));
    };
    const refill = (): void => {
      const room = Math.min(windowRequests - (sent - answered), requests - sent);
      if (room <= 0) return;
      const now = Date.now();
      if (batch === 1) {
        const out = Buffer.allocUnsafe(room * maxFrame);
        let at = 0;
        for (let k = 0; k < room; k++, sent++) at = writer.writeSingle(out, at, conn.nextOpaque(), sent % o.queues, now, o.body);
        conn.write(out.subarray(0, at));
      } else {
        const frames: Buffer[] = [];
        for (let k = 0; k < room; k++, sent++) {
          const opaque = conn.nextOpaque();
          const count = Math.min(batch, o.total - sent * batch); // the last batch may be short
          batchSizes.set(opaque, count);
          frames.push(writer.batchFrame(opaque, sent % o.queues, now, o.body, count));
        }
        conn.write(frames.length === 1 ? frames[0]! : Buffer.concat(frames));
      }
    };
    conn.onFrame = (chunk, at, size) => {
      answered++;
      let messages = 1;
      if (batch > 1) {
        const opaque = scanOpaque(chunk, at);
        messages = batchSizes.get(opaque) ?? batch;
        batchSizes.delete(opaque);
      }
      const code = scanCode(chunk, at);
      if (code === 0) acked += messages;
      else {
        errors += messages;
        if (firstError === undefined) {
          const h = parseHeader(Buffer.from(chunk.subarray(at, at + size)));
          firstError = `code ${h.code}: ${h.remark ?? ''}`;
        }
      }
    };
    conn.onChunkEnd = () => {
      lastProgress = Date.now();
      if (answered >= requests) {
        clearInterval(watchdog);
        conn.onFrame = () => {};
        conn.onChunkEnd = () => {};
        resolve({ acked, errors, firstError });
      } else {
        refill();
      }
    };
    refill();
  });
}

/** The project's own producer, async sends with `window` in flight, in this process. */
export async function ownProducer(namesrvAddr: string, o: { topic: string; body: Buffer; total: number; window: number }, measure: (run: () => Promise<ProduceOutcome>) => Promise<void>): Promise<void> {
  const producer = new DefaultMQProducer({
    platform: { clock: new SystemClock({ unref: true }), random: new SeededRandom(20_250_101), fs: new NodeFileSystem(), transport: new TcpTransport() },
    events: NOOP_SINK,
    producerGroup: 'bench_own_pg',
    namesrvAddr,
    sendMsgTimeout: 30_000,
    clientConfig: { clientIP: '127.0.0.1', instanceName: 'bench-own' },
  });
  await producer.start();
  try {
    const body = new Uint8Array(o.body);
    await producer.send(Message.create(o.topic, body)); // route lookup and connection, outside the measurement
    await measure(() => new Promise<ProduceOutcome>((resolve) => {
      let next = 0;
      let inFlight = 0;
      let acked = 0;
      let errors = 0;
      let firstError: string | undefined;
      const done = (): void => {
        inFlight--;
        if (next === o.total && inFlight === 0) resolve({ acked, errors, firstError });
        else refill();
      };
      const refill = (): void => {
        while (inFlight < o.window && next < o.total) {
          next++;
          inFlight++;
          producer.sendAsync(Message.create(o.topic, body)).then((result) => {
            if (result.sendStatus === 'SEND_OK') acked++;
            else {
              errors++;
              firstError ??= result.sendStatus;
            }
            done();
          }, (error: unknown) => {
            errors++;
            firstError ??= error instanceof Error ? error.message : String(error);
            done();
          });
        }
      };
      refill();
    }));
  } finally {
    await producer.shutdown();
  }
}
