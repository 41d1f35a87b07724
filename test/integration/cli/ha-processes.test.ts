// Master/slave replication and broker fail-over with every server its own OS process.
//
// Goal: a name server, broker-a as SYNC_MASTER, its slave (brokerId 1, found through the
// name server) and broker-b, each started with `rocketmq-ts` on 127.0.0.1. 10,000 messages
// sent with our DefaultMQProducer (async, 64 in flight) are each answered SEND_OK, which for
// a SYNC_MASTER means the slave holds them: at that moment the slave's commit log ends where
// the master's does, and once both have written their files the two commit-log directories
// are byte-identical. The slave copied the master's topic table by itself (SlaveSynchronize).
// Then `kill -9` the master: sends to a topic on both brokers keep succeeding (on broker-b),
// and a push consumer reads all 10,000 messages from the slave.
//
// Method: free ports per process, temp dirs, readiness by TCP connect; raw remoting calls
// for topic creation and the slave's runtime info; `SIGKILL` for the crash.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DefaultMQPushConsumer } from '../../../src/client/consumer/default-mq-push-consumer.js';
import { ConsumeConcurrentlyStatus } from '../../../src/client/consumer/listener/message-listener.js';
import { DefaultMQProducer } from '../../../src/client/producer/default-mq-producer.js';
import type { SendResult } from '../../../src/client/producer/send-result.js';
import { decodeUtf8, encodeUtf8 } from '../../../src/common/bytes.js';
import type { MessageExt } from '../../../src/common/message/message-ext.js';
import { decodeMessageId } from '../../../src/common/message/message-id.js';
import { Message } from '../../../src/common/message/message.js';
import { decodeKVTable } from '../../../src/common/protocol/body/kv-table.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { decodeTopicRouteData } from '../../../src/common/protocol/route/topic-route-data.js';
import { NOOP_SINK, RecordingSink } from '../../../src/events/event-sink.js';
import { SystemClock } from '../../../src/platform/system-clock.js';
import { createRequestCommand } from '../../../src/remoting/remoting-command.js';
import { brokerConfigFromArgs } from '../../../src/platform/node/startup/broker-startup.js';
import { UsageError } from '../../../src/platform/node/startup/command-line.js';
import { tcpPlatform } from '../client/acceptance-support.js';
import { freeBrokerPort, freePort, rawClient, spawnCli, waitFor, waitForPort, type CliProcess } from './cli-support.js';

const MESSAGES = 10_000;
const IN_FLIGHT = 64;

