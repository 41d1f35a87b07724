// FrameDecoder: the nats-style push-parser harness. The same stream fed byte by byte, in
// seeded random chunks and as one buffer must yield the same commands; bad length fields
// must throw before anything is allocated.
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../../src/common/bytes.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { FrameDecodeError } from '../../../src/remoting/errors.js';
import { DEFAULT_MAX_FRAME_LENGTH, FrameDecoder } from '../../../src/remoting/frame-decoder.js';
import { RemotingCommandCodec } from '../../../src/remoting/remoting-command-codec.js';
import { createRequestCommand, createResponseCommand, type RemotingCommand } from '../../../src/remoting/remoting-command.js';

const codec = new RemotingCommandCodec();

/** A varied stream: tiny and large bodies, JSON and binary headers, unicode remarks. */
function sampleCommands(): RemotingCommand[] {
  const out: RemotingCommand[] = [];
  for (let i = 0; i < 40; i++) {
    const c = i % 3 === 0 ? createResponseCommand(i % 30, `remark ${i} 主题`) : createRequestCommand(10 + i, { topic: `T${i}`, queueId: i });
    c.opaque = i;
    if (i % 2 === 0) c.body = new Uint8Array(i * 37 + 1 + (i === 10 ? 70_000 : 0)).map((_, j) => (i + j) & 0xff);
    if (i % 5 === 0) c.serializeType = 'ROCKETMQ';
    out.push(c);
  }
  return out;
}

/** A command as plain values (deep equality on large typed arrays is slow in vitest). */
function summary(c: RemotingCommand): unknown {
  return { ...c, body: c.body === undefined ? undefined : toHex(c.body) };
}

function decodeAll(stream: Uint8Array, chunkSizes: (remaining: number) => number): unknown[] {
  const commands: RemotingCommand[] = [];
  const decoder = new FrameDecoder((frame) => commands.push(codec.decode(frame)));
  let at = 0;
  while (at < stream.length) {
    const size = Math.min(chunkSizes(stream.length - at), stream.length - at);
    decoder.push(stream.slice(at, at + size)); // a fresh chunk each time, as transports deliver
    at += size;
  }
  expect(decoder.bufferedBytes).toBe(0);
  return commands.map(summary);
}

function throwsFrameError(run: () => void): FrameDecodeError {
  try {
    run();
  } catch (error) {
    if (error instanceof FrameDecodeError) return error;
    throw error;
  }
  throw new Error('expected a FrameDecodeError');
}

describe('FrameDecoder', () => {
  const commands = sampleCommands();
  const stream = concatBytes(commands.map((c) => codec.encode(c)));
  const expected = commands.map(summary);

  it('push() yields the same commands byte by byte, in seeded random chunks and as one buffer', () => {
    const whole = decodeAll(stream, () => stream.length);
    expect(whole).toEqual(expected);
    expect(decodeAll(stream, () => 1)).toEqual(expected);
    for (const seed of [1, 2, 3, 42, 2024]) {
      const random = new SeededRandom(seed);
      // Mostly small chunks, sometimes large ones that hold many frames.
      const chunked = decodeAll(stream, () => (random.int(4) === 0 ? 1 + random.int(20_000) : 1 + random.int(13)));
      expect(chunked).toEqual(expected);
    }
  });

  it('push() splits a frame at every possible byte position into two chunks', () => {
    const frame = codec.encode(commands[4]!);
    for (let cut = 1; cut < frame.length; cut++) {
      const got: string[] = [];
      const decoder = new FrameDecoder((f) => got.push(toHex(f)));
      decoder.push(frame.slice(0, cut));
      expect(got).toEqual([]);
      decoder.push(frame.slice(cut));
      expect(got).toEqual([toHex(frame.subarray(4))]);
    }
  });

  it('push() hands frames that lie inside one chunk as views, without copying', () => {
    const chunk = concatBytes([codec.encode(commands[1]!), codec.encode(commands[2]!)]);
    const frames: Uint8Array[] = [];
    new FrameDecoder((f) => frames.push(f)).push(chunk);
    expect(frames.map((f) => f.buffer === chunk.buffer)).toEqual([true, true]);
  });

  it('push() throws FrameDecodeError for a length over maxFrameLength before allocating', () => {
    // 0x7FFFFFF0 would be a 2 GiB allocation if the decoder trusted it; the check comes first.
    const error = throwsFrameError(() => new FrameDecoder(() => {}).push(fromHex('7FFFFFF0' + '00000010')));
    expect(error.reason).toBe(`frame of ${0x7ffffff0 + 4} bytes exceeds the maximum of ${DEFAULT_MAX_FRAME_LENGTH}`);
    // The limit counts the length field, as Netty's does: 16777212 + 4 is allowed, one more is not.
    const limit = new FrameDecoder(() => {}, { maxFrameLength: 100 });
    limit.push(fromHex('00000060' + '00000000')); // 96 + 4 = 100: accepted, waiting for the rest
    expect(limit.bufferedBytes).toBe(8);
    expect(throwsFrameError(() => new FrameDecoder(() => {}, { maxFrameLength: 100 }).push(fromHex('00000061'))).reason).toMatch(/exceeds the maximum of 100/);
  });

  it('push() throws for a negative length and for a length shorter than the header-length word', () => {
    expect(throwsFrameError(() => new FrameDecoder(() => {}).push(fromHex('FFFFFFFF'))).reason).toBe('negative length field -1');
    expect(throwsFrameError(() => new FrameDecoder(() => {}).push(fromHex('00000003' + '000000'))).reason).toMatch(/shorter than the 4-byte header-length word/);
  });

  it('push() throws when the header length is larger than the frame, even when the bytes arrive one at a time', () => {
    const bad = fromHex('00000010' + '00000020' + '00'.repeat(12)); // a 16-byte frame claiming a 32-byte header
    const decoder = new FrameDecoder(() => {});
    for (let i = 0; i < 7; i++) decoder.push(bad.slice(i, i + 1));
    const error = throwsFrameError(() => decoder.push(bad.slice(7, 8)));
    expect(error.reason).toBe('header length 32 exceeds the 12 bytes the frame has after the header-length word');
    // The decoder stays failed.
    expect(throwsFrameError(() => decoder.push(new Uint8Array([0])))).toBe(error);
  });

  it('push() checks a split length field as soon as its four bytes are there', () => {
    const decoder = new FrameDecoder(() => {});
    decoder.push(fromHex('80'));
    decoder.push(fromHex('00'));
    expect(throwsFrameError(() => decoder.push(fromHex('0000'))).reason).toMatch(/negative length field/);
  });

  it('push() delivers the frames before a bad one, then throws', () => {
    const good = codec.encode(commands[1]!);
    const got: RemotingCommand[] = [];
    const decoder = new FrameDecoder((f) => got.push(codec.decode(f)));
    expect(() => decoder.push(concatBytes([good, good, fromHex('FFFFFFFF00000000')]))).toThrow(FrameDecodeError);
    expect(got).toHaveLength(2);
  });
});
