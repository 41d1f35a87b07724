// RemotingCommandCodec: golden bytes of the frame format, round trips of every field, the
// ROCKETMQ binary header, and the lenient extFields that ali-ons sends.
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/common/bytes.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { RemotingCommandDecodeError } from '../../../src/remoting/errors.js';
import { ChannelOutboundBuffer } from '../../../src/remoting/channel-outbound-buffer.js';
import { RemotingCommandCodec } from '../../../src/remoting/remoting-command-codec.js';
import { RemotingCommand, createRequestCommand, createResponseCommand } from '../../../src/remoting/remoting-command.js';

const utf8 = new TextEncoder();
const text = new TextDecoder();

/** A frame as the FrameDecoder hands it to `decode`: without the 4-byte length field. */
function stripLength(frame: Uint8Array): Uint8Array {
  return frame.subarray(4);
}

/** Build a JSON-header frame (without length field) from raw header text, for decode tests. */
function jsonFrame(header: string, body?: Uint8Array): Uint8Array {
  const h = utf8.encode(header);
  const out = new Uint8Array(4 + h.length + (body?.length ?? 0));
  new DataView(out.buffer).setInt32(0, h.length, false); // serialize type 0, header length
  out.set(h, 4);
  if (body) out.set(body, 4 + h.length);
  return out;
}

