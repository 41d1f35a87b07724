// TopicRouteData on the wire: what we write (standard JSON, both flag keys), what we read
// (a 4.4 name server's bare keys and topicSynFlag, a 4.9 one's topicSysFlag), and the
// byte-exact fastjson form for comparisons with Java output.
import { describe, expect, it } from 'vitest';
import { JsonFormatError } from '../../../../../src/common/json/fastjson.js';
import { decodeTopicRouteData, encodeTopicRouteData, type TopicRouteData } from '../../../../../src/common/protocol/route/topic-route-data.js';

const text = new TextDecoder();

const route: TopicRouteData = {
  queueDatas: [{ brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0 }],
  brokerDatas: [{ cluster: 'DefaultCluster', brokerName: 'broker-a', brokerAddrs: new Map([[1, '10.0.0.2:10911'], [0, '10.0.0.1:10911']]) }],
  filterServerTable: new Map(),
};

describe('TopicRouteData', () => {
  it('encodeTopicRouteData() writes quoted brokerId keys and both flag keys by default', () => {
    expect(text.decode(encodeTopicRouteData(route))).toBe(
      '{"brokerDatas":[{"brokerAddrs":{"0":"10.0.0.1:10911","1":"10.0.0.2:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"}],' +
        '"filterServerTable":{},"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSynFlag":0,"topicSysFlag":0,"writeQueueNums":4}]}',
    );
  });

  it('encodeTopicRouteData({ unquotedIntegerKeys, sysFlagKeys: "topicSynFlag" }) is byte-for-byte a 4.4 name server\'s body', () => {
    const java44 =
      '{"brokerDatas":[{"brokerAddrs":{0:"10.0.0.1:10911",1:"10.0.0.2:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"}],' +
      '"filterServerTable":{},"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSynFlag":0,"writeQueueNums":4}]}';
    expect(text.decode(encodeTopicRouteData(route, { unquotedIntegerKeys: true, sysFlagKeys: 'topicSynFlag' }))).toBe(java44);
    expect(decodeTopicRouteData(java44)).toEqual(route);
  });

  it('decodeTopicRouteData() reads a 4.9 body with topicSysFlag and orderTopicConf, and our own output', () => {
    const java49 =
      '{"brokerDatas":[{"brokerAddrs":{"0":"10.0.0.1:10911"},"brokerName":"b","cluster":"C"}],"filterServerTable":{"10.0.0.1:10911":["fs:1"]},' +
      '"orderTopicConf":"b:4","queueDatas":[{"brokerName":"b","perm":4,"readQueueNums":2,"topicSysFlag":3,"writeQueueNums":1}]}';
    expect(decodeTopicRouteData(java49)).toEqual({
      orderTopicConf: 'b:4',
      queueDatas: [{ brokerName: 'b', readQueueNums: 2, writeQueueNums: 1, perm: 4, topicSysFlag: 3 }],
      brokerDatas: [{ cluster: 'C', brokerName: 'b', brokerAddrs: new Map([[0, '10.0.0.1:10911']]) }],
      filterServerTable: new Map([['10.0.0.1:10911', ['fs:1']]]),
    });
    expect(decodeTopicRouteData(encodeTopicRouteData(route))).toEqual(route);
  });

  it('decodeTopicRouteData() throws JsonFormatError with a path for a malformed route', () => {
    expect(() => decodeTopicRouteData('{"queueDatas":[{"perm":6}]}')).toThrow(new JsonFormatError('TopicRouteData.queueDatas[0].brokerName', 'is missing'));
    expect(() => decodeTopicRouteData('{"brokerDatas":[{"brokerName":"b","brokerAddrs":{"x":"a"}}]}')).toThrow(JsonFormatError);
  });
});
