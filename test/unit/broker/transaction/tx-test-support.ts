// A transactional broker wired by hand, as BrokerController wires it, over a real
// DefaultMessageStore on a MemoryFileSystem and a ManualClock: the send and end-transaction
// processors, the transaction bridge, service, listener and check service, and a
// producer table whose CHECK_TRANSACTION_STATE requests are recorded instead of sent.
// `restart()`-style tests build a second TxBroker on the same world (same disk and clock).
import { Broker2Client } from '../../../../src/broker/client/broker2client.js';
import { ClientChannelInfo } from '../../../../src/broker/client/client-channel-info.js';
import { ProducerManager } from '../../../../src/broker/client/producer-manager.js';
import { getConsumerOffsetPath } from '../../../../src/broker/config-manager.js';
import { ConsumerOffsetManager } from '../../../../src/broker/offset/consumer-offset-manager.js';
import { EndTransactionProcessor } from '../../../../src/broker/processor/end-transaction-processor.js';
import { SendMessageProcessor } from '../../../../src/broker/processor/send-message-processor.js';
import { SubscriptionGroupManager } from '../../../../src/broker/subscription/subscription-group-manager.js';
import { TopicConfigManager } from '../../../../src/broker/topic/topic-config-manager.js';
import { DefaultTransactionalMessageCheckListener } from '../../../../src/broker/transaction/default-transactional-message-check-listener.js';
import { TransactionalMessageBridge } from '../../../../src/broker/transaction/transactional-message-bridge.js';
import { TransactionalMessageCheckService } from '../../../../src/broker/transaction/transactional-message-check-service.js';
import { TransactionalMessageServiceImpl } from '../../../../src/broker/transaction/transactional-message-service.js';
import { defaultBrokerConfig, type BrokerConfig } from '../../../../src/common/config/broker-config.js';
import type { MessageStoreConfig } from '../../../../src/common/config/message-store-config.js';
import { messageStoreConfigFor } from '../../../../src/common/config/profiles.js';
import { decodeMessages } from '../../../../src/common/message/message-decoder.js';
import type { MessageExt } from '../../../../src/common/message/message-ext.js';
import { RequestCode } from '../../../../src/common/protocol/request-code.js';
import { NodeEvents, RecordingSink } from '../../../../src/events/event-sink.js';
import { SeededRandom } from '../../../../src/platform/random.js';
import { ManualClock } from '../../../../src/platform/sim/manual-clock.js';
import { MemoryFileSystem } from '../../../../src/platform/sim/memory-file-system.js';
import type { Connection } from '../../../../src/platform/transport.js';
import { createRequestCommand, markOneway, type ExtFieldValue, type RemotingCommand } from '../../../../src/remoting/remoting-command.js';
import type { RequestContext } from '../../../../src/remoting/request-processor.js';
import { DefaultMessageStore } from '../../../../src/store/default-message-store.js';
import { props, sendV2, type SendFields } from '../processor/send-test-support.js';
import { ProcessClock } from '../../store/message-store-test-support.js';

export const STORE_HOST = '10.0.0.2:10911';
export const PRODUCER_ADDR = '10.0.0.9:50001';
export const T0 = 1_700_000_000_000;

/** A producer's connection that records whether it was closed. */
export function fakeConnection(remoteAddress: string, localAddress = STORE_HOST): Connection & { closed: boolean } {
  return {
    localAddress, remoteAddress, closed: false, send() {}, sendMany() {}, onData() {}, onClose() {},
    close() {
      this.closed = true;
    },
  };
}

/** A request context for a producer at `remoteAddress`; responses are returned, not written. */
export function producerContext(remoteAddress = PRODUCER_ADDR): RequestContext {
  return { connection: fakeConnection(remoteAddress), remoteAddress, localAddress: STORE_HOST, closed: false, writeResponse: () => undefined, close: () => undefined };
}

/** What survives a broker restart: the disk, the clock, the event log. */
export interface TxWorld {
  readonly clock: ManualClock;
  readonly fs: MemoryFileSystem;
  readonly sink: RecordingSink;
  readonly events: NodeEvents;
}

export function txWorld(): TxWorld {
  const clock = new ManualClock(T0);
  const fs = new MemoryFileSystem();
  const sink = new RecordingSink(clock);
  return { clock, fs, sink, events: new NodeEvents(sink, 'broker-a') };
}

export interface TxBrokerOptions {
  broker?: Partial<BrokerConfig>;
  store?: Partial<MessageStoreConfig>;
}

