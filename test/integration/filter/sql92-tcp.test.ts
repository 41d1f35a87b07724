// SQL92 filtering end to end over real TCP (in-process name server and broker from
// compat-support.ts, with enablePropertyFilter switched on): our push consumer, our lite pull
// consumer and ali-ons 3.12.0 each receive exactly the messages whose properties match the
// expression, and the broker never sends them a non-matching record (counted from the pull
// bodies, and shown with a raw PULL_MESSAGE). A bad expression is refused with
// SUBSCRIPTION_PARSE_FAILED at CHECK_CLIENT_CONFIG and at a pull that carries it; a broker
// with enablePropertyFilter=false refuses SQL92 with Java's SYSTEM_ERROR remark.
// Method: one cluster for the file, 200 messages with varied properties in a 4-queue topic;
// every wait polls until the queues are drained (never a fixed sleep).
import { Consumer, Message as OnsMessage, Producer as OnsProducer } from 'ali-ons';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsumeConcurrentlyStatus } from '../../../src/client/consumer/listener/message-listener.js';
import { MessageSelector } from '../../../src/client/consumer/message-selector.js';
import { MQClientError } from '../../../src/client/errors.js';
import { encodeUtf8 } from '../../../src/common/bytes.js';
import { decodeMessages } from '../../../src/common/message/message-decoder.js';
import { Message } from '../../../src/common/message/message.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { RecordingSink } from '../../../src/events/event-sink.js';
import { SystemClock } from '../../../src/platform/system-clock.js';
import { createRequestCommand } from '../../../src/remoting/remoting-command.js';
import { waitFor } from '../cli/cli-support.js';
import { startCluster, type Cluster } from '../compat/compat-support.js';
import { closeAll, newLiteConsumer, newProducer, newPushConsumer } from '../client/acceptance-support.js';

const TOPIC = 'SqlTcp';
const QUEUES = 4;
const TOTAL = 200;
const EXPRESSION = "region IN ('eu', 'ap') AND price > 20";
const REGIONS = ['eu', 'us', 'ap']; // 3 regions over 4 queues: every queue holds each region

/** Message i's properties: region cycles, price = i mod 50, every 7th has no price at all. */
function propertiesOf(i: number): Record<string, string> {
  return { region: REGIONS[i % REGIONS.length]!, ...(i % 7 === 0 ? {} : { price: String(i % 50) }) };
}
/** The bodies that match EXPRESSION, computed here from the same rule. */
const EXPECTED = Array.from({ length: TOTAL }, (_, i) => i)
  .filter((i) => { const p = propertiesOf(i); return (p.region === 'eu' || p.region === 'ap') && p.price !== undefined && Number(p.price) > 20; })
  .map((i) => `sql-${i}`)
  .sort();

