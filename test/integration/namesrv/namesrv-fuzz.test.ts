// Seeded request fuzzing of a real NamesrvController, with a real BrokerController
// registered on it, on SimNetwork, ManualClock and MemoryFileSystem (as
// broker-sim.test.ts sets them up).
//
// Goal: no request can crash the name server or stop it serving routes. Method: per seed, a
// few thousand well-formed frames (JSON or binary header, client versions on both sides of
// V3_0_11, sometimes one-way) carry
//   (a) every request code the name server answers, with extFields randomly missing, empty,
//       wrong-typed (also raw JSON values), out of range, overlong or unicode;
//   (b) REGISTER_BROKER and QUERY_DATA_VERSION bodies that are right, mutated, of the wrong
//       shape, truncated, huge, deeply nested, not UTF-8, or compressed (and broken);
//   (c) random request codes.
// Every answer must carry a ResponseCode of the table, a remark when it is not SUCCESS,
// never an exception's text, and a body the project's own decoders read back. Afterwards:
// the real broker's next registration makes its topics routable again, the key-value
// store answers, the name server restarts on the same disk (kvConfig.json loads back to
// the same bytes), and no unhandled rejection or uncaught exception happened. Also here:
// a request whose topic fills a whole 16 MiB frame. `FUZZ_SEEDS=5-40` runs more seeds.
import { describe, expect, it } from 'vitest';
import { BrokerController } from '../../../src/broker/broker-controller.js';
import { messageStoreConfigFor } from '../../../src/common/config/profiles.js';
import { crc32Positive } from '../../../src/common/crc32.js';
import { decodeClusterInfo } from '../../../src/common/protocol/body/cluster-info.js';
import { DataVersion } from '../../../src/common/protocol/body/data-version.js';
import { decodeKVTable } from '../../../src/common/protocol/body/kv-table.js';
import { RegisterBrokerBody } from '../../../src/common/protocol/body/register-broker-body.js';
import { TopicConfigSerializeWrapper } from '../../../src/common/protocol/body/topic-config-serialize-wrapper.js';
import { decodeTopicList } from '../../../src/common/protocol/body/topic-list.js';
import { RequestCode, requestCodeName } from '../../../src/common/protocol/request-code.js';
import { MAX_REMARK_LENGTH, ResponseCode } from '../../../src/common/protocol/response-code.js';
import { decodeTopicRouteData } from '../../../src/common/protocol/route/topic-route-data.js';
import { TopicConfig } from '../../../src/common/topic/topic-config.js';
import { NodeEvents, RecordingSink } from '../../../src/events/event-sink.js';
import { NamesrvController } from '../../../src/namesrv/namesrv-controller.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../src/platform/sim/memory-file-system.js';
import { SimNetwork } from '../../../src/platform/sim/sim-network.js';
import { RemotingClient } from '../../../src/remoting/remoting-client.js';
import { createRequestCommand, type LanguageName, type RemotingCommand } from '../../../src/remoting/remoting-command.js';
import {
  chance, checkAnswer, checkBody, collectCrashes, frameFilling, fuzzFields, type FuzzPools, firstLine, jsonBody, mangleBytes, pick, pickBadness, seedsFrom,
  settler, wrongTypedField,
} from '../support/fuzz-requests.js';

const NAMESRV = '10.0.0.1:9876';
const BROKER = '10.0.0.2:10911';
/** `FUZZ_SEEDS=5-40 npx vitest run ...` fuzzes more seeds than the default four. */
const SEEDS = seedsFrom(process.env['FUZZ_SEEDS'], [1, 2, 3, 4]);
const REQUESTS_PER_SEED = 2500;
const BATCH = 25;
const utf8 = new TextEncoder();

