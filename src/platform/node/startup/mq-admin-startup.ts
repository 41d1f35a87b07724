/**
 * MQAdminStartup: `rocketmq-ts admin <command> -n host:port ...`, the operator's tool.
 *
 * Every command connects to the name server given by `-n` (or the `NAMESRV_ADDR`
 * environment variable, as mqadmin reads it), asks it where the brokers are, talks to them,
 * prints mqadmin's tables, and exits. A bad command line exits with 2 and a usage line; a
 * request the cluster refuses exits with 1 and Java's `CODE: n DESC: ...` text.
 *
 * ```
 *   rocketmq-ts admin updateTopic       -n ns -t T (-c cluster | -b broker) [-r 8] [-w 8] [-p 6]
 *   rocketmq-ts admin deleteTopic       -n ns -t T -c cluster
 *   rocketmq-ts admin topicList         -n ns
 *   rocketmq-ts admin topicRoute        -n ns -t T
 *   rocketmq-ts admin topicStatus       -n ns -t T
 *   rocketmq-ts admin clusterList       -n ns
 *   rocketmq-ts admin consumerProgress  -n ns -g group [-t T]
 *   rocketmq-ts admin queryMsgById      -n ns -i msgId
 *   rocketmq-ts admin queryMsgByKey     -n ns -t T -k key
 *   rocketmq-ts admin resetOffsetByTime -n ns -g group -t T -s now [-f true]
 * ```
 *
 * Differences from RocketMQ 4.9.x: ten of mqadmin's fifty-odd sub-commands.
 *
 * @mirrors org.apache.rocketmq.tools.command.MQAdminStartup
 * @article namesrv "Answering brokers and clients"
 * @category Platform
 * @module
 */
import { noPositionals, parseArgs, UsageError } from './command-line.js';
import { MQAdminClient } from './mq-admin-client.js';
import { MESSAGE_COMMANDS } from './mq-admin-message-commands.js';
import { TOPIC_COMMANDS, type AdminCommand } from './mq-admin-topic-commands.js';
import type { CliOutput } from './process-support.js';

export const ADMIN_USAGE = 'usage: rocketmq-ts admin <command> -n host:port [options]   (rocketmq-ts admin --help lists the commands)';

const COMMANDS: Readonly<Record<string, AdminCommand>> = { ...TOPIC_COMMANDS, ...MESSAGE_COMMANDS };

/** The list `rocketmq-ts admin --help` prints. */
export function adminHelp(): string[] {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  return [ADMIN_USAGE, '', 'commands:', ...names.map((name) => `  ${name.padEnd(width)}  ${COMMANDS[name]!.description}`)];
}

/**
 * Run one admin command. Throws UsageError for a bad command line (the caller exits 2) and
 * MQAdminError or a remoting error when the cluster refuses or cannot be reached (exit 1).
 */
export async function runAdmin(argv: readonly string[], out: CliOutput, env: Readonly<Record<string, string | undefined>> = {}): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help') {
    if (name === undefined) throw new UsageError('no admin command given', ADMIN_USAGE);
    for (const line of adminHelp()) out.log(line);
    return;
  }
  const command = COMMANDS[name];
  if (command === undefined) throw new UsageError(`unknown admin command "${name}"`, ADMIN_USAGE);
  const usage = `usage: rocketmq-ts admin ${command.usage}`;
  try {
    const args = parseArgs(rest, { values: { '-n': 'namesrv', '--namesrv': 'namesrv', ...command.values } });
    if (args.options.has('help')) {
      out.log(usage);
      return;
    }
    noPositionals(args);
    const namesrv = args.options.get('namesrv') ?? env['NAMESRV_ADDR'];
    if (namesrv === undefined || namesrv.length === 0) throw new UsageError('-n host:port is required (or set NAMESRV_ADDR)');
    const client = new MQAdminClient(namesrv);
    try {
      await command.run(client, args, out);
    } finally {
      client.shutdown();
    }
  } catch (error) {
    if (error instanceof UsageError) error.usage ??= usage;
    throw error;
  }
}
