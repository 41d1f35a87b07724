/**
 * The `rocketmq-ts` command: one entry point for the name server, the broker and the
 * admin tool, as RocketMQ ships `mqnamesrv`, `mqbroker` and `mqadmin`.
 *
 * ```
 *   rocketmq-ts namesrv [-p port] [-c namesrv.properties] [--home dir]
 *   rocketmq-ts broker  [-n host:port] [-c broker.conf] [--store dir]
 *   rocketmq-ts admin   <command> -n host:port [options]
 *   rocketmq-ts --help
 *
 *   exit status   0  done (servers: stopped cleanly by SIGINT/SIGTERM)
 *                 1  the program failed (port taken, store unreadable, request refused)
 *                 2  bad command line or config value (a usage line goes to stderr)
 * ```
 *
 * Run it with `npx rocketmq-ts ...` (the `rocketmq-ts.mjs` launcher next to this file
 * loads TypeScript through tsx) or `npm run namesrv|broker|admin -- ...`.
 *
 * Differences from RocketMQ 4.9.x: one command instead of three shell scripts; no JVM
 * options, no `ROCKETMQ_HOME`.
 *
 * @mirrors org.apache.rocketmq.namesrv.NamesrvStartup
 * @mirrors org.apache.rocketmq.broker.BrokerStartup
 * @mirrors org.apache.rocketmq.tools.command.MQAdminStartup
 * @article why-read "Running it"
 * @category Platform
 * @module
 */
import { pathToFileURL } from 'node:url';
import { BROKER_USAGE, runBroker } from './broker-startup.js';
import { UsageError } from './command-line.js';
import { runAdmin } from './mq-admin-startup.js';
import { NAMESRV_USAGE, runNamesrv } from './namesrv-startup.js';
import { consoleOutput, type CliOutput } from './process-support.js';

export const USAGE = 'usage: rocketmq-ts <namesrv|broker|admin> [options]   (rocketmq-ts <command> --help for details)';

const HELP = [USAGE, '', `  ${NAMESRV_USAGE.slice('usage: '.length)}`, `  ${BROKER_USAGE.slice('usage: '.length)}`, '  rocketmq-ts admin <command> -n host:port [options]'];

/**
 * Run the command in `argv` (arguments after the program name). Resolves to the exit
 * status, or to `'running'` when a server was started and keeps the process alive.
 */
export async function main(argv: readonly string[], out: CliOutput = consoleOutput, env: Readonly<Record<string, string | undefined>> = process.env): Promise<number | 'running'> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'namesrv':
        return (await runNamesrv(rest, out)) === undefined ? 0 : 'running';
      case 'broker':
        return (await runBroker(rest, out)) === undefined ? 0 : 'running';
      case 'admin':
        await runAdmin(rest, out, env);
        return 0;
      case '-h':
      case '--help':
        for (const line of HELP) out.log(line);
        return 0;
      default:
        throw new UsageError(command === undefined ? 'no command given' : `unknown command "${command}"`, USAGE);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      out.err(`rocketmq-ts: ${error.message}`);
      out.err(error.usage ?? (command === 'namesrv' ? NAMESRV_USAGE : command === 'broker' ? BROKER_USAGE : USAGE));
      return 2;
    }
    out.err(`rocketmq-ts ${command ?? ''}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

// Run when executed directly (tsx cli.ts ..., or the .mjs launcher), not when imported by a test.
const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  void main(process.argv.slice(2)).then((status) => {
    if (status !== 'running') process.exit(status);
  });
}
