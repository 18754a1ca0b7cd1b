/**
 * Date/time functions and operators: now(), date_trunc, date_part/extract, date_bin, age,
 * make_date, to_timestamp, AT TIME ZONE, and the arithmetic of dates, timestamps and intervals.
 * timestamptz arithmetic by months and days happens in the session's time zone, as in PostgreSQL.
 */
import { Decimal } from 'decimal.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { Interval, T, type SqlType, type Value } from '../../types/types.js';
import { withScale } from '../../types/numeric.js';
import {
  USECS_PER_DAY,
  USECS_PER_HOUR,
  USECS_PER_MINUTE,
  USECS_PER_SEC,
  checkDate,
  checkTimestamp,
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  localToUtc,
  resolveTimeZone,
  sessionZone,
  splitTimestamp,
  utcToLocal,
  type TimeZone,
} from '../../types/datetime.js';
import type { EvalEnv } from '../expr-ir.js';
import { divisionByZero } from './arithmetic.js';
import { register, type FunctionDef } from './registry.js';

const ts = T.timestamp;
const tstz = T.timestamptz;
const iv = T.interval;

const zoneOf = (env: EvalEnv): TimeZone => sessionZone(env.setting('timezone'));

function fn(name: string, args: SqlType[], returns: SqlType, impl: (a: any[], env: EvalEnv) => Value, extra: Partial<FunctionDef> = {}): FunctionDef {
  return { name, args, returns, impl, ...extra };
}

// ---- interval arithmetic ----------------------------------------------------------------------

const INT32_MAX = 2147483647;
function intervalOverflow(): SqlError {
  return new SqlError(SQLSTATE.datetimeFieldOverflow, 'interval out of range');
}
function checkInterval(months: number, days: number, micros: number): Interval {
  if (Math.abs(months) > INT32_MAX || Math.abs(days) > INT32_MAX || !Number.isSafeInteger(micros)) throw intervalOverflow();
  return new Interval(months || 0, days || 0, micros || 0);
}

/** Adds an interval to wall-clock microseconds: months (clamping the day), then days, then time. */
function addToLocal(local: number, span: Interval, sign: 1 | -1): number {
  let result = local;
  if (span.months !== 0) {
    const { days, timeOfDay } = splitTimestamp(result);
    const { year, month, day } = civilFromDays(days);
    const total = year * 12 + (month - 1) + sign * span.months;
    const y = Math.floor(total / 12);
    const m = total - y * 12 + 1;
    result = daysFromCivil(y, m, Math.min(day, daysInMonth(y, m))) * USECS_PER_DAY + timeOfDay;
  }
  return result + sign * span.days * USECS_PER_DAY;
}

function timestampPlus(t: number, span: Interval, sign: 1 | -1): number {
  if (!Number.isFinite(t)) return t;
  return checkTimestamp(addToLocal(t, span, sign) + sign * span.micros);
}

function timestamptzPlus(t: number, span: Interval, sign: 1 | -1, env: EvalEnv): number {
  if (!Number.isFinite(t)) return t;
  let result = t;
  if (span.months !== 0 || span.days !== 0) {
    const zone = zoneOf(env);
    result = localToUtc(addToLocal(utcToLocal(t, zone), span, sign), zone);
  }
  return checkTimestamp(result + sign * span.micros);
}

/** timestamp - timestamp: the difference in microseconds, with whole days split out (justify_hours). */
function timestampDiff(a: number, b: number): Interval {
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw new SqlError(SQLSTATE.datetimeFieldOverflow, 'cannot subtract infinite timestamps');
  const diff = a - b;
  const days = Math.trunc(diff / USECS_PER_DAY);
  return checkInterval(0, days, diff - days * USECS_PER_DAY);
}

const tsRound = (x: number) => Math.round(x * 1e6) / 1e6;

