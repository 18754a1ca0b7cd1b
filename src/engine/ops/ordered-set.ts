/**
 * The ordered-set aggregates, PostgreSQL's `WITHIN GROUP (ORDER BY x)` family:
 * - percentile_disc(f): the first value whose position in the order reaches the fraction f of
 *   the rows (row ⌈f·n⌉, the first for f = 0);
 * - percentile_cont(f): float8, interpolated between rows ⌊f·(n−1)⌋ and ⌈f·(n−1)⌉ as
 *   float8_lerp does;
 * - mode(): the most frequent value, the first in the order among equally frequent ones.
 * The group's values are kept as a sorted multiset (the call's ORDER BY, DESC included), updated
 * by every change, so a maintained view never re-reads its group's rows; the result walks the
 * multiset's distinct values once. The fraction is the call's direct argument (evaluated per row,
 * as PostgreSQL requires it to be the same for the whole group); NULL gives NULL, a value outside
 * [0, 1] is 22003.
 */
import { SqlError, SQLSTATE } from '../../errors.js';
import type { Value } from '../../types/types.js';
import { SortedCounts } from '../ordered.js';

export type OrderedSetFn = 'percentile_cont' | 'percentile_disc' | 'mode';

export class OrderedSetAggregate {
  private readonly values: SortedCounts<Value[]>;
  private n = 0;
  private fraction: Value = null;

  constructor(
    private readonly fn: OrderedSetFn,
    orderCompare: (a: Value[], b: Value[]) => number,
  ) {
    this.values = new SortedCounts(orderCompare);
  }

  /** `order` is the row's ORDER BY key ([x]); `fraction` the direct argument. */
  update(order: Value[], fraction: Value, diff: number): void {
    this.values.add(order, diff);
    this.n += diff;
    this.fraction = fraction;
  }

  result(): Value {
    if (this.n === 0) return null;
    if (this.fn === 'mode') return this.mode();
    if (this.fraction === null) return null;
    const f = this.fraction as number;
    if (!(f >= 0 && f <= 1)) throw new SqlError(SQLSTATE.numericValueOutOfRange, `percentile value ${f} is not between 0 and 1`);
    if (this.fn === 'percentile_disc') return this.values.at(Math.max(Math.ceil(f * this.n), 1) - 1)![0]!;
    const position = f * (this.n - 1);
    const first = Math.floor(position);
    const lo = this.values.at(first)![0] as number;
    if (first === Math.ceil(position)) return lo;
    const hi = this.values.at(first + 1)![0] as number;
    return lo + (position - first) * (hi - lo);
  }

  private mode(): Value {
    let best: Value[] | undefined;
    let bestCount = 0;
    for (const { value, count } of this.values.entries()) {
      if (count > bestCount) {
        best = value;
        bestCount = count;
      }
    }
    return best![0]!;
  }
}
