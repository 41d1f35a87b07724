/**
 * Event payloads of the broker's core: its lifecycle, its config files, its topics and
 * subscription groups, the send path, retries, registration with the name servers, and a
 * slave's copying of its master's tables.
 *
 * These drive the viz's broker box and the send flow: a send is drawn as
 * `remoting.request.received` → `broker.message.checked` (which topic, did it exist, was it
 * auto-created, or why was it refused) → `store.commitlog.appended` → `remoting.response.sent`;
 * a consumer's send-back adds `broker.retry.decided` (retry or dead letter, and why); and the
 * 30-second keep-alive pulses `broker.namesrv.registered` on the line to each name server.
 * Emitted by `src/broker/` (the core files; pull and admin kinds have their own files).
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ, which logs these as `log.info` lines.
 *
 * @article send-receive "The broker receives a message"
 * @category Events
 * @module
 */

/** Where a config file's content came from at load. */
export type ConfigLoadSource = 'file' | 'bak' | 'none' | 'defaults';

export interface BrokerEventMap {
  /**
   * The broker finished `BrokerController.start()`: store loaded and started, both servers
   * listening. `lastExitOK` is false when the store found its abort file (a crash).
   */
  'broker.controller.started': {
    brokerName: string;
    brokerId: number;
    cluster: string;
    addr: string;
    fastAddr: string;
    topics: number;
    lastExitOK: boolean;
  };
  /** The broker finished `BrokerController.shutdown()`: servers closed, configs persisted, store shut down. */
  'broker.controller.stopped': { brokerName: string; addr: string };
  /**
   * A JSON config file (`topics.json`, `subscriptionGroup.json`, ...) was read at start
   * (`ConfigManager.load`). `source` is `'file'`, `'bak'` (the file was missing, empty or
   * corrupt and its `.bak` was good), `'none'` (neither exists: a first start) or
   * `'defaults'` (both were unreadable; `error` says why, and the built-in defaults are used).
   */
  'broker.config.loaded': { file: string; source: ConfigLoadSource; error?: string };
  /** Writing a config file failed (`ConfigManager.persist`); the in-memory table is unchanged. */
  'broker.config.persist-failed': { file: string; error: string };
  /**
   * A topic was created by the broker itself: auto-created on a producer's first send
   * from TBW102 (`via: 'send'`, Java `createTopicInSendMessageMethod`), or as a retry or
   * dead-letter topic (`'send-back'`, `createTopicInSendMessageBackMethod`). `from` is the
   * producer whose send created it.
   */
  'broker.topic.created': {
    topic: string;
    readQueueNums: number;
    writeQueueNums: number;
    perm: number;
    via: 'send' | 'send-back';
    defaultTopic?: string;
    from?: string;
  };
  /** A subscription group was auto-created on first use (`SubscriptionGroupManager.findSubscriptionGroupConfig`). */
  'broker.group.created': { group: string };
  /**
   * A send request passed or failed the broker's checks (`AbstractSendMessageProcessor.msgCheck`).
   * `topicExists` says whether the topic was there before; `autoCreated` whether this send
   * created it; `perm` is the topic's permission (0 when there is none); `refused` the
   * response code name when the send was refused, with `remark`.
   */
  'broker.message.checked': {
    topic: string;
    queueId: number;
    topicExists: boolean;
    autoCreated: boolean;
    perm: number;
    refused?: string;
    remark?: string;
  };
  /**
   * The broker decided where a failed message goes next: back to `%RETRY%<group>` after a
   * delay (`outcome: 'retry'`, with its delay level) or to `%DLQ%<group>` (`'dlq'`), because
   * `reconsumeTimes >= maxReconsumeTimes` or the consumer asked (`delayLevel < 0`). `via`
   * is `'send-back'` for CONSUMER_SEND_MSG_BACK and `'send'` for a client re-sending to a
   * retry topic itself (`handleRetryAndDLQ`). Carries `why` (rule `retry-or-dlq`).
   */
  'broker.retry.decided': {
    group: string;
    originTopic: string;
    reconsumeTimes: number;
    maxReconsumeTimes: number;
    outcome: 'retry' | 'dlq';
    delayLevel: number;
    via: 'send' | 'send-back';
  };
  /** A message was stored in a dead-letter topic; `created` when this created the topic. */
  'broker.message.dead-lettered': { group: string; dlqTopic: string; created: boolean };
  /**
   * One REGISTER_BROKER to one name server finished (`BrokerOuterAPI.registerBrokerAll`):
   * `ok` when it answered SUCCESS (a one-way registration is ok once queued), `topics` the
   * topic configs in the body, `error` why it failed.
   */
  'broker.namesrv.registered': { namesrv: string; ok: boolean; topics: number; oneway: boolean; error?: string };
  /** One UNREGISTER_BROKER to one name server finished, at shutdown (`BrokerOuterAPI.unregisterBrokerAll`). */
  'broker.namesrv.unregistered': { namesrv: string; ok: boolean; error?: string };
  /**
   * A slave learned where its master is (`BrokerController#doRegisterBrokerAll` with a
   * REGISTER_BROKER answer, or `haMasterAddress` from the config at start): `masterAddr` is
   * the master's remoting address (used by `SlaveSynchronize`, `null` while the name server
   * knows no master), `haMasterAddress` the address its HA client replicates from (`null`
   * when unchanged or unknown). Emitted only when one of them changes.
   */
  'broker.slave.master-updated': { masterAddr: string | null; haMasterAddress: string | null; via: 'register' | 'config' };
  /**
   * One round of `SlaveSynchronize.syncAll` on a slave: the four tables it asked its master
   * for (GET_ALL_TOPIC_CONFIG, GET_ALL_CONSUMER_OFFSET, GET_ALL_DELAY_OFFSET,
   * GET_ALL_SUBSCRIPTIONGROUP_CONFIG) and what became of each: `'updated'` (copied and
   * persisted), `'unchanged'` (same DataVersion, nothing copied) or `'failed'` (with the
   * reason in `errors`). The counts are the slave's table sizes after the round.
   */
  'broker.slave.synchronized': {
    master: string;
    topicConfig: SlaveSyncOutcome;
    consumerOffset: SlaveSyncOutcome;
    delayOffset: SlaveSyncOutcome;
    subscriptionGroup: SlaveSyncOutcome;
    topics: number;
    offsetKeys: number;
    groups: number;
    errors?: string[];
  };
}

/** What one table of a slave-sync round came to. */
export type SlaveSyncOutcome = 'updated' | 'unchanged' | 'failed';
