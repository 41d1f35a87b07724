/**
 * `npm start`: the main job with embedded defaults. A name server and a broker on
 * 127.0.0.1 sharing one local data directory, a narrated quickstart run against them, and
 * the visualizer and the annotated source served on 127.0.0.1.
 *
 * A new user should not have to learn three commands and a config file before seeing
 * anything work. This wires the same controllers the `namesrv` and `broker` commands use,
 * in one process, and then shows what they did:
 *
 * ```
 *   1. name server 127.0.0.1:9876, broker-a 127.0.0.1:10911 (VIP 10909, HA 10912), files under ./.data/
 *   2. quickstart (quick-start-walkthrough.ts): topic, 3 sends, a push consumer; every event of
 *      every node recorded ──► .data/runs/quickstart.events.jsonl; recording stops afterwards
 *   3. build the visualizer (vite) and, when missing, the typedoc site (in the background)
 *   4. serve both on 127.0.0.1:5173:  /?run=runs/quickstart.events.jsonl   /api/   (the build carries /fixtures/)
 *   Ctrl-C: web server, broker, name server, in that order; the next start recovers nothing
 * ```
 *
 * `--no-viz` skips steps 3 and 4 (the servers and the quickstart still run).
 *
 * Differences from RocketMQ 4.9.x:
 * - RocketMQ has no single "start everything" command; `mqnamesrv` and `mqbroker` are
 *   separate processes, and its quickstart producer and consumer are separate programs.
 *
 * @mirrors org.apache.rocketmq.namesrv.NamesrvStartup
 * @mirrors org.apache.rocketmq.broker.BrokerStartup
 * @article why-read "Running it"
 * @category Startup
 * @module
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrokerController } from '../../../broker/broker-controller.js';
import { NOOP_SINK, RecordingSink, type EventSink } from '../../../events/event-sink.js';
import type { EventFields, EventKind } from '../../../events/event-types.js';
import { encodeEventLog } from '../../../events/jsonl.js';
import { NamesrvController } from '../../../namesrv/namesrv-controller.js';
import { SeededRandom } from '../../random.js';
import { SystemClock } from '../../system-clock.js';
import { NodeFileSystem } from '../node-file-system.js';
import { TcpTransport } from '../tcp-transport.js';
import { onShutdownSignal } from './process-support.js';
import { runQuickStart } from './quick-start-walkthrough.js';
import { startStaticServer } from './static-server.js';

const USAGE = 'usage: npm start [-- [--data <dir>] [--web-port <port>] [--no-viz]]   (defaults: ./.data, port 5173)';
const NAMESRV_PORT = 9876;
const BROKER_PORT = 10911;
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

interface StartOptions { dataDir: string; webPort: number; viz: boolean }

function parseArgs(argv: readonly string[]): StartOptions | undefined {
  const options: StartOptions = { dataDir: resolve('.data'), webPort: 5173, viz: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--data' && value !== undefined && value !== '') options.dataDir = resolve(value);
    else if (arg === '--web-port' && value !== undefined && /^\d+$/.test(value) && Number(value) < 65536) options.webPort = Number(value);
    else if (arg === '--no-viz') {
      options.viz = false;
      continue;
    } else return undefined;
    i++;
  }
  return options;
}

/** Forwards events while recording is on; afterwards a long-running server keeps nothing. */
class SwitchableSink implements EventSink {
  constructor(public target: EventSink) {}
  wants(kind: EventKind): boolean {
    return this.target.wants(kind);
  }
  emit<K extends EventKind>(fields: EventFields<K>): number {
    return this.target.emit(fields);
  }
}

/** Build the visualizer into `outDir` with the repository's vite config. */
async function buildViz(outDir: string): Promise<void> {
  const vite = await import('vite');
  await vite.build({ configFile: join(ROOT, 'viz/vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
}

/** Build the typedoc site in a child process, unless it is there already; returns a way to stop it. */
function ensureDocs(onDone: (ok: boolean) => void): () => void {
  if (existsSync(join(ROOT, 'docs/api/index.html'))) {
    onDone(true);
    return () => undefined;
  }
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/typedoc/bin/typedoc')], { cwd: ROOT, stdio: 'ignore' });
  child.on('exit', (code, signal) => {
    if (signal === null) onDone(code === 0);
  });
  child.on('error', () => onDone(false));
  return () => child.kill('SIGTERM');
}

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const options = parseArgs(argv);
  if (options === undefined) {
    console.error(USAGE);
    process.exit(2);
  }
  const { dataDir } = options;
  const fs = new NodeFileSystem();
  fs.mkdirp(dataDir);
  const platform = () => ({ clock: new SystemClock(), random: new SeededRandom(Date.now() >>> 0), fs, transport: new TcpTransport() });
  const namesrvAddr = `127.0.0.1:${NAMESRV_PORT}`;
  const recording = new RecordingSink(new SystemClock());
  const sink = new SwitchableSink(recording);
  const namesrv = new NamesrvController({ platform: platform(), events: sink, node: 'namesrv', config: { kvConfigPath: `${dataDir}/namesrv/kvConfig.json` } });
  await namesrv.start(namesrvAddr);
  const broker = new BrokerController({
    platform: platform(),
    events: sink,
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
  console.log('Quickstart walkthrough (real TCP, real disk):');
  let runFile: string | undefined;
  try {
    const header = await runQuickStart({
      sink: recording, platform, namesrvAddr, brokerAddr: `127.0.0.1:${BROKER_PORT}`, say: (text) => console.log(`  - ${text}`),
    });
    mkdirSync(join(dataDir, 'runs'), { recursive: true });
    runFile = join(dataDir, 'runs', 'quickstart.events.jsonl');
    writeFileSync(runFile, encodeEventLog(header, recording.events));
    console.log(`  ${recording.events.length} events recorded in ${runFile}`);
  } catch (error) {
    console.log(`  the quickstart did not finish: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    sink.target = NOOP_SINK;
  }
  let web: Awaited<ReturnType<typeof startStaticServer>> | undefined;
  let stopDocs = (): void => undefined;
  if (options.viz) {
    const distDir = join(dataDir, 'viz-dist');
    await buildViz(distDir);
    web = await startStaticServer({ '/': distDir, '/runs/': join(dataDir, 'runs'), '/api/': join(ROOT, 'docs/api') }, options.webPort);
    const base = `http://127.0.0.1:${web.port}/`;
    console.log('');
    console.log(`visualizer   ${base}${runFile === undefined ? '' : '?run=runs/quickstart.events.jsonl'}`);
    console.log(`fixtures     ${base}  (every narrated scenario: npm run walkthrough -- --list)`);
    stopDocs = ensureDocs((ok) => console.log(ok ? `docs         ${base}api/` : 'docs         could not be built: run npm run docs to see why'));
  }
  console.log('');
  console.log('Try it from another terminal:');
  console.log(`  npx rocketmq-ts admin updateTopic -n ${namesrvAddr} -t TopicTest -c DefaultCluster`);
  console.log(`  npx rocketmq-ts admin clusterList -n ${namesrvAddr}`);
  console.log('Any RocketMQ 4.x client works against it (e.g. ali-ons with nameSrv: "127.0.0.1:9876").');
  console.log('Ctrl-C stops both servers cleanly.');
  onShutdownSignal(async () => {
    stopDocs();
    web?.server.close();
    await broker.shutdown();
    await namesrv.shutdown();
    console.log('stopped cleanly');
  });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
