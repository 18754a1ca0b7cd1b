/**
 * Mathematical functions over the integer, float and numeric types. numeric results get
 * PostgreSQL's result scales (at least 16 significant digits for sqrt/exp/ln/log/power).
 */
import { Decimal } from 'decimal.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { T, type SqlType } from '../../types/types.js';
import { NUMERIC_MAX_DISPLAY_SCALE, numericDivTrunc, numericMod, scaleOf, withPrecision, withScale } from '../../types/numeric.js';
import { rint } from '../../types/rint.js';
import { checkFloat, divisionByZero } from './arithmetic.js';
import { fn, register } from './registry.js';

const f8 = T.float8;
const num = T.numeric;

const invalidArgument = (message: string) => new SqlError('2201F', message);
const invalidLogArgument = (message: string) => new SqlError('2201E', message);

function checkLogArgument(x: number | Decimal): void {
  const zero = typeof x === 'number' ? x === 0 : x.isZero();
  const negative = typeof x === 'number' ? x < 0 : x.isNegative();
  if (zero) throw invalidLogArgument('cannot take logarithm of zero');
  if (negative) throw invalidLogArgument('cannot take logarithm of a negative number');
}

function floatPower(a: number, b: number): number {
  if (a === 0 && b < 0) throw invalidArgument('zero raised to a negative power is undefined');
  if (a < 0 && !Number.isInteger(b) && Number.isFinite(b)) throw invalidArgument('a negative number raised to a non-integer power yields a complex result');
  if (a === 1 || b === 0) return 1;
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    // C's pow for infinities (JS gives NaN for (-1) ** ±Infinity where C gives 1); no range errors
    return a === -1 && !Number.isNaN(b) ? 1 : Math.pow(a, b);
  }
  const approx = Math.pow(a, b);
  // V8's pow can be off by an ulp where C's is correctly rounded: refine finite results in decimal
  const exact =
    Number.isFinite(approx) && approx !== 0
      ? withPrecision(40, () => new Decimal(a.toPrecision(40)).pow(new Decimal(b.toPrecision(40))).toNumber())
      : approx;
  // as PostgreSQL's float8_pow: a zero result from a non-zero base underflows
  return checkFloat(exact, a, b, a === 0);
}

// ---- numeric helpers --------------------------------------------------------------------------

/** Decimal exponent of the leading digit (PostgreSQL's "dweight"). */
const dweight = (d: Decimal) => (d.isZero() ? 0 : Math.floor(Math.log10(d.abs().toNumber()) + 1e-12));

/** PostgreSQL's estimate_ln_dweight: the decimal weight of ln(x). */
function lnWeight(x: Decimal): number {
  const n = x.toNumber();
  if (n >= 0.9 && n <= 1.1) {
    const y = x.minus(1);
    return y.isZero() ? 0 : dweight(y);
  }
  const ln = Math.abs(Math.log(n));
  return ln === 0 ? 0 : Math.trunc(Math.log10(ln));
}

const clampScale = (s: number) => Math.min(Math.max(s, 0), NUMERIC_MAX_DISPLAY_SCALE);

function numericRound(d: Decimal, places: number): Decimal {
  if (!d.isFinite()) return d;
  if (places >= 0) return withScale(d.toDecimalPlaces(places, Decimal.ROUND_HALF_UP), places);
  const unit = new Decimal(10).pow(-places);
  return withScale(d.div(unit).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).times(unit), 0);
}

function numericTrunc(d: Decimal, places: number): Decimal {
  if (!d.isFinite()) return d;
  if (places >= 0) return withScale(d.toDecimalPlaces(places, Decimal.ROUND_DOWN), places);
  const unit = new Decimal(10).pow(-places);
  return withScale(d.div(unit).trunc().times(unit), 0);
}

function numericSqrt(d: Decimal): Decimal {
  if (d.isNegative() && !d.isZero()) throw invalidArgument('cannot take square root of a negative number');
  if (!d.isFinite()) return d;
  const weight = d.isZero() ? 0 : Math.floor(d.e / 4);
  const sweight = Math.trunc(((weight + 1) * 4) / 2) - 1;
  const scale = clampScale(Math.max(16 - sweight, scaleOf(d)));
  return withScale(withPrecision(Math.ceil((d.e + 1) / 2) + scale + 4, () => d.sqrt()), scale);
}

