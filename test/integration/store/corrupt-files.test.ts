// Damaged files and failing disks, on the MemoryFileSystem: the store must never crash, hang or
// serve a bad record, and must keep every record before the damage.
//
// Goal: whatever bytes a store finds on its disk, `load()` answers true or false (never throws),
// `start()`, `getMessage()`, `queryMessage()` and the reput service never throw, every record
// written before the first damaged byte is still served (at its queue offset, byte for byte,
// and by its key), and every record served passes the checks recovery applies (magic code,
// lengths, body CRC). Derived files (consume queues, index, checkpoint) are rebuilt from the
// commit log when they are damaged, so there nothing at all may be lost.
//
// Method: a store with tiny files takes 36 messages over three queues (two commit-log files,
// two consume-queue files per queue, three index files) and shuts down cleanly. Then bytes on
// its disk are damaged (seeded random runs, 0xFF runs, cut or stretched files, impossible
// consume-queue units, a garbage checkpoint, garbage index headers), a new store opens the
// disk, and the checks run. A second part fails writes with `failWrites('EIO')` while the
// store runs and checks that it reports the failure and keeps going.
import { describe, expect, it } from 'vitest';
import { viewOf, writeInt64 } from '../../../src/common/bytes.js';
import { writeLong } from '../../../src/common/java-compat.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { checkMessageAndReturnSize } from '../../../src/store/commitlog/commit-log-record-reader.js';
import { CQ_STORE_UNIT_SIZE } from '../../../src/store/consumequeue/consume-queue.js';
import { PENDING_ENTRIES_MAX } from '../../../src/store/index/index-file.js';
import { offset2FileName } from '../../../src/store/mapped-file/mapped-file.js';
import type { DefaultMessageStore } from '../../../src/store/default-message-store.js';
import { getAbortFile } from '../../../src/store/store-path.js';
import {
  keyedMessage, newStore, openStore, ProcessClock, recordsOf, settle, storeRig, type StoreRig,
} from '../../unit/store/message-store-test-support.js';

const QUEUES = [['TopicA', 0], ['TopicA', 1], ['TopicB', 0]] as const;
const MESSAGES = 36;
const SEGMENT = 4096; // smallStoreConfig's commit-log file size
const CQ_FILE = 10 * CQ_STORE_UNIT_SIZE; // smallStoreConfig's consume-queue file size
const EVER = Number.MAX_SAFE_INTEGER;

/** A message the store acknowledged, and the record it stored. */
interface Written {
  readonly topic: string;
  readonly queueId: number;
  readonly queueOffset: number;
  readonly physOffset: number;
  readonly key: string;
  bytes: Uint8Array;
}

/** 36 puts, read back, then a clean shutdown: two commit-log files, two CQ files per queue, three index files. */
async function writeAndShutDown(): Promise<{ rig: StoreRig; written: Written[] }> {
  const rig = storeRig({ maxIndexNum: 16 }); // 15 keys per index file
  openStore(rig);
  const written: Written[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const [topic, queueId] = QUEUES[i % QUEUES.length]!;
    const key = `key-${i}`;
    const body = 'abcdefghij'.repeat(6 + (i % 5));
    const result = await settle(rig.clock, rig.store.putMessage(keyedMessage({ topic, queueId, body, tags: `Tag${i % 2}`, keys: key })));
    expect(result.putMessageStatus).toBe('PUT_OK');
    const { wroteOffset, logicsOffset } = result.appendMessageResult!;
    written.push({ topic, queueId, queueOffset: logicsOffset, physOffset: wroteOffset, key, bytes: new Uint8Array(0) });
  }
  await rig.clock.advance(0);
  for (const w of written) w.bytes = rig.store.selectOneMessageByOffset(w.physOffset)!.bytes;
  rig.store.shutdown();
  // Normal recovery walks the last three commit-log files: here that is every record.
  expect(rig.fs.list('/store/commitlog')).toHaveLength(2);
  expect(rig.fs.list('/store/consumequeue/TopicA/0')).toHaveLength(2);
  expect(rig.fs.list('/store/index')).toHaveLength(3);
  return { rig, written };
}

/** A new process opens the disk: load() and, when it succeeds, start(). Neither may throw. */
function reopen(rig: StoreRig): boolean {
  rig.process.kill();
  rig.process = new ProcessClock(rig.clock);
  rig.store = newStore(rig.fs, rig.process, rig.events, rig.config);
  let loaded = false;
  expect(() => (loaded = rig.store.load())).not.toThrow();
  if (loaded) expect(() => rig.store.start()).not.toThrow();
  return loaded;
}

