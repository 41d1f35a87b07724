// Seeded request fuzzing of a real BrokerController (with a real NamesrvController) on
// SimNetwork, ManualClock and MemoryFileSystem, set up as broker-sim.test.ts does.
//
// Goal: no request can crash the broker or stop it serving. Method: per seed, a few
// thousand well-formed frames (JSON or binary header, one of several client versions and
// languages, main or VIP port, sometimes one-way, sometimes on a connection that the client
// drops mid-batch) carry
//   (a) every request code the broker registers, with extFields randomly missing, empty,
//       wrong-typed (also raw JSON numbers, booleans, null, arrays, objects), at the edges of
//       their range, overlong or unicode;
//   (b) for the codes that take a body, JSON of the right shape, mutated, of the wrong
//       shape, truncated, huge, deeply nested or not UTF-8 (and mangled message batches);
//   (c) random request codes.
// Every answer must carry a ResponseCode of the table, a remark when it is not SUCCESS,
// never an exception's text (the remoting layer turns an escaped TypeError into
// SYSTEM_ERROR "TypeError: ...", which is still a bug), and a body the project's own
// decoders read. After the fuzz: a normal send and pull round trip works and its topic is
// routable; nothing of the fuzz clients is left once they are gone (held pulls, consumers,
// producers); every message the fuzz got stored is at its commit-log offset and its queue
// offset; a restart on the same disk brings back the same topics, groups, offsets and
// messages; and no unhandled rejection or uncaught exception happened.
//
// Also here: Java's refusals of illegal and reserved send targets, and requests whose one
// field fills a whole 16 MiB frame (their echo in a remark used to crash the server).
// `FUZZ_SEEDS=5-40` runs more seeds.
import { describe, expect, it } from 'vitest';
import { BrokerController } from '../../../src/broker/broker-controller.js';
import { AdminBrokerProcessor } from '../../../src/broker/processor/admin-broker-processor.js';
import { PROCESSOR_CODES } from '../../../src/broker/processor-registry.js';
import { messageStoreConfigFor } from '../../../src/common/config/profiles.js';
import { decodeBatchMessages, decodeMessages, encodeBatchMessages } from '../../../src/common/message/message-decoder.js';
import { decodeMessageId } from '../../../src/common/message/message-id.js';
import { Message } from '../../../src/common/message/message.js';
import { decodeFastjson } from '../../../src/common/json/fastjson.js';
import {
  decodeConsumeStats, decodeConsumerConnection, decodeGroupList, decodeLockBatchResponseBody, decodeProducerConnection, decodeResetOffsetBody,
  decodeTopicStatsTable,
} from '../../../src/common/protocol/body/admin-bodies.js';
import { TopicConfigSerializeWrapper } from '../../../src/common/protocol/body/topic-config-serialize-wrapper.js';
import { decodeTopicList } from '../../../src/common/protocol/body/topic-list.js';
import { RequestCode, requestCodeName } from '../../../src/common/protocol/request-code.js';
import { MAX_REMARK_LENGTH, ResponseCode, responseCodeName } from '../../../src/common/protocol/response-code.js';
import { PullSysFlag } from '../../../src/common/sysflag/pull-sys-flag.js';
import { RecordingSink, NodeEvents } from '../../../src/events/event-sink.js';
import { NamesrvController } from '../../../src/namesrv/namesrv-controller.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { ManualClock } from '../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../src/platform/sim/memory-file-system.js';
import { SimNetwork } from '../../../src/platform/sim/sim-network.js';
import { RemotingClient } from '../../../src/remoting/remoting-client.js';
import { createRequestCommand, type LanguageName, type RemotingCommand } from '../../../src/remoting/remoting-command.js';
import { GetMessageStatus } from '../../../src/store/results.js';
import {
  chance, checkAnswer, checkBody, collectCrashes, frameFilling, fuzzFields, type FuzzPools, firstLine, jsonBody, mangleBytes, pick, pickBadness,
  seedsFrom, settler, wrongTypedField,
} from '../support/fuzz-requests.js';

const NAMESRV = '10.0.0.1:9876';
const BROKER = '10.0.0.2:10911';
const BROKER_VIP = '10.0.0.2:10909';
/** `FUZZ_SEEDS=5-40 npx vitest run ...` fuzzes more seeds than the default four. */
const SEEDS = seedsFrom(process.env['FUZZ_SEEDS'], [1, 2, 3, 4]);
const REQUESTS_PER_SEED = 2500;
const BATCH = 25;
const CALL_TIMEOUT_MS = 150_000;
const utf8 = new TextEncoder();

/** A send that was stored: Java clears the remark of these. */
const STORED_CODES = new Set<number>([ResponseCode.FLUSH_DISK_TIMEOUT, ResponseCode.FLUSH_SLAVE_TIMEOUT, ResponseCode.SLAVE_NOT_AVAILABLE]);

// ---- Value pools ----------------------------------------------------------------------------

