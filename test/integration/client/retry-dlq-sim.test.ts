// The retry chain end to end on virtual time (real name server, broker and push consumer on
// SimNetwork + ManualClock + MemoryFileSystem), through the schedule service.
//
// Goal: a message its listener always fails travels TopicTest -> SCHEDULE_TOPIC_XXXX q2 ->
// %RETRY%cg -> SCHEDULE q3 -> %RETRY%cg ... -> %DLQ%cg, keeping its UNIQ_KEY, with the
// listener seeing reconsumeTimes 0..16 at the delays of levels 3..18, and then stays in the
// write-only DLQ; orderly consumption retries in place and dead-letters after its max; a
// broker restart while delays are pending loses nothing.
// Method: pushWorld(), with the broker restarted on the same disk with a short
// `messageDelayLevel` (level n >= 3 waits n-2 seconds) so 16 retries take minutes of
// virtual time; the listener records what it is given; the store and the events show where
// the message went.
import { describe, expect, it } from 'vitest';
import { BrokerController } from '../../../src/broker/broker-controller.js';
import { ConsumeConcurrentlyStatus, ConsumeOrderlyStatus, type ConsumeConcurrentlyContext } from '../../../src/client/consumer/listener/message-listener.js';
import type { MessageStoreConfig } from '../../../src/common/config/message-store-config.js';
import { PermName } from '../../../src/common/constant/perm-name.js';
import { MessageConst } from '../../../src/common/message/message-const.js';
import { decodeMessages } from '../../../src/common/message/message-decoder.js';
import type { MessageExt } from '../../../src/common/message/message-ext.js';
import { Message } from '../../../src/common/message/message.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { bytes, heldQueues, NAMESRV, pushWorld, utf8 } from './push-sim-world.js';

type World = Awaited<ReturnType<typeof pushWorld>>;

/** Levels 1, 2 as Java's (1 s, 5 s); level n >= 3 waits n - 2 seconds (Java: 10 s ... 2 h). */
const SHORT_DELAY_LEVELS = ['1s', '5s', ...Array.from({ length: 16 }, (_, i) => `${i + 1}s`)].join(' ');
const delayMsOf = (level: number): number => (level === 1 ? 1_000 : level === 2 ? 5_000 : (level - 2) * 1_000);

/** Shut broker-a down and start a new BrokerController on the same disk and address (a process restart). */
async function restartBroker(w: World, storeOverrides: Partial<MessageStoreConfig> = {}): Promise<BrokerController> {
  const old = w.brokers.get('broker-a')!;
  await w.settle(old.shutdown());
  const ip = old.brokerConfig.brokerIP1;
  const broker = new BrokerController({
    platform: { clock: w.clock, random: new SeededRandom(11), fs: w.fs, transport: w.network.host(ip) },
    events: w.sink,
    node: 'broker-a',
    brokerConfig: { brokerName: 'broker-a', brokerIP1: ip, namesrvAddr: NAMESRV },
    storeConfig: { ...old.storeConfig, ...storeOverrides },
  });
  await w.settle(broker.start());
  w.brokers.set('broker-a', broker);
  return broker;
}

const uniqKeyOf = (m: MessageExt): string | undefined => m.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);

/** Every message of a queue (a pull stops at the end of a consume-queue file, so page on). */
function stored(broker: BrokerController, topic: string, queueId = 0): MessageExt[] {
  const messages: MessageExt[] = [];
  for (let offset = 0; ;) {
    const result = broker.messageStore.getMessage('x', topic, queueId, offset, 64);
    if (result?.status !== 'FOUND') return messages;
    messages.push(...decodeMessages(result.body));
    offset = result.nextBeginOffset;
  }
}

