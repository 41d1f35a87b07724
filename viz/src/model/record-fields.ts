/**
 * The byte view of one commit-log record: its fields in order, with where each starts and
 * how long it is, rebuilt from what `store.commitlog.appended` reports.
 *
 * A 4.x record (IPv4 hosts) is 91 fixed bytes plus body, topic and properties:
 *
 * ```
 *   0  TOTALSIZE 4 │ 4 MAGICCODE 4 │ 8 BODYCRC 4 │ 12 QUEUEID 4 │ 16 FLAG 4
 *  20  QUEUEOFFSET 8               │ 28 PHYSICALOFFSET 8          │ 36 SYSFLAG 4
 *  40  BORNTIMESTAMP 8             │ 48 BORNHOST 8 (ip 4 + port 4)
 *  56  STORETIMESTAMP 8            │ 64 STOREHOSTADDRESS 8
 *  72  RECONSUMETIMES 4 │ 76 PREPARED TRANSACTION OFFSET 8 │ 84 BODYLENGTH 4
 *  88  BODY bodyLength │ TOPICLENGTH 1 │ TOPIC │ PROPERTIESLENGTH 2 │ PROPERTIES
 * ```
 *
 * With an IPv6 born or store host (sysFlag bits 0x10 / 0x20) that host takes 20 bytes
 * and everything after it moves. A BLANK filler is TOTALSIZE + MAGICCODE (0xCBD43194) and
 * the rest of the segment. The layout is the same as src/store/commitlog/record-layout.ts;
 * it is restated here so the browser bundle does not pull in the store.
 *
 * Runs recorded before `data.record` existed still get a layout: the body length comes
 * from the producer's `client.message.created` (a hint), the properties take the rest;
 * without a hint the body and what follows are shown as one span. The field lengths
 * always sum to the record's size.
 *
 * Differences from RocketMQ 4.9.x: the body's bytes are not in the event log, so the BODY
 * field shows its length, and PROPERTIES shows `name=value` pairs instead of the
 * `\u0001`/`\u0002`-separated string.
 *
 * @mirrors org.apache.rocketmq.store.CommitLog#calMsgLength
 * @article store "One record, byte by byte"
 * @category Viz
 * @module
 */
import type { CommitLogRecordFields } from '../../../src/events/kinds/store-events.js';
import type { RecordField } from './viz-state.js';

/** MAGICCODE of a message record, 0xDAA320A7. */
const MESSAGE_MAGIC = '0xDAA320A7';
/** MAGICCODE of the BLANK filler, 0xCBD43194. */
const BLANK_MAGIC = '0xCBD43194';

/** What is known about one appended record. */
export interface RecordFacts {
  physOffset: number;
  size: number;
  topic: string;
  queueId: number;
  queueOffset: number;
  storeTimestamp: number;
  record?: CommitLogRecordFields;
  /** Body length from the producer, used only when `record` is absent. */
  bodyLengthHint?: number;
}

/** The fields of a record, in byte order; their lengths sum to `facts.size`. */
export function recordFields(facts: RecordFacts): RecordField[] {
  const fields: RecordField[] = [];
  let at = 0;
  const add = (name: string, length: number, value: string | number): void => {
    fields.push({ name, offset: at, length, value });
    at += length;
  };
  const r = facts.record;
  const sysFlag = r?.sysFlag ?? 0;
  add('totalSize', 4, facts.size);
  add('magicCode', 4, MESSAGE_MAGIC);
  add('bodyCRC', 4, r?.bodyCRC ?? '?');
  add('queueId', 4, facts.queueId);
  add('flag', 4, r?.flag ?? '?');
  add('queueOffset', 8, facts.queueOffset);
  add('physicalOffset', 8, facts.physOffset);
  add('sysFlag', 4, r?.sysFlag ?? '?');
  add('bornTimestamp', 8, r?.bornTimestamp ?? '?');
  add('bornHost', (sysFlag & 0x10) === 0 ? 8 : 20, r?.bornHost ?? '?');
  add('storeTimestamp', 8, facts.storeTimestamp);
  add('storeHost', (sysFlag & 0x20) === 0 ? 8 : 20, r?.storeHost ?? '?');
  add('reconsumeTimes', 4, r?.reconsumeTimes ?? '?');
  add('preparedTransactionOffset', 8, r?.preparedTransactionOffset ?? '?');
  const topicLength = r?.topicLength ?? utf8Length(facts.topic);
  const tail = 4 + 1 + topicLength + 2;
  const bodyLength = r?.bodyLength ?? facts.bodyLengthHint;
  if (bodyLength === undefined || bodyLength < 0 || at + tail + bodyLength > facts.size) {
    add('bodyLength', 4, '?');
    add('body…properties', Math.max(facts.size - at, 0), '(body, topic and properties; the split was not recorded)');
    return fields;
  }
  add('bodyLength', 4, bodyLength);
  add('body', bodyLength, `(${bodyLength} bytes)`);
  add('topicLength', 1, topicLength);
  add('topic', topicLength, facts.topic);
  const propertiesLength = r?.propertiesLength ?? facts.size - at - 2;
  add('propertiesLength', 2, propertiesLength);
  add('properties', propertiesLength, r === undefined ? '(not recorded)' : formatProperties(r.properties));
  if (at !== facts.size) add('unaccounted', facts.size - at, '(the event and the layout disagree)');
  return fields;
}

/** The fields of a BLANK filler of `size` bytes. */
export function blankFields(size: number): RecordField[] {
  if (size < 8) return [{ name: 'blank', offset: 0, length: Math.max(size, 0), value: '(too short for a header)' }];
  return [
    { name: 'totalSize', offset: 0, length: 4, value: size },
    { name: 'magicCode', offset: 4, length: 4, value: BLANK_MAGIC },
    { name: 'blank', offset: 8, length: size - 8, value: '(unused to the end of the file)' },
  ];
}

/** Bytes of `text` in UTF-8. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function formatProperties(properties: Record<string, string>): string {
  return Object.entries(properties).map(([k, v]) => `${k}=${v}`).join('; ');
}
