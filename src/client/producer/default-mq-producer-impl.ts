/**
 * DefaultMQProducerImpl: the send path behind `DefaultMQProducer`, from a Message to a
 * SendResult.
 *
 * ```
 *   send(msg)
 *    1 checkMessage          topic legal? body non-empty and ≤ maxMessageSize?
 *    2 prepare               UNIQ_KEY; zlib-compress a body ≥ 4096 (not a batch); sysFlag;
 *                            flatten the properties once for every attempt
 *    3 publish info          cached per topic; else ask the name server for the topic;
 *                            else for TBW102 capped to defaultTopicQueueNums (auto-create)
 *    4 attempt loop          up to 1 + retryTimesWhenSendFailed (sync) times:
 *        select a queue      round-robin, avoiding the broker that just failed
 *        budget left?        no → "sendDefaultImpl call timeout"
 *        sendKernelImpl      SEND_MESSAGE_V2 to the queue's master
 *        ok                  → SendResult (msgId = UNIQ_KEY, offsetMsgId = broker's id)
 *        RemotingError       → next attempt (another broker)
 *        MQBrokerError       → next attempt for 17, 14, 1, 16, 204, 205; thrown otherwise
 *    5 all failed            MQClientError "Send [3] times, still failed, ..."
 * ```
 *
 * The hot path never awaits before the request is written: the publish info, the broker
 * address and the header come from caches and plain code, so `sendAsync` called 256 times
 * in a row puts 256 requests on the wire before the first answer comes back. Only a body
 * that needs compressing, or a topic whose route is unknown, waits first.
 *
 * Differences from RocketMQ 4.9.x:
 * - The message is prepared once (UNIQ_KEY, compression, properties string) instead of on
 *   every attempt, and the compressed body never replaces `msg.body`.
 * - An async send retries in this loop too (on transport errors only, up to
 *   1 + retryTimesWhenSendAsyncFailed attempts, as Java's `onExceptionImpl`), and its retry
 *   carries the queue id of the newly chosen queue (Java resends the old header).
 * - A send that runs out of its time budget is an MQClientError (REQUEST_TIMEOUT_EXCEPTION)
 *   with Java's text, not a `RemotingTooMuchRequestException`.
 * - No send hooks, no namespace, no trace dispatcher, no request/reply.
 *
 * @mirrors org.apache.rocketmq.client.impl.producer.DefaultMQProducerImpl
 * @article send-receive "The producer sends"
 * @emits client.message.created, client.queue.selected, client.send.completed, client.send.retried, client.send.timed-out
 * @category Client
 * @module
 */
import { MessageConst } from '../../common/message/message-const.js';
import { messageProperties2String } from '../../common/message/message-properties.js';
import { MessageSysFlag } from '../../common/message/message-sys-flag.js';
import type { Message } from '../../common/message/message.js';
import { brokerVIPChannel, isRetryTopic } from '../../common/mix-all.js';
import type { MessageQueue } from '../../common/protocol/body/message-queue-keyed-map.js';
import { ResponseCode } from '../../common/protocol/response-code.js';
import type { NodeEvents } from '../../events/event-sink.js';
import { RemotingConnectError, RemotingError, RemotingTimeoutError } from '../../remoting/errors.js';
import { compress } from '../compression.js';
import { ClientErrorCode, MQBrokerError, MQClientError } from '../errors.js';
import type { CommunicationMode } from '../mq-client-api.js';
import type { MQClientInstance } from '../mq-client-instance.js';
import { TopicPublishInfo } from '../route/topic-publish-info.js';
import { checkMessage } from '../validators.js';
import { MessageBatch } from './message-batch.js';
import type { MessageQueueSelector } from './message-queue-selector.js';
import { MQFaultStrategy } from './mq-fault-strategy.js';
import type { MQProducerInner } from './mq-producer-inner.js';
import type { SendMessageRequestHeader } from './send-message-request-header.js';
import type { SendResult } from './send-result.js';

/** The producer settings the send path reads (the façade's public fields). */
export interface ProducerSettings {
  readonly producerGroup: string;
  sendMsgTimeout: number;
  retryTimesWhenSendFailed: number;
  retryTimesWhenSendAsyncFailed: number;
  retryAnotherBrokerWhenNotStoreOK: boolean;
  compressMsgBodyOverHowmuch: number;
  maxMessageSize: number;
  defaultTopicQueueNums: number;
  createTopicKey: string;
}

