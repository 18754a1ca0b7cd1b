/**
 * The engine against PostgreSQL itself: random data goes into PostgreSQL as VALUES and into the
 * operators as parsed values, and results must agree, text for text (numeric scales included),
 * before and after retractions; the same for joins and (NOT) IN / EXISTS. Also checks
 * compare.ts's orderings against ORDER BY.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { AggregateOp, type AggregateSpec } from '../../src/engine/ops/aggregate.js';
import { JoinOp } from '../../src/engine/ops/join.js';
import { SemiJoinOp } from '../../src/engine/ops/semijoin.js';
import { SetOp } from '../../src/engine/ops/setop.js';
import { DistinctOnOp } from '../../src/engine/ops/distinct.js';
import { TopKOp } from '../../src/engine/ops/topk.js';
import type { Batch, Row } from '../../src/engine/batch.js';
import { compareNullable, compareValues, rowKey } from '../../src/types/compare.js';
import { formatValue, parseValue } from '../../src/types/text-io.js';
import { Json, T, type SqlType, type Value } from '../../src/types/types.js';
import { startPostgres, type PostgresHandle } from '../support/postgres.js';
import { rng, pick } from './harness.js';

let server: PostgresHandle;
let client: pg.Client;

before(async () => {
  server = await startPostgres();
  client = new pg.Client({ connectionString: server.url, types: { getTypeParser: () => (v: string) => v } });
  await client.connect();
});

after(async () => {
  await client?.end();
  await server?.stop();
});

/** Columns of the random table: group, int4, numeric, float8, text. */
const columns: { name: string; type: SqlType; sql: string }[] = [
  { name: 'g', type: T.int4, sql: 'int4' },
  { name: 'x', type: T.int4, sql: 'int4' },
  { name: 'n', type: T.numeric, sql: 'numeric' },
  { name: 'f', type: T.float8, sql: 'float8' },
  { name: 's', type: T.text, sql: 'text' },
];

function randomTextRow(rand: () => number): (string | null)[] {
  const maybe = (v: string) => (rand() < 0.15 ? null : v);
  const digits = () => String(Math.floor(rand() * 2000) - 1000);
  const scale = Math.floor(rand() * 4);
  const n = scale === 0 ? digits() : `${digits()}.${String(Math.floor(rand() * 10 ** scale)).padStart(scale, '0')}`;
  return [
    String(Math.floor(rand() * 4)),
    maybe(String(Math.floor(rand() * 200) - 100)),
    maybe(n),
    maybe(String(Math.floor(rand() * 1000) / 8)),
    maybe(pick(rand, ['a', 'b', 'B', 'ab', 'é', 'z z', '\u{1F600}'])),
  ];
}

/** The aggregate calls, in SQL and as engine specs over the parsed row [g, x, n, f, s]. */
const calls: { sql: string; spec: AggregateSpec; type: SqlType }[] = [
  { sql: 'count(*)', type: T.int8, spec: { fn: 'count_star', args: [], distinct: false, argKind: 'other' } },
  { sql: 'count(x)', type: T.int8, spec: { fn: 'count', args: [(r) => r[1]], distinct: false, argKind: 'int' } },
  { sql: 'sum(x)', type: T.int8, spec: { fn: 'sum', args: [(r) => r[1]], distinct: false, argKind: 'int' } },
  { sql: 'avg(x)', type: T.numeric, spec: { fn: 'avg', args: [(r) => r[1]], distinct: false, argKind: 'int' } },
  { sql: 'sum(n)', type: T.numeric, spec: { fn: 'sum', args: [(r) => r[2]], distinct: false, argKind: 'numeric' } },
  { sql: 'avg(n)', type: T.numeric, spec: { fn: 'avg', args: [(r) => r[2]], distinct: false, argKind: 'numeric' } },
  { sql: 'min(n)', type: T.numeric, spec: { fn: 'min', args: [(r) => r[2]], distinct: false, argKind: 'numeric' } },
  { sql: 'max(s)', type: T.text, spec: { fn: 'max', args: [(r) => r[4]], distinct: false, argKind: 'other' } },
  { sql: 'min(s)', type: T.text, spec: { fn: 'min', args: [(r) => r[4]], distinct: false, argKind: 'other' } },
  { sql: 'sum(f)', type: T.float8, spec: { fn: 'sum', args: [(r) => r[3]], distinct: false, argKind: 'float' } },
  { sql: 'avg(f)', type: T.float8, spec: { fn: 'avg', args: [(r) => r[3]], distinct: false, argKind: 'float' } },
  { sql: 'bool_and(x > 0)', type: T.bool, spec: { fn: 'bool_and', args: [(r) => (r[1] === null ? null : (r[1] as number) > 0)], distinct: false, argKind: 'other' } },
  { sql: 'bool_or(x > 50)', type: T.bool, spec: { fn: 'bool_or', args: [(r) => (r[1] === null ? null : (r[1] as number) > 50)], distinct: false, argKind: 'other' } },
  {
    sql: `string_agg(s, ',' ORDER BY s COLLATE "C" DESC)`,
    type: T.text,
    spec: { fn: 'string_agg', args: [(r) => r[4], () => ','], distinct: false, argKind: 'other', orderBy: { keys: (r) => [r[4]], compare: (a, b) => -compareNullable(a[0], b[0], false) } },
  },
  { sql: 'count(DISTINCT x)', type: T.int8, spec: { fn: 'count', args: [(r) => r[1]], distinct: true, argKind: 'int' } },
  { sql: 'sum(DISTINCT n)', type: T.numeric, spec: { fn: 'sum', args: [(r) => r[2]], distinct: true, argKind: 'numeric' } },
  { sql: 'avg(DISTINCT x)', type: T.numeric, spec: { fn: 'avg', args: [(r) => r[1]], distinct: true, argKind: 'int' } },
];

