// The record layout's derived positions and lengths, for IPv4 and the 4.9 IPv6 variants.
import { describe, expect, it } from 'vitest';
import { MessageSysFlag } from '../../../../src/common/message/message-sys-flag.js';
import {
  bodyLengthPosition, calMsgLength, RECORD_FIXED_LENGTH_IPV4, storeHostPosition, storeTimestampPosition,
} from '../../../../src/store/commitlog/record-layout.js';

describe('record-layout', () => {
  it('calMsgLength() is 91 + body + topic + properties for IPv4 hosts, 12 more per IPv6 host', () => {
    expect(RECORD_FIXED_LENGTH_IPV4).toBe(91);
    expect(calMsgLength(0, 16, 9, 33)).toBe(149);
    expect(calMsgLength(MessageSysFlag.BORNHOST_V6_FLAG, 16, 9, 33)).toBe(161);
    expect(calMsgLength(MessageSysFlag.BORNHOST_V6_FLAG | MessageSysFlag.STOREHOSTADDRESS_V6_FLAG, 16, 9, 33)).toBe(173);
    expect(calMsgLength(0, -5, 1, -1)).toBe(92); // negative lengths count as 0, as in Java
  });

  it('storeTimestampPosition()/storeHostPosition()/bodyLengthPosition() move with the V6 flags', () => {
    expect([storeTimestampPosition(0), storeHostPosition(0), bodyLengthPosition(0)]).toEqual([56, 64, 84]);
    expect([storeTimestampPosition(0x10), storeHostPosition(0x10), bodyLengthPosition(0x10)]).toEqual([68, 76, 96]);
    expect([storeTimestampPosition(0x20), storeHostPosition(0x20), bodyLengthPosition(0x20)]).toEqual([56, 64, 96]);
  });
});
