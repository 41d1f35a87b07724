// Shared rig for the consumer-side broker tests (pull, long polling, client and consumer
// management): a real DefaultMessageStore on a MemoryFileSystem and a ManualClock, the B2
// managers and processors wired as BrokerController will wire them, and fakes for B1's
// topic and subscription-group managers (small tables the tests can change).
import { TopicConfig } from '../../../../src/common/topic/topic-config.js';
import type { MessageStoreConfig } from '../../../../src/common/config/message-store-config.js';
import { buildSubscriptionData } from '../../../../src/common/filter/filter-api.js';
import { RequestCode } from '../../../../src/common/protocol/request-code.js';
import type { Connection } from '../../../../src/platform/transport.js';
import { createRequestCommand, type ExtFieldValue, type RemotingCommand } from '../../../../src/remoting/remoting-command.js';
import type { RequestContext } from '../../../../src/remoting/request-processor.js';
import type { MessageStore } from '../../../../src/store/message-store.js';
import { ClientChannelInfo } from '../../../../src/broker/client/client-channel-info.js';
import { ConsumerManager } from '../../../../src/broker/client/consumer-manager.js';
import { DefaultConsumerIdsChangeListener } from '../../../../src/broker/client/consumer-ids-change-listener.js';
import { ProducerManager } from '../../../../src/broker/client/producer-manager.js';
import { ConsumerFilterManager } from '../../../../src/broker/filter/consumer-filter-manager.js';
import { NotifyMessageArrivingListener } from '../../../../src/broker/longpolling/notify-message-arriving-listener.js';
import { PullRequestHoldService } from '../../../../src/broker/longpolling/pull-request-hold-service.js';
import { ConsumerOffsetManager } from '../../../../src/broker/offset/consumer-offset-manager.js';
import { PullMessageProcessor, PullSysFlag, type PullBrokerConfig } from '../../../../src/broker/processor/pull-message-processor.js';
import { openStore, settle, storeRig } from '../../store/message-store-test-support.js';
import { brokerMessage } from '../../store/store-test-support.js';

/** A connection that only records whether it was closed. */
export function fakeConnection(remoteAddress: string, localAddress = '10.0.0.1:10911'): Connection & { closed: boolean } {
  return {
    localAddress,
    remoteAddress,
    closed: false,
    send() {},
    sendMany() {},
    onData() {},
    onClose() {},
    close() {
      this.closed = true;
    },
  };
}

/** A RequestContext that records every response written to it later (long polling). */
export class FakeContext implements RequestContext {
  readonly written: Array<{ request: RemotingCommand; response: RemotingCommand }> = [];
  readonly connection: Connection & { closed: boolean };

  constructor(readonly remoteAddress = '10.0.0.9:51000', readonly localAddress = '10.0.0.1:10911') {
    this.connection = fakeConnection(remoteAddress, localAddress);
  }

  get closed(): boolean {
    return this.connection.closed;
  }

  writeResponse(request: RemotingCommand, response: RemotingCommand): void {
    if (this.closed) return;
    response.opaque = request.opaque;
    this.written.push({ request, response });
  }

  close(): void {
    this.connection.closed = true;
  }
}

/** The subscription-group settings the processors read, with Java's defaults. */
export interface TestGroupConfig {
  groupName: string;
  consumeEnable: boolean;
  consumeBroadcastEnable: boolean;
  retryQueueNums: number;
  brokerId: number;
  whichBrokerWhenConsumeSlowly: number;
  notifyConsumerIdsChangedEnable: boolean;
}

export function groupConfig(groupName: string, overrides: Partial<TestGroupConfig> = {}): TestGroupConfig {
  return {
    groupName, consumeEnable: true, consumeBroadcastEnable: true, retryQueueNums: 1, brokerId: 0,
    whichBrokerWhenConsumeSlowly: 1, notifyConsumerIdsChangedEnable: true, ...overrides,
  };
}

/** Mutable, so a test can flip a setting between two requests (the processors read it per request). */
export type TestBrokerConfig = { -readonly [K in keyof PullBrokerConfig]: PullBrokerConfig[K] } & { notifyConsumerIdsChangedEnable: boolean; autoCreateSubscriptionGroup: boolean };

export interface PullRigOptions {
  store?: Partial<MessageStoreConfig>;
  broker?: Partial<TestBrokerConfig>;
  /** Replaces the real store as the processor's store (to force any GetMessageStatus). */
  processorStore?: Pick<MessageStore, 'getMessage'>;
}

