/**
 * Per-group state of one aggregate call. Each accumulator receives contributions (the aggregate's
 * argument values of one input row, diff copies, negative to retract) and yields the aggregate's
 * current value with PostgreSQL's result type:
 *   count, count(*)              bigint
 *   sum(int2/int4)               bigint        sum(int8), sum(numeric)   numeric
 *   sum(float)                   float8        avg(int*, numeric)        numeric (PostgreSQL's scale)
 *   avg(float)                   float8        min/max, first/last       the argument's type
 *   sum/avg(interval)            interval
 *   bool_and/bool_or             boolean       string_agg                text (or bytea)
 *   array_agg                    the argument's array type, NULL elements included
 *   var_*, stddev_* (statistics.ts) numeric over integers and numerics, float8 over floats
 *   corr, covar_*, regr_*        float8 (regr_count bigint), over (Y, X) pairs with both present
 *   percentile_disc, mode (ordered-set.ts) the ordered value's type; percentile_cont float8
 *                                (interval over intervals); an array of them for an array of fractions
 * Over a general input an accumulator keeps what retraction needs (a sorted multiset for min/max,
 * the surviving rows in order for first/last/string_agg/array_agg); over append or stream inputs, where no
 * retraction ever reaches it, it keeps only a running value.
 */
import { Decimal } from 'decimal.js';
import { Interval, SqlArray, type Value } from '../../types/types.js';
import { SqlError, SQLSTATE } from '../../errors.js';
import { comparatorFor, compareValues, singleKey } from '../../types/compare.js';
import { scaleOf, withScale } from '../../types/numeric.js';
import { decimalAverage, divideInterval, integerAverage } from './average.js';
import { ArrivalLog, CopiesById, SortedArray, SortedCounts } from '../ordered.js';
import { ExactFloatMoments, FloatVariance, isRegressionFn, NumericVariance, Regression, type RegressionFn, type VarianceFn } from './statistics.js';
import { OrderedSetAggregate, type OrderedSetFn } from './ordered-set.js';

export type AggregateFn =
  | 'count'
  | 'count_star'
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'bool_and'
  | 'bool_or'
  | 'string_agg'
  | 'array_agg'
  | 'first'
  | 'last'
  | VarianceFn
  | RegressionFn
  | OrderedSetFn;


/**
 * The SQL type family of the aggregate's (first) argument, which decides sum's and avg's
 * arithmetic: 'int' for int2/int4, 'bigint' for int8, 'float' for float8, 'float4' for real
 * (whose sum PostgreSQL keeps in single precision; 'float' also works for it, in double).
 */
export type ArgKind = 'int' | 'bigint' | 'numeric' | 'float' | 'float4' | 'other';

/**
 * One input row's contribution to an aggregate. The operator fills one scratch object per call
 * and accumulators copy what they keep, so no object is allocated per row.
 */
export interface Contribution {
  /** The first argument (NULLs never reach accumulators that skip them). */
  value: Value;
  /** The second argument: string_agg's delimiter, the X of corr(Y, X), a percentile's fraction. */
  delimiter: Value;
  /** ORDER BY keys inside the call, when it has them. */
  order: Value[] | null;
  /** Identity of the contributing row (its rowKey): retraction removes that row's earliest arrival. */
  id: string;
  /** Arrival sequence number of the contributing row within the operator. */
  seq: number;
}

export interface Accumulator {
  update(c: Contribution, diff: number): void;
  result(): Value;
}

export interface AccumulatorOptions {
  fn: AggregateFn;
  argKind: ArgKind;
  /** False over append/stream inputs: no retraction will come, keep only running values. */
  retractable: boolean;
  orderCompare?: (a: Value[], b: Value[]) => number;
}

/** Whether an aggregate ignores NULL arguments (all but count(*), first and last do, as in SQL). */
export function skipsNulls(fn: AggregateFn): boolean {
  return fn !== 'count_star' && fn !== 'first' && fn !== 'last' && fn !== 'array_agg';
}

/** Whether an aggregate also ignores rows whose second argument is NULL (the regressions need both). */
export function skipsNullSecond(fn: AggregateFn): boolean {
  return isRegressionFn(fn);
}

