/**
 * The system tables' rows are recomputed after DDL only when something reads them (Database.
 * catalogChanged), so every way of reading them must see the DDL that came before: a statement
 * prepared before the DDL and executed after it, a plain view over pg_class, a materialized view
 * over it and a SUBSCRIBE to a system table itself (both follow every DDL as it happens), and
 * catalog functions that look relations up by name or oid.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eddySessionPerFile } from '../support/fixtures.js';

const env = eddySessionPerFile();
const FRESH = "SELECT relname FROM pg_class WHERE relname LIKE 'fresh\\_%' AND relkind = 'r' ORDER BY 1";
const names = (rows: { relname: string }[]) => rows.map((r) => r.relname);

test('a statement prepared before DDL sees it when executed after', async () => {
  const prepared = { name: 'fresh_tables', text: FRESH };
  assert.deepEqual(names((await env.db.query(prepared)).rows), []);
  await env.db.query('CREATE TABLE fresh_a (x int)');
  assert.deepEqual(names((await env.db.query(prepared)).rows), ['fresh_a']);
  await env.db.query('CREATE TABLE fresh_b (x int)');
  await env.db.query('DROP TABLE fresh_a');
  assert.deepEqual(names((await env.db.query(prepared)).rows), ['fresh_b']);
  await env.db.query('DROP TABLE fresh_b');
  const { rows } = await env.db.query("SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name LIKE 'fresh\\_%'");
  assert.deepEqual(rows, [{ n: 0 }]);
});

test('a plain view and a materialized view over pg_class follow DDL', async () => {
  await env.db.query(`CREATE VIEW fresh_view AS ${FRESH}`);
  await env.db.query(`CREATE MATERIALIZED VIEW fresh_count AS SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE 'fresh\\_%' AND relkind = 'r'`);
  await env.db.query('CREATE TABLE fresh_c (x int)');
  assert.deepEqual(names((await env.db.query('SELECT * FROM fresh_view')).rows), ['fresh_c']);
  assert.deepEqual((await env.db.query('SELECT n FROM fresh_count')).rows, [{ n: 1 }]);
  await env.db.query('DROP TABLE fresh_c');
  assert.deepEqual((await env.db.query('SELECT n FROM fresh_count')).rows, [{ n: 0 }]);
  await env.db.query('DROP MATERIALIZED VIEW fresh_count');
  await env.db.query('DROP VIEW fresh_view');
});

test('a SUBSCRIBE to a system table itself sees each DDL as it happens', async () => {
  const follower = await env.eddy.client();
  await follower.query('BEGIN');
  await follower.query('DECLARE tables CURSOR FOR SUBSCRIBE pg_catalog.pg_tables WITH (SNAPSHOT = false)');
  const fetch = async () =>
    (await follower.query({ text: "FETCH ALL tables WITH (TIMEOUT = '2s')", rowMode: 'array' })).rows.map((r: unknown[]) => [r[1], r[3]]);
  await env.db.query('CREATE TABLE fresh_d (x int)');
  assert.deepEqual(await fetch(), [['1', 'fresh_d']]);
  await env.db.query('DROP TABLE fresh_d');
  assert.deepEqual(await fetch(), [['-1', 'fresh_d']]);
  await follower.query('COMMIT');
});

test('catalog functions find a relation created a statement before', async () => {
  await env.db.query('CREATE TABLE fresh_e (x int)');
  const { rows } = await env.db.query("SELECT 'fresh_e'::regclass::oid = (SELECT oid FROM pg_class WHERE relname = 'fresh_e') AS same, to_regclass('fresh_e') IS NOT NULL AS found");
  assert.deepEqual(rows, [{ same: true, found: true }]);
  await env.db.query('DROP TABLE fresh_e');
  assert.deepEqual((await env.db.query("SELECT to_regclass('fresh_e') AS r")).rows, [{ r: null }]);
});
