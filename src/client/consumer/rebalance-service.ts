/**
 * RebalanceService: the timer that makes every consumer of a client instance rebalance
 * every 20 s, or at once when woken.
 *
 * Java runs it as a thread inside MQClientInstance: wait 20 s (or until `wakeup()`), then
 * `mqClientFactory.doRebalance()`, which rebalances every registered consumer. The instance
 * wakes it when a consumer starts and when a broker sends NOTIFY_CONSUMER_IDS_CHANGED, so a
 * join or a leave is acted on within one network round trip instead of one period.
 *
 * ```
 *   start ──20 s──► doRebalance ──20 s──► doRebalance ...
 *            NOTIFY ──► wakeup ──► doRebalance ──20 s──► ...
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - A {@link Service} on the Clock; the consumer side attaches it to the instance
 *   (`MQClientInstance.setRebalanceService`), which starts and stops it.
 * - A round requested while one is running is not lost: each consumer's RebalanceImpl runs
 *   it again when the current one ends.
 *
 * @mirrors org.apache.rocketmq.client.impl.consumer.RebalanceService
 * @article pull-consume-1 "RebalanceService"
 * @category Client
 * @module
 */
import { Service } from '../../common/service.js';
import type { Clock } from '../../platform/clock.js';
import type { MQClientInstance, RebalanceServiceHandle } from '../mq-client-instance.js';

/** Java `rocketmq.client.rebalance.waitInterval`: the period between rounds (ms). */
export const REBALANCE_WAIT_INTERVAL = 20_000;

export class RebalanceService extends Service implements RebalanceServiceHandle {
  constructor(
    clock: Clock,
    private readonly mqClientFactory: Pick<MQClientInstance, 'doRebalance'>,
    private readonly waitIntervalMs = REBALANCE_WAIT_INTERVAL,
  ) {
    super(clock, 'RebalanceService');
  }

  /** Java's loop starts by waiting one interval; a wakeup (the consumer's start) cuts it short. */
  override start(initialDelayMs = this.waitIntervalMs): void {
    super.start(initialDelayMs);
  }

  protected onTick(): number {
    // Failures are the consumers' business (they emit events); the loop never stops for them.
    this.mqClientFactory.doRebalance().catch(() => undefined);
    return this.waitIntervalMs;
  }
}