const TOPICS = ['FuzzA', 'FuzzB', 'FuzzC', '%RETRY%fg1', '%DLQ%fg1', 'TBW102', 'SCHEDULE_TOPIC_XXXX', 'rmq_sys_x', 'RMQ_SYS_TRACE_TOPIC', 'DefaultCluster', 'broker-a', '__proto__', 'constructor'];
const GROUPS = ['fg1', 'fg2', 'fg3', 'fg1', 'fg2', 'fg3', 'CID_RMQ_SYS_x', 'TOOLS_CONSUMER', '__proto__', 'hasOwnProperty', 'a@b', '主题', 'g'.repeat(130), 'G'.repeat(300)];
const STRANGE = [
  '', ' ', 'abc', '-1', '0', '-0', '+7', ' 7', '7 ', '1.5', '1e3', '0x1F', 'NaN', 'Infinity', '-Infinity', 'null', 'undefined', 'true', 'false', 'TRUE',
  '2147483647', '2147483648', '-2147483649', '9007199254740993', '9223372036854775807', '9223372036854775808', '-9223372036854775809', '9'.repeat(30),
  '{"a":[1,{"b":null}]}', '[1,2,3]', '{}', '主题-😀', '\u0000', '\uFFFF\uFFFE', '\uD800', 'a\u0001b\u0002c', '../../etc/passwd', '/abs', 'x/y', 'a@b', '%RETRY%', '%DLQ%',
  '%RETRY%%DLQ%x', '__proto__', 'constructor', 'x'.repeat(128), 'y'.repeat(256),
];
const WRONG_JSON: unknown[] = [
  null, -1, 0, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 1e308, -1e-7, 1.5, '', '7', '-1', 'abc', '9'.repeat(25), '主题😀', '\u0000', true, false, [], [1, 'a', null], {}, { a: { b: [{}] } },
];
const POOLS: FuzzPools = {
  strange: STRANGE, wrongJson: WRONG_JSON, badUtf8: [[0xff], [0xfe, 0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0x80], [0xf4, 0x90, 0x80, 0x80]], growArrays: true,
};
const PROPERTIES = [
  '', 'TAGS\u0001TagA\u0002', 'TAGS\u0001TagB\u0002KEYS\u0001k1 k2\u0002WAIT\u0001true\u0002', 'DELAY\u00013\u0002', 'DELAY\u000199\u0002', 'DELAY\u0001-4\u0002',
  'TRAN_MSG\u0001true\u0002', 'RETRY_TOPIC\u0001FuzzA\u0002', 'UNIQ_KEY\u0001ABC\u0002', '\u0001\u0002\u0001', 'MAX_OFFSET\u0001x\u0002', 'TAGS\u0001\u0002', 'KEYS\u0001' + 'k '.repeat(500),
];
const EXPRESSIONS = ['*', 'TagA', 'TagA || TagB', '', ' || ', '||||', 'a AND b > 3', '主题'];
const LANGUAGES: LanguageName[] = ['JAVA', 'CPP', 'GO', 'OTHER', 'RUST'];
const VERSIONS = [0, 37, 121, 293, 399];

type Kind =
  | 'topic' | 'deftopic' | 'group' | 'int' | 'qid' | 'qoffset' | 'phyoffset' | 'ts' | 'bool' | 'true' | 'str' | 'props' | 'expr' | 'etype'
  | 'pullflag' | 'sysflag' | 'perm' | 'filter' | 'suspend' | 'msgid';
type Spec = ReadonlyArray<readonly [string, Kind]>;

const SEND_V1: Spec = [
  ['producerGroup', 'group'], ['topic', 'topic'], ['defaultTopic', 'deftopic'], ['defaultTopicQueueNums', 'int'], ['queueId', 'qid'], ['sysFlag', 'sysflag'],
  ['bornTimestamp', 'ts'], ['flag', 'int'], ['properties', 'props'], ['reconsumeTimes', 'int'], ['unitMode', 'bool'], ['maxReconsumeTimes', 'int'], ['batch', 'bool'],
];
const SEND_V2: Spec = [
  ['a', 'group'], ['b', 'topic'], ['c', 'deftopic'], ['d', 'int'], ['e', 'qid'], ['f', 'sysflag'], ['g', 'ts'], ['h', 'int'], ['i', 'props'], ['j', 'int'],
  ['k', 'bool'], ['l', 'int'], ['n', 'str'],
];
const TOPIC_QUEUE: Spec = [['topic', 'topic'], ['queueId', 'qid']];

