/**
 * ConsumerFilterData: one consumer group's SQL92 filter on one topic, as the broker keeps it
 * between heartbeats: the expression, its compiled form, the group's bloom bits and the
 * lifetime of the entry.
 *
 * A push consumer never repeats its expression in a pull, so the broker compiles it once, at
 * the heartbeat, and every pull of the group looks the compiled expression up here. The
 * entry also remembers when it was born (to tell which stored messages had their bloom bit
 * map computed with it) and when it died (its group went away), so a group that comes back
 * within a day finds its filter still there:
 *
 * ```
 *   bornTime  deadTime   isDead()           meaning
 *   t0        0          no                 in use (deadTime 0 < bornTime)
 *   t0        t1 ≥ t0    yes                group gone at t1; removed once now - t1 ≥ filterDataCleanTimeSpan
 *
 *   isMsgInLive(msgStoreTime) = msgStoreTime > bornTime
 *     a message stored before the filter existed has no bit for it in its ext unit:
 *     the bloom test is skipped for it (it matches at the consume queue, the SQL decides)
 *
 *   consumerFilter.json entry (fastjson: alphabetical, getters included, transient fields left out):
 *   {"bloomFilterData":{"bitNum":112,"bitPos":[17,90,51]},"bornTime":1700000000000,"clientVersion":1700000000000,
 *    "consumerGroup":"CG","dead":false,"deadTime":0,"expression":"a > 5","expressionType":"SQL92","topic":"TopicA"}
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - `howLongAfterDeath` takes the current time as a parameter (Java reads the wall clock).
 * - No reflection-based `equals`/`hashCode`/`toString`.
 *
 * @mirrors org.apache.rocketmq.broker.filter.ConsumerFilterData
 * @article filtersrv "Filtering on the broker"
 * @category Broker
 * @module
 */
import { JsonFormatError } from '../../common/json/fastjson.js';
import { asObject, optArray, optInt, optLong, optObject, optString, type JsonObject } from '../../common/json/json-fields.js';
import type { Expression } from '../../filter/expression/expression.js';
import { BloomFilterData } from '../../filter/util/bloom-filter-data.js';

export class ConsumerFilterData {
  consumerGroup: string;
  topic: string;
  expression: string;
  expressionType: string;
  /** The compiled expression; `undefined` when it did not compile (then nothing is filtered out). Not persisted. */
  compiledExpression: Expression | undefined;
  /** When the broker built this entry (clock ms). */
  bornTime: number;
  /** When its group went away (clock ms), or 0 while it is alive. */
  deadTime = 0;
  /** The group's bit positions in the bloom filter ("group#topic"), or `undefined` (no bit-map test). */
  bloomFilterData: BloomFilterData | undefined;
  /** The subscription's `subVersion` from the client; a pull naming a newer one is FILTER_DATA_NOT_LATEST. */
  clientVersion: number;

  constructor(init: {
    consumerGroup: string; topic: string; expression: string; expressionType: string; bornTime: number; clientVersion: number;
    compiledExpression?: Expression | undefined; deadTime?: number; bloomFilterData?: BloomFilterData | undefined;
  }) {
    this.consumerGroup = init.consumerGroup;
    this.topic = init.topic;
    this.expression = init.expression;
    this.expressionType = init.expressionType;
    this.bornTime = init.bornTime;
    this.clientVersion = init.clientVersion;
    this.compiledExpression = init.compiledExpression;
    this.deadTime = init.deadTime ?? 0;
    this.bloomFilterData = init.bloomFilterData;
  }

  /** Java: `deadTime >= bornTime` (a live entry has deadTime 0). */
  isDead(): boolean {
    return this.deadTime >= this.bornTime;
  }

  /** How long ago the entry died (ms), or -1 while it is alive. */
  howLongAfterDeath(now: number): number {
    return this.isDead() ? now - this.deadTime : -1;
  }

  /** Whether a message stored at `msgStoreTime` had its bit map computed with this filter (see the module diagram). */
  isMsgInLive(msgStoreTime: number): boolean {
    return msgStoreTime > this.bornTime;
  }

  /** The entry as fastjson writes it (the compiled expression is transient; `dead` comes from the `isDead()` getter). */
  toJson(): JsonObject {
    const bloom = this.bloomFilterData;
    return {
      ...(bloom === undefined ? {} : { bloomFilterData: { bitNum: bloom.bitNum, bitPos: [...bloom.bitPos] } }),
      bornTime: this.bornTime,
      clientVersion: this.clientVersion,
      consumerGroup: this.consumerGroup,
      dead: this.isDead(),
      deadTime: this.deadTime,
      expression: this.expression,
      expressionType: this.expressionType,
      topic: this.topic,
    };
  }

  /**
   * Read one entry of consumerFilter.json (the expression is not compiled here). Missing
   * strings read as Java's nulls would be used: as empty. Throws {@link JsonFormatError}.
   */
  static fromJson(value: unknown, path: string): ConsumerFilterData {
    const obj = asObject(value, path);
    const bloom = optObject(obj, 'bloomFilterData', path);
    return new ConsumerFilterData({
      consumerGroup: optString(obj, 'consumerGroup', path) ?? '',
      topic: optString(obj, 'topic', path) ?? '',
      expression: optString(obj, 'expression', path) ?? '',
      expressionType: optString(obj, 'expressionType', path) ?? '',
      bornTime: optLong(obj, 'bornTime', path) ?? 0,
      deadTime: optLong(obj, 'deadTime', path) ?? 0,
      clientVersion: optLong(obj, 'clientVersion', path) ?? 0,
      bloomFilterData: bloom === undefined ? undefined : bloomFilterDataFromJson(bloom, `${path}.bloomFilterData`),
    });
  }
}

/** `{"bitNum":112,"bitPos":[..]}` (Java `BloomFilterData`'s bean form). */
function bloomFilterDataFromJson(obj: JsonObject, path: string): BloomFilterData {
  const bitPos = (optArray(obj, 'bitPos', path) ?? []).map((item, i) => {
    if (typeof item !== 'number' || !Number.isInteger(item)) throw new JsonFormatError(`${path}.bitPos[${i}]`, `expected an int, got ${JSON.stringify(item)}`);
    return item;
  });
  return new BloomFilterData(bitPos, optInt(obj, 'bitNum', path) ?? 0);
}
