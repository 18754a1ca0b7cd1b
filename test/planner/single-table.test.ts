import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import { T } from '../../src/types/types.js';
import { SQLSTATE } from '../../src/errors.js';
import { assertSameRows, assertSqlError, TestCatalog } from './harness.js';

function items() {
  const cat = new TestCatalog();
  const node = cat.table('items', [
    ['id', T.int4],
    ['cat', T.text],
    ['price', T.int4],
    ['qty', T.int8],
  ]);
  return { cat, node };
}

test('filter and projection are maintained through inserts and deletes', () => {
  const { cat, node } = items();
  const { plan, arrangement } = cat.maintain("SELECT id, price * 2 AS doubled, cat FROM items WHERE cat = 'x'");
  assert.deepEqual(plan.columns.map((c) => c.name), ['id', 'doubled', 'cat']);
  assert.deepEqual(plan.columns.map((c) => c.type.oid), [T.int4.oid, T.int4.oid, T.text.oid]);
  node.insert([
    [1, 'x', 10, 1n],
    [2, 'y', 20, 2n],
    [3, 'x', 30, 3n],
  ]);
  cat.cycle();
  assertSameRows(arrangement.rows(), [
    [1, 20, 'x'],
    [3, 60, 'x'],
  ]);
  node.push([{ row: [1, 'x', 10, 1n], diff: -1 }]);
  cat.cycle();
  assertSameRows(arrangement.rows(), [[3, 60, 'x']]);
  assertSameRows(cat.read("SELECT id, price * 2 AS doubled, cat FROM items WHERE cat = 'x'"), [[3, 60, 'x']]);
});

test('column names follow PostgreSQL', () => {
  const { cat } = items();
  const plan = cat.plan('SELECT id, items.price, 1, price + 1, count(*), sum(qty) AS total, CASE WHEN true THEN 1 END, id::text FROM items GROUP BY id, price');
  assert.deepEqual(plan.columns.map((c) => c.name), ['id', 'price', '?column?', '?column?', 'count', 'total', 'case', 'id']);
});

test('GROUP BY with count, sum, avg, min, max, bool_and, string_agg and FILTER', () => {
  const { cat, node } = items();
  const sql = `SELECT cat, count(*), count(DISTINCT price), sum(price), avg(price), min(price), max(price),
      bool_and(price > 10), string_agg(id::text, ',' ORDER BY id DESC), count(*) FILTER (WHERE qty > 1) AS big
    FROM items GROUP BY cat`;
  const { plan, arrangement } = cat.maintain(sql);
  assert.deepEqual(plan.columns.map((c) => c.type.oid), [T.text.oid, T.int8.oid, T.int8.oid, T.int8.oid, T.numeric.oid, T.int4.oid, T.int4.oid, T.bool.oid, T.text.oid, T.int8.oid]);
  node.insert([
    [1, 'x', 10, 1n],
    [2, 'x', 20, 2n],
    [3, 'x', 20, 3n],
    [4, 'y', 40, 1n],
  ]);
  cat.cycle();
  assertSameRows(arrangement.rows(), [
    ['x', 3n, 2n, 50n, new Decimal('16.6666666666666667'), 10, 20, false, '3,2,1', 2n],
    ['y', 1n, 1n, 40n, new Decimal(40), 40, 40, true, '4', 0n],
  ]);
  node.push([{ row: [1, 'x', 10, 1n], diff: -1 }]);
  cat.cycle();
  assertSameRows(arrangement.rows(), [
    ['x', 2n, 1n, 40n, new Decimal(20), 20, 20, true, '3,2', 2n],
    ['y', 1n, 1n, 40n, new Decimal(40), 40, 40, true, '4', 0n],
  ]);
  assertSameRows(cat.read(sql), arrangement.rows());
});

test('global aggregates have one row even over no input', () => {
  const { cat, node } = items();
  const { arrangement } = cat.maintain('SELECT count(*), sum(price), max(cat) FROM items');
  cat.cycle();
  assertSameRows(arrangement.rows(), [[0n, null, null]]);
  node.insert([[1, 'x', 5, 1n]]);
  cat.cycle();
  assertSameRows(arrangement.rows(), [[1n, 5n, 'x']]);
});

test('GROUP BY position, output name and expression; HAVING', () => {
  const { cat, node } = items();
  node.insert([
    [1, 'x', 10, 1n],
    [2, 'x', 20, 2n],
    [3, 'y', 5, 3n],
    [4, 'zz', 7, 1n],
  ]);
  cat.cycle();
  assertSameRows(cat.read('SELECT cat, sum(price) FROM items GROUP BY 1 HAVING sum(price) > 6'), [
    ['x', 30n],
    ['zz', 7n],
  ]);
  assertSameRows(cat.read('SELECT length(cat) AS len, count(*) FROM items GROUP BY len'), [
    [1, 3n],
    [2, 1n],
  ]);
  assertSameRows(cat.read('SELECT length(cat) + 1, count(*) FROM items GROUP BY length(cat)'), [
    [2, 3n],
    [3, 1n],
  ]);
  assertSqlError(() => cat.plan('SELECT cat, price FROM items GROUP BY cat'), SQLSTATE.groupingError, /items\.price/);
  assertSqlError(() => cat.plan('SELECT id FROM items WHERE count(*) > 1'), SQLSTATE.groupingError, /WHERE/);
  assertSqlError(() => cat.plan('SELECT sum(count(*)) FROM items'), SQLSTATE.groupingError, /nested/);
});

