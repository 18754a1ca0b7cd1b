/**
 * Window functions in the planner: what EXPLAIN shows (one window node per PARTITION BY / ORDER
 * BY, the per-partition top-K under `rn <= k`), the maintained top-K view under changes, and the
 * errors PostgreSQL gives for windows it rejects. Results themselves are checked against
 * PostgreSQL by the differential suite (test/differential/queries/windows.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SQLSTATE } from '../../src/errors.js';
import { T } from '../../src/types/types.js';
import { assertSameRows, assertSqlError, TestCatalog } from './harness.js';

function events() {
  const cat = new TestCatalog();
  const node = cat.table('events', [
    ['id', T.int4],
    ['usr', T.text],
    ['ts', T.int8],
  ]);
  return { cat, node };
}

test('calls over one window share a node; another window stacks a second', () => {
  const { cat } = events();
  const plan = cat.plan('SELECT id, row_number() OVER w, lag(ts) OVER w, count(*) OVER (PARTITION BY usr) FROM events WINDOW w AS (PARTITION BY usr ORDER BY ts, id)').explain();
  const windows = plan.split('\n').filter((l) => l.includes('Window'));
  assert.equal(windows.length, 2, plan);
  assert.match(plan, /Window PARTITION BY usr ORDER BY ts, id: row_number\(\), lag\(ts, 1\)/);
  assert.match(plan, /Window PARTITION BY usr: count\(\*\) RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW/);
});

test('WHERE rn <= k over row_number() plans a per-partition top-K under the window, and stays right under changes', () => {
  const { cat, node } = events();
  const sql = 'SELECT id, usr, rn FROM (SELECT id, usr, row_number() OVER (PARTITION BY usr ORDER BY ts DESC, id) AS rn FROM events) t WHERE rn <= 2';
  const plan = cat.plan(sql).explain();
  assert.match(plan, /Window PARTITION BY usr ORDER BY ts DESC, id: row_number\(\)[^\n]*\n\s*-> TopK PARTITION BY usr ORDER BY ts DESC, id LIMIT 2/, plan);
  const cte = cat.plan('WITH r AS (SELECT id, row_number() OVER (ORDER BY ts) AS rn FROM events) SELECT id FROM r WHERE rn < 4').explain();
  assert.match(cte, /TopK ORDER BY ts LIMIT 3/, cte);
  // rank() keeps ties past k: no top-K
  assert.doesNotMatch(cat.plan('SELECT * FROM (SELECT id, rank() OVER (ORDER BY ts) AS r FROM events) t WHERE r <= 2').explain(), /TopK/);

  const view = cat.maintain(sql);
  node.insert([
    [1, 'a', 10n],
    [2, 'a', 20n],
    [3, 'a', 30n],
    [4, 'b', 5n],
  ]);
  cat.cycle();
  assertSameRows(view.arrangement.rows(), [
    [3, 'a', 1n],
    [2, 'a', 2n],
    [4, 'b', 1n],
  ]);
  node.push([
    { row: [3, 'a', 30n], diff: -1 },
    { row: [5, 'b', 50n], diff: 1 },
  ]);
  cat.cycle();
  assertSameRows(view.arrangement.rows(), [
    [2, 'a', 1n],
    [1, 'a', 2n],
    [5, 'b', 1n],
    [4, 'b', 2n],
  ]);
  assertSameRows(view.arrangement.rows(), cat.read(sql));
});

test('a condition on the partition key goes below the window; one on other columns or the values stays above', () => {
  const { cat } = events();
  const plan = cat.plan("SELECT * FROM (SELECT id, usr, ts, row_number() OVER (PARTITION BY usr ORDER BY ts) AS rn FROM events) t WHERE usr = 'a' AND ts > 5 AND rn > 1").explain();
  assert.match(plan, /^Filter \(\(ts > 5\) AND \(row_number > 1\)\)[^\n]*\n\s*-> Window[^\n]*\n\s*-> Filter \(usr = 'a'\)/, plan);
});

test('windows PostgreSQL rejects are rejected with its errors; unsupported ones name the construct', () => {
  const { cat } = events();
  assertSqlError(() => cat.plan('SELECT sum(ts) OVER (ORDER BY ts, id RANGE 1 PRECEDING) FROM events'), '42P20', /exactly one ORDER BY column/);
  assertSqlError(() => cat.plan('SELECT count(*) OVER (GROUPS 1 PRECEDING) FROM events'), '42P20', /GROUPS mode requires an ORDER BY clause/);
  assertSqlError(() => cat.plan('SELECT count(*) OVER w FROM events'), SQLSTATE.undefinedObject, /window "w" does not exist/);
  assertSqlError(() => cat.plan('SELECT count(*) OVER (w ORDER BY id) FROM events WINDOW w AS (ORDER BY ts)'), '42P20', /cannot override ORDER BY clause of window "w"/);
  assertSqlError(() => cat.plan('SELECT count(*) OVER (w) FROM events WINDOW w AS (ORDER BY ts ROWS 1 PRECEDING)'), '42P20', /cannot copy window "w" because it has a frame clause/);
  assertSqlError(() => cat.plan('SELECT count(*) OVER w FROM events WINDOW w AS (), w AS ()'), '42P20', /window "w" is already defined/);
  assertSqlError(() => cat.plan('SELECT sum(row_number() OVER ()) OVER () FROM events'), '42P20', /cannot be nested/);
  assertSqlError(() => cat.plan('SELECT count(DISTINCT id) OVER () FROM events'), SQLSTATE.featureNotSupported, /DISTINCT is not implemented for window functions/);
  assertSqlError(() => cat.plan('SELECT upper(usr) OVER () FROM events'), SQLSTATE.wrongObjectType, /not a window function nor an aggregate/);
  assertSqlError(() => cat.plan('SELECT ntile(id) OVER () FROM events'), SQLSTATE.featureNotSupported, /ntile with a bucket count that is not a constant/);
  assertSqlError(() => cat.plan('SELECT count(*) OVER (ORDER BY usr RANGE 1 PRECEDING) FROM events'), SQLSTATE.featureNotSupported, /RANGE with offset PRECEDING\/FOLLOWING is not supported for column type text/);
  assertSqlError(() => cat.plan('SELECT count(*) OVER (ORDER BY ts ROWS id PRECEDING) FROM events'), SQLSTATE.invalidColumnReference, /must not contain variables/);
  assertSqlError(() => cat.read('SELECT count(*) OVER (ORDER BY ts ROWS -1 PRECEDING) FROM events'), '22013', /frame starting offset must not be negative/);
  assertSqlError(() => cat.read('SELECT ntile(0) OVER () FROM events'), '22014');
});
