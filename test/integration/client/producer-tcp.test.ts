// The producer over real TCP against a NamesrvController and a BrokerController in this
// process (SystemClock, TcpTransport, a temp dir): 1,000 sync sends and 5,000 async sends with
// 256 in flight all come back SEND_OK with contiguous queue offsets per queue, and every stored
// record carries the right UNIQ_KEY, tags and keys; an unreachable name server and a missing
// topic on a broker that does not auto-create topics give clear MQClientErrors.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerController } from '../../../src/broker/broker-controller.js';
import { decodeMessages } from '../../../src/common/message/message-decoder.js';
import { getUniqID } from '../../../src/common/message/message-id.js';
import { Message } from '../../../src/common/message/message.js';
import type { BrokerConfig } from '../../../src/common/config/broker-config.js';
import { NOOP_SINK } from '../../../src/events/event-sink.js';
import { NamesrvController } from '../../../src/namesrv/namesrv-controller.js';
import { NodeFileSystem } from '../../../src/platform/node/node-file-system.js';
import { TcpTransport } from '../../../src/platform/node/tcp-transport.js';
import type { Platform } from '../../../src/platform/platform.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { SystemClock } from '../../../src/platform/system-clock.js';
import { ClientErrorCode, MQClientError } from '../../../src/client/errors.js';
import { DefaultMQProducer } from '../../../src/client/producer/default-mq-producer.js';
import type { SendResult } from '../../../src/client/producer/send-result.js';
import { freeBrokerPort, freePort } from '../cli/cli-support.js';

let seed = 100;
const platform = (): Platform => ({ clock: new SystemClock({ unref: true }), random: new SeededRandom(seed++), fs: new NodeFileSystem(), transport: new TcpTransport() });

interface TcpCluster {
  namesrvAddr: string;
  broker: BrokerController;
  close(): Promise<void>;
}