/** The custom-header fields of every code the broker registers (and of the one it leaves out). */
const SPECS = new Map<number, Spec>([
  [RequestCode.SEND_MESSAGE, SEND_V1],
  [RequestCode.SEND_MESSAGE_V2, SEND_V2],
  [RequestCode.SEND_BATCH_MESSAGE, [...SEND_V2, ['m', 'true']]],
  [RequestCode.CONSUMER_SEND_MSG_BACK, [
    ['offset', 'phyoffset'], ['group', 'group'], ['delayLevel', 'int'], ['originMsgId', 'msgid'], ['originTopic', 'topic'], ['unitMode', 'bool'], ['maxReconsumeTimes', 'int'],
  ]],
  [RequestCode.PULL_MESSAGE, [
    ['consumerGroup', 'group'], ['topic', 'topic'], ['queueId', 'qid'], ['queueOffset', 'qoffset'], ['maxMsgNums', 'int'], ['sysFlag', 'pullflag'],
    ['commitOffset', 'qoffset'], ['suspendTimeoutMillis', 'suspend'], ['subscription', 'expr'], ['subVersion', 'ts'], ['expressionType', 'etype'],
  ]],
  [RequestCode.QUERY_MESSAGE, [['topic', 'topic'], ['key', 'str'], ['maxNum', 'int'], ['beginTimestamp', 'int'], ['endTimestamp', 'ts'], ['_UNIQUE_KEY_QUERY', 'bool']]],
  [RequestCode.VIEW_MESSAGE_BY_ID, [['offset', 'phyoffset']]],
  [RequestCode.HEART_BEAT, []],
  [RequestCode.UNREGISTER_CLIENT, [['clientID', 'str'], ['producerGroup', 'group'], ['consumerGroup', 'group']]],
  [RequestCode.CHECK_CLIENT_CONFIG, []],
  [RequestCode.GET_CONSUMER_LIST_BY_GROUP, [['consumerGroup', 'group']]],
  [RequestCode.UPDATE_CONSUMER_OFFSET, [['consumerGroup', 'group'], ...TOPIC_QUEUE, ['commitOffset', 'qoffset']]],
  [RequestCode.QUERY_CONSUMER_OFFSET, [['consumerGroup', 'group'], ...TOPIC_QUEUE]],
  [RequestCode.END_TRANSACTION, [['producerGroup', 'group'], ['tranStateTableOffset', 'qoffset'], ['commitLogOffset', 'phyoffset'], ['commitOrRollback', 'int'], ['msgId', 'msgid']]],
  [RequestCode.UPDATE_AND_CREATE_TOPIC, [
    ['topic', 'topic'], ['readQueueNums', 'int'], ['writeQueueNums', 'int'], ['perm', 'perm'], ['topicFilterType', 'filter'], ['topicSysFlag', 'int'], ['order', 'bool'],
  ]],
  [RequestCode.DELETE_TOPIC_IN_BROKER, [['topic', 'topic']]],
  [RequestCode.GET_ALL_TOPIC_CONFIG, []],
  [RequestCode.GET_TOPIC_CONFIG_LIST, []],
  [RequestCode.GET_TOPIC_NAME_LIST, []],
  [RequestCode.GET_TOPIC_STATS_INFO, [['topic', 'topic']]],
  [RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, [['topic', 'topic']]],
  [RequestCode.GET_BROKER_CONFIG, []],
  [RequestCode.GET_BROKER_RUNTIME_INFO, []],
  [RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, [...TOPIC_QUEUE, ['timestamp', 'ts']]],
  [RequestCode.GET_MAX_OFFSET, TOPIC_QUEUE],
  [RequestCode.GET_MIN_OFFSET, TOPIC_QUEUE],
  [RequestCode.GET_EARLIEST_MSG_STORETIME, TOPIC_QUEUE],
  [RequestCode.GET_ALL_CONSUMER_OFFSET, []],
  [RequestCode.GET_ALL_DELAY_OFFSET, []],
  [RequestCode.GET_CONSUME_STATS, [['consumerGroup', 'group'], ['topic', 'topic']]],
  [RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, [['topic', 'topic'], ['group', 'group'], ['timestamp', 'ts'], ['isForce', 'bool']]],
  [RequestCode.LOCK_BATCH_MQ, []],
  [RequestCode.UNLOCK_BATCH_MQ, []],
  [RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, []],
  [RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG, []],
  [RequestCode.DELETE_SUBSCRIPTIONGROUP, [['groupName', 'group'], ['removeOffset', 'bool']]],
  [RequestCode.GET_CONSUMER_CONNECTION_LIST, [['consumerGroup', 'group']]],
  [RequestCode.GET_PRODUCER_CONNECTION_LIST, [['producerGroup', 'group']]],
]);
/** How a client reads the body of each SUCCESS answer; every body the broker sends must read back. */
const BODY_READERS = new Map<number, (body: Uint8Array) => unknown>([
  [RequestCode.GET_ALL_TOPIC_CONFIG, (b) => TopicConfigSerializeWrapper.decode(b)],
  [RequestCode.GET_TOPIC_CONFIG_LIST, (b) => TopicConfigSerializeWrapper.decode(b)],
  [RequestCode.GET_TOPIC_NAME_LIST, decodeTopicList],
  [RequestCode.GET_TOPIC_STATS_INFO, decodeTopicStatsTable],
  [RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, decodeGroupList],
  [RequestCode.GET_CONSUME_STATS, decodeConsumeStats],
  [RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, decodeResetOffsetBody],
  [RequestCode.GET_CONSUMER_CONNECTION_LIST, decodeConsumerConnection],
  [RequestCode.GET_PRODUCER_CONNECTION_LIST, decodeProducerConnection],
  [RequestCode.LOCK_BATCH_MQ, decodeLockBatchResponseBody],
  [RequestCode.GET_CONSUMER_LIST_BY_GROUP, (b) => decodeFastjson(b)],
  [RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG, (b) => decodeFastjson(b)],
  [RequestCode.GET_ALL_CONSUMER_OFFSET, (b) => decodeFastjson(b)],
  [RequestCode.GET_BROKER_RUNTIME_INFO, (b) => decodeFastjson(b)],
  [RequestCode.PULL_MESSAGE, (b) => nonEmpty(decodeMessages(b))],
  [RequestCode.VIEW_MESSAGE_BY_ID, (b) => nonEmpty(decodeMessages(b))],
  [RequestCode.QUERY_MESSAGE, (b) => nonEmpty(decodeMessages(b))],
]);

function nonEmpty<T>(items: T[]): T[] {
  if (items.length === 0) throw new Error('no record in the body');
  return items;
}

const BROKER_CODES = [...new Set([...Object.values(PROCESSOR_CODES).flat(), ...AdminBrokerProcessor.REQUEST_CODES])];
/** Sends and pulls reach the deepest paths, so they are drawn more often. */
const WEIGHTED_CODES = [...BROKER_CODES, ...Array.from({ length: 4 }, () => [...PROCESSOR_CODES.send, ...PROCESSOR_CODES.pull]).flat()];

// ---- Generators ---------------------------------------------------------------------------

class Fuzz {
  /** Commit-log offsets and msgIds of stored messages, so some send-backs and views hit real records. */
  readonly phyOffsets: number[] = [];
  readonly msgIds: string[] = [];
  /** Queues that hold messages; half of the requests aim their topic and queueId at one. */
  readonly queues: Array<{ topic: string; queueId: number }> = [];
  private target: { topic: string; queueId: number } | undefined;

  constructor(readonly random: SeededRandom, private readonly now: () => number) {}

