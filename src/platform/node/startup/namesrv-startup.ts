/**
 * NamesrvStartup: `rocketmq-ts namesrv`, a name server on a real TCP port with its
 * key-value store on the real disk.
 *
 * ```
 *   rocketmq-ts namesrv [-p port] [-c namesrv.properties] [--home dir]
 *
 *   -p, --port      the port to listen on (default 9876, or listenPort from the file)
 *   -c, --config    a properties file: listenPort, kvConfigPath, orderMessageEnable, ...
 *   --home          where namesrv/kvConfig.json lives (default: the user's home)
 * ```
 *
 * It wires the real adapters (TcpTransport, NodeFileSystem, SystemClock) into a
 * NamesrvController, prints Java's boot line, and on SIGINT or SIGTERM closes every
 * connection and exits 0.
 *
 * Differences from RocketMQ 4.9.x:
 * - `-p` is the port (Java's `-p` prints the config and exits; the port comes from `-c`).
 * - `--home` replaces `ROCKETMQ_HOME`/`user.home`.
 *
 * @mirrors org.apache.rocketmq.namesrv.NamesrvStartup
 * @article namesrv "Starting a name server"
 * @category Platform
 * @module
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { NOOP_SINK } from '../../../events/event-sink.js';
import { NamesrvController } from '../../../namesrv/namesrv-controller.js';
import { namesrvConfig, type NamesrvConfig } from '../../../namesrv/namesrv-config.js';
import { SeededRandom } from '../../random.js';
import { SystemClock } from '../../system-clock.js';
import { NodeFileSystem } from '../node-file-system.js';
import { TcpTransport } from '../tcp-transport.js';
import { applyProperties, noPositionals, intOption, kindsOf, parseArgs, parseProperties, UsageError, type OptionSpec } from './command-line.js';
import { onShutdownSignal, type CliOutput } from './process-support.js';

export const NAMESRV_USAGE = 'usage: rocketmq-ts namesrv [-p port] [-c namesrv.properties] [--home dir]';

const SPEC: OptionSpec = { values: { '-p': 'port', '--port': 'port', '-c': 'config', '--config': 'config', '--home': 'home' } };

/** The config the command line asks for (exported for tests); throws UsageError. */
export function namesrvConfigFromArgs(argv: readonly string[], out: CliOutput): { config: NamesrvConfig; help: boolean } {
  const args = parseArgs(argv, SPEC);
  noPositionals(args);
  const home = args.options.get('home') ?? homedir();
  const overrides: Record<string, string | number | boolean> = { kvConfigPath: join(home, 'namesrv', 'kvConfig.json') };
  const file = args.options.get('config');
  if (file !== undefined) {
    const text = readConfigFile(file);
    const warnings = applyProperties(parseProperties(text), [{ kinds: kindsOf(namesrvConfig()), overrides }]);
    for (const warning of warnings) out.err(`warning: ${file}: ${warning}`);
  }
  const port = intOption(args, 'port', typeof overrides['listenPort'] === 'number' ? overrides['listenPort'] : 9876, 0, 65535);
  const config = namesrvConfig({ ...(overrides as Partial<NamesrvConfig>), listenPort: port });
  return { config, help: args.options.has('help') };
}

/** A config file's text, or a UsageError naming it. */
export function readConfigFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Start a name server; resolves once it listens. SIGINT/SIGTERM shut it down and exit 0. */
export async function runNamesrv(argv: readonly string[], out: CliOutput): Promise<NamesrvController | undefined> {
  const { config, help } = namesrvConfigFromArgs(argv, out);
  if (help) {
    out.log(NAMESRV_USAGE);
    return undefined;
  }
  const controller = new NamesrvController({
    platform: { clock: new SystemClock(), random: new SeededRandom(Date.now() >>> 0), fs: new NodeFileSystem(), transport: new TcpTransport() },
    events: NOOP_SINK,
    node: 'namesrv',
    config,
  });
  const address = await controller.start(`0.0.0.0:${config.listenPort}`);
  out.log(`The Name Server boot success. serializeType=JSON, listening on ${address}`);
  onShutdownSignal(async (signal) => {
    await controller.shutdown();
    out.log(`The Name Server shutdown OK (${signal})`);
  });
  return controller;
}
