// ProducerManager: producer groups from heartbeats, removal on close/unregister/expiry, and
// the round-robin pick of a live member for CHECK_TRANSACTION_STATE.
import { describe, expect, it } from 'vitest';
import { NodeEvents, RecordingSink } from '../../../../src/events/event-sink.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { ClientChannelInfo } from '../../../../src/broker/client/client-channel-info.js';
import { ProducerManager } from '../../../../src/broker/client/producer-manager.js';
import { fakeConnection } from '../processor/pull-test-support.js';

function setup() {
  const clock = new ManualClock(1_700_000_000_000);
  const sink = new RecordingSink(clock);
  const manager = new ProducerManager({ clock, events: new NodeEvents(sink, 'broker-a') });
  const client = (remote: string, clientId: string) => new ClientChannelInfo(fakeConnection(remote), clientId, 'JAVA', 293, clock.now());
  return { clock, sink, manager, client };
}

describe('ProducerManager', () => {
  it('registerProducer() adds a connection once, unregisterProducer() removes it and the empty group', () => {
    const { manager, client, sink } = setup();
    const p1 = client('h1:1', 'p1');
    manager.registerProducer('pg', p1);
    manager.registerProducer('pg', p1);
    expect([...manager.getGroupChannelTable().get('pg')!.values()].map((i) => i.clientId)).toEqual(['p1']);
    expect(manager.findChannel('p1')).toBe(p1.connection);
    manager.unregisterProducer('pg', p1);
    expect(manager.getGroupChannelTable().has('pg')).toBe(false);
    expect(sink.ofKind('broker.producer.registered')).toHaveLength(1);
    expect(sink.ofKind('broker.producer.unregistered').map((e) => e.data.reason)).toEqual(['unregister']);
  });

  it('getAvailableChannel() picks members round robin and skips a closed one', () => {
    const { manager, client } = setup();
    const [a, b, c] = [client('a:1', 'a'), client('b:1', 'b'), client('c:1', 'c')];
    for (const p of [a, b, c]) manager.registerProducer('pg', p);
    const picks = [1, 2, 3, 4, 5, 6].map(() => manager.getAvailableChannel('pg')!.remoteAddress);
    expect(picks).toEqual(['b:1', 'c:1', 'a:1', 'b:1', 'c:1', 'a:1']);
    b.connection.close();
    expect([1, 2, 3].map(() => manager.getAvailableChannel('pg')!.remoteAddress)).toEqual(['c:1', 'c:1', 'a:1']);
    expect(manager.getAvailableChannel('nope')).toBeUndefined();
  });

  it('doChannelCloseEvent() and scanNotActiveChannel() (120 s) remove members', async () => {
    const { manager, client, clock, sink } = setup();
    const p1 = client('h1:1', 'p1');
    const p2 = client('h2:2', 'p2');
    manager.registerProducer('pg', p1);
    manager.registerProducer('pg', p2);
    manager.doChannelCloseEvent('h1:1', p1.connection);
    await clock.advance(120_001);
    manager.scanNotActiveChannel();
    expect(manager.getGroupChannelTable().size).toBe(0);
    expect(p2.connection.closed).toBe(true);
    expect(sink.ofKind('broker.producer.unregistered').map((e) => [e.data.clientId, e.data.reason])).toEqual([['p1', 'channel-closed'], ['p2', 'expired']]);
  });
});