/** Broker codes after which a sync send tries another queue (Java's list in sendDefaultImpl). */
const RETRY_BROKER_CODES: ReadonlySet<number> = new Set([
  ResponseCode.TOPIC_NOT_EXIST,
  ResponseCode.SERVICE_NOT_AVAILABLE,
  ResponseCode.SYSTEM_ERROR,
  ResponseCode.NO_PERMISSION,
  ResponseCode.NO_BUYER_ID,
  ResponseCode.NOT_IN_CURRENT_UNIT,
]);

/** A message ready for any number of attempts. */
export interface PreparedSend {
  body: Uint8Array;
  sysFlag: number;
  properties: string;
  reconsumeTimes: number;
  maxReconsumeTimes: number | undefined;
  uniqKey: string;
}

export class DefaultMQProducerImpl implements MQProducerInner {
  readonly topicPublishInfoTable = new Map<string, TopicPublishInfo>();
  readonly mqFaultStrategy: MQFaultStrategy;
  state: 'CREATE_JUST' | 'RUNNING' | 'SHUTDOWN_ALREADY' = 'CREATE_JUST';

  constructor(readonly settings: ProducerSettings, readonly mQClientFactory: MQClientInstance, private readonly events: NodeEvents) {
    this.mqFaultStrategy = new MQFaultStrategy(mQClientFactory.platform.clock, mQClientFactory.platform.random);
  }

  private get clock() {
    return this.mQClientFactory.platform.clock;
  }

  /** Throw unless started (Java: `makeSureStateOK`). */
  makeSureStateOK(): void {
    if (this.state !== 'RUNNING') throw new MQClientError(-1, `The producer service state not OK, ${this.state}`);
  }

  // ---------------------------------------------------------------------------------------
  // MQProducerInner.

  getPublishTopicList(): Iterable<string> {
    return this.topicPublishInfoTable.keys();
  }

  isPublishTopicNeedUpdate(topic: string): boolean {
    const info = this.topicPublishInfoTable.get(topic);
    return info === undefined || !info.ok();
  }

  updateTopicPublishInfo(topic: string, info: TopicPublishInfo): void {
    if (this.topicPublishInfoTable.has(topic) || topic === this.settings.createTopicKey) this.topicPublishInfoTable.set(topic, info);
  }

  isUnitMode(): boolean {
    return this.mQClientFactory.clientConfig.unitMode;
  }

  /**
   * Answers CHECK_TRANSACTION_STATE. Only a TransactionMQProducer installs it (its
   * TransactionMQProducerImpl); without it a check is dropped, as Java logs and drops it.
   */
  checkTransactionState?: MQProducerInner['checkTransactionState'];

  // ---------------------------------------------------------------------------------------
  // Routes.

  /**
   * The publish info of `topic`: cached, else from the name server, else from TBW102 so the
   * broker creates the topic on the first send (Java: `tryToFindTopicPublishInfo`).
   */
  async tryToFindTopicPublishInfo(topic: string): Promise<TopicPublishInfo> {
    let info = this.topicPublishInfoTable.get(topic);
    if (info === undefined || !info.ok()) {
      if (info === undefined) this.topicPublishInfoTable.set(topic, new TopicPublishInfo(this.mQClientFactory.platform.random));
      await this.mQClientFactory.updateTopicRouteInfoFromNameServer(topic);
      info = this.topicPublishInfoTable.get(topic)!;
    }
    if (info.haveTopicRouterInfo || info.ok()) return info;
    await this.mQClientFactory.updateTopicRouteInfoFromNameServer(topic, {
      createTopicKey: this.settings.createTopicKey,
      defaultTopicQueueNums: this.settings.defaultTopicQueueNums,
    });
    return this.topicPublishInfoTable.get(topic)!;
  }

  /** Java's "No route info of this topic" error, naming the name-server failure if there was one. */
  private noRouteError(topic: string): MQClientError {
    if (this.mQClientFactory.mqClientAPIImpl.getNameServerAddressList().length === 0) {
      return new MQClientError(ClientErrorCode.NO_NAME_SERVER_EXCEPTION, 'No name server address, please set it.');
    }
    const cause = this.mQClientFactory.getLastRouteError(topic);
    const detail = cause === undefined ? '' : `; ${cause.message}`;
    return new MQClientError(ClientErrorCode.NOT_FOUND_TOPIC_EXCEPTION, `No route info of this topic: ${topic}${detail}`, { cause });
  }

  // ---------------------------------------------------------------------------------------
  // Sending.