/** var_*, stddev_*: numeric arithmetic over integers and numerics, float over floats (exact sums where rows retract). */
class VarianceAcc implements Accumulator {
  private readonly moments: NumericVariance | FloatVariance | ExactFloatMoments;
  constructor(private readonly fn: VarianceFn, kind: ArgKind, retractable: boolean) {
    const float = kind === 'float' || kind === 'float4';
    this.moments = !float ? new NumericVariance(fn) : retractable ? new ExactFloatMoments() : new FloatVariance(fn);
  }
  update(c: Contribution, diff: number): void {
    if (this.moments instanceof ExactFloatMoments) this.moments.updateValue(c.value, diff);
    else this.moments.update(c.value, diff);
  }
  result(): Value {
    return this.moments instanceof ExactFloatMoments ? this.moments.variance(this.fn) : this.moments.result();
  }
}

class OrderedSetAcc implements Accumulator {
  private readonly state: OrderedSetAggregate;
  constructor(fn: OrderedSetFn, orderCompare: (a: Value[], b: Value[]) => number) {
    this.state = new OrderedSetAggregate(fn, orderCompare);
  }
  update(c: Contribution, diff: number): void {
    this.state.update(c.order!, c.delimiter, diff);
  }
  result(): Value {
    return this.state.result();
  }
}

class RegressionAcc implements Accumulator {
  private readonly moments: Regression | ExactFloatMoments;
  constructor(private readonly fn: RegressionFn, retractable: boolean) {
    this.moments = retractable ? new ExactFloatMoments() : new Regression(fn);
  }
  update(c: Contribution, diff: number): void {
    if (this.moments instanceof ExactFloatMoments) this.moments.updatePair(c.value, c.delimiter, diff);
    else this.moments.update(c.value, c.delimiter, diff);
  }
  result(): Value {
    return this.moments instanceof ExactFloatMoments ? this.moments.regression(this.fn) : this.moments.result();
  }
}

class CountAcc implements Accumulator {
  private n = 0;
  update(_c: Contribution, diff: number): void {
    this.n += diff;
  }
  result(): Value {
    return BigInt(this.n);
  }
}

/** Integer sum that stays in a double while that is exact and spills into a bigint beyond. */
class IntSum {
  private small = 0;
  private big = 0n;
  add(v: number, times: number): void {
    const next = this.small + v * times;
    if (Number.isSafeInteger(next) && Math.abs(next) < 2 ** 52) this.small = next;
    else {
      this.big += BigInt(this.small) + BigInt(v) * BigInt(times);
      this.small = 0;
    }
  }
  /** The sum as bigint (sum(int2/int4)'s type), which PostgreSQL refuses to let overflow. */
  value(): bigint {
    const total = this.big + BigInt(this.small);
    if (this.big !== 0n && (total > INT8_MAX || total < INT8_MIN)) {
      throw new SqlError(SQLSTATE.numericValueOutOfRange, 'bigint out of range');
    }
    return total;
  }
}

const INT8_MAX = 2n ** 63n - 1n;
const INT8_MIN = -(2n ** 63n);

/**
 * Float sum with infinities and NaNs counted apart, so retracting them restores a finite sum.
 * Until the first retraction the result is the plain left-to-right sum, which is exactly what
 * PostgreSQL computes over the same rows in arrival order; after one, a Neumaier-compensated sum
 * takes over, so that adding and later retracting a large value does not wipe out the small ones
 * (1e20 + 1 - 1e20 stays 1).
 */
