// The `rocketmq-ts` command line, run as real processes through the package's bin launcher.
//
// Goal: a name server and a broker started from the command line serve a real cluster;
// `admin` commands create and show topics; bad arguments exit 2 with a usage line; SIGTERM
// stops a broker cleanly (no abort file) and SIGKILL leaves the abort file, after which a
// restart recovers every message sent before. Method: free ports and temp dirs per run,
// readiness by polling a TCP connect, messages sent with raw SEND_MESSAGE_V2 requests.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInt32 } from '../../../src/common/bytes.js';
import { MESSAGE_MAGIC_CODE } from '../../../src/common/message/message-decoder.js';
import { decodeMessageId } from '../../../src/common/message/message-id.js';
import { RequestCode } from '../../../src/common/protocol/request-code.js';
import { createRequestCommand } from '../../../src/remoting/remoting-command.js';
import {
  freeBrokerPort, freePort, rawClient, runCli, sendMessage, spawnCli, waitFor, waitForPort, type CliProcess,
} from './cli-support.js';

const BROKER_USAGE = 'usage: rocketmq-ts broker [-n host:port[;host:port]] [-c broker.conf] [--store dir]';

describe('rocketmq-ts (command line)', () => {
  it('exits 2 with a usage line on stderr for bad arguments and bad config values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rmq-cli-bad-'));
    try {
      const badConf = join(dir, 'bad.conf');
      writeFileSync(badConf, 'listenPort = lots\n');
      const cases: Array<[string[], string, string]> = [
        [['nonsense'], 'rocketmq-ts: unknown command "nonsense"', 'usage: rocketmq-ts <namesrv|broker|admin> [options]'],
        [['namesrv', '-p', 'abc'], 'rocketmq-ts: port: "abc" is not an integer', 'usage: rocketmq-ts namesrv [-p port]'],
        [['broker', '--store'], 'rocketmq-ts: option --store needs a value', BROKER_USAGE],
        [['broker', '-c', badConf], 'rocketmq-ts: listenPort: "lots" is not an integer', BROKER_USAGE],
        [['admin', 'updateTopic', '-t', 'T'], 'rocketmq-ts: -n host:port is required (or set NAMESRV_ADDR)', 'usage: rocketmq-ts admin updateTopic'],
      ];
      const results = await Promise.all(cases.map(([args]) => runCli(args)));
      results.forEach((result, i) => {
        const [, message, usage] = cases[i]!;
        expect(result.code).toBe(2);
        const lines = result.stderr.split('\n').filter((l) => !l.startsWith('npm warn'));
        expect(lines[0]).toBe(message);
        expect(lines[1]?.startsWith(usage)).toBe(true);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('a name server and a broker started from the command line', () => {
    let dir: string;
    let namesrvPort: number;
    let brokerPort: number;
    let namesrv: CliProcess;
    let broker: CliProcess | undefined;
    const ns = () => `127.0.0.1:${namesrvPort}`;
    const brokerAddr = () => `127.0.0.1:${brokerPort}`;
    const storeDir = () => join(dir, 'store');
    const startBroker = async () => {
      const p = spawnCli(['broker', '-n', ns(), '-c', join(dir, 'broker.conf'), '--store', storeDir()]);
      await waitForPort(brokerPort);
      await waitFor(() => p.stdout().includes('boot success'), 'the broker boot line');
      broker = p;
      return p;
    };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'rmq-cli-'));
      namesrvPort = await freePort();
      namesrv = spawnCli(['namesrv', '-p', String(namesrvPort), '--home', dir]);
      await waitForPort(namesrvPort);
      // Chosen only once the name server holds its port, so the broker's ports cannot collide with it.
      brokerPort = await freeBrokerPort();
      writeFileSync(join(dir, 'broker.conf'), [
        '# a broker.conf as RocketMQ 4.4 ships it, plus one unknown key',
        'brokerClusterName = DefaultCluster',
        'brokerName = broker-a',
        'brokerId = 0',
        `listenPort = ${brokerPort}`,
        'brokerIP1 = 127.0.0.1',
        'flushDiskType = ASYNC_FLUSH',
        'mapedFileSizeCommitLog = 1048576',
        'mappedFileSizeConsumeQueue = 6000',
        'brokerColour = blue',
      ].join('\n'));
      await startBroker();
    });

    afterAll(async () => {
      for (const p of [broker, namesrv]) {
        if (p !== undefined && p.child.exitCode === null && p.child.signalCode === null) {
          p.child.kill('SIGKILL');
          await p.exited;
        }
      }
      rmSync(dir, { recursive: true, force: true });
    });

    it('prints the boot lines and warns about unknown broker.conf keys', () => {
      expect(namesrv.stdout()).toContain(`The Name Server boot success. serializeType=JSON, listening on 0.0.0.0:${namesrvPort}`);
      expect(broker!.stdout()).toContain(`The broker[broker-a, ${brokerAddr()}] boot success. serializeType=JSON and name server is ${ns()}`);
      expect(broker!.stderr()).toContain('broker.conf: unknown key "brokerColour" ignored');
    });

    it('admin updateTopic creates a topic on the cluster; topicRoute and topicList show it', async () => {
      const created = await runCli(['admin', 'updateTopic', '-n', ns(), '-c', 'DefaultCluster', '-t', 'TopicA', '-r', '2', '-w', '2']);
      expect(created.code).toBe(0);
      expect(created.stdout.split('\n').slice(0, 2)).toEqual([
        `create topic to ${brokerAddr()} success.`,
        'TopicConfig [topicName=TopicA, readQueueNums=2, writeQueueNums=2, perm=RW-, topicFilterType=SINGLE_TAG, topicSysFlag=0, order=false]',
      ]);
      // The broker registers the new topic one-way right after answering; poll until the route is there.
      let route: { code: number | string; stdout: string } = { code: -1, stdout: '' };
      await waitFor(async () => (route = await runCli(['admin', 'topicRoute', '-n', ns(), '-t', 'TopicA'])).code === 0, 'the route of TopicA');
      const parsed = JSON.parse(route.stdout) as { brokerDatas: Array<{ brokerAddrs: Record<string, string> }>; queueDatas: Array<{ writeQueueNums: number; perm: number }> };
      expect(parsed.brokerDatas[0]?.brokerAddrs['0']).toBe(brokerAddr());
      expect(parsed.queueDatas[0]).toMatchObject({ writeQueueNums: 2, perm: 6 });
      const [list, clusters] = await Promise.all([runCli(['admin', 'topicList', '-n', ns()]), runCli(['admin', 'clusterList', '-n', ns()])]);
      expect(list.code).toBe(0);
      expect(list.stdout.split('\n')).toContain('TopicA');
      expect(clusters.stdout.split('\n')[1]?.split(/\s+/).slice(0, 5)).toEqual(['DefaultCluster', 'broker-a', '0', brokerAddr(), 'V4_4_0']);
      const missing = await runCli(['admin', 'topicRoute', '-n', ns(), '-t', 'NoSuchTopic']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('CODE: 17 (TOPIC_NOT_EXIST)');
    });

    it('SIGTERM stops the broker cleanly (no abort file); after SIGKILL a restart recovers every message sent before', async () => {
      const { client, close } = rawClient();
      try {
        const sent: string[] = [];
        const send = async (i: number) => {
          const r = await sendMessage(client, brokerAddr(), 'TopicA', i % 2, `body-${i}`, { KEYS: `order-${i}`, TAGS: 'TagA' });
          expect(r.code).toBe(0);
          sent.push(r.extFields!['msgId']!);
        };
        for (let i = 0; i < 3; i++) await send(i);
        const commit = await client.invokeSync(brokerAddr(), createRequestCommand(RequestCode.UPDATE_CONSUMER_OFFSET,
          { consumerGroup: 'CG_restart', topic: 'TopicA', queueId: 0, commitOffset: 2 }), 5000);
        expect(commit.code).toBe(0);

        broker!.child.kill('SIGTERM');
        expect(await broker!.exited).toBe(0);
        expect(broker!.stdout()).toContain(`The broker[broker-a, ${brokerAddr()}] shutdown OK (SIGTERM)`);
        expect(existsSync(join(storeDir(), 'abort'))).toBe(false);

        await startBroker();
        // Topics, messages and consumer offsets all survive the restart.
        const offset = await client.invokeSync(brokerAddr(), createRequestCommand(RequestCode.QUERY_CONSUMER_OFFSET,
          { consumerGroup: 'CG_restart', topic: 'TopicA', queueId: 0 }), 5000);
        expect([offset.code, offset.extFields?.['offset']]).toEqual([0, '2']);
        for (let i = 3; i < 6; i++) await send(i);
        // kill -9 loses what is still in the process; wait until the last record is in the file (the OS page cache).
        const last = decodeMessageId(sent[5]!)!.offset;
        const commitLogFile = join(storeDir(), 'commitlog', '00000000000000000000');
        await waitFor(() => existsSync(commitLogFile) && readInt32(new Uint8Array(readFileSync(commitLogFile)), last + 4) === MESSAGE_MAGIC_CODE, 'the last record on disk');
        broker!.child.kill('SIGKILL');
        expect(await broker!.exited).toBe('SIGKILL');
        expect(existsSync(join(storeDir(), 'abort'))).toBe(true);

        client.closeChannel(brokerAddr());
        await startBroker();
        const maxOffsets = await Promise.all([0, 1].map(async (queueId) =>
          (await client.invokeSync(brokerAddr(), createRequestCommand(RequestCode.GET_MAX_OFFSET, { topic: 'TopicA', queueId }), 5000)).extFields?.['offset']));
        expect(maxOffsets).toEqual(['3', '3']);

        const byId = await runCli(['admin', 'queryMsgById', '-n', ns(), '-i', sent[5]!]);
        expect(byId.code).toBe(0);
        expect(byId.stdout).toMatch(/^Topic:\s+TopicA$/m);
        expect(byId.stdout).toMatch(/^Keys:\s+\[order-5\]$/m);
        expect(byId.stdout).toMatch(/^Message Body:\s+body-5$/m);
        const byKey = await runCli(['admin', 'queryMsgByKey', '-n', ns(), '-t', 'TopicA', '-k', 'order-1']);
        expect(byKey.code).toBe(0);
        expect(byKey.stdout.split('\n').filter((l) => l.startsWith(sent[1]!))).toHaveLength(1);
        const status = await runCli(['admin', 'topicStatus', '-n', ns(), '-t', 'TopicA']);
        expect(status.stdout.split('\n').slice(1, 3).map((l) => l.split(/\s+/).slice(0, 4))).toEqual([['broker-a', '0', '0', '3'], ['broker-a', '1', '0', '3']]);
      } finally {
        close();
      }
    });

    it('admin consumerProgress shows a group\'s offsets, resetOffsetByTime moves them and notifies the member, deleteTopic removes the topic', async () => {
      const { client, close } = rawClient();
      try {
        const notices: Array<{ code: number; body: string }> = [];
        client.registerProcessor(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, {
          rejectRequest: () => false,
          processRequest: (_ctx, request) => {
            notices.push({ code: request.code, body: new TextDecoder().decode(request.body) });
            return null;
          },
        });
        const heartbeat = createRequestCommand(RequestCode.HEART_BEAT);
        heartbeat.body = new TextEncoder().encode(JSON.stringify({
          clientID: '127.0.0.1@cli-test',
          consumerDataSet: [{
            consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET', consumeType: 'CONSUME_PASSIVELY', groupName: 'CG_cli', messageModel: 'CLUSTERING', unitMode: false,
            subscriptionDataSet: [{ classFilterMode: false, codeSet: [], expressionType: 'TAG', subString: '*', subVersion: 1, tagsSet: [], topic: 'TopicA' }],
          }],
          producerDataSet: [],
        }));
        expect((await client.invokeSync(brokerAddr(), heartbeat, 5000)).code).toBe(0);
        for (const [queueId, commitOffset] of [[0, 2], [1, 3]] as const) {
          const update = createRequestCommand(RequestCode.UPDATE_CONSUMER_OFFSET, { consumerGroup: 'CG_cli', topic: 'TopicA', queueId, commitOffset });
          expect((await client.invokeSync(brokerAddr(), update, 5000)).code).toBe(0);
        }
        // The heartbeat created %RETRY%CG_cli, which the broker registers one-way; consumerProgress routes through it.
        let progress: { code: number | string; stdout: string } = { code: -1, stdout: '' };
        await waitFor(async () => (progress = await runCli(['admin', 'consumerProgress', '-n', ns(), '-g', 'CG_cli', '-t', 'TopicA'])).code === 0, 'consumerProgress');
        const rows = (text: string) => text.split('\n').filter((l) => l.startsWith('TopicA')).map((l) => l.split(/\s+/).slice(0, 6));
        expect(rows(progress.stdout)).toEqual([['TopicA', 'broker-a', '0', '3', '2', '1'], ['TopicA', 'broker-a', '1', '3', '3', '0']]);
        expect(progress.stdout).toContain('Diff Total: 1');

        const reset = await runCli(['admin', 'resetOffsetByTime', '-n', ns(), '-g', 'CG_cli', '-t', 'TopicA', '-s', '0']);
        expect(reset.code).toBe(0);
        expect(reset.stdout.split('\n')[0]).toBe('rollback consumer offset by specified group[CG_cli], topic[TopicA], force[true], timestamp(string)[0], timestamp(long)[0]');
        expect(reset.stdout.split('\n').slice(2, 4).map((l) => l.split(/\s+/))).toEqual([['broker-a', '0', '0'], ['broker-a', '1', '0']]);
        await waitFor(() => notices.length === 1, 'the RESET_CONSUMER_CLIENT_OFFSET notice');
        expect(notices[0]!.body).toBe('{"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"TopicA"}:0,{"brokerName":"broker-a","queueId":1,"topic":"TopicA"}:0}}');
        const after = await runCli(['admin', 'consumerProgress', '-n', ns(), '-g', 'CG_cli']);
        expect(rows(after.stdout).map((r) => r[4])).toEqual(['0', '0']);

        const deleted = await runCli(['admin', 'deleteTopic', '-n', ns(), '-t', 'TopicA', '-c', 'DefaultCluster']);
        expect(deleted.stdout.split('\n').slice(0, 2)).toEqual(['delete topic [TopicA] from cluster [DefaultCluster] success.', 'delete topic [TopicA] from NameServer success.']);
        const gone = await runCli(['admin', 'topicRoute', '-n', ns(), '-t', 'TopicA']);
        expect([gone.code, gone.stderr.includes('CODE: 17 (TOPIC_NOT_EXIST)')]).toEqual([1, true]);
      } finally {
        close();
      }
    });
  });
});
