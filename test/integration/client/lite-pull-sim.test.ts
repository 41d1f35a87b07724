// The lite pull consumer against a real name server and broker on SimNetwork + ManualClock:
// assign + seek reads exactly from an offset; poll waits in virtual time; the pulls carry the
// lite-pull, subscription and suspend flags; commitSync writes offsets the broker keeps and
// committed() reads back; seekToBegin/seekToEnd/offsetForTimestamp; pause/resume; flow
// control; two subscribed members of a group split the queues and read everything once; a
// broadcasting member keeps its offsets in a local file; bad calls are rejected.
import { describe, expect, it } from 'vitest';
import { getUniqID } from '../../../src/common/message/message-id.js';
import type { MessageExt } from '../../../src/common/message/message-ext.js';
import { PullSysFlag } from '../../../src/common/sysflag/pull-sys-flag.js';
import type { DefaultLitePullConsumer } from '../../../src/client/consumer/default-lite-pull-consumer.js';
import { MQClientError } from '../../../src/client/errors.js';
import { bodyMessage, mq, simWorld, utf8, type SimWorld } from './lite-sim-world.js';

/** Send `count` messages to queue `queueId` of `topic`; returns their send results. */
async function sendTo(world: SimWorld, producer: ReturnType<SimWorld['producer']>, topic: string, queueId: number, count: number, from = 0) {
  const results = [];
  for (let i = from; i < from + count; i++) results.push(await world.settle(producer.send(bodyMessage(topic, i), mq(topic, queueId))));
  return results;
}

/** Poll until `want` messages came (virtual time), returning them in arrival order. */
async function pollAll(world: SimWorld, consumer: DefaultLitePullConsumer, want: number, limitPolls = 200): Promise<MessageExt[]> {
  const got: MessageExt[] = [];
  for (let i = 0; i < limitPolls && got.length < want; i++) got.push(...(await world.settle(consumer.poll(1000))));
  return got;
}