const STRANGE = [
  '', ' ', 'abc', '-1', '0', '-0', '+7', ' 7', '1.5', '1e3', '0x1F', 'NaN', 'Infinity', 'null', 'true', 'false', 'TRUE',
  '2147483647', '2147483648', '-2147483649', '9007199254740993', '9223372036854775807', '9223372036854775808', '-9223372036854775809', '9'.repeat(30),
  '{"a":[1,{"b":null}]}', '[1,2,3]', '{}', '主题-😀', '\u0000', '\uFFFF\uFFFE', '\uD800', 'a\u0001b\u0002c', '../../etc/passwd', 'a@b', 'a;b', 'x:y:z',
  '__proto__', 'constructor', 'toString', 'x'.repeat(128),
];
const WRONG_JSON: unknown[] = [
  null, -1, 0, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 1e308, 1.5, '', '7', 'abc', '9'.repeat(25), '主题😀', true, false, [], [1, 'a', null], {}, { a: { b: [{}] } },
];
const POOLS: FuzzPools = { strange: STRANGE, wrongJson: WRONG_JSON, badUtf8: [[0xff], [0xfe, 0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0x80]], growArrays: false };
const BROKER_NAMES = ['fb-1', 'fb-2', 'fb-3', 'broker-a', '__proto__', '主题'];
const CLUSTERS = ['DefaultCluster', 'FuzzCluster', '__proto__'];
const ADDRESSES = ['10.0.0.7:10911', '10.0.0.8:10911', '10.0.0.9:10911', BROKER, '[::1]:10911', 'host-name:1'];
const TOPICS = ['FuzzA', 'FuzzB', 'NsTopic', 'TBW102', 'DefaultCluster', 'broker-a', '%RETRY%g', '__proto__', 'constructor', '主题'];
const NAMESPACES = ['ORDER_TOPIC_CONFIG', 'ns1', '__proto__', 'constructor', ''];
const LANGUAGES: LanguageName[] = ['JAVA', 'CPP', 'GO', 'OTHER'];
/** Two clients below V3_0_11 (bare TopicConfigSerializeWrapper bodies), three from it on. */
const VERSIONS = [0, 36, 37, 293, 399];

type Kind = 'bname' | 'cluster' | 'addr' | 'id' | 'topic' | 'ns' | 'key' | 'value' | 'bool' | 'crc';
type Spec = ReadonlyArray<readonly [string, Kind]>;
const BROKER_ID: Spec = [['brokerName', 'bname'], ['brokerAddr', 'addr'], ['clusterName', 'cluster'], ['brokerId', 'id']];

/** The custom-header fields of every code the name server answers. */
const SPECS = new Map<number, Spec>([
  [RequestCode.PUT_KV_CONFIG, [['namespace', 'ns'], ['key', 'key'], ['value', 'value']]],
  [RequestCode.GET_KV_CONFIG, [['namespace', 'ns'], ['key', 'key']]],
  [RequestCode.DELETE_KV_CONFIG, [['namespace', 'ns'], ['key', 'key']]],
  [RequestCode.QUERY_DATA_VERSION, BROKER_ID],
  [RequestCode.REGISTER_BROKER, [...BROKER_ID, ['haServerAddr', 'addr'], ['compressed', 'bool'], ['bodyCrc32', 'crc']]],
  [RequestCode.UNREGISTER_BROKER, BROKER_ID],
  [RequestCode.GET_ROUTEINFO_BY_TOPIC, [['topic', 'topic']]],
  [RequestCode.GET_BROKER_CLUSTER_INFO, []],
  [RequestCode.WIPE_WRITE_PERM_OF_BROKER, [['brokerName', 'bname']]],
  [RequestCode.ADD_WRITE_PERM_OF_BROKER, [['brokerName', 'bname']]],
  [RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, []],
  [RequestCode.DELETE_TOPIC_IN_NAMESRV, [['topic', 'topic'], ['clusterName', 'cluster']]],
  [RequestCode.GET_KVLIST_BY_NAMESPACE, [['namespace', 'ns']]],
  [RequestCode.GET_TOPICS_BY_CLUSTER, [['cluster', 'cluster']]],
  [RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS, []],
  [RequestCode.GET_UNIT_TOPIC_LIST, []],
  [RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST, []],
  [RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST, []],
]);
const NAMESRV_CODES = [...SPECS.keys()];

/** How a client reads the body of each SUCCESS answer; every body the name server sends must read back. */
const BODY_READERS = new Map<number, (body: Uint8Array) => unknown>([
  [RequestCode.GET_ROUTEINFO_BY_TOPIC, decodeTopicRouteData],
  [RequestCode.GET_BROKER_CLUSTER_INFO, decodeClusterInfo],
  [RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, decodeTopicList],
  [RequestCode.GET_TOPICS_BY_CLUSTER, decodeTopicList],
  [RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS, decodeTopicList],
  [RequestCode.GET_UNIT_TOPIC_LIST, decodeTopicList],
  [RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST, decodeTopicList],
  [RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST, decodeTopicList],
  [RequestCode.GET_KVLIST_BY_NAMESPACE, decodeKVTable],
  [RequestCode.REGISTER_BROKER, decodeKVTable],
  [RequestCode.QUERY_DATA_VERSION, (b) => DataVersion.decode(b)],
]);

