// TopicConfigManager: the system topics a broker creates at start, the auto-create rules of
// a send (TBW102 with INHERIT, queue count and perm), dataVersion bumps, change listeners,
// the exact topics.json bytes, and the load fallbacks (.bak, then defaults) on a corrupt file.
import { describe, expect, it } from 'vitest';
import { defaultBrokerConfig, type BrokerConfig } from '../../../../src/common/config/broker-config.js';
import { TopicConfig } from '../../../../src/common/topic/topic-config.js';
import { NodeEvents, RecordingSink } from '../../../../src/events/event-sink.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import { TopicConfigManager, type TopicsChange } from '../../../../src/broker/topic/topic-config-manager.js';

const PATH = '/store/config/topics.json';

function rig(overrides: Partial<BrokerConfig> = {}, fs = new MemoryFileSystem()) {
  const clock = new ManualClock(1_700_000_000_000);
  const sink = new RecordingSink(clock);
  const brokerConfig = defaultBrokerConfig({ brokerName: 'broker-a', ...overrides });
  const manager = new TopicConfigManager({ fs, clock, events: new NodeEvents(sink, 'broker-a'), storePathRootDir: '/store', brokerConfig });
  const changes: TopicsChange[] = [];
  manager.onTopicsChanged((c) => changes.push(c));
  return { clock, sink, fs, manager, changes };
}

