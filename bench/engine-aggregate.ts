/**
 * Engine throughput: 1,000,000 rows in batches of 1,000 through
 *   (1) GROUP BY g with count(*), sum(x), avg(x) over 1,000 groups (append input), and
 *   (2) a hash join of the same rows with a 1,000-row dimension table, aggregated per region,
 *   (3) the same GROUP BY plus min/max over a RING 100000 input, so every row is later retracted
 *       (retraction state: sorted multisets for min/max),
 * and how long views created over an existing table of all those rows take to fill (hydration of
 * a global max() and of an ORDER BY ... LIMIT 3, both keeping sorted retraction state),
 * each a full update cycle per batch (input drain, operators, arrangement, listeners).
 * Prints rows/s, per-cycle p50/p99 latency and RSS, and, as the baseline measured in the same run,
 * a hand-written non-incremental Map group-by over the same rows: the ratio is what the engine's
 * generality costs on this machine.
 *
 * Run: node --import tsx bench/engine-aggregate.ts [rows] [batch]
 */
import { Dataflow, type InputNode } from '../src/engine/dataflow.js';
import { AggregateOp, type AggregateSpec } from '../src/engine/ops/aggregate.js';
import { JoinOp } from '../src/engine/ops/join.js';
import { TopKOp } from '../src/engine/ops/topk.js';
import type { Row } from '../src/engine/batch.js';

const TOTAL = Number(process.argv[2] ?? 1_000_000);
const BATCH = Number(process.argv[3] ?? 1_000);
const GROUPS = 1_000;

function makeBatches(): Row[][] {
  let seed = 12345;
  // xorshift32: cheap, and its low bits are as good as its high ones.
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const batches: Row[][] = [];
  for (let done = 0; done < TOTAL; done += BATCH) {
    const rows: Row[] = [];
    for (let i = 0; i < BATCH; i++) rows.push([next() % GROUPS, next() % 1000, done + i]);
    batches.push(rows);
  }
  return batches;
}

const aggs: AggregateSpec[] = [
  { fn: 'count_star', args: [], distinct: false, argKind: 'other' },
  { fn: 'sum', args: [(r) => r[1]], distinct: false, argKind: 'int' },
  { fn: 'avg', args: [(r) => r[1]], distinct: false, argKind: 'int' },
];

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US').padStart(10);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

function run(name: string, batches: Row[][], build: (flow: Dataflow, input: InputNode) => void, kind: 'append' | { ring: number } = 'append'): number {
  const flow = new Dataflow();
  const input = flow.input('facts', kind);
  build(flow, input);
  flow.runCycle();
  const latencies: number[] = [];
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (const rows of batches) {
    const t = performance.now();
    input.insert(rows);
    flow.runCycle();
    latencies.push(performance.now() - t);
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  latencies.sort((a, b) => a - b);
  const rate = TOTAL / seconds;
  // Rows per CPU-second is steadier than wall-clock time on a shared, loaded machine.
  const cpuRate = TOTAL / ((cpu.user + cpu.system) / 1e6);
  console.log(
    `${name.padEnd(30)} ${fmt(rate)} rows/s (${fmt(cpuRate)} per CPU-s)   cycle p50 ${percentile(latencies, 0.5).toFixed(2)} ms  p99 ${percentile(latencies, 0.99).toFixed(2)} ms   rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`,
  );
  return rate;
}

/** The baseline: the same group-by written directly over Maps, nothing incremental, no batches. */
function baseline(batches: Row[][]): number {
  const start = performance.now();
  const groups = new Map<number, { n: number; sum: number }>();
  for (const rows of batches) {
    for (const r of rows) {
      const g = groups.get(r[0] as number);
      if (g) {
        g.n++;
        g.sum += r[1] as number;
      } else groups.set(r[0] as number, { n: 1, sum: r[1] as number });
    }
  }
  const seconds = (performance.now() - start) / 1000;
  if (groups.size !== GROUPS) throw new Error('baseline lost groups');
  const rate = TOTAL / seconds;
  console.log(`${'baseline Map group-by'.padEnd(30)} ${fmt(rate)} rows/s`);
  return rate;
}

/** Views created over a table already holding every row: their first cycle loads it all. */
function hydration(batches: Row[][]): void {
  const flow = new Dataflow();
  const table = flow.input('table', 'general');
  for (const rows of batches) table.insert(rows);
  flow.runCycle();
  const views: [string, () => void][] = [
    ['hydrate global max()', () => {
      flow.materialize(flow.add(new AggregateOp({ groupKey: () => [], aggregates: [{ fn: 'max', args: [(r) => r[2]], distinct: false, argKind: 'int' }], global: true, input: 'general' }), [table]));
    }],
    ['hydrate ORDER BY LIMIT 3', () => {
      flow.materialize(flow.add(new TopKOp({ compare: (a, b) => (b[2] as number) - (a[2] as number), limit: 3, offset: 0 }), [table]));
    }],
  ];
  for (const [name, build] of views) {
    build();
    const start = performance.now();
    flow.runCycle();
    console.log(`${name.padEnd(30)} ${(performance.now() - start).toFixed(0).padStart(10)} ms for ${TOTAL.toLocaleString('en-US')} rows`);
  }
}

const batches = makeBatches();
console.log(`${TOTAL.toLocaleString('en-US')} rows in batches of ${BATCH}, ${GROUPS} groups`);
const base = baseline(batches);
const agg = run('aggregate count/sum/avg', batches, (flow, input) => {
  flow.materialize(flow.add(new AggregateOp({ groupKey: (r) => [r[0]], aggregates: aggs, global: false, input: 'append' }), [input]));
});
const join = run('join + aggregate', batches, (flow, input) => {
  const dim = flow.input('dim', 'general');
  dim.insert(Array.from({ length: GROUPS }, (_, g) => [g, `region-${g % 10}`]));
  const joined = flow.add(new JoinOp({ kind: 'inner', leftKey: (r) => [r[0]], rightKey: (r) => [r[0]], leftWidth: 3, rightWidth: 2 }), [input, dim]);
  flow.materialize(flow.add(new AggregateOp({ groupKey: (r) => [r[4]], aggregates: aggs, global: false, input: 'append' }), [joined]));
});
const ring = run('ring 100k + min/max aggregate', batches, (flow, input) => {
  const withMinMax: AggregateSpec[] = [
    ...aggs,
    { fn: 'min', args: [(r) => r[1]], distinct: false, argKind: 'int' },
    { fn: 'max', args: [(r) => r[1]], distinct: false, argKind: 'int' },
  ];
  flow.materialize(flow.add(new AggregateOp({ groupKey: (r) => [r[0]], aggregates: withMinMax, global: false, input: 'general' }), [input]));
}, { ring: 100_000 });
hydration(batches);
const ratio = (x: number) => (x / base).toFixed(3);
console.log(`ratio to baseline: aggregate ${ratio(agg)}, join + aggregate ${ratio(join)}, ring + min/max ${ratio(ring)}`);
