/**
 * Scenario `send-timeout-dup`: a send that timed out was stored anyway, and the retry makes
 * a duplicate.
 *
 * A timeout tells the producer nothing about the broker: the request may have been lost, or
 * stored with only the answer late. Here broker-a stores the message at once, but its answer
 * is held on the way back for 4 s, longer than the producer's 3 s `sendMsgTimeout`. The
 * application treats the timeout as a failure and sends again; the broker stores a second
 * record. The UNIQ_KEY differs (the retry is a new send) but the body and the business key are
 * the same, and the consumer gets both: RocketMQ delivers at least once, so consumers must be
 * idempotent.
 *
 * ```
 *   (a warm-up send first opens the connection and fetches the route)
 *   producer-1 ──SEND m "order-7"──► broker-a: stored at offset 0 ──answer held 4 s──► (too late)
 *   producer-1: timed out at 3 s ──► app sends again ──► broker-a: stored at offset 1
 *   consumer-1 receives "order-7" twice
 * ```
 *
 * @article send-receive "Timeouts are not failures"
 * @category Sim
 * @module
 */
import { ConsumeConcurrentlyStatus } from '../../client/consumer/listener/message-listener.js';
import { decodeUtf8, encodeUtf8 } from '../../common/bytes.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import { DefaultMQProducer } from '../../client/producer/default-mq-producer.js';
import { Message } from '../../common/message/message.js';
import type { Scenario } from '../scenario.js';

export const sendTimeoutDup: Scenario = {
  name: 'send-timeout-dup',
  article: 'send-receive',
  seed: 34,
  title: { en: 'A timed-out send that was stored: the duplicate', zh: '超时但已存储的发送：重复消息' },
  summary: {
    en: 'The broker stores a message but its answer arrives after the producer gave up; the application sends again and the consumer receives the same order twice.',
    zh: 'Broker 存下了消息，但应答在生产者放弃之后才到达；应用再次发送，消费者收到了同一个订单两次。',
  },
  async run({ cluster, beat, find }) {
    await cluster.startNamesrv();
    const broker = await cluster.startBroker('broker-a');
    await cluster.createTopic('TopicTest', 1);
    const host = cluster.clientHost();
    const producer = cluster.track(new DefaultMQProducer({
      platform: host.platform, events: cluster.sink, node: 'producer-1', producerGroup: 'pg', namesrvAddr: cluster.namesrvAddr,
      clientConfig: { clientIP: host.ip, pid: 100 }, retryTimesWhenSendFailed: 0,
    }), 'producer-1', 'producer');
    await cluster.settle(producer.start());
    // Prime the route and the connection, then hold broker-a's next answer to this host for 4 s.
    await cluster.settle(producer.send(Message.create('TopicTest', encodeUtf8('warm-up'))));
    cluster.network.delayNext(broker.ip, host.ip, 4_000);
    const msg = () => Message.create('TopicTest', encodeUtf8('order-7'), { keys: 'order-7' });
    let failure = '';
    try {
      await cluster.settle(producer.send(msg()));
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    const timedOut = find('client.send.timed-out', 'producer-1')[0];
    const stored = find('store.commitlog.appended', 'broker-a').filter((e) => e.data.topic === 'TopicTest').slice(1);
    beat('timed-out', {
      en: `producer-1 gave up after ${timedOut?.data.elapsedMs ?? 3000} ms: "${failure.split('\n')[0]}". Yet broker-a had stored the message ${stored.length === 1 ? `at commit-log offset ${stored[0]!.data.physOffset}` : ''} within milliseconds; only its answer was stuck on the way back. The outcome of a timed-out send is unknown, not "failed".`,
      zh: `producer-1 在 ${timedOut?.data.elapsedMs ?? 3000} ms 后放弃：“${failure.split('\n')[0]}”。可 broker-a 早在几毫秒内就${stored.length === 1 ? `把消息存在了 CommitLog 偏移 ${stored[0]!.data.physOffset}` : '存下了消息'}；只是应答卡在了回程路上。超时发送的结果是未知，而不是“失败”。`,
    });
    await cluster.settle(producer.send(msg()));
    const records = find('store.commitlog.appended', 'broker-a').filter((e) => e.data.topic === 'TopicTest').slice(1);
    beat('resent', {
      en: `The application sent order-7 again and got SEND_OK. The commit log now holds ${records.length} records of it, at offsets ${records.map((r) => r.data.physOffset).join(' and ')}, with different UNIQ_KEYs: to the broker they are two messages.`,
      zh: `应用再次发送 order-7，得到 SEND_OK。CommitLog 中现在有它的 ${records.length} 条记录，偏移分别为 ${records.map((r) => r.data.physOffset).join(' 和 ')}，UNIQ_KEY 不同：对 Broker 来说这是两条消息。`,
    });
    const received: string[] = [];
    const consumer = cluster.pushConsumer('consumer-1', {
      consumerGroup: 'cg', subscription: { TopicTest: '*' },
      messageListener: { consumeMessage: (msgs: readonly MessageExt[]) => (received.push(...msgs.map((m) => `${decodeUtf8(m.body)} (key ${m.keys ?? ''})`)), ConsumeConcurrentlyStatus.CONSUME_SUCCESS) },
    });
    await cluster.settle(consumer.start());
    await cluster.until(() => received.filter((r) => r.startsWith('order-7')).length === 2, 10_000);
    received.splice(0, received.length, ...received.filter((r) => r.startsWith('order-7')));
    beat('duplicate', {
      en: `consumer-1 received ${received.join(' and ')}. RocketMQ delivers at least once; a consumer that must not charge twice deduplicates by a business key such as KEYS.`,
      zh: `consumer-1 收到了 ${received.join(' 和 ')}。RocketMQ 保证至少一次投递；不能重复扣款的消费者要按业务键（如 KEYS）去重。`,
    });
  },
};
