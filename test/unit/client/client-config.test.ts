// Goal: the client id is clientIP@instanceName[@unitName] with DEFAULT replaced by the pid,
// and the config defaults are Java 4.9's.
import { describe, expect, it } from 'vitest';
import { buildMQClientId, clientConfig, namesrvAddrList } from '../../../src/client/client-config.js';

describe('ClientConfig', () => {
  it('clientConfig() has the 4.9 defaults (30 s polls and heartbeats, 5 s offsets, no VIP channel)', () => {
    expect(clientConfig()).toMatchObject({
      instanceName: 'DEFAULT', pollNameServerInterval: 30000, heartbeatBrokerInterval: 30000,
      persistConsumerOffsetInterval: 5000, vipChannelEnabled: false, mqClientApiTimeout: 3000, language: 'JAVA',
    });
    expect(clientConfig({ namesrvAddr: 'x:1', pid: undefined }).pid).toBe(1);
  });

  it('buildMQClientId() replaces DEFAULT by the pid and appends a non-blank unit name', () => {
    expect(buildMQClientId(clientConfig({ clientIP: '10.0.0.5', pid: 4242 }))).toBe('10.0.0.5@4242');
    expect(buildMQClientId(clientConfig({ clientIP: '10.0.0.5', instanceName: 'orders' }))).toBe('10.0.0.5@orders');
    expect(buildMQClientId(clientConfig({ clientIP: '10.0.0.5', instanceName: 'orders', unitName: 'u1' }))).toBe('10.0.0.5@orders@u1');
    expect(buildMQClientId(clientConfig({ clientIP: '10.0.0.5', instanceName: 'orders', unitName: ' ' }))).toBe('10.0.0.5@orders');
  });

  it('namesrvAddrList() splits on ";" and drops blanks', () => {
    expect(namesrvAddrList('10.0.0.1:9876; 10.0.0.2:9876;')).toEqual(['10.0.0.1:9876', '10.0.0.2:9876']);
  });
});