  /** A value a well-behaved client could send for this kind of field (sometimes an edge of its range). */
  good(kind: Kind): string {
    if (chance(this.random, 8)) {
      if (kind === 'int' || kind === 'qid' || kind === 'perm' || kind === 'pullflag') return pick(this.random, ['0', '-1', '2147483647', '-2147483648']);
      if (kind === 'qoffset' || kind === 'phyoffset' || kind === 'ts' || kind === 'suspend') return pick(this.random, ['0', '-1', '9223372036854775807', '-9223372036854775808', '4294967296']);
    }
    switch (kind) {
      case 'topic': return this.target?.topic ?? (chance(this.random, 70) ? `Fuzz${'ABC'[this.random.int(3)]}` : pick(this.random, TOPICS));
      case 'deftopic': return chance(this.random, 85) ? 'TBW102' : pick(this.random, TOPICS);
      case 'group': return pick(this.random, GROUPS);
      case 'int': return String(this.random.int(20));
      case 'qid': return String(this.target?.queueId ?? this.random.int(10) - 1);
      case 'qoffset': return String(chance(this.random, 70) ? this.random.int(3) : this.random.int(30) - 1);
      case 'phyoffset': {
        if (this.phyOffsets.length === 0 || chance(this.random, 20)) return String(this.random.int(20_000));
        // A real record, or a few bytes into one: the record boundary is the caller's claim.
        return String(pick(this.random, this.phyOffsets) + (chance(this.random, 60) ? 0 : this.random.int(300) - 20));
      }
      case 'ts': return String(this.now() - this.random.int(100_000));
      case 'bool': return chance(this.random, 50) ? 'true' : 'false';
      case 'true': return 'true';
      case 'str': return pick(this.random, ['k1', 'k2', 'k0', 'ABC', '10.0.0.5@1', 'client-1']);
      case 'props': return pick(this.random, PROPERTIES);
      case 'expr': return pick(this.random, EXPRESSIONS);
      case 'etype': return pick(this.random, ['TAG', 'TAG', 'SQL92', '', 'XPATH']);
      case 'pullflag': return String(chance(this.random, 60) ? pick(this.random, [4, 5, 6, 7]) : this.random.int(32));
      case 'sysflag': return pick(this.random, ['0', '0', '1', '2', '4', '8', '12', '-1']);
      case 'perm': return String(this.random.int(8));
      case 'filter': return chance(this.random, 80) ? 'SINGLE_TAG' : 'MULTI_TAG';
      case 'suspend': return pick(this.random, ['0', '1000', '15000', '-5']);
      case 'msgid': return this.msgIds.length > 0 && chance(this.random, 50) ? pick(this.random, this.msgIds) : '0A0000020000'.padEnd(32, '0');
    }
  }

  /** extFields for `spec`: each field good or strange at a per-request rate, plus stray fields. */
  fields(spec: Spec): Record<string, string> | undefined {
    const badness = pickBadness(this.random);
    this.target = this.queues.length > 0 && chance(this.random, 50) ? pick(this.random, this.queues) : undefined;
    return fuzzFields(this.random, POOLS, spec, badness, (kind) => this.good(kind));
  }

  subscriptionData(): Record<string, unknown> {
    return {
      classFilterMode: false, codeSet: [], expressionType: this.good('etype'), subString: pick(this.random, EXPRESSIONS),
      subVersion: this.now(), tagsSet: [], topic: this.good('topic'),
    };
  }

  consumerData(): Record<string, unknown> {
    return {
      groupName: pick(this.random, GROUPS), consumeType: pick(this.random, ['CONSUME_PASSIVELY', 'CONSUME_ACTIVELY', 1]), messageModel: pick(this.random, ['CLUSTERING', 'BROADCASTING']),
      consumeFromWhere: pick(this.random, ['CONSUME_FROM_LAST_OFFSET', 'CONSUME_FROM_FIRST_OFFSET', 'CONSUME_FROM_TIMESTAMP']), unitMode: chance(this.random, 10),
      subscriptionDataSet: Array.from({ length: this.random.int(3) }, () => this.subscriptionData()),
    };
  }

  mq(): Record<string, unknown> {
    return { topic: this.good('topic'), brokerName: pick(this.random, ['broker-a', 'broker-b']), queueId: this.random.int(8) };
  }

  /** The body of `code` (most codes take none; a few get junk anyway). */
  body(code: number, fields: Record<string, string> | undefined): Uint8Array | undefined {
    switch (code) {
      case RequestCode.SEND_MESSAGE:
      case RequestCode.SEND_MESSAGE_V2:
      case RequestCode.SEND_BATCH_MESSAGE: {
        const batch = (fields?.[code === RequestCode.SEND_MESSAGE ? 'batch' : 'm'] ?? '').toLowerCase() === 'true';
        if (batch && chance(this.random, 80)) {
          const messages = Array.from({ length: 1 + this.random.int(4) }, (_, i) =>
            new Message({ flag: this.random.int(3), body: utf8.encode(`batch item ${i} ${this.random.int(1000)}`), properties: new Map([['TAGS', 'TagA'], ['KEYS', `k${i}`]]) }));
          const bytes = encodeBatchMessages(messages);
          return chance(this.random, 75) ? bytes : chance(this.random, 50) ? bytes.subarray(0, this.random.int(bytes.length)) : mangleBytes(this.random, POOLS, bytes);
        }
        const length = pick(this.random, [0, 1, 16, 64, 200, 3000]);
        return length === 0 && chance(this.random, 50) ? undefined : Uint8Array.from({ length }, () => this.random.int(256));
      }
      case RequestCode.HEART_BEAT:
        return jsonBody(this.random, POOLS, 
          () => ({
            clientID: this.good('str'), producerDataSet: Array.from({ length: this.random.int(3) }, () => ({ groupName: pick(this.random, GROUPS) })),
            consumerDataSet: Array.from({ length: this.random.int(3) }, () => this.consumerData()),
          }),
          () => ({ clientID: 'huge', consumerDataSet: Array.from({ length: 2000 }, () => this.consumerData()), producerDataSet: [] }),
        );
      case RequestCode.LOCK_BATCH_MQ:
      case RequestCode.UNLOCK_BATCH_MQ:
        return jsonBody(this.random, POOLS, 
          () => ({ consumerGroup: pick(this.random, GROUPS), clientId: this.good('str'), mqSet: Array.from({ length: this.random.int(5) }, () => this.mq()) }),
          () => ({ consumerGroup: 'fg1', clientId: 'huge', mqSet: Array.from({ length: 20_000 }, (_, i) => ({ topic: 'FuzzA', brokerName: 'broker-a', queueId: i })) }),
        );
      case RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP:
        return jsonBody(this.random, POOLS, 
          () => ({
            groupName: pick(this.random, GROUPS), consumeEnable: chance(this.random, 90), consumeFromMinEnable: true, consumeBroadcastEnable: true, retryQueueNums: this.random.int(4),
            retryMaxTimes: this.random.int(20), brokerId: 0, whichBrokerWhenConsumeSlowly: 1, notifyConsumerIdsChangedEnable: true,
          }),
          () => ({ groupName: 'g'.repeat(100_000), retryQueueNums: 2 ** 31 - 1, retryMaxTimes: -(2 ** 31) }),
        );
      case RequestCode.CHECK_CLIENT_CONFIG:
        return jsonBody(this.random, POOLS, 
          () => ({ clientId: this.good('str'), group: pick(this.random, GROUPS), subscriptionData: this.subscriptionData() }),
          () => ({ clientId: 'huge', group: 'fg1', subscriptionData: { ...this.subscriptionData(), tagsSet: Array.from({ length: 50_000 }, (_, i) => `t${i}`) } }),
        );
      default:
        return chance(this.random, 5) ? mangleBytes(this.random, POOLS, new Uint8Array(0)) : undefined;
    }
  }

