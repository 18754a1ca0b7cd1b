/**
 * Joins that probe an index (index nested loops) answer as PostgreSQL does. The same two tables
 * live in Eddy (with indexes and a primary key) and in a real PostgreSQL; after every batch of
 * random inserts, updates and deletes each query runs on both and the answers must be equal
 * multisets, while EXPLAIN shows that Eddy probes (`Index Join`, `Index Probe using ...`). The
 * keys cover inner, LEFT and RIGHT joins, NULL keys, int4 columns joined as int8 and numeric
 * (widened), numeric 1.0 = 1.00, varchar against text, join keys beyond the index's columns and
 * residual ON conditions. Then DROP INDEX: the plan hashes again and stays right.
 *
 * Materialized views over joins read a side from its index instead (no probes: they follow every
 * change): inner, LEFT and RIGHT joins, keys in another order than the index's, an index on a
 * materialized view; views started before and after the data, both sides changing in one cycle,
 * and DROP INDEX while the views still read the arrangement — each checked against PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { eddySessionPerFile } from '../support/fixtures.js';
import { startPostgres, type PostgresHandle } from '../support/postgres.js';
import { diffRows, type ResultSet } from '../differential/compare.js';
import { mulberry32 } from '../support/prng.js';

const env = eddySessionPerFile();
let postgres: PostgresHandle;
let oracle: pg.Client;

before(async () => {
  postgres = await startPostgres();
  oracle = new pg.Client({ connectionString: postgres.url });
  await oracle.connect();
  await oracle.query('DROP TABLE IF EXISTS ij_ord, ij_cust, ij_s_o, ij_s_c');
});

after(async () => {
  await oracle?.query('DROP TABLE IF EXISTS ij_ord, ij_cust, ij_s_o, ij_s_c');
  await oracle?.end();
  await postgres?.stop();
});

const SEED = 20261208;

const SCHEMA = [
  'CREATE TABLE ij_cust (id int, name text, grp int8, score numeric)',
  'CREATE TABLE ij_ord (id int8 PRIMARY KEY, cust int8, amt numeric, tag varchar(3))',
];
const INDEXES = ['CREATE INDEX ij_cust_id ON ij_cust (id)', 'CREATE INDEX ij_cust_grp_name ON ij_cust (grp, name)', 'CREATE INDEX ij_cust_score ON ij_cust USING hash (score)'];

/** Queries Eddy must answer through an index join (the index named), with their parameters. */
const QUERIES: { sql: string; index: string; params?: unknown[] }[] = [
  // the point join: the outer side a primary-key lookup, customers probed by an int8 key
  { sql: 'SELECT o.id, c.name FROM ij_ord o JOIN ij_cust c ON c.id = o.cust WHERE o.id = 5', index: 'ij_cust_id' },
  { sql: 'SELECT o.id, c.name FROM ij_ord o JOIN ij_cust c ON c.id = o.cust WHERE o.id = $1', index: 'ij_cust_id', params: [3] },
  { sql: 'SELECT o.id, c.id, c.name FROM ij_ord o LEFT JOIN ij_cust c ON c.id = o.cust', index: 'ij_cust_id' },
  { sql: `SELECT o.id, c.name FROM ij_cust c RIGHT JOIN ij_ord o ON c.id = o.cust AND c.name <> 'b'`, index: 'ij_cust_id' },
  { sql: 'SELECT v.x, c.name, c.score FROM (VALUES (1), (2), (NULL::int), (7), (2)) v(x) LEFT JOIN ij_cust c ON c.id = v.x', index: 'ij_cust_id' },
  // the customer's id widened to numeric: 2.0 finds customer 2, 2.5 and NaN find nobody
  { sql: 'SELECT o.id, c.id FROM ij_ord o LEFT JOIN ij_cust c ON c.id = o.amt', index: 'ij_cust_id' },
  { sql: 'SELECT o.id, c.id FROM ij_ord o JOIN ij_cust c ON c.score = o.amt WHERE o.id < 10', index: 'ij_cust_score' },
  // orders probed by their primary key from customers' int8 column
  { sql: 'SELECT c.id, o.id, o.amt FROM ij_cust c LEFT JOIN ij_ord o ON o.id = c.grp', index: 'ij_ord_pkey' },
  // a two-column index, one key varchar against text; a join key beyond the index is checked too
  { sql: 'SELECT o.id, c.id FROM ij_ord o JOIN ij_cust c ON c.grp = o.id AND c.name = o.tag', index: 'ij_cust_grp_name' },
  { sql: 'SELECT o.id, c.id FROM ij_ord o JOIN ij_cust c ON c.id = o.cust AND c.grp = o.id', index: 'ij_cust_id' },
  { sql: 'SELECT o.id, c.id FROM ij_ord o LEFT JOIN ij_cust c ON c.id = o.cust AND c.score > o.amt', index: 'ij_cust_id' },
  { sql: 'SELECT c.name, count(*), sum(o.amt) FROM ij_ord o JOIN ij_cust c ON c.id = o.cust WHERE o.tag = $1 GROUP BY c.name', index: 'ij_cust_id', params: ['x'] },
];

