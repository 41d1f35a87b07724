/**
 * ProducerData: one producer group a client belongs to, as reported in its heartbeat.
 *
 * The broker records which connections belong to which producer group. It needs that for
 * exactly one thing: to call a producer back with CHECK_TRANSACTION_STATE when a
 * transactional message stays undecided. Java clients always report the hidden group
 * `CLIENT_INNER_PRODUCER` too (their internal producer for sending messages back).
 *
 * ```
 *   {"groupName":"PG"}
 * ```
 *
 * Differences from RocketMQ 4.9.x: none.
 *
 * @mirrors org.apache.rocketmq.common.protocol.heartbeat.ProducerData
 * @article pull-consume-1 "Heartbeats: how the broker learns who consumes"
 * @category Common
 * @module
 */
import { JsonFormatError } from '../../json/fastjson.js';
import { asObject, optString } from '../../json/json-fields.js';

export class ProducerData {
  constructor(public groupName: string) {}

  /** Read `{"groupName":...}`; a missing group name is a {@link JsonFormatError} at `path.groupName`. */
  static fromJson(value: unknown, path: string): ProducerData {
    const groupName = optString(asObject(value, path), 'groupName', path);
    if (groupName === undefined) throw new JsonFormatError(`${path}.groupName`, 'is missing');
    return new ProducerData(groupName);
  }
}
