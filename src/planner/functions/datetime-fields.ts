/**
 * Fields of dates, timestamps and intervals: date_trunc, date_part and extract (with PostgreSQL
 * 14+'s numeric scales), and date_bin for tumbling windows. timestamptz fields are those of the
 * wall-clock time in the session's zone.
 */
import { Decimal } from 'decimal.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { Interval, T, type SqlType, type Value } from '../../types/types.js';
import type { EvalEnv } from '../expr-ir.js';
import { withScale } from '../../types/numeric.js';
import {
  USECS_PER_DAY,
  USECS_PER_HOUR,
  USECS_PER_MINUTE,
  USECS_PER_SEC,
  checkTimestamp,
  civilFromDays,
  daysFromCivil,
  localToUtc,
  resolveTimeZone,
  sessionZone,
  splitTimestamp,
  utcToLocal,
  type TimeZone,
} from '../../types/datetime.js';
import { fnEnv as fn, register } from './registry.js';

const ts = T.timestamp;
const tstz = T.timestamptz;
const iv = T.interval;
const volatile = { volatile: true };
/** The session's TimeZone, as every zone-dependent date/time function reads it. */
export const zoneOf = (env: EvalEnv): TimeZone => sessionZone(env.setting('timezone'));

export interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  micros: number; // within the minute
  days: number; // since epoch
}

export function fieldsOf(local: number): Fields {
  const { days, timeOfDay } = splitTimestamp(local);
  const { year, month, day } = civilFromDays(days);
  return {
    year,
    month,
    day,
    days,
    hour: Math.floor(timeOfDay / USECS_PER_HOUR),
    minute: Math.floor((timeOfDay % USECS_PER_HOUR) / USECS_PER_MINUTE),
    micros: timeOfDay % USECS_PER_MINUTE,
  };
}

