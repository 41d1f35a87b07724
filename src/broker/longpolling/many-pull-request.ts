/**
 * ManyPullRequest: the held pulls of one queue (`topic@queueId`), in the order they arrived.
 *
 * Several consumers can wait on the same queue (broadcasting groups, several groups on one
 * topic), so the hold table keeps a list per queue. Checking it takes the whole list out at
 * once (`cloneListAndClear`) and puts back the requests that must keep waiting, so a
 * request added while a check runs is never lost or checked twice.
 *
 * Differences from RocketMQ 4.9.x: no `synchronized`; the list is only touched on one thread.
 *
 * @mirrors org.apache.rocketmq.broker.longpolling.ManyPullRequest
 * @article pull-consume-1 "Long polling on the broker"
 * @category Broker
 * @module
 */
import type { PullRequest } from './pull-request.js';

export class ManyPullRequest {
  private pullRequestList: PullRequest[] = [];

  addPullRequest(pullRequest: PullRequest): void {
    this.pullRequestList.push(pullRequest);
  }

  /** Put back several requests (Java's `addPullRequest(List)`). */
  addPullRequests(many: readonly PullRequest[]): void {
    for (const request of many) this.pullRequestList.push(request);
  }

  /** Take every held request out; `undefined` when there is none. */
  cloneListAndClear(): PullRequest[] | undefined {
    if (this.pullRequestList.length === 0) return undefined;
    const taken = this.pullRequestList;
    this.pullRequestList = [];
    return taken;
  }

  /** How many requests are held. */
  get size(): number {
    return this.pullRequestList.length;
  }

  /** The held requests (read-only view, for tests and the viz's hold table). */
  getPullRequestList(): readonly PullRequest[] {
    return this.pullRequestList;
  }
}
