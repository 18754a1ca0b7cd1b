import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataflow } from '../../src/engine/dataflow.js';
import { Scheduler } from '../../src/engine/scheduler.js';
import { evaluateOnce } from '../../src/engine/evaluate.js';
import { AggregateOp } from '../../src/engine/ops/aggregate.js';
import { FilterOp, MapOp } from '../../src/engine/ops/basic.js';
import { JoinOp } from '../../src/engine/ops/join.js';
import { DistinctOnOp, DistinctOp } from '../../src/engine/ops/distinct.js';
import { SemiJoinOp } from '../../src/engine/ops/semijoin.js';
import { TopKOp } from '../../src/engine/ops/topk.js';
import { SetOp } from '../../src/engine/ops/setop.js';
import { TemporalFilterOp } from '../../src/engine/ops/temporal-filter.js';
import type { Arrangement } from '../../src/engine/arrangement.js';
import type { Batch, Row } from '../../src/engine/batch.js';
import { SqlError, SQLSTATE } from '../../src/errors.js';
import { compareNullable, rowKey } from '../../src/types/compare.js';
import { randomBatch, rng, smallInt } from './harness.js';
import { waitFor } from '../support/wait.js';

const sorted = (a: Arrangement): string[] => a.rows().map((r) => rowKey(r)).sort();
const keys = (rows: Row[]): string[] => rows.map((r) => rowKey(r)).sort();
const countStar = { fn: 'count_star' as const, args: [], distinct: false, argKind: 'other' as const };
const lastOf = (i: number) => ({ fn: 'last' as const, args: [(r: Row) => r[i]], distinct: false, argKind: 'other' as const });

test('a stream input holds only the latest cycle\'s rows; an aggregate over it keeps everything it saw', () => {
  const flow = new Dataflow();
  const s = flow.input('s', 'stream');
  const t = flow.input('t', 'general');
  const agg = flow.materialize(flow.add(new AggregateOp({ groupKey: () => [], global: true, input: 'stream', aggregates: [countStar, lastOf(0)] }), [s]));
  s.insert([['a'], ['b']]);
  flow.runCycle();
  assert.deepEqual(sorted(s.arrangement!), keys([['a'], ['b']]));
  s.insert([['c']]);
  flow.runCycle();
  assert.equal(s.arrangement!.count(), 0, 'the previous rows leave in a cycle of their own');
  assert.ok(flow.hasPendingInput(), 'the new rows wait for the next cycle');
  flow.runCycle();
  assert.deepEqual(sorted(s.arrangement!), keys([['c']]));
  t.insert([[1]]);
  flow.runCycle();
  assert.equal(s.arrangement!.count(), 0, 'a cycle without stream input empties the stream');
  assert.deepEqual(agg.rows(), [[3n, 'c']]);
  assert.throws(() => s.push([{ row: ['c'], diff: -1 }]), /stream/);
});

test('a row arriving on a stream in consecutive cycles counts each time, even through a projection', () => {
  const flow = new Dataflow();
  const s = flow.input('s', 'stream');
  // SELECT page FROM s, then count(*) over it: the projection maps different rows to the same one.
  const pages = flow.add(new MapOp((r) => [r[0]]), [s]);
  const counts = flow.materialize(flow.add(new AggregateOp({ groupKey: (r) => [r[0]], global: false, input: 'stream', aggregates: [countStar] }), [pages]));
  const settle = () => {
    while (flow.hasPendingInput()) flow.runCycle();
  };
  s.insert([['home', 1]]);
  settle();
  s.insert([['home', 1]]);
  settle();
  s.insert([['home', 2]]);
  settle();
  assert.deepEqual(counts.rows(), [['home', 3n]]);
});

