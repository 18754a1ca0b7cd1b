/**
 * PostgreSQL numeric on top of decimal.js.
 *
 * PostgreSQL's numeric carries a display scale (`1.50` stays `1.50`, `1.50 + 1` is `2.50`), which
 * a Decimal does not: decimal.js normalises trailing zeros away. The scale therefore travels with
 * the Decimal instance, in a symbol-keyed property; a Decimal made elsewhere (an aggregate, a
 * decoder) has none and shows as many decimals as it needs. (It was a WeakMap: with a million
 * numerics held, its lookups took 5x as long and every full garbage collection 1.5-5x, V8's
 * weak-map entries being costly to trace.)
 */
import { Decimal } from 'decimal.js';
import { SqlError, SQLSTATE } from '../errors.js';

// decimal.js defaults to 20 significant digits, far fewer than numeric's; results are rounded to
// PostgreSQL's scales explicitly, so intermediate precision only has to be generous. ROUND_HALF_UP
// in decimal.js is "half away from zero", which is what PostgreSQL's numeric rounding does.
Decimal.set({ precision: 1000, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -9e15, toExpPos: 9e15 });

/**
 * Runs an inexact operation (division, roots, logarithms) with just the significant digits its
 * result needs: decimal.js's cost grows with the precision, and 1000 digits of ln() take 100ms.
 */
export function withPrecision<R>(significantDigits: number, f: () => R): R {
  const saved = Decimal.precision;
  Decimal.set({ precision: Math.max(20, Math.min(significantDigits, 1000)) });
  try {
    return f();
  } finally {
    Decimal.set({ precision: saved });
  }
}

/** PostgreSQL's limit on a numeric's display scale. */
export const NUMERIC_MAX_DISPLAY_SCALE = 1000;

const SCALE = Symbol('numeric display scale');
type Scaled = Decimal & { [SCALE]?: number };

/** Attaches a display scale to a numeric value (rounding it to that scale) and returns it. */
export function withScale(value: Decimal, scale: number): Decimal {
  // rounding allocates a new Decimal: skip it when the value already fits (sums, products)
  let rounded = value.isFinite() && value.decimalPlaces() > scale ? value.toDecimalPlaces(scale) : value;
  if (rounded.isZero() && rounded.isNegative()) rounded = rounded.abs(); // numeric has no -0 (ceil(-0.25))
  // Not enumerable: deepEqual of two Decimals compares values, not how they print.
  Object.defineProperty(rounded, SCALE, { value: scale, writable: true, configurable: true });
  return rounded;
}

/** The display scale of a numeric value: the one attached, else the decimals it needs. */
export function scaleOf(value: Decimal): number {
  const known = (value as Scaled)[SCALE];
  if (known !== undefined) return known;
  return value.isFinite() ? value.decimalPlaces() : 0;
}

/** numeric's text output: the value with exactly its display scale, NaN, Infinity, -Infinity. */
export function formatNumeric(value: Decimal): string {
  if (value.isNaN()) return 'NaN';
  if (!value.isFinite()) return value.isNegative() ? '-Infinity' : 'Infinity';
  const scale = scaleOf(value);
  // A scale below the value's decimals (never attached by withScale, which rounds) needs
  // decimal.js's rounding; otherwise the digits are only laid out, which is all this does.
  if (value.decimalPlaces() > scale) return (value.isZero() ? value.abs() : value).toFixed(scale);
  return layOut(value, scale);
}

/**
 * The value's digits in positional notation with `scale` decimals (at least its own): what
 * `toFixed(scale)` prints then, without the Decimal that decimal.js allocates to round it (a hot
 * spot when sinks and arrangements format every numeric). decimal.js keeps the coefficient in
 * `d`, base-10^7 words, most significant first, the first word without leading zeros and no
 * trailing zero words; `e` is the decimal exponent of the leading digit; `s` the sign.
 */