describe('RemotingCommandCodec', () => {
  it('encode() writes the exact golden bytes of a HEART_BEAT request (code 34, opaque 3, body "{}")', () => {
    const request = createRequestCommand(34);
    request.opaque = 3;
    request.body = utf8.encode('{}');
    const golden =
      '00000066' + // length: 4 (header-length word) + 96 (header) + 2 (body) = 102 = 0x66
      '00000060' + // header-length word: serialize type 0 (JSON) in the top byte, header length 96 = 0x60
      '7b22636f6465223a33342c22666c6167223a302c226c616e' + // {"code":34,"flag":0,"lan
      '6775616765223a224a415641222c226f7061717565223a33' + // guage":"JAVA","opaque":3
      '2c2273657269616c697a655479706543757272656e745250' + // ,"serializeTypeCurrentRP
      '43223a224a534f4e222c2276657273696f6e223a3239337d' + // C":"JSON","version":293}
      '7b7d'; //                                              body: "{}"
    expect(toHex(new RemotingCommandCodec().encode(request))).toBe(golden.toUpperCase());
  });

  it('encode() writes a response with extFields as fastjson does: alphabetical keys, no remark key, strings', () => {
    const response = createResponseCommand(0);
    response.opaque = 5;
    response.addExtFields({ msgId: '0A00000100002A9F00000000000001F4', queueId: 1, queueOffset: 0, MSG_REGION: 'DefaultRegion', TRACE_ON: true });
    const frame = new RemotingCommandCodec().encode(response);
    const header =
      '{"code":0,"extFields":{"msgId":"0A00000100002A9F00000000000001F4","queueId":"1","queueOffset":"0",' +
      '"MSG_REGION":"DefaultRegion","TRACE_ON":"true"},"flag":1,"language":"JAVA","opaque":5,' +
      '"serializeTypeCurrentRPC":"JSON","version":293}';
    expect(header.length).toBe(0xe7); // 231 bytes, all ASCII
    expect(toHex(frame.subarray(0, 8))).toBe(
      '000000EB' + // length: 4 + 231 = 235, no body
      '000000E7', //  header-length word: JSON, 231
    );
    expect(text.decode(frame.subarray(8))).toBe(header);
  });

  it('decode(encode()) round-trips every field: remark, control characters, non-ASCII, body', () => {
    const codec = new RemotingCommandCodec();
    for (const serializeType of ['JSON', 'ROCKETMQ'] as const) {
      const c = new RemotingCommand(310);
      c.serializeType = serializeType;
      c.language = 'GO';
      c.version = 401;
      c.opaque = -123456;
      c.flag = 2;
      c.remark = 'héllo "wörld"\n 主题 😀';
      c.extFields = { i: 'TAGS\u0001TAG\u0002WAIT\u0001true\u0002', 话题: '值 ✓', empty: '' };
      c.body = new Uint8Array([0, 1, 2, 255]);
      const back = codec.decode(stripLength(codec.encode(c)));
      expect(back).toEqual(c);
    }
  });

  it('encode() escapes \\u0001 and \\u0002 in extFields values as JSON \\u escapes', () => {
    const c = createRequestCommand(310, { i: 'TAGS\u0001TAG\u0002' });
    const headerText = text.decode(new RemotingCommandCodec().encode(c).subarray(8));
    expect(headerText).toContain('"i":"TAGS\\u0001TAG\\u0002"');
  });

  it('decode() gives no body for both an empty body and no body; their frames are identical', () => {
    const codec = new RemotingCommandCodec();
    const withEmpty = createRequestCommand(34);
    withEmpty.body = new Uint8Array(0);
    const without = createRequestCommand(34);
    const a = codec.encode(withEmpty);
    const b = codec.encode(without);
    expect(toHex(a)).toBe(toHex(b));
    expect(codec.decode(stripLength(a)).body).toBeUndefined();
  });

  it('decode() keeps an empty extFields map distinct from none (send responses need a non-null map)', () => {
    const codec = new RemotingCommandCodec();
    const c = createResponseCommand(0);
    c.extFields = {};
    expect(codec.decode(stripLength(codec.encode(c))).extFields).toEqual({});
    expect(codec.decode(stripLength(codec.encode(createResponseCommand(0)))).extFields).toBeUndefined();
  });

  it('decode() reads a hand-built ROCKETMQ binary header (serialize type 1)', () => {
    const frame = fromHex(
      '01000022' + //  header-length word: serialize type 1 (ROCKETMQ), header length 34 = 0x22
      '0013' + //      code 19 (PULL_NOT_FOUND)
      '00' + //        language 0 (JAVA)
      '0125' + //      version 293 (V4_4_0)
      '00000007' + //  opaque 7
      '00000001' + //  flag 1 (RESPONSE)
      '00000005' + //  remark length 5
      '464F554E44' + // remark "FOUND"
      '00000008' + //  extFields length 8: one entry of 2 + 1 + 4 + 1 bytes
      '0001' + '61' + //           key length 1, key "a"
      '00000001' + '31' + //       value length 1, value "1"
      '7879', //       body "xy"
    );
    const c = new RemotingCommandCodec().decode(frame);
    expect(c.code).toBe(19);
    expect(c.language).toBe('JAVA');
    expect(c.version).toBe(293);
    expect(c.opaque).toBe(7);
    expect(c.flag).toBe(1);
    expect(c.remark).toBe('FOUND');
    expect(c.extFields).toEqual({ a: '1' });
    expect(text.decode(c.body)).toBe('xy');
    expect(c.serializeType).toBe('ROCKETMQ');
    // And our binary encoder writes the same bytes (with the length field in front).
    expect(toHex(new RemotingCommandCodec().encode(c))).toBe('00000028' + toHex(frame));
  });

  it('decode() accepts extFields given as JSON numbers and booleans (ali-ons) and reads them as strings', () => {
    const header = '{"code":310,"language":"JAVA","opaque":1,"flag":0,"version":121,' +
      '"extFields":{"a":"pg","queueId":0,"k":false,"g":1491978653614,"n":null,"x":1.5}}';
    const c = new RemotingCommandCodec().decode(jsonFrame(header));
    expect(c.extFields).toEqual({ a: 'pg', queueId: '0', k: 'false', g: '1491978653614', x: '1.5' });
    expect(c.getInt('queueId')).toBe(0);
    expect(c.getBool('k')).toBe(false);
    expect(c.getLong('g')).toBe(1491978653614);
    expect(c.hasExtField('n')).toBe(false);
    expect(c.version).toBe(121);
  });

  it('decode() defaults missing header fields as Java does (language JAVA, ints 0) and ignores unknown keys', () => {
    const c = new RemotingCommandCodec().decode(jsonFrame('{"code":34,"whatever":[1,2]}'));
    expect([c.code, c.language, c.version, c.opaque, c.flag, c.remark, c.extFields]).toEqual([34, 'JAVA', 0, 0, 0, undefined, undefined]);
  });

  it('decode() throws RemotingCommandDecodeError with a reason for bad headers', () => {
    const codec = new RemotingCommandCodec();
    const cases: Array<[Uint8Array, RegExp]> = [
      [jsonFrame('{"code":34'), /not valid JSON/],
      [jsonFrame('[1,2]'), /not a JSON object/],
      [jsonFrame('{"code":"x"}'), /"code" is not an int32/],
      [jsonFrame('{"code":1.5}'), /"code" is not an int32/],
      [jsonFrame('{"code":1,"extFields":[1]}'), /"extFields" is not an object/],
      [fromHex('07000002' + '7b7d'), /unknown serialize type 7/],
      [fromHex('00000009' + '7b7d'), /header length 9 exceeds/],
      [fromHex('0100000A' + '00220000000000000000'), /binary header: fixed fields/],
      [fromHex('010000' + '11' + '0001000000000000000000000000007FFF'), /remark/],
      [fromHex('0000'), /no header-length word/],
    ];
    for (const [frame, reason] of cases) {
      let caught: unknown;
      try {
        codec.decode(frame);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(RemotingCommandDecodeError);
      expect((caught as RemotingCommandDecodeError).reason).toMatch(reason);
    }
  });

  it('encodeTo() writes frames back to back into the outbound buffer and hands a large body over as its own chunk', () => {
    const codec = new RemotingCommandCodec();
    const small = createResponseCommand(0, 'é non-ASCII remark');
    small.body = utf8.encode('{}');
    const large = createResponseCommand(0);
    large.body = new Uint8Array(10_000).fill(7);
    const binary = createRequestCommand(11, { topic: 'T' });
    binary.serializeType = 'ROCKETMQ';
    const out = new ChannelOutboundBuffer();
    const sizes = [small, large, binary, small].map((c) => codec.encodeTo(c, out));
    const chunks = out.drain();
    expect(chunks).toHaveLength(3); // [small frame + large head], large body, [binary + small]
    expect(chunks[1]).toBe(large.body);
    const joined = new Uint8Array(sizes.reduce((a, b) => a + b, 0));
    let at = 0;
    for (const chunk of chunks) {
      joined.set(chunk, at);
      at += chunk.length;
    }
    expect(at).toBe(joined.length);
    expect(toHex(joined)).toBe([small, large, binary, small].map((c) => toHex(codec.encode(c))).join(''));
    expect(out.isEmpty).toBe(true);
  });

  it('ChannelOutboundBuffer grows for frames larger than its buffer and keeps earlier chunks intact', () => {
    const codec = new RemotingCommandCodec();
    const out = new ChannelOutboundBuffer();
    const commands = [2000, 3000, 4000, 20_000].map((n, i) => {
      const c = createResponseCommand(i, 'x'.repeat(n)); // big headers, written into the buffer itself
      c.body = new Uint8Array(i + 1).fill(i);
      return c;
    });
    for (let round = 0; round < 2; round++) {
      for (const c of commands) codec.encodeTo(c, out);
      const joined = out.drain().map((chunk) => toHex(chunk)).join('');
      expect(joined).toBe(commands.map((c) => toHex(codec.encode(c))).join(''));
    }
  });
  it('encode() writes extFields and remark byte for byte as JSON.stringify would, escapes and odd keys included', () => {
    const codec = new RemotingCommandCodec();
    const tricky = ['plain', 'quote " backslash \\ slash /', 'controls \u0001\u0002\n\t\u001f', 'é 😀 ✓', 'lone \ud800 surrogate', '', '\u2028'];
    const command = createResponseCommand(17, tricky.join('|'));
    command.opaque = 9;
    for (const [i, value] of tricky.entries()) command.setExtField(`k${i}${value.slice(0, 3)}`, value);
    command.setExtField('2', 'integer-like key first');
    command.setExtField('__proto__', 'an own key');
    const frame = codec.encode(command);
    const headerLength = new DataView(frame.buffer).getInt32(4, false) & 0xffffff;
    const header = text.decode(frame.subarray(8, 8 + headerLength));
    const expected = '{"code":17,"extFields":' + JSON.stringify(command.extFields) + ',"flag":1,"language":"JAVA","opaque":9,"remark":'
      + JSON.stringify(command.remark) + ',"serializeTypeCurrentRPC":"JSON","version":293}';
    expect(header).toBe(expected);
    const back = codec.decode(stripLength(frame));
    expect(back.extFields).toEqual(command.extFields);
    expect(back.remark).toBe(command.remark);
  });
  it('encode() escapes 2,000 seeded random extFields values and remarks exactly as JSON.stringify does', () => {
    const codec = new RemotingCommandCodec();
    const random = new SeededRandom(77);
    const pieces = ['a', 'Z', '9', ' ', '"', '\\', '/', '\u0000', '\u0001', '\u0002', '\b', '\t', '\n', '\f', '\r', '\u001f', '\u007f', 'é', '✓', '\u2028', '😀', '\ud800', '\udc00', '\udbff'];
    for (let n = 0; n < 2000; n++) {
      const value = Array.from({ length: random.int(12) }, () => pieces[random.int(pieces.length)]!).join('');
      const command = createResponseCommand(0, value);
      command.setExtField('v', value);
      const frame = codec.encode(command);
      const headerLength = new DataView(frame.buffer).getInt32(4, false) & 0xffffff;
      const header = text.decode(frame.subarray(8, 8 + headerLength));
      expect(header).toBe(`{"code":0,"extFields":{"v":${JSON.stringify(value)}},"flag":1,"language":"JAVA","opaque":0,"remark":${JSON.stringify(value)},"serializeTypeCurrentRPC":"JSON","version":293}`);
    }
  });
});
