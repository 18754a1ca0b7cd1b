/**
 * Window functions: the cost of one insert into a partition of 10k, 100k and 1M rows, through
 * the WindowOp a materialized view's window becomes, for
 *   row_number() OVER (ORDER BY ts)                       a new latest row (the streaming case),
 *   lag(v) / lead(v) OVER (ORDER BY ts)                   a row inserted at a random position,
 *   sum(v) OVER (ORDER BY ts ROWS 5 PRECEDING)            a sliding frame, random position,
 *   sum(v) OVER (ORDER BY ts)                             a running total, new latest row.
 * Each figure is the mean time of one single-row cycle (the op's step) over many inserts into the
 * same partition, printed with its ratio to the 10k figure (flat means not proportional to the
 * partition's size) and, as the baseline measured in the same run, the time the same operator
 * takes to compute that partition from scratch (what a non-incremental engine pays per change).
 *
 * Run: node --expose-gc --import tsx bench/window-insert.ts [sizes, comma-separated] [inserts]
 */
import { WindowOp, type WindowFunction } from '../src/engine/ops/window.js';
import type { Batch, Row } from '../src/engine/batch.js';
import { xorshift } from './xorshift.js';

const SIZES = (process.argv[2] ?? '10000,100000,1000000').split(',').map(Number);
const INSERTS = Number(process.argv[3] ?? 300);

const rowsFrame = { unit: 'rows', start: { kind: 'preceding', offset: 5, column: -1 }, end: { kind: 'current', offset: 0, column: -1 }, exclude: 'no others', rangeValue: -1 } as const;
const rangeFrame = { unit: 'range', start: { kind: 'unbounded', offset: 0, column: -1 }, end: { kind: 'current', offset: 0, column: -1 }, exclude: 'no others', rangeValue: -1 } as const;

interface Scenario {
  name: string;
  functions: WindowFunction[];
  /** The ts of the k-th insert into a partition of n rows (existing rows have ts 0, 2, 4, ...). */
  at: (n: number, k: number, rand: () => number) => number;
}

const latest = (n: number, k: number) => 2 * n + k;
const anywhere = (n: number, _k: number, rand: () => number) => 2 * Math.floor(rand() * n) + 1;

const SCENARIOS: Scenario[] = [
  { name: 'row_number, new latest row', functions: [{ fn: 'row_number' }], at: latest },
  { name: 'lag + lead, random position', functions: [{ fn: 'lag', value: 2, offset: 1, default: null }, { fn: 'lead', value: 2, offset: 1, default: null }], at: anywhere },
  { name: 'sum ROWS 5 PRECEDING, random', functions: [{ fn: 'aggregate', aggregate: { fn: 'sum', args: [2], filter: null, argKind: 'int' }, frame: rowsFrame }], at: anywhere },
  { name: 'running sum, new latest row', functions: [{ fn: 'aggregate', aggregate: { fn: 'sum', args: [2], filter: null, argKind: 'int' }, frame: rangeFrame }], at: latest },
];

const newOp = (s: Scenario) => new WindowOp({ partition: [0], order: [{ column: 1, desc: false, nullsFirst: false }], functions: s.functions });

function measure(s: Scenario, n: number): { perInsert: number; scratch: number } {
  const rows: Batch = [];
  for (let i = 0; i < n; i++) rows.push({ row: ['p', 2 * i, i % 100] as Row, diff: 1 });
  const op = newOp(s);
  const t0 = performance.now();
  op.step([rows]);
  const scratch = performance.now() - t0;
  const rand = xorshift(42);
  const start = performance.now();
  for (let k = 0; k < INSERTS; k++) op.step([[{ row: ['p', s.at(n, k, rand), k % 100], diff: 1 }]]);
  const perInsert = (performance.now() - start) / INSERTS;
  return { perInsert, scratch };
}

const gc = (globalThis as { gc?: () => void }).gc;
console.log(`one insert into a partition of n rows, mean of ${INSERTS} (baseline: the partition computed from scratch)`);
for (const s of SCENARIOS) {
  let first: number | null = null;
  for (const n of SIZES) {
    gc?.();
    const { perInsert, scratch } = measure(s, n);
    first ??= perInsert;
    console.log(
      `${s.name.padEnd(30)} n=${String(n).padStart(8)}  ${(perInsert * 1000).toFixed(1).padStart(8)} µs/insert  x${(perInsert / first).toFixed(2)} of n=${SIZES[0]}   from scratch ${scratch.toFixed(1).padStart(8)} ms  (${(scratch / perInsert).toFixed(0)}x one insert)`,
    );
  }
}
