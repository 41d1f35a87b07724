// Goal: compress() writes a zlib stream (RFC 1950 header, what Java's Inflater reads) that
// decompress() restores byte for byte; decompressMessageBodies() inflates only COMPRESSED
// bodies; a body that is not zlib is reported by decompress() and left alone by the batch step.
import { describe, expect, it } from 'vitest';
import { MessageExt } from '../../../src/common/message/message-ext.js';
import { compress, decompress, decompressMessageBodies } from '../../../src/client/compression.js';
import { MQClientError } from '../../../src/client/errors.js';

const text = (n: number) => new TextEncoder().encode('RocketMQ body '.repeat(n));

describe('compression', () => {
  it('compress() emits a zlib header and decompress() round-trips 8 KiB', async () => {
    const body = text(600);
    const deflated = await compress(body);
    expect(deflated[0]).toBe(0x78); // CMF: deflate, 32 KiB window
    expect(((deflated[0]! << 8) | deflated[1]!) % 31).toBe(0); // FCHECK
    expect(deflated.length).toBeLessThan(body.length / 10);
    expect(await decompress(deflated)).toEqual(body);
  });

  it('decompress() inflates a zlib stream made by Java (Deflater level 5) of "hello"', async () => {
    const java = new Uint8Array([0x78, 0x5e, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x06, 0x2c, 0x02, 0x15]);
    expect(new TextDecoder().decode(await decompress(java))).toBe('hello');
  });

  it('decompress() rejects bytes that are not zlib with an MQClientError', async () => {
    await expect(decompress(new Uint8Array([1, 2, 3, 4]))).rejects.toBeInstanceOf(MQClientError);
  });

  it('decompressMessageBodies() inflates COMPRESSED bodies only and keeps a broken one as stored', async () => {
    const plain = new MessageExt({ body: text(1), sysFlag: 0 });
    const packed = new MessageExt({ body: await compress(text(400)), sysFlag: 1 });
    const broken = new MessageExt({ body: new Uint8Array([9, 9, 9]), sysFlag: 1 });
    await decompressMessageBodies([plain, packed, broken]);
    expect(plain.body).toEqual(text(1));
    expect(packed.body).toEqual(text(400));
    expect(broken.body).toEqual(new Uint8Array([9, 9, 9]));
  });
});