describe('BrokerStartup roles', () => {
  it('brokerConfigFromArgs() makes a master brokerId 0 whatever the file says, and refuses a SLAVE without a brokerId > 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmq-ha-conf-'));
    const out = { log: () => undefined, err: () => undefined };
    const conf = (lines: string[]) => {
      const file = join(dir, 'b.conf');
      writeFileSync(file, lines.join('\n'));
      return ['-c', file];
    };
    try {
      expect(brokerConfigFromArgs(conf(['brokerRole=SYNC_MASTER', 'brokerId=3']), out).brokerConfig.brokerId).toBe(0);
      const slave = brokerConfigFromArgs(conf(['brokerRole=SLAVE', 'brokerId=2', 'haMasterAddress=127.0.0.1:10912']), out);
      expect([slave.brokerConfig.brokerId, slave.storeConfig.brokerRole, slave.storeConfig.haMasterAddress]).toEqual([2, 'SLAVE', '127.0.0.1:10912']);
      expect(() => brokerConfigFromArgs(conf(['brokerRole=SLAVE']), out)).toThrow(new UsageError('brokerId: a SLAVE needs a brokerId > 0, got 0'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('HA brokers as separate processes (rocketmq-ts)', () => {
  let dir: string;
  const processes: CliProcess[] = [];
  let ns: string;
  const ports = { master: 0, slave: 0, b: 0 };
  const addr = (port: number) => `127.0.0.1:${port}`;
  const store = (name: string) => join(dir, name);
  const { client: raw, close: closeRaw } = rawClient();

  async function startBroker(name: string, conf: string[]): Promise<number> {
    const port = await freeBrokerPort();
    const file = join(dir, `${name}.conf`);
    writeFileSync(file, [...conf, `listenPort = ${port}`, 'brokerIP1 = 127.0.0.1', 'mapedFileSizeCommitLog = 1048576', 'mappedFileSizeConsumeQueue = 60000'].join('\n'));
    const p = spawnCli(['broker', '-n', ns, '-c', file, '--store', store(name)]);
    processes.push(p);
    await waitForPort(port);
    await waitFor(() => p.stdout().includes('boot success'), `the boot line of ${name}`);
    return port;
  }

  async function createTopic(brokerPort: number, topic: string): Promise<void> {
    const response = await raw.invokeSync(addr(brokerPort), createRequestCommand(RequestCode.UPDATE_AND_CREATE_TOPIC, {
      topic, defaultTopic: 'TBW102', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false,
    }), 5000);
    expect(response.code).toBe(ResponseCode.SUCCESS);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rmq-ha-'));
    const namesrvPort = await freePort();
    ns = addr(namesrvPort);
    const namesrv = spawnCli(['namesrv', '-p', String(namesrvPort), '--home', dir]);
    processes.push(namesrv);
    await waitForPort(namesrvPort);
    // One at a time, so each port search sees the ports the previous broker took.
    ports.master = await startBroker('broker-a', ['brokerName = broker-a', 'brokerId = 0', 'brokerRole = SYNC_MASTER']);
    await createTopic(ports.master, 'TopicHA');
    await createTopic(ports.master, 'TopicBoth');
    ports.slave = await startBroker('broker-a-s', ['brokerName = broker-a', 'brokerId = 1', 'brokerRole = SLAVE']);
    ports.b = await startBroker('broker-b', ['brokerName = broker-b', 'brokerId = 0']);
    await createTopic(ports.b, 'TopicBoth');
  }, 40_000);

  afterAll(async () => {
    closeRaw();
    for (const p of processes) {
      if (p.child.exitCode === null && p.child.signalCode === null) {
        p.child.kill('SIGKILL');
        await p.exited;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('10,000 SYNC_MASTER sends are SEND_OK and on the slave; the commit logs are byte-identical; after kill -9 of the master, sends go on (broker-b) and a consumer reads everything from the slave', async () => {
    // The slave copies the master's topic table by itself (first round 3 s after its start).
    await waitFor(async () => {
      const r = await raw.invokeSync(addr(ports.slave), createRequestCommand(RequestCode.GET_ALL_TOPIC_CONFIG), 5000);
      return r.code === ResponseCode.SUCCESS && decodeUtf8(r.body!).includes('"TopicHA"');
    }, 'TopicHA on the slave', 15_000);

    const producer = new DefaultMQProducer({
      platform: tcpPlatform(), events: NOOP_SINK, producerGroup: 'PG_ha', namesrvAddr: ns, sendMsgTimeout: 10_000,
      clientConfig: { clientIP: '127.0.0.1', pid: process.pid, instanceName: 'ha-producer' },
    });
    await producer.start();
    try {
      const results: SendResult[] = [];
      let next = 0;
      const worker = async () => {
        while (next < MESSAGES) {
          const i = next++;
          results[i] = await producer.sendAsync(Message.create('TopicHA', encodeUtf8(`ha-${i}`), { keys: `k${i}` }));
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      expect(results.filter((r) => r.sendStatus === 'SEND_OK')).toHaveLength(MESSAGES);

      // Every answer came after the slave's ack, so the slave already has the last record.
      const lastOffset = Math.max(...results.map((r) => decodeMessageId(r.offsetMsgId)!.offset));
      const info = await raw.invokeSync(addr(ports.slave), createRequestCommand(RequestCode.GET_BROKER_RUNTIME_INFO), 5000);
      const slaveMax = Number(decodeKVTable(info.body!).table.get('commitLogMaxOffset'));
      const masterInfo = await raw.invokeSync(addr(ports.master), createRequestCommand(RequestCode.GET_BROKER_RUNTIME_INFO), 5000);
      const masterMax = Number(decodeKVTable(masterInfo.body!).table.get('commitLogMaxOffset'));
      expect(slaveMax).toBeGreaterThan(lastOffset);
      expect(slaveMax).toBe(masterMax);

      // On disk: the same files with the same bytes (each broker commits its write buffer every 200 ms).
      const files = (name: string) => readdirSync(join(store(name), 'commitlog')).sort();
      const same = () => {
        const names = files('broker-a');
        return names.length >= 2 && names.join() === files('broker-a-s').join()
          && names.every((f) => readFileSync(join(store('broker-a'), 'commitlog', f)).equals(readFileSync(join(store('broker-a-s'), 'commitlog', f))));
      };
      await waitFor(same, 'byte-identical commit logs', 10_000);

      // Both groups take sends before the crash ...
      const before = await Promise.all(Array.from({ length: 8 }, (_, i) => producer.send(Message.create('TopicBoth', encodeUtf8(`both-${i}`)))));
      expect(new Set(before.map((r) => r.messageQueue.brokerName))).toEqual(new Set(['broker-a', 'broker-b']));
      const master = processes[1]!;
      master.child.kill('SIGKILL');
      expect(await master.exited).toBe('SIGKILL');
      // ... and after it every send still succeeds, on broker-b (the dead master's queues fail over).
      for (let i = 0; i < 30; i++) {
        const r = await producer.send(Message.create('TopicBoth', encodeUtf8(`after-${i}`)));
        expect([r.sendStatus, r.messageQueue.brokerName]).toEqual(['SEND_OK', 'broker-b']);
      }
    } finally {
      await producer.shutdown();
    }

    // The name server dropped the master at once (its connection closed); broker-a is the slave alone.
    await waitFor(async () => {
      const r = await raw.invokeSync(ns, createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'TopicHA' }), 5000);
      const a = r.code === ResponseCode.SUCCESS ? decodeTopicRouteData(r.body!).brokerDatas.find((b) => b.brokerName === 'broker-a') : undefined;
      return a !== undefined && !a.brokerAddrs.has(0) && a.brokerAddrs.get(1) === addr(ports.slave);
    }, 'the route without the master');

    const sink = new RecordingSink(new SystemClock({ unref: true }), (kind) => kind === 'client.pull.requested');
    const seen = new Set<string>();
    const consumer = new DefaultMQPushConsumer({
      platform: tcpPlatform(), events: sink, node: 'ha-consumer', consumerGroup: 'CG_ha', namesrvAddr: ns, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      clientConfig: { clientIP: '127.0.0.1', pid: process.pid, instanceName: 'ha-consumer' }, subscription: { TopicHA: '*' },
      messageListener: { consumeMessage: (msgs: readonly MessageExt[]) => (msgs.forEach((m) => seen.add(decodeUtf8(m.body))), ConsumeConcurrentlyStatus.CONSUME_SUCCESS) },
    });
    await consumer.start();
    try {
      await waitFor(() => seen.size === MESSAGES, 'every message from the slave', 30_000);
      const pulledFrom = new Set(sink.ofKind('client.pull.requested').filter((e) => e.data.mq.startsWith('TopicHA@')).map((e) => e.data.brokerAddr));
      expect(pulledFrom).toEqual(new Set([addr(ports.slave)]));
    } finally {
      await consumer.shutdown();
    }
  }, 90_000);
});
