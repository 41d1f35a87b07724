// The properties string: exact 4.x bytes for a known map, round trips, and the parser's
// treatment of malformed pieces (4.9.3+ indexOf walk).
import { describe, expect, it } from 'vitest';
import { messageProperties2String, string2messageProperties } from '../../../../src/common/message/message-properties.js';

describe('messageProperties2String', () => {
  it('messageProperties2String() writes name\\u0001value\\u0002 per pair, trailing separator included', () => {
    const map = new Map([['TAGS', 'TagA'], ['WAIT', 'true'], ['UNIQ_KEY', 'C0A8']]);
    expect(messageProperties2String(map)).toBe('TAGS\u0001TagA\u0002WAIT\u0001true\u0002UNIQ_KEY\u0001C0A8\u0002');
    expect(messageProperties2String(new Map())).toBe('');
    expect(messageProperties2String(undefined)).toBe('');
  });
});

describe('string2messageProperties', () => {
  it('string2messageProperties() round-trips a map, with or without the trailing separator', () => {
    const map = new Map([['KEYS', 'k1 k2'], ['TAGS', 'TagA'], ['中文', 'é\u{1F600}']]);
    const text = messageProperties2String(map);
    expect(string2messageProperties(text)).toEqual(map);
    expect(string2messageProperties(text.slice(0, -1))).toEqual(map); // the 4.9.3+ form
  });

  it('string2messageProperties() drops empty values and empty names, and keeps the last duplicate', () => {
    expect(string2messageProperties('A\u0001\u0002B\u0001b\u0002')).toEqual(new Map([['B', 'b']]));
    expect(string2messageProperties('\u0001x\u0002B\u0001b')).toEqual(new Map([['B', 'b']]));
    expect(string2messageProperties('A\u0001a\u0002A\u0001z\u0002')).toEqual(new Map([['A', 'z']]));
  });

  it('string2messageProperties() never throws on garbage', () => {
    for (const s of ['', '\u0002', '\u0001', '\u0002\u0002\u0001', 'abc', 'a\u0001', 'a\u0001b\u0001c\u0002']) {
      expect(() => string2messageProperties(s)).not.toThrow();
    }
    expect(string2messageProperties('a\u0001b\u0001c\u0002')).toEqual(new Map([['a', 'b\u0001c']]));
    expect(string2messageProperties(undefined)).toEqual(new Map());
  });
});
