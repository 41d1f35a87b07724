/**
 * The consumer and message commands of `rocketmq-ts admin`: consumerProgress,
 * queryMsgById, queryMsgByKey and resetOffsetByTime.
 *
 * A consumer group's brokers are found through its retry topic `%RETRY%<group>`, which
 * every broker the group consumes from creates at the group's first heartbeat. A message
 * is found either by its offset msgId, which names the broker and the physical offset
 * (one VIEW_MESSAGE_BY_ID), or by key, which every master of the topic looks up in its
 * index (QUERY_MESSAGE; the index may return hash collisions, so the keys are re-checked).
 *
 * ```
 *   msgId 7F00000100002A9F00000000000001F4
 *         └ip 127.0.0.1┘└port┘└── physical offset 500 ──┘  ──► VIEW_MESSAGE_BY_ID(offset 500) at 127.0.0.1:10911
 * ```
 *
 * Differences from RocketMQ 4.9.x:
 * - consumerProgress needs `-g` and prints the 4.4 columns (no `#Client IP`).
 * - queryMsgById prints the body as text instead of writing it to a file under /tmp.
 * - resetOffsetByTime takes `-s` as `now`, epoch milliseconds or `yyyy-MM-dd#HH:mm:ss:SSS`
 *   (local time), and never falls back to the pre-3.0.7 reset.
 *
 * @mirrors org.apache.rocketmq.tools.command.consumer.ConsumerProgressSubCommand
 * @mirrors org.apache.rocketmq.tools.command.message.QueryMsgByIdSubCommand
 * @mirrors org.apache.rocketmq.tools.command.message.QueryMsgByKeySubCommand
 * @mirrors org.apache.rocketmq.tools.command.offset.ResetOffsetByTimeCommand
 * @article pull-consume-2 "Consume progress"
 * @category Platform
 * @module
 */
import { computeTotalDiff, type ConsumeStats } from '../../../common/protocol/body/admin-bodies.js';
import { compareMessageQueue } from '../../../common/protocol/body/message-queue-keyed-map.js';
import { MessageConst } from '../../../common/message/message-const.js';
import type { MessageExt } from '../../../common/message/message-ext.js';
import { decodeMessageId } from '../../../common/message/message-id.js';
import { getRetryTopic } from '../../../common/mix-all.js';
import { requiredOption, UsageError } from './command-line.js';
import { masterAddrsOfRoute } from './mq-admin-client.js';
import { cols, humanTime, type AdminCommand } from './mq-admin-topic-commands.js';
import type { CliOutput } from './process-support.js';

/** Java's `-s` forms: `now`, milliseconds, or `yyyy-MM-dd#HH:mm:ss:SSS` in local time. */
export function parseResetTimestamp(text: string, now: number): number {
  if (text === 'now') return now;
  if (/^\d+$/.test(text)) return Number(text);
  const m = /^(\d{4})-(\d{2})-(\d{2})#(\d{2}):(\d{2}):(\d{2}):(\d{3})$/.exec(text);
  if (m === null) throw new UsageError(`-s: "${text}" is not now, milliseconds or yyyy-MM-dd#HH:mm:ss:SSS`);
  const [, y, mo, d, h, mi, s, ms] = m.map(Number) as [number, number, number, number, number, number, number, number];
  return new Date(y, mo - 1, d, h, mi, s, ms).getTime();
}

/** Print one message the way mqadmin's `printMsg` does. */
function printMessage(out: CliOutput, msg: MessageExt): void {
  const properties = Object.fromEntries(msg.properties);
  const line = (label: string, value: string | number) => out.log(`${label.padEnd(20)} ${value}`);
  line('OffsetID:', msg.msgId);
  line('Topic:', msg.topic);
  line('Tags:', `[${msg.tags ?? ''}]`);
  line('Keys:', `[${msg.keys ?? ''}]`);
  line('Queue ID:', msg.queueId);
  line('Queue Offset:', msg.queueOffset);
  line('CommitLog Offset:', msg.commitLogOffset);
  line('Reconsume Times:', msg.reconsumeTimes);
  line('Born Timestamp:', humanTime(msg.bornTimestamp));
  line('Store Timestamp:', humanTime(msg.storeTimestamp));
  line('Born Host:', msg.bornHost);
  line('Store Host:', msg.storeHost);
  line('System Flag:', msg.sysFlag);
  line('Properties:', JSON.stringify(properties));
  line('Message Body:', new TextDecoder().decode(msg.body));
}

