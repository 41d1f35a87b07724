/**
 * Reading a run file: `*.events.jsonl` text in, a {@link LoadedRun} out, or an error that
 * says which line is wrong.
 *
 * The strict decoding is `decodeEventLog` (src/events/jsonl.ts), shared with the
 * walkthroughs; this wrapper only turns its error into one the UI can show as "line N:
 * reason" and names the run. A learner who drops a file from another version of the
 * project sees "schema version 2 is not supported" on line 1, not a half-drawn replay.
 *
 * ```
 *   text ──decodeEventLog──► { header, events }  ──► LoadedRun { header, events, name }
 *          │
 *          └─ EventLogDecodeError(line, reason) ──► RunLoadError { message, line }
 * ```
 *
 * Differences from RocketMQ 4.9.x: not in RocketMQ.
 *
 * @article why-read "Watching RocketMQ think"
 * @category Viz
 * @module
 */
import { decodeEventLog, EventLogDecodeError } from '../../../src/events/jsonl.js';
import type { LoadedRun } from './viz-state.js';

/** A run file could not be read; `line` is the 1-based line at fault, when there is one. */
export class RunLoadError extends Error {
  override readonly name = 'RunLoadError';
  readonly line?: number;
  constructor(message: string, line?: number) {
    super(message);
    if (line !== undefined) this.line = line;
  }
}

/** Decode a run file's text; throws {@link RunLoadError}. The events are frozen. */
export function loadRun(text: string, name: string): LoadedRun {
  if (typeof text !== 'string') throw new RunLoadError(`${name}: not a text file`);
  try {
    const log = decodeEventLog(text);
    for (const event of log.events) deepFreeze(event);
    return { header: deepFreeze(log.header), events: Object.freeze(log.events), name };
  } catch (e) {
    if (e instanceof EventLogDecodeError) throw new RunLoadError(`${name}: ${e.message}`, e.line);
    throw new RunLoadError(`${name}: ${(e as Error).message}`);
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}
