/**
 * Event payloads of the broker's consumer side: pulls and long polling, consumer offsets,
 * and the registry of producer and consumer clients built from heartbeats.
 *
 * These draw the pull lane of the viz: a pull arrives, is answered at once
 * (`broker.pull.found` / `broker.pull.not-found`) or parked in the hold table
 * (`broker.pull.suspended`), and later woken by a message arrival, the periodic check or its
 * timeout (`broker.pull.woken`) and answered (`broker.pull.replied`). The client table of
 * the cluster view follows `broker.consumer.*` and `broker.producer.*`; the offset ruler
 * follows `broker.offset.*`. Emitted by `src/broker/processor/{pull-message,client-manage,
 * consumer-manage}-processor.ts`, `src/broker/longpolling/`, `src/broker/client/` and
 * `src/broker/offset/`.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ, which logs some of these at info level.
 *
 * @article pull-consume-1 "Long polling on the broker"
 * @category Events
 * @module
 */

/** Why a held pull was taken out of the hold table and run again. */
export type PullWakeReason = 'arrival' | 'periodic-check' | 'timeout';

export interface BrokerPullEventMap {
  /**
   * A pull found messages (GetMessageStatus FOUND, response SUCCESS). `from` is the requested
   * queue offset, `count` the messages in the body, `filtered` the consume-queue units
   * skipped by the tag filter (or unreadable) on the way to `nextBeginOffset`.
   */
  'broker.pull.found': { group: string; topic: string; queueId: number; from: number; count: number; bytes: number; nextBeginOffset: number; filtered: number; resumed: boolean };
  /**
   * A pull found nothing to return: `reason` is the store's status (`OFFSET_OVERFLOW_ONE` is
   * "no new message yet"), `code` the response code name it maps to (PULL_NOT_FOUND,
   * PULL_RETRY_IMMEDIATELY, PULL_OFFSET_MOVED). `suspended` when the request is being held
   * (long polling) instead of answered. `resumed` when this ran from the hold table.
   */
  'broker.pull.not-found': {
    group: string; topic: string; queueId: number; offset: number; reason: string; code: string;
    nextBeginOffset: number; minOffset: number; maxOffset: number; suspended: boolean; resumed: boolean;
  };
  /**
   * A pull was parked in the hold table (PullRequestHoldService.suspendPullRequest) under
   * `key` = `topic@queueId`, waiting for a message past `offset` until `deadline` (clock ms).
   */
  'broker.pull.suspended': { key: string; group: string; offset: number; timeoutMillis: number; deadline: number; held: number };
  /**
   * A held pull left the hold table to be run again: a message `arrival` (from the store's
   * reput), the `periodic-check` found the queue grown, or its `timeout` passed. `maxOffset`
   * is the queue's max offset that decided it.
   */
  'broker.pull.woken': { key: string; group: string; offset: number; maxOffset: number; reason: PullWakeReason; heldMs: number };
  /** A woken pull was answered over its original connection with its original opaque. */
  'broker.pull.replied': { key: string; group: string; code: string; status: string; opaque: number };
  /** A held pull was dropped unanswered because its connection had closed. */
  'broker.pull.dropped': { key: string; group: string; remote: string; reason: 'connection-closed' };

  /**
   * A consumer offset was stored in memory (UPDATE_CONSUMER_OFFSET or a pull's piggybacked
   * commit). `previous` is the offset it replaced (-1 when none); a lower offset is accepted.
   */
  'broker.offset.committed': { group: string; topic: string; queueId: number; offset: number; previous: number; clientHost: string };
  /**
   * QUERY_CONSUMER_OFFSET was answered: `stored` (-1 when none), and when none, whether the
   * "0 instead of not found" rule applied (`minOffset <= 0` and offset 0 still in memory).
   * `outcome` is the offset returned, or -1 for QUERY_NOT_FOUND. The envelope's `why` repeats it.
   */
  'broker.offset.queried': { group: string; topic: string; queueId: number; stored: number; minOffset: number; inMemory: boolean; outcome: number };
  /** consumerOffset.json was rewritten with `entries` topic@group entries. */
  'broker.offset.persisted': { path: string; entries: number };

  /**
   * A consumer's heartbeat was applied to its group (ConsumerManager.registerConsumer).
   * `newChannel` when the connection joined the group, `changed` when membership or
   * subscriptions changed (which is what triggers a NOTIFY_CONSUMER_IDS_CHANGED).
   */
  'broker.consumer.registered': { group: string; clientId: string; remote: string; topics: string[]; newChannel: boolean; changed: boolean; members: number };
  /**
   * A consumer connection left its group: UNREGISTER_CLIENT, its connection closed, or no
   * heartbeat for 120 s. `groupRemoved` when it was the last member.
   */
  'broker.consumer.unregistered': { group: string; clientId: string; remote: string; reason: 'unregister' | 'channel-closed' | 'expired'; groupRemoved: boolean };
  /**
   * NOTIFY_CONSUMER_IDS_CHANGED (40) went one-way to every member of `group` (`sent` of
   * `members` succeeded), so they rebalance at once instead of at their next 20 s timer.
   */
  'broker.consumer.change-notified': { group: string; members: number; sent: number; to: string[] };
  /** A connection joined a producer group (first heartbeat naming it). */
  'broker.producer.registered': { group: string; clientId: string; remote: string };
  /** A producer connection left its group: UNREGISTER_CLIENT, closed, or expired after 120 s. */
  'broker.producer.unregistered': { group: string; clientId: string; remote: string; reason: 'unregister' | 'channel-closed' | 'expired' };

  /**
   * LOCK_BATCH_MQ (orderly consumers): `clientId` asked for `requested` queues of `group` and
   * now holds `locked` of them (each lock lives 60 s unless renewed).
   */
  'broker.rebalance.locked': { group: string; clientId: string; requested: number; locked: number };
  /** UNLOCK_BATCH_MQ: `released` of `requested` queue locks held by `clientId` were removed. */
  'broker.rebalance.unlocked': { group: string; clientId: string; requested: number; released: number };
}
