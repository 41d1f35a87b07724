/**
 * RemotingCommandCodec: turns a {@link RemotingCommand} into frame bytes and back.
 *
 * Every RPC on a RocketMQ connection is one length-prefixed frame. The header inside it is
 * either fastjson-style JSON (serialize type 0, what Java and ali-ons send by default) or
 * the compact binary ROCKETMQ layout (type 1). The type lives in the top byte of the
 * header-length word, so a decoder can read both, and a server answers in the type the
 * request used (4.9 behaviour).
 *
 * ```
 *  offset 0         4                 5                      8                8+headerLength
 *         +---------+-----------------+----------------------+----------------+-------------+
 *         | length  | serialize type  | header length        | header bytes   | body bytes  |
 *         | int32   | 1 byte (0 or 1) | 3 bytes, 0..16777215 | JSON or binary | the rest    |
 *         +---------+-----------------+----------------------+----------------+-------------+
 *         length = 4 + headerLength + bodyLength (it counts the header-length word, not itself)
 * ```
 *
 * The JSON header is written the way fastjson writes Java's `RemotingCommand`: keys in
 * alphabetical order, nulls left out, the language by name, `serializeTypeCurrentRPC`
 * included, every extFields value a string:
 *
 * ```
 * {"code":34,"flag":0,"language":"JAVA","opaque":3,"serializeTypeCurrentRPC":"JSON","version":293}
 * ```
 *
 * Encoding is on the hot path (every request and every response), so the JSON header is
 * written as bytes straight into the frame (json-header-writer.ts) and frames go back to
 * back into the channel's outbound buffer; `encode`, which makes one array per frame, goes
 * through a reusable scratch buffer. That scratch buffer is why this is a class: each
 * client and server owns one codec (no module-level state).
 *
 * Differences from RocketMQ 4.9.x:
 * - Decoding normalises extFields values that arrive as JSON numbers or booleans (ali-ons
 *   sends `"queueId":0`) to strings; Java's behaviour there is unverified.
 * - An unknown language name or byte decodes as `OTHER` instead of failing.
 *
 * @mirrors org.apache.rocketmq.remoting.protocol.RemotingCommand#encode
 * @mirrors org.apache.rocketmq.remoting.protocol.RemotingCommand#decode
 * @mirrors org.apache.rocketmq.remoting.protocol.RocketMQSerializable
 * @mirrors org.apache.rocketmq.remoting.netty.NettyEncoder
 * @article send-receive "One RPC, byte by byte"
 * @category Remoting
 * @module
 */
import { assert, AssertionError } from '../common/assert.js';
import { decodeUtf8, utf8Encoder, viewOf } from '../common/bytes.js';
import type { ChannelOutboundBuffer } from './channel-outbound-buffer.js';
import { RemotingCommandDecodeError } from './errors.js';
import { jsonHeaderBound, writeJsonHeader } from './json-header-writer.js';
import {
  LanguageCode,
  RemotingCommand,
  SerializeType,
  isLanguageName,
  languageName,
  type LanguageName,
  type SerializeTypeName,
} from './remoting-command.js';

/** Size of the length field that starts every frame. */
export const LENGTH_FIELD_SIZE = 4;
/** Size of the header-length word (serialize type byte plus 24-bit header length). */
export const HEADER_WORD_SIZE = 4;
/** Bytes before the header: the length field plus the header-length word. */
export const FRAME_PREFIX_SIZE = LENGTH_FIELD_SIZE + HEADER_WORD_SIZE;
/** The header length is the low 24 bits of the header-length word. */
export const HEADER_LENGTH_MASK = 0xffffff;
/** Bodies at least this large are handed to the transport as their own chunk instead of copied. */
export const SEPARATE_BODY_MIN_SIZE = 4096;

assert(FRAME_PREFIX_SIZE === 8, 'a frame starts with two int32 words');

/**
 * The ROCKETMQ binary header (serialize type 1), all big-endian:
 *
 * ```
 *  0      2        3       5       9      13            17             17+r         21+r
 *  +------+--------+-------+-------+------+-------------+--------------+------------+---------+
 *  | code | lang   | ver   |opaque | flag | remarkLength| remark UTF-8 | extLength  | entries |
 *  | i16  | i8     | i16   | i32   | i32  | i32 (r)     | r bytes      | i32 (e)    | e bytes |
 *  +------+--------+-------+-------+------+-------------+--------------+------------+---------+
 *  each entry: keyLength i16, key UTF-8, valueLength i32, value UTF-8
 * ```
 */
