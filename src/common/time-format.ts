/**
 * Calendar arithmetic on epoch milliseconds, without `Date`.
 *
 * RocketMQ turns times into calendar fields in two places that reach bytes on disk or on
 * the wire: index files are named `yyyyMMddHHmmssSSS` after their creation time
 * (`UtilAll.timeMillisToHumanString`), and a client message id (`UNIQ_KEY`) stores the
 * milliseconds since the start of the current month. Both use the JVM's local time zone.
 *
 * The core may not construct a `Date` (time comes only from the Clock port), so this file
 * converts between epoch milliseconds and civil fields itself, with the classic
 * days-from-civil algorithm over the proleptic Gregorian calendar (400-year eras of
 * 146097 days). Local time is modelled as a fixed offset from UTC in minutes, passed
 * explicitly; 0 means UTC.
 *
 * Differences from RocketMQ 4.9.x:
 * - A fixed UTC offset instead of the JVM's time zone, so no daylight-saving shifts.
 *
 * @mirrors org.apache.rocketmq.common.UtilAll#timeMillisToHumanString
 * @mirrors java.util.Calendar (the fields RocketMQ reads)
 * @article store "IndexFile: finding a message by key"
 * @category Common
 * @module
 */

/** The fields of one instant in civil time. `month` is 1-12 and `day` is 1-31. */
export interface CalendarFields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a civil date (month 1-12). Negative before 1970. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400; // 0..399
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1; // March-based
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The civil date of a day count since 1970-01-01 (inverse of {@link daysFromCivil}). */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097; // 0..146096
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153); // 0 = March
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Civil fields of `ms` in the zone `utcOffsetMinutes` east of UTC. */
export function calendarFieldsOf(ms: number, utcOffsetMinutes = 0): CalendarFields {
  const local = ms + utcOffsetMinutes * MS_PER_MINUTE;
  const days = Math.floor(local / MS_PER_DAY);
  let rest = local - days * MS_PER_DAY; // 0..86399999
  const { year, month, day } = civilFromDays(days);
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / MS_PER_MINUTE);
  rest -= minute * MS_PER_MINUTE;
  const second = Math.floor(rest / 1000);
  return { year, month, day, hour, minute, second, millisecond: rest - second * 1000 };
}

/** Epoch milliseconds of civil fields in the zone `utcOffsetMinutes` east of UTC. */
export function timeMillisOf(fields: CalendarFields, utcOffsetMinutes = 0): number {
  const days = daysFromCivil(fields.year, fields.month, fields.day);
  const local = days * MS_PER_DAY + fields.hour * 3_600_000 + fields.minute * MS_PER_MINUTE + fields.second * 1000 + fields.millisecond;
  return local - utcOffsetMinutes * MS_PER_MINUTE;
}

/** Midnight of the 1st of the month that contains `ms` (what `MessageClientIDSetter` calls start time). */
export function startOfMonth(ms: number, utcOffsetMinutes = 0): number {
  const f = calendarFieldsOf(ms, utcOffsetMinutes);
  return timeMillisOf({ year: f.year, month: f.month, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 }, utcOffsetMinutes);
}

/** Midnight of the 1st of the month after the one that contains `ms`. */
export function startOfNextMonth(ms: number, utcOffsetMinutes = 0): number {
  const f = calendarFieldsOf(ms, utcOffsetMinutes);
  const year = f.month === 12 ? f.year + 1 : f.year;
  const month = f.month === 12 ? 1 : f.month + 1;
  return timeMillisOf({ year, month, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 }, utcOffsetMinutes);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * `UtilAll.timeMillisToHumanString(ms)`: `yyyyMMddHHmmssSSS`, 17 digits, e.g.
 * `20240131235959999`. Index files are named with it.
 */
export function timeMillisToHumanString(ms: number, utcOffsetMinutes = 0): string {
  const f = calendarFieldsOf(ms, utcOffsetMinutes);
  return pad(f.year, 4) + pad(f.month, 2) + pad(f.day, 2) + pad(f.hour, 2) + pad(f.minute, 2) + pad(f.second, 2) + pad(f.millisecond, 3);
}

/**
 * Inverse of {@link timeMillisToHumanString}: epoch ms of a 17-digit `yyyyMMddHHmmssSSS`
 * name, or `undefined` when the text is not 17 digits.
 */
export function humanStringToTimeMillis(text: string, utcOffsetMinutes = 0): number | undefined {
  if (!/^[0-9]{17}$/.test(text)) return undefined;
  const n = (from: number, to: number): number => Number(text.slice(from, to));
  return timeMillisOf(
    { year: n(0, 4), month: n(4, 6), day: n(6, 8), hour: n(8, 10), minute: n(10, 12), second: n(12, 14), millisecond: n(14, 17) },
    utcOffsetMinutes,
  );
}