const sqlLiteral = (v: string | null, type: string) => (v === null ? `NULL::${type}` : `'${v.replace(/'/g, "''")}'::${type}`);

async function postgresAggregates(rows: (string | null)[][]): Promise<Map<string, (string | null)[]>> {
  const values = rows.map((r) => `(${r.map((v, i) => sqlLiteral(v, columns[i].sql)).join(', ')})`).join(',\n');
  const sql = `SELECT g, ${calls.map((c) => c.sql).join(', ')} FROM (VALUES ${values}) v(${columns.map((c) => c.name).join(', ')}) GROUP BY g`;
  const res = await client.query({ text: sql, rowMode: 'array' });
  return new Map(res.rows.map((r: (string | null)[]) => [r[0]!, r.slice(1)]));
}

test('grouped aggregates agree with PostgreSQL, numeric scales included, through retractions', async () => {
  for (const seed of [1, 2, 3]) {
    const rand = rng(seed);
    const op = new AggregateOp({ groupKey: (r) => [r[0]], aggregates: calls.map((c) => c.spec), global: false, input: 'general' });
    const view = new Map<string, { row: Row; count: number }>();
    const apply = (batch: Batch) => {
      for (const { row, diff } of op.step([batch])) {
        const k = rowKey(row);
        const slot = view.get(k) ?? { row, count: 0 };
        slot.count += diff;
        if (slot.count === 0) view.delete(k);
        else view.set(k, slot);
      }
    };
    const parse = (r: (string | null)[]): Row => r.map((v, i) => (v === null ? null : parseValue(columns[i].type, v)));
    let live: (string | null)[][] = [];
    for (let round = 0; round < 8; round++) {
      const added = Array.from({ length: 12 + Math.floor(rand() * 20) }, () => randomTextRow(rand));
      const removed = live.filter(() => rand() < 0.5);
      live = live.filter((r) => !removed.includes(r)).concat(added);
      apply([...added.map((r) => ({ row: parse(r), diff: 1 })), ...removed.map((r) => ({ row: parse(r), diff: -1 }))]);
      const expected = await postgresAggregates(live);
      assert.equal(view.size, expected.size, `seed ${seed} round ${round}: groups`);
      for (const { row, count } of view.values()) {
        assert.equal(count, 1);
        const want = expected.get(String(row[0]));
        assert.ok(want, `group ${row[0]} exists in PostgreSQL`);
        calls.forEach((c, i) => {
          const got = row[i + 1];
          const context = `seed ${seed} round ${round} group ${row[0]} ${c.sql}`;
          if (c.type === T.float8 && got !== null && want[i] !== null) {
            assert.ok(Math.abs((got as number) - Number(want[i])) <= 1e-9 * Math.max(1, Math.abs(Number(want[i]))), `${context}: ${got} vs ${want[i]}`);
          } else {
            assert.equal(got === null ? null : formatValue(c.type, got), want[i], context);
          }
        });
      }
    }
  }
});