/** The consumer side of a broker, wired by hand, over a real store that is started. */
export function pullRig(options: PullRigOptions = {}) {
  const rig = storeRig(options.store);
  const store = openStore(rig);
  const { clock, events, sink, fs } = rig;
  const brokerConfig: TestBrokerConfig = {
    brokerPermission: 6, brokerIP1: '10.0.0.1', longPollingEnable: true, shortPollingTimeMills: 1000, slaveReadEnable: false,
    enablePropertyFilter: false, notifyConsumerIdsChangedEnable: true, autoCreateSubscriptionGroup: true, ...options.broker,
  };
  const topics = new Map<string, TopicConfig>([['TopicA', new TopicConfig('TopicA', 4, 4)]]);
  const createdBack: Array<{ topic: string; queueNums: number; perm: number; topicSysFlag: number }> = [];
  const topicConfigManager = {
    selectTopicConfig: (topic: string) => topics.get(topic),
    createTopicInSendMessageBackMethod(topic: string, queueNums: number, perm: number, topicSysFlag: number): TopicConfig {
      createdBack.push({ topic, queueNums, perm, topicSysFlag });
      let config = topics.get(topic);
      if (config === undefined) {
        config = new TopicConfig(topic, queueNums, queueNums, perm);
        config.topicSysFlag = topicSysFlag;
        topics.set(topic, config);
      }
      return config;
    },
  };
  const groups = new Map<string, TestGroupConfig>();
  const subscriptionGroupManager = {
    findSubscriptionGroupConfig(group: string): TestGroupConfig | undefined {
      let config = groups.get(group);
      if (config === undefined && brokerConfig.autoCreateSubscriptionGroup) groups.set(group, (config = groupConfig(group)));
      return config;
    },
  };
  const notified: Array<{ remote: string; group: string }> = [];
  const broker2Client = {
    notifyConsumerIdsChanged(connection: Connection, group: string): boolean {
      notified.push({ remote: connection.remoteAddress, group });
      return true;
    },
  };
  // SQL92 filters registered by heartbeats (REGISTER / UNREGISTER of the listener), as the controller wires them.
  const consumerFilterManager = new ConsumerFilterManager({ fs, configPath: '/store/config/consumerFilter.json', clock, events });
  const consumerManager = new ConsumerManager({
    clock, events, consumerIdsChangeListener: new DefaultConsumerIdsChangeListener({ broker2Client, brokerConfig, events, consumerFilterManager }),
  });
  const producerManager = new ProducerManager({ clock, events });
  const consumerOffsetManager = new ConsumerOffsetManager({ fs, configPath: '/store/config/consumerOffset.json', events });
  const pullRequestHoldService = new PullRequestHoldService({ clock, events, messageStore: store, brokerConfig });
  const storeConfig = rig.config;
  const processor = new PullMessageProcessor({
    brokerConfig, storeConfig, messageStore: options.processorStore ?? store, topicConfigManager, subscriptionGroupManager,
    consumerManager, consumerOffsetManager, pullRequestHoldService, clock, events, consumerFilterManager,
  });
  store.messageArrivingListener = new NotifyMessageArrivingListener(pullRequestHoldService);
  pullRequestHoldService.start();

  /** Store a message and let the reput service dispatch it (which notifies held pulls). */
  const put = async (topic: string, queueId: number, tags?: string, properties?: Record<string, string>): Promise<void> => {
    const result = await settle(clock, store.putMessage(brokerMessage({ topic, queueId, ...(tags === undefined ? {} : { tags }), ...(properties === undefined ? {} : { properties }) })));
    if (result.putMessageStatus !== 'PUT_OK') throw new Error(`put failed: ${result.putMessageStatus}`);
    await clock.advance(0);
  };
  /** What a heartbeat would register: `group` subscribes `topic` with `subString` on `ctx`'s connection. */
  const subscribe = (group: string, topic: string, subString: string, ctx: FakeContext, subVersion = 1000, clientId = 'client-1', expressionType?: string): void => {
    const client = new ClientChannelInfo(ctx.connection, clientId, 'JAVA', 293, clock.now());
    const sub = buildSubscriptionData(topic, subString, expressionType, subVersion);
    consumerManager.registerConsumer(group, client, 'CONSUME_PASSIVELY', 'CLUSTERING', 'CONSUME_FROM_LAST_OFFSET', [sub], true);
  };
  return {
    ...rig, store, brokerConfig, storeConfig, topics, createdBack, topicConfigManager, groups, subscriptionGroupManager,
    notified, broker2Client, consumerManager, producerManager, consumerOffsetManager, consumerFilterManager, pullRequestHoldService, processor, put, subscribe,
  };
}

export type PullRig = ReturnType<typeof pullRig>;

let nextOpaque = 100;

/** A PULL_MESSAGE request as a push consumer sends it (suspend allowed, no subscription, no commit). */
export function pullCommand(fields: Record<string, ExtFieldValue> = {}): RemotingCommand {
  const request = createRequestCommand(RequestCode.PULL_MESSAGE, {
    consumerGroup: 'CG', topic: 'TopicA', queueId: 0, queueOffset: 0, maxMsgNums: 32, sysFlag: PullSysFlag.FLAG_SUSPEND,
    commitOffset: 0, suspendTimeoutMillis: 15_000, subVersion: 1000, ...fields,
  });
  request.opaque = nextOpaque++;
  return request;
}

/** The four header fields every pull answer of codes 0/19/20/21 must carry, as numbers. */
export function pullHeader(response: RemotingCommand): { suggestWhichBrokerId: number; nextBeginOffset: number; minOffset: number; maxOffset: number } {
  return {
    suggestWhichBrokerId: response.getLong('suggestWhichBrokerId'),
    nextBeginOffset: response.getLong('nextBeginOffset'),
    minOffset: response.getLong('minOffset'),
    maxOffset: response.getLong('maxOffset'),
  };
}
