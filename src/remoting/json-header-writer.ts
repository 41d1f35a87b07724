/**
 * JsonHeaderWriter: the JSON header of a RemotingCommand, written as UTF-8 bytes straight
 * into the frame being built.
 *
 * Every request and every response carries one, so the text is never built as a string:
 * the fixed parts are byte templates, numbers are written digit by digit, and each string
 * is escaped and UTF-8-encoded character by character into the target. The bytes are what
 * `TextEncoder` makes of the fastjson-shaped text, which is what `JSON.stringify` would
 * write for each value, keys in alphabetical order and nulls left out:
 *
 * ```
 * {"code":34,"extFields":{"k":"v",...},"flag":0,"language":"JAVA","opaque":3,"remark":"..","serializeTypeCurrentRPC":"JSON","version":293}
 *  └ template ┘└ only when extFields ┘ └ template + numbers + language ┘└ only when set ┘└──────────── template + number ────────────┘
 * ```
 *
 * Strings are escaped as JSON.stringify escapes them: `\"`, `\\`, the short forms
 * `\b \t \n \f \r`, `\u00xx` for the other control characters, `\udxxx` for a lone
 * surrogate; a surrogate pair becomes the 4 UTF-8 bytes of its code point. An extFields
 * value that is not a string (never put there by `setExtField`) is written as
 * JSON.stringify writes it, and an `undefined` one is left out, as JSON.stringify does.
 *
 * Differences from RocketMQ 4.9.x: Java serialises the header with fastjson into a String
 * and then encodes it; the bytes are the same.
 *
 * @mirrors org.apache.rocketmq.remoting.protocol.RemotingSerializable#encode
 * @article send-receive "One RPC, byte by byte"
 * @category Remoting
 * @module
 */
import { utf8Encoder } from '../common/bytes.js';
import type { RemotingCommand } from './remoting-command.js';

/** Bytes of one UTF-16 code unit at most: a `\uXXXX` escape. */
const MAX_BYTES_PER_UNIT = 6;
/** The fixed text and three int32 numbers (11 characters each at most), with room to spare. */
const FIXED_BYTES = 160;

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const CODE = ascii('{"code":');
const EXT_FIELDS = ascii(',"extFields":{');
const FLAG = ascii(',"flag":');
const LANGUAGE = ascii(',"language":"');
const OPAQUE = ascii('","opaque":');
const REMARK = ascii(',"remark":');
const VERSION = ascii(',"serializeTypeCurrentRPC":"JSON","version":');
const HEX = ascii('0123456789abcdef');

/** The most bytes {@link writeJsonHeader} can write for `command`. */
export function jsonHeaderBound(command: RemotingCommand): number {
  let bound = FIXED_BYTES + command.language.length;
  const fields = command.extFields;
  if (fields !== undefined) {
    for (const key in fields) {
      const value = fields[key];
      const valueLength = typeof value === 'string' ? value.length : value === undefined ? 0 : JSON.stringify(value).length;
      bound += MAX_BYTES_PER_UNIT * (key.length + valueLength) + 6;
    }
  }
  if (command.remark !== undefined) bound += MAX_BYTES_PER_UNIT * command.remark.length + REMARK.length + 2;
  return bound;
}

/**
 * Write the header of `command` at `target[at..]`, which must have {@link jsonHeaderBound}
 * bytes of room. Returns the number of bytes written.
 */
export function writeJsonHeader(command: RemotingCommand, target: Uint8Array, at: number): number {
  let p = writeBytes(target, at, CODE);
  p = writeInt(target, p, command.code);
  const fields = command.extFields;
  if (fields !== undefined) {
    p = writeBytes(target, p, EXT_FIELDS);
    let first = true;
    for (const key in fields) {
      const value = fields[key] as unknown;
      if (value === undefined) continue; // JSON.stringify leaves it out
      if (!first) target[p++] = 0x2c; // ,
      first = false;
      p = writeString(target, p, key);
      target[p++] = 0x3a; // :
      p = typeof value === 'string' ? writeString(target, p, value) : writeUtf8(target, p, JSON.stringify(value));
    }
    target[p++] = 0x7d; // }
  }
  p = writeBytes(target, p, FLAG);
  p = writeInt(target, p, command.flag);
  p = writeBytes(target, p, LANGUAGE);
  p = writeUtf8(target, p, command.language);
  p = writeBytes(target, p, OPAQUE);
  p = writeInt(target, p, command.opaque);
  if (command.remark !== undefined) {
    p = writeBytes(target, p, REMARK);
    p = writeString(target, p, command.remark);
  }
  p = writeBytes(target, p, VERSION);
  p = writeInt(target, p, command.version);
  target[p++] = 0x7d; // }
  return p - at;
}

function writeBytes(target: Uint8Array, at: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) target[at + i] = bytes[i]!;
  return at + bytes.length;
}

/** An int32 in decimal (the header's numbers are asserted to be int32 before). */
function writeInt(target: Uint8Array, at: number, value: number): number {
  let p = at;
  let n = value;
  if (n < 0) {
    target[p++] = 0x2d; // -
    n = -n;
  }
  const start = p;
  do {
    target[p++] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  } while (n > 0);
  // The digits went in backwards.
  for (let i = start, j = p - 1; i < j; i++, j--) {
    const t = target[i]!;
    target[i] = target[j]!;
    target[j] = t;
  }
  return p;
}

/** Text that is already valid JSON (a number, a language name, a stringified value) as UTF-8. */
function writeUtf8(target: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return at + i + utf8Encoder.encodeInto(text.slice(i), target.subarray(at + i)).written;
    target[at + i] = c;
  }
  return at + text.length;
}

/** A JSON string literal, quotes included, escaped as JSON.stringify escapes it. */
function writeString(target: Uint8Array, at: number, text: string): number {
  let p = at;
  target[p++] = 0x22;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x80 && c !== 0x22 && c !== 0x5c) {
      target[p++] = c;
    } else if (c >= 0x80 && c < 0x800) {
      target[p++] = 0xc0 | (c >> 6);
      target[p++] = 0x80 | (c & 0x3f);
    } else if (c >= 0x800 && (c < 0xd800 || c > 0xdfff)) {
      target[p++] = 0xe0 | (c >> 12);
      target[p++] = 0x80 | ((c >> 6) & 0x3f);
      target[p++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      const point = ((c - 0xd800) << 10) + (text.charCodeAt(++i) - 0xdc00) + 0x10000;
      target[p++] = 0xf0 | (point >> 18);
      target[p++] = 0x80 | ((point >> 12) & 0x3f);
      target[p++] = 0x80 | ((point >> 6) & 0x3f);
      target[p++] = 0x80 | (point & 0x3f);
    } else {
      p = writeEscape(target, p, c);
    }
  }
  target[p++] = 0x22;
  return p;
}

/** The escape of `"`, `\`, a control character or a lone surrogate. */
function writeEscape(target: Uint8Array, at: number, c: number): number {
  target[at] = 0x5c; // \
  const short = c === 0x22 ? 0x22 : c === 0x5c ? 0x5c : c === 0x08 ? 0x62 : c === 0x09 ? 0x74 : c === 0x0a ? 0x6e : c === 0x0c ? 0x66 : c === 0x0d ? 0x72 : 0;
  if (short !== 0) {
    target[at + 1] = short;
    return at + 2;
  }
  target[at + 1] = 0x75; // u
  target[at + 2] = HEX[(c >> 12) & 15]!;
  target[at + 3] = HEX[(c >> 8) & 15]!;
  target[at + 4] = HEX[(c >> 4) & 15]!;
  target[at + 5] = HEX[c & 15]!;
  return at + 6;
}
