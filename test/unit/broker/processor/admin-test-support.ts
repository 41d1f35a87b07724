// A broker's parts without the controller, for the admin and query processor tests: a real
// DefaultMessageStore on a MemoryFileSystem and the real topic, group, offset and client
// managers, plus a request context and a remoting server that record what is written to them.
import { defaultBrokerConfig, type BrokerConfig } from '../../../../src/common/config/broker-config.js';
import type { MessageStoreConfig } from '../../../../src/common/config/message-store-config.js';
import { ClientChannelInfo } from '../../../../src/broker/client/client-channel-info.js';
import { ConsumerManager } from '../../../../src/broker/client/consumer-manager.js';
import { ProducerManager } from '../../../../src/broker/client/producer-manager.js';
import { RebalanceLockManager } from '../../../../src/broker/client/rebalance-lock-manager.js';
import { ConsumerOffsetManager } from '../../../../src/broker/offset/consumer-offset-manager.js';
import { AdminBrokerProcessor, type AdminBrokerProcessorOptions } from '../../../../src/broker/processor/admin-broker-processor.js';
import { SubscriptionGroupManager } from '../../../../src/broker/subscription/subscription-group-manager.js';
import { TopicConfigManager } from '../../../../src/broker/topic/topic-config-manager.js';
import { buildSubscriptionData } from '../../../../src/common/filter/filter-api.js';
import type { Connection } from '../../../../src/platform/transport.js';
import { createRequestCommand, type ExtFieldValue, type RemotingCommand } from '../../../../src/remoting/remoting-command.js';
import type { RequestContext } from '../../../../src/remoting/request-processor.js';
import { openStore, settle, storeRig, type StoreRig } from '../../store/message-store-test-support.js';
import { brokerMessage, type TestMessageOptions } from '../../store/store-test-support.js';

/** A connection that keeps what is sent on it. */
export function fakeConnection(remoteAddress: string): Connection & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return {
    sent,
    localAddress: '10.0.0.1:10911',
    remoteAddress,
    closed: false,
    send: (bytes) => void sent.push(bytes),
    sendMany: (chunks) => void sent.push(...chunks),
    onData: () => {},
    onClose: () => {},
    close: () => {},
  };
}

/** A request context whose late responses (`writeResponse`) are kept in `written`. */
export function fakeContext(remoteAddress = '10.0.0.9:50000'): RequestContext & { written: RemotingCommand[] } {
  const written: RemotingCommand[] = [];
  return {
    written,
    connection: fakeConnection(remoteAddress),
    remoteAddress,
    localAddress: '10.0.0.1:10911',
    closed: false,
    writeResponse: (_request, response) => void written.push(response),
    close: () => {},
  };
}

export interface AdminRig extends StoreRig {
  readonly brokerConfig: BrokerConfig;
  readonly topics: TopicConfigManager;
  readonly groups: SubscriptionGroupManager;
  readonly offsets: ConsumerOffsetManager;
  readonly consumers: ConsumerManager;
  readonly producers: ProducerManager;
  readonly locks: RebalanceLockManager;
  /** One-way requests sent to clients, with the connection they went to. */
  readonly oneway: Array<{ connection: Connection; request: RemotingCommand }>;
  readonly registered: string[];
  readonly processor: AdminBrokerProcessor;
  readonly options: AdminBrokerProcessorOptions;
  /** Call the processor (awaiting a Promise answer). */
  call(code: number, fields?: Record<string, ExtFieldValue>, body?: Uint8Array, ctx?: RequestContext): Promise<RemotingCommand | null>;
  /** Store messages and wait until they are dispatched into their consume queues. */
  put(...messages: TestMessageOptions[]): Promise<void>;
  /** Register a push consumer of `group` subscribing `topic` with `subString`. */
  consumer(group: string, clientId: string, topic: string, subString?: string, remoteAddress?: string): ClientChannelInfo;
}

export function adminRig(storeOverrides: Partial<MessageStoreConfig> = {}, brokerOverrides: Partial<BrokerConfig> = {}): AdminRig {
  const rig = storeRig(storeOverrides);
  const store = openStore(rig);
  const { fs, clock, events } = rig;
  const brokerConfig = defaultBrokerConfig({ brokerIP1: '10.0.0.1', ...brokerOverrides });
  const topics = new TopicConfigManager({ fs, clock, events, storePathRootDir: '/store', brokerConfig });
  topics.load();
  const groups = new SubscriptionGroupManager({ fs, clock, events, storePathRootDir: '/store', brokerConfig });
  const offsets = new ConsumerOffsetManager({ fs, configPath: '/store/config/consumerOffset.json', events });
  const consumers = new ConsumerManager({ clock, events, consumerIdsChangeListener: { handle: () => {} } });
  const producers = new ProducerManager({ clock, events });
  const locks = new RebalanceLockManager({ clock, events });
  const oneway: AdminRig['oneway'] = [];
  const registered: string[] = [];
  const options: AdminBrokerProcessorOptions = {
    brokerConfig, storeConfig: rig.config, messageStore: store, topicConfigManager: topics, subscriptionGroupManager: groups,
    consumerOffsetManager: offsets, consumerManager: consumers, producerManager: producers, rebalanceLockManager: locks, clock, events,
    remotingServer: { invokeOneway: (connection, request) => void oneway.push({ connection, request }) },
    registerIncrementBrokerData: (config) => void registered.push(config.topicName),
    bootTimestamp: clock.now(),
  };
  const processor = new AdminBrokerProcessor(options);
  const call = async (code: number, fields: Record<string, ExtFieldValue> = {}, body?: Uint8Array, ctx: RequestContext = fakeContext()) => {
    const request = createRequestCommand(code, fields);
    request.body = body;
    return processor.processRequest(ctx, request);
  };
  const put = async (...messages: TestMessageOptions[]) => {
    for (const m of messages) await settle(clock, rig.store.putMessage(brokerMessage(m)));
    await clock.runUntil(() => rig.store.dispatchBehindBytes() === 0, 10_000);
  };
  const consumer = (group: string, clientId: string, topic: string, subString = '*', remoteAddress = '10.0.0.7:60000') => {
    const info = new ClientChannelInfo(fakeConnection(remoteAddress), clientId, 'JAVA', 293, clock.now());
    consumers.registerConsumer(group, info, 'CONSUME_PASSIVELY', 'CLUSTERING', 'CONSUME_FROM_LAST_OFFSET', [buildSubscriptionData(topic, subString)], false);
    return info;
  };
  return { ...rig, brokerConfig, topics, groups, offsets, consumers, producers, locks, oneway, registered, processor, options, call, put, consumer };
}

/** The body as text (for golden comparisons of fastjson output). */
export function bodyText(response: RemotingCommand | null): string {
  return new TextDecoder().decode(response?.body ?? new Uint8Array(0));
}
