/**
 * PullMessageService: the consumer's pull loop driver, a queue of PullRequests served one
 * turn at a time.
 *
 * Java runs one thread per client instance that takes PullRequests off a blocking queue and
 * calls the consumer's `pullMessage` for each. The call only *sends* the pull; the answer
 * arrives later on a callback, which puts the request back (at once, or after a delay for
 * flow control and errors). So one thread keeps every queue's loop turning. Here the
 * service is a {@link Service}: `executePullRequestImmediately` queues a request and wakes
 * it, and one tick serves everything queued so far; `executePullRequestLater` sets a Clock
 * timer that queues it later.
 *
 * Differences from RocketMQ 4.9.x:
 * - One service per push consumer, not per client instance (the instance does not own one).
 * - Timers come from the Clock; shutdown cancels the ones still pending.
 *
 * @mirrors org.apache.rocketmq.client.impl.consumer.PullMessageService
 * @article pull-consume-1 "PullMessageService"
 * @category Client
 * @module
 */
import { Service } from '../../common/service.js';
import type { Clock, TimerHandle } from '../../platform/clock.js';
import type { PullRequest } from './pull-request.js';

/** Whoever runs a pull for a request (the push consumer's impl). */
export interface PullMessageHandler {
  pullMessage(pullRequest: PullRequest): void;
}

export class PullMessageService extends Service {
  private readonly pullRequestQueue: PullRequest[] = [];
  private readonly timers = new Set<TimerHandle>();

  constructor(clock: Clock, private readonly handler: PullMessageHandler) {
    super(clock, 'PullMessageService');
  }

  /** Queue `pullRequest` for the next turn. */
  executePullRequestImmediately(pullRequest: PullRequest): void {
    this.pullRequestQueue.push(pullRequest);
    this.wakeup();
  }

  /** Queue `pullRequest` after `timeDelayMs` (Java: the scheduled executor). Ignored once stopped. */
  executePullRequestLater(pullRequest: PullRequest, timeDelayMs: number): void {
    this.executeTaskLater(() => this.executePullRequestImmediately(pullRequest), timeDelayMs);
  }

  /** Run `task` after `timeDelayMs`, unless the service has stopped by then. */
  executeTaskLater(task: () => void, timeDelayMs: number): void {
    if (!this.isRunning) return; // Java: "executePullRequestLater, the service is stopped"
    const timer = this.clock.setTimer(timeDelayMs, () => {
      this.timers.delete(timer);
      if (this.isRunning) task();
    });
    this.timers.add(timer);
  }

  override shutdown(): void {
    super.shutdown();
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
    this.pullRequestQueue.length = 0;
  }

  protected onTick(): number | undefined {
    const batch = this.pullRequestQueue.splice(0, this.pullRequestQueue.length);
    for (const pullRequest of batch) this.handler.pullMessage(pullRequest);
    return undefined;
  }
}