  /** One request: a registered code (a, b) or a random one (c). */
  request(): RemotingCommand {
    const code = chance(this.random, 90) ? pick(this.random, WEIGHTED_CODES) : pick(this.random, [this.random.int(1000), -1 - this.random.int(100), 32_767, -32_768, this.random.int(2 ** 31 - 1)]);
    const request = createRequestCommand(code);
    request.extFields = this.fields(SPECS.get(code) ?? SEND_V2.slice(0, this.random.int(4)));
    request.body = this.body(code, request.extFields);
    if (chance(this.random, 25)) request.serializeType = 'ROCKETMQ';
    else if (request.extFields !== undefined && chance(this.random, 10)) {
      // A JSON header may carry numbers, booleans, null, arrays and objects as extFields values
      // (ali-ons sends numbers and booleans); the decoder turns them into Java's strings.
      wrongTypedField(this.random, POOLS, request.extFields);
    }
    if (chance(this.random, 5)) request.flag |= pick(this.random, [4, 8, 0x100]);
    return request;
  }
}

// ---- The world ---------------------------------------------------------------------------

async function world(seed: number) {
  const clock = new ManualClock(1_700_000_000_000);
  const sink = new RecordingSink(clock);
  const random = new SeededRandom(seed);
  const network = new SimNetwork({ clock, random: random.fork() });
  const fs = new MemoryFileSystem();
  const namesrv = new NamesrvController({ platform: { clock, random, fs, transport: network.host('10.0.0.1') }, events: sink, node: 'namesrv-1' });
  await namesrv.start(NAMESRV);
  const newBroker = () => new BrokerController({
    platform: { clock, random: random.fork(), fs, transport: network.host('10.0.0.2') },
    events: sink,
    node: 'broker-a',
    brokerConfig: { brokerName: 'broker-a', brokerIP1: '10.0.0.2', namesrvAddr: NAMESRV },
    storeConfig: messageStoreConfigFor('teaching', { storePathRootDir: '/broker-a/store' }),
  });
  const newClient = (i: number, version: number) =>
    new RemotingClient({ transport: network.host(`10.0.1.${i}`), clock, events: new NodeEvents(sink, `client-${i}`), config: { version } });
  const settle = settler(clock);
  return { clock, sink, fs, namesrv, newBroker, newClient, settle };
}

function describeRequest(request: RemotingCommand, oneway = false): string {
  const fields = JSON.stringify(request.extFields ?? {});
  return `${requestCodeName(request.code)}${oneway ? ' (one-way)' : ''} ${fields.length > 300 ? `${fields.slice(0, 300)}...` : fields} body=${request.body?.length ?? 0}`;
}

/** extFields as the JSON header decoder hands them to a processor: strings only, null dropped. */
function asServerSees(extFields: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(extFields ?? {})) {
    if (value === null) continue;
    out[key] = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return out;
}

const BUILT_IN_GROUPS = new Set(['TOOLS_CONSUMER', 'FILTERSRV_CONSUMER', 'SELF_TEST_C_GROUP', 'CID_ONS-HTTP-PROXY', 'CID_ONSAPI_PULL', 'CID_ONSAPI_PERMISSION', 'CID_ONSAPI_OWNER']);

/** A message the fuzz got stored, to look for afterwards. */
interface Stored {
  topic: string;
  queueId: number;
  queueOffset: number;
  msgIds: string[];
  bodies: Uint8Array[];
  /** False for delayed (DELAY > 0) and PREPARED/ROLLBACK messages. */
  inTopicQueue: boolean;
}

// ---- Process-level crash collectors ---------------------------------------------------------

const crashes = collectCrashes();

