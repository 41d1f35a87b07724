// ClientHousekeepingService: closed connections leave both managers at once; silent
// clients are expired by the 10 s scan once 120 s passed since their last heartbeat.
import { describe, expect, it } from 'vitest';
import { buildSubscriptionData } from '../../../../src/common/filter/filter-api.js';
import { ClientChannelInfo } from '../../../../src/broker/client/client-channel-info.js';
import { ClientHousekeepingService } from '../../../../src/broker/client/client-housekeeping-service.js';
import type { ConnectionClosedListener } from '../../../../src/remoting/remoting-server.js';
import { FakeContext, pullRig } from '../processor/pull-test-support.js';

describe('ClientHousekeepingService', () => {
  it('listenTo() forwards a server connection close to both managers; the 10 s scan expires clients silent for > 120 s', async () => {
    const rig = pullRig();
    const { clock, consumerManager, producerManager } = rig;
    const t0 = clock.now();
    const service = new ClientHousekeepingService({ clock, producerManager, consumerManager });
    const listeners: ConnectionClosedListener[] = [];
    service.listenTo({ onConnectionClosed: (l) => (listeners.push(l), () => undefined) });
    service.start();
    const [a, b] = [new FakeContext('10.0.0.9:51000'), new FakeContext('10.0.0.8:52000')];
    for (const [ctx, id] of [[a, 'c1'], [b, 'c2']] as const) {
      const info = new ClientChannelInfo(ctx.connection, id, 'JAVA', 293, clock.now());
      consumerManager.registerConsumer('cg', info, 'CONSUME_PASSIVELY', 'CLUSTERING', 'CONSUME_FROM_LAST_OFFSET', [buildSubscriptionData('TopicA', '*')], true);
      producerManager.registerProducer('pg', info);
    }
    for (const listener of listeners) listener(a, 'closed by peer');
    expect(consumerManager.getConsumerGroupInfo('cg')!.getAllClientId()).toEqual(['c2']);
    expect([...producerManager.getGroupChannelTable().get('pg')!.values()].map((i) => i.clientId)).toEqual(['c2']);
    // b never sends another heartbeat: at T0+130000 (the first scan after 120 s) it is gone.
    await clock.advanceTo(t0 + 120_000);
    expect(consumerManager.getConsumerGroupInfo('cg')).toBeDefined();
    await clock.advanceTo(t0 + 130_000);
    expect(consumerManager.getConsumerGroupInfo('cg')).toBeUndefined();
    expect(producerManager.getGroupChannelTable().size).toBe(0);
    expect(b.closed).toBe(true);
    service.shutdown();
  });
});
