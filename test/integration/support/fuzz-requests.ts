// Request-fuzzing helpers shared by broker-fuzz.test.ts and namesrv-fuzz.test.ts: seeded
// draws, strange and missing extFields, JSON bodies of the right shape or mutated ones,
// mangled bytes, the checks every answer must pass, and the process-level crash collectors.
//
// Every generator is a plain function of a SeededRandom and draws in a fixed order, so one
// seed yields the same requests whichever test calls it. The value pools differ per server
// (the broker's are larger), so they come in as a FuzzPools argument.
import { afterAll, beforeAll } from 'vitest';
import type { ManualClock } from '../../../src/platform/sim/manual-clock.js';
import type { SeededRandom } from '../../../src/platform/random.js';
import { requestCodeName } from '../../../src/common/protocol/request-code.js';
import { ResponseCode, responseCodeName } from '../../../src/common/protocol/response-code.js';
import { DEFAULT_MAX_FRAME_LENGTH } from '../../../src/remoting/frame-decoder.js';
import { RemotingCommandCodec } from '../../../src/remoting/remoting-command-codec.js';
import type { RemotingCommand } from '../../../src/remoting/remoting-command.js';

const utf8 = new TextEncoder();

/** The values one fuzz test draws its strange fields and wrong JSON from. */
export interface FuzzPools {
  /** Strange header-field values (also used, cut short, as stray field names). */
  readonly strange: readonly string[];
  /** JSON values that take the place of the expected one. */
  readonly wrongJson: readonly unknown[];
  /** Byte sequences that are not UTF-8, inserted by mangleBytes. */
  readonly badUtf8: ReadonlyArray<readonly number[]>;
  /** Whether mutateJson may also append a wrong value to an array. */
  readonly growArrays: boolean;
}

export const KNOWN_CODES = new Set<number>(Object.values(ResponseCode));
/** What the remoting layer writes when a processor lets an exception escape. */
export const LEAKED_EXCEPTION = /^[A-Za-z]*(Error|Exception): /;

/** True with `percent` % probability (one draw). */
export function chance(random: SeededRandom, percent: number): boolean {
  return random.int(100) < percent;
}

/** One of `items` (one draw). */
export function pick<T>(random: SeededRandom, items: readonly T[]): T {
  return items[random.int(items.length)]!;
}

/** A value far longer than any field: 70 000 ASCII or 30 000 CJK characters. */
export function overlong(random: SeededRandom): string {
  return chance(random, 50) ? 'z'.repeat(70_000) : '漢'.repeat(30_000);
}

/** Missing (undefined), empty, overlong or one of the strange strings. */
export function strangeValue(random: SeededRandom, pools: FuzzPools): string | undefined {
  switch (random.int(10)) {
    case 0: return undefined;
    case 1: return '';
    case 2: return chance(random, 30) ? overlong(random) : pick(random, pools.strange);
    default: return pick(random, pools.strange);
  }
}

/** The per-request rate (percent) at which fields are strange instead of good. */
export function pickBadness(random: SeededRandom): number {
  return pick(random, [0, 0, 5, 20, 60]);
}

/** extFields for `spec`: each field good or strange at rate `badness`, plus stray fields. */
export function fuzzFields<K>(
  random: SeededRandom, pools: FuzzPools, spec: ReadonlyArray<readonly [string, K]>, badness: number, good: (kind: K) => string,
): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [name, kind] of spec) {
    const value = chance(random, badness) ? strangeValue(random, pools) : good(kind);
    if (value !== undefined) out[name] = value;
  }
  if (chance(random, 8)) out[pick(random, pools.strange).slice(0, 200)] = strangeValue(random, pools) ?? 'x';
  return Object.keys(out).length === 0 && chance(random, 50) ? undefined : out;
}

/** A JSON header may carry numbers, booleans, null, arrays and objects as extFields values. */
export function wrongTypedField(random: SeededRandom, pools: FuzzPools, extFields: Record<string, string>): void {
  const raw = extFields as Record<string, unknown>;
  raw[pick(random, Object.keys(raw).concat('topic'))] = pick(random, [...pools.wrongJson, 7, true, { nested: { deeper: [1, '2', null] } }]);
}

/** A JSON value in place of the expected one, or the expected one with parts replaced. */
export function mutateJson(random: SeededRandom, pools: FuzzPools, value: unknown, depth = 0): unknown {
  if (chance(random, depth === 0 ? 5 : 12)) return pick(random, pools.wrongJson);
  if (Array.isArray(value)) {
    const items = value.map((item) => (chance(random, 40) ? mutateJson(random, pools, item, depth + 1) : item));
    if (pools.growArrays && chance(random, 15)) items.push(pick(random, pools.wrongJson));
    return items;
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (chance(random, 10)) continue;
      out[key] = chance(random, 40) ? mutateJson(random, pools, item, depth + 1) : item;
    }
    if (chance(random, 15)) out[pick(random, pools.strange).slice(0, 50)] = pick(random, pools.wrongJson);
    return out;
  }
  return value;
}

