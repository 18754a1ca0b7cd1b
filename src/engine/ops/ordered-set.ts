/**
 * The ordered-set aggregates, PostgreSQL's `WITHIN GROUP (ORDER BY x)` family:
 * - percentile_disc(f): the first value whose position in the order reaches the fraction f of
 *   the rows (row ⌈f·n⌉, the first for f = 0);
 * - percentile_cont(f): interpolated between rows ⌊f·(n−1)⌋ and ⌈f·(n−1)⌉, over float8 as
 *   float8_lerp does and over interval as interval_lerp does (hi − lo scaled, plus lo);
 * - mode(): the most frequent value, the first in the order among equally frequent ones.
 * f may be an array of fractions (percentile_cont(ARRAY[0.25, 0.5])), which gives the array of
 * the percentiles, NULL for a NULL fraction, bounds kept.
 * The group's values are kept in a RankedCounts (the call's ORDER BY, DESC included), updated by
 * every change, so a maintained view never re-reads its group's rows and a result costs O(log n)
 * per fraction, however large the group. The fraction is the call's direct argument (evaluated
 * per row, as PostgreSQL requires it to be the same for the whole group); NULL gives NULL, a value
 * outside [0, 1] is 22003.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import { intervalPlus, intervalScale } from '../../types/interval-arith.js';
import { Interval, SqlArray, type Value } from '../../types/types.js';
import { RankedCounts } from '../ranked-counts.js';

export type OrderedSetFn = 'percentile_cont' | 'percentile_disc' | 'mode';

export class OrderedSetAggregate {
  private readonly values: RankedCounts<Value[]>;
  private fraction: Value = null;

  constructor(
    private readonly fn: OrderedSetFn,
    orderCompare: (a: Value[], b: Value[]) => number,
  ) {
    this.values = new RankedCounts(orderCompare);
  }

  /** `order` is the row's ORDER BY key ([x]); `fraction` the direct argument. */
  update(order: Value[], fraction: Value, diff: number): void {
    this.values.add(order, diff);
    this.fraction = fraction;
  }

  result(): Value {
    if (this.values.size === 0) return null;
    if (this.fn === 'mode') return this.values.mode()![0]!;
    const f = this.fraction;
    if (f instanceof SqlArray) return new SqlArray(f.elements.map((e) => (e === null ? null : this.percentile(e as number))), f.lower);
    return f === null ? null : this.percentile(f as number);
  }

  private percentile(f: number): Value {
    if (!(f >= 0 && f <= 1)) throw new SqlError(SQLSTATE.numericValueOutOfRange, `percentile value ${f} is not between 0 and 1`);
    const n = this.values.size;
    if (this.fn === 'percentile_disc') return this.at(Math.max(Math.ceil(f * n), 1) - 1);
    const position = f * (n - 1);
    const first = Math.floor(position);
    const lo = this.at(first);
    if (first === Math.ceil(position)) return lo;
    const hi = this.at(first + 1);
    const proportion = position - first;
    if (lo instanceof Interval) return intervalPlus(intervalScale(intervalPlus(hi as Interval, lo, -1), proportion, 'mul'), lo, 1);
    return (lo as number) + proportion * ((hi as number) - (lo as number));
  }

  private at(k: number): Value {
    return this.values.at(k)![0]!;
  }
}
