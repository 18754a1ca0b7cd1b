/**
 * Reads that look rows up in an index answer exactly as reads of the whole relation do. A table
 * with indexes and a materialized view copying it without any take the same random inserts,
 * updates and deletes (NULL keys, duplicate rows, numeric 1.0 and 1.00, varchar keys); after every
 * batch each query runs on both, the table's through an index (EXPLAIN says so), the copy's by a
 * scan, and the answers must be equal multisets. Parameters ($1) key lookups as constants do. A
 * table's primary key serves lookups too, checked the same way.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eddySessionPerFile } from '../support/fixtures.js';
import { diffRows, runQuery } from '../differential/compare.js';
import { mulberry32 } from '../support/prng.js';

const env = eddySessionPerFile();

const SEED = 20261207;
const SIDES = { expected: 'scan of the copy', actual: 'index lookup' };

/** Queries over REL (the indexed table, or its unindexed copy) that an index can serve, with their parameters. */
const QUERIES: { sql: string; params?: unknown[] }[] = [
  { sql: 'SELECT * FROM REL WHERE k = 3' },
  { sql: 'SELECT * FROM REL WHERE 2 = k AND id > 10' },
  { sql: 'SELECT * FROM REL WHERE k = $1', params: [1] },
  { sql: 'SELECT * FROM REL WHERE k = $1', params: [null] },
  { sql: `SELECT * FROM REL WHERE s = 'b'` },
  { sql: `SELECT id, n FROM REL WHERE s = $1 AND k = $2`, params: ['a', 2] },
  { sql: 'SELECT * FROM REL WHERE n = 1' },
  { sql: 'SELECT * FROM REL WHERE n = 1.00 OR false' },
  { sql: 'SELECT k, count(*), sum(n) FROM REL WHERE k = 4 GROUP BY k' },
  { sql: 'SELECT DISTINCT s FROM REL WHERE k = 0' },
  { sql: 'SELECT r.id, o.id FROM REL r JOIN REL o ON r.s = o.s WHERE r.k = 1 AND o.k = 2' },
  { sql: 'SELECT id FROM REL WHERE k = 5 AND id IN (SELECT id FROM REL WHERE s = $1)', params: ['c'] },
  { sql: 'SELECT * FROM REL WHERE k = 3 ORDER BY id DESC LIMIT 2' },
];

/** A random row: small key domains so lookups find several rows; NULLs and numeric scales mixed. */
function randomRow(next: () => number, id: number): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)]!;
  const k = next() < 0.1 ? 'NULL' : String(Math.floor(next() * 6));
  const s = pick(["'a'", "'b'", "'c'", 'NULL']);
  const n = pick(['1', '1.0', '1.00', '2.5', 'NULL']);
  return `(${id}, ${k}, ${s}, ${n})`;
}

test('reads through indexes equal scans, after every batch of random inserts, updates and deletes', { timeout: 120_000 }, async () => {
  await env.db.query('CREATE TABLE il_t (id int, k int, s varchar(3), n numeric)');
  await env.db.query('CREATE MATERIALIZED VIEW il_copy AS SELECT * FROM il_t');
  await env.db.query('CREATE INDEX ON il_t (k)');
  await env.db.query('CREATE INDEX ON il_t (s, k)');
  await env.db.query('CREATE INDEX ON il_t (s)');
  await env.db.query('CREATE INDEX ON il_t USING hash (n)');
  const next = mulberry32(SEED);
  let nextId = 1;
  for (let batch = 0; batch < 12; batch++) {
    const inserts = Array.from({ length: 15 }, () => randomRow(next, nextId++ % 40));
    await env.db.query(`INSERT INTO il_t VALUES ${inserts.join(', ')}`);
    await env.db.query(`UPDATE il_t SET k = ${Math.floor(next() * 6)}, n = 1.0 WHERE id % 7 = ${batch % 7}`);
    await env.db.query(`DELETE FROM il_t WHERE id % 5 = ${Math.floor(next() * 5)} AND k = ${Math.floor(next() * 6)}`);
    for (const [i, q] of QUERIES.entries()) {
      const name = (rel: string) => `il_${rel}_${i}`;
      const exec = async (rel: string) => {
        const r = await env.db.query({ text: q.sql.replaceAll('REL', rel), values: q.params, rowMode: 'array', name: name(rel), types: { getTypeParser: () => (v: string) => v } });
        return { columns: r.fields.map((f) => ({ name: f.name, typeOid: f.dataTypeID })), rows: r.rows };
      };
      const problem = diffRows(await exec('il_copy'), await exec('il_t'), false, SIDES);
      assert.equal(problem, null, `seed ${SEED}, batch ${batch}: ${q.sql} ${JSON.stringify(q.params ?? [])}\n${problem}`);
    }
  }
  const count = await runQuery(env.db, 'SELECT count(*) FROM il_t');
  assert.ok(Number(count.rows[0]![0]) > 20, 'the table kept enough rows for the lookups to mean something');
});

