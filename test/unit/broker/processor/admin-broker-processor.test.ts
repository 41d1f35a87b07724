// AdminBrokerProcessor against a real store and the real managers (see admin-test-support).
// Goal: every admin code answers with Java's codes, remarks and body shapes, changes the
// tables it should, and answers bad input with SYSTEM_ERROR instead of throwing.
import { describe, expect, it } from 'vitest';
import {
  decodeConsumeStats, decodeConsumerConnection, decodeGroupList, decodeLockBatchResponseBody, decodeProducerConnection,
  decodeResetOffsetBody, decodeTopicStatsTable, encodeLockBatchRequestBody,
} from '../../../../src/common/protocol/body/admin-bodies.js';
import { ClientChannelInfo } from '../../../../src/broker/client/client-channel-info.js';
import { encodeUtf8 } from '../../../../src/common/bytes.js';
import { decodeKVTable } from '../../../../src/common/protocol/body/kv-table.js';
import { TopicConfigSerializeWrapper } from '../../../../src/common/protocol/body/topic-config-serialize-wrapper.js';
import { decodeTopicList } from '../../../../src/common/protocol/body/topic-list.js';
import { RequestCode } from '../../../../src/common/protocol/request-code.js';
import type { ExtFieldValue } from '../../../../src/remoting/remoting-command.js';
import { ResponseCode } from '../../../../src/common/protocol/response-code.js';
import { adminRig, bodyText, fakeConnection, fakeContext } from './admin-test-support.js';

const createTopic = (topic: string, extra: Record<string, string | number> = {}) => ({
  topic, defaultTopic: 'TBW102', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false, ...extra,
});

