// ConsumerOffsetManager: offsets in memory, persisted as consumerOffset.json through the
// FileSystem port (tmp, bak, rename), read back whether Java (bare integer keys, pretty)
// or we (quoted keys) wrote the file.
import { describe, expect, it } from 'vitest';
import { NodeEvents, RecordingSink } from '../../../../src/events/event-sink.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import { getConsumerOffsetPath } from '../../../../src/broker/config-manager.js';
import { ConsumerOffsetManager } from '../../../../src/broker/offset/consumer-offset-manager.js';

const PATH = getConsumerOffsetPath('/store');

function setup(fs = new MemoryFileSystem()) {
  const clock = new ManualClock(1_700_000_000_000);
  const sink = new RecordingSink(clock);
  const manager = new ConsumerOffsetManager({ fs, configPath: PATH, events: new NodeEvents(sink, 'broker-a') });
  return { fs, sink, manager };
}

describe('ConsumerOffsetManager', () => {
  it('commitOffset() then queryOffset() returns it; an unknown queue is -1; a lower commit replaces a higher one', () => {
    const { manager, sink } = setup();
    expect(manager.queryOffset('cg', 'TopicA', 0)).toBe(-1);
    manager.commitOffset('10.0.0.9:51000', 'cg', 'TopicA', 0, 12);
    manager.commitOffset('10.0.0.9:51000', 'cg', 'TopicA', 0, 7);
    expect(manager.queryOffset('cg', 'TopicA', 0)).toBe(7);
    expect(manager.queryOffset('cg', 'TopicA', 1)).toBe(-1);
    expect(sink.ofKind('broker.offset.committed').map((e) => [e.data.offset, e.data.previous])).toEqual([[12, -1], [7, 12]]);
  });

  it('commitOffset() ignores a negative offset (ali-ons commits -1 before it consumed anything)', () => {
    const { manager, sink } = setup();
    manager.commitOffset('h', 'cg', 'TopicA', 0, -1);
    expect(manager.offsetTable.size).toBe(0);
    manager.commitOffset('h', 'cg', 'TopicA', 0, 3);
    manager.commitOffset('h', 'cg', 'TopicA', 0, -1);
    expect(manager.queryOffset('cg', 'TopicA', 0)).toBe(3);
    expect(sink.ofKind('broker.offset.committed')).toHaveLength(1);
  });

  it('persist() writes {"offsetTable":{"topic@group":{"0":5}}} via tmp + rename, keeping the previous file as .bak', () => {
    const { manager, fs, sink } = setup();
    manager.commitOffset('h', 'cg', 'TopicA', 1, 7);
    manager.commitOffset('h', 'cg', 'TopicA', 0, 12);
    manager.commitOffset('h', 'cg', '%RETRY%cg', 0, 0);
    expect(manager.persist()).toBe(true);
    expect(fs.readText(PATH)).toBe('{"offsetTable":{"%RETRY%cg@cg":{"0":0},"TopicA@cg":{"0":12,"1":7}}}');
    expect(fs.exists(`${PATH}.tmp`)).toBe(false);
    manager.commitOffset('h', 'cg', 'TopicA', 0, 13);
    manager.persist();
    expect(fs.readText(`${PATH}.bak`)).toBe('{"offsetTable":{"%RETRY%cg@cg":{"0":0},"TopicA@cg":{"0":12,"1":7}}}');
    expect(sink.ofKind('broker.offset.persisted').map((e) => e.data)).toEqual([{ path: PATH, entries: 2 }, { path: PATH, entries: 2 }]);
  });

  it('load() reads our file back, and a file Java wrote (bare integer keys, pretty-printed with tabs)', () => {
    const first = setup();
    first.manager.commitOffset('h', 'cg', 'TopicA', 3, 99);
    first.manager.persist();
    const second = setup(first.fs);
    expect(second.manager.load()).toEqual({ source: 'file' });
    expect(second.manager.queryOffset('cg', 'TopicA', 3)).toBe(99);

    const javaFs = new MemoryFileSystem();
    javaFs.mkdirp('/store/config');
    javaFs.writeText(PATH, '{\n\t"offsetTable":{\n\t\t"TopicA@cg":{0:12,1:7\n\t\t},\n\t\t"%RETRY%cg@cg":{0:0\n\t\t}\n\t}\n}');
    const fromJava = setup(javaFs);
    expect(fromJava.manager.load().source).toBe('file');
    expect([fromJava.manager.queryOffset('cg', 'TopicA', 0), fromJava.manager.queryOffset('cg', 'TopicA', 1), fromJava.manager.queryOffset('cg', '%RETRY%cg', 0)]).toEqual([12, 7, 0]);
  });

  it('load() falls back to the .bak when the file is corrupt, and decode() changes nothing when the text is bad', () => {
    const { fs, manager } = setup();
    manager.commitOffset('h', 'cg', 'TopicA', 0, 5);
    manager.persist();
    manager.commitOffset('h', 'cg', 'TopicA', 0, 6);
    manager.persist(); // now .bak holds offset 5, the file 6
    fs.writeText(PATH, '{"offsetTable":{"TopicA@cg":{0:"six"}}}');
    const again = setup(fs);
    expect(again.manager.load().source).toBe('bak');
    expect(again.manager.queryOffset('cg', 'TopicA', 0)).toBe(5);
    expect(() => again.manager.decode('{"offsetTable":{"X@g":{"q":1}}}')).toThrow('the queue id is not an integer');
    expect(again.manager.queryOffset('cg', 'TopicA', 0)).toBe(5);
  });

  it('persist() writes nothing when the table encodes to the text it wrote last (it still reports the offsets persisted)', () => {
    const { fs, manager, sink } = setup();
    manager.commitOffset('h', 'cg', 'TopicA', 0, 5);
    expect(manager.persist()).toBe(true);
    fs.writeText(PATH, 'changed behind its back');
    expect(manager.persist()).toBe(true); // same table: the file is not touched
    expect(fs.readText(PATH)).toBe('changed behind its back');
    expect(fs.exists(`${PATH}.bak`)).toBe(false);
    manager.commitOffset('h', 'cg', 'TopicA', 0, 6);
    expect(manager.persist()).toBe(true);
    expect(fs.readText(PATH)).toBe('{"offsetTable":{"TopicA@cg":{"0":6}}}');
    expect(fs.readText(`${PATH}.bak`)).toBe('changed behind its back');
    expect(sink.ofKind('broker.offset.persisted')).toHaveLength(3);
  });

  it('encode() is the GET_ALL_CONSUMER_OFFSET body and decode() replaces the whole table (slave sync)', () => {
    const master = setup().manager;
    master.commitOffset('h', 'cg', 'TopicA', 0, 4);
    const slave = setup().manager;
    slave.commitOffset('h', 'old', 'TopicZ', 0, 1);
    slave.decode(master.encode());
    expect([...slave.offsetTable.keys()]).toEqual(['TopicA@cg']);
  });

  it('whichTopicByConsumer(), whichGroupByTopic(), cleanOffsetByTopic(), removeOffset() and cloneOffset() work on topic@group keys', () => {
    const { manager } = setup();
    manager.commitOffset('h', 'g1', 'T1', 0, 1);
    manager.commitOffset('h', 'g1', 'T2', 0, 2);
    manager.commitOffset('h', 'g2', 'T1', 0, 3);
    expect([...manager.whichTopicByConsumer('g1')].sort()).toEqual(['T1', 'T2']);
    expect([...manager.whichGroupByTopic('T1')].sort()).toEqual(['g1', 'g2']);
    manager.cloneOffset('g2', 'g3', 'T1');
    expect(manager.queryOffset('g3', 'T1', 0)).toBe(3);
    expect([...manager.queryQueueOffsets('g1', 'T2')!]).toEqual([[0, 2]]);
    manager.cleanOffsetByTopic('T1');
    expect([...manager.offsetTable.keys()]).toEqual(['T2@g1']);
    manager.removeOffset('g1');
    expect(manager.offsetTable.size).toBe(0);
  });
});