/** ISO 8601 week-numbering year and week of a day. */
function isoWeek(days: number): { isoYear: number; week: number } {
  const isoDow = ((((days + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday (4)
  const thursday = days + (4 - isoDow);
  const isoYear = civilFromDays(thursday).year;
  const week = Math.floor((thursday - daysFromCivil(isoYear, 1, 1)) / 7) + 1;
  return { isoYear, week };
}

function unitError(unit: string, type: SqlType): SqlError {
  return new SqlError(SQLSTATE.invalidParameterValue, `unit "${unit}" not recognized for type ${type.name}`);
}

const normalizeUnit = (unit: string) => {
  const u = unit.toLowerCase();
  const aliases: Record<string, string> = {
    microsecond: 'microseconds', us: 'microseconds', usec: 'microseconds', usecs: 'microseconds', useconds: 'microseconds',
    millisecond: 'milliseconds', ms: 'milliseconds', msec: 'milliseconds', msecs: 'milliseconds', mseconds: 'milliseconds',
    seconds: 'second', sec: 'second', secs: 'second', s: 'second',
    minutes: 'minute', min: 'minute', mins: 'minute', m: 'minute',
    hours: 'hour', hr: 'hour', hrs: 'hour', h: 'hour',
    days: 'day', d: 'day', weeks: 'week', w: 'week', months: 'month', mon: 'month', mons: 'month',
    quarters: 'quarter', qtr: 'quarter', years: 'year', y: 'year', yr: 'year', yrs: 'year',
    decades: 'decade', dec: 'decade', centuries: 'century', c: 'century', cent: 'century',
    millennia: 'millennium', mil: 'millennium', millenniums: 'millennium',
  };
  return aliases[u] ?? u;
};

function truncateLocal(unit: string, local: number, type: SqlType): number {
  if (!Number.isFinite(local)) return local;
  const f = fieldsOf(local);
  const day0 = f.days * USECS_PER_DAY;
  const ymd = (y: number, m: number) => daysFromCivil(y, m, 1) * USECS_PER_DAY;
  switch (normalizeUnit(unit)) {
    case 'microseconds':
      return local;
    case 'milliseconds':
      return local - (((local % 1000) + 1000) % 1000);
    case 'second':
      return local - (((local % USECS_PER_SEC) + USECS_PER_SEC) % USECS_PER_SEC);
    case 'minute':
      return day0 + f.hour * USECS_PER_HOUR + f.minute * USECS_PER_MINUTE;
    case 'hour':
      return day0 + f.hour * USECS_PER_HOUR;
    case 'day':
      return day0;
    case 'week': {
      const isoDow = ((((f.days + 3) % 7) + 7) % 7) + 1;
      return (f.days - (isoDow - 1)) * USECS_PER_DAY;
    }
    case 'month':
      return ymd(f.year, f.month);
    case 'quarter':
      return ymd(f.year, f.month - ((f.month - 1) % 3));
    case 'year':
      return ymd(f.year, 1);
    case 'decade':
      return ymd(f.year > 0 ? f.year - (f.year % 10) : -(Math.floor((-f.year + 9) / 10) * 10 - 1) + 1 - 1, 1);
    case 'century':
      return ymd(f.year > 0 ? Math.floor((f.year - 1) / 100) * 100 + 1 : -(Math.floor(-f.year / 100) * 100) - 99, 1);
    case 'millennium':
      return ymd(f.year > 0 ? Math.floor((f.year - 1) / 1000) * 1000 + 1 : -(Math.floor(-f.year / 1000) * 1000) - 999, 1);
    default:
      throw unitError(unit, type);
  }
}

function truncateInterval(unit: string, span: Interval): Interval {
  const u = normalizeUnit(unit);
  const time = span.micros;
  const trunc = (m: number) => Math.trunc(time / m) * m;
  switch (u) {
    case 'microseconds':
      return span;
    case 'milliseconds':
      return new Interval(span.months, span.days, trunc(1000));
    case 'second':
      return new Interval(span.months, span.days, trunc(USECS_PER_SEC));
    case 'minute':
      return new Interval(span.months, span.days, trunc(USECS_PER_MINUTE));
    case 'hour':
      return new Interval(span.months, span.days, trunc(USECS_PER_HOUR));
    case 'day':
      return new Interval(span.months, span.days, 0);
    case 'month':
      return new Interval(span.months, 0, 0);
    case 'quarter':
      return new Interval(span.months - (span.months % 3), 0, 0);
    case 'year':
      return new Interval(span.months - (span.months % 12), 0, 0);
    case 'decade':
      return new Interval(span.months - (span.months % 120), 0, 0);
    case 'century':
      return new Interval(span.months - (span.months % 1200), 0, 0);
    case 'millennium':
      return new Interval(span.months - (span.months % 12000), 0, 0);
    default:
      throw new SqlError(SQLSTATE.invalidParameterValue, `unit "${unit}" not recognized for type interval`);
  }
}

/** A field value as a numeric with PostgreSQL 14+'s extract() scale. */
type FieldValue = { value: Decimal; scale: number };
const whole = (n: number): FieldValue => ({ value: new Decimal(n), scale: 0 });
const scaled = (micros: number, unitMicros: number, scale: number): FieldValue => ({ value: new Decimal(micros).div(unitMicros), scale });

function timestampField(unit: string, local: number, utc: number, type: SqlType, offsetSeconds: number): FieldValue {
  const f = fieldsOf(local);
  const isoDow = ((((f.days + 3) % 7) + 7) % 7) + 1;
  switch (normalizeUnit(unit)) {
    case 'microseconds':
      return whole(f.micros);
    case 'milliseconds':
      return scaled(f.micros, 1000, 3);
    case 'second':
      return scaled(f.micros, USECS_PER_SEC, 6);
    case 'minute':
      return whole(f.minute);
    case 'hour':
      return whole(f.hour);
    case 'day':
      return whole(f.day);
    case 'month':
      return whole(f.month);
    case 'quarter':
      return whole(Math.floor((f.month - 1) / 3) + 1);
    case 'week':
      return whole(isoWeek(f.days).week);
    case 'year':
      return whole(f.year > 0 ? f.year : f.year - 1);
    case 'isoyear': {
      const y = isoWeek(f.days).isoYear;
      return whole(y > 0 ? y : y - 1);
    }
    case 'decade':
      return whole(f.year >= 0 ? Math.floor(f.year / 10) : -Math.floor((8 - (f.year - 1)) / 10));
    case 'century':
      return whole(f.year > 0 ? Math.floor((f.year + 99) / 100) : -Math.floor((99 - (f.year - 1)) / 100));
    case 'millennium':
      return whole(f.year > 0 ? Math.floor((f.year + 999) / 1000) : -Math.floor((999 - (f.year - 1)) / 1000));
    case 'dow':
      return whole(isoDow % 7);
    case 'isodow':
      return whole(isoDow);
    case 'doy':
      return whole(f.days - daysFromCivil(f.year, 1, 1) + 1);
    case 'julian':
      return { value: new Decimal(f.days + 2440588).plus(new Decimal(local - f.days * USECS_PER_DAY).div(USECS_PER_DAY)), scale: -1 };
    case 'epoch':
      return scaled(utc, USECS_PER_SEC, 6);
    case 'timezone':
      if (type === tstz) return whole(offsetSeconds);
      throw unitError(unit, type);
    case 'timezone_hour':
      if (type === tstz) return whole(Math.trunc(offsetSeconds / 3600));
      throw unitError(unit, type);
    case 'timezone_minute':
      if (type === tstz) return whole(Math.trunc((offsetSeconds % 3600) / 60));
      throw unitError(unit, type);
    default:
      throw unitError(unit, type);
  }
}

function intervalField(unit: string, span: Interval): FieldValue {
  const time = span.micros;
  switch (normalizeUnit(unit)) {
    case 'microseconds':
      return whole(time % USECS_PER_MINUTE);
    case 'milliseconds':
      return scaled(time % USECS_PER_MINUTE, 1000, 3);
    case 'second':
      return scaled(time % USECS_PER_MINUTE, USECS_PER_SEC, 6);
    case 'minute':
      return whole(Math.trunc((time % USECS_PER_HOUR) / USECS_PER_MINUTE));
    case 'hour':
      return whole(Math.trunc(time / USECS_PER_HOUR));
    case 'day':
      return whole(span.days);
    case 'month':
      return whole(span.months % 12);
    case 'quarter':
      return whole(Math.trunc((span.months % 12) / 3) + 1);
    case 'year':
      return whole(Math.trunc(span.months / 12));
    case 'decade':
      return whole(Math.trunc(span.months / 120));
    case 'century':
      return whole(Math.trunc(span.months / 1200));
    case 'millennium':
      return whole(Math.trunc(span.months / 12000));
    case 'epoch': {
      const years = Math.trunc(span.months / 12);
      const seconds = new Decimal(years).times(365.25 * 86400).plus((span.months % 12) * 30 * 86400).plus(span.days * 86400);
      return { value: seconds.plus(new Decimal(time).div(USECS_PER_SEC)), scale: 6 };
    }
    default:
      throw new SqlError(SQLSTATE.invalidParameterValue, `unit "${unit}" not recognized for type interval`);
  }
}

/** Fields an infinite date or timestamp has: infinite ones; every other field is NULL (PostgreSQL 15). */
const INFINITE_FIELDS = new Set(['epoch', 'julian', 'year', 'isoyear', 'decade', 'century', 'millennium']);

function fieldOf(type: SqlType, unit: string, v: Value, env: EvalEnv): FieldValue | null {
  if (type === iv) return intervalField(unit, v as Interval);
  if (!Number.isFinite(v as number)) {
    // still refuse units the type does not know
    fieldOf(type, unit, 0, env);
    return INFINITE_FIELDS.has(normalizeUnit(unit)) ? { value: new Decimal(v as number), scale: 0 } : null;
  }
  if (type === T.date) {
    const days = v as number;
    const u = normalizeUnit(unit);
    if (['microseconds', 'milliseconds', 'second', 'minute', 'hour', 'timezone', 'timezone_hour', 'timezone_minute'].includes(u)) {
      throw new SqlError(SQLSTATE.featureNotSupported, `unit "${unit}" not supported for type date`);
    }
    const field = timestampField(unit, days * USECS_PER_DAY, days * USECS_PER_DAY, T.date, 0);
    return u === 'epoch' ? { value: field.value, scale: 0 } : field;
  }
  const t = v as number;
  if (type === tstz) {
    const zone = zoneOf(env);
    const offset = zone.offsetAt(t);
    return timestampField(unit, t + offset * USECS_PER_SEC, t, tstz, offset);
  }
  return timestampField(unit, t, t, ts, 0);
}

const extractNumeric = (f: FieldValue | null): Decimal | null => (f === null ? null : f.scale < 0 ? f.value : withScale(f.value, f.scale));

function dateBin(stride: Interval, source: number, origin: number): number {
  if (stride.months !== 0) throw new SqlError('0A000', 'timestamps cannot be binned into intervals containing months or years');
  const strideMicros = stride.days * USECS_PER_DAY + stride.micros;
  if (strideMicros <= 0) throw new SqlError(SQLSTATE.invalidParameterValue, 'stride must be greater than zero');
  if (!Number.isFinite(source)) return source;
  const diff = source - origin;
  let delta = diff - (diff % strideMicros);
  if (diff < 0 && diff % strideMicros !== 0) delta -= strideMicros;
  return checkTimestamp(origin + delta);
}

export function namedZone(name: string): TimeZone {
  const zone = resolveTimeZone(name);
  if (!zone) throw new SqlError(SQLSTATE.invalidParameterValue, `time zone "${name}" not recognized`);
  return zone;
}

register(
  fn('date_trunc', [T.text, ts], ts, ([u, t]) => truncateLocal(u, t, ts)),
  fn('date_trunc', [T.text, tstz], tstz, ([u, t], env) => {
    if (!Number.isFinite(t)) return t;
    const zone = zoneOf(env);
    return localToUtc(truncateLocal(u, utcToLocal(t, zone), tstz), zone);
  }, volatile),
  fn('date_trunc', [T.text, tstz, T.text], tstz, ([u, t, z]) => {
    if (!Number.isFinite(t)) return t;
    const zone = namedZone(z);
    return localToUtc(truncateLocal(u, utcToLocal(t, zone), tstz), zone);
  }),
  fn('date_trunc', [T.text, iv], iv, ([u, span]) => truncateInterval(u, span)),
  // date_part gives double precision; extract (PostgreSQL 14+) numeric, and also reads dates
  ...[ts, tstz, iv].map((type) =>
    fn('date_part', [T.text, type], T.float8, ([u, v], env) => fieldOf(type, u, v, env)?.value.toNumber() ?? null, { volatile: type === tstz }),
  ),
  ...[ts, tstz, iv, T.date].map((type) =>
    fn('extract', [T.text, type], T.numeric, ([u, v], env) => extractNumeric(fieldOf(type, u, v, env)), { volatile: type === tstz }),
  ),
  fn('date_bin', [iv, ts, ts], ts, ([s, t, o]) => dateBin(s, t, o)),
  fn('date_bin', [iv, tstz, tstz], tstz, ([s, t, o]) => dateBin(s, t, o)),
);
