/**
 * The properties string: how a message's string map travels and is stored.
 *
 * The map is flattened into one string with two control characters, and that exact string
 * is what a producer sends in the `properties` header field and what the store writes into
 * the PROPERTIES part of a record:
 *
 * ```
 *   Map { TAGS → "TagA", WAIT → "true" }
 *
 *   T  A  G  S  01 T  a  g  A  02 W  A  I  T  01 t  r  u  e  02
 *   └─ name ─┘  │  └ value ┘  │  └ name ─┘  │  └ value ┘  │
 *               │             └ PROPERTY_SEPARATOR (\u0002) after every pair
 *               └ NAME_VALUE_SEPARATOR (\u0001)
 * ```
 *
 * Parsing walks the string pair by pair. A piece is kept only when its name and its value
 * are both non-empty, so `a\u0001\u0002` (an empty value) silently disappears. Callers
 * never put `\u0001` or `\u0002` inside a name.
 *
 * Differences from RocketMQ 4.9.x:
 * - We write a trailing `\u0002` after the last pair, as 4.0 through 4.9.2 do; 4.9.3+ drop
 *   that last separator. Both parsers accept both forms, so peers do not care, but a
 *   byte-for-byte comparison with a 4.9.3+ broker differs by that one byte per record.
 * - Pairs come out in the map's insertion order; Java iterates a `HashMap`, whose order
 *   depends on the keys' hashes.
 * - Parsing follows the 4.9.3+ `indexOf` walk. The 4.4 `split`-based parser differs only on
 *   malformed input: it drops a value that contains `\u0001` (4.9 keeps it) and keeps an
 *   empty name (4.9 drops it).
 *
 * @mirrors org.apache.rocketmq.common.message.MessageDecoder#messageProperties2String
 * @mirrors org.apache.rocketmq.common.message.MessageDecoder#string2messageProperties
 * @article message "Properties: the message's string map"
 * @category Common
 * @module
 */
import { NAME_VALUE_SEPARATOR, PROPERTY_SEPARATOR } from './message-const.js';

/**
 * Flatten a property map: `name \u0001 value \u0002` for every pair, in the map's order.
 * An absent map gives `''`.
 */
export function messageProperties2String(properties: ReadonlyMap<string, string> | undefined): string {
  if (properties === undefined) return '';
  let out = '';
  for (const [name, value] of properties) out += name + NAME_VALUE_SEPARATOR + value + PROPERTY_SEPARATOR;
  return out;
}

/**
 * Parse a properties string back into a map. Never throws: malformed pieces are skipped.
 *
 * ```
 *   index ─► name \u0001 value \u0002 name ...
 *            │         │          └ newIndex: next \u0002 (or the end of the string)
 *            │         └ kvSep: first \u0001 after index; needs index < kvSep < newIndex - 1
 *            └ a piece shorter than 3 chars ("a\u0001b" is the shortest valid one) is skipped
 * ```
 *
 * A later duplicate name wins, as `HashMap.put` does.
 */
export function string2messageProperties(properties: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  if (properties === undefined) return map;
  const length = properties.length;
  let index = 0;
  while (index < length) {
    let newIndex = properties.indexOf(PROPERTY_SEPARATOR, index);
    if (newIndex < 0) newIndex = length;
    if (newIndex - index >= 3) {
      const kvSep = properties.indexOf(NAME_VALUE_SEPARATOR, index);
      if (kvSep > index && kvSep < newIndex - 1) {
        map.set(properties.slice(index, kvSep), properties.slice(kvSep + 1, newIndex));
      }
    }
    index = newIndex + 1;
  }
  return map;
}