/** interval * factor as PostgreSQL's interval_mul spills fractions of months and days downwards. */
function intervalMul(span: Interval, factor: number): Interval {
  if (Number.isNaN(factor)) throw new SqlError(SQLSTATE.datetimeFieldOverflow, 'interval out of range');
  const monthsD = span.months * factor;
  const daysD = span.days * factor;
  if (!Number.isFinite(monthsD) || Math.abs(monthsD) > INT32_MAX || Math.abs(daysD) > INT32_MAX) throw intervalOverflow();
  const months = Math.trunc(monthsD);
  let days = Math.trunc(daysD);
  const monthRemainderDays = tsRound((monthsD - months) * 30);
  let secRemainder = tsRound((daysD - days + monthRemainderDays - Math.trunc(monthRemainderDays)) * 86400);
  if (Math.abs(secRemainder) >= 86400) {
    days += Math.trunc(secRemainder / 86400);
    secRemainder -= Math.trunc(secRemainder / 86400) * 86400;
  }
  days += Math.trunc(monthRemainderDays);
  const micros = Math.round(span.micros * factor + secRemainder * USECS_PER_SEC);
  return checkInterval(months, days, micros);
}

function justifyHours(span: Interval): Interval {
  let days = span.days + Math.trunc(span.micros / USECS_PER_DAY);
  let micros = span.micros % USECS_PER_DAY;
  if (days > 0 && micros < 0) {
    micros += USECS_PER_DAY;
    days--;
  } else if (days < 0 && micros > 0) {
    micros -= USECS_PER_DAY;
    days++;
  }
  return checkInterval(span.months, days, micros);
}

function justifyDays(span: Interval): Interval {
  let months = span.months + Math.trunc(span.days / 30);
  let days = span.days % 30;
  if (months > 0 && days < 0) {
    days += 30;
    months--;
  } else if (months < 0 && days > 0) {
    days -= 30;
    months++;
  }
  return checkInterval(months, days, span.micros);
}

// ---- fields: date_trunc, date_part, extract ---------------------------------------------------

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  micros: number; // within the minute
  days: number; // since epoch
}