class FloatSum {
  /** sum(real): every step rounds to single precision, as float4pl does. */
  constructor(private readonly single: boolean) {}
  private plain = 0;
  private retracted = false;
  private sum = 0;
  private compensation = 0;
  private posInf = 0;
  private negInf = 0;
  private nan = 0;
  add(v: number, times: number): void {
    if (Number.isFinite(v)) {
      if (times < 0) this.retracted = true;
      else if (!this.retracted) {
        // Copies one at a time, as PostgreSQL adds duplicate rows (bounded for huge counts).
        if (this.single) for (let i = 0; i < times; i++) this.plain = Math.fround(this.plain + v);
        else if (times <= 64) for (let i = 0; i < times; i++) this.plain += v;
        else this.plain += v * times;
      }
      const x = v * times;
      const t = this.sum + x;
      this.compensation += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
      this.sum = t;
    } else if (Number.isNaN(v)) this.nan += times;
    else if (v > 0) this.posInf += times;
    else this.negInf += times;
  }
  value(): number {
    if (this.nan > 0 || (this.posInf > 0 && this.negInf > 0)) return NaN;
    if (this.posInf > 0) return Infinity;
    if (this.negInf > 0) return -Infinity;
    const exact = this.retracted ? this.sum + this.compensation : this.plain;
    const total = this.single ? Math.fround(exact) : exact;
    // Finite values that add up past the double range: PostgreSQL's float8pl refuses.
    if (!Number.isFinite(total)) throw new SqlError(SQLSTATE.numericValueOutOfRange, 'value out of range: overflow');
    return total;
  }
}

/**
 * Exact decimal sum. Its display scale is the largest scale among the values present, as
 * PostgreSQL's numeric addition gives; values are counted per scale so retracting the only
 * value of the largest scale lowers it again.
 */
class DecimalSum {
  private total = new Decimal(0);
  private readonly perScale: number[] = [];
  add(v: Decimal, times: number): void {
    this.total = this.total.plus(times === 1 ? v : v.times(times));
    const s = scaleOf(v);
    this.perScale[s] = (this.perScale[s] ?? 0) + times;
  }
  value(): Decimal {
    return withScale(this.total, this.displayScale);
  }
  get displayScale(): number {
    for (let s = this.perScale.length - 1; s > 0; s--) if ((this.perScale[s] ?? 0) > 0) return s;
    return 0;
  }
}

class SumAcc implements Accumulator {
  private n = 0;
  private readonly int?: IntSum;
  private readonly float?: FloatSum;
  private readonly dec?: DecimalSum;
  private big = 0n;
  constructor(kind: ArgKind, private readonly average: boolean) {
    if (kind === 'int') this.int = new IntSum();
    // avg(real) accumulates in double precision in PostgreSQL; only sum(real) stays single.
    else if (kind === 'float' || kind === 'float4') this.float = new FloatSum(kind === 'float4' && !average);
    else if (kind === 'numeric') this.dec = new DecimalSum();
  }
  update(c: Contribution, diff: number): void {
    this.n += diff;
    if (this.int) this.int.add(c.value as number, diff);
    else if (this.float) this.float.add(c.value as number, diff);
    else if (this.dec) this.dec.add(c.value as Decimal, diff);
    else this.big += (c.value as bigint) * BigInt(diff);
  }
  result(): Value {
    if (this.n === 0) return null;
    if (this.float) return this.average ? this.float.value() / this.n : this.float.value();
    if (this.dec) return this.average ? decimalAverage(this.dec.value(), this.dec.displayScale, this.n) : this.dec.value();
    const total = this.int ? this.int.value() : this.big;
    if (this.average) return integerAverage(total, this.n);
    return this.int ? total : new Decimal(total.toString());
  }
}

/** sum and avg over intervals: months, days and microseconds add up separately, as in PostgreSQL. */
class IntervalSumAcc implements Accumulator {
  private n = 0;
  private months = 0;
  private days = 0;
  private micros = 0;
  constructor(private readonly average: boolean) {}
  update(c: Contribution, diff: number): void {
    const v = c.value;
    if (!(v instanceof Interval)) throw new Error(`${this.average ? 'avg' : 'sum'} over a non-numeric argument`);
    this.n += diff;
    this.months += v.months * diff;
    this.days += v.days * diff;
    this.micros += v.micros * diff;
  }
  result(): Value {
    if (this.n === 0) return null;
    if (!this.average) return new Interval(this.months, this.days, this.micros);
    return divideInterval(this.months, this.days, this.micros, this.n);
  }
}

class BoolAcc implements Accumulator {
  private trues = 0;
  private falses = 0;
  constructor(private readonly and: boolean) {}
  update(c: Contribution, diff: number): void {
    if (c.value === true) this.trues += diff;
    else this.falses += diff;
  }
  result(): Value {
    if (this.trues + this.falses === 0) return null;
    return this.and ? this.falses === 0 : this.trues > 0;
  }
}

