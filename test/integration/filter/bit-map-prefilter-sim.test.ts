// The bloom pre-filter through a whole simulated cluster (virtual time): a broker with
// enablePropertyFilter, enableCalcFilterBitMap and enableConsumeQueueExt, and a push consumer
// subscribed with MessageSelector.bySql.
//
// Goal: the BrokerController wires the CalcBitMap dispatcher, the store writes ext units, and
// the pulls of the consumer test bits instead of reading every record. Method: the consumer
// subscribes first (its heartbeat registers the filter), then the producer sends; the
// `broker.filter.applied` summaries of the pulls count the units whose bits were tested and
// the records read for the SQL check. Options off: the same consumer gets the same messages,
// every record is read, and no ext directory exists.
import { describe, expect, it } from 'vitest';
import { BrokerController } from '../../../src/broker/broker-controller.js';
import { ConsumeConcurrentlyStatus } from '../../../src/client/consumer/listener/message-listener.js';
import { DefaultMQPushConsumer } from '../../../src/client/consumer/default-mq-push-consumer.js';
import { MessageSelector } from '../../../src/client/consumer/message-selector.js';
import { DefaultMQProducer } from '../../../src/client/producer/default-mq-producer.js';
import { messageStoreConfigFor } from '../../../src/common/config/profiles.js';
import { Message } from '../../../src/common/message/message.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { NodeEvents, RecordingSink } from '../../../src/events/event-sink.js';
import { NamesrvController } from '../../../src/namesrv/namesrv-controller.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../src/platform/sim/memory-file-system.js';
import { SimNetwork } from '../../../src/platform/sim/sim-network.js';
import { RemotingClient } from '../../../src/remoting/remoting-client.js';
import { createRequestCommand } from '../../../src/remoting/remoting-command.js';
import { DefaultMessageStore } from '../../../src/store/default-message-store.js';
import { CommitLogDispatcherCalcBitMap } from '../../../src/broker/filter/commit-log-dispatcher-calc-bit-map.js';

const NAMESRV = '10.0.0.1:9876';
const BROKER = '10.0.0.2:10911';
const TOPIC = 'SqlBits';
const TOTAL = 40;
const EXPRESSION = "region = 'eu' AND price > 20";

function propertiesOf(i: number): Record<string, string> {
  return { region: ['eu', 'us', 'ap'][i % 3]!, price: String((i * 7) % 50) };
}
const EXPECTED = Array.from({ length: TOTAL }, (_, i) => i)
  .filter((i) => propertiesOf(i).region === 'eu' && Number(propertiesOf(i).price) > 20)
  .map((i) => `m${i}`);

