// The command-line parsing of `rocketmq-ts`, in-process (no spawning): options, Java
// properties files, and how broker.conf / namesrv.properties keys land in the configs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brokerConfigFromArgs } from '../../../src/platform/node/startup/broker-startup.js';
import { main } from '../../../src/platform/node/startup/cli.js';
import { parseArgs, parseProperties, UsageError } from '../../../src/platform/node/startup/command-line.js';
import { parseResetTimestamp } from '../../../src/platform/node/startup/mq-admin-message-commands.js';
import { namesrvConfigFromArgs } from '../../../src/platform/node/startup/namesrv-startup.js';
import type { CliOutput } from '../../../src/platform/node/startup/process-support.js';

const dir = mkdtempSync(join(tmpdir(), 'rmq-cmdline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function recorder(): CliOutput & { out: string[]; errs: string[] } {
  const out: string[] = [];
  const errs: string[] = [];
  return { out, errs, log: (l) => void out.push(l), err: (l) => void errs.push(l) };
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('parseArgs', () => {
  it('parseArgs() reads short and long options, --name=value, flags and positionals', () => {
    const spec = { values: { '-n': 'namesrv', '--store': 'store', '-s': 'timestamp' } };
    const args = parseArgs(['-n', '127.0.0.1:9876', '--store=/tmp/s', '-s', '-1', 'extra', '--help'], spec);
    expect(Object.fromEntries(args.options)).toEqual({ namesrv: '127.0.0.1:9876', store: '/tmp/s', timestamp: '-1', help: 'true' });
    expect(args.positionals).toEqual(['extra']);
    expect(() => parseArgs(['-x'], spec)).toThrow(new UsageError('unknown option -x'));
    expect(() => parseArgs(['-n'], spec)).toThrow(new UsageError('option -n needs a value'));
    expect(() => parseArgs(['-n', '--store', 'x'], spec)).toThrow(new UsageError('option -n needs a value'));
  });
});

describe('parseProperties', () => {
  it('parseProperties() reads key=value, key: value and key value lines and skips # and ! comments', () => {
    const props = parseProperties('# comment\n! also\n\nbrokerName = broker-b\r\nlistenPort:20911\nnamesrvAddr 10.0.0.1:9876;10.0.0.2:9876\nflag\n');
    expect(Object.fromEntries(props)).toEqual({ brokerName: 'broker-b', listenPort: '20911', namesrvAddr: '10.0.0.1:9876;10.0.0.2:9876', flag: '' });
  });
});

describe('BrokerStartup', () => {
  it('brokerConfigFromArgs() maps broker.conf keys onto BrokerConfig and MessageStoreConfig, with 4.4 spellings and -n/--store overrides', () => {
    const out = recorder();
    const conf = file('ok.conf', [
      'brokerClusterName=ClusterX', 'brokerName=broker-b', 'brokerId=0', 'listenPort=20911', 'brokerIP1=10.0.0.7',
      'namesrvAddr=10.9.9.9:9876', 'autoCreateTopicEnable=false', 'flushDiskType=SYNC_FLUSH', 'brokerRole=ASYNC_MASTER',
      'mapedFileSizeCommitLog=1048576', 'deleteWhen=04', 'fileReservedTime=48', 'storePathRootDir=/from/conf', 'brokerColour=blue',
    ].join('\n'));
    const { brokerConfig, storeConfig, help } = brokerConfigFromArgs(['-c', conf, '-n', '127.0.0.1:9876', '--store', '/from/flag'], out);
    expect(help).toBe(false);
    expect(brokerConfig).toMatchObject({ brokerClusterName: 'ClusterX', brokerName: 'broker-b', listenPort: 20911, brokerIP1: '10.0.0.7', namesrvAddr: '127.0.0.1:9876', autoCreateTopicEnable: false });
    expect(storeConfig).toMatchObject({ flushDiskType: 'SYNC_FLUSH', brokerRole: 'ASYNC_MASTER', mappedFileSizeCommitLog: 1048576, deleteWhen: '04', fileReservedTime: 48, storePathRootDir: '/from/flag' });
    expect(out.errs).toEqual([`warning: ${conf}: unknown key "brokerColour" ignored`]);
  });

  it('brokerConfigFromArgs() refuses values that do not convert, unknown enum names and a brokerIP1 that is not an IPv4 literal', () => {
    const cases: Array<[string, string]> = [
      ['listenPort=lots', 'listenPort: "lots" is not an integer'],
      ['autoCreateTopicEnable=yes', 'autoCreateTopicEnable: "yes" is not true or false'],
      ['flushDiskType=SOMETIMES', 'flushDiskType: "SOMETIMES" is not one of ASYNC_FLUSH, SYNC_FLUSH'],
      ['brokerIP1=my-host', 'brokerIP1: "my-host" is not an IPv4 address'],
      ['listenPort=1', 'listenPort: 1 is not between 3 and 65534 (the VIP port is listenPort - 2, HA listenPort + 1)'],
    ];
    for (const [line, message] of cases) expect(() => brokerConfigFromArgs(['-c', file('bad.conf', line)], recorder())).toThrow(new UsageError(message));
    expect(() => brokerConfigFromArgs(['-c', join(dir, 'missing.conf')], recorder())).toThrow(/^cannot read /);
  });
});

describe('NamesrvStartup', () => {
  it('namesrvConfigFromArgs() takes the port from -p over the file, and puts kvConfig.json under --home', () => {
    const props = file('namesrv.properties', 'listenPort=19876\norderMessageEnable=true\n');
    const fromFile = namesrvConfigFromArgs(['-c', props, '--home', '/h'], recorder()).config;
    expect([fromFile.listenPort, fromFile.orderMessageEnable, fromFile.kvConfigPath]).toEqual([19876, true, join('/h', 'namesrv', 'kvConfig.json')]);
    expect(namesrvConfigFromArgs(['-c', props, '-p', '29876'], recorder()).config.listenPort).toBe(29876);
    expect(() => namesrvConfigFromArgs(['-p', '70000'], recorder())).toThrow(new UsageError('port: 70000 is not between 0 and 65535'));
  });
});

describe('cli main()', () => {
  it('main() answers --help with 0, a bad command with 2 and a usage line, an unreachable name server with 1', async () => {
    const help = recorder();
    expect(await main(['--help'], help)).toBe(0);
    expect(help.out[0]).toBe('usage: rocketmq-ts <namesrv|broker|admin> [options]   (rocketmq-ts <command> --help for details)');
    const bad = recorder();
    expect(await main(['admin', 'frobnicate'], bad)).toBe(2);
    expect(bad.errs).toEqual(['rocketmq-ts: unknown admin command "frobnicate"', 'usage: rocketmq-ts admin <command> -n host:port [options]   (rocketmq-ts admin --help lists the commands)']);
    const env = recorder();
    expect(await main(['admin', 'topicList'], env, { NAMESRV_ADDR: '127.0.0.1:1' })).toBe(1);
    expect(env.errs[0]).toMatch(/^rocketmq-ts admin: /);
  });
});

describe('resetOffsetByTime -s', () => {
  it('parseResetTimestamp() accepts now, milliseconds and yyyy-MM-dd#HH:mm:ss:SSS (local time)', () => {
    expect(parseResetTimestamp('now', 123)).toBe(123);
    expect(parseResetTimestamp('1700000000000', 0)).toBe(1700000000000);
    expect(parseResetTimestamp('2024-01-31#23:59:58:007', 0)).toBe(new Date(2024, 0, 31, 23, 59, 58, 7).getTime());
    expect(() => parseResetTimestamp('yesterday', 0)).toThrow(UsageError);
  });
});
