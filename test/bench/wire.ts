// Bench wire: the few RocketMQ 4.x remoting frames the benchmark sends, written straight into
// Buffers, and a cheap scan of the frames it gets back.
//
// Why not the project's RemotingClient? The bench client shares 2 cores with the broker, and
// every microsecond it spends per message is taken from the broker. So the pump builds each
// SEND_MESSAGE_V2 frame from a string template (the JSON header Java's fastjson writes, keys in
// alphabetical order) and reads a response's code and opaque from the bytes without parsing the
// JSON; only rare answers (errors, pulls, admin) get a full JSON.parse.
//
//   frame:  int32 length | int32 (serType << 24 | headerLength) | JSON header | body
//           length = 4 + headerLength + bodyLength
//   SEND_MESSAGE_V2 (310) extFields: a producerGroup, b topic, c "TBW102", d "4", e queueId,
//           f sysFlag, g bornTimestamp, h flag, i properties, j reconsumeTimes, k unitMode, m batch
//   batch item (SEND_BATCH_MESSAGE 320, m=true): int32 totalSize | int32 magic 0 | int32 crc 0 |
//           int32 flag | int32 bodyLength | body | int16 propertiesLength | properties
//
// The properties of every message are `UNIQ_KEY\x01<32 hex>\x02WAIT\x01true\x02`, what a Java or
// ali-ons producer sends, so the broker does the same per-message work as for a real client.
import { RequestCode } from '../../src/common/protocol/request-code.js';

/** The JSON escape of the properties separators inside a header value. */
const SEP1 = '\\u0001';
const SEP2 = '\\u0002';

/** Producer group the raw pump uses. */
export const BENCH_PRODUCER_GROUP = 'bench_raw_pg';
/** Consumer group of the raw pulls. */
export const BENCH_CONSUMER_GROUP = 'bench_raw_cg';

/** A UNIQ_KEY generator: 24 fixed hex digits (this process) and an 8-digit counter. */
export class UniqKeys {
  private readonly prefix: string;
  private counter = 0;

  constructor(seed: number) {
    this.prefix = ('7F000001' + (seed >>> 0).toString(16).padStart(8, '0') + 'BE0C0000').toUpperCase().slice(0, 24);
  }

  next(): string {
    const n = this.counter++ >>> 0;
    return this.prefix + n.toString(16).toUpperCase().padStart(8, '0');
  }
}

/** Builds SEND_MESSAGE_V2 / SEND_BATCH_MESSAGE frames for one topic. */
export class SendFrameWriter {
  private readonly head: string;
  private readonly uniq: UniqKeys;

  constructor(topic: string, uniq: UniqKeys) {
    this.head = '{"code":' + RequestCode.SEND_MESSAGE_V2 + ',"extFields":{"a":"' + BENCH_PRODUCER_GROUP + '","b":"' + topic + '","c":"TBW102","d":"4","e":"';
    this.uniq = uniq;
  }

  /** Bytes a frame with this body will need at most (header estimate plus body). */
  static maxFrameSize(bodyLength: number): number {
    return 8 + 400 + bodyLength;
  }

  /**
   * Write one SEND_MESSAGE_V2 frame at `out[at]`; returns the new write position. `out` must
   * have {@link SendFrameWriter.maxFrameSize} bytes free.
   */
  writeSingle(out: Buffer, at: number, opaque: number, queueId: number, bornMs: number, body: Buffer): number {
    const header = this.head + queueId + '","f":"0","g":"' + bornMs + '","h":"0","i":"UNIQ_KEY' + SEP1 + this.uniq.next() + SEP2 + 'WAIT' + SEP1 + 'true' + SEP2
      + '","j":"0","k":"false","m":"false"},"flag":0,"language":"JAVA","opaque":' + opaque + ',"serializeTypeCurrentRPC":"JSON","version":293}';
    const headerLength = out.write(header, at + 8, 'latin1');
    out.writeInt32BE(4 + headerLength + body.length, at);
    out.writeInt32BE(headerLength, at + 4);
    body.copy(out, at + 8 + headerLength);
    return at + 8 + headerLength + body.length;
  }

  /** One SEND_BATCH_MESSAGE frame carrying `count` copies of `body`, each with its own UNIQ_KEY. */
  batchFrame(opaque: number, queueId: number, bornMs: number, body: Buffer, count: number): Buffer {
    const header = ('{"code":' + RequestCode.SEND_BATCH_MESSAGE + this.head.slice(this.head.indexOf(',"extFields"'))) + queueId
      + '","f":"0","g":"' + bornMs + '","h":"0","i":"WAIT' + SEP1 + 'true' + SEP2
      + '","j":"0","k":"false","m":"true"},"flag":0,"language":"JAVA","opaque":' + opaque + ',"serializeTypeCurrentRPC":"JSON","version":293}';
    const propsLength = 'UNIQ_KEY'.length + 1 + 32 + 1 + 'WAIT'.length + 1 + 'true'.length + 1;
    const itemSize = 22 + body.length + propsLength;
    const headerBytes = Buffer.from(header, 'latin1');
    const frame = Buffer.allocUnsafe(8 + headerBytes.length + itemSize * count);
    frame.writeInt32BE(4 + headerBytes.length + itemSize * count, 0);
    frame.writeInt32BE(headerBytes.length, 4);
    headerBytes.copy(frame, 8);
    let at = 8 + headerBytes.length;
    for (let i = 0; i < count; i++) {
      frame.writeInt32BE(itemSize, at);
      frame.writeInt32BE(0, at + 4); // magic: ignored by the broker
      frame.writeInt32BE(0, at + 8); // body CRC: the broker computes it
      frame.writeInt32BE(0, at + 12); // flag
      frame.writeInt32BE(body.length, at + 16);
      body.copy(frame, at + 20);
      at += 20 + body.length;
      frame.writeInt16BE(propsLength, at);
      at += 2 + frame.write('UNIQ_KEY\x01' + this.uniq.next() + '\x02WAIT\x01true\x02', at + 2, 'latin1');
    }
    return frame;
  }
}