test('ORDER BY with LIMIT/OFFSET: a top-K when maintained, a sort when read', () => {
  const { cat, node } = items();
  const sql = 'SELECT id, price FROM items ORDER BY price DESC, id LIMIT 2 OFFSET 1';
  const { arrangement } = cat.maintain(sql);
  node.insert([
    [1, 'x', 10, 1n],
    [2, 'x', 30, 1n],
    [3, 'x', 20, 1n],
    [4, 'x', 20, 1n],
  ]);
  cat.cycle();
  assertSameRows(arrangement.rows(), [
    [3, 20],
    [4, 20],
  ]);
  assert.deepEqual(cat.read(sql), [
    [3, 20],
    [4, 20],
  ]);
  node.push([{ row: [2, 'x', 30, 1n], diff: -1 }]);
  cat.cycle();
  assertSameRows(arrangement.rows(), [
    [4, 20],
    [1, 10],
  ]);
  // ORDER BY a column that is not selected, NULLS FIRST/LAST defaults, and parameters.
  node.insert([[5, null as any, null as any, 1n]]);
  cat.cycle();
  assert.deepEqual(cat.read('SELECT id FROM items ORDER BY price'), [[1], [3], [4], [5]]);
  assert.deepEqual(cat.read('SELECT id FROM items ORDER BY price DESC, id'), [[5], [3], [4], [1]]);
  assert.deepEqual(cat.read('SELECT id FROM items ORDER BY price NULLS FIRST, id LIMIT $1', [2]), [[5], [1]]);
  assert.deepEqual(cat.read('SELECT id AS k FROM items ORDER BY k DESC'), [[5], [4], [3], [1]]);
  assert.deepEqual(cat.read('SELECT id, price FROM items ORDER BY 2, 1 DESC LIMIT 2'), [[1, 10], [4, 20]]);
});

test('DISTINCT and DISTINCT ON', () => {
  const { cat, node } = items();
  const distinct = cat.maintain('SELECT DISTINCT cat FROM items');
  const latest = cat.maintain('SELECT DISTINCT ON (cat) cat, id FROM items');
  const cheapest = cat.maintain('SELECT DISTINCT ON (cat) cat, id, price FROM items ORDER BY cat, price, id');
  node.insert([
    [1, 'x', 10, 1n],
    [2, 'x', 5, 1n],
  ]);
  cat.cycle();
  node.insert([
    [3, 'y', 7, 1n],
    [4, 'x', 8, 1n],
  ]);
  cat.cycle();
  assertSameRows(distinct.arrangement.rows(), [['x'], ['y']]);
  assertSameRows(latest.arrangement.rows(), [
    ['x', 4],
    ['y', 3],
  ]);
  assertSameRows(cheapest.arrangement.rows(), [
    ['x', 2, 5],
    ['y', 3, 7],
  ]);
  assertSqlError(() => cat.plan('SELECT DISTINCT cat FROM items ORDER BY price'), SQLSTATE.invalidColumnReference);
  assertSqlError(() => cat.plan('SELECT DISTINCT ON (cat) cat FROM items ORDER BY price'), SQLSTATE.invalidColumnReference);
});

test('name resolution errors', () => {
  const { cat } = items();
  cat.table('other', [['id', T.int4]]);
  assertSqlError(() => cat.plan('SELECT nope FROM items'), SQLSTATE.undefinedColumn, /"nope"/);
  // Positions are 1-based character offsets of the offending token.
  assert.throws(() => cat.plan('SELECT id FROM items WHERE nope = 1'), (e: any) => e.extra.position === 28);
  assert.throws(() => cat.plan('SELECT id FROM missing'), (e: any) => e.extra.position === 16);
  assertSqlError(() => cat.plan('SELECT * FROM missing'), SQLSTATE.undefinedTable, /"missing"/);
  assertSqlError(() => cat.plan('SELECT id FROM items, other'), SQLSTATE.ambiguousColumn);
  assertSqlError(() => cat.plan('SELECT x.id FROM items'), SQLSTATE.undefinedTable, /missing FROM-clause entry/);
  assertSqlError(() => cat.plan('SELECT * FROM items i, other i'), SQLSTATE.duplicateAlias);

  assertSqlError(() => cat.plan('SELECT * FROM items, LATERAL generate_series(1, missing.id) s'), SQLSTATE.undefinedTable);
});

