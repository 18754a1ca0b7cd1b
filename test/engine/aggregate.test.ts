import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import { AggregateOp, type AggregateSpec } from '../../src/engine/ops/aggregate.js';
import type { Row } from '../../src/engine/batch.js';
import { SqlError } from '../../src/errors.js';
import type { InputKind } from '../../src/engine/operator.js';
import { Interval, type Value } from '../../src/types/types.js';
import { compareNullable, rowKey } from '../../src/types/compare.js';
import { formatNumeric, withScale } from '../../src/types/numeric.js';
import { checkProperty, pick, smallInt, plain } from './harness.js';

// Input rows: [group, x int or NULL, s text or NULL].
const makeRow = (rand: () => number): Row => [smallInt(rand, 3, 0.1), smallInt(rand, 5, 0.2), rand() < 0.2 ? null : pick(rand, ['a', 'b', 'c'])];

const descNullsFirst = (a: Value[], b: Value[]): number => -compareNullable(a[0], b[0], false);
const arg = (i: number) => (r: Row): Value => r[i];

function specs(): AggregateSpec[] {
  const base = { distinct: false, argKind: 'int' as const };
  return [
    { ...base, fn: 'count_star', args: [] },
    { ...base, fn: 'count', args: [arg(1)] },
    { ...base, fn: 'sum', args: [arg(1)] },
    { ...base, fn: 'avg', args: [arg(1)] },
    { ...base, fn: 'min', args: [arg(1)] },
    { ...base, fn: 'max', args: [arg(1)] },
    { ...base, fn: 'bool_and', args: [(r) => (r[1] === null ? null : (r[1] as number) > 1)] },
    { ...base, fn: 'bool_or', args: [(r) => (r[1] === null ? null : (r[1] as number) > 3)] },
    { ...base, fn: 'string_agg', args: [arg(2), () => ','], argKind: 'other' },
    { ...base, fn: 'string_agg', args: [arg(2), () => '-'], argKind: 'other', orderBy: { keys: (r) => [r[1]], compare: descNullsFirst } },
    { ...base, fn: 'first', args: [arg(1)] },
    { ...base, fn: 'last', args: [arg(1)] },
    { ...base, fn: 'count', args: [arg(1)], distinct: true },
    { ...base, fn: 'sum', args: [arg(1)], distinct: true },
    { ...base, fn: 'count_star', args: [], filter: (r) => r[2] === 'a' },
    { ...base, fn: 'string_agg', args: [arg(2), () => '/'], argKind: 'other', distinct: true, orderBy: { keys: (r) => [r[2]], compare: (a, b) => compareNullable(a[0], b[0], false) } },
  ];
}

/** Every aggregate computed from scratch over one group's rows (in arrival order), as PostgreSQL defines it. */
function referenceAggregates(rows: Row[]): Value[] {
  const xs = rows.map((r) => r[1]).filter((x): x is number => x !== null);
  const ss = rows.map((r) => r[2]).filter((s): s is string => s !== null);
  const sum = (v: number[]) => (v.length === 0 ? null : BigInt(v.reduce((a, b) => a + b, 0)));
  const distinctXs = [...new Set(xs)];
  const byXDesc = rows.filter((r) => r[2] !== null).sort((a, b) => descNullsFirst([a[1]], [b[1]]));
  return [
    BigInt(rows.length),
    BigInt(xs.length),
    sum(xs),
    xs.length === 0 ? null : new Decimal(xs.reduce((a, b) => a + b, 0)).div(xs.length),
    xs.length === 0 ? null : Math.min(...xs),
    xs.length === 0 ? null : Math.max(...xs),
    xs.length === 0 ? null : xs.every((x) => x > 1),
    xs.length === 0 ? null : xs.some((x) => x > 3),
    ss.length === 0 ? null : ss.join(','),
    byXDesc.length === 0 ? null : byXDesc.map((r) => r[2]).join('-'),
    rows.length === 0 ? null : rows[0][1],
    rows.length === 0 ? null : rows[rows.length - 1][1],
    BigInt(distinctXs.length),
    sum(distinctXs),
    BigInt(rows.filter((r) => r[2] === 'a').length),
    ss.length === 0 ? null : [...new Set(ss)].sort().join('/'),
  ];
}

function referenceGroupBy(rows: Row[], global: boolean): Row[] {
  const groups = new Map<string, Row[]>();
  if (global) groups.set('', []);
  for (const r of rows) {
    const k = global ? '' : rowKey([r[0]]);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(r);
  }
  return [...groups.values()].map((g) => [...(global ? [] : [g[0][0]]), ...referenceAggregates(g)]);
}

/** avg results compared at 10 decimals: the exact scale rule is tested against PostgreSQL's figures below. */
function normalizeAvg(global: boolean) {
  const at = global ? 3 : 4;
  return (row: Row): Row => row.map((v, i) => (i === at && v instanceof Decimal ? v.toDecimalPlaces(10) : v));
}