async function startTcpCluster(brokerConfig: Partial<BrokerConfig> = {}): Promise<TcpCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'rmq-producer-'));
  const namesrvPort = await freePort();
  const namesrvAddr = `127.0.0.1:${namesrvPort}`;
  const namesrv = new NamesrvController({ platform: platform(), events: NOOP_SINK, node: 'namesrv', config: { kvConfigPath: join(dir, 'namesrv', 'kvConfig.json') } });
  await namesrv.start(`0.0.0.0:${namesrvPort}`);
  // Chosen only once the name server holds its port, so the broker's ports cannot collide with it.
  const brokerPort = await freeBrokerPort();
  const broker = new BrokerController({
    platform: platform(),
    events: NOOP_SINK,
    node: 'broker-a',
    brokerConfig: { brokerName: 'broker-a', brokerIP1: '127.0.0.1', listenPort: brokerPort, namesrvAddr, ...brokerConfig },
    storeConfig: { storePathRootDir: join(dir, 'store'), mappedFileSizeCommitLog: 16 * 1024 * 1024, mappedFileSizeConsumeQueue: 3000 * 20 },
  });
  await broker.start();
  return {
    namesrvAddr,
    broker,
    async close() {
      await broker.shutdown();
      await namesrv.shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function newProducer(namesrvAddr: string, group: string, sendMsgTimeout = 10_000): DefaultMQProducer {
  return new DefaultMQProducer({
    platform: platform(),
    events: NOOP_SINK,
    producerGroup: group,
    namesrvAddr,
    sendMsgTimeout,
    clientConfig: { clientIP: '127.0.0.1', pid: process.pid, instanceName: group },
  });
}

const message = (i: number) => Message.create('TcpTopic', new TextEncoder().encode(`message ${i} `.repeat(1 + (i % 7))), { tags: `Tag${i % 5}`, keys: `key-${i} order-${i % 13}` });

describe('DefaultMQProducer over TCP', () => {
  let cluster: TcpCluster;
  beforeAll(async () => {
    cluster = await startTcpCluster();
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('sends 1,000 sync and 5,000 async (256 in flight) messages: all SEND_OK, contiguous offsets, stored with UNIQ_KEY, tags and keys', async () => {
    const producer = newProducer(cluster.namesrvAddr, 'tcp_pg');
    await producer.start();
    const sent: Array<{ msg: Message; result: SendResult }> = [];
    for (let i = 0; i < 1000; i++) {
      const msg = message(i);
      sent.push({ msg, result: await producer.send(msg) });
    }
    // 5,000 async sends, keeping 256 in flight: each completion starts the next send.
    let next = 1000;
    const total = 6000;
    await new Promise<void>((resolve, reject) => {
      let inFlight = 0;
      const pump = () => {
        while (inFlight < 256 && next < total) {
          const msg = message(next++);
          inFlight++;
          producer.sendAsync(msg).then((result) => {
            sent.push({ msg, result });
            inFlight--;
            if (next === total && inFlight === 0) resolve();
            else pump();
          }, reject);
        }
      };
      pump();
    });
    expect(sent).toHaveLength(total);
    expect(sent.every((s) => s.result.sendStatus === 'SEND_OK')).toBe(true);

    const byQueue = new Map<number, Array<{ msg: Message; result: SendResult }>>();
    for (const s of sent) {
      expect(s.result.msgId).toBe(getUniqID(s.msg));
      const list = byQueue.get(s.result.messageQueue.queueId) ?? [];
      list.push(s);
      byQueue.set(s.result.messageQueue.queueId, list);
    }
    expect([...byQueue.keys()].sort()).toEqual([0, 1, 2, 3]); // auto-created through TBW102 with 4 queues
    const store = cluster.broker.messageStore;
    for (const [queueId, list] of byQueue) {
      list.sort((a, b) => a.result.queueOffset - b.result.queueOffset);
      expect(list.map((s) => s.result.queueOffset)).toEqual(list.map((_, i) => i));
      const stored = [];
      for (let offset = 0; offset < list.length;) {
        const got = store.getMessage('check', 'TcpTopic', queueId, offset, 32)!;
        const records = decodeMessages(got.body);
        expect(records.length).toBeGreaterThan(0);
        stored.push(...records);
        offset += records.length;
      }
      expect(stored.map((m) => [getUniqID(m), m.tags, m.keys, m.msgId, m.queueOffset]))
        .toEqual(list.map((s) => [s.result.msgId, s.msg.tags, s.msg.keys, s.result.offsetMsgId, s.result.queueOffset]));
    }
    await producer.shutdown();
  });

  it('fails with an MQClientError naming the address when the name server is unreachable', async () => {
    const deadAddr = `127.0.0.1:${await freePort()}`;
    const producer = newProducer(deadAddr, 'tcp_dead_pg', 3000);
    await producer.start();
    const error = (await producer.send(message(1)).catch((e: unknown) => e)) as MQClientError;
    expect(error).toBeInstanceOf(MQClientError);
    expect(error.responseCode).toBe(ClientErrorCode.NOT_FOUND_TOPIC_EXCEPTION);
    expect(error.message).toContain('No route info of this topic: TcpTopic');
    expect(error.message).toContain(`name server unreachable: ${deadAddr}`);
    await producer.shutdown();
  });
});

describe('DefaultMQProducer over TCP, broker with autoCreateTopicEnable=false', () => {
  it('fails with "No route info of this topic" for a topic nobody created', async () => {
    const cluster = await startTcpCluster({ autoCreateTopicEnable: false });
    try {
      const producer = newProducer(cluster.namesrvAddr, 'tcp_noauto_pg', 3000);
      await producer.start();
      const error = (await producer.send(message(1)).catch((e: unknown) => e)) as MQClientError;
      expect(error).toBeInstanceOf(MQClientError);
      expect(error.message).toBe('No route info of this topic: TcpTopic');
      await producer.shutdown();
    } finally {
      await cluster.close();
    }
  });
});