/** Random bytes, or `bytes` with non-UTF-8 sequences, a BOM, or flipped bytes. */
export function mangleBytes(random: SeededRandom, pools: FuzzPools, bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  switch (random.int(4)) {
    case 0: return Uint8Array.from({ length: random.int(300) }, () => random.int(256));
    case 1: return Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes]);
    case 2: {
      const bad = pick(random, pools.badUtf8);
      const at = random.int(out.length + 1);
      return Uint8Array.from([...out.subarray(0, at), ...bad, ...out.subarray(at)]);
    }
    default:
      for (let i = 0; i < 1 + random.int(4) && out.length > 0; i++) out[random.int(out.length)] = random.int(256);
      return out;
  }
}

/** A JSON body built from `valid` (the right shape): as is, mutated, wrong shape, truncated, huge, deeply nested, absent or not UTF-8. */
export function jsonBody(random: SeededRandom, pools: FuzzPools, valid: () => unknown, huge: () => unknown): Uint8Array | undefined {
  switch (random.int(12)) {
    case 0: case 1: case 2: case 3: return utf8.encode(JSON.stringify(valid()));
    case 4: case 5: return utf8.encode(JSON.stringify(mutateJson(random, pools, valid())));
    case 6: return utf8.encode(JSON.stringify(pick(random, [null, 0, 's', [], [valid()], true, {}, { a: valid() }])));
    case 7: {
      const text = utf8.encode(JSON.stringify(valid()));
      return text.subarray(0, random.int(text.length));
    }
    case 8: return utf8.encode(JSON.stringify(huge()));
    case 9: {
      const n = 1000 + random.int(20_000);
      return utf8.encode(chance(random, 50) ? '['.repeat(n) + ']'.repeat(n) : '{"a":'.repeat(n) + '1' + '}'.repeat(n));
    }
    case 10: return chance(random, 50) ? undefined : new Uint8Array(0);
    default: return mangleBytes(random, pools, utf8.encode(JSON.stringify(valid())));
  }
}

/**
 * The checks every answer must pass, reported through `problem` in this order: a known code,
 * a remark unless SUCCESS (or a code in `remarkless`), no exception text. True when SUCCESS.
 */
export function checkAnswer(
  request: RemotingCommand, response: RemotingCommand, what: string, problem: (key: string, detail: string) => void, remarkless: ReadonlySet<number> = new Set(),
): boolean {
  if (!KNOWN_CODES.has(response.code)) problem(`unknown code ${response.code}`, what);
  if (response.code !== ResponseCode.SUCCESS && !remarkless.has(response.code) && (response.remark ?? '') === '') {
    problem(`no remark ${requestCodeName(request.code)} ${responseCodeName(response.code)}`, what);
  }
  if (response.remark !== undefined && LEAKED_EXCEPTION.test(response.remark)) problem(`leaked ${response.remark.slice(0, 120)}`, what);
  return response.code === ResponseCode.SUCCESS;
}

/** Reads a SUCCESS answer's body with the client's reader, if there is one; a throw is a problem. */
export function checkBody(
  request: RemotingCommand, response: RemotingCommand, read: ((body: Uint8Array) => unknown) | undefined, what: string, problem: (key: string, detail: string) => void,
): void {
  if (read === undefined || response.body === undefined) return;
  try {
    read(response.body);
  } catch (error) {
    problem(`unreadable ${requestCodeName(request.code)} body: ${firstLine(error)}`, what);
  }
}

/** Waits (in virtual time) for `promise`, at most `limitMs`; rethrows its rejection. */
export function settler(clock: ManualClock) {
  return async <T>(promise: Promise<T>, limitMs = 20_000): Promise<T> => {
    let done: { value: T } | undefined;
    let failed: { error: unknown } | undefined;
    promise.then((value) => (done = { value }), (error: unknown) => (failed = { error }));
    await clock.runUntil(() => done !== undefined || failed !== undefined, limitMs);
    if (failed !== undefined) throw failed.error;
    return done!.value;
  };
}

export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
}

export function firstLine(error: unknown): string {
  return errorText(error).split('\n')[0]!.slice(0, 160);
}

/** Registers process-level collectors for the file's tests; the returned list fills with every unhandled rejection and uncaught exception. */
export function collectCrashes(): string[] {
  const crashes: string[] = [];
  const onUnhandledRejection = (reason: unknown): void => void crashes.push(`unhandledRejection: ${errorText(reason)}`);
  const onUncaughtException = (error: unknown): void => void crashes.push(`uncaughtException: ${errorText(error)}`);
  beforeAll(() => {
    process.on('unhandledRejection', onUnhandledRejection);
    process.on('uncaughtException', onUncaughtException);
  });
  afterAll(() => {
    process.off('unhandledRejection', onUnhandledRejection);
    process.off('uncaughtException', onUncaughtException);
  });
  return crashes;
}

/** `make(value)` with the longest value that still fits one frame (the largest a server accepts). */
export function frameFilling(make: (value: string) => RemotingCommand): RemotingCommand {
  const overhead = new RemotingCommandCodec().encode(make('')).length;
  return make('x'.repeat(DEFAULT_MAX_FRAME_LENGTH - overhead));
}

/** `"5-40"` or `"7,9"` as a list of seeds; `fallback` when unset. */
export function seedsFrom(spec: string | undefined, fallback: number[]): number[] {
  if (spec === undefined || spec.trim() === '') return fallback;
  return spec.split(',').flatMap((part) => {
    const [from, to = from] = part.split('-').map(Number);
    return Array.from({ length: to! - from! + 1 }, (_, i) => from! + i);
  });
}
