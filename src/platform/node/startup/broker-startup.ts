/**
 * BrokerStartup: `rocketmq-ts broker`, a broker on real TCP ports with its store on the
 * real disk, configured by a RocketMQ `broker.conf`.
 *
 * ```
 *   rocketmq-ts broker [-n host:port[;host:port]] [-c broker.conf] [--store dir]
 *
 *   -n, --namesrv   the name servers (overrides namesrvAddr from the file)
 *   -c, --config    a broker.conf: BrokerConfig and MessageStoreConfig keys, e.g.
 *                     brokerClusterName=DefaultCluster   brokerName=broker-a   brokerId=0
 *                     listenPort=10911   brokerIP1=127.0.0.1   namesrvAddr=127.0.0.1:9876
 *                     flushDiskType=ASYNC_FLUSH   mapedFileSizeCommitLog=1073741824
 *                     brokerRole=ASYNC_MASTER|SYNC_MASTER|SLAVE   haMasterAddress=10.0.0.2:10912
 *   --store         storePathRootDir (default: ~/store)
 * ```
 *
 * A master and its slaves share a brokerName. A master is always brokerId 0 (whatever the
 * file says, as Java's `BrokerStartup` forces it); a slave must give its own id > 0, and
 * finds its master through the name server unless `haMasterAddress` names the master's
 * HA port (its listenPort + 1).
 *
 * The store recovers by itself: a clean stop (SIGINT/SIGTERM) flushes the commit log,
 * writes the checkpoint and deletes the `abort` file; after `kill -9` the abort file is
 * still there, and the next start recovers abnormally from the checkpoint, re-dispatching
 * what the consume queues missed.
 *
 * Differences from RocketMQ 4.9.x:
 * - Unknown keys are warned about, bad values stop the start with a usage error (exit 2).
 * - `brokerIP1` must be an IPv4 literal (it is written into every record and msgId).
 * - No `-p`/`-m` (print config) options; no `ROCKETMQ_HOME`.
 *
 * @mirrors org.apache.rocketmq.broker.BrokerStartup
 * @article store-init "Starting a broker"
 * @category Platform
 * @module
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BrokerController } from '../../../broker/broker-controller.js';
import { defaultBrokerConfig, getBrokerAddr, type BrokerConfig } from '../../../common/config/broker-config.js';
import { BrokerRole, defaultMessageStoreConfig, FlushDiskType, type MessageStoreConfig } from '../../../common/config/message-store-config.js';
import { parseIPv4 } from '../../../common/message/host-address.js';
import { MASTER_ID } from '../../../common/mix-all.js';
import { NOOP_SINK } from '../../../events/event-sink.js';
import { SeededRandom } from '../../random.js';
import { SystemClock } from '../../system-clock.js';
import { installNativeCrc32 } from '../native-crc32.js';
import { NodeFileSystem } from '../node-file-system.js';
import { TcpTransport } from '../tcp-transport.js';
import { applyProperties, noPositionals, kindsOf, parseArgs, parseProperties, UsageError, type OptionSpec } from './command-line.js';
import { readConfigFile } from './namesrv-startup.js';
import { onShutdownSignal, type CliOutput } from './process-support.js';

export const BROKER_USAGE = 'usage: rocketmq-ts broker [-n host:port[;host:port]] [-c broker.conf] [--store dir]';

const SPEC: OptionSpec = {
  values: { '-n': 'namesrv', '--namesrv': 'namesrv', '-c': 'config', '--config': 'config', '--store': 'store' },
};

/** Java 4.4 spelled "mapped" with one p in these keys; both spellings are accepted. */
const KEY_ALIASES: Readonly<Record<string, string>> = {
  mapedFileSizeCommitLog: 'mappedFileSizeCommitLog',
  mapedFileSizeConsumeQueue: 'mappedFileSizeConsumeQueue',
};

