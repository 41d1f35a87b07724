// ali-ons 3.12.0 against rocketmq-ts over real TCP: delayed delivery and the retry path,
// both of which run through the broker's schedule service.
//
// Goal: a message sent with delay level 2 reaches an ali-ons consumer only after its 5 s; a
// message whose handler throws comes back (ali-ons sends it back with CONSUMER_SEND_MSG_BACK
// and delayLevel 0, so the broker picks level 3 + reconsumeTimes) with reconsumeTimes 1,
// ORIGIN_MESSAGE_ID = the first delivery's msgId, and its original topic.
// Method: the cluster of compat-support.ts, with the broker restarted on the same store and
// port with messageDelayLevel "1s 5s 1s 1s ...", so level 2 keeps its real 5 s and the
// retry's level 3 takes 1 s. One real-time wait of 5 s (the delay test); polling, no sleeps.
import { Consumer, Message, Producer } from 'ali-ons';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerController } from '../../../src/broker/broker-controller.js';
import { NOOP_SINK } from '../../../src/events/event-sink.js';
import { NodeFileSystem } from '../../../src/platform/node/node-file-system.js';
import { TcpTransport } from '../../../src/platform/node/tcp-transport.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { SystemClock } from '../../../src/platform/system-clock.js';
import { waitFor } from '../cli/cli-support.js';
import { startCluster, type Cluster } from './compat-support.js';

/** Level 2 keeps Java's 5 s; every other level takes 1 s. */
const DELAY_LEVELS = ['1s', '5s', ...Array.from({ length: 16 }, () => '1s')].join(' ');

describe('ali-ons 3.12.0: delayed messages and retries through the schedule service', () => {
  let cluster: Cluster;
  let broker: BrokerController;
  const toClose: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    cluster = await startCluster();
    // Restart the broker with short delay levels: same store directory, same ports.
    const old = cluster.broker;
    await old.shutdown();
    broker = new BrokerController({
      platform: { clock: new SystemClock({ unref: true }), random: new SeededRandom(7), fs: new NodeFileSystem(), transport: new TcpTransport() },
      events: NOOP_SINK,
      node: 'broker-a',
      brokerConfig: old.brokerConfig,
      storeConfig: { ...old.storeConfig, messageDelayLevel: DELAY_LEVELS },
    });
    await broker.start();
  });

  afterAll(async () => {
    for (const client of toClose.reverse()) await client.close().catch(() => undefined);
    await Producer.defaultProducer?.close().catch(() => undefined);
    Producer.defaultProducer = null;
    if (process.env['COMPAT_DEBUG'] !== undefined) console.log(cluster.clientLog.join('\n'));
    await broker.shutdown();
    await cluster.close();
  });

  function producer(instanceName: string): Producer {
    const p = new Producer({ ...cluster.clientOptions(instanceName), producerGroup: `PG_${instanceName}` });
    p.on('error', (error) => cluster.clientLog.push(`producer ${instanceName}: ${error.message}`));
    toClose.push(p);
    return p;
  }

  function consumer(group: string, instanceName: string, topic: string, handler: (msg: Message) => Promise<unknown>): Consumer {
    const c = new Consumer({ ...cluster.clientOptions(instanceName), consumerGroup: group, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    c.on('error', (error) => cluster.clientLog.push(`consumer ${instanceName}: ${error.message}`));
    c.subscribe(topic, '*', handler);
    toClose.push(c);
    return c;
  }

  it('a message with delay level 2 arrives after 5 s, not before, with its body and topic', async () => {
    await cluster.createTopic('CompatDelay', 1);
    const received: Array<{ msg: Message; at: number }> = [];
    const c = consumer('CG_delay', 'delay-c', 'CompatDelay', async (msg) => {
      received.push({ msg, at: Date.now() });
    });
    await waitFor(() => [...c.processQueueTable.values()].some((p) => p.messageQueue.topic === 'CompatDelay'), 'the queue to be allocated', 20_000);
    const p = producer('delay-p');
    await p.ready();
    const msg = new Message('CompatDelay', 'TagA', 'later');
    msg.properties['DELAY'] = '2';
    const sentAt = Date.now();
    const result = await p.send(msg);
    expect(result.sendStatus).toBe('SEND_OK');
    await waitFor(() => received.length >= 1, `the delayed message (${cluster.clientLog.join(' | ')})`, 20_000);
    expect(received[0]!.at - sentAt).toBeGreaterThanOrEqual(5_000);
    expect(received.map(({ msg: m }) => [m.topic, m.body.toString('utf8'), m.tags, m.reconsumeTimes])).toEqual([['CompatDelay', 'later', 'TagA', 0]]);
  });

  it('a handler that throws gets the message again: reconsumeTimes 1, ORIGIN_MESSAGE_ID = first msgId, original topic restored', async () => {
    await cluster.createTopic('CompatRetry', 1);
    const attempts: Message[] = [];
    const c = consumer('CG_retry', 'retry-c', 'CompatRetry', async (msg) => {
      attempts.push(msg);
      if (attempts.length === 1) throw new Error('first attempt fails on purpose');
    });
    await waitFor(() => [...c.processQueueTable.values()].some((p) => p.messageQueue.topic === 'CompatRetry'), 'the queue to be allocated', 20_000);
    const p = producer('retry-p');
    await p.ready();
    const result = await p.send(new Message('CompatRetry', 'TagR', 'try again'));
    expect(result.sendStatus).toBe('SEND_OK');
    await waitFor(() => attempts.length >= 2, `the retried message (${cluster.clientLog.join(' | ')})`, 30_000);
    const [first, second] = attempts;
    expect([first!.topic, first!.reconsumeTimes, first!.msgId]).toEqual(['CompatRetry', 0, result.msgId]);
    expect([second!.topic, second!.body.toString('utf8'), second!.tags, second!.reconsumeTimes]).toEqual(['CompatRetry', 'try again', 'TagR', 1]);
    expect(second!.properties['ORIGIN_MESSAGE_ID']).toBe(first!.msgId);
    expect(second!.properties['RETRY_TOPIC']).toBe('CompatRetry');
    expect(second!.msgId).not.toBe(first!.msgId); // the retry is a record of its own, in %RETRY%CG_retry
    expect(cluster.clientLog.some((line) => line.includes('first attempt fails on purpose'))).toBe(true);
  });
});
