import { test } from 'node:test';
import assert from 'node:assert/strict';
import { T } from '../../src/types/types.js';
import { SQLSTATE } from '../../src/errors.js';
import { assertSameRows, assertSqlError, env, TestCatalog } from './harness.js';

function twoBags() {
  const cat = new TestCatalog();
  const a = cat.table('a', [['x', T.int4]]);
  const b = cat.table('b', [['x', T.int8]]);
  a.insert([[1], [1], [2], [3]]);
  b.insert([[1n], [3n], [3n], [4n]]);
  cat.cycle();
  return { cat, a, b };
}

test('UNION, INTERSECT, EXCEPT with and without ALL, with type unification', () => {
  const { cat } = twoBags();
  const plan = cat.plan('SELECT x FROM a UNION SELECT x FROM b');
  assert.equal(plan.columns[0]!.type.oid, T.int8.oid);
  assertSameRows(cat.read('SELECT x FROM a UNION SELECT x FROM b'), [[1n], [2n], [3n], [4n]]);
  assertSameRows(cat.read('SELECT x FROM a UNION ALL SELECT x FROM b'), [[1n], [1n], [2n], [3n], [1n], [3n], [3n], [4n]]);
  assertSameRows(cat.read('SELECT x FROM a INTERSECT SELECT x FROM b'), [[1n], [3n]]);
  assertSameRows(cat.read('SELECT x FROM b INTERSECT ALL SELECT x FROM a'), [[1n], [3n]]);
  assertSameRows(cat.read('SELECT x FROM a EXCEPT SELECT x FROM b'), [[2n]]);
  assertSameRows(cat.read('SELECT x FROM a EXCEPT ALL SELECT x FROM b'), [[1n], [2n]]);
  assert.deepEqual(cat.read('SELECT x FROM a UNION SELECT x FROM b ORDER BY x DESC LIMIT 2'), [[4n], [3n]]);
  assert.deepEqual(cat.read('SELECT x AS y FROM a UNION SELECT x FROM b ORDER BY 1 LIMIT 1 OFFSET 1'), [[2n]]);
  assertSqlError(() => cat.plan('SELECT x FROM a UNION SELECT x, x FROM b'), SQLSTATE.syntaxError, /same number of columns/);
  // Untyped literals: text in a plain SELECT, typed by the other arm in a set operation.
  assert.equal(cat.plan("SELECT 'x' AS label FROM a").columns[0]!.type.oid, T.text.oid);
  assert.equal(cat.plan("SELECT 'x' UNION SELECT 'y'").columns[0]!.type.oid, T.text.oid);
  assert.equal(cat.plan("SELECT 1 UNION SELECT '2'").columns[0]!.type.oid, T.int4.oid);
  assertSameRows(cat.read("SELECT 1 UNION SELECT '2'"), [[1], [2]]);
});

test('set operations are maintained incrementally', () => {
  const { cat, a, b } = twoBags();
  const except = cat.maintain('SELECT x FROM a EXCEPT SELECT x FROM b');
  const unionAll = cat.maintain('SELECT x FROM a UNION ALL SELECT x FROM b');
  cat.cycle();
  b.insert([[2n]]);
  a.push([{ row: [3], diff: -1 }, { row: [7], diff: 1 }]);
  cat.cycle();
  assertSameRows(except.arrangement.rows(), [[7n]]);
  assertSameRows(unionAll.arrangement.rows(), [[1n], [1n], [2n], [7n], [1n], [3n], [3n], [4n], [2n]]);
});

test('VALUES, SELECT without FROM, and WITH', () => {
  const { cat } = twoBags();
  assertSameRows(cat.read("SELECT * FROM (VALUES (1, 'one'), (2, NULL)) AS v(n, word)"), [
    [1, 'one'],
    [2, null],
  ]);
  const values = cat.plan('VALUES (1, 2.5), (2, 3)');
  assert.deepEqual(values.columns.map((c) => [c.name, c.type.oid]), [
    ['column1', T.int4.oid],
    ['column2', T.numeric.oid],
  ]);
  assert.deepEqual(cat.read('SELECT 1 + 1 AS two, $1::text AS p', ['hi']), [[2, 'hi']]);
  assertSameRows(cat.read('WITH big AS (SELECT x FROM b WHERE x > 1), twice AS (SELECT x * 2 AS y FROM big) SELECT y FROM twice'), [[6n], [6n], [8n]]);
  assertSameRows(cat.read('WITH c(v) AS (SELECT x FROM a) SELECT count(*) FROM c t1 JOIN c t2 USING (v)'), [[6n]]);
});

