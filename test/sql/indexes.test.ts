/**
 * CREATE INDEX and DROP INDEX through the wire: the index's arrangement follows its relation
 * (tables, materialized views, sources' input nodes alike), the catalog lists it as PostgreSQL
 * does (pg_class, pg_index, pg_indexes, pg_get_indexdef), it survives a restart, and the errors
 * carry PostgreSQL's SQLSTATEs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { eddySessionPerFile } from '../support/fixtures.js';

const env = eddySessionPerFile();

async function rows(sql: string, params: unknown[] = []): Promise<unknown[][]> {
  return (await env.db.query({ text: sql, values: params, rowMode: 'array' })).rows;
}

async function failsWith(sql: string, code: string, message?: RegExp): Promise<void> {
  const err = await env.db.query(sql).then(
    () => assert.fail(`expected ${sql} to fail with ${code}`),
    (e: pg.DatabaseError) => e,
  );
  assert.equal(err.code, code, `${sql}: ${err.message}`);
  if (message) assert.match(err.message, message);
}

/** What the index named holds for `key`, sorted: its arrangement read directly (int8 and numeric as strings). */
function lookup(name: string, key: unknown[]): string[] {
  const index = env.eddy.database.indexes.get(name);
  assert.ok(index, `index ${name} exists`);
  return index.arrangement.lookup(key as never).map((r) => JSON.stringify(r.map((v) => (typeof v === 'bigint' || (v !== null && typeof v === 'object') ? String(v) : v)))).sort();
}

test('an index on a table follows inserts, updates and deletes', async () => {
  await env.db.query('CREATE TABLE ix_items (id int, kind text, qty int)');
  await env.db.query(`INSERT INTO ix_items VALUES (1, 'a', 5), (2, 'b', 7), (3, 'a', 1)`);
  await env.db.query('CREATE INDEX ix_items_kind ON ix_items (kind)');
  assert.deepEqual(lookup('ix_items_kind', ['a']), ['[1,"a",5]', '[3,"a",1]']);
  await env.db.query(`UPDATE ix_items SET kind = 'a' WHERE id = 2`);
  await env.db.query(`DELETE FROM ix_items WHERE id = 1`);
  await env.db.query(`INSERT INTO ix_items VALUES (4, 'a', 9), (4, 'a', 9)`);
  assert.deepEqual(lookup('ix_items_kind', ['a']), ['[2,"a",7]', '[3,"a",1]', '[4,"a",9]', '[4,"a",9]']);
  assert.deepEqual(lookup('ix_items_kind', ['b']), []);
  assert.deepEqual(lookup('ix_items_kind', [null]), []);
});

