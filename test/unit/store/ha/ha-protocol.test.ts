// The HA wire format: golden bytes of the 8-byte ack and the 12-byte transfer header, and the
// two push decoders fed byte by byte, in seeded random chunks, and all at once.
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../../../src/common/bytes.js';
import { SeededRandom } from '../../../../src/platform/random.js';
import {
  encodeAck, encodeTransferHeader, HA_ACK_SIZE, SlaveAckDecoder, TRANSFER_HEADER_SIZE, TransferFrameDecoder,
} from '../../../../src/store/ha/ha-protocol.js';

/** Split `bytes` into chunks: every byte, seeded random sizes, or one piece. */
function chunkings(bytes: Uint8Array, seed: number): Uint8Array[][] {
  const random = new SeededRandom(seed);
  const randomChunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    const n = 1 + random.int(23);
    randomChunks.push(bytes.subarray(at, at + n));
    at += n;
  }
  const single = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
  return [single, randomChunks, [bytes]];
}

describe('HA protocol frames', () => {
  it('encodeAck() writes the slave max offset as one big-endian int64 (golden bytes)', () => {
    expect(HA_ACK_SIZE).toBe(8);
    expect(toHex(encodeAck(0))).toBe('0000000000000000');
    expect(toHex(encodeAck(1_073_741_824 + 0x1234))).toBe('0000000040001234');
    expect(toHex(encodeAck(2 ** 40 + 5))).toBe('0000010000000005');
  });

  it('encodeTransferHeader() writes [int64 startPhyOffset][int32 size] (golden bytes)', () => {
    expect(TRANSFER_HEADER_SIZE).toBe(12);
    expect(toHex(encodeTransferHeader(4_294_967_312, 32_768))).toBe('0000000100000010' + '00008000');
    // A heartbeat: the next transfer offset and size 0.
    expect(toHex(encodeTransferHeader(2048, 0))).toBe('0000000000000800' + '00000000');
  });

  it('refuses offsets a long cannot carry and sizes an int cannot', () => {
    expect(() => encodeAck(-1)).toThrow();
    expect(() => encodeTransferHeader(0, 2 ** 31)).toThrow();
  });
});

describe('SlaveAckDecoder', () => {
  it('push() answers the last complete ack of what arrived, however the stream is cut', () => {
    const acks = [0, 4096, 8192, 12_345, 2 ** 35];
    const stream = concatBytes(acks.map(encodeAck));
    for (const [k, chunks] of chunkings(stream, 7).entries()) {
      const decoder = new SlaveAckDecoder();
      let received = 0;
      const seen: number[] = [];
      for (const chunk of chunks) {
        const ack = decoder.push(chunk);
        received += chunk.length;
        const complete = Math.floor(received / 8);
        if (ack !== undefined) seen.push(ack as number);
        // Exactly when a unit completed in this chunk, the newest complete unit is answered.
        if (ack !== undefined) expect(ack).toBe(acks[complete - 1]);
      }
      expect(seen.at(-1)).toBe(2 ** 35);
      if (k === 0) expect(seen).toEqual(acks); // byte by byte: every ack, in order
    }
  });

  it('push() keeps only the newest of several acks in one chunk', () => {
    const decoder = new SlaveAckDecoder();
    expect(decoder.push(concatBytes([encodeAck(10), encodeAck(20), encodeAck(30), encodeAck(40).subarray(0, 3)]))).toBe(30);
    expect(decoder.push(encodeAck(40).subarray(3))).toBe(40);
  });

  it('push() answers "bad" for a negative ack', () => {
    expect(new SlaveAckDecoder().push(fromHex('FFFFFFFFFFFFFFFF'))).toBe('bad');
  });
});

describe('TransferFrameDecoder', () => {
  const frames: Array<[number, Uint8Array]> = [
    [8192, Uint8Array.from({ length: 40 }, (_, i) => i)],
    [8232, new Uint8Array(0)], // heartbeat
    [8232, Uint8Array.from({ length: 300 }, (_, i) => 255 - (i % 256))],
    [8532, Uint8Array.of(7)],
  ];
  const stream = concatBytes(frames.flatMap(([offset, body]) => [encodeTransferHeader(offset, body.length), body]));

  it('push() cuts the same frames out of the stream byte by byte, in random chunks and whole', () => {
    for (let seed = 1; seed <= 5; seed++) {
      for (const chunks of chunkings(stream, seed)) {
        const decoder = new TransferFrameDecoder();
        const got: Array<[number, string]> = [];
        for (const chunk of chunks) {
          expect(decoder.push(chunk, (offset, bytes, start, size) => {
            got.push([offset, toHex(bytes.subarray(start, start + size))]);
            return true;
          })).toBe('ok');
        }
        expect(got).toEqual(frames.map(([offset, body]) => [offset, toHex(body)]));
      }
    }
  });

  it('push() answers bad-frame for a negative size or a frame bigger than the read buffer', () => {
    const negative = concatBytes([fromHex('0000000000000000'), fromHex('FFFFFFFF')]);
    expect(new TransferFrameDecoder().push(negative, () => true)).toBe('bad-frame');
    const tooBig = encodeTransferHeader(0, 1000);
    expect(new TransferFrameDecoder(512).push(tooBig, () => true)).toBe('bad-frame');
    const negativeOffset = concatBytes([fromHex('8000000000000000'), fromHex('00000000')]);
    expect(new TransferFrameDecoder().push(negativeOffset, () => true)).toBe('bad-frame');
  });

  it('push() stops at the frame whose handler says false', () => {
    const decoder = new TransferFrameDecoder();
    let calls = 0;
    expect(decoder.push(stream, () => ++calls < 2)).toBe('stopped');
    expect(calls).toBe(2);
  });
});