const BIN_CODE = 0;
const BIN_LANGUAGE = 2;
const BIN_VERSION = 3;
const BIN_OPAQUE = 5;
const BIN_FLAG = 9;
const BIN_REMARK_LENGTH = 13;
const BIN_FIXED_SIZE = 17;
assert(BIN_FIXED_SIZE === 2 + 1 + 2 + 4 + 4 + 4, 'binary header fixed part is 17 bytes');

const BIG_ENDIAN = false; // DataView's littleEndian flag.

function isInt32(value: number): boolean {
  return (value | 0) === value;
}

/** Encodes and decodes frames; owns a scratch buffer, so use one per client or server. */
export class RemotingCommandCodec {
  private scratch = new Uint8Array(1024);

  /** The whole frame (length field included) in one new array. */
  encode(command: RemotingCommand): Uint8Array {
    const header = this.encodeHeader(command);
    const bodyLength = command.body?.length ?? 0;
    const frame = new Uint8Array(FRAME_PREFIX_SIZE + header.length + bodyLength);
    writePrefix(frame, 0, command.serializeType, header.length, bodyLength);
    frame.set(header, FRAME_PREFIX_SIZE);
    if (bodyLength > 0) frame.set(command.body!, FRAME_PREFIX_SIZE + header.length);
    return frame;
  }

  /**
   * Append the frame to `out`, written straight into its buffer; a large body is queued as
   * a chunk of its own instead of copied, so a multi-megabyte pull response is not copied
   * here. Returns the number of bytes the frame takes.
   */
  encodeTo(command: RemotingCommand, out: ChannelOutboundBuffer): number {
    checkHeaderIntegers(command);
    const body = command.body;
    const bodyLength = body?.length ?? 0;
    const separate = bodyLength >= SEPARATE_BODY_MIN_SIZE;
    const binary = command.serializeType === 'ROCKETMQ' ? encodeBinaryHeader(command) : undefined;
    const maxHeader = binary === undefined ? jsonHeaderBound(command) : binary.length;
    const target = out.reserve(FRAME_PREFIX_SIZE + maxHeader + (separate ? 0 : bodyLength));
    const at = out.position;
    let headerLength: number;
    if (binary === undefined) {
      headerLength = writeJsonHeader(command, target, at + FRAME_PREFIX_SIZE);
      if (headerLength > HEADER_LENGTH_MASK) throw new AssertionError(`header of ${headerLength} bytes does not fit 24 bits`);
    } else {
      headerLength = binary.length;
      target.set(binary, at + FRAME_PREFIX_SIZE);
    }
    writePrefix(target, at, command.serializeType, headerLength, bodyLength);
    let written = FRAME_PREFIX_SIZE + headerLength;
    if (bodyLength > 0 && !separate) {
      target.set(body!, at + written);
      written += bodyLength;
    }
    out.advance(written);
    if (separate) out.appendChunk(body!);
    return written + (separate ? bodyLength : 0);
  }

  /**
   * Decode one frame as the frame decoder hands it over: without the length field,
   * starting at the header-length word. The body is a view into `frame`, not a copy.
   */
  decode(frame: Uint8Array): RemotingCommand {
    if (frame.length < HEADER_WORD_SIZE) throw new RemotingCommandDecodeError(`frame of ${frame.length} bytes has no header-length word`);
    const word = ((frame[0]! << 24) | (frame[1]! << 16) | (frame[2]! << 8) | frame[3]!) >>> 0; // big-endian
    const type = word >>> 24;
    const headerLength = word & HEADER_LENGTH_MASK;
    if (headerLength > frame.length - HEADER_WORD_SIZE) {
      throw new RemotingCommandDecodeError(`header length ${headerLength} exceeds the ${frame.length - HEADER_WORD_SIZE} bytes after the header-length word`);
    }
    const header = frame.subarray(HEADER_WORD_SIZE, HEADER_WORD_SIZE + headerLength);
    let command: RemotingCommand;
    if (type === SerializeType.JSON) command = decodeJsonHeader(header);
    else if (type === SerializeType.ROCKETMQ) command = decodeBinaryHeader(header);
    else throw new RemotingCommandDecodeError(`unknown serialize type ${type}`);
    const bodyStart = HEADER_WORD_SIZE + headerLength;
    if (bodyStart < frame.length) command.body = frame.subarray(bodyStart);
    return command;
  }

