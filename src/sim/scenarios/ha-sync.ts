/**
 * Scenario `ha-sync`: a SYNC_MASTER waits for its slave, then learns to live without it.
 *
 * broker-a is a SYNC_MASTER and broker-a-s its slave (same brokerName, brokerId 1). The
 * slave finds its master through the name server's REGISTER_BROKER answer, connects to the
 * master's HA port (listenPort + 1) and copies its commit log byte for byte. producer-1
 * sends three messages, each under a different fault:
 *
 * ```
 *   m0  slave healthy      master appends ──► waits ──► slave acks ≥ end of m0 ──► SEND_OK
 *   m1  link cut           master appends ──► waits ... 5 s (syncFlushTimeout)  ──► FLUSH_SLAVE_TIMEOUT
 *   m2  slave crashed      master saw the reset, has no slave ──► at once       ──► SLAVE_NOT_AVAILABLE
 * ```
 *
 * In every case the message is in the master's commit log and consume queue: the three
 * statuses only say how many copies exist. The producer does not retry them (its
 * `retryAnotherBrokerWhenNotStoreOK` is off by default), since a retry would store a
 * second copy. producer-1 waits up to 10 s for an answer: with the default 3 s it would
 * time out before the master's 5 s wait (`syncFlushTimeout`) ends, as a Java client does.
 *
 * @article ha "SYNC_MASTER: waiting for the slave"
 * @category Sim
 * @module
 */
import { encodeUtf8 } from '../../common/bytes.js';
import { BrokerRole } from '../../common/config/message-store-config.js';
import { Message } from '../../common/message/message.js';
import type { Scenario } from '../scenario.js';