test('a ring keeps the last n rows; when more than n arrive at once, the others never appear', () => {
  const flow = new Dataflow();
  const ring = flow.input('r', { ring: 3 });
  const sum = flow.materialize(flow.add(new AggregateOp({ groupKey: () => [], global: true, input: 'general', aggregates: [{ fn: 'sum', args: [(r) => r[0]], distinct: false, argKind: 'int' }] }), [ring]));
  const seen: Batch[] = [];
  ring.arrangement!.onChange((b) => seen.push(b));
  ring.insert([[1], [2]]);
  flow.runCycle();
  ring.insert([[3], [4]]);
  flow.runCycle();
  assert.deepEqual(sorted(ring.arrangement!), keys([[2], [3], [4]]));
  assert.deepEqual(sum.rows(), [[9n]]);
  ring.insert([[10], [11], [12], [13], [14]]);
  flow.runCycle();
  assert.deepEqual(sorted(ring.arrangement!), keys([[12], [13], [14]]));
  assert.deepEqual(sum.rows(), [[39n]]);
  const everAdded = seen.flatMap((b) => b.filter((c) => c.diff > 0).map((c) => c.row[0]));
  assert.ok(!everAdded.includes(10) && !everAdded.includes(11), 'rows pushed out within their own cycle never appear');
});

test('DISTINCT ON without ORDER BY over a source shows the latest row per key (last_by)', () => {
  const flow = new Dataflow();
  const quotes = flow.input('quotes', 'append');
  const last = flow.materialize(flow.add(new DistinctOnOp({ key: (r) => [r[0]], input: 'append' }), [quotes]));
  quotes.insert([['IBM', 1], ['AAPL', 2], ['IBM', 3]]);
  flow.runCycle();
  quotes.insert([['IBM', 0.5]]);
  flow.runCycle();
  assert.deepEqual(sorted(last), keys([['AAPL', 2], ['IBM', 0.5]]));
});

test('operators added to a running graph start from the current contents of what they read', () => {
  const flow = new Dataflow();
  const t = flow.input('t', 'general');
  t.insert([[1], [2], [3]]);
  flow.runCycle();
  const evens = flow.materialize(flow.add(new FilterOp((r) => (r[0] as number) % 2 === 0), [t]));
  assert.ok(flow.hasPendingInput(), 'a new node waits for its first cycle');
  flow.runCycle();
  assert.deepEqual(sorted(evens), keys([[2]]));
  // A view on a view: reads the materialized view's contents.
  const doubled = flow.materialize(flow.add(new MapOp((r) => [(r[0] as number) * 2]), [flow.add(new FilterOp(() => true), [t])]));
  t.insert([[4]]);
  flow.runCycle();
  assert.deepEqual(sorted(doubled), keys([[2], [4], [6], [8]]));
  assert.deepEqual(sorted(evens), keys([[2], [4]]));
  const unmaterialized = flow.add(new FilterOp(() => true), [t]);
  flow.runCycle();
  assert.throws(() => flow.add(new FilterOp(() => true), [unmaterialized]), /arrangement/);
});

test('an expression error puts its view and everything downstream in error, while other views go on', () => {
  const flow = new Dataflow();
  const t = flow.input('t', 'general');
  const bad = flow.add(new MapOp((r) => {
    if (r[0] === 0) throw new SqlError(SQLSTATE.divisionByZero, 'division by zero');
    return [1 / (r[0] as number)];
  }), [t]);
  const badView = flow.materialize(bad);
  const downstream = flow.materialize(flow.add(new FilterOp(() => true), [bad]));
  const good = flow.materialize(flow.add(new FilterOp(() => true), [t]));
  t.insert([[1]]);
  flow.runCycle();
  assert.equal(badView.count(), 1);
  const failures: string[] = [];
  flow.onCycle((info) => info.failed.forEach((err, arr) => failures.push(`${arr === badView ? 'bad' : arr === downstream ? 'downstream' : 'other'}:${err.code}`)));
  t.insert([[0]]);
  flow.runCycle();
  assert.deepEqual(failures.sort(), ['bad:22012', 'downstream:22012']);
  assert.equal(badView.error?.code, SQLSTATE.divisionByZero);
  assert.equal(downstream.error?.code, SQLSTATE.divisionByZero);
  assert.equal(good.error, null);
  t.insert([[5]]);
  flow.runCycle();
  assert.equal(good.count(), 3);
  assert.throws(() => evaluateOnce((f) => f.constant(badView)), (err: unknown) => err instanceof SqlError && err.code === SQLSTATE.divisionByZero, 'reading a failed view raises its error');
});