export interface BrokerStartupConfig {
  brokerConfig: BrokerConfig;
  storeConfig: MessageStoreConfig;
  help: boolean;
}

/** The configs the command line and broker.conf ask for (exported for tests); throws UsageError. */
export function brokerConfigFromArgs(argv: readonly string[], out: CliOutput): BrokerStartupConfig {
  const args = parseArgs(argv, SPEC);
  noPositionals(args);
  const broker: Record<string, string | number | boolean> = {};
  const store: Record<string, string | number | boolean> = { storePathRootDir: join(homedir(), 'store') };
  const file = args.options.get('config');
  if (file !== undefined) {
    const storeKinds = kindsOf(defaultMessageStoreConfig(), {
      flushDiskType: Object.values(FlushDiskType),
      brokerRole: Object.values(BrokerRole),
    });
    const targets = [{ kinds: kindsOf(defaultBrokerConfig()), overrides: broker }, { kinds: storeKinds, overrides: store }];
    for (const warning of applyProperties(parseProperties(readConfigFile(file)), targets, KEY_ALIASES)) out.err(`warning: ${file}: ${warning}`);
  }
  const namesrv = args.options.get('namesrv');
  if (namesrv !== undefined) broker['namesrvAddr'] = namesrv;
  const storeDir = args.options.get('store');
  if (storeDir !== undefined) store['storePathRootDir'] = storeDir;

  const brokerConfig = defaultBrokerConfig(broker as Partial<BrokerConfig>);
  const storeConfig: MessageStoreConfig = { ...defaultMessageStoreConfig(), ...(store as Partial<MessageStoreConfig>) };
  if (parseIPv4(brokerConfig.brokerIP1) === undefined) throw new UsageError(`brokerIP1: "${brokerConfig.brokerIP1}" is not an IPv4 address`);
  if (brokerConfig.listenPort < 3 || brokerConfig.listenPort > 65534) throw new UsageError(`listenPort: ${brokerConfig.listenPort} is not between 3 and 65534 (the VIP port is listenPort - 2, HA listenPort + 1)`);
  // Java BrokerStartup: a master is broker 0 whatever the file says; a slave must name its own id.
  if (storeConfig.brokerRole !== BrokerRole.SLAVE) brokerConfig.brokerId = MASTER_ID;
  else if (brokerConfig.brokerId <= MASTER_ID) throw new UsageError(`brokerId: a SLAVE needs a brokerId > 0, got ${brokerConfig.brokerId}`);
  return { brokerConfig, storeConfig, help: args.options.has('help') };
}

/** Start a broker; resolves once it listens and has registered. SIGINT/SIGTERM stop it cleanly. */
export async function runBroker(argv: readonly string[], out: CliOutput): Promise<BrokerController | undefined> {
  const { brokerConfig, storeConfig, help } = brokerConfigFromArgs(argv, out);
  if (help) {
    out.log(BROKER_USAGE);
    return undefined;
  }
  if (brokerConfig.namesrvAddr === undefined) out.err('warning: no name server given (-n or namesrvAddr): the broker will not register anywhere');
  const fs = new NodeFileSystem();
  fs.mkdirp(storeConfig.storePathRootDir);
  installNativeCrc32(); // every stored message needs a body CRC
  const controller = new BrokerController({
    platform: { clock: new SystemClock(), random: new SeededRandom(Date.now() >>> 0), fs, transport: new TcpTransport() },
    events: NOOP_SINK,
    node: brokerConfig.brokerName,
    brokerConfig,
    storeConfig,
  });
  await controller.start();
  const name = `The broker[${brokerConfig.brokerName}, ${getBrokerAddr(brokerConfig)}]`;
  out.log(`${name} boot success. serializeType=JSON and name server is ${brokerConfig.namesrvAddr ?? '(none)'}`);
  onShutdownSignal(async (signal) => {
    await controller.shutdown();
    out.log(`${name} shutdown OK (${signal})`);
  });
  return controller;
}