describe('SQL92 filtering over TCP', () => {
  let cluster: Cluster;
  const clients: Array<{ shutdown(): Promise<void> }> = [];
  const onsClients: Array<{ close(): Promise<void> }> = [];
  const maxOffsets = new Map<number, number>();

  beforeAll(async () => {
    cluster = await startCluster();
    cluster.broker.brokerConfig.enablePropertyFilter = true; // read per request by the processors
    await cluster.createTopic(TOPIC, QUEUES);
    const producer = newProducer(cluster, 'PG_sql');
    clients.push(producer);
    await producer.start();
    for (let i = 0; i < TOTAL; i++) {
      const msg = Message.create(TOPIC, encodeUtf8(`sql-${i}`), { tags: i % 2 === 0 ? 'TagA' : 'TagB' });
      for (const [k, v] of Object.entries(propertiesOf(i))) msg.putUserProperty(k, v);
      await producer.send(msg, { topic: TOPIC, brokerName: 'broker-a', queueId: i % QUEUES });
    }
    for (let q = 0; q < QUEUES; q++) maxOffsets.set(q, TOTAL / QUEUES);
    const maxOffset = async (queueId: number) => (await cluster.call(cluster.brokerAddr, RequestCode.GET_MAX_OFFSET, { topic: TOPIC, queueId })).extFields?.['offset'];
    await waitFor(async () => (await Promise.all([0, 1, 2, 3].map(maxOffset))).every((o) => o === String(TOTAL / QUEUES)), 'every message in the consume queues');
  }, 60_000);

  afterAll(async () => {
    for (const c of onsClients.reverse()) await c.close().catch(() => undefined);
    await OnsProducer.defaultProducer?.close().catch(() => undefined);
    OnsProducer.defaultProducer = null;
    await closeAll(clients);
    await cluster?.close();
  });

  it('a push consumer subscribed with MessageSelector.bySql receives exactly the matching messages; no pull body holds another', async () => {
    const sink = new RecordingSink(new SystemClock({ unref: true }), (kind) => kind === 'client.pull.received');
    const received: string[] = [];
    const consumer = newPushConsumer(cluster, 'CG_sql_push', 'sql-push', { consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', events: sink });
    consumer.subscribe(TOPIC, MessageSelector.bySql(EXPRESSION));
    consumer.registerMessageListener({
      consumeMessage: (msgs) => {
        for (const msg of msgs) received.push(new TextDecoder().decode(msg.body));
        return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
      },
    });
    clients.push(consumer);
    await consumer.start();
    const pulls = () => sink.ofKind('client.pull.received').filter((e) => e.data.mq.startsWith(`${TOPIC}@`));
    const drained = () => [0, 1, 2, 3].every((q) => pulls().some((e) => e.data.mq.endsWith(`@${q}`) && e.data.nextBeginOffset === maxOffsets.get(q)));
    await waitFor(() => drained() && received.length >= EXPECTED.length, `all queues read (got ${received.length} of ${EXPECTED.length})`, 30_000);
    expect([...received].sort()).toEqual(EXPECTED);
    // The broker did the filtering: the pull bodies held exactly the matching records.
    expect(pulls().reduce((n, e) => n + e.data.decoded, 0)).toBe(EXPECTED.length);
    expect(cluster.broker.consumerFilterManager.get(TOPIC, 'CG_sql_push')?.expression).toBe(EXPRESSION);
  }, 60_000);

  it('a lite pull consumer subscribed with MessageSelector.bySql polls exactly the matching messages', async () => {
    const consumer = newLiteConsumer(cluster, 'CG_sql_lite', 'sql-lite', { consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    clients.push(consumer);
    await consumer.subscribe(TOPIC, MessageSelector.bySql(EXPRESSION));
    await consumer.start();
    const got: string[] = [];
    for (let i = 0; i < 200 && got.length < EXPECTED.length; i++) got.push(...(await consumer.poll(1000)).map((m) => new TextDecoder().decode(m.body)));
    expect(got.sort()).toEqual(EXPECTED);
    expect(await consumer.poll(300)).toEqual([]);
  }, 60_000);

  it('a raw PULL_MESSAGE carrying the SQL92 subscription gets only matching records, and moves past the rest', async () => {
    const pull = await cluster.call(cluster.brokerAddr, RequestCode.PULL_MESSAGE, {
      consumerGroup: 'CG_sql_raw', topic: TOPIC, queueId: 1, queueOffset: 0, maxMsgNums: 64,
      sysFlag: 4, commitOffset: 0, suspendTimeoutMillis: 0, subscription: EXPRESSION, subVersion: Date.now(), expressionType: 'SQL92',
    });
    expect(pull.code).toBe(ResponseCode.SUCCESS);
    const messages = decodeMessages(pull.body!);
    const expectedInQueue = EXPECTED.filter((body) => Number(body.slice(4)) % QUEUES === 1);
    expect(messages.map((m) => new TextDecoder().decode(m.body)).sort()).toEqual(expectedInQueue);
    for (const m of messages) {
      expect(['eu', 'ap']).toContain(m.getProperty('region'));
      expect(Number(m.getProperty('price'))).toBeGreaterThan(20);
    }
    expect(pull.extFields?.['nextBeginOffset']).toBe(String(TOTAL / QUEUES));
  });

  it('a bad expression gets SUBSCRIPTION_PARSE_FAILED with the compiler\'s message at CHECK_CLIENT_CONFIG, at a pull, and fails a consumer\'s start', async () => {
    const bad = "region = 'eu' AND";
    const check = createRequestCommand(RequestCode.CHECK_CLIENT_CONFIG);
    check.body = encodeUtf8(JSON.stringify({ clientId: 'raw', group: 'CG_sql_bad', subscriptionData: { topic: TOPIC, subString: bad, expressionType: 'SQL92' } }));
    const checked = await cluster.admin.invokeSync(cluster.brokerAddr, check, 5000);
    expect(checked.code).toBe(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
    expect(checked.remark?.length).toBeGreaterThan(0);

    const pull = await cluster.call(cluster.brokerAddr, RequestCode.PULL_MESSAGE, {
      consumerGroup: 'CG_sql_bad', topic: TOPIC, queueId: 0, queueOffset: 0, maxMsgNums: 32,
      sysFlag: 4, commitOffset: 0, suspendTimeoutMillis: 0, subscription: bad, subVersion: Date.now(), expressionType: 'SQL92',
    });
    expect(pull.code).toBe(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
    expect(pull.remark).toContain("parse the consumer's subscription failed");
    expect(pull.remark).toContain(checked.remark);

    const consumer = newPushConsumer(cluster, 'CG_sql_bad', 'sql-bad');
    consumer.subscribe(TOPIC, MessageSelector.bySql(bad));
    consumer.registerMessageListener({ consumeMessage: () => ConsumeConcurrentlyStatus.CONSUME_SUCCESS });
    clients.push(consumer);
    const failure = await consumer.start().then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(MQClientError);
    expect((failure as MQClientError).responseCode).toBe(ResponseCode.SUBSCRIPTION_PARSE_FAILED);
  });

  it('with enablePropertyFilter=false the broker refuses SQL92 at CHECK_CLIENT_CONFIG and at pulls (SYSTEM_ERROR, Java\'s remark)', async () => {
    cluster.broker.brokerConfig.enablePropertyFilter = false;
    try {
      const check = createRequestCommand(RequestCode.CHECK_CLIENT_CONFIG);
      check.body = encodeUtf8(JSON.stringify({ clientId: 'raw', group: 'CG_sql_off', subscriptionData: { topic: TOPIC, subString: EXPRESSION, expressionType: 'SQL92' } }));
      const checked = await cluster.admin.invokeSync(cluster.brokerAddr, check, 5000);
      const remark = 'The broker does not support consumer to filter message by SQL92';
      expect([checked.code, checked.remark]).toEqual([ResponseCode.SYSTEM_ERROR, remark]);
      const pull = await cluster.call(cluster.brokerAddr, RequestCode.PULL_MESSAGE, {
        consumerGroup: 'CG_sql_off', topic: TOPIC, queueId: 0, queueOffset: 0, maxMsgNums: 32,
        sysFlag: 4, commitOffset: 0, suspendTimeoutMillis: 0, subscription: EXPRESSION, subVersion: Date.now(), expressionType: 'SQL92',
      });
      expect([pull.code, pull.remark]).toEqual([ResponseCode.SYSTEM_ERROR, remark]);
    } finally {
      cluster.broker.brokerConfig.enablePropertyFilter = true;
    }
  });

  it('an ali-ons consumer subscribed with {expressionType: "SQL92"} receives exactly the matching messages', async () => {
    const received: OnsMessage[] = [];
    const group = 'CG_sql_ons';
    const consumer = new Consumer({ ...cluster.clientOptions('sql-ons'), consumerGroup: group, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    consumer.on('error', (error) => cluster.clientLog.push(`consumer sql-ons: ${error.message}`));
    onsClients.push(consumer);
    // ali-ons takes an object for a non-TAG subscription (its declaration file only knows strings).
    const subscribe = consumer.subscribe.bind(consumer) as unknown as (topic: string, sub: { expressionType: string; subString: string }, handler: (msg: OnsMessage) => Promise<unknown>) => void;
    subscribe(TOPIC, { expressionType: 'SQL92', subString: EXPRESSION }, async (msg) => {
      received.push(msg);
    });
    // ali-ons moves its offset past a non-matching tail only when a held pull times out, so wait
    // for the offsets to pass the last matching message of each queue (message i is queue i % 4, offset i / 4).
    const lastMatch = (q: number) => Math.max(...EXPECTED.map((b) => Number(b.slice(4))).filter((i) => i % QUEUES === q).map((i) => Math.floor(i / QUEUES)));
    const committed = () => [0, 1, 2, 3].every((q) => cluster.broker.consumerOffsetManager.queryOffset(group, TOPIC, q) > lastMatch(q));
    await waitFor(() => received.length >= EXPECTED.length && committed(), `ali-ons to read every queue (got ${received.length} of ${EXPECTED.length})`, 45_000);
    expect(received.map((m) => m.body.toString('utf8')).sort()).toEqual(EXPECTED);
  }, 60_000);
});
