// SubscriptionGroupManager: built-in groups, auto-creation on lookup (and its switch, with
// CID_RMQ_SYS_ groups exempt), version bumps, the exact JSON shape, and the file round trip.
import { describe, expect, it } from 'vitest';
import { SubscriptionGroupManager } from '../../../../src/broker/subscription/subscription-group-manager.js';
import { SubscriptionGroupConfig } from '../../../../src/common/subscription/subscription-group-config.js';
import { NodeEvents, RecordingSink } from '../../../../src/events/event-sink.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';

const PATH = '/store/config/subscriptionGroup.json';

function rig(autoCreateSubscriptionGroup = true, fs = new MemoryFileSystem()) {
  const clock = new ManualClock(1_700_000_000_000);
  const sink = new RecordingSink(clock);
  const manager = new SubscriptionGroupManager({
    fs, clock, events: new NodeEvents(sink, 'broker-a'), storePathRootDir: '/store', brokerConfig: { autoCreateSubscriptionGroup },
  });
  return { clock, sink, fs, manager };
}

describe('SubscriptionGroupManager', () => {
  it('starts with the seven built-in groups', () => {
    const { manager } = rig();
    expect([...manager.subscriptionGroupTable.keys()]).toEqual([
      'TOOLS_CONSUMER', 'FILTERSRV_CONSUMER', 'SELF_TEST_C_GROUP', 'CID_ONS-HTTP-PROXY', 'CID_ONSAPI_PULL', 'CID_ONSAPI_PERMISSION', 'CID_ONSAPI_OWNER',
    ]);
  });

  it('findSubscriptionGroupConfig auto-creates an unknown group with the defaults, bumps the version and persists', () => {
    const { manager, fs, sink } = rig();
    const v0 = manager.dataVersion.counter;
    const created = manager.findSubscriptionGroupConfig('cg')!;
    expect([created.retryQueueNums, created.retryMaxTimes, created.brokerId, created.whichBrokerWhenConsumeSlowly, created.consumeEnable]).toEqual([1, 16, 0, 1, true]);
    expect(manager.findSubscriptionGroupConfig('cg')).toBe(created);
    expect(manager.dataVersion.counter).toBe(v0 + 1);
    expect(sink.ofKind('broker.group.created').map((e) => e.data)).toEqual([{ group: 'cg' }]);
    expect(fs.readText(PATH)).toContain(
      '"cg":{"brokerId":0,"consumeBroadcastEnable":true,"consumeEnable":true,"consumeFromMinEnable":true,"groupName":"cg",' +
        '"notifyConsumerIdsChangedEnable":true,"retryMaxTimes":16,"retryQueueNums":1,"whichBrokerWhenConsumeSlowly":1}',
    );
  });

  it('findSubscriptionGroupConfig returns undefined with auto-creation off, except for CID_RMQ_SYS_ groups', () => {
    const { manager } = rig(false);
    expect(manager.findSubscriptionGroupConfig('cg')).toBeUndefined();
    expect(manager.findSubscriptionGroupConfig('CID_RMQ_SYS_TRANS')?.groupName).toBe('CID_RMQ_SYS_TRANS');
    expect(manager.findSubscriptionGroupConfig('TOOLS_CONSUMER')).toBeDefined();
  });

  it('updateSubscriptionGroupConfig, disableConsume and deleteSubscriptionGroupConfig change the table and the version', () => {
    const { manager } = rig();
    const v0 = manager.dataVersion.counter;
    const config = new SubscriptionGroupConfig('cg');
    config.retryMaxTimes = 3;
    manager.updateSubscriptionGroupConfig(config);
    manager.disableConsume('cg');
    expect(manager.findSubscriptionGroupConfig('cg')?.consumeEnable).toBe(false);
    manager.deleteSubscriptionGroupConfig('cg');
    manager.deleteSubscriptionGroupConfig('cg');
    expect(manager.subscriptionGroupTable.has('cg')).toBe(false);
    expect(manager.dataVersion.counter).toBe(v0 + 3);
  });

  it('persist() then load() round-trips subscriptionGroup.json; unknown JSON fields are ignored, missing ones default', () => {
    const { manager, fs } = rig();
    const config = new SubscriptionGroupConfig('cg');
    config.retryQueueNums = 2;
    config.consumeBroadcastEnable = false;
    manager.updateSubscriptionGroupConfig(config);
    expect(fs.readText(PATH)!.startsWith('{"dataVersion":{"counter":1,"timestamp":1700000000000},"subscriptionGroupTable":{')).toBe(true);

    const again = rig(true, fs);
    expect(again.manager.load()).toEqual({ source: 'file' });
    const loaded = again.manager.subscriptionGroupTable.get('cg')!;
    expect([loaded.retryQueueNums, loaded.consumeBroadcastEnable, loaded.retryMaxTimes]).toEqual([2, false, 16]);
    expect(again.manager.dataVersion.equals(manager.dataVersion)).toBe(true);

    fs.writeText(PATH, '{"subscriptionGroupTable":{"g2":{"retryMaxTimes":"5","future":1}}}');
    const third = rig(true, fs);
    expect(third.manager.load().source).toBe('file');
    expect(third.manager.subscriptionGroupTable.get('g2')).toMatchObject({ groupName: 'g2', retryMaxTimes: 5, retryQueueNums: 1 });
  });

  it('load() falls back to the defaults on a corrupt file and .bak, naming the bad field', () => {
    const fs = new MemoryFileSystem();
    fs.mkdirp('/store/config');
    fs.writeText(PATH, '{"subscriptionGroupTable":{"g":{"consumeEnable":"maybe"}}}');
    const { manager } = rig(true, fs);
    const result = manager.load();
    expect(result.source).toBe('defaults');
    expect(result.error).toContain('subscriptionGroupTable.g.consumeEnable');
    expect(manager.subscriptionGroupTable.has('g')).toBe(false);
  });
});