function numericExp(d: Decimal): Decimal {
  if (!d.isFinite()) return d.isNaN() || d.isPositive() ? d : new Decimal(0);
  const val = Math.max(-1000, Math.min(1000, d.toNumber() * 0.434294481903252));
  if (val > 1000 - 1) throw new SqlError(SQLSTATE.numericValueOutOfRange, 'value overflows numeric format');
  const scale = clampScale(Math.max(16 - Math.trunc(val), scaleOf(d)));
  return withScale(withPrecision(Math.max(Math.ceil(val), 0) + scale + 4, () => d.exp()), scale);
}

function numericLn(d: Decimal): Decimal {
  checkLogArgument(d);
  if (!d.isFinite()) return d;
  const scale = clampScale(Math.max(16 - lnWeight(d), scaleOf(d)));
  return withScale(withPrecision(Math.max(lnWeight(d) + 1, 1) + scale + 4, () => d.ln()), scale);
}

function numericLog(base: Decimal, x: Decimal): Decimal {
  checkLogArgument(base);
  checkLogArgument(x);
  if (base.eq(1)) throw divisionByZero();
  const scale = clampScale(Math.max(16 - (lnWeight(x) - lnWeight(base)), scaleOf(base), scaleOf(x)));
  const digits = Math.max(lnWeight(x) - lnWeight(base) + 1, 1) + scale + 8;
  return withScale(withPrecision(digits, () => x.ln().div(base.ln())), scale);
}

function numericPower(a: Decimal, b: Decimal): Decimal {
  if (a.isZero() && b.isNegative()) throw invalidArgument('zero raised to a negative power is undefined');
  if (a.isNegative() && !b.isInteger()) throw invalidArgument('a negative number raised to a non-integer power yields a complex result');
  if (!a.isFinite() || !b.isFinite()) return a.pow(b);
  const estimate = a.isZero() ? 0 : b.toNumber() * Math.log10(Math.abs(a.toNumber()));
  if (estimate > 131072) throw new SqlError(SQLSTATE.numericValueOutOfRange, 'value overflows numeric format');
  // PostgreSQL 15's power_var: an integer exponent gets 16 decimals (or the base's scale); any
  // other gets 16 significant digits from the estimated decimal weight of the result
  const scale = b.isInteger() ? Math.max(16, scaleOf(a)) : Math.max(16 - Math.trunc(estimate), scaleOf(a), scaleOf(b));
  return withScale(withPrecision(Math.max(Math.ceil(estimate) + 1, 1) + clampScale(scale) + 4, () => a.pow(b)), clampScale(scale));
}

// ---- registrations ----------------------------------------------------------------------------

const INT_ABS: [SqlType, string, number][] = [
  [T.int2, 'smallint', 32767],
  [T.int4, 'integer', 2147483647],
];
for (const [type, name, max] of INT_ABS) {
  const abs = (a: number) => {
    if (-a > max) throw new SqlError(SQLSTATE.numericValueOutOfRange, `${name} out of range`);
    return Math.abs(a);
  };
  register(
    fn('abs', [type], type, abs),
    fn('@', [type], type, abs),
    fn('mod', [type, type], type, (a: number, b: number) => {
      if (b === 0) throw divisionByZero();
      return a % b || 0;
    }),
  );
}

