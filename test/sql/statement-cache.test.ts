/**
 * A session reuses the parse and the plan of an unnamed statement it sends again
 * (src/sql/statement-cache.ts); whatever could change the answer makes it plan afresh: DDL in
 * any session (a table dropped and created again with other columns, a view redefined), SET in
 * this session (TimeZone) and its ROLLBACK.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eddySessionPerFile } from '../support/fixtures.js';

const env = eddySessionPerFile();

test('the same text sent again answers anew after DDL in another session', async () => {
  const other = await env.eddy.client();
  await env.db.query('CREATE TABLE sc_t (a int)');
  await env.db.query('INSERT INTO sc_t VALUES (1)');
  const read = () => env.db.query({ text: 'SELECT * FROM sc_t WHERE $1::int IS NOT NULL', values: [0], rowMode: 'array' });
  assert.deepEqual((await read()).rows, [[1]]);
  assert.deepEqual((await read()).rows, [[1]]);
  await other.query('DROP TABLE sc_t');
  await other.query("CREATE TABLE sc_t (a text, b int)");
  await other.query("INSERT INTO sc_t VALUES ('x', 2)");
  const again = await read();
  assert.deepEqual(again.rows, [['x', 2]]);
  assert.deepEqual(again.fields.map((f) => f.name), ['a', 'b']);
  await other.query('CREATE VIEW sc_v AS SELECT a FROM sc_t');
  assert.deepEqual((await env.db.query({ text: 'SELECT * FROM sc_v', rowMode: 'array' })).rows, [['x']]);
  await other.query('DROP VIEW sc_v');
  await other.query('CREATE VIEW sc_v AS SELECT b FROM sc_t');
  assert.deepEqual((await env.db.query({ text: 'SELECT * FROM sc_v', rowMode: 'array' })).rows, [[2]]);
  await other.query('DROP VIEW sc_v');
  await other.query('DROP TABLE sc_t');
  await assert.rejects(read(), (err: Error & { code?: string }) => err.code === '42P01');
});

test('SET TimeZone and its ROLLBACK change what the same text answers', async () => {
  const text = "SELECT current_setting('TimeZone') AS tz, '2026-01-01 00:00:00+00'::timestamptz::text AS t";
  await env.db.query("SET TimeZone = 'UTC'");
  assert.deepEqual((await env.db.query(text)).rows, [{ tz: 'UTC', t: '2026-01-01 00:00:00+00' }]);
  await env.db.query('BEGIN');
  await env.db.query("SET TimeZone = 'Asia/Tokyo'");
  assert.deepEqual((await env.db.query(text)).rows, [{ tz: 'Asia/Tokyo', t: '2026-01-01 09:00:00+09' }]);
  await env.db.query('ROLLBACK');
  assert.deepEqual((await env.db.query(text)).rows, [{ tz: 'UTC', t: '2026-01-01 00:00:00+00' }]);
});

test('now() and the rows a transaction block writes are read at each execution, not when planned', async () => {
  await env.db.query('CREATE TABLE sc_rows (a int)');
  const count = async () => (await env.db.query({ text: 'SELECT count(*)::int AS n, now() AS at FROM sc_rows WHERE $1::int = 1', values: [1] })).rows[0];
  const first = await count();
  await new Promise((r) => setTimeout(r, 20));
  await env.db.query('BEGIN');
  await env.db.query('INSERT INTO sc_rows VALUES (1)');
  const inside = await count();
  assert.equal(inside.n, 1, 'the block sees its own insert');
  assert.ok(inside.at.getTime() > first.at.getTime(), 'now() is the new transaction start');
  await env.db.query('ROLLBACK');
  assert.equal((await count()).n, 0);
  await env.db.query('DROP TABLE sc_rows');
});

test('a named statement prepared before DDL is planned again when run after it, as PostgreSQL re-plans', async () => {
  await env.db.query('CREATE TABLE sc_named (a int)');
  await env.db.query('INSERT INTO sc_named VALUES (1)');
  const named = () => env.db.query({ name: 'sc_named_read', text: 'SELECT a FROM sc_named', rowMode: 'array' });
  assert.deepEqual((await named()).rows, [[1]]);
  // The same name and columns: the new table's rows, not the dropped one's.
  await env.db.query('DROP TABLE sc_named');
  await env.db.query('CREATE TABLE sc_named (a int)');
  await env.db.query('INSERT INTO sc_named VALUES (2)');
  assert.deepEqual((await named()).rows, [[2]]);
  // Other result columns than the client was told: refused, as PostgreSQL refuses them.
  await env.db.query('DROP TABLE sc_named');
  await env.db.query("CREATE TABLE sc_named (a text)");
  await assert.rejects(named(), (err: Error & { code?: string }) => err.code === '0A000' && /cached plan must not change result type/.test(err.message));
  await env.db.query('DROP TABLE sc_named');
  await assert.rejects(named(), (err: Error & { code?: string }) => err.code === '42P01');
});