test('remove drops a view and the operators only it used, and listeners see each cycle\'s changes', () => {
  const flow = new Dataflow();
  const t = flow.input('t', 'general');
  const inner = flow.add(new FilterOp(() => true), [t]);
  const top = flow.add(new MapOp((r) => r), [inner]);
  const view = flow.materialize(top);
  const cycles: number[] = [];
  flow.onCycle((info) => info.changes.has(view) && cycles.push(info.cycle));
  t.insert([[1]]);
  flow.runCycle();
  assert.throws(() => flow.remove(inner), /consumers/);
  flow.remove(top);
  assert.equal(t.consumers.size, 0, 'the filter only the view used is gone too');
  t.insert([[2]]);
  assert.equal(flow.runCycle(), true);
  assert.deepEqual(cycles, [1]);
  assert.equal(view.count(), 1, 'a removed view no longer updates');
});

test('the scheduler runs a cycle soon after a push, coalescing pushes', async () => {
  const flow = new Dataflow();
  const t = flow.input('t', 'append');
  const count = flow.materialize(flow.add(new AggregateOp({ groupKey: () => [], global: true, input: 'append', aggregates: [countStar] }), [t]));
  const scheduler = new Scheduler(flow);
  try {
    for (let i = 0; i < 100; i++) t.insert([[i]]);
    await waitFor(() => count.rows()[0]?.[0] === 100n, { timeoutMs: 5000, intervalMs: 1, message: 'the view to count 100 rows' });
    assert.ok(flow.cycleNumber <= 3, `100 pushes coalesced into few cycles, got ${flow.cycleNumber}`);
  } finally {
    scheduler.stop();
  }
});

test('a temporal filter shows rows inside their validity interval as time passes', () => {
  const flow = new Dataflow();
  const events = flow.input('events', 'append');
  // WHERE ts > now() - 10s  AND ts <= now(): visible during [ts, ts + 10s).
  const recent = flow.materialize(flow.add(new TemporalFilterOp((r) => ({ from: r[0] as number, until: (r[0] as number) + 10_000_000 })), [events]));
  const t0 = 1_700_000_000_000;
  events.insert([[t0 * 1000], [(t0 + 5000) * 1000]]);
  flow.runCycle(t0);
  assert.equal(recent.count(), 1);
  assert.equal(flow.nextWakeup(), t0 + 5000);
  flow.runCycle(t0 + 5000);
  assert.equal(recent.count(), 2);
  flow.runCycle(t0 + 10_000);
  assert.deepEqual(recent.rows(), [[(t0 + 5000) * 1000]]);
  flow.runCycle(t0 + 15_000);
  assert.equal(recent.count(), 0);
  assert.equal(flow.nextWakeup(), null);
});

test('evaluateOnce over snapshots equals the materialized view of the same plan', () => {
  const rand = rng(42);
  const plan = (l: ReturnType<Dataflow['input']>, r: ReturnType<Dataflow['input']>, flow: Dataflow) => {
    const join = flow.add(new JoinOp({ kind: 'left', leftKey: (x) => [x[0]], rightKey: (x) => [x[0]], leftWidth: 2, rightWidth: 2 }), [l, r]);
    return flow.add(new AggregateOp({ groupKey: (x) => [x[0]], global: false, input: 'general', aggregates: [countStar, { fn: 'max', args: [(x) => x[3]], distinct: false, argKind: 'int' }] }), [join]);
  };
  const flow = new Dataflow();
  const l = flow.input('l', 'general');
  const r = flow.input('r', 'general');
  const view = flow.materialize(plan(l, r, flow));
  const lm: Row[] = [];
  const rm: Row[] = [];
  for (let step = 0; step < 40; step++) {
    for (const [node, rows] of [[l, lm], [r, rm]] as const) {
      const batch = randomBatch(rand, rows, () => [smallInt(rand), smallInt(rand, 5, 0)], 'general');
      node.push(batch);
      for (const { row, diff } of batch) {
        if (diff > 0) for (let i = 0; i < diff; i++) rows.push(row);
        else for (let i = 0; i < -diff; i++) rows.splice(rows.findIndex((x) => rowKey(x) === rowKey(row)), 1);
      }
    }
    flow.runCycle();
    const once = evaluateOnce((f) => plan(f.constant(l.arrangement!), f.constant(r.arrangement!), f));
    assert.deepEqual(keys(once), sorted(view), `step ${step}`);
  }
});