/** Overwrite bytes of a file and make them durable (the damage a crash or a bad disk leaves). */
function overwrite(rig: StoreRig, path: string, at: number, bytes: Uint8Array): void {
  const handle = rig.fs.open(path, 'rw');
  handle.write(at, bytes);
  handle.flush();
  handle.close();
}

/** Set a file's length, durably. */
function resize(rig: StoreRig, path: string, length: number): void {
  const handle = rig.fs.open(path, 'rw');
  handle.truncate(length);
  handle.flush();
  handle.close();
}

const commitLogPath = (physOffset: number): string => `/store/commitlog/${offset2FileName(physOffset - (physOffset % SEGMENT))}`;
const cqPath = (topic: string, queueId: number, queueOffset: number): string =>
  `/store/consumequeue/${topic}/${queueId}/${offset2FileName(queueOffset * CQ_STORE_UNIT_SIZE - ((queueOffset * CQ_STORE_UNIT_SIZE) % CQ_FILE))}`;
const equal = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The checks. `mustSurvive`: written records that must be served byte for byte at their
 * queue offset and found by key. `untouched`: records whose bytes were not damaged (any of
 * them that is served must be the original). Problems are collected and asserted once.
 */
function verify(store: DefaultMessageStore, written: readonly Written[], mustSurvive: (w: Written) => boolean, untouched: (w: Written) => boolean, label: string): void {
  const problems: string[] = [];
  const byOffset = new Map(written.map((w) => [w.physOffset, w]));
  const checkServed = (record: Uint8Array, where: string): void => {
    const request = checkMessageAndReturnSize(record, 0, true);
    if (!request.success || request.msgSize !== record.length) {
      problems.push(`${where}: served a bad record (${request.failureReason ?? 'size'})`);
      return;
    }
    const original = byOffset.get(request.commitLogOffset);
    if (original !== undefined && untouched(original) && !equal(record, original.bytes)) problems.push(`${where}: record ${request.commitLogOffset} differs from what was written`);
  };
  const guarded = (what: string, call: () => void): void => {
    try {
      call();
    } catch (error) {
      problems.push(`${what} threw ${String(error)}`);
    }
  };
  for (const w of written) {
    guarded(`getMessage ${w.key}`, () => {
      const result = store.getMessage('g', w.topic, w.queueId, w.queueOffset, 1)!;
      if (mustSurvive(w) && (result.status !== 'FOUND' || !equal(result.body, w.bytes))) problems.push(`lost ${w.key} at ${w.topic}-${w.queueId}@${w.queueOffset}: ${result.status}`);
    });
    guarded(`queryMessage ${w.key}`, () => {
      const found = recordsOf(store.queryMessage(w.topic, w.key, 32, 0, EVER));
      for (const record of found) checkServed(record, `query ${w.key}`);
      if (mustSurvive(w) && !found.some((record) => equal(record, w.bytes))) problems.push(`key ${w.key} not found`);
    });
    guarded(`lookMessageByOffset ${w.physOffset}`, () => void store.lookMessageByOffset(w.physOffset + (w.physOffset % 3)));
  }
  // Pull every queue offset (and past the end) of every queue: only valid records.
  for (const [topic, queueId] of QUEUES) {
    for (let offset = 0; offset <= MESSAGES / QUEUES.length + 1; offset++) {
      guarded(`getMessage ${topic}-${queueId}@${offset}`, () => {
        for (const record of recordsOf(store.getMessage('g', topic, queueId, offset, 4)!)) checkServed(record, `pull ${topic}-${queueId}@${offset}`);
      });
    }
  }
  expect(problems, label).toEqual([]);
}

/** After the damage the store takes new puts again, and serves them. */
async function putAfter(rig: StoreRig): Promise<void> {
  const next = rig.store.getMaxOffsetInQueue('TopicA', 0);
  const result = await settle(rig.clock, rig.store.putMessage(keyedMessage({ topic: 'TopicA', queueId: 0, body: 'after', keys: 'after' })));
  expect(result.putMessageStatus).toBe('PUT_OK');
  await rig.clock.advance(0);
  const pulled = rig.store.getMessage('g', 'TopicA', 0, next, 1)!;
  expect(pulled.status).toBe('FOUND');
  expect(checkMessageAndReturnSize(pulled.body, 0, true).keys).toBe('after');
}

const all = (): boolean => true;