test('the catalog lists indexes as PostgreSQL does: pg_class, pg_index, pg_indexes, pg_get_indexdef', async () => {
  await env.db.query('CREATE TABLE ix_cat (a int, b text, c int PRIMARY KEY)');
  await env.db.query('CREATE INDEX ON ix_cat (a)');
  await env.db.query('CREATE INDEX ON ix_cat (a)');
  await env.db.query('CREATE INDEX ix_cat_ba ON ix_cat (b, a)');
  await env.db.query('CREATE INDEX ix_cat_b ON ix_cat USING hash (b)');
  assert.deepEqual(await rows(`SELECT indexname, tablename, schemaname, tablespace, indexdef FROM pg_indexes WHERE tablename = 'ix_cat' ORDER BY indexname`), [
    ['ix_cat_a_idx', 'ix_cat', 'public', null, 'CREATE INDEX ix_cat_a_idx ON public.ix_cat USING btree (a)'],
    ['ix_cat_a_idx1', 'ix_cat', 'public', null, 'CREATE INDEX ix_cat_a_idx1 ON public.ix_cat USING btree (a)'],
    ['ix_cat_b', 'ix_cat', 'public', null, 'CREATE INDEX ix_cat_b ON public.ix_cat USING hash (b)'],
    ['ix_cat_ba', 'ix_cat', 'public', null, 'CREATE INDEX ix_cat_ba ON public.ix_cat USING btree (b, a)'],
    ['ix_cat_pkey', 'ix_cat', 'public', null, 'CREATE UNIQUE INDEX ix_cat_pkey ON public.ix_cat USING btree (c)'],
  ]);
  assert.deepEqual(
    await rows(`SELECT c.relname, c.relkind, c.relnatts, am.amname, i.indnatts, i.indnkeyatts, i.indisunique, i.indisprimary, i.indisvalid, i.indkey::text
                FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
                WHERE i.indrelid = 'ix_cat'::regclass ORDER BY 1`),
    [
      ['ix_cat_a_idx', 'i', 1, 'btree', 1, 1, false, false, true, '1'],
      ['ix_cat_a_idx1', 'i', 1, 'btree', 1, 1, false, false, true, '1'],
      ['ix_cat_b', 'i', 1, 'hash', 1, 1, false, false, true, '2'],
      ['ix_cat_ba', 'i', 2, 'btree', 2, 2, false, false, true, '2 1'],
      ['ix_cat_pkey', 'i', 1, 'btree', 1, 1, true, true, true, '3'],
    ],
  );
  assert.deepEqual(await rows(`SELECT pg_get_indexdef('ix_cat_ba'::regclass), pg_get_indexdef('ix_cat_ba'::regclass, 2, true)`), [
    ['CREATE INDEX ix_cat_ba ON public.ix_cat USING btree (b, a)', 'a'],
  ]);
  assert.deepEqual(await rows(`SELECT attname, attnum FROM pg_attribute WHERE attrelid = 'ix_cat_ba'::regclass ORDER BY attnum`), [['b', 1], ['a', 2]]);
  assert.deepEqual(await rows(`SELECT relhasindex FROM pg_class WHERE relname = 'ix_cat'`), [[true]]);
  assert.deepEqual(await rows(`SELECT hasindexes FROM pg_tables WHERE tablename = 'ix_cat'`), [[true]]);
});

test('indexes on materialized views and sources; not on views or system catalogs', async () => {
  await env.db.query('CREATE TABLE ix_base (k int, v int)');
  await env.db.query('INSERT INTO ix_base VALUES (1, 10), (1, 20), (2, 5)');
  await env.db.query('CREATE MATERIALIZED VIEW ix_sums AS SELECT k, sum(v) AS total FROM ix_base GROUP BY k');
  await env.db.query('CREATE INDEX ix_sums_k ON ix_sums (k)');
  assert.deepEqual(lookup('ix_sums_k', [1]), ['[1,"30"]']);
  await env.db.query('INSERT INTO ix_base VALUES (1, 1)');
  assert.deepEqual(lookup('ix_sums_k', [1]), ['[1,"31"]']);
  assert.deepEqual(await rows(`SELECT hasindexes FROM pg_matviews WHERE matviewname = 'ix_sums'`), [[true]]);

  await env.db.query(`CREATE SOURCE ix_ticks FROM TIME TABLE (PERIOD '1 hour', START TIME '2024-01-01 00:00:00+00')`);
  await env.db.query('CREATE INDEX ix_ticks_tick ON ix_ticks (tick)');
  assert.deepEqual(await rows(`SELECT indexdef FROM pg_indexes WHERE tablename = 'ix_ticks'`), [['CREATE INDEX ix_ticks_tick ON public.ix_ticks USING btree (tick)']]);

  await env.db.query('CREATE VIEW ix_plain AS SELECT * FROM ix_base');
  await failsWith('CREATE INDEX ON ix_plain (k)', '42809', /cannot create index on relation "ix_plain"/);
  await failsWith('CREATE INDEX ON pg_class (relname)', '42501', /system catalog/);
});