  /** The header bytes; a view into the scratch buffer, valid until the next call. */
  private encodeHeader(command: RemotingCommand): Uint8Array {
    checkHeaderIntegers(command);
    if (command.serializeType === 'ROCKETMQ') return encodeBinaryHeader(command);
    const bound = jsonHeaderBound(command);
    if (bound > this.scratch.length) this.scratch = new Uint8Array(bound);
    const written = writeJsonHeader(command, this.scratch, 0);
    assert(written <= HEADER_LENGTH_MASK, `header of ${written} bytes does not fit 24 bits`);
    return this.scratch.subarray(0, written);
  }
}

function checkHeaderIntegers(command: RemotingCommand): void {
  assert(isInt32(command.code) && isInt32(command.opaque) && isInt32(command.flag) && isInt32(command.version), 'header integers must be int32');
}

/** Write the length field and the header-length word at `at` and `at + 4` (big-endian). */
function writePrefix(frame: Uint8Array, at: number, type: SerializeTypeName, headerLength: number, bodyLength: number): void {
  const length = HEADER_WORD_SIZE + headerLength + bodyLength;
  frame[at] = length >>> 24;
  frame[at + 1] = length >>> 16;
  frame[at + 2] = length >>> 8;
  frame[at + 3] = length;
  frame[at + 4] = SerializeType[type];
  frame[at + 5] = headerLength >>> 16;
  frame[at + 6] = headerLength >>> 8;
  frame[at + 7] = headerLength;
}

/** Read a header integer: a JSON number, or a decimal string as fastjson would coerce it; absent is 0 (Java's default). */
function jsonInt(obj: Record<string, unknown>, key: string): number {
  const v = obj[key];
  if (v === undefined || v === null) return 0;
  const n = typeof v === 'string' && /^[+-]?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !isInt32(n)) throw new RemotingCommandDecodeError(`"${key}" is not an int32: ${JSON.stringify(v)}`);
  return n;
}

function jsonLanguage(v: unknown): LanguageName {
  if (v === undefined || v === null) return 'JAVA'; // Java's field default.
  if (typeof v === 'string') return isLanguageName(v) ? v : 'OTHER';
  if (typeof v === 'number') return languageName(v); // fastjson also reads enums by ordinal.
  throw new RemotingCommandDecodeError(`"language" is not a name: ${JSON.stringify(v)}`);
}

