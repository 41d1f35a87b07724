// Acceptance (e): the lite pull consumer over real TCP reads from a given offset: assign a
// queue, seek to an offset, poll, and get exactly the messages from that offset to the end
// of the queue, in order, with nothing from other queues and nothing extra.
// Method: 50 messages into queue 2 and 10 into queue 0 of a 4-queue topic, then
// assign([queue 2]) + seek(queue 2, 17), poll until 33 messages, then one empty poll.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getUniqID } from '../../../src/common/message/message-id.js';
import type { MessageExt } from '../../../src/common/message/message-ext.js';
import { Message } from '../../../src/common/message/message.js';
import type { SendResult } from '../../../src/client/producer/send-result.js';
import { startCluster, type Cluster } from '../compat/compat-support.js';
import { closeAll, newLiteConsumer, newProducer } from './acceptance-support.js';

const TOPIC = 'AccLite';

describe('acceptance: lite pull consumer over TCP', () => {
  let cluster: Cluster;
  const clients: Array<{ shutdown(): Promise<void> }> = [];
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(async () => {
    await closeAll(clients);
    await cluster?.close();
  });

  it('assign() + seek(mq, 17) + poll() returns exactly offsets 17..49 of that queue, in order, then nothing', async () => {
    await cluster.createTopic(TOPIC, 4);
    const producer = newProducer(cluster, 'PG_acc_lite');
    clients.push(producer);
    await producer.start();
    const queue = { topic: TOPIC, brokerName: 'broker-a', queueId: 2 };
    const sent: SendResult[] = [];
    for (let i = 0; i < 50; i++) sent.push(await producer.send(Message.create(TOPIC, new TextEncoder().encode(`lite-${i}`), { tags: 'TagL', keys: `k${i}` }), queue));
    for (let i = 0; i < 10; i++) await producer.send(Message.create(TOPIC, new TextEncoder().encode(`other-${i}`)), { ...queue, queueId: 0 });
    expect(sent.map((r) => r.queueOffset)).toEqual(Array.from({ length: 50 }, (_, i) => i));

    const consumer = newLiteConsumer(cluster, 'CG_acc_lite', 'lite-c', { autoCommit: false });
    clients.push(consumer);
    await consumer.start();
    const queues = await consumer.fetchMessageQueues(TOPIC);
    expect(queues.map((q) => q.queueId).sort()).toEqual([0, 1, 2, 3]);
    consumer.assign([queue]);
    await consumer.seek(queue, 17);
    const got: MessageExt[] = [];
    for (let i = 0; i < 100 && got.length < 33; i++) got.push(...(await consumer.poll(2000)));
    expect(got.map((m) => m.queueOffset)).toEqual(Array.from({ length: 33 }, (_, i) => 17 + i));
    expect(got.map((m) => new TextDecoder().decode(m.body))).toEqual(Array.from({ length: 33 }, (_, i) => `lite-${17 + i}`));
    expect(got.map((m) => getUniqID(m))).toEqual(sent.slice(17).map((r) => r.msgId));
    expect(got.every((m) => m.queueId === 2 && m.tags === 'TagL')).toBe(true);
    expect(await consumer.poll(300)).toEqual([]);

    await consumer.commitSync(true);
    expect(await consumer.committed(queue)).toBe(50);
    expect(cluster.broker.consumerOffsetManager.queryOffset('CG_acc_lite', TOPIC, 2)).toBe(50);
  });
});
