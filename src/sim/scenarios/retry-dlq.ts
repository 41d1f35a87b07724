/**
 * Scenario `retry-dlq`: a message that always fails, from retry to dead letter.
 *
 * A concurrent push consumer answers RECONSUME_LATER. It hands the message back
 * (CONSUMER_SEND_MSG_BACK with delay level 0); the broker copies it to its group's retry
 * topic with one more reconsume count and level 3 + reconsumeTimes; because of the DELAY
 * property the store parks the copy in SCHEDULE_TOPIC_XXXX queue level − 1; when it is due
 * the schedule service stores it on %RETRY%cg, which the consumer subscribed to on its own.
 * With `maxReconsumeTimes` 2, the third failure sends it to %DLQ%cg instead, a write-only
 * topic nobody consumes.
 *
 * ```
 *   TopicTest ──fail(0)──► SCHEDULE q2 ──10 s──► %RETRY%cg ──fail(1)──► SCHEDULE q3 ──30 s──► %RETRY%cg ──fail(2)──► %DLQ%cg
 *   one UNIQ_KEY throughout; reconsumeTimes 0, 1, 2 at the three deliveries
 * ```
 *
 * @article schedule-retry "Consumer retries and the dead-letter queue"
 * @category Sim
 * @module
 */
import { ConsumeConcurrentlyStatus } from '../../client/consumer/listener/message-listener.js';
import { encodeUtf8 } from '../../common/bytes.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import { Message } from '../../common/message/message.js';
import type { Scenario } from '../scenario.js';

export const retryDlq: Scenario = {
  name: 'retry-dlq',
  article: 'schedule-retry',
  seed: 31,
  title: { en: 'Retry, schedule, dead letter', zh: '重试、定时与死信' },
  summary: {
    en: 'A listener that always fails: follow one message from TopicTest through SCHEDULE_TOPIC_XXXX and %RETRY%cg twice, then into %DLQ%cg, with maxReconsumeTimes 2.',
    zh: '一个总是失败的监听器：跟随一条消息从 TopicTest 经过两次 SCHEDULE_TOPIC_XXXX 和 %RETRY%cg，最后进入 %DLQ%cg（maxReconsumeTimes 为 2）。',
  },
  async run({ cluster, beat, find }) {
    await cluster.startNamesrv();
    await cluster.startBroker('broker-a');
    await cluster.createTopic('TopicTest', 1);
    const deliveries: Array<{ topic: string; reconsumeTimes: number; at: number }> = [];
    const consumer = cluster.pushConsumer('consumer-1', {
      consumerGroup: 'cg', subscription: { TopicTest: '*' }, maxReconsumeTimes: 2,
      messageListener: {
        consumeMessage: (msgs: readonly MessageExt[]) => {
          for (const m of msgs) deliveries.push({ topic: m.topic, reconsumeTimes: m.reconsumeTimes, at: cluster.now() - cluster.startMs });
          return ConsumeConcurrentlyStatus.RECONSUME_LATER;
        },
      },
    });
    await cluster.settle(consumer.start());
    const producer = await cluster.producer('pg', 'producer-1');
    const sent = await cluster.settle(producer.send(Message.create('TopicTest', encodeUtf8('always-fails'), { tags: 'TagA' })));
    await cluster.until(() => deliveries.length === 1, 5_000);
    await cluster.until(() => find('broker.retry.decided', 'broker-a').length === 1, 5_000);
    const first = find('broker.retry.decided', 'broker-a')[0]!;
    const parked = find('store.commitlog.appended', 'broker-a').filter((e) => e.data.topic === 'SCHEDULE_TOPIC_XXXX');
    beat('sent-back', {
      en: `consumer-1 received ${sent.msgId} (reconsumeTimes 0) and its listener answered RECONSUME_LATER. It sent the message back; broker-a chose delay level ${first.data.delayLevel} (3 + reconsumeTimes), so the copy, now bound for %RETRY%cg with reconsumeTimes 1, was parked in SCHEDULE_TOPIC_XXXX queue ${parked[0]?.data.queueId ?? '?'}.`,
      zh: `consumer-1 收到 ${sent.msgId}（重试次数 0），监听器返回 RECONSUME_LATER。消费者把消息发回 Broker；broker-a 选择延迟级别 ${first.data.delayLevel}（3 + 重试次数），于是这份副本（目标 %RETRY%cg，重试次数 1）被放进 SCHEDULE_TOPIC_XXXX 的 ${parked[0]?.data.queueId ?? '?'} 号队列。`,
    });
    await cluster.until(() => deliveries.length === 2, 20_000);
    const due = find('store.schedule.delivered', 'broker-a')[0]!;
    beat('first-retry', {
      en: `${due.data.delayMs / 1000} s later the schedule service found it due, stored it on ${due.data.realTopic} queue ${due.data.realQueueId} at offset ${due.data.queueOffset}, and consumer-1, subscribed to %RETRY%cg since it started, got it again with reconsumeTimes ${deliveries[1]!.reconsumeTimes}. It failed again: level 4 this time.`,
      zh: `${due.data.delayMs / 1000} 秒后定时服务发现它到期，把它存到 ${due.data.realTopic} 的 ${due.data.realQueueId} 号队列偏移 ${due.data.queueOffset}；consumer-1 从启动起就订阅了 %RETRY%cg，于是以重试次数 ${deliveries[1]!.reconsumeTimes} 再次收到它。它又失败了：这次是级别 4。`,
    });
    await cluster.until(() => find('broker.message.dead-lettered', 'broker-a').length === 1, 60_000);
    const last = find('broker.retry.decided', 'broker-a').at(-1)!;
    beat('second-retry', {
      en: `After 30 s (level 4) it came back with reconsumeTimes ${deliveries[2]?.reconsumeTimes ?? '?'} and failed a third time. Now reconsumeTimes ${last.data.reconsumeTimes} ≥ maxReconsumeTimes ${last.data.maxReconsumeTimes}, so broker-a decided "${last.data.outcome}".`,
      zh: `30 秒（级别 4）后它以重试次数 ${deliveries[2]?.reconsumeTimes ?? '?'} 回来，第三次失败。此时重试次数 ${last.data.reconsumeTimes} ≥ maxReconsumeTimes ${last.data.maxReconsumeTimes}，broker-a 决定 "${last.data.outcome}"。`,
    });
    const dlq = find('broker.message.dead-lettered', 'broker-a')[0]!;
    beat('dead-lettered', {
      en: `The message is now in ${dlq.data.dlqTopic}${dlq.data.created ? ', created just now with 1 queue and perm 2 (write only)' : ''}. No consumer reads it unless an operator changes that; the UNIQ_KEY ${sent.msgId} was the same at every hop.`,
      zh: `消息现在位于 ${dlq.data.dlqTopic}${dlq.data.created ? '（刚刚创建，1 个队列，权限 2 即只写）' : ''}。除非运维修改权限，否则没有消费者会读它；UNIQ_KEY ${sent.msgId} 在每一跳都保持不变。`,
    });
  },
};
