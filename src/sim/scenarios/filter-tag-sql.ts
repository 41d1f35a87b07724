/**
 * Scenario `filter-tag-sql`: the broker filtering for two groups, one by tag, one by SQL92.
 *
 * Filtering happens on the broker, in two places. The consume-queue unit carries the tag's
 * hash, so a tag subscription is checked without reading the message. A SQL92 subscription
 * (broker `enablePropertyFilter=true`) needs the message's properties, so the broker reads
 * the record from the commit log and evaluates the expression. Either way, what does not
 * match never leaves the broker; the client re-checks tags by string (hashes can collide).
 *
 * ```
 *   6 messages: (TagA, price 5) (TagB, price 20) (TagA, price 50) (TagC, price 80) (TagB, price 8) (TagA, price 99)
 *   cg-tag   "TagA || TagB"            CQ level: tagsCode ∈ {hash(TagA), hash(TagB)}     ──► 5 delivered
 *   cg-sql   SQL92 "price > 10 AND TAGS <> 'TagC'"   commit-log level: evaluate over properties   ──► 3 delivered
 * ```
 *
 * @article filtersrv "Tag and SQL92 filtering on the broker"
 * @category Sim
 * @module
 */
import { ConsumeConcurrentlyStatus } from '../../client/consumer/listener/message-listener.js';
import type { PullMessageProcessor } from '../../broker/processor/pull-message-processor.js';
import { decodeUtf8, encodeUtf8 } from '../../common/bytes.js';
import type { MessageExt } from '../../common/message/message-ext.js';
import { Message } from '../../common/message/message.js';
import type { Scenario } from '../scenario.js';

const MESSAGES: ReadonlyArray<readonly [string, number]> = [['TagA', 5], ['TagB', 20], ['TagA', 50], ['TagC', 80], ['TagB', 8], ['TagA', 99]];
const SQL = "price > 10 AND TAGS <> 'TagC'";

export const filterTagSql: Scenario = {
  name: 'filter-tag-sql',
  article: 'filtersrv',
  real: true,
  seed: 33,
  title: { en: 'Filtering on the broker: tags and SQL92', zh: 'Broker 端过滤：Tag 与 SQL92' },
  summary: {
    en: 'Six messages, two groups: one subscribes by tag and is filtered from the consume queue alone, the other by a SQL92 expression evaluated over each message\'s properties.',
    zh: '六条消息、两个消费组：一个按 Tag 订阅，仅凭 ConsumeQueue 就完成过滤；另一个按 SQL92 表达式订阅，对每条消息的属性求值。',
  },
  async run({ cluster, beat, find }) {
    await cluster.startNamesrv();
    const broker = await cluster.startBroker('broker-a', { brokerConfig: { enablePropertyFilter: true } });
    (broker.controller.processors.pull as PullMessageProcessor).emitFilterDecisions = true;
    await cluster.createTopic('TopicTest', 1);
    const producer = await cluster.producer('pg', 'producer-1');
    for (const [i, [tags, price]] of MESSAGES.entries()) {
      const msg = Message.create('TopicTest', encodeUtf8(`m${i}`), { tags });
      msg.putUserProperty('price', String(price));
      await cluster.settle(producer.send(msg));
    }
    beat('sent', {
      en: `producer-1 sent six messages with a tag and a user property "price": ${MESSAGES.map(([t, p], i) => `m${i}(${t}, ${p})`).join(' ')}.`,
      zh: `producer-1 发送了六条带 Tag 和用户属性 "price" 的消息：${MESSAGES.map(([t, p], i) => `m${i}(${t}, ${p})`).join(' ')}。`,
    });
    const received: Record<string, string[]> = { 'cg-tag': [], 'cg-sql': [] };
    const listener = (group: string) => ({
      consumeMessage: (msgs: readonly MessageExt[]) => (received[group]!.push(...msgs.map((m) => decodeUtf8(m.body))), ConsumeConcurrentlyStatus.CONSUME_SUCCESS),
    });
    const byTag = cluster.pushConsumer('consumer-tag', { consumerGroup: 'cg-tag', subscription: { TopicTest: 'TagA || TagB' }, messageListener: listener('cg-tag') });
    await cluster.settle(byTag.start());
    await cluster.until(() => received['cg-tag']!.length === 5, 10_000);
    const tagSummary = find('broker.filter.applied', 'broker-a').find((e) => e.data.group === 'cg-tag');
    beat('by-tag', {
      en: `cg-tag subscribed with "TagA || TagB"; its subscription carries the two tag hashes. broker-a compared each consume-queue unit's tags code with them (${tagSummary?.data.cqChecked ?? '?'} units checked, ${tagSummary?.data.cqMatched ?? '?'} matched) without reading a single record, and delivered ${received['cg-tag']!.join(', ')}.`,
      zh: `cg-tag 以 "TagA || TagB" 订阅，订阅信息中带有这两个 Tag 的哈希。broker-a 用它们逐个比对 ConsumeQueue 单元中的 tagsCode（检查 ${tagSummary?.data.cqChecked ?? '?'} 个，匹配 ${tagSummary?.data.cqMatched ?? '?'} 个），一条记录也没有读，投递了 ${received['cg-tag']!.join('、')}。`,
    });
    const bySql = cluster.pushConsumer('consumer-sql', { consumerGroup: 'cg-sql', messageListener: listener('cg-sql') });
    bySql.subscribe('TopicTest', { type: 'SQL92', expression: SQL });
    await cluster.settle(bySql.start());
    await cluster.until(() => received['cg-sql']!.length === 3, 10_000);
    const registered = find('broker.filter.registered', 'broker-a').find((e) => e.data.group === 'cg-sql');
    const decisions = find('broker.filter.evaluated', 'broker-a').filter((e) => e.data.group === 'cg-sql' && e.data.level === 'commit-log');
    beat('by-sql', {
      en: `cg-sql subscribed with SQL92 "${SQL}". Its heartbeat registered the compiled expression with broker-a (${registered?.data.change ?? '?'}). At pull time the broker read each record's properties and evaluated the expression: ${decisions.filter((d) => d.data.matched).length} matched, ${decisions.filter((d) => !d.data.matched).length} did not and never left the broker. Delivered: ${received['cg-sql']!.join(', ')}.`,
      zh: `cg-sql 以 SQL92 "${SQL}" 订阅。它的心跳把编译后的表达式注册到 broker-a（${registered?.data.change ?? '?'}）。拉取时 Broker 读出每条记录的属性并对表达式求值：${decisions.filter((d) => d.data.matched).length} 条匹配，${decisions.filter((d) => !d.data.matched).length} 条不匹配，从未离开 Broker。投递：${received['cg-sql']!.join('、')}。`,
    });
  },
};