async function postgresOrder(values: string[], type: string, orderBy: string): Promise<number[]> {
  const res = await client.query({
    text: `SELECT i FROM unnest($1::${type}[]) WITH ORDINALITY t(v, i) ORDER BY ${orderBy}, i`,
    values: [values],
    rowMode: 'array',
  });
  return res.rows.map((r: string[]) => Number(r[0]) - 1);
}

function engineOrder(values: Value[]): number[] {
  return values.map((_, i) => i).sort((a, b) => compareValues(values[a], values[b]) || a - b);
}

test('text ordering is PostgreSQL\'s "C" collation', async () => {
  const rand = rng(11);
  const alphabet = ['a', 'b', 'A', 'Z', ' ', '~', 'é', 'ß', '\uFFFD', '\uE000', '\u{1F600}', '\u{10FFFF}', '0'];
  const texts = Array.from({ length: 200 }, () => Array.from({ length: Math.floor(rand() * 4) }, () => pick(rand, alphabet)).join(''));
  assert.deepEqual(engineOrder(texts), await postgresOrder(texts, 'text', 'v COLLATE "C"'));
});

test('jsonb ordering follows PostgreSQL', async () => {
  const rand = rng(12);
  const gen = (depth: number): unknown => {
    const r = rand();
    if (r < 0.15) return null;
    if (r < 0.3) return pick(rand, ['', 'a', 'b', 'ab']);
    if (r < 0.45) return Math.floor(rand() * 5) - 2;
    if (r < 0.55) return rand() < 0.5;
    if (r < 0.75 || depth > 1) return Array.from({ length: Math.floor(rand() * 3) }, () => (depth > 1 ? Math.floor(rand() * 3) : gen(depth + 1)));
    const o: Record<string, unknown> = {};
    for (let i = Math.floor(rand() * 3); i > 0; i--) o[pick(rand, ['a', 'b', 'aa', 'c'])] = gen(depth + 1);
    return o;
  };
  const docs = Array.from({ length: 150 }, () => gen(0)).filter((d) => !(Array.isArray(d) && d.length === 0));
  const texts = docs.map((d) => JSON.stringify(d));
  assert.deepEqual(engineOrder(docs.map((d) => new Json(d))), await postgresOrder(texts, 'jsonb', 'v'));
});

test('numeric, float and interval orderings follow PostgreSQL', async () => {
  const rand = rng(13);
  const numerics = Array.from({ length: 100 }, () => pick(rand, ['NaN', '0', '-0.0', '1.50', '1.5', '-2', '1e3', '999.999', '0.001']));
  assert.deepEqual(engineOrder(numerics.map((t) => parseValue(T.numeric, t))), await postgresOrder(numerics, 'numeric', 'v'));
  const floats = Array.from({ length: 100 }, () => pick(rand, ['NaN', 'Infinity', '-Infinity', '0', '-0', '1.5', '-2.25', '1e300']));
  assert.deepEqual(engineOrder(floats.map((t) => parseValue(T.float8, t))), await postgresOrder(floats, 'float8', 'v'));
  const intervals = Array.from({ length: 100 }, () => pick(rand, ['1 month', '30 days', '29 days 24 hours', '1 day', '-1 hour', '0', '1 year', '360 days 1 second']));
  assert.deepEqual(engineOrder(intervals.map((t) => parseValue(T.interval, t))), await postgresOrder(intervals, 'interval', 'v'));
});

/** Sums a batch per row (operators take consolidated batches). */
function consolidated(batch: Batch): Batch {
  const m = new Map<string, { row: Row; diff: number }>();
  for (const { row, diff } of batch) {
    const slot = m.get(rowKey(row)) ?? { row, diff: 0 };
    slot.diff += diff;
    m.set(rowKey(row), slot);
  }
  return [...m.values()].filter((s) => s.diff !== 0);
}