function layOut(value: Decimal, scale: number): string {
  const words = value.d;
  if (words[0] === 0) return scale > 0 ? `0.${'0'.repeat(scale)}` : '0'; // numeric has no -0
  let digits = String(words[0]);
  for (let i = 1; i < words.length; i++) digits += String(words[i]).padStart(7, '0');
  const point = value.e + 1; // digits before the decimal point (0 or less: "0.000ddd")
  let int: string;
  let frac: string;
  if (point <= 0) {
    int = '0';
    frac = '0'.repeat(-point) + digits;
  } else if (point >= digits.length) {
    int = digits + '0'.repeat(point - digits.length);
    frac = '';
  } else {
    int = digits.slice(0, point);
    frac = digits.slice(point);
  }
  // The last word's trailing zeros are padding beyond the value's decimals: cut or pad to scale.
  frac = frac.length > scale ? frac.slice(0, scale) : frac + '0'.repeat(scale - frac.length);
  const sign = value.s < 0 ? '-' : '';
  return scale > 0 ? `${sign}${int}.${frac}` : sign + int;
}

const NUMERIC_TEXT = /^([+-]?)(\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+))?$/;

/** numeric's text input; null when the text is not a number (the caller raises 22P02). */
export function parseNumericText(text: string): Decimal | null {
  const s = text.trim();
  const lower = s.toLowerCase();
  if (lower === 'nan') return new Decimal(NaN);
  if (lower === 'infinity' || lower === '+infinity' || lower === 'inf' || lower === '+inf') return new Decimal(Infinity);
  if (lower === '-infinity' || lower === '-inf') return new Decimal(-Infinity);
  const m = NUMERIC_TEXT.exec(s);
  if (!m) return null;
  const mantissa = m[2]!;
  const dot = mantissa.indexOf('.');
  const fractionDigits = dot < 0 ? 0 : mantissa.length - dot - 1;
  const exponent = m[3] ? Number(m[3]) : 0;
  if (!Number.isFinite(exponent) || Math.abs(exponent) > 1_000_000) return null;
  const value = new Decimal(s);
  return withScale(value, Math.max(0, fractionDigits - exponent));
}

/** numeric typmod as PostgreSQL encodes it: ((precision << 16) | scale) + 4. */
export function numericTypmod(precision: number, scale: number): number {
  return ((precision << 16) | (scale & 0xffff)) + 4;
}

function numericTypmodParts(typmod: number): { precision: number; scale: number } {
  const t = typmod - 4;
  const scale = t & 0xffff;
  // scale is stored as 16 bits and may be negative in PostgreSQL 15
  return { precision: (t >> 16) & 0xffff, scale: scale > 0x7fff ? scale - 0x10000 : scale };
}

/** Applies numeric(p,s): round to s decimals, 22003 when the integer part does not fit. */
export function applyNumericTypmod(value: Decimal, typmod: number): Decimal {
  if (typmod < 4) return value;
  const { precision, scale } = numericTypmodParts(typmod);
  if (value.isNaN()) return value;
  if (!value.isFinite()) {
    throw new SqlError(SQLSTATE.numericValueOutOfRange, 'numeric field overflow', {
      detail: `A field with precision ${precision}, scale ${scale} cannot hold an infinite value.`,
    });
  }
  const rounded = value.toDecimalPlaces(Math.max(scale, 0));
  const limit = new Decimal(10).pow(precision - scale);
  if (rounded.abs().gte(limit)) {
    throw new SqlError(SQLSTATE.numericValueOutOfRange, 'numeric field overflow', {
      detail:
        precision - scale > 0
          ? `A field with precision ${precision}, scale ${scale} must round to an absolute value less than 10^${precision - scale}.`
          : `A field with precision ${precision}, scale ${scale} must round to an absolute value less than 1.`,
    });
  }
  return withScale(rounded, Math.max(scale, 0));
}

// ---- arithmetic with PostgreSQL's result scales --------------------------------------------------
// (decimal.js follows IEEE rules for NaN and infinities, as PostgreSQL 14+ numeric does)

