// Master/slave replication of two whole DefaultMessageStores on the simulated platform.
//
// Goal: a slave's commit log becomes a byte-for-byte copy of its master's, its reput builds
// its own consume queues from it, and a SYNC_MASTER put answers SEND_OK only once a slave
// holds its bytes: so a master that dies at any moment loses nothing it acknowledged.
//
// Method: one ManualClock drives a SimNetwork (hosts "master" and "slave", 1-3 ms latency)
// and two stores, each on its own MemoryFileSystem and its own ProcessClock (so a crash can
// kill one process's timers). Files are tiny (4 KiB commit-log segments, 1 KiB transfer
// batches) so segments roll and frames are cut at file ends within a few dozen messages.
// Faults: no slave at all, a network partition, and, over 50 seeds, a master crash
// (`crashHost` + `fs.crash()` + its timers killed) at a random step of a random workload,
// half of the seeds with 2% of the network's units lost.
import { describe, expect, it } from 'vitest';
import { BrokerRole, type MessageStoreConfig } from '../../../src/common/config/message-store-config.js';
import { NodeEvents, RecordingSink } from '../../../src/events/event-sink.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../src/platform/sim/memory-file-system.js';
import { SimNetwork } from '../../../src/platform/sim/sim-network.js';
import { DefaultMessageStore } from '../../../src/store/default-message-store.js';
import type { PutMessageResult } from '../../../src/store/results.js';
import { keyedMessage, ProcessClock, recordsOf, smallStoreConfig } from '../../unit/store/message-store-test-support.js';

const FILE_SIZE = 4096;
const MASTER_HA = 'master:10912';

interface Node {
  readonly fs: MemoryFileSystem;
  readonly process: ProcessClock;
  readonly sink: RecordingSink;
  readonly store: DefaultMessageStore;
}

interface World {
  readonly clock: ManualClock;
  readonly network: SimNetwork;
  readonly master: Node;
  slave: Node | undefined;
}

function haConfig(overrides: Partial<MessageStoreConfig>): MessageStoreConfig {
  return smallStoreConfig({ mappedFileSizeCommitLog: FILE_SIZE, commitLogWriteBufferBytes: FILE_SIZE, haTransferBatchSize: 1024, ...overrides });
}

function startNode(world: { clock: ManualClock; network: SimNetwork }, host: string, overrides: Partial<MessageStoreConfig>, listen: boolean): Node {
  const fs = new MemoryFileSystem({ clock: world.clock });
  const process = new ProcessClock(world.clock);
  const sink = new RecordingSink(world.clock);
  const store = new DefaultMessageStore({
    fs, clock: process, events: new NodeEvents(sink, host), config: haConfig(overrides), storeHost: '10.0.0.1:10911',
    transport: world.network.host(host), ...(listen ? { haListenAddress: MASTER_HA } : {}),
  });
  expect(store.load()).toBe(true);
  store.start();
  return { fs, process, sink, store };
}

function world(seed: number, options: { slave?: boolean; lossRate?: number } = {}): World {
  const clock = new ManualClock(1_700_000_000_000);
  const network = new SimNetwork({ clock, random: new SeededRandom(seed), latencyMs: { min: 1, max: 3 }, lossRate: options.lossRate ?? 0 });
  const master = startNode({ clock, network }, 'master', { brokerRole: BrokerRole.SYNC_MASTER }, true);
  const slave = options.slave === false ? undefined : startNode({ clock, network }, 'slave', { brokerRole: BrokerRole.SLAVE, haMasterAddress: MASTER_HA }, false);
  return { clock, network, master, slave };
}

/** The commit log's bytes in `[from, to)`, read file piece by file piece. */
function logBytes(store: DefaultMessageStore, from: number, to: number): Uint8Array {
  const out = new Uint8Array(to - from);
  for (let at = from; at < to;) {
    const piece = store.commitLog.getData(at, Math.min(FILE_SIZE, to - at), false);
    if (piece === undefined) throw new Error(`no commit-log data at ${at}`);
    out.set(piece.bytes.subarray(0, piece.size), at - from);
    at += piece.size;
  }
  return out;
}

/** Run the clock until `promise` settles. */
async function settle<T>(clock: ManualClock, promise: Promise<T>, limitMs = 60_000): Promise<T> {
  let done: { value: T } | undefined;
  void promise.then((value) => {
    done = { value };
  });
  await clock.runUntil(() => done !== undefined, limitMs);
  return done!.value;
}

