// Push consumers of one group against a real name server and broker on virtual time:
// the first member takes all 8 queues; two more join and, within one rebalance round after
// the broker's NOTIFY_CONSUMER_IDS_CHANGED (well before the 20 s timer), the three hold
// disjoint 3/3/2 blocks; one leaves and the other two reconverge on 4/4. Heartbeats go to
// the broker every 30 s and carry %RETRY%<group>.
import { describe, expect, it } from 'vitest';
import { ConsumeConcurrentlyStatus } from '../../../src/client/consumer/listener/message-listener.js';
import { heldQueues, pushWorld } from './push-sim-world.js';

const listener = { consumeMessage: () => ConsumeConcurrentlyStatus.CONSUME_SUCCESS };
const q = (...ids: number[]): string[] => ids.map((id) => `TopicA@broker-a@${id}`);

describe('DefaultMQPushConsumer rebalance (SimNetwork)', () => {
  it('start() of three members converges on disjoint 3/3/2 blocks within one round after NOTIFY, and 4/4 after one leaves', async () => {
    const w = await pushWorld();
    await w.createTopic('TopicA', 8);
    const make = (node: string) => w.consumer(node, { consumerGroup: 'cg', subscription: { TopicA: '*' }, messageListener: listener });
    const c1 = make('consumer-1');
    await w.settle(c1.start());
    await w.until(() => heldQueues(c1, 'TopicA').length === 8, 5_000);
    // %RETRY%cg is created by the first heartbeat, so its route arrives with the next 30 s route poll.
    await w.until(() => heldQueues(c1, '%RETRY%cg').length === 1, 35_000);
    expect(heldQueues(c1, '%RETRY%cg')).toEqual(['%RETRY%cg@broker-a@0']);

    const c2 = make('consumer-2');
    const c3 = make('consumer-3');
    const joinedAt = w.clock.now();
    await w.settle(Promise.all([c2.start(), c3.start()]));
    const all = [c1, c2, c3];
    const converged = (): boolean => all.map((c) => heldQueues(c, 'TopicA').length).join('/') === '3/3/2';
    await w.until(converged, 1_000);
    // NOTIFY_CONSUMER_IDS_CHANGED woke every member: a few network round trips, not the 20 s timer.
    expect(w.clock.now() - joinedAt).toBeLessThan(1_000);
    // Client ids sort as 10.0.1.10@1 < 10.0.1.11@1 < 10.0.1.12@1, so blocks follow start order.
    expect(all.map((c) => heldQueues(c, 'TopicA'))).toEqual([q(0, 1, 2), q(3, 4, 5), q(6, 7)]);
    const notified = w.sink.ofKind('broker.consumer.change-notified').filter((e) => e.data.group === 'cg');
    expect(notified.length).toBeGreaterThan(0);
    const computed = w.sink.ofKind('client.rebalance.computed').filter((e) => e.node === 'consumer-1' && e.data.topic === 'TopicA').at(-1)!;
    expect(computed.data).toMatchObject({ strategy: 'AVG', me: '10.0.1.10@1', cidAll: ['10.0.1.10@1', '10.0.1.11@1', '10.0.1.12@1'], allocated: q(0, 1, 2) });

    await w.settle(c2.shutdown());
    await w.until(() => all.filter((c) => c !== c2).map((c) => heldQueues(c, 'TopicA').length).join('/') === '4/4', 19_000);
    expect([heldQueues(c1, 'TopicA'), heldQueues(c3, 'TopicA')]).toEqual([q(0, 1, 2, 3), q(4, 5, 6, 7)]);
    const dropped = w.sink.ofKind('client.queue.dropped').filter((e) => e.node === 'consumer-1');
    expect(dropped.map((e) => e.data.mq)).toEqual(q(3, 4, 5, 6, 7));
    expect(new Set(dropped.map((e) => e.data.reason))).toEqual(new Set(['rebalance']));

    await w.settle(Promise.all([c1.shutdown(), c3.shutdown()]));
    await w.shutdown();
  });

  it('sends heartbeats with the group, its subscriptions and %RETRY%<group> every 30 s', async () => {
    const w = await pushWorld();
    await w.createTopic('TopicA', 4);
    const c1 = w.consumer('consumer-1', { consumerGroup: 'cg', subscription: { TopicA: 'TagA || TagB' }, messageListener: listener });
    await w.settle(c1.start());
    const group = w.brokers.get('broker-a')!.consumerManager.getConsumerGroupInfo('cg')!;
    expect([...group.subscriptionTable.keys()].sort()).toEqual(['%RETRY%cg', 'TopicA']);
    expect([...group.subscriptionTable.get('TopicA')!.tagsSet]).toEqual(['TagA', 'TagB']);
    const beats = () => w.sink.ofKind('client.heartbeat.sent').filter((e) => e.node === 'consumer-1' && e.data.ok).length;
    const before = beats();
    await w.clock.advance(90_000);
    expect(beats() - before).toBeGreaterThanOrEqual(3);
    await w.settle(c1.shutdown());
    expect(w.brokers.get('broker-a')!.consumerManager.getConsumerGroupInfo('cg')).toBeUndefined();
    await w.shutdown();
  });
});
