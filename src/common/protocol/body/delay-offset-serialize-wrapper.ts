/**
 * DelayOffsetSerializeWrapper: how far the schedule service has read each delay level's
 * queue, as kept in `config/delayOffset.json` and returned by GET_ALL_DELAY_OFFSET.
 *
 * Delayed messages wait in `SCHEDULE_TOPIC_XXXX`, one queue per delay level (queue id =
 * level - 1). For every level the schedule service remembers the next queue offset it has
 * not yet put back on its real topic. A slave copies the master's table (GET_ALL_DELAY_OFFSET)
 * so that, promoted, it would not deliver the same messages again.
 *
 * ```
 *   {"offsetTable":{1:0,2:7,3:12}}        level -> next consume-queue offset of queue level-1
 *    Java's fastjson writes the integer keys bare (not JSON); both forms are read.
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - Levels are written in ascending order (Java: `ConcurrentHashMap` order).
 * - A key that is not an integer, or an offset that is not a non-negative safe integer, is
 *   refused as a whole (Java's fastjson would fail on most of these too).
 *
 * @mirrors org.apache.rocketmq.store.schedule.DelayOffsetSerializeWrapper
 * @article schedule-retry "Where the schedule service keeps its place"
 * @category Common
 * @module
 */
import { JsonFormatError, parseFastjson, writeFastjson } from '../../json/fastjson.js';
import { asObject, optObject } from '../../json/json-fields.js';

/** Delay level (1-based) -> next queue offset of `SCHEDULE_TOPIC_XXXX` queue `level - 1`. */
export type DelayOffsetTable = Map<number, number>;

/** The file / body text: `{"offsetTable":{1:0,2:7}}`, levels ascending, keys bare as fastjson writes them. */
export function encodeDelayOffsetTable(offsetTable: ReadonlyMap<number, number>): string {
  return writeFastjson({ offsetTable }, { unquotedIntegerKeys: true });
}

/**
 * Read the text back (bare or quoted keys). Throws {@link JsonFormatError} on anything that
 * is not such a table; `null` or a missing `offsetTable` reads as an empty table.
 */
export function decodeDelayOffsetTable(text: string, path = 'delayOffset'): DelayOffsetTable {
  const root = asObject(parseFastjson(text, path), path);
  const table: DelayOffsetTable = new Map();
  for (const [level, offset] of Object.entries(optObject(root, 'offsetTable', path) ?? {})) {
    const at = `${path}.offsetTable.${level}`;
    if (!/^-?\d+$/.test(level)) throw new JsonFormatError(at, 'the delay level is not an integer');
    if (offset === null) continue; // fastjson leaves null values out; tolerate them on read
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
      throw new JsonFormatError(at, `expected a queue offset, got ${JSON.stringify(offset)}`);
    }
    table.set(Number(level), offset);
  }
  return table;
}