describe('DefaultMessageStore on a damaged commit log', () => {
  it('load() after seeded runs of random bytes keeps every record before the first damaged byte and serves nothing bad', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = new SeededRandom(seed);
      const { rig, written } = await writeAndShutDown();
      const end = written.at(-1)!.physOffset + written.at(-1)!.bytes.length;
      const at = random.int(end);
      const length = Math.min(1 + random.int(24), SEGMENT - (at % SEGMENT));
      overwrite(rig, commitLogPath(at), at % SEGMENT, new Uint8Array(length).map(() => random.int(256)));
      expect(reopen(rig), `seed ${seed}`).toBe(true);
      const before = (w: Written): boolean => w.physOffset + w.bytes.length <= at;
      verify(rig.store, written, before, (w) => before(w) || w.physOffset >= at + length, `seed ${seed}: ${length} bytes at ${at}`);
      await putAfter(rig);
      rig.store.shutdown();
    }
  });

  it('load() after 0xFF runs (over a record start, mid-record, the BLANK at a file end, the zeroed tail) keeps what came before', async () => {
    const probe = await writeAndShutDown();
    const firstOfFile1 = probe.written.find((w) => w.physOffset >= SEGMENT)!;
    const lastOfFile0 = probe.written.filter((w) => w.physOffset < SEGMENT).at(-1)!;
    const tail = probe.written.at(-1)!.physOffset + probe.written.at(-1)!.bytes.length;
    const runs: Array<[string, number, number]> = [
      ['record 10 start', probe.written[10]!.physOffset, 16],
      ['record 20 body', probe.written[20]!.physOffset + 120, 32],
      ['BLANK of file 0', lastOfFile0.physOffset + lastOfFile0.bytes.length, 8],
      ['first record of file 1', firstOfFile1.physOffset, 4],
      ['zeroed tail', tail + 40, 64],
    ];
    for (const [what, at, length] of runs) {
      const { rig, written } = await writeAndShutDown();
      overwrite(rig, commitLogPath(at), at % SEGMENT, new Uint8Array(length).fill(0xff));
      expect(reopen(rig), what).toBe(true);
      const before = (w: Written): boolean => w.physOffset + w.bytes.length <= at;
      verify(rig.store, written, before, (w) => before(w) || w.physOffset >= at + length, what);
      await putAfter(rig);
      rig.store.shutdown();
    }
  });

  it('load() extends a cut last file with zeros and keeps every record that fits in what is left', async () => {
    for (const keep of [0, 1, 100, 777, 2048]) {
      const { rig, written } = await writeAndShutDown();
      resize(rig, commitLogPath(SEGMENT), keep);
      expect(reopen(rig), `keep ${keep}`).toBe(true);
      const before = (w: Written): boolean => w.physOffset + w.bytes.length <= SEGMENT + keep;
      verify(rig.store, written, before, all, `last file cut to ${keep} bytes`);
      await putAfter(rig);
      rig.store.shutdown();
    }
  });

  it('load() answers false for a file of the wrong size that is not the last one, touches nothing, and loads again once it is fixed', async () => {
    const { rig, written } = await writeAndShutDown();
    const first = commitLogPath(0);
    resize(rig, first, SEGMENT + 100);
    const before = rig.fs.listAll().map((path) => [path, rig.fs.durableSize(path)]);
    const failures = rig.sink.ofKind('store.io.failed').length;
    expect(reopen(rig)).toBe(false);
    expect(rig.sink.ofKind('store.io.failed').slice(failures).map((e) => e.data)).toEqual([
      { operation: 'load', path: first, error: `commitlog: length ${SEGMENT + 100} does not match mappedFileSize ${SEGMENT}` },
    ]);
    expect(rig.fs.listAll().map((path) => [path, rig.fs.durableSize(path)])).toEqual(before);
    resize(rig, first, SEGMENT); // the operator's fix
    expect(reopen(rig)).toBe(true);
    verify(rig.store, written, all, all, 'fixed');
  });
});