describe('TopicConfigManager', () => {
  it('creates the 4.9 system topics at construction, TBW102 with perm 7 and 8 queues', () => {
    const { manager } = rig();
    const summary = [...manager.topicConfigTable.values()].map((t) => `${t.topicName} ${t.readQueueNums}/${t.writeQueueNums} ${t.perm}`);
    expect(summary).toEqual([
      'SELF_TEST_TOPIC 1/1 6',
      'TBW102 8/8 7',
      'BenchmarkTest 1024/1024 6',
      'DefaultCluster 16/16 7',
      'broker-a 1/1 7',
      'OFFSET_MOVED_EVENT 1/1 6',
      'SCHEDULE_TOPIC_XXXX 18/18 6',
      'DefaultCluster_REPLY_TOPIC 1/1 6',
    ]);
    expect(manager.isSystemTopic('broker-a')).toBe(true);
    expect(manager.isSystemTopic('DefaultCluster')).toBe(true);
    expect(manager.isSystemTopic('TopicA')).toBe(false);
  });

  it('leaves TBW102 out when autoCreateTopicEnable is false, and adds the trace topic when traceTopicEnable', () => {
    const { manager } = rig({ autoCreateTopicEnable: false, traceTopicEnable: true, clusterTopicEnable: false });
    expect(manager.selectTopicConfig('TBW102')).toBeUndefined();
    expect(manager.selectTopicConfig('RMQ_SYS_TRACE_TOPIC')?.readQueueNums).toBe(1);
    expect(manager.selectTopicConfig('DefaultCluster')?.perm).toBe(1);
  });

  it('createTopicInSendMessageMethod copies TBW102: min(client 4, 8) queues, perm 7 & ~INHERIT = 6, persisted, version bumped, listeners told', () => {
    const { sink, fs, manager, changes } = rig();
    const before = manager.dataVersion.clone();
    const created = manager.createTopicInSendMessageMethod('TopicA', 'TBW102', '10.0.0.9:50000', 4, 0);
    expect(created?.toString()).toBe('TopicConfig [topicName=TopicA, readQueueNums=4, writeQueueNums=4, perm=RW-, topicFilterType=SINGLE_TAG, topicSysFlag=0, order=false]');
    expect(manager.dataVersion.counter).toBe(before.counter + 1);
    expect(fs.readText(PATH)).toContain('"TopicA":{"order":false,"perm":6,"readQueueNums":4,"topicFilterType":"SINGLE_TAG","topicName":"TopicA","topicSysFlag":0,"writeQueueNums":4}');
    expect(changes).toEqual([{ reason: 'created', topics: ['TopicA'] }]);
    expect(sink.ofKind('broker.topic.created').map((e) => e.data)).toEqual([
      { topic: 'TopicA', readQueueNums: 4, writeQueueNums: 4, perm: 6, via: 'send', defaultTopic: 'TBW102', from: '10.0.0.9:50000' },
    ]);
    // A client asking for more queues than TBW102 has gets TBW102's count; an existing topic is returned as is.
    expect(manager.createTopicInSendMessageMethod('TopicB', 'TBW102', 'x', 64, 1)?.writeQueueNums).toBe(8);
    expect(manager.createTopicInSendMessageMethod('TopicA', 'TBW102', 'x', 1, 0)).toBe(created);
    expect(manager.dataVersion.counter).toBe(before.counter + 2);
  });

  it('createTopicInSendMessageMethod refuses a missing default topic, one without INHERIT, and TBW102 when auto-creation is off', () => {
    const { manager, changes } = rig();
    expect(manager.createTopicInSendMessageMethod('T1', 'NoSuchTemplate', 'x', 4, 0)).toBeUndefined();
    expect(manager.createTopicInSendMessageMethod('T1', 'SELF_TEST_TOPIC', 'x', 4, 0)).toBeUndefined(); // perm 6: no INHERIT
    expect(manager.createTopicInSendMessageMethod('T1', 'broker-a', 'x', 4, 0)?.perm).toBe(6); // perm 7 on the broker-name topic
    const off = rig({ autoCreateTopicEnable: false });
    off.manager.updateTopicConfig(new TopicConfig('TBW102', 8, 8, 7)); // e.g. left in an old topics.json
    expect(off.manager.createTopicInSendMessageMethod('T2', 'TBW102', 'x', 4, 0)).toBeUndefined();
    expect(changes).toEqual([{ reason: 'created', topics: ['T1'] }]);
  });

  it('createTopicInSendMessageBackMethod creates retry and DLQ topics with the given queues and perm', () => {
    const { manager, sink } = rig();
    const dlq = manager.createTopicInSendMessageBackMethod('%DLQ%cg', 1, 2, 0);
    expect([dlq?.readQueueNums, dlq?.writeQueueNums, dlq?.perm]).toEqual([1, 1, 2]);
    expect(manager.createTopicInSendMessageBackMethod('%DLQ%cg', 5, 6, 0)).toBe(dlq);
    expect(sink.ofKind('broker.topic.created').map((e) => e.data.via)).toEqual(['send-back']);
  });

  it('updateTopicConfig, deleteTopicConfig and updateOrderTopicConfig bump the version and tell listeners', () => {
    const { manager, changes } = rig();
    const v0 = manager.dataVersion.counter;
    manager.updateTopicConfig(new TopicConfig('TopicA', 4, 4, 6));
    manager.updateTopicConfig(new TopicConfig('TopicA', 8, 8, 6));
    manager.updateOrderTopicConfig(new Map([['TopicA', 'broker-a:8']]));
    expect(manager.isOrderTopic('TopicA')).toBe(true);
    manager.updateOrderTopicConfig(new Map([['TopicA', 'broker-a:8']])); // no change: no bump
    manager.deleteTopicConfig('TopicA');
    manager.deleteTopicConfig('TopicA'); // gone already: nothing
    expect(manager.dataVersion.counter).toBe(v0 + 4);
    expect(changes.map((c) => c.reason)).toEqual(['created', 'updated', 'order-changed', 'deleted']);
  });

  it('buildTopicConfigSerializeWrapper is a snapshot of the table and its version', () => {
    const { manager } = rig();
    const wrapper = manager.buildTopicConfigSerializeWrapper();
    manager.updateTopicConfig(new TopicConfig('Later', 1, 1, 6));
    expect(wrapper.topicConfigTable.has('Later')).toBe(false);
    expect(wrapper.dataVersion.counter).toBe(manager.dataVersion.counter - 1);
  });

  it('persist() then load() on a new manager round-trips topics.json, keeping the previous file as .bak', () => {
    const { fs, manager } = rig();
    manager.updateTopicConfig(new TopicConfig('TopicA', 4, 4, 6));
    manager.updateTopicConfig(new TopicConfig('TopicB', 2, 2, 4));
    const text = fs.readText(PATH)!;
    expect(text.startsWith(`{"dataVersion":{"counter":2,"timestamp":1700000000000},"topicConfigTable":{`)).toBe(true);
    expect(JSON.parse(fs.readText(`${PATH}.bak`)!).topicConfigTable.TopicB).toBeUndefined();
    expect(fs.exists(`${PATH}.tmp`)).toBe(false);

    const again = rig({}, fs);
    expect(again.manager.load()).toEqual({ source: 'file' });
    expect(again.manager.selectTopicConfig('TopicB')?.equals(new TopicConfig('TopicB', 2, 2, 4))).toBe(true);
    expect(again.manager.dataVersion.equals(manager.dataVersion)).toBe(true);
    expect(again.sink.ofKind('broker.config.loaded').map((e) => e.data)).toEqual([{ file: PATH, source: 'file' }]);
  });

  it('load() on a first start reports source "none" and keeps the system topics', () => {
    const { manager } = rig();
    expect(manager.load()).toEqual({ source: 'none' });
    expect(manager.topicConfigTable.size).toBe(8);
  });

  it('load() falls back to topics.json.bak when the file is corrupt, and the next persist() keeps the good .bak', () => {
    const { fs, manager } = rig();
    manager.updateTopicConfig(new TopicConfig('TopicA', 4, 4, 6));
    manager.updateTopicConfig(new TopicConfig('TopicB', 4, 4, 6)); // .bak now holds TopicA only
    fs.writeText(PATH, '{"dataVersion":{"counter":2,"timest'); // torn write

    const again = rig({}, fs);
    const result = again.manager.load();
    expect(result.source).toBe('bak');
    expect(result.error).toMatch(/topics\.json: topics\.json: not JSON/);
    expect(again.manager.selectTopicConfig('TopicA')).toBeDefined();
    expect(again.manager.selectTopicConfig('TopicB')).toBeUndefined();
    again.manager.updateTopicConfig(new TopicConfig('TopicC', 1, 1, 6));
    expect(JSON.parse(fs.readText(`${PATH}.bak`)!).topicConfigTable.TopicA.writeQueueNums).toBe(4); // the corrupt file did not overwrite it
  });

  it('load() keeps the defaults and reports the error when both the file and the .bak are corrupt; it never throws', () => {
    const fs = new MemoryFileSystem();
    fs.mkdirp('/store/config');
    fs.writeText(PATH, '{"topicConfigTable":{"T":{"perm":"x"}}}');
    fs.writeText(`${PATH}.bak`, 'garbage');
    const { manager, sink } = rig({}, fs);
    const result = manager.load();
    expect(result.source).toBe('defaults');
    expect(result.error).toContain('topicConfigTable.T.perm');
    expect(result.error).toContain('topics.json.bak');
    expect(manager.topicConfigTable.size).toBe(8);
    expect(manager.selectTopicConfig('T')).toBeUndefined();
    expect(sink.ofKind('broker.config.loaded')[0]!.data.source).toBe('defaults');
  });

  it('persist() reports a disk failure as broker.config.persist-failed and returns false', () => {
    const fs = new MemoryFileSystem();
    const { manager, sink } = rig({}, fs);
    fs.failWrites('ENOSPC');
    expect(manager.persist()).toBe(false);
    expect(sink.ofKind('broker.config.persist-failed').map((e) => e.data.file)).toEqual([PATH]);
    fs.failWrites(null);
    expect(manager.persist()).toBe(true);
  });
});
