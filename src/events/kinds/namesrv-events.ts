/**
 * Event payloads of the name server: brokers joining, leaving and expiring, routes being
 * asked for, topics being deleted or drained.
 *
 * These are what the viz's cluster view draws: a broker box appears on
 * `namesrv.broker.registered` (and pulses on every 30-second re-registration), greys out
 * and disappears on `namesrv.broker.expired` or `namesrv.broker.unregistered`, and a
 * client's route lookup is a line from the client to the name server carrying the broker
 * names it learned. Emitted by `src/namesrv/`.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ, which logs these as `log.info` lines.
 *
 * @article namesrv "The five tables"
 * @category Events
 * @module
 */

export interface NamesrvEventMap {
  /**
   * A broker registered (REGISTER_BROKER, `RouteInfoManager.registerBroker`): initially or
   * as its 30-second keep-alive. `topics` counts the topic configs in its body;
   * `topicsUpdated` says whether the routes were rebuilt from them (a master that is new
   * or whose DataVersion changed); `firstTime` whether the address was not live before.
   */
  'namesrv.broker.registered': {
    brokerName: string;
    brokerId: number;
    addr: string;
    cluster: string;
    topics: number;
    topicsUpdated: boolean;
    firstTime: boolean;
  };
  /**
   * A broker address was removed: by UNREGISTER_BROKER (`reason: 'unregistered'`, a
   * broker's clean shutdown) or because its connection closed (`'channel-destroyed'`,
   * `RouteInfoManager.onChannelDestroy`). `brokerNameRemoved` when it was the last member
   * of its broker group, in which case its queues left every route and `topicsDropped`
   * topics lost their last broker.
   */
  'namesrv.broker.unregistered': {
    brokerName: string;
    brokerId: number;
    addr: string;
    reason: 'unregistered' | 'channel-destroyed';
    brokerNameRemoved: boolean;
    topicsDropped: number;
  };
  /**
   * A broker sent no REGISTER_BROKER for more than 120 s (`scanNotActiveBroker`): it was
   * removed as by a channel close, and its connection closed. `idleMs` is how long it was silent.
   */
  'namesrv.broker.expired': {
    brokerName: string;
    brokerId: number;
    addr: string;
    lastUpdate: number;
    idleMs: number;
    brokerNameRemoved: boolean;
    topicsDropped: number;
  };
  /** A client asked for a topic's route (GET_ROUTEINFO_BY_TOPIC); `brokers` are the broker names in the answer. */
  'namesrv.route.queried': { topic: string; found: boolean; brokers: string[] };
  /**
   * A topic was deleted from the routes (DELETE_TOPIC_IN_NAMESRV): everywhere, or only on
   * the brokers of `cluster`. `brokers` lost their QueueData; `gone` when no broker hosts it any more.
   */
  'namesrv.topic.deleted': { topic: string; cluster?: string; brokers: string[]; gone: boolean };
  /**
   * The WRITE bit of a broker's QueueData was cleared in every topic (`'wipe'`,
   * WIPE_WRITE_PERM_OF_BROKER, the first step of draining a broker) or set back to
   * read-write (`'add'`, ADD_WRITE_PERM_OF_BROKER). `topics` counts the topics touched.
   */
  'namesrv.broker.perm-changed': { brokerName: string; op: 'wipe' | 'add'; topics: number };
}