describe('DefaultMessageStore on damaged consume queues', () => {
  it('recovery rebuilds a queue from the commit log after a unit with a huge, negative, non-safe or 0xFF offset', async () => {
    const huge = new Uint8Array(8);
    writeLong(viewOf(huge), 0, 2 ** 52);
    const negative = new Uint8Array(8);
    writeInt64(viewOf(negative), 0, -5);
    const garbage: Array<[string, Uint8Array]> = [
      ['huge', huge], ['negative', negative], ['beyond 2^53', new Uint8Array(8).fill(0x7f)], ['0xFF unit', new Uint8Array(CQ_STORE_UNIT_SIZE).fill(0xff)],
    ];
    for (const [what, bytes] of garbage) {
      for (const unit of [0, 4, 10, 11]) {
        const { rig, written } = await writeAndShutDown();
        overwrite(rig, cqPath('TopicA', 1, unit), (unit * CQ_STORE_UNIT_SIZE) % CQ_FILE, bytes);
        expect(reopen(rig), `${what} at unit ${unit}`).toBe(true);
        verify(rig.store, written, all, all, `${what} at unit ${unit}`);
        expect(rig.sink.ofKind('store.recovery.truncated').some((e) => e.data.queue === 'consumequeue/TopicA/1'), `${what} at unit ${unit}`).toBe(true);
        await putAfter(rig);
        rig.store.shutdown();
      }
    }
  });

  it('recovery rebuilds a queue whose last file was cut, and serves every message whose unit is intact after seeded random bytes', async () => {
    for (const keep of [0, 7, 40]) {
      const { rig, written } = await writeAndShutDown();
      resize(rig, cqPath('TopicB', 0, 10), keep);
      expect(reopen(rig), `keep ${keep}`).toBe(true);
      verify(rig.store, written, all, all, `last consume-queue file cut to ${keep} bytes`);
      rig.store.shutdown();
    }
    for (let seed = 1; seed <= 30; seed++) {
      const random = new SeededRandom(1000 + seed);
      const { rig, written } = await writeAndShutDown();
      const [topic, queueId] = QUEUES[random.int(QUEUES.length)]!;
      const units = MESSAGES / QUEUES.length;
      const at = random.int(units * CQ_STORE_UNIT_SIZE);
      const length = Math.min(1 + random.int(30), CQ_FILE - (at % CQ_FILE));
      overwrite(rig, cqPath(topic, queueId, Math.floor(at / CQ_STORE_UNIT_SIZE)), at % CQ_FILE, new Uint8Array(length).map(() => random.int(256)));
      expect(reopen(rig), `seed ${seed}`).toBe(true);
      // A unit whose bytes changed but still look valid cannot be told from a real one (Java
      // neither): its message may be skipped. Every other message must be served.
      const unitTouched = (w: Written): boolean => w.topic === topic && w.queueId === queueId
        && w.queueOffset * CQ_STORE_UNIT_SIZE < at + length && (w.queueOffset + 1) * CQ_STORE_UNIT_SIZE > at;
      verify(rig.store, written, (w) => !unitTouched(w), all, `seed ${seed}: ${length} bytes at ${topic}-${queueId} byte ${at}`);
      await putAfter(rig);
      rig.store.shutdown();
    }
  });
});

describe('DefaultMessageStore with a damaged checkpoint or index', () => {
  it('abnormal recovery with a garbage checkpoint (random bytes, or times in the future) replays the whole log and loses nothing', async () => {
    const future = new Uint8Array(24);
    for (const at of [0, 8, 16]) writeLong(viewOf(future), at, 1_900_000_000_000); // 2030: later than the clock
    const checkpoints: Array<[string, Uint8Array]> = [['future', future], ['0xFF', new Uint8Array(24).fill(0xff)]];
    for (let seed = 1; seed <= 5; seed++) {
      const random = new SeededRandom(2000 + seed);
      checkpoints.push([`random ${seed}`, new Uint8Array(24).map(() => random.int(256))]);
    }
    for (const [what, bytes] of checkpoints) {
      const { rig, written } = await writeAndShutDown();
      // A crash that lost every consume queue: only a replay from the start rebuilds them.
      rig.fs.removeDir('/store/consumequeue');
      rig.fs.writeText(getAbortFile('/store'), '');
      overwrite(rig, '/store/checkpoint', 0, bytes);
      expect(reopen(rig), what).toBe(true);
      expect(rig.store.lastExitOK).toBe(false);
      verify(rig.store, written, all, all, `checkpoint ${what}`);
      await putAfter(rig);
      rig.store.shutdown();
    }
  });

  it('load() deletes an index file with a garbage header (and every newer one) or of the wrong size, and recovery indexes every key again', async () => {
    const damages: Array<[string, (rig: StoreRig, path: string) => void]> = [
      ['0xFF header', (rig, path) => overwrite(rig, path, 0, new Uint8Array(40).fill(0xff))],
      ['random header', (rig, path) => overwrite(rig, path, 0, new Uint8Array(40).map((_, i) => (i * 97 + 13) & 0xff))],
      ['indexCount past the end', (rig, path) => overwrite(rig, path, 36, new Uint8Array([0, 0, 1, 0]))],
      ['begin offset after end', (rig, path) => overwrite(rig, path, 16, new Uint8Array([0, 0, 1, 0, 0, 0, 0, 0]))],
      ['cut short', (rig, path) => resize(rig, path, 100)],
    ];
    for (const [what, damage] of damages) {
      for (const which of [0, 1, 2]) {
        const { rig, written } = await writeAndShutDown();
        damage(rig, `/store/index/${rig.fs.list('/store/index')[which]!}`);
        expect(reopen(rig), `${what} in file ${which}`).toBe(true);
        verify(rig.store, written, all, all, `${what} in index file ${which}`);
        rig.store.shutdown();
      }
    }
  });

  it('queryMessage() on seeded random bytes in index slots and entries never throws, loops or serves a bad record', async () => {
    for (let seed = 1; seed <= 30; seed++) {
      const random = new SeededRandom(3000 + seed);
      const { rig, written } = await writeAndShutDown();
      const path = `/store/index/${rig.fs.list('/store/index')[random.int(3)]!}`;
      const size = rig.fs.durableSize(path)!;
      const at = 40 + random.int(size - 40);
      overwrite(rig, path, at, new Uint8Array(Math.min(1 + random.int(40), size - at)).map(() => random.int(256)));
      expect(reopen(rig), `seed ${seed}`).toBe(true);
      // Keys whose slot or entries were hit may be missed (the index is a hint): nothing must survive by key.
      verify(rig.store, written, () => false, all, `seed ${seed}`);
      rig.store.shutdown();
    }
  });
});

