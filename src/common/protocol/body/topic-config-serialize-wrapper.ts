/**
 * TopicConfigSerializeWrapper: a broker's whole topic table plus its DataVersion, the heart
 * of every REGISTER_BROKER body (and of the slave's GET_ALL_TOPIC_CONFIG answer).
 *
 * ```
 *   {"dataVersion":{"counter":3,"timestamp":1700000000000},
 *    "topicConfigTable":{"TopicA":{"order":false,"perm":6,"readQueueNums":4,"topicFilterType":"SINGLE_TAG",
 *                                  "topicName":"TopicA","topicSysFlag":0,"writeQueueNums":4}, ...}}
 * ```
 *
 * The table is keyed by topic name; each value repeats the name in `topicName`.
 *
 * Differences from RocketMQ 4.9.x:
 * - A missing `dataVersion` reads as `{0, 0}` (Java's default would be "now, 0").
 * - A table entry without `topicName` takes its key (Java would register a null topic).
 *
 * @mirrors org.apache.rocketmq.common.protocol.body.TopicConfigSerializeWrapper
 * @article namesrv "Registering a broker"
 * @category Common
 * @module
 */
import { decodeFastjson, encodeFastjson } from '../../json/fastjson.js';
import { asObject, optObject } from '../../json/json-fields.js';
import { TopicConfig } from '../../topic/topic-config.js';
import { DataVersion } from './data-version.js';

export class TopicConfigSerializeWrapper {
  constructor(
    public topicConfigTable: Map<string, TopicConfig> = new Map(),
    public dataVersion: DataVersion = new DataVersion(),
  ) {}

  /** Read the JSON object form (lenient, as fastjson). */
  static fromJson(value: unknown, path = 'TopicConfigSerializeWrapper'): TopicConfigSerializeWrapper {
    const obj = asObject(value, path);
    const versionJson = optObject(obj, 'dataVersion', path);
    const dataVersion = versionJson === undefined ? new DataVersion() : DataVersion.fromJson(versionJson, `${path}.dataVersion`);
    const table = new Map<string, TopicConfig>();
    const tableJson = optObject(obj, 'topicConfigTable', path);
    for (const [topic, configJson] of Object.entries(tableJson ?? {})) {
      if (configJson === null || configJson === undefined) continue;
      table.set(topic, TopicConfig.fromJson(configJson, `${path}.topicConfigTable.${topic}`, topic));
    }
    return new TopicConfigSerializeWrapper(table, dataVersion);
  }

  /** Decode a body that is a bare wrapper (REGISTER_BROKER from a broker older than V3_0_11). */
  static decode(bytes: Uint8Array): TopicConfigSerializeWrapper {
    return TopicConfigSerializeWrapper.fromJson(decodeFastjson(bytes, 'TopicConfigSerializeWrapper'));
  }

  encode(): Uint8Array {
    return encodeFastjson(this);
  }
}
