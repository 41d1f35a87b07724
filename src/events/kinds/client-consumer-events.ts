/**
 * Event payloads of the push consumer: rebalance, the pull loop, process queues,
 * consumption, offsets and send-back.
 *
 * These draw the consumer lanes of the viz. A rebalance round (`client.rebalance.started`,
 * `client.rebalance.computed` with the allocation as its "why") adds and drops queues
 * (`client.queue.added` / `client.queue.dropped`); each added queue runs a pull loop
 * (`client.pull.requested` → `client.pull.received`, or `client.pull.delayed` by flow control,
 * or `client.pull.failed`); found messages land in the queue's buffer
 * (`client.processqueue.put`) and go to the listener (`client.consume.started` →
 * `client.consume.succeeded` / `client.consume.failed`); failures are sent back
 * (`client.message.sent-back`); progress moves (`client.offset.updated`) and is written to the
 * broker or a local file (`client.offset.persisted`). Orderly consumers add the broker locks
 * (`client.queue.locked` / `client.queue.unlocked`). Emitted from `src/client/consumer/`.
 *
 * Queues appear as `mq` = `"topic@brokerName@queueId"`.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ, which logs some of these at info level.
 *
 * @article pull-consume-2 "The push consumer"
 * @category Events
 * @module
 */

/** Why a process queue left the table. */
export type QueueDropReason = 'rebalance' | 'pull-expired' | 'offset-illegal' | 'not-subscribed' | 'shutdown';

/** Why the next pull of a queue was put off. */
export type PullDelayReason = 'count-threshold' | 'size-threshold' | 'span-threshold' | 'not-locked' | 'no-subscription' | 'paused' | 'pull-interval';

export interface ClientConsumerEventMap {
  /** A rebalance round began for one subscribed topic of `group` (RebalanceImpl.rebalanceByTopic). */
  'client.rebalance.started': { group: string; topic: string; messageModel: string };
  /**
   * The allocation for one topic was computed: `strategy` over the sorted `mqAll` and `cidAll`
   * gave this client (`me`) the queues `allocated` (BROADCASTING: every queue, strategy
   * `'BROADCASTING'`). `changed` when queues were added or dropped as a result.
   */
  'client.rebalance.computed': { group: string; topic: string; strategy: string; me: string; cidAll: string[]; mqAll: string[]; allocated: string[]; changed: boolean };
  /**
   * A queue was assigned and its pull loop created: `nextOffset` is where pulling starts,
   * decided by `from` (the stored offset, or the consumeFromWhere fallback).
   */
  'client.queue.added': { group: string; mq: string; nextOffset: number; from: 'stored' | 'max-offset' | 'first-offset' | 'timestamp' | 'retry-topic-zero' };
  /** A queue was taken away: its buffer dropped, `offsetPersisted` written (-1 when none). */
  'client.queue.dropped': { group: string; mq: string; reason: QueueDropReason; offsetPersisted: number; buffered: number };
  /** Orderly: the broker granted (or renewed) this client's lock on `mqs`. `via` lockAll (every 20 s) or a single lock. */
  'client.queue.locked': { group: string; brokerName: string; mqs: string[]; refused: string[]; via: 'lockAll' | 'lock' };
  /** Orderly: the locks on `mqs` were given back (UNLOCK_BATCH_MQ). */
  'client.queue.unlocked': { group: string; brokerName: string; mqs: string[]; oneway: boolean };

  /** A PULL_MESSAGE went out for `mq` (sysFlag bit 1 = commit offset piggybacked, bit 2 = long polling allowed). */
  'client.pull.requested': {
    group: string; mq: string; brokerAddr: string; queueOffset: number; maxNums: number; sysFlag: number;
    commitOffset: number; suspend: boolean; subVersion: number; expressionType: string;
  };
  /**
   * A pull came back: `status` (FOUND, NO_NEW_MSG, NO_MATCHED_MSG, OFFSET_ILLEGAL), the
   * messages kept after the client-side tag filter (`count`, of `decoded` decoded) and the
   * offsets the broker reported. `latencyMs` includes any time the broker held the request.
   */
  'client.pull.received': {
    group: string; mq: string; status: string; count: number; decoded: number; nextBeginOffset: number;
    minOffset: number; maxOffset: number; suggestWhichBrokerId: number; latencyMs: number;
  };
  /** The next pull of `mq` was put off by `delayMs` (flow control, lock missing, paused). */
  'client.pull.delayed': { group: string; mq: string; reason: PullDelayReason; delayMs: number; cachedCount: number; cachedBytes: number; span: number };
  /** A pull failed (broker error code, timeout, no route); it is retried after `retryInMs`. */
  'client.pull.failed': { group: string; mq: string; error: string; responseCode: number; retryInMs: number };

  /** Pulled messages entered the queue's buffer: `count` new, `inflight` buffered now, `dispatched` when a consume request was started. */
  'client.processqueue.put': { group: string; mq: string; count: number; inflight: number; bytes: number; queueOffsetMax: number; dispatched: boolean };

  /** The listener was called with `queueOffsets` of `mq` (`mode` concurrently or orderly). */
  'client.consume.started': { group: string; mq: string; mode: 'concurrently' | 'orderly'; queueOffsets: number[]; uniqKeys: string[]; inflightCalls: number };
  /** The listener answered success (CONSUME_SUCCESS or SUCCESS/COMMIT). */
  'client.consume.succeeded': { group: string; mq: string; queueOffsets: number[]; status: string; elapsedMs: number };
  /** The listener failed: it answered RECONSUME_LATER / SUSPEND_CURRENT_QUEUE_A_MOMENT, returned nothing, or threw (`error`). */
  'client.consume.failed': { group: string; mq: string; queueOffsets: number[]; status: string; error?: string; elapsedMs: number };

  /** The in-memory offset of `mq` moved to `offset` (after a completion or a pull with nothing to consume). */
  'client.offset.updated': { group: string; mq: string; offset: number; increaseOnly: boolean };
  /**
   * Offsets were written out: to the broker (`UPDATE_CONSUMER_OFFSET`, one-way every 5 s) or
   * to the local offsets file (broadcasting, `path`).
   */
  'client.offset.persisted': { group: string; store: 'broker' | 'local-file'; entries: Array<{ mq: string; offset: number }>; path?: string };

  /**
   * A failed message went back for a retry: by CONSUMER_SEND_MSG_BACK (`via` `'broker'`), or,
   * when that failed, re-sent by the client's inner producer to `%RETRY%group`
   * (`'inner-producer'`); `'failed'` when both failed (consumed again locally after 5 s).
   */
  'client.message.sent-back': { group: string; uniqKey: string; msgId: string; topic: string; delayLevel: number; reconsumeTimes: number; via: 'broker' | 'inner-producer' | 'failed' };
}