for (const input of ['general', 'append', 'stream'] as const satisfies readonly InputKind[]) {
  for (const global of [false, true]) {
    test(`${global ? 'global' : 'grouped'} aggregates over a ${input} input equal recomputation`, () => {
      checkProperty({
        name: `aggregate ${input} ${global ? 'global' : 'grouped'}`,
        make: () => new AggregateOp({ groupKey: (r) => [r[0]], aggregates: specs(), global, input }),
        rows: [makeRow],
        modes: [input],
        // A stream aggregate covers every row the stream ever carried.
        reference: ([rows], [ever]) => referenceGroupBy(input === 'stream' ? ever : rows, global),
        normalize: normalizeAvg(global),
        runs: 15,
      });
    });
  }
}

const one = (fn: AggregateSpec['fn'], argKind: AggregateSpec['argKind']): AggregateSpec => ({ fn, args: fn === 'count_star' ? [] : [(r) => r[0]], distinct: false, argKind });

test('a global aggregate over an empty input is one row: count 0, the others NULL', () => {
  const op = new AggregateOp({ groupKey: () => [], global: true, input: 'general', aggregates: [one('count_star', 'other'), one('count', 'int'), one('sum', 'int'), one('max', 'int')] });
  assert.deepEqual(plain(op.step([[]])), [{ row: [0n, 0n, null, null], diff: 1 }]);
  op.step([[{ row: [5], diff: 1 }]]);
  assert.deepEqual(plain(op.step([[{ row: [5], diff: -1 }]])), [
    { row: [1n, 1n, 5n, 5], diff: -1 },
    { row: [0n, 0n, null, null], diff: 1 },
  ]);
});

test('min and max fall back to the next value when the extreme is retracted', () => {
  const op = new AggregateOp({ groupKey: () => [], global: true, input: 'general', aggregates: [one('min', 'int'), one('max', 'int')] });
  op.step([[3, 1, 9].map((x) => ({ row: [x], diff: 1 }))]);
  op.step([[{ row: [1], diff: 1 }]]);
  const out = op.step([[{ row: [1], diff: -2 }, { row: [9], diff: -1 }]]);
  assert.deepEqual(out.find((c) => c.diff === 1)?.row, [3, 3]);
});

test('avg and sum have PostgreSQL 15 result types and display scales', () => {
  // Expected texts are what PostgreSQL 15 prints for the same avg/sum queries.
  const cases: [Value[], AggregateSpec['argKind'], 'avg' | 'sum', string][] = [
    [[1, 2], 'int', 'avg', '1.5000000000000000'],
    [[1, 2, 2], 'int', 'avg', '1.6666666666666667'],
    [[0, 0], 'int', 'avg', '0.00000000000000000000'],
    [[withScale(new Decimal('1.25'), 2), withScale(new Decimal('2.50'), 2)], 'numeric', 'avg', '1.8750000000000000'],
    [[123456789n, 2n], 'bigint', 'avg', '61728395.500000000000'],
    [[withScale(new Decimal('1.50'), 2), withScale(new Decimal('2.5'), 1)], 'numeric', 'sum', '4.00'],
    [[withScale(new Decimal('0.001'), 3), withScale(new Decimal('0.002'), 3)], 'numeric', 'avg', '0.00150000000000000000'],
    [[20000, 30000, 1], 'int', 'avg', '16667.000000000000'],
  ];
  for (const [values, argKind, fn, expected] of cases) {
    const op = new AggregateOp({ groupKey: () => [], global: true, input: 'general', aggregates: [one(fn, argKind)] });
    const out = op.step([values.map((v) => ({ row: [v], diff: 1 }))]);
    const result = out.find((c) => c.diff === 1)!.row[0];
    assert.ok(result instanceof Decimal, `${fn} of ${argKind} is numeric`);
    assert.equal(formatNumeric(result), expected, `${fn}(${values.join(', ')})`);
  }
  const sumInt = new AggregateOp({ groupKey: () => [], global: true, input: 'general', aggregates: [one('sum', 'int'), one('sum', 'float'), one('avg', 'float')] });
  const row = sumInt.step([[{ row: [2], diff: 1 }, { row: [3], diff: 1 }]]).find((c) => c.diff === 1)!.row;
  assert.deepEqual(row, [5n, 5, 2.5]);
});

test('sum over int4 stays exact beyond 2^53', () => {
  const op = new AggregateOp({ groupKey: () => [], global: true, input: 'append', aggregates: [one('sum', 'int')] });
  op.step([[{ row: [2 ** 31 - 1], diff: 2 ** 22 + 5 }]]);
  const out = op.step([[{ row: [7], diff: 1 }]]);
  assert.equal(out.find((c) => c.diff === 1)!.row[0], BigInt(2 ** 31 - 1) * BigInt(2 ** 22 + 5) + 7n);
});