class MinMaxAcc implements Accumulator {
  /** Created at the first value, with a comparator specialized to its type. */
  private values: SortedCounts<Value> | null = null;
  constructor(private readonly max: boolean) {}
  update(c: Contribution, diff: number): void {
    if (this.values === null) this.values = new SortedCounts<Value>(comparatorFor(c.value));
    this.values.add(c.value, diff);
  }
  result(): Value {
    if (this.values === null) return null;
    return (this.max ? this.values.max() : this.values.min()) ?? null;
  }
}

class RunningMinMaxAcc implements Accumulator {
  private best: Value = null;
  constructor(private readonly max: boolean) {}
  update(c: Contribution): void {
    if (this.best === null) this.best = c.value;
    else {
      const cmp = compareValues(c.value, this.best);
      if (this.max ? cmp > 0 : cmp < 0) this.best = c.value;
    }
  }
  result(): Value {
    return this.best;
  }
}

class FirstLastAcc implements Accumulator {
  private readonly log = new ArrivalLog<Value>();
  constructor(private readonly last: boolean) {}
  update(c: Contribution, diff: number): void {
    if (diff > 0) this.log.add(c.id, c.value, c.seq, diff);
    else this.log.remove(c.id, -diff);
  }
  result(): Value {
    return (this.last ? this.log.last() : this.log.first()) ?? null;
  }
}

class RunningFirstLastAcc implements Accumulator {
  private seen = false;
  private value: Value = null;
  constructor(private readonly last: boolean) {}
  update(c: Contribution): void {
    if (this.last || !this.seen) this.value = c.value;
    this.seen = true;
  }
  result(): Value {
    return this.value;
  }
}

/** The value of a list aggregate (string_agg, array_agg) from its pieces in order, with their copies. */
type ListResult = (pieces: Iterable<[{ value: Value; delimiter: Value }, number]>) => Value;

/** array_agg's elements: every value, NULLs included; NULL over no rows. */
const collectElements: ListResult = (pieces) => {
  const elements: Value[] = [];
  for (const [piece, copies] of pieces) for (let i = 0; i < copies; i++) elements.push(piece.value);
  return elements.length === 0 ? null : new SqlArray(elements);
};

/** string_agg's pieces: each value preceded by its row's delimiter, except the first. */
const concatPieces: ListResult = (pieces) => {
  const parts: (string | Uint8Array)[] = [];
  let binary = false;
  for (const [piece, copies] of pieces) {
    for (let i = 0; i < copies; i++) {
      if (parts.length > 0 && piece.delimiter !== null) parts.push(piece.delimiter as string | Uint8Array);
      parts.push(piece.value as string | Uint8Array);
      if (piece.value instanceof Uint8Array) binary = true;
    }
  }
  if (parts.length === 0) return null;
  if (binary) return Buffer.concat(parts as Uint8Array[]);
  return (parts as string[]).join('');
};

interface Piece {
  value: Value;
  delimiter: Value;
  order: Value[];
  seq: number;
  count: number;
}

/** string_agg or array_agg with ORDER BY: pieces sorted by the call's ORDER BY, ties in arrival order. */
class OrderedListAcc implements Accumulator {
  private readonly pieces: SortedArray<Piece>;
  private readonly byId = new CopiesById<Piece>();
  private readonly drop = (piece: Piece): void => {
    this.pieces.remove(piece);
  };
  constructor(orderCompare: (a: Value[], b: Value[]) => number, private readonly retractable: boolean, private readonly finish: ListResult) {
    this.pieces = new SortedArray((a, b) => orderCompare(a.order, b.order) || a.seq - b.seq);
  }
  update(c: Contribution, diff: number): void {
    if (diff > 0) {
      const piece: Piece = { value: c.value, delimiter: c.delimiter, order: c.order!, seq: c.seq, count: diff };
      this.pieces.insert(piece);
      if (this.retractable) this.byId.add(c.id, piece);
      return;
    }
    this.byId.remove(c.id, -diff, this.drop);
  }
  result(): Value {
    return this.finish(Array.from(this.pieces, (p): [Piece, number] => [p, p.count]));
  }
}

