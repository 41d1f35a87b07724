// LocalFileOffsetStore: the broadcasting consumer's offsets file. persistAll() writes
// fastjson's object-keyed map at <dir>/<clientId>/<group>/offsets.json (keeping the previous
// content in offsets.json.bak), load() reads it back, and a corrupt file falls back to the backup.
import { describe, expect, it } from 'vitest';
import { LocalFileOffsetStore } from '../../../../../src/client/consumer/store/local-file-offset-store.js';
import { ReadOffsetType } from '../../../../../src/client/consumer/store/offset-store.js';
import { noEvents } from '../../../../../src/events/event-sink.js';
import { MemoryFileSystem } from '../../../../../src/platform/sim/memory-file-system.js';

const Q0 = { topic: 'T', brokerName: 'broker-a', queueId: 0 };
const Q1 = { topic: 'T', brokerName: 'broker-a', queueId: 1 };
const PATH = '/home/.rocketmq_offsets/10.0.0.5@1/cg/offsets.json';

function store(fs: MemoryFileSystem): LocalFileOffsetStore {
  return new LocalFileOffsetStore({ fs, events: noEvents(), clientId: '10.0.0.5@1', groupName: 'cg', localOffsetStoreDir: '/home/.rocketmq_offsets' });
}

describe('LocalFileOffsetStore', () => {
  it('persistAll() writes the fastjson object-keyed map that load() reads back', async () => {
    const fs = new MemoryFileSystem();
    const first = store(fs);
    expect(first.storePath).toBe(PATH);
    first.updateOffset(Q0, 12, false);
    first.updateOffset(Q1, 7, false);
    first.updateOffset(Q1, 5, true); // increaseOnly: ignored
    await first.persistAll([Q0, Q1]);
    expect(fs.readText(PATH)).toBe('{"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"T"}:12,{"brokerName":"broker-a","queueId":1,"topic":"T"}:7}}');

    const second = store(fs);
    expect(await second.readOffset(Q1, ReadOffsetType.READ_FROM_MEMORY)).toBe(-1);
    second.load();
    expect(await second.readOffset(Q1, ReadOffsetType.READ_FROM_MEMORY)).toBe(7);
    expect(await second.readOffset(Q0, ReadOffsetType.READ_FROM_STORE)).toBe(12);
  });

  it('readOffset(READ_FROM_STORE) falls back to offsets.json.bak when the file is corrupt, and answers -1 when there is none', async () => {
    const fs = new MemoryFileSystem();
    const s = store(fs);
    s.updateOffset(Q0, 3, false);
    await s.persistAll([Q0]);
    s.updateOffset(Q0, 4, false);
    await s.persistAll([Q0]);
    expect(fs.readText(`${PATH}.bak`)).toContain(':3}');
    fs.writeText(PATH, '{"offsetTable":{{"brokerName":');
    expect(await store(fs).readOffset(Q0, ReadOffsetType.READ_FROM_STORE)).toBe(3);
    expect(await store(new MemoryFileSystem()).readOffset(Q0, ReadOffsetType.READ_FROM_STORE)).toBe(-1);
  });
});
