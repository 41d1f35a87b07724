/**
 * Scenario `tx-check`: a transaction whose outcome is unknown until the broker asks.
 *
 * A transactional send is two-phase. The producer first stores a half message: the broker
 * parks it in RMQ_SYS_TRANS_HALF_TOPIC, where no consumer looks. Then the producer runs its
 * local transaction and sends END_TRANSACTION with the verdict. Here the local transaction
 * answers UNKNOW (say, the database call timed out), so the message stays half. Every 60 s
 * the broker's check service looks for half messages older than 6 s without an op record,
 * and asks the producer group with CHECK_TRANSACTION_STATE; this time the producer answers
 * COMMIT, the broker writes the real message to TopicTest and an op record marking the half
 * as done.
 *
 * ```
 *   producer-1 ──half──► broker-a: RMQ_SYS_TRANS_HALF_TOPIC/0 unit 0      TopicTest/0: empty
 *   producer-1: executeLocalTransaction ──► UNKNOW ──END_TRANSACTION(0)──► broker-a: nothing to do
 *   t=60 s  check service: half #0 is 60 s old, no op ──► re-put as half #1 ──CHECK_TRANSACTION_STATE──► producer-1
 *   producer-1: checkLocalTransaction ──► COMMIT ──END_TRANSACTION(8)──► broker-a
 *           ──► TopicTest/0 unit 0 (type COMMIT)  +  RMQ_SYS_TRANS_OP_HALF_TOPIC/0 unit: tag "d", body "1"
 *   consumer-1 receives the message only now
 * ```
 *
 * @article transaction "Half messages and the check-back"
 * @category Sim
 * @module
 */
import { ConsumeConcurrentlyStatus } from '../../client/consumer/listener/message-listener.js';
import { LocalTransactionState } from '../../client/producer/local-transaction-state.js';
import { TransactionMQProducer } from '../../client/producer/transaction-mq-producer.js';
import { decodeUtf8, encodeUtf8 } from '../../common/bytes.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import { Message } from '../../common/message/message.js';
import type { Scenario } from '../scenario.js';

