/**
 * DefaultMQProducer: the application's handle for sending messages.
 *
 * This is where a message starts its life. A producer belongs to a producer group (the
 * broker groups producers to call them back for transaction checks), knows the name
 * servers, and owns nothing heavy itself: connections, routes and heartbeats belong to the
 * MQClientInstance it shares with every other producer and consumer of the process.
 *
 * Let us follow one `await producer.send(msg)`:
 *
 * 1. The message is checked (topic legal, body non-empty and at most 4 MiB) and stamped with
 *    a UNIQ_KEY, the id applications and consumers will know it by. A body of 4 KiB or more
 *    is zlib-compressed and bit 0 of its sysFlag set.
 * 2. The producer looks up the topic's publish info: the list of (broker, queue) pairs it
 *    may write. The first time, it asks the name server; a topic nobody created yet has no
 *    route, so it borrows the route of the template topic TBW102, capped to
 *    `defaultTopicQueueNums` (4) queues per broker, and the broker creates the topic when the
 *    first message arrives.
 * 3. It picks a queue round-robin from a random start, sends SEND_MESSAGE_V2 to that queue's
 *    master, and waits. If the broker cannot be reached or answers with a retryable code, it
 *    tries again on a queue of another broker, up to `retryTimesWhenSendFailed` (2) more
 *    times, all within `sendMsgTimeout` (3 s).
 * 4. The answer carries the broker's own id for the stored record (`offsetMsgId`: store host
 *    and commit-log offset) and the queue offset it got; the SendResult pairs them with the
 *    UNIQ_KEY (`msgId`).
 *
 * `sendAsync` does the same without waiting between messages: many sends are in flight on
 * one connection at once, which is how a producer reaches high throughput. `sendOneway`
 * does not even wait for the answer.
 *
 * ```
 *   producer = new DefaultMQProducer({ platform, events, producerGroup: 'pg', namesrvAddr: '10.0.0.1:9876' })
 *   await producer.start()
 *   const result = await producer.send(Message.create('TopicA', body, { tags: 'TagA' }))
 *   result.sendStatus === 'SEND_OK'; result.msgId = UNIQ_KEY; result.offsetMsgId = broker id
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - Options object instead of setters; `send` overloads decided by the argument types.
 * - Every send returns a Promise; `sendAsync` may also take a Node-style callback.
 * - No namespace, trace or request/reply; transactions are `TransactionMQProducer` (a subclass), not a method here.
 *
 * @mirrors org.apache.rocketmq.client.producer.DefaultMQProducer
 * @article send-receive "The producer sends"
 * @category Client
 * @module
 */
import type { Message } from '../../common/message/message.js';
import { DEFAULT_PRODUCER_GROUP } from '../../common/mix-all.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue-keyed-map.js';
import { AUTO_CREATE_TOPIC_KEY_TOPIC } from '../../common/topic/topic-validator.js';
import { NodeEvents, type EventSink } from '../../events/event-sink.js';
import type { Platform } from '../../platform/platform.js';
import type { RemotingClientConfig } from '../../remoting/remoting-config.js';
import { clientConfig as buildClientConfig, type ClientConfig } from '../client-config.js';
import { MQClientError } from '../errors.js';
import type { MQClientInstance } from '../mq-client-instance.js';
import { MQClientManager } from '../mq-client-manager.js';
import { TopicPublishInfo } from '../route/topic-publish-info.js';
import { topicRouteData2TopicPublishInfo } from '../route/topic-route-conversion.js';
import { checkGroup } from '../validators.js';
import { DefaultMQProducerImpl, type ProducerSettings } from './default-mq-producer-impl.js';
import { MessageBatch } from './message-batch.js';
import type { MessageQueueSelector } from './message-queue-selector.js';
import type { SendResult } from './send-result.js';