describe('AdminBrokerProcessor', () => {
  describe('topics', () => {
    it('processRequest(UPDATE_AND_CREATE_TOPIC) writes SUCCESS before it creates the topic, then registers it', async () => {
      const rig = adminRig();
      const ctx = fakeContext();
      const existedWhenAnswered: boolean[] = [];
      const write = ctx.writeResponse;
      ctx.writeResponse = (request, response) => {
        existedWhenAnswered.push(rig.topics.selectTopicConfig('TopicA') !== undefined);
        write(request, response);
      };
      const answer = await rig.call(RequestCode.UPDATE_AND_CREATE_TOPIC, createTopic('TopicA'), undefined, ctx);
      expect(answer).toBeNull();
      expect(ctx.written.map((r) => r.code)).toEqual([ResponseCode.SUCCESS]);
      expect(existedWhenAnswered).toEqual([false]);
      const config = rig.topics.selectTopicConfig('TopicA');
      expect(config?.toString()).toBe('TopicConfig [topicName=TopicA, readQueueNums=4, writeQueueNums=4, perm=RW-, topicFilterType=SINGLE_TAG, topicSysFlag=0, order=false]');
      expect(rig.registered).toEqual(['TopicA']);
      expect(rig.sink.ofKind('broker.topic.updated').map((e) => e.data)).toEqual([{ topic: 'TopicA', readQueueNums: 4, writeQueueNums: 4, perm: 6, created: true }]);
    });

    it('processRequest(UPDATE_AND_CREATE_TOPIC) refuses the cluster name, illegal names, system topics and bad fields with SYSTEM_ERROR', async () => {
      const rig = adminRig();
      const remark = async (fields: Record<string, ExtFieldValue>) => {
        const r = await rig.call(RequestCode.UPDATE_AND_CREATE_TOPIC, fields);
        return [r?.code, r?.remark];
      };
      expect(await remark(createTopic('DefaultCluster'))).toEqual([1, 'the topic[DefaultCluster] is conflict with system reserved words.']);
      expect(await remark(createTopic('bad topic'))).toEqual([1, 'The specified topic contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$']);
      expect(await remark(createTopic('T'.repeat(128)))).toEqual([1, 'The specified topic is longer than topic max length.']);
      expect(await remark(createTopic('TBW102'))).toEqual([1, 'The topic[TBW102] is conflict with system topic.']);
      expect(await remark(createTopic('broker-a'))).toEqual([1, 'The topic[broker-a] is conflict with system topic.']);
      const { readQueueNums: _, ...noRead } = createTopic('TopicB');
      expect(await remark(noRead)).toEqual([1, 'the custom header field "readQueueNums" is missing']);
      expect(await remark(createTopic('TopicB', { writeQueueNums: 'four' }))).toEqual([1, 'the custom header field "writeQueueNums" is not an int: "four"']);
      expect(await remark(createTopic('TopicB', { writeQueueNums: -1 }))).toEqual([1, 'the custom header field "writeQueueNums" must be between 0 and 65535, got -1']);
      expect(await remark(createTopic('TopicB', { topicFilterType: 'SQL' }))).toEqual([1, 'the custom header field "topicFilterType" must be SINGLE_TAG or MULTI_TAG, got "SQL"']);
      expect(rig.topics.selectTopicConfig('TopicB')).toBeUndefined();
      expect(rig.registered).toEqual([]);
    });

    it('processRequest(UPDATE_AND_CREATE_TOPIC) on a slave answers SYSTEM_ERROR', async () => {
      const rig = adminRig({ brokerRole: 'SLAVE' });
      const r = await rig.call(RequestCode.UPDATE_AND_CREATE_TOPIC, createTopic('TopicA'));
      expect([r?.code, r?.remark]).toEqual([1, "Can't modify topic or subscription group from slave broker, please execute it from master broker."]);
    });

    it('processRequest(DELETE_TOPIC_IN_BROKER) drops the config, the consume queues and the offsets of the topic', async () => {
      const rig = adminRig();
      await rig.call(RequestCode.UPDATE_AND_CREATE_TOPIC, createTopic('TopicA'));
      await rig.call(RequestCode.UPDATE_AND_CREATE_TOPIC, createTopic('TopicB'));
      await rig.put({ topic: 'TopicA', queueId: 0 }, { topic: 'TopicA', queueId: 1 }, { topic: 'TopicB', queueId: 0 });
      rig.offsets.commitOffset('10.0.0.9', 'cg', 'TopicA', 0, 1);
      rig.offsets.commitOffset('10.0.0.9', 'cg', 'TopicB', 0, 1);

      const r = await rig.call(RequestCode.DELETE_TOPIC_IN_BROKER, { topic: 'TopicA' });
      expect(r?.code).toBe(ResponseCode.SUCCESS);
      expect(rig.topics.selectTopicConfig('TopicA')).toBeUndefined();
      expect(rig.store.getMaxOffsetInQueue('TopicA', 0)).toBe(0);
      expect(rig.store.getMaxOffsetInQueue('TopicB', 0)).toBe(1);
      expect(rig.offsets.queryOffset('cg', 'TopicA', 0)).toBe(-1);
      expect(rig.offsets.queryOffset('cg', 'TopicB', 0)).toBe(1);
      expect(rig.sink.ofKind('broker.topic.deleted').map((e) => e.data)).toEqual([{ topic: 'TopicA', queuesRemoved: 2 }]);
    });

    it('processRequest(GET_ALL_TOPIC_CONFIG / GET_TOPIC_NAME_LIST) lists the topic table', async () => {
      const rig = adminRig();
      await rig.call(RequestCode.UPDATE_AND_CREATE_TOPIC, createTopic('TopicA'));
      const all = await rig.call(RequestCode.GET_ALL_TOPIC_CONFIG);
      const wrapper = TopicConfigSerializeWrapper.decode(all!.body!);
      expect(wrapper.topicConfigTable.get('TopicA')?.writeQueueNums).toBe(4);
      expect(wrapper.dataVersion.equals(rig.topics.dataVersion)).toBe(true);
      const names = decodeTopicList((await rig.call(RequestCode.GET_TOPIC_NAME_LIST))!.body!);
      expect(names.topicList.has('TopicA')).toBe(true);
      expect(names.topicList.has('TBW102')).toBe(true);
    });

    it('processRequest(GET_TOPIC_STATS_INFO) answers min/max/last store time per write queue, object-keyed', async () => {
      const rig = adminRig();
      await rig.call(RequestCode.UPDATE_AND_CREATE_TOPIC, createTopic('TopicA', { writeQueueNums: 2 }));
      await rig.put({ topic: 'TopicA', queueId: 0 }, { topic: 'TopicA', queueId: 0 });
      const storeTime = rig.store.getMessageStoreTimeStamp('TopicA', 0, 1);
      const r = await rig.call(RequestCode.GET_TOPIC_STATS_INFO, { topic: 'TopicA' });
      expect(bodyText(r)).toBe(
        `{"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"TopicA"}:{"lastUpdateTimestamp":${storeTime},"maxOffset":2,"minOffset":0},` +
        '{"brokerName":"broker-a","queueId":1,"topic":"TopicA"}:{"lastUpdateTimestamp":0,"maxOffset":0,"minOffset":0}}}',
      );
      expect(decodeTopicStatsTable(r!.body!).offsetTable[0]).toEqual([{ topic: 'TopicA', brokerName: 'broker-a', queueId: 0 }, { minOffset: 0, maxOffset: 2, lastUpdateTimestamp: storeTime }]);
      const missing = await rig.call(RequestCode.GET_TOPIC_STATS_INFO, { topic: 'Nope' });
      expect([missing?.code, missing?.remark]).toEqual([ResponseCode.TOPIC_NOT_EXIST, 'topic[Nope] not exist']);
    });
  });

  describe('offsets', () => {
    it('processRequest(GET_MAX_OFFSET / GET_MIN_OFFSET / GET_EARLIEST_MSG_STORETIME / SEARCH_OFFSET_BY_TIMESTAMP) answer from the store', async () => {
      const rig = adminRig();
      await rig.put({ topic: 'TopicA', queueId: 1 });
      await rig.clock.advance(1000);
      await rig.put({ topic: 'TopicA', queueId: 1 }, { topic: 'TopicA', queueId: 1 });
      const first = rig.store.getMessageStoreTimeStamp('TopicA', 1, 0);
      const second = rig.store.getMessageStoreTimeStamp('TopicA', 1, 1);
      expect((await rig.call(RequestCode.GET_MAX_OFFSET, { topic: 'TopicA', queueId: 1 }))?.extFields).toEqual({ offset: '3' });
      expect((await rig.call(RequestCode.GET_MIN_OFFSET, { topic: 'TopicA', queueId: 1 }))?.extFields).toEqual({ offset: '0' });
      expect((await rig.call(RequestCode.GET_EARLIEST_MSG_STORETIME, { topic: 'TopicA', queueId: 1 }))?.extFields).toEqual({ timestamp: String(first) });
      expect((await rig.call(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, { topic: 'TopicA', queueId: 1, timestamp: second }))?.extFields).toEqual({ offset: '1' });
      const bad = await rig.call(RequestCode.GET_MAX_OFFSET, { topic: 'TopicA' });
      expect([bad?.code, bad?.remark]).toEqual([1, 'the custom header field "queueId" is missing']);
    });

    it('processRequest(GET_CONSUME_STATS) reports broker and consumer offsets per read queue in fastjson object-key form', async () => {
      const rig = adminRig();
      await rig.call(RequestCode.UPDATE_AND_CREATE_TOPIC, createTopic('TopicA', { readQueueNums: 2 }));
      await rig.put({ topic: 'TopicA', queueId: 0 }, { topic: 'TopicA', queueId: 0 }, { topic: 'TopicA', queueId: 1 });
      rig.offsets.commitOffset('10.0.0.9', 'cg', 'TopicA', 0, 1);
      const t0 = rig.store.getMessageStoreTimeStamp('TopicA', 0, 0);
      const r = await rig.call(RequestCode.GET_CONSUME_STATS, { consumerGroup: 'cg' });
      expect(bodyText(r)).toBe(
        `{"consumeTps":0,"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"TopicA"}:{"brokerOffset":2,"consumerOffset":1,"lastTimestamp":${t0}},` +
        '{"brokerName":"broker-a","queueId":1,"topic":"TopicA"}:{"brokerOffset":1,"consumerOffset":0,"lastTimestamp":0}}}',
      );
      expect(decodeConsumeStats(r!.body!).offsetTable.map(([mq, w]) => [mq.queueId, w.brokerOffset - w.consumerOffset])).toEqual([[0, 1], [1, 1]]);
    });

    it('processRequest(INVOKE_BROKER_TO_RESET_OFFSET) commits the offsets found by time and notifies the members one-way', async () => {
      const rig = adminRig();
      await rig.call(RequestCode.UPDATE_AND_CREATE_TOPIC, createTopic('TopicA', { writeQueueNums: 2 }));
      await rig.put({ topic: 'TopicA', queueId: 0 });
      await rig.clock.advance(5000);
      const resetTo = rig.clock.now();
      await rig.put({ topic: 'TopicA', queueId: 0 }, { topic: 'TopicA', queueId: 0 }, { topic: 'TopicA', queueId: 1 });
      rig.offsets.commitOffset('x', 'cg', 'TopicA', 0, 3);
      rig.offsets.commitOffset('x', 'cg', 'TopicA', 1, 1);
      const member = rig.consumer('cg', '10.0.0.7@a', 'TopicA');

      const r = await rig.call(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, { topic: 'TopicA', group: 'cg', timestamp: resetTo, isForce: true });
      expect(r?.code).toBe(ResponseCode.SUCCESS);
      expect(decodeResetOffsetBody(r!.body!).offsetTable.map(([mq, offset]) => [mq.queueId, offset])).toEqual([[0, 1], [1, 0]]);
      expect([rig.offsets.queryOffset('cg', 'TopicA', 0), rig.offsets.queryOffset('cg', 'TopicA', 1)]).toEqual([1, 0]);
      expect(rig.oneway).toHaveLength(1);
      const notice = rig.oneway[0]!;
      expect(notice.connection).toBe(member.connection);
      expect(notice.request.code).toBe(RequestCode.RESET_CONSUMER_CLIENT_OFFSET);
      expect(notice.request.extFields).toEqual({ topic: 'TopicA', group: 'cg', timestamp: String(resetTo), isForce: 'true' });
      expect(rig.sink.ofKind('broker.offset.reset')[0]?.data).toEqual({ group: 'cg', topic: 'TopicA', timestamp: resetTo, offsets: [{ queueId: 0, offset: 1 }, { queueId: 1, offset: 0 }], clientsNotified: 1 });
    });

    it('processRequest(INVOKE_BROKER_TO_RESET_OFFSET) without isForce only moves offsets backwards; refuses unknown topics and groups', async () => {
      const rig = adminRig();
      await rig.call(RequestCode.UPDATE_AND_CREATE_TOPIC, createTopic('TopicA', { writeQueueNums: 1 }));
      await rig.put({ topic: 'TopicA', queueId: 0 }, { topic: 'TopicA', queueId: 0 });
      rig.offsets.commitOffset('x', 'cg', 'TopicA', 0, 1);
      const forward = await rig.call(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, { topic: 'TopicA', group: 'cg', timestamp: -1, isForce: false });
      expect(decodeResetOffsetBody(forward!.body!).offsetTable.map(([, o]) => o)).toEqual([1]);
      const noTopic = await rig.call(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, { topic: 'Nope', group: 'cg', timestamp: -1, isForce: true });
      expect([noTopic?.code, noTopic?.remark]).toEqual([1, '[reset-offset] reset offset failed, no topic in this broker. topic=Nope']);
      const noGroup = await rig.call(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, { topic: 'TopicA', group: 'other', timestamp: -1, isForce: true });
      expect([noGroup?.code, noGroup?.remark]).toEqual([1, 'The consumer group <other> not exist']);
    });

    it('processRequest(GET_ALL_CONSUMER_OFFSET / GET_ALL_DELAY_OFFSET) answer the offset table and SYSTEM_ERROR without a schedule service', async () => {
      const rig = adminRig();
      rig.offsets.commitOffset('x', 'cg', 'TopicA', 0, 5);
      expect(bodyText(await rig.call(RequestCode.GET_ALL_CONSUMER_OFFSET))).toBe('{"offsetTable":{"TopicA@cg":{"0":5}}}');
      const delay = await rig.call(RequestCode.GET_ALL_DELAY_OFFSET);
      expect([delay?.code, delay?.remark]).toEqual([1, 'Delay offset not supported in this messagetore']);
    });
  });

  describe('groups and connections', () => {
    it('processRequest(UPDATE_AND_CREATE / GET_ALL / DELETE_SUBSCRIPTIONGROUP) manage group configs', async () => {
      const rig = adminRig();
      const created = await rig.call(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, {}, encodeUtf8('{"groupName":"cg","retryMaxTimes":3}'));
      expect(created?.code).toBe(ResponseCode.SUCCESS);
      expect(rig.groups.subscriptionGroupTable.get('cg')?.retryMaxTimes).toBe(3);
      const all = JSON.parse(bodyText(await rig.call(RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG))) as { subscriptionGroupTable: Record<string, unknown> };
      expect(all.subscriptionGroupTable['cg']).toEqual({
        brokerId: 0, consumeBroadcastEnable: true, consumeEnable: true, consumeFromMinEnable: true, groupName: 'cg',
        notifyConsumerIdsChangedEnable: true, retryMaxTimes: 3, retryQueueNums: 1, whichBrokerWhenConsumeSlowly: 1,
      });
      rig.offsets.commitOffset('x', 'cg', 'TopicA', 0, 5);
      expect((await rig.call(RequestCode.DELETE_SUBSCRIPTIONGROUP, { groupName: 'cg', removeOffset: true }))?.code).toBe(0);
      expect(rig.groups.subscriptionGroupTable.has('cg')).toBe(false);
      expect(rig.offsets.queryOffset('cg', 'TopicA', 0)).toBe(-1);
      const bad = await rig.call(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, {}, encodeUtf8('{"groupName":'));
      expect(bad?.code).toBe(1);
      expect(bad?.remark).toMatch(/^the body could not be decoded: SubscriptionGroupConfig: not JSON/);
      const illegal = await rig.call(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, {}, encodeUtf8('{"groupName":"a b"}'));
      expect([illegal?.code, illegal?.remark]).toEqual([1, 'the specified group[a b] contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$']);
    });

    it('processRequest(GET_CONSUMER_CONNECTION_LIST / GET_PRODUCER_CONNECTION_LIST / QUERY_TOPIC_CONSUME_BY_WHO) read the client tables', async () => {
      const rig = adminRig();
      rig.consumer('cg', '10.0.0.7@a', 'TopicA', 'TagA || TagB');
      rig.offsets.commitOffset('x', 'old-group', 'TopicA', 0, 1);
      const consumers = decodeConsumerConnection((await rig.call(RequestCode.GET_CONSUMER_CONNECTION_LIST, { consumerGroup: 'cg' }))!.body!);
      expect(consumers.connectionSet).toEqual([{ clientId: '10.0.0.7@a', clientAddr: '10.0.0.7:60000', language: 'JAVA', version: 293 }]);
      expect([consumers.consumeType, consumers.messageModel, consumers.consumeFromWhere]).toEqual(['CONSUME_PASSIVELY', 'CLUSTERING', 'CONSUME_FROM_LAST_OFFSET']);
      expect(consumers.subscriptionTable.get('TopicA')?.tagsSet).toEqual(['TagA', 'TagB']);
      const offline = await rig.call(RequestCode.GET_CONSUMER_CONNECTION_LIST, { consumerGroup: 'nobody' });
      expect([offline?.code, offline?.remark]).toEqual([ResponseCode.CONSUMER_NOT_ONLINE, 'the consumer group[nobody] not online']);

      rig.producers.registerProducer('pg', new ClientChannelInfo(fakeConnection('10.0.0.8:7000'), '10.0.0.8@p', 'JAVA', 121, rig.clock.now()));
      const producers = decodeProducerConnection((await rig.call(RequestCode.GET_PRODUCER_CONNECTION_LIST, { producerGroup: 'pg' }))!.body!);
      expect(producers.connectionSet).toEqual([{ clientId: '10.0.0.8@p', clientAddr: '10.0.0.8:7000', language: 'JAVA', version: 121 }]);
      const none = await rig.call(RequestCode.GET_PRODUCER_CONNECTION_LIST, { producerGroup: 'nope' });
      expect([none?.code, none?.remark]).toEqual([1, 'the producer group[nope] not exist']);

      expect(decodeGroupList((await rig.call(RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, { topic: 'TopicA' }))!.body!)).toEqual(['cg', 'old-group']);
    });

    it('processRequest(LOCK_BATCH_MQ / UNLOCK_BATCH_MQ) lock queues per client and release them', async () => {
      const rig = adminRig();
      const mq = (queueId: number) => ({ topic: 'T', brokerName: 'broker-a', queueId });
      const lock = async (clientId: string, ids: number[]) =>
        decodeLockBatchResponseBody((await rig.call(RequestCode.LOCK_BATCH_MQ, {}, encodeLockBatchRequestBody({ consumerGroup: 'cg', clientId, mqSet: ids.map(mq) })))!.body!).map((q) => q.queueId);
      expect(await lock('A', [0, 1])).toEqual([0, 1]);
      expect(await lock('B', [1, 2])).toEqual([2]);
      const unlocked = await rig.call(RequestCode.UNLOCK_BATCH_MQ, {}, encodeLockBatchRequestBody({ consumerGroup: 'cg', clientId: 'A', mqSet: [mq(1)] }));
      expect(unlocked?.code).toBe(0);
      expect(await lock('B', [1, 2])).toEqual([1, 2]);
      expect(bodyText(await rig.call(RequestCode.LOCK_BATCH_MQ, {}, encodeLockBatchRequestBody({ consumerGroup: 'cg', clientId: 'A', mqSet: [mq(3)] }))))
        .toBe('{"lockOKMQSet":[{"brokerName":"broker-a","queueId":3,"topic":"T"}]}');
      const noBody = await rig.call(RequestCode.LOCK_BATCH_MQ);
      expect([noBody?.code, noBody?.remark]).toEqual([1, 'the body could not be decoded: LockBatchRequestBody: the body is missing']);
      const noClient = await rig.call(RequestCode.LOCK_BATCH_MQ, {}, encodeUtf8('{"consumerGroup":"cg","mqSet":[]}'));
      expect(noClient?.remark).toBe('the body could not be decoded: LockBatchRequestBody.clientId: is missing');
    });
  });

  describe('broker information', () => {
    it('processRequest(GET_BROKER_RUNTIME_INFO) answers a KVTable of strings speaking version 293 (V4_4_0)', async () => {
      const rig = adminRig();
      await rig.put({ topic: 'TopicA' });
      const table = decodeKVTable((await rig.call(RequestCode.GET_BROKER_RUNTIME_INFO))!.body!).table;
      expect(table.get('brokerVersion')).toBe('293');
      expect(table.get('brokerVersionDesc')).toBe('V4_4_0');
      expect(table.get('commitLogMinOffset')).toBe('0');
      expect(table.get('commitLogMaxOffset')).toBe(String(rig.store.getMaxPhyOffset()));
      expect(table.get('dispatchBehindBytes')).toBe('0');
      expect(table.get('earliestMessageTimeStamp')).toBe(String(rig.store.getEarliestMessageTimeOfStore()));
      expect(table.get('msgPutTotalTodayNow')).toBe('0');
      expect(table.get('putTps')).toBe('0.00 0.00 0.00');
    });

    it('processRequest(GET_BROKER_CONFIG) answers properties text and the config version header', async () => {
      const rig = adminRig();
      const r = await rig.call(RequestCode.GET_BROKER_CONFIG);
      const lines = bodyText(r).split('\n');
      expect(lines).toContain('brokerName=broker-a');
      expect(lines).toContain('brokerClusterName=DefaultCluster');
      expect(lines).toContain('mappedFileSizeCommitLog=4096');
      expect(lines.some((l) => l.startsWith('namesrvAddr='))).toBe(false);
      expect(r?.extFields?.['version']).toBe(`{"counter":0,"timestamp":${rig.clock.now()}}`);
    });

    it('processRequest(unknown code) answers REQUEST_CODE_NOT_SUPPORTED with Java\'s remark', async () => {
      const rig = adminRig();
      const r = await rig.call(RequestCode.UPDATE_BROKER_CONFIG);
      expect([r?.code, r?.remark]).toEqual([ResponseCode.REQUEST_CODE_NOT_SUPPORTED, ' request type 25 not supported']);
    });
  });
});
