/**
 * The topic and cluster commands of `rocketmq-ts admin`: updateTopic, deleteTopic,
 * topicList, topicRoute, topicStatus and clusterList, printing what Java's mqadmin prints.
 *
 * Creating a topic is a broker matter: `updateTopic -c DefaultCluster` asks the name server
 * which masters form the cluster and sends UPDATE_AND_CREATE_TOPIC to each; every broker
 * then registers the new topic, and only then does the route exist. Deleting goes to the
 * brokers first, then to the name server, which otherwise would keep the route until every
 * broker of the topic went away.
 *
 * ```
 *   $ rocketmq-ts admin updateTopic -n 127.0.0.1:9876 -c DefaultCluster -t TopicA -r 4 -w 4
 *   create topic to 127.0.0.1:10911 success.
 *   TopicConfig [topicName=TopicA, readQueueNums=4, writeQueueNums=4, perm=RW-, topicFilterType=SINGLE_TAG, topicSysFlag=0, order=false]
 * ```
 *
 * Differences from RocketMQ 4.9.x: no `-o` (order), `-u` (unit) or `-s` (has unit sub)
 * options on updateTopic; topicRoute prints the route as standard JSON (quoted keys).
 *
 * @mirrors org.apache.rocketmq.tools.command.topic.UpdateTopicSubCommand
 * @mirrors org.apache.rocketmq.tools.command.topic.DeleteTopicSubCommand
 * @mirrors org.apache.rocketmq.tools.command.topic.TopicListSubCommand
 * @mirrors org.apache.rocketmq.tools.command.topic.TopicRouteSubCommand
 * @mirrors org.apache.rocketmq.tools.command.topic.TopicStatusSubCommand
 * @mirrors org.apache.rocketmq.tools.command.cluster.ClusterListSubCommand
 * @article topic "Creating a topic"
 * @category Platform
 * @module
 */
import { parseFastjson } from '../../../common/json/fastjson.js';
import { TopicConfig } from '../../../common/topic/topic-config.js';
import { validateTopic } from '../../../common/topic/topic-validator.js';
import { intOption, requiredOption, UsageError, type ParsedArgs } from './command-line.js';
import { masterAddrsOfRoute, type MQAdminClient } from './mq-admin-client.js';
import type { CliOutput } from './process-support.js';

/** One admin command: its options, a usage line, and what it does. */
export interface AdminCommand {
  readonly usage: string;
  readonly description: string;
  /** Option spellings that take a value, to their names (`-n` is added for every command). */
  readonly values: Readonly<Record<string, string>>;
  run(client: MQAdminClient, args: ParsedArgs, out: CliOutput): Promise<void>;
}

/** Pad like Java's `%-Ns` (negative width: left-aligned) and `%Ns`. */
export function cols(cells: ReadonlyArray<readonly [string | number, number]>, separator = '  '): string {
  return cells.map(([value, width]) => (width < 0 ? String(value).padEnd(-width) : String(value).padStart(width))).join(separator).trimEnd();
}