/** A relation of int4 pairs as SQL, named columns. */
function pairsSql(rows: Row[], a: string, b: string): string {
  if (rows.length === 0) return `(SELECT NULL::int4 AS ${a}, NULL::int4 AS ${b} WHERE false)`;
  const values = rows.map((r) => `(${r.map((v) => (v === null ? 'NULL::int4' : `${v}::int4`)).join(', ')})`).join(', ');
  return `(VALUES ${values}) AS t(${a}, ${b})`;
}

/** A maintained view: the sum of an operator's output batches, listed as sorted text rows. */
class TextView {
  private readonly rows = new Map<string, { row: Row; count: number }>();
  apply(batch: Batch): void {
    for (const { row, diff } of batch) {
      const slot = this.rows.get(rowKey(row)) ?? { row, count: 0 };
      slot.count += diff;
      if (slot.count === 0) this.rows.delete(rowKey(row));
      else this.rows.set(rowKey(row), slot);
    }
  }
  listing(): string[] {
    const text = (row: Row) => row.map((v) => (v === null ? 'NULL' : String(v))).join(',');
    return [...this.rows.values()].flatMap(({ row, count }) => Array.from({ length: count }, () => text(row))).sort();
  }
}

async function postgresListing(sql: string): Promise<string[]> {
  const res = await client.query({ text: sql, rowMode: 'array' });
  return res.rows.map((r: (string | null)[]) => r.map((v) => (v === null ? 'NULL' : v)).join(',')).sort();
}

/** Random add/remove rounds over two relations of int pairs; yields each round's consolidated changes. */
function* randomRounds(rand: () => number, rounds: number, int: () => Value): Generator<{ left: Row[]; right: Row[]; lb: Batch; rb: Batch; round: number }> {
  let left: Row[] = [];
  let right: Row[] = [];
  for (let round = 0; round < rounds; round++) {
    const addL = Array.from({ length: 5 }, () => [int(), int()]);
    const addR = Array.from({ length: 5 }, () => [int(), int()]);
    const delL = left.filter(() => rand() < 0.3);
    const delR = right.filter(() => rand() < 0.3);
    left = left.filter((r) => !delL.includes(r)).concat(addL);
    right = right.filter((r) => !delR.includes(r)).concat(addR);
    const lb = consolidated([...addL.map((row) => ({ row, diff: 1 })), ...delL.map((row) => ({ row, diff: -1 }))]);
    const rb = consolidated([...addR.map((row) => ({ row, diff: 1 })), ...delR.map((row) => ({ row, diff: -1 }))]);
    yield { left, right, lb, rb, round };
  }
}

test('outer joins with residuals and (NOT) IN / EXISTS agree with PostgreSQL through retractions', async () => {
  const rand = rng(21);
  const int = () => (rand() < 0.2 ? null : Math.floor(rand() * 4));
  const residualLe = (l: Row, r: Row) => l[1] !== null && r[1] !== null && (l[1] as number) <= (r[1] as number);
  const residualGe = (l: Row, r: Row) => l[1] !== null && r[1] !== null && (l[1] as number) >= (r[1] as number);
  const cases: { sql: string; op: () => JoinOp | SemiJoinOp }[] = [
    { sql: 'SELECT * FROM l FULL JOIN r ON a = c AND b <= d', op: () => new JoinOp({ kind: 'full', leftKey: (x) => [x[0]], rightKey: (x) => [x[0]], residual: residualLe, leftWidth: 2, rightWidth: 2 }) },
    { sql: 'SELECT * FROM l LEFT JOIN r ON a = c', op: () => new JoinOp({ kind: 'left', leftKey: (x) => [x[0]], rightKey: (x) => [x[0]], leftWidth: 2, rightWidth: 2 }) },
    { sql: 'SELECT * FROM l WHERE a NOT IN (SELECT c FROM r)', op: () => new SemiJoinOp({ anti: true, nullAwareNotIn: true, leftKey: (x) => [x[0]], rightKey: (x) => [x[0]] }) },
    { sql: 'SELECT * FROM l WHERE a NOT IN (SELECT c FROM r WHERE r.d <= l.b)', op: () => new SemiJoinOp({ anti: true, nullAwareNotIn: true, leftKey: (x) => [x[0]], rightKey: (x) => [x[0]], residual: residualGe }) },
    { sql: 'SELECT * FROM l WHERE NOT EXISTS (SELECT 1 FROM r WHERE a = c AND b >= d)', op: () => new SemiJoinOp({ anti: true, leftKey: (x) => [x[0]], rightKey: (x) => [x[0]], residual: residualGe }) },
    { sql: 'SELECT * FROM l WHERE a IN (SELECT c FROM r WHERE d <= l.b)', op: () => new SemiJoinOp({ anti: false, leftKey: (x) => [x[0]], rightKey: (x) => [x[0]], residual: residualGe }) },
  ];
  const ops = cases.map((c) => c.op());
  const views = cases.map(() => new TextView());
  for (const { left, right, lb, rb, round } of randomRounds(rand, 6, int)) {
    for (let i = 0; i < cases.length; i++) {
      views[i].apply(ops[i].step([lb, rb]));
      const expected = await postgresListing(`WITH l AS (SELECT * FROM ${pairsSql(left, 'a', 'b')}), r AS (SELECT * FROM ${pairsSql(right, 'c', 'd')}) ${cases[i].sql}`);
      assert.deepEqual(views[i].listing(), expected, `round ${round}: ${cases[i].sql}`);
    }
  }
});

