// RegisterBrokerBody in both forms: the JSON a 4.x broker sends by default, and the zlib
// form of `compressedRegister=true`, checked against Node's zlib (the same RFC 1950
// stream Java's Deflater writes).
import { deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { JsonFormatError } from '../../../../../src/common/json/fastjson.js';
import { DataVersion } from '../../../../../src/common/protocol/body/data-version.js';
import { RegisterBrokerBody } from '../../../../../src/common/protocol/body/register-broker-body.js';
import { TopicConfigSerializeWrapper } from '../../../../../src/common/protocol/body/topic-config-serialize-wrapper.js';
import { TopicConfig } from '../../../../../src/common/topic/topic-config.js';

const utf8 = new TextEncoder();
const text = new TextDecoder();

function body(): RegisterBrokerBody {
  const a = new TopicConfig('TopicA', 4, 4, 6);
  a.topicSysFlag = 1;
  a.order = true;
  const wrapper = new TopicConfigSerializeWrapper(new Map([['TopicA', a], ['TBW102', new TopicConfig('TBW102', 8, 8, 7)]]), new DataVersion(1700000000000, 3));
  return new RegisterBrokerBody(wrapper, []);
}

/** The inflated compressed layout, built by hand: int32 length + bytes chunks. */
function layout(chunks: Array<string | number>): Uint8Array {
  const parts: number[] = [];
  const int = (n: number) => parts.push((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
  for (const chunk of chunks) {
    if (typeof chunk === 'number') int(chunk);
    else {
      const bytes = utf8.encode(chunk);
      int(bytes.length);
      parts.push(...bytes);
    }
  }
  return Uint8Array.from(parts);
}

describe('RegisterBrokerBody', () => {
  it('encode() writes the JSON a Java broker sends: properties alphabetical at every level', () => {
    expect(text.decode(body().encode())).toBe(
      '{"filterServerList":[],"topicConfigSerializeWrapper":{"dataVersion":{"counter":3,"timestamp":1700000000000},' +
        '"topicConfigTable":{"TBW102":{"order":false,"perm":7,"readQueueNums":8,"topicFilterType":"SINGLE_TAG","topicName":"TBW102","topicSysFlag":0,"writeQueueNums":8},' +
        '"TopicA":{"order":true,"perm":6,"readQueueNums":4,"topicFilterType":"SINGLE_TAG","topicName":"TopicA","topicSysFlag":1,"writeQueueNums":4}}}}',
    );
  });

  it('decode() reads it back, leniently: missing fields take Java defaults, numeric strings are ints, a missing topicName is the key', () => {
    const decoded = RegisterBrokerBody.decode(body().encode());
    expect(decoded).toEqual(body());
    const sparse = RegisterBrokerBody.decode(utf8.encode('{"topicConfigSerializeWrapper":{"topicConfigTable":{"T":{"perm":"4"}}},"unknown":1}'));
    const t = decoded.topicConfigSerializeWrapper.topicConfigTable.get('TopicA')!;
    expect(t.topicSysFlag).toBe(1);
    expect(sparse.topicConfigSerializeWrapper.dataVersion).toEqual(new DataVersion(0, 0));
    expect(sparse.topicConfigSerializeWrapper.topicConfigTable.get('T')).toEqual(new TopicConfig('T', 16, 16, 4));
    expect(() => RegisterBrokerBody.decode(utf8.encode('{"topicConfigSerializeWrapper":{"topicConfigTable":{"T":{"perm":1.5}}}}'))).toThrow(
      'RegisterBrokerBody.topicConfigSerializeWrapper.topicConfigTable.T.perm: expected an integer, got 1.5',
    );
  });

  it('decodeCompressed() reads a zlib stream of the length-prefixed layout (topicSysFlag and order are lost, as in Java)', async () => {
    const inflated = layout(['{"counter":3,"timestamp":1700000000000}', 2, 'TopicA 4 4 6 SINGLE_TAG', 'TBW102 8 8 7 SINGLE_TAG', '["fs-1:8080"]']);
    const decoded = await RegisterBrokerBody.decodeCompressed(Uint8Array.from(deflateSync(inflated, { level: 9 })));
    const expected = body();
    expected.topicConfigSerializeWrapper.topicConfigTable.get('TopicA')!.topicSysFlag = 0;
    expected.topicConfigSerializeWrapper.topicConfigTable.get('TopicA')!.order = false;
    expected.filterServerList = ['fs-1:8080'];
    expect(decoded).toEqual(expected);
  });

  it('encodeCompressed() writes a zlib stream that Node inflates to the same layout', async () => {
    const compressed = await body().encodeCompressed();
    expect(Uint8Array.from(inflateSync(compressed))).toEqual(
      layout(['{"counter":3,"timestamp":1700000000000}', 2, 'TopicA 4 4 6 SINGLE_TAG', 'TBW102 8 8 7 SINGLE_TAG', '[]']),
    );
  });

  it('decodeCompressed() rejects with JsonFormatError for bytes that are not zlib, and for a truncated layout', async () => {
    await expect(RegisterBrokerBody.decodeCompressed(utf8.encode('plain text'))).rejects.toBeInstanceOf(JsonFormatError);
    const truncated = Uint8Array.from(deflateSync(layout(['{"counter":1,"timestamp":1}', 3, 'TopicA 4 4 6 SINGLE_TAG'])));
    await expect(RegisterBrokerBody.decodeCompressed(truncated)).rejects.toThrow('RegisterBrokerBody (compressed): truncated before the chunk length');
  });
});