export interface DefaultMQProducerOptions {
  platform: Platform;
  events: EventSink;
  /** Node name for events. @defaultValue the producer group */
  node?: string;
  /** @defaultValue 'DEFAULT_PRODUCER' */
  producerGroup?: string;
  /** Client settings (ignored when `clientInstance` is given: the instance's apply). */
  clientConfig?: Partial<ClientConfig>;
  /** Shorthand for `clientConfig.namesrvAddr`. */
  namesrvAddr?: string;
  /** @defaultValue 3000 */
  sendMsgTimeout?: number;
  /** @defaultValue 2 */
  retryTimesWhenSendFailed?: number;
  /** @defaultValue 2 */
  retryTimesWhenSendAsyncFailed?: number;
  /** Retry a sync send whose status is not SEND_OK. @defaultValue false */
  retryAnotherBrokerWhenNotStoreOK?: boolean;
  /** @defaultValue 4096 */
  compressMsgBodyOverHowmuch?: number;
  /** @defaultValue 4194304 */
  maxMessageSize?: number;
  /** @defaultValue 4 */
  defaultTopicQueueNums?: number;
  /** @defaultValue 'TBW102' */
  createTopicKey?: string;
  /** @defaultValue false */
  sendLatencyFaultEnable?: boolean;
  /** Use this instance instead of one from the manager. */
  clientInstance?: MQClientInstance;
  /** Where to find or register the instance. @defaultValue a private manager */
  clientManager?: MQClientManager;
  remotingConfig?: Partial<RemotingClientConfig>;
}

/** Node-style completion callback of an async send. */
export type SendCallback = (error: Error | undefined, result: SendResult | undefined) => void;

/** Extra arguments of `send`. */
export interface SendOptions {
  /** @defaultValue sendMsgTimeout */
  timeoutMs?: number;
}

/** Extra arguments of `sendAsync`. */
export interface SendAsyncOptions extends SendOptions {
  /** Send to this queue (no retries). */
  mq?: MessageQueue;
  /** Let the selector pick the queue from `arg`. */
  selector?: MessageQueueSelector;
  arg?: unknown;
}

export class DefaultMQProducer implements ProducerSettings {
  readonly producerGroup: string;
  sendMsgTimeout: number;
  retryTimesWhenSendFailed: number;
  retryTimesWhenSendAsyncFailed: number;
  retryAnotherBrokerWhenNotStoreOK: boolean;
  compressMsgBodyOverHowmuch: number;
  maxMessageSize: number;
  defaultTopicQueueNums: number;
  createTopicKey: string;
  readonly clientConfig: ClientConfig;
  readonly defaultMQProducerImpl: DefaultMQProducerImpl;
  readonly mQClientFactory: MQClientInstance;

  constructor(options: DefaultMQProducerOptions) {
    this.producerGroup = options.producerGroup ?? DEFAULT_PRODUCER_GROUP;
    this.sendMsgTimeout = options.sendMsgTimeout ?? 3000;
    this.retryTimesWhenSendFailed = options.retryTimesWhenSendFailed ?? 2;
    this.retryTimesWhenSendAsyncFailed = options.retryTimesWhenSendAsyncFailed ?? 2;
    this.retryAnotherBrokerWhenNotStoreOK = options.retryAnotherBrokerWhenNotStoreOK ?? false;
    this.compressMsgBodyOverHowmuch = options.compressMsgBodyOverHowmuch ?? 4096;
    this.maxMessageSize = options.maxMessageSize ?? 4 * 1024 * 1024;
    this.defaultTopicQueueNums = options.defaultTopicQueueNums ?? 4;
    this.createTopicKey = options.createTopicKey ?? AUTO_CREATE_TOPIC_KEY_TOPIC;
    const node = options.node ?? options.clientInstance?.node ?? this.producerGroup;
    if (options.clientInstance !== undefined) {
      this.mQClientFactory = options.clientInstance;
      this.clientConfig = options.clientInstance.clientConfig;
    } else {
      const overrides = { ...options.clientConfig, ...(options.namesrvAddr === undefined ? {} : { namesrvAddr: options.namesrvAddr }) };
      this.clientConfig = buildClientConfig(overrides);
      const manager = options.clientManager ?? new MQClientManager();
      this.mQClientFactory = manager.getOrCreateMQClientInstance(this.clientConfig, {
        platform: options.platform,
        events: options.events,
        node,
        ...(options.remotingConfig === undefined ? {} : { remotingConfig: options.remotingConfig }),
      });
    }
    this.defaultMQProducerImpl = new DefaultMQProducerImpl(this, this.mQClientFactory, new NodeEvents(options.events, node));
    this.defaultMQProducerImpl.mqFaultStrategy.sendLatencyFaultEnable = options.sendLatencyFaultEnable ?? false;
  }