class Fuzz {
  constructor(readonly random: SeededRandom, private readonly now: () => number) {}

  good(kind: Kind): string {
    switch (kind) {
      case 'bname': return pick(this.random, BROKER_NAMES);
      case 'cluster': return pick(this.random, CLUSTERS);
      case 'addr': return pick(this.random, ADDRESSES);
      case 'id': return pick(this.random, ['0', '0', '1', '2', '-1', '9223372036854775807']);
      case 'topic': return pick(this.random, TOPICS);
      case 'ns': return pick(this.random, NAMESPACES);
      case 'key': return pick(this.random, ['k1', 'k2', 'FuzzA', '__proto__', '']);
      case 'value': return pick(this.random, ['v', '', 'broker-a:4;fb-1:8', '漢'.repeat(1000), '{"json":true}']);
      case 'bool': return chance(this.random, 70) ? 'false' : 'true';
      case 'crc': return '0'; // replaced by the body's real CRC most of the time, see request()
    }
  }

  fields(spec: Spec): Record<string, string> | undefined {
    return fuzzFields(this.random, POOLS, spec, pickBadness(this.random), (kind) => this.good(kind));
  }

  topicConfigJson(name: string): Record<string, unknown> {
    return {
      topicName: name, readQueueNums: this.random.int(9), writeQueueNums: this.random.int(9), perm: pick(this.random, [2, 4, 6, 7]),
      topicFilterType: pick(this.random, ['SINGLE_TAG', 'MULTI_TAG']), topicSysFlag: pick(this.random, [0, 0, 1, 2, 3]), order: chance(this.random, 10),
    };
  }

  wrapperJson(topics: number): Record<string, unknown> {
    const table: Record<string, unknown> = {};
    for (let i = 0; i < topics; i++) {
      const name = topics > 10 ? `T${i}` : pick(this.random, TOPICS);
      table[name] = this.topicConfigJson(name);
    }
    return { topicConfigTable: table, dataVersion: { timestamp: this.now() - this.random.int(3) * 1000, counter: this.random.int(3) } };
  }

  /** A REGISTER_BROKER body: the plain JSON form (mutated or not), the bare wrapper, or the compressed form. */
  async registerBody(version: number, compressed: boolean): Promise<Uint8Array | undefined> {
    if (compressed && chance(this.random, 70)) {
      const wrapper = new TopicConfigSerializeWrapper(
        new Map(Array.from({ length: this.random.int(4) }, () => pick(this.random, TOPICS)).map((t) => [t, new TopicConfig(t, 4, 4, 6)])),
        new DataVersion(this.now(), this.random.int(5)),
      );
      const bytes = await new RegisterBrokerBody(wrapper, chance(this.random, 20) ? ['10.0.0.9:45678'] : []).encodeCompressed();
      return chance(this.random, 70) ? bytes : chance(this.random, 50) ? bytes.subarray(0, this.random.int(bytes.length)) : mangleBytes(this.random, POOLS, bytes);
    }
    if (version < 37) return jsonBody(this.random, POOLS, () => this.wrapperJson(this.random.int(4)), () => this.wrapperJson(3000));
    return jsonBody(this.random, POOLS, 
      () => ({ topicConfigSerializeWrapper: this.wrapperJson(this.random.int(4)), filterServerList: chance(this.random, 20) ? ['10.0.0.9:45678'] : [] }),
      () => ({ topicConfigSerializeWrapper: this.wrapperJson(3000), filterServerList: Array.from({ length: 5000 }, (_, i) => `10.0.${i % 250}.1:1`) }),
    );
  }