test('first and last follow arrival order of the rows still present', () => {
  const op = new AggregateOp({ groupKey: () => [], global: true, input: 'general', aggregates: [{ ...one('first', 'other'), args: [(r) => r[1]] }, { ...one('last', 'other'), args: [(r) => r[1]] }] });
  op.step([[{ row: ['r1', 'x'], diff: 1 }, { row: ['r2', 'y'], diff: 1 }, { row: ['r3', 'x'], diff: 1 }]]);
  // Removing r3 (value x) must leave last = y even though another row also has x.
  const out = op.step([[{ row: ['r3', 'x'], diff: -1 }]]);
  assert.deepEqual(out.find((c) => c.diff === 1)!.row, ['x', 'y']);
  const out2 = op.step([[{ row: ['r1', 'x'], diff: -1 }]]);
  assert.deepEqual(out2.find((c) => c.diff === 1)!.row, ['y', 'y']);
});

test('a stream aggregate ignores the stream retracting its rows', () => {
  const op = new AggregateOp({ groupKey: () => [], global: true, input: 'stream', aggregates: [one('count_star', 'other'), one('last', 'int')] });
  op.step([[{ row: [1], diff: 1 }]]);
  const out = op.step([[{ row: [1], diff: -1 }, { row: [2], diff: 1 }]]);
  assert.deepEqual(out.find((c) => c.diff === 1)!.row, [2n, 2]);
  assert.deepEqual(plain(op.step([[{ row: [2], diff: -1 }]])), [], 'a retraction alone changes nothing');
});

test('sum and avg over intervals add fields separately and divide as PostgreSQL does', () => {
  const iv = (months: number, days: number, micros: number) => new Interval(months, days, micros);
  const run = (values: Interval[]) => {
    const op = new AggregateOp({ groupKey: () => [], global: true, input: 'general', aggregates: [one('avg', 'other'), one('sum', 'other')] });
    return op.step([values.map((v) => ({ row: [v], diff: 1 }))]).find((c) => c.diff === 1)!.row;
  };
  // PostgreSQL 15: avg = 11 days 01:00:00.333333, sum = 1 mon 3 days 03:00:01
  assert.deepEqual(run([iv(1, 1, 0), iv(0, 2, 3 * 3600e6), iv(0, 0, 1e6)]), [iv(0, 11, 3600_333_333), iv(1, 3, 10_801e6)]);
  // PostgreSQL 15: avg of 1 month and six zeros = 4 days 06:51:25.6896
  const [avg] = run([iv(1, 0, 0), ...Array.from({ length: 6 }, () => iv(0, 0, 0))]);
  assert.deepEqual(avg, iv(0, 4, (6 * 3600 + 51 * 60 + 25.6896) * 1e6));
});

test('float sums survive retracting a huge value and count infinities apart', () => {
  const op = new AggregateOp({ groupKey: () => [], global: true, input: 'general', aggregates: [one('sum', 'float')] });
  op.step([[{ row: [1e20], diff: 1 }, { row: [1], diff: 1 }, { row: [Infinity], diff: 1 }]]);
  const out = op.step([[{ row: [1e20], diff: -1 }, { row: [Infinity], diff: -1 }]]);
  assert.deepEqual(out.find((c) => c.diff === 1)!.row, [1]);
});

test('a numeric sum\'s display scale follows the values still present', () => {
  const op = new AggregateOp({ groupKey: () => [], global: true, input: 'general', aggregates: [one('sum', 'numeric')] });
  const v = (text: string, scale: number) => withScale(new Decimal(text), scale);
  op.step([[{ row: [v('1.500', 3)], diff: 1 }, { row: [v('2', 0)], diff: 1 }]]);
  const out = op.step([[{ row: [v('1.500', 3)], diff: -1 }]]);
  // PostgreSQL: sum over the remaining 2 is 2, not 2.000.
  assert.equal(formatNumeric(out.find((c) => c.diff === 1)!.row[0] as Decimal), '2');
});

test('float sums without retractions are the plain left-to-right sum PostgreSQL computes', () => {
  const op = new AggregateOp({ groupKey: () => [], global: true, input: 'append', aggregates: [one('sum', 'float'), one('avg', 'float')] });
  // PostgreSQL 15: select sum(x), avg(x) from (values (0.1::float8), ... ten times) gives 0.9999999999999999, 0.09999999999999999
  const out = op.step([[{ row: [0.1], diff: 10 }]]);
  assert.deepEqual(out.find((c) => c.diff === 1)!.row, [0.9999999999999999, 0.09999999999999999]);
});

test('sum over int4 beyond the bigint range fails the way PostgreSQL does (22003)', () => {
  const op = new AggregateOp({ groupKey: () => [], global: true, input: 'append', aggregates: [one('sum', 'int')] });
  assert.throws(
    () => op.step([[{ row: [2 ** 31 - 1], diff: 2 ** 32 + 10 }, { row: [2 ** 31 - 2], diff: 2 ** 32 + 10 }]]),
    (err: unknown) => err instanceof SqlError && err.code === '22003',
  );
});

test('a float sum of finite values that overflows fails like PostgreSQL\'s (22003)', () => {
  const op = new AggregateOp({ groupKey: () => [], global: true, input: 'append', aggregates: [one('sum', 'float')] });
  assert.throws(() => op.step([[{ row: [1e308], diff: 1 }, { row: [1.5e308], diff: 1 }]]), (err: unknown) => err instanceof SqlError && err.code === '22003');
});
