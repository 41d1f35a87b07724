/**
 * SubscriptionGroupConfig: how a broker treats one consumer group (may it consume, how
 * many times are its failed messages retried, from which broker may it read).
 *
 * The broker keeps one of these per consumer group in `config/subscriptionGroup.json`,
 * usually auto-created the first time a consumer of the group sends a heartbeat or a pull.
 * The two numbers that shape a group's retry story live here:
 *
 * ```
 *   retryQueueNums = 1    queues of %RETRY%<group>, where sent-back messages wait
 *   retryMaxTimes  = 16   after this many redeliveries a message goes to %DLQ%<group>
 *                         (a client may send its own maxReconsumeTimes instead)
 * ```
 *
 * As JSON (fastjson, properties alphabetical):
 * `{"brokerId":0,"consumeBroadcastEnable":true,"consumeEnable":true,"consumeFromMinEnable":true,"groupName":"cg",`
 * `"notifyConsumerIdsChangedEnable":true,"retryMaxTimes":16,"retryQueueNums":1,"whichBrokerWhenConsumeSlowly":1}`.
 *
 * Differences from RocketMQ 4.9.x: none (a plain data class; `fromJson` reads leniently as fastjson).
 *
 * @mirrors org.apache.rocketmq.common.subscription.SubscriptionGroupConfig
 * @article schedule-retry "Retry and dead-letter topics"
 * @category Common
 * @module
 */
import { JsonFormatError } from '../json/fastjson.js';
import { asObject, optBool, optInt, optLong, optString } from '../json/json-fields.js';
import { MASTER_ID } from '../mix-all.js';

export class SubscriptionGroupConfig {
  groupName: string;
  /** False stops the group from pulling (NO_PERMISSION). */
  consumeEnable = true;
  /** A new group may start from the queue's min offset (CONSUME_FROM_FIRST_OFFSET is honoured). */
  consumeFromMinEnable = true;
  /** False refuses BROADCASTING consumers of this group. */
  consumeBroadcastEnable = true;
  /** Queues of `%RETRY%<group>`; 0 drops sent-back messages. */
  retryQueueNums = 1;
  /** Redeliveries before a message goes to `%DLQ%<group>` (when the client does not say). */
  retryMaxTimes = 16;
  /** The broker id the group reads from normally (0, the master). */
  brokerId: number = MASTER_ID;
  /** The broker id suggested when the master reads from disk (a slave). */
  whichBrokerWhenConsumeSlowly = 1;
  /** Tell the group's consumers when its membership changes. */
  notifyConsumerIdsChangedEnable = true;

  constructor(groupName: string) {
    this.groupName = groupName;
  }

  /** Read the JSON bean form; missing fields keep their defaults, `nameFromKey` fills a missing name. */
  static fromJson(value: unknown, path: string, nameFromKey?: string): SubscriptionGroupConfig {
    const obj = asObject(value, path);
    const name = optString(obj, 'groupName', path) ?? nameFromKey;
    if (name === undefined) throw new JsonFormatError(`${path}.groupName`, 'is missing');
    const config = new SubscriptionGroupConfig(name);
    config.consumeEnable = optBool(obj, 'consumeEnable', path) ?? config.consumeEnable;
    config.consumeFromMinEnable = optBool(obj, 'consumeFromMinEnable', path) ?? config.consumeFromMinEnable;
    config.consumeBroadcastEnable = optBool(obj, 'consumeBroadcastEnable', path) ?? config.consumeBroadcastEnable;
    config.retryQueueNums = optInt(obj, 'retryQueueNums', path) ?? config.retryQueueNums;
    config.retryMaxTimes = optInt(obj, 'retryMaxTimes', path) ?? config.retryMaxTimes;
    config.brokerId = optLong(obj, 'brokerId', path) ?? config.brokerId;
    config.whichBrokerWhenConsumeSlowly = optLong(obj, 'whichBrokerWhenConsumeSlowly', path) ?? config.whichBrokerWhenConsumeSlowly;
    config.notifyConsumerIdsChangedEnable = optBool(obj, 'notifyConsumerIdsChangedEnable', path) ?? config.notifyConsumerIdsChangedEnable;
    return config;
  }

  toString(): string {
    return (
      `SubscriptionGroupConfig [groupName=${this.groupName}, consumeEnable=${this.consumeEnable}, ` +
      `consumeFromMinEnable=${this.consumeFromMinEnable}, consumeBroadcastEnable=${this.consumeBroadcastEnable}, ` +
      `retryQueueNums=${this.retryQueueNums}, retryMaxTimes=${this.retryMaxTimes}, brokerId=${this.brokerId}, ` +
      `whichBrokerWhenConsumeSlowly=${this.whichBrokerWhenConsumeSlowly}, notifyConsumerIdsChangedEnable=${this.notifyConsumerIdsChangedEnable}]`
    );
  }
}
