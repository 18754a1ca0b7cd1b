/**
 * The statistical aggregates with PostgreSQL's arithmetic:
 * - var_pop, var_samp (variance), stddev_pop, stddev_samp (stddev). Over int2/int4/int8/numeric
 *   they are numeric, computed exactly from n, Σx and Σx² as numeric_stddev_internal does
 *   (numerator nΣx² − (Σx)², divided at select_div_scale's scale, then the square root at the
 *   same scale). Over float4/float8 they are float8, from the Youngs-Cramer moments float8_accum
 *   keeps, so an append-only input gives PostgreSQL's very bits.
 * - corr, covar_pop, covar_samp and the regr_* family, over float8 pairs (Y, X) with both
 *   present, from float8_regr_accum's moments.
 * A retraction runs the moments' update backwards (exact for the numeric sums; for floats the
 * inverse of the Youngs-Cramer step, which keeps the result within rounding of a fresh
 * computation). Infinities and NaNs are counted apart, as they make the result NaN.
 */
import { Decimal } from 'decimal.js';
import type { Value } from '../../types/types.js';
import { scaleOf, withScale } from '../../types/numeric.js';
import { decimalQuotient, decimalSqrt } from './average.js';

export type VarianceFn = 'var_pop' | 'var_samp' | 'stddev_pop' | 'stddev_samp';

export type RegressionFn =
  | 'corr'
  | 'covar_pop'
  | 'covar_samp'
  | 'regr_count'
  | 'regr_sxx'
  | 'regr_syy'
  | 'regr_sxy'
  | 'regr_avgx'
  | 'regr_avgy'
  | 'regr_r2'
  | 'regr_slope'
  | 'regr_intercept';

export const REGRESSION_FNS: readonly RegressionFn[] = [
  'corr', 'covar_pop', 'covar_samp', 'regr_count', 'regr_sxx', 'regr_syy', 'regr_sxy', 'regr_avgx', 'regr_avgy', 'regr_r2', 'regr_slope', 'regr_intercept',
];

export function isRegressionFn(fn: string): fn is RegressionFn {
  return (REGRESSION_FNS as readonly string[]).includes(fn);
}

const sample = (fn: VarianceFn) => fn === 'var_samp' || fn === 'stddev_samp';
const isStddev = (fn: VarianceFn) => fn === 'stddev_pop' || fn === 'stddev_samp';

/** Exact n, Σx, Σx² over numerics (ints as numerics of scale 0), with the largest scale present. */
export class NumericVariance {
  private n = 0;
  private sum = new Decimal(0);
  private sumSquares = new Decimal(0);
  /** Values present per display scale: Σx's scale is the largest (retracting its last value lowers it). */
  private readonly perScale: number[] = [];
  private nan = 0;

  constructor(private readonly fn: VarianceFn) {}

  update(value: Value, diff: number): void {
    const x = value instanceof Decimal ? value : new Decimal(typeof value === 'bigint' ? value.toString() : (value as number));
    this.n += diff;
    if (x.isNaN()) {
      this.nan += diff;
      return;
    }
    this.sum = this.sum.plus(x.times(diff));
    this.sumSquares = this.sumSquares.plus(x.times(x).times(diff));
    const s = scaleOf(x);
    this.perScale[s] = (this.perScale[s] ?? 0) + diff;
  }

  result(): Value {
    if (this.n === 0 || (sample(this.fn) && this.n <= 1)) return null;
    if (this.nan > 0) return new Decimal(NaN);
    let scale = 0;
    for (let s = this.perScale.length - 1; s > 0; s--) if ((this.perScale[s] ?? 0) > 0) {
      scale = s;
      break;
    }
    const n = BigInt(this.n);
    // nΣx² − (Σx)², exact: both products need at most twice Σx's scale.
    const numerator = this.sumSquares.times(this.n).minus(this.sum.times(this.sum));
    if (numerator.lte(0)) return new Decimal(0);
    const variance = decimalQuotient(withScale(numerator, 2 * scale), 2 * scale, sample(this.fn) ? n * (n - 1n) : n * n);
    return isStddev(this.fn) ? decimalSqrt(variance, scaleOf(variance)) : variance;
  }
}

/** float8_accum's Youngs-Cramer moments: n, Σx and Sxx = Σ(x − mean)². */
export class FloatVariance {
  private n = 0;
  private sx = 0;
  private sxx = 0;
  private nonFinite = 0;

