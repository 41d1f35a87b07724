/**
 * Scenario `long-poll`: a pull that waits at the broker instead of returning empty.
 *
 * consumer-1 pulls queue 0 of an empty TopicTest. The broker finds nothing, and because the
 * pull carries the suspend flag it parks the request in the PullRequestHoldService for up
 * to 15 s. Seven seconds later producer-1 sends one message; the reput service's
 * "message arrived" notice wakes the parked pull at once, which runs again and answers
 * FOUND with the same opaque the consumer has been waiting on.
 *
 * ```
 *   t0        consumer-1 ──PULL (offset 0, suspend, 15 s)──► broker-a: nothing ──► hold table [TopicTest@0, deadline t0+15 s]
 *   t0+5 s    hold-service check: queue still empty, keep holding
 *   t0+7 s    producer-1 ──SEND──► broker-a ──► CQ unit ──► store.message.arrived ──► woken (arrival)
 *             broker-a ──PULL response FOUND (same opaque)──► consumer-1
 * ```
 *
 * @article pull-consume-1 "Long polling: holding a pull until a message arrives"
 * @category Sim
 * @module
 */
import { ConsumeConcurrentlyStatus } from '../../client/consumer/listener/message-listener.js';
import { encodeUtf8 } from '../../common/bytes.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import { Message } from '../../common/message/message.js';
import type { Scenario } from '../scenario.js';

export const longPoll: Scenario = {
  name: 'long-poll',
  article: 'pull-consume-1',
  real: true,
  seed: 21,
  title: { en: 'Long polling: hold, wake, reply', zh: '长轮询：挂起、唤醒、应答' },
  summary: {
    en: 'A consumer pulls an empty queue; the broker holds the pull instead of answering empty, and answers it the moment a message arrives 7 s later.',
    zh: '消费者拉取一个空队列；Broker 不立即返回空结果，而是挂起这次拉取，7 秒后消息一到就立刻应答。',
  },
  async run({ cluster, beat, find }) {
    await cluster.startNamesrv();
    await cluster.startBroker('broker-a');
    await cluster.createTopic('TopicTest', 1);
    let received = 0;
    const consumer = cluster.pushConsumer('consumer-1', {
      consumerGroup: 'cg', subscription: { TopicTest: '*' },
      messageListener: { consumeMessage: (msgs: readonly MessageExt[]) => ((received += msgs.length), ConsumeConcurrentlyStatus.CONSUME_SUCCESS) },
    });
    await cluster.settle(consumer.start());
    await cluster.until(() => find('broker.pull.suspended', 'broker-a').some((e) => e.data.key === 'TopicTest@0'), 5_000);
    const held = find('broker.pull.suspended', 'broker-a').find((e) => e.data.key === 'TopicTest@0')!;
    beat('held', {
      en: `consumer-1 pulled TopicTest queue 0 from offset ${held.data.offset}, but the queue is empty. The pull carries the suspend flag, so broker-a parked it in its hold table until ${held.data.timeoutMillis} ms from now instead of answering "nothing".`,
      zh: `consumer-1 从偏移 ${held.data.offset} 拉取 TopicTest 0 号队列，但队列为空。请求带有挂起标志，所以 broker-a 没有回复“没有消息”，而是把它放进挂起表，最多等待 ${held.data.timeoutMillis} ms。`,
    });
    const producer = await cluster.producer('pg', 'producer-1');
    await cluster.advance(7_000 - (cluster.now() - cluster.startMs - held.at));
    beat('still-held', {
      en: 'Seven seconds on, the pull is still parked: the hold service checked the queue at its 5 s tick, found nothing new, and kept holding. No empty answers went back and forth meanwhile.',
      zh: '7 秒过去了，这次拉取仍被挂起：挂起服务在 5 秒的定时检查时发现没有新消息，于是继续等待。这期间没有任何空结果来回传输。',
    });
    await cluster.settle(producer.send(Message.create('TopicTest', encodeUtf8('wake-up'))));
    await cluster.until(() => received === 1, 2_000);
    const woken = find('broker.pull.woken', 'broker-a').at(-1)!;
    beat('woken', {
      en: `producer-1 sent one message. As soon as the reput service wrote its consume-queue unit it announced the arrival, and the hold service woke the pull (reason: ${woken.data.reason}) after ${woken.data.heldMs} ms of waiting. The pull ran again and answered FOUND with the original request's opaque.`,
      zh: `producer-1 发送了一条消息。ReputMessageService 写完 ConsumeQueue 单元后立即通知消息到达，挂起服务在等待 ${woken.data.heldMs} ms 后唤醒了这次拉取（原因：${woken.data.reason}）。拉取重新执行，并用原请求的 opaque 返回 FOUND。`,
    });
    beat('consumed', {
      en: 'consumer-1 received the message one network round trip after it was stored, not 15 s later, and immediately sent its next pull, which is parked again.',
      zh: 'consumer-1 在消息存储后一个网络往返就收到了它，而不是 15 秒之后；随后它立即发出下一次拉取，又被挂起。',
    });
  },
};
