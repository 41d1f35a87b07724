/**
 * TransactionalMessageCheckService: the master's once-a-minute round over undecided half
 * messages.
 *
 * A transactional producer promises to send END_TRANSACTION after its local transaction.
 * When it crashes, hangs or loses the one-way packet, the half message would wait forever;
 * this service is the broker's reminder. Every `transactionCheckInterval` (60 s) it runs
 * one round of {@link TransactionalMessageServiceImpl.check}, which asks the producer group
 * about every half message older than `transactionTimeOut` (6 s) and no op record finished:
 *
 * ```
 *   start() ──► +60 s ──► round: check(transactionTimeOut 6000, transactionCheckMax 15, listener)
 *                 ▲          └─ per half queue: walk, re-put, CHECK_TRANSACTION_STATE, offsets
 *                 └──────── +60 s ◄──┘
 * ```
 *
 * Only a master runs it: a slave's half queue is a copy, and its answers would be written to
 * a store that refuses puts. The broker starts it after the store and stops it first.
 *
 * Differences from RocketMQ 4.9.x:
 * - A round is an async function; a tick that comes while the previous round is still
 *   awaiting its puts skips (Java's single thread simply runs late).
 * - The interval, timeout and check maximum are read at every tick, so changing the broker
 *   config takes effect from the next round (Java reads the interval once, at thread start).
 *
 * @mirrors org.apache.rocketmq.broker.transaction.TransactionalMessageCheckService
 * @article transaction "Checking back: the half queue walk"
 * @category Broker
 * @module
 */
import type { BrokerConfig } from '../../common/config/broker-config.js';
import { Service } from '../../common/service.js';
import type { Clock } from '../../platform/clock.js';
import type { TransactionalMessageCheckListener } from './default-transactional-message-check-listener.js';
import type { TransactionalMessageServiceImpl } from './transactional-message-service.js';

export interface TransactionalMessageCheckServiceOptions {
  readonly clock: Clock;
  readonly brokerConfig: Pick<BrokerConfig, 'transactionCheckInterval' | 'transactionTimeOut' | 'transactionCheckMax'>;
  readonly transactionalMessageService: Pick<TransactionalMessageServiceImpl, 'check'>;
  readonly listener: TransactionalMessageCheckListener;
}

export class TransactionalMessageCheckService extends Service {
  private round: Promise<void> | undefined;

  constructor(private readonly options: TransactionalMessageCheckServiceOptions) {
    super(options.clock, 'TransactionalMessageCheckService');
  }

  /** The first round runs one interval after start, as Java's `waitForRunning(checkInterval)` does. */
  override start(initialDelayMs = this.options.brokerConfig.transactionCheckInterval): void {
    super.start(initialDelayMs);
  }

  protected onTick(): number {
    if (this.round === undefined) void this.checkNow();
    return this.options.brokerConfig.transactionCheckInterval;
  }

  /** The round in progress, if any (tests and shutdown can wait for it). */
  get currentRound(): Promise<void> | undefined {
    return this.round;
  }

  /**
   * Run one round now (Java `onWaitEnd`), or join the one in progress. A round that throws
   * is a bug: the rejection is not caught here.
   */
  checkNow(): Promise<void> {
    if (this.round !== undefined) return this.round;
    const { brokerConfig, transactionalMessageService, listener } = this.options;
    const round = transactionalMessageService.check(brokerConfig.transactionTimeOut, brokerConfig.transactionCheckMax, listener);
    this.round = round.finally(() => {
      this.round = undefined;
    });
    return this.round;
  }
}