const consumerProgress: AdminCommand = {
  usage: 'consumerProgress -n host:port -g group [-t topic]',
  description: "print a consumer group's broker and consumer offsets on every queue",
  values: { '-g': 'group', '-t': 'topic' },
  async run(client, args, out) {
    const group = requiredOption(args, 'group', '-g');
    const route = await client.getTopicRoute(getRetryTopic(group));
    const merged: ConsumeStats = { offsetTable: [], consumeTps: 0 };
    for (const { addr } of masterAddrsOfRoute(route)) {
      const stats = await client.getConsumeStats(addr, group, args.options.get('topic'));
      merged.offsetTable.push(...stats.offsetTable);
      merged.consumeTps += stats.consumeTps;
    }
    out.log(cols([['#Topic', -32], ['#Broker Name', -32], ['#QID', -4], ['#Broker Offset', -20], ['#Consumer Offset', -20], ['#Diff', -20], ['#LastTime', 0]]));
    for (const [mq, w] of merged.offsetTable.sort(([a], [b]) => compareMessageQueue(a, b))) {
      const last = w.lastTimestamp > 0 ? humanTime(w.lastTimestamp) : 'N/A';
      out.log(cols([[mq.topic, -32], [mq.brokerName, -32], [mq.queueId, -4], [w.brokerOffset, -20], [w.consumerOffset, -20], [w.brokerOffset - w.consumerOffset, -20], [last, 0]]));
    }
    out.log('');
    out.log(`Consume TPS: ${merged.consumeTps.toFixed(2)}`);
    out.log(`Diff Total: ${computeTotalDiff(merged)}`);
  },
};

const queryMsgById: AdminCommand = {
  usage: 'queryMsgById -n host:port -i msgId[,msgId...]',
  description: 'print a message found by its offset msgId',
  values: { '-i': 'id' },
  async run(client, args, out) {
    for (const msgId of requiredOption(args, 'id', '-i').split(',').map((s) => s.trim())) {
      const id = decodeMessageId(msgId);
      if (id === undefined) throw new UsageError(`-i: "${msgId}" is not an offset msgId (32 or 56 hex characters)`);
      const msg = await client.viewMessage(id.address, id.offset);
      if (msg === undefined) throw new UsageError(`no message record at ${msgId}`);
      printMessage(out, msg);
    }
  },
};

const queryMsgByKey: AdminCommand = {
  usage: 'queryMsgByKey -n host:port -t topic -k key',
  description: 'list the messages of a topic indexed under a key',
  values: { '-t': 'topic', '-k': 'key' },
  async run(client, args, out) {
    const topic = requiredOption(args, 'topic', '-t');
    const key = requiredOption(args, 'key', '-k');
    const found: MessageExt[] = [];
    for (const { addr } of masterAddrsOfRoute(await client.getTopicRoute(topic))) {
      const messages = await client.queryMessage(addr, topic, key, 64, 0, Number.MAX_SAFE_INTEGER);
      // The index answers by hash: keep only the messages that really carry the key.
      found.push(...messages.filter((m) => (m.keys ?? '').split(' ').includes(key) || m.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX) === key));
    }
    out.log(`${'#Message ID'.padEnd(50)} ${'#QID'.padStart(4)} ${'#Offset'.padStart(40)}`);
    for (const m of found) out.log(`${m.msgId.padEnd(50)} ${String(m.queueId).padStart(4)} ${String(m.queueOffset).padStart(40)}`);
  },
};

const resetOffsetByTime: AdminCommand = {
  usage: 'resetOffsetByTime -n host:port -g group -t topic -s (now|millis|yyyy-MM-dd#HH:mm:ss:SSS) [-f true|false]',
  description: "move a group's offsets on a topic back (or, with -f, anywhere) to a time",
  values: { '-g': 'group', '-t': 'topic', '-s': 'timestamp', '-f': 'force' },
  async run(client, args, out) {
    const group = requiredOption(args, 'group', '-g');
    const topic = requiredOption(args, 'topic', '-t');
    const text = requiredOption(args, 'timestamp', '-s');
    const timestamp = parseResetTimestamp(text, Date.now());
    const forceText = args.options.get('force') ?? 'true';
    if (forceText !== 'true' && forceText !== 'false') throw new UsageError(`-f: "${forceText}" is not true or false`);
    out.log(`rollback consumer offset by specified group[${group}], topic[${topic}], force[${forceText}], timestamp(string)[${text}], timestamp(long)[${timestamp}]`);
    out.log(cols([['#brokerName', -40], ['#queueId', -40], ['#offset', 0]]));
    for (const { addr } of masterAddrsOfRoute(await client.getTopicRoute(topic))) {
      const body = await client.resetOffset(addr, topic, group, timestamp, forceText === 'true');
      for (const [mq, offset] of body.offsetTable.sort(([a], [b]) => compareMessageQueue(a, b))) {
        out.log(cols([[mq.brokerName, -40], [mq.queueId, -40], [offset, 0]]));
      }
    }
  },
};

export const MESSAGE_COMMANDS: Readonly<Record<string, AdminCommand>> = { consumerProgress, queryMsgById, queryMsgByKey, resetOffsetByTime };