  /** The round-robin (or latency-fault) send with retries: sync, async or one-way. */
  async sendDefaultImpl(msg: Message, mode: CommunicationMode, timeoutMs: number): Promise<SendResult | undefined> {
    this.makeSureStateOK();
    checkMessage(msg, this.settings.maxMessageSize);
    const beginFirst = this.clock.now();
    let info = this.topicPublishInfoTable.get(msg.topic);
    if (info === undefined || !info.ok()) info = await this.tryToFindTopicPublishInfo(msg.topic);
    if (!info.ok()) throw this.noRouteError(msg.topic);
    const prepared = this.prepare(msg);
    const ready = prepared instanceof Promise ? await prepared : prepared;
    const timesTotal = mode === 'SYNC' ? 1 + this.settings.retryTimesWhenSendFailed : mode === 'ASYNC' ? 1 + this.settings.retryTimesWhenSendAsyncFailed : 1;
    const brokersSent: string[] = [];
    let mq: MessageQueue | undefined;
    let lastError: unknown;
    let result: SendResult | undefined;
    let callTimeout = false;
    for (let attempt = 1; attempt <= timesTotal; attempt++) {
      const lastBrokerName = mq?.brokerName;
      mq = this.selectOneMessageQueue(info, lastBrokerName, attempt);
      brokersSent.push(mq.brokerName);
      const beginPrev = this.clock.now();
      const costMs = beginPrev - beginFirst;
      if (timeoutMs < costMs) {
        callTimeout = true;
        break;
      }
      try {
        result = await this.sendKernelImpl(msg, mq, mode, ready, timeoutMs - costMs);
        this.mqFaultStrategy.updateFaultItem(mq.brokerName, this.clock.now() - beginPrev, false);
        if (result === undefined) return undefined; // one-way
        this.emitCompleted(result, ready.uniqKey, attempt, mode);
        if (result.sendStatus !== 'SEND_OK' && this.settings.retryAnotherBrokerWhenNotStoreOK && mode === 'SYNC') continue;
        return result;
      } catch (error) {
        this.mqFaultStrategy.updateFaultItem(mq.brokerName, this.clock.now() - beginPrev, true);
        lastError = error;
        if (!this.shouldRetry(error, mode)) {
          if (result !== undefined) return result;
          throw error;
        }
        if (attempt < timesTotal && this.events.wants('client.send.retried')) {
          this.events.emit('client.send.retried', { uniqKey: ready.uniqKey, attempt: attempt + 1, failedMq: { ...mq }, error: describe(error) }, { flow: 'send' });
        }
      }
    }
    if (result !== undefined) return result;
    throw this.sendFailedError(msg, ready.uniqKey, brokersSent, beginFirst, timeoutMs, callTimeout, lastError);
  }

  /** Which failures deserve another attempt: sync retries broker codes too, async only transport. */
  private shouldRetry(error: unknown, mode: CommunicationMode): boolean {
    if (mode === 'ONEWAY') return false;
    if (error instanceof RemotingError) return true;
    if (error instanceof MQClientError) return true;
    if (error instanceof MQBrokerError) return mode === 'SYNC' && RETRY_BROKER_CODES.has(error.responseCode);
    return false;
  }

  /** The error after the last attempt, with Java's text and the client error code of the cause. */
  private sendFailedError(msg: Message, uniqKey: string, brokersSent: string[], beginFirst: number, timeoutMs: number, callTimeout: boolean, lastError: unknown): Error {
    const elapsedMs = this.clock.now() - beginFirst;
    if (callTimeout || lastError instanceof RemotingTimeoutError) {
      this.events.emit('client.send.timed-out', { uniqKey, topic: msg.topic, elapsedMs, timeoutMs, attempts: brokersSent.length }, { flow: 'send' });
    }
    if (callTimeout) return new MQClientError(ClientErrorCode.REQUEST_TIMEOUT_EXCEPTION, 'sendDefaultImpl call timeout', { cause: lastError });
    const info = `Send [${brokersSent.length}] times, still failed, cost [${elapsedMs}]ms, Topic: ${msg.topic}, BrokersSent: [${brokersSent.join(', ')}]`;
    const code = lastError instanceof MQBrokerError ? lastError.responseCode
      : lastError instanceof RemotingConnectError ? ClientErrorCode.CONNECT_BROKER_EXCEPTION
      : lastError instanceof RemotingTimeoutError ? ClientErrorCode.ACCESS_BROKER_TIMEOUT
      : lastError instanceof MQClientError ? ClientErrorCode.BROKER_NOT_EXIST_EXCEPTION
      : -1;
    const detail = lastError instanceof Error ? `: ${lastError.message}` : '';
    return new MQClientError(code, info + detail, { cause: lastError });
  }

