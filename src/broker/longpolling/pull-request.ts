/**
 * PullRequest: a pull that found nothing new and is being held open (long polling),
 * with everything needed to run it again later.
 *
 * A consumer asks for messages from queue offset N; when N is the end of the queue there
 * is nothing to send yet. Instead of answering "nothing" and being asked again a moment
 * later, the broker keeps the request and answers it as soon as a message arrives, or
 * when its time is up. Re-running it needs the original command (same opaque, same
 * header), the connection to answer on, and the filter, to decide whether an arriving
 * message is one this consumer wants.
 *
 * ```
 *   suspendTimestamp ──────── timeoutMillis ────────► deadline
 *        │  held in PullRequestHoldService["topic@queueId"]
 *        └─ woken early when the queue's max offset passes pullFromThisOffset
 *           and the filter matches the arriving message's tags code
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - Holds the RequestContext (the connection as processors see it) instead of a Netty Channel.
 *
 * @mirrors org.apache.rocketmq.broker.longpolling.PullRequest
 * @article pull-consume-1 "Long polling on the broker"
 * @category Broker
 * @module
 */
import type { SubscriptionData } from '../../common/protocol/heartbeat/subscription-data.js';
import type { RemotingCommand } from '../../remoting/remoting-command.js';
import type { RequestContext } from '../../remoting/request-processor.js';
import type { MessageFilter } from '../../store/message-store.js';

export class PullRequest {
  /**
   * @param requestCommand the original PULL_MESSAGE command, answered later with its opaque
   * @param ctx the connection it came on (Java: `clientChannel`)
   * @param timeoutMillis how long to hold it: the header's suspendTimeoutMillis, or shortPollingTimeMills
   * @param suspendTimestamp when it was held (clock ms)
   * @param pullFromThisOffset the queue offset it asked for (the queue's end when held)
   */
  constructor(
    readonly requestCommand: RemotingCommand,
    readonly ctx: RequestContext,
    readonly timeoutMillis: number,
    readonly suspendTimestamp: number,
    readonly pullFromThisOffset: number,
    readonly subscriptionData: SubscriptionData,
    readonly messageFilter: MessageFilter,
  ) {}

  /** When it must be answered at the latest (clock ms). */
  get deadline(): number {
    return this.suspendTimestamp + this.timeoutMillis;
  }

  /** The consumer group, for events (the header field the processor already checked). */
  get group(): string {
    return this.requestCommand.optString('consumerGroup') ?? '';
  }
}
