// Goal: the client turns a name-server route into publish queues (writable, master present,
// sorted by broker name; orderTopicConf overrides) and subscribe queues (readable), and a
// TopicPublishInfo walks them round-robin from a seeded start, stepping past a failed broker.
import { describe, expect, it } from 'vitest';
import type { TopicRouteData } from '../../../../src/common/protocol/route/topic-route-data.js';
import { SeededRandom } from '../../../../src/platform/random.js';
import { topicRouteData2TopicPublishInfo, topicRouteData2TopicSubscribeInfo, topicRouteDataChanged } from '../../../../src/client/route/topic-route-conversion.js';
import { SendWhichQueue } from '../../../../src/client/route/topic-publish-info.js';

function route(): TopicRouteData {
  return {
    queueDatas: [
      { brokerName: 'broker-c', readQueueNums: 2, writeQueueNums: 2, perm: 6, topicSysFlag: 0 },
      { brokerName: 'broker-b', readQueueNums: 3, writeQueueNums: 2, perm: 4, topicSysFlag: 0 },
      { brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 3, perm: 6, topicSysFlag: 0 },
    ],
    brokerDatas: [
      { cluster: 'c', brokerName: 'broker-a', brokerAddrs: new Map([[0, '10.0.0.2:10911']]) },
      { cluster: 'c', brokerName: 'broker-b', brokerAddrs: new Map([[0, '10.0.0.3:10911']]) },
      { cluster: 'c', brokerName: 'broker-c', brokerAddrs: new Map([[1, '10.0.0.4:10911']]) },
    ],
    filterServerTable: new Map(),
  };
}

const names = (mqs: Array<{ brokerName: string; queueId: number }>) => mqs.map((mq) => `${mq.brokerName}/${mq.queueId}`);

describe('topicRouteData2TopicPublishInfo', () => {
  it('lists writeQueueNums queues of every writable QueueData whose broker has a master, sorted by broker name', () => {
    const info = topicRouteData2TopicPublishInfo('T', route(), new SeededRandom(1));
    expect(names(info.messageQueueList)).toEqual(['broker-a/0', 'broker-a/1', 'broker-a/2']);
    expect(info.orderTopic).toBe(false);
    expect(info.messageQueueList.every((mq) => mq.topic === 'T')).toBe(true);
    expect(info.getQueueIdByBroker('broker-c')).toBe(2);
    expect(info.getQueueIdByBroker('broker-x')).toBe(-1);
  });

  it('uses orderTopicConf "broker-b:2;broker-a:1" instead when the route has one', () => {
    const info = topicRouteData2TopicPublishInfo('T', { ...route(), orderTopicConf: 'broker-b:2;broker-a:1' }, new SeededRandom(1));
    expect(names(info.messageQueueList)).toEqual(['broker-b/0', 'broker-b/1', 'broker-a/0']);
    expect(info.orderTopic).toBe(true);
  });
});

describe('topicRouteData2TopicSubscribeInfo', () => {
  it('lists readQueueNums queues of every readable QueueData, masters or not', () => {
    expect(names(topicRouteData2TopicSubscribeInfo('T', route()))).toEqual([
      'broker-c/0', 'broker-c/1', 'broker-b/0', 'broker-b/1', 'broker-b/2', 'broker-a/0', 'broker-a/1', 'broker-a/2', 'broker-a/3',
    ]);
  });
});

describe('topicRouteDataChanged', () => {
  it('ignores the order of queue and broker datas, and sees a changed queue count', () => {
    const a = route();
    const b = { ...route(), queueDatas: [...route().queueDatas].reverse(), brokerDatas: [...route().brokerDatas].reverse() };
    expect(topicRouteDataChanged(a, b)).toBe(false);
    expect(topicRouteDataChanged(undefined, b)).toBe(true);
    b.queueDatas[0]!.writeQueueNums = 8;
    expect(topicRouteDataChanged(a, b)).toBe(true);
  });
});

describe('TopicPublishInfo', () => {
  const twoBrokers = (): TopicRouteData => ({
    queueDatas: [
      { brokerName: 'broker-a', readQueueNums: 2, writeQueueNums: 2, perm: 6, topicSysFlag: 0 },
      { brokerName: 'broker-b', readQueueNums: 2, writeQueueNums: 2, perm: 6, topicSysFlag: 0 },
    ],
    brokerDatas: [
      { cluster: 'c', brokerName: 'broker-a', brokerAddrs: new Map([[0, 'a:1']]) },
      { cluster: 'c', brokerName: 'broker-b', brokerAddrs: new Map([[0, 'b:1']]) },
    ],
    filterServerTable: new Map(),
  });

  it('selectOneMessageQueue() walks the queues round-robin from the seeded start', () => {
    const info = topicRouteData2TopicPublishInfo('T', twoBrokers(), new SeededRandom(42));
    const start = new SendWhichQueue(new SeededRandom(42)).incrementAndGet() % 4;
    const picks = names(Array.from({ length: 6 }, () => info.selectOneMessageQueue()));
    const all = ['broker-a/0', 'broker-a/1', 'broker-b/0', 'broker-b/1'];
    expect(picks).toEqual(Array.from({ length: 6 }, (_, i) => all[(start + i) % 4]));
  });

  it('selectOneMessageQueue(lastBrokerName) never picks the broker that just failed while another exists', () => {
    for (let seed = 0; seed < 20; seed++) {
      const info = topicRouteData2TopicPublishInfo('T', twoBrokers(), new SeededRandom(seed));
      for (let i = 0; i < 8; i++) expect(info.selectOneMessageQueue('broker-a').brokerName).toBe('broker-b');
    }
  });

  it('falls back to the plain next queue when every queue is on the failed broker', () => {
    const info = topicRouteData2TopicPublishInfo('T', { ...twoBrokers(), queueDatas: [twoBrokers().queueDatas[0]!] }, new SeededRandom(3));
    expect(info.selectOneMessageQueue('broker-a').brokerName).toBe('broker-a');
  });

  it('SendWhichQueue masks the counter to 31 bits when it wraps past the int32 maximum', () => {
    const counter = new SendWhichQueue({ next: () => 0, int: (n) => n - 1 }); // start at 0x7fffffff
    expect(counter.incrementAndGet()).toBe(0); // 0x80000000 & 0x7fffffff
    expect(counter.incrementAndGet()).toBe(1);
  });
});
