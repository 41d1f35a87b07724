/**
 * The event-log file format: JSON Lines with a run header on line 1.
 *
 * ```
 *   line 1   {"type":"run.header","v":1,"scenario":"send-one","seed":7,...}
 *   line 2   {"seq":1,"at":0,"node":"namesrv-1","kind":"...","data":{...}}
 *   line 3   {"seq":2,"at":3,"node":"broker-a","kind":"...","data":{...}}
 *   ...      one event per line, ordered by seq, no gaps
 * ```
 *
 * JSONL streams, appends and diffs well, so a golden fixture is one readable file and a
 * behaviour change shows up in review as changed lines. This module only turns values into
 * text and back; writing the file is the caller's business (the walkthroughs use Node's
 * file API), so the visualizer can use the same decoder in the browser.
 *
 * Decoding is strict where a silent mistake would mislead a learner: a wrong schema
 * version, a broken line or a gap in `seq` is reported with its line number, never
 * skipped.
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ.
 *
 * @article why-read "Watching RocketMQ think"
 * @category Events
 * @module
 */
import { EVENT_SCHEMA_VERSION, type InstrumentEvent, type RunHeader } from './event-types.js';

/** A decoded event log. */
export interface EventLog {
  header: RunHeader;
  events: InstrumentEvent[];
}

/** Why a file could not be read, with the 1-based line it happened on. */
export class EventLogDecodeError extends Error {
  override readonly name = 'EventLogDecodeError';
  constructor(readonly line: number, reason: string) {
    super(`event log line ${line}: ${reason}`);
  }
}

/** The header and events as JSONL text, one object per line, ending with a newline. */
export function encodeEventLog(header: RunHeader, events: readonly InstrumentEvent[]): string {
  const lines = [JSON.stringify(header)];
  for (const event of events) lines.push(JSON.stringify(event));
  return lines.join('\n') + '\n';
}

/** Parse JSONL text; throws {@link EventLogDecodeError} naming the first bad line. */
export function decodeEventLog(text: string): EventLog {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new EventLogDecodeError(1, 'the file is empty; expected a run.header line');
  const header = parseLine(lines[0]!, 1) as Partial<RunHeader>;
  if (header.type !== 'run.header') throw new EventLogDecodeError(1, 'the first line is not a run.header');
  if (header.v !== EVENT_SCHEMA_VERSION) {
    throw new EventLogDecodeError(1, `schema version ${String(header.v)} is not supported (this reader understands version ${EVENT_SCHEMA_VERSION})`);
  }
  const events: InstrumentEvent[] = [];
  for (let i = 1; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const event = parseLine(raw, lineNo) as Partial<InstrumentEvent>;
    if (typeof event.kind !== 'string' || typeof event.node !== 'string' || typeof event.at !== 'number') {
      throw new EventLogDecodeError(lineNo, 'an event needs "kind", "node" and "at"');
    }
    if (event.seq !== events.length + 1) {
      throw new EventLogDecodeError(lineNo, `expected seq ${events.length + 1}, found ${String(event.seq)}`);
    }
    if (typeof event.data !== 'object' || event.data === null) throw new EventLogDecodeError(lineNo, 'an event needs a "data" object');
    events.push(event as InstrumentEvent);
  }
  return { header: header as RunHeader, events };
}

function parseLine(raw: string, lineNo: number): unknown {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    return value;
  } catch (e) {
    throw new EventLogDecodeError(lineNo, `not valid JSON (${(e as Error).message})`);
  }
}