const NUMERIC_MIN_SIG_DIGITS = 16;

export function numericAdd(a: Decimal, b: Decimal): Decimal {
  return withScale(a.plus(b), Math.max(scaleOf(a), scaleOf(b)));
}

export function numericSub(a: Decimal, b: Decimal): Decimal {
  return withScale(a.minus(b), Math.max(scaleOf(a), scaleOf(b)));
}

export function numericMul(a: Decimal, b: Decimal): Decimal {
  return withScale(a.times(b), Math.min(scaleOf(a) + scaleOf(b), NUMERIC_MAX_DISPLAY_SCALE));
}

/** Weight (position of the leading base-10000 digit) and that digit, as PostgreSQL's NumericVar has them. */
function baseWeight(v: Decimal): { weight: number; first: number } {
  if (v.isZero()) return { weight: 0, first: 0 };
  const weight = Math.floor(v.abs().e / 4);
  const first = v.abs().div(new Decimal(10000).pow(weight)).floor().toNumber();
  return { weight, first };
}

/** PostgreSQL's select_div_scale: at least 16 significant digits, never fewer decimals than the inputs. */
function divScale(a: Decimal, b: Decimal): number {
  const wa = baseWeight(a);
  const wb = baseWeight(b);
  let qweight = wa.weight - wb.weight;
  if (wa.first <= wb.first) qweight--;
  let rscale = NUMERIC_MIN_SIG_DIGITS - qweight * 4;
  rscale = Math.max(rscale, scaleOf(a), scaleOf(b), 0);
  return Math.min(rscale, NUMERIC_MAX_DISPLAY_SCALE);
}

/** NaN divides to NaN even by zero; anything else by zero is 22012. */
function checkDivisor(a: Decimal, b: Decimal): void {
  if (b.isZero() && !a.isNaN()) throw new SqlError(SQLSTATE.divisionByZero, 'division by zero');
}

export function numericDiv(a: Decimal, b: Decimal): Decimal {
  checkDivisor(a, b);
  if (!a.isFinite() || !b.isFinite()) return a.div(b);
  const scale = divScale(a, b);
  // digits before the point (the quotient's decimal exponent) + the scale + a guard digit
  return withScale(withPrecision(Math.max(a.e - b.e + 2, 1) + scale + 2, () => a.div(b)), scale);
}

/** Integer division (div()): truncates toward zero. */
export function numericDivTrunc(a: Decimal, b: Decimal): Decimal {
  checkDivisor(a, b);
  if (!a.isFinite() || !b.isFinite()) return a.div(b).trunc();
  return withScale(withPrecision(Math.max(a.e - b.e + 2, 1) + 2, () => a.div(b)).trunc(), 0);
}

export function numericMod(a: Decimal, b: Decimal): Decimal {
  checkDivisor(a, b);
  // PostgreSQL: NaN or an infinite dividend give NaN; an infinite divisor leaves the dividend
  if (a.isNaN() || b.isNaN() || !a.isFinite()) return new Decimal(NaN);
  if (!b.isFinite()) return a;
  // decimal.js's modulo follows the sign of the dividend with ROUND_DOWN mode, as PostgreSQL does
  const mod = a.minus(withPrecision(Math.max(a.e - b.e + 2, 1) + 2, () => a.div(b)).trunc().times(b));
  return withScale(mod, Math.max(scaleOf(a), scaleOf(b)));
}

/** A numeric from a JS integer or bigint, scale 0. */
export function numericFromInteger(n: number | bigint): Decimal {
  return withScale(new Decimal(n.toString()), 0);
}

/** A numeric from a float, as PostgreSQL's float8 → numeric cast does it (15 significant digits). */
export function numericFromFloat(n: number, significantDigits = 15): Decimal {
  if (Number.isNaN(n)) return new Decimal(NaN);
  if (!Number.isFinite(n)) return new Decimal(n);
  const text = n.toPrecision(significantDigits);
  return parseNumericText(new Decimal(text).toString())!;
}
