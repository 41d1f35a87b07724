// ConsumerManager + ConsumerGroupInfo + DefaultConsumerIdsChangeListener + Broker2Client:
// membership from heartbeats, the subVersion rules, and NOTIFY_CONSUMER_IDS_CHANGED sent
// one-way to every member when membership changes. Broker2Client sends through a fake
// server that records invokeOneway calls, so the test counts real request commands.
import { describe, expect, it } from 'vitest';
import { buildSubscriptionData } from '../../../../src/common/filter/filter-api.js';
import { RequestCode } from '../../../../src/common/protocol/request-code.js';
import type { SubscriptionData } from '../../../../src/common/protocol/heartbeat/subscription-data.js';
import { NodeEvents, RecordingSink } from '../../../../src/events/event-sink.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import type { Connection } from '../../../../src/platform/transport.js';
import { RemotingSendRequestError } from '../../../../src/remoting/errors.js';
import { isOneway, type RemotingCommand } from '../../../../src/remoting/remoting-command.js';
import { Broker2Client } from '../../../../src/broker/client/broker2client.js';
import { ClientChannelInfo } from '../../../../src/broker/client/client-channel-info.js';
import { ConsumerManager } from '../../../../src/broker/client/consumer-manager.js';
import { DefaultConsumerIdsChangeListener } from '../../../../src/broker/client/consumer-ids-change-listener.js';
import { fakeConnection } from '../processor/pull-test-support.js';

function setup(brokerConfig: { notifyConsumerIdsChangedEnable?: boolean } = {}) {
  const clock = new ManualClock(1_700_000_000_000);
  const sink = new RecordingSink(clock);
  const events = new NodeEvents(sink, 'broker-a');
  const sent: Array<{ to: string; request: RemotingCommand }> = [];
  const remotingServer = {
    invokeOneway(connection: Connection, request: RemotingCommand): void {
      if (connection.closed) throw new RemotingSendRequestError(connection.remoteAddress);
      request.flag |= 2; // what the server's invokeOnewayImpl does
      sent.push({ to: connection.remoteAddress, request });
    },
  };
  const broker2Client = new Broker2Client({ remotingServer });
  const manager = new ConsumerManager({ clock, events, consumerIdsChangeListener: new DefaultConsumerIdsChangeListener({ broker2Client, brokerConfig, events }) });
  /** A heartbeat's view of a client; pass `again` to model the same connection's next heartbeat. */
  const client = (remote: string, clientId: string, again?: ClientChannelInfo) =>
    new ClientChannelInfo(again?.connection ?? fakeConnection(remote), clientId, 'JAVA', 293, clock.now());
  const register = (info: ClientChannelInfo, subs: SubscriptionData[], notify = true) =>
    manager.registerConsumer('cg', info, 'CONSUME_PASSIVELY', 'CLUSTERING', 'CONSUME_FROM_LAST_OFFSET', subs, notify);
  return { clock, sink, manager, sent, client, register };
}

const sub = (topic: string, subString = '*', subVersion = 1000) => buildSubscriptionData(topic, subString, undefined, subVersion);