async function plan(sql: string, params: unknown[] = []): Promise<string> {
  const r = await env.db.query({ text: `EXPLAIN ${sql}`, values: params, rowMode: 'array' });
  return r.rows.map((row) => row[0]).join('\n');
}

test('EXPLAIN shows the lookup: which index, on what, with which key; other conditions scan', async () => {
  await env.db.query('CREATE TABLE il_e (a int, b varchar(5), c int8)');
  await env.db.query('CREATE INDEX il_e_a ON il_e (a)');
  await env.db.query('CREATE INDEX il_e_ab ON il_e (a, b)');
  await env.db.query('CREATE MATERIALIZED VIEW il_e_view AS SELECT a, count(*) AS n FROM il_e GROUP BY a');
  await env.db.query('CREATE INDEX il_e_view_a ON il_e_view (a)');
  assert.match(await plan('SELECT * FROM il_e WHERE a = 1'), /-> Index Lookup using il_e_a on il_e \(a = 1\)/);
  // The index with more key columns wins when the conditions fix them all.
  assert.match(await plan(`SELECT * FROM il_e WHERE b = 'x' AND a = 1`), /Index Lookup using il_e_ab on il_e \(a = 1 AND b = 'x'\)/);
  assert.match(await plan('SELECT n FROM il_e_view WHERE a = 7'), /Index Lookup using il_e_view_a on il_e_view \(a = 7\)/);
  // A parameter keys the lookup as a constant does.
  assert.match(await plan('SELECT * FROM il_e WHERE a = $1', [3]), /Index Lookup using il_e_a on il_e \(a = \$1\)/);
  // Not an equality on the key alone: a scan.
  for (const sql of ['SELECT * FROM il_e WHERE a > 1', 'SELECT * FROM il_e WHERE a = 1 OR a = 2', 'SELECT * FROM il_e WHERE a = c', 'SELECT * FROM il_e WHERE c = 1']) {
    assert.doesNotMatch(await plan(sql), /Index Lookup/, sql);
  }
  // A materialized view over an indexed table follows every change: it never looks up.
  await env.db.query('CREATE MATERIALIZED VIEW il_e_ones AS SELECT * FROM il_e WHERE a = 1');
  assert.deepEqual((await runQuery(env.db, 'SELECT count(*) FROM il_e_ones')).rows, [['0']]);
  await env.db.query(`INSERT INTO il_e VALUES (1, 'x', 1), (2, 'y', 2)`);
  assert.deepEqual((await runQuery(env.db, 'SELECT a, b FROM il_e_ones')).rows, [['1', 'x']]);
});

test('inside a transaction block a lookup sees the block own writes; a dropped index is no longer used', async () => {
  await env.db.query('CREATE TABLE il_tx (a int, b text)');
  await env.db.query('CREATE INDEX il_tx_a ON il_tx (a)');
  await env.db.query(`INSERT INTO il_tx VALUES (1, 'committed')`);
  const select = { text: 'SELECT b FROM il_tx WHERE a = $1', name: 'il_tx_select', rowMode: 'array' as const };
  await env.db.query('BEGIN');
  await env.db.query(`INSERT INTO il_tx VALUES (1, 'in the block')`);
  assert.deepEqual((await env.db.query({ ...select, values: [1] })).rows.map((r) => r[0]).sort(), ['committed', 'in the block']);
  await env.db.query('ROLLBACK');
  assert.deepEqual((await env.db.query({ ...select, values: [1] })).rows, [['committed']]);
  // The prepared statement was planned with the index; once it is gone, it reads the table.
  await env.db.query('DROP INDEX il_tx_a');
  await env.db.query(`INSERT INTO il_tx VALUES (1, 'after the drop')`);
  assert.deepEqual((await env.db.query({ ...select, values: [1] })).rows.map((r) => r[0]).sort(), ['after the drop', 'committed']);
});