test('errors: missing relation and column, taken names, DROP of what is not there or not an index', async () => {
  await env.db.query('CREATE TABLE ix_err (a int PRIMARY KEY, b int)');
  await failsWith('CREATE INDEX ON ix_nope (a)', '42P01', /relation "ix_nope" does not exist/);
  await failsWith('CREATE INDEX ON ix_err (zz)', '42703', /column "zz" does not exist/);
  await env.db.query('CREATE INDEX ix_err_b ON ix_err (b)');
  await failsWith('CREATE INDEX ix_err_b ON ix_err (a)', '42P07', /relation "ix_err_b" already exists/);
  await failsWith('CREATE INDEX ix_err ON ix_err (a)', '42P07');
  await failsWith('CREATE TABLE ix_err_b (x int)', '42P07');
  await env.db.query('CREATE INDEX IF NOT EXISTS ix_err_b ON ix_err (a)');
  await failsWith('CREATE UNIQUE INDEX ON ix_err (b)', '0A000', /UNIQUE/);
  await failsWith('CREATE INDEX ON ix_err ((b + 1))', '0A000', /expressions/);
  await failsWith('CREATE INDEX ON ix_err (b) WHERE b > 0', '0A000', /partial/);
  await failsWith('CREATE INDEX ON ix_err USING gin (b)', '0A000', /gin/);
  await failsWith('CREATE INDEX ON ix_err USING hash (a, b)', '0A000', /access method "hash" does not support multicolumn indexes/);
  await failsWith('CREATE INDEX ON ix_err USING nosuch (b)', '42704', /access method "nosuch" does not exist/);
  await failsWith('DROP INDEX ix_nope', '42704', /index "ix_nope" does not exist/);
  await env.db.query('DROP INDEX IF EXISTS ix_nope');
  await failsWith('DROP INDEX ix_err', '42809', /"ix_err" is not an index/);
  await failsWith('DROP INDEX ix_err_pkey', '2BP01', /constraint ix_err_pkey/);
  await env.db.query('DROP INDEX ix_err_b CASCADE');
  assert.deepEqual(await rows(`SELECT indexname FROM pg_indexes WHERE tablename = 'ix_err'`), [['ix_err_pkey']]);
});

test('dropping a relation drops its indexes; indexes survive a restart and follow changes after it', async () => {
  await env.db.query('CREATE TABLE ix_gone (a int)');
  await env.db.query('CREATE INDEX ix_gone_a ON ix_gone (a)');
  await env.db.query('DROP TABLE ix_gone');
  assert.equal(env.eddy.database.indexes.has('ix_gone_a'), false);
  assert.deepEqual(await rows(`SELECT count(*) FROM pg_class WHERE relname = 'ix_gone_a'`), [['0']]);
  await env.db.query('CREATE TABLE ix_gone (a int)');
  await env.db.query('CREATE INDEX ix_gone_a ON ix_gone (a)');

  await env.db.query('CREATE TABLE ix_kept (a int, b text)');
  await env.db.query(`INSERT INTO ix_kept VALUES (1, 'one'), (2, 'two'), (1, 'uno')`);
  await env.db.query('CREATE INDEX ON ix_kept (a)');
  await env.db.query('CREATE MATERIALIZED VIEW ix_kept_counts AS SELECT a, count(*) AS n FROM ix_kept GROUP BY a');
  await env.db.query('CREATE INDEX ON ix_kept_counts (a)');
  const before = await rows(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`);
  await env.eddy.restart();
  env.db = await env.eddy.client();
  assert.deepEqual(await rows(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`), before);
  assert.deepEqual(lookup('ix_kept_a_idx', [1]), ['[1,"one"]', '[1,"uno"]']);
  assert.deepEqual(lookup('ix_kept_counts_a_idx', [1]), ['[1,"2"]']);
  await env.db.query(`INSERT INTO ix_kept VALUES (1, 'ein')`);
  assert.deepEqual(lookup('ix_kept_a_idx', [1]), ['[1,"ein"]', '[1,"one"]', '[1,"uno"]']);
  assert.deepEqual(lookup('ix_kept_counts_a_idx', [1]), ['[1,"3"]']);
});
