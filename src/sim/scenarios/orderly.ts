/**
 * Scenario `orderly`: messages of one order stay in order, even through a failure.
 *
 * The producer picks the queue with a selector (order id mod queue count), so all steps of
 * one order land in one queue. The orderly consumer locks each queue it is assigned at the
 * broker (LOCK_BATCH_MQ) before it pulls, and consumes a queue one batch at a time. When
 * the listener fails, the consumer does not send the message back (that would reorder it):
 * it suspends the queue for a second and retries the same message in place.
 *
 * ```
 *   order 1: created ──► paid ──► shipped      all to queue 1 (1 mod 2)
 *   order 2: created ──► paid ──► shipped      all to queue 0 (2 mod 2)
 *   consumer-1: LOCK_BATCH_MQ [q0, q1] ──► pull ──► "paid" of order 1 fails once
 *               ──► SUSPEND_CURRENT_QUEUE_A_MOMENT (1 s) ──► "paid" again ──► "shipped"
 * ```
 *
 * @article orderly "Ordered sending, queue locks and in-place retry"
 * @category Sim
 * @module
 */
import { ConsumeOrderlyStatus } from '../../client/consumer/listener/message-listener.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue-keyed-map.js';
import { decodeUtf8, encodeUtf8 } from '../../common/bytes.js';
import { Message } from '../../common/message/message.js';
import type { Scenario } from '../scenario.js';

export const orderly: Scenario = {
  name: 'orderly',
  article: 'orderly',
  real: true,
  seed: 29,
  title: { en: 'Ordered messages: selector, queue lock, in-place retry', zh: '顺序消息：队列选择、队列锁与原地重试' },
  summary: {
    en: 'Two orders of three steps each go to their own queue; an orderly consumer locks the queues, and when one step fails it retries that step in place so the order is never broken.',
    zh: '两个订单各三步，分别发往各自的队列；顺序消费者先锁定队列，某一步失败时原地重试这一步，顺序从不被打乱。',
  },
  async run({ cluster, beat, find }) {
    await cluster.startNamesrv();
    await cluster.startBroker('broker-a');
    await cluster.createTopic('OrderTopic', 2, { order: true });
    const producer = await cluster.producer('pg', 'producer-1');
    const byOrderId = { select: (mqs: readonly MessageQueue[], _msg: Message, arg: unknown) => mqs[(arg as number) % mqs.length] };
    for (const step of ['created', 'paid', 'shipped']) {
      for (const order of [1, 2]) await cluster.settle(producer.send(Message.create('OrderTopic', encodeUtf8(`order-${order}:${step}`)), byOrderId, order));
    }
    beat('sent', {
      en: 'producer-1 sent created, paid and shipped for orders 1 and 2, choosing the queue with order id mod 2: order 1 went to queue 1, order 2 to queue 0. Within a queue, offsets keep the sending order.',
      zh: 'producer-1 为订单 1 和 2 依次发送了 created、paid、shipped，用“订单号对 2 取模”选择队列：订单 1 进入 1 号队列，订单 2 进入 0 号队列。同一队列内，偏移保持发送顺序。',
    });
    const seen: string[] = [];
    let failedOnce = false;
    const consumer = cluster.pushConsumer('consumer-1', {
      consumerGroup: 'cg-orderly', subscription: { OrderTopic: '*' },
      messageListenerOrderly: {
        consumeMessage: (msgs) => {
          const body = decodeUtf8(msgs[0]!.body);
          seen.push(body);
          if (body === 'order-1:paid' && !failedOnce) {
            failedOnce = true;
            return ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT;
          }
          return ConsumeOrderlyStatus.SUCCESS;
        },
      },
    });
    await cluster.settle(consumer.start());
    const lockedQueues = (): string[] => [...new Set(find('client.queue.locked', 'consumer-1').flatMap((e) => e.data.mqs))].sort();
    await cluster.until(() => lockedQueues().length === 2, 5_000);
    beat('locked', {
      en: `Before pulling, consumer-1 locked its queues at broker-a with LOCK_BATCH_MQ: ${lockedQueues().join(', ')}. While it holds the lock (renewed every 20 s), no other member of cg-orderly may consume those queues.`,
      zh: `拉取之前，consumer-1 用 LOCK_BATCH_MQ 在 broker-a 上锁定了它的队列：${lockedQueues().join('、')}。在持有锁期间（每 20 秒续期），cg-orderly 的其他成员不能消费这些队列。`,
    });
    await cluster.until(() => seen.length === 7, 10_000);
    const order1 = seen.filter((s) => s.startsWith('order-1'));
    beat('retried', {
      en: `"paid" of order 1 failed once. Instead of sending it back to a retry topic, which would let "shipped" overtake it, the consumer suspended queue 1 for 1 s and gave it the same message again. Order 1 was seen as: ${order1.join(' → ')}.`,
      zh: `订单 1 的 "paid" 失败了一次。消费者没有把它发回重试 Topic（那样 "shipped" 会越过它），而是把 1 号队列暂停 1 秒后再次投递同一条消息。订单 1 的消费顺序：${order1.join(' → ')}。`,
    });
    beat('in-order', {
      en: `Every step of each order was consumed after the one before it: ${seen.join(', ')}. Order across queues is not kept, and does not need to be.`,
      zh: `每个订单的每一步都在前一步之后被消费：${seen.join('、')}。跨队列之间不保证顺序，也不需要。`,
    });
  },
};