describe('retry and dead-letter chain through the schedule service (SimNetwork)', () => {
  it('RECONSUME_LATER forever: 16 retries via SCHEDULE_TOPIC_XXXX levels 3..18 and %RETRY%cg, then %DLQ%cg (perm 2), one UNIQ_KEY', async () => {
    const w = await pushWorld();
    const broker = await restartBroker(w, { messageDelayLevel: SHORT_DELAY_LEVELS });
    await w.createTopic('TopicTest', 1);
    const calls: Array<{ body: string; reconsumeTimes: number; uniqKey: string | undefined; topic: string; at: number }> = [];
    const consumer = w.consumer('consumer-1', {
      consumerGroup: 'cg', subscription: { TopicTest: '*' },
      messageListener: {
        consumeMessage: (msgs: readonly MessageExt[]) => {
          for (const m of msgs) calls.push({ body: utf8(m.body), reconsumeTimes: m.reconsumeTimes, uniqKey: uniqKeyOf(m), topic: m.topic, at: w.clock.now() });
          return utf8(msgs[0]!.body) === 'poison' ? ConsumeConcurrentlyStatus.RECONSUME_LATER : ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        },
      },
    });
    await w.settle(consumer.start());
    await w.until(() => heldQueues(consumer, 'TopicTest').length === 1, 30_000);
    const producer = await w.producer();
    const sent = await w.settle(producer.send(Message.create('TopicTest', bytes('poison'))));
    await w.settle(producer.send(Message.create('TopicTest', bytes('fine'))));

    await w.until(() => broker.messageStore.getMaxOffsetInQueue('%DLQ%cg', 0) === 1, 600_000);
    const poison = calls.filter((c) => c.body === 'poison');
    expect(poison.map((c) => c.reconsumeTimes)).toEqual(Array.from({ length: 17 }, (_, i) => i));
    expect(new Set(poison.map((c) => c.uniqKey))).toEqual(new Set([sent.msgId]));
    // The listener always sees the original topic (the client restores it from RETRY_TOPIC).
    expect(new Set(poison.map((c) => c.topic))).toEqual(new Set(['TopicTest']));
    expect(calls.filter((c) => c.body === 'fine').map((c) => c.reconsumeTimes)).toEqual([0]);
    // Attempt n+1 comes no earlier than the delay of level 3 + n after attempt n.
    for (let n = 0; n < 16; n++) expect(poison[n + 1]!.at - poison[n]!.at).toBeGreaterThanOrEqual(delayMsOf(3 + n));

    // Every retry went SCHEDULE_TOPIC_XXXX queue level-1 -> %RETRY%cg, levels 3..18 in order.
    const deliveries = w.sink.ofKind('store.schedule.delivered').filter((e) => e.msg?.uniqKey === sent.msgId);
    expect(deliveries.map((e) => [e.data.level, e.data.realTopic, e.data.reconsumeTimes])).toEqual(
      Array.from({ length: 16 }, (_, i) => [3 + i, '%RETRY%cg', i + 1]));
    expect(stored(broker, 'SCHEDULE_TOPIC_XXXX', 2).map(uniqKeyOf)).toEqual([sent.msgId]);
    expect(stored(broker, '%RETRY%cg').map((m) => m.reconsumeTimes)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(w.sink.ofKind('broker.retry.decided').filter((e) => e.data.group === 'cg').map((e) => e.data.outcome))
      .toEqual([...Array.from({ length: 16 }, () => 'retry'), 'dlq']);

    // It sits in %DLQ%cg: one queue, write-only, nobody consumes it.
    const [dead, ...more] = stored(broker, '%DLQ%cg');
    expect(more).toEqual([]);
    expect([utf8(dead!.body), dead!.reconsumeTimes, uniqKeyOf(dead!), dead!.getProperty(MessageConst.PROPERTY_RETRY_TOPIC)])
      .toEqual(['poison', 17, sent.msgId, 'TopicTest']);
    expect(dead!.getProperty(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID)).toBe(sent.offsetMsgId);
    expect(broker.topicConfigManager.selectTopicConfig('%DLQ%cg')).toMatchObject({ perm: PermName.PERM_WRITE, readQueueNums: 1, writeQueueNums: 1 });
    await w.clock.advance(60_000);
    expect(calls.filter((c) => c.body === 'poison')).toHaveLength(17);

    await w.settle(Promise.all([consumer.shutdown(), producer.shutdown()]));
    await w.shutdown();
  });

  it('orderly: SUSPEND retries in place (no schedule topic), and after maxReconsumeTimes 3 the message goes to %DLQ%og', async () => {
    const w = await pushWorld();
    const broker = w.brokers.get('broker-a')!;
    await w.createTopic('OrderTopic', 1);
    const seen: Array<{ body: string; reconsumeTimes: number; at: number }> = [];
    const consumer = w.consumer('consumer-1', {
      consumerGroup: 'og', subscription: { OrderTopic: '*' }, maxReconsumeTimes: 3,
      messageListenerOrderly: {
        consumeMessage: (msgs: readonly MessageExt[]) => {
          seen.push({ body: utf8(msgs[0]!.body), reconsumeTimes: msgs[0]!.reconsumeTimes, at: w.clock.now() });
          return utf8(msgs[0]!.body) === 'poison' ? ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT : ConsumeOrderlyStatus.SUCCESS;
        },
      },
    });
    await w.settle(consumer.start());
    await w.until(() => heldQueues(consumer, 'OrderTopic').length === 1, 30_000);
    const producer = await w.producer();
    const sent = await w.settle(producer.send(Message.create('OrderTopic', bytes('poison'))));
    await w.settle(producer.send(Message.create('OrderTopic', bytes('after'))));
    await w.until(() => seen.some((s) => s.body === 'after'), 60_000);

    expect(seen.map((s) => [s.body, s.reconsumeTimes])).toEqual([['poison', 0], ['poison', 1], ['poison', 2], ['poison', 3], ['after', 0]]);
    for (let n = 1; n < 4; n++) expect(seen[n]!.at - seen[n - 1]!.at).toBeGreaterThanOrEqual(1_000); // suspendCurrentQueueTimeMillis
    expect(w.sink.ofKind('store.schedule.delivered')).toEqual([]);
    const dead = stored(broker, '%DLQ%og');
    expect(dead.map((m) => [utf8(m.body), uniqKeyOf(m), m.getProperty(MessageConst.PROPERTY_RETRY_TOPIC)])).toEqual([['poison', sent.msgId, 'OrderTopic']]);
    expect(broker.topicConfigManager.selectTopicConfig('%DLQ%og')?.perm).toBe(PermName.PERM_WRITE);

    await w.settle(Promise.all([consumer.shutdown(), producer.shutdown()]));
    await w.shutdown();
  });

  it('a broker restart while delayed messages and a retry are pending loses none of them, and delivers none twice', async () => {
    const w = await pushWorld();
    await restartBroker(w, { messageDelayLevel: SHORT_DELAY_LEVELS });
    await w.createTopic('TopicTest', 2);
    const calls: Array<{ body: string; reconsumeTimes: number }> = [];
    let failedOnce = false;
    const consumer = w.consumer('consumer-1', {
      consumerGroup: 'cg', subscription: { TopicTest: '*' },
      messageListener: {
        consumeMessage: (msgs: readonly MessageExt[], context: ConsumeConcurrentlyContext) => {
          for (const m of msgs) calls.push({ body: utf8(m.body), reconsumeTimes: m.reconsumeTimes });
          if (utf8(msgs[0]!.body) === 'retry-once' && !failedOnce) {
            failedOnce = true;
            context.delayLevelWhenNextConsume = 6; // 4 s: still waiting when the broker restarts
            return ConsumeConcurrentlyStatus.RECONSUME_LATER;
          }
          return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        },
      },
    });
    await w.settle(consumer.start());
    await w.until(() => heldQueues(consumer, 'TopicTest').length === 2, 30_000);
    const producer = await w.producer();
    const delayed = (body: string, level: number): Message => {
      const msg = Message.create('TopicTest', bytes(body));
      msg.delayTimeLevel = level;
      return msg;
    };
    for (const [body, level] of [['d1-a', 1], ['d1-b', 1], ['d2-a', 2], ['d2-b', 2], ['d6', 6]] as const) await w.settle(producer.send(delayed(body, level)));
    await w.settle(producer.send(Message.create('TopicTest', bytes('retry-once'))));
    await w.until(() => calls.some((c) => c.body === 'd1-b') && failedOnce, 10_000);
    expect(calls.some((c) => c.body.startsWith('d2') || c.body === 'd6')).toBe(false);

    const broker = await restartBroker(w); // d2-*, d6 and the retry (level 6) are all still in SCHEDULE_TOPIC_XXXX
    expect(w.sink.ofKind('store.schedule.offsets-loaded').at(-1)!.data).toMatchObject({ source: 'file', offsetTable: { '1': 2 } });
    expect(broker.messageStore.getMaxOffsetInQueue('SCHEDULE_TOPIC_XXXX', 5)).toBe(2); // d6 and the retry
    expect(calls.filter((c) => c.body === 'retry-once')).toHaveLength(1);
    await w.until(() => ['d2-a', 'd2-b', 'd6'].every((b) => calls.some((c) => c.body === b)) && calls.filter((c) => c.body === 'retry-once').length === 2, 60_000);
    await w.clock.advance(10_000);

    const bodies = calls.map((c) => `${c.body}#${c.reconsumeTimes}`).sort();
    expect(bodies).toEqual(['d1-a#0', 'd1-b#0', 'd2-a#0', 'd2-b#0', 'd6#0', 'retry-once#0', 'retry-once#1']);
    // The store delivered each delayed message once: the real topic holds each body once.
    const onTopic = [0, 1].flatMap((q) => stored(broker, 'TopicTest', q)).map((m) => utf8(m.body)).sort();
    expect(onTopic).toEqual(['d1-a', 'd1-b', 'd2-a', 'd2-b', 'd6', 'retry-once']);
    expect(stored(broker, '%RETRY%cg').map((m) => utf8(m.body))).toEqual(['retry-once']);

    await w.settle(Promise.all([consumer.shutdown(), producer.shutdown()]));
    await w.shutdown();
  });
});