test('set operations, DISTINCT ON with ORDER BY and ORDER BY ... LIMIT OFFSET agree with PostgreSQL', async () => {
  const rand = rng(31);
  const int = () => (rand() < 0.2 ? null : Math.floor(rand() * 3));
  // ORDER BY b DESC NULLS LAST, a (NULLS LAST): a total order on (a, b) rows.
  const order = (x: Row, y: Row) => -compareNullable(x[1], y[1], true) || compareNullable(x[0], y[0], false);
  const cases: { sql: string; op: () => SetOp | DistinctOnOp | TopKOp; unary: boolean }[] = [
    ...(['union', 'intersect', 'except'] as const).flatMap((kind) =>
      [false, true].map((all) => ({ sql: `SELECT * FROM l ${kind.toUpperCase()}${all ? ' ALL' : ''} SELECT * FROM r`, op: () => new SetOp({ op: kind, all }), unary: false })),
    ),
    { sql: 'SELECT DISTINCT ON (a) * FROM l ORDER BY a, b DESC NULLS LAST', op: () => new DistinctOnOp({ key: (x) => [x[0]], order, input: 'general' }), unary: true },
    { sql: 'SELECT * FROM l ORDER BY b DESC NULLS LAST, a LIMIT 3 OFFSET 2', op: () => new TopKOp({ compare: order, limit: 3, offset: 2 }), unary: true },
  ];
  const ops = cases.map((c) => c.op());
  const views = cases.map(() => new TextView());
  for (const { left, right, lb, rb, round } of randomRounds(rand, 8, int)) {
    for (let i = 0; i < cases.length; i++) {
      views[i].apply(ops[i].step(cases[i].unary ? [lb] : [lb, rb]));
      const expected = await postgresListing(`WITH l AS (SELECT * FROM ${pairsSql(left, 'a', 'b')}), r AS (SELECT * FROM ${pairsSql(right, 'a', 'b')}) ${cases[i].sql}`);
      assert.deepEqual(views[i].listing(), expected, `round ${round}: ${cases[i].sql}`);
    }
  }
});

test('sum(real) rounds to single precision at every step and avg(real) does not, as in PostgreSQL', async () => {
  const rand = rng(41);
  const texts = Array.from({ length: 40 }, () => String(Math.round((rand() - 0.3) * 1e6) / 1e3));
  const op = new AggregateOp({
    groupKey: () => [],
    global: true,
    input: 'append',
    aggregates: [
      { fn: 'sum', args: [(r) => r[0]], distinct: false, argKind: 'float4' },
      { fn: 'avg', args: [(r) => r[0]], distinct: false, argKind: 'float4' },
    ],
  });
  // One change per value, in order: duplicates are added one by one as PostgreSQL does.
  let row: Row = [];
  for (const t of texts) row = op.step([[{ row: [parseValue(T.float4, t)], diff: 1 }]]).find((c) => c.diff === 1)?.row ?? row;
  const expected = await postgresListing(`SELECT sum(x), avg(x) FROM (VALUES ${texts.map((t) => `('${t}'::real)`).join(', ')}) v(x)`);
  assert.deepEqual([`${formatValue(T.float4, row[0])},${formatValue(T.float8, row[1])}`], expected);
});
