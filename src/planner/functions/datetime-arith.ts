/**
 * The arithmetic of dates, timestamps and intervals: date ± integer, timestamp ± interval,
 * timestamp - timestamp, interval ± * / (types/interval-arith.ts) and justify_*. Adding months
 * clamps the day to the month's end; timestamptz arithmetic by months and days happens in the
 * session's time zone, as in PostgreSQL, so those operators are marked volatile (never folded
 * ahead of the session).
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { Interval, T } from '../../types/types.js';
import type { EvalEnv } from '../expr-ir.js';
import { rint } from '../../types/rint.js';
import { checkInterval, intervalPlus, intervalScale } from '../../types/interval-arith.js';
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
  sessionZone,
  splitTimestamp,
  utcToLocal,
} from '../../types/datetime.js';
import { divisionByZero } from './arithmetic.js';
import { fnEnv as fn, register } from './registry.js';

const ts = T.timestamp;
const tstz = T.timestamptz;
const iv = T.interval;
const volatile = { volatile: true };

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
    const zone = sessionZone(env.setting('timezone'));
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

/** make_interval(years, months, weeks, days, hours, mins, secs), each defaulting to zero. */
function makeInterval(args: number[]): Interval {
  const [years = 0, months = 0, weeks = 0, days = 0, hours = 0, mins = 0, secs = 0] = args;
  if (!Number.isFinite(secs)) throw new SqlError(SQLSTATE.datetimeFieldOverflow, 'interval out of range');
  const micros = hours * USECS_PER_HOUR + mins * USECS_PER_MINUTE + rint(secs * USECS_PER_SEC);
  return checkInterval(years * 12 + months, weeks * 7 + days, micros);
}

const MAKE_INTERVAL_ARGS = [T.int4, T.int4, T.int4, T.int4, T.int4, T.int4, T.float8];

register(
  ...MAKE_INTERVAL_ARGS.map((_, n) => fn('make_interval', MAKE_INTERVAL_ARGS.slice(0, n + 1), iv, (args) => makeInterval(args))),
  fn('make_interval', [], iv, () => makeInterval([])),
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
  fn('+', [iv, iv], iv, ([a, b]) => intervalPlus(a, b, 1)),
  fn('-', [iv, iv], iv, ([a, b]) => intervalPlus(a, b, -1)),
  fn('-', [iv], iv, ([a]) => checkInterval(-a.months, -a.days, -a.micros)),
  fn('+', [iv], iv, ([a]) => a),
  fn('*', [iv, T.float8], iv, ([a, f]) => intervalScale(a, f, 'mul')),
  fn('*', [T.float8, iv], iv, ([f, a]) => intervalScale(a, f, 'mul')),
  fn('/', [iv, T.float8], iv, ([a, f]) => {
    if (f === 0) throw divisionByZero();
    return intervalScale(a, f, 'div');
  }),
  fn('justify_hours', [iv], iv, ([a]) => justifyHours(a)),
  fn('justify_days', [iv], iv, ([a]) => justifyDays(a)),
  fn('justify_interval', [iv], iv, ([a]) => justifyHours(justifyDays(justifyHours(a)))),
);
