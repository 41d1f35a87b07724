/**
 * ClientScheduledTask: one of the client instance's periodic jobs, as a Service on the Clock.
 *
 * `MQClientInstance.startScheduledTask` in Java puts four jobs on one scheduled executor:
 * refresh routes (first after 10 ms, then every `pollNameServerInterval`), clean offline
 * brokers and send heartbeats (after 1 s, then every `heartbeatBrokerInterval`), persist
 * consumer offsets (after 10 s, then every `persistConsumerOffsetInterval`), and adjust
 * thread pools. Each job here is one Service: its tick runs the job and returns the period.
 *
 * A job that returns a Promise is not started again while that Promise is pending (a
 * fixed-rate Java task cannot overlap itself either), and its failure is swallowed: like
 * Java's catch-and-log around each job, a background failure must not stop the loop nor
 * surface as an unhandled rejection. The jobs themselves emit events for what failed.
 *
 * Differences from RocketMQ 4.9.x:
 * - No name-server address fetch over HTTP and no thread-pool adjustment job.
 *
 * @mirrors org.apache.rocketmq.client.impl.factory.MQClientInstance#startScheduledTask
 * @article send-receive "The client instance's timers"
 * @category Client
 * @module
 */
import { Service } from '../common/service.js';
import type { Clock } from '../platform/clock.js';

export class ClientScheduledTask extends Service {
  private inFlight = false;

  /**
   * @param initialDelayMs wait before the first run
   * @param periodMs wait between the starts of two runs
   * @param job the work; may return a Promise
   */
  constructor(clock: Clock, name: string, readonly initialDelayMs: number, readonly periodMs: number, private readonly job: () => unknown) {
    super(clock, name);
  }

  /** Start with the task's own initial delay. */
  override start(initialDelayMs = this.initialDelayMs): void {
    super.start(initialDelayMs);
  }

  protected onTick(): number {
    if (!this.inFlight) {
      const result = this.job();
      if (result instanceof Promise) {
        this.inFlight = true;
        result.then(
          () => (this.inFlight = false),
          () => (this.inFlight = false),
        );
      }
    }
    return this.periodMs;
  }
}