describe('BrokerController under request fuzzing', () => {
  it('has a field spec for every code the broker registers and for every code 0..400 it answers', async () => {
    expect(BROKER_CODES.filter((code) => !SPECS.has(code)).map(requestCodeName)).toEqual([]);
    const { newBroker, newClient, settle } = await world(0);
    const broker = newBroker();
    await settle(broker.start());
    const client = newClient(10, 293);
    const answered: number[] = [];
    for (let code = 0; code <= 400; code++) {
      const response = await settle(client.invokeSync(BROKER, createRequestCommand(code), 3000));
      if (response.code !== ResponseCode.REQUEST_CODE_NOT_SUPPORTED) answered.push(code);
    }
    expect(answered.filter((code) => !SPECS.has(code)).map(requestCodeName)).toEqual([]);
    expect(answered.length).toBeGreaterThan(30);
    await settle(broker.shutdown());
  });

  it('refuses illegal, reserved and system send targets with Java\'s codes and remarks (SEND_MESSAGE_V2, SEND_BATCH_MESSAGE, UPDATE_AND_CREATE_TOPIC)', async () => {
    const { clock, newBroker, newClient, settle } = await world(0);
    const broker = newBroker();
    await settle(broker.start());
    const client = newClient(10, 293);
    const send = async (topic: string, code: number = RequestCode.SEND_MESSAGE_V2) => {
      const request = createRequestCommand(code, { a: 'pg', b: topic, c: 'TBW102', d: 4, e: 0, f: 0, g: clock.now(), h: 0, m: code === RequestCode.SEND_BATCH_MESSAGE });
      request.body = code === RequestCode.SEND_BATCH_MESSAGE ? encodeBatchMessages([new Message({ body: utf8.encode('b') })]) : utf8.encode('x');
      const response = await settle(client.invokeSync(BROKER, request, 3000));
      return [responseCodeName(response.code), response.remark];
    };
    const illegal = 'The specified topic contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$';
    expect(await send('')).toEqual(['SYSTEM_ERROR', 'The specified topic is blank.']);
    expect(await send('   ')).toEqual(['SYSTEM_ERROR', 'The specified topic is blank.']);
    for (const topic of ['a b', 'a/b', '../x', 'a.b', '主题', 'a@b', 'tab\t']) expect(await send(topic)).toEqual(['SYSTEM_ERROR', illegal]);
    expect(await send('x'.repeat(128))).toEqual(['SYSTEM_ERROR', 'The specified topic is longer than topic max length.']);
    expect(await send('x'.repeat(127))).toEqual(['SUCCESS', undefined]);
    for (const topic of ['SCHEDULE_TOPIC_XXXX', 'RMQ_SYS_TRANS_HALF_TOPIC', 'RMQ_SYS_TRANS_OP_HALF_TOPIC', 'TRANS_CHECK_MAX_TIME_TOPIC', 'SELF_TEST_TOPIC', 'OFFSET_MOVED_EVENT']) {
      expect(await send(topic)).toEqual(['NO_PERMISSION', `Sending message to topic[${topic}] is forbidden.`]);
    }
    // Java 4.4's isTopicCanSendMessage: the auto-creation template is no send target.
    expect(await send('TBW102')).toEqual(['SYSTEM_ERROR', 'the topic[TBW102] is conflict with system reserved words.']);
    expect(await send('TBW102', RequestCode.SEND_BATCH_MESSAGE)).toEqual(['SYSTEM_ERROR', 'the topic[TBW102] is conflict with system reserved words.']);
    // A batch may not go to a retry topic; a single message may (the consumer's own resend), and
    // %DLQ% is an ordinary name to a send, as in Java.
    expect(await send('%RETRY%cg', RequestCode.SEND_BATCH_MESSAGE)).toEqual(['MESSAGE_ILLEGAL', 'batch request does not support retry group %RETRY%cg']);
    expect(await send('%RETRY%cg')).toEqual(['SUCCESS', undefined]);
    expect(await send('%DLQ%cg')).toEqual(['SUCCESS', undefined]);
    expect(await send('%DLQ%cg', RequestCode.SEND_BATCH_MESSAGE)).toEqual(['SUCCESS', undefined]);

    const create = async (topic: string) => {
      const request = createRequestCommand(RequestCode.UPDATE_AND_CREATE_TOPIC, { topic, readQueueNums: 4, writeQueueNums: 4, perm: 6, topicFilterType: 'SINGLE_TAG' });
      const response = await settle(client.invokeSync(BROKER, request, 3000));
      return [responseCodeName(response.code), response.remark];
    };
    for (const topic of ['TBW102', 'SCHEDULE_TOPIC_XXXX', 'RMQ_SYS_TRACE_TOPIC', 'rmq_sys_anything', 'broker-a']) {
      expect(await create(topic)).toEqual(['SYSTEM_ERROR', `The topic[${topic}] is conflict with system topic.`]);
    }
    expect(await create('DefaultCluster')).toEqual(['SYSTEM_ERROR', 'the topic[DefaultCluster] is conflict with system reserved words.']);
    expect(await create('a/b')).toEqual(['SYSTEM_ERROR', illegal]);
    expect(await create('y'.repeat(128))).toEqual(['SYSTEM_ERROR', 'The specified topic is longer than topic max length.']);
    expect(await create('%RETRY%cg2')).toEqual(['SUCCESS', undefined]);
    await settle(broker.shutdown());
  });

  it('answers requests whose field fills the whole 16 MiB frame, cutting the remark that echoes it (sync and async processors, JSON and binary header)', async () => {
    const { newBroker, newClient, settle } = await world(0);
    const broker = newBroker();
    await settle(broker.start());
    const client = newClient(10, 293);
    const cases = [
      { code: RequestCode.GET_MAX_OFFSET, fields: (v: string) => ({ topic: 'T', queueId: v }), remark: /^the custom header field "queueId" is not an int: "xxx+\.\.\.\(16777\d{3} characters\)$/ },
      { code: RequestCode.SEND_MESSAGE_V2, fields: (v: string) => ({ a: 'pg', b: 'T', c: 'TBW102', d: v }), remark: /^the custom header field "d \(defaultTopicQueueNums\)" is not an int: "xxx+\.\.\.\(16777\d{3} characters\)$/ },
    ];
    for (const serializeType of ['JSON', 'ROCKETMQ'] as const) {
      for (const { code, fields, remark } of cases) {
        const request = frameFilling((value) => {
          const command = createRequestCommand(code, fields(value));
          command.serializeType = serializeType;
          return command;
        });
        const response = await settle(client.invokeSync(BROKER, request, 10_000));
        expect([response.code, response.remark?.length]).toEqual([ResponseCode.SYSTEM_ERROR, MAX_REMARK_LENGTH]);
        expect(response.remark).toMatch(remark);
      }
    }
    await settle(broker.shutdown());
    expect(crashes).toEqual([]);
  });

  it.each(SEEDS)('seed %i: every request is answered with a known code and a remark, the broker keeps serving and its store stays consistent', async (seed) => {
    const { clock, sink, namesrv, newBroker, newClient, settle } = await world(seed);
    const broker = newBroker();
    await settle(broker.start());
    const run = new FuzzRun(clock, new Fuzz(new SeededRandom(seed * 7919), () => clock.now()), VERSIONS.map((version, i) => newClient(i + 10, version)));
    for (let sent = 0; sent < REQUESTS_PER_SEED; sent += BATCH) await run.batch();
    await run.awaitHeldPulls();

    // The broker still serves: a normal send, a pull of it, and its route.
    const good = newClient(99, 293);
    const topic = `Final${seed}`;
    const send = createRequestCommand(RequestCode.SEND_MESSAGE_V2, { a: 'pg', b: topic, c: 'TBW102', d: 4, e: 0, f: 0, g: clock.now(), h: 0, i: 'TAGS\u0001TagA\u0002', j: 0, k: false });
    send.body = utf8.encode(`final ${seed}`);
    const sendResponse = await settle(good.invokeSync(BROKER, send, 3000));
    expect([sendResponse.code, sendResponse.remark]).toEqual([ResponseCode.SUCCESS, undefined]);
    const pull = createRequestCommand(RequestCode.PULL_MESSAGE, {
      consumerGroup: `final_cg${seed}`, topic, queueId: 0, queueOffset: 0, maxMsgNums: 32, sysFlag: PullSysFlag.FLAG_SUBSCRIPTION, commitOffset: 0,
      suspendTimeoutMillis: 0, subscription: '*', subVersion: 0, expressionType: 'TAG',
    });
    const pulled = await settle(good.invokeSync(BROKER_VIP, pull, 3000));
    expect([pulled.code, pulled.remark]).toEqual([ResponseCode.SUCCESS, 'FOUND']);
    expect(decodeMessages(pulled.body!).map((m) => new TextDecoder().decode(m.body))).toEqual([`final ${seed}`]);
    const route = await settle(good.invokeSync(NAMESRV, createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }), 3000));
    expect(route.code).toBe(ResponseCode.SUCCESS);

    // Once the fuzz clients are gone, nothing of theirs is left: no held pull, no consumer, no producer.
    for (const client of run.clients) client.shutdown();
    await clock.advance(10_000);
    expect(broker.pullRequestHoldService.heldCount).toBe(0);
    expect([...broker.consumerManager.consumerTable.keys()]).toEqual([]);
    expect([...broker.producerManager.getGroupChannelTable().keys()]).toEqual([]);

    // The store holds everything the fuzz got stored (deleted topics lost their consume queues;
    // one-way deletes got no answer, so the broker's events say which).
    const deletedTopics = new Set(sink.ofKind('broker.topic.deleted').map((e) => e.data.topic));
    run.verifyStored(broker.messageStore, deletedTopics);
    expect(run.stored.length).toBeGreaterThan(20);

    // A clean restart on the same disk keeps every message and every table, and serves again.
    const before = tables(broker);
    await settle(broker.shutdown());
    const second = newBroker();
    await settle(second.start());
    expect(tables(second)).toEqual(before);
    run.verifyStored(second.messageStore, deletedTopics);
    const again = await settle(good.invokeSync(BROKER, pull, 3000));
    expect(again.code).toBe(ResponseCode.SUCCESS);
    await settle(second.shutdown());
    await settle(namesrv.shutdown());

    expect([...run.problems].map(([key, detail]) => `${key}\n    ${detail}`)).toEqual([]);
    expect(crashes).toEqual([]);
  });
});