  async request(version: number): Promise<RemotingCommand> {
    const code = chance(this.random, 90) ? pick(this.random, NAMESRV_CODES) : pick(this.random, [this.random.int(1000), -1 - this.random.int(100), 32_767, this.random.int(2 ** 31 - 1)]);
    const request = createRequestCommand(code);
    request.extFields = this.fields(SPECS.get(code) ?? []);
    if (code === RequestCode.REGISTER_BROKER) {
      request.body = await this.registerBody(version, (request.extFields?.['compressed'] ?? '').toLowerCase() === 'true');
      // Mostly the body's real CRC, so that the body is what gets tested.
      if (request.extFields !== undefined && chance(this.random, 80)) request.extFields['bodyCrc32'] = String(crc32Positive(request.body ?? new Uint8Array(0)));
    } else if (code === RequestCode.QUERY_DATA_VERSION) {
      request.body = jsonBody(this.random, POOLS, () => ({ timestamp: this.now(), counter: this.random.int(5) }), () => ({ timestamp: 1, counter: 1, pad: 'p'.repeat(200_000) }));
    } else if (chance(this.random, 5)) {
      request.body = mangleBytes(this.random, POOLS, new Uint8Array(0));
    }
    if (chance(this.random, 25)) request.serializeType = 'ROCKETMQ';
    else if (request.extFields !== undefined && chance(this.random, 10)) {
      // A JSON header may carry numbers, booleans, null, arrays and objects as extFields values.
      wrongTypedField(this.random, POOLS, request.extFields);
    }
    request.language = pick(this.random, LANGUAGES);
    return request;
  }
}

async function world(seed: number) {
  const clock = new ManualClock(1_700_000_000_000);
  const sink = new RecordingSink(clock);
  const random = new SeededRandom(seed);
  const network = new SimNetwork({ clock, random: random.fork() });
  const fs = new MemoryFileSystem();
  const newNamesrv = () => new NamesrvController({ platform: { clock, random, fs, transport: network.host('10.0.0.1') }, events: sink, node: 'namesrv-1' });
  const broker = new BrokerController({
    platform: { clock, random: random.fork(), fs, transport: network.host('10.0.0.2') },
    events: sink,
    node: 'broker-a',
    brokerConfig: { brokerName: 'broker-a', brokerIP1: '10.0.0.2', namesrvAddr: NAMESRV },
    storeConfig: messageStoreConfigFor('teaching', { storePathRootDir: '/broker-a/store' }),
  });
  const newClient = (i: number, version: number) =>
    new RemotingClient({ transport: network.host(`10.0.1.${i}`), clock, events: new NodeEvents(sink, `client-${i}`), config: { version } });
  const settle = settler(clock);
  return { clock, fs, newNamesrv, broker, newClient, settle };
}

function describeRequest(request: RemotingCommand): string {
  const fields = JSON.stringify(request.extFields ?? {});
  return `${requestCodeName(request.code)} v${request.version} ${fields.length > 300 ? `${fields.slice(0, 300)}...` : fields} body=${request.body?.length ?? 0}`;
}

const crashes = collectCrashes();

