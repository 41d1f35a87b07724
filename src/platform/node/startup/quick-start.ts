/**
 * `npm start`: the main job with embedded defaults — a name server and a broker on
 * 127.0.0.1, sharing one local data directory, ready for real clients.
 *
 * A new user should not have to learn three commands and a config file before seeing
 * anything work. This wires the same controllers the `namesrv` and `broker` commands use,
 * in one process: the name server on 127.0.0.1:9876, broker `broker-a` on 127.0.0.1:10911
 * (VIP port 10909), all files under `./.data/` (or `--data <dir>`). Ctrl-C shuts both down
 * cleanly (broker first, as an operator would), so the next start recovers nothing.
 *
 * Differences from RocketMQ 4.9.x:
 * - RocketMQ has no single "start everything" command; `mqnamesrv` and `mqbroker` are
 *   separate processes. The walkthrough, visualizer and docs server that `npm start` will
 *   also launch are built by later issues (8, 9 and 13).
 *
 * @mirrors org.apache.rocketmq.namesrv.NamesrvStartup
 * @mirrors org.apache.rocketmq.broker.BrokerStartup
 * @article why-read "Running it"
 * @category Startup
 * @module
 */
import { resolve } from 'node:path';
import { BrokerController } from '../../../broker/broker-controller.js';
import { NOOP_SINK } from '../../../events/event-sink.js';
import { NamesrvController } from '../../../namesrv/namesrv-controller.js';
import { SeededRandom } from '../../random.js';
import { SystemClock } from '../../system-clock.js';
import { NodeFileSystem } from '../node-file-system.js';
import { TcpTransport } from '../tcp-transport.js';
import { onShutdownSignal } from './process-support.js';

const USAGE = 'usage: npm start [-- --data <dir>]   (default data directory: ./.data)';
const NAMESRV_PORT = 9876;
const BROKER_PORT = 10911;

function dataDirFromArgs(argv: readonly string[]): string | undefined {
  if (argv.length === 0) return resolve('.data');
  if (argv.length === 2 && argv[0] === '--data' && argv[1] !== undefined && argv[1] !== '') return resolve(argv[1]);
  return undefined;
}

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const dataDir = dataDirFromArgs(argv);
  if (dataDir === undefined) {
    console.error(USAGE);
    process.exit(2);
  }
  const fs = new NodeFileSystem();
  fs.mkdirp(dataDir);
  const platform = () => ({ clock: new SystemClock(), random: new SeededRandom(Date.now() >>> 0), fs, transport: new TcpTransport() });
  const namesrvAddr = `127.0.0.1:${NAMESRV_PORT}`;
  const namesrv = new NamesrvController({ platform: platform(), events: NOOP_SINK, node: 'namesrv', config: { kvConfigPath: `${dataDir}/namesrv/kvConfig.json` } });
  await namesrv.start(namesrvAddr);
  const broker = new BrokerController({
    platform: platform(),
    events: NOOP_SINK,
    node: 'broker-a',
    brokerConfig: { brokerName: 'broker-a', brokerIP1: '127.0.0.1', listenPort: BROKER_PORT, namesrvAddr },
    storeConfig: { storePathRootDir: `${dataDir}/broker-a` },
  });
  try {
    await broker.start();
  } catch (error) {
    await namesrv.shutdown();
    throw error;
  }
  console.log(`name server  ${namesrvAddr}`);
  console.log(`broker       broker-a at 127.0.0.1:${BROKER_PORT} (VIP 127.0.0.1:${BROKER_PORT - 2}), data in ${dataDir}`);
  console.log('');
  console.log('Try it from another terminal:');
  console.log(`  npx rocketmq-ts admin updateTopic -n ${namesrvAddr} -t TopicTest -c DefaultCluster`);
  console.log(`  npx rocketmq-ts admin clusterList -n ${namesrvAddr}`);
  console.log('Any RocketMQ 4.x client works against it (e.g. ali-ons with nameSrv: "127.0.0.1:9876").');
  console.log('The walkthroughs, the visualizer and the docs server join `npm start` in later issues; `npm run docs` builds the annotated source now.');
  console.log('Ctrl-C stops both servers cleanly.');
  onShutdownSignal(async () => {
    await broker.shutdown();
    await namesrv.shutdown();
    console.log('stopped cleanly');
  });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
