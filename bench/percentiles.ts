/**
 * Ordered-set aggregates: the cost of one change to a group of 10k, 100k and 1M rows, through the
 * AggregateOp a materialized view's GROUP BY becomes, for
 *   percentile_cont(0.5) WITHIN GROUP (ORDER BY x)
 *   percentile_disc(ARRAY[0.1, 0.5, 0.9]) WITHIN GROUP (ORDER BY x)
 *   mode() WITHIN GROUP (ORDER BY x)
 * over a general (retractable) input. A change is one row inserted or one earlier row deleted, in
 * turn, each its own cycle that emits the group's new result. Each figure is the mean time of one
 * such cycle, printed with its ratio to the smallest group (flat means not proportional to the
 * group's size) and, as the baseline measured in the same run, the time the same operator takes to
 * load the group from scratch (what re-reading the group on every change would cost).
 *
 * Run: node --expose-gc --import tsx bench/percentiles.ts [sizes, comma-separated] [changes]
 */
import { AggregateOp, type AggregateSpec } from '../src/engine/ops/aggregate.js';
import type { Batch, Row } from '../src/engine/batch.js';
import { SqlArray, type Value } from '../src/types/types.js';
import { xorshift } from './xorshift.js';

const SIZES = (process.argv[2] ?? '10000,100000,1000000').split(',').map(Number);
const CHANGES = Number(process.argv[3] ?? 2000);

const byX = { keys: (r: Row): Value[] => [r[1]], compare: (a: Value[], b: Value[]) => (a[0] as number) - (b[0] as number) };
const SCENARIOS: { name: string; aggregate: AggregateSpec }[] = [
  { name: 'percentile_cont(0.5)', aggregate: { fn: 'percentile_cont', args: [(r) => r[1], () => 0.5], distinct: false, argKind: 'float', orderBy: byX } },
  {
    name: 'percentile_disc(ARRAY[.1,.5,.9])',
    aggregate: { fn: 'percentile_disc', args: [(r) => r[1], () => new SqlArray([0.1, 0.5, 0.9])], distinct: false, argKind: 'float', orderBy: byX },
  },
  { name: 'mode()', aggregate: { fn: 'mode', args: [(r) => r[1]], distinct: false, argKind: 'float', orderBy: byX } },
];

function measure(aggregate: AggregateSpec, n: number): { perChange: number; scratch: number } {
  const rand = xorshift(7);
  // Values from a domain of n/4, so that mode has repeated values to count.
  const value = () => Math.floor(rand() * (n / 4));
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) rows.push(['g', value(), i]);
  const op = new AggregateOp({ groupKey: (r) => [r[0]], aggregates: [aggregate], global: false, input: 'general' });
  const t0 = performance.now();
  op.step([rows.map((row): Batch[number] => ({ row, diff: 1 }))]);
  const scratch = performance.now() - t0;
  const start = performance.now();
  for (let k = 0; k < CHANGES; k++) {
    if (k % 2 === 0) {
      const row: Row = ['g', value(), n + k];
      rows.push(row);
      op.step([[{ row, diff: 1 }]]);
    } else {
      const at = Math.floor(rand() * rows.length);
      const [row] = rows.splice(at, 1, rows[rows.length - 1]!);
      rows.pop();
      op.step([[{ row: row!, diff: -1 }]]);
    }
  }
  return { perChange: (performance.now() - start) / CHANGES, scratch };
}

const gc = (globalThis as { gc?: () => void }).gc;
console.log(`one change (insert or delete) to a group of n rows, mean of ${CHANGES} (baseline: the group loaded from scratch)`);
for (const s of SCENARIOS) {
  let first: number | null = null;
  for (const n of SIZES) {
    gc?.();
    const { perChange, scratch } = measure(s.aggregate, n);
    first ??= perChange;
    console.log(
      `${s.name.padEnd(34)} n=${String(n).padStart(8)}  ${(perChange * 1000).toFixed(1).padStart(8)} µs/change  x${(perChange / first).toFixed(2)} of n=${SIZES[0]}   from scratch ${scratch.toFixed(1).padStart(8)} ms  (${(scratch / perChange).toFixed(0)}x one change)`,
    );
  }
}