describe('NamesrvController under request fuzzing', () => {
  it('answers exactly the codes of the field table; every other code 0..400 is REQUEST_CODE_NOT_SUPPORTED', async () => {
    const { newNamesrv, newClient, settle } = await world(0);
    const namesrv = newNamesrv();
    await settle(namesrv.start(NAMESRV));
    const client = newClient(10, 293);
    const answered: number[] = [];
    for (let code = 0; code <= 400; code++) {
      const response = await settle(client.invokeSync(NAMESRV, createRequestCommand(code), 3000));
      if (response.code !== ResponseCode.REQUEST_CODE_NOT_SUPPORTED) answered.push(code);
    }
    expect(answered.map(requestCodeName).sort()).toEqual(NAMESRV_CODES.map(requestCodeName).sort());
    await settle(namesrv.shutdown());
  });

  it('answers GET_ROUTEINFO_BY_TOPIC whose topic fills the whole 16 MiB frame, cutting the remark that echoes it (JSON and binary header)', async () => {
    const { newNamesrv, newClient, settle } = await world(0);
    const namesrv = newNamesrv();
    await settle(namesrv.start(NAMESRV));
    const client = newClient(10, 293);
    for (const serializeType of ['JSON', 'ROCKETMQ'] as const) {
      const request = frameFilling((topic) => {
        const command = createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic });
        command.serializeType = serializeType;
        return command;
      });
      // Unclipped, "No topic route info ... <topic> See http://..." would not fit the header's 24-bit length.
      const response = await settle(client.invokeSync(NAMESRV, request, 10_000));
      expect(response.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
      expect(response.remark).toHaveLength(MAX_REMARK_LENGTH);
      expect(response.remark).toMatch(/^No topic route info in name server for the topic: xxx+\.\.\.\(16777\d{3} characters\)$/);
    }
    await settle(namesrv.shutdown());
    expect(crashes).toEqual([]);
  });

  it('answers SYSTEM_ERROR instead of echoing a stored field that would not fit a JSON header (GET_KV_CONFIG, a slave\'s REGISTER_BROKER)', async () => {
    const { newNamesrv, newClient, settle } = await world(0);
    const namesrv = newNamesrv();
    await settle(namesrv.start(NAMESRV));
    const client = newClient(10, 293);
    const call = (request: RemotingCommand) => settle(client.invokeSync(NAMESRV, request, 10_000));
    // 3 M control characters: 3 MB in a binary header, 18 MB once JSON escapes each as \u0001.
    const escapesSixFold = '\u0001'.repeat(3_000_000);
    const put = createRequestCommand(RequestCode.PUT_KV_CONFIG, { namespace: 'ns', key: 'k', value: escapesSixFold });
    put.serializeType = 'ROCKETMQ';
    expect((await call(put)).code).toBe(ResponseCode.SUCCESS);
    const get = await call(createRequestCommand(RequestCode.GET_KV_CONFIG, { namespace: 'ns', key: 'k' }));
    expect([get.code, get.extFields, get.remark]).toEqual([
      ResponseCode.SYSTEM_ERROR, undefined, "the answer's header fields (3000005 characters) may not fit a RocketMQ header of at most 16777215 bytes",
    ]);
    const binaryGet = createRequestCommand(RequestCode.GET_KV_CONFIG, { namespace: 'ns', key: 'k' });
    binaryGet.serializeType = 'ROCKETMQ'; // the bound is conservative: a binary header would have fitted
    expect((await call(binaryGet)).code).toBe(ResponseCode.SYSTEM_ERROR);

    // A master registers a huge haServerAddr; its slave's registration answer would echo it.
    const register = (brokerId: number, haServerAddr: string) => {
      const request = createRequestCommand(RequestCode.REGISTER_BROKER, {
        brokerName: 'fb', brokerAddr: `10.0.0.${7 + brokerId}:10911`, clusterName: 'C', haServerAddr, brokerId, compressed: false, bodyCrc32: 0,
      });
      request.serializeType = brokerId === 0 ? 'ROCKETMQ' : 'JSON';
      return call(request);
    };
    expect((await register(0, escapesSixFold)).code).toBe(ResponseCode.SUCCESS);
    expect((await register(1, '10.0.0.8:10912')).code).toBe(ResponseCode.SYSTEM_ERROR);
    await settle(namesrv.shutdown());
    expect(crashes).toEqual([]);
  });

  it.each(SEEDS)('seed %i: every request is answered with a known code, a remark and a readable body; routes, KV store and restart survive', async (seed) => {
    const { clock, fs, newNamesrv, broker, newClient, settle } = await world(seed);
    const namesrv = newNamesrv();
    await settle(namesrv.start(NAMESRV));
    await settle(broker.start());
    const good = newClient(99, 293);
    // A topic of the real broker, made routable before the fuzz starts.
    const send = createRequestCommand(RequestCode.SEND_MESSAGE_V2, { a: 'pg', b: 'NsTopic', c: 'TBW102', d: 4, e: 0, f: 0, g: clock.now(), h: 0, j: 0, k: false });
    send.body = utf8.encode('hello');
    expect((await settle(good.invokeSync(BROKER, send, 3000))).code).toBe(ResponseCode.SUCCESS);
    const route = () => settle(good.invokeSync(NAMESRV, createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'NsTopic' }), 3000));
    expect((await route()).code).toBe(ResponseCode.SUCCESS);

    const run = new FuzzRun(clock, new Fuzz(new SeededRandom(seed * 7919), () => clock.now()), VERSIONS.map((version, i) => ({ version, client: newClient(i + 10, version) })));
    for (let sent = 0; sent < REQUESTS_PER_SEED; sent += BATCH) await run.batch();

    // The name server still serves: the broker's next registration (every 30 s) restores
    // whatever the fuzz unregistered, wiped or deleted, and the route names the real broker.
    await clock.advance(31_000);
    const routed = await route();
    expect(routed.code).toBe(ResponseCode.SUCCESS);
    const data = decodeTopicRouteData(routed.body!);
    expect(data.brokerDatas.find((b) => b.brokerName === 'broker-a')?.brokerAddrs.get(0)).toBe(BROKER);
    expect(data.queueDatas.find((q) => q.brokerName === 'broker-a')?.perm).toBe(6);
    expect((await settle(good.invokeSync(NAMESRV, createRequestCommand(RequestCode.GET_BROKER_CLUSTER_INFO), 3000))).code).toBe(ResponseCode.SUCCESS);
    const put = createRequestCommand(RequestCode.PUT_KV_CONFIG, { namespace: 'final', key: 'k', value: `v${seed}` });
    expect((await settle(good.invokeSync(NAMESRV, put, 3000))).code).toBe(ResponseCode.SUCCESS);

    // A restart on the same disk: kvConfig.json (with everything the fuzz put in it) loads.
    for (const { client } of run.clients) client.shutdown();
    await settle(namesrv.shutdown());
    await clock.advance(1000); // the clients see their connections close
    const kvPath = namesrv.kvConfigManager.kvConfigPath;
    const kvBefore = fs.readText(kvPath);
    const second = newNamesrv();
    await settle(second.start(NAMESRV));
    second.kvConfigManager.persist(); // what was loaded, written back, is what was there
    expect(fs.readText(kvPath)).toBe(kvBefore);
    const got = await settle(good.invokeSync(NAMESRV, createRequestCommand(RequestCode.GET_KV_CONFIG, { namespace: 'final', key: 'k' }), 3000));
    expect([got.code, got.extFields?.['value']]).toEqual([ResponseCode.SUCCESS, `v${seed}`]);
    await clock.advance(31_000);
    expect((await route()).code).toBe(ResponseCode.SUCCESS);
    await settle(broker.shutdown());
    await settle(second.shutdown());

    expect([...run.problems].map(([key, detail]) => `${key}\n    ${detail}`)).toEqual([]);
    expect(crashes).toEqual([]);
  });
});