function fieldsOf(local: number): Fields {
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

function fieldOf(type: SqlType, unit: string, v: Value, env: EvalEnv): FieldValue {
  if (type === iv) return intervalField(unit, v as Interval);
  if (type === T.date) {
    const days = v as number;
    const u = normalizeUnit(unit);
    if (['microseconds', 'milliseconds', 'second', 'minute', 'hour', 'timezone', 'timezone_hour', 'timezone_minute'].includes(u)) {
      throw new SqlError(SQLSTATE.featureNotSupported, `unit "${unit}" not supported for type date`);
    }
    if (!Number.isFinite(days)) return { value: new Decimal(days), scale: 0 };
    const field = timestampField(unit, days * USECS_PER_DAY, days * USECS_PER_DAY, T.date, 0);
    return u === 'epoch' ? { value: field.value, scale: 0 } : field;
  }
  const t = v as number;
  if (!Number.isFinite(t)) return { value: new Decimal(t), scale: 0 };
  if (type === tstz) {
    const zone = zoneOf(env);
    const offset = zone.offsetAt(t);
    return timestampField(unit, t + offset * USECS_PER_SEC, t, tstz, offset);
  }
  return timestampField(unit, t, t, ts, 0);
}

const extractNumeric = (f: FieldValue): Decimal => (f.scale < 0 ? f.value : withScale(f.value, f.scale));

// ---- other functions --------------------------------------------------------------------------

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

/** age(a, b): the symbolic difference in years, months, days and time, borrowing as PostgreSQL does. */
function age(a: number, b: number): Interval {
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw new SqlError(SQLSTATE.datetimeFieldOverflow, 'cannot subtract infinite timestamps');
  const f1 = fieldsOf(a);
  const f2 = fieldsOf(b);
  const neg = a < b;
  const s = neg ? -1 : 1;
  let micros = s * (f1.micros - f2.micros);
  let minute = s * (f1.minute - f2.minute);
  let hour = s * (f1.hour - f2.hour);
  let day = s * (f1.day - f2.day);
  let month = s * (f1.month - f2.month);
  let year = s * (f1.year - f2.year);
  while (micros < 0) {
    micros += USECS_PER_MINUTE;
    minute--;
  }
  while (minute < 0) {
    minute += 60;
    hour--;
  }
  while (hour < 0) {
    hour += 24;
    day--;
  }
  while (day < 0) {
    const ref = neg ? f1 : f2;
    day += daysInMonth(ref.year, ref.month);
    month--;
  }
  while (month < 0) {
    month += 12;
    year--;
  }
  return checkInterval(s * (year * 12 + month), s * day, s * (hour * USECS_PER_HOUR + minute * USECS_PER_MINUTE + micros));
}

function makeDate(year: number, month: number, day: number): number {
  const y = year < 0 ? year + 1 : year;
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(y, month)) {
    throw new SqlError(SQLSTATE.datetimeFieldOverflow, `date field value out of range: ${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
  }
  return checkDate(daysFromCivil(y, month, day));
}

function namedZone(name: string): TimeZone {
  const zone = resolveTimeZone(name);
  if (!zone) throw new SqlError(SQLSTATE.invalidParameterValue, `time zone "${name}" not recognized`);
  return zone;
}

const volatile = { volatile: true };

register(
  fn('now', [], tstz, (_a, env) => env.now, volatile),
  fn('transaction_timestamp', [], tstz, (_a, env) => env.now, volatile),
  fn('statement_timestamp', [], tstz, (_a, env) => env.now, volatile),
  fn('clock_timestamp', [], tstz, () => Date.now() * 1000, volatile),
  fn('current_date', [], T.date, (_a, env) => Math.floor(utcToLocal(env.now, zoneOf(env)) / USECS_PER_DAY), volatile),
  fn('localtimestamp', [], ts, (_a, env) => utcToLocal(env.now, zoneOf(env)), volatile),

  // date arithmetic
  fn('+', [T.date, T.int4], T.date, ([d, n]) => checkDate(d + n)),
  fn('+', [T.int4, T.date], T.date, ([n, d]) => checkDate(d + n)),
  fn('-', [T.date, T.int4], T.date, ([d, n]) => checkDate(d - n)),
  fn('-', [T.date, T.date], T.int4, ([a, b]) => {
    if (!Number.isFinite(a) || !Number.isFinite(b)) throw new SqlError(SQLSTATE.datetimeFieldOverflow, 'cannot subtract infinite dates');
    return a - b;
  }),
  fn('+', [T.date, iv], ts, ([d, span]) => timestampPlus(d * USECS_PER_DAY, span, 1)),
  fn('+', [iv, T.date], ts, ([span, d]) => timestampPlus(d * USECS_PER_DAY, span, 1)),
  fn('-', [T.date, iv], ts, ([d, span]) => timestampPlus(d * USECS_PER_DAY, span, -1)),

  // timestamp arithmetic
  fn('+', [ts, iv], ts, ([t, span]) => timestampPlus(t, span, 1)),
  fn('+', [iv, ts], ts, ([span, t]) => timestampPlus(t, span, 1)),
  fn('-', [ts, iv], ts, ([t, span]) => timestampPlus(t, span, -1)),
  fn('-', [ts, ts], iv, ([a, b]) => timestampDiff(a, b)),
  fn('+', [tstz, iv], tstz, ([t, span], env) => timestamptzPlus(t, span, 1, env), volatile),
  fn('+', [iv, tstz], tstz, ([span, t], env) => timestamptzPlus(t, span, 1, env), volatile),
  fn('-', [tstz, iv], tstz, ([t, span], env) => timestamptzPlus(t, span, -1, env), volatile),
  fn('-', [tstz, tstz], iv, ([a, b]) => timestampDiff(a, b)),

  // interval arithmetic
  fn('+', [iv, iv], iv, ([a, b]) => checkInterval(a.months + b.months, a.days + b.days, a.micros + b.micros)),
  fn('-', [iv, iv], iv, ([a, b]) => checkInterval(a.months - b.months, a.days - b.days, a.micros - b.micros)),
  fn('-', [iv], iv, ([a]) => checkInterval(-a.months, -a.days, -a.micros)),
  fn('+', [iv], iv, ([a]) => a),
  fn('*', [iv, T.float8], iv, ([a, f]) => intervalMul(a, f)),
  fn('*', [T.float8, iv], iv, ([f, a]) => intervalMul(a, f)),
  fn('/', [iv, T.float8], iv, ([a, f]) => {
    if (f === 0) throw divisionByZero();
    return intervalMul(a, 1 / f);
  }),
  fn('justify_hours', [iv], iv, ([a]) => justifyHours(a)),
  fn('justify_days', [iv], iv, ([a]) => justifyDays(a)),
  fn('justify_interval', [iv], iv, ([a]) => justifyHours(justifyDays(justifyHours(a)))),

  // fields
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
  ...[ts, tstz, iv, T.date].flatMap((type) => [
    {
      name: 'date_part',
      args: [T.text, type === T.date ? ts : type],
      returns: T.float8,
      volatile: type === tstz,
      impl: ([u, v], env: EvalEnv) => fieldOf(type === T.date ? ts : type, u as string, v, env).value.toNumber(),
    } satisfies FunctionDef,
    {
      name: 'extract',
      args: [T.text, type],
      returns: T.numeric,
      volatile: type === tstz,
      impl: ([u, v], env: EvalEnv) => extractNumeric(fieldOf(type, u as string, v, env)),
    } satisfies FunctionDef,
  ]).filter((d, i, all) => all.findIndex((o) => o.name === d.name && o.args[1] === d.args[1]) === i),
  fn('date_bin', [iv, ts, ts], ts, ([s, t, o]) => dateBin(s, t, o)),
  fn('date_bin', [iv, tstz, tstz], tstz, ([s, t, o]) => dateBin(s, t, o)),
  fn('age', [ts, ts], iv, ([a, b]) => age(a, b)),
  fn('age', [tstz, tstz], iv, ([a, b], env) => age(utcToLocal(a, zoneOf(env)), utcToLocal(b, zoneOf(env))), volatile),
  fn('age', [ts], iv, ([a], env) => age(Math.floor(utcToLocal(env.now, zoneOf(env)) / USECS_PER_DAY) * USECS_PER_DAY, a), volatile),
  fn('make_date', [T.int4, T.int4, T.int4], T.date, ([y, m, d]) => makeDate(y, m, d)),
  fn('make_timestamp', [T.int4, T.int4, T.int4, T.int4, T.int4, T.float8], ts, ([y, mo, d, h, mi, s]) => {
    if (h < 0 || h > 24 || mi < 0 || mi > 59 || s < 0 || s > 60) {
      throw new SqlError(SQLSTATE.datetimeFieldOverflow, `date field value out of range: ${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    }
    return checkTimestamp(makeDate(y, mo, d) * USECS_PER_DAY + h * USECS_PER_HOUR + mi * USECS_PER_MINUTE + Math.round(s * USECS_PER_SEC));
  }),
  fn('to_timestamp', [T.float8], tstz, ([secs]) => {
    if (Number.isNaN(secs)) throw new SqlError(SQLSTATE.invalidParameterValue, 'timestamp cannot be NaN');
    if (!Number.isFinite(secs)) return secs;
    return checkTimestamp(Math.round(secs * USECS_PER_SEC));
  }),
  fn('timezone', [T.text, tstz], ts, ([z, t]) => utcToLocal(t, namedZone(z))),
  fn('timezone', [T.text, ts], tstz, ([z, t]) => localToUtc(t, namedZone(z))),
  fn('timezone', [iv, tstz], ts, ([z, t]) => (Number.isFinite(t) ? t + (z as Interval).micros : t)),
  fn('timezone', [iv, ts], tstz, ([z, t]) => (Number.isFinite(t) ? t - (z as Interval).micros : t)),
  fn('isfinite', [T.date], T.bool, ([d]) => Number.isFinite(d)),
  fn('isfinite', [ts], T.bool, ([t]) => Number.isFinite(t)),
  fn('isfinite', [tstz], T.bool, ([t]) => Number.isFinite(t)),
  fn('isfinite', [iv], T.bool, () => true),
);