describe('DefaultLitePullConsumer on SimNetwork', () => {
  it('assign() + seek() + poll() returns exactly the messages from the seek offset on, in queue order, with UNIQ_KEY, tags and keys', async () => {
    const world = await simWorld();
    await world.createTopic('LiteSeek', 2);
    const producer = world.producer();
    await world.settle(producer.start());
    const sent = await sendTo(world, producer, 'LiteSeek', 1, 25);
    await sendTo(world, producer, 'LiteSeek', 0, 5, 100);

    const consumer = world.liteConsumer('lite-1', { consumerGroup: 'CG_seek', autoCommit: false });
    consumer.assign([mq('LiteSeek', 1)]);
    await world.settle(consumer.start());
    await world.settle(consumer.seek(mq('LiteSeek', 1), 7));
    const got = await pollAll(world, consumer, 18);
    expect(got.map((m) => m.queueOffset)).toEqual(Array.from({ length: 18 }, (_, i) => 7 + i));
    expect(got.map((m) => utf8(m.body))).toEqual(Array.from({ length: 18 }, (_, i) => `body-${7 + i}`));
    expect(got.map((m) => getUniqID(m))).toEqual(sent.slice(7).map((r) => r.msgId));
    // As in Java's MessageClientExt, msgId is the UNIQ_KEY (SendResult.msgId) and offsetMsgId the broker's id.
    expect(got.map((m) => m.msgId)).toEqual(sent.slice(7).map((r) => r.msgId));
    expect(got.map((m) => m.offsetMsgId)).toEqual(sent.slice(7).map((r) => r.offsetMsgId));
    expect(got.every((m) => m.tags === 'TagA' && m.keys === `key-${m.queueOffset}` && m.queueId === 1 && m.brokerName === 'broker-a')).toBe(true);
    // Nothing more: the next poll waits its full second of virtual time and returns [].
    const before = world.clock.now();
    expect(await world.settle(consumer.poll(1000))).toEqual([]);
    expect(world.clock.now() - before).toBe(1000);
    // Batches are at most pullBatchSize (10) messages of one queue.
    expect(world.sink.ofKind('client.lite.polled').every((e) => e.data.count <= 10 && e.data.mq === 'LiteSeek@broker-a@1')).toBe(true);
    await world.settle(consumer.shutdown());
    await world.settle(producer.shutdown());
    await world.shutdown();
  });

  it('poll() with a long-polled pull outstanding returns a message as soon as it is sent (no waiting for the poll timeout)', async () => {
    const world = await simWorld();
    await world.createTopic('LiteWake', 1);
    const producer = world.producer();
    await world.settle(producer.start());
    const consumer = world.liteConsumer('lite-1', { consumerGroup: 'CG_wake', consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    consumer.assign([mq('LiteWake', 0)]);
    await world.settle(consumer.start());
    await world.clock.advance(3000); // the pull is now held by the broker
    const polled = consumer.poll(10_000);
    const sentAt = world.clock.now();
    await world.settle(producer.send(bodyMessage('LiteWake', 1), mq('LiteWake', 0)));
    const got = await world.settle(polled);
    expect(got.map((m) => utf8(m.body))).toEqual(['body-1']);
    expect(world.clock.now() - sentAt).toBeLessThan(100);
    // The pull that brought it: suspend + subscription + lite-pull flags, no commit flag, 20 s hold.
    const requested = world.sink.ofKind('client.pull.requested').filter((e) => e.node === 'lite-1');
    expect(requested.length).toBeGreaterThan(0);
    for (const e of requested) {
      expect(e.data.sysFlag).toBe(PullSysFlag.FLAG_SUSPEND | PullSysFlag.FLAG_SUBSCRIPTION | PullSysFlag.FLAG_LITE_PULL_MESSAGE);
      expect(e.data.maxNums).toBe(10);
    }
    await world.settle(consumer.shutdown());
    await world.settle(producer.shutdown());
    await world.shutdown();
  });

  it('commitSync(true) stores the polled position on the broker; committed() reads it; a new consumer of the group resumes there', async () => {
    const world = await simWorld();
    await world.createTopic('LiteCommit', 1);
    const producer = world.producer();
    await world.settle(producer.start());
    await sendTo(world, producer, 'LiteCommit', 0, 12);
    const q = mq('LiteCommit', 0);
    const first = world.liteConsumer('lite-1', { consumerGroup: 'CG_commit', autoCommit: false, pullBatchSize: 4 });
    first.assign([q]);
    await world.settle(first.start());
    const got = await pollAll(world, first, 8);
    expect(got.map((m) => m.queueOffset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(await world.settle(first.committed(q))).toBe(0); // a young queue: the broker answers 0
    await world.settle(first.commitSync(true));
    expect(await world.settle(first.committed(q))).toBe(8);
    expect(world.brokers.get('broker-a')!.consumerOffsetManager.queryOffset('CG_commit', 'LiteCommit', 0)).toBe(8);
    await world.settle(first.shutdown());

    const second = world.liteConsumer('lite-2', { consumerGroup: 'CG_commit', autoCommit: false });
    second.assign([q]);
    await world.settle(second.start());
    const rest = await pollAll(world, second, 4);
    expect(rest.map((m) => m.queueOffset)).toEqual([8, 9, 10, 11]);
    await world.settle(second.shutdown());
    await world.settle(producer.shutdown());
    await world.shutdown();
  });

  it('auto commit records the polled position every 5 s of virtual time (on poll), and the 5 s persist timer sends it to the broker', async () => {
    const world = await simWorld();
    await world.createTopic('LiteAuto', 1);
    const producer = world.producer();
    await world.settle(producer.start());
    await sendTo(world, producer, 'LiteAuto', 0, 5);
    const consumer = world.liteConsumer('lite-1', { consumerGroup: 'CG_auto', pullBatchSize: 5 });
    consumer.assign([mq('LiteAuto', 0)]);
    await world.settle(consumer.start());
    expect((await pollAll(world, consumer, 5)).length).toBe(5);
    // Polls keep running; after the interval one of them commits offset 5.
    for (let i = 0; i < 8; i++) await world.settle(consumer.poll(1000));
    const commits = world.sink.ofKind('client.lite.committed').filter((e) => e.data.auto && e.data.entries.length > 0);
    expect(commits[0]!.data.entries).toEqual([{ mq: 'LiteAuto@broker-a@0', offset: 5 }]);
    await world.until(() => world.brokers.get('broker-a')!.consumerOffsetManager.queryOffset('CG_auto', 'LiteAuto', 0) === 5, 'the broker to store offset 5', 20_000);
    await world.settle(consumer.shutdown());
    await world.settle(producer.shutdown());
    await world.shutdown();
  });

  it('seekToBegin(), seekToEnd() and offsetForTimestamp() use the broker offsets; fetchMessageQueues() lists the readable queues', async () => {
    const world = await simWorld();
    await world.createTopic('LiteEnds', 3);
    const producer = world.producer();
    await world.settle(producer.start());
    await sendTo(world, producer, 'LiteEnds', 2, 6);
    const midTime = world.clock.now();
    await world.clock.advance(1000);
    await sendTo(world, producer, 'LiteEnds', 2, 4, 6);
    const consumer = world.liteConsumer('lite-1', { consumerGroup: 'CG_ends', autoCommit: false });
    const q = mq('LiteEnds', 2);
    consumer.assign([q]);
    await world.settle(consumer.start());
    expect((await world.settle(consumer.fetchMessageQueues('LiteEnds'))).map((m) => m.queueId).sort()).toEqual([0, 1, 2]);
    // The store answers the offset stored closest to the time (Java getOffsetInQueueByTime).
    expect(await world.settle(consumer.offsetForTimestamp(q, midTime + 990))).toBe(6);
    expect(await world.settle(consumer.offsetForTimestamp(q, midTime + 10))).toBe(5);

    await world.settle(consumer.seekToEnd(q));
    expect(await world.settle(consumer.poll(500))).toEqual([]);
    await sendTo(world, producer, 'LiteEnds', 2, 1, 10);
    expect((await pollAll(world, consumer, 1)).map((m) => m.queueOffset)).toEqual([10]);

    await world.settle(consumer.seekToBegin(q));
    expect((await pollAll(world, consumer, 11)).map((m) => m.queueOffset)).toEqual(Array.from({ length: 11 }, (_, i) => i));
    expect(world.sink.ofKind('client.lite.seeked').map((e) => [e.data.via, e.data.offset])).toEqual([['seekToEnd', 10], ['seekToBegin', 0]]);
    await world.settle(consumer.shutdown());
    await world.settle(producer.shutdown());
    await world.shutdown();
  });

  it('pause() stops pulling a queue (buffered batches can still be polled) and resume() restarts it', async () => {
    const world = await simWorld();
    await world.createTopic('LitePause', 2);
    const producer = world.producer();
    await world.settle(producer.start());
    const consumer = world.liteConsumer('lite-1', { consumerGroup: 'CG_pause', consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    const [q0, q1] = [mq('LitePause', 0), mq('LitePause', 1)];
    consumer.assign([q0, q1]);
    await world.settle(consumer.start());
    await world.clock.advance(100);
    consumer.pause([q1]);
    await world.clock.advance(2000);
    await sendTo(world, producer, 'LitePause', 0, 3);
    await sendTo(world, producer, 'LitePause', 1, 3, 10);
    const got = await pollAll(world, consumer, 3);
    for (let i = 0; i < 3; i++) got.push(...(await world.settle(consumer.poll(1000))));
    // The pull held for q1 when it was paused still answers once; after that nothing of q1 comes.
    const q1Bodies = got.filter((m) => m.queueId === 1).length;
    expect(got.filter((m) => m.queueId === 0).map((m) => utf8(m.body))).toEqual(['body-0', 'body-1', 'body-2']);
    consumer.resume([q1]);
    const more = await pollAll(world, consumer, 3 - q1Bodies);
    expect([...got, ...more].filter((m) => m.queueId === 1).map((m) => utf8(m.body))).toEqual(['body-10', 'body-11', 'body-12']);
    expect(world.sink.ofKind('client.lite.paused').map((e) => [e.data.paused, e.data.mqs])).toEqual([[true, ['LitePause@broker-a@1']], [false, ['LitePause@broker-a@1']]]);
    expect(world.sink.ofKind('client.pull.delayed').some((e) => e.data.reason === 'paused')).toBe(true);
    await world.settle(consumer.shutdown());
    await world.settle(producer.shutdown());
    await world.shutdown();
  });

  it('flow control: with pullThresholdForQueue 5 and nobody polling, pulls stop after the buffer exceeds 5 and resume once poll() drains it', async () => {
    const world = await simWorld();
    await world.createTopic('LiteFlow', 1);
    const producer = world.producer();
    await world.settle(producer.start());
    await sendTo(world, producer, 'LiteFlow', 0, 30);
    const consumer = world.liteConsumer('lite-1', { consumerGroup: 'CG_flow', pullThresholdForQueue: 5, pullBatchSize: 4, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    consumer.assign([mq('LiteFlow', 0)]);
    await world.settle(consumer.start());
    await world.clock.advance(2000);
    const pulls = () => world.sink.ofKind('client.pull.received').filter((e) => e.node === 'lite-1' && e.data.status === 'FOUND').length;
    expect(pulls()).toBe(2); // 4 + 4 = 8 buffered > 5: held
    expect(world.sink.ofKind('client.pull.delayed').map((e) => e.data.reason)).toEqual(['count-threshold']);
    const got = await pollAll(world, consumer, 30);
    expect(got.map((m) => m.queueOffset)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    await world.settle(consumer.shutdown());
    await world.settle(producer.shutdown());
    await world.shutdown();
  });

  it('subscribe(): two members of a group split the queues of two brokers, together read every message once, and the survivor takes all queues when one shuts down', async () => {
    const world = await simWorld({ brokers: ['broker-a', 'broker-b'] });
    await world.createTopic('LiteSub', 2);
    const producer = world.producer();
    await world.settle(producer.start());
    const a = world.liteConsumer('lite-a', { consumerGroup: 'CG_sub', consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    const b = world.liteConsumer('lite-b', { consumerGroup: 'CG_sub', consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    await world.settle(a.subscribe('LiteSub', 'TagA || TagB'));
    await world.settle(b.subscribe('LiteSub', 'TagA || TagB'));
    await world.settle(a.start());
    await world.settle(b.start());
    const key = (q: { brokerName: string; queueId: number }) => `${q.brokerName}/${q.queueId}`;
    await world.until(() => a.assignment().length === 2 && b.assignment().length === 2, 'a 2/2 split');
    expect([...a.assignment(), ...b.assignment()].map(key).sort()).toEqual(['broker-a/0', 'broker-a/1', 'broker-b/0', 'broker-b/1']);

    for (let i = 0; i < 40; i++) await world.settle(producer.send(bodyMessage('LiteSub', i, i % 4 === 3 ? 'TagC' : i % 2 === 0 ? 'TagA' : 'TagB')));
    const fromA: MessageExt[] = [];
    const fromB: MessageExt[] = [];
    for (let i = 0; i < 100 && fromA.length + fromB.length < 30; i++) {
      fromA.push(...(await world.settle(a.poll(200))));
      fromB.push(...(await world.settle(b.poll(200))));
    }
    const bodies = [...fromA, ...fromB].map((m) => utf8(m.body)).sort();
    expect(bodies).toEqual(Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 4 !== 3).map((i) => `body-${i}`).sort());
    for (const [member, got] of [[a, fromA], [b, fromB]] as const) {
      const mine = new Set(member.assignment().map(key));
      expect(got.every((m) => mine.has(key(m)))).toBe(true);
    }

    await world.settle(b.shutdown());
    await world.until(() => a.assignment().length === 4, 'the survivor to take all 4 queues');
    const assigned = world.sink.ofKind('client.lite.assigned').filter((e) => e.node === 'lite-a' && e.data.via === 'subscribe');
    expect(assigned.at(-1)!.data.added.length).toBe(2);
    await world.settle(a.shutdown());
    await world.settle(producer.shutdown());
    await world.shutdown();
  });

  it('BROADCASTING: every member reads every queue and keeps its offsets in its own local offsets file', async () => {
    const world = await simWorld();
    await world.createTopic('LiteCast', 2);
    const producer = world.producer();
    await world.settle(producer.start());
    const members = ['cast-1', 'cast-2'].map((node) => world.liteConsumer(node, {
      consumerGroup: 'CG_cast', messageModel: 'BROADCASTING', consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', localOffsetStoreDir: '/offsets', autoCommit: false,
    }));
    for (const member of members) {
      await world.settle(member.subscribe('LiteCast', '*'));
      await world.settle(member.start());
    }
    await world.until(() => members.every((m) => m.assignment().length === 2), 'both members to take both queues');
    for (let i = 0; i < 6; i++) await world.settle(producer.send(bodyMessage('LiteCast', i)));
    for (const member of members) {
      const got = await pollAll(world, member, 6);
      expect(got.map((m) => utf8(m.body)).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `body-${i}`));
      await world.settle(member.commitSync());
      const file = world.fs.readText(`/offsets/${member.mQClientFactory.clientId}/CG_cast/offsets.json`)!;
      expect(file).toContain('"topic":"LiteCast"');
    }
    const persisted = world.sink.ofKind('client.offset.persisted').filter((e) => e.data.store === 'local-file');
    expect(new Set(persisted.map((e) => e.node))).toEqual(new Set(['cast-1', 'cast-2']));
    for (const member of members) await world.settle(member.shutdown());
    await world.settle(producer.shutdown());
    await world.shutdown();
  });

  it('rejects bad calls: poll before start, subscribe after assign, seek of an unassigned queue or out of range, the DEFAULT_CONSUMER group', async () => {
    const world = await simWorld();
    await world.createTopic('LiteBad', 1);
    const consumer = world.liteConsumer('lite-1', { consumerGroup: 'CG_bad' });
    await expect(consumer.poll(10)).rejects.toThrow('The consumer not running, please start it first.');
    consumer.assign([mq('LiteBad', 0)]);
    await expect(consumer.subscribe('LiteBad', '*')).rejects.toThrow('Subscribe and assign are mutually exclusive.');
    expect(() => consumer.assign([])).toThrow(MQClientError);
    await world.settle(consumer.start());
    await expect(world.settle(consumer.start())).rejects.toThrow('maybe started once');
    await expect(world.settle(consumer.seek(mq('LiteBad', 3), 0))).rejects.toThrow('The message queue is not in assigned list');
    await expect(world.settle(consumer.seek(mq('LiteBad', 0), 5))).rejects.toThrow('Seek offset illegal, seek offset = 5, min offset = 0, max offset = 0');
    await expect(world.settle(consumer.poll(-1))).rejects.toThrow('Timeout must not be negative');
    await world.settle(consumer.shutdown());
    const nameless = world.liteConsumer('lite-2', {});
    await expect(world.settle(nameless.start())).rejects.toThrow('consumerGroup can not equal DEFAULT_CONSUMER');
    await world.shutdown();
  });
});