function put(store: DefaultMessageStore, n: number, wait = true): Promise<PutMessageResult> {
  const body = `message ${n} `.padEnd(40 + ((n * 37) % 300), '#');
  return store.putMessage(keyedMessage({ topic: n % 3 === 0 ? 'TopicB' : 'TopicA', queueId: n % 2, body, tags: `T${n % 4}`, wait, keys: `k${n}` }));
}

describe('HA on SimNetwork: two DefaultMessageStores', () => {
  it('after N puts the slave commit log equals the master byte for byte, and the slave builds its own queues', async () => {
    const { clock, master, slave } = world(1);
    await clock.advance(20); // the slave connects and reports 0
    const results: PutMessageResult[] = [];
    for (let n = 0; n < 120; n++) results.push(await settle(clock, put(master.store, n)));
    expect(results.every((r) => r.putMessageStatus === 'PUT_OK')).toBe(true);
    const max = master.store.getMaxPhyOffset();
    expect(max).toBeGreaterThan(FILE_SIZE * 4); // several segments rolled, each ending in a BLANK
    await clock.advance(50);
    expect(slave!.store.getMaxPhyOffset()).toBe(max);
    expect(slave!.store.getMinPhyOffset()).toBe(0);
    expect(logBytes(slave!.store, 0, max)).toEqual(logBytes(master.store, 0, max));
    // The slave's reput dispatched the copied records into its own consume queues.
    for (const [topic, queueId] of [['TopicA', 0], ['TopicA', 1], ['TopicB', 0], ['TopicB', 1]] as const) {
      const onMaster = master.store.getMessage('g', topic, queueId, 0, 200)!;
      const onSlave = slave!.store.getMessage('g', topic, queueId, 0, 200)!;
      expect(onSlave.messageCount).toBe(onMaster.messageCount);
      expect(recordsOf(onSlave)).toEqual(recordsOf(onMaster));
    }
    // ...and its own index: a key put on the master is found on the slave.
    const found = slave!.store.queryMessage('TopicA', 'k100', 32, 0, Number.MAX_SAFE_INTEGER);
    expect(found.messageCount).toBe(1);
    expect(found.body).toEqual(master.store.queryMessage('TopicA', 'k100', 32, 0, Number.MAX_SAFE_INTEGER).body);
    const masterKinds = new Set(master.sink.events.map((e) => e.kind));
    for (const kind of ['store.ha.listening', 'store.ha.slave-connected', 'store.ha.transfer-started', 'store.ha.chunk-sent', 'store.ha.acked', 'store.ha.sync-waited'] as const) {
      expect(masterKinds.has(kind)).toBe(true);
    }
    expect(slave!.sink.ofKind('store.ha.client-connected').map((e) => e.data)).toEqual([{ master: MASTER_HA, reportedOffset: 0 }]);
    expect(master.sink.ofKind('store.ha.chunk-sent').every((e) => e.data.size <= 1024)).toBe(true);
  });

  it('a fresh slave joining late starts at the master\'s last file, not at offset 0', async () => {
    const w = world(2, { slave: false });
    for (let n = 0; n < 60; n++) void put(w.master.store, n, false);
    await w.clock.advance(20);
    const max = w.master.store.getMaxPhyOffset();
    const lastFileFrom = max - (max % FILE_SIZE);
    expect(lastFileFrom).toBeGreaterThan(0);
    const slave = startNode(w, 'slave', { brokerRole: BrokerRole.SLAVE, haMasterAddress: MASTER_HA }, false);
    await w.clock.advance(50);
    expect(slave.store.getMinPhyOffset()).toBe(lastFileFrom);
    expect(slave.store.getMaxPhyOffset()).toBe(max);
    expect(logBytes(slave.store, lastFileFrom, max)).toEqual(logBytes(w.master.store, lastFileFrom, max));
    expect(w.master.sink.ofKind('store.ha.transfer-started').map((e) => e.data.fromOffset)).toEqual([lastFileFrom]);
    // Its queues start late too: a pull from the queue's min offset gets what the master has from there.
    const minOffset = slave.store.getMinOffsetInQueue('TopicA', 0);
    expect(minOffset).toBeGreaterThan(0);
    const fromSlave = slave.store.getMessage('g', 'TopicA', 0, minOffset, 100)!;
    expect(fromSlave.messageCount).toBeGreaterThan(0);
    expect(recordsOf(fromSlave)).toEqual(recordsOf(w.master.store.getMessage('g', 'TopicA', 0, minOffset, 100)!));
  });

  it('a SYNC_MASTER put answers only after the slave holds its bytes; WAIT=false answers at once', async () => {
    const { clock, master, slave } = world(3);
    await clock.advance(20);
    for (let n = 0; n < 20; n++) {
      const started = clock.now();
      let slaveHadIt = false;
      const result = await settle(clock, put(master.store, n).then((r) => {
        const end = r.appendMessageResult!.wroteOffset + r.appendMessageResult!.wroteBytes;
        slaveHadIt = slave!.store.getMaxPhyOffset() >= end;
        return r;
      }));
      expect(result.putMessageStatus).toBe('PUT_OK');
      expect(slaveHadIt).toBe(true);
      expect(clock.now() - started).toBeGreaterThanOrEqual(2); // one round trip, at least 1 ms each way
    }
    const before = master.sink.ofKind('store.ha.sync-waited').length;
    const noWait = await put(master.store, 99, false); // resolves without the clock moving
    expect(noWait.putMessageStatus).toBe('PUT_OK');
    expect(master.sink.ofKind('store.ha.sync-waited').length).toBe(before);
  });

  it('with no slave connected a SYNC_MASTER put answers SLAVE_NOT_AVAILABLE at once (and is stored)', async () => {
    const { clock, master } = world(4, { slave: false });
    await clock.advance(20);
    const result = await put(master.store, 1);
    expect(result.putMessageStatus).toBe('SLAVE_NOT_AVAILABLE');
    expect(master.store.getMaxPhyOffset()).toBe(result.appendMessageResult!.wroteBytes);
    const decision = master.sink.ofKind('store.ha.sync-waited').at(-1)!;
    expect(decision.data.status).toBe('SLAVE_NOT_AVAILABLE');
    expect(decision.why?.inputs).toMatchObject({ connections: 0 });
  });

  it('a second store on the same HA address cannot listen: `listening` rejects, with a listen-failed event', async () => {
    const w = world(7, { slave: false });
    await expect(w.master.store.haService!.listening).resolves.toBe(MASTER_HA);
    const second = startNode(w, 'master', { brokerRole: BrokerRole.SYNC_MASTER }, true);
    await expect(second.store.haService!.listening).rejects.toThrow(/EADDRINUSE/);
    expect(second.sink.ofKind('store.ha.listen-failed').map((e) => e.data.address)).toEqual([MASTER_HA]);
  });

  it('a partitioned slave makes puts answer FLUSH_SLAVE_TIMEOUT after 5 s, SLAVE_NOT_AVAILABLE once dropped, and catches up after heal', async () => {
    const { clock, network, master, slave } = world(5);
    await clock.advance(20);
    expect((await settle(clock, put(master.store, 0))).putMessageStatus).toBe('PUT_OK');
    network.partition('master', 'slave');
    const started = clock.now();
    const timedOut = await settle(clock, put(master.store, 1));
    expect(timedOut.putMessageStatus).toBe('FLUSH_SLAVE_TIMEOUT');
    expect(clock.now() - started).toBe(5000);
    // 20 s without a byte from the slave: the master drops it, and puts stop waiting.
    await clock.advance(20_000);
    expect(master.store.haService!.connectionCount).toBe(0);
    expect(master.sink.ofKind('store.ha.slave-disconnected').map((e) => e.data.reason)).toEqual(['housekeeping']);
    expect((await put(master.store, 2)).putMessageStatus).toBe('SLAVE_NOT_AVAILABLE');
    for (let n = 3; n < 40; n++) void put(master.store, n, false);
    network.heal();
    await clock.advance(30_000); // the slave's own housekeeping closed; it reconnects within 5 s
    const max = master.store.getMaxPhyOffset();
    expect(slave!.store.getMaxPhyOffset()).toBe(max);
    expect(logBytes(slave!.store, 0, max)).toEqual(logBytes(master.store, 0, max));
    expect((await settle(clock, put(master.store, 99))).putMessageStatus).toBe('PUT_OK');
  });

  it('a slave that restarts (cleanly, or after a crash) resumes from its own recovered end and catches up', async () => {
    const w = world(6);
    await w.clock.advance(20);
    for (let n = 0; n < 40; n++) await settle(w.clock, put(w.master.store, n));
    const slaveConfig = { brokerRole: BrokerRole.SLAVE, haMasterAddress: MASTER_HA };
    const reopen = (old: Node): Node => {
      const process = new ProcessClock(w.clock);
      const store = new DefaultMessageStore({
        fs: old.fs, clock: process, events: new NodeEvents(old.sink, 'slave'), config: haConfig(slaveConfig), storeHost: '10.0.0.1:10911',
        transport: w.network.host('slave'),
      });
      expect(store.load()).toBe(true);
      store.start();
      return { fs: old.fs, process, sink: old.sink, store };
    };
    // 1. A clean restart: everything it had is on its disk; it reports that and gets the rest.
    w.slave!.store.shutdown();
    for (let n = 40; n < 60; n++) void put(w.master.store, n, false);
    await w.clock.advance(10);
    const before = w.slave!.store.getMaxPhyOffset();
    w.slave = reopen(w.slave!);
    expect(w.slave.store.getMaxPhyOffset()).toBe(before);
    await w.clock.advance(100);
    expect(w.slave.sink.ofKind('store.ha.client-connected').at(-1)!.data.reportedOffset).toBe(before);
    let max = w.master.store.getMaxPhyOffset();
    expect(logBytes(w.slave.store, 0, max)).toEqual(logBytes(w.master.store, 0, max));
    // 2. A crash: unflushed bytes vanish; recovery cuts its log back, and HA refills it.
    for (let n = 60; n < 90; n++) void put(w.master.store, n, false);
    await w.clock.advance(100);
    w.network.crashHost('slave');
    w.slave.fs.crash();
    w.slave.process.kill();
    w.slave = reopen(w.slave);
    const recovered = w.slave.store.getMaxPhyOffset();
    expect(recovered).toBeLessThanOrEqual(w.master.store.getMaxPhyOffset());
    await w.clock.advance(100);
    max = w.master.store.getMaxPhyOffset();
    expect(w.slave.store.getMaxPhyOffset()).toBe(max);
    expect(logBytes(w.slave.store, 0, max)).toEqual(logBytes(w.master.store, 0, max));
    expect((await settle(w.clock, put(w.master.store, 99))).putMessageStatus).toBe('PUT_OK');
  });

  it('a master crash at a random moment loses no SYNC_MASTER-acknowledged message: the slave has each, same offset, same bytes (50 seeds)', async () => {
    let acknowledgedTotal = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const random = new SeededRandom(seed * 7919);
      const w = world(seed, { lossRate: seed % 2 === 0 ? 0.02 : 0 });
      const slave = w.slave!;
      const acked: Array<{ offset: number; bytes: Uint8Array; topic: string; queueId: number; queueOffset: number }> = [];
      await w.clock.advance(random.int(10));
      const crashAt = 5 + random.int(60);
      let n = 0;
      for (let step = 0; step < crashAt; step++) {
        for (let k = random.int(4); k > 0; k--) {
          const wait = random.int(5) !== 0;
          const i = n++;
          void put(w.master.store, i, wait).then((r) => {
            if (!wait || r.putMessageStatus !== 'PUT_OK') return;
            const a = r.appendMessageResult!;
            const bytes = w.master.store.selectOneMessageByOffset(a.wroteOffset, a.wroteBytes)!.bytes;
            acked.push({ offset: a.wroteOffset, bytes, topic: i % 3 === 0 ? 'TopicB' : 'TopicA', queueId: i % 2, queueOffset: a.logicsOffset });
          });
        }
        await w.clock.advance(random.int(5));
      }
      // Power cut on the master: its sockets die, its unflushed bytes vanish, its timers stop.
      w.network.crashHost('master');
      w.master.fs.crash();
      w.master.process.kill();
      await w.clock.advance(200);
      for (const a of acked) {
        const onSlave = slave.store.selectOneMessageByOffset(a.offset, a.bytes.length);
        expect(onSlave?.bytes, `seed ${seed}: acknowledged record at ${a.offset} missing on the slave`).toEqual(a.bytes);
        const pulled = slave.store.getMessage('g', a.topic, a.queueId, a.queueOffset, 1);
        expect(pulled?.status, `seed ${seed}: no queue unit on the slave for ${a.topic}-${a.queueId}@${a.queueOffset}`).toBe('FOUND');
        expect(recordsOf(pulled!)[0]).toEqual(a.bytes);
      }
      acknowledgedTotal += acked.length;
      slave.store.shutdown();
    }
    expect(acknowledgedTotal).toBeGreaterThan(500); // the seeds did acknowledge a lot before crashing
  });
});