/** One seed's fuzzing: batches of requests from the clients, every answer checked, problems collected (first of each kind). */
class FuzzRun {
  readonly problems = new Map<string, string>();

  constructor(private readonly clock: ManualClock, private readonly fuzz: Fuzz, readonly clients: Array<{ version: number; client: RemotingClient }>) {}

  problem(key: string, detail: string): void {
    if (!this.problems.has(key)) this.problems.set(key, detail);
  }

  /** BATCH requests at once; waits for every answer. */
  async batch(): Promise<void> {
    const { fuzz } = this;
    const waiting: Array<() => boolean> = [];
    const inflating: Array<{ request: RemotingCommand; done: () => boolean }> = [];
    for (let i = 0; i < BATCH; i++) {
      const { version, client } = pick(fuzz.random, this.clients);
      const request = await fuzz.request(version);
      if (chance(fuzz.random, 8)) {
        client.invokeOneway(NAMESRV, request, 3000).catch((error: unknown) => this.problem(`one-way send failed: ${firstLine(error)}`, describeRequest(request)));
        continue;
      }
      let settled = false;
      // A compressed register body is inflated by the platform's DecompressionStream, which
      // takes real time (zlib's thread pool) while virtual time would race past any timeout.
      const inflates = request.code === RequestCode.REGISTER_BROKER && String(request.extFields?.['compressed']).toLowerCase() === 'true';
      client.invokeSync(NAMESRV, request, inflates ? 3_600_000 : 10_000).then(
        (response) => {
          settled = true;
          this.check(request, response);
        },
        (error: unknown) => {
          settled = true;
          this.problem(`no answer: ${firstLine(error)}`, describeRequest(request));
        },
      );
      if (inflates) inflating.push({ request, done: () => settled });
      else waiting.push(() => settled);
    }
    await this.clock.runUntil(() => waiting.every((done) => done()), 30_000);
    for (let spin = 0; spin < 1000 && !inflating.every(({ done }) => done()); spin++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      await this.clock.advance(5);
    }
    for (const { request } of inflating.filter(({ done }) => !done())) this.problem('a compressed REGISTER_BROKER was never answered', describeRequest(request));
  }

  /** A known code, a remark unless SUCCESS, no exception text, a body its reader reads. */
  private check(request: RemotingCommand, response: RemotingCommand): void {
    const what = describeRequest(request);
    const problem = (key: string, detail: string) => this.problem(key, detail);
    if (checkAnswer(request, response, what, problem)) checkBody(request, response, BODY_READERS.get(request.code), what, problem);
  }
}
