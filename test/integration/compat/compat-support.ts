// A real cluster in this process for the client-compatibility tests: a NamesrvController and
// a BrokerController on TcpTransport + NodeFileSystem (a temp dir) + SystemClock, on free
// ports, plus an admin RemotingClient that creates topics the way `mqadmin updateTopic` does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientOptions } from 'ali-ons';
import { BrokerController } from '../../../src/broker/broker-controller.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { ResponseCode } from '../../../src/common/protocol/response-code.js';
import { NOOP_SINK } from '../../../src/events/event-sink.js';
import { NamesrvController } from '../../../src/namesrv/namesrv-controller.js';
import { NodeFileSystem } from '../../../src/platform/node/node-file-system.js';
import { TcpTransport } from '../../../src/platform/node/tcp-transport.js';
import { SeededRandom } from '../../../src/platform/random.js';
import { SystemClock } from '../../../src/platform/system-clock.js';
import type { RemotingClient } from '../../../src/remoting/remoting-client.js';
import { createRequestCommand, type ExtFieldValue, type RemotingCommand } from '../../../src/remoting/remoting-command.js';
import { freeBrokerPort, freePort, rawClient, waitFor } from '../cli/cli-support.js';

export interface Cluster {
  readonly dir: string;
  readonly namesrv: NamesrvController;
  readonly broker: BrokerController;
  readonly namesrvAddr: string;
  readonly brokerAddr: string;
  readonly admin: RemotingClient;
  /** What ali-ons logged as warnings and errors (for failure messages). */
  readonly clientLog: string[];
  /** Options every ali-ons client gets: the name server, `httpclient: {}`, a quiet logger, fast timers. */
  clientOptions(instanceName: string): ClientOptions;
  /** UPDATE_AND_CREATE_TOPIC on the broker, then wait until the name server routes it. */
  createTopic(topic: string, queueNums: number): Promise<void>;
  call(address: string, code: number, fields: Record<string, ExtFieldValue>): Promise<RemotingCommand>;
  close(): Promise<void>;
}

export async function startCluster(): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'rmq-compat-'));
  const platform = () => ({ clock: new SystemClock({ unref: true }), random: new SeededRandom(7), fs: new NodeFileSystem(), transport: new TcpTransport() });
  const namesrvPort = await freePort();
  const namesrv = new NamesrvController({ platform: platform(), events: NOOP_SINK, node: 'namesrv', config: { kvConfigPath: join(dir, 'namesrv', 'kvConfig.json') } });
  const namesrvAddr = `127.0.0.1:${namesrvPort}`;
  await namesrv.start(`0.0.0.0:${namesrvPort}`);
  // Chosen only once the name server holds its port, so the broker's three ports cannot collide with it.
  const brokerPort = await freeBrokerPort();
  const broker = new BrokerController({
    platform: platform(),
    events: NOOP_SINK,
    node: 'broker-a',
    brokerConfig: { brokerName: 'broker-a', brokerIP1: '127.0.0.1', listenPort: brokerPort, namesrvAddr },
    storeConfig: { storePathRootDir: join(dir, 'store'), mappedFileSizeCommitLog: 8 * 1024 * 1024, mappedFileSizeConsumeQueue: 3000 * 20 },
  });
  await broker.start();
  const brokerAddr = `127.0.0.1:${brokerPort}`;
  const { client: admin, close: closeAdmin } = rawClient();
  const clientLog: string[] = [];
  const log = (level: string) => (...args: unknown[]) => void clientLog.push(`${level}: ${args.map(String).join(' ')}`);

  const call = (address: string, code: number, fields: Record<string, ExtFieldValue>) => admin.invokeSync(address, createRequestCommand(code, fields), 5000);
  const createTopic = async (topic: string, queueNums: number) => {
    const r = await call(brokerAddr, RequestCode.UPDATE_AND_CREATE_TOPIC, {
      topic, defaultTopic: 'TBW102', readQueueNums: queueNums, writeQueueNums: queueNums, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false,
    });
    if (r.code !== ResponseCode.SUCCESS) throw new Error(`UPDATE_AND_CREATE_TOPIC ${topic}: ${r.code} ${r.remark}`);
    await waitFor(async () => (await call(namesrvAddr, RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic })).code === ResponseCode.SUCCESS, `the route of ${topic}`);
  };
  return {
    dir, namesrv, broker, namesrvAddr, brokerAddr, admin, clientLog, call, createTopic,
    clientOptions: (instanceName) => ({
      nameSrv: namesrvAddr,
      httpclient: {},
      instanceName,
      logger: { info: () => {}, debug: () => {}, warn: log('warn'), error: log('error') },
      rebalanceInterval: 500,
      persistConsumerOffsetInterval: 1000,
      pollNameServerInteval: 1000,
      heartbeatBrokerInterval: 5000,
    }),
    async close() {
      closeAdmin();
      await broker.shutdown();
      await namesrv.shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