const pick = <T>(next: () => number, xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;

function customer(next: () => number): string {
  const id = next() < 0.1 ? 'NULL' : String(Math.floor(next() * 8));
  const grp = next() < 0.15 ? 'NULL' : String(Math.floor(next() * 12));
  return `(${id}, ${pick(next, ["'a'", "'b'", "'x'", 'NULL'])}, ${grp}, ${pick(next, ['1', '1.0', '1.00', '2', '2.5', 'NULL'])})`;
}

function order(next: () => number, id: number): string {
  const cust = next() < 0.1 ? 'NULL' : pick(next, ['0', '1', '2', '3', '5', '7', '9', '99999999999']);
  const amt = pick(next, ['1', '1.00', '2.0', '2.5', '3', "'NaN'", '-0.0', 'NULL', '5000000000']);
  return `(${id}, ${cust}, ${amt}, ${pick(next, ["'a'", "'b'", "'x'", 'NULL'])})`;
}

async function both(sql: string): Promise<void> {
  await env.db.query(sql);
  await oracle.query(sql);
}

async function run(client: pg.Client, sql: string, params: unknown[] = []): Promise<ResultSet> {
  const r = await client.query({ text: sql, values: params, rowMode: 'array', types: { getTypeParser: () => (v: string) => v } });
  return { columns: r.fields.map((f) => ({ name: f.name, typeOid: f.dataTypeID })), rows: r.rows };
}

async function plan(sql: string, params: unknown[] = []): Promise<string> {
  const r = await env.db.query({ text: `EXPLAIN ${sql}`, values: params, rowMode: 'array' });
  return r.rows.map((row) => row[0]).join('\n');
}

async function checkAll(context: string, indexed: boolean): Promise<void> {
  for (const q of QUERIES) {
    const shown = await plan(q.sql, q.params);
    if (indexed) assert.match(shown, new RegExp(`Index Join[^]*Index Probe using ${q.index} `), `${q.sql}\n${shown}`);
    else assert.doesNotMatch(shown, /Index (Join|Probe)/, `${q.sql}\n${shown}`);
    const problem = diffRows(await run(oracle, q.sql, q.params), await run(env.db, q.sql, q.params), false);
    assert.equal(problem, null, `seed ${SEED}, ${context}: ${q.sql} ${JSON.stringify(q.params ?? [])}\n${shown}\n${problem}`);
  }
}

test('index joins equal PostgreSQL after every batch of random changes, and after DROP INDEX', { timeout: 180_000 }, async () => {
  for (const sql of SCHEMA) await both(sql);
  for (const sql of INDEXES) await env.db.query(sql);
  const next = mulberry32(SEED);
  let nextOrder = 1;
  for (let batch = 0; batch < 10; batch++) {
    await both(`INSERT INTO ij_cust VALUES ${Array.from({ length: 6 }, () => customer(next)).join(', ')}`);
    await both(`INSERT INTO ij_ord VALUES ${Array.from({ length: 5 }, () => order(next, nextOrder++)).join(', ')}`);
    await both(`UPDATE ij_cust SET score = 1.0, grp = ${Math.floor(next() * 12)} WHERE id = ${Math.floor(next() * 8)}`);
    await both(`UPDATE ij_ord SET cust = ${Math.floor(next() * 8)} WHERE id % 4 = ${batch % 4}`);
    await both(`DELETE FROM ij_cust WHERE id = ${Math.floor(next() * 8)} AND name = '${pick(next, ['a', 'b', 'x'])}'`);
    await both(`DELETE FROM ij_ord WHERE id % 9 = ${Math.floor(next() * 9)}`);
    await checkAll(`batch ${batch}`, true);
  }
  const count = await run(env.db, 'SELECT (SELECT count(*) FROM ij_cust) + (SELECT count(*) FROM ij_ord)');
  assert.ok(Number(count.rows[0]![0]) > 40, 'the tables kept enough rows for the joins to mean something');

  // A statement prepared with the index, run after DROP INDEX, reads and hashes the table again.
  const prepared = { text: QUERIES[1]!.sql, name: 'ij_prepared', values: [3], rowMode: 'array' as const, types: { getTypeParser: () => (v: string) => v } };
  await env.db.query(prepared);
  for (const name of ['ij_cust_id', 'ij_cust_grp_name', 'ij_cust_score']) await env.db.query(`DROP INDEX ${name}`);
  await both(`INSERT INTO ij_cust VALUES (1, 'after the drop', 3, 1), (3, 'x', 1, 2)`);
  await both('UPDATE ij_ord SET cust = 1 WHERE id = 3');
  const after = await env.db.query(prepared);
  assert.equal(diffRows(await run(oracle, prepared.text, prepared.values), { columns: after.fields.map((f) => ({ name: f.name, typeOid: f.dataTypeID })), rows: after.rows }, false), null);
  // Only the primary key of orders is left: joins keyed by it probe it, the rest hash.
  for (const q of QUERIES) {
    const shown = await plan(q.sql, q.params);
    assert.doesNotMatch(shown, /Index Probe using ij_cust/, `${q.sql}\n${shown}`);
    if (q.index === 'ij_ord_pkey') assert.match(shown, /Index Probe using ij_ord_pkey/, shown);
    const problem = diffRows(await run(oracle, q.sql, q.params), await run(env.db, q.sql, q.params), false);
    assert.equal(problem, null, `after DROP INDEX: ${q.sql}\n${shown}\n${problem}`);
  }
});

test('which joins probe: not FULL JOIN, not keys the index groups otherwise, never a maintained view', async () => {
  await env.db.query('CREATE TABLE ij_a (k int, t text, v int8)');
  await env.db.query('CREATE TABLE ij_b (k int, t text, v int8)');
  await env.db.query('CREATE INDEX ij_a_k ON ij_a (k)');
  await env.db.query('CREATE INDEX ij_a_t ON ij_a (t)');
  await env.db.query('CREATE INDEX ij_a_v ON ij_a (v)');
  assert.match(await plan('SELECT * FROM ij_b b JOIN ij_a a ON a.k = b.k'), /^Inner Index Join ON k = k {2}\[general\]\n {2}-> Read ij_b {2}\[general\]\n {2}-> Index Probe using ij_a_k on ij_a \(k = k\) per outer row/);
  // the indexed side is preserved by the outer join: no probe of it
  assert.doesNotMatch(await plan('SELECT * FROM ij_a a LEFT JOIN ij_b b ON a.k = b.k'), /Index/);
  assert.doesNotMatch(await plan('SELECT * FROM ij_b b FULL JOIN ij_a a ON a.k = b.k'), /Index/);
  // an int8 column read as int4 cannot be, and text casts or expressions group keys otherwise
  for (const sql of ['SELECT * FROM ij_b b JOIN ij_a a ON a.v::int4 = b.k', 'SELECT * FROM ij_b b JOIN ij_a a ON a.k::text = b.t', 'SELECT * FROM ij_b b JOIN ij_a a ON a.k + 1 = b.k', 'SELECT * FROM ij_b b JOIN ij_a a ON a.k < b.k']) {
    assert.doesNotMatch(await plan(sql), /Index (Join|Probe)/, sql);
  }
  // the widened int4 column is probed with the int8 key narrowed back
  assert.match(await plan('SELECT * FROM ij_b b JOIN ij_a a ON a.k = b.v'), /Index Probe using ij_a_k on ij_a \(k = v\)/);
  await env.db.query(`INSERT INTO ij_a VALUES (1, 'one', 1), (2, 'two', 5000000000)`);
  await env.db.query(`INSERT INTO ij_b VALUES (1, 'one', 1), (2, NULL, 5000000000), (NULL, 'two', 2)`);
  const rows = async (sql: string) => (await run(env.db, sql)).rows.map((r) => r.join(' ')).sort();
  assert.deepEqual(await rows('SELECT b.v, a.t FROM ij_b b LEFT JOIN ij_a a ON a.k = b.v'), ['1 one', '2 two', '5000000000 ']);
  // A maintained join follows both sides: it never probes (it may read a side from the index).
  await env.db.query('CREATE MATERIALIZED VIEW ij_view AS SELECT b.t AS bt, a.t AS at FROM ij_b b JOIN ij_a a ON a.k = b.k');
  const view = env.eddy.database.relations.get('ij_view');
  assert.ok(view?.kind === 'materialized-view');
  assert.match(view.explain, /-> Inner Join ON k = k \(right side read from index ij_a_k\)/);
  assert.doesNotMatch(view.explain, /Index (Join|Probe)/);
  await env.db.query(`INSERT INTO ij_a VALUES (NULL, 'null key', 3)`);
  assert.deepEqual(await rows('SELECT * FROM ij_view'), [' two', 'one one']);
});

test('inside a transaction block a join sees the block own writes to the indexed table', async () => {
  await env.db.query('CREATE TABLE ij_tx_c (id int PRIMARY KEY, name text)');
  await env.db.query('CREATE TABLE ij_tx_o (id int, cust int)');
  await env.db.query(`INSERT INTO ij_tx_c VALUES (1, 'committed')`);
  await env.db.query('INSERT INTO ij_tx_o VALUES (10, 1), (11, 2)');
  const join = 'SELECT o.id, c.name FROM ij_tx_o o JOIN ij_tx_c c ON c.id = o.cust';
  assert.match(await plan(join), /Index Probe using ij_tx_c_pkey/);
  await env.db.query('BEGIN');
  await env.db.query(`INSERT INTO ij_tx_c VALUES (2, 'in the block')`);
  await env.db.query(`UPDATE ij_tx_c SET name = 'updated' WHERE id = 1`);
  assert.deepEqual((await run(env.db, join)).rows.map((r) => r.join(' ')).sort(), ['10 updated', '11 in the block']);
  await env.db.query('ROLLBACK');
  assert.deepEqual((await run(env.db, join)).rows.map((r) => r.join(' ')), ['10 committed']);
});

/** Views over joins that read one side from an index, with the query PostgreSQL computes afresh. */
const SHARED_VIEWS: { name: string; sql: string; index: string; side: 'left' | 'right' }[] = [
  { name: 'ij_sv_inner', sql: 'SELECT o.id AS oid, c.name FROM ij_s_o o JOIN ij_s_c c ON c.id = o.cust', index: 'ij_s_c_id', side: 'right' },
  { name: 'ij_sv_left', sql: 'SELECT o.id AS oid, c.id AS cid, c.name FROM ij_s_o o LEFT JOIN ij_s_c c ON c.id = o.cust AND c.grp <> o.id', index: 'ij_s_c_id', side: 'right' },
  { name: 'ij_sv_right', sql: 'SELECT c.name, o.id AS oid FROM ij_s_c c RIGHT JOIN ij_s_o o ON c.id = o.cust', index: 'ij_s_c_id', side: 'left' },
  // the join's keys in another order than the index's columns (grp, name)
  { name: 'ij_sv_two', sql: 'SELECT o.id AS oid, c.id AS cid FROM ij_s_o o JOIN ij_s_c c ON c.name = o.tag AND c.grp = o.cust', index: 'ij_s_c_grp_name', side: 'right' },
  { name: 'ij_sv_agg', sql: 'SELECT c.name, count(*) AS n, sum(o.id) AS s FROM ij_s_o o JOIN ij_s_c c ON c.id = o.cust GROUP BY c.name', index: 'ij_s_c_id', side: 'right' },
  // an index on a materialized view serves a join over that view
  { name: 'ij_sv_over_view', sql: 'SELECT o.id AS oid, v.name FROM ij_s_o o JOIN ij_s_cv v ON v.id = o.cust', index: 'ij_s_cv_id', side: 'right' },
];

const CV = 'SELECT id, name FROM ij_s_c WHERE grp IS NOT NULL';

test('materialized views over joins read a side from its index and equal PostgreSQL under random changes, also past DROP INDEX', { timeout: 180_000 }, async () => {
  await both('CREATE TABLE ij_s_c (id int, name text, grp int)');
  await both('CREATE TABLE ij_s_o (id int, cust int, tag varchar(3))');
  await env.db.query('CREATE INDEX ij_s_c_id ON ij_s_c (id)');
  await env.db.query('CREATE INDEX ij_s_c_grp_name ON ij_s_c (grp, name)');
  await env.db.query(`CREATE MATERIALIZED VIEW ij_s_cv AS ${CV}`);
  await env.db.query('CREATE INDEX ij_s_cv_id ON ij_s_cv (id)');
  const next = mulberry32(SEED + 1);
  const small = (n: number) => (next() < 0.1 ? 'NULL' : String(Math.floor(next() * n)));
  const changes = async (batch: number) => {
    // one transaction: both sides change in the same cycle, the case ΔL⋈R + L'⋈ΔR is about
    await both('BEGIN');
    await both(`INSERT INTO ij_s_c VALUES ${Array.from({ length: 4 }, () => `(${small(6)}, ${pick(next, ["'a'", "'b'", "'x'", 'NULL'])}, ${small(6)})`).join(', ')}`);
    await both(`INSERT INTO ij_s_o VALUES ${Array.from({ length: 4 }, (_, i) => `(${batch * 10 + i}, ${small(6)}, ${pick(next, ["'a'", "'b'", "'x'", 'NULL'])})`).join(', ')}`);
    await both(`UPDATE ij_s_c SET grp = ${small(6)} WHERE id = ${Math.floor(next() * 6)}`);
    await both('COMMIT');
    await both(`DELETE FROM ij_s_c WHERE id = ${Math.floor(next() * 6)} AND name = '${pick(next, ['a', 'b', 'x'])}'`);
    await both(`DELETE FROM ij_s_o WHERE id % 7 = ${Math.floor(next() * 7)}`);
    await both(`UPDATE ij_s_o SET cust = ${Math.floor(next() * 6)} WHERE id % 5 = ${batch % 5}`);
  };
  const check = async (context: string) => {
    for (const v of SHARED_VIEWS) {
      const expected = await run(oracle, v.sql.replaceAll('ij_s_cv', `(${CV})`));
      const problem = diffRows(expected, await run(env.db, `SELECT * FROM ${v.name}`), false);
      assert.equal(problem, null, `seed ${SEED + 1}, ${context}: ${v.name}: ${v.sql}\n${problem}`);
    }
  };
  // half the views start over rows already there, half before any
  await changes(0);
  for (const v of SHARED_VIEWS.slice(0, 3)) await env.db.query(`CREATE MATERIALIZED VIEW ${v.name} AS ${v.sql}`);
  await changes(1);
  for (const v of SHARED_VIEWS.slice(3)) await env.db.query(`CREATE MATERIALIZED VIEW ${v.name} AS ${v.sql}`);
  for (const v of SHARED_VIEWS) {
    const rel = env.eddy.database.relations.get(v.name);
    assert.ok(rel?.kind === 'materialized-view');
    assert.match(rel.explain, new RegExp(`Join ON .* \\(${v.side} side read from index ${v.index}\\)`), rel.explain);
    // the engine's join keeps no hash index of that side
    assert.match(env.eddy.database.dataflow.explain(rel.node).join('\n'), new RegExp(`HashJoin .*sharing the ${v.side} index`));
  }
  for (let batch = 2; batch < 12; batch++) {
    await changes(batch);
    await check(`batch ${batch}`);
  }
  // The views keep their hold on the arrangements after DROP INDEX, and stay right.
  for (const name of ['ij_s_c_id', 'ij_s_c_grp_name', 'ij_s_cv_id']) await env.db.query(`DROP INDEX ${name}`);
  for (let batch = 12; batch < 16; batch++) {
    await changes(batch);
    await check(`batch ${batch}, after DROP INDEX`);
  }
  await env.db.query('CREATE MATERIALIZED VIEW ij_sv_unshared AS SELECT o.id FROM ij_s_o o JOIN ij_s_c c ON c.id = o.cust');
  assert.doesNotMatch((env.eddy.database.relations.get('ij_sv_unshared') as { explain: string }).explain, /read from index/);
  for (const v of SHARED_VIEWS) await env.db.query(`DROP MATERIALIZED VIEW ${v.name}`);
  await changes(16);
  const count = await run(env.db, 'SELECT count(*) FROM ij_sv_unshared');
  assert.equal(count.rows[0]![0], (await run(oracle, 'SELECT count(*) FROM ij_s_o o JOIN ij_s_c c ON c.id = o.cust')).rows[0]![0]);
});
