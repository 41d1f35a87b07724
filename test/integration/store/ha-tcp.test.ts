// Master/slave replication over real sockets and real files.
//
// Goal: the HA protocol works on TcpTransport (arbitrary chunking of the byte stream, real
// socket timing) and NodeFileSystem: after 2,000 SYNC_MASTER puts every commit-log file of
// the slave is byte-identical to the master's.
//
// Method: two DefaultMessageStores in this process, each with its own TcpTransport and temp
// directory, on the system clock. The master listens for slaves on 127.0.0.1 (a port the
// system picks); the slave is pointed at it. Puts go in concurrent batches, each awaited;
// every put must answer PUT_OK (so the slave acked it). Both stores then shut down (which
// flushes), and the files are compared.
import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BrokerRole, type MessageStoreConfig } from '../../../src/common/config/message-store-config.js';
import { messageStoreConfigFor } from '../../../src/common/config/profiles.js';
import { NodeEvents, NOOP_SINK } from '../../../src/events/event-sink.js';
import { NodeFileSystem } from '../../../src/platform/node/node-file-system.js';
import { TcpTransport } from '../../../src/platform/node/tcp-transport.js';
import { SystemClock } from '../../../src/platform/system-clock.js';
import { DefaultMessageStore } from '../../../src/store/default-message-store.js';
import { brokerMessage } from '../../unit/store/store-test-support.js';

const root = nodeFs.mkdtempSync(path.join(os.tmpdir(), 'rocketmq-ts-ha-'));
const transports: TcpTransport[] = [];
afterAll(() => {
  for (const transport of transports) transport.destroyAll();
  nodeFs.rmSync(root, { recursive: true, force: true });
});

const MESSAGES = 2000;
const BATCH = 200;

function open(name: string, overrides: Partial<MessageStoreConfig>, haListenAddress?: string): DefaultMessageStore {
  const transport = new TcpTransport();
  transports.push(transport);
  const config = messageStoreConfigFor('realistic', {
    storePathRootDir: path.join(root, name),
    mappedFileSizeCommitLog: 128 * 1024, // about 6 segments for 2,000 messages
    mappedFileSizeConsumeQueue: 1000 * 20,
    maxMessageSize: 64 * 1024,
    maxHashSlotNum: 1000,
    maxIndexNum: 4000,
    haTransferBatchSize: 8 * 1024,
    ...overrides,
  });
  const store = new DefaultMessageStore({
    fs: new NodeFileSystem(), clock: new SystemClock({ unref: true }), events: new NodeEvents(NOOP_SINK, name), config,
    storeHost: '127.0.0.1:10911', transport, ...(haListenAddress === undefined ? {} : { haListenAddress }),
  });
  expect(store.load()).toBe(true);
  store.start();
  return store;
}

async function until(predicate: () => boolean, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`condition still false after ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('HA over TcpTransport and NodeFileSystem', () => {
  it(`replicates ${MESSAGES} SYNC_MASTER puts; the slave's commit-log files are byte-identical to the master's`, async () => {
    const master = open('master', { brokerRole: BrokerRole.SYNC_MASTER }, '127.0.0.1:0');
    const haAddress = await master.haService!.listening;
    expect(haAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    const slave = open('slave', { brokerRole: BrokerRole.SLAVE });
    slave.updateHaMasterAddress(haAddress!);
    await until(() => master.haService!.connectionCount === 1 && master.haService!.slaves()[0]!.ackOffset === 0, 5000);

    const statuses = new Map<string, number>();
    for (let done = 0; done < MESSAGES; done += BATCH) {
      const batch = [];
      for (let n = done; n < done + BATCH; n++) {
        const body = `message ${n} `.padEnd(50 + ((n * 131) % 700), '*');
        batch.push(master.putMessage(brokerMessage({ topic: `Topic${n % 4}`, queueId: n % 3, body, tags: `T${n % 5}` })));
      }
      for (const result of await Promise.all(batch)) statuses.set(result.putMessageStatus, (statuses.get(result.putMessageStatus) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ PUT_OK: MESSAGES });

    const max = master.getMaxPhyOffset();
    expect(max).toBeGreaterThan(5 * 128 * 1024);
    await until(() => slave.getMaxPhyOffset() === max && slave.dispatchBehindBytes() === 0, 10_000);
    expect(master.slaveFallBehindMuch()).toBe(0);
    // The slave's own consume queues hold every message, as the master's do.
    let onSlave = 0;
    for (let t = 0; t < 4; t++) for (let q = 0; q < 3; q++) onSlave += slave.getMaxOffsetInQueue(`Topic${t}`, q);
    expect(onSlave).toBe(MESSAGES);

    master.shutdown();
    slave.shutdown();
    const masterDir = path.join(root, 'master', 'commitlog');
    const slaveDir = path.join(root, 'slave', 'commitlog');
    const names = nodeFs.readdirSync(masterDir).sort();
    expect(names.length).toBeGreaterThanOrEqual(6);
    expect(nodeFs.readdirSync(slaveDir).sort()).toEqual(names);
    for (const name of names) {
      const a = nodeFs.readFileSync(path.join(masterDir, name));
      const b = nodeFs.readFileSync(path.join(slaveDir, name));
      expect(a.equals(b), `commit-log file ${name} differs`).toBe(true);
    }
  });
});
