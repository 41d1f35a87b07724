/**
 * PullRequestHoldService: the broker's long polling. Pulls that found nothing wait here,
 * keyed by queue, until a message arrives for them or their time is up.
 *
 * A push consumer pulls each of its queues in a loop. Most of the time it is caught up, so
 * most pulls would come back empty, and the client would have to choose between asking
 * again at once (wasting the network) or sleeping (adding latency). Long polling removes
 * the choice: an empty pull is parked here and answered the moment the queue grows.
 *
 * ```
 *   PULL offset 7 on TopicA/0 (max 7) ──► PULL_NOT_FOUND + suspend flag ──► suspendPullRequest
 *        pullRequestTable["TopicA@0"] = [ PullRequest{offset 7, deadline now+15 s} ]
 *
 *   a message is dispatched (max 8) ──► arriving(TopicA, 0, 8, tagsCode) ──► notifyMessageArriving
 *        8 > 7 and the filter matches tagsCode ──► re-run the pull (no second suspend) ──► FOUND
 *
 *   nothing arrives ──► the tick every 5 s calls notifyMessageArriving(topic, queueId, max)
 *        for every key; past the deadline ──► re-run the pull ──► PULL_NOT_FOUND
 * ```
 *
 * There is no timer per request: one tick every 5 s (every `shortPollingTimeMills` when
 * long polling is off) checks every held request, which is both the timeout mechanism
 * and a safety net for arrivals the listener filtered out. So a request held for 15 s is
 * answered at the first tick at or after its deadline, up to 5 s late. The arrival path
 * runs once per dispatched message, so it must be cheap: when nothing is held it returns
 * at once, and otherwise it is one map lookup by `topic@queueId`.
 *
 * Differences from RocketMQ 4.9.x:
 * - A {@link Service} on the Clock; the first check runs one interval after `start()`.
 * - A held request whose connection closed is dropped unanswered at the next check (Java
 *   re-runs it and fails to write the answer).
 * - Keys with no request left are removed, so the arrival path can skip an empty table.
 *
 * @mirrors org.apache.rocketmq.broker.longpolling.PullRequestHoldService
 * @article pull-consume-1 "Long polling on the broker"
 * @emits broker.pull.suspended, broker.pull.woken, broker.pull.dropped
 * @category Broker
 * @module
 */
import { Service } from '../../common/service.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { PullWakeReason } from '../../events/kinds/broker-pull-events.js';
import type { Clock } from '../../platform/clock.js';
import type { RemotingCommand } from '../../remoting/remoting-command.js';
import type { RequestContext } from '../../remoting/request-processor.js';
import type { MessageStore } from '../../store/message-store.js';
import { ManyPullRequest } from './many-pull-request.js';
import type { PullRequest } from './pull-request.js';

/** Joins topic and queue id into a hold-table key: `"TopicA@0"`. Java: `TOPIC_QUEUEID_SEPARATOR`. */
export const TOPIC_QUEUEID_SEPARATOR = '@';

/** The check interval while long polling is on (Java: `waitForRunning(5 * 1000)`). */
export const LONG_POLLING_CHECK_INTERVAL_MS = 5_000;

/** What re-runs a woken request: the PullMessageProcessor. */
export interface PullRequestExecutor {
  /** Run `request` again without allowing a second suspend, and answer it on `ctx`. */
  executeRequestWhenWakeup(ctx: RequestContext, request: RemotingCommand): void;
}

export interface PullRequestHoldServiceOptions {
  clock: Clock;
  events: NodeEvents;
  /** Where a queue's current max offset is read. */
  messageStore: Pick<MessageStore, 'getMaxOffsetInQueue'>;
  /** Read on every tick, so UPDATE_BROKER_CONFIG takes effect. */
  brokerConfig: { readonly longPollingEnable: boolean; readonly shortPollingTimeMills: number };
}

export class PullRequestHoldService extends Service {
  /** "topic@queueId" ──► the pulls held on that queue. */
  readonly pullRequestTable = new Map<string, ManyPullRequest>();
  private readonly events: NodeEvents;
  private readonly messageStore: Pick<MessageStore, 'getMaxOffsetInQueue'>;
  private readonly brokerConfig: PullRequestHoldServiceOptions['brokerConfig'];
  private executor: PullRequestExecutor | undefined;

  constructor(options: PullRequestHoldServiceOptions) {
    super(options.clock, 'PullRequestHoldService');
    this.events = options.events;
    this.messageStore = options.messageStore;
    this.brokerConfig = options.brokerConfig;
  }

  /** Who re-runs woken requests (the PullMessageProcessor registers itself when it is built). */
  setPullMessageProcessor(executor: PullRequestExecutor): void {
    this.executor = executor;
  }

  /** Start checking; the first check runs one interval from now, as Java's loop waits first. */
  override start(initialDelayMs = this.checkIntervalMs()): void {
    super.start(initialDelayMs);
  }

  /** How many requests are held over all queues. */
  get heldCount(): number {
    let count = 0;
    for (const many of this.pullRequestTable.values()) count += many.size;
    return count;
  }