/**
 * One seed's fuzzing: sends batches from the clients, checks every answer, remembers what
 * got stored, and collects problems (first occurrence of each kind, with the request).
 */
class FuzzRun {
  readonly problems = new Map<string, string>();
  readonly stored: Stored[] = [];
  private readonly heldPulls: Array<{ request: RemotingCommand; outcome: () => { error?: unknown } | undefined }> = [];

  constructor(private readonly clock: ManualClock, private readonly fuzz: Fuzz, readonly clients: RemotingClient[]) {}

  problem(key: string, detail: string): void {
    if (!this.problems.has(key)) this.problems.set(key, detail);
  }

  /** BATCH requests at once, from random clients to either port; waits for every answer but held pulls. */
  async batch(): Promise<void> {
    const { fuzz } = this;
    const waiting: Array<() => boolean> = [];
    // Now and then one client drops its connections mid-batch: answers to it are lost, and
    // pulls held for it are answered on a closed connection.
    const dropper = chance(fuzz.random, 6) ? pick(fuzz.random, this.clients) : undefined;
    for (let i = 0; i < BATCH; i++) {
      const request = fuzz.request();
      const client = pick(fuzz.random, this.clients);
      request.language = pick(fuzz.random, LANGUAGES);
      const address = chance(fuzz.random, 50) ? BROKER : BROKER_VIP;
      if (chance(fuzz.random, 8)) {
        client.invokeOneway(address, request, 3000).catch((error: unknown) => this.problem(`one-way send failed: ${firstLine(error)}`, describeRequest(request, true)));
        continue;
      }
      let outcome: { response?: RemotingCommand; error?: unknown } | undefined;
      const isPull = request.code === RequestCode.PULL_MESSAGE;
      client.invokeSync(address, request, CALL_TIMEOUT_MS).then(
        (response) => {
          outcome = { response };
          this.check(request, response);
        },
        (error: unknown) => {
          outcome = { error };
          if (!isPull && !(client === dropper && isClosedError(error))) this.problem(`no answer: ${firstLine(error)}`, describeRequest(request));
        },
      );
      // A pull with the suspend bit may be held (long polling) until its own timeout: see awaitHeldPulls.
      if (isPull) this.heldPulls.push({ request, outcome: () => outcome });
      else waiting.push(() => outcome !== undefined);
    }
    if (dropper !== undefined) {
      await this.clock.advance(fuzz.random.int(4));
      dropper.closeChannel(BROKER);
      dropper.closeChannel(BROKER_VIP);
    }
    await this.clock.runUntil(() => waiting.every((settled) => settled()), 30_000);
  }