/** Any request with a JSON header built from plain fields (admin, pull): for the slow path only. */
export function requestFrame(code: number, opaque: number, extFields: Record<string, string | number | boolean>, body?: Buffer): Buffer {
  const fields: Record<string, string> = {};
  for (const key of Object.keys(extFields)) fields[key] = String(extFields[key]);
  const header = Buffer.from(JSON.stringify({ code, extFields: fields, flag: 0, language: 'JAVA', opaque, serializeTypeCurrentRPC: 'JSON', version: 293 }), 'utf8');
  const bodyLength = body?.length ?? 0;
  const frame = Buffer.allocUnsafe(8 + header.length + bodyLength);
  frame.writeInt32BE(4 + header.length + bodyLength, 0);
  frame.writeInt32BE(header.length, 4);
  header.copy(frame, 8);
  if (body !== undefined) body.copy(frame, 8 + header.length);
  return frame;
}

/** A decoded response header (slow path). */
export interface ResponseHeader {
  code: number;
  opaque: number;
  flag: number;
  remark: string | undefined;
  extFields: Record<string, string>;
}

const CODE_PREFIX = Buffer.from('{"code":', 'latin1');
const OPAQUE_KEY = '"opaque":';

/**
 * The response code of the frame at `chunk[at]` (length field included), read from the bytes:
 * JSON headers start with `{"code":<digits>` (fastjson's alphabetical order); a binary header
 * starts with the int16 code. Returns NaN when the header is neither.
 */
export function scanCode(chunk: Buffer, at: number): number {
  const type = chunk[at + 4]!;
  const h = at + 8;
  if (type === 1) return chunk.readInt16BE(h);
  if (chunk.compare(CODE_PREFIX, 0, CODE_PREFIX.length, h, h + CODE_PREFIX.length) !== 0) return Number.NaN;
  let i = h + CODE_PREFIX.length;
  let negative = false;
  if (chunk[i] === 0x2d) {
    negative = true;
    i++;
  }
  let code = 0;
  for (let c = chunk[i]!; c >= 0x30 && c <= 0x39; c = chunk[++i]!) code = code * 10 + (c - 0x30);
  return negative ? -code : code;
}

/**
 * The opaque of the frame at `chunk[at]`. In a fastjson header "opaque" follows "extFields",
 * and a quote inside a string value is escaped, so the last `"opaque":` before the header's end
 * is the top-level one.
 */
export function scanOpaque(chunk: Buffer, at: number): number {
  const headerLength = chunk.readInt32BE(at + 4) & 0xffffff;
  if (chunk[at + 4] === 1) return chunk.readInt32BE(at + 8 + 5);
  const end = at + 8 + headerLength;
  const key = chunk.lastIndexOf(OPAQUE_KEY, end - OPAQUE_KEY.length, 'latin1');
  if (key < at + 8) return -1;
  let i = key + OPAQUE_KEY.length;
  let negative = false;
  if (chunk[i] === 0x2d) {
    negative = true;
    i++;
  }
  let opaque = 0;
  for (let c = chunk[i]!; c >= 0x30 && c <= 0x39; c = chunk[++i]!) opaque = opaque * 10 + (c - 0x30);
  return negative ? -opaque : opaque;
}

/** Decode the JSON header of a whole frame, length field included (slow path: errors, pulls, admin). */
export function parseHeader(frame: Buffer): ResponseHeader {
  const headerLength = frame.readInt32BE(4) & 0xffffff;
  const raw = JSON.parse(frame.toString('utf8', 8, 8 + headerLength)) as Partial<ResponseHeader> & { extFields?: Record<string, unknown> };
  const extFields: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw.extFields ?? {})) extFields[k] = String(v);
  return { code: Number(raw.code), opaque: Number(raw.opaque), flag: Number(raw.flag ?? 0), remark: raw.remark, extFields };
}

/** The body of a whole frame (length field included), as a view. */
export function frameBody(frame: Buffer): Buffer {
  const headerLength = frame.readInt32BE(4) & 0xffffff;
  return frame.subarray(8 + headerLength);
}

/** Stored-record layout (IPv4): body-length field at 84, the body at 88; sysFlag at 36. */
const SYSFLAG_AT = 36;
const BORNHOST_V6 = 0x10;
const STOREHOST_V6 = 0x20;

/**
 * Walk the records of a pull body. `onRecord(body, bodyAt, bodyLength)` gets each message's
 * body position; returns the number of records.
 */
export function forEachRecord(body: Buffer, onRecord?: (buf: Buffer, bodyAt: number, bodyLength: number) => void): number {
  let at = 0;
  let count = 0;
  while (at + 4 <= body.length) {
    const size = body.readInt32BE(at);
    if (size <= 0 || at + size > body.length) break;
    if (onRecord !== undefined) {
      const sysFlag = body.readInt32BE(at + SYSFLAG_AT);
      const shift = ((sysFlag & BORNHOST_V6) !== 0 ? 12 : 0) + ((sysFlag & STOREHOST_V6) !== 0 ? 12 : 0);
      const lengthAt = at + 84 + shift;
      onRecord(body, lengthAt + 4, body.readInt32BE(lengthAt));
    }
    at += size;
    count++;
  }
  return count;
}
