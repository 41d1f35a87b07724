/**
 * Event payloads of the lite pull consumer: which queues it reads, what `poll()` handed
 * out, where `seek` moved a queue, and which offsets a commit recorded.
 *
 * The lite pull consumer shares the push consumer's vocabulary for the parts they have in
 * common (its pulls emit `client.pull.requested` / `client.pull.received` through the
 * PullAPIWrapper, its rebalance `client.rebalance.computed`, flow control
 * `client.pull.delayed`). The kinds here are what only a pull-style consumer does: the
 * application, not a listener, takes messages out (`client.lite.polled`) and moves the
 * read position by hand (`client.lite.seeked`, `client.lite.committed`).
 *
 * Queues appear as `mq` = `"topic@brokerName@queueId"`, as in the push consumer's events.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ, which logs none of these.
 *
 * @article pull-consume-2 "The lite pull consumer"
 * @category Events
 * @module
 */

export interface ClientLiteEventMap {
  /**
   * The set of queues the consumer reads changed: by `assign()` (`via` `'assign'`) or by a
   * rebalance of a subscribed topic (`'subscribe'`). `mqs` is the new set for `topic`
   * (every topic for assign); pull tasks were started for `added` and cancelled for `removed`.
   */
  'client.lite.assigned': { group: string; via: 'assign' | 'subscribe'; topic?: string; mqs: string[]; added: string[]; removed: string[] };
  /**
   * `poll()` handed one consume request of `mq` to the application: `count` messages with
   * `queueOffsets` (first and last); `consumeOffset` is the queue's offset once these count as
   * consumed (what the next commit records); `cached` requests are still waiting.
   */
  'client.lite.polled': { group: string; mq: string; count: number; firstOffset: number; lastOffset: number; consumeOffset: number; cached: number; waitedMs: number };
  /** `poll()` gave up after `timeoutMs` with nothing to hand out. */
  'client.lite.poll-timed-out': { group: string; timeoutMs: number };
  /**
   * The next pull of `mq` will start at `offset`: buffered messages of the queue were thrown
   * away (`dropped`) and its pull task restarted. `via` names the call.
   */
  'client.lite.seeked': { group: string; mq: string; offset: number; via: 'seek' | 'seekToBegin' | 'seekToEnd'; dropped: number };
  /**
   * A commit moved the group's in-memory offsets to what `poll()` has handed out
   * (`auto` when the auto-commit interval elapsed, else `commitSync()`); `persisted` when the
   * offsets were also written out (broadcasting, or `commit(..., true)`).
   */
  'client.lite.committed': { group: string; auto: boolean; entries: Array<{ mq: string; offset: number }>; persisted: boolean };
  /** `pause()` (`paused` true) or `resume()` (false) was called for these assigned queues. */
  'client.lite.paused': { group: string; paused: boolean; mqs: string[] };
}
