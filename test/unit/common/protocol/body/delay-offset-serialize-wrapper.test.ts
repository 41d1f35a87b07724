// The delay-offset table as Java writes it (bare integer keys) and as we read it back.
import { describe, expect, it } from 'vitest';
import { JsonFormatError } from '../../../../../src/common/json/fastjson.js';
import { decodeDelayOffsetTable, encodeDelayOffsetTable } from '../../../../../src/common/protocol/body/delay-offset-serialize-wrapper.js';

describe('DelayOffsetSerializeWrapper', () => {
  it('encodeDelayOffsetTable() writes levels ascending with bare keys, as fastjson does', () => {
    expect(encodeDelayOffsetTable(new Map([[3, 12], [1, 0], [2, 7]]))).toBe('{"offsetTable":{1:0,2:7,3:12}}');
    expect(encodeDelayOffsetTable(new Map())).toBe('{"offsetTable":{}}');
  });

  it('decodeDelayOffsetTable() reads bare and quoted keys, and pretty-printed Java files', () => {
    expect([...decodeDelayOffsetTable('{"offsetTable":{1:0,2:7}}')]).toEqual([[1, 0], [2, 7]]);
    expect([...decodeDelayOffsetTable('{"offsetTable":{"18":5}}')]).toEqual([[18, 5]]);
    expect([...decodeDelayOffsetTable('{\n\t"offsetTable":{\n\t\t4:9\n\t}\n}')]).toEqual([[4, 9]]);
    expect([...decodeDelayOffsetTable('{}')]).toEqual([]);
    expect([...decodeDelayOffsetTable('{"offsetTable":null}')]).toEqual([]);
  });

  it('decodeDelayOffsetTable() refuses what is not a table', () => {
    for (const text of ['', '[]', '{"offsetTable":[]}', '{"offsetTable":{"x":1}}', '{"offsetTable":{1:-1}}', '{"offsetTable":{1:"a"}}', '{"offsetTable":{1:1.5}}']) {
      expect(() => decodeDelayOffsetTable(text), text).toThrow(JsonFormatError);
    }
  });
});
