// The npm RocketMQ 4.x client ali-ons 3.12.0 against our name server and broker, in-process
// over real TCP (see compat-support.ts).
//
// Goal: what a real client needs works end to end: sending with tags, keys, properties and
// compressed bodies; push consumption with the same msgId the producer got; queues split
// between two members of a group; committed offsets surviving a consumer restart; the
// client's queue choice for sharding keys honoured; and tag filtering done by the broker
// (shown with a raw PULL_MESSAGE, because ali-ons re-filters on its side and would hide it).
// Method: one cluster for the file, one topic and group per test, polling (never sleeping)
// until the expected messages have arrived.
import { createHash } from 'node:crypto';
import { Consumer, Message, Producer, type SendResult } from 'ali-ons';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessages } from '../../../src/common/message/message-decoder.js';
import { decodeMessageId } from '../../../src/common/message/message-id.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { waitFor } from '../cli/cli-support.js';
import { startCluster, type Cluster } from './compat-support.js';

/** A consumer of `group` on `topic` that keeps every message it is handed. */
function consumerOf(cluster: Cluster, group: string, instanceName: string, topic: string, subExpression = '*') {
  const received: Message[] = [];
  const consumer = new Consumer({ ...cluster.clientOptions(instanceName), consumerGroup: group, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
  consumer.on('error', (error) => cluster.clientLog.push(`consumer ${instanceName}: ${error.message}`));
  consumer.subscribe(topic, subExpression, async (msg) => {
    received.push(msg);
  });
  const queuesOf = () => [...consumer.processQueueTable.values()].map((p) => p.messageQueue).filter((mq) => mq.topic === topic).map((mq) => mq.queueId).sort();
  return { consumer, received, queuesOf };
}

function producerOf(cluster: Cluster, instanceName: string): Producer {
  const producer = new Producer({ ...cluster.clientOptions(instanceName), producerGroup: `PG_${instanceName}` });
  producer.on('error', (error) => cluster.clientLog.push(`producer ${instanceName}: ${error.message}`));
  return producer;
}

/** Text with little repetition, so zlib cannot shrink it to nothing. */
function bigBody(bytes: number): string {
  let text = '';
  for (let i = 0; text.length < bytes; i++) text += `${i.toString(36)}:${(i * 7919) % 1000003};`;
  return text.slice(0, bytes);
}

describe('ali-ons 3.12.0 against rocketmq-ts', () => {
  let cluster: Cluster;
  const toClose: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    cluster = await startCluster();
  });

  afterAll(async () => {
    for (const client of toClose.reverse()) await client.close().catch(() => undefined);
    // The inner CLIENT_INNER_PRODUCER every ali-ons client creates is never closed by the library.
    await Producer.defaultProducer?.close().catch(() => undefined);
    Producer.defaultProducer = null;
    if (process.env['COMPAT_DEBUG'] !== undefined) console.log(cluster.clientLog.join('\n'));
    await cluster.close();
  });

  it('Producer.send() and a push Consumer deliver content, tags, keys, properties and a >4 KiB body; msgIds match', async () => {
    await cluster.createTopic('CompatBasic', 4);
    const producer = producerOf(cluster, 'basic-p');
    toClose.push(producer);
    await producer.ready();
    const sent: Array<{ result: SendResult; body: string }> = [];
    for (let i = 0; i < 4; i++) {
      const body = i === 3 ? bigBody(10_000) : `hello ${i}`;
      const msg = new Message('CompatBasic', 'TagA', body);
      msg.keys = [`key-${i}`, 'shared'];
      msg.properties['colour'] = i % 2 === 0 ? 'red' : 'blue';
      const result = await producer.send(msg);
      expect(result.sendStatus).toBe('SEND_OK');
      sent.push({ result, body });
    }

    const { consumer, received } = consumerOf(cluster, 'CG_basic', 'basic-c', 'CompatBasic');
    toClose.push(consumer);
    await waitFor(() => received.length >= 4, `4 messages (got ${received.length}; ${cluster.clientLog.join(' | ')})`, 20_000);
    const byId = new Map(received.map((m) => [m.msgId, m]));
    for (const [i, { result, body }] of sent.entries()) {
      const msg = byId.get(result.msgId);
      expect(msg, `message ${i} by msgId ${result.msgId}`).toBeDefined();
      expect(msg!.body.toString('utf8')).toBe(body);
      expect(msg!.tags).toBe('TagA');
      expect(msg!.keys).toBe(`key-${i} shared`);
      expect(msg!.properties['colour']).toBe(i % 2 === 0 ? 'red' : 'blue');
      // ali-ons keeps the send response's header fields as the strings they travel as.
      expect(msg!.queueId).toBe(Number(result.messageQueue.queueId));
      expect(msg!.queueOffset).toBe(result.queueOffset);
    }
    // The big body was stored compressed by the client (sysFlag bit 0), as the broker keeps it.
    const big = decodeMessageId(sent[3]!.result.msgId)!;
    const view = await cluster.call(big.address, RequestCode.VIEW_MESSAGE_BY_ID, { offset: big.offset });
    const stored = decodeMessages(view.body!, true, false)[0]!;
    expect(stored.sysFlag & 1).toBe(1);
    expect(stored.body.length).toBeLessThan(10_000);
  });

  it('two Consumers of one group (different instanceName) split the queues and together get every message once', async () => {
    await cluster.createTopic('CompatSplit', 4);
    const a = consumerOf(cluster, 'CG_split', 'split-a', 'CompatSplit');
    const b = consumerOf(cluster, 'CG_split', 'split-b', 'CompatSplit');
    toClose.push(a.consumer, b.consumer);
    await waitFor(() => a.queuesOf().length === 2 && b.queuesOf().length === 2, `a 2/2 split (a=${a.queuesOf()}, b=${b.queuesOf()})`, 20_000);
    expect([...a.queuesOf(), ...b.queuesOf()].sort()).toEqual([0, 1, 2, 3]);

    const producer = producerOf(cluster, 'split-p');
    toClose.push(producer);
    for (let i = 0; i < 8; i++) await producer.send(new Message('CompatSplit', 'TagA', `split ${i}`));
    await waitFor(() => a.received.length + b.received.length >= 8, 'all 8 split messages', 20_000);
    const bodies = [...a.received, ...b.received].map((m) => m.body.toString('utf8')).sort();
    expect(bodies).toEqual(Array.from({ length: 8 }, (_, i) => `split ${i}`).sort());
    for (const member of [a, b]) {
      expect(member.received.length).toBeGreaterThan(0);
      for (const m of member.received) expect(member.queuesOf()).toContain(m.queueId);
    }
  });

  it('committed offsets survive a consumer restart: the new instance gets only the messages sent after the first closed', async () => {
    await cluster.createTopic('CompatOffsets', 2);
    const producer = producerOf(cluster, 'offsets-p');
    toClose.push(producer);
    for (let i = 0; i < 5; i++) await producer.send(new Message('CompatOffsets', 'TagA', `first ${i}`));
    const first = consumerOf(cluster, 'CG_offsets', 'offsets-1', 'CompatOffsets');
    await waitFor(() => first.received.length >= 5, 'the first 5 messages', 20_000);
    await first.consumer.close();
    const committed = () => [0, 1].reduce((sum, q) => sum + Math.max(0, cluster.broker.consumerOffsetManager.queryOffset('CG_offsets', 'CompatOffsets', q)), 0);
    await waitFor(() => committed() === 5, `committed offsets to reach 5 (at ${committed()})`);

    for (let i = 0; i < 5; i++) await producer.send(new Message('CompatOffsets', 'TagA', `second ${i}`));
    const second = consumerOf(cluster, 'CG_offsets', 'offsets-2', 'CompatOffsets');
    toClose.push(second.consumer);
    await waitFor(() => second.received.length >= 5, 'the second 5 messages', 20_000);
    // Per queue the consumer reads in order from its committed offset, so a redelivered old
    // message would have arrived before the new ones.
    expect(second.received.map((m) => m.body.toString('utf8')).sort()).toEqual(Array.from({ length: 5 }, (_, i) => `second ${i}`));
  });

  it('the broker stores a sharding-keyed message in the queue the client chose, in send order', async () => {
    await cluster.createTopic('CompatOrder', 4);
    // ali-ons pins a key to queueIds[md5(key) % n] but leaves a key that maps to queue 0
    // unpinned (client-compatibility.md 2.7), so only keys of queues 1-3 are used here.
    const queueOf = (key: string) => createHash('md5').update(key).digest().readUInt32BE(0) % 4;
    const keys = Array.from({ length: 20 }, (_, i) => `order-${i}`).filter((k) => queueOf(k) !== 0).slice(0, 3);
    const producer = producerOf(cluster, 'order-p');
    toClose.push(producer);
    const results = new Map<string, SendResult[]>();
    for (let step = 0; step < 4; step++) {
      for (const key of keys) {
        const msg = new Message('CompatOrder', 'TagA', `${key}#${step}`);
        msg.shardingKey = key;
        const result = await producer.send(msg);
        results.set(key, [...(results.get(key) ?? []), result]);
      }
    }
    for (const key of keys) expect(results.get(key)!.map((r) => Number(r.messageQueue.queueId))).toEqual([0, 1, 2, 3].map(() => queueOf(key)));

    const { consumer, received } = consumerOf(cluster, 'CG_order', 'order-c', 'CompatOrder');
    toClose.push(consumer);
    await waitFor(() => received.length >= keys.length * 4, 'every ordered message', 20_000);
    for (const key of keys) {
      const mine = received.filter((m) => m.body.toString('utf8').startsWith(`${key}#`)).sort((x, y) => x.queueOffset - y.queueOffset);
      expect(mine.map((m) => m.queueId)).toEqual([queueOf(key), queueOf(key), queueOf(key), queueOf(key)]);
      expect(mine.map((m) => m.body.toString('utf8'))).toEqual([0, 1, 2, 3].map((s) => `${key}#${s}`));
    }
  });

  it('a new group with the default CONSUME_FROM_LAST_OFFSET on a young topic starts at offset 0 (QUERY_CONSUMER_OFFSET answers 0, as Java does)', async () => {
    await cluster.createTopic('CompatLast', 1);
    const producer = producerOf(cluster, 'last-p');
    toClose.push(producer);
    await producer.send(new Message('CompatLast', 'TagA', 'before'));
    const received: Message[] = [];
    const consumer = new Consumer({ ...cluster.clientOptions('last-c'), consumerGroup: 'CG_last' });
    toClose.push(consumer);
    consumer.subscribe('CompatLast', '*', async (msg) => {
      received.push(msg);
    });
    await waitFor(() => [...consumer.processQueueTable.values()].some((p) => p.messageQueue.topic === 'CompatLast'), 'the queue to be allocated', 20_000);
    await producer.send(new Message('CompatLast', 'TagA', 'after'));
    await waitFor(() => received.length >= 2, `both messages (got ${received.length})`, 20_000);
    expect(received.map((m) => m.body.toString('utf8'))).toEqual(['before', 'after']);
  });

  it('a raw PULL_MESSAGE subscribing "TagA" gets no TagB message: the broker filters by tag', async () => {
    await cluster.createTopic('CompatFilter', 1);
    const producer = producerOf(cluster, 'filter-p');
    toClose.push(producer);
    for (let i = 0; i < 6; i++) await producer.send(new Message('CompatFilter', i % 2 === 0 ? 'TagA' : 'TagB', `filter ${i}`));
    // Dispatch into the consume queue follows the send asynchronously (as in Java).
    const maxOffset = async () => (await cluster.call(cluster.brokerAddr, RequestCode.GET_MAX_OFFSET, { topic: 'CompatFilter', queueId: 0 })).extFields?.['offset'];
    await waitFor(async () => (await maxOffset()) === '6', 'all 6 messages in the consume queue');
    const pull = await cluster.call(cluster.brokerAddr, RequestCode.PULL_MESSAGE, {
      consumerGroup: 'CG_filter_raw', topic: 'CompatFilter', queueId: 0, queueOffset: 0, maxMsgNums: 32,
      sysFlag: 4, commitOffset: 0, suspendTimeoutMillis: 0, subscription: 'TagA', subVersion: Date.now(), expressionType: 'TAG',
    });
    expect(pull.code).toBe(ResponseCode.SUCCESS);
    const messages = decodeMessages(pull.body!);
    expect(messages.map((m) => m.tags)).toEqual(['TagA', 'TagA', 'TagA']);
    expect(messages.map((m) => new TextDecoder().decode(m.body))).toEqual(['filter 0', 'filter 2', 'filter 4']);
    expect(pull.extFields?.['nextBeginOffset']).toBe('6');
  });
});