  /** Every pull is answered by its suspend timeout at the latest (the hold service checks every 5 s). */
  async awaitHeldPulls(): Promise<void> {
    await this.clock.runUntil(() => this.heldPulls.every((p) => p.outcome() !== undefined), CALL_TIMEOUT_MS + 10_000);
    for (const { request, outcome } of this.heldPulls) {
      const error = outcome()!.error;
      if (error === undefined || isClosedError(error)) continue;
      const fields = asServerSees(request.extFields);
      const flag = Number(fields['sysFlag']);
      const mayHoldLonger = Number.isInteger(flag) && (flag & PullSysFlag.FLAG_SUSPEND) !== 0 && !(Number(fields['suspendTimeoutMillis']) <= CALL_TIMEOUT_MS - 10_000);
      if (!mayHoldLonger) this.problem(`pull never answered: ${firstLine(error)}`, describeRequest(request));
    }
    await this.clock.advance(1000);
  }

  /** A known code, a remark unless SUCCESS, no exception text, a body its reader reads. */
  private check(request: RemotingCommand, response: RemotingCommand): void {
    const what = describeRequest(request);
    const problem = (key: string, detail: string) => this.problem(key, detail);
    if (!checkAnswer(request, response, what, problem, STORED_CODES)) return;
    this.record(request, response);
    checkBody(request, response, BODY_READERS.get(request.code), what, problem);
  }

  /** Remember a stored send (and feed its queue, offset and msgId back into the fuzzer). */
  private record(request: RemotingCommand, response: RemotingCommand): void {
    const v1 = request.code === RequestCode.SEND_MESSAGE;
    if (!v1 && request.code !== RequestCode.SEND_MESSAGE_V2 && request.code !== RequestCode.SEND_BATCH_MESSAGE) return;
    const f = asServerSees(request.extFields);
    const msgIds = (response.extFields?.['msgId'] ?? '').split(',');
    const batch = (f[v1 ? 'batch' : 'm'] ?? '').toLowerCase() === 'true';
    const body = request.body ?? new Uint8Array(0);
    const bodies = batch ? (decodeBatchMessages(body) ?? []).map((m) => m.body) : [body];
    if (bodies.length !== msgIds.length) this.problem(`stored ${bodies.length} but answered ${msgIds.length} msgIds`, describeRequest(request));
    const topic = f[v1 ? 'topic' : 'b']!;
    const queueId = Number(response.extFields?.['queueId']);
    // PREPARED/ROLLBACK records (the header's sysFlag) and delayed ones go to no queue of the topic.
    const inTopicQueue = ![4, 12].includes(Number(f[v1 ? 'sysFlag' : 'f']) & 0xc) && !/(^|\u0002)DELAY\u0001[1-9]/.test(f[v1 ? 'properties' : 'i'] ?? '');
    this.stored.push({ topic, queueId, queueOffset: Number(response.extFields?.['queueOffset']), msgIds, bodies, inTopicQueue });
    this.fuzz.queues.push({ topic, queueId });
    for (const msgId of msgIds) {
      this.fuzz.msgIds.push(msgId);
      const offset = decodeMessageId(msgId)?.offset;
      if (offset !== undefined) this.fuzz.phyOffsets.push(offset);
    }
  }

  /** Every stored message is at its commit-log offset, and at its queue offset unless its queue is gone. */
  verifyStored(store: BrokerController['messageStore'], deletedTopics: ReadonlySet<string>): void {
    for (const s of this.stored) {
      s.msgIds.forEach((msgId, i) => {
        const offset = decodeMessageId(msgId)?.offset;
        const found = offset === undefined ? undefined : store.lookMessageByOffset(offset);
        if (found === undefined || found.msgId !== msgId || !sameBytes(found.body, s.bodies[i]!)) this.problem(`lost ${msgId}`, `${s.topic} q${s.queueId}`);
        // A %RETRY% send past the retry limit went to %DLQ%<group>.
        if (deletedTopics.has(s.topic) || s.topic.startsWith('%RETRY%') || !s.inTopicQueue) return;
        const result = store.getMessage('fuzz-verify', s.topic, s.queueId, s.queueOffset + i, 1);
        const inQueue = result?.status === GetMessageStatus.FOUND ? decodeMessages(result.body)[0]?.msgId : result?.status;
        if (inQueue !== msgId) this.problem(`not in queue ${s.topic}/${s.queueId}@${s.queueOffset + i}`, `got ${String(inQueue)}`);
      });
    }
  }
}

/** The tables a restart must bring back as they were. */
function tables(broker: BrokerController) {
  return {
    topics: [...broker.topicConfigManager.topicConfigTable.values()].map((c) => c.toString()).sort(),
    // The built-in groups come back at construction even when the fuzz deleted them (Java's init).
    groups: [...broker.subscriptionGroupManager.subscriptionGroupTable.keys()].filter((g) => !BUILT_IN_GROUPS.has(g)).sort(),
    offsets: [...broker.consumerOffsetManager.offsetTable].map(([key, queues]) => `${key} ${JSON.stringify([...queues].sort((x, y) => x[0] - y[0]))}`).sort(),
  };
}

function isClosedError(error: unknown): boolean {
  return error instanceof Error && error.name === 'RemotingConnectionClosedError';
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