/** One broker process on `world`: loads its config files and store, starts the store (not the check service). */
export function txBroker(world: TxWorld, options: TxBrokerOptions = {}) {
  const { fs, events } = world;
  const clock = new ProcessClock(world.clock);
  const random = new SeededRandom(7);
  const brokerConfig = defaultBrokerConfig({ brokerIP1: '10.0.0.2', ...options.broker });
  const storeConfig = messageStoreConfigFor('teaching', { storePathRootDir: '/store', ...options.store });
  const store = new DefaultMessageStore({ fs, clock, events, config: storeConfig, storeHost: STORE_HOST });
  const topicConfigManager = new TopicConfigManager({ fs, clock, events, storePathRootDir: '/store', brokerConfig });
  const subscriptionGroupManager = new SubscriptionGroupManager({ fs, clock, events, storePathRootDir: '/store', brokerConfig });
  const consumerOffsetManager = new ConsumerOffsetManager({ fs, configPath: getConsumerOffsetPath('/store'), events });
  topicConfigManager.load();
  consumerOffsetManager.load();
  subscriptionGroupManager.load();
  if (!store.load()) throw new Error('store load failed');
  store.start();

  const checks: Array<{ connection: Connection; request: RemotingCommand }> = [];
  const broker2Client = new Broker2Client({ remotingServer: { invokeOneway: (connection, request) => void checks.push({ connection, request }) } });
  const producerManager = new ProducerManager({ clock, events });

  const bridge = new TransactionalMessageBridge({ messageStore: store, topicConfigManager, consumerOffsetManager, brokerConfig, clock, random, events });
  const service = new TransactionalMessageServiceImpl({ bridge, clock, events, fileReservedTime: storeConfig.fileReservedTime });
  const listener = new DefaultTransactionalMessageCheckListener({ producerManager, broker2Client, messageStore: store, topicConfigManager, random, events });
  const checkService = new TransactionalMessageCheckService({ clock, brokerConfig, transactionalMessageService: service, listener });

  const sendProcessor = new SendMessageProcessor({
    messageStore: store, topicConfigManager, subscriptionGroupManager, brokerConfig, maxMessageSize: storeConfig.maxMessageSize, clock, random, events,
  });
  const endProcessor = new EndTransactionProcessor({ storeConfig, messageStore: store, transactionalMessageService: service, events });

  /** A prepared send (SEND_MESSAGE_V2, sysFlag 4, TRAN_MSG=true, PGROUP=pg, born now) to TopicA queue 2. */
  const prepare = async (fields: SendFields = {}, extra: Record<string, string> = {}, uniqKey = 'UNIQ-1'): Promise<RemotingCommand> => {
    const properties = props({ TRAN_MSG: 'true', PGROUP: 'pg', UNIQ_KEY: uniqKey, TAGS: 'TagA', WAIT: 'true', ...extra });
    const request = sendV2({ sysFlag: 4, queueId: 2, bornTimestamp: world.clock.now(), properties, ...fields });
    const response = await sendProcessor.processRequest(producerContext(), request);
    await world.clock.advance(5); // let the reput service dispatch
    return response;
  };
  /** END_TRANSACTION as the Java producer sends it (one-way unless `oneway` is false). */
  const end = async (fields: Record<string, ExtFieldValue>, oneway = true): Promise<RemotingCommand | null> => {
    const request = createRequestCommand(RequestCode.END_TRANSACTION, {
      producerGroup: 'pg', commitOrRollback: 8, fromTransactionCheck: false, msgId: 'UNIQ-1', ...fields,
    });
    if (oneway) markOneway(request);
    const response = await endProcessor.processRequest(producerContext(), request);
    await world.clock.advance(5);
    return response;
  };
  /** Every message stored in a queue. */
  const read = (topic: string, queueId: number): MessageExt[] => {
    const result = store.getMessage('test', topic, queueId, 0, 64);
    return result === undefined ? [] : decodeMessages(result.body.subarray(0, result.bufferTotalSize));
  };
  /** A producer of `group` connected from `remote` (as a heartbeat would register it). */
  const connectProducer = (group = 'pg', remote = PRODUCER_ADDR): Connection => {
    const connection = fakeConnection(remote, STORE_HOST);
    producerManager.registerProducer(group, new ClientChannelInfo(connection, `client@${remote}`, 'JAVA', 293, world.clock.now()));
    return connection;
  };
  /** Stop like BrokerController.shutdown: check service first, persist the tables, stop the store; the process's timers die. */
  const shutdown = (): void => {
    checkService.shutdown();
    consumerOffsetManager.persist();
    topicConfigManager.persist();
    store.shutdown();
    clock.kill();
  };
  return {
    ...world, process: clock, brokerConfig, storeConfig, store, topicConfigManager, subscriptionGroupManager, consumerOffsetManager, producerManager, broker2Client,
    bridge, service, listener, checkService, sendProcessor, endProcessor, checks, prepare, end, read, connectProducer, shutdown,
  };
}

export type TxBroker = ReturnType<typeof txBroker>;
