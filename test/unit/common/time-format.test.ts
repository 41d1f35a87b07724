// Calendar fields computed without Date, cross-checked against Date (allowed in tests) over
// many instants, plus the 17-digit index file name format.
import { describe, expect, it } from 'vitest';
import {
  calendarFieldsOf, humanStringToTimeMillis, startOfMonth, startOfNextMonth, timeMillisOf, timeMillisToHumanString,
} from '../../../src/common/time-format.js';
import { SeededRandom } from '../../../src/platform/random.js';

describe('time-format', () => {
  it('calendarFieldsOf() agrees with Date in UTC over random instants 1900..2200', () => {
    const random = new SeededRandom(7);
    for (let i = 0; i < 500; i++) {
      const ms = Math.floor(-2208988800000 + random.next() * 9.5e12);
      const d = new Date(ms);
      expect(calendarFieldsOf(ms)).toEqual({
        year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(),
        minute: d.getUTCMinutes(), second: d.getUTCSeconds(), millisecond: d.getUTCMilliseconds(),
      });
      expect(timeMillisOf(calendarFieldsOf(ms))).toBe(ms);
    }
  });

  it('timeMillisToHumanString() gives yyyyMMddHHmmssSSS, honouring the UTC offset', () => {
    const ms = Date.UTC(2024, 1, 29, 23, 59, 58, 7); // leap day
    expect(timeMillisToHumanString(ms)).toBe('20240229235958007');
    expect(timeMillisToHumanString(ms, 8 * 60)).toBe('20240301075958007');
    expect(humanStringToTimeMillis('20240229235958007')).toBe(ms);
    expect(humanStringToTimeMillis('20240301075958007', 480)).toBe(ms);
    expect(humanStringToTimeMillis('2024022923595800')).toBeUndefined();
  });

  it('startOfMonth()/startOfNextMonth() bound the month, across a year end', () => {
    const ms = Date.UTC(2023, 11, 31, 12, 0, 0, 0);
    expect(startOfMonth(ms)).toBe(Date.UTC(2023, 11, 1));
    expect(startOfNextMonth(ms)).toBe(Date.UTC(2024, 0, 1));
    expect(startOfMonth(Date.UTC(2024, 0, 1))).toBe(Date.UTC(2024, 0, 1));
  });
});
