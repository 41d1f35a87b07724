// A synthetic long run for the viz model's scaling test: `messages` sends of one producer to
// broker-a, each stored, dispatched and consumed, with a flush every 8 messages. Twelve to
// thirteen events per message, so 800 messages make a run of about 10,000 events.
import type { InstrumentEvent, RunHeader } from '../../../src/events/event-types.js';
import type { LoadedRun } from '../../../viz/src/model/index.js';

export function syntheticRun(messages: number): LoadedRun {
  const header: RunHeader = {
    type: 'run.header', v: 1, scenario: 'synthetic', seed: 1, semantics: 'rocketmq-4.9.x', commit: 'test', config: { startMs: 1_700_000_000_000 },
    nodes: [{ id: 'broker-a', role: 'broker-master' }, { id: 'producer-1', role: 'producer' }, { id: 'consumer-1', role: 'consumer' }], lanes: [],
  };
  const events: InstrumentEvent[] = [];
  const push = (fields: Omit<InstrumentEvent, 'seq' | 'at'>, at: number): void => {
    events.push({ ...fields, seq: events.length + 1, at } as InstrumentEvent);
  };
  let phys = 0;
  for (let i = 0; i < messages; i++) {
    const at = i * 3;
    const uniqKey = `KEY${String(i).padStart(8, '0')}`;
    const size = 91 + 4 + 9 + 60;
    const msg = { uniqKey, topic: 'TopicTest', queueId: i % 4, queueOffset: Math.floor(i / 4), physOffset: phys, size };
    push({ kind: 'client.message.created', node: 'producer-1', data: { uniqKey, topic: 'TopicTest', tags: 'TagA', bodyLen: 4, props: 3, compressed: false }, msg }, at);
    push({ kind: 'remoting.request.sent', node: 'producer-1', rpc: { opaque: i, code: 'SEND_MESSAGE_V2', side: 'client' }, data: { to: '10.0.0.2:10911', code: 310, oneway: false, bodyLength: 4 } }, at);
    push({ kind: 'remoting.request.received', node: 'broker-a', rpc: { opaque: i, code: 'SEND_MESSAGE_V2', side: 'server' }, data: { from: '10.0.1.11:50001', code: 310, oneway: false, bodyLength: 4 } }, at + 1);
    push({ kind: 'store.commitlog.appended', node: 'broker-a', msg, data: {
      physOffset: phys, size, fileFromOffset: 0, wrote: phys + size, topic: 'TopicTest', queueId: msg.queueId, queueOffset: msg.queueOffset, msgNum: 1, storeTimestamp: 1_700_000_000_000 + at,
      record: { bodyCRC: 1, flag: 0, sysFlag: 0, bornTimestamp: 1, bornHost: '10.0.1.11:50001', storeHost: '10.0.0.2:10911', reconsumeTimes: 0, preparedTransactionOffset: 0,
        bodyLength: 4, topicLength: 9, propertiesLength: 60, properties: { TAGS: 'TagA', UNIQ_KEY: uniqKey } } } }, at + 1);
    push({ kind: 'remoting.response.sent', node: 'broker-a', rpc: { opaque: i, code: 'SEND_MESSAGE_V2', side: 'server' }, data: { to: '10.0.1.11:50001', code: 0, bodyLength: 0 } }, at + 1);
    push({ kind: 'store.commitlog.committed', node: 'broker-a', data: { committedWhere: phys + size, bytes: size } }, at + 1);
    push({ kind: 'store.consumequeue.appended', node: 'broker-a', data: { topic: 'TopicTest', queueId: msg.queueId, queueOffset: msg.queueOffset, physOffset: phys, size, tagsCode: 2598919, filled: 0 } }, at + 1);
    push({ kind: 'store.reput.dispatched', node: 'broker-a', msg, data: { physOffset: phys, size, topic: 'TopicTest', queueId: msg.queueId, queueOffset: msg.queueOffset, tagsCode: 2598919, storeTimestamp: 0, reputFromOffset: phys + size } }, at + 1);
    push({ kind: 'remoting.response.received', node: 'producer-1', rpc: { opaque: i, code: 'SEND_MESSAGE_V2', side: 'client' }, data: { from: '10.0.0.2:10911', code: 0, bodyLength: 0, elapsedMs: 1 } }, at + 2);
    push({ kind: 'client.send.completed', node: 'producer-1', msg, data: { status: 'SEND_OK', mq: { topic: 'TopicTest', brokerName: 'broker-a', queueId: msg.queueId }, queueOffset: msg.queueOffset, offsetMsgId: 'X', uniqKey, attempts: 1, mode: 'SYNC' } }, at + 2);
    const mq = `TopicTest@broker-a@${msg.queueId}`;
    push({ kind: 'client.consume.started', node: 'consumer-1', msg, data: { group: 'cg', mq, mode: 'concurrently', queueOffsets: [msg.queueOffset], uniqKeys: [uniqKey], inflightCalls: 1 } }, at + 2);
    push({ kind: 'client.offset.updated', node: 'consumer-1', data: { group: 'cg', mq, offset: msg.queueOffset + 1, increaseOnly: true } }, at + 2);
    phys += size;
    if (i % 8 === 7) push({ kind: 'store.flush.completed', node: 'broker-a', data: { mode: 'ASYNC_FLUSH', flushedWhere: phys, bytes: size * 8, thorough: false } }, at + 2);
  }
  return { header, events, name: 'synthetic.events.jsonl' };
}
