/**
 * Interval arithmetic as PostgreSQL does it (interval_pl, interval_mi, interval_mul, interval_div),
 * shared by the operators (planner/functions/datetime-arith.ts) and the aggregates that
 * interpolate intervals (percentile_cont in engine/ops/ordered-set.ts).
 */
import { SqlError, SQLSTATE } from '../errors.js';
import { rint } from './rint.js';
import { Interval } from './types.js';
import { USECS_PER_SEC } from './datetime.js';

const INT32_MAX = 2147483647;
function intervalOverflow(): SqlError {
  return new SqlError(SQLSTATE.datetimeFieldOverflow, 'interval out of range');
}
/** An interval from computed fields, 22008 when they leave PostgreSQL's ranges (32-bit months and days). */
export function checkInterval(months: number, days: number, micros: number): Interval {
  if (Math.abs(months) > INT32_MAX || Math.abs(days) > INT32_MAX || !Number.isSafeInteger(micros)) throw intervalOverflow();
  return new Interval(months || 0, days || 0, micros || 0);
}

/** a + b (sign 1) or a − b (sign −1), field by field. */
export function intervalPlus(a: Interval, b: Interval, sign: 1 | -1): Interval {
  return checkInterval(a.months + sign * b.months, a.days + sign * b.days, a.micros + sign * b.micros);
}

/** PostgreSQL's TSROUND: to the microsecond. */
const tsRound = (x: number) => rint(x * 1e6) / 1e6;

/**
 * interval * factor and interval / factor (PostgreSQL's interval_mul and interval_div, which
 * divide rather than multiply by the reciprocal: the floating-point results differ).
 */
export function intervalScale(span: Interval, factor: number, op: 'mul' | 'div'): Interval {
  if (Number.isNaN(factor)) throw new SqlError(SQLSTATE.datetimeFieldOverflow, 'interval out of range');
  const scale = op === 'mul' ? (x: number) => x * factor : (x: number) => x / factor;
  const monthsD = scale(span.months);
  const daysD = scale(span.days);
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
  const micros = rint(scale(span.micros) + secRemainder * USECS_PER_SEC);
  return checkInterval(months, days, micros);
}