test('reads by primary key look the row up and equal scans, after every batch of random changes', { timeout: 120_000 }, async () => {
  await env.db.query('CREATE TABLE il_pk (a int, b varchar(4), v numeric, PRIMARY KEY (a, b))');
  await env.db.query('CREATE MATERIALIZED VIEW il_pk_copy AS SELECT * FROM il_pk');
  const queries: { sql: string; params?: unknown[] }[] = [
    { sql: `SELECT * FROM REL WHERE a = 3 AND b = 'y'` },
    { sql: `SELECT v FROM REL WHERE b = $2 AND a = $1`, params: [2, 'x'] },
    { sql: `SELECT v FROM REL WHERE a = $1 AND b = $2`, params: [null, 'x'] },
    { sql: `SELECT a FROM REL WHERE a = 1 AND b = 'z' AND v > 1` },
    { sql: `SELECT r.v, o.v FROM REL r JOIN REL o ON r.a = o.a WHERE r.a = 4 AND r.b = 'x' AND o.b = 'y'` },
  ];
  const next = mulberry32(SEED + 1);
  const letters = ['x', 'y', 'z'];
  for (let batch = 0; batch < 12; batch++) {
    const a = Math.floor(next() * 6);
    const b = letters[Math.floor(next() * 3)]!;
    await env.db.query(`DELETE FROM il_pk WHERE a = ${a} AND b = '${b}'`);
    await env.db.query(`INSERT INTO il_pk VALUES (${a}, '${b}', ${Math.floor(next() * 4)}.5)`);
    await env.db.query(`UPDATE il_pk SET v = v + 1 WHERE a = ${Math.floor(next() * 6)}`);
    await env.db.query(`DELETE FROM il_pk WHERE a = ${Math.floor(next() * 6)} AND b = '${letters[batch % 3]}'`);
    for (const [i, q] of queries.entries()) {
      const exec = async (rel: string) => {
        const r = await env.db.query({ text: q.sql.replaceAll('REL', rel), values: q.params, rowMode: 'array', name: `il_pk_${rel}_${i}`, types: { getTypeParser: () => (v: string) => v } });
        return { columns: r.fields.map((f) => ({ name: f.name, typeOid: f.dataTypeID })), rows: r.rows };
      };
      const problem = diffRows(await exec('il_pk_copy'), await exec('il_pk'), false, SIDES);
      assert.equal(problem, null, `seed ${SEED + 1}, batch ${batch}: ${q.sql} ${JSON.stringify(q.params ?? [])}\n${problem}`);
    }
  }
  assert.match(await plan(`SELECT v FROM il_pk WHERE a = 1 AND b = 'x'`), /Index Lookup using il_pk_pkey on il_pk \(a = 1 AND b = 'x'\)/);
  // Half a key is no lookup: the primary key's index needs every column.
  assert.doesNotMatch(await plan('SELECT v FROM il_pk WHERE a = 1'), /Index Lookup/);
  // Inside a block the lookup reads the block's own writes first.
  await env.db.query('BEGIN');
  await env.db.query(`DELETE FROM il_pk WHERE a = 9 AND b = 'x'`);
  await env.db.query(`INSERT INTO il_pk VALUES (9, 'x', 42)`);
  assert.deepEqual((await runQuery(env.db, `SELECT v FROM il_pk WHERE a = 9 AND b = 'x'`)).rows, [['42']]);
  await env.db.query('ROLLBACK');
  assert.deepEqual((await runQuery(env.db, `SELECT v FROM il_pk WHERE a = 9 AND b = 'x'`)).rows, []);
});
