/**
 * RemotingCommand: the one message type of RocketMQ's RPC, used for every request and
 * every response in both directions.
 *
 * A command is a small header (code, language, version, opaque, flag, remark, extFields)
 * plus an opaque body. Requests carry a request code (`SEND_MESSAGE_V2 = 310`), responses a
 * response code (`SUCCESS = 0`); the RESPONSE bit of `flag` tells them apart, and `opaque`
 * pairs a response with its request. Business headers (Java's `CommandCustomHeader`
 * classes) are flattened into `extFields` as strings, and read back with the typed
 * accessors below ({@link RemotingCommand.getInt} and friends), which is the job Java's
 * `decodeCommandCustomHeader` does by reflection.
 *
 * ```
 *   flag bits:   bit 0 (1) RESPONSE    set by the side that answers
 *                bit 1 (2) ONEWAY      set by a sender that wants no answer
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - No static `requestId` counter: `createRequestCommand` leaves `opaque` at 0 and the
 *   remoting client or server that sends the command assigns the next opaque of its own.
 * - The version is not read from a system property: factories default to
 *   {@link DEFAULT_REMOTING_VERSION}, and a client or server stamps its configured version on
 *   every command it sends.
 * - No reflection: typed accessors read single fields on demand. Values that arrive as JSON
 *   numbers or booleans (the Node client ali-ons sends those) are normalised to strings by
 *   the decoder, so every accessor sees Java's strings.
 *
 * @mirrors org.apache.rocketmq.remoting.protocol.RemotingCommand
 * @mirrors org.apache.rocketmq.remoting.protocol.LanguageCode
 * @mirrors org.apache.rocketmq.remoting.protocol.SerializeType
 * @article send-receive "One RPC, byte by byte"
 * @category Remoting
 * @module
 */
import { RemotingCommandError } from './errors.js';

/** The language byte of the binary header, and its name in the JSON header. */
export const LanguageCode = {
  JAVA: 0,
  CPP: 1,
  DOTNET: 2,
  PYTHON: 3,
  DELPHI: 4,
  ERLANG: 5,
  RUBY: 6,
  OTHER: 7,
  HTTP: 8,
  GO: 9,
  PHP: 10,
  OMS: 11,
  /** 4.9. */
  RUST: 12,
} as const;

/** A language name as written in the JSON header, e.g. `'JAVA'`. */
export type LanguageName = keyof typeof LanguageCode;

const LANGUAGE_NAMES = Object.keys(LanguageCode) as LanguageName[];

/** The language name for a binary-header byte; an unknown byte reads as `'OTHER'`. */
export function languageName(code: number): LanguageName {
  return LANGUAGE_NAMES[code] ?? 'OTHER';
}

/** True when `name` is one of the language names above. */
export function isLanguageName(name: string): name is LanguageName {
  return Object.prototype.hasOwnProperty.call(LanguageCode, name);
}

/** The header encodings, with the value of the top byte of the header-length word. */
export const SerializeType = { JSON: 0, ROCKETMQ: 1 } as const;

/** `'JSON'` (a fastjson-style header) or `'ROCKETMQ'` (the compact binary header). */
export type SerializeTypeName = keyof typeof SerializeType;

/** Flag bit 0: this command is a response. */
export const RESPONSE_FLAG = 1;
/** Flag bit 1: the sender wants no response. */
export const ONEWAY_FLAG = 2;

/**
 * The version every command carries unless configured otherwise: 293 is the ordinal of
 * `MQVersion.Version.V4_4_0`. A broker must answer HEART_BEAT with at least 232
 * (`V4_1_0_SNAPSHOT`), or Java clients refuse SQL92 subscriptions.
 */
export const DEFAULT_REMOTING_VERSION = 293;

/** What may be put into `extFields`; `null` and `undefined` are skipped, as Java skips null fields. */
export type ExtFieldValue = string | number | boolean | null | undefined;

// Java's Integer.parseInt and Long.parseLong accept an optional sign and decimal digits only.
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

/** One RPC message: a request or a response. */
export class RemotingCommand {
  /** Request code in a request, response code in a response. */
  code: number;
  language: LanguageName = 'JAVA';
  /** The sender's `MQVersion` ordinal. */
  version: number = DEFAULT_REMOTING_VERSION;
  /** The request id; a response echoes its request's opaque. */
  opaque = 0;
  /** Bit 0 RESPONSE, bit 1 ONEWAY. */
  flag = 0;
  /** Error text in responses (pull responses carry the store status name, e.g. `FOUND`). */
  remark: string | undefined = undefined;
  /** The flattened custom header: field name to string value. `undefined` is sent as no map at all. */
  extFields: Record<string, string> | undefined = undefined;
  /** The body; an empty body travels as no body and decodes as `undefined`. */
  body: Uint8Array | undefined = undefined;
  /** How the header is encoded on the wire; a response mirrors its request's type. */
  serializeType: SerializeTypeName = 'JSON';

  constructor(code: number) {
    this.code = code;
  }

  /** Put one custom-header field; numbers and booleans become strings, `null`/`undefined` are skipped. */
  setExtField(name: string, value: ExtFieldValue): this {
    if (value === null || value === undefined) return this;
    (this.extFields ??= {})[name] = typeof value === 'string' ? value : String(value);
    return this;
  }

  /** Put every field of `fields` (a custom header object) with {@link setExtField}. */
  addExtFields(fields: Readonly<Record<string, ExtFieldValue>>): this {
    this.extFields ??= {};
    for (const name in fields) this.setExtField(name, fields[name]);
    return this;
  }