/** extFields values as Java sees them: strings. Numbers and booleans (ali-ons) become their text; null drops the key. */
function jsonExtFields(v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new RemotingCommandDecodeError('"extFields" is not an object');
  const raw = v as Record<string, unknown>;
  let allStrings = true;
  for (const key in raw) {
    if (typeof raw[key] !== 'string') {
      allStrings = false;
      break;
    }
  }
  if (allStrings) return raw as Record<string, string>; // what Java and our clients send: keep JSON.parse's object
  const out: Record<string, string> = {};
  for (const key in raw) {
    const value = raw[key];
    if (typeof value === 'string') out[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
    else if (value !== null) out[key] = JSON.stringify(value);
  }
  return out;
}

function decodeJsonHeader(header: Uint8Array): RemotingCommand {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeUtf8(header));
  } catch (error) {
    throw new RemotingCommandDecodeError('header is not valid JSON', { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RemotingCommandDecodeError('header is not a JSON object');
  }
  const obj = parsed as Record<string, unknown>;
  const command = new RemotingCommand(jsonInt(obj, 'code'));
  command.language = jsonLanguage(obj.language);
  command.version = jsonInt(obj, 'version');
  command.opaque = jsonInt(obj, 'opaque');
  command.flag = jsonInt(obj, 'flag');
  const remark = obj.remark;
  if (typeof remark === 'string') command.remark = remark;
  else if (typeof remark === 'number' || typeof remark === 'boolean') command.remark = String(remark);
  else if (remark !== undefined && remark !== null) throw new RemotingCommandDecodeError('"remark" is not a string');
  command.extFields = jsonExtFields(obj.extFields);
  command.serializeType = 'JSON';
  return command;
}

function encodeBinaryHeader(c: RemotingCommand): Uint8Array {
  const remark = c.remark === undefined || c.remark === '' ? undefined : utf8Encoder.encode(c.remark);
  const entries: Uint8Array[] = [];
  let extLength = 0;
  for (const key in c.extFields ?? {}) {
    const k = utf8Encoder.encode(key);
    const v = utf8Encoder.encode(c.extFields![key]!);
    assert(k.length <= 0x7fff, `extFields key "${key}" is too long for an int16 length`);
    entries.push(k, v);
    extLength += 2 + k.length + 4 + v.length;
  }
  const remarkLength = remark?.length ?? 0;
  const out = new Uint8Array(BIN_FIXED_SIZE + remarkLength + 4 + extLength);
  const view = viewOf(out);
  view.setInt16(BIN_CODE, c.code, BIG_ENDIAN);
  view.setInt8(BIN_LANGUAGE, LanguageCode[c.language]);
  view.setInt16(BIN_VERSION, c.version, BIG_ENDIAN);
  view.setInt32(BIN_OPAQUE, c.opaque, BIG_ENDIAN);
  view.setInt32(BIN_FLAG, c.flag, BIG_ENDIAN);
  view.setInt32(BIN_REMARK_LENGTH, remarkLength, BIG_ENDIAN);
  if (remark !== undefined) out.set(remark, BIN_FIXED_SIZE);
  let at = BIN_FIXED_SIZE + remarkLength;
  view.setInt32(at, extLength, BIG_ENDIAN);
  at += 4;
  for (let i = 0; i < entries.length; i += 2) {
    const k = entries[i]!;
    const v = entries[i + 1]!;
    view.setInt16(at, k.length, BIG_ENDIAN);
    out.set(k, at + 2);
    at += 2 + k.length;
    view.setInt32(at, v.length, BIG_ENDIAN);
    out.set(v, at + 4);
    at += 4 + v.length;
  }
  assert(at === out.length, 'binary header size mismatch');
  assert(out.length <= HEADER_LENGTH_MASK, `header of ${out.length} bytes does not fit 24 bits`);
  return out;
}

function decodeBinaryHeader(header: Uint8Array): RemotingCommand {
  const view = viewOf(header);
  const need = (at: number, size: number, what: string): void => {
    if (size < 0 || at + size > header.length) {
      throw new RemotingCommandDecodeError(`binary header: ${what} of ${size} bytes at ${at} overruns the ${header.length}-byte header`);
    }
  };
  need(0, BIN_FIXED_SIZE, 'fixed fields');
  const command = new RemotingCommand(view.getInt16(BIN_CODE, BIG_ENDIAN));
  command.language = languageName(view.getInt8(BIN_LANGUAGE));
  command.version = view.getInt16(BIN_VERSION, BIG_ENDIAN);
  command.opaque = view.getInt32(BIN_OPAQUE, BIG_ENDIAN);
  command.flag = view.getInt32(BIN_FLAG, BIG_ENDIAN);
  const remarkLength = view.getInt32(BIN_REMARK_LENGTH, BIG_ENDIAN);
  let at = BIN_FIXED_SIZE;
  need(at, remarkLength, 'remark');
  if (remarkLength > 0) command.remark = decodeUtf8(header, at, at + remarkLength);
  at += remarkLength;
  need(at, 4, 'extFields length');
  const extLength = view.getInt32(at, BIG_ENDIAN);
  at += 4;
  need(at, extLength, 'extFields');
  const end = at + extLength;
  if (extLength > 0) {
    const fields: Record<string, string> = {};
    while (at < end) {
      need(at, 2, 'key length');
      const keyLength = view.getInt16(at, BIG_ENDIAN);
      need(at + 2, keyLength, 'key');
      const key = decodeUtf8(header, at + 2, at + 2 + keyLength);
      at += 2 + keyLength;
      need(at, 4, 'value length');
      const valueLength = view.getInt32(at, BIG_ENDIAN);
      need(at + 4, valueLength, 'value');
      fields[key] = decodeUtf8(header, at + 4, at + 4 + valueLength);
      at += 4 + valueLength;
    }
    if (at !== end) throw new RemotingCommandDecodeError('binary header: extFields entries overrun their declared length');
    command.extFields = fields;
  }
  command.serializeType = 'ROCKETMQ';
  return command;
}
