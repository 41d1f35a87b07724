// Push consumption end to end on virtual time (real name server and broker on SimNetwork):
// long polling delivers a message one round trip after it is stored; a failed listener call
// sends the message back (it lands in SCHEDULE_TOPIC_XXXX, bound for %RETRY%<group>), by RPC
// or, when that fails, through the inner producer; tags are filtered again on the client;
// broadcasting gives every member every message and keeps offsets in a local file; and a
// restarted clustering consumer resumes at the persisted offsets with nothing consumed twice.
import { describe, expect, it } from 'vitest';
import type { DefaultMQPushConsumer } from '../../../src/client/consumer/default-mq-push-consumer.js';
import { ConsumeConcurrentlyStatus } from '../../../src/client/consumer/listener/message-listener.js';
import type { DefaultMQProducer } from '../../../src/client/producer/default-mq-producer.js';
import { decodeMessages } from '../../../src/common/message/message-decoder.js';
import type { MessageExt } from '../../../src/common/message/message-ext.js';
import { Message } from '../../../src/common/message/message.js';
import { bytes, heldQueues, pushWorld, START, utf8 } from './push-sim-world.js';

type World = Awaited<ReturnType<typeof pushWorld>>;

/** A listener that records every message body it is given and answers `answer(msg)`. */
function recorder(answer: (msg: MessageExt) => ConsumeConcurrentlyStatus = () => ConsumeConcurrentlyStatus.CONSUME_SUCCESS) {
  const seen: MessageExt[] = [];
  return { seen, bodies: () => seen.map((m) => utf8(m.body)), listener: { consumeMessage: (msgs: readonly MessageExt[]) => (seen.push(...msgs), answer(msgs[0]!)) } };
}

async function sendAll(w: World, producer: DefaultMQProducer, topic: string, bodies: string[], tags?: string): Promise<void> {
  for (const body of bodies) await w.settle(producer.send(Message.create(topic, bytes(body), tags === undefined ? {} : { tags })));
}

async function started(w: World, consumer: DefaultMQPushConsumer, topic: string, queues: number): Promise<void> {
  await w.settle(consumer.start());
  await w.until(() => heldQueues(consumer, topic).length === queues, 5_000);
}

