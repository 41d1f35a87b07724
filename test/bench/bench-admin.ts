// The two admin requests the bench needs, sent on a BenchConnection: UPDATE_AND_CREATE_TOPIC (17)
// to give each phase its own fresh topic with 4 queues, and GET_MAX_OFFSET (30) to learn how
// far each queue's consume queue reaches before a backlog is read back.
import { RequestCode } from '../../src/common/protocol/request-code.js';
import type { BenchConnection } from './bench-connection.js';
import { requestFrame } from './wire.js';

/** PERM_READ | PERM_WRITE. */
const PERM_RW = 6;

export async function createTopic(conn: BenchConnection, topic: string, queues: number): Promise<void> {
  const opaque = conn.nextOpaque();
  const { header } = await conn.invoke(requestFrame(RequestCode.UPDATE_AND_CREATE_TOPIC, opaque, {
    topic, defaultTopic: 'TBW102', readQueueNums: queues, writeQueueNums: queues, perm: PERM_RW,
    topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false,
  }), opaque);
  if (header.code !== 0) throw new Error(`UPDATE_AND_CREATE_TOPIC ${topic}: code ${header.code} ${header.remark ?? ''}`);
}

export async function maxOffsets(conn: BenchConnection, topic: string, queues: number): Promise<number[]> {
  const out: number[] = [];
  for (let queueId = 0; queueId < queues; queueId++) {
    const opaque = conn.nextOpaque();
    const { header } = await conn.invoke(requestFrame(RequestCode.GET_MAX_OFFSET, opaque, { topic, queueId }), opaque);
    if (header.code !== 0) throw new Error(`GET_MAX_OFFSET ${topic}:${queueId}: code ${header.code} ${header.remark ?? ''}`);
    out.push(Number(header.extFields['offset']));
  }
  return out;
}