  /** True when the custom header has the field (with any value). */
  hasExtField(name: string): boolean {
    return this.extFields !== undefined && this.extFields[name] !== undefined;
  }

  /** A required string field. Throws {@link RemotingCommandError} naming it when it is missing. */
  getString(name: string): string {
    const raw = this.extFields?.[name];
    if (raw === undefined) throw new RemotingCommandError(name, 'is missing');
    return raw;
  }

  /** An optional string field: `undefined` when missing. */
  optString(name: string): string | undefined {
    return this.extFields?.[name];
  }

  /** A required Java `int`. Throws when missing, not decimal, or outside the int32 range. */
  getInt(name: string): number {
    return parseInt32(name, this.getString(name));
  }

  /** An optional Java `int`: `undefined` when missing, throws when malformed. */
  optInt(name: string): number | undefined {
    const raw = this.extFields?.[name];
    return raw === undefined ? undefined : parseInt32(name, raw);
  }

  /**
   * A required Java `long`. Throws when missing, not decimal, or outside the int64 range.
   * Java: a `long` beyond 2^53 (e.g. `Long.MAX_VALUE` as "no end time") cannot be held in a
   * `number`; it is clamped to `±Number.MAX_SAFE_INTEGER`, which keeps its meaning "huge".
   */
  getLong(name: string): number {
    return parseInt64(name, this.getString(name));
  }

  /** An optional Java `long`: `undefined` when missing, throws when malformed. */
  optLong(name: string): number | undefined {
    const raw = this.extFields?.[name];
    return raw === undefined ? undefined : parseInt64(name, raw);
  }

  /**
   * A required Java `boolean`. Throws when missing.
   * Java: `Boolean.parseBoolean` reads `"true"` in any letter case as true and every other
   * string as false, never failing; we keep that.
   */
  getBool(name: string): boolean {
    return this.getString(name).toLowerCase() === 'true';
  }

  /** An optional Java `boolean`: `undefined` when missing. */
  optBool(name: string): boolean | undefined {
    const raw = this.extFields?.[name];
    return raw === undefined ? undefined : raw.toLowerCase() === 'true';
  }
}

/**
 * `Number(raw)` when `raw` is an optional sign and decimal digits (`[+-]?[0-9]+`), else NaN;
 * read digit by digit, without a regex: every send carries half a dozen numeric fields.
 */
function decimalValue(raw: string): number {
  const n = raw.length;
  let i = 0;
  const first = raw.charCodeAt(0);
  if (first === 0x2b || first === 0x2d) i = 1; // + or -
  if (i === n) return Number.NaN;
  let value = 0;
  for (let j = i; j < n; j++) {
    const c = raw.charCodeAt(j) - 0x30;
    if (c < 0 || c > 9) return Number.NaN;
    value = value * 10 + c;
  }
  // Up to 15 digits the sum is exact; longer ones go through Number() like before.
  if (n - i > 15) return Number(raw);
  return first === 0x2d ? -value : value;
}

function parseInt32(name: string, raw: string): number {
  const value = decimalValue(raw);
  if (Number.isNaN(value)) throw new RemotingCommandError(name, `is not an int: "${raw}"`);
  if (value < INT32_MIN || value > INT32_MAX) throw new RemotingCommandError(name, `is out of the int range: "${raw}"`);
  return value === 0 ? 0 : value; // Number("-0") is -0; Java has no negative zero.
}

function parseInt64(name: string, raw: string): number {
  const value = decimalValue(raw);
  if (Number.isNaN(value)) throw new RemotingCommandError(name, `is not a long: "${raw}"`);
  if (Number.isSafeInteger(value)) return value === 0 ? 0 : value;
  const big = BigInt(raw);
  if (big < INT64_MIN || big > INT64_MAX) throw new RemotingCommandError(name, `is out of the long range: "${raw}"`);
  return big < 0n ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
}

/**
 * A new request. `opaque` stays 0 until a client or server sends it and assigns its own.
 * `extFields` is the custom header: `createRequestCommand(RequestCode.GET_MAX_OFFSET, { topic, queueId: 3 })`.
 */
export function createRequestCommand(code: number, extFields?: Readonly<Record<string, ExtFieldValue>>): RemotingCommand {
  const command = new RemotingCommand(code);
  if (extFields !== undefined) command.addExtFields(extFields);
  return command;
}

/**
 * A new response with the RESPONSE flag set. The server copies the request's opaque and
 * serialize type into it when it writes it.
 */
export function createResponseCommand(code: number, remark?: string): RemotingCommand {
  const command = new RemotingCommand(code);
  command.flag = RESPONSE_FLAG;
  command.remark = remark;
  return command;
}

/** True when the RESPONSE bit is set. */
export function isResponse(command: RemotingCommand): boolean {
  return (command.flag & RESPONSE_FLAG) === RESPONSE_FLAG;
}

/** True when the ONEWAY bit is set: the receiver must not answer. */
export function isOneway(command: RemotingCommand): boolean {
  return (command.flag & ONEWAY_FLAG) === ONEWAY_FLAG;
}

/** Set the RESPONSE bit (Java: `markResponseType`). */
export function markResponse(command: RemotingCommand): RemotingCommand {
  command.flag |= RESPONSE_FLAG;
  return command;
}

/** Set the ONEWAY bit (Java: `markOnewayRPC`). */
export function markOneway(command: RemotingCommand): RemotingCommand {
  command.flag |= ONEWAY_FLAG;
  return command;
}
