/**
 * The statistical aggregates with PostgreSQL's arithmetic:
 * - var_pop, var_samp (variance), stddev_pop, stddev_samp (stddev). Over int2/int4/int8/numeric
 *   they are numeric, computed exactly from n, Σx and Σx² as numeric_stddev_internal does
 *   (numerator nΣx² − (Σx)², divided at select_div_scale's scale, then the square root at the
 *   same scale). Over float4/float8 they are float8, from the Youngs-Cramer moments float8_accum
 *   keeps, so an append-only input gives PostgreSQL's very bits.
 * - corr, covar_pop, covar_samp and the regr_* family, over float8 pairs (Y, X) with both
 *   present, from float8_regr_accum's moments.
 * Over an input that retracts rows (a table, a view) the float ones keep exact decimal sums
 * instead (ExactFloatMoments): running Youngs-Cramer backwards leaves rounding behind, so
 * constant data would read 1e-17 where PostgreSQL, computing afresh, has exactly 0 (and corr
 * NULL). Infinities and NaNs are counted apart, as they make the result NaN.
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

/** float8_accum's Youngs-Cramer moments, n, Σx and Sxx = Σ(x − mean)², over an append-only input. */
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
    for (let i = 0; i < diff; i++) {
      const before = this.n;
      this.n += 1;
      this.sx += x;
      if (before > 0) {
        const tmp = x * this.n - this.sx;
        this.sxx += (tmp * tmp) / (this.n * before);
      }
    }
  }

  result(): Value {
    const n = this.n + this.nonFinite;
    if (n === 0 || (sample(this.fn) && n <= 1)) return null;
    if (this.nonFinite > 0) return NaN;
    return finishVariance(this.fn, this.sxx / (sample(this.fn) ? this.n - 1 : this.n));
  }
}

const finishVariance = (fn: VarianceFn, variance: number): number => (isStddev(fn) ? Math.sqrt(variance) : variance);

/** The centered moments the regressions finish from (Sxx = Σ(x − x̄)², Sxy = Σ(x − x̄)(y − ȳ), ...). */
interface PairMoments {
  n: number;
  sx: number;
  sy: number;
  sxx: number;
  syy: number;
  sxy: number;
}

/** float8_regr_accum's Youngs-Cramer moments over (Y, X) pairs, over an append-only input. */
export class Regression {
  private readonly m: PairMoments = { n: 0, sx: 0, sy: 0, sxx: 0, syy: 0, sxy: 0 };
  private nonFinite = 0;

  constructor(private readonly fn: RegressionFn) {}

  /** `y` is the call's first argument, `x` its second: corr(Y, X). */
  update(y: Value, x: Value, diff: number): void {
    const [yv, xv] = [y as number, x as number];
    if (!Number.isFinite(yv) || !Number.isFinite(xv)) {
      this.nonFinite += diff;
      return;
    }
    const m = this.m;
    for (let i = 0; i < diff; i++) {
      const before = m.n;
      m.n += 1;
      m.sx += xv;
      m.sy += yv;
      if (before === 0) continue;
      const tx = xv * m.n - m.sx;
      const ty = yv * m.n - m.sy;
      const scale = 1 / (m.n * before);
      m.sxx += tx * tx * scale;
      m.syy += ty * ty * scale;
      m.sxy += tx * ty * scale;
    }
  }

  result(): Value {
    return finishRegression(this.fn, this.m, this.nonFinite);
  }
}

/** PostgreSQL's final functions of the regressions (float8_corr, float8_regr_slope, ...). */
function finishRegression(fn: RegressionFn, m: PairMoments, nonFinite: number): Value {
  const n = m.n + nonFinite;
  if (fn === 'regr_count') return BigInt(n);
  if (n === 0 || (fn === 'covar_samp' && n < 2)) return null;
  if (nonFinite > 0) return NaN;
  const { sx, sy, sxx, syy, sxy } = m;
  switch (fn) {
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

/**
 * Exact sums of float values (as their shortest decimal text, which is how PostgreSQL prints
 * them) and of their squares and products, for inputs that retract rows: whatever is retracted,
 * what is left equals sums taken afresh, so constant data have exactly zero spread. The centered
 * moments are computed exactly from them (n·Σx² − (Σx)² over n) and rounded to a float once.
 */
export class ExactFloatMoments {
  private n = 0;
  private nonFinite = 0;
  private sx = new Decimal(0);
  private sy = new Decimal(0);
  private sxx = new Decimal(0);
  private syy = new Decimal(0);
  private sxy = new Decimal(0);

  /** diff copies of one value (the variances: only Σx and Σx² are kept). */
  updateValue(x: Value, diff: number): void {
    const xv = x as number;
    if (!Number.isFinite(xv)) {
      this.nonFinite += diff;
      return;
    }
    this.n += diff;
    this.addX(new Decimal(xv), diff);
  }

  /** diff copies of one (Y, X) pair (the regressions). */
  updatePair(y: Value, x: Value, diff: number): void {
    const [yv, xv] = [y as number, x as number];
    if (!Number.isFinite(yv) || !Number.isFinite(xv)) {
      this.nonFinite += diff;
      return;
    }
    const dx = new Decimal(xv);
    const dy = new Decimal(yv);
    this.n += diff;
    this.addX(dx, diff);
    this.sy = this.sy.plus(dy.times(diff));
    this.syy = this.syy.plus(dy.times(dy).times(diff));
    this.sxy = this.sxy.plus(dx.times(dy).times(diff));
  }

  private addX(dx: Decimal, diff: number): void {
    this.sx = this.sx.plus(dx.times(diff));
    this.sxx = this.sxx.plus(dx.times(dx).times(diff));
  }

  /** n·Σab − ΣaΣb, exact, then over n: Σ(a − ā)(b − b̄), rounded to a float once. */
  private spread(a: Decimal, b: Decimal, ab: Decimal): number {
    return ab.times(this.n).minus(a.times(b)).dividedBy(this.n).toNumber();
  }

  private centered(): PairMoments {
    const n = this.n;
    if (n === 0) return { n, sx: 0, sy: 0, sxx: 0, syy: 0, sxy: 0 };
    return {
      n,
      sx: this.sx.toNumber(),
      sy: this.sy.toNumber(),
      sxx: Math.max(0, this.spread(this.sx, this.sx, this.sxx)),
      syy: Math.max(0, this.spread(this.sy, this.sy, this.syy)),
      sxy: this.spread(this.sx, this.sy, this.sxy),
    };
  }

  variance(fn: VarianceFn): Value {
    const n = this.n + this.nonFinite;
    if (n === 0 || (sample(fn) && n <= 1)) return null;
    if (this.nonFinite > 0) return NaN;
    const sxx = Math.max(0, this.spread(this.sx, this.sx, this.sxx));
    return finishVariance(fn, sxx / (sample(fn) ? this.n - 1 : this.n));
  }

  regression(fn: RegressionFn): Value {
    return finishRegression(fn, this.centered(), this.nonFinite);
  }
}