export const haSync: Scenario = {
  name: 'ha-sync',
  article: 'ha',
  seed: 29,
  title: { en: 'SYNC_MASTER: waiting for the slave, and going on without it', zh: 'SYNC_MASTER：等待 Slave 确认，以及失去 Slave 之后' },
  summary: {
    en: 'A SYNC_MASTER answers SEND_OK only after its slave acknowledged the bytes; with the link cut the send waits 5 s and gets FLUSH_SLAVE_TIMEOUT; with the slave dead it gets SLAVE_NOT_AVAILABLE at once. The message is stored on the master every time.',
    zh: 'SYNC_MASTER 要等 Slave 确认收到字节后才返回 SEND_OK；链路断开时发送等待 5 秒后得到 FLUSH_SLAVE_TIMEOUT；Slave 宕机时立刻得到 SLAVE_NOT_AVAILABLE。每一次消息都已存入 Master。',
  },
  async run({ cluster, beat, find }) {
    await cluster.startNamesrv();
    const master = await cluster.startBroker('broker-a', { storeConfig: { brokerRole: BrokerRole.SYNC_MASTER } });
    const slave = await cluster.startBroker('broker-a-s', { brokerConfig: { brokerName: 'broker-a', brokerId: 1 }, storeConfig: { brokerRole: BrokerRole.SLAVE } });
    await cluster.until(() => find('store.ha.slave-connected', 'broker-a').length > 0, 10_000);
    const learned = find('broker.slave.master-updated', 'broker-a-s')[0]!;
    const connected = find('store.ha.client-connected', 'broker-a-s')[0]!;
    beat('slave-connected', {
      en: `broker-a-s registered as brokerId 1 of broker-a. The name server's answer named the master (${learned.data.masterAddr ?? '?'}) and its HA address ${learned.data.haMasterAddress ?? '?'} (listen port + 1); the slave connected there and reported its commit log ends at ${connected.data.reportedOffset}.`,
      zh: `broker-a-s 以 brokerId 1 注册为 broker-a 的 Slave。NameServer 的应答告诉它 Master 的地址（${learned.data.masterAddr ?? '?'}）和 HA 地址 ${learned.data.haMasterAddress ?? '?'}（监听端口 + 1）；Slave 连上后报告自己的 CommitLog 结束于 ${connected.data.reportedOffset}。`,
    });
    await cluster.createTopic('TopicTest', 1);
    // The default sendMsgTimeout (3 s) is shorter than the broker's wait for the slave (5 s):
    // with it, m1 below would end in a client-side timeout before the broker's answer.
    const producer = await cluster.producer('pg', 'producer-1', { sendMsgTimeout: 10_000 });

    const sentAt = cluster.now();
    const r0 = await cluster.settle(producer.send(Message.create('TopicTest', encodeUtf8('m0'))));
    const appended0 = find('store.commitlog.appended', 'broker-a').at(-1)!;
    const ack0 = find('store.ha.acked', 'broker-a').find((e) => e.data.offset >= appended0.data.physOffset + appended0.data.size);
    beat('m0-synced', {
      en: `m0 went to physical offset ${appended0.data.physOffset} (${appended0.data.size} bytes) on the master, which then held the put: SYNC_MASTER answers only when a slave acks an offset at or past ${appended0.data.physOffset + appended0.data.size}. The slave appended the bytes at the same offset and acked ${ack0?.data.offset ?? '?'}; the producer got ${r0.sendStatus} ${cluster.now() - sentAt} ms after sending.`,
      zh: `m0 写入 Master 的物理偏移 ${appended0.data.physOffset}（${appended0.data.size} 字节），随后 Master 挂起这次写入：SYNC_MASTER 要等某个 Slave 确认的偏移达到或超过 ${appended0.data.physOffset + appended0.data.size} 才应答。Slave 在相同偏移处追加了这些字节并确认 ${ack0?.data.offset ?? '?'}；发送 ${cluster.now() - sentAt} ms 后生产者收到 ${r0.sendStatus}。`,
    });

    cluster.network.partition(master.ip, slave.ip);
    const cutAt = cluster.now();
    const r1 = await cluster.settle(producer.send(Message.create('TopicTest', encodeUtf8('m1'))));
    beat('m1-timeout', {
      en: `The network between master and slave was cut, but neither side has noticed: the connection looks open. m1 was appended at queue offset ${r1.queueOffset} and waited for an ack that never came; after syncFlushTimeout (5000 ms) the master answered ${r1.sendStatus}, ${cluster.now() - cutAt} ms after the send. The message is stored on the master, only not copied. (producer-1 waits up to 10 s; with the default sendMsgTimeout of 3 s it would have given up first.)`,
      zh: `Master 与 Slave 之间的网络被切断，但双方都还没有察觉：连接看上去仍然正常。m1 写入队列偏移 ${r1.queueOffset}，一直等待一个不会到来的确认；超过 syncFlushTimeout（5000 ms）后 Master 返回 ${r1.sendStatus}，距发送 ${cluster.now() - cutAt} ms。消息已存入 Master，只是没有副本。（producer-1 的超时设为 10 秒；若用默认的 3 秒 sendMsgTimeout，它会先一步超时放弃。）`,
    });

    cluster.crashBroker('broker-a-s');
    await cluster.until(() => find('store.ha.slave-disconnected', 'broker-a').length > 0, 5_000);
    const gone = find('store.ha.slave-disconnected', 'broker-a').at(-1)!;
    const r2 = await cluster.settle(producer.send(Message.create('TopicTest', encodeUtf8('m2'))));
    const decided = find('store.ha.sync-waited', 'broker-a').at(-1)!;
    beat('m2-no-slave', {
      en: `broker-a-s crashed; the master saw its HA connection reset (${gone.data.reason}) and now has ${gone.data.connections} slaves. m2 was stored at queue offset ${r2.queueOffset}, and this time the master did not wait at all: with no slave connected (rule: ${decided.why?.rule ?? '?'}) it answered ${r2.sendStatus} at once.`,
      zh: `broker-a-s 宕机；Master 发现 HA 连接被重置（${gone.data.reason}），现在连接的 Slave 数为 ${gone.data.connections}。m2 存入队列偏移 ${r2.queueOffset}，这一次 Master 完全没有等待：没有 Slave 连接（规则：${decided.why?.rule ?? '?'}），它立即返回 ${r2.sendStatus}。`,
    });
    const stored = master.controller.messageStore.getMaxOffsetInQueue('TopicTest', 0);
    beat('all-stored', {
      en: `TopicTest queue 0 on the master holds ${stored} messages: SEND_OK, FLUSH_SLAVE_TIMEOUT and SLAVE_NOT_AVAILABLE all mean "stored here". The producer did not resend m1 or m2 (retryAnotherBrokerWhenNotStoreOK is off), because that would store them twice.`,
      zh: `Master 上 TopicTest 0 号队列有 ${stored} 条消息：SEND_OK、FLUSH_SLAVE_TIMEOUT 和 SLAVE_NOT_AVAILABLE 都表示“已存在这里”。生产者没有重发 m1 和 m2（retryAnotherBrokerWhenNotStoreOK 默认关闭），因为重发会把它们存两份。`,
    });
  },
};
