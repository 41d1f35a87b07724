/**
 * SlaveSynchronize: a slave's copy of its master's metadata. Every few seconds it asks the
 * master for four tables and makes them its own.
 *
 * Replication (the store's HA service) copies the commit log byte for byte, and the slave
 * derives its consume queues and index from it. But a broker is more than its log: the
 * topic table decides which pulls it serves, the consumer offsets where a group resumes,
 * the subscription groups how a group may read, and the delay offsets how far each delay
 * level has been delivered. None of those is in the log, so the slave fetches them:
 *
 * ```
 *   slave                                              master (masterAddr, learned from
 *     │ every 10 s, first 3 s after start                the REGISTER_BROKER answer)
 *     ├─ GET_ALL_TOPIC_CONFIG ─────────────────────────► DataVersion differs? replace the
 *     │                                                   whole table, persist topics.json
 *     ├─ GET_ALL_CONSUMER_OFFSET ──────────────────────► merge (putAll), persist consumerOffset.json
 *     ├─ GET_ALL_DELAY_OFFSET ─────────────────────────► merge, persist delayOffset.json
 *     └─ GET_ALL_SUBSCRIPTIONGROUP_CONFIG ─────────────► DataVersion differs? replace the
 *                                                        whole table, persist subscriptionGroup.json
 * ```
 *
 * Each table is fetched on its own: a failed call (the master is down, an answer that does
 * not parse) is reported and leaves that table as it was, the others still sync. So when
 * the master dies, a slave keeps serving with the tables of the last good round, and
 * consumers that fall over to it resume near where they were on the master.
 *
 * Differences from RocketMQ 4.9.x:
 * - Runs on the Clock through {@link ScheduledTasks}, first after 3 s and then every 10 s
 *   (4.9.x `handleSlaveSynchronize`; 4.4 waited 10 s and synced every 60 s). A round still
 *   waiting for the master is not started again.
 * - The delay offsets are merged into the (stopped) schedule service and persisted from
 *   there; Java writes the master's text over `delayOffset.json` directly. The difference
 *   shows only for a level the master no longer has, which the slave keeps.
 * - Each round emits one `broker.slave.synchronized` event (Java logs a line per table).
 *
 * @mirrors org.apache.rocketmq.broker.slave.SlaveSynchronize
 * @mirrors org.apache.rocketmq.broker.BrokerController#handleSlaveSynchronize
 * @article ha "The slave copies its master's metadata"
 * @emits broker.slave.synchronized
 * @category Broker
 * @module
 */
import { JsonFormatError } from '../../common/json/fastjson.js';
import type { NodeEvents } from '../../events/event-sink.js';
import type { SlaveSyncOutcome } from '../../events/kinds/broker-events.js';
import type { Clock } from '../../platform/clock.js';
import { RemotingError } from '../../remoting/errors.js';
import type { ScheduleMessageService } from '../../store/schedule/schedule-message-service.js';
import type { ConsumerOffsetManager } from '../offset/consumer-offset-manager.js';
import { MQBrokerError, type BrokerOuterAPI } from '../out/broker-outer-api.js';
import { ScheduledTasks } from '../scheduled-tasks.js';
import type { SubscriptionGroupManager } from '../subscription/subscription-group-manager.js';
import type { TopicConfigManager } from '../topic/topic-config-manager.js';

/** 4.9.x: the first round 3 s after the broker starts. */
export const SLAVE_SYNC_INITIAL_DELAY_MS = 3000;
/** 4.9.x: a round every 10 s. */
export const SLAVE_SYNC_PERIOD_MS = 10_000;

export interface SlaveSynchronizeOptions {
  readonly clock: Clock;
  readonly events: NodeEvents;
  /** The slave's own address: a master address equal to it is never synced from. */
  readonly brokerAddr: string;
  readonly brokerOuterAPI: Pick<BrokerOuterAPI, 'getAllTopicConfig' | 'getAllConsumerOffset' | 'getAllDelayOffset' | 'getAllSubscriptionGroupConfig'>;
  readonly topicConfigManager: Pick<TopicConfigManager, 'topicConfigTable' | 'dataVersion' | 'persist'>;
  readonly consumerOffsetManager: Pick<ConsumerOffsetManager, 'offsetTable' | 'persist'>;
  readonly subscriptionGroupManager: Pick<SubscriptionGroupManager, 'subscriptionGroupTable' | 'dataVersion' | 'persist'>;
  /** The store's schedule service (stopped on a slave); without one the delay offsets are skipped. */
  readonly scheduleMessageService?: Pick<ScheduleMessageService, 'decode' | 'persist'> | undefined;
}

/** What one round did, table by table (also the event's payload). */
export interface SlaveSyncResult {
  readonly topicConfig: SlaveSyncOutcome;
  readonly consumerOffset: SlaveSyncOutcome;
  readonly delayOffset: SlaveSyncOutcome;
  readonly subscriptionGroup: SlaveSyncOutcome;
  readonly errors: string[];
}

export class SlaveSynchronize {
  /**
   * The master's remoting address, set from every REGISTER_BROKER answer (`undefined`
   * while the name server knows no master). Java `setMasterAddr`.
   */
  masterAddr: string | undefined;
  private readonly tasks: ScheduledTasks;