async function run(bitMaps: boolean) {
  const clock = new ManualClock(1_700_000_000_000);
  const sink = new RecordingSink(clock);
  const random = new SeededRandom(3);
  const network = new SimNetwork({ clock, random });
  const fs = new MemoryFileSystem();
  const settle = async <T>(promise: Promise<T>): Promise<T> => {
    let done: { value: T } | undefined;
    let failed: { error: unknown } | undefined;
    promise.then((value) => (done = { value }), (error: unknown) => (failed = { error }));
    await clock.runUntil(() => done !== undefined || failed !== undefined, 60_000);
    if (failed !== undefined) throw failed.error;
    return done!.value;
  };
  const namesrv = new NamesrvController({ platform: { clock, random, fs, transport: network.host('10.0.0.1') }, events: sink, node: 'namesrv-1' });
  await namesrv.start(NAMESRV);
  const broker = new BrokerController({
    platform: { clock, random: random.fork(), fs, transport: network.host('10.0.0.2') },
    events: sink,
    node: 'broker-a',
    brokerConfig: { brokerName: 'broker-a', brokerIP1: '10.0.0.2', namesrvAddr: NAMESRV, enablePropertyFilter: true, enableCalcFilterBitMap: bitMaps },
    storeConfig: messageStoreConfigFor('teaching', {
      storePathRootDir: '/broker-a/store', enableConsumeQueueExt: bitMaps, mappedFileSizeConsumeQueueExt: 4096,
      mappedFileSizeConsumeQueue: 100 * 20, consumeQueueWriteBufferBytes: 100 * 20,
    }),
  });
  await settle(broker.start());
  const admin = new RemotingClient({ transport: network.host('10.0.0.9'), clock, events: new NodeEvents(sink, 'admin') });
  const create = createRequestCommand(RequestCode.UPDATE_AND_CREATE_TOPIC, {
    topic: TOPIC, defaultTopic: 'TBW102', readQueueNums: 1, writeQueueNums: 1, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false,
  });
  expect((await settle(admin.invokeSync(BROKER, create, 3000))).code).toBe(ResponseCode.SUCCESS);
  await clock.advance(1000); // the route reaches the name server

  const received: string[] = [];
  const consumer = new DefaultMQPushConsumer({
    platform: { clock, random: random.fork(), fs, transport: network.host('10.0.1.10') }, events: sink, node: 'consumer-1',
    consumerGroup: 'CG_bits', namesrvAddr: NAMESRV, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', clientConfig: { clientIP: '10.0.1.10', pid: 1 },
  });
  consumer.subscribe(TOPIC, MessageSelector.bySql(EXPRESSION));
  consumer.registerMessageListener({
    consumeMessage: (msgs) => {
      for (const msg of msgs) received.push(new TextDecoder().decode(msg.body));
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    },
  });
  await settle(consumer.start());
  await clock.runUntil(() => broker.consumerFilterManager.get(TOPIC, 'CG_bits') !== undefined, 60_000);
  await clock.advance(10); // messages stored after the filter was born carry its bits

  const producer = new DefaultMQProducer({
    platform: { clock, random: random.fork(), fs, transport: network.host('10.0.1.20') }, events: sink, node: 'producer-1',
    producerGroup: 'PG_bits', namesrvAddr: NAMESRV, clientConfig: { clientIP: '10.0.1.20', pid: 100 },
  });
  await settle(producer.start());
  for (let i = 0; i < TOTAL; i++) {
    const msg = Message.create(TOPIC, new TextEncoder().encode(`m${i}`));
    for (const [k, v] of Object.entries(propertiesOf(i))) msg.putUserProperty(k, v);
    await settle(producer.send(msg));
  }
  await clock.runUntil(() => received.length >= EXPECTED.length, 120_000);
  await clock.advance(5000); // let any further pull come back empty
  const applied = sink.ofKind('broker.filter.applied').filter((e) => e.data.topic === TOPIC);
  const sum = (key: 'cqChecked' | 'bitMapChecked' | 'bitMapHit' | 'commitLogChecked') => applied.reduce((n, e) => n + e.data[key], 0);
  const result = {
    received: [...received].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))),
    cqChecked: sum('cqChecked'), bitMapChecked: sum('bitMapChecked'), bitMapHit: sum('bitMapHit'), commitLogChecked: sum('commitLogChecked'),
    extDir: fs.exists(`/broker-a/store/consumequeue_ext/${TOPIC}/0`),
    firstDispatcher: (broker.messageStore as DefaultMessageStore).dispatcherList[0],
  };
  await settle(consumer.shutdown());
  await settle(producer.shutdown());
  admin.shutdown();
  await settle(broker.shutdown());
  await settle(namesrv.shutdown());
  return result;
}

describe('the bloom pre-filter in a simulated cluster', () => {
  it('with the options on, a SQL92 push consumer gets exactly the matching messages and the broker reads only bit hits', async () => {
    const on = await run(true);
    expect(on.received).toEqual(EXPECTED);
    expect(on.firstDispatcher).toBeInstanceOf(CommitLogDispatcherCalcBitMap);
    expect(on.extDir).toBe(true);
    expect(on.bitMapChecked).toBe(TOTAL); // every unit was tested by its bits (all stored after the filter was born)
    expect(on.commitLogChecked).toBe(on.bitMapHit); // only bit hits were read for the SQL check
    expect(on.commitLogChecked).toBeGreaterThanOrEqual(EXPECTED.length);
    expect(on.commitLogChecked).toBeLessThan(TOTAL);
  }, 30_000);

  it('with the options off, the same messages arrive, every record is read, and there is no ext', async () => {
    const off = await run(false);
    expect(off.received).toEqual(EXPECTED);
    expect(off.firstDispatcher).not.toBeInstanceOf(CommitLogDispatcherCalcBitMap);
    expect(off.extDir).toBe(false);
    expect(off.bitMapChecked).toBe(0);
    expect(off.commitLogChecked).toBe(TOTAL);
  }, 30_000);
});