describe('DefaultMessageStore on a disk damaged anywhere', () => {
  it('load() with seeded damage to any files (bytes, lengths, stray names), after a clean or an abnormal exit, never throws and serves nothing bad', async () => {
    // Goal: the catch-all. Method: per seed, 1-4 damages, each to a random file of the store
    // (a run of random bytes or 0xFF, a cut, a stretch, or a stray file with a segment
    // name), sometimes with the abort file left behind; then reopen and run every reader.
    let loaded = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const random = new SeededRandom(4000 + seed);
      const { rig, written } = await writeAndShutDown();
      const files = rig.fs.listAll().filter((path) => !path.endsWith('/'));
      for (let n = 1 + random.int(4); n > 0; n--) {
        const path = files[random.int(files.length)]!;
        const size = rig.fs.durableSize(path) ?? 0;
        const kind = random.int(6);
        if (kind === 0 || kind === 1) {
          const at = random.int(Math.max(1, size));
          const bytes = new Uint8Array(1 + random.int(64)).map(() => (kind === 0 ? random.int(256) : 0xff));
          overwrite(rig, path, at, bytes.subarray(0, Math.max(1, Math.min(bytes.length, size - at))));
        } else if (kind === 2) {
          resize(rig, path, random.int(Math.max(1, size)));
        } else if (kind === 3) {
          resize(rig, path, size + 1 + random.int(64));
        } else if (kind === 4) {
          const dir = path.slice(0, path.lastIndexOf('/'));
          overwrite(rig, `${dir}/${offset2FileName(random.int(4) * SEGMENT)}`, 0, new Uint8Array(1 + random.int(16)).map(() => random.int(256)));
        } else {
          rig.fs.writeText(getAbortFile('/store'), '');
        }
      }
      const label = `seed ${seed}`;
      if (!reopen(rig)) {
        expect(rig.sink.ofKind('store.io.failed').at(-1)!.data.operation, label).toBe('load');
        continue;
      }
      loaded++;
      verify(rig.store, written, () => false, () => false, label);
      await rig.clock.advance(5_000); // the services run on what was recovered
      expect(() => rig.store.shutdown(), label).not.toThrow();
    }
    expect(loaded).toBeGreaterThan(20); // most damage is repaired; wrong sizes and stray names refuse the load
  });
});

