// DefaultConsumerIdsChangeListener feeding the ConsumerFilterManager: every heartbeat's
// subscriptions arrive as REGISTER (SQL92 ones become filters), and a group whose last member
// leaves (UNREGISTER_CLIENT or a closed connection) arrives as UNREGISTER (its filters die).
import { describe, expect, it } from 'vitest';
import { ClientChannelInfo } from '../../../../src/broker/client/client-channel-info.js';
import { DefaultConsumerIdsChangeListener } from '../../../../src/broker/client/consumer-ids-change-listener.js';
import { ConsumerManager } from '../../../../src/broker/client/consumer-manager.js';
import { ConsumerFilterManager } from '../../../../src/broker/filter/consumer-filter-manager.js';
import { buildSubscriptionData } from '../../../../src/common/filter/filter-api.js';
import { NodeEvents, RecordingSink } from '../../../../src/events/event-sink.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import { fakeConnection } from '../processor/pull-test-support.js';

function setup() {
  const clock = new ManualClock(1_700_000_000_000);
  const sink = new RecordingSink(clock);
  const events = new NodeEvents(sink, 'broker-a');
  const filters = new ConsumerFilterManager({ fs: new MemoryFileSystem(), configPath: '/store/config/consumerFilter.json', clock, events });
  const broker2Client = { notifyConsumerIdsChanged: () => true };
  const listener = new DefaultConsumerIdsChangeListener({ broker2Client, brokerConfig: {}, events, consumerFilterManager: filters });
  const manager = new ConsumerManager({ clock, events, consumerIdsChangeListener: listener });
  return { clock, sink, filters, manager };
}

describe('DefaultConsumerIdsChangeListener', () => {
  it('a heartbeat registers its SQL92 subscriptions as filters; the group leaving marks them dead', () => {
    const { filters, manager, clock } = setup();
    const connection = fakeConnection('10.0.0.9:51000');
    const client = new ClientChannelInfo(connection, 'c1', 'JAVA', 293, clock.now());
    const subs = [buildSubscriptionData('TopicA', "region = 'eu'", 'SQL92', 100), buildSubscriptionData('TopicB', 'TagA', undefined, 100)];
    manager.registerConsumer('CG', client, 'CONSUME_PASSIVELY', 'CLUSTERING', 'CONSUME_FROM_LAST_OFFSET', subs, true);
    expect(filters.getByGroup('CG').map((d) => [d.topic, d.expression, d.isDead()])).toEqual([['TopicA', "region = 'eu'", false]]);

    manager.unregisterConsumer('CG', client, true);
    expect(filters.get('TopicA', 'CG')!.isDead()).toBe(true);
  });

  it('a closed connection that empties the group marks its filters dead too', () => {
    const { filters, manager, clock, sink } = setup();
    const connection = fakeConnection('10.0.0.9:51000');
    const client = new ClientChannelInfo(connection, 'c1', 'JAVA', 293, clock.now());
    manager.registerConsumer('CG', client, 'CONSUME_PASSIVELY', 'CLUSTERING', 'CONSUME_FROM_LAST_OFFSET', [buildSubscriptionData('TopicA', 'a > 1', 'SQL92', 100)], true);
    manager.doChannelCloseEvent('10.0.0.9:51000', connection);
    expect(filters.get('TopicA', 'CG')!.isDead()).toBe(true);
    expect(sink.ofKind('broker.filter.unregistered').map((e) => e.data)).toEqual([{ group: 'CG', topics: ['TopicA'], reason: 'group-gone' }]);
  });
});