register(
  fn('abs', [T.int8], T.int8, (a: bigint) => {
    if (a === -(2n ** 63n)) throw new SqlError(SQLSTATE.numericValueOutOfRange, 'bigint out of range');
    return a < 0n ? -a : a;
  }),
  fn('mod', [T.int8, T.int8], T.int8, (a: bigint, b: bigint) => {
    if (b === 0n) throw divisionByZero();
    return a % b;
  }),
  fn('abs', [T.float4], T.float4, Math.abs),
  fn('abs', [f8], f8, Math.abs),
  fn('abs', [num], num, (a: Decimal) => withScale(a.abs(), scaleOf(a))),
  fn('@', [f8], f8, Math.abs),
  fn('@', [num], num, (a: Decimal) => withScale(a.abs(), scaleOf(a))),
  fn('ceil', [f8], f8, Math.ceil),
  fn('ceiling', [f8], f8, Math.ceil),
  fn('floor', [f8], f8, Math.floor),
  fn('round', [f8], f8, rint),
  fn('trunc', [f8], f8, Math.trunc),
  fn('ceil', [num], num, (a: Decimal) => (a.isFinite() ? withScale(a.ceil(), 0) : a)),
  fn('ceiling', [num], num, (a: Decimal) => (a.isFinite() ? withScale(a.ceil(), 0) : a)),
  fn('floor', [num], num, (a: Decimal) => (a.isFinite() ? withScale(a.floor(), 0) : a)),
  fn('round', [num], num, (a: Decimal) => numericRound(a, 0)),
  fn('round', [num, T.int4], num, numericRound),
  fn('trunc', [num], num, (a: Decimal) => numericTrunc(a, 0)),
  fn('trunc', [num, T.int4], num, numericTrunc),
  fn('sign', [f8], f8, (a: number) => (Number.isNaN(a) ? a : Math.sign(a) || 0)),
  fn('sign', [num], num, (a: Decimal) => (a.isNaN() ? a : withScale(new Decimal(a.isZero() ? 0 : a.isNegative() ? -1 : 1), 0))),
  fn('sqrt', [f8], f8, (a: number) => {
    if (a < 0) throw invalidArgument('cannot take square root of a negative number');
    return Math.sqrt(a);
  }),
  fn('|/', [f8], f8, (a: number) => {
    if (a < 0) throw invalidArgument('cannot take square root of a negative number');
    return Math.sqrt(a);
  }),
  fn('cbrt', [f8], f8, Math.cbrt),
  fn('||/', [f8], f8, Math.cbrt),
  fn('sqrt', [num], num, numericSqrt),
  fn('exp', [f8], f8, (a: number) => checkFloat(Math.exp(a), a, 0, a < 0 || !Number.isFinite(a))),
  fn('exp', [num], num, numericExp),
  fn('ln', [f8], f8, (a: number) => {
    checkLogArgument(a);
    return Math.log(a);
  }),
  fn('ln', [num], num, numericLn),
  fn('log', [f8], f8, (a: number) => {
    checkLogArgument(a);
    return Math.log10(a);
  }),
  fn('log10', [f8], f8, (a: number) => {
    checkLogArgument(a);
    return Math.log10(a);
  }),
  fn('log', [num], num, (a: Decimal) => numericLog(withScale(new Decimal(10), 0), a)),
  fn('log10', [num], num, (a: Decimal) => numericLog(withScale(new Decimal(10), 0), a)),
  fn('log', [num, num], num, numericLog),
  fn('power', [f8, f8], f8, floatPower),
  fn('pow', [f8, f8], f8, floatPower),
  fn('^', [f8, f8], f8, floatPower),
  fn('power', [num, num], num, numericPower),
  fn('pow', [num, num], num, numericPower),
  fn('^', [num, num], num, numericPower),
  fn('mod', [num, num], num, numericMod),
  fn('div', [num, num], num, numericDivTrunc),
  fn('pi', [], f8, () => Math.PI),
  fn('degrees', [f8], f8, (a: number) => (a * 180) / Math.PI),
  fn('radians', [f8], f8, (a: number) => (a * Math.PI) / 180),
  fn('sin', [f8], f8, Math.sin),
  fn('cos', [f8], f8, Math.cos),
  fn('tan', [f8], f8, Math.tan),
  fn('asin', [f8], f8, Math.asin),
  fn('acos', [f8], f8, Math.acos),
  fn('atan', [f8], f8, Math.atan),
  fn('atan2', [f8, f8], f8, Math.atan2),
  fn('random', [], f8, Math.random, { volatile: true }),
  fn('gcd', [T.int4, T.int4], T.int4, (a: number, b: number) => {
    let x = Math.abs(a);
    let y = Math.abs(b);
    while (y) [x, y] = [y, x % y];
    return x;
  }),
);
