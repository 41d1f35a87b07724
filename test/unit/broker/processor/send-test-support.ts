// Helpers for the SendMessageProcessor tests: a real DefaultMessageStore (teaching sizes) on
// a MemoryFileSystem, the topic and group managers, a fake connection context, request
// builders for both header spellings, and a reader for what a queue holds.
import { SubscriptionGroupManager } from '../../../../src/broker/subscription/subscription-group-manager.js';
import { TopicConfigManager } from '../../../../src/broker/topic/topic-config-manager.js';
import { SendMessageProcessor } from '../../../../src/broker/processor/send-message-processor.js';
import { defaultBrokerConfig, type BrokerConfig } from '../../../../src/common/config/broker-config.js';
import { messageStoreConfigFor } from '../../../../src/common/config/profiles.js';
import { decodeMessages } from '../../../../src/common/message/message-decoder.js';
import type { MessageExt } from '../../../../src/common/message/message-ext.js';
import { RequestCode } from '../../../../src/common/protocol/request-code.js';
import { NodeEvents, RecordingSink } from '../../../../src/events/event-sink.js';
import { SeededRandom } from '../../../../src/platform/random.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import type { Connection } from '../../../../src/platform/transport.js';
import { createRequestCommand, type ExtFieldValue, type RemotingCommand } from '../../../../src/remoting/remoting-command.js';
import type { RequestContext } from '../../../../src/remoting/request-processor.js';
import { DefaultMessageStore } from '../../../../src/store/default-message-store.js';

export const PRODUCER_ADDR = '10.0.0.9:50001';
export const STORE_HOST = '10.0.0.2:10911';
export const BORN = 1_699_999_999_000;

/** A context as the remoting server would hand it over, for a producer at {@link PRODUCER_ADDR}. */
export function fakeContext(remoteAddress = PRODUCER_ADDR): RequestContext {
  return {
    connection: {} as Connection,
    remoteAddress,
    localAddress: STORE_HOST,
    closed: false,
    writeResponse: () => undefined,
    close: () => undefined,
  };
}

export function sendRig(overrides: Partial<BrokerConfig> = {}) {
  const clock = new ManualClock(1_700_000_000_000);
  const fs = new MemoryFileSystem();
  const sink = new RecordingSink(clock);
  const events = new NodeEvents(sink, 'broker-a');
  const brokerConfig = defaultBrokerConfig({ brokerIP1: '10.0.0.2', ...overrides });
  const storeConfig = messageStoreConfigFor('teaching', { storePathRootDir: '/store' });
  const store = new DefaultMessageStore({ fs, clock, events, config: storeConfig, storeHost: STORE_HOST });
  if (!store.load()) throw new Error('store load failed');
  store.start();
  const topicConfigManager = new TopicConfigManager({ fs, clock, events, storePathRootDir: '/store', brokerConfig });
  const subscriptionGroupManager = new SubscriptionGroupManager({ fs, clock, events, storePathRootDir: '/store', brokerConfig });
  const processor = new SendMessageProcessor({
    messageStore: store, topicConfigManager, subscriptionGroupManager, brokerConfig, maxMessageSize: storeConfig.maxMessageSize,
    clock, random: new SeededRandom(3), events,
  });
  /** Run the processor and wait for its answer (a put never waits for timers with ASYNC_FLUSH). */
  const send = async (request: RemotingCommand, ctx = fakeContext()): Promise<RemotingCommand> => {
    const response = await processor.processRequest(ctx, request);
    if (response === null) throw new Error('no response');
    return response;
  };
  /** Every message in a queue, once the reput service dispatched what was put. */
  const read = async (topic: string, queueId: number): Promise<MessageExt[]> => {
    await clock.advance(10);
    const result = store.getMessage('test', topic, queueId, 0, 32);
    return result === undefined ? [] : decodeMessages(result.body);
  };
  return { clock, fs, sink, events, brokerConfig, storeConfig, store, topicConfigManager, subscriptionGroupManager, processor, send, read };
}

/** The properties string of a message with these pairs: `KEY\u0001value\u0002...`. */
export function props(pairs: Record<string, string>): string {
  return Object.entries(pairs).map(([k, v]) => `${k}\u0001${v}\u0002`).join('');
}

export interface SendFields {
  producerGroup?: ExtFieldValue;
  topic?: ExtFieldValue;
  defaultTopic?: ExtFieldValue;
  defaultTopicQueueNums?: ExtFieldValue;
  queueId?: ExtFieldValue;
  sysFlag?: ExtFieldValue;
  bornTimestamp?: ExtFieldValue;
  flag?: ExtFieldValue;
  properties?: ExtFieldValue;
  reconsumeTimes?: ExtFieldValue;
  unitMode?: ExtFieldValue;
  maxReconsumeTimes?: ExtFieldValue;
  batch?: ExtFieldValue;
}

const DEFAULTS: SendFields = {
  producerGroup: 'pg', topic: 'TopicA', defaultTopic: 'TBW102', defaultTopicQueueNums: 4, queueId: 0, sysFlag: 0,
  bornTimestamp: BORN, flag: 0, properties: props({ TAGS: 'TagA', WAIT: 'true', UNIQ_KEY: 'AC11000100002A9F0000000000000001' }),
};

const V2: Record<keyof SendFields, string> = {
  producerGroup: 'a', topic: 'b', defaultTopic: 'c', defaultTopicQueueNums: 'd', queueId: 'e', sysFlag: 'f', bornTimestamp: 'g',
  flag: 'h', properties: 'i', reconsumeTimes: 'j', unitMode: 'k', maxReconsumeTimes: 'l', batch: 'm',
};

/** A SEND_MESSAGE_V2 (or SEND_BATCH_MESSAGE when `code` says so) with one-letter keys. `null` leaves a field out. */
export function sendV2(fields: SendFields = {}, body: Uint8Array = new TextEncoder().encode('hello'), code: number = RequestCode.SEND_MESSAGE_V2): RemotingCommand {
  const merged = { ...DEFAULTS, ...fields };
  const ext: Record<string, ExtFieldValue> = {};
  for (const [name, value] of Object.entries(merged)) ext[V2[name as keyof SendFields]] = value;
  const request = createRequestCommand(code, ext);
  request.body = body;
  return request;
}

/** A SEND_MESSAGE (10) with the long field names. `null` leaves a field out. */
export function sendV1(fields: SendFields = {}, body: Uint8Array = new TextEncoder().encode('hello')): RemotingCommand {
  const request = createRequestCommand(RequestCode.SEND_MESSAGE, { ...DEFAULTS, ...fields } as Record<string, ExtFieldValue>);
  request.body = body;
  return request;
}