  constructor(private readonly fn: VarianceFn) {}

  update(value: Value, diff: number): void {
    const x = value as number;
    if (!Number.isFinite(x)) {
      this.nonFinite += diff;
      return;
    }
    for (let i = 0; i < diff; i++) this.add(x);
    for (let i = 0; i > diff; i--) this.remove(x);
  }

  private add(x: number): void {
    const before = this.n;
    this.n += 1;
    this.sx += x;
    if (before > 0) {
      const tmp = x * this.n - this.sx;
      this.sxx += (tmp * tmp) / (this.n * before);
    }
  }

  private remove(x: number): void {
    if (this.n <= 1) {
      this.n = this.sx = this.sxx = 0;
      return;
    }
    const tmp = x * this.n - this.sx;
    this.sxx = Math.max(0, this.sxx - (tmp * tmp) / (this.n * (this.n - 1)));
    this.n -= 1;
    this.sx -= x;
  }

  result(): Value {
    const n = this.n + this.nonFinite;
    if (n === 0 || (sample(this.fn) && n <= 1)) return null;
    if (this.nonFinite > 0) return NaN;
    const variance = this.sxx / (sample(this.fn) ? this.n - 1 : this.n);
    return isStddev(this.fn) ? Math.sqrt(variance) : variance;
  }
}

/** float8_regr_accum's moments over (Y, X) pairs: n, Σx, Σy, Sxx, Syy, Sxy. */
export class Regression {
  private n = 0;
  private sx = 0;
  private sy = 0;
  private sxx = 0;
  private syy = 0;
  private sxy = 0;
  private nonFinite = 0;

  constructor(private readonly fn: RegressionFn) {}

  /** `y` is the call's first argument, `x` its second: corr(Y, X). */
  update(y: Value, x: Value, diff: number): void {
    const [yv, xv] = [y as number, x as number];
    if (!Number.isFinite(yv) || !Number.isFinite(xv)) {
      this.nonFinite += diff;
      return;
    }
    for (let i = 0; i < diff; i++) this.step(xv, yv, 1);
    for (let i = 0; i > diff; i--) this.step(xv, yv, -1);
  }

  /** One pair in (sign 1) or out (sign −1): the Youngs-Cramer update, or its inverse. */
  private step(x: number, y: number, sign: 1 | -1): void {
    if (sign < 0 && this.n <= 1) {
      this.n = this.sx = this.sy = this.sxx = this.syy = this.sxy = 0;
      return;
    }
    if (sign > 0) {
      const before = this.n;
      this.n += 1;
      this.sx += x;
      this.sy += y;
      if (before === 0) return;
      const tx = x * this.n - this.sx;
      const ty = y * this.n - this.sy;
      const scale = 1 / (this.n * before);
      this.sxx += tx * tx * scale;
      this.syy += ty * ty * scale;
      this.sxy += tx * ty * scale;
      return;
    }
    const tx = x * this.n - this.sx;
    const ty = y * this.n - this.sy;
    const scale = 1 / (this.n * (this.n - 1));
    this.sxx = Math.max(0, this.sxx - tx * tx * scale);
    this.syy = Math.max(0, this.syy - ty * ty * scale);
    this.sxy -= tx * ty * scale;
    this.n -= 1;
    this.sx -= x;
    this.sy -= y;
  }

  result(): Value {
    const n = this.n + this.nonFinite;
    if (this.fn === 'regr_count') return BigInt(n);
    if (n === 0 || (this.fn === 'covar_samp' && n < 2)) return null;
    if (this.nonFinite > 0) return NaN;
    const { sx, sy, sxx, syy, sxy } = this;
    switch (this.fn) {
      case 'regr_sxx':
        return sxx;
      case 'regr_syy':
        return syy;
      case 'regr_sxy':
        return sxy;
      case 'regr_avgx':
        return sx / n;
      case 'regr_avgy':
        return sy / n;
      case 'covar_pop':
        return sxy / n;
      case 'covar_samp':
        return sxy / (n - 1);
      // Per the SQL standard, NULL for horizontal and vertical lines.
      case 'corr':
        return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
      case 'regr_r2':
        if (sxx === 0) return null;
        return syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
      case 'regr_slope':
        return sxx === 0 ? null : sxy / sxx;
      case 'regr_intercept':
        return sxx === 0 ? null : (sy - (sx * sxy) / sxx) / n;
    }
  }
}