  constructor(private readonly options: SlaveSynchronizeOptions) {
    this.tasks = new ScheduledTasks(options.clock, [
      { name: 'slaveSynchronize', initialDelayMs: SLAVE_SYNC_INITIAL_DELAY_MS, periodMs: SLAVE_SYNC_PERIOD_MS, run: () => this.syncAll() },
    ]);
  }

  /** Start the periodic rounds (a slave only; Java `handleSlaveSynchronize(SLAVE)`). */
  start(): void {
    this.tasks.start();
  }

  /** Stop the rounds; one in flight finishes. */
  shutdown(): void {
    this.tasks.shutdown();
  }

  /**
   * One round: the four tables in Java's order. Resolves with what happened to each, or
   * `undefined` when there is no master to ask (none known yet, or it is this broker).
   */
  async syncAll(): Promise<SlaveSyncResult | undefined> {
    const master = this.masterAddr;
    if (master === undefined || master === this.options.brokerAddr) return undefined;
    const errors: string[] = [];
    const topicConfig = await this.step(errors, 'topic config', () => this.syncTopicConfig(master));
    const consumerOffset = await this.step(errors, 'consumer offset', () => this.syncConsumerOffset(master));
    const delayOffset = await this.step(errors, 'delay offset', () => this.syncDelayOffset(master));
    const subscriptionGroup = await this.step(errors, 'subscription group', () => this.syncSubscriptionGroupConfig(master));
    const result = { topicConfig, consumerOffset, delayOffset, subscriptionGroup, errors };
    const { topicConfigManager, consumerOffsetManager, subscriptionGroupManager } = this.options;
    this.options.events.emit('broker.slave.synchronized', {
      master, topicConfig, consumerOffset, delayOffset, subscriptionGroup,
      topics: topicConfigManager.topicConfigTable.size, offsetKeys: consumerOffsetManager.offsetTable.size,
      groups: subscriptionGroupManager.subscriptionGroupTable.size, ...(errors.length === 0 ? {} : { errors }),
    }, { flow: 'ha' });
    return result;
  }

  /** The whole table, replaced when the master's DataVersion differs from ours (Java `syncTopicConfig`). */
  private async syncTopicConfig(master: string): Promise<SlaveSyncOutcome> {
    const wrapper = await this.options.brokerOuterAPI.getAllTopicConfig(master);
    const manager = this.options.topicConfigManager;
    if (manager.dataVersion.equals(wrapper.dataVersion)) return 'unchanged';
    // Java: clear + putAll. No await between here and persist: readers never see half a table.
    manager.dataVersion.assignNewOne(wrapper.dataVersion);
    manager.topicConfigTable.clear();
    for (const [topic, config] of wrapper.topicConfigTable) manager.topicConfigTable.set(topic, config);
    manager.persist();
    return 'updated';
  }

  /** Merged over ours, never cleared: an offset only the slave knows survives (Java `putAll`). */
  private async syncConsumerOffset(master: string): Promise<SlaveSyncOutcome> {
    const table = await this.options.brokerOuterAPI.getAllConsumerOffset(master);
    const manager = this.options.consumerOffsetManager;
    for (const [key, offsets] of table) manager.offsetTable.set(key, offsets);
    manager.persist();
    return 'updated';
  }

  /** Merged into the stopped schedule service and persisted, ready for a slave that becomes master. */
  private async syncDelayOffset(master: string): Promise<SlaveSyncOutcome> {
    const service = this.options.scheduleMessageService;
    if (service === undefined) return 'unchanged';
    const text = await this.options.brokerOuterAPI.getAllDelayOffset(master);
    service.decode(text);
    service.persist();
    return 'updated';
  }

  /** Like the topic table: replaced when the DataVersion differs (Java `syncSubscriptionGroupConfig`). */
  private async syncSubscriptionGroupConfig(master: string): Promise<SlaveSyncOutcome> {
    const wrapper = await this.options.brokerOuterAPI.getAllSubscriptionGroupConfig(master);
    const manager = this.options.subscriptionGroupManager;
    if (manager.dataVersion.equals(wrapper.dataVersion)) return 'unchanged';
    manager.dataVersion.assignNewOne(wrapper.dataVersion);
    manager.subscriptionGroupTable.clear();
    for (const [group, config] of wrapper.subscriptionGroupTable) manager.subscriptionGroupTable.set(group, config);
    manager.persist();
    return 'updated';
  }

  /**
   * Run one table's sync; a failure of the call or of the answer's format is recorded and
   * becomes `'failed'` (Java catches and logs per table). Anything else is a bug and escapes.
   */
  private async step(errors: string[], what: string, sync: () => Promise<SlaveSyncOutcome>): Promise<SlaveSyncOutcome> {
    try {
      return await sync();
    } catch (error) {
      if (!(error instanceof RemotingError) && !(error instanceof MQBrokerError) && !(error instanceof JsonFormatError)) throw error;
      errors.push(`${what}: ${error.name}: ${error.message}`);
      return 'failed';
    }
  }
}