export const txCheck: Scenario = {
  name: 'tx-check',
  article: 'transaction',
  seed: 30,
  title: { en: 'Transaction: UNKNOW, then COMMIT on check-back', zh: '事务消息：先 UNKNOW，回查时 COMMIT' },
  summary: {
    en: 'A transactional message whose local transaction answers UNKNOW stays invisible as a half message until the broker\'s check-back gets COMMIT from the producer.',
    zh: '一条事务消息的本地事务返回 UNKNOW，它以半消息的形式保持不可见，直到 Broker 回查时生产者回答 COMMIT。',
  },
  async run({ cluster, beat, find }) {
    await cluster.startNamesrv();
    await cluster.startBroker('broker-a');
    await cluster.createTopic('TopicTest', 1);
    const received: string[] = [];
    const consumer = cluster.pushConsumer('consumer-1', {
      consumerGroup: 'cg', subscription: { TopicTest: '*' },
      messageListener: { consumeMessage: (msgs: readonly MessageExt[]) => (received.push(...msgs.map((m) => decodeUtf8(m.body))), ConsumeConcurrentlyStatus.CONSUME_SUCCESS) },
    });
    await cluster.settle(consumer.start());

    const host = cluster.clientHost();
    const producer = cluster.track(new TransactionMQProducer({
      platform: host.platform, events: cluster.sink, node: 'producer-1', producerGroup: 'tx-pg', namesrvAddr: cluster.namesrvAddr,
      clientConfig: { clientIP: host.ip, pid: 100 },
      transactionListener: {
        executeLocalTransaction: () => LocalTransactionState.UNKNOW,
        checkLocalTransaction: () => LocalTransactionState.COMMIT_MESSAGE,
      },
    }), 'producer-1', 'producer');
    await cluster.settle(producer.start());
    const result = await cluster.settle(producer.sendMessageInTransaction(Message.create('TopicTest', encodeUtf8('order-paid'), { tags: 'TagA' })));
    const half = find('broker.tx.half-stored', 'broker-a')[0]!;
    beat('half', {
      en: `producer-1 sent a half message. broker-a rewrote its topic to RMQ_SYS_TRANS_HALF_TOPIC (keeping TopicTest in REAL_TOPIC) and stored it at half-queue offset ${half.data.halfQueueOffset}, commit-log offset ${half.data.commitLogOffset}. No consumer subscribes to that topic, so the message is invisible.`,
      zh: `producer-1 发送了半消息。broker-a 把它的 Topic 改写为 RMQ_SYS_TRANS_HALF_TOPIC（原 Topic TopicTest 保存在 REAL_TOPIC 属性中），存在半消息队列偏移 ${half.data.halfQueueOffset}、CommitLog 偏移 ${half.data.commitLogOffset}。没有消费者订阅这个 Topic，所以消息不可见。`,
    });
    beat('unknown', {
      en: `The local transaction answered ${result.localTransactionState}: producer-1 sent END_TRANSACTION one-way with commitOrRollback 0, and the broker did nothing. TopicTest queue 0 is still empty; the half message waits.`,
      zh: `本地事务返回 ${result.localTransactionState}：producer-1 以单向方式发送了 commitOrRollback 为 0 的 END_TRANSACTION，Broker 什么也没做。TopicTest 0 号队列仍为空；半消息继续等待。`,
    });
    await cluster.until(() => find('client.tx.check-answered', 'producer-1').length > 0, 70_000);
    const check = find('broker.tx.check-sent', 'broker-a')[0]!;
    beat('checked', {
      en: `${Math.round((check.at - half.at) / 1000)} s after the half message was stored, the check service's round found it older than the 6 s transaction timeout with no op record. It re-put the half message at the tail of the half queue (offset ${check.data.halfQueueOffset}, check ${check.data.checkTimes} of at most 15) and sent CHECK_TRANSACTION_STATE to producer-1.`,
      zh: `半消息存储 ${Math.round((check.at - half.at) / 1000)} 秒后，回查服务的定时扫描发现它已超过 6 秒的事务超时且没有 op 记录。它把半消息重新追加到半消息队列末尾（偏移 ${check.data.halfQueueOffset}，第 ${check.data.checkTimes} 次回查，最多 15 次），并向 producer-1 发送 CHECK_TRANSACTION_STATE。`,
    });
    await cluster.until(() => received.length === 1, 5_000);
    const ended = find('broker.tx.ended', 'broker-a').at(-1)!;
    const op = find('broker.tx.op-written', 'broker-a').at(-1);
    beat('committed', {
      en: `producer-1's checkLocalTransaction answered COMMIT. broker-a stored the real message on ${ended.data.realTopic ?? 'TopicTest'} at queue offset ${ended.data.commitQueueOffset ?? '?'}, commit-log offset ${ended.data.commitPhysOffset ?? '?'} (a new record of type COMMIT), and wrote an op record (tag "d", body "${op?.data.halfQueueOffset ?? '?'}") so no later round checks this half message again.`,
      zh: `producer-1 的 checkLocalTransaction 返回 COMMIT。broker-a 把真实消息存到 ${ended.data.realTopic ?? 'TopicTest'} 的队列偏移 ${ended.data.commitQueueOffset ?? '?'}、CommitLog 偏移 ${ended.data.commitPhysOffset ?? '?'}（一条类型为 COMMIT 的新记录），并写了一条 op 记录（tag "d"，消息体 "${op?.data.halfQueueOffset ?? '?'}"），之后的扫描不会再回查这条半消息。`,
    });
    beat('consumed', {
      en: `Only now did consumer-1 receive "${received[0]}". Between the half send and the check, the message existed on disk twice over (two half records) but was visible to no consumer.`,
      zh: `直到此刻 consumer-1 才收到 "${received[0]}"。从发送半消息到回查完成，这条消息已在磁盘上存了两份（两条半消息记录），但对任何消费者都不可见。`,
    });
  },
};