/** string_agg or array_agg in arrival order over a general input. */
class ArrivalListAcc implements Accumulator {
  private readonly log = new ArrivalLog<{ value: Value; delimiter: Value }>();
  constructor(private readonly finish: ListResult) {}
  update(c: Contribution, diff: number): void {
    if (diff > 0) this.log.add(c.id, { value: c.value, delimiter: c.delimiter }, c.seq, diff);
    else this.log.remove(c.id, -diff);
  }
  result(): Value {
    return this.finish(this.log.entries());
  }
}

/** string_agg or array_agg in arrival order over an append or stream input: one growing list of pieces. */
class RunningListAcc implements Accumulator {
  private readonly pieces: [{ value: Value; delimiter: Value }, number][] = [];
  constructor(private readonly finish: ListResult) {}
  update(c: Contribution, diff: number): void {
    this.pieces.push([{ value: c.value, delimiter: c.delimiter }, diff]);
  }
  result(): Value {
    return this.finish(this.pieces);
  }
}

/**
 * DISTINCT in an aggregate call: counts each distinct argument value per group and passes on
 * only a value's first appearance and its last disappearance.
 */
class DistinctAcc implements Accumulator {
  private readonly counts = new Map<string, number>();
  private readonly scratch: Contribution = { value: null, delimiter: null, order: null, id: '', seq: 0 };
  constructor(private readonly inner: Accumulator) {}
  update(c: Contribution, diff: number): void {
    const key = singleKey(c.value);
    const before = this.counts.get(key) ?? 0;
    const after = before + diff;
    if (after === 0) this.counts.delete(key);
    else this.counts.set(key, after);
    if ((before > 0) === (after > 0)) return;
    const s = this.scratch;
    s.value = c.value;
    s.delimiter = c.delimiter;
    s.order = c.order;
    s.id = key;
    s.seq = c.seq;
    this.inner.update(s, after > 0 ? 1 : -1);
  }
  result(): Value {
    return this.inner.result();
  }
}

/** A fresh accumulator for one group. */
export function createAccumulator(opts: AccumulatorOptions, distinct: boolean): Accumulator {
  const acc = baseAccumulator(opts);
  // DISTINCT makes no difference to min and max, and first/last have no DISTINCT form.
  const needsDistinct = distinct && opts.fn !== 'min' && opts.fn !== 'max' && opts.fn !== 'first' && opts.fn !== 'last';
  return needsDistinct ? new DistinctAcc(acc) : acc;
}

function baseAccumulator({ fn, argKind, retractable, orderCompare }: AccumulatorOptions): Accumulator {
  if (isRegressionFn(fn)) return new RegressionAcc(fn, retractable);
  switch (fn) {
    case 'var_pop':
    case 'var_samp':
    case 'stddev_pop':
    case 'stddev_samp':
      return new VarianceAcc(fn, argKind, retractable);
    case 'percentile_cont':
    case 'percentile_disc':
    case 'mode':
      if (!orderCompare) throw new Error(`${fn} without its WITHIN GROUP ordering`);
      return new OrderedSetAcc(fn, orderCompare);
    case 'count':
    case 'count_star':
      return new CountAcc();
    case 'sum':
    case 'avg':
      return argKind === 'other' ? new IntervalSumAcc(fn === 'avg') : new SumAcc(argKind, fn === 'avg');
    case 'bool_and':
    case 'bool_or':
      return new BoolAcc(fn === 'bool_and');
    case 'min':
    case 'max':
      return retractable ? new MinMaxAcc(fn === 'max') : new RunningMinMaxAcc(fn === 'max');
    case 'first':
    case 'last':
      return retractable ? new FirstLastAcc(fn === 'last') : new RunningFirstLastAcc(fn === 'last');
    case 'string_agg':
    case 'array_agg': {
      const finish = fn === 'array_agg' ? collectElements : concatPieces;
      if (orderCompare) return new OrderedListAcc(orderCompare, retractable, finish);
      return retractable ? new ArrivalListAcc(finish) : new RunningListAcc(finish);
    }
  }
}
