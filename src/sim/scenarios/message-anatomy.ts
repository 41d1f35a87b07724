/**
 * Scenario `message-anatomy`: what a message is made of, and its two ids.
 *
 * One message with a tag, a key and a user property. The producer gives it a UNIQ_KEY
 * (the "msgId" applications see) before sending; the broker gives its stored copy an
 * offset msgId (store host + physical offset), which is how `viewMessage` finds the record
 * in O(1). The key goes into the index file, which is how `queryMessage` finds it by key.
 *
 * ```
 *   properties string   TAGS\u0001TagA\u0002KEYS\u0001order-1001\u0002color\u0001red\u0002UNIQ_KEY\u0001...\u0002...
 *   UNIQ_KEY             producer IP + pid + class-loader hash + time + counter   (stable across retries and topic rewrites)
 *   offset msgId         hex(store IP 4 B + port 4 B + commit-log offset 8 B)      (16 bytes → 32 hex chars)
 * ```
 *
 * @article message "The message, its properties and its ids"
 * @category Sim
 * @module
 */
import { encodeUtf8 } from '../../common/bytes.js';
import { decodeMessageId } from '../../common/message/message-id.js';
import { Message } from '../../common/message/message.js';
import type { Scenario } from '../scenario.js';

export const messageAnatomy: Scenario = {
  name: 'message-anatomy',
  article: 'message',
  real: true,
  seed: 27,
  title: { en: 'Anatomy of a message and its two ids', zh: '消息的结构与它的两个 ID' },
  summary: {
    en: 'One message with a tag, a key and a user property: see its properties string, its UNIQ_KEY, the offset msgId the broker returns, and how each is used to find it again.',
    zh: '一条带 Tag、Key 和用户属性的消息：看它的属性字符串、UNIQ_KEY、Broker 返回的 offset msgId，以及如何分别用它们再次找到这条消息。',
  },
  async run({ cluster, beat, find }) {
    await cluster.startNamesrv();
    const broker = await cluster.startBroker('broker-a');
    await cluster.createTopic('TopicTest', 1);
    const producer = await cluster.producer('pg', 'producer-1');
    const msg = Message.create('TopicTest', encodeUtf8('{"order":1001}'), { tags: 'TagA', keys: 'order-1001' });
    msg.putUserProperty('color', 'red');
    const result = await cluster.settle(producer.send(msg));
    const created = find('client.message.created', 'producer-1').at(-1)!;
    beat('created', {
      en: `producer-1 stamped the message with UNIQ_KEY ${created.data.uniqKey} before sending it. Tag, key, user property and UNIQ_KEY all travel in one properties string: name\\u0001value pairs separated by \\u0002.`,
      zh: `producer-1 在发送前为消息打上 UNIQ_KEY ${created.data.uniqKey}。Tag、Key、用户属性和 UNIQ_KEY 都放在同一个属性字符串里：name\\u0001value 对，以 \\u0002 分隔。`,
    });
    const id = decodeMessageId(result.offsetMsgId);
    beat('stored', {
      en: `broker-a stored it and answered with offset msgId ${result.offsetMsgId}: it decodes to store host ${id?.address ?? '?'} and commit-log offset ${id?.offset ?? '?'}. The application sees msgId ${result.msgId} (the UNIQ_KEY); the offset msgId is what the admin tools use to fetch the record directly.`,
      zh: `broker-a 存储后返回 offset msgId ${result.offsetMsgId}：解码得到存储主机 ${id?.address ?? '?'} 和 CommitLog 偏移 ${id?.offset ?? '?'}。应用看到的 msgId 是 ${result.msgId}（即 UNIQ_KEY）；运维工具用 offset msgId 直接取回记录。`,
    });
    const store = broker.controller.messageStore;
    const found = store.lookMessageByOffset(id?.offset ?? 0);
    beat('looked-up', {
      en: `Looking the record up by that offset gives back topic ${found?.topic ?? '?'}, tags ${found?.tags ?? '?'}, keys ${found?.keys ?? '?'}, color=${found?.getProperty('color') ?? '?'}, reconsumeTimes ${found?.reconsumeTimes ?? '?'}: everything the producer set, plus the broker's store timestamp and host.`,
      zh: `按这个偏移取回记录，得到 Topic ${found?.topic ?? '?'}、Tags ${found?.tags ?? '?'}、Keys ${found?.keys ?? '?'}、color=${found?.getProperty('color') ?? '?'}、重试次数 ${found?.reconsumeTimes ?? '?'}：生产者设置的一切，加上 Broker 的存储时间和主机。`,
    });
    await cluster.advance(100);
    const byKey = store.queryMessage('TopicTest', 'order-1001', 32, 0, Number.MAX_SAFE_INTEGER);
    beat('queried', {
      en: `The reput service also wrote the key into the index file (slot = |hash("TopicTest#order-1001")| mod slot count), so QUERY_MESSAGE by key finds ${byKey.messageCount} message. Keys are for lookups by business id, not for filtering.`,
      zh: `ReputMessageService 还把 Key 写入了索引文件（槽位 = |hash("TopicTest#order-1001")| 对槽数取模），所以按 Key 的 QUERY_MESSAGE 找到了 ${byKey.messageCount} 条消息。Key 用于按业务 ID 查询，而不是用于过滤。`,
    });
  },
};