  /** Whether the latency fault strategy is on. */
  get sendLatencyFaultEnable(): boolean {
    return this.defaultMQProducerImpl.mqFaultStrategy.sendLatencyFaultEnable;
  }

  set sendLatencyFaultEnable(enable: boolean) {
    this.defaultMQProducerImpl.mqFaultStrategy.sendLatencyFaultEnable = enable;
  }

  /** Register with the client instance, start it, and send a first heartbeat. */
  async start(): Promise<void> {
    this.startImpl(true);
    await this.mQClientFactory.sendHeartbeatToAllBrokerWithLock();
  }

  /** Leave the client instance (UNREGISTER_CLIENT to every broker) and stop it if it is idle. */
  async shutdown(): Promise<void> {
    await this.shutdownImpl(true);
  }

  /** @internal The instance starts its inner producer without starting itself again. */
  startForInstance(): void {
    this.startImpl(false);
  }

  /** @internal */
  async shutdownForInstance(): Promise<void> {
    await this.shutdownImpl(false);
  }

  private startImpl(startFactory: boolean): void {
    const impl = this.defaultMQProducerImpl;
    if (impl.state === 'RUNNING') return;
    if (impl.state !== 'CREATE_JUST') throw new MQClientError(-1, `The producer service state not OK, maybe started once, ${impl.state}`);
    checkGroup(this.producerGroup);
    if (this.producerGroup === DEFAULT_PRODUCER_GROUP) throw new MQClientError(-1, 'producerGroup can not equal DEFAULT_PRODUCER, please specify another one.');
    if (!this.mQClientFactory.registerProducer(this.producerGroup, impl)) {
      throw new MQClientError(-1, `The producer group[${this.producerGroup}] has been created before, specify another name please.`);
    }
    impl.topicPublishInfoTable.set(this.createTopicKey, new TopicPublishInfo(this.mQClientFactory.platform.random));
    impl.state = 'RUNNING';
    if (startFactory) this.mQClientFactory.start();
  }

  private async shutdownImpl(shutdownFactory: boolean): Promise<void> {
    const impl = this.defaultMQProducerImpl;
    if (impl.state !== 'RUNNING') return;
    impl.state = 'SHUTDOWN_ALREADY';
    await this.mQClientFactory.unregisterProducer(this.producerGroup);
    if (shutdownFactory) await this.mQClientFactory.shutdown();
  }

  // ---------------------------------------------------------------------------------------
  // Sending.