test('plain views are inlined', () => {
  const { cat, a } = twoBags();
  cat.view('odd', 'SELECT x AS v FROM a WHERE x % 2 = 1');
  const { arrangement } = cat.maintain('SELECT v, count(*) FROM odd GROUP BY v');
  cat.cycle();
  assertSameRows(arrangement.rows(), [
    [1, 2n],
    [3, 1n],
  ]);
  a.insert([[5]]);
  cat.cycle();
  assertSameRows(arrangement.rows(), [
    [1, 2n],
    [3, 1n],
    [5, 1n],
  ]);
});

test('a view of a whole relation is a node of its own', () => {
  const { cat, a } = twoBags();
  const { plan, arrangement } = cat.maintain('SELECT * FROM a');
  const node = plan.build(cat.df, env());
  assert.notEqual(node, a);
  cat.cycle();
  assertSameRows(arrangement.rows(), [[1], [1], [2], [3]]);
  assert.deepEqual(cat.plan('SELECT x FROM a WHERE 1 + 1 = 2').explain(), 'Read a  [general]');
});

test('generate_series in FROM', () => {
  const { cat } = twoBags();
  const plan = cat.plan('SELECT * FROM generate_series(1, 3)');
  assert.deepEqual(plan.columns.map((c) => [c.name, c.type.oid]), [['generate_series', T.int4.oid]]);
  assertSameRows(cat.read('SELECT * FROM generate_series(1, 3)'), [[1], [2], [3]]);
  assert.deepEqual(cat.read('SELECT g FROM generate_series(10, 1, -4) g ORDER BY g'), [[2], [6], [10]]);
  assert.deepEqual(cat.read('SELECT n FROM generate_series(1::bigint, $1) AS s(n) ORDER BY n', [2n]), [[1n], [2n]]);
  assertSameRows(cat.read('SELECT x, n FROM a JOIN generate_series(2, 3) n ON n = a.x'), [[2, 2], [3, 3]]);
  const day = 86_400_000_000;
  assert.deepEqual(
    cat.read("SELECT * FROM generate_series('2024-01-01'::timestamp, '2024-01-03'::timestamp, INTERVAL '1 day') ORDER BY 1"),
    [[19723 * day], [19724 * day], [19725 * day]],
  );
  assertSqlError(() => cat.read('SELECT * FROM generate_series(1, 3, 0)'), SQLSTATE.invalidParameterValue);
  // functions in FROM are lateral: the series reads a's row
  assertSameRows(cat.read('SELECT a.x, g FROM a, generate_series(a.x, 3) g WHERE a.x >= 2'), [[2, 2], [2, 3], [3, 3]]);
  assertSqlError(() => cat.plan('SELECT * FROM unnest(1)'), SQLSTATE.undefinedFunction);
  // a condition on the input's columns filters before the rows are expanded; one on the function's stays above
  const pushed = cat.plan('SELECT a.x, g FROM a, generate_series(a.x, 3) g WHERE a.x >= 2 AND g < 3').explain();
  assert.match(pushed, /Filter \(g < 3\)[^]*Set-returning generate_series\(x, 3\)[^]*Filter \(x >= 2\)[^]*Read a/);
  assertSameRows(cat.read('SELECT a.x, g FROM a, generate_series(a.x, 3) g WHERE a.x >= 2 AND g < 3'), [[2, 2]]);
  assertSqlError(() => cat.plan('SELECT x FROM a WHERE generate_series(1, x) > 1'), SQLSTATE.featureNotSupported);
});