  /** Park `pullRequest` on `topic`/`queueId` until a message arrives or it times out. */
  suspendPullRequest(topic: string, queueId: number, pullRequest: PullRequest): void {
    const key = buildKey(topic, queueId);
    let many = this.pullRequestTable.get(key);
    if (many === undefined) {
      many = new ManyPullRequest();
      this.pullRequestTable.set(key, many);
    }
    many.addPullRequest(pullRequest);
    this.events.emit('broker.pull.suspended', {
      key, group: pullRequest.group, offset: pullRequest.pullFromThisOffset,
      timeoutMillis: pullRequest.timeoutMillis, deadline: pullRequest.deadline, held: many.size,
    }, { flow: 'long-poll' });
  }

  protected onTick(): number {
    this.checkHoldRequest();
    return this.checkIntervalMs();
  }

  /** The periodic check: every key, with the queue's current max offset (Java `checkHoldRequest`). */
  checkHoldRequest(): void {
    for (const key of [...this.pullRequestTable.keys()]) {
      const at = key.lastIndexOf(TOPIC_QUEUEID_SEPARATOR);
      const topic = key.slice(0, at);
      const queueId = Number(key.slice(at + 1));
      this.notifyMessageArriving(topic, queueId, this.messageStore.getMaxOffsetInQueue(topic, queueId));
    }
  }

  /**
   * The queue `topic`/`queueId` now ends at `maxOffset`. With `tagsCode` this is a message
   * arrival from the store (and the filter decides whether it concerns each request);
   * without it, the periodic check. Every held request that can now be answered (new data
   * it wants, or its deadline passed) is re-run; the others are put back.
   */
  notifyMessageArriving(
    topic: string,
    queueId: number,
    maxOffset: number,
    tagsCode?: number,
    msgStoreTime = 0,
    filterBitMap?: Uint8Array,
    properties?: ReadonlyMap<string, string>,
  ): void {
    if (this.pullRequestTable.size === 0) return; // the common case on the arrival path: nobody waits
    const key = buildKey(topic, queueId);
    const many = this.pullRequestTable.get(key);
    const requests = many?.cloneListAndClear();
    if (many === undefined || requests === undefined) return;
    const now = this.clock.now();
    const arrival = tagsCode !== undefined;
    const replay: PullRequest[] = [];
    for (const request of requests) {
      if (request.ctx.closed) {
        this.events.emit('broker.pull.dropped', { key, group: request.group, remote: request.ctx.remoteAddress, reason: 'connection-closed' }, { flow: 'long-poll' });
        continue;
      }
      let newestOffset = maxOffset;
      if (newestOffset <= request.pullFromThisOffset) newestOffset = this.messageStore.getMaxOffsetInQueue(topic, queueId);
      if (newestOffset > request.pullFromThisOffset && matches(request, tagsCode, msgStoreTime, filterBitMap, properties)) {
        this.wake(key, request, newestOffset, arrival ? 'arrival' : 'periodic-check', now);
      } else if (now >= request.deadline) {
        this.wake(key, request, newestOffset, 'timeout', now);
      } else {
        replay.push(request);
      }
    }
    if (replay.length > 0) many.addPullRequests(replay);
    else if (many.size === 0) this.pullRequestTable.delete(key);
  }

  private wake(key: string, request: PullRequest, maxOffset: number, reason: PullWakeReason, now: number): void {
    this.events.emit('broker.pull.woken', {
      key, group: request.group, offset: request.pullFromThisOffset, maxOffset, reason, heldMs: now - request.suspendTimestamp,
    }, { flow: 'long-poll' });
    // Java submits to the pull executor and logs when no processor is there; a processor
    // always registers itself before a request can be held.
    this.executor?.executeRequestWhenWakeup(request.ctx, request.requestCommand);
  }

  private checkIntervalMs(): number {
    return this.brokerConfig.longPollingEnable ? LONG_POLLING_CHECK_INTERVAL_MS : this.brokerConfig.shortPollingTimeMills;
  }
}

/** "TopicA@0". */
export function buildKey(topic: string, queueId: number): string {
  return topic + TOPIC_QUEUEID_SEPARATOR + queueId;
}

const NO_BYTES = new Uint8Array(0);

/**
 * Java's two-step match for a woken request: the consume-queue question with the arriving
 * tags code (always yes on the periodic check, which has none), then, when the store passed
 * the message's properties, the commit-log question (Java passes a null buffer; we pass none).
 */
function matches(request: PullRequest, tagsCode: number | undefined, msgStoreTime: number, filterBitMap: Uint8Array | undefined, properties: ReadonlyMap<string, string> | undefined): boolean {
  const ext = tagsCode === undefined ? undefined : { tagsCode, msgStoreTime, filterBitMap };
  let match = request.messageFilter.isMatchedByConsumeQueue(tagsCode, ext);
  if (match && properties !== undefined) match = request.messageFilter.isMatchedByCommitLog(NO_BYTES, properties);
  return match;
}