describe('ConsumerManager', () => {
  it('registerConsumer() notifies every member one-way with NOTIFY_CONSUMER_IDS_CHANGED when a member joins, and not on a repeated heartbeat', () => {
    const { manager, sent, client, register, sink } = setup();
    const c1 = client('10.0.0.9:51000', 'c1');
    expect(register(c1, [sub('TopicA')])).toBe(true);
    expect(sent.map((s) => s.to)).toEqual(['10.0.0.9:51000']);
    expect(register(client('10.0.0.9:51000', 'c1', c1), [sub('TopicA')])).toBe(false); // same connection again: no change
    expect(sent).toHaveLength(1);
    const c2 = client('10.0.0.8:52000', 'c2');
    expect(register(c2, [sub('TopicA')])).toBe(true);
    expect(sent.slice(1).map((s) => s.to)).toEqual(['10.0.0.9:51000', '10.0.0.8:52000']);
    const request = sent[2]!.request;
    expect([request.code, isOneway(request), request.extFields]).toEqual([RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, true, { consumerGroup: 'cg' }]);
    expect(manager.getConsumerGroupInfo('cg')!.getAllClientId()).toEqual(['c1', 'c2']);
    expect(sink.ofKind('broker.consumer.change-notified').map((e) => [e.data.members, e.data.sent])).toEqual([[1, 1], [2, 2]]);
  });

  it('registerConsumer() does not notify when the group config disables it, nor when the broker-wide flag is off', () => {
    const a = setup();
    a.register(a.client('h1:1', 'c1'), [sub('TopicA')], false);
    expect(a.sent).toEqual([]);
    const b = setup({ notifyConsumerIdsChangedEnable: false });
    b.register(b.client('h1:1', 'c1'), [sub('TopicA')]);
    expect(b.sent).toEqual([]);
  });

  it('updateSubscription() adds new topics, replaces only with a larger subVersion, removes topics not listed, and only adds/removes count as a change', () => {
    const { manager, register, client, sent } = setup();
    const c1 = client('h1:1', 'c1');
    register(c1, [sub('TopicA', 'TagA', 1000), sub('TopicB')]);
    const info = manager.getConsumerGroupInfo('cg')!;
    expect(register(c1, [sub('TopicA', 'TagB', 999), sub('TopicB')])).toBe(false);
    expect(manager.findSubscriptionData('cg', 'TopicA')!.subString).toBe('TagA'); // older version ignored
    expect(register(c1, [sub('TopicA', 'TagB', 2000), sub('TopicB')])).toBe(false); // Java: not a change
    expect(manager.findSubscriptionData('cg', 'TopicA')!.subString).toBe('TagB');
    expect(register(c1, [sub('TopicA', 'TagB', 2000)])).toBe(true); // TopicB went away
    expect(info.getSubscribeTopics()).toEqual(['TopicA']);
    expect(sent).toHaveLength(2);
    expect(manager.queryTopicConsumeByWho('TopicA')).toEqual(new Set(['cg']));
  });

  it('unregisterConsumer() removes the member, notifies the rest, and removes an empty group', () => {
    const { manager, register, client, sent, sink } = setup();
    const c1 = client('h1:1', 'c1');
    const c2 = client('h2:2', 'c2');
    register(c1, [sub('TopicA')]);
    register(c2, [sub('TopicA')]);
    sent.length = 0;
    manager.unregisterConsumer('cg', c1, true);
    expect(sent.map((s) => s.to)).toEqual(['h2:2']);
    manager.unregisterConsumer('cg', c2, true);
    expect(manager.getConsumerGroupInfo('cg')).toBeUndefined();
    expect(sent).toHaveLength(1); // nobody left to tell
    expect(sink.ofKind('broker.consumer.unregistered').map((e) => [e.data.clientId, e.data.reason, e.data.groupRemoved])).toEqual([['c1', 'unregister', false], ['c2', 'unregister', true]]);
  });

  it('doChannelCloseEvent() drops the closed connection from every group and notifies the members left', () => {
    const { manager, register, client, sent } = setup();
    const c1 = client('h1:1', 'c1');
    const c2 = client('h2:2', 'c2');
    register(c1, [sub('TopicA')]);
    register(c2, [sub('TopicA')]);
    manager.registerConsumer('other', c1, 'CONSUME_ACTIVELY', 'BROADCASTING', 'CONSUME_FROM_FIRST_OFFSET', [sub('TopicB')], true);
    sent.length = 0;
    manager.doChannelCloseEvent('h1:1', c1.connection);
    expect(manager.getConsumerGroupInfo('cg')!.getAllClientId()).toEqual(['c2']);
    expect(manager.getConsumerGroupInfo('other')).toBeUndefined();
    expect(sent.map((s) => s.to)).toEqual(['h2:2']);
  });

  it('scanNotActiveChannel() closes and drops members silent for more than 120 s, without notifying', async () => {
    const { manager, register, client, clock, sent } = setup();
    const c1 = client('h1:1', 'c1');
    const c2 = client('h2:2', 'c2');
    register(c1, [sub('TopicA')]);
    register(c2, [sub('TopicA')]);
    sent.length = 0;
    await clock.advance(60_000);
    register(client('h2:2', 'c2', c2), [sub('TopicA')]); // c2's heartbeat refreshes its entry
    await clock.advance(60_000);
    manager.scanNotActiveChannel(); // c1 silent for exactly 120 s: kept
    expect(manager.getConsumerGroupInfo('cg')!.getAllClientId()).toEqual(['c1', 'c2']);
    await clock.advance(1);
    manager.scanNotActiveChannel();
    expect(manager.getConsumerGroupInfo('cg')!.getAllClientId()).toEqual(['c2']);
    expect(c1.connection.closed).toBe(true);
    expect(sent).toEqual([]);
  });

  it('Broker2Client.notifyConsumerIdsChanged() returns false instead of throwing when the connection is gone', () => {
    const { register, client, sink, sent } = setup();
    const c1 = client('h1:1', 'c1');
    c1.connection.close();
    register(c1, [sub('TopicA')]);
    expect(sent).toEqual([]);
    expect(sink.ofKind('broker.consumer.change-notified')[0]!.data).toEqual({ group: 'cg', members: 1, sent: 0, to: ['h1:1'] });
  });
});

describe('Broker2Client', () => {
  it('notifyConsumerIdsChanged() falls back to the VIP server when the main server does not own the connection', () => {
    const refuse = { invokeOneway: (connection: Connection) => { throw new RemotingSendRequestError(connection.remoteAddress); } };
    const sent: RemotingCommand[] = [];
    const fast = { invokeOneway: (_connection: Connection, request: RemotingCommand) => void sent.push(request) };
    const connection = fakeConnection('h1:1');
    expect(new Broker2Client({ remotingServer: refuse }).notifyConsumerIdsChanged(connection, 'cg')).toBe(false);
    expect(new Broker2Client({ remotingServer: refuse, fastRemotingServer: fast }).notifyConsumerIdsChanged(connection, 'cg')).toBe(true);
    expect(sent.map((r) => r.code)).toEqual([RequestCode.NOTIFY_CONSUMER_IDS_CHANGED]);
  });

  it('checkProducerTransactionState() sends CHECK_TRANSACTION_STATE one-way with the header and the message as body', () => {
    const sent: RemotingCommand[] = [];
    const broker2Client = new Broker2Client({ remotingServer: { invokeOneway: (_c: Connection, r: RemotingCommand) => void sent.push(r) } });
    const body = new Uint8Array([1, 2, 3]);
    broker2Client.checkProducerTransactionState('pg', fakeConnection('h1:1'), { tranStateTableOffset: 4, commitLogOffset: 1024, msgId: 'U', offsetMsgId: 'O' }, body);
    expect([sent[0]!.code, sent[0]!.extFields, sent[0]!.body]).toEqual([RequestCode.CHECK_TRANSACTION_STATE, { tranStateTableOffset: '4', commitLogOffset: '1024', msgId: 'U', offsetMsgId: 'O' }, body]);
  });
});
