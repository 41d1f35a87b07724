/**
 * The broker's periodic jobs, in one list: what Java's `BrokerController.initialize()` and
 * `start()` hand to `scheduledExecutorService.scheduleAtFixedRate`.
 *
 * ```
 *   job                          first run   then every                          why
 *   persistConsumerOffsets       10 s        flushConsumerOffsetInterval (5 s)   consumerOffset.json lags memory by at most this
 *   persistConsumerFilters       10 s        10 s                                consumerFilter.json (SQL92 filters; drops long-dead ones)
 *   registerBrokerAll            10 s        registerNameServerPeriod (30 s,     the name servers drop a broker silent for 120 s
 *                                            clamped to 10-60 s)
 * ```
 *
 * Other periodic work runs in its own `Service` (its own timer, started by the controller):
 * the client scan every 10 s (`ClientHousekeepingService`), the long-polling check every
 * 5 s (`PullRequestHoldService`), and the store's flush, commit and clean services.
 *
 * Each job runs on the Clock. A job that returns a promise (registration waits for every
 * name server, up to 6 s) is not started again while the previous run is still pending,
 * as Java's single scheduler thread would wait for it.
 *
 * Differences from RocketMQ 4.9.x:
 * - Left out: the daily statistics record, `protectBroker` (disabling slow groups), the
 *   water-mark log, the name-server address refresh (the list comes from the config once),
 *   and the master/slave diff log.
 * - Runs are spaced `periodMs` after the previous run started, as `scheduleAtFixedRate`.
 *
 * @mirrors org.apache.rocketmq.broker.BrokerController#initialize (its scheduled tasks)
 * @article store-init "The broker's timers"
 * @category Broker
 * @module
 */
import type { Clock, TimerHandle } from '../platform/clock.js';

/** One periodic job. */
export interface ScheduledTask {
  readonly name: string;
  readonly initialDelayMs: number;
  readonly periodMs: number;
  /** The work; a returned promise keeps the next run from starting until it settles (other results are ignored). */
  run(): unknown;
}

/** Runs a list of {@link ScheduledTask}s on a Clock. */
export class ScheduledTasks {
  private readonly timers = new Map<string, TimerHandle>();
  private readonly pending = new Set<string>();
  private running = false;

  constructor(private readonly clock: Clock, readonly tasks: readonly ScheduledTask[]) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    for (const task of this.tasks) this.schedule(task, task.initialDelayMs);
  }

  /** Cancel every timer; a run in progress finishes, but none starts again. */
  shutdown(): void {
    this.running = false;
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  private schedule(task: ScheduledTask, delayMs: number): void {
    this.timers.set(task.name, this.clock.setTimer(delayMs, () => this.fire(task)));
  }

  private fire(task: ScheduledTask): void {
    if (!this.running) return;
    this.schedule(task, task.periodMs);
    if (this.pending.has(task.name)) return; // the previous run is still waiting
    const result = task.run();
    if (!(result instanceof Promise)) return;
    this.pending.add(task.name);
    void result.finally(() => this.pending.delete(task.name));
  }
}

/** What the broker's jobs call. */
export interface BrokerScheduledTaskDeps {
  readonly flushConsumerOffsetInterval: number;
  /** Already clamped to 10-60 s (`getRegisterNameServerPeriod`). */
  readonly registerNameServerPeriod: number;
  readonly persistConsumerOffsets: () => unknown;
  /** Write consumerFilter.json (optional so that callers without SQL92 filters can leave it out). */
  readonly persistConsumerFilters?: () => unknown;
  readonly registerBrokerAll: () => Promise<unknown>;
}

/** Java's first delay for the broker's jobs. */
const INITIAL_DELAY_MS = 10_000;
/** Java persists the consumer filters every 10 s (a fixed period, not a config key). */
const PERSIST_CONSUMER_FILTERS_PERIOD_MS = 10_000;

/** The table at the top of this file. */
export function brokerScheduledTasks(deps: BrokerScheduledTaskDeps): ScheduledTask[] {
  return [
    { name: 'persistConsumerOffsets', initialDelayMs: INITIAL_DELAY_MS, periodMs: deps.flushConsumerOffsetInterval, run: deps.persistConsumerOffsets },
    ...(deps.persistConsumerFilters === undefined ? [] : [
      { name: 'persistConsumerFilters', initialDelayMs: INITIAL_DELAY_MS, periodMs: PERSIST_CONSUMER_FILTERS_PERIOD_MS, run: deps.persistConsumerFilters },
    ]),
    { name: 'registerBrokerAll', initialDelayMs: INITIAL_DELAY_MS, periodMs: deps.registerNameServerPeriod, run: deps.registerBrokerAll },
  ];
}
