// "ip:port" strings against the 8- and 20-byte stored forms.
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../src/common/bytes.js';
import {
  formatHostAddress, hostAddressToBytes, parseHostAddress, readHostAddress, writeHostAddress,
} from '../../../../src/common/message/host-address.js';

describe('host-address', () => {
  it('hostAddressToBytes() gives IPv4 + int32 port (8 bytes) and writeHostAddress() writes the same in place', () => {
    expect(toHex(hostAddressToBytes('10.0.0.1:10911')!)).toBe('0A00000100002A9F');
    const target = new Uint8Array(10);
    expect(writeHostAddress(target, 1, '192.168.0.10:50000')).toBe(8);
    expect(toHex(target)).toBe('00C0A8000A0000C35000');
    expect(readHostAddress(target, 1, 4)).toBe('192.168.0.10:50000');
  });

  it('hostAddressToBytes() gives 20 bytes for a bracketed IPv6 address, printed back in Java form', () => {
    const bytes = hostAddressToBytes('[fe80::1]:80')!;
    expect(toHex(bytes)).toBe('FE800000000000000000000000000001' + '00000050');
    expect(readHostAddress(bytes, 0, 16)).toBe('[fe80:0:0:0:0:0:0:1]:80');
    expect(toHex(parseHostAddress('[::ffff:10.0.0.1]:1')!.ip)).toBe('00000000000000000000FFFF0A000001');
    expect(formatHostAddress(new Uint8Array([127, 0, 0, 1]), 9876)).toBe('127.0.0.1:9876');
  });

  it('writeHostAddress() answers 0 and parseHostAddress() undefined for anything else', () => {
    const target = new Uint8Array(20);
    for (const bad of ['broker-a:10911', '10.0.0.1', '10.0.0.256:1', '10.0.0.1:65536', '1.2.3.4.5:1', '[fe80::1::2]:1', '[zz::1]:1', '', '1..2.3:4']) {
      expect(writeHostAddress(target, 0, bad)).toBe(0);
      expect(parseHostAddress(bad)).toBeUndefined();
    }
  });
});
