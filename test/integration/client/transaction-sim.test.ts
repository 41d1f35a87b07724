// Transactions end to end on virtual time (real name server, broker and clients on
// SimNetwork): a TransactionMQProducer's half message stays invisible until a verdict;
// UNKNOW followed by COMMIT from the broker's check-back makes it visible only after the
// check; ROLLBACK (at once or from a check) never does; a producer that keeps answering
// UNKNOW is asked exactly transactionCheckMax (15) times, then the half message is
// discarded; COMMIT at once makes it visible right away at a new offset in the real topic;
// and a broker restart with open transactions loses none of them.
import { describe, expect, it } from 'vitest';
import { BrokerController } from '../../../src/broker/broker-controller.js';
import type { DefaultMQPushConsumer } from '../../../src/client/consumer/default-mq-push-consumer.js';
import { ConsumeConcurrentlyStatus } from '../../../src/client/consumer/listener/message-listener.js';
import type { LocalTransactionState } from '../../../src/client/producer/local-transaction-state.js';
import { TransactionMQProducer } from '../../../src/client/producer/transaction-mq-producer.js';
import type { BrokerConfig } from '../../../src/common/config/broker-config.js';
import { messageStoreConfigFor } from '../../../src/common/config/profiles.js';
import { decodeMessageId } from '../../../src/common/message/message-id.js';
import type { MessageExt } from '../../../src/common/message/message-ext.js';
import { Message } from '../../../src/common/message/message.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { bytes, heldQueues, NAMESRV, pushWorld, START, utf8 } from './push-sim-world.js';

type World = Awaited<ReturnType<typeof pushWorld>>;
type Verdict = LocalTransactionState | undefined;

const TOPIC = 'TopicTx';

/**
 * A transactional producer whose listener answers from two tables keyed by message body:
 * `first` for executeLocalTransaction, `checks` (a list, one answer per check) for
 * checkLocalTransaction. It records every check it is asked.
 */
async function txProducer(w: World, ip = '10.0.1.50') {
  const first = new Map<string, LocalTransactionState>();
  const checks = new Map<string, LocalTransactionState[]>();
  const asked: string[] = [];
  const producer = new TransactionMQProducer({
    platform: { clock: w.clock, random: new SeededRandom(99), fs: w.fs, transport: w.network.host(ip) },
    events: w.sink,
    node: 'tx-producer',
    producerGroup: 'tx-pg',
    namesrvAddr: NAMESRV,
    clientConfig: { clientIP: ip, pid: 200 },
    transactionListener: {
      executeLocalTransaction: (msg) => first.get(utf8(msg.body)) ?? 'UNKNOW',
      checkLocalTransaction: (msg) => {
        const body = utf8(msg.body);
        asked.push(body);
        return checks.get(body)?.shift() ?? 'UNKNOW';
      },
    },
  });
  await w.settle(producer.start());
  const send = (body: string, verdict: Verdict, later: LocalTransactionState[] = []) => {
    if (verdict !== undefined) first.set(body, verdict);
    checks.set(body, [...later]);
    return w.settle(producer.sendMessageInTransaction(Message.create(TOPIC, bytes(body), { tags: 'tx' }), body));
  };
  return { producer, send, asked };
}

/** A started push consumer of TOPIC that records what it is given (and when). */
async function recorder(w: World, node = 'consumer-1') {
  const seen: Array<{ body: string; at: number; msg: MessageExt }> = [];
  const consumer: DefaultMQPushConsumer = w.consumer(node, {
    consumerGroup: 'cg-tx',
    subscription: { [TOPIC]: '*' },
    messageListener: {
      consumeMessage: (msgs: readonly MessageExt[]) => {
        for (const msg of msgs) seen.push({ body: utf8(msg.body), at: w.clock.now(), msg });
        return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
      },
    },
  });
  await w.settle(consumer.start());
  await w.until(() => heldQueues(consumer, TOPIC).length === 1, 10_000);
  return { consumer, seen, bodies: () => seen.map((s) => s.body).sort() };
}