describe('DefaultMQPushConsumer consumption (SimNetwork)', () => {
  it('long polling: a message sent to an idle queue reaches the listener one round trip later, not after 15 s', async () => {
    const w = await pushWorld();
    await w.createTopic('TopicA', 1);
    const rec = recorder();
    const c1 = w.consumer('consumer-1', { consumerGroup: 'cg', subscription: { TopicA: '*' }, messageListener: rec.listener });
    await started(w, c1, 'TopicA', 1);
    const producer = await w.producer();
    await w.clock.advance(7_000); // the pull is now parked in the broker's hold table
    expect(w.sink.ofKind('broker.pull.suspended').some((e) => e.data.key === 'TopicA@0' && e.data.group === 'cg')).toBe(true);
    const sentAt = w.clock.now();
    await sendAll(w, producer, 'TopicA', ['hello']);
    await w.until(() => rec.seen.length === 1, 1_000);
    // Event times count from the sink's creation (START); the send began at sentAt.
    const consumedAt = START + w.sink.ofKind('client.consume.started').find((e) => e.node === 'consumer-1')!.at;
    expect(consumedAt - sentAt).toBeLessThan(100);
    expect(w.sink.ofKind('broker.pull.woken').some((e) => e.data.key === 'TopicA@0' && e.data.reason === 'arrival')).toBe(true);
    expect(rec.bodies()).toEqual(['hello']);
    await w.settle(Promise.all([c1.shutdown(), producer.shutdown()]));
    await w.shutdown();
  });

  it('consumes every message exactly once across 4 queues and commits offset = messages per queue', async () => {
    const w = await pushWorld();
    await w.createTopic('TopicA', 4);
    const rec = recorder();
    const c1 = w.consumer('consumer-1', { consumerGroup: 'cg', subscription: { TopicA: '*' }, messageListener: rec.listener });
    await started(w, c1, 'TopicA', 4);
    const producer = await w.producer();
    const bodies = Array.from({ length: 100 }, (_, i) => `m${i}`);
    await sendAll(w, producer, 'TopicA', bodies);
    await w.until(() => rec.seen.length === 100, 10_000);
    expect(rec.bodies().sort()).toEqual([...bodies].sort());
    await w.clock.advance(6_000); // the 5 s offset persist
    const broker = w.brokers.get('broker-a')!;
    const committed = [0, 1, 2, 3].map((q) => broker.consumerOffsetManager.queryOffset('cg', 'TopicA', q));
    expect(committed.reduce((a, b) => a + b, 0)).toBe(100);
    // Later pulls piggyback the in-memory offset: sysFlag bit 0 (COMMIT_OFFSET) and commitOffset set.
    const last = w.sink.ofKind('client.pull.requested').filter((e) => e.node === 'consumer-1' && e.data.mq === 'TopicA@broker-a@0').at(-1)!;
    expect([last.data.sysFlag & 1, last.data.commitOffset, last.data.suspend, last.data.maxNums]).toEqual([1, committed[0], true, 32]);
    await w.settle(Promise.all([c1.shutdown(), producer.shutdown()]));
    await w.shutdown();
  });

  it('flow control: more than pullThresholdForQueue buffered messages delays the next pull by 50 ms', async () => {
    const w = await pushWorld();
    await w.createTopic('TopicA', 1);
    let consumed = 0;
    const c1 = w.consumer('consumer-1', { consumerGroup: 'cg', subscription: { TopicA: '*' }, pullThresholdForQueue: 5, pullBatchSize: 8, consumeThreadMax: 1 });
    c1.registerMessageListener({
      consumeMessage: async () => {
        await new Promise<void>((resolve) => w.clock.setTimer(100, resolve)); // a slow listener: the buffer fills up
        consumed++;
        return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
      },
    });
    await started(w, c1, 'TopicA', 1);
    const producer = await w.producer();
    await sendAll(w, producer, 'TopicA', Array.from({ length: 30 }, (_, i) => `m${i}`));
    await w.until(() => consumed === 30, 20_000);
    const delayed = w.sink.ofKind('client.pull.delayed').filter((e) => e.node === 'consumer-1');
    expect(delayed.length).toBeGreaterThan(0);
    expect(delayed.every((e) => e.data.reason === 'count-threshold' && e.data.delayMs === 50 && e.data.cachedCount > 5)).toBe(true);
    await w.settle(Promise.all([c1.shutdown(), producer.shutdown()]));
    await w.shutdown();
  });

  it('RECONSUME_LATER sends the message back: it lands in SCHEDULE_TOPIC_XXXX (level 3) bound for %RETRY%cg, and the offset moves on', async () => {
    const w = await pushWorld();
    await w.createTopic('TopicA', 1);
    const rec = recorder((msg) => (utf8(msg.body) === 'fail-me' ? ConsumeConcurrentlyStatus.RECONSUME_LATER : ConsumeConcurrentlyStatus.CONSUME_SUCCESS));
    const c1 = w.consumer('consumer-1', { consumerGroup: 'cg', subscription: { TopicA: '*' }, messageListener: rec.listener });
    await started(w, c1, 'TopicA', 1);
    const producer = await w.producer();
    await sendAll(w, producer, 'TopicA', ['fail-me', 'ok']);
    await w.until(() => w.sink.ofKind('client.message.sent-back').length === 1 && rec.seen.length === 2, 5_000);
    expect(w.sink.ofKind('client.message.sent-back')[0]!.data).toMatchObject({ group: 'cg', topic: 'TopicA', delayLevel: 0, reconsumeTimes: 0, via: 'broker' });
    const broker = w.brokers.get('broker-a')!;
    const parked = decodeMessages(broker.messageStore.getMessage('x', 'SCHEDULE_TOPIC_XXXX', 2, 0, 32)!.body);
    expect(parked.map((m) => [utf8(m.body), m.reconsumeTimes, m.getProperty('REAL_TOPIC'), m.getProperty('RETRY_TOPIC'), m.getProperty('DELAY')]))
      .toEqual([['fail-me', 1, '%RETRY%cg', 'TopicA', '3']]);
    await w.until(() => c1.defaultMQPushConsumerImpl.offsetStore.cloneOffsetTable('TopicA')[0]?.[1] === 2, 1_000);

    // When CONSUMER_SEND_MSG_BACK cannot be sent, the inner producer re-sends to %RETRY%cg itself.
    const via = await w.settle(c1.sendMessageBack(rec.seen[0]!, 0, 'no-such-broker'));
    expect(via).toBe('inner-producer');
    const resent = decodeMessages(broker.messageStore.getMessage('x', 'SCHEDULE_TOPIC_XXXX', 2, 0, 32)!.body)[1]!;
    expect([utf8(resent.body), resent.reconsumeTimes, resent.getProperty('REAL_TOPIC'), resent.getProperty('RETRY_TOPIC'), resent.getProperty('ORIGIN_MESSAGE_ID')])
      .toEqual(['fail-me', 1, '%RETRY%cg', 'TopicA', rec.seen[0]!.msgId]);
    await w.settle(Promise.all([c1.shutdown(), producer.shutdown()]));
    await w.shutdown();
  });

  it('filters tags again on the client: "BB" shares the hash of "Aa", passes the broker, and is dropped', async () => {
    const w = await pushWorld();
    await w.createTopic('TopicA', 1);
    const rec = recorder();
    const c1 = w.consumer('consumer-1', { consumerGroup: 'cg', subscription: { TopicA: 'Aa' }, messageListener: rec.listener });
    await started(w, c1, 'TopicA', 1);
    const producer = await w.producer();
    await sendAll(w, producer, 'TopicA', ['bb-1'], 'BB');
    await sendAll(w, producer, 'TopicA', ['aa-1'], 'Aa');
    await sendAll(w, producer, 'TopicA', ['cc-1'], 'CC');
    await w.until(() => rec.seen.length === 1, 5_000);
    await w.clock.advance(1_000);
    expect(rec.bodies()).toEqual(['aa-1']);
    const received = w.sink.ofKind('client.pull.received').filter((e) => e.node === 'consumer-1' && e.data.decoded > e.data.count);
    expect(received.length).toBeGreaterThan(0); // the broker sent BB (same hash code), the client dropped it
    await w.settle(Promise.all([c1.shutdown(), producer.shutdown()]));
    await w.shutdown();
  });

  it('BROADCASTING gives every member every message and writes offsets to <dir>/<clientId>/<group>/offsets.json', async () => {
    const w = await pushWorld();
    await w.createTopic('TopicB', 2);
    const recs = [recorder(), recorder()];
    const consumers = recs.map((rec, i) => w.consumer(`consumer-${i + 1}`, {
      consumerGroup: 'bg', messageModel: 'BROADCASTING', subscription: { TopicB: '*' }, messageListener: rec.listener, localOffsetStoreDir: '/offsets',
    }));
    for (const c of consumers) await started(w, c, 'TopicB', 2);
    const producer = await w.producer();
    const bodies = Array.from({ length: 20 }, (_, i) => `b${i}`);
    await sendAll(w, producer, 'TopicB', bodies);
    await w.until(() => recs.every((r) => r.seen.length === 20), 5_000);
    expect(recs.map((r) => r.bodies().sort())).toEqual([[...bodies].sort(), [...bodies].sort()]);
    await w.clock.advance(11_000); // the first offset persist runs 10 s after start
    const file = w.fs.readText(`/offsets/${consumers[0]!.mQClientFactory.clientId}/bg/offsets.json`);
    const offsets = [...(file ?? '').matchAll(/"queueId":(\d+),"topic":"TopicB"\}:(\d+)/g)].map((m) => Number(m[2]));
    expect(offsets.reduce((a, b) => a + b, 0)).toBe(20);
    await w.settle(Promise.all([...consumers.map((c) => c.shutdown()), producer.shutdown()]));
    await w.shutdown();
  });

  it('a restarted consumer resumes at the persisted offsets: nothing lost, nothing consumed twice', async () => {
    const w = await pushWorld();
    await w.createTopic('TopicA', 4);
    const first = recorder();
    const c1 = w.consumer('consumer-1', { consumerGroup: 'cg', subscription: { TopicA: '*' }, messageListener: first.listener });
    await started(w, c1, 'TopicA', 4);
    const producer = await w.producer();
    const before = Array.from({ length: 40 }, (_, i) => `before-${i}`);
    await sendAll(w, producer, 'TopicA', before);
    await w.until(() => first.seen.length === 40, 5_000);
    await w.settle(c1.shutdown());
    const broker = w.brokers.get('broker-a')!;
    expect([0, 1, 2, 3].map((q) => broker.consumerOffsetManager.queryOffset('cg', 'TopicA', q)).reduce((a, b) => a + b, 0)).toBe(40);

    const after = Array.from({ length: 12 }, (_, i) => `after-${i}`);
    await sendAll(w, producer, 'TopicA', after);
    const second = recorder();
    const c2 = w.consumer('consumer-1', { consumerGroup: 'cg', subscription: { TopicA: '*' }, messageListener: second.listener }, '10.0.1.10');
    await started(w, c2, 'TopicA', 4);
    await w.until(() => second.seen.length === 12, 5_000);
    await w.clock.advance(2_000);
    expect(second.bodies().sort()).toEqual([...after].sort());
    expect(w.sink.ofKind('client.queue.added').filter((e) => e.node === 'consumer-1' && e.data.mq.startsWith('TopicA')).slice(-4).map((e) => e.data.from))
      .toEqual(['stored', 'stored', 'stored', 'stored']);
    await w.settle(Promise.all([c2.shutdown(), producer.shutdown()]));
    await w.shutdown();
  });
});
