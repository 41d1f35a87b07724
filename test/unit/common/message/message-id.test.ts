// The offset msgId (store host + physical offset) and the client's UNIQ_KEY layout.
import { describe, expect, it } from 'vitest';
import {
  createMessageId, createMessageIdFromHost, decodeMessageId, getIPStrFromID, getNearlyTimeFromID, getPidFromID,
  MessageClientIDSetter,
} from '../../../../src/common/message/message-id.js';
import { Message } from '../../../../src/common/message/message.js';
import type { Clock } from '../../../../src/platform/clock.js';

/** A clock that only tells the time the test sets. */
function fixedClock(start: number): Clock & { t: number } {
  return { t: start, now() { return this.t; }, setTimer() { throw new Error('no timers here'); } };
}

describe('createMessageId/decodeMessageId', () => {
  it('createMessageId() gives 0A00000100002A9F00000000000001F4 for 10.0.0.1:10911, offset 500', () => {
    expect(createMessageId(new Uint8Array([10, 0, 0, 1]), 10911, 500)).toBe('0A00000100002A9F00000000000001F4');
    expect(createMessageIdFromHost('10.0.0.1:10911', 500)).toBe('0A00000100002A9F00000000000001F4');
  });

  it('decodeMessageId() recovers address and offset, in either case', () => {
    const id = decodeMessageId('0a00000100002a9f00000000000001f4')!;
    expect(id.address).toBe('10.0.0.1:10911');
    expect(id.port).toBe(10911);
    expect(id.offset).toBe(500);
    const big = createMessageId(new Uint8Array([127, 0, 0, 1]), 10911, 2 ** 40 + 3);
    expect(decodeMessageId(big)!.offset).toBe(2 ** 40 + 3);
  });

  it('createMessageId() with an IPv6 store host gives 56 hex chars that decode back', () => {
    const ip = new Uint8Array(16);
    ip[15] = 1;
    const id = createMessageId(ip, 10911, 7);
    expect(id).toHaveLength(56);
    expect(decodeMessageId(id)!.address).toBe('[0:0:0:0:0:0:0:1]:10911');
  });

  it('decodeMessageId() answers undefined for malformed ids', () => {
    for (const bad of ['', 'XYZ', '0A00000100002A9F00000000000001F', '0A00000100002A9F00000000000001FG', '0A00000100002A9F7FFFFFFFFFFFFFFF']) {
      expect(decodeMessageId(bad)).toBeUndefined();
    }
  });
});

describe('MessageClientIDSetter', () => {
  const jan10 = Date.UTC(2024, 0, 10, 0, 0, 1, 0); // 9 days and 1 s after the month start

  it('createUniqID() lays out IP, pid, class-loader hash, ms since month start and a counter', () => {
    const clock = fixedClock(jan10);
    const ids = new MessageClientIDSetter({ clock, ip: new Uint8Array([192, 168, 0, 1]), pid: 0x104d2, classLoaderHash: 0x1b6e7a3f });
    // C0A80001 | 04D2 (low 16 bits of the pid) | 1B6E7A3F | 2E593FE8 (777601000 ms) | 0000
    expect(ids.createUniqID()).toBe('C0A8000104D21B6E7A3F2E593FE80000');
    expect(ids.createUniqID()).toBe('C0A8000104D21B6E7A3F2E593FE80001');
    expect(getIPStrFromID('C0A8000104D21B6E7A3F2E593FE80000')).toBe('192.168.0.1');
    expect(getPidFromID('C0A8000104D21B6E7A3F2E593FE80000')).toBe(0x04d2);
    expect(getNearlyTimeFromID('C0A8000104D21B6E7A3F2E593FE80000', jan10 + 5000)).toBe(jan10);
  });

  it('createUniqID() restarts the time part in a new month and wraps the counter at 16 bits', () => {
    const clock = fixedClock(jan10);
    const ids = new MessageClientIDSetter({ clock, ip: new Uint8Array([1, 2, 3, 4]), pid: 1, classLoaderHash: 0 });
    for (let i = 0; i < 65536; i++) ids.createUniqID();
    clock.t = Date.UTC(2024, 1, 1, 0, 0, 0, 5);
    // 01020304 | 0001 | 00000000 | 00000005 (5 ms into February) | 0000 (65536 wrapped)
    expect(ids.createUniqID()).toBe('01020304000100000000000000050000');
  });

  it('setUniqID() keeps an existing UNIQ_KEY and sets one otherwise', () => {
    const ids = new MessageClientIDSetter({ clock: fixedClock(jan10), pid: 1 });
    const msg = new Message();
    ids.setUniqID(msg);
    const first = msg.getProperty('UNIQ_KEY')!;
    expect(first).toMatch(/^[0-9A-F]{32}$/);
    ids.setUniqID(msg);
    expect(msg.getProperty('UNIQ_KEY')).toBe(first);
  });
});
