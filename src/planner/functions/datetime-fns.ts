/**
 * Clock and construction functions of dates and times: now() and its kin, age, make_date,
 * make_timestamp, to_timestamp(seconds), AT TIME ZONE (timezone()) and isfinite.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { Interval, T } from '../../types/types.js';
import {
  USECS_PER_DAY,
  USECS_PER_HOUR,
  USECS_PER_MINUTE,
  USECS_PER_SEC,
  checkDate,
  checkTimestamp,
  daysFromCivil,
  daysInMonth,
  localToUtc,
  utcToLocal,
} from '../../types/datetime.js';
import { checkInterval } from '../../types/interval-arith.js';
import { fieldsOf, namedZone, zoneOf } from './datetime-fields.js';
import { fnEnv as fn, register } from './registry.js';

const ts = T.timestamp;
const tstz = T.timestamptz;
const iv = T.interval;
const volatile = { volatile: true };

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

register(
  fn('now', [], tstz, (_a, env) => env.now, volatile),
  fn('transaction_timestamp', [], tstz, (_a, env) => env.now, volatile),
  fn('statement_timestamp', [], tstz, (_a, env) => env.now, volatile),
  fn('clock_timestamp', [], tstz, () => Date.now() * 1000, volatile),
  fn('current_date', [], T.date, (_a, env) => Math.floor(utcToLocal(env.now, zoneOf(env)) / USECS_PER_DAY), volatile),
  fn('localtimestamp', [], ts, (_a, env) => utcToLocal(env.now, zoneOf(env)), volatile),

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