  /** One queue from the fault strategy, reported as `client.queue.selected`. */
  private selectOneMessageQueue(info: TopicPublishInfo, lastBrokerName: string | undefined, attempt: number): MessageQueue {
    const mq = this.mqFaultStrategy.selectOneMessageQueue(info, lastBrokerName);
    if (this.events.wants('client.queue.selected')) {
      const rule = this.mqFaultStrategy.lastRule;
      this.events.emit('client.queue.selected', {
        mq: { ...mq },
        strategy: rule === 'round-robin' ? 'round-robin' : 'latency-fault',
        attempt,
        ...(lastBrokerName === undefined ? {} : { lastBrokerName }),
      }, { flow: 'send', why: { rule, inputs: { queues: info.messageQueueList.length, lastBrokerName: lastBrokerName ?? null }, outcome: `${mq.brokerName}/${mq.queueId}` } });
    }
    return mq;
  }

  /** Send to a queue the application chose, through `selector` (Java: `sendSelectImpl`). */
  async sendSelectImpl(msg: Message, selector: MessageQueueSelector, arg: unknown, mode: CommunicationMode, timeoutMs: number): Promise<SendResult | undefined> {
    this.makeSureStateOK();
    checkMessage(msg, this.settings.maxMessageSize);
    const begin = this.clock.now();
    const info = await this.tryToFindTopicPublishInfo(msg.topic);
    if (!info.ok()) throw this.noRouteError(msg.topic);
    const mq = selector.select([...info.messageQueueList], msg, arg);
    if (mq === undefined) throw new MQClientError(-1, 'select message queue return null.');
    this.emitExplicitSelection(mq, 'selector');
    return this.sendToQueue(msg, mq, mode, timeoutMs - (this.clock.now() - begin), 'sendSelectImpl call timeout');
  }

  /** Send to one given queue, no retries (Java: `send(msg, mq)`). */
  async sendDirect(msg: Message, mq: MessageQueue, mode: CommunicationMode, timeoutMs: number): Promise<SendResult | undefined> {
    this.makeSureStateOK();
    checkMessage(msg, this.settings.maxMessageSize);
    if (msg.topic !== mq.topic) throw new MQClientError(-1, `message's topic not equal mq's topic`);
    this.emitExplicitSelection(mq, 'explicit');
    return this.sendToQueue(msg, mq, mode, timeoutMs, 'call timeout');
  }

  private async sendToQueue(msg: Message, mq: MessageQueue, mode: CommunicationMode, remainingMs: number, timeoutText: string): Promise<SendResult | undefined> {
    if (remainingMs <= 0) throw new MQClientError(ClientErrorCode.REQUEST_TIMEOUT_EXCEPTION, timeoutText);
    const prepared = this.prepare(msg);
    const ready = prepared instanceof Promise ? await prepared : prepared;
    const result = await this.sendKernelImpl(msg, mq, mode, ready, remainingMs);
    if (result !== undefined) this.emitCompleted(result, ready.uniqKey, 1, mode);
    return result;
  }

  private emitExplicitSelection(mq: MessageQueue, strategy: 'selector' | 'explicit'): void {
    if (this.events.wants('client.queue.selected')) this.events.emit('client.queue.selected', { mq: { ...mq }, strategy, attempt: 1 }, { flow: 'send' });
  }

  private emitCompleted(result: SendResult, uniqKey: string, attempts: number, mode: CommunicationMode): void {
    if (!this.events.wants('client.send.completed')) return;
    this.events.emit('client.send.completed', {
      status: result.sendStatus,
      mq: { ...result.messageQueue },
      queueOffset: result.queueOffset,
      offsetMsgId: result.offsetMsgId,
      uniqKey,
      attempts,
      mode: mode === 'ASYNC' ? 'ASYNC' : 'SYNC',
    }, { flow: 'send', msg: { uniqKey, offsetMsgId: result.offsetMsgId, topic: result.messageQueue.topic, queueId: result.messageQueue.queueId, queueOffset: result.queueOffset } });
  }

