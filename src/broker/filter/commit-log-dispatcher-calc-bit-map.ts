/**
 * CommitLogDispatcherCalcBitMap: the dispatcher that, for each new message, evaluates every
 * SQL92 filter registered on its topic and stamps the message with the bloom bits of the
 * groups whose expression matched.
 *
 * A SQL92 filter needs a message's properties, which live in the commit log, so without help
 * a pull must read every candidate record just to throw most of them away. This dispatcher
 * moves that work to write time, once per message instead of once per pull: it runs first
 * in the store's dispatcher list, evaluates the topic's filters against the record's
 * properties, and ORs each matching group's bit positions into `request.bitMap`. The
 * consume-queue builder then stores the bit map in the unit's ConsumeQueueExt unit, and a
 * pull tests its group's bits from the consume queue alone:
 *
 * ```
 *   record of TopicA {a: "yes", b: "7"}
 *     filters of TopicA:  G1  a = 'yes'      bits {2, 5, 8}    true  ──► OR in
 *                         G2  b > 10         bits {1, 5, 9}    false
 *                         G3  a IS NULL      bits {0, 4, 11}   false
 *     request.bitMap  =   0010 0100 1000 0000 ... (m = 112 bits, 14 bytes)
 *
 *   pull of G2: bits {1, 5, 9} not all set ──► skipped, no commit-log read
 *   pull of G1: bits {2, 5, 8} all set     ──► read the record, evaluate a = 'yes' again
 *               (bloom bits can collide, so "all set" only means "maybe")
 * ```
 *
 * It only has an effect with both `enableCalcFilterBitMap` (broker) and
 * `enableConsumeQueueExt` (store): without the ext, the bit map reaches long polling but is
 * never stored.
 *
 * Differences from RocketMQ 4.9.x:
 * - The broker registers it only when `enableCalcFilterBitMap` is on (Java always does, and
 *   checks the flag per message; so does this class).
 * - An expression that throws while evaluating counts as "no match" and the others still
 *   run (Java logs it); no timing warning ("Spend {} ms to calc bit map").
 *
 * @mirrors org.apache.rocketmq.broker.filter.CommitLogDispatcherCalcBitMap
 * @article filtersrv "Bit maps in the consume-queue ext"
 * @category Broker
 * @module
 */
import type { BrokerConfig } from '../../common/config/broker-config.js';
import { BitsArray } from '../../filter/util/bits-array.js';
import type { CommitLogDispatcher } from '../../store/dispatch/commit-log-dispatcher.js';
import type { DispatchRequest } from '../../store/dispatch/dispatch-request.js';
import type { ConsumerFilterManager } from './consumer-filter-manager.js';
import { MessageEvaluationContext } from './message-evaluation-context.js';

export interface CommitLogDispatcherCalcBitMapOptions {
  /** Read per message: `enableCalcFilterBitMap`. */
  readonly brokerConfig: Pick<BrokerConfig, 'enableCalcFilterBitMap'>;
  /** The filters per topic, and the bloom filter that places each group's bits. */
  readonly consumerFilterManager: Pick<ConsumerFilterManager, 'getByTopic' | 'bloomFilter'>;
}

export class CommitLogDispatcherCalcBitMap implements CommitLogDispatcher {
  constructor(private readonly options: CommitLogDispatcherCalcBitMapOptions) {}

  /**
   * Set `request.bitMap` when the record's topic has filters: the bloom bits of every group
   * whose expression returned exactly `true` (all zeros when none did). Leaves it alone
   * when the topic has none, so the ext unit then holds no bit map (Java: null).
   */
  dispatch(request: DispatchRequest): void {
    if (!this.options.brokerConfig.enableCalcFilterBitMap) return;
    const { consumerFilterManager } = this.options;
    const filters = consumerFilterManager.getByTopic(request.topic);
    if (filters === undefined || filters.length === 0) return;
    const bloomFilter = consumerFilterManager.bloomFilter;
    const bits = BitsArray.create(bloomFilter.m);
    const context = new MessageEvaluationContext(request.propertiesMap);
    for (const filter of filters) {
      // Java: "[BUG] Consumer in filter manager has no compiled expression / no bloom data!" and skips it.
      const { compiledExpression, bloomFilterData } = filter;
      if (compiledExpression === undefined || !bloomFilter.isValid(bloomFilterData)) continue;
      if (evaluatesToTrue(() => compiledExpression.evaluate(context))) bloomFilter.hashTo(bloomFilterData!, bits);
    }
    request.bitMap = bits.bytes;
  }
}

/** Only `true` matches; `null`, a non-boolean, or an evaluation that threw (Java logs "Calc filter bit map error!") do not. */
function evaluatesToTrue(evaluate: () => unknown): boolean {
  try {
    return evaluate() === true;
  } catch {
    return false;
  }
}