test('evaluateOnce raises the error a query hits', () => {
  assert.throws(
    () => evaluateOnce((f) => f.add(new MapOp(() => { throw new SqlError(SQLSTATE.divisionByZero, 'division by zero'); }), [f.constant([[1]])])),
    (err: unknown) => err instanceof SqlError && err.code === SQLSTATE.divisionByZero,
  );
});

test('a view created mid-stream catches up with the same view created at the start', () => {
  const rand = rng(9);
  const row = () => [smallInt(rand), smallInt(rand, 5, 0.1)];
  const flow = new Dataflow();
  const l = flow.input('l', 'general');
  const r = flow.input('r', 'general');
  // A plan touching every stateful operator whose result does not depend on arrival order.
  const plan = () => {
    const join = flow.add(new JoinOp({ kind: 'full', leftKey: (x) => [x[0]], rightKey: (x) => [x[0]], leftWidth: 2, rightWidth: 2 }), [l, r]);
    const semi = flow.add(new SemiJoinOp({ anti: true, nullAwareNotIn: true, leftKey: (x) => [x[1]], rightKey: (x) => [x[3]] }), [join, join]);
    const agg = flow.add(new AggregateOp({ groupKey: (x) => [x[0]], global: false, input: 'general', aggregates: [countStar, { fn: 'min', args: [(x) => x[3]], distinct: false, argKind: 'int' }] }), [semi]);
    const distinct = flow.add(new DistinctOp({ input: 'general' }), [flow.add(new MapOp((x) => [x[2]]), [agg])]);
    const top = flow.add(new TopKOp({ compare: (a, b) => compareNullable(a[0], b[0], true), limit: 2, offset: 1 }), [flow.add(new SetOp({ op: 'union', all: false }), [distinct, flow.add(new MapOp((x) => [x[1]]), [r])])]);
    return flow.materialize(top);
  };
  const early = plan();
  const lm: Row[] = [];
  const rm: Row[] = [];
  let late: Arrangement | null = null;
  for (let step = 0; step < 60; step++) {
    for (const [node, rows] of [[l, lm], [r, rm]] as const) {
      const batch = randomBatch(rand, rows, row, 'general');
      node.push(batch);
      for (const { row: x, diff } of batch) {
        if (diff > 0) for (let i = 0; i < diff; i++) rows.push(x);
        else for (let i = 0; i < -diff; i++) rows.splice(rows.findIndex((y) => rowKey(y) === rowKey(x)), 1);
      }
    }
    if (step === 20) late = plan();
    flow.runCycle();
    if (late) assert.deepEqual(sorted(late), sorted(early), `step ${step}`);
  }
  assert.ok(early.count() > 0);
});

test('the scheduler skips a requested cycle when a synchronous runCycle already drained the input', async () => {
  const flow = new Dataflow();
  const s = flow.input('s', 'stream');
  const scheduler = new Scheduler(flow);
  try {
    s.insert([['x']]);
    flow.runCycle();
    await scheduler.idle();
    await new Promise((r) => setImmediate(r));
    assert.equal(flow.cycleNumber, 1, 'no empty cycle ran');
    assert.equal(s.arrangement!.count(), 1, 'the stream still shows its latest cycle');
  } finally {
    scheduler.stop();
  }
});

test('a listener cannot run a cycle from inside a cycle', () => {
  const flow = new Dataflow();
  const t = flow.input('t', 'general');
  flow.onCycle(() => flow.runCycle());
  t.insert([[1]]);
  assert.throws(() => flow.runCycle(), /within a cycle/);
  assert.equal(t.arrangement!.count(), 1, 'the cycle itself completed');
});

test('a DISTINCT ON (latest) view created later starts from the rows as they last arrived', () => {
  const flow = new Dataflow();
  for (const kind of ['append', 'general'] as const) {
    const quotes = flow.input(`quotes_${kind}`, kind);
    quotes.insert([['IBM', 1], ['IBM', 2]]);
    flow.runCycle();
    quotes.insert([['IBM', 1]]);
    flow.runCycle();
    const early = flow.materialize(flow.add(new DistinctOnOp({ key: (r) => [r[0]], input: kind }), [quotes]));
    flow.runCycle();
    assert.deepEqual(early.rows(), [['IBM', 1]], `${kind}: the repeated row arrived last`);
  }
});