/** Replace broker-a by a new BrokerController on the same disk and host (a clean restart), with `config` overrides. */
async function restartBroker(w: World, config: Partial<BrokerConfig> = {}): Promise<BrokerController> {
  const old = w.brokers.get('broker-a')!;
  await w.settle(old.shutdown());
  const broker = new BrokerController({
    platform: { clock: w.clock, random: new SeededRandom(1234), fs: w.fs, transport: w.network.host('10.0.0.2') },
    events: w.sink,
    node: 'broker-a',
    brokerConfig: { brokerName: 'broker-a', brokerIP1: '10.0.0.2', namesrvAddr: NAMESRV, ...config },
    storeConfig: messageStoreConfigFor('teaching', { storePathRootDir: '/broker-a/store' }),
  });
  await w.settle(broker.start());
  w.brokers.set('broker-a', broker);
  return broker;
}

/** CHECK_TRANSACTION_STATE requests the broker sent for the half message with this UNIQ_KEY. */
const checksSent = (w: World, uniqKey: string) => w.sink.ofKind('broker.tx.check-sent').filter((e) => e.msg?.uniqKey === uniqKey && e.data.sent);

describe('TransactionMQProducer end to end (SimNetwork)', () => {
  it('defaults: UNKNOW, then COMMIT from the first check-back (about 60 s later) makes the message visible, not before', async () => {
    const w = await pushWorld();
    await w.createTopic(TOPIC, 1);
    const rec = await recorder(w);
    const { send, asked } = await txProducer(w);
    const sentAt = w.clock.now();
    const result = await send('order-1', 'UNKNOW', ['COMMIT_MESSAGE']);
    expect([result.sendStatus, result.localTransactionState]).toEqual(['SEND_OK', 'UNKNOW']);

    await w.clock.advance(30_000);
    expect(rec.seen).toEqual([]); // the half message is invisible, and no check yet
    expect(asked).toEqual([]);
    await w.until(() => rec.seen.length === 1, 120_000);
    const answered = w.sink.ofKind('client.tx.check-answered').filter((e) => e.data.uniqKey === result.msgId);
    expect(answered.map((e) => e.data.state)).toEqual(['COMMIT_MESSAGE']);
    expect(START + answered[0]!.at).toBeLessThanOrEqual(rec.seen[0]!.at); // visible only after the check was answered
    expect(w.sink.ofKind('broker.tx.ended').map((e) => [e.data.fromTransactionCheck, e.data.commitOrRollback, e.data.outcome])).toEqual([
      [false, 'unknown', 'ignored'], [true, 'commit', 'committed'],
    ]);
    expect(asked).toEqual(['order-1']);
    expect(rec.seen[0]!.at - sentAt).toBeGreaterThanOrEqual(6_000); // not before transactionTimeOut
    expect(rec.seen[0]!.msg.msgId).toBe(result.msgId);

    await w.clock.advance(180_000); // three more check rounds: the op record closed it
    expect(asked).toEqual(['order-1']);
    expect(checksSent(w, result.msgId)).toHaveLength(1);
    expect(rec.bodies()).toEqual(['order-1']);
    await w.settle(rec.consumer.shutdown());
    await w.shutdown();
  }, 60_000);

  it('ROLLBACK at once, or from a check-back after UNKNOW, is never visible', async () => {
    const w = await pushWorld();
    await w.createTopic(TOPIC, 1);
    const rec = await recorder(w);
    const { send, asked } = await txProducer(w);
    const atOnce = await send('rolled-back', 'ROLLBACK_MESSAGE');
    const later = await send('rolled-back-later', 'UNKNOW', ['ROLLBACK_MESSAGE']);
    const committed = await send('committed', 'COMMIT_MESSAGE');
    await w.clock.advance(200_000);
    expect(rec.bodies()).toEqual(['committed']);
    expect(asked).toEqual(['rolled-back-later']);
    expect(checksSent(w, atOnce.msgId)).toHaveLength(0);
    expect(checksSent(w, later.msgId)).toHaveLength(1);
    expect(checksSent(w, committed.msgId)).toHaveLength(0);
    await w.settle(rec.consumer.shutdown());
    await w.shutdown();
  }, 60_000);

  it('a producer that always answers UNKNOW is asked exactly 15 times, then the half message is discarded', async () => {
    const w = await pushWorld();
    await w.createTopic(TOPIC, 1);
    await restartBroker(w, { transactionCheckInterval: 5_000 }); // 15 rounds in about 80 s of virtual time instead of 15 min
    const rec = await recorder(w);
    const { send, asked } = await txProducer(w);
    const result = await send('never-decided', 'UNKNOW');
    await w.until(() => w.sink.ofKind('broker.tx.discarded').length === 1, 300_000);
    await w.clock.advance(60_000);
    expect(asked).toEqual(Array.from({ length: 15 }, () => 'never-decided'));
    const checks = checksSent(w, result.msgId);
    expect(checks.map((e) => e.data.checkTimes)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(checks.slice(1).map((e, i) => e.at - checks[i]!.at)).toEqual(Array(14).fill(5_000)); // one check per transactionCheckInterval
    expect(w.sink.ofKind('client.tx.end-sent').filter((e) => e.data.fromTransactionCheck).map((e) => e.data.commitOrRollback)).toEqual(Array(15).fill(0));
    expect(w.sink.ofKind('broker.tx.discarded')[0]!.data).toMatchObject({ reason: 'check-max', producerGroup: 'tx-pg' });
    expect(rec.seen).toEqual([]);
    await w.settle(rec.consumer.shutdown());
    await w.shutdown();
  }, 60_000);

  it('COMMIT at once is visible right away, as a COMMIT record at a new offset of the real topic', async () => {
    const w = await pushWorld();
    await w.createTopic(TOPIC, 1);
    const rec = await recorder(w);
    const { send } = await txProducer(w);
    await send('r1', 'ROLLBACK_MESSAGE');
    await send('r2', 'ROLLBACK_MESSAGE');
    const sentAt = w.clock.now();
    const result = await send('c1', 'COMMIT_MESSAGE');
    await w.until(() => rec.seen.length === 1, 5_000);
    expect(rec.seen[0]!.at - sentAt).toBeLessThan(1_000);
    const half = decodeMessageId(result.offsetMsgId)!;
    const got = rec.seen[0]!.msg;
    expect(result.queueOffset).toBe(2); // the half queue's offset: r1, r2, then c1
    expect(got.queueOffset).toBe(0); // the first message of the real topic
    expect(got.commitLogOffset).toBeGreaterThan(half.offset);
    expect([got.sysFlag & 0xc, got.preparedTransactionOffset, got.msgId, got.topic]).toEqual([8, half.offset, result.msgId, TOPIC]);
    expect(rec.bodies()).toEqual(['c1']);
    await w.settle(rec.consumer.shutdown());
    await w.shutdown();
  }, 60_000);

  it('a broker restart with open transactions loses none: the check-back after the restart resolves each', async () => {
    const w = await pushWorld();
    await w.createTopic(TOPIC, 1);
    const { send, asked } = await txProducer(w);
    await send('t1', 'UNKNOW', ['COMMIT_MESSAGE']);
    await send('t2', 'UNKNOW', ['ROLLBACK_MESSAGE']);
    await send('t3', 'UNKNOW', ['COMMIT_MESSAGE']);
    await w.clock.advance(1_000);
    expect(asked).toEqual([]);
    // A shorter check interval on the restarted broker (brokerConfig), so the check comes sooner.
    const restartedAt = w.clock.now();
    await restartBroker(w, { transactionCheckInterval: 20_000 });
    const rec = await recorder(w);
    await w.until(() => rec.seen.length === 2, 180_000);
    await w.clock.advance(120_000);
    expect(asked.sort()).toEqual(['t1', 't2', 't3']);
    expect(rec.bodies()).toEqual(['t1', 't3']);
    const ended = w.sink.ofKind('broker.tx.ended').filter((e) => e.data.fromTransactionCheck);
    expect(ended.map((e) => e.data.outcome).sort()).toEqual(['committed', 'committed', 'rolled-back']);
    expect(Math.min(...w.sink.ofKind('client.tx.check-answered').map((e) => e.at))).toBeLessThan(restartedAt - START + 60_000);
    await w.settle(rec.consumer.shutdown());
    await w.shutdown();
  }, 60_000);
});