  /**
   * Everything about a message that does not depend on the attempt: its UNIQ_KEY, the body
   * (compressed when large, never for a batch), sysFlag, the properties string, and the
   * retry counters a consumer's re-send carries in properties. Sync unless compressing.
   */
  prepare(msg: Message): PreparedSend | Promise<PreparedSend> {
    const batch = msg instanceof MessageBatch;
    if (!batch) this.mQClientFactory.messageClientIDSetter.setUniqID(msg);
    let sysFlag = 0;
    if (msg.getProperty(MessageConst.PROPERTY_TRANSACTION_PREPARED) === 'true') sysFlag |= MessageSysFlag.TRANSACTION_PREPARED_TYPE;
    let reconsumeTimes = 0;
    let maxReconsumeTimes: number | undefined;
    if (isRetryTopic(msg.topic)) {
      // A consumer's own re-send of a failed message carries its counters as properties.
      const reconsume = msg.getProperty(MessageConst.PROPERTY_RECONSUME_TIME);
      if (reconsume !== undefined) {
        reconsumeTimes = Number(reconsume) | 0;
        msg.clearProperty(MessageConst.PROPERTY_RECONSUME_TIME);
      }
      const max = msg.getProperty(MessageConst.PROPERTY_MAX_RECONSUME_TIMES);
      if (max !== undefined) {
        maxReconsumeTimes = Number(max) | 0;
        msg.clearProperty(MessageConst.PROPERTY_MAX_RECONSUME_TIMES);
      }
    }
    const uniqKey = batch ? msg.joinedUniqIds() : (msg.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX) ?? '');
    const properties = messageProperties2String(msg.properties);
    if (batch || msg.body.length < this.settings.compressMsgBodyOverHowmuch) {
      this.emitCreated(msg, uniqKey, false);
      return { sysFlag, properties, reconsumeTimes, maxReconsumeTimes, uniqKey, body: msg.body };
    }
    return compress(msg.body).then((body) => {
      this.emitCreated(msg, uniqKey, true);
      return { sysFlag: sysFlag | MessageSysFlag.COMPRESSED_FLAG, properties, reconsumeTimes, maxReconsumeTimes, uniqKey, body };
    });
  }

  private emitCreated(msg: Message, uniqKey: string, compressed: boolean): void {
    if (!this.events.wants('client.message.created')) return;
    const tags = msg.tags;
    const keys = msg.keys;
    this.events.emit('client.message.created', {
      uniqKey,
      topic: msg.topic,
      ...(tags === undefined ? {} : { tags }),
      ...(keys === undefined ? {} : { keys }),
      bodyLen: msg.body.length,
      props: msg.properties.size,
      compressed,
    }, { flow: 'send', msg: { uniqKey, topic: msg.topic } });
  }

  /** One attempt: find the master of `mq`, build the V2 header, send (Java: `sendKernelImpl`). */
  sendKernelImpl(msg: Message, mq: MessageQueue, mode: CommunicationMode, ready: PreparedSend, timeoutMs: number): Promise<SendResult | undefined> {
    let brokerAddr = this.mQClientFactory.findBrokerAddressInPublish(mq.brokerName);
    if (brokerAddr === undefined) {
      return this.tryToFindTopicPublishInfo(mq.topic).then(() => {
        if (this.mQClientFactory.findBrokerAddressInPublish(mq.brokerName) === undefined) {
          throw new MQClientError(ClientErrorCode.BROKER_NOT_EXIST_EXCEPTION, `The broker[${mq.brokerName}] not exist`);
        }
        return this.sendKernelImpl(msg, mq, mode, ready, timeoutMs);
      });
    }
    brokerAddr = brokerVIPChannel(this.mQClientFactory.clientConfig.vipChannelEnabled, brokerAddr);
    const header: SendMessageRequestHeader = {
      producerGroup: this.settings.producerGroup,
      topic: msg.topic,
      defaultTopic: this.settings.createTopicKey,
      defaultTopicQueueNums: this.settings.defaultTopicQueueNums,
      queueId: mq.queueId,
      sysFlag: ready.sysFlag,
      bornTimestamp: this.clock.now(),
      flag: msg.flag,
      properties: ready.properties,
      reconsumeTimes: ready.reconsumeTimes,
      unitMode: this.isUnitMode(),
      batch: msg instanceof MessageBatch,
    };
    if (ready.maxReconsumeTimes !== undefined) header.maxReconsumeTimes = ready.maxReconsumeTimes;
    return this.mQClientFactory.mqClientAPIImpl.sendMessage(brokerAddr, mq.brokerName, msg, header, timeoutMs, mode, ready.body);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
