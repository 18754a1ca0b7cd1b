/**
 * WITH RECURSIVE through the wire: the iteration limit (eddy.max_recursion_iterations) as a
 * 54001 error in a SELECT and in a maintained view (which reads as the error while the input
 * makes the recursion diverge, and recovers when it no longer does), PostgreSQL's errors for
 * malformed recursive queries, and a transitive closure kept under inserts and deletes of edges
 * in a cycle compared with the same query run ad hoc. The differential suite
 * (queries/recursive.ts) checks the answers against PostgreSQL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { waitFor } from '../support/eddy.js';
import { eddySessionPerFile } from '../support/fixtures.js';

const env = eddySessionPerFile();

async function rows(sql: string): Promise<unknown[][]> {
  return (await env.db.query({ text: sql, rowMode: 'array' })).rows;
}

async function failsWith(sql: string, code: string, message?: RegExp): Promise<void> {
  const err = await env.db.query(sql).then(
    () => assert.fail(`expected ${sql} to fail with ${code}`),
    (e: pg.DatabaseError) => e,
  );
  assert.equal(err.code, code, `${sql}: ${err.message}`);
  if (message) assert.match(err.message, message);
}

test('a recursion that does not converge stops at eddy.max_recursion_iterations with 54001', async () => {
  const forever = `WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t`;
  await failsWith(forever, '54001', /did not finish within 10000 iterations/);
  await env.db.query(`SET eddy.max_recursion_iterations = 50`);
  await failsWith(forever, '54001', /within 50 iterations/);
  // 50 evaluations of the recursive term that produce rows are allowed, 51 are not.
  assert.deepEqual(await rows(`WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n <= 50) SELECT count(*) FROM t`), [['51']]);
  await failsWith(`WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n <= 51) SELECT count(*) FROM t`, '54001');
  await failsWith(`SET eddy.max_recursion_iterations = 0`, '22023');
  await env.db.query(`RESET eddy.max_recursion_iterations`);
  // The server is still answering.
  assert.deepEqual(await rows(`SELECT 1`), [[1]]);
});

test('a view whose recursion diverges reads as 54001 until the input lets it converge', async () => {
  await env.db.query(`CREATE TABLE seeds (n int, stop int)`);
  await env.db.query(`CREATE MATERIALIZED VIEW counted AS WITH RECURSIVE w(n, stop) AS (SELECT n, stop FROM seeds UNION ALL SELECT n + 1, stop FROM w WHERE n < stop) SELECT * FROM w`);
  await env.db.query(`INSERT INTO seeds VALUES (1, 3)`);
  await waitFor(async () => (await rows(`SELECT count(*) FROM counted`))[0]![0] === '3', { message: 'three rows' });
  await env.db.query(`INSERT INTO seeds VALUES (1, 1000000)`);
  await waitFor(
    async () => (await env.db.query(`SELECT count(*) FROM counted`).then(() => null, (e: pg.DatabaseError) => e.code)) === '54001',
    { message: 'the view in error' },
  );
  await env.db.query(`DELETE FROM seeds WHERE stop = 1000000`);
  await waitFor(async () => (await env.db.query(`SELECT count(*) FROM counted`).then((r) => r.rows[0].count, () => null)) === '3', { message: 'the view recovered' });
  assert.deepEqual(await rows(`SELECT n FROM counted ORDER BY n`), [[1], [2], [3]]);
});

test('malformed recursive queries fail as in PostgreSQL', async () => {
  await failsWith(`WITH RECURSIVE t(n) AS (SELECT n FROM t) SELECT * FROM t`, '42P19', /does not have the form/);
  await failsWith(`WITH RECURSIVE t(n) AS (SELECT n FROM t UNION SELECT 1) SELECT * FROM t`, '42P19', /non-recursive term/);
  await failsWith(`WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT a.n FROM t a, t b) SELECT * FROM t`, '42P19', /more than once/);
  await failsWith(`WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT count(*) FROM t) SELECT * FROM t`, '42P19', /aggregate functions/);
  await failsWith(`WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1.5 FROM t WHERE n < 3) SELECT * FROM t`, '42804', /has type integer in non-recursive term but type numeric overall/);
  // Where the reference may not sit (parse_cte.c's checkWellFormedRecursionWalker), used or not.
  await failsWith(`WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT x FROM (VALUES (1)) v(x) LEFT JOIN t ON t.n = v.x) SELECT 1`, '42P19', /within an outer join/);
  await failsWith(`WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n IN (SELECT n FROM t)) SELECT * FROM t`, '42P19', /within a subquery/);
  await failsWith(`WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL (SELECT 5 EXCEPT SELECT n FROM t)) SELECT * FROM t`, '42P19', /within EXCEPT/);
  await failsWith(`WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL (SELECT n + 1 FROM t WHERE n < 3 INTERSECT ALL SELECT 2)) SELECT * FROM t`, '42P19', /within INTERSECT/);
  await failsWith(`WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 3 LIMIT 1) SELECT * FROM t`, '0A000', /LIMIT in a recursive query is not implemented/);
  await failsWith(`WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 3 ORDER BY 1) SELECT * FROM t`, '0A000', /ORDER BY in a recursive query/);
  await failsWith(`WITH RECURSIVE a(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM b WHERE n < 3), b(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM a WHERE n < 3) SELECT * FROM a`, '0A000', /mutual recursion/);
  // Allowed where PostgreSQL allows them: INTERSECT (not ALL), GROUP BY without aggregates, a CTE defined later.
  assert.deepEqual(await rows(`WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL (SELECT n + 1 FROM t WHERE n < 3 INTERSECT SELECT 2)) SELECT n FROM t ORDER BY n`), [[1], [2]]);
  assert.deepEqual(await rows(`WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 3 GROUP BY n) SELECT sum(n) FROM t`), [['6']]);
  assert.deepEqual(await rows(`WITH RECURSIVE a(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM a WHERE n < (SELECT m FROM b)), b(m) AS (SELECT 4) SELECT count(*) FROM a`), [['4']]);
  // WITH RECURSIVE over a CTE that does not read itself is an ordinary CTE.
  assert.deepEqual(await rows(`WITH RECURSIVE t(n) AS (SELECT 2) SELECT n FROM t`), [[2]]);
});

test('a transitive closure view follows inserts and deletes in a cyclic graph', async () => {
  await env.db.query(`CREATE TABLE edges (src int, dst int)`);
  const closure = `WITH RECURSIVE tc(src, dst) AS (SELECT src, dst FROM edges UNION SELECT tc.src, e.dst FROM tc JOIN edges e ON e.src = tc.dst) SELECT src, dst FROM tc`;
  await env.db.query(`CREATE MATERIALIZED VIEW closure AS ${closure}`);
  const steps = [
    `INSERT INTO edges VALUES (1, 2), (2, 3), (3, 1), (3, 4), (5, 6)`,
    `DELETE FROM edges WHERE src = 3 AND dst = 1`,
    `INSERT INTO edges VALUES (4, 1), (6, 5)`,
    `UPDATE edges SET dst = 7 WHERE src = 2`,
    `DELETE FROM edges WHERE src IN (1, 5)`,
  ];
  for (const step of steps) {
    await env.db.query(step);
    const expected = await rows(`${closure} ORDER BY 1, 2`);
    await waitFor(async () => JSON.stringify(await rows(`SELECT * FROM closure ORDER BY 1, 2`)) === JSON.stringify(expected), { message: `closure after ${step}` });
  }
  // After the last step: 2->7, 3->4, 4->1, 6->5 and what they reach.
  assert.deepEqual(await rows(`SELECT * FROM closure ORDER BY 1, 2`), [[2, 7], [3, 1], [3, 4], [4, 1], [6, 5]]);
});