/** Java `UtilAll.formatDate(date, "yyyy-MM-dd HH:mm:ss,SSS")` in local time. */
export function humanTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())},${p(d.getMilliseconds(), 3)}`;
}

function topicOption(args: ParsedArgs): string {
  const topic = requiredOption(args, 'topic', '-t');
  const validation = validateTopic(topic);
  if (!validation.valid) throw new UsageError(validation.remark);
  return topic;
}

const updateTopic: AdminCommand = {
  usage: 'updateTopic -n host:port -t topic (-c cluster | -b brokerAddr) [-r readQueueNums] [-w writeQueueNums] [-p perm]',
  description: 'create or update a topic on a broker or on every master of a cluster',
  values: { '-t': 'topic', '-c': 'cluster', '-b': 'broker', '-r': 'read', '-w': 'write', '-p': 'perm' },
  async run(client, args, out) {
    const topic = topicOption(args);
    const config = new TopicConfig(topic, intOption(args, 'read', 8, 0, 65535), intOption(args, 'write', 8, 0, 65535), intOption(args, 'perm', 6, 0, 15));
    const broker = args.options.get('broker');
    const cluster = args.options.get('cluster');
    if ((broker === undefined) === (cluster === undefined)) throw new UsageError('give exactly one of -b brokerAddr and -c cluster');
    const addrs = broker !== undefined ? [broker] : await client.masterAddrsOfCluster(cluster!);
    for (const addr of addrs) {
      await client.createTopic(addr, config);
      out.log(`create topic to ${addr} success.`);
    }
    out.log(config.toString());
  },
};

const deleteTopic: AdminCommand = {
  usage: 'deleteTopic -n host:port -t topic -c cluster',
  description: 'delete a topic from every master of a cluster and from the name server',
  values: { '-t': 'topic', '-c': 'cluster' },
  async run(client, args, out) {
    const topic = topicOption(args);
    const cluster = requiredOption(args, 'cluster', '-c');
    for (const addr of await client.masterAddrsOfCluster(cluster)) await client.deleteTopicInBroker(addr, topic);
    out.log(`delete topic [${topic}] from cluster [${cluster}] success.`);
    await client.deleteTopicInNamesrv(topic);
    out.log(`delete topic [${topic}] from NameServer success.`);
  },
};

const topicList: AdminCommand = {
  usage: 'topicList -n host:port',
  description: 'list every topic the name server knows',
  values: {},
  async run(client, _args, out) {
    for (const topic of await client.getTopicList()) out.log(topic);
  },
};

const topicRoute: AdminCommand = {
  usage: 'topicRoute -n host:port -t topic',
  description: "print a topic's route as the name server sends it",
  values: { '-t': 'topic' },
  async run(client, args, out) {
    const text = new TextDecoder().decode(await client.getTopicRouteBody(topicOption(args)));
    out.log(JSON.stringify(parseFastjson(text, 'TopicRouteData'), null, 2));
  },
};

const topicStatus: AdminCommand = {
  usage: 'topicStatus -n host:port -t topic',
  description: "print min/max offset and last update time of every queue of a topic",
  values: { '-t': 'topic' },
  async run(client, args, out) {
    const topic = topicOption(args);
    const route = await client.getTopicRoute(topic);
    out.log(cols([['#Broker Name', -32], ['#QID', -4], ['#Min Offset', -20], ['#Max Offset', -20], ['#Last Updated', 0]]));
    for (const { brokerName, addr } of masterAddrsOfRoute(route)) {
      const stats = await client.getTopicStats(addr, topic);
      for (const [mq, offset] of [...stats.offsetTable].sort(([a], [b]) => a.queueId - b.queueId)) {
        const last = offset.lastUpdateTimestamp > 0 ? humanTime(offset.lastUpdateTimestamp) : '';
        out.log(cols([[brokerName, -32], [mq.queueId, -4], [offset.minOffset, -20], [offset.maxOffset, -20], [last, 0]]));
      }
    }
  },
};

const clusterList: AdminCommand = {
  usage: 'clusterList -n host:port',
  description: 'print every broker of every cluster with its version and load',
  values: {},
  async run(client, _args, out) {
    const info = await client.getClusterInfo();
    const header: Array<[string, number]> = [['#Cluster Name', -16], ['#Broker Name', -22], ['#BID', -4], ['#Addr', -22], ['#Version', -16], ['#InTPS(LOAD)', 19], ['#OutTPS(LOAD)', 19], ['#PCWait(ms)', 10], ['#Hour', 5], ['#SPACE', 6]];
    out.log(cols(header));
    for (const cluster of [...info.clusterAddrTable.keys()].sort()) {
      for (const brokerName of [...(info.clusterAddrTable.get(cluster) ?? [])].sort()) {
        const data = info.brokerAddrTable.get(brokerName);
        for (const [id, addr] of [...(data?.brokerAddrs ?? [])].sort(([a], [b]) => a - b)) {
          const table = await client.getBrokerRuntimeInfo(addr).catch(() => new Map<string, string>());
          const tps = (key: string) => `${Number((table.get(key) ?? '0').split(' ')[0]).toFixed(2).padStart(9)}(0,0ms)`;
          const earliest = Number(table.get('earliestMessageTimeStamp') ?? '-1');
          const hour = earliest > 0 ? (Date.now() - earliest) / 3_600_000 : 0;
          const space = Number(table.get('commitLogDiskRatio') ?? '0');
          out.log(cols([[cluster, -16], [brokerName, -22], [id, -4], [addr, -22], [table.get('brokerVersionDesc') ?? '', -16],
            [tps('putTps'), 19], [tps('getTransferedTps'), 19], [table.get('pageCacheLockTimeMills') ?? '', 10], [hour.toFixed(2), 5], [space.toFixed(4), 6]]));
        }
      }
    }
  },
};

export const TOPIC_COMMANDS: Readonly<Record<string, AdminCommand>> = { updateTopic, deleteTopic, topicList, topicRoute, topicStatus, clusterList };
