// Consume phase: read a stored backlog back with PULL_MESSAGE (32 per request, one pull in
// flight per queue, 4 queues, one connection, as a push consumer does). The long-polling pulls of
// the latency phase are built here too (e2e-latency.ts).
//
//   pull sysFlag = SUBSCRIPTION (4) [| SUSPEND (2)]: the subscription "*" travels in the header,
//   so no heartbeat is needed; a held pull is answered when a message arrives (long polling).
import { RequestCode } from '../../src/common/protocol/request-code.js';
import type { BenchConnection } from './bench-connection.js';
import { BENCH_CONSUMER_GROUP, forEachRecord, frameBody, requestFrame } from './wire.js';

const FLAG_SUSPEND = 0x2;
const FLAG_SUBSCRIPTION = 0x4;

/** A PULL_MESSAGE of up to 32 records; `suspendMs` > 0 lets the broker hold it (long polling). */
export function pullFrame(opaque: number, topic: string, queueId: number, queueOffset: number, suspendMs: number): Buffer {
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