  /**
   * Send and wait for the broker's answer, retrying on another broker when needed.
   * - `send(msg)`, `send(msg, timeoutMs)`, `send(msg, { timeoutMs })`
   * - `send([m1, m2, ...])`: one SEND_BATCH_MESSAGE (same topic, no delay)
   * - `send(msg, mq)`: to that queue, no retries
   * - `send(msg, selector, arg)`: to the queue `selector` picks from `arg`, no retries
   */
  send(msg: Message | readonly Message[], options?: number | SendOptions): Promise<SendResult>;
  send(msg: Message | readonly Message[], mq: MessageQueue, timeoutMs?: number): Promise<SendResult>;
  send(msg: Message, selector: MessageQueueSelector, arg: unknown, timeoutMs?: number): Promise<SendResult>;
  send(msg: Message | readonly Message[], second?: number | SendOptions | MessageQueue | MessageQueueSelector, third?: unknown, fourth?: number): Promise<SendResult> {
    try {
      const message = this.toMessage(msg);
      if (isSelector(second)) {
        return required(this.defaultMQProducerImpl.sendSelectImpl(message, second, third, 'SYNC', fourth ?? this.sendMsgTimeout));
      }
      if (isMessageQueue(second)) {
        return required(this.defaultMQProducerImpl.sendDirect(message, second, 'SYNC', (third as number | undefined) ?? this.sendMsgTimeout));
      }
      return required(this.defaultMQProducerImpl.sendDefaultImpl(message, 'SYNC', timeoutOf(second, this.sendMsgTimeout)));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Send without waiting between messages: the request goes out before this returns (when
   * the route is cached and no compression is needed). The Promise settles with the answer;
   * `callback`, when given, gets it too (and the Promise may then be ignored safely).
   */
  sendAsync(msg: Message | readonly Message[], callback?: SendCallback | SendAsyncOptions, options?: SendAsyncOptions): Promise<SendResult> {
    const cb = typeof callback === 'function' ? callback : undefined;
    const opts = (typeof callback === 'object' ? callback : options) ?? {};
    let promise: Promise<SendResult>;
    try {
      const message = this.toMessage(msg);
      const timeoutMs = opts.timeoutMs ?? this.sendMsgTimeout;
      const impl = this.defaultMQProducerImpl;
      promise = required(opts.selector !== undefined ? impl.sendSelectImpl(message, opts.selector, opts.arg, 'ASYNC', timeoutMs)
        : opts.mq !== undefined ? impl.sendDirect(message, opts.mq, 'ASYNC', timeoutMs)
        : impl.sendDefaultImpl(message, 'ASYNC', timeoutMs));
    } catch (error) {
      promise = Promise.reject(error);
    }
    if (cb !== undefined) promise.then((result) => cb(undefined, result), (error: unknown) => cb(asError(error), undefined));
    return promise;
  }

  /** Send without waiting for any answer (one attempt, no result). */
  sendOneway(msg: Message, target?: MessageQueue | MessageQueueSelector, arg?: unknown): Promise<void> {
    try {
      const impl = this.defaultMQProducerImpl;
      const pending = isSelector(target) ? impl.sendSelectImpl(msg, target, arg, 'ONEWAY', this.sendMsgTimeout)
        : isMessageQueue(target) ? impl.sendDirect(msg, target, 'ONEWAY', this.sendMsgTimeout)
        : impl.sendDefaultImpl(msg, 'ONEWAY', this.sendMsgTimeout);
      return pending.then(() => undefined);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The publish queues of `topic` as the name server reports them now. */
  async fetchPublishMessageQueues(topic: string): Promise<MessageQueue[]> {
    const route = await this.mQClientFactory.mqClientAPIImpl.getTopicRouteInfoFromNameServer(topic, this.clientConfig.mqClientApiTimeout, false);
    if (route === undefined) throw new MQClientError(-1, `Can not find Message Queue for this topic, ${topic}`);
    return topicRouteData2TopicPublishInfo(topic, route, this.mQClientFactory.platform.random).messageQueueList.map((mq) => ({ ...mq }));
  }

  /** A single Message, or a list wrapped as a MessageBatch with UNIQ_KEYs set and encoded. */
  private toMessage(msg: Message | readonly Message[]): Message {
    if (!Array.isArray(msg)) return msg as Message;
    const batch = MessageBatch.generateFromList(msg as readonly Message[]);
    const ids = this.mQClientFactory.messageClientIDSetter;
    for (const member of batch.messages) ids.setUniqID(member);
    batch.encode();
    return batch;
  }
}

function isSelector(value: unknown): value is MessageQueueSelector {
  return typeof value === 'object' && value !== null && typeof (value as MessageQueueSelector).select === 'function';
}

function isMessageQueue(value: unknown): value is MessageQueue {
  return typeof value === 'object' && value !== null && typeof (value as MessageQueue).brokerName === 'string' && typeof (value as MessageQueue).queueId === 'number';
}

function timeoutOf(value: number | SendOptions | undefined, fallback: number): number {
  if (typeof value === 'number') return value;
  return value?.timeoutMs ?? fallback;
}

/** A sync or async send always has a result (only one-way has none). */
function required(pending: Promise<SendResult | undefined>): Promise<SendResult> {
  return pending as Promise<SendResult>;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