test('table types: filters keep them, aggregates over streams accumulate', () => {
  const cat = new TestCatalog();
  const events = cat.table('events', [['k', T.text], ['v', T.int4]], 'stream');
  cat.table('log', [['k', T.text]], 'append');
  assert.equal(cat.plan('SELECT k FROM events WHERE v > 1').tableType, 'stream');
  assert.equal(cat.plan('SELECT k FROM log WHERE k <> $1').tableType, 'append');
  assert.equal(cat.plan('SELECT k, count(*) FROM events GROUP BY k').tableType, 'general');
  const { arrangement } = cat.maintain('SELECT k, sum(v) FROM events GROUP BY k');
  events.insert([['a', 1]]);
  cat.cycle();
  events.insert([['a', 2]]);
  cat.cycle();
  cat.cycle();
  // Stream rows leave after their cycle; the aggregate keeps everything it saw.
  assertSameRows(arrangement.rows(), [['a', 3n]]);
  assert.match(cat.plan('SELECT k, sum(v) FROM events GROUP BY k').explain(), /over stream/);
});

test('GROUPING SETS, ROLLUP and CUBE', () => {
  const { cat, node } = items();
  node.insert([
    [1, 'x', 10, 1n],
    [2, 'x', 20, 2n],
    [3, 'y', 5, 1n],
  ]);
  const rollup = cat.maintain('SELECT cat, qty, sum(price) FROM items GROUP BY ROLLUP (cat, qty)');
  cat.cycle();
  assertSameRows(rollup.arrangement.rows(), [
    ['x', 1n, 10n],
    ['x', 2n, 20n],
    ['y', 1n, 5n],
    ['x', null, 30n],
    ['y', null, 5n],
    [null, null, 35n],
  ]);
  assertSameRows(cat.read('SELECT cat, qty, count(*) FROM items GROUP BY CUBE (cat, qty) HAVING count(*) > 1'), [
    ['x', null, 2n],
    [null, 1n, 2n],
    [null, null, 3n],
  ]);
  assertSameRows(cat.read('SELECT cat, qty, count(*) FROM items GROUP BY GROUPING SETS ((cat), (qty), ())'), [
    ['x', null, 2n],
    ['y', null, 1n],
    [null, 1n, 2n],
    [null, 2n, 1n],
    [null, null, 3n],
  ]);
  node.push([{ row: [3, 'y', 5, 1n], diff: -1 }]);
  cat.cycle();
  assertSameRows(rollup.arrangement.rows(), [
    ['x', 1n, 10n],
    ['x', 2n, 20n],
    ['x', null, 30n],
    [null, null, 30n],
  ]);
});

test('window functions: aggregates over partitions, running totals, rank and dense_rank', () => {
  const { cat, node } = items();
  node.insert([
    [1, 'x', 10, 1n],
    [2, 'x', 20, 2n],
    [3, 'x', 20, 3n],
    [4, 'y', 5, 1n],
    [5, null as any, 7, 1n],
  ]);
  const totals = cat.maintain('SELECT id, sum(price) OVER (PARTITION BY cat) AS total, count(*) OVER () AS n FROM items');
  const ranked = cat.maintain(
    'SELECT id, rank() OVER (PARTITION BY cat ORDER BY price DESC) AS r, dense_rank() OVER (ORDER BY price) AS d, sum(price) OVER (PARTITION BY cat ORDER BY price) AS running FROM items',
  );
  cat.cycle();
  assertSameRows(totals.arrangement.rows(), [
    [1, 50n, 5n],
    [2, 50n, 5n],
    [3, 50n, 5n],
    [4, 5n, 5n],
    [5, 7n, 5n],
  ]);
  // Peers (equal ORDER BY values) share their rank and their running total.
  assertSameRows(ranked.arrangement.rows(), [
    [1, 3n, 3n, 10n],
    [2, 1n, 4n, 50n],
    [3, 1n, 4n, 50n],
    [4, 1n, 1n, 5n],
    [5, 1n, 2n, 7n],
  ]);
  node.push([{ row: [2, 'x', 20, 2n], diff: -1 }]);
  cat.cycle();
  assertSameRows(ranked.arrangement.rows(), [
    [1, 2n, 3n, 10n],
    [3, 1n, 4n, 30n],
    [4, 1n, 1n, 5n],
    [5, 1n, 2n, 7n],
  ]);
  assertSqlError(() => cat.plan('SELECT id FROM items WHERE rank() OVER () > 1'), '42P20');
  assertSqlError(() => cat.plan('SELECT sum(price) OVER (ORDER BY id, cat RANGE 1 PRECEDING) FROM items'), '42P20', /exactly one ORDER BY column/);
  assertSqlError(() => cat.plan('SELECT lag(id, id) OVER (ORDER BY id) FROM items'), SQLSTATE.featureNotSupported, /lag with an offset that is not a constant/);
});