test('explain lists each operator over its inputs, indented', () => {
  const flow = new Dataflow();
  const t = flow.input('t', { ring: 5 });
  const u = flow.input('u', 'append');
  const join = flow.add(new JoinOp({ kind: 'left', leftKey: (x) => [x[0]], rightKey: (x) => [x[0]], leftWidth: 1, rightWidth: 1 }), [t, u]);
  const agg = flow.add(new AggregateOp({ groupKey: (x) => [x[0]], global: false, input: 'general', aggregates: [countStar] }), [join]);
  assert.deepEqual(flow.explain(agg), ['HashAggregate count_star', '  HashJoin left', '    Input t (ring 5)', '    Input u (append)']);
});

test('a row whose expression raises puts views in error while present, and only then', () => {
  const flow = new Dataflow();
  const t = flow.input('t', 'general');
  const inverse = flow.add(new MapOp((r) => {
    if (r[0] === 0) throw new SqlError(SQLSTATE.divisionByZero, 'division by zero');
    return [1 / (r[0] as number)];
  }), [t]);
  const view = flow.materialize(inverse);
  const total = flow.materialize(flow.add(new AggregateOp({ groupKey: () => [], global: true, input: 'general', aggregates: [countStar] }), [inverse]));
  t.insert([[1], [0], [2]]);
  flow.runCycle();
  assert.equal(view.error?.code, SQLSTATE.divisionByZero);
  assert.equal(total.error?.code, SQLSTATE.divisionByZero, 'downstream reads as the error too');
  assert.throws(() => evaluateOnce((f) => f.constant(view)), /division by zero/);
  t.push([{ row: [0], diff: -1 }]);
  flow.runCycle();
  assert.equal(view.error, null, 'the error went with its row');
  assert.equal(total.error, null);
  assert.deepEqual(sorted(view), keys([[1], [0.5]]));
  assert.deepEqual(total.rows(), [[2n]]);
  t.insert([[3]]);
  flow.runCycle();
  assert.deepEqual(total.rows(), [[3n]], 'and the views keep updating');
});

test('an error inside a stateful operator fails the view for good', () => {
  const flow = new Dataflow();
  const t = flow.input('t', 'general');
  const sum = flow.materialize(flow.add(new AggregateOp({ groupKey: () => [], global: true, input: 'general', aggregates: [{ fn: 'sum', args: [(r) => r[0]], distinct: false, argKind: 'float' }] }), [t]));
  t.insert([[1e308], [1.5e308]]);
  flow.runCycle();
  assert.equal(sum.error?.code, '22003');
  t.push([{ row: [1.5e308], diff: -1 }]);
  flow.runCycle();
  assert.equal(sum.error?.code, '22003', 'still failed: its state is gone');
  assert.equal(sum.count(), 0);
});

test('an aggregate argument that raises leaves its row out while present, without touching any group', () => {
  const flow = new Dataflow();
  const t = flow.input('t', 'general');
  const ratio = (r: Row) => {
    if (r[2] === 0) throw new SqlError(SQLSTATE.divisionByZero, 'division by zero');
    return (r[1] as number) / (r[2] as number);
  };
  const agg = flow.materialize(flow.add(new AggregateOp({
    groupKey: (r) => [r[0]],
    global: false,
    input: 'general',
    aggregates: [countStar, { fn: 'sum', args: [(r) => r[1]], distinct: false, argKind: 'int' }, { fn: 'max', args: [ratio], distinct: false, argKind: 'float' }],
  }), [t]));
  t.insert([['a', 4, 2], ['a', 1, 0], ['b', 3, 0]]);
  flow.runCycle();
  assert.equal(agg.error?.code, SQLSTATE.divisionByZero);
  t.push([{ row: ['a', 1, 0], diff: -1 }, { row: ['b', 3, 0], diff: -1 }]);
  flow.runCycle();
  assert.equal(agg.error, null);
  assert.deepEqual(agg.rows(), [['a', 1n, 4n, 2]], 'only the good row ever counted; group b never appeared');
});
