/**
 * MessageEvaluationContext: what a SQL92 expression sees of a message, namely its
 * properties map, plus the one decoder that gets that map out of a stored record.
 *
 * An expression like `region = 'eu' AND price > 10` names properties; the engine asks the
 * context for each name and gets the property's string (or null when the message has no
 * such property). Everything a producer sets with `putUserProperty`, and the system
 * properties such as `TAGS` and `KEYS`, live in the same map, so `TAGS = 'TagA'` works too.
 *
 * When the store has not decoded the properties already, they are read straight out of the
 * record, skipping everything before them (Java `MessageDecoder.decodeProperties`):
 *
 * ```
 *   0 TOTALSIZE .. 36 SYSFLAG .. BORNHOST(8|20) .. STOREHOST(8|20) .. BODY LENGTH (84 for IPv4)
 *   ┌──────────────┬──────────┬──────────────┬─────────────┬──────────┬──────────────────────┐
 *   │ BODY LENGTH 4│ BODY  n  │ TOPIC LEN 1  │ TOPIC  t    │ PROP LEN 2 │ PROPERTIES p (UTF-8) │
 *   └──────────────┴──────────┴──────────────┴─────────────┴──────────┴──────────────────────┘
 *   "k1\u0001v1\u0002k2\u0001v2\u0002" ──► Map { k1 → v1, k2 → v2 }
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - A record too short for the lengths it claims gives `undefined` (Java would throw an
 *   index exception, caught by the filter, which then does not match).
 * - `keyValues()` returns the map itself (read-only), not a copy.
 *
 * @mirrors org.apache.rocketmq.broker.filter.MessageEvaluationContext
 * @mirrors org.apache.rocketmq.common.message.MessageDecoder#decodeProperties
 * @article filtersrv "Filtering on the broker"
 * @category Broker
 * @module
 */
import { decodeUtf8 } from '../../common/bytes.js';
import { toInt8 } from '../../common/java-compat.js';
import { string2messageProperties } from '../../common/message/message-properties.js';
import type { EvaluationContext } from '../../filter/expression/evaluation-context.js';
import { bodyLengthPosition, SYS_FLAG_POSITION } from '../../store/commitlog/record-layout.js';

export class MessageEvaluationContext implements EvaluationContext {
  constructor(private readonly properties: ReadonlyMap<string, string> | undefined) {}

  /** The property's value, or null when the message has none (as Java's `Map.get`). */
  get(name: string): unknown {
    return this.properties?.get(name) ?? null;
  }

  keyValues(): ReadonlyMap<string, unknown> | undefined {
    return this.properties;
  }
}

/**
 * The properties of the record at the start of `record` (see the module diagram), or
 * `undefined` when it has none or the bytes end too early.
 */
export function decodeProperties(record: Uint8Array): Map<string, string> | undefined {
  if (record.length < SYS_FLAG_POSITION + 4) return undefined;
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  const bodyLengthAt = bodyLengthPosition(view.getInt32(SYS_FLAG_POSITION, false));
  if (bodyLengthAt + 4 > record.length) return undefined;
  const topicLengthAt = bodyLengthAt + 4 + Math.max(0, view.getInt32(bodyLengthAt, false));
  if (topicLengthAt + 1 > record.length) return undefined;
  const propertiesLengthAt = topicLengthAt + 1 + Math.max(0, toInt8(record[topicLengthAt]!));
  if (propertiesLengthAt + 2 > record.length) return undefined;
  const propertiesLength = view.getInt16(propertiesLengthAt, false);
  const start = propertiesLengthAt + 2;
  if (propertiesLength <= 0 || start + propertiesLength > record.length) return undefined;
  return string2messageProperties(decodeUtf8(record, start, start + propertiesLength));
}
