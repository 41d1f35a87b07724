// The name server over real TCP on 127.0.0.1 with the system clock: the core flows of the
// sim test (register, route, bad request, KV, broker gone) plus a compressed register body
// inflated by the platform's DecompressionStream. Real sockets, so real (short) time; no
// assertion depends on how long anything takes.
import { deflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { crc32Positive } from '../../../src/common/crc32.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { decodeTopicRouteData } from '../../../src/common/protocol/route/topic-route-data.js';
import { NodeEvents, NOOP_SINK, RecordingSink } from '../../../src/events/event-sink.js';
import { NamesrvController } from '../../../src/namesrv/namesrv-controller.js';
import { TcpTransport } from '../../../src/platform/node/tcp-transport.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { MemoryFileSystem } from '../../../src/platform/sim/memory-file-system.js';
import { SystemClock } from '../../../src/platform/system-clock.js';
import { RemotingClient } from '../../../src/remoting/remoting-client.js';
import { createRequestCommand, type RemotingCommand } from '../../../src/remoting/remoting-command.js';

const utf8 = new TextEncoder();
const text = new TextDecoder();

function registerRequest(brokerName: string, brokerAddr: string, body: Uint8Array, compressed: boolean): RemotingCommand {
  const request = createRequestCommand(RequestCode.REGISTER_BROKER, {
    brokerName, brokerAddr, clusterName: 'DefaultCluster', haServerAddr: brokerAddr.replace(':10911', ':10912'), brokerId: 0,
    compressed, bodyCrc32: crc32Positive(body),
  });
  request.body = body;
  return request;
}

/** The compressed layout (int32 length-prefixed chunks), deflated by Node's zlib as Java's Deflater would. */
function compressedBody(topics: string[]): Uint8Array {
  const chunks: Buffer[] = [];
  const int = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    chunks.push(b);
  };
  const chunk = (s: string) => {
    int(Buffer.byteLength(s));
    chunks.push(Buffer.from(s));
  };
  chunk('{"counter":1,"timestamp":1700000000000}');
  int(topics.length);
  for (const t of topics) chunk(t);
  chunk('[]');
  return Uint8Array.from(deflateSync(Buffer.concat(chunks), { level: 9 }));
}

describe('NamesrvController over TcpTransport', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('registers plain and compressed brokers, serves routes, answers bad requests, keeps KV config, and drops a broker whose socket closes', async () => {
    const clock = new SystemClock();
    const serverTransport = new TcpTransport();
    const clientTransport = new TcpTransport();
    const sink = new RecordingSink(clock);
    const namesrv = new NamesrvController({
      platform: { clock, random: new SeededRandom(1), fs: new MemoryFileSystem(), transport: serverTransport },
      events: sink,
      node: 'namesrv',
    });
    const address = await namesrv.start('127.0.0.1:0');
    cleanups.push(() => serverTransport.destroyAll(), () => clientTransport.destroyAll(), () => namesrv.shutdown());
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    const client = () => new RemotingClient({ transport: clientTransport, clock, events: new NodeEvents(NOOP_SINK, 'client') });

    const brokerA = client();
    const plain = utf8.encode(
      '{"filterServerList":[],"topicConfigSerializeWrapper":{"dataVersion":{"counter":1,"timestamp":1700000000000},' +
        '"topicConfigTable":{"TopicA":{"order":false,"perm":6,"readQueueNums":4,"topicFilterType":"SINGLE_TAG","topicName":"TopicA","topicSysFlag":0,"writeQueueNums":4}}}}',
    );
    expect((await brokerA.invokeSync(address, registerRequest('broker-a', '127.0.0.1:10911', plain, false), 3000)).code).toBe(ResponseCode.SUCCESS);
    const brokerB = client();
    const zipped = compressedBody(['TopicA 8 8 6 SINGLE_TAG', 'TopicB 2 2 6 SINGLE_TAG']);
    const b = await brokerB.invokeSync(address, registerRequest('broker-b', '127.0.0.2:10911', zipped, true), 3000);
    expect([b.code, b.remark]).toEqual([ResponseCode.SUCCESS, undefined]);

    const producer = client();
    const route = await producer.invokeSync(address, createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'TopicA' }), 3000);
    expect(text.decode(route.body)).toBe(
      '{"brokerDatas":[{"brokerAddrs":{"0":"127.0.0.1:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"},' +
        '{"brokerAddrs":{"0":"127.0.0.2:10911"},"brokerName":"broker-b","cluster":"DefaultCluster"}],"filterServerTable":{},' +
        '"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSynFlag":0,"topicSysFlag":0,"writeQueueNums":4},' +
        '{"brokerName":"broker-b","perm":6,"readQueueNums":8,"topicSynFlag":0,"topicSysFlag":0,"writeQueueNums":8}]}',
    );

    const bad = await producer.invokeSync(address, createRequestCommand(RequestCode.REGISTER_BROKER, { brokerName: 'x' }), 3000);
    expect([bad.code, bad.remark]).toEqual([ResponseCode.SYSTEM_ERROR, 'the custom header field "brokerAddr" is missing']);
    const badZip = await producer.invokeSync(address, registerRequest('broker-c', '127.0.0.3:10911', utf8.encode('not zlib'), true), 3000);
    expect(badZip.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(badZip.remark).toMatch(/^the body could not be decoded: RegisterBrokerBody \(compressed\): not a zlib stream/);
    const unknown = await producer.invokeSync(address, createRequestCommand(4242), 3000);
    expect(unknown.code).toBe(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);

    await producer.invokeSync(address, createRequestCommand(RequestCode.PUT_KV_CONFIG, { namespace: 'ns', key: 'k', value: 'v' }), 3000);
    const kv = await producer.invokeSync(address, createRequestCommand(RequestCode.GET_KV_CONFIG, { namespace: 'ns', key: 'k' }), 3000);
    expect(kv.extFields).toEqual({ value: 'v' });

    // broker-b's process dies: its socket closes and it leaves the routes without waiting 120 s.
    const gone = new Promise<void>((resolve) => sink.subscribe((e) => e.kind === 'namesrv.broker.unregistered' && resolve()));
    brokerB.shutdown();
    await gone;
    const after = await producer.invokeSync(address, createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'TopicA' }), 3000);
    expect(decodeTopicRouteData(after.body!).brokerDatas.map((d) => d.brokerName)).toEqual(['broker-a']);
    const topicB = await producer.invokeSync(address, createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'TopicB' }), 3000);
    expect(topicB.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    brokerA.shutdown();
    producer.shutdown();
  });
});
