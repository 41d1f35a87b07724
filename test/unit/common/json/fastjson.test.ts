// The fastjson compatibility layer: reading what Java writes (bare integer keys, nested
// beans, pretty-printed config files) and writing what Java writes (alphabetical bean
// properties, nulls left out).
import { describe, expect, it } from 'vitest';
import {
  JsonFormatError,
  decodeFastjson,
  encodeFastjson,
  parseFastjson,
  quoteBareIntegerKeys,
  writeFastjson,
} from '../../../../src/common/json/fastjson.js';

describe('fastjson', () => {
  it('parseFastjson() reads a map with bare integer keys as fastjson writes HashMap<Long,String>', () => {
    expect(parseFastjson('{0:"10.0.0.1:10911",1:"10.0.0.2:10911"}')).toEqual({ 0: '10.0.0.1:10911', 1: '10.0.0.2:10911' });
  });

  it('parseFastjson() reads a whole 4.4 route body (nested bare keys, topicSynFlag)', () => {
    const java =
      '{"brokerDatas":[{"brokerAddrs":{0:"10.0.0.1:10911",1:"10.0.0.2:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"}],' +
      '"filterServerTable":{},"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSynFlag":0,"writeQueueNums":4}]}';
    expect(parseFastjson(java)).toEqual({
      brokerDatas: [{ brokerAddrs: { '0': '10.0.0.1:10911', '1': '10.0.0.2:10911' }, brokerName: 'broker-a', cluster: 'DefaultCluster' }],
      filterServerTable: {},
      queueDatas: [{ brokerName: 'broker-a', perm: 6, readQueueNums: 4, topicSynFlag: 0, writeQueueNums: 4 }],
    });
  });

  it('parseFastjson() reads nested offset tables and a pretty-printed (tab-indented) config file', () => {
    expect(parseFastjson('{"offsetTable":{"TopicA@cg":{0:12,1:7}}}')).toEqual({ offsetTable: { 'TopicA@cg': { 0: 12, 1: 7 } } });
    expect(parseFastjson('{\n\t"offsetTable":{\n\t\t1:0,\n\t\t2 : 7,\n\t\t-3:15\n\t}\n}')).toEqual({ offsetTable: { 1: 0, 2: 7, '-3': 15 } });
  });

  it('quoteBareIntegerKeys() leaves strings that contain "{1:" or ",2:" untouched, escapes included', () => {
    const text = '{"k":"a{1:b,2:c","e":"q\\",3:x",4:"{5:y}"}';
    expect(quoteBareIntegerKeys(text)).toBe('{"k":"a{1:b,2:c","e":"q\\",3:x","4":"{5:y}"}');
    expect(parseFastjson(text)).toEqual({ k: 'a{1:b,2:c', e: 'q",3:x', 4: '{5:y}' });
  });

  it('quoteBareIntegerKeys() returns standard JSON as it is, and leaves numbers in arrays alone', () => {
    const standard = '{"a":[1,2,3],"b":{"0":"x"},"c":-1}';
    expect(quoteBareIntegerKeys(standard)).toBe(standard);
    expect(quoteBareIntegerKeys('[1, 2 ,3]')).toBe('[1, 2 ,3]');
  });

  it('parseFastjson() throws JsonFormatError naming the body when it is not JSON even after quoting', () => {
    expect(() => parseFastjson('{a:1}', 'TopicRouteData')).toThrow(JsonFormatError);
    expect(() => parseFastjson('{"a":', 'TopicRouteData')).toThrow(/^TopicRouteData: not JSON/);
  });

  it('writeFastjson() writes bean properties alphabetically and leaves null and undefined out', () => {
    const queueData = { writeQueueNums: 4, brokerName: 'broker-a', topicSysFlag: 0, perm: 6, readQueueNums: 4, orderTopicConf: null, x: undefined };
    expect(writeFastjson(queueData)).toBe('{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSysFlag":0,"writeQueueNums":4}');
  });

  it('writeFastjson() writes class instances as beans, Maps as objects with sorted keys, Sets as arrays', () => {
    class DataVersionLike {
      timestamp = 1700000000000;
      counter = 3;
      method(): number {
        return 1;
      }
    }
    const value = {
      dataVersion: new DataVersionLike(),
      brokerAddrs: new Map<number, string>([[10, 'c'], [1, 'b'], [0, 'a']]),
      names: new Set(['x', 'y']),
      table: new Map<string, string | null>([['b', '2'], ['a', '1'], ['z', null]]),
    };
    expect(writeFastjson(value)).toBe(
      '{"brokerAddrs":{"0":"a","1":"b","10":"c"},"dataVersion":{"counter":3,"timestamp":1700000000000},"names":["x","y"],"table":{"a":"1","b":"2"}}',
    );
  });

  it('writeFastjson({ unquotedIntegerKeys: true }) writes bare integer keys byte-for-byte like fastjson', () => {
    const brokerData = { cluster: 'DefaultCluster', brokerName: 'broker-a', brokerAddrs: new Map([[1, '10.0.0.2:10911'], [0, '10.0.0.1:10911']]) };
    expect(writeFastjson(brokerData, { unquotedIntegerKeys: true })).toBe(
      '{"brokerAddrs":{0:"10.0.0.1:10911",1:"10.0.0.2:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"}',
    );
  });

  it('writeFastjson() keeps nulls inside arrays, escapes strings, and writes non-finite numbers as null', () => {
    expect(writeFastjson([null, undefined, 'a"b\n', Number.NaN, true])).toBe('[null,null,"a\\"b\\n",null,true]');
  });

  it('encodeFastjson() and decodeFastjson() round-trip UTF-8 bytes (non-ASCII written raw)', () => {
    const bytes = encodeFastjson({ topic: '主题', n: 1 });
    expect(new TextDecoder().decode(bytes)).toBe('{"n":1,"topic":"主题"}');
    expect(decodeFastjson(bytes)).toEqual({ n: 1, topic: '主题' });
  });
});
