/**
 * avg's arithmetic as PostgreSQL does it: numeric division to the scale select_div_scale picks
 * (at least 16 significant digits), computed exactly in integers, and interval division with its
 * cascading of month and day fractions.
 */
import { Decimal } from 'decimal.js';
import { Interval } from '../../types/types.js';
import { withScale } from '../../types/numeric.js';

/** The NBASE-10000 weight and leading digit of a number given by its decimal digits and exponent. */
function nbaseHead(digits: string, exponent: number): { weight: number; first: number } {
  const weight = Math.floor(exponent / 4);
  const width = exponent - weight * 4 + 1;
  return { weight, first: Number(digits.padEnd(width, '0').slice(0, width)) };
}

function decimalHead(d: Decimal): { weight: number; first: number } {
  if (d.isZero()) return { weight: 0, first: 0 };
  const [mantissa, exp] = d.abs().toExponential().split('e');
  return nbaseHead(mantissa.replace('.', ''), Number(exp));
}

function integerHead(v: bigint): { weight: number; first: number } {
  if (v === 0n) return { weight: 0, first: 0 };
  const digits = (v < 0n ? -v : v).toString();
  return nbaseHead(digits, digits.length - 1);
}

/**
 * PostgreSQL's select_div_scale: enough decimals for at least 16 significant digits, never fewer
 * than the dividend's display scale. avg(1, 2) = 1.5000000000000000.
 */
function divisionScale(num: { weight: number; first: number }, numScale: number, den: bigint): number {
  const d = integerHead(den);
  let qweight = num.weight - d.weight;
  if (num.first <= d.first) qweight--;
  return Math.min(Math.max(16 - qweight * 4, numScale, 0), 1000);
}

const powersOfTen: bigint[] = [1n];
function pow10(n: number): bigint {
  while (powersOfTen.length <= n) powersOfTen.push(powersOfTen[powersOfTen.length - 1] * 10n);
  return powersOfTen[n];
}

/** scaledSum / 10^sumScale divided by den, rounded half away from zero to `scale` decimals, exactly. */
function divideToScale(scaledSum: bigint, sumScale: number, den: bigint, scale: number): Decimal {
  const num = scaledSum * pow10(scale - sumScale);
  let q = num / den;
  const r = num % den;
  if (2n * (r < 0n ? -r : r) >= den) q += num < 0n ? -1n : 1n;
  return withScale(new Decimal(`${q}e-${scale}`), scale);
}

/** avg of integers: an exact numeric with PostgreSQL's scale. */
export function integerAverage(sum: bigint, n: number): Decimal {
  return divideToScale(sum, 0, BigInt(n), divisionScale(integerHead(sum), 0, BigInt(n)));
}

/** avg of numerics: an exact numeric with PostgreSQL's scale. */
export function decimalAverage(sum: Decimal, sumScale: number, n: number): Decimal {
  return decimalQuotient(sum, sumScale, BigInt(n));
}

/** num / den as PostgreSQL's numeric division gives it (select_div_scale's scale, rounded half away from zero), exactly. */
export function decimalQuotient(num: Decimal, numScale: number, den: bigint): Decimal {
  if (!num.isFinite()) return num;
  const scale = divisionScale(decimalHead(num), numScale, den);
  // numScale covers every decimal of num, so the scaled value is an integer.
  return divideToScale(BigInt(num.times(pow10(numScale).toString()).toFixed(0)), numScale, den, scale);
}

/**
 * The square root of a non-negative numeric to its own display scale, rounded half up (what
 * PostgreSQL's sqrt_var gives stddev at the variance's scale), exactly in integers.
 */
export function decimalSqrt(value: Decimal, scale: number): Decimal {
  // sqrt(v) * 10^s = sqrt(v * 10^2s): the integer square root of that, rounded.
  const m = BigInt(value.times(pow10(2 * scale).toString()).toFixed(0));
  let r = integerSqrt(m);
  if (m - r * r > r) r += 1n;
  return withScale(new Decimal(`${r}e-${scale}`), scale);
}

function integerSqrt(n: bigint): bigint {
  if (n < 2n) return n;
  // Newton's method from a power of two above the root.
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/**
 * PostgreSQL's interval division (interval_div): months and days divide separately, and the
 * fractions cascade down (a month fraction as 30-day days, a day fraction as time).
 */
export function divideInterval(months: number, days: number, micros: number, n: number): Interval {
  const m = Math.trunc(months / n);
  let d = Math.trunc(days / n);
  // TSROUND: PostgreSQL rounds the cascaded fractions to microsecond precision on the way.
  const tsRound = (x: number): number => Math.round(x * 1e6) / 1e6;
  const monthRemainderDays = tsRound((months / n - m) * 30);
  let secRemainder = tsRound((days / n - d + monthRemainderDays - Math.trunc(monthRemainderDays)) * 86_400);
  if (Math.abs(secRemainder) >= 86_400) {
    const whole = Math.trunc(secRemainder / 86_400);
    d += whole;
    secRemainder -= whole * 86_400;
  }
  d += Math.trunc(monthRemainderDays);
  return new Interval(m, d, Math.round(micros / n + secRemainder * 1e6));
}