describe('DefaultMessageStore on a failing disk', () => {
  /** A running store with every message dispatched; then puts until the commit service has run. */
  async function running(): Promise<{ rig: StoreRig; written: Written[] }> {
    const { rig, written } = await writeAndShutDown();
    expect(reopen(rig)).toBe(true);
    return { rig, written };
  }

  it('consume-queue commits and flushes that fail with EIO mark the store not writeable, with one store.io.failed, and nothing throws', async () => {
    const { rig, written } = await running();
    const failures = rig.sink.ofKind('store.io.failed').length;
    rig.fs.failWrites('EIO', '/store/consumequeue');
    const put = await settle(rig.clock, rig.store.putMessage(keyedMessage({ topic: 'TopicA', queueId: 0, body: 'during', keys: 'during' })));
    expect(put.putMessageStatus).toBe('PUT_OK'); // the commit log is fine; the unit fails on its commit
    await rig.clock.advance(120_000); // commit ticks, reput retries, running and thorough flush rounds
    expect(rig.store.isWriteable).toBe(false);
    expect(rig.store.runningFlags.notWriteableReasons).toEqual(new Set(['WRITE_LOGICS_QUEUE_ERROR']));
    expect(rig.sink.ofKind('store.io.failed').slice(failures).map((e) => e.data.operation)).toEqual(['WRITE_LOGICS_QUEUE_ERROR']);
    expect((await rig.store.putMessage(keyedMessage())).putMessageStatus).toBe('SERVICE_NOT_AVAILABLE');
    verify(rig.store, written, all, all, 'while the consume queues fail');
    expect(() => rig.store.shutdown()).not.toThrow();
    expect(rig.fs.exists(getAbortFile('/store'))).toBe(true); // the next start must not trust the queues

    rig.fs.failWrites(null);
    expect(reopen(rig)).toBe(true);
    expect(rig.store.lastExitOK).toBe(false);
    verify(rig.store, written, all, all, 'after the disk recovered');
    const during = rig.store.queryMessage('TopicA', 'during', 1, 0, EVER);
    expect(checkMessageAndReturnSize(during.body, 0, true).keys).toBe('during');
    await putAfter(rig);
  });

  it('a checkpoint flush that fails with EIO is reported (WRITE_LOGICS_QUEUE_ERROR) and retried, and nothing throws', async () => {
    const { rig, written } = await running();
    const failures = rig.sink.ofKind('store.io.failed').length;
    rig.fs.failWrites('EIO', '/store/checkpoint');
    await rig.clock.advance(120_000); // at least one thorough consume-queue round, which writes the checkpoint
    expect(rig.sink.ofKind('store.io.failed').slice(failures).map((e) => [e.data.operation, e.data.path])).toEqual([['WRITE_LOGICS_QUEUE_ERROR', '/store/checkpoint']]);
    expect(rig.store.isWriteable).toBe(false);
    verify(rig.store, written, all, all, 'while the checkpoint fails');
    rig.fs.failWrites(null);
    const flushed = rig.sink.ofKind('store.checkpoint.flushed').length;
    await rig.clock.advance(120_000);
    expect(rig.sink.ofKind('store.checkpoint.flushed').length).toBeGreaterThan(flushed); // the next thorough round wrote it
    expect(() => rig.store.shutdown()).not.toThrow();
    expect(reopen(rig)).toBe(true);
    verify(rig.store, written, all, all, 'after the disk recovered');
  });

  it('index writes that fail with EIO mark the store WRITE_INDEX_FILE_ERROR; the reput service retries instead of skipping', async () => {
    const { rig, written } = await running();
    rig.fs.failWrites('EIO', '/store/index');
    // Index puts wait in memory until PENDING_ENTRIES_MAX of them fill the buffer: put until one must write.
    let puts = 0;
    while (rig.store.runningFlags.notWriteableReasons.size === 0) {
      expect(puts++).toBeLessThanOrEqual(PENDING_ENTRIES_MAX);
      const put = await settle(rig.clock, rig.store.putMessage(keyedMessage({ topic: 'TopicB', queueId: 0, body: 'late', keys: 'late' })));
      expect(put.putMessageStatus).toBe('PUT_OK');
      await rig.clock.advance(1);
    }
    await rig.clock.advance(10_000);
    expect(rig.store.runningFlags.notWriteableReasons).toEqual(new Set(['WRITE_INDEX_FILE_ERROR']));
    expect(rig.store.dispatchBehindBytes()).toBeGreaterThan(0); // stopped at the record, not past it
    rig.fs.failWrites(null);
    await rig.clock.advance(2_000);
    expect(rig.store.dispatchBehindBytes()).toBe(0);
    expect(recordsOf(rig.store.queryMessage('TopicB', 'late', 64, 0, EVER)).length).toBe(Math.min(puts, 64));
    verify(rig.store, written, all, all, 'after the index disk recovered');
    expect(() => rig.store.shutdown()).not.toThrow();
  });
});
