/**
 * KVTable: a string-to-string map in a body, `{"table":{"k":"v"}}`.
 *
 * The name server answers GET_KVLIST_BY_NAMESPACE with one, and attaches the
 * `ORDER_TOPIC_CONFIG` namespace as one to every REGISTER_BROKER answer; a broker answers
 * GET_BROKER_RUNTIME_INFO with one (all its statistics as strings).
 *
 * Differences from RocketMQ 4.9.x:
 * - Keys are written sorted (Java writes its `HashMap` order).
 *
 * @mirrors org.apache.rocketmq.common.protocol.body.KVTable
 * @article namesrv "Key-value configuration"
 * @category Common
 * @module
 */
import { decodeFastjson, encodeFastjson } from '../../json/fastjson.js';
import { asObject, optObject, toOptString } from '../../json/json-fields.js';

export interface KVTable {
  table: Map<string, string>;
}

/** The body bytes. */
export function encodeKVTable(table: ReadonlyMap<string, string>): Uint8Array {
  return encodeFastjson({ table });
}

/** Read a KVTable body; non-string values are converted, nulls dropped. */
export function decodeKVTable(body: Uint8Array): KVTable {
  const obj = asObject(decodeFastjson(body, 'KVTable'), 'KVTable');
  const table = new Map<string, string>();
  for (const [key, value] of Object.entries(optObject(obj, 'table', 'KVTable') ?? {})) {
    const text = toOptString(value, `KVTable.table.${key}`);
    if (text !== undefined) table.set(key, text);
  }
  return { table };
}
